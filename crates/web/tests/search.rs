//! 信息检索 end to end, on SQLite and (with GONGKAI_TEST_DATABASE_URL) PostgreSQL: an item
//! published through the console is found by a word of its body and by its 文号 in another
//! bracket form; withdrawn, it is gone; a published revision replaces the old text; 有效性
//! follows; filters by column and year; hostile queries never fail; the page's frame and
//! labels; an index rebuilt at start from items published before it existed; two servers on
//! one directory; a failed index write keeps the store's write and is repaired.
//!
//! 条例 art. 24: the 政府信息公开平台 "应当具备信息检索、查阅、下载等功能".

mod util;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gongkai_search::Query;
use gongkai_store::dbtest;
use gongkai_store::testing::TestDb;
use gongkai_web::demo::DEMO_PASSWORD;
use gongkai_web::{AppState, ManualClock};
use http_body_util::BodyExt;
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

/// A `multipart/form-data` POST with the client's cookies (the item form takes files).
async fn post_multipart(
    app: &TestApp,
    client: &Client,
    path: &str,
    fields: &[(&str, &str)],
) -> Resp {
    const BOUNDARY: &str = "----gongkai-search-boundary";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    let cookies = client
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let request = Request::post(path)
        .header(header::HOST, "kfq.example.test")
        .header(header::COOKIE, cookies)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Resp {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// What an item says.
struct Draft<'a> {
    title: &'a str,
    doc_number: &'a str,
    article20: &'a str,
    kind: &'a str,
    body: &'a str,
}

impl<'a> Draft<'a> {
    fn fields(&self, csrf: &'a str) -> Vec<(&'a str, &'a str)> {
        vec![
            ("csrf", csrf),
            ("title", self.title),
            ("doc_number", self.doc_number),
            ("formed", "2026-01-05"),
            ("topic", "综合政务"),
            ("kind", self.kind),
            ("article20", self.article20),
            ("openness", "proactive"),
            ("body", self.body),
        ]
    }
}

/// The three people of the default chain (科室审核, 保密审查 by the reviewer; 领导签发 by the
/// 负责人) and the editor.
struct Desk {
    editor: Client,
    reviewer: Client,
    head: Client,
}

impl Desk {
    async fn open(app: &TestApp) -> Desk {
        Desk {
            editor: demo_login(app, "bianji").await,
            reviewer: demo_login(app, "shenhe").await,
            head: demo_login(app, "fuzeren").await,
        }
    }

    /// Drafts `draft` and takes it through the chain to publication; its id.
    async fn publish(&mut self, app: &TestApp, draft: &Draft<'_>) -> i64 {
        let csrf = self.editor.csrf().await;
        let r = post_multipart(
            app,
            &self.editor,
            &format!("/console/organs/{DEMO}/items/new"),
            &draft.fields(&csrf),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let id: i64 = r
            .location()
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        self.through_the_chain(id).await;
        id
    }

    /// Saves a new version of a published item and publishes it.
    async fn revise(&mut self, app: &TestApp, id: i64, draft: &Draft<'_>) {
        let csrf = self.editor.csrf().await;
        let r = post_multipart(
            app,
            &self.editor,
            &format!("/console/organs/{DEMO}/items/{id}/edit"),
            &draft.fields(&csrf),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        self.through_the_chain(id).await;
    }

    async fn through_the_chain(&mut self, id: i64) {
        assert_eq!(
            step(&mut self.editor, id, "submit", &[]).await.status,
            StatusCode::SEE_OTHER
        );
        for _ in 0..2 {
            let r = step(&mut self.reviewer, id, "review", &[("decision", "approve")]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        let r = step(&mut self.head, id, "review", &[("decision", "approve")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
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

/// The search page for a query string (already encoded where it must be).
async fn search(client: &mut Client, query: &str) -> Resp {
    let r = client.get(&format!("/zwgk/search?{query}")).await;
    assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.body);
    r
}

/// The item pages a result page links to, in order.
fn hits(page: &Resp) -> Vec<String> {
    page.links_in("ol.hits h3 a")
}

fn q(text: &str) -> String {
    format!(
        "q={}",
        util::form_encode(&[("", text)]).trim_start_matches('=')
    )
}

const REINDEER: Draft<'static> = Draft {
    title: "呼伦贝尔经济技术开发区驯鹿养殖扶持办法",
    doc_number: "呼经开管发〔2026〕41号",
    article20: "1",
    kind: "normative_document",
    body: "<p>第一条 为保护驯鹿养殖户的合法权益，促进特色养殖业发展，制定本办法。</p><p>第二条 本办法适用于开发区内的驯鹿养殖场。</p>",
};

dbtest!(
    a_published_item_is_found_by_a_word_of_its_body_and_by_its_doc_number_in_any_bracket_form,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut desk = Desk::open(&app).await;
        let id = desk.publish(&app, &REINDEER).await;
        let path = format!("/zwgk/xxgk/{id}");
        let mut public = app.client();

        let found = search(&mut public, &q("养殖户")).await;
        assert_eq!(hits(&found), std::slice::from_ref(&path), "{}", found.body);
        assert!(
            found.text("#count").contains("1"),
            "{}",
            found.text("#count")
        );
        // The word is marked in the snippet; the title link is the item's page.
        let snippet = found.text("ol.hits .snippet");
        assert!(snippet.contains("养殖户"), "{snippet}");
        assert!(found.body.contains("<em>养殖户</em>"), "{}", found.body);
        assert!(!found.text("ol.hits").contains("文号相符"));

        // 文号 typed with square, round or full-width brackets: the exact hit, marked.
        for typed in [
            "呼经开管发[2026]41号",
            "呼经开管发(2026)41号",
            "呼经开管发（2026）41号",
            "呼经开管发〔2026〕41号",
        ] {
            let r = search(&mut public, &q(typed)).await;
            assert_eq!(hits(&r), std::slice::from_ref(&path), "{typed}: {}", r.body);
            assert!(
                r.text("ol.hits .exact-mark").contains("文号相符"),
                "{typed}"
            );
        }
        // The 索引号 too.
        let item = app
            .db
            .item(gongkai_store::OrganScope::system(DEMO), id)
            .await
            .unwrap();
        let index_number = item.index_number.unwrap();
        let r = search(&mut public, &q(&index_number)).await;
        assert_eq!(hits(&r), std::slice::from_ref(&path), "{index_number}");
        assert!(r.text(".exact-mark").contains("索引号相符"));
        // Another 文号 finds nothing, and the page says what to try.
        let none = search(&mut public, &q("呼经开管发〔2026〕42号")).await;
        assert!(hits(&none).is_empty(), "{}", none.body);
        let advice = none.text("#no-results");
        for needle in ["没有找到", "检查检索词", "按文号检索", "政府信息公开目录"]
        {
            assert!(advice.contains(needle), "{needle}: {advice}");
        }
    }
);

dbtest!(a_withdrawn_item_is_never_found, |db| {
    let app = TestApp::with_demo(db).await;
    let mut desk = Desk::open(&app).await;
    let id = desk.publish(&app, &REINDEER).await;
    let path = format!("/zwgk/xxgk/{id}");
    let mut public = app.client();
    assert_eq!(
        hits(&search(&mut public, &q("驯鹿")).await),
        std::slice::from_ref(&path)
    );
    let r = step(
        &mut desk.editor,
        id,
        "withdraw",
        &[("comment", "内容需重新审定")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for typed in ["驯鹿", "呼经开管发[2026]41号"] {
        let r = search(&mut public, &q(typed)).await;
        assert!(hits(&r).is_empty(), "{typed}: {}", r.body);
        assert!(!r.links().contains(&path), "{typed}");
    }
    // Removed from the index itself, not only hidden by the page.
    assert_eq!(app.state.search.num_items(), 0);
    // Listing everything (no words, a filter) does not list it either.
    assert!(hits(&search(&mut public, "column=1").await).is_empty());
});

dbtest!(
    a_published_revision_replaces_the_old_text_and_a_new_validity_is_searched,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut desk = Desk::open(&app).await;
        let id = desk.publish(&app, &REINDEER).await;
        let path = format!("/zwgk/xxgk/{id}");
        let mut public = app.client();
        let revised = Draft {
            body: "<p>第一条 为保护驯鹿和樟子松林的生态环境，制定本办法。</p>",
            ..REINDEER
        };
        // While the revision is being written and reviewed, the published text is searched.
        let csrf = desk.editor.csrf().await;
        let r = post_multipart(
            &app,
            &desk.editor,
            &format!("/console/organs/{DEMO}/items/{id}/edit"),
            &revised.fields(&csrf),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            hits(&search(&mut public, &q("养殖户")).await),
            std::slice::from_ref(&path)
        );
        assert!(hits(&search(&mut public, &q("樟子松")).await).is_empty());
        // Published: the new text replaces the old.
        desk.through_the_chain(id).await;
        assert!(
            hits(&search(&mut public, &q("养殖户")).await).is_empty(),
            "the old word no longer finds it"
        );
        assert_eq!(
            hits(&search(&mut public, &q("樟子松")).await),
            std::slice::from_ref(&path)
        );
        assert_eq!(app.state.search.num_items(), 1, "replaced, not added");

        // 废止: the hit says so, and the index's 有效性 follows.
        let r = step(
            &mut desk.editor,
            id,
            "validity",
            &[
                ("validity", "repealed"),
                ("since", "2026-01-05"),
                ("comment", "已废止"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let found = search(&mut public, &q("樟子松")).await;
        assert!(found.text("ol.hits .validity").contains("废止"));
        let repealed = app
            .state
            .search
            .search(Query {
                validity: Some("repealed".into()),
                ..Query::new("樟子松")
            })
            .await
            .unwrap();
        assert_eq!(repealed.hits.len(), 1);
        // Another revision under another name, the same search replaces it again.
        desk.revise(
            &app,
            id,
            &Draft {
                title: "呼伦贝尔经济技术开发区樟子松林保护办法",
                ..revised
            },
        )
        .await;
        let found = search(&mut public, &q("樟子松林保护")).await;
        assert_eq!(hits(&found), [path]);
        assert!(found.text("ol.hits h3").contains("保护办法"));
    }
);

dbtest!(filters_by_column_and_year_narrow_the_results, |db| {
    let app = TestApp::with_demo(db).await;
    let mut desk = Desk::open(&app).await;
    let rules = desk.publish(&app, &REINDEER).await;
    // A year later (new sessions: the old ones have expired), a 统计 item (art. 20 (四)) that
    // also speaks of 驯鹿.
    app.clock.advance(366 * 86_400);
    let mut desk = Desk::open(&app).await;
    let census = desk
        .publish(
            &app,
            &Draft {
                title: "开发区驯鹿存栏数量统计",
                doc_number: "",
                article20: "4",
                kind: "statistics",
                body: "年末驯鹿存栏一千二百头。",
            },
        )
        .await;
    let mut public = app.client();
    let path = |id: i64| format!("/zwgk/xxgk/{id}");
    let both = hits(&search(&mut public, &q("驯鹿")).await);
    assert_eq!(both.len(), 2, "{both:?}");
    let by_column = |column: &str| format!("{}&column={column}", q("驯鹿"));
    assert_eq!(
        hits(&search(&mut public, &by_column("1")).await),
        [path(rules)]
    );
    assert_eq!(
        hits(&search(&mut public, &by_column("4")).await),
        [path(census)]
    );
    assert!(hits(&search(&mut public, &by_column("7")).await).is_empty());
    let by_year = |year: &str| format!("{}&year={year}", q("驯鹿"));
    assert_eq!(
        hits(&search(&mut public, &by_year("2026")).await),
        [path(rules)]
    );
    assert_eq!(
        hits(&search(&mut public, &by_year("2027")).await),
        [path(census)]
    );
    assert!(hits(&search(&mut public, &by_year("2025")).await).is_empty());
    // 体裁, and newest first.
    let by_kind = format!("{}&kind=statistics", q("驯鹿"));
    assert_eq!(hits(&search(&mut public, &by_kind).await), [path(census)]);
    let newest = format!("{}&order=newest", q("驯鹿"));
    assert_eq!(
        hits(&search(&mut public, &newest).await),
        [path(census), path(rules)]
    );
    // No words, a filter: everything in it, and the form keeps the choices.
    let listed = search(&mut public, "column=4&year=2027").await;
    assert_eq!(hits(&listed), [path(census)]);
    assert!(listed.body.contains("<option value=\"4\" selected>"));
    assert!(listed.body.contains("<option value=\"2027\" selected>"));
});

dbtest!(
    paging_keeps_the_query_and_a_page_past_the_end_shows_the_last,
    |db| {
        let app = TestApp::with_demo(db).await;
        gongkai_web::demo::items::load(&app.db, DEMO, START)
            .await
            .unwrap();
        let mut public = app.client();
        // A word most demo items carry, newest first: more than one page of 10.
        let first = search(&mut public, "q=%E5%BC%80%E5%8F%91%E5%8C%BA&order=newest").await;
        assert_eq!(hits(&first).len(), 10, "{}", first.body);
        let next = first.links_in("nav.pager a[rel=next]");
        assert_eq!(
            next,
            ["/zwgk/search?q=%E5%BC%80%E5%8F%91%E5%8C%BA&order=newest&page=2"]
        );
        let second = search(
            &mut public,
            "q=%E5%BC%80%E5%8F%91%E5%8C%BA&order=newest&page=2",
        )
        .await;
        assert!(!hits(&second).is_empty());
        assert!(hits(&second).iter().all(|h| !hits(&first).contains(h)));
        assert_eq!(
            second.links_in("nav.pager a[rel=prev]"),
            ["/zwgk/search?q=%E5%BC%80%E5%8F%91%E5%8C%BA&order=newest&page=1"]
        );
        let far = search(
            &mut public,
            "q=%E5%BC%80%E5%8F%91%E5%8C%BA&order=newest&page=9999",
        )
        .await;
        assert!(!hits(&far).is_empty(), "the last page, not an empty one");
        assert!(far.links_in("nav.pager a[rel=next]").is_empty());
        for junk in ["page=abc", "page=0", "page=-1"] {
            let r = search(
                &mut public,
                &format!("q=%E5%BC%80%E5%8F%91%E5%8C%BA&order=newest&{junk}"),
            )
            .await;
            assert_eq!(hits(&r), hits(&first), "{junk}");
        }
    }
);

dbtest!(hostile_queries_are_answered_never_with_an_error, |db| {
    let app = TestApp::with_demo(db).await;
    let mut desk = Desk::open(&app).await;
    let id = desk.publish(&app, &REINDEER).await;
    let path = format!("/zwgk/xxgk/{id}");
    let mut public = app.client();
    for hostile in [
        "\"",
        "\"驯鹿",
        "“驯鹿”",
        "title:驯鹿",
        "body:* OR 1=1",
        "驯鹿 AND NOT OR",
        "(((驯鹿",
        "*",
        "?",
        "\\",
        "[2026",
        "〔〕号",
        "'; DROP TABLE items; --",
        "<script>alert(1)</script>",
        "%00",
        "   ",
    ] {
        let r = public.get(&format!("/zwgk/search?{}", q(hostile))).await;
        assert_eq!(r.status, StatusCode::OK, "{hostile:?}: {}", r.body);
        assert!(
            !r.body.contains("<script>alert(1)"),
            "{hostile:?} is escaped"
        );
    }
    // A phrase in quotes, typed as a visitor would.
    assert_eq!(hits(&search(&mut public, &q("“驯鹿养殖户”")).await), [path]);
    // 150 characters: searched by the first 100, and the page says so.
    let long: String = "驯鹿".repeat(75);
    let r = search(&mut public, &q(&long)).await;
    assert!(r.text("#cut").contains("前100个字"), "{}", r.body);
    // 1,000 characters, a control character, a filter the form does not offer: 422 with the
    // message at the field and the words kept.
    let r = public
        .get(&format!("/zwgk/search?{}", q(&"驯".repeat(1000))))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("检索词"), "{}", r.body);
    let r = public.get("/zwgk/search?q=%E9%A9%AF%01").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (query, field, message) in [
        ("column=99", "column", "信息类别"),
        ("column=abc", "column", "信息类别"),
        ("year=20x6", "year", "四位数字的年份"),
        ("kind=poem", "kind", "体裁"),
        ("order=random", "order", "排序"),
    ] {
        let r = public
            .get(&format!("/zwgk/search?{}&{query}", q("驯鹿")))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(
            r.text(&format!("#err-{field}")).contains(message),
            "{query}: {}",
            r.body
        );
        assert_eq!(r.input("q").as_deref(), Some("驯鹿"), "{query}");
        assert!(
            r.links_in(&format!("#form-errors a[href=\"#{field}\"]"))
                .len()
                == 1
        );
        assert!(hits(&r).is_empty());
    }
});

dbtest!(
    the_search_page_carries_the_frame_and_labels_every_control,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut public = app.client();
        let page = search(&mut public, "").await;
        assert_eq!(
            page.meta("SiteName").as_deref(),
            Some("呼伦贝尔经济技术开发区")
        );
        assert_eq!(page.meta("SiteIDCode").as_deref(), Some("1507000009"));
        assert_eq!(page.meta("ColumnName").as_deref(), Some("信息检索"));
        for tag in ["ColumnDescription", "ColumnKeywords", "ColumnType"] {
            assert!(page.meta(tag).is_some(), "{tag}");
        }
        assert!(page.body.contains("<html lang=\"zh-CN\">"));
        assert!(page.text("footer").contains("政府网站标识码：1507000009"));
        assert!(!page.body.contains("<script"), "no JavaScript");
        assert!(
            page.body.contains("name=\"viewport\""),
            "the phone's viewport"
        );
        // The empty query explains how to search.
        assert!(page.text(".search-help").contains("文号"), "{}", page.body);
        assert!(hits(&page).is_empty());
        // Every control has a <label for> naming it (not only a placeholder); the form is GET.
        let doc = scraper::Html::parse_document(&page.body);
        let controls = scraper::Selector::parse("main input, main select").unwrap();
        let mut seen = 0;
        for control in doc.select(&controls) {
            let id = control.value().attr("id").expect("every control has an id");
            let label = scraper::Selector::parse(&format!("label[for=\"{id}\"]")).unwrap();
            let text: String = doc
                .select(&label)
                .next()
                .unwrap_or_else(|| panic!("no label for #{id}"))
                .text()
                .collect();
            assert!(!text.trim().is_empty(), "#{id}");
            seen += 1;
        }
        assert_eq!(seen, 5, "q, column, year, kind, order");
        let form = scraper::Selector::parse("main form[role=search][method=get]").unwrap();
        assert_eq!(doc.select(&form).count(), 1);
        // The stylesheet the page links is served.
        let css = public.get("/static/search.css").await;
        assert_eq!(css.status, StatusCode::OK);
        assert!(
            css.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/css")
        );

        // The home page and the 专栏 carry a labelled search box that points here, and every
        // page's header links to it.
        for path in ["/", "/zwgk"] {
            let r = public.get(path).await;
            let doc = scraper::Html::parse_document(&r.body);
            let box_ = scraper::Selector::parse("main form[role=search]").unwrap();
            let form = doc
                .select(&box_)
                .next()
                .unwrap_or_else(|| panic!("{path}: no search box"));
            assert_eq!(form.value().attr("action"), Some("/zwgk/search"), "{path}");
            assert_eq!(form.value().attr("method"), Some("get"), "{path}");
            let input = scraper::Selector::parse("input[name=q]").unwrap();
            let id = form
                .select(&input)
                .next()
                .unwrap()
                .value()
                .attr("id")
                .unwrap()
                .to_owned();
            assert!(r.body.contains(&format!("<label for=\"{id}\">")), "{path}");
            assert!(
                r.links_in("nav.top-nav a")
                    .contains(&"/zwgk/search".to_owned())
            );
        }
    }
);

/// An app on `db` whose index lives in `dir`, as `gongkai serve` makes it.
fn app_on_dir(db: &TestDb, dir: &std::path::Path) -> (AppState, axum::Router) {
    let mut config = util::config();
    config.search.dir = dir.to_path_buf();
    let clock = Arc::new(ManualClock::new(START));
    let state = AppState::with_clock(db.store().clone(), config, clock).unwrap();
    let router = gongkai_web::router::build(state.clone());
    (state, router)
}

/// The item pages found for `text` through `router`.
async fn found_on(router: &axum::Router, text: &str) -> Vec<String> {
    let request = Request::get(format!("/zwgk/search?{}", q(text)))
        .header(header::HOST, "kfq.example.test")
        .body(Body::empty())
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    hits(&Resp {
        status: StatusCode::OK,
        headers: Default::default(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

dbtest!(
    items_published_before_the_index_existed_are_found_once_it_is_rebuilt_at_start,
    |db| {
        // The store first: the demo's items, published while no index existed.
        let app = TestApp::with_demo(db).await;
        gongkai_web::demo::items::load(&app.db, DEMO, START)
            .await
            .unwrap();
        let published = app.db.public_items(DEMO).await.unwrap().len() as u64;
        assert!(published > 20);
        let dir = tempfile::tempdir().unwrap();
        let index_dir = dir.path().join("gongkai.db.search");

        let (state, router) = app_on_dir(&app.db, &index_dir);
        assert_eq!(
            state.search.num_items(),
            0,
            "nothing yet: rebuilt on first use"
        );
        let found = found_on(&router, "扬尘").await;
        assert!(!found.is_empty());
        assert_eq!(state.search.num_items(), published);
        let exact = found_on(&router, "呼经开管发[2025]11号").await;
        assert_eq!(exact.len(), 1, "{exact:?}");
        drop(router);
        drop(state);

        // The next start takes the index as it is (its generation was recorded).
        let (state, router) = app_on_dir(&app.db, &index_dir);
        assert_eq!(state.search.num_items(), published, "opened, not emptied");
        assert_eq!(found_on(&router, "呼经开管发[2025]11号").await, exact);
        drop(router);
        drop(state);

        // An index of another version is recreated and rebuilt, never read.
        std::fs::write(
            index_dir.join("gongkai-search.version"),
            "gongkai-search schema 0\n",
        )
        .unwrap();
        let (state, router) = app_on_dir(&app.db, &index_dir);
        assert_eq!(state.search.num_items(), 0);
        assert_eq!(found_on(&router, "呼经开管发[2025]11号").await, exact);
        assert_eq!(state.search.num_items(), published);
    }
);

/// Polls `check` for up to ten seconds (an index reader sees another process's commit a
/// moment after it).
async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !check().await {
        assert!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

dbtest!(
    two_servers_on_one_directory_one_writes_the_other_reads_and_a_withdrawal_anywhere_is_never_listed,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut desk = Desk::open(&app).await;
        let dir = tempfile::tempdir().unwrap();
        let (first, first_router) = app_on_dir(&app.db, dir.path());
        let (second, second_router) = app_on_dir(&app.db, dir.path());
        // The first server indexes an item published through the test app's console (another
        // process, as far as both servers know) and keeps the writer.
        let id = desk.publish(&app, &REINDEER).await;
        let path = format!("/zwgk/xxgk/{id}");
        assert_eq!(found_on(&first_router, "驯鹿").await, std::slice::from_ref(&path));
        let other = desk
            .publish(
                &app,
                &Draft {
                    title: "开发区驯鹿存栏数量统计",
                    doc_number: "",
                    article20: "4",
                    kind: "statistics",
                    body: "年末驯鹿存栏一千二百头。",
                },
            )
            .await;
        first.search.keep_in_step(&app.db).await;
        assert!(!first.search.read_only());
        // The second finds the writer taken: it serves read-only what the first commits.
        second.search.keep_in_step(&app.db).await;
        assert!(second.search.read_only());
        eventually("the second server reads the first one's commits", async || {
            found_on(&second_router, "驯鹿").await.len() == 2
        })
        .await;
        // Withdrawn (through a server whose index cannot be written): never listed by either.
        let r = step(&mut desk.editor, other, "withdraw", &[("comment", "数据有误")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(found_on(&second_router, "驯鹿").await, std::slice::from_ref(&path));
        // The writer applies the withdrawal at its next check; the reader then sees it gone
        // from the index too.
        first.search.keep_in_step(&app.db).await;
        assert_eq!(found_on(&first_router, "驯鹿").await, std::slice::from_ref(&path));
        eventually("the reader's index drops the withdrawn item", async || {
            second.search.num_items() == 1
        })
        .await;
    }
);

/// The test app on `db` with its index in `dir` (the demo loaded).
async fn app_with_index_in(db: TestDb, dir: &std::path::Path) -> TestApp {
    let mut config = util::config();
    config.search.dir = dir.to_path_buf();
    let clock = Arc::new(ManualClock::new(START));
    let state = AppState::with_clock(db.store().clone(), config, clock.clone()).unwrap();
    let router = gongkai_web::router::build(state.clone());
    gongkai_web::demo::load(&db, &state.passwords, START)
        .await
        .unwrap();
    TestApp {
        db,
        state,
        clock,
        router,
    }
}

/// `chattr +i` / `-i`: a directory nobody, root included, can write in. `false` where the
/// file system or the user cannot (the test is then skipped).
fn immutable(dir: &std::path::Path, on: bool) -> bool {
    std::process::Command::new("chattr")
        .arg(if on { "+i" } else { "-i" })
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success())
}

dbtest!(
    a_failed_index_write_keeps_the_published_item_and_the_next_check_rebuilds,
    |db| {
        let dir = tempfile::tempdir().unwrap();
        let index_dir = dir.path().join("index");
        let app = app_with_index_in(db, &index_dir).await;
        let mut desk = Desk::open(&app).await;
        let first = desk.publish(&app, &REINDEER).await;
        let mut public = app.client();
        assert_eq!(
            hits(&search(&mut public, &q("驯鹿")).await),
            [format!("/zwgk/xxgk/{first}")]
        );
        if !immutable(&index_dir, true) {
            eprintln!("skipped: chattr +i is not available here");
            return;
        }
        // The index cannot be written: publishing still succeeds, and the item is public.
        let census = Draft {
            title: "开发区驯鹿存栏数量统计",
            doc_number: "",
            article20: "4",
            kind: "statistics",
            body: "年末驯鹿存栏一千二百头。",
        };
        let second = desk.publish(&app, &census).await;
        let stored = app.db.public_item(DEMO, second).await.unwrap();
        assert!(stored.is_some(), "the store's write stands");
        let r = public.get(&format!("/zwgk/xxgk/{second}")).await;
        assert_eq!(r.status, StatusCode::OK);
        // Searching still works from the index as it was.
        let during = search(&mut public, &q("驯鹿")).await;
        assert_eq!(hits(&during), [format!("/zwgk/xxgk/{first}")]);
        assert!(immutable(&index_dir, false));
        // Writable again: the next check rebuilds from the store.
        let after = search(&mut public, &q("驯鹿")).await;
        assert_eq!(hits(&after).len(), 2, "{}", after.body);
        assert_eq!(app.state.search.num_items(), 2);
    }
);
