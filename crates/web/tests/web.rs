//! The web crate's tests: portal pages, log-in and lock-out, CSRF, the console, and the
//! route × role × organ matrix. Each runs on SQLite and (with GONGKAI_TEST_DATABASE_URL)
//! PostgreSQL.

mod util;

use axum::http::StatusCode;
use gongkai_core::article20::ARTICLE_20;
use gongkai_core::format::title;
use gongkai_report::model::AnnualReport;
use gongkai_store::{Actor, OrganScope, Permission, Role, dbtest};
use gongkai_web::router::CONSOLE_ROUTES;
use util::{PASSWORD, START, TestApp};

/// The seed organ's identifiers (shared/seed/2022_hulunbuir_jingkaiqu.txt, footer).
const SITE_ID: &str = "1507000009";
const ICP: &str = "蒙ICP备19004337号-1";
const POLICE: &str = "蒙公网安备 15070202000009号";

fn assert_site_frame(r: &util::Resp, path: &str) {
    assert_eq!(
        r.meta("SiteName").as_deref(),
        Some("呼伦贝尔经济技术开发区"),
        "{path}"
    );
    assert_eq!(
        r.meta("SiteDomain").as_deref(),
        Some("kfq.hlbe.gov.cn"),
        "{path}"
    );
    assert_eq!(r.meta("SiteIDCode").as_deref(), Some(SITE_ID), "{path}");
    let footer = r.text("footer");
    for needle in [
        ICP,
        POLICE,
        "政府网站标识码：1507000009",
        "主办：呼伦贝尔经济技术开发区管理委员会",
        "承办：呼伦贝尔经济技术开发区管理委员会",
        "联系方式：0470-8575688",
        "网站地图",
        "联系我们",
    ] {
        assert!(
            footer.contains(needle),
            "{path}: footer lacks {needle}: {footer}"
        );
    }
}

dbtest!(every_portal_page_carries_site_tags_and_footer, |db| {
    let app = TestApp::with_demo(db).await;
    let mut public = app.client();
    let sitemap = public.get("/wzdt").await;
    let links: Vec<String> = sitemap
        .links()
        .into_iter()
        .filter(|l| l.starts_with('/') && !l.starts_with("/zhangzhe") && l != "/login")
        .collect();
    assert!(links.len() >= 22, "{links:?}");
    for path in &links {
        let r = public.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_site_frame(&r, path);
        // spec/domain.md §6: column pages carry the four Column* tags, the home page none.
        let is_column = path.starts_with("/zwgk") || path.starts_with("/hdjl");
        for tag in [
            "ColumnName",
            "ColumnDescription",
            "ColumnKeywords",
            "ColumnType",
        ] {
            assert_eq!(r.meta(tag).is_some(), is_column, "{path} {tag}");
        }
    }
    let guide = public.get("/zwgk/zhinan").await;
    assert_eq!(
        guide.meta("ColumnName").as_deref(),
        Some("政府信息公开指南")
    );
    // The demo's 2022 annual report is one of the pages walked, and an article page: it
    // also carries the article tags (spec/domain.md §6), the other pages none.
    assert!(links.iter().any(|l| l == "/zwgk/nianbao/2022"), "{links:?}");
    let report = public.get("/zwgk/nianbao/2022").await;
    assert_eq!(
        report.meta("ArticleTitle").as_deref(),
        Some("呼伦贝尔经济技术开发区2022年政府信息公开工作年度报告")
    );
    // Published on the day the report prints, not when the demo was loaded.
    assert_eq!(report.meta("PubDate").as_deref(), Some("2023-01-11 00:00"));
    assert_eq!(
        report.meta("Url").as_deref(),
        Some("https://kfq.hlbe.gov.cn/zwgk/nianbao/2022")
    );
    for tag in [
        "ContentSource",
        "Keywords",
        "Author",
        "Description",
        "Image",
    ] {
        assert!(report.meta(tag).is_some(), "report page lacks {tag}");
    }
    assert_eq!(guide.meta("ArticleTitle"), None);
});

dbtest!(guide_is_generated_from_organ_data_as_art12_requires, |db| {
    let app = TestApp::with_demo(db).await;
    let r = app.client().get("/zwgk/zhinan").await;
    let text = r.text("main");
    // 条例 art. 12: 工作机构的名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式.
    for needle in [
        "呼伦贝尔经济技术开发区综合办公室",
        "呼伦贝尔国家级经济技术开发区管委会办公楼",
        "021000",
        "0470-2773823",
        "办公时间",
        "传真号码",
        "互联网联系方式",
        "kfq.hlbe.gov.cn",
    ] {
        assert!(text.contains(needle), "guide lacks {needle}");
    }
    // The classification follows art. 20's fifteen items.
    for item in ARTICLE_20.iter() {
        assert!(text.contains(item.text), "guide lacks {}", item.text);
    }
});

dbtest!(
    art20_column_lists_fifteen_categories_each_with_a_page,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut public = app.client();
        let r = public.get("/zwgk/fdzdgknr").await;
        for item in ARTICLE_20.iter() {
            let path = format!("/zwgk/fdzdgknr/{}", item.number);
            assert!(r.links().contains(&path), "{path}");
            let page = public.get(&path).await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(page.text("h1").contains(item.text));
        }
        assert_eq!(
            public.get("/zwgk/fdzdgknr/16").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            public.get("/zwgk/fdzdgknr/x").await.status,
            StatusCode::NOT_FOUND
        );
    }
);

dbtest!(sitemap_xml_lists_the_same_pages_as_the_sitemap_page, |db| {
    let app = TestApp::with_demo(db).await;
    let mut public = app.client();
    // A visitor's Host header (here a spoofed one) never ends up in the URLs.
    let xml = public
        .get_with("/sitemap.xml", &[("host", "evil.example")])
        .await;
    assert_eq!(xml.status, StatusCode::OK);
    assert!(
        xml.headers["content-type"]
            .to_str()
            .unwrap()
            .contains("xml")
    );
    assert!(!xml.body.contains("evil.example") && !xml.body.contains("kfq.example.test"));
    let page = public.get("/wzdt").await;
    let listed = page.links_in("ul.sitemap a[href]");
    for link in &listed {
        // The organ's own domain, since no base URL is configured.
        let loc = format!("<loc>https://kfq.hlbe.gov.cn{link}</loc>");
        assert!(xml.body.contains(&loc), "{loc}");
    }
    assert!(
        listed.contains(&"/zwgk/nianbao/2022".to_owned()),
        "{listed:?}"
    );
    assert_eq!(
        xml.body.matches("<loc>").count(),
        listed.len(),
        "{}",
        xml.body
    );
});

dbtest!(sitemap_xml_uses_the_configured_base_url, |db| {
    let app = TestApp::with_demo_config(db, |c| {
        c.portal.base_url = "https://www.example.gov.cn/".into();
    })
    .await;
    let xml = app.client().get("/sitemap.xml").await;
    assert!(
        xml.body
            .contains("<loc>https://www.example.gov.cn/zwgk/zhinan</loc>"),
        "{}",
        xml.body
    );
    assert!(!xml.body.contains("kfq.hlbe.gov.cn"));
});

dbtest!(unknown_pages_get_a_chinese_404_with_the_site_frame, |db| {
    let app = TestApp::with_demo(db).await;
    let r = app.client().get("/no/such/page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("您访问的页面不存在"));
    assert_site_frame(&r, "/no/such/page");
});

dbtest!(elder_mode_switches_with_a_plain_link, |db| {
    let app = TestApp::with_demo(db).await;
    let mut public = app.client();
    let r = public.get("/zhangzhe?on=1&next=/zwgk").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some("/zwgk"));
    let page = public.get("/zwgk").await;
    assert!(page.body.contains("<body class=\"elder\">"));
    assert!(page.text("#elder-toggle").contains("退出长者模式"));
    public.get("/zhangzhe?on=0&next=/zwgk").await;
    assert!(public.get("/zwgk").await.body.contains("<body class=\"\">"));
    // Never a redirect to another site.
    let r = public.get("/zhangzhe?on=1&next=//evil.example").await;
    assert_eq!(r.location(), Some("/"));
});

dbtest!(healthz_and_metrics, |db| {
    let app = TestApp::with_demo(db).await;
    let mut public = app.client();
    let r = public.get("/healthz").await;
    assert_eq!(r.status, StatusCode::OK);
    public.get("/nope").await;
    // /metrics is for the operator: refused without the token, and with a wrong one.
    let refused = public.get("/metrics").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.body.contains("gongkai_info"));
    let wrong = public
        .get_with("/metrics", &[("authorization", "Bearer guess")])
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let m = public.metrics().await;
    assert_eq!(m.status, StatusCode::OK);
    assert!(
        m.body
            .contains("gongkai_http_responses_total{class=\"4xx\"} 3"),
        "{}",
        m.body
    );
    assert!(m.body.contains("gongkai_info{"));
});

dbtest!(metrics_without_a_token_answer_only_on_loopback, |db| {
    let app = TestApp::with_demo_config(db, |c| c.security.metrics_token.clear()).await;
    // In-process requests have no peer address: not loopback, so refused.
    assert_eq!(
        app.client().get("/metrics").await.status,
        StatusCode::FORBIDDEN
    );
});

dbtest!(security_headers_and_no_caching_of_staff_pages, |db| {
    let app = TestApp::with_demo(db).await;
    let mut staff = app.client();
    let home = staff.get("/").await;
    assert_eq!(home.headers["x-content-type-options"], "nosniff");
    assert_eq!(home.headers["x-frame-options"], "DENY");
    assert!(
        home.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    // Public pages may be kept, but are revalidated by their ETag (`page_cache`).
    assert_eq!(home.headers["cache-control"], "no-cache");
    let login = staff.get("/login").await;
    assert_eq!(login.headers["cache-control"], "no-store");
    staff.login("admin", "gongkai-demo-2026").await;
    let console = staff.get("/console/organs/1/settings").await;
    assert_eq!(console.status, StatusCode::OK);
    assert_eq!(console.headers["cache-control"], "no-store");
});

dbtest!(login_sets_an_http_only_same_site_session_cookie, |db| {
    let app = TestApp::with_demo(db).await;
    let mut staff = app.client();
    let r = staff.login("admin", "gongkai-demo-2026").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), Some("/console"));
    let cookie = r
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("gk_session="))
        .expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    let console = staff.get("/console").await;
    assert_eq!(console.status, StatusCode::OK);
    assert!(console.body.contains("呼伦贝尔经济技术开发区"));
});

dbtest!(
    repeated_wrong_passwords_lock_the_account_for_a_while,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut client = app.client();
        let r = client.login("admin", "wrong-1").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(
            r.text("#login-error").contains("用户名或密码错误"),
            "{}",
            r.body
        );
        client.login("admin", "wrong-2").await;
        let r = client.login("admin", "wrong-3").await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        let message = r.text("#login-error");
        assert!(message.contains("账户已被临时锁定"), "{message}");
        assert!(message.contains("10分钟"), "{message}");
        // While locked even the right password is refused, and no session is made.
        let r = client.login("admin", "gongkai-demo-2026").await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(!client.cookies.contains_key("gk_session"));
        // Other accounts are not affected.
        let mut other = app.client();
        assert_eq!(
            other.login("bianji", "gongkai-demo-2026").await.status,
            StatusCode::SEE_OTHER
        );
        // After the lock runs out the right password works.
        app.clock.advance(10 * 60);
        let r = client.login("admin", "gongkai-demo-2026").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let metrics = app.client().metrics().await.body;
        assert!(
            metrics.contains("gongkai_account_lockouts_total 1"),
            "{metrics}"
        );
    }
);

dbtest!(
    login_attempts_are_throttled_per_client_whatever_the_account,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut client = app.client();
        // Twenty attempts on twenty names: none is locked, but the client is then throttled.
        for i in 0..20 {
            let r = client.login(&format!("guess{i}"), "wrong-password").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
        }
        let r = client.login("admin", "gongkai-demo-2026").await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.text("#login-error").contains("登录尝试过于频繁"));
        assert!(!client.cookies.contains_key("gk_session"));
        app.clock.advance(60);
        assert_eq!(
            client.login("admin", "gongkai-demo-2026").await.status,
            StatusCode::SEE_OTHER
        );
    }
);

dbtest!(unknown_login_names_fail_like_wrong_passwords, |db| {
    let app = TestApp::with_demo(db).await;
    let r = app.client().login("nobody", "whatever-it-is").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("用户名或密码错误"));
});

dbtest!(login_without_the_form_token_is_refused, |db| {
    let app = TestApp::with_demo(db).await;
    let mut client = app.client();
    let r = client
        .post(
            "/login",
            &[("username", "admin"), ("password", "gongkai-demo-2026")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("页面已过期或请求来源不明"));
    assert!(!client.cookies.contains_key("gk_session"));
});

dbtest!(
    login_always_gets_a_new_session_and_ends_the_one_it_came_with,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut staff = app.client();
        staff.login("bianji", "gongkai-demo-2026").await;
        let first = staff.cookies.get("gk_session").cloned().unwrap();
        // Logging in again (as someone else) from the same browser: a new id, the old one ends.
        let r = staff.login("admin", "gongkai-demo-2026").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let second = staff.cookies.get("gk_session").cloned().unwrap();
        assert_ne!(first, second);
        let mut old = app.client();
        old.cookies.insert("gk_session".into(), first);
        assert_eq!(old.get("/console").await.status, StatusCode::SEE_OTHER);
        // A session id planted in a browser before login is never adopted.
        let mut victim = app.client();
        victim.cookies.insert("gk_session".into(), "f".repeat(64));
        victim.login("admin", "gongkai-demo-2026").await;
        assert_ne!(
            victim.cookies.get("gk_session").map(String::as_str),
            Some("f".repeat(64).as_str())
        );
        assert_eq!(victim.get("/console").await.status, StatusCode::OK);
    }
);

dbtest!(login_redirects_only_to_local_paths, |db| {
    let app = TestApp::with_demo(db).await;
    let mut client = app.client();
    let page = client.get("/login").await;
    let csrf = page.input("csrf").unwrap();
    for (next, expected) in [
        ("/zwgk/zhinan", "/zwgk/zhinan"),
        ("//evil.example", "/console"),
        ("https://evil.example", "/console"),
    ] {
        let mut c = app.client();
        c.cookies = client.cookies.clone();
        let r = c
            .post(
                "/login",
                &[
                    ("csrf", csrf.as_str()),
                    ("username", "admin"),
                    ("password", "gongkai-demo-2026"),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(r.location(), Some(expected), "{next:?}");
    }
    // A control character in the address is refused outright (issue 10: no field takes them).
    let mut c = app.client();
    c.cookies = client.cookies.clone();
    let r = c
        .post(
            "/login",
            &[
                ("csrf", csrf.as_str()),
                ("username", "admin"),
                ("password", "gongkai-demo-2026"),
                ("next", "/\t/evil.example"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.location(), None);
});

dbtest!(sessions_end_after_the_idle_timeout, |db| {
    let app = TestApp::with_demo(db).await;
    let mut staff = app.client();
    staff.login("admin", "gongkai-demo-2026").await;
    app.clock.advance(29 * 60);
    assert_eq!(staff.get("/console").await.status, StatusCode::OK);
    app.clock.advance(31 * 60);
    let r = staff.get("/console").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some("/login?next=/console"));
});

dbtest!(logout_needs_the_token_and_ends_the_session, |db| {
    let app = TestApp::with_demo(db).await;
    let mut staff = app.client();
    staff.login("admin", "gongkai-demo-2026").await;
    assert_eq!(
        staff.post("/logout", &[("csrf", "forged")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(staff.get("/console").await.status, StatusCode::OK);
    let csrf = staff.csrf().await;
    let session = staff.cookies.get("gk_session").cloned().unwrap();
    assert_eq!(
        staff.post("/logout", &[("csrf", &csrf)]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(staff.get("/console").await.status, StatusCode::SEE_OTHER);
    // The old cookie no longer opens anything.
    staff.cookies.insert("gk_session".into(), session);
    assert_eq!(staff.get("/console").await.status, StatusCode::SEE_OTHER);
});

/// The settings form of organ 1 as the page shows it, with `changes` applied.
async fn settings_form(
    client: &mut util::Client,
    organ: i64,
    changes: &[(&str, &str)],
) -> Vec<(String, String)> {
    let page = client
        .get(&format!("/console/organs/{organ}/settings"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let mut fields = page.form_fields();
    for (k, v) in changes {
        match fields.iter_mut().find(|(name, _)| name == k) {
            Some(field) => field.1 = (*v).to_owned(),
            None => fields.push(((*k).to_owned(), (*v).to_owned())),
        }
    }
    fields
}

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

dbtest!(
    a_settings_change_shows_on_the_portal_and_in_the_audit_log,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut staff = app.client();
        staff.login("admin", "gongkai-demo-2026").await;
        let fields = settings_form(
            &mut staff,
            1,
            &[("office_hours", "工作日 8:30-12:00 14:30-17:30")],
        )
        .await;
        let r = staff
            .post("/console/organs/1/settings", &pairs(&fields))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = staff.get(r.location().unwrap()).await;
        assert!(page.text("#saved").contains("已保存"));
        let guide = app.client().get("/zwgk/zhinan").await;
        assert!(guide.text("main").contains("工作日 8:30-12:00 14:30-17:30"));
        let audit = staff.get("/console/organs/1/audit").await;
        let text = audit.text("table.audit");
        assert!(text.contains("修改机关设置"), "{text}");
        assert!(
            text.contains("office_hours：（空） → 工作日 8:30-12:00 14:30-17:30"),
            "{text}"
        );
        assert!(text.contains("admin"));
    }
);

dbtest!(
    a_post_without_a_valid_csrf_token_is_refused_and_nothing_is_saved,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut staff = app.client();
        staff.login("admin", "gongkai-demo-2026").await;
        let before = app.db.organ(1).await.unwrap();
        let audit_before = app.db.audit_count().await.unwrap();
        let mut fields = settings_form(&mut staff, 1, &[("site_contact", "0000-0000000")]).await;
        for token in [
            "",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            if let Some(f) = fields.iter_mut().find(|(k, _)| k == "csrf") {
                f.1 = token.to_owned();
            }
            let r = staff
                .post("/console/organs/1/settings", &pairs(&fields))
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "token {token:?}");
            assert!(r.body.contains("页面已过期或请求来源不明"));
        }
        fields.retain(|(k, _)| k != "csrf");
        let r = staff
            .post("/console/organs/1/settings", &pairs(&fields))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = staff
            .post(
                "/console/organs/1/users",
                &[
                    ("username", "intruder"),
                    ("display_name", "x"),
                    ("password", "0123456789"),
                    ("role", "admin"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(app.db.organ(1).await.unwrap(), before);
        assert_eq!(app.db.audit_count().await.unwrap(), audit_before);
        assert!(app.db.user_credentials("intruder").await.unwrap().is_none());
    }
);

dbtest!(
    an_invalid_settings_form_is_shown_again_and_nothing_is_saved,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut staff = app.client();
        staff.login("admin", "gongkai-demo-2026").await;
        let before = app.db.organ(1).await.unwrap();
        let audit_before = app.db.audit_count().await.unwrap();
        let fields = settings_form(
            &mut staff,
            1,
            &[
                ("office_phone", "0470-1111111"),
                ("credit_code", "91350100M000100Y44"),
            ],
        )
        .await;
        let r = staff
            .post("/console/organs/1/settings", &pairs(&fields))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text(".field-error")
                .contains("统一社会信用代码校验位不正确")
        );
        // Everything typed is kept in the form.
        assert_eq!(r.input("office_phone").as_deref(), Some("0470-1111111"));
        assert_eq!(app.db.organ(1).await.unwrap(), before);
        assert_eq!(app.db.audit_count().await.unwrap(), audit_before);
    }
);

dbtest!(an_administrator_adds_staff_who_can_then_log_in, |db| {
    let app = TestApp::with_demo(db).await;
    let mut admin = app.client();
    admin.login("admin", "gongkai-demo-2026").await;
    let csrf = admin.csrf().await;
    let form = [
        ("csrf", csrf.as_str()),
        ("username", "wangwu"),
        ("display_name", "王五"),
        ("password", PASSWORD),
        ("role", "reviewer"),
    ];
    let r = admin.post("/console/organs/1/users", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = admin.get("/console/organs/1/users").await;
    assert!(list.text("table").contains("王五"));
    let again = admin.post("/console/organs/1/users", &form).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("该用户名已被使用"));
    let mut wangwu = app.client();
    assert_eq!(
        wangwu.login("wangwu", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let audit = admin.get("/console/organs/1/audit").await;
    assert!(audit.text("table.audit").contains("添加工作人员"));
});

/// The access rules written out independently of `Role::allows`: administrators run the
/// organ (settings, staff, reports, the audit log), see its cases with applicants masked,
/// edit its notice settings and, on a root organ, enter the calendar's holiday notices; the
/// 负责人 reads settings, staff and the audit log, publishes the annual report, handles cases
/// and alone approves an extension (条例 art. 33 ¶2); the 承办人 handles cases. Proactive
/// items: editors and administrators write, submit, withdraw them and record their 有效性;
/// 审核人 and the 负责人 take the review steps (each the steps of their role: the fixture's item
/// waits at the step of whoever tries); all four see the organ's items, their files and the
/// art. 26 list, the 承办人 none; the item settings are read by administrators and the 负责人
/// and changed by administrators. 留言 are answered by everyone but the reviewer (the
/// administrator alone sets the reply limit); 意见征集 belongs to the editor, the 负责人 and the
/// administrator; editors, the 负责人 and administrators keep the 政务公开事项标准目录 and enter
/// 表二's figures from other systems.
fn expected_access(role: Role, method: &str, pattern: &str) -> bool {
    let tail = pattern.trim_start_matches("/console/organs/{organ_id}");
    let admin = role == Role::Administrator;
    let head = role == Role::Head;
    let handles_cases = matches!(role, Role::Head | Role::CaseHandler);
    let sees_cases = admin || handles_cases;
    let keeps_catalogue = matches!(role, Role::Administrator | Role::Head | Role::Editor);
    match (method, tail) {
        ("GET", "") | ("GET", "/reports") => true,
        ("GET", "/settings") | ("GET", "/users") | ("GET", "/audit") => admin || head,
        ("POST", "/settings") | ("POST", "/users") => admin,
        // Importing a draft of the 年度报告: those who draft it (editor, 负责人, administrator).
        ("POST", "/reports") => admin || head || role == Role::Editor,
        ("GET", "/reports/{year}/computed")
        | ("GET", "/reports/{year}/cells/{section}/{row}/{column}")
        | ("GET", "/applications")
        | ("GET", "/applications/{id}")
        | ("GET", "/notice-settings")
        | ("GET", "/appeals") => sees_cases,
        ("POST", "/notice-settings") => admin || head,
        ("POST", "/applications/{id}/steps/extension_approved") => head,
        (_, "/calendar") => admin,
        ("GET", "/item-settings") => admin || head,
        ("POST", "/item-settings") => admin,
        (_, "/items/new")
        | (_, "/items/{item_id}/edit")
        | ("POST", "/items/{item_id}/submit")
        | ("POST", "/items/{item_id}/withdraw")
        | ("POST", "/items/{item_id}/validity") => admin || role == Role::Editor,
        ("POST", "/items/{item_id}/review") => head || role == Role::Reviewer,
        ("GET", t) if t.starts_with("/items") => role != Role::CaseHandler,
        (_, t) if t.starts_with("/applications") || t.starts_with("/appeals") => handles_cases,
        // 互动交流: 留言 for everyone but the reviewer, its reply limit for the administrator,
        // 意见征集 for the editor, the 负责人 and the administrator.
        ("POST", "/message-settings") => admin,
        (_, t) if t.starts_with("/messages") => role != Role::Reviewer,
        (_, t) if t.starts_with("/consultations") => admin || head || role == Role::Editor,
        (_, t) if t.starts_with("/catalogue") || t.starts_with("/figures") => keeps_catalogue,
        _ => false,
    }
}

/// One organ's records for the office routes of the matrix: a case with a scanned letter, a
/// case whose handler asked for an extension, a draft and an issued 登记回执, an appeal.
struct Fixture {
    case: i64,
    pending: i64,
    file: i64,
    draft: i64,
    issued: i64,
    appeal: i64,
    /// A draft item with an attachment, and the attachment.
    item: i64,
    item_file: i64,
    /// A 留言, an open consultation and a comment on it.
    message: i64,
    consultation: i64,
    comment: i64,
    /// An entry of the organ's 标准目录.
    entry: i64,
    /// The draft's date and text, as its edit form sends them.
    draft_date: String,
    draft_body: String,
}

async fn fixture(app: &TestApp, organ: i64, head: &str) -> Fixture {
    use gongkai_store::application::{Applicant, NewApplication, NewAttachment, Request};
    use gongkai_store::ledger::{LedgerEvent, Record};
    let scope = OrganScope::system(organ);
    let actor = Actor::system("test");
    let today = app.state.today();
    let (nonce, ciphertext) = app.state.data_key.seal("letter", b"%PDF-1.4 letter");
    let new = |attachments| NewApplication {
        applicant: Applicant {
            kind: "natural_person".into(),
            name: "张三".into(),
            id_type: "resident_id".into(),
            id_number: "11010519491231002X".into(),
            phone: "13800138000".into(),
            ..Applicant::default()
        },
        request: Request {
            title: "某某路改造工程立项批复".into(),
            ..Request::default()
        },
        channel: gongkai_core::clock::Channel::InPerson,
        received: today,
        query_code: None,
        attachments,
    };
    let letter = NewAttachment {
        purpose: "letter".into(),
        file_name: "申请书.pdf".into(),
        content_type: "application/pdf".into(),
        size: 15,
        nonce,
        ciphertext,
    };
    let case = app
        .db
        .create_application(&actor, scope, START, &new(vec![letter]))
        .await
        .unwrap()
        .id;
    let file = app.db.attachments(scope, case).await.unwrap()[0].id;
    let pending = app
        .db
        .create_application(&actor, scope, START, &new(Vec::new()))
        .await
        .unwrap()
        .id;
    let cal = app.state.calendar().await.unwrap();
    let request = LedgerEvent {
        note: "需要调取档案".into(),
        ..LedgerEvent::record(
            today,
            Record::ExtensionRequested {
                days: 20,
                reason: "需要调取档案".into(),
            },
        )
    };
    app.db
        .append_case_event(
            &actor,
            scope,
            pending,
            request,
            &cal,
            app.state.clock_config,
            today,
            START,
        )
        .await
        .unwrap();
    // The notices are drafted and issued through the console, as staff do.
    let mut staff = app.logged_in(head).await;
    let csrf = staff.csrf().await;
    let base = format!("/console/organs/{organ}/applications/{case}/notices");
    let mut draft_receipt = async || {
        let r = staff
            .post(&base, &[("csrf", csrf.as_str()), ("kind", "receipt")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let location = r.location().unwrap().to_owned();
        location.rsplit('/').next().unwrap().parse::<i64>().unwrap()
    };
    let draft = draft_receipt().await;
    let issued = draft_receipt().await;
    let r = staff
        .post(
            &format!("{base}/{issued}/issue"),
            &[("csrf", csrf.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = app.db.notice(scope, case, draft).await.unwrap();
    let appeal = app
        .db
        .create_appeal(
            &actor,
            scope,
            START,
            &gongkai_store::appeal::AppealInput {
                kind: "reconsideration".into(),
                filed: "2025-12-01".into(),
                result: "pending".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
    let item = app
        .db
        .create_item(
            &actor,
            scope,
            START,
            today,
            &item_content("矩阵草稿"),
            &[gongkai_store::item::NewFile {
                file_name: "附件.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: b"%PDF-1.4 matrix".to_vec(),
            }],
        )
        .await
        .unwrap();
    let item_file = item.working().files[0].id;
    let message = fresh_message(app, organ, 0).await;
    let consultation = app
        .db
        .create_consultation(&actor, scope, today, START, &consultation_input(today, 0))
        .await
        .unwrap()
        .id;
    let comment = fresh_comment(app, organ, consultation).await;
    let entry = fresh_entry(app, organ).await;
    Fixture {
        case,
        pending,
        file,
        draft,
        issued,
        appeal,
        item: item.id,
        item_file,
        message,
        consultation,
        comment,
        entry,
        draft_date: stored.date.clone(),
        draft_body: stored.paragraphs.join("\n"),
    }
}

fn item_content(title: &str) -> gongkai_store::item::ItemContent {
    gongkai_store::item::ItemContent {
        title: title.into(),
        formed: Some(time::macros::date!(2026 - 01 - 05)),
        topic: "综合政务".into(),
        kind: "other".into(),
        openness: "proactive".into(),
        body: "正文".into(),
        ..Default::default()
    }
}

/// A fresh item for an item step of the matrix: a draft to submit, an item waiting at the
/// step of `role` (科室审核 for a 审核人, 领导签发 for the 负责人), or a published item.
async fn fresh_item(app: &TestApp, organ: i64, pattern: &str, role: Role) -> Option<i64> {
    use gongkai_store::item::ItemStep;
    let sys = Actor::system("test");
    let scope = OrganScope::system(organ);
    let today = app.state.today();
    let approvals = if pattern.ends_with("/submit") {
        None
    } else if pattern.ends_with("/review") {
        Some(if role == Role::Head { 2 } else { 0 })
    } else if pattern.ends_with("/withdraw") || pattern.ends_with("/validity") {
        Some(3)
    } else {
        return None;
    };
    let item = app
        .db
        .create_item(&sys, scope, START, today, &item_content("矩阵"), &[])
        .await
        .unwrap();
    if let Some(n) = approvals {
        let submit = ItemStep::Submit {
            comment: String::new(),
        };
        app.db
            .item_step(&sys, scope, item.id, &submit, today, START)
            .await
            .unwrap();
        for _ in 0..n {
            let approve = ItemStep::Approve {
                comment: String::new(),
            };
            app.db
                .item_step(&sys, scope, item.id, &approve, today, START)
                .await
                .unwrap();
        }
    }
    Some(item.id)
}

/// A fresh draft to issue, so that each allowed issue has one of its own.
async fn fresh_draft(app: &TestApp, organ: i64, f: &Fixture) -> i64 {
    let scope = OrganScope::system(organ);
    let stored = app.db.notice(scope, f.case, f.draft).await.unwrap();
    let draft = gongkai_store::notice::NoticeDraft {
        kind: stored.kind,
        title: stored.title,
        organ_name: stored.organ_name,
        date: stored.date,
        paragraphs: stored.paragraphs,
    };
    app.db
        .create_notice_draft(&Actor::system("test"), scope, f.case, START, &draft)
        .await
        .unwrap()
        .id
}

/// A consultation of 30 days that started `days_ago` days before `today`.
fn consultation_input(
    today: time::Date,
    days_ago: i64,
) -> gongkai_store::consultation::ConsultationInput {
    let start = today - time::Duration::days(days_ago);
    gongkai_store::consultation::ConsultationInput {
        title: "某某办法（征求意见稿）".into(),
        draft: "第一条 ……".into(),
        explanation: String::new(),
        start,
        end: start + time::Duration::days(29),
        short_reason: String::new(),
        contact: String::new(),
    }
}

/// A fresh 留言 received today, taken `steps` steps on: 0 pending, 1 accepted, 2 replied, 3
/// published (the writer consents).
async fn fresh_message(app: &TestApp, organ: i64, steps: usize) -> i64 {
    use gongkai_store::message::{MessageStep, NewMessage, Writer};
    let scope = OrganScope::system(organ);
    let today = app.state.today();
    let m = app
        .db
        .create_message(
            &Actor::system("portal"),
            scope,
            START,
            &NewMessage {
                kind: "consult".into(),
                title: "某事咨询".into(),
                body: "请问某事如何办理？".into(),
                writer: Writer {
                    name: "张三".into(),
                    phone: "13800138000".into(),
                    email: String::new(),
                },
                consent: true,
                received: today,
                query_code: "ABCDEFGHJKLM".into(),
            },
        )
        .await
        .unwrap();
    let all = [
        MessageStep::Accept { on: today },
        MessageStep::Reply {
            on: today,
            text: "已答复。".into(),
        },
        MessageStep::Publish {
            title: None,
            body: None,
        },
    ];
    for step in all.iter().take(steps) {
        app.db
            .take_message_step(&Actor::system("test"), scope, m.id, step, today, START)
            .await
            .unwrap();
    }
    m.id
}

/// A fresh comment on an open consultation.
async fn fresh_comment(app: &TestApp, organ: i64, consultation: i64) -> i64 {
    let comment = gongkai_store::consultation::NewComment {
        name: String::new(),
        contact: String::new(),
        body: "同意。".into(),
    };
    app.db
        .add_comment(
            &Actor::system("portal"),
            organ,
            consultation,
            app.state.today(),
            START,
            &comment,
        )
        .await
        .unwrap()
        .id
}

/// A fresh 标准目录 entry, so that each allowed deletion has one of its own.
async fn fresh_entry(app: &TestApp, organ: i64) -> i64 {
    let input = gongkai_store::catalogue::EntryInput {
        category: "机构信息".into(),
        name: "机构职能".into(),
        content: "机构职能、内设机构".into(),
        basis: "《中华人民共和国政府信息公开条例》第二十条".into(),
        subject: "本机关".into(),
        time_limit: "信息形成或变更之日起20个工作日内".into(),
        channels: "政府网站".into(),
        mode: gongkai_store::catalogue::Mode::Proactive,
        audience: String::new(),
        pilot_area: None,
    };
    app.db
        .create_catalogue_entry(
            &Actor::system("test"),
            OrganScope::system(organ),
            START,
            &input,
        )
        .await
        .unwrap()
        .id
}

/// The 互动交流 records a route of the matrix acts on: (留言, consultation, comment). Each
/// POST gets a fresh record in the state its step needs, so that each allowed one succeeds.
async fn interact_records(
    app: &TestApp,
    organ: i64,
    method: &str,
    pattern: &str,
    f: &Fixture,
) -> (i64, i64, i64) {
    let mut records = (f.message, f.consultation, f.comment);
    if method != "POST" {
        return records;
    }
    let steps = [
        ("/accept", 0),
        ("/reject", 0),
        ("/reply", 1),
        ("/publish", 2),
        ("/unpublish", 3),
    ];
    if pattern.contains("/messages/")
        && let Some((_, n)) = steps.iter().find(|(end, _)| pattern.ends_with(end))
    {
        records.0 = fresh_message(app, organ, *n).await;
    } else if pattern.ends_with("/comments/{comment_id}") {
        records.2 = fresh_comment(app, organ, f.consultation).await;
    } else if pattern.ends_with("/feedback") {
        // Ended before today, no comments: its feedback may be published.
        let today = app.state.today();
        let ended = consultation_input(today - time::Duration::days(40), 0);
        let c = app
            .db
            .create_consultation(
                &Actor::system("test"),
                OrganScope::system(organ),
                ended.start,
                START,
                &ended,
            )
            .await
            .unwrap();
        records.1 = c.id;
    }
    records
}

/// The form each POST of the matrix sends: a valid one, so that an allowed request succeeds.
fn matrix_form(
    permission: Permission,
    pattern: &str,
    serial: usize,
    actor_id: i64,
    f: &Fixture,
) -> Vec<(String, String)> {
    let owned = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<Vec<_>>()
    };
    let tail = pattern.trim_start_matches("/console/organs/{organ_id}");
    match (permission, tail) {
        (_, "/item-settings") => owned(&[
            ("index_pattern", "{code}/{year}-{seq:5}"),
            (
                "chain",
                "科室审核：审核人\n保密审查：审核人\n领导签发：负责人",
            ),
            ("topics", "综合政务\n财政、金融、审计"),
        ]),
        (_, "/message-settings") => owned(&[("reply_days", "10")]),
        (_, "/messages/{message_id}/accept") => owned(&[("date", "2026-01-05")]),
        (_, "/messages/{message_id}/reject") => owned(&[
            ("date", "2026-01-05"),
            ("redirect", "petition"),
            ("reason", "属于信访事项。"),
        ]),
        (_, "/messages/{message_id}/reply") => {
            owned(&[("date", "2026-01-05"), ("reply", "已办理。")])
        }
        (_, "/consultations/new") => owned(&[
            ("title", &format!("某某办法{serial}（征求意见稿）")),
            ("draft", "第一条 ……"),
            ("start", "2026-01-05"),
            ("end", "2026-02-03"),
        ]),
        (_, "/consultations/{consultation_id}/comments/{comment_id}") => {
            owned(&[("decision", "adopted")])
        }
        (_, "/consultations/{consultation_id}/feedback") => owned(&[("summary", "未收到意见。")]),
        (Permission::DraftReports, _) => {
            // A year of its own per account; no agency, so the organ's name (which the
            // settings POST changes) is filled in.
            let mut report = seed_report();
            report["year"] = (2010 + actor_id % 15).into();
            report["agency"] = serde_json::Value::Null;
            owned(&[("report_json", &report.to_string())])
        }
        (Permission::EditSettings, _) => owned(&[("name", &format!("甲机关{serial}"))]),
        (Permission::ManageUsers, _) => owned(&[
            ("username", &format!("new_{serial}")),
            ("display_name", "新人"),
            ("password", PASSWORD),
            ("role", "editor"),
        ]),
        (_, "/applications/new") => owned(&[
            ("channel", "in_person"),
            ("received", "2026-01-05"),
            ("kind", "natural_person"),
            ("name", "李四"),
            ("id_type", "resident_id"),
            ("phone", "0470-1234567"),
            ("title", "某某文件"),
        ]),
        (_, "/applications/{id}/steps/{step}") => {
            owned(&[("date", "2026-01-05"), ("to", &actor_id.to_string())])
        }
        (_, "/applications/{id}/steps/extension_approved") => owned(&[("date", "2026-01-05")]),
        (_, "/applications/{id}/notices") => owned(&[("kind", "receipt")]),
        (_, "/applications/{id}/notices/{notice_id}") => {
            owned(&[("date", &f.draft_date), ("body", &f.draft_body)])
        }
        (_, "/notice-settings") => owned(&[
            ("number_pattern", "{organ_short}依申〔{year}〕{seq:3}号"),
            ("organ_short", "甲"),
        ]),
        (_, "/appeals") | (_, "/appeals/{appeal_id}") => owned(&[
            ("kind", "reconsideration"),
            ("filed", "2025-12-01"),
            ("body", "某某市人民政府"),
            ("result", "pending"),
        ]),
        (_, "/items/new") | (_, "/items/{item_id}/edit") => owned(&[
            ("title", &format!("矩阵信息{serial}")),
            ("kind", "other"),
            ("topic", "综合政务"),
            ("formed", "2026-01-05"),
            ("openness", "proactive"),
            ("body", "正文"),
            ("keep", &f.item_file.to_string()),
        ]),
        (_, "/items/{item_id}/review") => owned(&[("decision", "approve"), ("comment", "同意")]),
        (_, "/items/{item_id}/withdraw") => owned(&[("comment", "撤回")]),
        (_, "/items/{item_id}/validity") => {
            owned(&[("validity", "repealed"), ("since", "2026-01-05")])
        }
        (_, "/catalogue/new") | (_, "/catalogue/{entry_id}") => owned(&[
            ("category", "机构信息"),
            ("name", &format!("机构职能{serial}")),
            ("content", "机构职能、内设机构"),
            ("basis", "《中华人民共和国政府信息公开条例》第二十条"),
            ("subject", "本机关"),
            ("time_limit", "信息形成或变更之日起20个工作日内"),
            ("channel", "政府网站"),
            ("mode", "proactive"),
        ]),
        (_, "/catalogue/import") => owned(&[(
            "pasted",
            &format!(
                "事项类别,事项名称,公开内容,公开依据,公开主体,公开时限,公开渠道和载体,公开方式\n\
                 机构信息,领导信息{serial},领导简历,条例第二十条,本机关,实时,政府网站,主动\n"
            ),
        )]),
        (_, "/figures") => owned(&[
            ("year", "2025"),
            ("licensing.decisions", &serial.to_string()),
        ]),
        (_, "/figures/import") => owned(&[("pasted", &format!("年度,行政许可\n2024,{serial}\n"))]),
        (_, "/calendar") => owned(&[
            ("year", "2030"),
            ("notice_number", "测试通知〔2029〕1号"),
            ("notice_date", "2029-11-01"),
            ("file_text", "off 元旦 2030-01-01"),
        ]),
        _ => Vec::new(),
    }
}

dbtest!(
    every_console_route_with_every_role_on_own_and_other_organ,
    |db| {
        // Two organs, one account per role on each; every console route is tried by every
        // account on both organs (and on a missing one). Only what the role allows on its own organ succeeds.
        let app = TestApp::empty(db).await;
        let own = app.organ("甲机关").await;
        let other = app.organ("乙机关").await;
        let mut ids = std::collections::HashMap::new();
        for role in Role::ALL {
            let id = app.staff(own, &format!("own_{}", role.key()), role).await;
            ids.insert(role, id);
            app.staff(other, &format!("other_{}", role.key()), role)
                .await;
        }
        let fixtures = [
            (own, fixture(&app, own, "own_head").await),
            (other, fixture(&app, other, "other_head").await),
        ];
        let mut anonymous = app.client();
        let mut serial = 0;
        for role in Role::ALL {
            let mut client = app.logged_in(&format!("own_{}", role.key())).await;
            let csrf = client.csrf().await;
            for (method, pattern, permission) in CONSOLE_ROUTES {
                // Also an organ that does not exist: refused exactly like another organ's.
                for organ in [own, other, other + 100] {
                    // A missing organ is asked about own records: refused all the same.
                    let f = &fixtures
                        .iter()
                        .find(|(o, _)| *o == organ)
                        .unwrap_or(&fixtures[0])
                        .1;
                    let notice = if pattern.ends_with("/issue") {
                        fresh_draft(
                            &app,
                            fixtures
                                .iter()
                                .find(|(o, _)| *o == organ)
                                .map_or(own, |x| x.0),
                            f,
                        )
                        .await
                    } else if pattern.ends_with("/print") || pattern.ends_with("/docx") {
                        f.issued
                    } else {
                        f.draft
                    };
                    let entry = if pattern.ends_with("/catalogue/{entry_id}/delete") {
                        fresh_entry(
                            &app,
                            fixtures
                                .iter()
                                .find(|(o, _)| *o == organ)
                                .map_or(own, |x| x.0),
                        )
                        .await
                    } else {
                        f.entry
                    };
                    let case = if pattern.ends_with("/extension_approved") {
                        f.pending
                    } else {
                        f.case
                    };
                    let item_organ = fixtures
                        .iter()
                        .find(|(o, _)| *o == organ)
                        .map_or(own, |x| x.0);
                    let item = fresh_item(&app, item_organ, pattern, role)
                        .await
                        .unwrap_or(f.item);
                    let records_organ = fixtures
                        .iter()
                        .find(|(o, _)| *o == organ)
                        .map_or(own, |x| x.0);
                    let (message, consultation, comment) =
                        interact_records(&app, records_organ, method, pattern, f).await;
                    let path = pattern
                        .replace("{item_id}", &item.to_string())
                        .replace(
                            "/files/{file_id}",
                            &if pattern.contains("/items/") {
                                format!("/files/{}", f.item_file)
                            } else {
                                "/files/{file_id}".to_owned()
                            },
                        )
                        .replace("{organ_id}", &organ.to_string())
                        .replace("{message_id}", &message.to_string())
                        .replace("{consultation_id}", &consultation.to_string())
                        .replace("{comment_id}", &comment.to_string())
                        .replace("{id}", &case.to_string())
                        .replace("{file_id}", &f.file.to_string())
                        .replace("{notice_id}", &notice.to_string())
                        .replace("{appeal_id}", &f.appeal.to_string())
                        .replace("{entry_id}", &entry.to_string())
                        .replace("{step}", "assigned")
                        .replace("{year}", "2024")
                        .replace(
                            "{section}/{row}/{column}",
                            "applications/new_received/total",
                        );
                    let allowed = organ == own && expected_access(role, method, pattern);
                    let audit_before = app.db.audit_count().await.unwrap();
                    let response = if *method == "GET" {
                        client.get(&path).await
                    } else {
                        let form = matrix_form(*permission, pattern, serial, ids[&role], f);
                        serial += 1;
                        let mut pairs = vec![("csrf", csrf.as_str())];
                        pairs.extend(form.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                        client.post(&path, &pairs).await
                    };
                    // Entering a holiday notice answers with the cases it recomputed.
                    let done = match (*method, pattern.ends_with("/calendar")) {
                        ("GET", _) | (_, true) => StatusCode::OK,
                        _ => StatusCode::SEE_OTHER,
                    };
                    let expected = if allowed { done } else { StatusCode::FORBIDDEN };
                    assert_eq!(
                        response.status,
                        expected,
                        "{} {method} {path}: {}",
                        role.key(),
                        response.body
                    );
                    let audit_after = app.db.audit_count().await.unwrap();
                    if *method == "POST" {
                        // A refused write leaves no trace; an allowed one exactly one audit row.
                        assert_eq!(
                            audit_after - audit_before,
                            i64::from(allowed),
                            "{} {path}",
                            role.key()
                        );
                    }
                    // Without a session every console route asks for the login page.
                    let anon = if *method == "GET" {
                        anonymous.get(&path).await
                    } else {
                        anonymous.post(&path, &[("csrf", "x")]).await
                    };
                    assert_eq!(anon.status, StatusCode::SEE_OTHER, "anonymous {path}");
                    assert!(anon.location().unwrap_or_default().starts_with("/login"));
                }
            }
            // The console home lists only the account's own organ.
            let home = client.get("/console").await;
            assert!(
                home.body.contains("/console/organs/")
                    && !home.body.contains(&format!("/console/organs/{other}\""))
            );
        }
        // The other organ is untouched by all of this.
        assert_eq!(app.db.organ(other).await.unwrap().settings.name, "乙机关");
        let other_staff = app
            .db
            .staff(gongkai_store::OrganScope::system(other))
            .await
            .unwrap();
        assert_eq!(other_staff.len(), Role::ALL.len());
        assert!(app.db.annual_reports(other).await.unwrap().is_empty());
        assert!(
            app.db
                .report_versions(OrganScope::system(other))
                .await
                .unwrap()
                .is_empty()
        );
        let other_cases = app
            .db
            .applications(OrganScope::system(other), Default::default())
            .await
            .unwrap();
        assert_eq!(other_cases.len(), 2, "only the fixture's cases");
        assert!(
            app.db
                .appeals(OrganScope::system(other))
                .await
                .unwrap()
                .len()
                == 1
        );
        // Nor its 表二 figures.
        assert!(
            !app.db
                .report_figures(OrganScope::system(other), 2025)
                .await
                .unwrap()
                .any()
        );
        // Own organ: one draft per allowed import (administrator, 负责人, editor).
        assert_eq!(
            app.db
                .report_versions(OrganScope::system(own))
                .await
                .unwrap()
                .len(),
            3
        );
    }
);

/// The seed's tables.
fn seed_report() -> serde_json::Value {
    serde_json::from_str(gongkai_web::demo::DEMO_REPORT_JSON).unwrap()
}

/// The seed's report as the demo publishes it: tables and narrative.
fn seed_with_narrative() -> serde_json::Value {
    let mut report = seed_report();
    report["narrative"] = serde_json::from_str(gongkai_web::demo::DEMO_NARRATIVE_JSON).unwrap();
    report
}

dbtest!(
    the_annual_report_column_lists_and_renders_published_reports,
    |db| {
        // 条例 art. 49, 50: the organ publishes its annual report; the 年报 column shows it.
        let app = TestApp::with_demo(db).await;
        let mut public = app.client();
        let column = public.get("/zwgk/nianbao").await;
        assert_eq!(column.status, StatusCode::OK);
        assert!(column.links().contains(&"/zwgk/nianbao/2022".to_owned()));
        assert!(
            column
                .text("ul.reports")
                .contains("呼伦贝尔经济技术开发区2022年政府信息公开工作年度报告")
        );
        assert!(!column.body.contains("本栏目暂无信息"));

        // The page holds the tables exactly as the official-layout renderer prints them.
        let page = public.get("/zwgk/nianbao/2022").await;
        assert_eq!(page.status, StatusCode::OK);
        let report = AnnualReport::from_json(&seed_with_narrative()).unwrap();
        let rendered = gongkai_report::render::html(&report);
        // 发布日期 is the day the report was published, not the demo's loading time.
        assert!(
            page.text("p.date").contains("2023-01-11"),
            "{}",
            page.text("p.date")
        );
        assert!(page.body.contains(&rendered), "{}", page.body);
        let headings = page.text(".report-tables h2");
        for heading in [title::PROACTIVE, title::APPLICATIONS, title::APPEALS] {
            assert!(headings.contains(heading), "{headings}");
        }
        assert_eq!(page.meta("ColumnName").as_deref(), Some("政府信息公开年报"));

        // A later report with its own figures appears too, newest first, its cells its own.
        let mut later = seed_report();
        later["year"] = 2023.into();
        for row in ["new_received", "granted", "total_handled"] {
            later["applications"][row]["natural_person"] = 7.into();
            later["applications"][row]["total"] = 7.into();
        }
        gongkai_web::annual::publish_document(
            &app.db,
            &Actor::system("test"),
            OrganScope::system(1),
            START,
            app.state.today(),
            &later,
            None,
        )
        .await
        .unwrap();
        // Published behind the portal's back, as the CLI would: the page cache sees it at its
        // next check of the store's write generation.
        app.clock.advance(gongkai_web::page_cache::CHECK_SECONDS);
        let column = public.get("/zwgk/nianbao").await;
        let links: Vec<String> = column
            .links()
            .into_iter()
            .filter(|l| l.starts_with("/zwgk/nianbao/"))
            .collect();
        assert_eq!(links, vec!["/zwgk/nianbao/2023", "/zwgk/nianbao/2022"]);
        let page = public.get("/zwgk/nianbao/2023").await;
        assert!(page.body.contains("<td>7</td>"), "{}", page.body);
        assert!(
            !public
                .get("/zwgk/nianbao/2022")
                .await
                .body
                .contains("<td>7</td>")
        );
        assert!(
            public
                .get("/wzdt")
                .await
                .links()
                .contains(&"/zwgk/nianbao/2023".to_owned())
        );

        for missing in [
            "/zwgk/nianbao/1999",
            "/zwgk/nianbao/abc",
            "/zwgk/nianbao/99999999999",
        ] {
            let r = public.get(missing).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{missing}");
            assert!(r.body.contains("您访问的页面不存在"));
        }
    }
);

dbtest!(
    another_organs_report_is_not_on_this_portal_and_invalid_ones_are_never_stored,
    |db| {
        let app = TestApp::with_demo(db).await;
        let other = app.organ("乙机关").await;
        let mut report = seed_report();
        report["year"] = 2024.into();
        report["agency"] = "乙机关".into();
        gongkai_web::annual::publish_document(
            &app.db,
            &Actor::system("test"),
            OrganScope::system(other),
            START,
            app.state.today(),
            &report,
            None,
        )
        .await
        .unwrap();
        let mut public = app.client();
        assert_eq!(
            public.get("/zwgk/nianbao/2024").await.status,
            StatusCode::NOT_FOUND
        );
        assert!(!public.get("/sitemap.xml").await.body.contains("2024"));

        // A document that is not a report (or names no year) leaves no row and no audit row.
        let audit_before = app.db.audit_count().await.unwrap();
        let mut no_year = seed_report();
        no_year["year"] = serde_json::Value::Null;
        for bad in [serde_json::json!({"year": 2025}), no_year] {
            let refused = gongkai_web::annual::publish_document(
                &app.db,
                &Actor::system("test"),
                OrganScope::system(1),
                START,
                app.state.today(),
                &bad,
                None,
            )
            .await;
            assert!(refused.is_err());
        }
        assert_eq!(app.db.audit_count().await.unwrap(), audit_before);
        assert_eq!(app.db.published_reports(1).await.unwrap().len(), 1);
    }
);

dbtest!(
    the_annual_report_column_of_an_organ_without_reports_says_so,
    |db| {
        let app = TestApp::empty(db).await;
        app.organ("甲机关").await;
        let page = app.client().get("/zwgk/nianbao").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text("main").contains("本栏目暂无信息"));
    }
);

#[test]
fn every_organ_route_of_the_router_is_in_the_role_matrix() {
    // The matrix test walks CONSOLE_ROUTES; a console route added to the router but not to
    // that list would escape it. Read the routes from the router's source itself, and from
    // the areas it merges.
    let source = [
        include_str!("../src/router.rs"),
        include_str!("../src/controllers/office/mod.rs"),
        include_str!("../src/controllers/items/mod.rs"),
        include_str!("../src/controllers/interact/mod.rs"),
        include_str!("../src/controllers/catalogue/mod.rs"),
        include_str!("../src/controllers/computed.rs"),
    ]
    .concat();
    let mut found = Vec::new();
    for call in source.split(".route(").skip(1) {
        let call = call.split(".route(").next().unwrap_or_default();
        let Some(path) = call.split('"').nth(1) else {
            continue;
        };
        if !path.starts_with("/console/organs/") {
            continue;
        }
        let handlers = call.split(';').next().unwrap_or_default();
        let handlers = handlers.split("// ").next().unwrap_or_default();
        if handlers.contains("get(") {
            found.push(("GET".to_owned(), path.to_owned()));
        }
        if handlers.contains("post(") {
            found.push(("POST".to_owned(), path.to_owned()));
        }
    }
    let mut listed: Vec<(String, String)> = CONSOLE_ROUTES
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    found.sort();
    listed.sort();
    assert!(found.len() >= 6, "{found:?}");
    assert_eq!(found, listed);
}

dbtest!(
    malformed_requests_get_chinese_pages_and_never_a_panic,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut admin = app.logged_in_as_demo_admin().await;
        // A page number that is not a number: the Chinese 400 page, no axum text.
        let r = admin.get("/console/organs/1/audit?page=x").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("提交的内容格式不正确"), "{}", r.body);
        assert!(!r.body.contains("deserialize"));
        assert_site_frame(&r, "audit?page=x");
        // A page number so large that the offset would overflow.
        let r = admin
            .get("/console/organs/1/audit?page=9223372036854775807")
            .await;
        assert_eq!(r.status, StatusCode::OK);
        // A path segment that is not UTF-8.
        let r = admin.get("/console/organs/%FF/settings").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.body.contains("您访问的页面不存在"));
        // A method the route does not take.
        let r = admin.post("/zwgk", &[("x", "1")]).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
        assert!(r.body.contains("该页面不支持这种请求方式"), "{}", r.body);
        assert_site_frame(&r, "POST /zwgk");
        // The health check stays plain for machines.
        let r = admin.post("/healthz", &[]).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
        assert!(!r.body.contains("<html"));
    }
);
