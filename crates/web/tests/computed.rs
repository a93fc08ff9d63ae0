//! The computed report in the console and the API (issue 13, deliver 1–2), on SQLite and (with
//! `GONGKAI_TEST_DATABASE_URL`) PostgreSQL: the tables in the official layout with every number
//! a link, each cell's list of the records it counts (applicant masked, linking to the case),
//! the permissions of the masked queue, and `GET /api/v1/organs/{id}/reports/{year}/computed`.

mod util;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gongkai_core::calendar::{Calendar, Fallback, parse_date};
use gongkai_core::clock::{Channel, ClockConfig, Event};
use gongkai_core::outcome::Outcome;
use gongkai_store::application::{Applicant, NewApplication, Request as Asked};
use gongkai_store::ledger::LedgerEvent;
use gongkai_store::tally::OrganSet;
use gongkai_store::{Actor, OrganScope, Role, dbtest};
use http_body_util::BodyExt;
use tower::ServiceExt;
use util::{START, TestApp};

/// One application of `organ`, received 2025-12-01 from 王小明, answered 2025-12-10.
async fn answered_case(app: &TestApp, organ: i64) -> (i64, String) {
    let scope = OrganScope::system(organ);
    let actor = Actor::system("test");
    let new = NewApplication {
        applicant: Applicant {
            kind: "natural_person".into(),
            name: "王小明".into(),
            id_type: "resident_id".into(),
            id_number: "11010519491231002X".into(),
            ..Applicant::default()
        },
        request: Asked {
            title: "某项目批复".into(),
            forms: vec!["paper".into()],
            delivery: vec!["post".into()],
            ..Asked::default()
        },
        channel: Channel::Post,
        received: parse_date("2025-12-01").expect("date"),
        query_code: None,
        attachments: Vec::new(),
    };
    let case = app
        .db
        .create_application(&actor, scope, START, &new)
        .await
        .expect("application");
    app.db
        .append_case_event(
            &actor,
            scope,
            case.id,
            LedgerEvent::clock(
                parse_date("2025-12-10").expect("date"),
                Event::Replied {
                    outcome: Outcome::Disclosed,
                },
            ),
            &Calendar::builtin().with_fallback(Fallback::Statutory),
            ClockConfig::default(),
            parse_date("2026-01-05").expect("date"),
            START,
        )
        .await
        .expect("reply");
    (case.id, case.number)
}

async fn api_get(app: &TestApp, token: &str, path: &str) -> (StatusCode, serde_json::Value) {
    let request = Request::builder()
        .uri(path)
        .header(header::HOST, "kfq.example.test")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    let response = app
        .router
        .clone()
        .oneshot(request)
        .await
        .expect("router is infallible");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

dbtest!(
    every_cell_links_to_the_records_it_counts_and_other_organs_are_refused,
    |db| {
        let app = TestApp::empty(db).await;
        let own = app.organ("甲局").await;
        let other = app.organ("乙局").await;
        app.staff(own, "handler", Role::CaseHandler).await;
        app.staff(own, "editor", Role::Editor).await;
        app.staff(other, "stranger", Role::Head).await;
        let (case_id, number) = answered_case(&app, own).await;

        let mut handler = app.logged_in("handler").await;
        let base = format!("/console/organs/{own}/reports/2025");
        let page = handler.get(&format!("{base}/computed")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let cell = format!("{base}/cells/applications/new_received/natural_person");
        assert!(page.links().contains(&cell), "{}", page.body);
        assert!(
            page.links()
                .contains(&format!("{base}/cells/appeals/reconsideration/total"))
        );
        assert!(
            page.links()
                .contains(&format!("{base}/cells/proactive/regulations/in_force"))
        );

        let list = handler.get(&cell).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert_eq!(list.text("#cell-value"), "1");
        assert!(list.body.contains(&number));
        assert!(
            list.links()
                .contains(&format!("/console/organs/{own}/applications/{case_id}"))
        );
        assert!(list.body.contains("王*"), "{}", list.body);
        assert!(
            !list.body.contains("王小明"),
            "the list masks the applicant"
        );
        // The same case is in 予以公开 and （七）总计, not in 结转下年度.
        let granted = handler
            .get(&format!("{base}/cells/applications/granted/total"))
            .await;
        assert!(granted.body.contains(&number));
        let carried = handler
            .get(&format!("{base}/cells/applications/carried_forward/total"))
            .await;
        assert_eq!(carried.text("#cell-value"), "0");
        assert!(!carried.body.contains(&number));
        // A cell the template does not have, or a year without template: no such page.
        for path in [
            format!("{base}/cells/applications/other/total"),
            format!("{base}/cells/nothing/new_received/total"),
            format!("/console/organs/{own}/reports/2018/computed"),
            format!("/console/organs/{own}/reports/x/computed"),
        ] {
            assert_eq!(
                handler.get(&path).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }

        // An editor does not see cases; another organ's staff see nothing of this organ.
        let mut editor = app.logged_in("editor").await;
        assert_eq!(editor.get(&cell).await.status, StatusCode::FORBIDDEN);
        let mut stranger = app.logged_in("stranger").await;
        assert_eq!(stranger.get(&cell).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            stranger.get(&format!("{base}/computed")).await.status,
            StatusCode::FORBIDDEN
        );
    }
);

dbtest!(the_api_gives_the_computed_json_and_the_subtree_sum, |db| {
    let app = TestApp::empty(db).await;
    let own = app.organ("甲局").await;
    let child = app
        .db
        .create_organ(
            &Actor::system("test"),
            START,
            Some(own),
            &gongkai_store::organ::OrganSettings {
                name: "甲局下属".into(),
                ..Default::default()
            },
        )
        .await
        .expect("child")
        .id;
    let other = app.organ("乙局").await;
    let user = app.staff(own, "handler", Role::CaseHandler).await;
    answered_case(&app, own).await;
    answered_case(&app, child).await;
    let (token, _) = app
        .db
        .create_api_token(&Actor::system("test"), user, "报送", START)
        .await
        .expect("token");

    let (status, json) = api_get(
        &app,
        &token,
        &format!("/api/v1/organs/{own}/reports/2025/computed"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let expected = app
        .db
        .computed_report(OrganSet::Organ(OrganScope::system(own)), 2025, None)
        .await
        .expect("report");
    assert_eq!(json, expected.to_json());
    assert_eq!(json["applications"]["granted"]["total"], 1);

    // The subtree's sum is for those who supervise it (the 负责人), not for a case handler.
    let (status, _) = api_get(
        &app,
        &token,
        &format!("/api/v1/organs/{own}/reports/2025/computed?subtree=true"),
    )
    .await;
    assert!(status.is_client_error(), "{status}");
    let head = app.staff(own, "head", Role::Head).await;
    let (head_token, _) = app
        .db
        .create_api_token(&Actor::system("test"), head, "汇总", START)
        .await
        .expect("token");
    let (status, sum) = api_get(
        &app,
        &head_token,
        &format!("/api/v1/organs/{own}/reports/2025/computed?subtree=true"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{sum}");
    assert_eq!(sum["applications"]["granted"]["total"], 2);

    let (status, _) = api_get(
        &app,
        &token,
        &format!("/api/v1/organs/{other}/reports/2025/computed"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = api_get(
        &app,
        &token,
        &format!("/api/v1/organs/{own}/reports/2018/computed"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = api_get(
        &app,
        &token,
        &format!("/api/v1/organs/{own}/reports/2025/computed?sub=1"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
});

dbtest!(
    the_narrative_figures_of_the_demo_2022_are_the_seeds_388_items_and_40_documents,
    |db| {
        let app = TestApp::with_demo(db).await;
        let organ = app
            .db
            .find_organ("kfq.hlbe.gov.cn")
            .await
            .expect("find")
            .expect("demo organ");
        gongkai_web::demo::catalogue::load(&app.db, organ.id, START)
            .await
            .expect("2022 items");
        let figures = app
            .db
            .narrative_figures(OrganScope::system(organ.id), 2022)
            .await
            .expect("figures");
        // shared/seed/2022_hulunbuir_jingkaiqu.txt: 主动公开政府信息388条，其中主动公开公文40篇.
        assert_eq!(figures.items_published, 388);
        assert_eq!(figures.documents_published, 40);
        assert_eq!(figures.by_category.iter().map(|(_, n)| n).sum::<u64>(), 388);
        assert_eq!(figures.year, 2022);
        assert_eq!(figures.organ, "呼伦贝尔经济技术开发区");
        assert_eq!(figures.fee_notices, 0);
        // The year's 表二 figures the demo enters are the seed's zeros.
        let report = app
            .db
            .computed_report(OrganSet::Organ(OrganScope::system(organ.id)), 2022, None)
            .await
            .expect("report");
        let seed: serde_json::Value =
            serde_json::from_str(gongkai_web::demo::DEMO_REPORT_JSON).expect("seed");
        assert_eq!(report.to_json()["proactive"], seed["proactive"]);
    }
);
