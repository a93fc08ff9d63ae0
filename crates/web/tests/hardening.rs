//! Issue 10's findings, each as a test named after it: what an anonymous attacker could do to
//! the log-in form, the forms' fields, the proxy headers, sessions and connections. Each runs
//! on SQLite and (with GONGKAI_TEST_DATABASE_URL) PostgreSQL.

mod util;

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use gongkai_store::throttle::{Admission, LockPolicy, LockState};
use gongkai_store::{Role, dbtest};
use http_body_util::BodyExt;
use tower::ServiceExt;
use util::{PASSWORD, TestApp, form_encode};

/// A POST to the app as if from `peer`, with extra headers.
async fn post_from(
    app: &TestApp,
    peer: &str,
    headers: &[(&str, &str)],
    path: &str,
    body: String,
) -> (StatusCode, String) {
    let mut request = Request::post(path)
        .header(header::HOST, "kfq.example.test")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut request = request.body(Body::from(body)).unwrap();
    let peer: SocketAddr = peer.parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// A login form (token and cookie) from the login page.
async fn login_form(app: &TestApp) -> (String, String) {
    let mut client = app.client();
    let page = client.get("/login").await;
    let csrf = page.input("csrf").unwrap();
    let cookie = format!("gk_csrf={}", client.cookies["gk_csrf"]);
    (csrf, cookie)
}

async fn login_from(
    app: &TestApp,
    peer: &str,
    extra: &[(&str, &str)],
    username: &str,
    password: &str,
) -> (StatusCode, String) {
    let (csrf, cookie) = login_form(app).await;
    let mut headers = vec![("cookie", cookie.as_str())];
    headers.extend_from_slice(extra);
    let body = form_encode(&[
        ("csrf", &csrf),
        ("username", username),
        ("password", password),
        ("next", "/"),
    ]);
    post_from(app, peer, &headers, "/login", body).await
}

async fn audit_rows(app: &TestApp) -> i64 {
    app.db.audit_count().await.unwrap()
}

// Finding 1: each argon2id hash takes 19 MiB and nothing bounded how many ran at once.
dbtest!(
    login_memory_exhaustion_hashes_beyond_the_bound_get_429_at_once,
    |db| {
        let app = TestApp::with_demo(db).await;
        let max = app.state.config.max_concurrent_hashes();
        let held: Vec<_> = (0..max)
            .map(|_| app.state.passwords.try_permit().unwrap())
            .collect();
        let (status, body) =
            login_from(&app, "198.51.100.1:1", &[], "admin", "wrong-password").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert!(body.contains("系统繁忙"), "{body}");
        // Refused before counting: the name is not a step nearer its lock.
        let policy = app.state.config.lock_policy();
        assert_eq!(
            app.db
                .lock_state("admin", util::START, policy)
                .await
                .unwrap(),
            LockState::Open { failures: 0 }
        );
        drop(held);
        let (status, _) = login_from(&app, "198.51.100.1:1", &[], "admin", "wrong-password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
);

// Finding 2: a 1.9 MB username became a permanent 1.9 MB audit row.
dbtest!(
    login_oversized_username_leaves_no_audit_and_no_throttle_row,
    |db| {
        let app = TestApp::with_demo(db).await;
        let before = audit_rows(&app).await;
        let huge = "a".repeat(1_900_000);
        for _ in 0..5 {
            let (status, body) = login_from(&app, "198.51.100.2:1", &[], &huge, "x").await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                &body[..200.min(body.len())]
            );
            assert!(body.contains("「用户名」不能超过32个字"), "{body}");
        }
        // A name within the length but against the username rule: refused before the database.
        for _ in 0..6 {
            let (status, body) =
                login_from(&app, "198.51.100.2:1", &[], "no such name!", "x").await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
            assert!(body.contains("用户名应为3至32位"), "{body}");
        }
        assert_eq!(audit_rows(&app).await, before);
        assert_eq!(app.db.login_counter_count().await.unwrap(), 0);
    }
);

// Finding 3: the first X-Forwarded-For entry, written by the client, was trusted.
dbtest!(
    client_ip_spoofing_behind_a_proxy_does_not_escape_the_rate_limit,
    |db| {
        let app = TestApp::with_demo_config(db, |c| {
            c.security.trusted_proxy_hops = 1;
            c.security.login_attempts_per_minute = 5;
        })
        .await;
        let mut limited = 0;
        for i in 0..12 {
            // The client invents a new first entry each time; the proxy appends the real one.
            let forwarded = format!("10.9.{i}.1, 203.0.113.50");
            let (status, _) = login_from(
                &app,
                "127.0.0.1:9",
                &[("x-forwarded-for", &forwarded)],
                &format!("guess{i}"),
                "wrong-password",
            )
            .await;
            if status == StatusCode::TOO_MANY_REQUESTS {
                limited += 1;
            }
        }
        assert_eq!(
            limited, 7,
            "12 attempts, 5 allowed a minute from the one real client"
        );
    }
);

dbtest!(
    metrics_refuse_a_loopback_peer_that_carries_forwarding_headers,
    |db| {
        let app = TestApp::with_demo_config(db, |c| c.security.metrics_token.clear()).await;
        let get = |headers: &'static [(&'static str, &'static str)]| {
            let router = app.router.clone();
            async move {
                let mut request = Request::get("/metrics");
                for (k, v) in headers {
                    request = request.header(*k, *v);
                }
                let mut request = request.body(Body::empty()).unwrap();
                let peer: SocketAddr = "127.0.0.1:5000".parse().unwrap();
                request.extensions_mut().insert(ConnectInfo(peer));
                router.oneshot(request).await.unwrap().status()
            }
        };
        assert_eq!(get(&[]).await, StatusCode::OK);
        for header in [
            ("x-real-ip", "203.0.113.7"),
            ("x-forwarded-for", "203.0.113.7"),
            ("forwarded", "for=203.0.113.7"),
            ("x-forwarded-host", "kfq.example.test"),
            ("via", "1.1 nginx"),
        ] {
            let headers: &'static [(&'static str, &'static str)] = Box::leak(Box::new([header]));
            assert_eq!(get(headers).await, StatusCode::FORBIDDEN, "{header:?}");
        }
    }
);

// Finding 4: parallel attempts were all checked against a state read before any was counted,
// and the right password cleared the lock the wrong ones had just set.
dbtest!(
    lockout_race_parallel_attempts_are_counted_before_checking,
    |db| {
        let app = TestApp::with_demo(db).await;
        let organ = app.organ("甲机关").await;
        app.staff(organ, "racer", Role::Editor).await;
        let policy = app.state.config.lock_policy();
        let mut forms = Vec::new();
        for i in 0..10 {
            let (csrf, cookie) = login_form(&app).await;
            let password = if i == 4 { PASSWORD } else { "wrong-password" };
            forms.push((csrf, cookie, password));
        }
        let mut tasks = Vec::new();
        for (csrf, cookie, password) in forms {
            let router = app.router.clone();
            tasks.push(tokio::spawn(async move {
                let body = form_encode(&[
                    ("csrf", &csrf),
                    ("username", "racer"),
                    ("password", password),
                    ("next", "/"),
                ]);
                let mut request = Request::post("/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header("cookie", cookie)
                    .body(Body::from(body))
                    .unwrap();
                let peer: SocketAddr = "198.51.100.4:1".parse().unwrap();
                request.extensions_mut().insert(ConnectInfo(peer));
                router.oneshot(request).await.unwrap().status()
            }));
        }
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.unwrap());
        }
        // Passwords checked = failures + successes the server counted.
        let metrics = app.state.metrics.render("test");
        let counter = |name: &str| -> usize {
            metrics
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{name} ")))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0)
        };
        let wrong_checked = counter("gongkai_login_failures_total");
        let logged_in = counter("gongkai_logins_total");
        assert_eq!(
            logged_in,
            usize::from(statuses.contains(&StatusCode::SEE_OTHER))
        );
        // At most max_failures (3 in the tests) passwords were checked.
        assert!(
            wrong_checked + logged_in <= policy.max_failures as usize,
            "{statuses:?}"
        );
        let state = app
            .db
            .lock_state("racer", util::START, policy)
            .await
            .unwrap();
        // The lock is there exactly when the counted attempts reached the maximum; the right
        // password took back only its own count.
        match state {
            LockState::Locked { .. } => assert_eq!(wrong_checked + logged_in, 3),
            LockState::Open { failures } => assert_eq!(failures as usize, wrong_checked),
        }
    }
);

dbtest!(
    lockout_race_a_login_begun_before_the_lock_cannot_clear_it,
    |db| {
        let policy = LockPolicy {
            max_failures: 3,
            window_seconds: 900,
            lock_seconds: 900,
        };
        let now = util::START;
        let owner = "198.51.100.5";
        assert_eq!(
            db.begin_login_attempt("admin", owner, now, policy)
                .await
                .unwrap(),
            Admission::Admitted
        );
        // Meanwhile an attacker fails twice more: the third count locks the name.
        for _ in 0..2 {
            db.begin_login_attempt("admin", "203.0.113.66", now, policy)
                .await
                .unwrap();
        }
        let failed = db.login_attempt_failed("admin", now, policy).await.unwrap();
        assert!(failed.newly_locked);
        // The owner's right password, checked meanwhile, takes back its own count only.
        db.login_attempt_succeeded("admin", owner).await.unwrap();
        assert!(matches!(
            db.lock_state("admin", now + 1, policy).await.unwrap(),
            LockState::Locked { .. }
        ));
        assert!(matches!(
            db.begin_login_attempt("admin", "203.0.113.66", now + 1, policy)
                .await
                .unwrap(),
            Admission::Refused { .. }
        ));
    }
);

// Finding 8: anyone could lock any account, its owner included, with 5 requests.
dbtest!(
    lockout_by_others_does_not_stop_the_owner_from_another_address,
    |db| {
        let app = TestApp::with_demo(db).await;
        let organ = app.organ("甲机关").await;
        app.staff(organ, "owner", Role::Editor).await;
        for _ in 0..3 {
            login_from(&app, "203.0.113.66:1", &[], "owner", "guess-guess").await;
        }
        let (status, body) = login_from(&app, "203.0.113.66:1", &[], "owner", PASSWORD).await;
        assert_eq!(
            status,
            StatusCode::TOO_MANY_REQUESTS,
            "the attacker's address stays locked out"
        );
        assert!(body.contains("临时锁定"), "{body}");
        let (status, _) = login_from(&app, "198.51.100.9:1", &[], "owner", PASSWORD).await;
        assert_eq!(
            status,
            StatusCode::SEE_OTHER,
            "the owner logs in from an address that never failed"
        );
    }
);

// Finding 5: NUL in a login name was a 500 on PostgreSQL and a backup SQLite could not restore.
dbtest!(
    nul_and_control_characters_are_refused_with_422_on_every_backend,
    |db| {
        let app = TestApp::with_demo(db).await;
        for name in ["adm\0in", "adm\u{1b}in", "ad\nmin"] {
            let (status, body) = login_from(&app, "198.51.100.6:1", &[], name, "x").await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}");
            assert!(body.contains("控制字符"), "{body}");
        }
        let mut admin = app.logged_in_as_demo_admin().await;
        let csrf = admin.csrf().await;
        let organ = app.db.organs().await.unwrap()[0].id;
        let path = format!("/console/organs/{organ}/users");
        let r = admin
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("username", "newuser"),
                    ("display_name", "张\0三"),
                    ("password", "long-enough-password"),
                    ("role", "editor"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("「姓名」含有不允许的控制字符"),
            "{}",
            r.body
        );
        assert!(app.db.user_credentials("newuser").await.unwrap().is_none());
        let path = format!("/console/organs/{organ}/settings");
        let r = admin
            .post(&path, &[("csrf", &csrf), ("name", "机关\0名称")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            app.db.organs().await.unwrap()[0].settings.name,
            "呼伦贝尔经济技术开发区"
        );
    }
);

// Finding 8: the log-in CSRF value was whatever the client chose for cookie and field.
dbtest!(login_csrf_value_chosen_by_the_client_is_refused, |db| {
    let app = TestApp::with_demo(db).await;
    let chosen = "a".repeat(64);
    let cookie = format!("gk_csrf={chosen}");
    let body = form_encode(&[
        ("csrf", &chosen),
        ("username", "admin"),
        ("password", gongkai_web::demo::DEMO_PASSWORD),
    ]);
    let (status, _) = post_from(
        &app,
        "198.51.100.7:1",
        &[("cookie", &cookie)],
        "/login",
        body,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
});

// Finding 8: an oversized form got 400 "格式错误".
dbtest!(oversized_form_body_is_413, |db| {
    let app = TestApp::with_demo_config(db, |c| c.server.max_body_kib = 16).await;
    let (csrf, cookie) = login_form(&app).await;
    let body = form_encode(&[("csrf", &csrf), ("username", &"x".repeat(20_000))]);
    let (status, body) = post_from(
        &app,
        "198.51.100.8:1",
        &[("cookie", &cookie)],
        "/login",
        body,
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body.contains("提交的内容过大"), "{body}");
});

// Finding 8: sessions had an idle timeout but no absolute lifetime.
dbtest!(
    sessions_end_after_the_absolute_lifetime_however_busy,
    |db| {
        let app = TestApp::with_demo_config(db, |c| c.security.session_lifetime_hours = 2).await;
        let mut admin = app.logged_in_as_demo_admin().await;
        for _ in 0..4 {
            app.clock.advance(29 * 60);
            assert_eq!(admin.get("/console").await.status, StatusCode::OK);
        }
        app.clock.advance(5 * 60);
        let r = admin.get("/console").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().unwrap_or_default().starts_with("/login"));
    }
);

/// The real server on a loopback port, with small limits.
async fn real_server(app: &TestApp) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = app.state.clone();
    let handle = tokio::spawn(async move {
        let _ = gongkai_web::serve(listener, state, std::future::pending()).await;
    });
    (addr, handle)
}

/// Whether the server closed `stream` (a read gives end of file or an error).
async fn closed_within(stream: &mut tokio::net::TcpStream, limit: Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 1024];
    let started = std::time::Instant::now();
    loop {
        match tokio::time::timeout(
            limit.saturating_sub(started.elapsed()),
            stream.read(&mut buf),
        )
        .await
        {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}

// Finding 8: 30 slow-header connections were held 45 s; no idle timeout, no connection limit.
dbtest!(
    slow_header_and_idle_connections_are_closed_and_connections_limited,
    |db| {
        use tokio::io::AsyncWriteExt;
        let app = TestApp::with_demo_config(db, |c| {
            c.server.header_read_timeout_seconds = 1;
            c.server.max_connections = 8;
        })
        .await;
        let (addr, server) = real_server(&app).await;
        let mut slow = Vec::new();
        for _ in 0..4 {
            let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                .await
                .unwrap();
            slow.push(s);
        }
        let mut idle = tokio::net::TcpStream::connect(addr).await.unwrap();
        idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        for s in &mut slow {
            assert!(
                closed_within(s, Duration::from_secs(5)).await,
                "slow header held open"
            );
        }
        assert!(
            closed_within(&mut idle, Duration::from_secs(5)).await,
            "idle keep-alive held open"
        );
        // Eight silent connections fill the limit; the ninth is answered 503 at once.
        let mut held = Vec::new();
        for _ in 0..8 {
            held.push(tokio::net::TcpStream::connect(addr).await.unwrap());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let mut over = tokio::net::TcpStream::connect(addr).await.unwrap();
        let mut answer = Vec::new();
        use tokio::io::AsyncReadExt;
        tokio::time::timeout(Duration::from_secs(3), over.read_to_end(&mut answer))
            .await
            .unwrap()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 503"),
            "{answer:?}"
        );
        server.abort();
    }
);
