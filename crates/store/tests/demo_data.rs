//! `gongkai demo-data`'s generated province, on SQLite and (with `GONGKAI_TEST_DATABASE_URL`)
//! PostgreSQL: read back through the store's ordinary readers, every ledger parses and runs
//! through the clock (arts. 30–34), the records cover what the annual report counts (every
//! 表三 column, cases carried in and out of the year, 补正, consultations, extensions, fees,
//! 规章 and repeals, 表四's appeals), numbering continues after it, and a seed gives the same
//! rows every time.

use std::collections::BTreeSet;

use gongkai_core::calendar::{Calendar, parse_date};
use gongkai_core::clock::{ClockConfig, Event, Status};
use gongkai_core::format::APPLICANT_COLUMNS;
use gongkai_store::application::{Applicant, ApplicationFilter, NewApplication, Request};
use gongkai_store::demo_data::{ACTOR_NAME, DemoSpec, DemoSummary};
use gongkai_store::ledger::{EventJson, Happening};
use gongkai_store::testing::TestDb;
use gongkai_store::{Actor, Backend, OrganScope, Store, dbtest};
use time::Date;

const NOW: i64 = 1_760_000_000;

fn spec(seed: u64) -> DemoSpec {
    DemoSpec {
        organs: 20,
        applications: 500,
        items: 200,
        year: 2024,
        seed,
    }
}

fn d(text: &str) -> Date {
    parse_date(text).unwrap()
}

async fn generate(store: &Store, seed: u64) -> DemoSummary {
    store
        .generate_demo_data(
            &Actor::system("demo-data"),
            NOW,
            &Calendar::builtin(),
            &spec(seed),
        )
        .await
        .unwrap()
}

/// Everything generated, as the store's readers return it, in one text.
async fn snapshot(store: &Store) -> String {
    let mut out = String::new();
    for organ in store.organs().await.unwrap() {
        let scope = OrganScope::system(organ.id);
        out.push_str(&format!("{organ:?}\n"));
        for a in store
            .applications(scope, ApplicationFilter::default())
            .await
            .unwrap()
        {
            out.push_str(&format!(
                "{} {} {:?} {:?} {} {:?}\n",
                a.id, a.number, a.applicant, a.request, a.created_at, a.events
            ));
        }
        for item in store.items(scope).await.unwrap() {
            out.push_str(&format!("{item:?}\n"));
        }
        for appeal in store.appeals(scope).await.unwrap() {
            out.push_str(&format!("{appeal:?}\n"));
        }
    }
    out
}

async fn second_db(like: &Store) -> TestDb {
    match like.backend() {
        Backend::Sqlite => TestDb::sqlite().await,
        Backend::Postgres => TestDb::postgres().await.unwrap(),
    }
}

dbtest!(
    a_generated_province_reads_back_as_the_office_would_have_written_it,
    |db| {
        let summary = generate(&db, 42).await;
        assert_eq!(summary.organs, 20);
        assert_eq!(summary.applications, 500);
        assert_eq!(summary.items, 200);
        let cal = Calendar::builtin();
        let year_end = d("2024-12-31");
        let organs = db.organs().await.unwrap();
        assert_eq!(organs.len(), 20);
        assert_eq!(organs[0].id, summary.root);
        assert!(organs[0].parent_id.is_none() && organs[0].settings.name.ends_with("省人民政府"));
        assert!(
            organs
                .iter()
                .all(|o| o.settings.disclosure_rules.contains("gongkai demo-data"))
        );

        let mut kinds = BTreeSet::new();
        let (mut events, mut open, mut carried_in, mut appeals) = (0, 0, 0, 0);
        let mut seen = BTreeSet::new();
        let mut with_none = 0;
        for organ in &organs {
            let scope = OrganScope::system(organ.id);
            // The readers parse every data_json with EventJson::parse: an unreadable row fails here.
            let list = db
                .applications(scope, ApplicationFilter::default())
                .await
                .unwrap();
            if list.is_empty() {
                with_none += 1;
            }
            for a in &list {
                kinds.insert(a.applicant.kind.clone());
                events += a.events.len() as u64;
                let (received, _) = a.received().expect("a received event first");
                assert_eq!(a.number[4..8], received.year().to_string(), "{}", a.number);
                for e in &a.events {
                    assert_eq!(e.actor_name, ACTOR_NAME);
                    assert!(e.event.date <= year_end);
                    assert_eq!(EventJson::of(&e.event).parse().unwrap(), e.event);
                    seen.insert(e.event.what.key());
                }
                // Arts. 30–34: the clock accepts the ledger on the year's last day.
                let report = a
                    .clock(&cal, ClockConfig::default(), year_end)
                    .unwrap_or_else(|err| panic!("{}: {err}", a.number));
                let closed = matches!(report.status, Status::Closed(_));
                if !closed {
                    open += 1;
                }
                if received.year() == 2023 && closed {
                    carried_in += 1;
                }
            }
            appeals += db.appeals(scope).await.unwrap().len();
        }
        assert_eq!(events, summary.events);
        assert_eq!(appeals as u64, summary.appeals);
        // 表三's columns (but 总计) are each someone's.
        let expected: BTreeSet<String> = APPLICANT_COLUMNS[..6]
            .iter()
            .map(|c| c.key.to_owned())
            .collect();
        assert_eq!(kinds, expected);
        assert!(
            open > 0,
            "some cases are open at the year's end (结转下年度)"
        );
        assert!(
            carried_in > 0,
            "some cases came from the year before and closed in it"
        );
        assert!(with_none > 0, "some organs received no application");
        assert!(appeals > 0, "表四 has cases");
        for key in [
            "received",
            "correction_requested",
            "correction_received",
            "consultation_started",
            "extension_requested",
            "extension_approved",
            "fee_notice_sent",
            "replied",
        ] {
            assert!(seen.contains(key), "no {key} event");
        }

        // Items: published with their 索引号; 规章 and 规范性文件; some repealed in the year.
        let (mut repealed, mut regulations, mut interpretations) = (0, 0, 0);
        for organ in &organs {
            for item in db.items(OrganScope::system(organ.id)).await.unwrap() {
                let p = item.progress();
                assert!(p.first_published.is_some() && item.index_number.is_some());
                let content = &item.published().unwrap().content;
                regulations += usize::from(content.kind == "regulation");
                interpretations += usize::from(content.interprets.is_some());
                if p.validity.key == "repealed" {
                    repealed += 1;
                    assert!(p.validity.since.is_some_and(|s| s.year() == 2024));
                }
            }
        }
        assert!(regulations > 0 && repealed > 0 && interpretations > 0);

        // One audit row for the whole generation, naming the seed.
        let audit = db
            .audit_log(OrganScope::system(summary.root), 10, 0)
            .await
            .unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].action, "demo_data.generate");
        assert_eq!(audit[0].after.as_ref().unwrap()["seed"], 42);

        // The office carries on after it: ids and 申请编号 continue.
        let (busiest, _, count) = summary.busiest.clone().unwrap();
        let new = NewApplication {
            applicant: Applicant {
                kind: "natural_person".into(),
                name: "测试".into(),
                ..Applicant::default()
            },
            request: Request {
                title: "测试".into(),
                ..Request::default()
            },
            channel: gongkai_core::clock::Channel::InPerson,
            received: d("2024-12-31"),
            query_code: None,
            attachments: Vec::new(),
        };
        let made = db
            .create_application(
                &Actor::system("test"),
                OrganScope::system(busiest),
                NOW,
                &new,
            )
            .await
            .unwrap();
        assert_eq!(made.number, format!("YSQ-2024-{:04}", count + 1));
        assert!(
            made.events.len() == 1
                && matches!(
                    made.events[0].event.what,
                    Happening::Clock(Event::Received { .. })
                )
        );
    }
);

dbtest!(the_same_seed_gives_the_same_province, |db| {
    let first = generate(&db, 7).await;
    let other = second_db(&db).await;
    let second = generate(&other, 7).await;
    assert_eq!(first, second);
    let text = snapshot(&db).await;
    assert!(text.len() > 10_000);
    assert_eq!(text, snapshot(&other).await);
    let third = second_db(&db).await;
    generate(&third, 8).await;
    assert_ne!(text, snapshot(&third).await);
});
