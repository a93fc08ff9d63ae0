//! The 年度报告's life in the console and on the portal (条例 art. 49, 50): drafting, the checks
//! that decide publication, the 负责人's sign-off, withdrawal and correction; and the four bad
//! inputs the paste-JSON publication used to accept (issue 13, first paragraph).

mod util;

use axum::http::StatusCode;
use gongkai_store::dbtest;
use gongkai_web::demo::DEMO_PASSWORD;
use util::TestApp;

fn seed(year: i32) -> serde_json::Value {
    let mut report: serde_json::Value =
        serde_json::from_str(gongkai_web::demo::DEMO_REPORT_JSON).unwrap();
    report["year"] = year.into();
    report
}

async fn demo_client(app: &TestApp, username: &str) -> (util::Client, String) {
    let mut client = app.client();
    client.login(username, DEMO_PASSWORD).await;
    let csrf = client.csrf().await;
    (client, csrf)
}

/// Imports `report` as a draft and returns the response.
async fn import(client: &mut util::Client, csrf: &str, report: &serde_json::Value) -> util::Resp {
    let json = report.to_string();
    client
        .post(
            "/console/organs/1/reports",
            &[("csrf", csrf), ("report_json", json.as_str())],
        )
        .await
}

async fn step(
    client: &mut util::Client,
    csrf: &str,
    year: i32,
    action: &str,
    extra: &[(&str, &str)],
) -> util::Resp {
    let mut form = vec![("csrf", csrf), ("version", "1")];
    form.extend_from_slice(extra);
    client
        .post(&format!("/console/organs/1/reports/{year}/{action}"), &form)
        .await
}

dbtest!(
    the_four_bad_inputs_of_the_issue_are_refused_in_chinese,
    |db| {
        let app = TestApp::with_demo(db).await;
        let (mut editor, csrf) = demo_client(&app, "bianji").await;
        let (mut head, head_csrf) = demo_client(&app, "fuzeren").await;
        let audit = app.db.audit_count().await.unwrap();

        // The year 2099: refused at import, with the year named; nothing written.
        let r = import(&mut editor, &csrf, &seed(2099)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#report-error").contains("2099"), "{}", r.body);
        // Another organ's name.
        let mut other = seed(2024);
        other["agency"] = "呼伦贝尔市某某局".into();
        let r = import(&mut editor, &csrf, &other).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#report-error").contains("不是本机关"), "{}", r.body);
        assert!(r.text("textarea#report_json").contains("呼伦贝尔市某某局"));
        assert_eq!(app.db.audit_count().await.unwrap(), audit);

        // 本年新收 自然人 5, 总计 0: imported as a draft, but publication is refused with the
        // findings listed and nothing written.
        let mut inconsistent = seed(2024);
        inconsistent["applications"]["new_received"]["natural_person"] = 5.into();
        let r = import(&mut editor, &csrf, &inconsistent).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            step(&mut editor, &csrf, 2024, "submit", &[]).await.status,
            StatusCode::SEE_OTHER
        );
        // The editor cannot sign: that is the 负责人's.
        assert_eq!(
            step(&mut editor, &csrf, 2024, "sign", &[]).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            step(&mut head, &head_csrf, 2024, "sign", &[]).await.status,
            StatusCode::SEE_OTHER
        );
        let before = app.db.audit_count().await.unwrap();
        let r = step(&mut head, &head_csrf, 2024, "publish", &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#step-error").contains("错误，不能发布"),
            "{}",
            r.body
        );
        let listed = r.text("table.findings");
        assert!(listed.contains("T3-"), "{listed}");
        assert!(listed.contains("须修正后方可发布"), "{listed}");
        assert_eq!(app.db.audit_count().await.unwrap(), before);
        assert_eq!(
            app.client().get("/zwgk/nianbao/2024").await.status,
            StatusCode::NOT_FOUND
        );

        // Withdrawal now exists: the 2022 report comes off the portal, its history kept.
        let r = step(&mut head, &head_csrf, 2022, "withdraw", &[("reason", "  ")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#step-error").contains("撤回理由"), "{}", r.body);
        let r = step(
            &mut head,
            &head_csrf,
            2022,
            "withdraw",
            &[("reason", "演示：撤回后更正。")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            app.client().get("/zwgk/nianbao/2022").await.status,
            StatusCode::NOT_FOUND
        );
        let page = head.get("/console/organs/1/reports/2022").await;
        assert!(page.text("#state").contains("已撤回"));
        assert!(page.text("ol.ledger").contains("演示：撤回后更正。"));
    }
);

dbtest!(
    the_seed_year_is_published_as_printed_and_a_correction_keeps_it,
    |db| {
        let app = TestApp::with_demo(db).await;
        // The 2022 page: the narrative's parts and the real 发布日期, 2023-01-11.
        let mut public = app.client();
        let page = public.get("/zwgk/nianbao/2022").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text("p.date").contains("2023-01-11"));
        let api = public.get("/api/v1/organs/1/reports/2022").await;
        assert_eq!(api.status, StatusCode::OK);
        let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
        assert_eq!(json["narrative"]["date"], "2023-01-11");
        assert_eq!(
            json["narrative"]["signature"],
            "呼伦贝尔经济技术开发区管委会"
        );
        assert!(
            json["narrative"]["overview"]
                .as_str()
                .unwrap()
                .contains("主动公开政府信息388条")
        );
        assert_eq!(
            public.get("/api/v1/organs/1/reports/2021").await.status,
            StatusCode::NOT_FOUND
        );

        // The console lists the years with state and deadline; last year is a draft in progress.
        let (mut head, csrf) = demo_client(&app, "fuzeren").await;
        let list = head.get("/console/organs/1/reports").await;
        let table = list.text("table.reports");
        assert!(
            table.contains("2022年度") && table.contains("已发布") && table.contains("按期发布"),
            "{table}"
        );
        assert!(
            table.contains("2025年度") && table.contains("起草中"),
            "{table}"
        );
        assert!(table.contains("2023年1月31日前"), "{table}");

        // A correction: a new version with its note; the earlier kept and shown as superseded.
        let r = head
            .post(
                "/console/organs/1/reports/2022/correct",
                &[("csrf", csrf.as_str()), ("note", "更正第六部分的文字。")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        for action in ["submit", "sign", "publish"] {
            let r = head
                .post(
                    &format!("/console/organs/1/reports/2022/{action}"),
                    &[("csrf", csrf.as_str()), ("version", "2")],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{action}: {}", r.body);
        }
        let column = public.get("/zwgk/nianbao").await;
        assert!(
            column.text("ul.reports").contains("更正第六部分的文字。"),
            "{}",
            column.body
        );
        assert!(column.links().contains(&"/zwgk/nianbao/2022/1".to_owned()));
        let page = public.get("/zwgk/nianbao/2022").await;
        assert!(page.text(".correction").contains("更正第六部分的文字。"));
        let earlier = public.get("/zwgk/nianbao/2022/1").await;
        assert_eq!(earlier.status, StatusCode::OK);
        assert!(
            earlier.text(".superseded").contains("已被第2版更正"),
            "{}",
            earlier.body
        );
        assert!(earlier.text("p.date").contains("2023-01-11"));
        // A draft version is never on the portal.
        assert_eq!(
            public.get("/zwgk/nianbao/2025/1").await.status,
            StatusCode::NOT_FOUND
        );
        // A published version is frozen: editing it is refused.
        let r = head
            .post(
                "/console/organs/1/reports/2022/edit",
                &[
                    ("csrf", csrf.as_str()),
                    ("version", "2"),
                    ("problems", "改"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#step-error").contains("已发布"), "{}", r.body);
    }
);

dbtest!(
    a_warning_needs_a_decision_and_edits_keep_the_typed_values,
    |db| {
        let app = TestApp::with_demo(db).await;
        let (mut head, csrf) = demo_client(&app, "fuzeren").await;
        // 2023 against the published 2022: 现行有效 规章 1 with none issued is X-IN-FORCE.
        let mut report = seed(2023);
        report["proactive"]["regulations"]["in_force"] = 1.into();
        assert_eq!(
            import(&mut head, &csrf, &report).await.status,
            StatusCode::SEE_OTHER
        );
        // A bad date is refused, the typed text kept.
        let r = step(
            &mut head,
            &csrf,
            2023,
            "edit",
            &[
                ("problems", "主动公开力度有待加强。"),
                ("date", "2024年1月9日"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#step-error").contains("2024年1月9日"));
        assert_eq!(r.text("textarea#problems"), "主动公开力度有待加强。");
        let r = step(
            &mut head,
            &csrf,
            2023,
            "edit",
            &[("problems", "主动公开力度有待加强。")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        for action in ["submit", "sign"] {
            assert_eq!(
                step(&mut head, &csrf, 2023, action, &[]).await.status,
                StatusCode::SEE_OTHER
            );
        }
        let r = step(&mut head, &csrf, 2023, "publish", &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#step-error").contains("提示尚未确认"), "{}", r.body);
        // Back to drafting, decide with a reason, then it publishes.
        assert_eq!(
            step(
                &mut head,
                &csrf,
                2023,
                "return",
                &[("reason", "请确认提示。")]
            )
            .await
            .status,
            StatusCode::SEE_OTHER
        );
        let page = head.get("/console/organs/1/reports/2023").await;
        let cells = page
            .input("cells")
            .expect("a decision form for the warning");
        let r = step(
            &mut head,
            &csrf,
            2023,
            "decide",
            &[
                ("check", "X-IN-FORCE"),
                ("cells", cells.as_str()),
                ("reason", "上年报告漏报1件规章。"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        for action in ["submit", "sign", "publish"] {
            let r = step(&mut head, &csrf, 2023, action, &[]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{action}: {}", r.body);
        }
        let page = head.get("/console/organs/1/reports/2023").await;
        assert!(
            page.text("table.findings")
                .contains("上年报告漏报1件规章。")
        );
        let public = app.client().get("/api/v1/organs/1/reports/2023").await;
        let json: serde_json::Value = serde_json::from_str(&public.body).unwrap();
        assert_eq!(json["narrative"]["problems"], "主动公开力度有待加强。");
        // Dated the real day of publication (the test clock's Beijing date).
        let today = gongkai_store::report_version::date_text(app.state.today());
        assert_eq!(json["narrative"]["date"], today.as_str());
    }
);
