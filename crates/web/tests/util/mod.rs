//! `TestApp`: the router on a fresh test database with a manual clock and cheap password
//! hashing, and `Client`s that keep cookies and call the router with `oneshot`.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use gongkai_store::organ::OrganSettings;
use gongkai_store::testing::TestDb;
use gongkai_store::user::NewUser;
use gongkai_store::{Actor, OrganScope, Role};
use gongkai_web::{AppState, Config, ManualClock};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The time the tests start at (2026-01-05 09:00 Beijing time).
pub const START: i64 = 1_767_574_800;
/// The password of every test account.
pub const PASSWORD: &str = "correct-horse-battery";

pub struct TestApp {
    pub db: TestDb,
    pub state: AppState,
    pub clock: Arc<ManualClock>,
    pub router: Router,
}

/// Test configuration: fast hashing, three failures lock for 10 minutes, 30 idle minutes,
/// 20 log-in attempts a minute per client.
pub fn config() -> Config {
    let mut config = Config::default();
    config.security.argon2_memory_kib = 64;
    config.security.argon2_iterations = 1;
    config.security.max_login_failures = 3;
    config.security.lock_minutes = 10;
    config.security.session_idle_minutes = 30;
    config.security.login_attempts_per_minute = 20;
    config.security.metrics_token = METRICS_TOKEN.into();
    config
}

/// The bearer token of `/metrics` in the test configuration.
pub const METRICS_TOKEN: &str = "test-metrics-token";

impl TestApp {
    /// The app on `db` with the demo organ (呼伦贝尔经济技术开发区) loaded.
    pub async fn with_demo(db: TestDb) -> TestApp {
        let app = TestApp::empty(db).await;
        gongkai_web::demo::load(&app.db, &app.state.passwords, START)
            .await
            .expect("demo");
        app
    }

    /// The app on an empty database.
    pub async fn empty(db: TestDb) -> TestApp {
        let clock = Arc::new(ManualClock::new(START));
        let state =
            AppState::with_clock(db.store().clone(), config(), clock.clone()).expect("state");
        let router = gongkai_web::router::build(state.clone());
        TestApp {
            db,
            state,
            clock,
            router,
        }
    }

    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookies: HashMap::new(),
        }
    }

    /// The app on `db` with the demo loaded and `config` changed by `change`.
    pub async fn with_demo_config(db: TestDb, change: impl FnOnce(&mut Config)) -> TestApp {
        let clock = Arc::new(ManualClock::new(START));
        let mut config = config();
        change(&mut config);
        let state = AppState::with_clock(db.store().clone(), config, clock.clone()).expect("state");
        let router = gongkai_web::router::build(state.clone());
        gongkai_web::demo::load(&db, &state.passwords, START)
            .await
            .expect("demo");
        TestApp {
            db,
            state,
            clock,
            router,
        }
    }

    /// A new organ (a root) named `name`.
    pub async fn organ(&self, name: &str) -> i64 {
        let settings = OrganSettings {
            name: name.to_owned(),
            ..OrganSettings::default()
        };
        self.db
            .create_organ(&Actor::system("test"), START, None, &settings)
            .await
            .expect("organ")
            .id
    }

    /// A staff account with one role on one organ, password [`PASSWORD`].
    pub async fn staff(&self, organ_id: i64, username: &str, role: Role) -> i64 {
        let hash = self.state.passwords.hash(PASSWORD).expect("hash");
        self.db
            .create_user(
                &Actor::system("test"),
                OrganScope::system(organ_id),
                START,
                &NewUser {
                    username,
                    display_name: username,
                    password_hash: &hash,
                },
                role,
            )
            .await
            .expect("user")
            .id
    }

    /// A client logged in as the demo's administrator.
    pub async fn logged_in_as_demo_admin(&self) -> Client {
        let mut client = self.client();
        let r = client
            .login("admin", gongkai_web::demo::DEMO_PASSWORD)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        client
    }

    /// A client logged in as `username`.
    pub async fn logged_in(&self, username: &str) -> Client {
        let mut client = self.client();
        let r = client.login(username, PASSWORD).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login {username}: {}",
            r.body
        );
        client
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect()
    }

    /// The `content` of `<meta name="NAME">`.
    pub fn meta(&self, name: &str) -> Option<String> {
        let doc = scraper::Html::parse_document(&self.body);
        let selector = scraper::Selector::parse(&format!("meta[name=\"{name}\"]")).ok()?;
        doc.select(&selector)
            .next()
            .and_then(|e| e.value().attr("content"))
            .map(str::to_owned)
    }

    /// The text of the elements matching a CSS selector, joined.
    pub fn text(&self, css: &str) -> String {
        let doc = scraper::Html::parse_document(&self.body);
        let selector = scraper::Selector::parse(css).expect("selector");
        doc.select(&selector)
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The `value` of the first `input[name=NAME]`.
    pub fn input(&self, name: &str) -> Option<String> {
        let doc = scraper::Html::parse_document(&self.body);
        let selector = scraper::Selector::parse(&format!("input[name=\"{name}\"]")).ok()?;
        doc.select(&selector)
            .next()
            .and_then(|e| e.value().attr("value"))
            .map(str::to_owned)
    }

    /// Every named `input` and `textarea` of the first `form.form`, with its current value.
    pub fn form_fields(&self) -> Vec<(String, String)> {
        let doc = scraper::Html::parse_document(&self.body);
        let selector = scraper::Selector::parse("form.form input[name], form.form textarea[name]")
            .expect("selector");
        doc.select(&selector)
            .filter_map(|e| {
                let name = e.value().attr("name")?.to_owned();
                let value = if e.value().name() == "textarea" {
                    e.text().collect()
                } else {
                    e.value().attr("value").unwrap_or_default().to_owned()
                };
                Some((name, value))
            })
            .collect()
    }

    /// Every `href` of `a` elements.
    pub fn links(&self) -> Vec<String> {
        self.links_in("a[href]")
    }

    /// The `href` of the elements matching a CSS selector.
    pub fn links_in(&self, css: &str) -> Vec<String> {
        let doc = scraper::Html::parse_document(&self.body);
        let selector = scraper::Selector::parse(css).expect("selector");
        doc.select(&selector)
            .filter_map(|e| e.value().attr("href"))
            .map(str::to_owned)
            .collect()
    }
}

pub struct Client {
    router: Router,
    pub cookies: HashMap<String, String>,
}

pub fn form_encode(pairs: &[(&str, &str)]) -> String {
    fn enc(s: &str) -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

impl Client {
    async fn send(&mut self, request: Request<Body>) -> Resp {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let resp = Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        };
        for cookie in resp.set_cookies() {
            let first = cookie.split(';').next().unwrap_or_default();
            if let Some((name, value)) = first.split_once('=') {
                if value.is_empty() || cookie.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        resp
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        self.get_with(path, &[]).await
    }

    /// A GET with extra request headers.
    pub async fn get_with(&mut self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut request = Request::get(path)
            .header(header::HOST, "kfq.example.test")
            .header(header::COOKIE, self.cookie_header());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::empty()).expect("request"))
            .await
    }

    /// `/metrics` with the test configuration's token.
    pub async fn metrics(&mut self) -> Resp {
        let bearer = format!("Bearer {METRICS_TOKEN}");
        self.get_with("/metrics", &[("authorization", bearer.as_str())])
            .await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Resp {
        let request = Request::post(path)
            .header(header::HOST, "kfq.example.test")
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form_encode(form)))
            .expect("request");
        self.send(request).await
    }

    /// Opens the login page (getting its token) and submits it.
    pub async fn login(&mut self, username: &str, password: &str) -> Resp {
        let page = self.get("/login").await;
        let csrf = page.input("csrf").expect("csrf field on the login page");
        self.post(
            "/login",
            &[
                ("csrf", &csrf),
                ("username", username),
                ("password", password),
                ("next", "/"),
            ],
        )
        .await
    }

    /// The CSRF token of this client's session, read from the console page.
    pub async fn csrf(&mut self) -> String {
        let page = self.get("/console").await;
        page.input("csrf").expect("csrf field on the console page")
    }
}

/// A `multipart/form-data` POST with `client`'s cookies: the text `fields`, then each file as
/// (form field, file name, bytes).
pub async fn post_multipart(
    app: &TestApp,
    client: &Client,
    path: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> Resp {
    const BOUNDARY: &str = "----gongkai-test-boundary";
    let mut body: Vec<u8> = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, file_name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
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
