//! Imported annual reports (provenance, supersession with history, previous years) and the
//! superior office's subtree scopes, on SQLite and (with `GONGKAI_TEST_DATABASE_URL`)
//! PostgreSQL.

use gongkai_store::organ::OrganSettings;
use gongkai_store::report_import::{NewImport, ReportSource};
use gongkai_store::user::NewUser;
use gongkai_store::{Actor, OrganScope, Permission, Role, Store, StoreError, dbtest};
use serde_json::{Value, json};

const NOW: i64 = 1_700_000_000;

async fn organ(store: &Store, name: &str, parent: Option<i64>) -> i64 {
    let settings = OrganSettings {
        name: name.to_owned(),
        level: "县级".into(),
        office_name: "综合办公室".into(),
        ..OrganSettings::default()
    };
    store
        .create_organ(&Actor::system("test"), NOW, parent, &settings)
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

fn report(agency: &str, year: i32) -> Value {
    json!({"schema": "gongkai.annual-report/1", "agency": agency, "year": year,
           "template": "2021", "proactive": null, "applications": null, "appeals": null})
}

fn import<'a>(year: i32, report: &'a Value, context: &'a Value, file: &'a str) -> NewImport<'a> {
    NewImport {
        year,
        report,
        context,
        file_name: file,
        sha256: "ab12",
        format: "pdf",
        read_notes: 3,
    }
}

dbtest!(a_reimport_supersedes_and_keeps_the_history, |db| {
    let id = organ(&db, "海拉尔区", None).await;
    let scope = OrganScope::system(id);
    let actor = Actor::system("import");
    let context = json!({"narrative": "一、总体情况", "truncated": false, "unread": []});
    let first = report("海拉尔区人民政府", 2022);
    let a = db
        .import_report(
            &actor,
            scope,
            NOW,
            &import(2022, &first, &context, "2022.pdf"),
        )
        .await
        .unwrap();
    assert_eq!(
        (a.year, a.file_name.as_str(), a.read_notes),
        (2022, "2022.pdf", 3)
    );
    assert_eq!(a.imported_by, "system:import");
    assert_eq!(a.context, context);
    let mut second = report("海拉尔区人民政府", 2022);
    second["agency"] = json!("海拉尔区人民政府办公室");
    let b = db
        .import_report(
            &actor,
            scope,
            NOW + 60,
            &import(2022, &second, &context, "2022-v2.pdf"),
        )
        .await
        .unwrap();
    let current = db.current_import(scope, 2022).await.unwrap().unwrap();
    assert_eq!(current.id, b.id);
    assert_eq!(current.report, second);
    let all = db.report_imports(scope).await.unwrap();
    let ids: Vec<(i64, Option<i64>)> = all.iter().map(|i| (i.id, i.superseded_by)).collect();
    assert_eq!(ids, vec![(b.id, None), (a.id, Some(b.id))]);
    let log = db.audit_log(scope, 10, 0).await.unwrap();
    assert_eq!(log[0].action, "report_import.supersede");
    assert_eq!(log[0].before.as_ref().unwrap()["file_name"], "2022.pdf");
    assert_eq!(log[0].after.as_ref().unwrap()["file_name"], "2022-v2.pdf");
    assert_eq!(log[1].action, "report_import.create");
    // Another organ's year is untouched.
    let other = organ(&db, "满洲里市", None).await;
    assert!(
        db.current_import(OrganScope::system(other), 2022)
            .await
            .unwrap()
            .is_none()
    );
});

dbtest!(previous_years_come_from_publication_or_import, |db| {
    // Deliver 7: an adopting organ's earlier reports are its previous years.
    let id = organ(&db, "开发区", None).await;
    let scope = OrganScope::system(id);
    let actor = Actor::system("t");
    let context = json!({});
    let r2020 = report("开发区管委会", 2020);
    db.import_report(
        &actor,
        scope,
        NOW,
        &import(2020, &r2020, &context, "2020.docx"),
    )
    .await
    .unwrap();
    let prev = db.previous_report(scope, 2021).await.unwrap().unwrap();
    assert_eq!(prev.year, 2020);
    assert!(matches!(&prev.source, ReportSource::Imported(i) if i.file_name == "2020.docx"));
    // A report published on gongkai wins over an import of the same year.
    db.import_report(
        &actor,
        scope,
        NOW,
        &import(2021, &report("旧", 2021), &context, "x.pdf"),
    )
    .await
    .unwrap();
    let published = report("开发区管委会", 2021);
    db.put_annual_report(&actor, scope, NOW + 5, 2021, &published)
        .await
        .unwrap();
    let prev = db.previous_report(scope, 2022).await.unwrap().unwrap();
    assert_eq!(prev.report, published);
    assert_eq!(
        prev.source,
        ReportSource::Published {
            // NOW + 5 is 2023-11-14 22:13 UTC: 15 November in Beijing.
            published_on: time::Date::from_calendar_date(2023, time::Month::November, 15).unwrap()
        }
    );
    assert!(db.previous_report(scope, 2020).await.unwrap().is_none());
});

dbtest!(report_supervision_reaches_the_subtree_only, |db| {
    let city = organ(&db, "市政府", None).await;
    let county = organ(&db, "县政府", Some(city)).await;
    let bureau = organ(&db, "县教育局", Some(county)).await;
    let other_city = organ(&db, "邻市", None).await;
    let head = user(&db, city, "city_head", Role::Head).await;
    let county_head = user(&db, county, "county_head", Role::Head).await;
    let handler = user(&db, city, "city_handler", Role::CaseHandler).await;
    let p = Permission::SuperviseReports;
    // Down the tree, at any depth.
    for organ in [city, county, bureau] {
        let scope = db.subtree_scope(head, organ, p).await.unwrap();
        assert_eq!(scope.organ_id(), organ);
    }
    // Never sideways, never upwards.
    assert!(matches!(
        db.subtree_scope(head, other_city, p).await,
        Err(StoreError::Forbidden)
    ));
    assert!(matches!(
        db.subtree_scope(county_head, city, p).await,
        Err(StoreError::Forbidden)
    ));
    assert!(db.subtree_scope(county_head, bureau, p).await.is_ok());
    // Only supervision reaches down: a superior's head does not handle a county's cases.
    let cases = db
        .subtree_scope(head, county, Permission::HandleCases)
        .await;
    assert!(matches!(cases, Err(StoreError::Forbidden)));
    assert!(matches!(
        db.subtree_scope(handler, county, p).await,
        Err(StoreError::Forbidden)
    ));
    // The subtree, parents before children; descendant scopes stay inside it.
    let scope = OrganScope::system(city);
    let tree: Vec<(i64, u32)> = db
        .subtree(scope)
        .await
        .unwrap()
        .iter()
        .map(|(o, d)| (o.id, *d))
        .collect();
    assert_eq!(tree, vec![(city, 0), (county, 1), (bureau, 2)]);
    assert!(db.descendant_scope(scope, bureau).await.is_ok());
    let outside = db.descendant_scope(OrganScope::system(county), city).await;
    assert!(matches!(outside, Err(StoreError::NotFound(_))));
    assert_eq!(db.ancestors(bureau).await.unwrap(), vec![county, city]);
});

dbtest!(imports_are_in_the_backup, |db| {
    let id = organ(&db, "区政府", None).await;
    let scope = OrganScope::system(id);
    let r = report("区政府", 2022);
    let context = json!({"truncated": true});
    db.import_report(
        &Actor::system("t"),
        scope,
        NOW,
        &import(2022, &r, &context, "a.pdf"),
    )
    .await
    .unwrap();
    let dump = db.dump().await.unwrap();
    assert_eq!(dump["version"], 5);
    assert_eq!(dump["tables"]["report_imports"][0]["file_name"], "a.pdf");
    let target = gongkai_store::testing::TestDb::sqlite().await;
    target.restore(&dump).await.unwrap();
    let back = target.current_import(scope, 2022).await.unwrap().unwrap();
    assert_eq!((back.report, back.context), (r, context));
});

/// The seed's report (every cell 0) as the organ's imported report of `year`, with `carried`
/// natural persons' applications 结转下年度 and `in_force` 规章 现行有效.
fn imported_year(agency: &str, year: i32, carried: u64, in_force: u64) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seed/2022_hulunbuir_jingkaiqu.json");
    let text = std::fs::read_to_string(path).expect("the seed");
    let mut doc: Value = serde_json::from_str(&text).expect("seed JSON");
    doc["agency"] = json!(agency);
    doc["year"] = json!(year);
    for key in ["natural_person", "total"] {
        doc["applications"]["new_received"][key] = json!(carried);
        doc["applications"]["carried_forward"][key] = json!(carried);
    }
    doc["proactive"]["regulations"]["issued"] = json!(in_force);
    doc["proactive"]["regulations"]["in_force"] = json!(in_force);
    doc
}

dbtest!(
    an_adopting_organs_imported_last_year_is_the_computations_baseline,
    |db| {
        // An organ that adopted gongkai in 2025 imported its 2024 report: 2025's 二、上年结转 starts
        // from 2024's 四、结转下年度 (the 勾稽关系 across years, spec/domain.md §4.5 4) and 现行有效
        // from 2024's (§4.5 6); 2026 has no imported previous year and counts records only. The five
        // carried cases must still be entered (with their 2024 receipt dates) for 2025 to balance:
        // until they are, T3-BALANCE refuses its publication.
        let organ_id = organ(&db, "开发区管委会", None).await;
        let scope = OrganScope::system(organ_id);
        let actor = Actor::system("test");
        let last_year = imported_year("开发区管委会", 2024, 5, 3);
        db.import_report(
            &actor,
            scope,
            NOW,
            &import(2024, &last_year, &json!({}), "2024.pdf"),
        )
        .await
        .unwrap();
        let y2025 = db.organ_report(scope, 2025).await.unwrap().to_json();
        assert_eq!(y2025["applications"]["carried_over"]["natural_person"], 5);
        assert_eq!(y2025["applications"]["carried_over"]["total"], 5);
        assert_eq!(y2025["proactive"]["regulations"]["in_force"], 3);
        let y2026 = db.organ_report(scope, 2026).await.unwrap().to_json();
        assert_eq!(y2026["applications"]["carried_over"]["total"], 0);
    }
);
