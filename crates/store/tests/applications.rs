//! Applications and their ledger, on SQLite and (with `GONGKAI_TEST_DATABASE_URL`) PostgreSQL:
//! numbering, the 查询码, the one door for a step (`append_case_event`) and the exhaustive
//! state × action × role matrix through it, frozen notices, appeals, tokens, and the calendar
//! notices an administrator enters.

use gongkai_core::calendar::{Calendar, Fallback, format_date, parse_date};
use gongkai_core::clock::{Channel, ClockConfig, Event, Party};
use gongkai_core::outcome::Outcome;
use gongkai_store::application::{
    Applicant, ApplicationFilter, ApplicationId, NewApplication, Request,
};
use gongkai_store::ledger::{LedgerEvent, Record};
use gongkai_store::notice::NoticeDraft;
use gongkai_store::organ::OrganSettings;
use gongkai_store::user::NewUser;
use gongkai_store::workflow::{Action, CaseState};
use gongkai_store::{Actor, OrganScope, Role, Store, StoreError, dbtest};
use time::Date;

const NOW: i64 = 1_700_000_000;

fn d(text: &str) -> Date {
    parse_date(text).unwrap()
}

async fn organ(store: &Store, name: &str) -> i64 {
    let settings = OrganSettings {
        name: name.to_owned(),
        ..OrganSettings::default()
    };
    store
        .create_organ(&Actor::system("test"), NOW, None, &settings)
        .await
        .unwrap()
        .id
}

async fn staff(store: &Store, organ_id: i64, username: &str, role: Role) -> Actor {
    let user = store
        .create_user(
            &Actor::system("test"),
            OrganScope::system(organ_id),
            NOW,
            &NewUser {
                username,
                display_name: username,
                password_hash: "$argon2id$placeholder",
            },
            role,
        )
        .await
        .unwrap();
    Actor::user(user.id, username)
}

fn new_application(received: &str, code: Option<&str>) -> NewApplication {
    NewApplication {
        applicant: Applicant {
            kind: "natural_person".into(),
            name: "张三".into(),
            id_type: "resident_id".into(),
            id_number: "11010519491231002X".into(),
            phone: "13800138000".into(),
            ..Applicant::default()
        },
        request: Request {
            title: "2023年某某路改造工程立项批复".into(),
            forms: vec!["paper".into()],
            delivery: vec!["post".into()],
            ..Request::default()
        },
        channel: Channel::Post,
        received: d(received),
        query_code: code.map(str::to_owned),
        attachments: Vec::new(),
    }
}

fn cal() -> Calendar {
    Calendar::builtin().with_fallback(Fallback::Statutory)
}

async fn step(
    store: &Store,
    actor: &Actor,
    organ_id: i64,
    id: ApplicationId,
    event: LedgerEvent,
    today: &str,
) -> Result<gongkai_store::application::Application, StoreError> {
    store
        .append_case_event(
            actor,
            OrganScope::system(organ_id),
            id,
            event,
            &cal(),
            ClockConfig::default(),
            d(today),
            NOW,
        )
        .await
}

fn clock(date: &str, event: Event) -> LedgerEvent {
    LedgerEvent::clock(d(date), event)
}

dbtest!(
    numbers_run_per_organ_and_year_and_only_the_code_hash_is_kept,
    |db| {
        let a = organ(&db, "甲局").await;
        let b = organ(&db, "乙局").await;
        let sys = Actor::system("test");
        let first = db
            .create_application(
                &sys,
                OrganScope::system(a),
                NOW,
                &new_application("2024-09-27", Some("ABCDEFGH23")),
            )
            .await
            .unwrap();
        let second = db
            .create_application(
                &sys,
                OrganScope::system(a),
                NOW,
                &new_application("2024-10-08", None),
            )
            .await
            .unwrap();
        let next_year = db
            .create_application(
                &sys,
                OrganScope::system(a),
                NOW,
                &new_application("2025-01-02", None),
            )
            .await
            .unwrap();
        let other = db
            .create_application(
                &sys,
                OrganScope::system(b),
                NOW,
                &new_application("2024-09-27", None),
            )
            .await
            .unwrap();
        assert_eq!(first.number, "YSQ-2024-0001");
        assert_eq!(second.number, "YSQ-2024-0002");
        assert_eq!(next_year.number, "YSQ-2025-0001");
        assert_eq!(other.number, "YSQ-2024-0001");
        assert!(first.trackable && !second.trackable);
        // The first event is the receipt, with its channel (art. 31).
        assert_eq!(first.received(), Some((d("2024-09-27"), Channel::Post)));

        let found = db
            .tracked_application("YSQ-2024-0001", "ABCDEFGH23")
            .await
            .unwrap();
        assert_eq!(found.map(|f| f.id), Some(first.id));
        assert!(
            db.tracked_application("YSQ-2024-0001", "ABCDEFGH24")
                .await
                .unwrap()
                .is_none()
        );
        // The other organ's YSQ-2024-0001 has no code: a guess of its number finds nothing.
        assert!(
            db.tracked_application("YSQ-2024-0002", "ABCDEFGH23")
                .await
                .unwrap()
                .is_none()
        );
        let dump = db.dump().await.unwrap();
        let text = dump["tables"]["applications"].to_string();
        assert!(
            !text.contains("ABCDEFGH23"),
            "the code itself is never stored"
        );
        // Another organ's application is not found through this organ's scope.
        assert!(matches!(
            db.application(OrganScope::system(b), first.id).await,
            Err(StoreError::NotFound(_))
        ));
    }
);

dbtest!(
    the_audit_row_of_an_application_holds_no_full_id_number,
    |db| {
        let a = organ(&db, "甲局").await;
        db.create_application(
            &Actor::system("test"),
            OrganScope::system(a),
            NOW,
            &new_application("2024-09-27", None),
        )
        .await
        .unwrap();
        let log = db.audit_log(OrganScope::system(a), 10, 0).await.unwrap();
        let row = log
            .iter()
            .find(|e| e.action == "application.create")
            .unwrap();
        let text = row.after.as_ref().unwrap().to_string();
        assert!(!text.contains("11010519491231002X"), "{text}");
        assert!(text.contains("1101**********002X"), "{text}");
        assert!(!text.contains("张三") && text.contains("张*"), "{text}");
    }
);

dbtest!(
    a_letter_before_national_day_is_due_2024_10_30_then_extended,
    |db| {
        // 条例 art. 31(二) (signed for by post), art. 33 ¶2 (20 working days; one extension of at
        // most 20 by the 负责人). 国庆 2024: 10-01..07 off, 09-29 and 10-12 worked.
        let a = organ(&db, "甲局").await;
        let handler = staff(&db, a, "chengban", Role::CaseHandler).await;
        let head = staff(&db, a, "fuzeren", Role::Head).await;
        let app = db
            .create_application(
                &handler,
                OrganScope::system(a),
                NOW,
                &new_application("2024-09-27", None),
            )
            .await
            .unwrap();
        let report = app
            .clock(&cal(), ClockConfig::default(), d("2024-10-08"))
            .unwrap();
        assert_eq!(report.due.map(format_date).as_deref(), Some("2024-10-30"));
        assert!(report.explanation.iter().any(|l| l.contains("国庆")));

        let extension = clock(
            "2024-10-25",
            Event::ExtensionApproved {
                days: 20,
                approver: Some("fuzeren".into()),
            },
        );
        let refused = step(&db, &handler, a, app.id, extension.clone(), "2024-10-25").await;
        assert!(matches!(refused, Err(StoreError::Forbidden)), "{refused:?}");
        let extended = step(&db, &head, a, app.id, extension.clone(), "2024-10-25")
            .await
            .unwrap();
        let report = extended
            .clock(&cal(), ClockConfig::default(), d("2024-10-25"))
            .unwrap();
        assert_eq!(report.due.map(format_date).as_deref(), Some("2024-11-27"));
        let again = step(&db, &head, a, app.id, extension, "2024-10-28").await;
        let Err(StoreError::NotAllowed(message)) = again else {
            panic!("{again:?}")
        };
        assert!(message.contains("第三十三条第二款"), "{message}");
        // Refused steps wrote nothing.
        let app = db.application(OrganScope::system(a), app.id).await.unwrap();
        assert_eq!(app.events.len(), 2);
    }
);

dbtest!(correction_is_asked_once_within_seven_working_days, |db| {
    // 条例 art. 30: 一次性告知, within 7 working days of receipt, with a deadline.
    let a = organ(&db, "甲局").await;
    let handler = staff(&db, a, "chengban", Role::CaseHandler).await;
    let app = db
        .create_application(
            &handler,
            OrganScope::system(a),
            NOW,
            &new_application("2024-09-27", None),
        )
        .await
        .unwrap();
    let request = |date: &str| LedgerEvent {
        items: vec!["所需信息的文号".into()],
        ..clock(
            date,
            Event::CorrectionRequested {
                deadline: Some(d("2024-11-15")),
            },
        )
    };
    // 7 working days from 09-27: 09-29 (调休), 09-30, 10-08, 10-09, 10-10, 10-11, 10-12 (调休).
    let late = step(
        &db,
        &handler,
        a,
        app.id,
        request("2024-10-14"),
        "2024-10-14",
    )
    .await;
    let Err(StoreError::NotAllowed(message)) = late else {
        panic!("{late:?}")
    };
    assert!(message.contains("2024-10-12"), "{message}");
    let no_items = LedgerEvent {
        items: Vec::new(),
        ..request("2024-10-12")
    };
    assert!(matches!(
        step(&db, &handler, a, app.id, no_items, "2024-10-12").await,
        Err(StoreError::Invalid { field: "items", .. })
    ));
    step(
        &db,
        &handler,
        a,
        app.id,
        request("2024-10-12"),
        "2024-10-12",
    )
    .await
    .unwrap();
    let twice = step(
        &db,
        &handler,
        a,
        app.id,
        request("2024-10-12"),
        "2024-10-12",
    )
    .await;
    assert!(matches!(twice, Err(StoreError::NotAllowed(_))), "{twice:?}");
    let back = step(
        &db,
        &handler,
        a,
        app.id,
        clock("2024-10-21", Event::CorrectionReceived),
        "2024-10-21",
    )
    .await
    .unwrap();
    // The clock restarts on the correction: 20 working days from 10-21.
    let report = back
        .clock(&cal(), ClockConfig::default(), d("2024-10-21"))
        .unwrap();
    assert_eq!(report.due.map(format_date).as_deref(), Some("2024-11-18"));
});

dbtest!(
    the_ledger_is_append_only_and_issued_notices_are_frozen,
    |db| {
        let a = organ(&db, "甲局").await;
        let sys = Actor::system("test");
        let app = db
            .create_application(
                &sys,
                OrganScope::system(a),
                NOW,
                &new_application("2024-09-27", None),
            )
            .await
            .unwrap();
        assert!(
            db.execute_raw("UPDATE case_events SET date = '2024-01-01'")
                .await
                .is_err()
        );
        assert!(db.execute_raw("DELETE FROM case_events").await.is_err());

        let scope = OrganScope::system(a);
        let draft = db
            .create_notice_draft(
                &sys,
                scope,
                app.id,
                NOW,
                &NoticeDraft {
                    kind: "receipt".into(),
                    title: "政府信息公开申请登记回执".into(),
                    organ_name: "甲局".into(),
                    date: "2024-09-27".into(),
                    paragraphs: vec![
                        "张三：".into(),
                        "本机关于2024年9月27日收到您的申请。".into(),
                    ],
                },
            )
            .await
            .unwrap();
        assert!(!draft.issued);
        let edited = db
            .update_notice_draft(
                &sys,
                scope,
                app.id,
                draft.id,
                NOW,
                "2024-09-30",
                &["张三：".into(), "改过的正文。".into()],
            )
            .await
            .unwrap();
        assert_eq!(edited.date, "2024-09-30");
        let issued = db
            .issue_notice(&sys, scope, app.id, draft.id, NOW, "receipt", 2024, |seq| {
                format!("甲依申〔2024〕{seq:03}号")
            })
            .await
            .unwrap();
        assert_eq!(issued.number, "甲依申〔2024〕001号");
        assert!(issued.issued);
        assert!(matches!(
            db.update_notice_draft(&sys, scope, app.id, draft.id, NOW, "2024-10-01", &[])
                .await,
            Err(StoreError::NotAllowed(_))
        ));
        // The trigger holds even for SQL that goes around the store.
        assert!(
            db.execute_raw("UPDATE notices SET body = '[]'")
                .await
                .is_err()
        );
        assert!(db.execute_raw("DELETE FROM notices").await.is_err());
        // Serials are never reused: the next receipt of the year is 002.
        let second = db
            .create_notice_draft(
                &sys,
                scope,
                app.id,
                NOW,
                &NoticeDraft {
                    kind: "receipt".into(),
                    title: "政府信息公开申请登记回执".into(),
                    organ_name: "甲局".into(),
                    date: "2024-10-01".into(),
                    paragraphs: vec!["张三：".into()],
                },
            )
            .await
            .unwrap();
        let second = db
            .issue_notice(
                &sys,
                scope,
                app.id,
                second.id,
                NOW,
                "receipt",
                2024,
                |seq| format!("甲依申〔2024〕{seq:03}号"),
            )
            .await
            .unwrap();
        assert_eq!(second.number, "甲依申〔2024〕002号");
        // Delivery can be recorded for an issued notice only.
        let delivered = LedgerEvent::record(
            d("2024-10-02"),
            Record::NoticeDelivered {
                notice_id: second.id,
                method: "邮寄".into(),
            },
        );
        step(&db, &sys, a, app.id, delivered, "2024-10-02")
            .await
            .unwrap();
    }
);

dbtest!(
    appeals_are_checked_and_linked_to_the_organs_own_applications,
    |db| {
        use gongkai_store::appeal::AppealInput;
        let a = organ(&db, "甲局").await;
        let b = organ(&db, "乙局").await;
        let sys = Actor::system("test");
        let mine = db
            .create_application(
                &sys,
                OrganScope::system(a),
                NOW,
                &new_application("2024-09-27", None),
            )
            .await
            .unwrap();
        let input = AppealInput {
            kind: "reconsideration".into(),
            application_id: Some(mine.id),
            filed: "2024-12-01".into(),
            body: "某某区人民政府".into(),
            result: "pending".into(),
            ..AppealInput::default()
        };
        let appeal = db
            .create_appeal(&sys, OrganScope::system(a), NOW, &input)
            .await
            .unwrap();
        assert_eq!(appeal.application_number.as_deref(), Some("YSQ-2024-0001"));
        // Another organ cannot link it.
        assert!(matches!(
            db.create_appeal(&sys, OrganScope::system(b), NOW, &input)
                .await,
            Err(StoreError::Invalid {
                field: "application_id",
                ..
            })
        ));
        let decided_without_date = AppealInput {
            result: "upheld".into(),
            ..input.clone()
        };
        assert!(matches!(
            db.update_appeal(
                &sys,
                OrganScope::system(a),
                appeal.id,
                NOW,
                &decided_without_date
            )
            .await,
            Err(StoreError::Invalid {
                field: "decided",
                ..
            })
        ));
        let decided = AppealInput {
            decided: Some("2025-02-01".into()),
            ..decided_without_date
        };
        let updated = db
            .update_appeal(&sys, OrganScope::system(a), appeal.id, NOW, &decided)
            .await
            .unwrap();
        assert_eq!(updated.input.result, "upheld");
        assert!(db.appeals(OrganScope::system(b)).await.unwrap().is_empty());
    }
);

dbtest!(api_tokens_are_kept_as_hashes_and_end_when_revoked, |db| {
    let a = organ(&db, "甲局").await;
    let actor = staff(&db, a, "chengban", Role::CaseHandler).await;
    let user_id = actor.user_id.unwrap();
    let (token, row) = db
        .create_api_token(&actor, user_id, "脚本", NOW)
        .await
        .unwrap();
    assert!(token.starts_with("gk_") && token.len() == 43);
    assert_eq!(
        db.user_for_token(&token).await.unwrap().map(|u| u.id),
        Some(user_id)
    );
    assert!(db.user_for_token("gk_wrong").await.unwrap().is_none());
    let dump = db.dump().await.unwrap();
    assert!(!dump.to_string().contains(&token));
    db.revoke_api_token(&actor, user_id, row.id, NOW)
        .await
        .unwrap();
    assert!(db.user_for_token(&token).await.unwrap().is_none());
});

/// A calendar file for 2027 made up for the test (not a guess of the real notice): New Year's
/// Day and Monday 2027-01-04 off, Saturday 2027-01-09 worked.
const FIXTURE_2027: &str = "year 2027\nnotice 测试用2027年节假日安排\noff 元旦 2027-01-01 2027-01-04\nwork 元旦 2027-01-09\n";

dbtest!(
    provisional_due_dates_are_recomputed_when_the_notice_is_entered,
    |db| {
        let a = organ(&db, "甲局").await;
        let sys = Actor::system("test");
        let mut new = new_application("2026-12-04", None);
        new.channel = Channel::Online;
        let app = db
            .create_application(&sys, OrganScope::system(a), NOW, &new)
            .await
            .unwrap();
        let today = d("2026-12-04");
        let before = app
            .clock(&db.calendar().await.unwrap(), ClockConfig::default(), today)
            .unwrap();
        // Provisional: 2027 has no notice; the due date is not New Year's Day.
        assert_eq!(before.provisional_years, vec![2027]);
        let due = before.due.unwrap();
        assert_ne!(format_date(due), "2027-01-01");
        assert_eq!(format_date(due), "2027-01-04");

        let changed = db
            .enter_calendar_year(
                &sys,
                NOW,
                today,
                ClockConfig::default(),
                FIXTURE_2027,
                "测试〔2026〕1号",
                "2026-11-20",
            )
            .await
            .unwrap();
        assert_eq!(changed.len(), 1, "{changed:?}");
        let after = db
            .application(OrganScope::system(a), app.id)
            .await
            .unwrap()
            .clock(&db.calendar().await.unwrap(), ClockConfig::default(), today)
            .unwrap();
        assert!(after.provisional_years.is_empty());
        assert_eq!(changed[0].before, Some(due));
        assert_eq!(changed[0].after, after.due);
        let log = db.audit_log(OrganScope::system(a), 20, 0).await.unwrap();
        let row = log
            .iter()
            .find(|e| e.action == "application.due_recomputed")
            .expect("an audit row says the due date was recomputed");
        assert!(row.after.as_ref().unwrap().to_string().contains("2027"));
        // The ledger says so too.
        let app = db.application(OrganScope::system(a), app.id).await.unwrap();
        assert!(
            app.events
                .iter()
                .any(|e| e.event.what.key() == "calendar_recomputed")
        );
        // A file that does not parse is refused and changes nothing.
        let bad = db
            .enter_calendar_year(
                &sys,
                NOW,
                today,
                ClockConfig::default(),
                "year 2028\noff 元旦 2028-01-01 2028-13-01\n",
                "x",
                "2026-11-20",
            )
            .await;
        assert!(matches!(
            bad,
            Err(StoreError::Invalid {
                field: "file_text",
                ..
            })
        ));
        assert_eq!(db.calendar_years().await.unwrap().len(), 1);
    }
);

dbtest!(the_queue_filter_keeps_open_cases, |db| {
    let a = organ(&db, "甲局").await;
    let sys = Actor::system("test");
    let open = db
        .create_application(
            &sys,
            OrganScope::system(a),
            NOW,
            &new_application("2024-09-27", None),
        )
        .await
        .unwrap();
    let closed = db
        .create_application(
            &sys,
            OrganScope::system(a),
            NOW,
            &new_application("2024-09-27", None),
        )
        .await
        .unwrap();
    step(
        &db,
        &sys,
        a,
        closed.id,
        clock(
            "2024-10-08",
            Event::Replied {
                outcome: Outcome::Disclosed,
            },
        ),
        "2024-10-08",
    )
    .await
    .unwrap();
    let all = db
        .applications(OrganScope::system(a), ApplicationFilter::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    let queue = db
        .applications(OrganScope::system(a), ApplicationFilter { open_only: true })
        .await
        .unwrap();
    assert_eq!(
        queue.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![open.id]
    );
});

dbtest!(
    a_backup_keeps_cases_files_notices_appeals_tokens_and_calendar_years,
    |db| {
        use gongkai_store::application::NewAttachment;
        use gongkai_store::testing::TestDb;
        let a = organ(&db, "甲局").await;
        let actor = staff(&db, a, "chengban", Role::CaseHandler).await;
        let scope = OrganScope::system(a);
        let mut new = new_application("2024-09-27", Some("ABCDEFGH23"));
        new.attachments.push(NewAttachment {
            purpose: "id_proof".into(),
            file_name: "身份证.png".into(),
            content_type: "image/png".into(),
            size: 3,
            nonce: vec![1, 2, 3],
            ciphertext: vec![0, 255, 16, 32],
        });
        let app = db
            .create_application(&actor, scope, NOW, &new)
            .await
            .unwrap();
        step(
            &db,
            &actor,
            a,
            app.id,
            clock(
                "2024-10-08",
                Event::Replied {
                    outcome: Outcome::Disclosed,
                },
            ),
            "2024-10-08",
        )
        .await
        .unwrap();
        let draft = db
            .create_notice_draft(
                &actor,
                scope,
                app.id,
                NOW,
                &NoticeDraft {
                    kind: "reply.disclosed".into(),
                    title: "政府信息公开申请答复告知书".into(),
                    organ_name: "甲局".into(),
                    date: "2024-10-08".into(),
                    paragraphs: vec!["张三：".into()],
                },
            )
            .await
            .unwrap();
        db.issue_notice(&actor, scope, app.id, draft.id, NOW, "reply", 2024, |s| {
            s.to_string()
        })
        .await
        .unwrap();
        db.create_appeal(
            &actor,
            scope,
            NOW,
            &gongkai_store::appeal::AppealInput {
                kind: "litigation_direct".into(),
                application_id: Some(app.id),
                filed: "2024-12-01".into(),
                result: "pending".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        db.create_api_token(&actor, actor.user_id.unwrap(), "脚本", NOW)
            .await
            .unwrap();
        db.enter_calendar_year(
            &actor,
            NOW,
            d("2024-10-08"),
            ClockConfig::default(),
            FIXTURE_2027,
            "测试〔2026〕1号",
            "2026-11-20",
        )
        .await
        .unwrap();
        let dump = db.dump().await.unwrap();
        for table in [
            "applications",
            "case_events",
            "attachments",
            "notices",
            "appeals",
            "api_tokens",
            "calendar_years",
            "counters",
        ] {
            assert!(
                dump["tables"][table]
                    .as_array()
                    .is_some_and(|t| !t.is_empty()),
                "{table}"
            );
        }
        let target = TestDb::sqlite().await;
        target.restore(&dump).await.unwrap();
        assert_eq!(target.dump().await.unwrap(), dump);
        let files = target.attachments(scope, app.id).await.unwrap();
        assert_eq!(files[0].ciphertext, vec![0, 255, 16, 32]);
        assert!(
            target
                .tracked_application("YSQ-2024-0001", "ABCDEFGH23")
                .await
                .unwrap()
                .is_some()
        );
        if let Some(pg) = TestDb::postgres().await {
            pg.restore(&dump).await.unwrap();
            assert_eq!(pg.dump().await.unwrap(), dump);
            // New rows continue after the restored ids.
            let next = pg
                .create_application(
                    &Actor::system("test"),
                    scope,
                    NOW,
                    &new_application("2024-10-09", None),
                )
                .await
                .unwrap();
            assert!(next.id > app.id);
            assert_eq!(next.number, "YSQ-2024-0002");
        }
    }
);

// ---------------------------------------------------------------------------------------------
// The state × action × role matrix.

/// Who may take each step in each state, written from the statute and the issue, not from
/// `workflow::RULES`: `H` the 负责人, `C` the 承办人, `-` nobody. Columns are the states in the
/// order of the header. Administrators, editors and reviewers take no step on a case.
const EXPECTED: &str = "
action                  Running ExtReq Consult Fee  Corr CorrOver FeeOver Closed
correction_requested    HC      -      -       -    -    -        -       -
correction_received     -       -      -       -    HC   HC       -       -
correction_lapsed       -       -      -       -    -    HC       -       -
consultation_started    HC      HC     HC      -    -    -        -       -
consultation_answered   -       -      HC      -    -    -        -       -
extension_requested     HC      -      HC      -    -    -        -       -
extension_approved      H       H      H       -    -    -        -       -
extension_refused       -       H      -       -    -    -        -       -
fee_notice_sent         HC      HC     -       -    -    -        -       -
fee_paid                -       -      -       HC   -    -        HC      -
fee_lapsed              -       -      -       -    -    -        HC      -
replied                 HC      HC     HC      -    -    -        -       -
assigned                HC      HC     HC      HC   HC   HC       HC      -
notice_delivered        HC      HC     HC      HC   HC   HC       HC      HC
";

fn expected(action: Action, state: CaseState, role: Role) -> bool {
    let column = CaseState::ALL.iter().position(|s| *s == state).unwrap() + 1;
    let line = EXPECTED
        .lines()
        .find(|l| l.split_whitespace().next() == Some(action.key()))
        .unwrap_or_else(|| panic!("no expectation for {}", action.key()));
    let cell = line.split_whitespace().nth(column).unwrap();
    match role {
        Role::Head => cell.contains('H'),
        Role::CaseHandler => cell.contains('C'),
        Role::Administrator | Role::Editor | Role::Reviewer => false,
    }
}

#[test]
fn the_expectations_cover_every_action_and_state() {
    for action in Action::ALL {
        for state in CaseState::ALL {
            expected(action, state, Role::Head);
        }
    }
    assert_eq!(
        EXPECTED.lines().filter(|l| !l.trim().is_empty()).count(),
        Action::ALL.len() + 1
    );
}

/// The events that put a case received by post on 2024-09-27 in `state`, and the day it is
/// in that state.
fn setup(state: CaseState) -> (Vec<LedgerEvent>, &'static str) {
    let consult = || Event::ConsultationStarted {
        party: Party::ThirdParty,
        name: "某公司".into(),
    };
    let fee = || Event::FeeNoticeSent {
        yuan: Some(100),
        delivered: None,
    };
    let correction = |deadline: &str| LedgerEvent {
        items: vec!["文号".into()],
        ..clock(
            "2024-09-30",
            Event::CorrectionRequested {
                deadline: Some(d(deadline)),
            },
        )
    };
    match state {
        CaseState::Running => (vec![], "2024-10-10"),
        CaseState::ExtensionRequested => (
            vec![LedgerEvent::record(
                d("2024-10-08"),
                Record::ExtensionRequested {
                    days: 10,
                    reason: "需调取档案".into(),
                },
            )],
            "2024-10-10",
        ),
        CaseState::Consulting => (vec![clock("2024-10-08", consult())], "2024-10-10"),
        CaseState::AwaitingFee => (vec![clock("2024-10-08", fee())], "2024-10-10"),
        CaseState::AwaitingCorrection => (vec![correction("2024-10-31")], "2024-10-10"),
        CaseState::CorrectionOverdue => (vec![correction("2024-10-08")], "2024-10-10"),
        CaseState::FeeOverdue => (vec![clock("2024-09-30", fee())], "2024-11-20"),
        CaseState::Closed => (
            vec![clock(
                "2024-10-08",
                Event::Replied {
                    outcome: Outcome::Disclosed,
                },
            )],
            "2024-10-10",
        ),
    }
}

/// A valid event of `action` on `today` for a case in `state` (`notice` is an issued notice of
/// the case, `handler` an account that may be assigned).
fn attempt(action: Action, today: &str, notice: i64, handler: i64) -> LedgerEvent {
    let party = || (Party::ThirdParty, "某公司".to_owned());
    match action {
        Action::RequestCorrection => LedgerEvent {
            items: vec!["文号".into()],
            ..clock(
                today,
                Event::CorrectionRequested {
                    deadline: Some(d("2024-12-31")),
                },
            )
        },
        Action::ReceiveCorrection => clock(today, Event::CorrectionReceived),
        Action::LapseCorrection => clock(today, Event::CorrectionLapsed),
        Action::StartConsultation => clock(
            today,
            Event::ConsultationStarted {
                party: Party::OtherOrgan,
                name: "某局".into(),
            },
        ),
        Action::AnswerConsultation => {
            let (party, name) = party();
            clock(today, Event::ConsultationAnswered { party, name })
        }
        Action::RequestExtension => LedgerEvent::record(
            d(today),
            Record::ExtensionRequested {
                days: 15,
                reason: "需调取档案".into(),
            },
        ),
        Action::ApproveExtension => clock(
            today,
            Event::ExtensionApproved {
                days: 15,
                approver: None,
            },
        ),
        Action::RefuseExtension => LedgerEvent::record(
            d(today),
            Record::ExtensionRefused {
                reason: "可按期答复".into(),
            },
        ),
        Action::SendFeeNotice => clock(
            today,
            Event::FeeNoticeSent {
                yuan: Some(100),
                delivered: None,
            },
        ),
        Action::RecordPayment => clock(today, Event::FeePaid),
        Action::LapseFee => clock(today, Event::FeeLapsed),
        Action::Reply => clock(
            today,
            Event::Replied {
                outcome: Outcome::PartlyDisclosed,
            },
        ),
        Action::Assign => LedgerEvent::record(
            d(today),
            Record::Assigned {
                to: handler,
                to_name: "承办人".into(),
            },
        ),
        Action::RecordDelivery => LedgerEvent::record(
            d(today),
            Record::NoticeDelivered {
                notice_id: notice,
                method: "邮寄".into(),
            },
        ),
    }
}

dbtest!(
    every_state_action_and_role_is_decided_as_the_statute_says,
    |db| {
        let a = organ(&db, "甲局").await;
        let sys = Actor::system("test");
        let mut actors = Vec::new();
        for role in Role::ALL {
            actors.push((role, staff(&db, a, role.key(), role).await));
        }
        let handler_id = actors
            .iter()
            .find(|(r, _)| *r == Role::CaseHandler)
            .and_then(|(_, a)| a.user_id)
            .unwrap();
        let scope = OrganScope::system(a);
        let mut failures = Vec::new();
        let mut checked = 0;
        for state in CaseState::ALL {
            for action in Action::ALL {
                for (role, actor) in &actors {
                    // A fresh case in `state` for every attempt, so that no attempt sees another's.
                    let app = db
                        .create_application(&sys, scope, NOW, &new_application("2024-09-27", None))
                        .await
                        .unwrap();
                    let (events, today) = setup(state);
                    for event in events {
                        let date = format_date(event.date);
                        step(&db, &sys, a, app.id, event, &date).await.unwrap();
                    }
                    let draft = db
                        .create_notice_draft(
                            &sys,
                            scope,
                            app.id,
                            NOW,
                            &NoticeDraft {
                                kind: "receipt".into(),
                                title: "登记回执".into(),
                                organ_name: "甲局".into(),
                                date: "2024-09-27".into(),
                                paragraphs: vec!["张三：".into()],
                            },
                        )
                        .await
                        .unwrap();
                    let notice = db
                        .issue_notice(&sys, scope, app.id, draft.id, NOW, "receipt", 2024, |s| {
                            s.to_string()
                        })
                        .await
                        .unwrap();
                    let current = db.application(scope, app.id).await.unwrap();
                    let (seen, _) = current
                        .state(&cal(), ClockConfig::default(), d(today))
                        .unwrap();
                    assert_eq!(seen, state, "setup of {state:?}");
                    let before = current.events.len();
                    let result = step(
                        &db,
                        actor,
                        a,
                        app.id,
                        attempt(action, today, notice.id, handler_id),
                        today,
                    )
                    .await;
                    let allowed = expected(action, state, *role);
                    // A role that may never take the step is refused as a role (403); one that may
                    // take it in another state is refused by the state (409).
                    let ok = matches!(
                        (&result, allowed, expected_any_state(action, *role)),
                        (Ok(_), true, _)
                            | (Err(StoreError::Forbidden), false, false)
                            | (Err(StoreError::NotAllowed(_)), false, true)
                    );
                    if !ok {
                        failures.push(format!(
                            "{state:?} × {} × {role:?}: {result:?}",
                            action.key()
                        ));
                    }
                    if result.is_err() {
                        let after = db.application(scope, app.id).await.unwrap();
                        assert_eq!(after.events.len(), before, "a refused step wrote nothing");
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 8 * 14 * 5);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
);

/// Whether `role` may take `action` in some state: then a refusal in this state is the state's
/// (409), else the role's (403).
fn expected_any_state(action: Action, role: Role) -> bool {
    CaseState::ALL
        .iter()
        .any(|state| expected(action, *state, role))
}
