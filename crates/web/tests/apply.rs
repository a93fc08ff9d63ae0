//! The public 依申请公开 column (issue 11, items 1, 2 and 9): the online application of 条例
//! art. 29, its receipt with 申请编号 and 查询码, the tracking page and its notices, and what
//! guards them (the honeypot, per-address limits, sealed uploads). Each runs on SQLite and
//! (with GONGKAI_TEST_DATABASE_URL) PostgreSQL.

mod util;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use gongkai_store::application::{Application, ApplicationFilter};
use gongkai_store::notice::NoticeDraft;
use gongkai_store::{Actor, OrganScope, dbtest};
use http_body_util::BodyExt;
use tower::ServiceExt;
use util::{Client, Resp, TestApp};

/// A valid 居民身份证号码 (GB 11643 check character X).
const RESIDENT_ID: &str = "11010519491231002X";
/// The same with a wrong check character.
const WRONG_CHECK_DIGIT: &str = "110105194912310020";
/// A valid 统一社会信用代码 (GB 32100 check character 3) and one with a wrong check character.
const CREDIT_CODE: &str = "91350100M000100Y43";
const WRONG_CREDIT_CODE: &str = "91350100M000100Y44";
/// The demo organ.
const ORGAN: i64 = 1;
const FORM: &str = "/zwgk/ysqgk/shenqing";
const RECEIPT: &str = "/zwgk/ysqgk/huizhi";
const TRACK: &str = "/zwgk/ysqgk/chaxun";
const DOCUMENT: &str = "/zwgk/ysqgk/chaxun/wenshu";
const NOT_FOUND: &str = "未查到该申请，请核对申请编号和查询码。";

/// A file of a multipart form: field, file name, content type, bytes.
struct File<'a>(&'a str, &'a str, &'a str, &'a [u8]);

/// A `multipart/form-data` body of text fields and files.
fn multipart(fields: &[(&str, &str)], files: &[File]) -> (String, Vec<u8>) {
    let boundary = "----gongkai-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for File(name, file_name, content_type, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                 filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Sends a request as if from `peer` (the client address the limits count by).
async fn send(app: &TestApp, mut request: Request<Body>, peer: &str) -> (Resp, Vec<u8>) {
    let peer: SocketAddr = peer.parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    let body = String::from_utf8_lossy(&bytes).into_owned();
    (
        Resp {
            status,
            headers,
            body,
        },
        bytes,
    )
}

/// Submits the application form from `peer`.
async fn submit_from(
    app: &TestApp,
    peer: &str,
    fields: &[(&str, &str)],
    files: &[File<'_>],
) -> Resp {
    let (content_type, body) = multipart(fields, files);
    let request = Request::post(FORM)
        .header(header::HOST, "kfq.example.test")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    send(app, request, peer).await.0
}

async fn submit(app: &TestApp, fields: &[(&str, &str)], files: &[File<'_>]) -> Resp {
    submit_from(app, "198.51.100.1:4000", fields, files).await
}

/// A url-encoded POST from `peer`, with the raw body bytes (DOCX downloads).
async fn post_from(
    app: &TestApp,
    peer: &str,
    path: &str,
    form: &[(&str, &str)],
) -> (Resp, Vec<u8>) {
    let request = Request::post(path)
        .header(header::HOST, "kfq.example.test")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(util::form_encode(form)))
        .unwrap();
    send(app, request, peer).await
}

/// A citizen's application that passes every check.
fn citizen() -> Vec<(&'static str, &'static str)> {
    vec![
        ("kind", "natural_person"),
        ("name", "张三丰"),
        ("id_type", "resident_id"),
        ("id_number", RESIDENT_ID),
        ("work_unit", "呼伦贝尔某中学"),
        ("phone", "13800138000"),
        ("email", "zhang@example.com"),
        ("address", "内蒙古呼伦贝尔市海拉尔区某路1号"),
        ("postcode", "021000"),
        ("title", "2025年度开发区部门预算"),
        ("doc_number", "呼经开发〔2025〕3号"),
        (
            "description",
            "开发区管委会2025年度部门预算表，\r\n含“三公”经费。",
        ),
        ("forms", "paper"),
        ("forms", "electronic"),
        ("delivery", "email"),
        ("delivery", "post"),
        ("accept_other_form", "1"),
        ("pledge", "1"),
        ("website", ""),
    ]
}

/// `fields` with `key` set to `value` (every earlier value of `key` dropped).
fn with<'a>(
    fields: &[(&'a str, &'a str)],
    key: &'a str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<_> = fields.iter().filter(|(k, _)| *k != key).copied().collect();
    out.push((key, value));
    out
}

fn without<'a>(fields: &[(&'a str, &'a str)], keys: &[&str]) -> Vec<(&'a str, &'a str)> {
    fields
        .iter()
        .filter(|(k, _)| !keys.contains(k))
        .copied()
        .collect()
}

/// Follows a successful submission to its receipt: (申请编号, 查询码).
async fn receipt_of(client: &mut Client, submitted: &Resp) -> (String, String) {
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );
    assert_eq!(submitted.location(), Some(RECEIPT));
    for cookie in submitted.set_cookies() {
        let first = cookie.split(';').next().unwrap();
        let (name, value) = first.split_once('=').unwrap();
        client.cookies.insert(name.to_owned(), value.to_owned());
    }
    let page = client.get(RECEIPT).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let number = page.text("#receipt-number").trim().to_owned();
    let code = page.text("#receipt-code").trim().to_owned();
    (number, code)
}

/// Applies as the standard citizen: (申请编号, 查询码).
async fn apply(app: &TestApp, fields: &[(&str, &str)]) -> (String, String) {
    let submitted = submit(app, fields, &[]).await;
    receipt_of(&mut app.client(), &submitted).await
}

async fn stored(app: &TestApp) -> Vec<Application> {
    app.db
        .applications(OrganScope::system(ORGAN), ApplicationFilter::default())
        .await
        .unwrap()
}

async fn track(app: &TestApp, peer: &str, number: &str, code: &str) -> Resp {
    post_from(app, peer, TRACK, &[("number", number), ("code", code)])
        .await
        .0
}

/// The `value` of the checked inputs named `name`.
fn checked(r: &Resp, name: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(&r.body);
    let selector = scraper::Selector::parse(&format!("input[name=\"{name}\"][checked]")).unwrap();
    doc.select(&selector)
        .filter_map(|e| e.value().attr("value").map(str::to_owned))
        .collect()
}

/// Every typed value of `fields` is in the re-rendered form `r`.
fn assert_values_kept(r: &Resp, fields: &[(&str, &str)]) {
    let kept = r.form_fields();
    for (key, value) in fields {
        match *key {
            "kind" | "id_type" | "forms" | "delivery" => {
                assert!(
                    checked(r, key).contains(&(*value).to_owned()),
                    "{key}={value}"
                );
            }
            "accept_other_form" | "pledge" => {
                assert_eq!(checked(r, key), ["1"], "{key}");
            }
            "description" => {
                let area = r.text("textarea[name=\"description\"]");
                assert_eq!(area.replace("\r\n", "\n"), value.replace("\r\n", "\n"));
            }
            _ => assert!(
                kept.contains(&((*key).to_owned(), (*value).to_owned())),
                "{key}={value} not kept: {kept:?}"
            ),
        }
    }
}

dbtest!(
    art29_online_application_is_saved_with_its_number_and_only_the_codes_hash,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut client = app.client();
        let submitted = submit(&app, &citizen(), &[]).await;
        let (number, code) = receipt_of(&mut client, &submitted).await;
        // 申请编号 per organ and year of receipt; the tests' day is 2026-01-05.
        assert_eq!(number, "YSQ-2026-0001");
        assert!(code.len() >= 10, "{code}");
        assert!(
            code.bytes()
                .all(|b| b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ".contains(&b)),
            "{code}"
        );
        // The code is shown once: the receipt cookie is gone and the page says so.
        let again = client.get(RECEIPT).await;
        assert_eq!(again.status, StatusCode::GONE);
        assert!(!again.body.contains(&code));
        assert!(again.text("#receipt-gone").contains("只显示一次"));

        let found = app
            .db
            .tracked_application(&number, &code)
            .await
            .unwrap()
            .expect("the number and code find the application");
        assert!(found.trackable);
        assert_eq!(found.organ_id, ORGAN);
        assert_eq!(found.applicant.kind, "natural_person");
        assert_eq!(found.applicant.id_number, RESIDENT_ID);
        assert_eq!(found.request.forms, ["paper", "electronic"]);
        assert_eq!(found.request.delivery, ["post", "email"]);
        assert!(found.request.accept_other_form);
        assert_eq!(
            found.request.description,
            "开发区管委会2025年度部门预算表，\n含“三公”经费。"
        );
        // Art. 31 (三): online, received on the day both sides confirm (the receipt's day).
        let (received, channel) = found.received().unwrap();
        assert_eq!(gongkai_core::calendar::format_date(received), "2026-01-05");
        assert_eq!(channel.key(), "online");
        // Only the hash is kept: the code appears nowhere in the database, and the audit
        // row holds the ID number masked.
        let dump = app.db.dump().await.unwrap().to_string();
        assert!(!dump.contains(&code), "the code is stored somewhere");
        let audit = app.db.dump().await.unwrap()["tables"]["audit_log"].to_string();
        assert!(audit.contains("YSQ-2026-0001"));
        assert!(!audit.contains(RESIDENT_ID) && !audit.contains("13800138000"));
        assert!(
            app.db
                .tracked_application(&number, "WRONGCODE234")
                .await
                .unwrap()
                .is_none()
        );
    }
);

dbtest!(
    a_wrong_resident_id_check_digit_comes_back_at_the_field_with_every_value_kept,
    |db| {
        let app = TestApp::with_demo(db).await;
        let fields = with(&citizen(), "id_number", WRONG_CHECK_DIGIT);
        let r = submit(&app, &fields, &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(
            r.text("#err-id_number").contains("身份证号码校验位不正确"),
            "{}",
            r.text("main")
        );
        assert!(r.text("#form-errors").contains("校验位"));
        assert_values_kept(&r, &fields);
        assert!(stored(&app).await.is_empty());
        // The message never gives the right check character away.
        assert!(!r.text("#err-id_number").contains('X'));
    }
);

dbtest!(
    an_invalid_credit_code_of_an_organisation_comes_back_with_every_value_kept,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut fields = without(
            &citizen(),
            &["kind", "name", "id_type", "id_number", "work_unit"],
        );
        fields.extend([
            ("kind", "legal_services"),
            ("name", "内蒙古某某律师事务所"),
            ("id_type", "credit_code"),
            ("id_number", WRONG_CREDIT_CODE),
            ("legal_representative", "李四"),
            ("contact_person", "王五"),
        ]);
        let r = submit(&app, &fields, &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#err-id_number")
                .contains("统一社会信用代码校验位不正确"),
            "{}",
            r.text("main")
        );
        assert_values_kept(&r, &fields);
        assert!(stored(&app).await.is_empty());
        // With the right code the same organisation is registered in its 表三 column.
        let fields = with(&fields, "id_number", CREDIT_CODE);
        let (number, code) = apply(&app, &fields).await;
        let found = app
            .db
            .tracked_application(&number, &code)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.applicant.kind, "legal_services");
        assert_eq!(found.applicant.contact_person, "王五");
    }
);

dbtest!(
    art29_an_application_without_the_information_sought_comes_back,
    |db| {
        let app = TestApp::with_demo(db).await;
        // Art. 29 ¶2 (二): 名称、文号或者便于查询的其他特征性描述 — none given.
        let fields = without(&citizen(), &["title", "doc_number", "description"]);
        let r = submit(&app, &fields, &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#section-info").contains("第二十九条"),
            "{}",
            r.text("main")
        );
        assert_values_kept(&r, &fields);
        assert!(stored(&app).await.is_empty());
        // Art. 29 ¶2 (三): a form and a way must be asked for, and a way needs its detail.
        let fields = with(
            &without(&citizen(), &["forms", "email"]),
            "delivery",
            "email",
        );
        let r = submit(&app, &fields, &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#err-forms").contains("载体形式"));
        assert!(r.text("#err-email").contains("电子邮箱"));
        assert!(stored(&app).await.is_empty());
    }
);

dbtest!(
    a_text_file_renamed_jpg_is_refused_and_a_good_file_must_be_chosen_again,
    |db| {
        let app = TestApp::with_demo(db).await;
        let fake = File(
            "id_proof",
            "身份证.jpg",
            "image/jpeg",
            b"just some text, not a photo",
        );
        let r = submit(&app, &citizen(), &[fake]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text("#err-id_proof").contains("只能上传 PDF、JPG 或 PNG"),
            "{}",
            r.text("main")
        );
        assert_values_kept(&r, &citizen());
        assert!(stored(&app).await.is_empty());
        // A good scan with a wrong field elsewhere: the page says to choose it again.
        let png = File(
            "id_proof",
            "scan.png",
            "image/png",
            b"\x89PNG\r\n\x1a\n0000",
        );
        let fields = with(&citizen(), "phone", "12");
        let r = submit(&app, &fields, &[png]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text("#err-phone").contains("联系电话"));
        assert!(r.text("#err-id_proof").contains("重新选择"));
        assert!(stored(&app).await.is_empty());
    }
);

dbtest!(
    an_uploaded_id_scan_is_stored_sealed_and_opens_with_the_key,
    |db| {
        let app = TestApp::with_demo(db).await;
        let plain: Vec<u8> = [&b"%PDF-1.4\n"[..], "身份证正反面扫描件".as_bytes()].concat();
        let scan = File(
            "id_proof",
            "C:\\扫描\\身份证.pdf",
            "application/pdf",
            &plain,
        );
        let submitted = submit(&app, &citizen(), &[scan]).await;
        let (number, code) = receipt_of(&mut app.client(), &submitted).await;
        let found = app
            .db
            .tracked_application(&number, &code)
            .await
            .unwrap()
            .unwrap();
        let files = app
            .db
            .attachments(OrganScope::system(ORGAN), found.id)
            .await
            .unwrap();
        assert_eq!(files.len(), 1);
        let file = &files[0];
        assert_eq!(file.purpose, "id_proof");
        assert_eq!(file.content_type, "application/pdf");
        assert_eq!(file.file_name, "身份证.pdf");
        assert_eq!(file.size, plain.len() as i64);
        assert_ne!(file.ciphertext, plain);
        assert!(!file.ciphertext.windows(8).any(|w| w == b"%PDF-1.4"));
        assert_eq!(
            app.state
                .data_key
                .open("id_proof", &file.nonce, &file.ciphertext),
            Some(plain)
        );
    }
);

dbtest!(
    the_honeypot_answers_like_a_success_and_saves_nothing,
    |db| {
        let app = TestApp::with_demo(db).await;
        let audit_before = app.db.audit_count().await.unwrap();
        let fields = with(&citizen(), "website", "http://spam.example");
        let submitted = submit(&app, &fields, &[]).await;
        let (number, code) = receipt_of(&mut app.client(), &submitted).await;
        assert!(number.starts_with("YSQ-2026-"), "{number}");
        assert!(code.len() >= 10);
        assert!(stored(&app).await.is_empty());
        assert_eq!(app.db.audit_count().await.unwrap(), audit_before);
        // The field is there for robots only: out of sight, out of the tab order.
        let form = app.client().get(FORM).await;
        let doc = scraper::Html::parse_document(&form.body);
        let hp = scraper::Selector::parse(".apply-hp[aria-hidden=\"true\"] input[name=\"website\"][tabindex=\"-1\"][autocomplete=\"off\"]").unwrap();
        assert_eq!(doc.select(&hp).count(), 1);
    }
);

dbtest!(submissions_are_limited_per_client_address, |db| {
    let app = TestApp::with_demo(db).await;
    for _ in 0..5 {
        let r = submit_from(&app, "203.0.113.5:1000", &citizen(), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let r = submit_from(&app, "203.0.113.5:1001", &citizen(), &[]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("提交过于频繁"), "{}", r.body);
    assert_eq!(stored(&app).await.len(), 5);
    // Another address is not affected; after ten minutes the first may submit again.
    let r = submit_from(&app, "203.0.113.6:1000", &citizen(), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    app.clock.advance(600);
    let r = submit_from(&app, "203.0.113.5:1000", &citizen(), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
});

dbtest!(
    art33_tracking_with_the_right_pair_shows_status_due_date_and_steps,
    |db| {
        let app = TestApp::with_demo(db).await;
        let (number, code) = apply(&app, &citizen()).await;
        // Typed in lower case with spaces, as people do.
        let typed = format!(" {} ", number.to_lowercase());
        let r = track(&app, "198.51.100.2:1", &typed, &code.to_lowercase()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.text("#case-status").trim(), "办理中");
        // Received Monday 2026-01-05; 20 working days from the next day (art. 33 ¶2).
        assert!(
            r.text("#case-due").contains("2026-02-02"),
            "{}",
            r.text("#case-due")
        );
        assert!(r.text("#case-due").contains("剩余 20 个工作日"));
        let steps = r.text("#case-steps");
        assert!(
            steps.contains("2026-01-05") && steps.contains("收到申请"),
            "{steps}"
        );
        // Only the masked name; none of the applicant's other data.
        let main = r.text("main");
        assert!(main.contains("张**"), "{main}");
        for secret in [
            "张三丰",
            RESIDENT_ID,
            "13800138000",
            "zhang@example.com",
            "某路1号",
        ] {
            assert!(!r.body.contains(secret), "the page shows {secret}");
        }
        assert_eq!(
            r.headers[header::CACHE_CONTROL].to_str().unwrap(),
            "no-store"
        );
        assert!(r.text("#case-no-notices").contains("尚未出具"));
    }
);

dbtest!(
    a_wrong_code_or_another_applications_code_finds_nothing_of_either,
    |db| {
        let app = TestApp::with_demo(db).await;
        let (first, first_code) = apply(&app, &citizen()).await;
        let other = with(&with(&citizen(), "name", "李四光"), "title", "另一项信息");
        let (second, second_code) = apply(&app, &other).await;
        assert_eq!(second, "YSQ-2026-0002");
        let peer = "198.51.100.3:1";
        let attempts = [
            (first.as_str(), second_code.as_str()),
            (second.as_str(), first_code.as_str()),
            (first.as_str(), "WRONGCODE234"),
            ("YSQ-2026-9999", first_code.as_str()),
        ];
        for (number, code) in attempts {
            let r = track(&app, peer, number, code).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{number}");
            assert_eq!(r.text("#track-message").trim(), NOT_FOUND);
            for shown in [
                "张**",
                "李**",
                "2025年度开发区部门预算",
                "另一项信息",
                "case-status",
            ] {
                assert!(!r.body.contains(shown), "{number}/{code} shows {shown}");
            }
            // The code typed is never echoed back.
            assert!(!r.body.contains(code));
        }
        // A notice of one application cannot be fetched with the other's code.
        let (r, _) = post_from(
            &app,
            peer,
            DOCUMENT,
            &[
                ("number", &first),
                ("code", &second_code),
                ("notice", "1"),
                ("format", "docx"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.body.contains(NOT_FOUND));
    }
);

dbtest!(wrong_pairs_are_limited_per_client_address, |db| {
    let app = TestApp::with_demo(db).await;
    let (number, code) = apply(&app, &citizen()).await;
    let peer = "192.0.2.77:5000";
    for i in 0..10 {
        let r = track(&app, peer, &number, &format!("WRONG{i:07}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "attempt {i}");
    }
    // Now even the right pair is refused from that address, so guessing stops.
    let r = track(&app, peer, &number, &code).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("查询失败次数过多"), "{}", r.body);
    assert!(!r.body.contains("case-status"));
    // Another address finds it; the first may try again after ten minutes.
    assert_eq!(
        track(&app, "192.0.2.78:5000", &number, &code).await.status,
        StatusCode::OK
    );
    app.clock.advance(600);
    assert_eq!(
        track(&app, peer, &number, &code).await.status,
        StatusCode::OK
    );
});

/// Keeps a notice draft of `kind` for the application; issued with a number if `issue`.
async fn notice(app: &TestApp, application_id: i64, kind: &str, title: &str, issue: bool) -> i64 {
    let actor = Actor::system("test");
    let scope = OrganScope::system(ORGAN);
    let draft = NoticeDraft {
        kind: kind.to_owned(),
        title: title.to_owned(),
        organ_name: "呼伦贝尔经济技术开发区".to_owned(),
        date: "2026-01-06".to_owned(),
        paragraphs: vec![
            "张三丰：".to_owned(),
            format!("本机关于2026年1月5日收到您的申请（{title}正文）。"),
        ],
    };
    let kept = app
        .db
        .create_notice_draft(&actor, scope, application_id, util::START, &draft)
        .await
        .unwrap();
    if !issue {
        return kept.id;
    }
    app.db
        .issue_notice(
            &actor,
            scope,
            application_id,
            kept.id,
            util::START,
            kind,
            2026,
            |n| format!("呼经开依申〔2026〕{n}号"),
        )
        .await
        .unwrap()
        .id
}

dbtest!(
    issued_notices_are_listed_and_download_as_docx_and_drafts_are_not,
    |db| {
        let app = TestApp::with_demo(db).await;
        let (number, code) = apply(&app, &citizen()).await;
        let id = app
            .db
            .tracked_application(&number, &code)
            .await
            .unwrap()
            .unwrap()
            .id;
        let issued = notice(&app, id, "receipt", "政府信息公开申请登记回执", true).await;
        let draft = notice(&app, id, "correction", "政府信息公开申请补正告知书", false).await;
        // Art. 32: the consultation letter goes to the third party, not to the applicant.
        let consultation = notice(
            &app,
            id,
            "consultation",
            "政府信息公开第三方意见征求书",
            true,
        )
        .await;
        let peer = "198.51.100.4:1";
        let r = track(&app, peer, &number, &code).await;
        let listed = r.text("#case-notices");
        assert!(listed.contains("政府信息公开申请登记回执"), "{listed}");
        assert!(listed.contains("呼经开依申〔2026〕1号"), "{listed}");
        assert!(!r.body.contains("补正告知书"), "a draft is listed");
        assert!(
            !r.body.contains("意见征求书"),
            "the consultation letter is listed"
        );

        let fetch = |notice: i64, format: &'static str| {
            let (number, code) = (number.clone(), code.clone());
            let app = &app;
            async move {
                let id = notice.to_string();
                post_from(
                    app,
                    peer,
                    DOCUMENT,
                    &[
                        ("number", &number),
                        ("code", &code),
                        ("notice", &id),
                        ("format", format),
                    ],
                )
                .await
            }
        };
        let (docx, bytes) = fetch(issued, "docx").await;
        assert_eq!(docx.status, StatusCode::OK, "{}", docx.body);
        assert!(bytes.starts_with(b"PK"), "a DOCX is a zip file");
        assert!(
            docx.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .contains("wordprocessingml")
        );
        assert!(
            docx.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        let (page, _) = fetch(issued, "html").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.text(".notice-doc").contains("登记回执正文"),
            "{}",
            page.body
        );
        assert!(page.text(".notice-doc").contains("呼经开依申〔2026〕1号"));
        for hidden in [draft, consultation] {
            let (r, _) = fetch(hidden, "docx").await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "notice {hidden}");
        }
    }
);

dbtest!(
    the_column_pages_carry_the_frame_and_are_linked_and_in_the_sitemap,
    |db| {
        let app = TestApp::with_demo(db).await;
        let mut public = app.client();
        for path in ["/zwgk/ysqgk", FORM, TRACK] {
            let r = public.get(path).await;
            assert_eq!(r.status, StatusCode::OK, "{path}");
            assert_eq!(
                r.meta("ColumnName").as_deref(),
                Some("依申请公开"),
                "{path}"
            );
            assert_eq!(
                r.meta("SiteIDCode").as_deref(),
                Some("1507000009"),
                "{path}"
            );
            assert!(r.text("footer").contains("网站地图"), "{path}");
            assert!(
                public.get("/wzdt").await.links().contains(&path.to_owned()),
                "{path}"
            );
        }
        for page in ["/", "/zwgk"] {
            assert!(
                public
                    .get(page)
                    .await
                    .links()
                    .contains(&"/zwgk/ysqgk".to_owned()),
                "{page}"
            );
        }
        // The notice page states the rules of arts. 33 and 39 and the accepted channels.
        let rules = public.get("/zwgk/ysqgk").await.text("main");
        for needle in [
            "20个工作日",
            "第三十三条",
            "信访",
            "第三十九条",
            "一事一申请",
            "网上申请",
            "邮寄",
        ] {
            assert!(rules.contains(needle), "the notice page lacks {needle}");
        }
        let css = public.get("/static/apply.css").await;
        assert_eq!(css.status, StatusCode::OK);
        assert!(css.body.contains(".apply-hp"));
        // The form asks no 用途 (the 2019 条例 has no purpose test, art. 27).
        let form = public.get(FORM).await;
        assert!(!form.body.contains("用途"));
        assert_eq!(
            form.headers[header::CONTENT_TYPE].to_str().unwrap(),
            "text/html; charset=utf-8"
        );
    }
);
