//! The store's tests, each run on SQLite and (with `GONGKAI_TEST_DATABASE_URL`) PostgreSQL.

use gongkai_store::organ::OrganSettings;
use gongkai_store::session::SessionLimits;
use gongkai_store::testing::TestDb;
use gongkai_store::throttle::{Admission, LockPolicy, LockState};
use gongkai_store::user::NewUser;
use gongkai_store::{Actor, OrganScope, Permission, Role, Store, StoreError, dbtest};

const NOW: i64 = 1_700_000_000;

fn settings(name: &str) -> OrganSettings {
    OrganSettings {
        name: name.to_owned(),
        level: "县级".into(),
        office_name: "综合办公室".into(),
        site_domain: format!("{}.example.gov.cn", name.len()),
        ..OrganSettings::default()
    }
}

async fn organ(store: &Store, name: &str, parent: Option<i64>) -> i64 {
    store
        .create_organ(&Actor::system("test"), NOW, parent, &settings(name))
        .await
        .expect("create organ")
        .id
}

async fn user(store: &Store, organ_id: i64, username: &str, role: Role) -> i64 {
    store
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
        .expect("create user")
        .id
}

dbtest!(organs_form_a_tree, |db| {
    let root = organ(&db, "呼伦贝尔市", None).await;
    let child = organ(&db, "呼伦贝尔经济技术开发区", Some(root)).await;
    let other = organ(&db, "海拉尔区", Some(root)).await;
    let children: Vec<i64> = db
        .child_organs(root)
        .await
        .unwrap()
        .iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(children, vec![child, other]);
    assert_eq!(db.organ(child).await.unwrap().parent_id, Some(root));
    assert_eq!(
        db.first_root_organ().await.unwrap().map(|o| o.id),
        Some(root)
    );
    assert_eq!(
        db.find_organ("海拉尔区").await.unwrap().map(|o| o.id),
        Some(other)
    );
    assert!(matches!(db.organ(9999).await, Err(StoreError::NotFound(_))));
});

dbtest!(organ_update_is_audited_with_before_and_after, |db| {
    let id = organ(&db, "开发区", None).await;
    let mut new = db.organ(id).await.unwrap().settings;
    new.office_phone = "0470-2773823".into();
    new.credit_code = "".into();
    let actor = Actor::system("test");
    let after = db
        .update_organ_settings(&actor, OrganScope::system(id), NOW + 5, &new)
        .await
        .unwrap();
    assert_eq!(after.settings.office_phone, "0470-2773823");
    let log = db.audit_log(OrganScope::system(id), 10, 0).await.unwrap();
    assert_eq!(log.len(), 2, "{log:?}");
    let update = &log[0];
    assert_eq!(update.action, "organ.update");
    assert_eq!(update.at, NOW + 5);
    assert_eq!(update.actor_name, "system:test");
    let before = update.before.as_ref().unwrap();
    let after = update.after.as_ref().unwrap();
    assert_eq!(before["office_phone"], "");
    assert_eq!(after["office_phone"], "0470-2773823");
    assert_eq!(log[1].action, "organ.create");
});

dbtest!(organs_without_credit_code_do_not_conflict, |db| {
    organ(&db, "甲", None).await;
    organ(&db, "乙", None).await;
    let mut s = settings("丙");
    s.credit_code = "11150700MB1234567X".into();
    db.create_organ(&Actor::system("t"), NOW, None, &s)
        .await
        .unwrap();
    s.name = "丁".into();
    let dup = db.create_organ(&Actor::system("t"), NOW, None, &s).await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
});

dbtest!(staff_scope_is_granted_only_on_own_organ, |db| {
    let a = organ(&db, "甲机关", None).await;
    let b = organ(&db, "乙机关", None).await;
    let admin = user(&db, a, "admin_a", Role::Administrator).await;
    let editor = user(&db, a, "editor_a", Role::Editor).await;
    assert!(
        db.staff_scope(admin, a, Permission::EditSettings)
            .await
            .is_ok()
    );
    assert!(matches!(
        db.staff_scope(admin, b, Permission::ViewConsole).await,
        Err(StoreError::Forbidden)
    ));
    assert!(matches!(
        db.staff_scope(editor, a, Permission::EditSettings).await,
        Err(StoreError::Forbidden)
    ));
    assert!(
        db.staff_scope(editor, a, Permission::ViewConsole)
            .await
            .is_ok()
    );
    // A second role on another organ is granted explicitly and audited there.
    db.grant_role(
        &Actor::system("t"),
        OrganScope::system(b),
        NOW,
        editor,
        Role::Head,
    )
    .await
    .unwrap();
    assert!(
        db.staff_scope(editor, b, Permission::ViewAudit)
            .await
            .is_ok()
    );
    let staff_a: Vec<String> = db
        .staff(OrganScope::system(a))
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.user.username)
        .collect();
    assert_eq!(staff_a, vec!["admin_a", "editor_a"]);
    let staff_b = db.staff(OrganScope::system(b)).await.unwrap();
    assert_eq!(staff_b.len(), 1);
    assert_eq!(staff_b[0].roles, vec![Role::Head]);
});

dbtest!(
    duplicate_username_is_a_conflict_and_nothing_is_saved,
    |db| {
        let a = organ(&db, "甲机关", None).await;
        user(&db, a, "same", Role::Editor).await;
        let audit_before = db.audit_count().await.unwrap();
        let again = db
            .create_user(
                &Actor::system("t"),
                OrganScope::system(a),
                NOW,
                &NewUser {
                    username: "same",
                    display_name: "x",
                    password_hash: "x",
                },
                Role::Administrator,
            )
            .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        assert_eq!(db.audit_count().await.unwrap(), audit_before);
        assert_eq!(db.user_count().await.unwrap(), 1);
    }
);

dbtest!(sessions_expire_after_idle_timeout, |db| {
    let a = organ(&db, "甲机关", None).await;
    let u = user(&db, a, "u", Role::Editor).await;
    let new = db.create_session(u, NOW).await.unwrap();
    let idle = SessionLimits {
        idle_seconds: 600,
        lifetime_seconds: 12 * 3600,
    };
    let s = db
        .session(&new.token, NOW + 599, idle)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.user_id, u);
    assert_eq!(s.csrf_token, new.session.csrf_token);
    // Used at +599, so still alive at +1100 (idle 501 s).
    assert!(
        db.session(&new.token, NOW + 1100, idle)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        db.session(&new.token, NOW + 1701, idle)
            .await
            .unwrap()
            .is_none()
    );
    // Once expired it is gone for good.
    assert!(
        db.session(&new.token, NOW + 1100, idle)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.session("not-a-token", NOW, idle)
            .await
            .unwrap()
            .is_none()
    );
    let other = db.create_session(u, NOW).await.unwrap();
    db.delete_session(&other.token).await.unwrap();
    assert!(db.session(&other.token, NOW, idle).await.unwrap().is_none());
});

dbtest!(
    sessions_end_after_their_absolute_lifetime_however_busy,
    |db| {
        let a = organ(&db, "甲机关", None).await;
        let u = user(&db, a, "u", Role::Editor).await;
        let new = db.create_session(u, NOW).await.unwrap();
        let limits = SessionLimits {
            idle_seconds: 600,
            lifetime_seconds: 3600,
        };
        // Used every five minutes, it is never idle, yet ends an hour after the login.
        let mut t = NOW;
        while t + 300 <= NOW + 3600 {
            t += 300;
            assert!(
                db.session(&new.token, t, limits).await.unwrap().is_some(),
                "{t}"
            );
        }
        assert!(
            db.session(&new.token, NOW + 3601, limits)
                .await
                .unwrap()
                .is_none()
        );
        let kept = db.create_session(u, NOW + 3000).await.unwrap();
        assert_eq!(db.purge_sessions(NOW + 3500, limits).await.unwrap(), 0);
        assert_eq!(db.purge_sessions(NOW + 6601, limits).await.unwrap(), 1);
        assert!(
            db.session(&kept.token, NOW + 6601, limits)
                .await
                .unwrap()
                .is_none()
        );
    }
);

dbtest!(repeated_failures_lock_then_the_lock_expires, |db| {
    let policy = LockPolicy {
        max_failures: 3,
        window_seconds: 300,
        lock_seconds: 600,
    };
    assert_eq!(
        db.record_login_failure("x", "198.51.100.7", NOW, policy)
            .await
            .unwrap(),
        LockState::Open { failures: 1 }
    );
    db.record_login_failure("x", "198.51.100.7", NOW + 1, policy)
        .await
        .unwrap();
    let locked = db
        .record_login_failure("x", "198.51.100.7", NOW + 2, policy)
        .await
        .unwrap();
    assert_eq!(locked, LockState::Locked { until: NOW + 602 });
    assert_eq!(
        db.lock_state("x", NOW + 601, policy).await.unwrap(),
        LockState::Locked { until: NOW + 602 }
    );
    assert_eq!(
        db.lock_state("x", NOW + 602, policy).await.unwrap(),
        LockState::Open { failures: 0 }
    );
    // After the lock the count starts again.
    assert_eq!(
        db.record_login_failure("x", "198.51.100.7", NOW + 700, policy)
            .await
            .unwrap(),
        LockState::Open { failures: 1 }
    );
    // A success takes back its own count only.
    assert_eq!(
        db.begin_login_attempt("x", "198.51.100.7", NOW + 701, policy)
            .await
            .unwrap(),
        Admission::Admitted
    );
    db.login_attempt_succeeded("x", "198.51.100.7")
        .await
        .unwrap();
    assert_eq!(
        db.lock_state("x", NOW + 702, policy).await.unwrap(),
        LockState::Open { failures: 1 }
    );
    // Failures spread wider than the window never lock.
    for i in 0..5 {
        let s = db
            .record_login_failure("y", "198.51.100.7", NOW + i * 301, policy)
            .await
            .unwrap();
        assert_eq!(s, LockState::Open { failures: 1 });
    }
});

dbtest!(audit_rows_are_never_updated_or_deleted, |db| {
    organ(&db, "甲机关", None).await;
    assert_eq!(db.audit_count().await.unwrap(), 1);
    assert!(
        db.execute_raw("UPDATE audit_log SET actor_name = 'x'")
            .await
            .is_err()
    );
    assert!(db.execute_raw("DELETE FROM audit_log").await.is_err());
    assert_eq!(db.audit_count().await.unwrap(), 1);
});

dbtest!(every_organ_owned_table_has_a_foreign_key_to_organs, |db| {
    // A row pointing at a missing organ is refused by the schema.
    let refused = db
        .execute_raw("INSERT INTO memberships (user_id, organ_id, role) VALUES (1, 4242, 'editor')")
        .await;
    assert!(refused.is_err());
});

dbtest!(
    backup_restores_into_an_empty_database_of_either_engine,
    |db| {
        let root = organ(&db, "呼伦贝尔市", None).await;
        let child = organ(&db, "开发区", Some(root)).await;
        user(&db, child, "admin", Role::Administrator).await;
        db.put_annual_report(
            &Actor::system("test"),
            OrganScope::system(child),
            NOW,
            2022,
            &serde_json::json!({"year": 2022, "note": "年报"}),
        )
        .await
        .unwrap();
        let dump = db.dump().await.unwrap();
        assert_eq!(
            dump["tables"]["annual_reports"].as_array().map(Vec::len),
            Some(1)
        );
        // Into a fresh SQLite database, whatever the source engine.
        let target = TestDb::sqlite().await;
        target.restore(&dump).await.unwrap();
        assert_eq!(target.dump().await.unwrap(), dump);
        // New ids continue after the restored ones.
        let next = organ(&target, "新机关", None).await;
        assert!(next > child);
        // A non-empty database is refused, and left as it was.
        let again = target.restore(&dump).await;
        assert!(
            matches!(again, Err(StoreError::InvalidState(_))),
            "{again:?}"
        );
        assert_eq!(target.organs().await.unwrap().len(), 3);
        let report = target.annual_report(child, 2022).await.unwrap().unwrap();
        assert_eq!(report.report["note"], "年报");
        if let Some(pg) = TestDb::postgres().await {
            pg.restore(&dump).await.unwrap();
            assert_eq!(pg.dump().await.unwrap(), dump);
            let next = organ(&pg, "新机关", None).await;
            assert!(next > child);
        }
    }
);

dbtest!(restore_rejects_a_foreign_document_and_saves_nothing, |db| {
    let bad = serde_json::json!({"format": "other", "version": 1, "tables": {}});
    assert!(matches!(
        db.restore(&bad).await,
        Err(StoreError::InvalidState(_))
    ));
    // A document whose second table is malformed restores nothing at all.
    let half = serde_json::json!({
        "format": "gongkai-backup",
        "version": 1,
        "tables": {
            "organs": [{"id": 1, "parent_id": null, "name": "甲", "credit_code": null,
                "level": "", "office_name": "", "office_address": "", "office_postcode": "",
                "office_hours": "", "office_phone": "", "office_fax": "", "office_email": "",
                "site_name": "", "site_domain": "", "site_id_code": "", "icp_record": "",
                "police_record": "", "sponsor": "", "organizer": "", "site_contact": "",
                "disclosure_rules": "", "created_at": 1}],
            "users": [{"id": "not a number"}]
        }
    });
    assert!(db.restore(&half).await.is_err());
    assert!(db.is_empty().await.unwrap());
});

#[tokio::test]
async fn sqlite_snapshot_is_a_working_database() {
    let db = TestDb::sqlite().await;
    organ(&db, "甲机关", None).await;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    db.sqlite_snapshot(&copy).await.unwrap();
    let reopened = Store::open(&gongkai_store::Location::SqliteFile(copy))
        .await
        .unwrap();
    assert_eq!(reopened.organs().await.unwrap().len(), 1);
}

#[test]
fn both_engines_have_the_same_migrations_and_columns() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let names = |engine: &str| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir.join(engine))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("sqlite"), names("postgres"));
    // Column names per table, read from the CREATE TABLE statements.
    let columns = |engine: &str| -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        for name in names(engine) {
            let sql = std::fs::read_to_string(dir.join(engine).join(&name)).unwrap();
            for block in sql.split("CREATE TABLE ").skip(1) {
                let (table, rest) = block.split_once(" (").unwrap();
                let body = rest.split("\n);").next().unwrap();
                let cols = body
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with("PRIMARY KEY"))
                    .map(|l| l.split_whitespace().next().unwrap().to_owned())
                    .collect();
                out.push((table.to_owned(), cols));
            }
        }
        out
    };
    let sqlite = columns("sqlite");
    assert_eq!(sqlite, columns("postgres"));
    assert!(sqlite.iter().any(|(t, _)| t == "audit_log"));
}

#[test]
fn every_organ_id_column_has_a_foreign_key_and_an_index() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for engine in ["sqlite", "postgres"] {
        for entry in std::fs::read_dir(dir.join(engine)).unwrap() {
            let sql = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for block in sql.split("CREATE TABLE ").skip(1) {
                let (table, rest) = block.split_once(" (").unwrap();
                let body = rest.split("\n);").next().unwrap();
                let Some(column) = body
                    .lines()
                    .map(str::trim)
                    .find(|l| l.starts_with("organ_id "))
                else {
                    continue;
                };
                assert!(
                    column.contains("REFERENCES organs (id)"),
                    "{engine}: {table}.organ_id has no foreign key"
                );
                // An index of its own, or a primary key that starts with it.
                let index = format!("ON {table} (organ_id)");
                assert!(
                    sql.contains(&index) || body.contains("PRIMARY KEY (organ_id"),
                    "{engine}: {table}.organ_id has no index"
                );
            }
        }
    }
}

dbtest!(concurrent_failures_are_all_counted, |db| {
    let policy = LockPolicy {
        max_failures: 1000,
        window_seconds: 300,
        lock_seconds: 600,
    };
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let store = db.store().clone();
        tasks.push(tokio::spawn(async move {
            store
                .record_login_failure("busy", "198.51.100.7", NOW, policy)
                .await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(
        db.lock_state("busy", NOW, policy).await.unwrap(),
        LockState::Open { failures: 16 }
    );
});

dbtest!(
    annual_reports_are_kept_per_organ_and_year_and_audited,
    |db| {
        let own = organ(&db, "甲机关", None).await;
        let other = organ(&db, "乙机关", None).await;
        let actor = Actor::system("test");
        let first = serde_json::json!({"agency": "甲机关", "year": 2022, "n": 1});
        let stored = db
            .put_annual_report(&actor, OrganScope::system(own), NOW, 2022, &first)
            .await
            .unwrap();
        assert_eq!((stored.organ_id, stored.year), (own, 2022));
        assert_eq!(stored.report, first);
        assert_eq!((stored.published_at, stored.updated_at), (NOW, NOW));
        db.put_annual_report(
            &actor,
            OrganScope::system(own),
            NOW + 5,
            2021,
            &serde_json::json!({"year": 2021}),
        )
        .await
        .unwrap();
        // Newest year first; another organ has none.
        let years: Vec<i32> = db
            .annual_reports(own)
            .await
            .unwrap()
            .iter()
            .map(|r| r.year)
            .collect();
        assert_eq!(years, vec![2022, 2021]);
        assert!(db.annual_reports(other).await.unwrap().is_empty());
        assert_eq!(db.annual_report(other, 2022).await.unwrap(), None);

        // Replacing keeps the first publication time and audits before and after.
        let second = serde_json::json!({"agency": "甲机关", "year": 2022, "n": 2});
        let replaced = db
            .put_annual_report(&actor, OrganScope::system(own), NOW + 60, 2022, &second)
            .await
            .unwrap();
        assert_eq!(
            (replaced.published_at, replaced.updated_at),
            (NOW, NOW + 60)
        );
        assert_eq!(
            db.annual_report(own, 2022).await.unwrap().map(|r| r.report),
            Some(second.clone())
        );
        let log = db.audit_log(OrganScope::system(own), 10, 0).await.unwrap();
        let newest = &log[0];
        assert_eq!(newest.action, "annual_report.replace");
        assert_eq!(newest.entity_id, format!("{own}/2022"));
        assert_eq!(newest.before.as_ref().map(|b| &b["report"]), Some(&first));
        assert_eq!(newest.after.as_ref().map(|a| &a["report"]), Some(&second));
        assert_eq!(log[1].action, "annual_report.publish");
        assert_eq!(log[1].before, None);
        // The other organ's audit log shows nothing of this.
        let other_log = db
            .audit_log(OrganScope::system(other), 10, 0)
            .await
            .unwrap();
        assert!(other_log.iter().all(|e| e.entity != "annual_report"));
    }
);

dbtest!(an_annual_report_of_a_missing_organ_is_refused, |db| {
    let audit_before = db.audit_count().await.unwrap();
    let refused = db
        .put_annual_report(
            &Actor::system("test"),
            OrganScope::system(4242),
            NOW,
            2022,
            &serde_json::json!({}),
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    assert_eq!(db.audit_count().await.unwrap(), audit_before);
});

#[tokio::test]
async fn sqlite_databases_use_the_wal_journal() {
    // WAL lets the portal read while the console writes; the mode is kept in the file, so a
    // plain connection of its own sees it.
    use sqlx::Connection;
    let db = TestDb::sqlite().await;
    organ(&db, "甲机关", None).await;
    let gongkai_store::Location::SqliteFile(path) = db.location().clone() else {
        panic!("not a SQLite test database");
    };
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&path);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    let mode: (String,) = sqlx::query_as("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(mode.0.to_lowercase(), "wal");
    assert!(path.with_extension("db-wal").exists());
}

dbtest!(a_backup_of_the_first_layout_still_restores, |db| {
    // Version 1 documents were written before annual reports existed.
    let v1 = serde_json::json!({
        "format": "gongkai-backup",
        "version": 1,
        "tables": {
            "organs": [{"id": 1, "parent_id": null, "name": "甲", "credit_code": null,
                "level": "", "office_name": "", "office_address": "", "office_postcode": "",
                "office_hours": "", "office_phone": "", "office_fax": "", "office_email": "",
                "site_name": "", "site_domain": "", "site_id_code": "", "icp_record": "",
                "police_record": "", "sponsor": "", "organizer": "", "site_contact": "",
                "disclosure_rules": "", "created_at": 1}]
        }
    });
    db.restore(&v1).await.unwrap();
    assert_eq!(db.organs().await.unwrap().len(), 1);
    assert!(db.annual_reports(1).await.unwrap().is_empty());
    // A layout newer than this program is refused.
    let target = TestDb::sqlite().await;
    let mut future = v1.clone();
    future["version"] = (gongkai_store::backup::VERSION + 1).into();
    assert!(matches!(
        target.restore(&future).await,
        Err(StoreError::InvalidState(_))
    ));
    assert!(target.is_empty().await.unwrap());
});

dbtest!(
    expired_login_counters_are_purged_and_running_locks_kept,
    |db| {
        let policy = LockPolicy {
            max_failures: 2,
            window_seconds: 300,
            lock_seconds: 600,
        };
        db.record_login_failure("stale", "198.51.100.7", NOW, policy)
            .await
            .unwrap();
        db.record_login_failure("locked", "198.51.100.7", NOW, policy)
            .await
            .unwrap();
        db.record_login_failure("locked", "198.51.100.7", NOW, policy)
            .await
            .unwrap();
        db.record_login_failure("fresh", "198.51.100.7", NOW + 290, policy)
            .await
            .unwrap();
        // At NOW + 301: the stale window is over; the lock runs until NOW + 600.
        assert_eq!(db.purge_login_failures(NOW + 301, policy).await.unwrap(), 1);
        assert_eq!(
            db.lock_state("locked", NOW + 301, policy).await.unwrap(),
            LockState::Locked { until: NOW + 600 }
        );
        assert_eq!(
            db.lock_state("fresh", NOW + 301, policy).await.unwrap(),
            LockState::Open { failures: 1 }
        );
        // Once the lock has run out it goes too.
        assert_eq!(db.purge_login_failures(NOW + 900, policy).await.unwrap(), 2);
    }
);
