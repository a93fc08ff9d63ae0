//! Items fulfil 标准目录 entries, and the demo's 2022 (issue 12), through the router on SQLite and
//! (with GONGKAI_TEST_DATABASE_URL) PostgreSQL: the editor's select and the API's
//! `catalogue_entry` take only the organ's own entries (422 otherwise, nothing saved); the item
//! page prints the entry's 事项名称; an entry an item points at is not deleted (409); the
//! console list shows each entry's linked items and the overdue flag with its reason, which the
//! public `/zwgk/bzml` does not; and the seed organ's 2022 loads as its report tells it — 388
//! items published in 2022, 40 公文, 解读 linked both ways, a 标准目录 — once.

mod util;

use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gongkai_core::calendar::Calendar;
use gongkai_store::catalogue::{EntryInput, Mode};
use gongkai_store::item::ItemStep;
use gongkai_store::{Actor, OrganScope, dbtest};
use gongkai_web::demo::DEMO_PASSWORD;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use util::{Client, START, TestApp};

/// The demo organ.
const DEMO: i64 = 1;
/// The demo's 编辑 (user 3 of the demo accounts).
const EDITOR: i64 = 3;

async fn demo_login(app: &TestApp, username: &str) -> Client {
    let mut client = app.client();
    let r = client.login(username, DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "login {username}");
    client
}

fn entry(name: &str, time_limit: &str) -> EntryInput {
    EntryInput {
        category: "机构信息".into(),
        name: name.into(),
        content: "职能、内设机构".into(),
        basis: "《中华人民共和国政府信息公开条例》".into(),
        subject: "呼伦贝尔经济技术开发区管理委员会".into(),
        time_limit: time_limit.into(),
        channels: "政府网站".into(),
        mode: Mode::Proactive,
        audience: String::new(),
        pilot_area: None,
    }
}

async fn add_entry(app: &TestApp, organ: i64, name: &str, time_limit: &str, listed: i64) -> i64 {
    app.db
        .create_catalogue_entry(
            &Actor::system("test"),
            OrganScope::system(organ),
            listed,
            &entry(name, time_limit),
        )
        .await
        .unwrap()
        .id
}

fn form<'a>(csrf: &'a str, title: &'a str, entry: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("title", title),
        ("formed", "2026-01-05"),
        ("topic", "综合政务"),
        ("kind", "other"),
        ("article20", "2"),
        ("openness", "proactive"),
        ("body", "管委会机构职能。"),
        ("catalogue_entry", entry),
    ]
}

async fn publish(app: &TestApp, id: i64) {
    let sys = Actor::system("test");
    let mut steps = vec![ItemStep::Submit {
        comment: String::new(),
    }];
    steps.extend((0..3).map(|_| ItemStep::Approve {
        comment: "同意".into(),
    }));
    for step in &steps {
        app.db
            .item_step(
                &sys,
                OrganScope::system(DEMO),
                id,
                step,
                app.state.today(),
                START,
            )
            .await
            .unwrap();
    }
}

async fn api(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let request = Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

dbtest!(
    the_editor_links_an_item_to_an_entry_of_the_organ_and_the_item_page_names_it,
    |db| {
        let app = TestApp::with_demo(db).await;
        let own = add_entry(&app, DEMO, "机构职能", "实时", START).await;
        let other_organ = app.organ("海拉尔区人民政府").await;
        let theirs = add_entry(&app, other_organ, "海拉尔区机构职能", "实时", START).await;
        let mut editor = demo_login(&app, "bianji").await;
        let new = format!("/console/organs/{DEMO}/items/new");
        let page = editor.get(&new).await;
        assert_eq!(page.status, StatusCode::OK);
        // The select offers the organ's own entries only.
        assert!(
            page.body.contains(&format!("<option value=\"{own}\">")),
            "{}",
            page.body
        );
        assert!(!page.body.contains("海拉尔区机构职能"));
        let csrf = editor.csrf().await;
        // Another organ's entry: 422 at the field, what was typed kept, nothing saved.
        let audit_before = app.db.audit_count().await.unwrap();
        let theirs_text = theirs.to_string();
        let r = editor
            .post(&new, &form(&csrf, "管委会机构职能", &theirs_text))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.text("#error-catalogue_entry").contains("标准目录"),
            "{}",
            r.body
        );
        assert_eq!(r.input("title").as_deref(), Some("管委会机构职能"));
        assert_eq!(app.db.audit_count().await.unwrap(), audit_before);
        assert!(
            app.db
                .items(OrganScope::system(DEMO))
                .await
                .unwrap()
                .is_empty()
        );
        // Not a number at all: the same field says so.
        let r = editor
            .post(&new, &form(&csrf, "管委会机构职能", "x1"))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#error-catalogue_entry").contains("标准目录"));
        // Its own entry: saved with the link, and the edit form keeps it selected.
        let own_text = own.to_string();
        let r = editor
            .post(&new, &form(&csrf, "管委会机构职能", &own_text))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let items = app.db.items(OrganScope::system(DEMO)).await.unwrap();
        assert_eq!(items.len(), 1);
        let id = items[0].id;
        assert_eq!(items[0].catalogue_entry_id, Some(own));
        let edit = editor
            .get(&format!("/console/organs/{DEMO}/items/{id}/edit"))
            .await;
        assert!(
            edit.body
                .contains(&format!("<option value=\"{own}\" selected>")),
            "{}",
            edit.body
        );
        // Published, its page prints the 事项名称 in the metadata table.
        publish(&app, id).await;
        let page = app.client().get(&format!("/zwgk/xxgk/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.text("#catalogue-entry"), "机构职能");
    }
);

dbtest!(
    the_api_takes_an_entry_of_the_organ_and_refuses_another_organs_with_422,
    |db| {
        let app = TestApp::with_demo(db).await;
        let own = add_entry(&app, DEMO, "机构职能", "实时", START).await;
        let other_organ = app.organ("海拉尔区人民政府").await;
        let theirs = add_entry(&app, other_organ, "机构职能", "实时", START).await;
        let token = app
            .db
            .create_api_token(&Actor::system("test"), EDITOR, "测试", START)
            .await
            .unwrap()
            .0;
        let base = format!("/api/v1/organs/{DEMO}/items");
        let body = |entry: i64| {
            json!({
                "title": "管委会机构职能",
                "category": "综合政务",
                "kind": "other",
                "formed": "2026-01-05",
                "body": "管委会机构职能。",
                "catalogue_entry": entry,
            })
        };
        let (status, err) = api(&app, &token, &base, body(theirs)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(err["field"], "catalogue_entry");
        assert!(
            app.db
                .items(OrganScope::system(DEMO))
                .await
                .unwrap()
                .is_empty()
        );
        let (status, created) = api(&app, &token, &base, body(own)).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["catalogue_entry"], own);
    }
);

dbtest!(
    the_console_list_counts_linked_items_and_flags_overdue_entries_that_the_portal_does_not_show,
    |db| {
        let app = TestApp::with_demo(db).await;
        // Listed 2025-11-03: art. 26's 20 working days ended on 2025-12-01, before 2026-01-05.
        let listed = START - 63 * 86_400;
        let fulfilled = add_entry(
            &app,
            DEMO,
            "机构职能",
            "信息形成或变更之日起20个工作日内",
            listed,
        )
        .await;
        add_entry(
            &app,
            DEMO,
            "领导信息",
            "信息形成或变更之日起20个工作日内",
            listed,
        )
        .await;
        let mut editor = demo_login(&app, "bianji").await;
        let csrf = editor.csrf().await;
        let fulfilled_text = fulfilled.to_string();
        let r = editor
            .post(
                &format!("/console/organs/{DEMO}/items/new"),
                &form(&csrf, "管委会机构职能", &fulfilled_text),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let id = app.db.items(OrganScope::system(DEMO)).await.unwrap()[0].id;
        publish(&app, id).await;
        let list = editor
            .get(&format!("/console/organs/{DEMO}/catalogue"))
            .await;
        assert_eq!(list.status, StatusCode::OK);
        let rows: Vec<&str> = list.body.split("<tr>").collect();
        let row_of = |name: &str| {
            rows.iter()
                .find(|r| r.contains(&format!("<td>{name}</td>")))
                .copied()
                .unwrap_or_default()
        };
        let linked = row_of("机构职能");
        assert!(linked.contains("1 条"), "{linked}");
        assert!(!linked.contains("已逾期"), "{linked}");
        let overdue = row_of("领导信息");
        assert!(overdue.contains("0 条"), "{overdue}");
        assert!(overdue.contains("已逾期"), "{overdue}");
        // With the reason: the due day and the article (art. 26).
        assert!(overdue.contains("2025-12-01"), "{overdue}");
        assert!(list.text("#overdue").contains("1 个事项"), "{}", list.body);
        // The public catalogue shows neither the counts nor the flags.
        let public = app.client().get("/zwgk/bzml").await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(public.body.contains("领导信息"));
        assert!(!public.body.contains("已逾期"));
        assert!(!public.body.contains("对应信息"));
        assert!(!public.body.contains("2025-12-01"));
    }
);

dbtest!(
    an_entry_an_item_points_at_is_not_deleted_from_the_console,
    |db| {
        let app = TestApp::with_demo(db).await;
        let fulfilled = add_entry(&app, DEMO, "机构职能", "实时", START).await;
        let mut editor = demo_login(&app, "bianji").await;
        let csrf = editor.csrf().await;
        let fulfilled_text = fulfilled.to_string();
        let r = editor
            .post(
                &format!("/console/organs/{DEMO}/items/new"),
                &form(&csrf, "管委会机构职能", &fulfilled_text),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let audit_before = app.db.audit_count().await.unwrap();
        let r = editor
            .post(
                &format!("/console/organs/{DEMO}/catalogue/{fulfilled}/delete"),
                &[("csrf", &csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.text("#refusal").contains("不能删除"), "{}", r.body);
        assert_eq!(app.db.audit_count().await.unwrap(), audit_before);
        assert!(
            app.db
                .catalogue_entry(OrganScope::system(DEMO), fulfilled)
                .await
                .is_ok()
        );
    }
);

dbtest!(
    the_demo_2022_has_388_items_40_documents_linked_interpretations_a_catalogue_and_loads_once,
    |db| {
        let app = TestApp::with_demo(db).await;
        let scope = OrganScope::system(DEMO);
        gongkai_web::demo::items::load(&app.db, DEMO, START)
            .await
            .unwrap();
        let current = app.db.items(scope).await.unwrap().len();
        let started = Instant::now();
        let (entries, loaded) = gongkai_web::demo::catalogue::load(&app.db, DEMO, START)
            .await
            .unwrap();
        let took = started.elapsed();
        eprintln!("demo 2022 loaded in {took:?}");
        assert!(took.as_secs() < 30, "{took:?}");
        assert_eq!((entries, loaded), (20, 388));

        let items = app.db.items(scope).await.unwrap();
        assert_eq!(items.len(), current + 388);
        let of_2022: Vec<_> = items
            .iter()
            .filter(|i| {
                i.progress()
                    .first_published
                    .is_some_and(|(_, d)| d.year() == 2022)
            })
            .collect();
        // 「主动公开政府信息388条，其中主动公开公文40篇」.
        assert_eq!(of_2022.len(), 388);
        assert!(of_2022.iter().all(|i| i.public().is_some()));
        let documents: Vec<_> = of_2022
            .iter()
            .filter(|i| {
                matches!(
                    i.working().content.kind.as_str(),
                    "regulation" | "normative_document" | "other"
                )
            })
            .collect();
        assert_eq!(documents.len(), 40);
        assert!(documents.iter().all(|i| {
            let n = &i.working().content.doc_number;
            n.starts_with("呼经开管发〔2022〕") && n.ends_with('号')
        }));
        // Published on working days, each saying it is demo data, numbered in 2022.
        let calendar = Calendar::builtin();
        for item in &of_2022 {
            let (_, day) = item.progress().first_published.unwrap();
            assert!(calendar.day(day).unwrap().value.workday, "{day}");
            assert!(item.working().content.body.contains("（演示数据）"));
            assert!(item.index_number.as_deref().unwrap().contains("2022"));
        }
        // The seed's columns.
        for keyword in ["建议提案", "权责清单", "行政许可", "招商引资", "财政预决算"]
        {
            assert!(
                of_2022
                    .iter()
                    .any(|i| i.working().content.keywords == keyword),
                "{keyword}"
            );
        }
        // A 解读 linked both ways on the portal.
        let reading = of_2022
            .iter()
            .find(|i| i.working().content.kind == "interpretation")
            .unwrap();
        let policy = reading.working().content.interprets.unwrap();
        let policy_title = app
            .db
            .item(scope, policy)
            .await
            .unwrap()
            .working()
            .content
            .title
            .clone();
        let page = app
            .client()
            .get(&format!("/zwgk/xxgk/{}", reading.id))
            .await;
        assert!(
            page.links().contains(&format!("/zwgk/xxgk/{policy}")),
            "{}",
            page.body
        );
        let page = app.client().get(&format!("/zwgk/xxgk/{policy}")).await;
        assert!(page.body.contains(&policy_title));
        assert!(
            page.links().contains(&format!("/zwgk/xxgk/{}", reading.id)),
            "{}",
            page.body
        );
        // One 规范性文件 repealed by a later one.
        let repealed = of_2022
            .iter()
            .find(|i| i.progress().validity.key == "repealed")
            .unwrap();
        let by = repealed.progress().validity.by.unwrap();
        assert!(by > repealed.id);
        // The 标准目录: 20 entries with the eight elements, most fulfilled.
        let catalogue = app.db.catalogue_entries(scope).await.unwrap();
        assert_eq!(catalogue.len(), 20);
        assert!(catalogue.iter().all(|e| e.input.problems().is_empty()));
        assert!(
            catalogue.iter().all(|e| e.input.rule().is_some()),
            "every 公开时限 reads as a rule"
        );
        let counts = app.db.catalogue_item_counts(scope).await.unwrap();
        assert!(counts.len() >= 15, "{counts:?}");
        assert!(catalogue.iter().any(|e| e.input.pilot_area.is_some()));
        // Loading again adds nothing.
        let audit = app.db.audit_count().await.unwrap();
        assert_eq!(
            gongkai_web::demo::catalogue::load(&app.db, DEMO, START)
                .await
                .unwrap(),
            (0, 0)
        );
        assert_eq!(app.db.items(scope).await.unwrap().len(), current + 388);
        assert_eq!(app.db.catalogue_entries(scope).await.unwrap().len(), 20);
        assert_eq!(app.db.audit_count().await.unwrap(), audit);
    }
);
