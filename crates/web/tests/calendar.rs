//! The calendar a running server counts with follows the notices entered anywhere: in its own
//! console, by `gongkai calendar enter`, or by another server on the same database.

mod util;

use gongkai_core::calendar::parse_date;
use gongkai_store::{Actor, dbtest};
use util::TestApp;

dbtest!(a_notice_entered_elsewhere_is_used_at_once, |db| {
    let app = TestApp::empty(db).await;
    let before = app.state.calendar().await.unwrap();
    assert!(before.is_provisional(2027));
    // Another process (here: the store directly, as the CLI does) enters 2027.
    app.db
        .enter_calendar_year(
            &Actor::system("cli"),
            util::START,
            parse_date("2026-12-04").unwrap(),
            Default::default(),
            "year 2027\noff 元旦 2027-01-01\n",
            "测试〔2026〕1号",
            "2026-11-20",
        )
        .await
        .unwrap();
    let after = app.state.calendar().await.unwrap();
    assert!(!after.is_provisional(2027));
    assert!(after.file(2027).is_some());
});
