//! The cache of rendered public pages (issue 12, item 10): hits without rendering, ETag and
//! `304`, gzip and brotli, `Vary`; invalidation by this process's writes and, through the
//! store's write generation, by another process's; the pages never kept; the 长者模式 variant.
//! Each runs on SQLite and (with GONGKAI_TEST_DATABASE_URL) PostgreSQL.

mod util;

use std::io::Read;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::response::{Html, IntoResponse};
use axum::routing;
use gongkai_store::{Actor, OrganScope, dbtest};
use gongkai_web::AppState;
use http_body_util::BodyExt;
use tower::ServiceExt;
use util::{START, TestApp};

/// A response with its raw body (the test client reads bodies as text, which gzip is not).
struct Raw {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }
}

async fn send(router: &Router, method: &str, path: &str, headers: &[(&str, &str)]) -> Raw {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Raw {
        status,
        headers,
        body: body.to_vec(),
    }
}

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Raw {
    send(&app.router, "GET", path, headers).await
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn unbrotli(bytes: &[u8]) -> String {
    let mut text = String::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// Changes the portal organ's 联系方式 (printed in every page's footer) through the store, as
/// the CLI or a second server would: behind this process's back.
async fn change_contact_elsewhere(app: &TestApp, contact: &str) {
    let mut settings = app.db.organ(1).await.unwrap().settings;
    settings.site_contact = contact.to_owned();
    app.db
        .update_organ_settings(
            &Actor::system("cli"),
            OrganScope::system(1),
            START,
            &settings,
        )
        .await
        .unwrap();
}

dbtest!(
    a_second_get_of_the_home_page_is_served_from_the_cache_with_etag_and_vary,
    |db| {
        let app = TestApp::with_demo(db).await;
        let cache = &app.state.page_cache;
        let first = get(&app, "/", &[]).await;
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!((cache.hits(), cache.misses()), (0, 1));
        let second = get(&app, "/", &[]).await;
        assert_eq!((cache.hits(), cache.misses()), (1, 1));
        assert_eq!(second.status, StatusCode::OK);
        assert_eq!(second.body, first.body);
        assert!(second.text().contains("呼伦贝尔经济技术开发区"));
        let etag = second.header(header::ETAG).unwrap();
        assert_eq!(first.header(header::ETAG), Some(etag));
        assert!(
            etag.starts_with('"') && etag.ends_with('"') && etag.len() > 20,
            "{etag}"
        );
        assert_eq!(second.header(header::CACHE_CONTROL), Some("no-cache"));
        assert_eq!(second.header(header::VARY), Some("Accept-Encoding, Cookie"));
        assert_eq!(
            second.header(header::CONTENT_TYPE),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(
            second.header(header::CONTENT_LENGTH),
            Some(first.body.len().to_string().as_str())
        );
        // A page from the cache still carries the security headers.
        assert_eq!(second.header(header::X_FRAME_OPTIONS), Some("DENY"));
        assert_eq!(
            second.header(header::X_CONTENT_TYPE_OPTIONS),
            Some("nosniff")
        );
        // HEAD is answered from the same page, without the body.
        let head = send(&app.router, "HEAD", "/", &[]).await;
        assert_eq!(cache.hits(), 2);
        assert_eq!(head.status, StatusCode::OK);
        assert!(head.body.is_empty());
        assert_eq!(head.header(header::ETAG), Some(etag));
    }
);

dbtest!(
    a_request_with_the_pages_etag_gets_304_and_another_etag_gets_the_page,
    |db| {
        let app = TestApp::with_demo(db).await;
        let page = get(&app, "/zwgk/nianbao/2022", &[]).await;
        assert_eq!(page.status, StatusCode::OK);
        let etag = page.header(header::ETAG).unwrap().to_owned();
        for sent in [
            etag.clone(),
            format!("W/{etag}"),
            format!("\"other\", {etag}"),
        ] {
            let r = get(&app, "/zwgk/nianbao/2022", &[("if-none-match", &sent)]).await;
            assert_eq!(r.status, StatusCode::NOT_MODIFIED, "{sent}");
            assert!(r.body.is_empty());
            assert_eq!(r.header(header::ETAG), Some(etag.as_str()));
            assert_eq!(r.header(header::CACHE_CONTROL), Some("no-cache"));
            assert_eq!(r.header(header::VARY), Some("Accept-Encoding, Cookie"));
        }
        let r = get(
            &app,
            "/zwgk/nianbao/2022",
            &[("if-none-match", "\"stale\"")],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body, page.body);
        // Another page has another ETag.
        let other = get(&app, "/zwgk/fdzdgknr/1", &[("if-none-match", &etag)]).await;
        assert_eq!(other.status, StatusCode::OK);
        assert_ne!(other.header(header::ETAG), Some(etag.as_str()));
    }
);

dbtest!(
    gzip_and_brotli_are_sent_to_clients_that_ask_and_decompress_to_the_plain_page,
    |db| {
        let app = TestApp::with_demo(db).await;
        let plain = get(&app, "/zwgk/nianbao/2022", &[]).await;
        assert_eq!(plain.header(header::CONTENT_ENCODING), None);
        let zipped = get(
            &app,
            "/zwgk/nianbao/2022",
            &[("accept-encoding", "gzip, deflate")],
        )
        .await;
        assert_eq!(zipped.status, StatusCode::OK);
        assert_eq!(zipped.header(header::CONTENT_ENCODING), Some("gzip"));
        assert_eq!(zipped.header(header::VARY), Some("Accept-Encoding, Cookie"));
        assert!(
            zipped.body.len() * 3 < plain.body.len(),
            "gzip saves most bytes"
        );
        assert_eq!(gunzip(&zipped.body), plain.text());
        // The encoded bytes have an ETag of their own, and either one revalidates.
        let gzip_etag = zipped.header(header::ETAG).unwrap();
        assert_ne!(Some(gzip_etag), plain.header(header::ETAG));
        let r = get(
            &app,
            "/zwgk/nianbao/2022",
            &[("accept-encoding", "gzip"), ("if-none-match", gzip_etag)],
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_MODIFIED);
        // Refused by q=0, or outranked by identity: the plain page.
        for accept in ["gzip;q=0", "identity;q=1, gzip;q=0.5", "deflate"] {
            let r = get(&app, "/zwgk/nianbao/2022", &[("accept-encoding", accept)]).await;
            assert_eq!(r.header(header::CONTENT_ENCODING), None, "{accept}");
            assert_eq!(r.body, plain.body, "{accept}");
        }
        let r = get(
            &app,
            "/zwgk/nianbao/2022",
            &[("accept-encoding", "br;q=0.5, gzip;q=1")],
        )
        .await;
        assert_eq!(r.header(header::CONTENT_ENCODING), Some("gzip"));

        // Brotli, for the browsers that offer it, smaller still.
        let br = get(
            &app,
            "/zwgk/nianbao/2022",
            &[("accept-encoding", "gzip, deflate, br, zstd")],
        )
        .await;
        assert_eq!(br.header(header::CONTENT_ENCODING), Some("br"));
        assert!(br.body.len() < zipped.body.len());
        assert_eq!(unbrotli(&br.body), plain.text());
        let br_etag = br.header(header::ETAG).unwrap();
        assert!(br_etag != gzip_etag && Some(br_etag) != plain.header(header::ETAG));
    }
);

dbtest!(
    a_console_write_clears_the_cache_and_the_next_get_shows_the_new_text,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut admin = app.logged_in_as_demo_admin().await;
        let form = admin.get("/console/organs/1/settings").await;
        let guide = get(&app, "/zwgk/zhinan", &[]).await;
        assert!(!guide.text().contains("工作日 8:00-12:00"));
        let home = get(&app, "/", &[]).await;
        assert!(!home.text().contains("0470-1234567"));
        get(&app, "/zwgk/zhinan", &[]).await;
        get(&app, "/", &[]).await;
        assert_eq!(app.state.page_cache.hits(), 2);

        let mut fields = form.form_fields();
        for (name, value) in &mut fields {
            match name.as_str() {
                "office_hours" => *value = "工作日 8:00-12:00".into(),
                "site_contact" => *value = "0470-1234567".into(),
                _ => {}
            }
        }
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = admin.post("/console/organs/1/settings", &pairs).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        // The clock has not moved: the new text comes from the clear, not the generation.
        let guide = get(&app, "/zwgk/zhinan", &[]).await;
        assert!(guide.text().contains("工作日 8:00-12:00"));
        let home = get(&app, "/", &[]).await;
        assert!(home.text().contains("联系方式：0470-1234567"));
    }
);

dbtest!(a_refused_write_leaves_the_cache_as_it_is, |db| {
    let app = TestApp::with_demo(db).await;
    get(&app, "/", &[]).await;
    let clears = app.state.page_cache.clears();
    let mut admin = app.logged_in_as_demo_admin().await;
    let clears_after_login = app.state.page_cache.clears();
    assert!(clears_after_login > clears, "a log-in is a successful POST");
    // No CSRF token: 403, nothing written, nothing cleared.
    let r = admin
        .post("/console/organs/1/settings", &[("site_contact", "x")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.state.page_cache.clears(), clears_after_login);
});

dbtest!(
    a_write_by_another_process_is_seen_after_the_generation_check,
    |db| {
        let app = TestApp::with_demo(db).await;
        let before = get(&app, "/", &[]).await;
        assert!(before.text().contains("联系方式：0470-8575688"));
        change_contact_elsewhere(&app, "0470-7654321").await;
        // Within the second the cache does not ask the store: the page may be stale.
        let stale = get(&app, "/", &[]).await;
        assert_eq!(stale.body, before.body);
        assert_eq!(app.state.page_cache.hits(), 1);
        // After the check interval, the changed write generation clears it.
        app.clock.advance(gongkai_web::page_cache::CHECK_SECONDS);
        let fresh = get(&app, "/", &[]).await;
        assert!(fresh.text().contains("联系方式：0470-7654321"));
        assert_ne!(fresh.header(header::ETAG), before.header(header::ETAG));
        // Without a write, the next check keeps the pages.
        app.clock.advance(gongkai_web::page_cache::CHECK_SECONDS);
        let hits = app.state.page_cache.hits();
        get(&app, "/", &[]).await;
        assert_eq!(app.state.page_cache.hits(), hits + 1);
    }
);

/// Asserts that two GETs of `path` with `headers` leave the cache untouched.
async fn assert_never_cached(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Raw {
    let cache = &app.state.page_cache;
    let before = (cache.hits(), cache.size().0);
    get(app, path, headers).await;
    let r = get(app, path, headers).await;
    assert_eq!((cache.hits(), cache.size().0), before, "{path}");
    assert_eq!(r.header(header::ETAG), None, "{path}");
    assert_ne!(r.header(header::CACHE_CONTROL), Some("no-cache"), "{path}");
    r
}

dbtest!(
    staff_pages_forms_machines_and_error_pages_are_never_cached,
    |db| {
        let app = TestApp::with_demo(db).await;
        for path in [
            "/zwgk/ysqgk/shenqing",
            "/zwgk/ysqgk/chaxun",
            "/console",
            "/login",
            "/api/v1/openapi.json",
            "/healthz",
            "/zwgk/nianbao/1999",
            "/no-such-page",
        ] {
            assert_never_cached(&app, path, &[]).await;
        }
        let missing = get(&app, "/no-such-page", &[]).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        // The column's own index page has no form and is kept.
        get(&app, "/zwgk/ysqgk", &[]).await;
        assert_eq!(app.state.page_cache.size().0, 1);
    }
);

dbtest!(
    a_request_with_a_staff_session_passes_by_the_cache_and_shows_the_staff_bar,
    |db| {
        let app = TestApp::with_demo(db).await;
        let anonymous = get(&app, "/", &[]).await;
        assert!(!anonymous.text().contains("工作台"));
        let mut admin = app.logged_in_as_demo_admin().await;
        let session = format!("gk_session={}", admin.cookies["gk_session"]);
        let r = assert_never_cached(&app, "/", &[("cookie", &session)]).await;
        assert!(r.text().contains("工作台（"), "the staff bar");
        assert!(admin.get("/").await.body.contains("工作台（"));
        // The staff page was not stored for anyone else.
        let again = get(&app, "/", &[]).await;
        assert!(!again.text().contains("工作台"));
    }
);

dbtest!(
    responses_that_set_a_cookie_or_decide_their_own_caching_are_not_kept,
    |db| {
        let app = TestApp::with_demo(db).await;
        // Public paths whose handlers set a cookie or say no-store, behind the cache layer.
        let state: AppState = app.state.clone();
        let router = Router::new()
            .route(
                "/cookie",
                routing::get(|| async {
                    ([(header::SET_COOKIE, "x=1; Path=/")], Html("<p>x</p>")).into_response()
                }),
            )
            .route(
                "/private",
                routing::get(|| async {
                    ([(header::CACHE_CONTROL, "no-store")], Html("<p>x</p>")).into_response()
                }),
            )
            .route(
                "/plain",
                routing::get(|| async { "plain text".into_response() }),
            )
            .route("/page", routing::get(|| async { Html("<p>kept</p>") }))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                gongkai_web::page_cache::layer,
            ))
            .with_state(state);
        let cache = &app.state.page_cache;
        for path in ["/cookie", "/private", "/plain"] {
            send(&router, "GET", path, &[]).await;
            let r = send(&router, "GET", path, &[]).await;
            assert_eq!(r.status, StatusCode::OK);
            assert_eq!(cache.hits(), 0, "{path}");
            assert_eq!(cache.size().0, 0, "{path}");
        }
        let r = send(&router, "GET", "/cookie", &[]).await;
        assert_eq!(r.header(header::SET_COOKIE), Some("x=1; Path=/"));
        send(&router, "GET", "/page", &[]).await;
        send(&router, "GET", "/page", &[]).await;
        assert_eq!(cache.hits(), 1);
    }
);

dbtest!(
    the_elder_mode_page_is_kept_apart_from_the_normal_one,
    |db| {
        let app = TestApp::with_demo(db).await;
        let elder = [("cookie", "gk_elder=1")];
        let normal = get(&app, "/zwgk", &[]).await;
        let large = get(&app, "/zwgk", &elder).await;
        assert_eq!(app.state.page_cache.misses(), 2);
        assert!(large.text().contains("退出长者模式"));
        assert!(large.text().contains("class=\"elder\""));
        assert!(!normal.text().contains("退出长者模式"));
        assert_ne!(large.header(header::ETAG), normal.header(header::ETAG));
        // Each is then served from its own entry.
        assert_eq!(get(&app, "/zwgk", &elder).await.body, large.body);
        assert_eq!(get(&app, "/zwgk", &[]).await.body, normal.body);
        assert_eq!(
            get(&app, "/zwgk", &[("cookie", "gk_elder=0")]).await.body,
            normal.body
        );
        assert_eq!(app.state.page_cache.hits(), 3);
        // The path and query are the key: the 长者模式 link returns to the page asked for.
        let query = get(&app, "/zwgk?from=home", &[]).await;
        assert_eq!(app.state.page_cache.misses(), 3);
        let text = query.text();
        assert!(text.contains("zwgk%3Ffrom%3Dhome"), "{text}");
    }
);

/// The counts of 2xx and 3xx responses in `/metrics` (the read itself is counted after).
async fn responses(app: &TestApp) -> (u64, u64) {
    let text = app.client().metrics().await.body;
    let count = |class: &str| -> u64 {
        let line = format!("gongkai_http_responses_total{{class=\"{class}\"}} ");
        text.lines()
            .find_map(|l| l.strip_prefix(&line))
            .unwrap()
            .parse()
            .unwrap()
    };
    (count("2xx"), count("3xx"))
}

dbtest!(answers_from_the_cache_are_counted_in_the_metrics, |db| {
    let app = TestApp::with_demo(db).await;
    let page = get(&app, "/", &[]).await;
    let etag = page.header(header::ETAG).unwrap().to_owned();
    let (ok, not_modified) = responses(&app).await;
    get(&app, "/", &[]).await;
    get(&app, "/", &[("if-none-match", &etag)]).await;
    assert_eq!(app.state.page_cache.hits(), 2);
    // The hit's 200 and the first read of `/metrics`; the 304.
    assert_eq!(responses(&app).await, (ok + 2, not_modified + 1));
});

dbtest!(
    the_write_generation_changes_with_every_write_and_only_then,
    |db| {
        let app = TestApp::with_demo(db).await;
        let before = app.db.audit_generation().await.unwrap();
        assert_eq!(app.db.audit_generation().await.unwrap(), before);
        change_contact_elsewhere(&app, "0470-1111111").await;
        let after = app.db.audit_generation().await.unwrap();
        assert_ne!(after, before);
        assert!(after.0 > before.0 && after.1 >= before.1);
        // Reading pages writes nothing.
        get(&app, "/", &[]).await;
        get(&app, "/zwgk/zhinan", &[]).await;
        assert_eq!(app.db.audit_generation().await.unwrap(), after);
    }
);

dbtest!(
    a_new_beijing_day_clears_the_cache_as_dates_derived_on_pages_change,
    |db| {
        let app = TestApp::with_demo(db).await;
        get(&app, "/", &[]).await;
        // 2026-01-05 09:00 in Beijing: 14 hours later it is still the same day.
        app.clock.advance(14 * 3600);
        get(&app, "/", &[]).await;
        assert_eq!(app.state.page_cache.hits(), 1);
        // Past midnight the page is rendered again.
        app.clock.advance(3600);
        get(&app, "/", &[]).await;
        assert_eq!(app.state.page_cache.hits(), 1);
        assert_eq!(app.state.page_cache.misses(), 2);
    }
);
