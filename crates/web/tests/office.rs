//! The console's application office, end to end through the router: intake, the queue, the
//! case page and its steps (补正, extension, reply), notices from draft to DOCX, notice
//! settings, 复议/诉讼, the calendar's notices and API tokens. Each test runs on SQLite and
//! (with GONGKAI_TEST_DATABASE_URL) PostgreSQL.

mod util;

use axum::http::{StatusCode, header};
use gongkai_core::clock::Channel;
use gongkai_store::application::{Applicant, NewApplication, Request as Sought};
use gongkai_store::{Actor, OrganScope, Role, dbtest};
use gongkai_web::demo::DEMO_PASSWORD;

use time::Date;
use time::macros::date;

use util::{Client, Resp, TestApp};

/// The demo organ.
const DEMO: i64 = 1;
/// A valid 居民身份证号码 (the example of GB 11643-1999).
const ID: &str = "11010519491231002X";

async fn demo_login(app: &TestApp, username: &str) -> Client {
    let mut client = app.client();
    let r = client.login(username, DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "login {username}");
    client
}

/// A case registered directly in the store (the queue and step tests need several).
async fn case(app: &TestApp, organ: i64, name: &str, received: Date, channel: Channel) -> i64 {
    let new = NewApplication {
        applicant: Applicant {
            kind: "natural_person".into(),
            name: name.into(),
            id_type: "resident_id".into(),
            id_number: ID.into(),
            phone: "13800138000".into(),
            address: "呼伦贝尔市海拉尔区某路1号".into(),
            ..Applicant::default()
        },
        request: Sought {
            title: "2023年某某路改造工程的立项批复".into(),
            ..Sought::default()
        },
        channel,
        received,
        query_code: None,
        attachments: Vec::new(),
    };
    app.db
        .create_application(
            &Actor::system("test"),
            OrganScope::system(organ),
            util::START,
            &new,
        )
        .await
        .unwrap()
        .id
}

fn case_path(id: i64) -> String {
    format!("/console/organs/{DEMO}/applications/{id}")
}

/// The id at the end of a redirect's location (before any query).
fn id_in(location: &str) -> i64 {
    location
        .split(['?', '#'])
        .next()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// A `multipart/form-data` POST with the client's cookies, optionally with one file.
async fn post_multipart(
    app: &TestApp,
    client: &Client,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &str, &[u8])>,
) -> Resp {
    util::post_multipart(app, client, path, fields, file.as_slice()).await
}

/// The intake form of a citizen's letter.
fn letter_fields<'a>(
    csrf: &'a str,
    channel: &'a str,
    received: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("channel", channel),
        ("received", received),
        ("kind", "natural_person"),
        ("name", "张三丰"),
        ("id_type", "resident_id"),
        ("id_number", ID),
        ("phone", "13800138000"),
        ("address", "呼伦贝尔市海拉尔区某路1号"),
        ("title", "2023年某某路改造工程的立项批复"),
        ("form_paper", "1"),
        ("delivery_post", "1"),
    ]
}

/// Takes a step as `client` and returns the response.
async fn step(client: &mut Client, id: i64, key: &str, fields: &[(&str, &str)]) -> Resp {
    let csrf = client.csrf().await;
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    client
        .post(&format!("{}/steps/{key}", case_path(id)), &form)
        .await
}

dbtest!(
    intake_by_post_on_the_friday_before_national_day_is_due_2024_10_30_art31_art33,
    |db| {
        // 条例 art. 31 (二): a letter by post is received the day it is signed for; art. 33:
        // 20 working days, here across 国庆节 2024 and its two 调休 Saturdays.
        let app = TestApp::with_demo(db).await;
        let mut handler = demo_login(&app, "chengban").await;
        let form = handler
            .get(&format!("/console/organs/{DEMO}/applications/new"))
            .await;
        assert_eq!(form.status, StatusCode::OK);
        // The form states the art. 31 rule of every channel.
        for c in Channel::ALL {
            assert!(form.body.contains(c.label()), "{}", c.label());
        }
        let csrf = handler.csrf().await;
        let scan = b"%PDF-1.4 scanned letter";
        let r = post_multipart(
            &app,
            &handler,
            &format!("/console/organs/{DEMO}/applications/new"),
            &letter_fields(&csrf, "post", "2024-09-27"),
            Some(("letter", "信件.pdf", scan)),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let id = id_in(r.location().unwrap());
        let page = handler.get(&case_path(id)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.text("#due").contains("2024-10-30"),
            "{}",
            page.text("#due")
        );
        let explanation = page.text("ol.explanation");
        assert!(
            explanation.contains("邮寄，以签收之日为收到申请之日"),
            "{explanation}"
        );
        assert!(
            explanation.contains(
                "至 2024-10-30（第三十三条第二款；其间国庆节放假 5 个工作日、调休上班 2 天）"
            ),
            "{explanation}"
        );
        // The handler sees the applicant in full, and the scan opens to the bytes sent.
        assert_eq!(page.text("#applicant-id"), ID);
        let file = page.links_in("ul.files a[href]");
        assert_eq!(file.len(), 1);
        let download = handler.get(&file[0]).await;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(download.body.as_bytes(), scan);
        assert!(
            download.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("attachment;")
        );
        // The number is the year's first of the organ.
        let number = app
            .db
            .application(OrganScope::system(DEMO), id)
            .await
            .unwrap()
            .number;
        assert_eq!(number, "YSQ-2024-0001");
        // The queue shows the same due date, overdue on 2026-01-05, its explanation a click away.
        let queue = handler
            .get(&format!("/console/organs/{DEMO}/applications"))
            .await;
        let row = queue.text("table.queue tbody tr");
        assert!(
            row.contains("YSQ-2024-0001") && row.contains("2024-10-30"),
            "{row}"
        );
        assert!(row.contains("已逾期"), "{row}");
        assert!(queue.text("table.queue details").contains("国庆节放假"));
        // Administrators see cases but not the scan.
        let mut admin = demo_login(&app, "admin").await;
        assert_eq!(admin.get(&file[0]).await.status, StatusCode::FORBIDDEN);
    }
);

dbtest!(
    intake_refuses_a_future_date_and_a_bad_id_keeping_what_was_typed,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut handler = demo_login(&app, "chengban").await;
        let csrf = handler.csrf().await;
        let path = format!("/console/organs/{DEMO}/applications/new");
        let mut fields = letter_fields(&csrf, "in_person", "2026-01-06");
        fields.retain(|(k, _)| *k != "id_number");
        fields.push(("id_number", "110105194912310021"));
        let r = post_multipart(&app, &handler, &path, &fields, None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#error-received").contains("晚于今天"), "{}", r.body);
        assert!(
            r.text("#error-id_number").contains("校验位不正确"),
            "{}",
            r.body
        );
        // What was typed stays in the form; nothing was registered.
        assert_eq!(r.input("name").as_deref(), Some("张三丰"));
        assert_eq!(r.input("id_number").as_deref(), Some("110105194912310021"));
        assert!(
            r.body
                .contains("name=\"form_paper\" value=\"1\" style=\"width:auto\" checked")
        );
        let all = app
            .db
            .applications(OrganScope::system(DEMO), Default::default())
            .await
            .unwrap();
        assert!(all.is_empty());
        // Nothing sought at all (art. 29 (二)) and no contact: refused too.
        let bare = [
            ("csrf", csrf.as_str()),
            ("channel", "in_person"),
            ("received", "2026-01-05"),
            ("kind", "natural_person"),
            ("name", "张三丰"),
            ("id_type", "resident_id"),
        ];
        let r = handler.post(&path, &bare).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#error-title")
                .contains("第二十九条第二款第（二）项")
        );
        assert!(r.text("#error-phone").contains("联系方式"));
        // A file that is no scan is refused at its field.
        let fields = letter_fields(&csrf, "in_person", "2026-01-05");
        let r = post_multipart(
            &app,
            &handler,
            &path,
            &fields,
            Some(("letter", "a.exe", b"MZ")),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#error-letter").contains("PDF、JPG 或 PNG"));
    }
);

dbtest!(a_query_code_is_shown_once_and_only_its_hash_is_kept, |db| {
    let app = TestApp::with_demo(db).await;
    let mut handler = demo_login(&app, "chengban").await;
    let csrf = handler.csrf().await;
    let mut fields = letter_fields(&csrf, "email", "2026-01-05");
    fields.push(("query_code", "1"));
    let r = handler
        .post(&format!("/console/organs/{DEMO}/applications/new"), &fields)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let number = r.text("#number");
    let code = r.text("#query-code");
    assert_eq!(code.len(), 10);
    let tracked = app.db.tracked_application(&number, &code).await.unwrap();
    assert!(tracked.is_some_and(|a| a.trackable));
    assert!(
        app.db
            .tracked_application(&number, "WRONGCODE1")
            .await
            .unwrap()
            .is_none()
    );
    // The case page never shows the code again.
    let id = id_in(&r.links_in("main p a[href]").pop().unwrap());
    let page = handler.get(&case_path(id)).await;
    assert!(!page.body.contains(&code));
    assert!(page.body.contains("已发查询码"));
});

dbtest!(
    the_queue_orders_by_due_date_marks_overdue_and_due_soon_and_masks_applicants,
    |db| {
        // Today is Monday 2026-01-05.
        let app = TestApp::with_demo(db).await;
        let fresh = case(&app, DEMO, "赵六", date!(2026 - 01 - 05), Channel::InPerson).await;
        let late = case(&app, DEMO, "钱七", date!(2025 - 11 - 20), Channel::InPerson).await;
        // 2025-12-05 + 20 working days (元旦 off, Sunday 2026-01-04 worked) is today.
        let soon = case(&app, DEMO, "孙八", date!(2025 - 12 - 05), Channel::InPerson).await;
        let waiting = case(&app, DEMO, "李九", date!(2025 - 12 - 31), Channel::InPerson).await;
        let mut handler = demo_login(&app, "chengban").await;
        let r = step(
            &mut handler,
            waiting,
            "correction_requested",
            &[
                ("date", "2026-01-05"),
                ("deadline", "2026-01-19"),
                ("items", "申请人身份证明"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let queue = handler
            .get(&format!("/console/organs/{DEMO}/applications"))
            .await;
        let rows: Vec<String> = queue
            .links_in("table.queue tbody tr td:first-child a")
            .into_iter()
            .map(|l| l.rsplit('/').next().unwrap().to_owned())
            .collect();
        let ids: Vec<String> = [late, soon, fresh, waiting]
            .iter()
            .map(|i| i.to_string())
            .collect();
        assert_eq!(rows, ids, "due date order, the case awaiting 补正 last");
        let doc = queue.text("table.queue tbody");
        let row_of = |n: usize| {
            scraper::Html::parse_document(&queue.body)
                .select(&scraper::Selector::parse("table.queue tbody tr").unwrap())
                .nth(n)
                .unwrap()
                .text()
                .collect::<String>()
        };
        assert!(row_of(0).contains("已逾期"), "{doc}");
        assert!(row_of(1).contains("3 个工作日内到期") && !row_of(1).contains("已逾期"));
        assert!(row_of(1).contains("2026-01-05"));
        assert!(!row_of(2).contains("到期") && !row_of(2).contains("逾期"));
        assert!(row_of(3).contains("待收到补正后重新计算"));
        // Lists always mask: the handler's queue too.
        assert!(
            doc.contains("1101**********002X") && !doc.contains(ID),
            "{doc}"
        );
        assert!(doc.contains("赵*") && !doc.contains("赵六"));
        // The console shows the counts.
        let home = handler.get("/console").await;
        assert!(
            home.text(".case-counts")
                .contains("办理中申请 4 件，已逾期 1 件"),
            "{}",
            home.text("main")
        );
        let organ = handler.get(&format!("/console/organs/{DEMO}")).await;
        assert!(organ.text(".case-counts").contains("已逾期 1 件"));
        // The administrator sees the queue masked and the case without the applicant's data.
        let mut admin = demo_login(&app, "admin").await;
        let queue = admin
            .get(&format!("/console/organs/{DEMO}/applications"))
            .await;
        assert_eq!(queue.status, StatusCode::OK);
        assert!(queue.text("table.queue").contains("1101**********002X"));
        let page = admin.get(&case_path(fresh)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.text("#applicant-name"), "赵*");
        assert_eq!(page.text("#applicant-id"), "1101**********002X");
        for secret in [ID, "赵六", "13800138000", "某路1号"] {
            assert!(!page.body.contains(secret), "admin sees {secret}");
        }
        assert!(
            page.text("form.step").is_empty(),
            "no steps for administrators"
        );
        // The closed tab lists none yet.
        let closed = admin
            .get(&format!("/console/organs/{DEMO}/applications?tab=closed"))
            .await;
        assert!(closed.text("main").contains("没有已办结的申请"));
    }
);

dbtest!(another_organs_case_is_not_found_for_every_role, |db| {
    let app = TestApp::with_demo(db).await;
    let other = app.organ("乙机关").await;
    app.staff(other, "yi_handler", Role::CaseHandler).await;
    let theirs = case(
        &app,
        other,
        "周十",
        date!(2026 - 01 - 05),
        Channel::InPerson,
    )
    .await;
    for user in ["admin", "fuzeren", "bianji", "shenhe", "chengban"] {
        let mut client = demo_login(&app, user).await;
        for tail in ["", "/files/1", "/notices/1", "/notices/1/docx"] {
            let path = format!("{}{tail}", case_path(theirs));
            assert_eq!(
                client.get(&path).await.status,
                StatusCode::NOT_FOUND,
                "{user} {path}"
            );
        }
        let r = step(
            &mut client,
            theirs,
            "assigned",
            &[("date", "2026-01-05"), ("to", "1")],
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{user}");
        // And through the other organ's own address: no role there.
        let path = format!("/console/organs/{other}/applications/{theirs}");
        assert_eq!(client.get(&path).await.status, StatusCode::FORBIDDEN);
    }
    // Their own handler sees it.
    let mut yi = app.logged_in("yi_handler").await;
    let path = format!("/console/organs/{other}/applications/{theirs}");
    assert_eq!(yi.get(&path).await.status, StatusCode::OK);
});

dbtest!(
    correction_once_within_7_working_days_then_the_clock_restarts_art30,
    |db| {
        // 条例 art. 30: 补正 is asked for once, within 7 working days of receipt; the reply
        // period runs again from the day the correction arrives.
        let app = TestApp::with_demo(db).await;
        let id = case(
            &app,
            DEMO,
            "张三丰",
            date!(2025 - 12 - 26),
            Channel::InPerson,
        )
        .await;
        let mut handler = demo_login(&app, "chengban").await;
        let page = handler.get(&case_path(id)).await;
        assert!(page.body.contains("id=\"step-correction_requested\""));
        let r = step(
            &mut handler,
            id,
            "correction_requested",
            &[
                ("date", "2026-01-05"),
                ("deadline", "2026-01-19"),
                ("items", "申请人身份证明\n所需信息的文号"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = handler.get(r.location().unwrap()).await;
        assert_eq!(page.text("#status"), "等待补正");
        assert!(page.text("#due").contains("待收到补正后重新计算"));
        assert!(
            page.text("table.ledger")
                .contains("补正事项：申请人身份证明；所需信息的文号")
        );
        // The 补正告知书 can now be drafted, with the items and the deadline.
        let csrf = handler.csrf().await;
        let r = handler
            .post(
                &format!("{}/notices", case_path(id)),
                &[("csrf", csrf.as_str()), ("kind", "correction")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let draft = handler.get(r.location().unwrap()).await;
        let text = draft.text(".notice-preview");
        assert!(
            text.contains("申请人身份证明") && text.contains("2026年1月19日"),
            "{text}"
        );
        assert!(text.contains("第三十条"));
        // The correction arrives: the clock runs again, 20 working days from 2026-01-05.
        let r = step(
            &mut handler,
            id,
            "correction_received",
            &[("date", "2026-01-05")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = handler.get(&case_path(id)).await;
        assert_eq!(page.text("#status"), "办理中");
        assert!(
            page.text("#due").contains("2026-02-02"),
            "{}",
            page.text("#due")
        );
        // A second 补正 is refused: once only.
        let ledger_before = app
            .db
            .application(OrganScope::system(DEMO), id)
            .await
            .unwrap()
            .events
            .len();
        let r = step(
            &mut handler,
            id,
            "correction_requested",
            &[
                ("date", "2026-01-05"),
                ("deadline", "2026-01-19"),
                ("items", "其他"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(
            r.text("#step-correction_requested .field-error")
                .contains("补正应当一次性告知（第三十条）"),
            "{}",
            r.body
        );
        // What was typed is kept in the refused form.
        assert!(
            r.text("#step-correction_requested textarea[name=items]")
                .contains("其他")
        );
        let after = app
            .db
            .application(OrganScope::system(DEMO), id)
            .await
            .unwrap()
            .events
            .len();
        assert_eq!(after, ledger_before, "nothing written");
        // After 7 working days the first 补正 is refused too: received 2025-12-01, the seventh
        // working day was 2025-12-10.
        let old = case(&app, DEMO, "王五", date!(2025 - 12 - 01), Channel::InPerson).await;
        let r = step(
            &mut handler,
            old,
            "correction_requested",
            &[
                ("date", "2026-01-05"),
                ("deadline", "2026-01-19"),
                ("items", "身份证明"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(
            r.text("#refusal").contains("期限已于 2025-12-10 届满"),
            "{}",
            r.text("#refusal")
        );
        // A form without items is refused at the form, before the store is asked (422).
        let r = step(
            &mut handler,
            old,
            "correction_requested",
            &[
                ("date", "2026-01-05"),
                ("deadline", "2026-01-19"),
                ("items", " "),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

dbtest!(
    only_the_head_approves_an_extension_and_only_once_art33,
    |db| {
        // 条例 art. 33 ¶2: with the consent of the 工作机构负责人, at most 20 more working
        // days, once.
        let app = TestApp::with_demo(db).await;
        let id = case(
            &app,
            DEMO,
            "张三丰",
            date!(2026 - 01 - 05),
            Channel::InPerson,
        )
        .await;
        let mut handler = demo_login(&app, "chengban").await;
        let page = handler.get(&case_path(id)).await;
        assert!(page.text("#due").contains("2026-02-02"));
        // More than 20 days is refused at the form.
        let r = step(
            &mut handler,
            id,
            "extension_requested",
            &[("date", "2026-01-05"), ("days", "21"), ("note", "档案调取")],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#step-extension_requested .field-error")
                .contains("1 至 20 个工作日")
        );
        let r = step(
            &mut handler,
            id,
            "extension_requested",
            &[
                ("date", "2026-01-05"),
                ("days", "15"),
                ("note", "所需信息需要调取归档材料"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = handler.get(&case_path(id)).await;
        assert_eq!(page.text("#status"), "延期待批");
        // The handler cannot approve.
        let csrf = handler.csrf().await;
        let r = handler
            .post(
                &format!("{}/steps/extension_approved", case_path(id)),
                &[("csrf", csrf.as_str()), ("date", "2026-01-05")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(
            r.text("#refusal")
                .contains("工作机构负责人同意（第三十三条第二款）"),
            "{}",
            r.body
        );
        // The 负责人 sees the request and approves the days asked for.
        let mut head = demo_login(&app, "fuzeren").await;
        let page = head.get(&case_path(id)).await;
        assert_eq!(page.input("days").as_deref(), Some("15"));
        assert!(page.body.contains("id=\"step-extension_refused\""));
        let r = step(
            &mut head,
            id,
            "extension_approved",
            &[("date", "2026-01-05"), ("days", "20")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = head.get(&case_path(id)).await;
        // 15 more working days from 2026-02-02 across 春节 2026 (14 and 28 February worked).
        assert!(
            page.text("#due").contains("2026-02-28"),
            "{}",
            page.text("#due")
        );
        assert!(
            page.text("table.ledger")
                .contains("延长 15 个工作日（批准人：演示负责人）")
        );
        // A second extension: refused with the article.
        let r = step(
            &mut handler,
            id,
            "extension_requested",
            &[("date", "2026-01-05"), ("days", "5"), ("note", "再延")],
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(
            r.text("#refusal")
                .contains("答复期限只能延长一次（第三十三条第二款）"),
            "{}",
            r.body
        );
        let r = step(
            &mut head,
            id,
            "extension_approved",
            &[("date", "2026-01-05"), ("days", "5")],
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        // The 延期答复告知书 can be drafted with the new due date.
        let csrf = head.csrf().await;
        let r = head
            .post(
                &format!("{}/notices", case_path(id)),
                &[
                    ("csrf", csrf.as_str()),
                    ("kind", "extension"),
                    ("text", "所需信息需要调取归档材料"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let draft = head.get(r.location().unwrap()).await;
        assert!(draft.text(".notice-preview").contains("2026年2月28日"));
    }
);

dbtest!(
    a_reply_closes_the_case_and_its_notice_is_numbered_frozen_and_downloadable,
    |db| {
        // 条例 art. 36 (四): the information does not exist — an adverse reply, so the
        // notice states the remedy (行政复议法 art. 20, 行政诉讼法 art. 46).
        let app = TestApp::with_demo(db).await;
        let id = case(
            &app,
            DEMO,
            "张三丰",
            date!(2026 - 01 - 05),
            Channel::InPerson,
        )
        .await;
        let mut head = demo_login(&app, "fuzeren").await;
        let csrf = head.csrf().await;
        let r = head
            .post(
                &format!("/console/organs/{DEMO}/notice-settings"),
                &[
                    ("csrf", csrf.as_str()),
                    ("number_pattern", "{organ_short}依申告〔{year}〕{seq:3}号"),
                    ("organ_short", "呼经开"),
                    ("reconsideration_body", "呼伦贝尔市人民政府"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // No outcome: refused at the form.
        let r = step(&mut head, id, "replied", &[("date", "2026-01-05")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = step(
            &mut head,
            id,
            "replied",
            &[
                ("date", "2026-01-05"),
                ("outcome", "does_not_exist"),
                ("note", "经检索本机关档案，未发现该批复。"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = head.get(&case_path(id)).await;
        assert!(
            page.text("#status")
                .contains("已办结：经检索没有所申请的政府信息"),
            "{}",
            page.text("#status")
        );
        assert!(page.text("form.step").is_empty() || !page.body.contains("step-replied"));
        let closed = head
            .get(&format!("/console/organs/{DEMO}/applications?tab=closed"))
            .await;
        assert!(closed.text("table.queue").contains("按期办结"));
        // The reply's notice is offered; drafting it cites art. 36 (四) and the remedy.
        let kind = "reply.does_not_exist";
        assert!(page.body.contains(&format!("id=\"draft-{kind}\"")));
        let r = head
            .post(
                &format!("{}/notices", case_path(id)),
                &[
                    ("csrf", csrf.as_str()),
                    ("kind", kind),
                    ("text", "经检索本机关档案，未发现该批复。"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let notice_path = r.location().unwrap().to_owned();
        let draft = head.get(&notice_path).await;
        let text = draft.text(".notice-preview");
        assert!(text.contains("第三十六条第（四）项"), "{text}");
        assert!(
            text.contains("六十日内向呼伦贝尔市人民政府申请行政复议"),
            "{text}"
        );
        assert!(
            text.contains("六个月内依法向人民法院提起行政诉讼"),
            "{text}"
        );
        assert!(text.contains("（签发时编号）"));
        // Staff delete the remedy clause: refused, with the element named.
        let body = draft.text("textarea[name=body]");
        let cut: Vec<&str> = body.lines().filter(|l| !l.contains("行政复议")).collect();
        let r = head
            .post(
                &notice_path,
                &[
                    ("csrf", csrf.as_str()),
                    ("date", "2026-01-05"),
                    ("body", &cut.join("\n")),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#notice-error").contains("救济途径告知"),
            "{}",
            r.text("#notice-error")
        );
        // An edit that keeps every element is saved.
        let edited = body.replace("未发现该批复", "未发现该批复，亦未发现相关文件");
        let r = head
            .post(
                &notice_path,
                &[
                    ("csrf", csrf.as_str()),
                    ("date", "2026-01-05"),
                    ("body", &edited),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            head.get(&notice_path)
                .await
                .text(".notice-preview")
                .contains("亦未发现相关文件")
        );
        // Print and DOCX wait for the issue.
        assert_eq!(
            head.get(&format!("{notice_path}/docx")).await.status,
            StatusCode::CONFLICT
        );
        let r = head
            .post(&format!("{notice_path}/issue"), &[("csrf", csrf.as_str())])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let issued = head.get(&notice_path).await;
        assert!(
            issued.text("#issued").contains("呼经开依申告〔2026〕001号"),
            "{}",
            issued.text("main")
        );
        assert!(
            issued
                .text(".notice-preview")
                .contains("呼经开依申告〔2026〕001号")
        );
        // Frozen: an edit is 409, the text unchanged; a second issue too.
        let r = head
            .post(
                &notice_path,
                &[
                    ("csrf", csrf.as_str()),
                    ("date", "2026-01-06"),
                    ("body", &edited),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.body.contains("告知书已签发"));
        let r = head
            .post(&format!("{notice_path}/issue"), &[("csrf", csrf.as_str())])
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        let nid = id_in(&notice_path);
        let stored = app
            .db
            .notice(OrganScope::system(DEMO), id, nid)
            .await
            .unwrap();
        assert_eq!(stored.date, "2026-01-05");
        assert_eq!(stored.number, "呼经开依申告〔2026〕001号");
        // The DOCX.
        let docx = head.get(&format!("{notice_path}/docx")).await;
        assert_eq!(docx.status, StatusCode::OK);
        assert!(docx.body.starts_with("PK"));
        assert_eq!(
            docx.headers[header::CONTENT_TYPE],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        let disposition = docx.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment; filename=\"notice-YSQ-2026-0001-"),
            "{disposition}"
        );
        assert!(
            disposition.contains("filename*=UTF-8''%E6%94%BF"),
            "{disposition}"
        );
        let print = head.get(&format!("{notice_path}/print")).await;
        assert_eq!(print.status, StatusCode::OK);
        assert!(
            print
                .text("article.notice")
                .contains("呼经开依申告〔2026〕001号")
        );
        // Delivery of the issued notice is recorded on the closed case.
        let r = step(
            &mut head,
            id,
            "notice_delivered",
            &[
                ("date", "2026-01-05"),
                ("notice_id", &nid.to_string()),
                ("method", "邮寄"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            head.get(&case_path(id))
                .await
                .text("table.ledger")
                .contains("呼经开依申告〔2026〕001号）")
        );
    }
);

dbtest!(
    notice_settings_refuse_a_bad_pattern_and_a_broken_template,
    |db| {
        let app = TestApp::with_demo(db).await;
        let path = format!("/console/organs/{DEMO}/notice-settings");
        // The handler reads the settings but cannot change them.
        let mut handler = demo_login(&app, "chengban").await;
        let page = handler.get(&path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text("#example").contains("依申〔2026〕001号"));
        let csrf = handler.csrf().await;
        let r = handler
            .post(
                &path,
                &[("csrf", csrf.as_str()), ("number_pattern", "{year}{seq}")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let mut admin = demo_login(&app, "admin").await;
        let csrf = admin.csrf().await;
        let audit = app.db.audit_count().await.unwrap();
        let r = admin
            .post(
                &path,
                &[
                    ("csrf", csrf.as_str()),
                    ("number_pattern", "{organ_short}依申〔{year}〕号"),
                    ("organ_short", "呼经开"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#error-number_pattern").contains("缺少「{seq}」"),
            "{}",
            r.text("#error-number_pattern")
        );
        assert_eq!(r.input("organ_short").as_deref(), Some("呼经开"));
        // A template that leaves out the applicant cannot render a valid notice.
        let broken = "{{ number }}\n本机关于{{ received }}收到申请。\n{{ organ }}\n{{ date }}";
        let r = admin
            .post(
                &path,
                &[
                    ("csrf", csrf.as_str()),
                    ("number_pattern", "{organ_short}依申〔{year}〕{seq:3}号"),
                    ("tpl.receipt", broken),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#error-tpl\\.receipt").contains("申请人"),
            "{}",
            r.body
        );
        let r = admin
            .post(
                &path,
                &[
                    ("csrf", csrf.as_str()),
                    ("number_pattern", "{organ_short}依申〔{year}〕{seq:3}号"),
                    ("tpl.receipt", "{{ number }\n"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#error-tpl\\.receipt").contains("语法错误"),
            "{}",
            r.body
        );
        assert_eq!(app.db.audit_count().await.unwrap(), audit, "nothing saved");
        // A good pattern is saved and shown with its example.
        let r = admin
            .post(
                &path,
                &[
                    ("csrf", csrf.as_str()),
                    ("number_pattern", "{organ_short}公开〔{year}〕{seq:4}号"),
                    ("organ_short", "呼经开"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = admin.get(&path).await;
        assert!(page.text("#example").contains("呼经开公开〔2026〕0001号"));
        let saved = app.db.notice_settings(DEMO).await.unwrap();
        assert_eq!(saved.organ_short, "呼经开");
        assert!(saved.templates.is_empty());
    }
);

dbtest!(
    appeals_are_entered_and_edited_with_errors_at_the_field,
    |db| {
        let app = TestApp::with_demo(db).await;
        let id = case(
            &app,
            DEMO,
            "张三丰",
            date!(2026 - 01 - 05),
            Channel::InPerson,
        )
        .await;
        let path = format!("/console/organs/{DEMO}/appeals");
        let mut handler = demo_login(&app, "chengban").await;
        let csrf = handler.csrf().await;
        let id_text = id.to_string();
        // 已审结 without a decision date: refused at that field, typed values kept.
        let r = handler
            .post(
                &path,
                &[
                    ("csrf", csrf.as_str()),
                    ("kind", "reconsideration"),
                    ("application_id", &id_text),
                    ("filed", "2025-11-03"),
                    ("body", "呼伦贝尔市人民政府"),
                    ("result", "upheld"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#error-decided").contains("请填写审结日期"),
            "{}",
            r.body
        );
        assert_eq!(r.input("body").as_deref(), Some("呼伦贝尔市人民政府"));
        assert!(
            app.db
                .appeals(OrganScope::system(DEMO))
                .await
                .unwrap()
                .is_empty()
        );
        let r = handler
            .post(
                &path,
                &[
                    ("csrf", csrf.as_str()),
                    ("kind", "reconsideration"),
                    ("application_id", &id_text),
                    ("filed", "2025-11-03"),
                    ("body", "呼伦贝尔市人民政府"),
                    ("result", "pending"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let list = handler.get(&path).await;
        assert!(list.text("table.appeals").contains("YSQ-2026-0001"));
        assert!(list.text("table.appeals").contains("尚未审结"));
        let edit = list.links_in("table.appeals a[href]")[0].clone();
        let page = handler.get(&edit).await;
        assert_eq!(page.input("filed").as_deref(), Some("2025-11-03"));
        // Decided before it was filed: refused.
        let mut form = vec![
            ("csrf", csrf.as_str()),
            ("kind", "reconsideration"),
            ("application_id", id_text.as_str()),
            ("filed", "2025-11-03"),
            ("body", "呼伦贝尔市人民政府"),
            ("result", "corrected"),
            ("decided", "2025-10-01"),
        ];
        let r = handler.post(&edit, &form).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#error-decided").contains("早于受理日期"));
        form.pop();
        form.push(("decided", "2025-12-20"));
        let r = handler.post(&edit, &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            handler
                .get(&path)
                .await
                .text("table.appeals")
                .contains("结果纠正")
        );
        // An administrator reads the list but cannot enter or edit.
        let mut admin = demo_login(&app, "admin").await;
        let list = admin.get(&path).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.links_in("table.appeals a[href]").is_empty());
        assert_eq!(admin.get(&edit).await.status, StatusCode::FORBIDDEN);
    }
);

dbtest!(
    a_due_date_in_a_year_without_a_notice_is_provisional_until_the_notice_is_entered,
    |db| {
        // Received Friday 2026-12-04 in person (art. 31 (一)); the 20th working day falls past
        // the end of 2026, in 2027, which has no notice yet: counted from the statutory
        // holidays, 元旦 2027-01-01 off, and marked 暂定.
        let app = TestApp::with_demo(db).await;
        let today = time::OffsetDateTime::from_unix_timestamp(util::START)
            .unwrap()
            .date();
        let days = (date!(2026 - 12 - 04) - today).whole_days();
        app.clock.advance(days * 86_400);
        assert_eq!(app.state.today(), date!(2026 - 12 - 04));
        let id = case(
            &app,
            DEMO,
            "张三丰",
            date!(2026 - 12 - 04),
            Channel::InPerson,
        )
        .await;
        let mut handler = demo_login(&app, "chengban").await;
        let page = handler.get(&case_path(id)).await;
        let due = page.text("#due");
        assert!(due.contains("2027-01-04（暂定）"), "{due}");
        assert!(!due.contains("2027-01-01"));
        assert!(
            page.text("ol.explanation").contains("暂定"),
            "{}",
            page.text("ol.explanation")
        );
        let queue = handler
            .get(&format!("/console/organs/{DEMO}/applications"))
            .await;
        assert!(queue.text("table.queue").contains("2027-01-04（暂定）"));
        // The warning from 1 November, on the console home and the organ page.
        let warning = "2027 年的节假日安排尚未录入：跨入 2027 年的答复期限按法定节假日暂定计算（不含调休），请在国务院办公厅通知发布后及时录入。";
        assert!(
            handler
                .get("/console")
                .await
                .text("#calendar-warning")
                .contains(warning)
        );
        let mut admin = demo_login(&app, "admin").await;
        let organ = admin.get(&format!("/console/organs/{DEMO}")).await;
        assert!(organ.text("#calendar-warning").contains(warning));
        let calendar = format!("/console/organs/{DEMO}/calendar");
        assert!(
            organ.links().contains(&calendar),
            "the administrator may enter it"
        );
        assert!(!handler.get("/console").await.links().contains(&calendar));
        // Editors see no cases and get no warning.
        let mut editor = demo_login(&app, "bianji").await;
        assert!(
            editor
                .get("/console")
                .await
                .text("#calendar-warning")
                .is_empty()
        );
        // Only the administrator of a root organ enters the calendar.
        assert_eq!(handler.get(&calendar).await.status, StatusCode::FORBIDDEN);
        let page = admin.get(&calendar).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text("table.calendar-years").contains("2026"));
        assert!(
            page.text("main").contains("2027–2100 年尚无通知"),
            "{}",
            page.text("main")
        );
        // A made-up 2027 notice (a test fixture, not a forecast): 元旦 off, Saturday 2 January worked.
        let csrf = admin.csrf().await;
        let fixture = "off 元旦 2027-01-01\nwork 元旦 2027-01-02";
        let mut form = vec![
            ("csrf", csrf.as_str()),
            ("year", "2027"),
            ("notice_number", "测试〔2026〕1号"),
            ("notice_date", "2026-11-20"),
            ("file_text", "off 元旦 2027-01-01\nwork 元旦 2027-01-04"),
        ];
        let r = admin.post(&calendar, &form).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#error-file_text").contains("第 2 行"),
            "{}",
            r.text("#error-file_text")
        );
        form.pop();
        form.push(("file_text", fixture));
        let r = admin.post(&calendar, &form).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let listed = r.text("#entered");
        assert!(
            listed.contains("YSQ-2026-0001：2027-01-04 → 2027-01-02"),
            "{listed}"
        );
        let audit = app
            .db
            .audit_log(OrganScope::system(DEMO), 50, 0)
            .await
            .unwrap();
        let row = audit
            .iter()
            .find(|e| e.action == "application.due_recomputed")
            .expect("audit row");
        assert_eq!(row.entity_id, id.to_string());
        // The case: the new date, no 暂定, and the recomputation in its ledger.
        let page = handler.get(&case_path(id)).await;
        let due = page.text("#due");
        assert!(due.contains("2027-01-02") && !due.contains("暂定"), "{due}");
        assert!(
            page.text("table.ledger")
                .contains("录入 2027 年节假日安排后，答复期限由 2027-01-04 改为 2027-01-02")
        );
        assert!(
            handler
                .get("/console")
                .await
                .text("#calendar-warning")
                .is_empty()
        );
        let page = admin.get(&calendar).await;
        assert!(
            page.text("table.calendar-years")
                .contains("测试〔2026〕1号")
        );
    }
);

dbtest!(api_tokens_are_shown_once_and_revoked_by_their_owner, |db| {
    let app = TestApp::with_demo(db).await;
    let mut handler = demo_login(&app, "chengban").await;
    assert!(
        handler
            .get("/console")
            .await
            .links()
            .contains(&"/console/tokens".to_owned())
    );
    let csrf = handler.csrf().await;
    let r = handler
        .post(
            "/console/tokens",
            &[("csrf", csrf.as_str()), ("label", " ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = handler
        .post(
            "/console/tokens",
            &[("csrf", csrf.as_str()), ("label", "年报汇总脚本")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let token = r.text("#token");
    assert!(token.starts_with("gk_"), "{token}");
    let user = app.db.user_for_token(&token).await.unwrap().unwrap();
    assert_eq!(user.username, "chengban");
    // Shown once: the list has the label, never the token.
    let list = handler.get("/console/tokens").await;
    assert!(list.text("table.tokens").contains("年报汇总脚本"));
    assert!(!list.body.contains(&token));
    let tokens = app.db.api_tokens(user.id).await.unwrap();
    let path = format!("/console/tokens/{}/revoke", tokens[0].id);
    // Another staff member cannot revoke it (not found for them).
    let mut head = demo_login(&app, "fuzeren").await;
    let head_csrf = head.csrf().await;
    assert_eq!(
        head.post(&path, &[("csrf", head_csrf.as_str())])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(app.db.user_for_token(&token).await.unwrap().is_some());
    let r = handler.post(&path, &[("csrf", csrf.as_str())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(app.db.user_for_token(&token).await.unwrap().is_none());
    assert!(
        handler
            .get("/console/tokens")
            .await
            .text("table.tokens")
            .contains("撤销")
    );
});

dbtest!(
    every_office_post_without_the_csrf_token_is_refused_and_writes_nothing,
    |db| {
        let app = TestApp::with_demo(db).await;
        let id = case(
            &app,
            DEMO,
            "张三丰",
            date!(2026 - 01 - 05),
            Channel::InPerson,
        )
        .await;
        let mut head = demo_login(&app, "fuzeren").await;
        let csrf = head.csrf().await;
        let r = head
            .post(
                &format!("{}/notices", case_path(id)),
                &[("csrf", csrf.as_str()), ("kind", "receipt")],
            )
            .await;
        let notice = id_in(r.location().unwrap());
        let r = head
            .post(
                &format!("/console/organs/{DEMO}/appeals"),
                &[
                    ("csrf", csrf.as_str()),
                    ("kind", "reconsideration"),
                    ("filed", "2025-12-01"),
                    ("result", "pending"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let appeal = app.db.appeals(OrganScope::system(DEMO)).await.unwrap()[0].id;
        let (token, row) = app
            .db
            .create_api_token(&Actor::system("test"), 2, "x", util::START)
            .await
            .unwrap();
        let mut admin = demo_login(&app, "admin").await;
        let mut posts: Vec<String> = gongkai_web::router::CONSOLE_ROUTES
            .iter()
            .filter(|(m, p, _)| {
                *m == "POST"
                    && (p.contains("/applications")
                        || p.contains("/appeals")
                        || p.contains("/notice-settings")
                        || p.contains("/calendar"))
            })
            .map(|(_, p, _)| {
                p.replace("{organ_id}", &DEMO.to_string())
                    .replace("{id}", &id.to_string())
                    .replace("{notice_id}", &notice.to_string())
                    .replace("{appeal_id}", &appeal.to_string())
                    .replace("{step}", "assigned")
            })
            .collect();
        posts.push("/console/tokens".into());
        posts.push(format!("/console/tokens/{}/revoke", row.id));
        assert_eq!(posts.len(), 12, "{posts:?}");
        let audit = app.db.audit_count().await.unwrap();
        for path in &posts {
            let client = if path.ends_with("/calendar") {
                &mut admin
            } else {
                &mut head
            };
            for bad in [None, Some("not-the-token")] {
                let mut form = vec![
                    ("date", "2026-01-05"),
                    ("kind", "receipt"),
                    ("label", "x"),
                    ("to", "2"),
                ];
                if let Some(bad) = bad {
                    form.push(("csrf", bad));
                }
                let r = client.post(path, &form).await;
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
                assert!(r.body.contains("页面已过期或请求来源不明"), "{path}");
            }
        }
        // The multipart intake form too.
        let r = post_multipart(
            &app,
            &head,
            &format!("/console/organs/{DEMO}/applications/new"),
            &letter_fields("wrong", "in_person", "2026-01-05")[1..],
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.db.audit_count().await.unwrap(),
            audit,
            "nothing written"
        );
        assert_eq!(
            app.db
                .applications(OrganScope::system(DEMO), Default::default())
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(app.db.user_for_token(&token).await.unwrap().is_some());
    }
);

dbtest!(
    assignment_consultation_and_fee_steps_and_their_notices,
    |db| {
        // 条例 arts. 32 and 33 ¶3: a consultation's time is not counted; 国办函〔2020〕109号:
        // the fee is charged 按件 or 按量, and the time until payment is not counted either.
        let app = TestApp::with_demo(db).await;
        let id = case(
            &app,
            DEMO,
            "张三丰",
            date!(2026 - 01 - 05),
            Channel::InPerson,
        )
        .await;
        let mut head = demo_login(&app, "fuzeren").await;
        let (handler, _) = app.db.user_credentials("chengban").await.unwrap().unwrap();
        let to = handler.id.to_string();
        let r = step(
            &mut head,
            id,
            "assigned",
            &[("date", "2026-01-05"), ("to", &to)],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let queue = head
            .get(&format!("/console/organs/{DEMO}/applications"))
            .await;
        assert!(queue.text("table.queue").contains("演示承办人"));
        // Only case handlers and heads: an editor is refused at the form.
        let (editor, _) = app.db.user_credentials("bianji").await.unwrap().unwrap();
        let r = step(
            &mut head,
            id,
            "assigned",
            &[("date", "2026-01-05"), ("to", &editor.id.to_string())],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let mut handler = demo_login(&app, "chengban").await;
        let r = step(
            &mut handler,
            id,
            "consultation_started",
            &[
                ("date", "2026-01-05"),
                ("party", "third_party"),
                ("name", "某某有限公司"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = handler.get(&case_path(id)).await;
        assert_eq!(page.text("#status"), "征求意见中");
        assert!(
            page.text("#due").contains("暂停计算（剩余 20 个工作日）"),
            "{}",
            page.text("#due")
        );
        // The 第三方意见征求书 needs the question put to the third party.
        let csrf = handler.csrf().await;
        let notices = format!("{}/notices", case_path(id));
        let draft = |question: &'static str| {
            vec![
                ("csrf", csrf.as_str()),
                ("kind", "consultation"),
                ("consultation", "某某有限公司"),
                ("text", question),
            ]
        };
        let r = handler.post(&notices, &draft("")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#draft-consultation .field-error")
                .contains("征求意见的事项")
        );
        let question = "申请公开的合同含有贵公司的报价信息，公开可能影响贵公司的合法权益";
        let r = handler.post(&notices, &draft(question)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let text = handler
            .get(r.location().unwrap())
            .await
            .text(".notice-preview");
        assert!(
            text.contains("某某有限公司：") && text.contains("第三十二条"),
            "{text}"
        );
        // The answer: the form offers the open consultation.
        let page = handler.get(&case_path(id)).await;
        assert!(page.body.contains("name=\"name\" value=\"某某有限公司\""));
        let r = step(
            &mut handler,
            id,
            "consultation_answered",
            &[
                ("date", "2026-01-05"),
                ("party", "third_party"),
                ("name", "某某有限公司"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // A fee within the free pages is refused; 200 pages: 70 × 10 + 100 × 20 = 2700 元.
        let r = step(
            &mut handler,
            id,
            "fee_notice_sent",
            &[
                ("date", "2026-01-05"),
                ("basis", "per_page"),
                ("pages", "30"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#step-fee_notice_sent .field-error")
                .contains("免费额度")
        );
        let r = step(
            &mut handler,
            id,
            "fee_notice_sent",
            &[
                ("date", "2026-01-05"),
                ("basis", "per_page"),
                ("pages", "200"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = handler.get(&case_path(id)).await;
        assert_eq!(page.text("#status"), "等待缴费");
        assert!(page.text("table.ledger").contains("2700 元"));
        // The 收费通知书 must charge what was recorded.
        let fee = |pages: &'static str| {
            vec![
                ("csrf", csrf.as_str()),
                ("kind", "fee"),
                ("basis", "per_page"),
                ("pages", pages),
                ("text", "请至本机关政务服务窗口缴纳"),
            ]
        };
        let r = handler.post(&notices, &fee("100")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#draft-fee .field-error")
                .contains("与登记的收费通知金额 2700 元不一致")
        );
        let r = handler.post(&notices, &fee("200")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(
            handler
                .get(r.location().unwrap())
                .await
                .text(".notice-preview")
                .contains("2700元")
        );
        let r = step(&mut handler, id, "fee_paid", &[("date", "2026-01-05")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(handler.get(&case_path(id)).await.text("#status"), "办理中");
        // A partial disclosure (art. 37) names each withheld part with its reason.
        let r = step(
            &mut handler,
            id,
            "replied",
            &[("date", "2026-01-05"), ("outcome", "partly_disclosed")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let reply = |withheld: &'static str| {
            vec![
                ("csrf", csrf.as_str()),
                ("kind", "reply.partly_disclosed"),
                ("disclosed", "立项批复正文"),
                ("withheld", withheld),
                ("ground", "withheld_third_party"),
            ]
        };
        let r = handler.post(&notices, &reply("报价单")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#draft-reply\\.partly_disclosed .field-error")
                .contains("事项：理由")
        );
        let r = handler.post(&notices, &reply("报价单：涉及商业秘密")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let text = handler
            .get(r.location().unwrap())
            .await
            .text(".notice-preview");
        assert!(
            text.contains("报价单：涉及商业秘密") && text.contains("第三十七条"),
            "{text}"
        );
        // Refused since 2024 with the 复议前置 wording (行政复议法（2023）第二十三条).
        assert!(text.contains("应当先申请行政复议"), "{text}");
    }
);

dbtest!(
    a_subordinate_organs_administrator_cannot_enter_the_deployments_calendar,
    |db| {
        // The calendar serves every organ of the deployment: only a root organ's
        // administrator enters it.
        let app = TestApp::with_demo(db).await;
        let settings = gongkai_store::organ::OrganSettings {
            name: "某某街道办事处".into(),
            ..Default::default()
        };
        let child = app
            .db
            .create_organ(&Actor::system("test"), util::START, Some(DEMO), &settings)
            .await
            .unwrap()
            .id;
        app.staff(child, "jd_admin", Role::Administrator).await;
        let mut admin = app.logged_in("jd_admin").await;
        let path = format!("/console/organs/{child}/calendar");
        assert_eq!(admin.get(&path).await.status, StatusCode::FORBIDDEN);
        let csrf = admin.csrf().await;
        let form = [
            ("csrf", csrf.as_str()),
            ("year", "2027"),
            ("notice_number", "某〔2026〕1号"),
            ("notice_date", "2026-11-20"),
            ("file_text", "off 元旦 2027-01-01"),
        ];
        assert_eq!(admin.post(&path, &form).await.status, StatusCode::FORBIDDEN);
        assert!(app.db.calendar_years().await.unwrap().is_empty());
        let organ = admin.get(&format!("/console/organs/{child}")).await;
        assert!(!organ.links().contains(&path));
    }
);
