//! The superior office's pages end to end through the router: the demo organ's subtree with
//! each organ's report state and findings, the consolidated report and its drill-down, the
//! upload of subordinate reports, and isolation (a subordinate's staff and another subtree's get
//! 404). Each test runs on SQLite and (with GONGKAI_TEST_DATABASE_URL) PostgreSQL.

mod util;

use axum::http::StatusCode;
use gongkai_store::{Actor, OrganScope, Role, dbtest};
use gongkai_web::demo::superior::{IMPORTED, IMPORTED_FILE, ON_GONGKAI, SUBORDINATE_HEAD};
use gongkai_web::demo::{DEMO_PASSWORD, DEMO_REPORT_JSON};
use serde_json::{Value, json};

use util::{START, TestApp};

/// The demo organ.
const DEMO: i64 = 1;

async fn with_subordinates(app: &TestApp) -> (i64, i64) {
    gongkai_web::demo::superior::load(&app.db, &app.state.passwords, DEMO, START)
        .await
        .expect("demo subordinates");
    let again = gongkai_web::demo::superior::load(&app.db, &app.state.passwords, DEMO, START)
        .await
        .expect("idempotent");
    assert_eq!(again, 0);
    let on = app.db.find_organ(ON_GONGKAI.1).await.unwrap().unwrap().id;
    let imported = app.db.find_organ(IMPORTED.1).await.unwrap().unwrap().id;
    (on, imported)
}

fn seed_as(agency: &str) -> Value {
    let mut v: Value = serde_json::from_str(DEMO_REPORT_JSON).unwrap();
    v["agency"] = json!(agency);
    v
}

/// The row of `organ_id` in the organs table, as text.
fn organ_row(page: &util::Resp, organ_id: i64) -> String {
    page.text(&format!("#organ-{organ_id}"))
}

dbtest!(
    the_superior_sees_states_findings_and_the_cell_by_cell_sum,
    |db| {
        let app = TestApp::with_demo(db).await;
        let (on, imported) = with_subordinates(&app).await;
        // The subordinate on gongkai publishes its 2022 report, with 3 new applications.
        let mut published = seed_as(ON_GONGKAI.0);
        for key in ["natural_person", "total"] {
            published["applications"]["new_received"][key] = json!(3);
            published["applications"]["granted"][key] = json!(3);
            published["applications"]["total_handled"][key] = json!(3);
        }
        gongkai_web::annual::publish_document(
            &app.db,
            &Actor::system("t"),
            OrganScope::system(on),
            START,
            gongkai_web::site_date(START),
            &published,
            Some("测试：按发布前的审阅"),
        )
        .await
        .unwrap();
        let mut admin = app.logged_in_as_demo_admin().await;
        let page = admin.get("/console/organs/1/superior?year=2022").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        // States: the import prints no date; the two published on gongkai were published
        // (in this test) in 2026, after the art. 49 deadline of 2023-01-31.
        let row = organ_row(&page, imported);
        assert!(row.contains("已导入（报告未印日期）"), "{row}");
        assert!(row.contains(IMPORTED_FILE), "{row}");
        assert!(row.contains("SHA-256"), "{row}");
        // The import keeps its printed numbers; its findings are shown beside the sum.
        assert!(row.contains("T3-ROW-SUM"), "{row}");
        assert!(organ_row(&page, on).contains("逾期发布"));
        assert!(organ_row(&page, on).contains("未发现问题"));
        assert!(organ_row(&page, DEMO).contains("2023年1月31日"));
        // The sum: 0 (the demo organ) + 3 (社会事务局) + 5 (建设局, printed with 总计 0).
        let sum = page.text("#sum-2");
        assert!(
            sum.contains("表三 一、本年新收政府信息公开申请数量 自然人8"),
            "{sum}"
        );
        assert!(
            sum.contains("表三 一、本年新收政府信息公开申请数量 总计3"),
            "{sum}"
        );
        let cell = "/console/organs/1/superior/cell?year=2022&section=applications&row=new_received&column=natural_person";
        assert!(page.links().iter().any(|l| l == cell), "{:?}", page.links());
        let drill = admin.get(cell).await;
        assert_eq!(drill.status, StatusCode::OK, "{}", drill.body);
        assert_eq!(drill.text("#sum-value"), "合计：8");
        let rows = drill.text("#contributions tbody");
        assert!(
            rows.contains(&format!("{}导入：{IMPORTED_FILE}5", IMPORTED.0)),
            "{rows}"
        );
        assert!(
            rows.contains(&format!("{}本平台发布3", ON_GONGKAI.0)),
            "{rows}"
        );
        assert!(rows.contains("呼伦贝尔经济技术开发区本平台发布0"), "{rows}");
        // A cell that is not one of the template's is not found.
        let r = admin
            .get(
                "/console/organs/1/superior/cell?year=2022&section=applications&row=x&column=total",
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
);

dbtest!(a_subordinates_staff_and_another_subtrees_get_404, |db| {
    let app = TestApp::with_demo(db).await;
    let (on, _) = with_subordinates(&app).await;
    let other = app.organ("邻区人民政府").await;
    app.staff(other, "other_head", Role::Head).await;
    app.staff(DEMO, "demo_editor2", Role::Editor).await;
    let mut sub = app.client();
    let r = sub.login(SUBORDINATE_HEAD, DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for path in [
        "/console/organs/1/superior?year=2022",
        "/console/organs/1/superior/cell?year=2022&section=appeals&row=reconsideration&column=total",
    ] {
        assert_eq!(sub.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
        let mut other_head = app.logged_in("other_head").await;
        assert_eq!(
            other_head.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
        // A role of the organ itself without supervision: not found either.
        let mut editor = app.logged_in("demo_editor2").await;
        assert_eq!(
            editor.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // The subordinate's head supervises only its own subtree (itself), never its superior.
    let own = sub
        .get(&format!("/console/organs/{on}/superior?year=2022"))
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(!own.body.contains("呼伦贝尔经济技术开发区建设局"));
    // The demo's head reaches the subordinate's page; another subtree's head does not.
    let mut head = app.client();
    head.login("fuzeren", DEMO_PASSWORD).await;
    let path = format!("/console/organs/{on}/superior?year=2022");
    assert_eq!(head.get(&path).await.status, StatusCode::OK);
    let mut other_head = app.logged_in("other_head").await;
    assert_eq!(other_head.get(&path).await.status, StatusCode::NOT_FOUND);
    // Anonymous: the log-in page.
    let r = app.client().get("/console/organs/1/superior").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
});

dbtest!(
    uploaded_reports_are_read_checked_and_stored_with_provenance,
    |db| {
        let app = TestApp::with_demo(db).await;
        let (on, _) = with_subordinates(&app).await;
        let other = app.organ("邻区人民政府").await;
        let mut admin = app.logged_in_as_demo_admin().await;
        let csrf = admin.csrf().await;
        let good = seed_as(ON_GONGKAI.0).to_string();
        let mut earlier = seed_as(ON_GONGKAI.0);
        earlier["year"] = json!(2021);
        let earlier = earlier.to_string();
        let foreign = seed_as("满洲里市人民政府").to_string();
        let path = "/console/organs/1/superior/import";
        let on_text = on.to_string();
        let files: [(&str, &str, &[u8]); 4] = [
            ("files", "报告/2022.json", good.as_bytes()),
            ("files", "报告/2021.json", earlier.as_bytes()),
            ("files", "报告/满洲里.json", foreign.as_bytes()),
            (
                "files",
                "报告/图片.png",
                b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01",
            ),
        ];
        // Without the CSRF token: refused, nothing stored.
        let audit = app.db.audit_count().await.unwrap();
        let r = util::post_multipart(
            &app,
            &admin,
            path,
            &[("csrf", ""), ("organ", &on_text), ("year", "2022")],
            &files,
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(app.db.audit_count().await.unwrap(), audit);
        // An organ outside the subtree: not found, nothing stored.
        let other_text = other.to_string();
        let r = util::post_multipart(
            &app,
            &admin,
            path,
            &[("csrf", &csrf), ("organ", &other_text), ("year", "2022")],
            &files,
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(app.db.audit_count().await.unwrap(), audit);

        let r = util::post_multipart(
            &app,
            &admin,
            path,
            &[("csrf", &csrf), ("organ", &on_text), ("year", "2022")],
            &files,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let results = r.text("#import-results");
        assert!(
            results.contains(&format!("2022.json：已导入为{}2022年度报告", ON_GONGKAI.0)),
            "{results}"
        );
        assert!(
            results.contains(&format!("2021.json：已导入为{}2021年度报告", ON_GONGKAI.0)),
            "{results}"
        );
        assert!(results.contains("满洲里.json：报告的机关“满洲里市人民政府”与“呼伦贝尔经济技术开发区社会事务局”不符，未导入。"), "{results}");
        assert!(
            results.contains("图片.png：无法读取为年度报告"),
            "{results}"
        );
        let scope = OrganScope::system(on);
        let stored = app.db.current_import(scope, 2022).await.unwrap().unwrap();
        assert_eq!(stored.file_name, "2022.json");
        assert_eq!(stored.format, "json");
        assert_eq!(stored.imported_by, "admin");
        assert_eq!(
            stored.sha256,
            gongkai_store::report_import::sha256_hex(good.as_bytes())
        );
        assert_eq!(app.db.report_imports(scope).await.unwrap().len(), 2);
        // 2021 is now the organ's previous year: the page checks 2022 against it.
        let page = admin.get("/console/organs/1/superior?year=2022").await;
        let row = organ_row(&page, on);
        assert!(row.contains("导入：2022.json"), "{row}");
        assert!(row.contains("admin"), "{row}");
    }
);
