//! 互动交流 (issue 12 item 7) through the router, on SQLite and (with
//! GONGKAI_TEST_DATABASE_URL) PostgreSQL: the public 留言 form and what guards it, the receipt
//! and the look-up, the console queue by reply due date, moderation, reply and publication with
//! personal data masked, 意见征集 from opening to the published feedback, CSRF on every
//! console POST, and another organ's records.

mod util;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use gongkai_store::consultation::{ConsultationInput, NewComment};
use gongkai_store::message::{Message, MessageStep, NewMessage, Writer};
use gongkai_store::{Actor, OrganScope, dbtest};
use gongkai_web::router::CONSOLE_ROUTES;
use http_body_util::BodyExt;
use tower::ServiceExt;
use util::{Client, Resp, START, TestApp};

/// The demo organ.
const ORGAN: i64 = 1;
const FORM: &str = "/hdjl/liuyan/xie";
const RECEIPT: &str = "/hdjl/liuyan/huizhi";
const TRACK: &str = "/hdjl/liuyan/chaxun";
const NOT_FOUND: &str = "未查到该留言，请核对留言编号和查询码。";
const DAY: i64 = 86_400;

/// Sends a url-encoded POST as if from `peer` (the address the limits count by).
async fn post_from(app: &TestApp, peer: &str, path: &str, form: &[(&str, &str)]) -> Resp {
    let mut request = Request::post(path)
        .header(header::HOST, "kfq.example.test")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(util::form_encode(form)))
        .unwrap();
    let peer: SocketAddr = peer.parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
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

/// A 留言 that passes every check.
fn letter() -> Vec<(&'static str, &'static str)> {
    vec![
        ("kind", "consult"),
        ("title", "小区门前道路何时修复"),
        (
            "body",
            "门前道路破损已有三个月，\r\n请问何时修复？我的电话13800138000。",
        ),
        ("name", "张三丰"),
        ("phone", "13800138000"),
        ("email", "zhang@example.com"),
        ("consent", "1"),
        ("website", ""),
    ]
}

fn with<'a>(
    fields: &[(&'a str, &'a str)],
    key: &'a str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<_> = fields.iter().filter(|(k, _)| *k != key).copied().collect();
    out.push((key, value));
    out
}

/// Submits `fields` as `client` and opens the receipt: (留言编号, 查询码, receipt page).
async fn write(client: &mut Client, fields: &[(&str, &str)]) -> (String, String, Resp) {
    let r = client.post(FORM, fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), Some(RECEIPT));
    let page = client.get(RECEIPT).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let number = page.text("#receipt-number").trim().to_owned();
    let code = page.text("#receipt-code").trim().to_owned();
    (number, code, page)
}

async fn messages(app: &TestApp, organ: i64) -> Vec<Message> {
    app.db.messages(OrganScope::system(organ)).await.unwrap()
}

dbtest!(
    a_wrong_letter_comes_back_422_with_every_value_kept_and_nothing_saved,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut public = app.client();
        let form = public.get(FORM).await;
        assert_eq!(form.status, StatusCode::OK);
        assert_eq!(form.meta("ColumnName").as_deref(), Some("留言咨询"));
        // The consent box is off until the writer ticks it.
        assert!(!form.body.contains("name=\"consent\" value=\"1\" checked"));
        let audit = app.db.audit_count().await.unwrap();
        let long_title = "长".repeat(51);
        let fields = with(
            &with(&with(&letter(), "kind", ""), "title", &long_title),
            "phone",
            "",
        );
        let r = public.post(FORM, &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#err-kind").contains("请选择留言类型"));
        assert!(
            r.text("#err-title").contains("不能超过50个字（现为51个）"),
            "{}",
            r.body
        );
        assert!(r.text("#err-phone").contains("请填写联系电话"));
        assert!(r.text("#form-errors").contains("本次未保存任何内容"));
        // Everything typed is kept, the consent tick included.
        assert_eq!(r.input("title").as_deref(), Some(long_title.as_str()));
        assert_eq!(r.input("name").as_deref(), Some("张三丰"));
        assert!(r.text("textarea#body").contains("门前道路破损已有三个月"));
        assert!(r.body.contains("name=\"consent\" value=\"1\" checked"));
        assert_eq!(r.headers["cache-control"], "no-store");
        assert!(messages(&app, ORGAN).await.is_empty());
        assert_eq!(app.db.audit_count().await.unwrap(), audit);
    }
);

dbtest!(
    a_filled_honeypot_gets_a_receipt_and_nothing_is_saved,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut robot = app.client();
        let (number, code, _) = write(
            &mut robot,
            &with(&letter(), "website", "http://spam.example"),
        )
        .await;
        assert!(number.starts_with("LY-2026-"), "{number}");
        assert_eq!(code.chars().count(), 12);
        assert!(messages(&app, ORGAN).await.is_empty());
        let r = robot
            .post(TRACK, &[("number", &number), ("code", &code)])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
);

dbtest!(an_address_that_writes_too_often_is_refused_429, |db| {
    let app = TestApp::with_demo(db).await;
    for _ in 0..5 {
        let r = post_from(&app, "198.51.100.7:4000", FORM, &letter()).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let r = post_from(&app, "198.51.100.7:4001", FORM, &letter()).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("提交过于频繁"), "{}", r.body);
    assert_eq!(messages(&app, ORGAN).await.len(), 5);
    // Another address is not held back; after the window the first one may write again.
    let r = post_from(&app, "198.51.100.8:4000", FORM, &letter()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    app.clock.advance(601);
    let r = post_from(&app, "198.51.100.7:4000", FORM, &letter()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
});

dbtest!(
    the_receipt_is_shown_once_and_the_lookup_needs_both_number_and_code,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut public = app.client();
        let (number, code, page) = write(&mut public, &letter()).await;
        assert_eq!(number, "LY-2026-0001");
        // The writer is told that the mobile number will be masked when published, and when
        // the reply is due: 10 working days after 2026-01-05.
        assert!(
            page.text("#receipt-masked").contains("手机号码"),
            "{}",
            page.body
        );
        assert!(page.text("#receipt-masked").contains("遮盖"));
        assert!(page.body.contains("2026-01-19"), "{}", page.body);
        assert_eq!(page.headers["cache-control"], "no-store");
        let again = public.get(RECEIPT).await;
        assert_eq!(again.status, StatusCode::GONE);
        assert!(!again.body.contains(&code));
        // Only the hash is kept.
        assert!(!app.db.dump().await.unwrap().to_string().contains(&code));
        // The pair finds it, typed loosely; a wrong code and a wrong number read the same.
        let loose = number.to_lowercase();
        let found = public
            .post(TRACK, &[("number", &loose), ("code", &code)])
            .await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.body);
        assert_eq!(found.text("#letter-status"), "待审核");
        assert_eq!(found.text("#letter-due").trim(), "2026-01-19");
        let wrong_code = public
            .post(TRACK, &[("number", &number), ("code", "ABCDEFGHJKLM")])
            .await;
        let wrong_number = public
            .post(TRACK, &[("number", "LY-2026-0999"), ("code", &code)])
            .await;
        for r in [&wrong_code, &wrong_number] {
            assert_eq!(r.status, StatusCode::NOT_FOUND);
            assert_eq!(r.text("#track-message"), NOT_FOUND);
        }
        // An address that keeps guessing is refused before the store is asked.
        for _ in 0..10 {
            post_from(
                &app,
                "203.0.113.5:1",
                TRACK,
                &[("number", &number), ("code", "WRONGWRONG22")],
            )
            .await;
        }
        let blocked = post_from(
            &app,
            "203.0.113.5:1",
            TRACK,
            &[("number", &number), ("code", &code)],
        )
        .await;
        assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    }
);

/// A 留言 received `days_ago` calendar days before the test's start, straight into the store.
async fn received(app: &TestApp, organ: i64, days_ago: i64, title: &str, consent: bool) -> Message {
    let today = app.state.today();
    app.db
        .create_message(
            &Actor::system("portal"),
            OrganScope::system(organ),
            START,
            &NewMessage {
                kind: "suggest".into(),
                title: title.into(),
                body: "请尽快处理。联系电话13800138000。".into(),
                writer: Writer {
                    name: "李四光".into(),
                    phone: "13800138000".into(),
                    email: String::new(),
                },
                consent,
                received: today - time::Duration::days(days_ago),
                query_code: "ABCDEFGHJKLM".into(),
            },
        )
        .await
        .unwrap()
}

dbtest!(
    the_console_queue_is_ordered_by_reply_due_date_and_marks_the_overdue,
    |db| {
        let app = TestApp::with_demo(db).await;
        let fresh = received(&app, ORGAN, 1, "新近收到", false).await;
        let old = received(&app, ORGAN, 30, "一个月前收到", false).await;
        let middle = received(&app, ORGAN, 7, "一周前收到", false).await;
        let answered = received(&app, ORGAN, 40, "已答复", false).await;
        let scope = OrganScope::system(ORGAN);
        let today = app.state.today();
        for step in [
            MessageStep::Accept {
                on: today - time::Duration::days(39),
            },
            MessageStep::Reply {
                on: today - time::Duration::days(38),
                text: "已处理。".into(),
            },
        ] {
            app.db
                .take_message_step(
                    &Actor::system("test"),
                    scope,
                    answered.id,
                    &step,
                    today,
                    START,
                )
                .await
                .unwrap();
        }
        let mut handler = app.client();
        handler
            .login("chengban", gongkai_web::demo::DEMO_PASSWORD)
            .await;
        let queue = handler.get("/console/organs/1/messages").await;
        assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
        let numbers: Vec<String> = queue
            .text("#message-queue tbody tr td:first-child")
            .lines()
            .map(str::to_owned)
            .collect();
        assert_eq!(
            numbers,
            [
                old.number.clone(),
                middle.number.clone(),
                fresh.number.clone()
            ]
        );
        // Only the one a month old is past its 10 working days.
        assert_eq!(queue.text("#overdue-count"), "已逾期 1 件");
        let overdue = queue.text("#message-queue tr.overdue td:first-child");
        assert_eq!(overdue, old.number);
        // The writer's name is masked in the list.
        assert!(queue.text("#message-queue").contains("李**"));
        assert!(!queue.text("#message-queue").contains("李四光"));
        // The whole list holds the answered one too, after the open ones.
        let all = handler.get("/console/organs/1/messages?tab=all").await;
        let numbers = all.text("#message-queue tbody tr td:first-child");
        assert_eq!(numbers.lines().last(), Some(answered.number.as_str()));
        // The administrator changes the limit; the due dates follow.
        let mut admin = app.logged_in_as_demo_admin().await;
        let csrf = admin.csrf().await;
        let bad = admin
            .post(
                "/console/organs/1/message-settings",
                &[("csrf", &csrf), ("reply_days", "0")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text("#err-reply_days").contains("1至60个工作日"));
        let ok = admin
            .post(
                "/console/organs/1/message-settings",
                &[("csrf", &csrf), ("reply_days", "3")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let queue = handler.get("/console/organs/1/messages").await;
        assert_eq!(queue.text("#overdue-count"), "已逾期 2 件");
        // A handler may not change the organ's settings.
        let csrf = handler.csrf().await;
        let refused = handler
            .post(
                "/console/organs/1/message-settings",
                &[("csrf", &csrf), ("reply_days", "5")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
);

dbtest!(
    a_reply_published_with_consent_appears_on_the_portal_with_the_phone_masked,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut public = app.client();
        let (number, code, _) = write(&mut public, &letter()).await;
        let m = &messages(&app, ORGAN).await[0];
        let path = format!("/console/organs/1/messages/{}", m.id);
        let mut editor = app.client();
        editor
            .login("bianji", gongkai_web::demo::DEMO_PASSWORD)
            .await;
        let csrf = editor.csrf().await;
        let page = editor.get(&path).await;
        assert_eq!(page.status, StatusCode::OK);
        // Staff see the writer and the text as written.
        assert_eq!(page.text("#writer"), "张三丰");
        assert!(page.text("#body").contains("13800138000"));
        assert!(page.text("#found").contains("手机号码"));
        // Publishing before the reply is refused by the state, and writes nothing.
        let audit = app.db.audit_count().await.unwrap();
        let early = editor
            .post(&format!("{path}/publish"), &[("csrf", &csrf)])
            .await;
        assert_eq!(early.status, StatusCode::CONFLICT);
        assert!(early.text("#refusal").contains("待审核"));
        assert_eq!(app.db.audit_count().await.unwrap(), audit);
        let r = editor
            .post(
                &format!("{path}/accept"),
                &[("csrf", &csrf), ("date", "2026-01-05")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // A reply dated in the future comes back with the text kept.
        let future = editor
            .post(
                &format!("{path}/reply"),
                &[
                    ("csrf", &csrf),
                    ("date", "2026-01-09"),
                    ("reply", "下月修复。"),
                ],
            )
            .await;
        assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(future.text("#refusal").contains("不能晚于今天"));
        assert_eq!(future.text("textarea#reply-text"), "下月修复。");
        let reply = "您好：该路段已列入维修计划，将于下月修复。如有疑问请拨打13800138000。";
        let r = editor
            .post(
                &format!("{path}/reply"),
                &[("csrf", &csrf), ("date", "2026-01-05"), ("reply", reply)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = editor.get(&format!("{path}?done=reply")).await;
        assert_eq!(page.text("#state"), "已答复");
        // The publication form offers the text already masked.
        assert!(
            page.text("textarea#publish-body").contains("138****8000"),
            "{}",
            page.body
        );
        let r = editor
            .post(&format!("{path}/publish"), &[("csrf", &csrf)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // On the portal: in the list and on its own page, masked, without the writer's name.
        let list = public.get("/hdjl/liuyan").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.text("#letters").contains("小区门前道路何时修复"));
        let detail_path = format!("/hdjl/liuyan/{number}");
        assert!(list.links().contains(&detail_path));
        let detail = public.get(&detail_path).await;
        assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
        let body = detail.text("#letter-body");
        assert!(body.contains("138****8000"), "{body}");
        assert!(!detail.body.contains("13800138000"));
        assert!(!detail.body.contains("张三丰"));
        assert!(!detail.body.contains("zhang@example.com"));
        assert!(detail.text("#letter-reply").contains("将于下月修复"));
        assert_eq!(
            detail.meta("ArticleTitle").as_deref(),
            Some("小区门前道路何时修复")
        );
        assert_eq!(detail.meta("ColumnName").as_deref(), Some("留言咨询"));
        assert!(detail.meta("PubDate").unwrap().starts_with("2026-01-05"));
        // The writer's look-up shows the reply and the public page.
        let status = public
            .post(TRACK, &[("number", &number), ("code", &code)])
            .await;
        assert!(status.text("#letter-reply").contains("将于下月修复"));
        assert!(status.links().contains(&detail_path));
        // Withdrawn, it is gone from the portal.
        let r = editor
            .post(&format!("{path}/unpublish"), &[("csrf", &csrf)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(public.get(&detail_path).await.status, StatusCode::NOT_FOUND);
        assert!(
            public
                .get("/hdjl/liuyan")
                .await
                .text("main")
                .contains("本栏目暂无信息")
        );
    }
);

dbtest!(
    a_letter_without_consent_is_never_published_and_one_sent_elsewhere_says_where,
    |db| {
        let app = TestApp::with_demo(db).await;
        let private = received(&app, ORGAN, 1, "不愿公开", false).await;
        let misplaced = received(&app, ORGAN, 1, "申请公开文件", true).await;
        let mut head = app.client();
        head.login("fuzeren", gongkai_web::demo::DEMO_PASSWORD)
            .await;
        let csrf = head.csrf().await;
        let path = format!("/console/organs/1/messages/{}", private.id);
        head.post(
            &format!("{path}/accept"),
            &[("csrf", &csrf), ("date", "2026-01-05")],
        )
        .await;
        head.post(
            &format!("{path}/reply"),
            &[
                ("csrf", &csrf),
                ("date", "2026-01-05"),
                ("reply", "已处理。"),
            ],
        )
        .await;
        let page = head.get(&path).await;
        assert!(page.text("#no-consent").contains("未同意公开"));
        let r = head
            .post(&format!("{path}/publish"), &[("csrf", &csrf)])
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.text("#refusal").contains("未同意公开"));
        assert!(
            app.db
                .published_messages(ORGAN, 10, 0)
                .await
                .unwrap()
                .0
                .is_empty()
        );
        // Not a 留言: an application under the 条例 is sent to 依申请公开, with the reason.
        let path = format!("/console/organs/1/messages/{}", misplaced.id);
        let no_reason = head
            .post(
                &format!("{path}/reject"),
                &[
                    ("csrf", &csrf),
                    ("date", "2026-01-05"),
                    ("redirect", "application"),
                ],
            )
            .await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = head
            .post(
                &format!("{path}/reject"),
                &[
                    ("csrf", &csrf),
                    ("date", "2026-01-05"),
                    ("redirect", "application"),
                    ("reason", "所提为获取政府信息的申请。"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let status = app
            .client()
            .post(
                TRACK,
                &[("number", &misplaced.number), ("code", "ABCDEFGHJKLM")],
            )
            .await;
        assert_eq!(status.text("#letter-status"), "不予受理");
        assert!(status.text("#letter-rejected").contains("依申请公开"));
        assert!(
            status
                .text("#letter-rejected")
                .contains("所提为获取政府信息的申请")
        );
        assert!(status.links().contains(&"/zwgk/ysqgk".to_owned()));
    }
);

dbtest!(
    a_consultation_goes_from_open_to_closed_to_its_published_feedback,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut editor = app.client();
        editor
            .login("bianji", gongkai_web::demo::DEMO_PASSWORD)
            .await;
        let csrf = editor.csrf().await;
        let new = editor.get("/console/organs/1/consultations/new").await;
        assert_eq!(new.status, StatusCode::OK);
        // Defaults: from today, 30 days both ends counted.
        assert_eq!(new.input("start").as_deref(), Some("2026-01-05"));
        assert_eq!(new.input("end").as_deref(), Some("2026-02-03"));
        let fields = |end: &'static str, reason: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("title", "开发区养犬管理办法（征求意见稿）".to_owned()),
                (
                    "draft",
                    "第一条 为了规范养犬行为。\r\n第二条 本办法适用于开发区。".to_owned(),
                ),
                ("explanation", "根据上位法起草。".to_owned()),
                ("start", "2026-01-05".to_owned()),
                ("end", end.to_owned()),
                ("short_reason", reason.to_owned()),
                ("contact", "党政办公室 0470-8575688".to_owned()),
            ]
        };
        let pairs = |v: &Vec<(&'static str, String)>| -> Vec<(&'static str, String)> { v.clone() };
        let send = async |client: &mut Client, v: Vec<(&'static str, String)>| {
            let borrowed: Vec<(&str, &str)> = v.iter().map(|(k, v)| (*k, v.as_str())).collect();
            client
                .post("/console/organs/1/consultations/new", &borrowed)
                .await
        };
        // 《重大行政决策程序暂行条例》第十四条: shorter than 30 days needs a reason.
        let audit = app.db.audit_count().await.unwrap();
        let short = send(&mut editor, pairs(&fields("2026-01-20", ""))).await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            short.text("#err-short_reason").contains("不少于30日"),
            "{}",
            short.body
        );
        assert!(short.text("#err-short_reason").contains("第十四条"));
        assert_eq!(short.input("end").as_deref(), Some("2026-01-20"));
        assert_eq!(app.db.audit_count().await.unwrap(), audit);
        let r = send(&mut editor, pairs(&fields("2026-02-03", ""))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let consultation = &app
            .db
            .consultations(OrganScope::system(ORGAN))
            .await
            .unwrap()[0];
        let public_path = format!("/hdjl/zhengji/{}", consultation.id);
        // On the portal, open, with its draft; a comment is taken.
        let mut public = app.client();
        let list = public.get("/hdjl/zhengji").await;
        assert!(list.links().contains(&public_path));
        assert!(list.text("#open-consultations").contains("征集中"));
        let page = public.get(&public_path).await;
        assert_eq!(page.text("#consultation-state"), "征集中");
        assert!(page.text("main").contains("第二条 本办法适用于开发区。"));
        assert_eq!(page.meta("ColumnName").as_deref(), Some("意见征集"));
        let empty = public
            .post(&public_path, &[("body", " "), ("name", "王五")])
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.text("#err-body").contains("请填写意见"));
        assert_eq!(empty.input("name").as_deref(), Some("王五"));
        let r = public
            .post(
                &public_path,
                &[
                    ("body", "建议明确遛犬时间。"),
                    ("name", "王五"),
                    ("contact", "13900139000"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let done = public.get(r.location().unwrap()).await;
        assert!(done.text("#comment-done").contains("已提交"));
        // The contact stays private.
        assert!(!done.body.contains("13900139000"));
        // After the end date: closed, and a comment is refused with the date it ended.
        app.clock.advance(30 * DAY);
        let page = public.get(&public_path).await;
        assert_eq!(page.text("#consultation-state"), "已截止");
        assert!(page.text("#comment-closed").contains("2026-02-03 截止"));
        let audit = app.db.audit_count().await.unwrap();
        let late = public.post(&public_path, &[("body", "迟到的意见。")]).await;
        assert_eq!(late.status, StatusCode::CONFLICT);
        assert!(
            late.text("#comment-refused")
                .contains("已于 2026-02-03 截止"),
            "{}",
            late.body
        );
        assert_eq!(app.db.audit_count().await.unwrap(), audit);
        // Staff decide the comment and publish the feedback (a month on, in a new session).
        let mut editor = app.client();
        editor
            .login("bianji", gongkai_web::demo::DEMO_PASSWORD)
            .await;
        let csrf = editor.csrf().await;
        let console = format!("/console/organs/1/consultations/{}", consultation.id);
        let page = editor.get(&console).await;
        assert!(
            page.text("main").contains("13900139000"),
            "staff see the contact"
        );
        let comment = app
            .db
            .comments(OrganScope::system(ORGAN), consultation.id)
            .await
            .unwrap()[0]
            .id;
        let r = editor
            .post(
                &format!("{console}/feedback"),
                &[("csrf", &csrf), ("summary", "共收到意见1条。")],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.text("#feedback-refusal").contains("1 条意见未处理"));
        let r = editor
            .post(
                &format!("{console}/comments/{comment}"),
                &[
                    ("csrf", &csrf),
                    ("decision", "not_adopted"),
                    ("note", "超出本办法范围"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = editor.get(&console).await;
        // The draft names the count and the reason given.
        assert!(page.text("textarea#summary").contains("共收到意见1条"));
        assert_eq!(page.text("textarea#not_adopted_reasons"), "超出本办法范围");
        let r = editor
            .post(
                &format!("{console}/feedback"),
                &[
                    ("csrf", &csrf),
                    ("summary", "共收到意见1条，未采纳1条。"),
                    ("not_adopted_reasons", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#feedback-refusal")
                .contains("未采纳的意见，请说明理由")
        );
        assert_eq!(r.text("textarea#summary"), "共收到意见1条，未采纳1条。");
        let r = editor
            .post(
                &format!("{console}/feedback"),
                &[
                    ("csrf", &csrf),
                    ("summary", "共收到意见1条，未采纳1条。"),
                    ("not_adopted_reasons", "遛犬时间由物业自行约定。"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // The portal shows the feedback with its counts.
        let page = public.get(&public_path).await;
        assert_eq!(page.text("#consultation-state"), "已反馈");
        let counts = page.text("#feedback-counts tbody td");
        assert_eq!(counts.split('\n').collect::<Vec<_>>(), ["1", "0", "0", "1"]);
        assert!(
            page.text("#feedback-text")
                .contains("遛犬时间由物业自行约定。")
        );
        assert!(!page.body.contains("13900139000"));
        let list = public.get("/hdjl/zhengji").await;
        assert!(list.text("#ended-consultations").contains("已反馈"));
        // Decisions are frozen with the published feedback.
        let r = editor
            .post(
                &format!("{console}/comments/{comment}"),
                &[("csrf", &csrf), ("decision", "adopted")],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
    }
);

dbtest!(every_interact_console_post_checks_the_csrf_token, |db| {
    let app = TestApp::with_demo(db).await;
    let m = received(&app, ORGAN, 1, "某事", true).await;
    let scope = OrganScope::system(ORGAN);
    let today = app.state.today();
    let c = app
        .db
        .create_consultation(
            &Actor::system("test"),
            scope,
            today,
            START,
            &consultation_input(today),
        )
        .await
        .unwrap();
    let comment = app
        .db
        .add_comment(
            &Actor::system("portal"),
            ORGAN,
            c.id,
            today,
            START,
            &NewComment {
                name: String::new(),
                contact: String::new(),
                body: "同意。".into(),
            },
        )
        .await
        .unwrap();
    let mut admin = app.logged_in_as_demo_admin().await;
    let mut tried = 0;
    for (method, pattern, _) in CONSOLE_ROUTES {
        let interact = ["/messages", "/message-settings", "/consultations"]
            .iter()
            .any(|p| pattern.contains(p));
        if *method != "POST" || !interact {
            continue;
        }
        let path = pattern
            .replace("{organ_id}", "1")
            .replace("{message_id}", &m.id.to_string())
            .replace("{consultation_id}", &c.id.to_string())
            .replace("{comment_id}", &comment.id.to_string());
        let audit = app.db.audit_count().await.unwrap();
        for token in ["", "forged-token"] {
            let r = admin
                .post(
                    &path,
                    &[
                        ("csrf", token),
                        ("date", "2026-01-05"),
                        ("reply_days", "5"),
                        ("decision", "adopted"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
            assert!(r.body.contains("页面已过期"), "{path}");
        }
        assert_eq!(app.db.audit_count().await.unwrap(), audit, "{path}");
        tried += 1;
    }
    assert_eq!(tried, 9);
    assert_eq!(app.db.message(scope, m.id).await.unwrap(), m);
});

fn consultation_input(today: time::Date) -> ConsultationInput {
    ConsultationInput {
        title: "某某办法（征求意见稿）".into(),
        draft: "第一条 ……".into(),
        explanation: String::new(),
        start: today,
        end: today + time::Duration::days(29),
        short_reason: String::new(),
        contact: String::new(),
    }
}

dbtest!(
    another_organs_message_and_consultation_are_not_found_on_this_organs_desk,
    |db| {
        let app = TestApp::with_demo(db).await;
        let other = app.organ("乙机关").await;
        let foreign = received(&app, other, 1, "乙机关的留言", true).await;
        let today = app.state.today();
        let c = app
            .db
            .create_consultation(
                &Actor::system("test"),
                OrganScope::system(other),
                today,
                START,
                &consultation_input(today),
            )
            .await
            .unwrap();
        let mut head = app.client();
        head.login("fuzeren", gongkai_web::demo::DEMO_PASSWORD)
            .await;
        let csrf = head.csrf().await;
        let audit = app.db.audit_count().await.unwrap();
        let page = head
            .get(&format!("/console/organs/1/messages/{}", foreign.id))
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        let r = head
            .post(
                &format!("/console/organs/1/messages/{}/accept", foreign.id),
                &[("csrf", &csrf), ("date", "2026-01-05")],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let page = head
            .get(&format!("/console/organs/1/consultations/{}", c.id))
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        // The other organ's own desk is closed to this 负责人 (no role there).
        let other_desk = head
            .get(&format!("/console/organs/{other}/messages/{}", foreign.id))
            .await;
        assert_eq!(other_desk.status, StatusCode::FORBIDDEN);
        assert_eq!(app.db.audit_count().await.unwrap(), audit);
        // Nor does this portal show the other organ's consultation.
        assert_eq!(
            app.client()
                .get(&format!("/hdjl/zhengji/{}", c.id))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
);

dbtest!(
    the_column_is_linked_from_home_and_the_zhuanlan_and_listed_in_the_sitemap,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut public = app.client();
        for page in ["/", "/zwgk"] {
            assert!(
                public.get(page).await.links().contains(&"/hdjl".to_owned()),
                "{page}"
            );
        }
        let column = public.get("/hdjl").await;
        assert_eq!(column.status, StatusCode::OK);
        assert_eq!(column.meta("ColumnName").as_deref(), Some("互动交流"));
        for link in [
            "/hdjl/liuyan/xie",
            "/hdjl/liuyan",
            "/hdjl/liuyan/chaxun",
            "/hdjl/zhengji",
        ] {
            assert!(column.links().contains(&link.to_owned()), "{link}");
        }
        let sitemap = public.get("/wzdt").await;
        assert!(sitemap.links().contains(&"/hdjl/zhengji".to_owned()));
        assert!(
            public
                .get("/sitemap.xml")
                .await
                .body
                .contains("/hdjl/liuyan")
        );
        assert_eq!(
            public.get("/static/interact.css").await.status,
            StatusCode::OK
        );
        // Pages that do not exist.
        for missing in [
            "/hdjl/liuyan/LY-2026-0001",
            "/hdjl/zhengji/999",
            "/hdjl/zhengji/x",
            "/hdjl/liuyan?page=2",
            "/hdjl/liuyan?page=x",
        ] {
            assert_eq!(
                public.get(missing).await.status,
                StatusCode::NOT_FOUND,
                "{missing}"
            );
        }
    }
);

dbtest!(
    the_demo_shows_letters_and_consultations_in_every_state,
    |db| {
        let app = TestApp::with_demo(db).await;
        let added = gongkai_web::demo::interaction::load(&app.db, ORGAN, START)
            .await
            .unwrap();
        assert_eq!(added, 7);
        assert_eq!(
            gongkai_web::demo::interaction::load(&app.db, ORGAN, START)
                .await
                .unwrap(),
            0
        );
        let mut public = app.client();
        let list = public.get("/hdjl/liuyan").await;
        assert_eq!(
            list.links()
                .iter()
                .filter(|l| l.starts_with("/hdjl/liuyan/LY-"))
                .count(),
            2
        );
        for link in list
            .links()
            .into_iter()
            .filter(|l| l.starts_with("/hdjl/liuyan/LY-"))
        {
            let page = public.get(&link).await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(!page.body.contains("13800138000"), "{link}");
        }
        let consultations = public.get("/hdjl/zhengji").await;
        assert!(consultations.text("#open-consultations").contains("征集中"));
        let ended = consultations.text("#ended-consultations");
        assert!(
            ended.contains("已截止") && ended.contains("已反馈"),
            "{ended}"
        );
        let mut handler = app.client();
        handler
            .login("chengban", gongkai_web::demo::DEMO_PASSWORD)
            .await;
        let queue = handler.get("/console/organs/1/messages").await;
        assert!(queue.text("#overdue-count").contains("已逾期"));
    }
);

dbtest!(
    comments_are_limited_per_address_and_a_filled_honeypot_keeps_nothing,
    |db| {
        let app = TestApp::with_demo(db).await;
        let today = app.state.today();
        let c = app
            .db
            .create_consultation(
                &Actor::system("test"),
                OrganScope::system(ORGAN),
                today,
                START,
                &consultation_input(today),
            )
            .await
            .unwrap();
        let path = format!("/hdjl/zhengji/{}", c.id);
        let robot = post_from(
            &app,
            "198.51.100.9:1",
            &path,
            &[("body", "广告"), ("website", "http://spam.example")],
        )
        .await;
        assert_eq!(robot.status, StatusCode::SEE_OTHER);
        // The robot's comment counted against its address, and nothing was kept.
        assert!(
            app.db
                .comments(OrganScope::system(ORGAN), c.id)
                .await
                .unwrap()
                .is_empty()
        );
        for i in 0..9 {
            let body = format!("意见{i}");
            let r = post_from(&app, "198.51.100.9:1", &path, &[("body", &body)]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        let r = post_from(&app, "198.51.100.9:1", &path, &[("body", "第十一条")]).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.body.contains("提交过于频繁"));
        assert_eq!(
            app.db
                .comments(OrganScope::system(ORGAN), c.id)
                .await
                .unwrap()
                .len(),
            9
        );
        let other = post_from(&app, "198.51.100.10:1", &path, &[("body", "另一地址")]).await;
        assert_eq!(other.status, StatusCode::SEE_OTHER);
        // A comment over 2000 characters comes back with its count, the text kept.
        let long = "长".repeat(2001);
        let r = post_from(&app, "198.51.100.11:1", &path, &[("body", &long)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#err-body")
                .contains("不能超过2000个字（现为2001个）")
        );
        assert_eq!(r.text("textarea#body"), long);
    }
);
