//! The annual report's life (条例 art. 49, 50) through the store's one door,
//! `append_report_step`: the state × step × role matrix against a table written out here from
//! the rules (drafting by the 编辑, sign-off by the 负责人, art. 4 (三)), the guards of
//! publication, the frozen published version and corrections as new versions.

use gongkai_store::organ::OrganSettings;
use gongkai_store::report_version::{CheckedFinding, ReportState, ReportVersion, Step};
use gongkai_store::user::NewUser;
use gongkai_store::{Actor, OrganScope, Role, Store, StoreError, dbtest};
use serde_json::{Value, json};
use time::{Date, Month};

const NOW: i64 = 1_767_000_000;

fn today() -> Date {
    Date::from_calendar_date(2026, Month::January, 10).unwrap()
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

async fn staff(store: &Store, organ_id: i64, role: Role) -> Actor {
    let username = format!("{}-{organ_id}", role.key());
    let id = store
        .create_user(
            &Actor::system("test"),
            OrganScope::system(organ_id),
            NOW,
            &NewUser {
                username: &username,
                display_name: &username,
                password_hash: "$argon2id$placeholder",
            },
            role,
        )
        .await
        .unwrap()
        .id;
    Actor::user(id, &username)
}

fn document(agency: &str, year: i32) -> Value {
    json!({ "agency": agency, "year": year, "narrative": { "signature": agency } })
}

fn warning(check: &str) -> CheckedFinding {
    CheckedFinding {
        check: check.into(),
        error: false,
        cells: "applications/new/total".into(),
        message: format!("{check} 提示"),
    }
}

/// A year's report of `name` brought to `state` by the system.
async fn in_state(db: &Store, organ_id: i64, name: &str, year: i32, state: ReportState) {
    let sys = Actor::system("test");
    let scope = OrganScope::system(organ_id);
    let v = db
        .start_report(&sys, scope, NOW, today(), year, &document(name, year), None)
        .await
        .unwrap();
    let path: &[Step] = match state {
        ReportState::Drafting => &[],
        ReportState::AwaitingSignOff => &[Step::Submit],
        ReportState::Signed => &[Step::Submit, Step::Sign],
        ReportState::Published => &[Step::Submit, Step::Sign, Step::Publish { findings: vec![] }],
        ReportState::Withdrawn => &[
            Step::Submit,
            Step::Sign,
            Step::Publish { findings: vec![] },
            Step::Withdraw {
                reason: "数据有误".into(),
            },
        ],
        other => panic!("no path to {other:?}"),
    };
    for step in path {
        db.append_report_step(&sys, scope, NOW, today(), year, v.number, step.clone())
            .await
            .unwrap();
    }
}

fn all_steps(name: &str, year: i32) -> Vec<Step> {
    vec![
        Step::Edit {
            report: document(name, year),
            note: None,
        },
        Step::Recompute {
            report: document(name, year),
        },
        Step::Decide {
            check: "X-IN-FORCE".into(),
            cells: "proactive/regulation/in_force".into(),
            reason: "上年报告有误，本年据实统计。".into(),
        },
        Step::Submit,
        Step::Return {
            reason: "请补充第五部分。".into(),
        },
        Step::Sign,
        Step::Publish { findings: vec![] },
        Step::Withdraw {
            reason: "发现统计错误".into(),
        },
    ]
}

/// Which states each step is taken in, and by whom: written from the rules, not from `RULES`.
fn expected(state: ReportState, step: &Step, role: Role) -> &'static str {
    use ReportState::*;
    let drafters = [Role::Administrator, Role::Head, Role::Editor];
    let (states, roles): (&[ReportState], &[Role]) = match step {
        Step::Edit { .. } | Step::Recompute { .. } | Step::Submit => (&[Drafting], &drafters),
        Step::Decide { .. } => (&[Drafting, AwaitingSignOff], &drafters),
        Step::Return { .. } => (&[AwaitingSignOff, Signed], &[Role::Head]),
        Step::Sign => (&[AwaitingSignOff], &[Role::Head]),
        Step::Publish { .. } => (&[Signed], &[Role::Administrator, Role::Head]),
        Step::Withdraw { .. } => (&[Published], &[Role::Administrator, Role::Head]),
    };
    if !roles.contains(&role) {
        "403"
    } else if !states.contains(&state) {
        "409"
    } else {
        "ok"
    }
}

dbtest!(the_lifecycle_matrix_state_by_step_by_role, |db| {
    use ReportState::*;
    let mut failures = Vec::new();
    for state in [Drafting, AwaitingSignOff, Signed, Published, Withdrawn] {
        for role in Role::ALL {
            let name = format!("{}{}局", state.key(), role.key());
            let o = organ(&db, &name).await;
            let actor = staff(&db, o, role).await;
            for (i, step) in all_steps(&name, 0).into_iter().enumerate() {
                let year = 2010 + i as i32;
                in_state(&db, o, &name, year, state).await;
                let step = match step {
                    Step::Edit { .. } => Step::Edit {
                        report: document(&name, year),
                        note: None,
                    },
                    Step::Recompute { .. } => Step::Recompute {
                        report: document(&name, year),
                    },
                    other => other,
                };
                let got = match db
                    .append_report_step(
                        &actor,
                        OrganScope::system(o),
                        NOW,
                        today(),
                        year,
                        1,
                        step.clone(),
                    )
                    .await
                {
                    Ok(_) => "ok",
                    Err(StoreError::Forbidden) => "403",
                    Err(StoreError::NotAllowed(_)) => "409",
                    Err(e) => panic!("{state:?} {step:?} {role:?}: {e}"),
                };
                let want = expected(state, &step, role);
                if got != want {
                    failures.push(format!(
                        "{state:?} × {:?} × {role:?}: {got}, want {want}",
                        step.kind()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
});

dbtest!(an_error_refuses_publication_and_writes_nothing, |db| {
    let o = organ(&db, "甲局").await;
    let scope = OrganScope::system(o);
    let sys = Actor::system("test");
    in_state(&db, o, "甲局", 2024, ReportState::Signed).await;
    let audit = db.audit_count().await.unwrap();
    let error = CheckedFinding {
        check: "T3-BALANCE".into(),
        error: true,
        cells: "applications/new/natural".into(),
        message: "本年新收 自然人 5，总计 0".into(),
    };
    let refused = db
        .append_report_step(
            &sys,
            scope,
            NOW,
            today(),
            2024,
            1,
            Step::Publish {
                findings: vec![error],
            },
        )
        .await;
    let Err(StoreError::NotAllowed(message)) = refused else {
        panic!("published with an error: {refused:?}");
    };
    assert!(message.contains("本年新收 自然人 5，总计 0"), "{message}");
    assert_eq!(db.audit_count().await.unwrap(), audit);
    let versions = db.report_versions_of(scope, 2024).await.unwrap();
    assert_eq!(versions[0].state(), ReportState::Signed);
    assert!(db.published_report(o, 2024).await.unwrap().is_none());
});

dbtest!(a_warning_publishes_only_after_a_recorded_decision, |db| {
    let o = organ(&db, "甲局").await;
    let scope = OrganScope::system(o);
    let sys = Actor::system("test");
    in_state(&db, o, "甲局", 2024, ReportState::Signed).await;
    let publish = || Step::Publish {
        findings: vec![warning("X-IN-FORCE")],
    };
    let refused = db
        .append_report_step(&sys, scope, NOW, today(), 2024, 1, publish())
        .await;
    assert!(
        matches!(&refused, Err(StoreError::NotAllowed(m)) if m.contains("X-IN-FORCE 提示")),
        "{refused:?}"
    );
    // A decision after sign-off is refused (the signed text stands); back to the 负责人.
    let late = db
        .append_report_step(
            &sys,
            scope,
            NOW,
            today(),
            2024,
            1,
            Step::Decide {
                check: "X-IN-FORCE".into(),
                cells: "applications/new/total".into(),
                reason: "上年报告的现行有效件数有误。".into(),
            },
        )
        .await;
    assert!(matches!(late, Err(StoreError::NotAllowed(_))));
    db.append_report_step(
        &sys,
        scope,
        NOW,
        today(),
        2024,
        1,
        Step::Return {
            reason: "请确认提示。".into(),
        },
    )
    .await
    .unwrap();
    // A decision needs a reason.
    let no_reason = db
        .append_report_step(
            &sys,
            scope,
            NOW,
            today(),
            2024,
            1,
            Step::Decide {
                check: "X-IN-FORCE".into(),
                cells: "applications/new/total".into(),
                reason: "  ".into(),
            },
        )
        .await;
    assert!(matches!(
        no_reason,
        Err(StoreError::Invalid {
            field: "reason",
            ..
        })
    ));
    for step in [
        Step::Decide {
            check: "X-IN-FORCE".into(),
            cells: "applications/new/total".into(),
            reason: "上年报告的现行有效件数有误。".into(),
        },
        Step::Submit,
        Step::Sign,
        publish(),
    ] {
        db.append_report_step(&sys, scope, NOW, today(), 2024, 1, step)
            .await
            .unwrap();
    }
    let shown = db.published_report(o, 2024).await.unwrap().unwrap();
    assert_eq!(shown.published_on, today());
    let decision = shown
        .version
        .decision("X-IN-FORCE", "applications/new/total")
        .unwrap();
    assert_eq!(decision.detail["reason"], "上年报告的现行有效件数有误。");
    // The narrative's empty date became the publication date.
    assert_eq!(shown.version.report["narrative"]["date"], "2026-01-10");
});

dbtest!(the_year_and_the_agency_are_the_organs_own, |db| {
    // The first paragraph: the year 2099 and another organ's name were published.
    let o = organ(&db, "甲局").await;
    let scope = OrganScope::system(o);
    let sys = Actor::system("test");
    let future = db
        .start_report(
            &sys,
            scope,
            NOW,
            today(),
            2099,
            &document("甲局", 2099),
            None,
        )
        .await;
    assert!(
        matches!(&future, Err(StoreError::Invalid { field: "year", message }) if message.contains("2099")),
        "{future:?}"
    );
    let other = db
        .start_report(
            &sys,
            scope,
            NOW,
            today(),
            2024,
            &document("乙局", 2024),
            None,
        )
        .await;
    assert!(
        matches!(&other, Err(StoreError::Invalid { field: "agency", message }) if message.contains("乙局")),
        "{other:?}"
    );
    // The current year may be drafted but not published: it has not ended.
    in_state(&db, o, "甲局", 2026, ReportState::Signed).await;
    let unfinished = db
        .append_report_step(
            &sys,
            scope,
            NOW,
            today(),
            2026,
            1,
            Step::Publish { findings: vec![] },
        )
        .await;
    assert!(matches!(
        unfinished,
        Err(StoreError::Invalid { field: "year", .. })
    ));
});

dbtest!(
    a_published_version_is_frozen_and_the_ledger_append_only,
    |db| {
        let o = organ(&db, "甲局").await;
        in_state(&db, o, "甲局", 2024, ReportState::Published).await;
        assert!(
            db.execute_raw("UPDATE report_versions SET report_json = '{}'")
                .await
                .is_err()
        );
        assert!(db.execute_raw("DELETE FROM report_versions").await.is_err());
        assert!(
            db.execute_raw("UPDATE report_steps SET kind = 'drafted'")
                .await
                .is_err()
        );
        assert!(db.execute_raw("DELETE FROM report_steps").await.is_err());
        // A draft may still change through the door.
        in_state(&db, o, "甲局", 2023, ReportState::Drafting).await;
        let edited = db
        .append_report_step(
            &Actor::system("test"),
            OrganScope::system(o),
            NOW,
            today(),
            2023,
            1,
            Step::Edit {
                report: json!({ "agency": "甲局", "year": 2023, "narrative": { "problems": "无" } }),
                note: None,
            },
        )
        .await
        .unwrap();
        assert_eq!(edited.report["narrative"]["problems"], "无");
    }
);

dbtest!(
    a_correction_is_a_new_version_and_the_earlier_is_kept_superseded,
    |db| {
        let o = organ(&db, "甲局").await;
        let scope = OrganScope::system(o);
        let sys = Actor::system("test");
        in_state(&db, o, "甲局", 2024, ReportState::Published).await;
        // A draft cannot be started beside a draft, and a correction needs its note.
        let no_note = db
            .start_report(
                &sys,
                scope,
                NOW,
                today(),
                2024,
                &document("甲局", 2024),
                None,
            )
            .await;
        assert!(matches!(
            no_note,
            Err(StoreError::Invalid { field: "note", .. })
        ));
        let v2 = db
            .start_report(
                &sys,
                scope,
                NOW,
                today(),
                2024,
                &document("甲局", 2024),
                Some("更正表三第二行。"),
            )
            .await
            .unwrap();
        assert_eq!(v2.number, 2);
        let twice = db
            .start_report(
                &sys,
                scope,
                NOW,
                today(),
                2024,
                &document("甲局", 2024),
                Some("再改"),
            )
            .await;
        assert!(matches!(twice, Err(StoreError::NotAllowed(_))));
        // Until the correction is published the portal keeps version 1.
        let shown = db.published_report(o, 2024).await.unwrap().unwrap();
        assert_eq!(shown.version.number, 1);
        for step in [Step::Submit, Step::Sign, Step::Publish { findings: vec![] }] {
            db.append_report_step(&sys, scope, NOW, today(), 2024, 2, step)
                .await
                .unwrap();
        }
        let shown = db.published_report(o, 2024).await.unwrap().unwrap();
        assert_eq!(shown.version.number, 2);
        assert_eq!(
            shown.version.correction_note.as_deref(),
            Some("更正表三第二行。")
        );
        let earlier: Vec<i64> = shown
            .earlier
            .iter()
            .map(|v: &ReportVersion| v.number)
            .collect();
        assert_eq!(earlier, vec![1]);
        assert_eq!(shown.earlier[0].state(), ReportState::Superseded);
        assert!(db.published_version(o, 2024, 1).await.unwrap().is_some());
        // Withdrawal keeps the history and takes the year off the portal.
        db.append_report_step(
            &sys,
            scope,
            NOW,
            today(),
            2024,
            2,
            Step::Withdraw {
                reason: "口径有误".into(),
            },
        )
        .await
        .unwrap();
        assert!(db.published_report(o, 2024).await.unwrap().is_none());
        assert_eq!(db.report_versions_of(scope, 2024).await.unwrap().len(), 2);
    }
);

dbtest!(
    deadline_settings_refuse_a_local_deadline_after_the_statutes,
    |db| {
        use gongkai_store::report_version::ReportSettings;
        let o = organ(&db, "甲局").await;
        let sys = Actor::system("test");
        let scope = OrganScope::system(o);
        assert_eq!(
            db.report_settings(o).await.unwrap(),
            ReportSettings::default()
        );
        let late = ReportSettings {
            whole_area: false,
            local_deadline: Some((2, 10)),
        };
        assert!(matches!(
            db.put_report_settings(&sys, scope, NOW, late).await,
            Err(StoreError::Invalid { .. })
        ));
        let set = ReportSettings {
            whole_area: true,
            local_deadline: Some((3, 10)),
        };
        db.put_report_settings(&sys, scope, NOW, set).await.unwrap();
        assert_eq!(db.report_settings(o).await.unwrap(), set);
    }
);

dbtest!(versions_and_their_ledger_survive_backup_and_restore, |db| {
    let o = organ(&db, "甲局").await;
    in_state(&db, o, "甲局", 2024, ReportState::Published).await;
    in_state(&db, o, "甲局", 2025, ReportState::Drafting).await;
    let dump = db.dump().await.unwrap();
    assert_eq!(dump["version"], gongkai_store::backup::VERSION);
    let target = gongkai_store::testing::TestDb::sqlite().await;
    target.restore(&dump).await.unwrap();
    assert_eq!(target.dump().await.unwrap(), dump);
    let shown = target.published_report(o, 2024).await.unwrap().unwrap();
    assert_eq!(shown.version.state(), ReportState::Published);
    // Restored, the published version is as frozen as it was.
    assert!(
        target
            .execute_raw("UPDATE report_versions SET report_json = '{}'")
            .await
            .is_err()
    );
});
