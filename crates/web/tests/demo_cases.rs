//! The demo's application office: a newcomer running `serve --demo` sees cases in every state.
//! Checked on two days: the tests' usual start (2026-01-05) and 2026-12-04, when due dates reach
//! into 2027, a year without a holiday notice, and so are provisional.

mod util;

use std::collections::BTreeSet;

use gongkai_store::application::ApplicationFilter;
use gongkai_store::workflow::CaseState;
use gongkai_store::{OrganScope, dbtest};
use gongkai_web::cases::CaseView;
use util::{START, TestApp};

/// 2026-12-04 09:00 Beijing time.
const DECEMBER: i64 = 1_796_346_000;

async fn check_office(app: &TestApp, now: i64) {
    let info = gongkai_web::demo::load(&app.db, &app.state.passwords, now)
        .await
        .unwrap();
    let loaded = gongkai_web::demo::cases::load(&app.db, info.organ_id, now)
        .await
        .unwrap();
    assert_eq!(loaded, 12);
    // Loading again adds nothing.
    assert_eq!(
        gongkai_web::demo::cases::load(&app.db, info.organ_id, now)
            .await
            .unwrap(),
        0
    );
    let scope = OrganScope::system(info.organ_id);
    let cal = app.db.calendar().await.unwrap();
    let today = gongkai_web::site_date(now);
    let views: Vec<CaseView> = app
        .db
        .applications(scope, ApplicationFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|a| CaseView::new(a, &cal, Default::default(), today))
        .collect();
    assert_eq!(views.len(), 12);
    let states: BTreeSet<String> = views
        .iter()
        .map(|v| format!("{:?}", v.state.unwrap()))
        .collect();
    for state in [
        CaseState::Running,
        CaseState::ExtensionRequested,
        CaseState::Consulting,
        CaseState::AwaitingFee,
        CaseState::AwaitingCorrection,
        CaseState::Closed,
    ] {
        assert!(
            states.contains(&format!("{state:?}")),
            "{state:?} in {states:?}"
        );
    }
    assert_eq!(views.iter().filter(|v| v.overdue()).count(), 1);
    assert!(views.iter().any(|v| v.due_soon()));
    assert!(views.iter().any(|v| v.application.extended()));
    let outcomes: BTreeSet<_> = views.iter().filter_map(|v| v.outcome()).collect();
    assert!(outcomes.len() >= 4, "{outcomes:?}");
    // Every closed case has its issued reply.
    for view in views.iter().filter(|v| v.closed()) {
        let notices = app.db.notices(scope, view.application.id).await.unwrap();
        assert!(
            notices
                .iter()
                .any(|n| n.issued && n.kind.starts_with("reply.")),
            "{}",
            view.application.number
        );
    }
    assert_eq!(app.db.appeals(scope).await.unwrap().len(), 1);
}

dbtest!(the_demo_office_has_cases_in_every_state, |db| {
    let app = TestApp::empty(db).await;
    check_office(&app, START).await;
});

dbtest!(in_december_the_demo_shows_provisional_due_dates, |db| {
    let app = TestApp::empty(db).await;
    check_office(&app, DECEMBER).await;
    let organ = app.db.organs().await.unwrap()[0].id;
    let cal = app.db.calendar().await.unwrap();
    let today = gongkai_web::site_date(DECEMBER);
    let provisional = app
        .db
        .applications(
            OrganScope::system(organ),
            ApplicationFilter { open_only: true },
        )
        .await
        .unwrap()
        .into_iter()
        .map(|a| CaseView::new(a, &cal, Default::default(), today))
        .filter(|v| v.provisional())
        .count();
    assert!(provisional > 0);
});
