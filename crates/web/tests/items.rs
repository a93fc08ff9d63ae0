//! Proactive items end to end through the router, on SQLite and (with
//! GONGKAI_TEST_DATABASE_URL) PostgreSQL: an editor drafts with an attachment, reviewers and
//! the 负责人 take the chain (the editor's own approval refused), the item appears in its
//! column, on its page with its 索引号 and meta tags, in the Atom feed and the sitemap, and is
//! gone from all of them once withdrawn; bad input is refused with Chinese messages and
//! nothing saved; another organ's items are 404; the art. 26 list; the API.

mod util;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gongkai_store::item::{ItemContent, ItemStep};
use gongkai_store::{Actor, OrganScope, Role, dbtest};
use gongkai_web::demo::DEMO_PASSWORD;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use util::{Client, Resp, START, TestApp};

/// The demo organ.
const DEMO: i64 = 1;

async fn demo_login(app: &TestApp, username: &str) -> Client {
    let mut client = app.client();
    let r = client.login(username, DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "login {username}");
    client
}

/// A `multipart/form-data` POST with the client's cookies and any files.
async fn post_multipart(
    app: &TestApp,
    client: &Client,
    path: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &[u8])],
) -> Resp {
    let files: Vec<(&str, &str, &[u8])> = files.iter().map(|&(n, b)| ("files", n, b)).collect();
    util::post_multipart(app, client, path, fields, &files).await
}

fn item_id(location: &str) -> i64 {
    location
        .split('?')
        .next()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

fn draft_fields<'a>(csrf: &'a str, title: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("title", title),
        ("doc_number", "呼经开管发〔2026〕1号"),
        ("formed", "2026-01-05"),
        ("topic", "综合政务"),
        ("kind", "normative_document"),
        ("article20", "1"),
        ("openness", "proactive"),
        ("keywords", "扶持资金,企业"),
        ("body", body),
    ]
}

async fn step(client: &mut Client, id: i64, action: &str, fields: &[(&str, &str)]) -> Resp {
    let csrf = client.csrf().await;
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    client
        .post(
            &format!("/console/organs/{DEMO}/items/{id}/{action}"),
            &form,
        )
        .await
}

dbtest!(
    an_item_is_drafted_reviewed_signed_published_and_withdrawn_everywhere,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut editor = demo_login(&app, "bianji").await;
        let mut reviewer = demo_login(&app, "shenhe").await;
        let mut head = demo_login(&app, "fuzeren").await;
        let csrf = editor.csrf().await;
        let title = "呼伦贝尔经济技术开发区企业扶持资金管理办法<script>alert(1)</script>";
        let body = "<p>第一条 为规范企业扶持资金管理，制定本办法。</p><script>alert('x')</script><p onclick=\"steal()\">第二条</p>";
        let r = post_multipart(
            &app,
            &editor,
            &format!("/console/organs/{DEMO}/items/new"),
            &draft_fields(&csrf, title, body),
            &[("扶持资金管理办法.pdf", PDF)],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let id = item_id(r.location().unwrap());
        let page = editor
            .get(&format!("/console/organs/{DEMO}/items/{id}"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text("#stage").contains("草稿"));
        // The body lost its script and its handler before it was stored.
        let stored = app.db.item(OrganScope::system(DEMO), id).await.unwrap();
        let kept = &stored.working().content.body;
        assert!(
            !kept.contains("script") && !kept.contains("onclick"),
            "{kept}"
        );
        assert_eq!(stored.working().files.len(), 1);

        // The editor submits; an editor cannot approve (403) — no review role.
        assert_eq!(
            step(&mut editor, id, "submit", &[]).await.status,
            StatusCode::SEE_OTHER
        );
        let own = step(&mut editor, id, "review", &[("decision", "approve")]).await;
        assert_eq!(own.status, StatusCode::FORBIDDEN);
        // The 负责人 cannot sign before 科室审核 and 保密审查.
        let early = step(&mut head, id, "review", &[("decision", "approve")]).await;
        assert_eq!(early.status, StatusCode::FORBIDDEN);
        // The reviewer sees it under 待我审核 and approves both of the reviewer's steps.
        let mine = reviewer
            .get(&format!("/console/organs/{DEMO}/items?view=mine"))
            .await;
        assert!(
            mine.links()
                .contains(&format!("/console/organs/{DEMO}/items/{id}")),
            "{}",
            mine.body
        );
        for _ in 0..2 {
            let r = step(
                &mut reviewer,
                id,
                "review",
                &[("decision", "approve"), ("comment", "同意")],
            )
            .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        // 领导签发 publishes it.
        let r = step(
            &mut head,
            id,
            "review",
            &[("decision", "approve"), ("comment", "同意发布")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let item = app.db.item(OrganScope::system(DEMO), id).await.unwrap();
        let index = item.index_number.clone().unwrap();
        assert_eq!(
            index, "1/2026-00001",
            "no credit code: the organ id, year, serial"
        );
        let history = head
            .get(&format!("/console/organs/{DEMO}/items/{id}"))
            .await;
        let table = history.text("table.history");
        for needle in [
            "科室审核：通过",
            "保密审查：通过",
            "领导签发：通过",
            "发布",
            "shenhe",
            "fuzeren",
            "同意发布",
        ] {
            assert!(table.contains(needle), "{needle}: {table}");
        }

        let mut public = app.client();
        let path = format!("/zwgk/xxgk/{id}");
        // In its column (art. 20 (一)) with its 索引号.
        let column = public.get("/zwgk/fdzdgknr/1").await;
        assert!(column.links().contains(&path), "{}", column.body);
        assert!(column.text("main").contains(&index));
        assert!(!column.body.contains("本栏目暂无信息"));
        // On its page: the metadata table, the article tags, the title escaped.
        let page = public.get(&path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.text("#index-number"), index);
        assert!(
            !page.body.contains("<script>alert(1)"),
            "the title is escaped"
        );
        assert!(page.body.contains("&lt;script&gt;alert(1)"));
        assert!(!page.body.contains("alert('x')") && !page.body.contains("steal()"));
        assert_eq!(page.meta("ArticleTitle").as_deref(), Some(title));
        assert_eq!(page.meta("PubDate").as_deref(), Some("2026-01-05 09:00"));
        assert_eq!(
            page.meta("ContentSource").as_deref(),
            Some("呼伦贝尔经济技术开发区")
        );
        assert_eq!(page.meta("Keywords").as_deref(), Some("扶持资金,企业"));
        assert!(
            page.meta("Description")
                .unwrap()
                .contains("为规范企业扶持资金管理")
        );
        assert_eq!(page.meta("ColumnName").as_deref(), Some("政府信息公开目录"));
        assert!(page.meta("ColumnType").is_some());
        assert_eq!(
            page.meta("Url").as_deref(),
            Some(format!("https://kfq.hlbe.gov.cn{path}").as_str())
        );
        let meta = page.text("table.meta-table");
        for needle in [
            "主题分类",
            "综合政务",
            "呼经开管发〔2026〕1号",
            "2026-01-05",
            "有效",
            "主动公开",
        ] {
            assert!(meta.contains(needle), "{needle}: {meta}");
        }
        // The attachment, with its type and both file names.
        let file_link = page
            .links()
            .into_iter()
            .find(|l| l.contains("/files/"))
            .unwrap();
        let file = public.get(&file_link).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.headers["content-type"], "application/pdf");
        let disposition = file.headers["content-disposition"].to_str().unwrap();
        assert!(disposition.contains("filename=\"item-"), "{disposition}");
        assert!(
            disposition.contains("filename*=UTF-8''%E6%89%B6"),
            "{disposition}"
        );
        assert_eq!(file.body.as_bytes(), PDF);
        // In the feeds and the sitemap, with lastmod; in the 规范性文件 list with 有效性.
        let feed = public.get("/zwgk/fdzdgknr/1/atom.xml").await;
        assert!(
            feed.headers["content-type"]
                .to_str()
                .unwrap()
                .contains("atom")
        );
        assert!(
            feed.body
                .contains(&format!("https://kfq.hlbe.gov.cn{path}"))
        );
        assert!(
            feed.body.contains("&lt;script&gt;"),
            "titles are escaped in XML"
        );
        assert!(public.get("/zwgk/atom.xml").await.body.contains(&path));
        assert!(
            !public
                .get("/zwgk/fdzdgknr/2/atom.xml")
                .await
                .body
                .contains(&path)
        );
        let sitemap = public.get("/sitemap.xml").await;
        assert!(
            sitemap.body.contains(&format!(
                "<loc>https://kfq.hlbe.gov.cn{path}</loc><lastmod>2026-01-05</lastmod>"
            )),
            "{}",
            sitemap.body
        );
        assert!(public.get("/wzdt").await.links().contains(&path));
        let gfxwj = public.get("/zwgk/gfxwj").await;
        assert!(gfxwj.links().contains(&path));
        assert!(gfxwj.text("td.validity").contains("有效"));
        assert!(public.get("/").await.links().contains(&path));

        // Withdrawn: gone from every list, feed and the sitemap; the page and file are 404.
        let r = step(
            &mut editor,
            id,
            "withdraw",
            &[("comment", "内容需重新审定")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(public.get(&path).await.status, StatusCode::NOT_FOUND);
        assert_eq!(public.get(&file_link).await.status, StatusCode::NOT_FOUND);
        for list in [
            "/zwgk/fdzdgknr/1",
            "/zwgk/xxgk",
            "/zwgk/gfxwj",
            "/",
            "/wzdt",
        ] {
            assert!(!public.get(list).await.links().contains(&path), "{list}");
        }
        for feed in [
            "/zwgk/atom.xml",
            "/zwgk/fdzdgknr/1/atom.xml",
            "/sitemap.xml",
        ] {
            assert!(!public.get(feed).await.body.contains(&path), "{feed}");
        }
        // Its number stays its own: the next item gets the next serial.
        let next = app
            .db
            .item(OrganScope::system(DEMO), id)
            .await
            .unwrap()
            .index_number;
        assert_eq!(next.as_deref(), Some(index.as_str()));
    }
);

dbtest!(
    bad_attachments_are_refused_with_chinese_messages_and_nothing_is_saved,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut editor = demo_login(&app, "bianji").await;
        let csrf = editor.csrf().await;
        let audit = app.db.audit_count().await.unwrap();
        let path = format!("/console/organs/{DEMO}/items/new");
        // An executable renamed .pdf.
        let exe =
            b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0 This program cannot be run in DOS mode";
        let r = post_multipart(
            &app,
            &editor,
            &path,
            &draft_fields(&csrf, "保留的标题", "保留的正文"),
            &[("通知.pdf", exe)],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#error-files").contains("不是 PDF"), "{}", r.body);
        assert_eq!(r.input("title").as_deref(), Some("保留的标题"));
        assert!(r.text("#body").contains("保留的正文"));
        // A file over 20 MB.
        let big = {
            let mut b = b"%PDF-1.7\n".to_vec();
            b.resize(20 * 1024 * 1024 + 1, b' ');
            b
        };
        let r = post_multipart(
            &app,
            &editor,
            &path,
            &draft_fields(&csrf, "大文件", "正文"),
            &[("大文件.pdf", &big)],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#error-files").contains("超过 20 MB"), "{}", r.body);
        // A bad date and an unknown topic are shown at their fields.
        let mut fields = draft_fields(&csrf, "日期有误", "正文");
        fields[3] = ("formed", "2026-13-01");
        let r = post_multipart(&app, &editor, &path, &fields, &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#error-formed").contains("YYYY-MM-DD"));
        let mut fields = draft_fields(&csrf, "分类有误", "正文");
        fields[4] = ("topic", "不存在");
        let r = post_multipart(&app, &editor, &path, &fields, &[("a.pdf", PDF)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#error-topic").contains("主题分类"));
        // An over-long title is refused before any handler sees it.
        let long = "长".repeat(201);
        let r = post_multipart(
            &app,
            &editor,
            &path,
            &draft_fields(&csrf, &long, "正文"),
            &[],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("「标题」不能超过200个字"));
        assert_eq!(
            app.db.audit_count().await.unwrap(),
            audit,
            "nothing written"
        );
        assert!(
            app.db
                .items(OrganScope::system(DEMO))
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(app.db.blob_count().await.unwrap(), 0);
        // A DOCX and a PNG are accepted.
        let docx = b"PK\x03\x04\x14\0\0\0[Content_Types].xml....word/document.xml....";
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let r = post_multipart(
            &app,
            &editor,
            &path,
            &draft_fields(&csrf, "附件齐全", "正文"),
            &[("说明.docx", docx), ("图.png", png)],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let id = item_id(r.location().unwrap());
        let item = app.db.item(OrganScope::system(DEMO), id).await.unwrap();
        let types: Vec<&str> = item
            .working()
            .files
            .iter()
            .map(|f| f.content_type.as_str())
            .collect();
        assert_eq!(
            types,
            [
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "image/png"
            ]
        );
    }
);

dbtest!(
    another_organs_item_is_not_found_in_the_console_and_the_api,
    |db| {
        let app = TestApp::with_demo(db).await;
        let other = app.organ("乙机关").await;
        let item = app
            .db
            .create_item(
                &Actor::system("test"),
                OrganScope::system(other),
                START,
                app.state.today(),
                &content("乙机关的信息"),
                &[],
            )
            .await
            .unwrap();
        let mut editor = demo_login(&app, "bianji").await;
        for path in [
            format!("/console/organs/{DEMO}/items/{}", item.id),
            format!("/console/organs/{DEMO}/items/{}/edit", item.id),
        ] {
            let r = editor.get(&path).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        }
        let r = step(&mut editor, item.id, "submit", &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // The other organ's own console is forbidden outright.
        let r = editor
            .get(&format!("/console/organs/{other}/items/{}", item.id))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // The API: 404 on the own organ's path, 404 on the other organ's.
        let user = 3; // bianji
        let (token, _) = app
            .db
            .create_api_token(&Actor::system("test"), user, "测试", START)
            .await
            .unwrap();
        for path in [
            format!("/api/v1/organs/{DEMO}/items/{}", item.id),
            format!("/api/v1/organs/{other}/items/{}", item.id),
        ] {
            let r = api(&app, &token, "GET", &path, None).await;
            assert_eq!(r.0, StatusCode::NOT_FOUND, "{path}");
        }
        let r = api(
            &app,
            &token,
            "POST",
            &format!("/api/v1/organs/{DEMO}/items/{}/transitions", item.id),
            Some(json!({"action": "submit"})),
        )
        .await;
        assert_eq!(r.0, StatusCode::NOT_FOUND);
        assert_eq!(
            app.db
                .item(OrganScope::system(other), item.id)
                .await
                .unwrap()
                .events
                .len(),
            1
        );
    }
);

fn content(title: &str) -> ItemContent {
    ItemContent {
        title: title.into(),
        formed: Some(time::macros::date!(2025 - 11 - 03)),
        topic: "综合政务".into(),
        kind: "notice".into(),
        openness: "proactive".into(),
        body: "正文".into(),
        ..ItemContent::default()
    }
}

dbtest!(
    art26_lists_items_past_their_twenty_working_days_with_the_explanation,
    |db| {
        let app = TestApp::with_demo(db).await;
        let scope = OrganScope::system(DEMO);
        let sys = Actor::system("test");
        // Formed 2025-11-03: 20 working days end on 2025-12-01, long before 2026-01-05.
        let late = app
            .db
            .create_item(
                &sys,
                scope,
                START,
                app.state.today(),
                &content("逾期未公开的通知"),
                &[],
            )
            .await
            .unwrap();
        let fresh = app
            .db
            .create_item(
                &sys,
                scope,
                START,
                app.state.today(),
                &ItemContent {
                    formed: Some(time::macros::date!(2026 - 01 - 05)),
                    ..content("刚形成的通知")
                },
                &[],
            )
            .await
            .unwrap();
        let mut editor = demo_login(&app, "bianji").await;
        let page = editor
            .get(&format!("/console/organs/{DEMO}/items/deadlines"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let table = page.text("table.deadlines");
        assert!(table.contains("逾期未公开的通知"), "{table}");
        assert!(table.contains("2025-12-01"), "{table}");
        assert!(table.contains("已逾期"), "{table}");
        assert!(
            table.contains("第二十六条"),
            "the explanation names art. 26: {table}"
        );
        assert!(
            !table.contains("刚形成的通知"),
            "20 days left is not listed"
        );
        assert!(
            page.links()
                .contains(&format!("/console/organs/{DEMO}/items/{}", late.id))
        );
        let _ = fresh;
        // Published, it leaves the list.
        for s in [
            ItemStep::Submit {
                comment: String::new(),
            },
            ItemStep::Approve {
                comment: String::new(),
            },
            ItemStep::Approve {
                comment: String::new(),
            },
            ItemStep::Approve {
                comment: String::new(),
            },
        ] {
            app.db
                .item_step(&sys, scope, late.id, &s, app.state.today(), START)
                .await
                .unwrap();
        }
        let page = editor
            .get(&format!("/console/organs/{DEMO}/items/deadlines"))
            .await;
        assert!(!page.text("main").contains("逾期未公开的通知"));
        // A 承办人 has no business here.
        let mut handler = demo_login(&app, "chengban").await;
        let r = handler
            .get(&format!("/console/organs/{DEMO}/items/deadlines"))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
);

/// One API request: status and JSON.
async fn api(
    app: &TestApp,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    let body = match body {
        Some(v) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    let response = app
        .router
        .clone()
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

dbtest!(
    the_api_drafts_reviews_and_publishes_and_refuses_the_authors_own_approval,
    |db| {
        let app = TestApp::with_demo(db).await;
        let sys = Actor::system("test");
        // An account that both writes and reviews, and the demo's reviewer and 负责人.
        let both = app.staff(DEMO, "both", Role::Editor).await;
        app.db
            .grant_role(&sys, OrganScope::system(DEMO), START, both, Role::Reviewer)
            .await
            .unwrap();
        let token = async |user: i64| {
            app.db
                .create_api_token(&sys, user, "测试", START)
                .await
                .unwrap()
                .0
        };
        let author = token(both).await;
        let reviewer = token(4).await; // shenhe
        let head = token(2).await; // fuzeren
        let handler = token(5).await; // chengban
        let base = format!("/api/v1/organs/{DEMO}/items");
        let draft = json!({
            "title": "关于2026年春节假期安排的通知",
            "doc_number": "呼经开管办发〔2026〕2号",
            "category": "综合政务",
            "article20": 15,
            "kind": "notice",
            "formed": "2026-01-05",
            "body": "<p>根据国务院办公厅通知，现将春节假期安排通知如下。</p><script>x()</script>"
        });
        // A 承办人 may not write items.
        let (status, refused) = api(&app, &handler, "POST", &base, Some(draft.clone())).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
        // A bad category is named.
        let mut bad = draft.clone();
        bad["category"] = "无此分类".into();
        let (status, err) = api(&app, &author, "POST", &base, Some(bad)).await;
        assert_eq!(
            (status, err["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("category"))
        );
        let (status, created) = api(&app, &author, "POST", &base, Some(draft)).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["status"], "draft");
        assert_eq!(created["index_number"], Value::Null);
        assert_eq!(created["url"], Value::Null);
        assert!(!created["body"].as_str().unwrap().contains("script"));
        let id = created["id"].as_i64().unwrap();
        let transitions = format!("{base}/{id}/transitions");
        let act = async |token: &str, action: &str| {
            api(
                &app,
                token,
                "POST",
                &transitions,
                Some(json!({"action": action, "comment": "意见"})),
            )
            .await
        };
        assert_eq!(
            act(&author, "approve").await.0,
            StatusCode::CONFLICT,
            "a draft is not in review"
        );
        let (status, submitted) = act(&author, "submit").await;
        assert_eq!(status, StatusCode::OK, "{submitted}");
        assert_eq!(submitted["status"], "in_review");
        assert_eq!(submitted["current_step"]["name"], "科室审核");
        // The author, though a reviewer, never approves their own item.
        let (status, own) = act(&author, "approve").await;
        assert_eq!(status, StatusCode::CONFLICT, "{own}");
        assert_eq!(own["error"], "conflict");
        // 领导签发 waits for the reviewer's two steps.
        assert_eq!(act(&head, "approve").await.0, StatusCode::FORBIDDEN);
        assert_eq!(act(&reviewer, "approve").await.0, StatusCode::OK);
        let (_, second) = act(&reviewer, "approve").await;
        assert_eq!(second["current_step"]["name"], "领导签发");
        let (status, published) = act(&head, "approve").await;
        assert_eq!(status, StatusCode::OK, "{published}");
        assert_eq!(published["status"], "published");
        assert_eq!(published["index_number"], "1/2026-00001");
        assert_eq!(published["url"], format!("/zwgk/xxgk/{id}"));
        assert_eq!(published["published"], "2026-01-05");
        // The portal shows it.
        let mut public = app.client();
        assert_eq!(
            public.get(&format!("/zwgk/xxgk/{id}")).await.status,
            StatusCode::OK
        );
        // One item and the list with filters.
        let (status, shown) = api(&app, &reviewer, "GET", &format!("{base}/{id}"), None).await;
        assert_eq!(status, StatusCode::OK);
        let events: Vec<&str> = shown["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["event"].as_str().unwrap())
            .collect();
        assert_eq!(
            events,
            [
                "created",
                "submitted",
                "approved",
                "approved",
                "approved",
                "published"
            ]
        );
        for (query, count) in [
            ("?status=published", 1),
            ("?status=draft", 0),
            ("?kind=notice", 1),
            ("?kind=regulation", 0),
            ("?article20=15", 1),
            ("?year=2026", 1),
            ("?year=2025", 0),
        ] {
            let (status, list) = api(&app, &author, "GET", &format!("{base}{query}"), None).await;
            assert_eq!(status, StatusCode::OK, "{query}");
            assert_eq!(list["items"].as_array().unwrap().len(), count, "{query}");
        }
        let (status, _) = api(&app, &author, "GET", &format!("{base}?status=lost"), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        // Repeal records 有效性 废止; withdraw takes it off the portal.
        let (status, repealed) = api(
            &app,
            &author,
            "POST",
            &transitions,
            Some(json!({"action": "repeal", "date": "2026-01-05"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{repealed}");
        assert_eq!(repealed["validity"]["validity"], "repealed");
        let (status, _) = api(
            &app,
            &author,
            "POST",
            &transitions,
            Some(json!({"action": "withdraw"})),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a withdrawal needs its reason"
        );
        let (status, withdrawn) = act(&author, "withdraw").await;
        assert_eq!(
            (status, withdrawn["status"].as_str()),
            (StatusCode::OK, Some("withdrawn"))
        );
        assert_eq!(
            public.get(&format!("/zwgk/xxgk/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
        // Every write was audited, as in the console.
        let log = app
            .db
            .audit_log(OrganScope::system(DEMO), 50, 0)
            .await
            .unwrap();
        // create, submit, three approvals (the last also publishing), repeal, withdraw.
        assert_eq!(log.iter().filter(|e| e.entity == "item").count(), 7);
    }
);

dbtest!(a_policy_and_its_interpretation_link_to_each_other, |db| {
    let app = TestApp::with_demo(db).await;
    let scope = OrganScope::system(DEMO);
    let sys = Actor::system("test");
    let today = app.state.today();
    let publish = async |content: &ItemContent| {
        let item = app
            .db
            .create_item(&sys, scope, START, today, content, &[])
            .await
            .unwrap();
        for s in [
            ItemStep::Submit {
                comment: String::new(),
            },
            ItemStep::Approve {
                comment: String::new(),
            },
            ItemStep::Approve {
                comment: String::new(),
            },
            ItemStep::Approve {
                comment: String::new(),
            },
        ] {
            app.db
                .item_step(&sys, scope, item.id, &s, today, START)
                .await
                .unwrap();
        }
        item.id
    };
    let policy = publish(&ItemContent {
        kind: "normative_document".into(),
        ..content("扶持办法")
    })
    .await;
    let reading = publish(&ItemContent {
        kind: "interpretation".into(),
        interprets: Some(policy),
        ..content("《扶持办法》政策解读")
    })
    .await;
    let mut public = app.client();
    let p = public.get(&format!("/zwgk/xxgk/{policy}")).await;
    assert!(
        p.links_in("a.interpretation-link")
            .contains(&format!("/zwgk/xxgk/{reading}"))
    );
    let r = public.get(&format!("/zwgk/xxgk/{reading}")).await;
    assert!(
        r.links_in("a.policy-link")
            .contains(&format!("/zwgk/xxgk/{policy}"))
    );
    // A revision shows 更新于 while the first publication date stays.
    app.db
        .edit_item(
            &sys,
            scope,
            policy,
            START + 86_400,
            today,
            &ItemContent {
                kind: "normative_document".into(),
                ..content("扶持办法（修订）")
            },
            &[],
            &[],
        )
        .await
        .unwrap();
    let still = public.get(&format!("/zwgk/xxgk/{policy}")).await;
    assert!(still.text("h1").contains("扶持办法") && !still.text("h1").contains("修订"));
    for s in [
        ItemStep::Submit {
            comment: String::new(),
        },
        ItemStep::Approve {
            comment: String::new(),
        },
        ItemStep::Approve {
            comment: String::new(),
        },
        ItemStep::Approve {
            comment: String::new(),
        },
    ] {
        app.db
            .item_step(
                &sys,
                scope,
                policy,
                &s,
                time::macros::date!(2026 - 01 - 06),
                START + 86_400,
            )
            .await
            .unwrap();
    }
    // Written behind the page cache (as another process would): seen after its check.
    app.clock.advance(gongkai_web::page_cache::CHECK_SECONDS);
    let updated = public.get(&format!("/zwgk/xxgk/{policy}")).await;
    assert!(updated.text("h1").contains("修订"));
    assert_eq!(updated.text("#updated"), "更新于 2026-01-06");
    assert_eq!(updated.meta("PubDate").as_deref(), Some("2026-01-05 09:00"));
});

dbtest!(categories_page_twenty_items_at_a_time, |db| {
    let app = TestApp::with_demo(db).await;
    let scope = OrganScope::system(DEMO);
    let sys = Actor::system("test");
    let today = app.state.today();
    for n in 0..21 {
        let item = app
            .db
            .create_item(
                &sys,
                scope,
                START + n,
                today,
                &ItemContent {
                    article20: Some(7),
                    ..content(&format!("预算公开第{n}号"))
                },
                &[],
            )
            .await
            .unwrap();
        for s in [
            ItemStep::Submit {
                comment: String::new(),
            },
            ItemStep::Approve {
                comment: String::new(),
            },
            ItemStep::Approve {
                comment: String::new(),
            },
            ItemStep::Approve {
                comment: String::new(),
            },
        ] {
            app.db
                .item_step(&sys, scope, item.id, &s, today, START + n)
                .await
                .unwrap();
        }
    }
    let mut public = app.client();
    let first = public.get("/zwgk/fdzdgknr/7").await;
    assert_eq!(
        first
            .links()
            .iter()
            .filter(|l| l.starts_with("/zwgk/xxgk/"))
            .count(),
        20
    );
    assert!(
        first
            .links()
            .contains(&"/zwgk/fdzdgknr/7?page=2".to_owned())
    );
    let second = public.get("/zwgk/fdzdgknr/7?page=2").await;
    assert_eq!(
        second
            .links()
            .iter()
            .filter(|l| l.starts_with("/zwgk/xxgk/"))
            .count(),
        1
    );
    assert!(second.text("main").contains("预算公开第0号"), "oldest last");
    assert_eq!(
        public.get("/zwgk/fdzdgknr/7?page=x").await.status,
        StatusCode::OK
    );
});

dbtest!(
    the_demo_publishes_items_in_every_art20_category_and_loads_once,
    |db| {
        let app = TestApp::with_demo(db).await;
        let added = gongkai_web::demo::items::load(&app.db, DEMO, START)
            .await
            .unwrap();
        assert!(added >= 30, "{added}");
        assert_eq!(
            gongkai_web::demo::items::load(&app.db, DEMO, START)
                .await
                .unwrap(),
            0
        );
        let items = app.db.items(OrganScope::system(DEMO)).await.unwrap();
        let stages: Vec<&str> = items.iter().map(|i| i.stage().key()).collect();
        for stage in ["withdrawn", "in_review", "draft", "published"] {
            assert!(stages.contains(&stage), "{stage}");
        }
        for item in &items {
            assert!(item.working().content.body.contains("（演示数据）"));
        }
        let public = app.db.public_items(DEMO).await.unwrap();
        for n in 1..=15u8 {
            assert!(
                public
                    .iter()
                    .any(|i| i.public().unwrap().content.article20 == Some(n)),
                "category {n}"
            );
        }
        assert!(
            public
                .iter()
                .any(|i| i.progress().validity.key == "repealed")
        );
        assert!(
            public
                .iter()
                .any(|i| i.public().unwrap().content.interprets.is_some())
        );
        // Every public page of the demo renders.
        let mut visitor = app.client();
        for path in [
            "/",
            "/zwgk/xxgk",
            "/zwgk/gfxwj",
            "/zwgk/fdzdgknr/1",
            "/zwgk/atom.xml",
        ] {
            assert_eq!(visitor.get(path).await.status, StatusCode::OK, "{path}");
        }
        for item in &public {
            let r = visitor.get(&format!("/zwgk/xxgk/{}", item.id)).await;
            assert_eq!(r.status, StatusCode::OK);
        }
    }
);
