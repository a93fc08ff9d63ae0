//! The 政务公开事项标准目录 and 表二's figures from other systems, end to end through the router:
//! console import of CSV (UTF-8 and GBK), XLSX and pasted rows, the row-numbered refusal,
//! entry add/edit/delete, the public page, the figures form and its import, and CSRF on every
//! POST. Each test runs on SQLite and (with GONGKAI_TEST_DATABASE_URL) PostgreSQL.

mod util;

use axum::http::{StatusCode, header};
use gongkai_store::catalogue::{ELEMENTS, EntryInput, Mode};
use gongkai_store::{Actor, OrganScope, dbtest};
use gongkai_web::demo::DEMO_PASSWORD;

use util::{Client, Resp, TestApp};

/// The demo organ.
const DEMO: i64 = 1;
const CATALOGUE_XLSX: &[u8] = include_bytes!("data/catalogue.xlsx");
const FIGURES_XLSX: &[u8] = include_bytes!("data/figures.xlsx");

const CSV: &str = "事项类别,事项名称,公开内容,公开依据,公开主体,公开时限,公开渠道和载体,公开方式\r\n\
    机构信息,机构职能,\"职能、内设机构\",《中华人民共和国政府信息公开条例》第二十条,开发区管委会,信息形成或变更之日起20个工作日内,政府网站,主动\r\n\
    政策文件,行政规范性文件,文件全文,\"《条例》第二十条（一）\",开发区管委会,及时,\"政府网站、政府公报\",主动\r\n\
    财政信息,部门预算,预算报告,《中华人民共和国预算法》第十四条,财政局,每年3月31日前,政府网站,主动\r\n";

async fn demo_login(app: &TestApp, username: &str) -> Client {
    let mut client = app.client();
    let r = client.login(username, DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "login {username}");
    client
}

/// A `multipart/form-data` POST with the client's cookies, optionally with one file.
async fn post_multipart(
    app: &TestApp,
    client: &Client,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Resp {
    let files: Vec<(&str, &str, &[u8])> = file.map(|(n, b)| ("file", n, b)).into_iter().collect();
    util::post_multipart(app, client, path, fields, &files).await
}

fn import_path() -> String {
    format!("/console/organs/{DEMO}/catalogue/import")
}

async fn entries(app: &TestApp) -> Vec<gongkai_store::catalogue::CatalogueEntry> {
    app.db
        .catalogue_entries(OrganScope::system(DEMO))
        .await
        .unwrap()
}

fn entry(category: &str, name: &str, pilot_area: Option<u8>) -> EntryInput {
    EntryInput {
        category: category.into(),
        name: name.into(),
        content: "内容一\n内容二".into(),
        basis: "《中华人民共和国政府信息公开条例》".into(),
        subject: "开发区管委会".into(),
        time_limit: "信息形成或变更之日起20个工作日内".into(),
        channels: "政府网站、公开查阅点".into(),
        mode: Mode::Proactive,
        audience: String::new(),
        pilot_area,
    }
}

dbtest!(an_editor_imports_a_csv_file_and_it_is_published, |db| {
    let app = TestApp::with_demo(db).await;
    let mut editor = demo_login(&app, "bianji").await;
    // The organ's console page leads to the catalogue and the figures.
    let home = editor.get(&format!("/console/organs/{DEMO}")).await;
    assert!(
        home.links()
            .contains(&format!("/console/organs/{DEMO}/catalogue"))
    );
    assert!(
        home.links()
            .contains(&format!("/console/organs/{DEMO}/figures"))
    );
    let page = editor.get(&import_path()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.links()
            .iter()
            .any(|l| l.ends_with("/catalogue/template.csv"))
    );
    let csrf = editor.csrf().await;
    let audit_before = app.db.audit_count().await.unwrap();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(CSV.as_bytes());
    let r = post_multipart(
        &app,
        &editor,
        &import_path(),
        &[("csrf", &csrf)],
        Some(("标准目录.csv", &bytes)),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location(),
        Some("/console/organs/1/catalogue?done=imported&count=3")
    );
    assert_eq!(app.db.audit_count().await.unwrap() - audit_before, 3);
    let kept = entries(&app).await;
    assert_eq!(kept[1].input.channels, "政府网站、政府公报");
    let list = editor.get(r.location().unwrap()).await;
    assert!(list.text("#done").contains("已导入 3 条事项"));
    let table = list.text("table");
    assert!(table.contains("行政规范性文件"), "{table}");
    // Each 公开时限 as the rule it was read as.
    assert!(table.contains("信息形成或变更之日起20个工作日内（《条例》第二十六条）"));
    assert!(table.contains("每年3月31日前"));
    assert!(list.text("#unparsed").is_empty());
    let public = app.client().get("/zwgk/bzml").await.text("table");
    assert!(public.contains("部门预算"));
});

dbtest!(
    an_xlsx_workbook_imports_with_its_merged_cells_and_numbers,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut editor = demo_login(&app, "bianji").await;
        let csrf = editor.csrf().await;
        let r = post_multipart(
            &app,
            &editor,
            &import_path(),
            &[("csrf", &csrf)],
            Some(("catalogue.xlsx", CATALOGUE_XLSX)),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let kept = entries(&app).await;
        let names: Vec<&str> = kept.iter().map(|e| e.input.name.as_str()).collect();
        assert_eq!(names, ["机构职能", "政府信息公开年报", "最低生活保障"]);
        // The merged 事项类别 continues; the line break in a cell stays; only ticked channels.
        assert_eq!(kept[1].input.category, "机构信息");
        assert_eq!(kept[0].input.content, "机构职能、内设机构\n领导信息");
        assert_eq!(kept[1].input.channels, "政府网站");
        assert_eq!(kept[2].input.mode, Mode::OnRequest);
        assert_eq!(kept[2].input.pilot_area, Some(17));
        // 序号 (numbers in the workbook) is no element: said so on the list.
        let list = editor.get(r.location().unwrap()).await;
        assert!(
            list.text("#done")
                .contains("以下列不是目录要素，未导入：序号"),
            "{}",
            list.text("#done")
        );
    }
);

dbtest!(a_gbk_csv_from_excel_imports_like_utf8, |db| {
    let app = TestApp::with_demo(db).await;
    let mut editor = demo_login(&app, "bianji").await;
    let csrf = editor.csrf().await;
    let (gbk, _, _) = encoding_rs::GBK.encode(CSV);
    let r = post_multipart(
        &app,
        &editor,
        &import_path(),
        &[("csrf", &csrf)],
        Some(("目录.csv", &gbk)),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(entries(&app).await[0].input.name, "机构职能");
});

dbtest!(
    a_sheet_with_bad_rows_is_refused_row_by_row_and_nothing_saved,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut editor = demo_login(&app, "bianji").await;
        let csrf = editor.csrf().await;
        let audit_before = app.db.audit_count().await.unwrap();
        // Pasted from a spreadsheet: tab-separated.
        let pasted = "事项类别\t事项名称\t公开内容\t公开依据\t公开主体\t公开时限\t公开渠道和载体\t公开方式\n\
        机构信息\t机构职能\t职能\t条例\t本机关\t实时\t政府网站\t主动\n\
        机构信息\t领导信息\t领导\t条例\t\t实时\t政府网站\t主动\n\
        机构信息\t机构设置\t设置\t条例\t本机关\t实时\t政府网站\t公示\n";
        let r = editor
            .post(&import_path(), &[("csrf", &csrf), ("pasted", pasted)])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let problems = r.text("#problems li");
        assert!(
            problems.contains("第3行E列「公开主体」：请填写「公开主体」。"),
            "{problems}"
        );
        assert!(problems.contains("第4行H列「公开方式」"), "{problems}");
        assert!(r.text("#problems").contains("本次未导入任何事项"));
        // What was pasted is kept for correcting.
        assert!(r.text("textarea#pasted").contains("机构设置"));
        assert!(entries(&app).await.is_empty());
        assert_eq!(app.db.audit_count().await.unwrap(), audit_before);
        // The same refusal for a file; and a file that is no sheet is refused at its field.
        let r = post_multipart(
            &app,
            &editor,
            &import_path(),
            &[("csrf", &csrf)],
            Some(("目录.csv", pasted.as_bytes())),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#problems li").contains("第3行E列「公开主体」"));
        let r = post_multipart(
            &app,
            &editor,
            &import_path(),
            &[("csrf", &csrf)],
            Some(("扫描件.pdf", b"%PDF-1.4\0\x01\x02binary")),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#error-file").contains("无法识别"), "{}", r.body);
        let r = editor.post(&import_path(), &[("csrf", &csrf)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#error-file").contains("请选择要导入的文件"));
        assert!(entries(&app).await.is_empty());
        assert_eq!(app.db.audit_count().await.unwrap(), audit_before);
    }
);

dbtest!(the_template_has_every_element_and_imports_back, |db| {
    let app = TestApp::with_demo(db).await;
    let mut editor = demo_login(&app, "bianji").await;
    let r = editor
        .get(&format!("/console/organs/{DEMO}/catalogue/template.csv"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    let header_row = r.body.trim_start_matches('\u{feff}').trim_end().to_owned();
    let labels: Vec<&str> = ELEMENTS.iter().map(|e| e.label).collect();
    assert_eq!(header_row, labels.join(","));
    let filled = format!(
        "{header_row}\r\n机构信息,机构职能,职能,条例,本机关,实时,政府网站,主动,全社会,\r\n"
    );
    let csrf = editor.csrf().await;
    let r = post_multipart(
        &app,
        &editor,
        &import_path(),
        &[("csrf", &csrf)],
        Some(("模板.csv", filled.as_bytes())),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(entries(&app).await[0].input.audience, "全社会");
});

dbtest!(entries_are_added_changed_and_deleted_in_the_console, |db| {
    let app = TestApp::with_demo(db).await;
    let mut editor = demo_login(&app, "bianji").await;
    let csrf = editor.csrf().await;
    let new = format!("/console/organs/{DEMO}/catalogue/new");
    assert_eq!(editor.get(&new).await.status, StatusCode::OK);
    let audit_before = app.db.audit_count().await.unwrap();
    // 公开依据 left empty and an unknown mode: 422, every typed value kept, nothing saved.
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("category", "机构信息"),
        ("name", "机构职能"),
        ("content", "机构职能、内设机构"),
        ("basis", ""),
        ("subject", "开发区管委会"),
        ("time_limit", "信息形成或变更之日起20个工作日内"),
        ("channel", "政府网站"),
        ("channel", "公开查阅点"),
        ("other_channels", "村务公开栏"),
        ("mode", "sometimes"),
        ("pilot_area", ""),
    ];
    let r = editor.post(&new, &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text("#error-basis").contains("请填写「公开依据」"));
    assert!(r.text("#error-mode").contains("公开方式"));
    assert_eq!(r.input("name").as_deref(), Some("机构职能"));
    assert_eq!(r.input("other_channels").as_deref(), Some("村务公开栏"));
    assert!(r.body.contains("value=\"公开查阅点\" checked"));
    assert!(r.text("#rule").contains("第二十六条"));
    assert!(entries(&app).await.is_empty());
    assert_eq!(app.db.audit_count().await.unwrap(), audit_before);
    form[4] = ("basis", "《中华人民共和国政府信息公开条例》第二十条");
    form[10] = ("mode", "proactive");
    let r = editor.post(&new, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let kept = entries(&app).await;
    assert_eq!(kept[0].input.channels, "政府网站、公开查阅点、村务公开栏");
    let id = kept[0].id;
    // The edit page shows it as kept, and an unreadable 公开时限 is flagged.
    let path = format!("/console/organs/{DEMO}/catalogue/{id}");
    let page = editor.get(&path).await;
    assert_eq!(page.input("other_channels").as_deref(), Some("村务公开栏"));
    form[6] = ("time_limit", "按上级要求");
    let r = editor.post(&path, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = editor
        .get(&format!("/console/organs/{DEMO}/catalogue"))
        .await;
    assert!(
        list.text("#unparsed")
            .contains("有 1 个事项的公开时限未能识别")
    );
    assert!(list.text("table").contains("未能识别"));
    assert!(editor.get(&path).await.text("#rule").contains("未能识别"));
    let r = editor
        .post(&format!("{path}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(entries(&app).await.is_empty());
    assert_eq!(editor.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.db.audit_count().await.unwrap() - audit_before, 3);
});

dbtest!(another_organs_entry_is_not_found_in_the_console, |db| {
    let app = TestApp::with_demo(db).await;
    let other = app.organ("乙机关").await;
    let theirs = app
        .db
        .create_catalogue_entry(
            &Actor::system("test"),
            OrganScope::system(other),
            util::START,
            &entry("机构信息", "乙机关的事项", None),
        )
        .await
        .unwrap();
    let mut admin = app.logged_in_as_demo_admin().await;
    let csrf = admin.csrf().await;
    let path = format!("/console/organs/{DEMO}/catalogue/{}", theirs.id);
    assert_eq!(admin.get(&path).await.status, StatusCode::NOT_FOUND);
    let r = admin
        .post(&format!("{path}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // And the other organ's console is refused outright.
    let r = admin
        .get(&format!("/console/organs/{other}/catalogue"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        app.db
            .catalogue_entry(OrganScope::system(other), theirs.id)
            .await
            .is_ok()
    );
});

dbtest!(
    the_public_catalogue_page_has_the_frame_and_every_element,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut public = app.client();
        let empty = public.get("/zwgk/bzml").await;
        assert_eq!(empty.status, StatusCode::OK);
        assert!(empty.text("main").contains("尚未发布政务公开事项标准目录"));
        let scope = OrganScope::system(DEMO);
        let actor = Actor::system("test");
        for input in [
            entry("机构信息", "机构职能", None),
            entry("社会救助", "最低生活保障", Some(17)),
            entry("机构信息", "领导信息", None),
            entry("社会救助", "特困人员救助供养", Some(17)),
        ] {
            app.db
                .create_catalogue_entry(&actor, scope, util::START, &input)
                .await
                .unwrap();
        }
        // Written behind the page cache (as another process would): seen after its check.
        app.clock.advance(gongkai_web::page_cache::CHECK_SECONDS);
        let r = public.get("/zwgk/bzml").await;
        assert_eq!(r.status, StatusCode::OK);
        // The site's tags and the column's.
        assert_eq!(
            r.meta("SiteName").as_deref(),
            Some("呼伦贝尔经济技术开发区")
        );
        assert_eq!(r.meta("SiteIDCode").as_deref(), Some("1507000009"));
        assert_eq!(
            r.meta("ColumnName").as_deref(),
            Some("政务公开事项标准目录")
        );
        for tag in ["ColumnDescription", "ColumnKeywords", "ColumnType"] {
            assert!(r.meta(tag).is_some_and(|v| !v.is_empty()), "{tag}");
        }
        assert!(r.text("footer").contains("政府网站标识码：1507000009"));
        assert!(r.body.contains("<html lang=\"zh-CN\">"));
        // Each element's label heads a column.
        let headers = r.text("table.catalogue thead th");
        for label in [
            "事项类别",
            "事项名称",
            "公开内容",
            "公开依据",
            "公开主体",
            "公开时限",
            "公开渠道和载体",
            "公开方式",
        ] {
            assert!(headers.contains(label), "{label}: {headers}");
        }
        // Grouped by 试点领域, then by 事项类别 with one cell over its rows.
        let captions = r.text("h2");
        assert!(captions.contains("社会救助领域") && captions.contains("其他公开事项"));
        let groups = r.text("th.category");
        assert_eq!(groups.matches("机构信息").count(), 1, "{groups}");
        assert!(r.body.contains("rowspan=\"2\" class=\"category\">机构信息"));
        // The wide table scrolls in a box that the keyboard reaches.
        assert!(r.body.contains("class=\"catalogue-table\" role=\"region\""));
        assert_eq!(
            public.get("/static/catalogue.css").await.status,
            StatusCode::OK
        );
        // The 专栏 links to it, and the 网站地图 and sitemap.xml list it.
        let zwgk = public.get("/zwgk").await;
        assert!(zwgk.links().iter().any(|l| l == "/zwgk/bzml"));
        let sitemap = public.get("/wzdt").await;
        assert!(sitemap.links().iter().any(|l| l == "/zwgk/bzml"));
        let xml = public.get("/sitemap.xml").await;
        assert!(xml.body.contains("/zwgk/bzml</loc>"), "{}", xml.body);
    }
);

dbtest!(
    figures_with_a_bad_value_are_refused_with_values_kept,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut editor = demo_login(&app, "bianji").await;
        let csrf = editor.csrf().await;
        let path = format!("/console/organs/{DEMO}/figures");
        let page = editor.get(&format!("{path}?year=2024")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text("#figures-form").contains("行政许可"));
        let audit_before = app.db.audit_count().await.unwrap();
        let bad = [
            ("csrf", csrf.as_str()),
            ("year", "2024"),
            ("licensing.decisions", "120"),
            ("penalty.decisions", "-3"),
            ("enforcement.decisions", ""),
            ("fees.amount_wan_yuan", "3.123456"),
        ];
        let r = editor.post(&path, &bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#error-penalty-decisions").contains("不小于0的整数"));
        assert!(
            r.text("#error-fees-amount_wan_yuan")
                .contains("最多4位小数")
        );
        assert_eq!(r.input("licensing.decisions").as_deref(), Some("120"));
        assert_eq!(r.input("fees.amount_wan_yuan").as_deref(), Some("3.123456"));
        assert_eq!(app.db.audit_count().await.unwrap(), audit_before);
        let scope = OrganScope::system(DEMO);
        assert!(!app.db.report_figures(scope, 2024).await.unwrap().any());
        // A year before the 2021 template: refused.
        let r = editor
            .post(&path, &[("csrf", &csrf), ("year", "2020")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#error-year").contains("2021"));
        let good = [
            ("csrf", csrf.as_str()),
            ("year", "2024"),
            ("licensing.decisions", "120"),
            ("penalty.decisions", "0"),
            ("enforcement.decisions", ""),
            ("fees.amount_wan_yuan", "3.1234"),
        ];
        let r = editor.post(&path, &good).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let figures = app.db.report_figures(scope, 2024).await.unwrap();
        assert_eq!(
            figures.to_json(),
            serde_json::json!({
                "licensing": {"decisions": 120},
                "penalty": {"decisions": 0},
                "enforcement": {"decisions": null},
                "fees": {"amount_wan_yuan": "3.1234"},
            })
        );
        let page = editor.get(r.location().unwrap()).await;
        assert!(page.text("#done").contains("已保存 2024 年度"));
        assert_eq!(
            page.input("fees.amount_wan_yuan").as_deref(),
            Some("3.1234")
        );
        let log = app.db.audit_log(scope, 1, 0).await.unwrap();
        assert_eq!(log[0].action, "figures.update");
        assert_eq!(log[0].after.as_ref().unwrap()["licensing.decisions"], "120");
    }
);

dbtest!(figures_import_from_an_xlsx_workbook, |db| {
    let app = TestApp::with_demo(db).await;
    let mut editor = demo_login(&app, "bianji").await;
    let csrf = editor.csrf().await;
    let path = format!("/console/organs/{DEMO}/figures/import");
    let r = post_multipart(
        &app,
        &editor,
        &path,
        &[("csrf", &csrf)],
        Some(("表二.xlsx", FIGURES_XLSX)),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let scope = OrganScope::system(DEMO);
    let y2024 = app.db.report_figures(scope, 2024).await.unwrap().to_json();
    assert_eq!(y2024["licensing"]["decisions"], 120);
    assert_eq!(y2024["enforcement"]["decisions"], 0);
    assert_eq!(y2024["fees"]["amount_wan_yuan"], "3.25");
    let y2025 = app.db.report_figures(scope, 2025).await.unwrap().to_json();
    assert!(
        y2025["penalty"]["decisions"].is_null(),
        "a blank cell stays blank"
    );
    assert_eq!(y2025["fees"]["amount_wan_yuan"], "12");
    // A bad cell refuses the whole sheet, naming its row and column.
    let before = app.db.audit_count().await.unwrap();
    let r = editor
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("pasted", "年度,行政许可\n2023,5\n2022,很多\n"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text("#problems li").contains("第3行B列「行政许可」"),
        "{}",
        r.text("#problems")
    );
    assert_eq!(app.db.audit_count().await.unwrap(), before);
    assert!(!app.db.report_figures(scope, 2023).await.unwrap().any());
    let template = editor
        .get(&format!("/console/organs/{DEMO}/figures/template.csv"))
        .await;
    assert!(
        template
            .body
            .contains("行政事业性收费 本年收费金额（单位：万元）")
    );
});

dbtest!(every_post_of_the_catalogue_checks_the_csrf_token, |db| {
    let app = TestApp::with_demo(db).await;
    let id = app
        .db
        .create_catalogue_entry(
            &Actor::system("test"),
            OrganScope::system(DEMO),
            util::START,
            &entry("机构信息", "机构职能", None),
        )
        .await
        .unwrap()
        .id;
    let mut admin = app.logged_in_as_demo_admin().await;
    let audit_before = app.db.audit_count().await.unwrap();
    let base = format!("/console/organs/{DEMO}");
    for path in [
        format!("{base}/catalogue/new"),
        format!("{base}/catalogue/{id}"),
        format!("{base}/catalogue/{id}/delete"),
        format!("{base}/catalogue/import"),
        format!("{base}/figures"),
        format!("{base}/figures/import"),
    ] {
        let r = admin
            .post(
                &path,
                &[
                    ("csrf", "forged"),
                    ("pasted", "事项类别"),
                    ("year", "2024"),
                    ("licensing.decisions", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert!(r.body.contains("页面已过期"), "{path}");
        if path.ends_with("/import") {
            // A file sent without the token, or with a wrong one.
            for fields in [&[][..], &[("csrf", "forged")][..]] {
                let file = Some(("目录.csv", CSV.as_bytes()));
                let r = post_multipart(&app, &admin, &path, fields, file).await;
                assert_eq!(r.status, StatusCode::FORBIDDEN, "multipart {path}");
            }
        }
    }
    assert_eq!(app.db.audit_count().await.unwrap(), audit_before);
    assert_eq!(entries(&app).await.len(), 1);
});

dbtest!(
    deleting_an_entry_that_an_item_fulfils_is_refused_on_its_page,
    |db| {
        let app = TestApp::with_demo(db).await;
        // Items point at the entry they fulfil with a foreign key; this stand-in table has the
        // same column and reference (store::item is built elsewhere).
        app.db
            .execute_raw(
                "CREATE TABLE catalogue_link_probe (id BIGINT PRIMARY KEY, \
             catalogue_entry_id BIGINT REFERENCES catalogue_entries (id))",
            )
            .await
            .unwrap();
        let id = app
            .db
            .create_catalogue_entry(
                &Actor::system("test"),
                OrganScope::system(DEMO),
                util::START,
                &entry("机构信息", "机构职能", None),
            )
            .await
            .unwrap()
            .id;
        assert_eq!(id, 1, "the probe row below names entry 1");
        app.db
            .execute_raw("INSERT INTO catalogue_link_probe (id, catalogue_entry_id) VALUES (1, 1)")
            .await
            .unwrap();
        let mut editor = demo_login(&app, "bianji").await;
        let csrf = editor.csrf().await;
        let audit_before = app.db.audit_count().await.unwrap();
        let r = editor
            .post(
                &format!("/console/organs/{DEMO}/catalogue/{id}/delete"),
                &[("csrf", &csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.text("#refusal").contains("不能删除"), "{}", r.body);
        assert_eq!(r.input("name").as_deref(), Some("机构职能"));
        assert_eq!(entries(&app).await.len(), 1);
        assert_eq!(app.db.audit_count().await.unwrap(), audit_before);
    }
);
