//! The JSON API (`/api/v1`, spec/api.md) through the router, on SQLite and (with
//! GONGKAI_TEST_DATABASE_URL) PostgreSQL: bearer tokens, the error envelope, intake with its
//! identity checks, the clock of a case against `gongkai clock --json`, the roles of each step,
//! organ isolation, appeals, the audit trail, and the OpenAPI document.

mod util;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use gongkai_store::ledger::EventJson;
use gongkai_store::{Actor, OrganScope, Role, dbtest};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use util::{START, TestApp};

/// The standard's own example of a 居民身份证号码 (GB 11643-1999, check character X).
const RESIDENT_ID: &str = "11010519491231002X";

/// A response: status, headers and the body as JSON (`Null` when it is not JSON).
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    json: Value,
}

impl Reply {
    fn error(&self) -> &str {
        self.json["error"].as_str().unwrap_or_default()
    }
    fn field(&self) -> &str {
        self.json["field"].as_str().unwrap_or_default()
    }
    fn message(&self) -> &str {
        self.json["message"].as_str().unwrap_or_default()
    }
}

/// Sends one request to the router.
async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "kfq.example.test");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let body = match body {
        Some(text) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(text)
        }
        None => Body::empty(),
    };
    let response = app
        .router
        .clone()
        .oneshot(request.body(body).expect("request"))
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
    Reply {
        status,
        headers,
        json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

async fn get(app: &TestApp, token: &str, path: &str) -> Reply {
    let bearer = format!("Bearer {token}");
    send(app, "GET", path, &[("authorization", &bearer)], None).await
}

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> Reply {
    post_text(app, token, path, body.to_string()).await
}

async fn post_text(app: &TestApp, token: &str, path: &str, body: String) -> Reply {
    let bearer = format!("Bearer {token}");
    send(app, "POST", path, &[("authorization", &bearer)], Some(body)).await
}

/// Two organs, each with staff, and a token for each account.
struct World {
    app: TestApp,
    organ: i64,
    other: i64,
    handler: String,
    head: String,
    admin: String,
    other_handler: String,
    handler_id: i64,
    other_handler_id: i64,
}

async fn token(app: &TestApp, user: i64) -> String {
    app.db
        .create_api_token(&Actor::system("test"), user, "测试", START)
        .await
        .unwrap()
        .0
}

async fn world(db: gongkai_store::testing::TestDb) -> World {
    let app = TestApp::empty(db).await;
    let organ = app.organ("呼伦贝尔经济技术开发区管理委员会").await;
    let other = app.organ("海拉尔区人民政府").await;
    let handler_id = app.staff(organ, "chengban", Role::CaseHandler).await;
    let head_id = app.staff(organ, "fuzeren", Role::Head).await;
    let admin_id = app.staff(organ, "admin", Role::Administrator).await;
    let other_handler_id = app.staff(other, "hailaer", Role::CaseHandler).await;
    World {
        handler: token(&app, handler_id).await,
        head: token(&app, head_id).await,
        admin: token(&app, admin_id).await,
        other_handler: token(&app, other_handler_id).await,
        handler_id,
        other_handler_id,
        app,
        organ,
        other,
    }
}

/// An intake body received by `channel` on `received`.
fn intake(channel: &str, received: &str, name: &str, id_number: &str) -> Value {
    json!({
        "channel": channel,
        "received": received,
        "applicant": {
            "kind": "natural_person",
            "name": name,
            "id_type": "resident_id",
            "id_number": id_number,
            "phone": "13800138000",
            "email": "zhangsan@example.com",
            "address": "内蒙古自治区呼伦贝尔市海拉尔区胜利大街1号"
        },
        "description": "2023年本区老旧小区改造项目的资金安排情况",
        "delivery": ["paper"]
    })
}

impl World {
    fn applications(&self) -> String {
        format!("/api/v1/organs/{}/applications", self.organ)
    }

    fn case(&self, id: i64) -> String {
        format!("/api/v1/organs/{}/applications/{id}", self.organ)
    }

    fn events(&self, id: i64) -> String {
        format!("/api/v1/organs/{}/applications/{id}/events", self.organ)
    }

    /// Registers an application as the case handler; returns its id.
    async fn received(&self, channel: &str, date: &str, name: &str) -> i64 {
        let r = post(
            &self.app,
            &self.handler,
            &self.applications(),
            &intake(channel, date, name, RESIDENT_ID),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        r.json["id"].as_i64().unwrap()
    }

    async fn step(&self, token: &str, id: i64, event: Value) -> Reply {
        post(&self.app, token, &self.events(id), &event).await
    }

    async fn application_count(&self) -> usize {
        self.app
            .db
            .applications(
                OrganScope::system(self.organ),
                gongkai_store::application::ApplicationFilter::default(),
            )
            .await
            .unwrap()
            .len()
    }
}

// --- Issue 11: the case of the letter received before National Day -------------------------

dbtest!(
    art31_art33_a_letter_signed_for_before_national_day_is_due_2024_10_30,
    |db| {
        let w = world(db).await;
        let r = post(
            &w.app,
            &w.handler,
            &w.applications(),
            &intake("post", "2024-09-27", "张三", RESIDENT_ID),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        assert_eq!(r.json["number"], "YSQ-2024-0001");
        assert_eq!(r.json["received"], "2024-09-27");
        // Art. 31(二): signed for by post on Friday 2024-09-27, day 0; art. 33: 20 working days
        // skip 国庆节 and count the 调休 Saturday 2024-10-12.
        assert_eq!(r.json["due"], "2024-10-30");
        assert_eq!(r.json["channel"], "post");
        let explanation: Vec<&str> = r.json["explanation"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            explanation.iter().any(|l| l.contains("国庆")),
            "{explanation:?}"
        );
        assert!(explanation.iter().any(|l| l.contains("第三十一条")));
        assert_eq!(
            r.json["events"],
            json!([{"date": "2024-09-27", "event": "received", "channel": "post"}])
        );
        // The handler sees the applicant in full.
        assert_eq!(r.json["applicant"]["id_number"], RESIDENT_ID);
        assert_eq!(r.json["applicant"]["masked"], false);
        let id = r.json["id"].as_i64().unwrap();
        let shown = get(&w.app, &w.handler, &w.case(id)).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert_eq!(shown.json["due"], "2024-10-30");
        assert_eq!(shown.json["overdue"], true, "the test clock is 2026-01-05");
    }
);

dbtest!(art33_only_the_head_extends_and_only_once, |db| {
    let w = world(db).await;
    let id = w.received("post", "2024-09-27", "张三").await;
    let extension = json!({"date": "2024-10-25", "event": "extension_approved", "days": 20});
    // Art. 33 ¶2: 经政府信息公开工作机构负责人同意 — a case handler may not.
    let r = w.step(&w.handler, id, extension.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.json);
    assert_eq!(r.error(), "forbidden");
    assert!(!r.message().is_empty());
    // The 负责人 may, on 2024-10-25, by 20 working days.
    let r = w.step(&w.head, id, extension.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["due"], "2024-11-27");
    let last = r.json["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["event"], "extension_approved");
    assert_eq!(
        last["approver"], "fuzeren",
        "the approver defaults to the caller"
    );
    // Only once (art. 33 ¶2: 延长的期限最长不得超过20个工作日).
    let again = json!({"date": "2024-11-01", "event": "extension_approved", "days": 5});
    let r = w.step(&w.head, id, again).await;
    assert!(
        matches!(
            r.status,
            StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
        ),
        "{} {}",
        r.status,
        r.json
    );
    assert!(r.message().contains("延长"), "{}", r.message());
    assert!(r.message().contains("第三十三条"), "{}", r.message());
    let shown = get(&w.app, &w.head, &w.case(id)).await;
    assert_eq!(
        shown.json["due"], "2024-11-27",
        "the refused step changed nothing"
    );
    assert_eq!(shown.json["events"].as_array().unwrap().len(), 2);
});

dbtest!(another_organs_staff_get_404_never_403, |db| {
    let w = world(db).await;
    let id = w.received("in_person", "2025-12-01", "张三").await;
    let r = get(&w.app, &w.other_handler, &w.case(id)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.json);
    assert_eq!(r.error(), "not_found");
    let r = get(&w.app, &w.other_handler, &w.applications()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = w
        .step(
            &w.other_handler,
            id,
            json!({"date": "2025-12-02", "event": "correction_received"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = post(
        &w.app,
        &w.other_handler,
        &w.applications(),
        &intake("post", "2025-12-01", "李四", RESIDENT_ID),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Through its own organ's path, the other organ's case is not found either.
    let path = format!("/api/v1/organs/{}/applications/{id}", w.other);
    let r = get(&w.app, &w.other_handler, &path).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // An organ that does not exist, or an id that is not one, is the same 404.
    let r = get(&w.app, &w.handler, "/api/v1/organs/999999/applications").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = get(&w.app, &w.handler, "/api/v1/organs/abc/applications").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error(), "not_found");
});

// --- Authentication and the error envelope --------------------------------------------------

dbtest!(missing_wrong_or_revoked_tokens_are_401_in_json, |db| {
    let w = world(db).await;
    let path = w.applications();
    let r = send(&w.app, "GET", &path, &[], None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.error(), "unauthorized");
    assert!(r.headers.contains_key(header::WWW_AUTHENTICATE));
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    for bad in [
        "Bearer gk_nope",
        "Bearer ",
        "Basic Y2hlbmdiYW46eA==",
        "gk_x",
    ] {
        let r = send(&w.app, "GET", &path, &[("authorization", bad)], None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{bad}");
        assert_eq!(r.error(), "unauthorized", "{bad}");
    }
    // Revoked: the same token that worked a moment ago.
    let (token, row) = w
        .app
        .db
        .create_api_token(&Actor::system("test"), w.handler_id, "将撤销", START)
        .await
        .unwrap();
    assert_eq!(get(&w.app, &token, &path).await.status, StatusCode::OK);
    w.app
        .db
        .revoke_api_token(&Actor::system("test"), w.handler_id, row.id, START)
        .await
        .unwrap();
    let r = get(&w.app, &token, &path).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.error(), "unauthorized");
    // A console session is no API credential: bearer requests carry no cookie.
    let client = w.app.logged_in("chengban").await;
    let cookie = client
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    assert!(!cookie.is_empty());
    let r = send(&w.app, "GET", &path, &[("cookie", &cookie)], None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
});

dbtest!(malformed_json_is_400_and_unknown_fields_are_named, |db| {
    let w = world(db).await;
    let path = w.applications();
    let r = post_text(&w.app, &w.handler, &path, "{\"channel\": ".into()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error(), "malformed");
    let mut body = intake("post", "2024-09-27", "张三", RESIDENT_ID);
    body["colour"] = json!("red");
    let r = post(&w.app, &w.handler, &path, &body).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.json);
    assert_eq!((r.error(), r.field()), ("unknown_field", "colour"));
    let mut body = intake("post", "2024-09-27", "张三", RESIDENT_ID);
    body["applicant"]["nickname"] = json!("三儿");
    let r = post(&w.app, &w.handler, &path, &body).await;
    assert_eq!(r.field(), "applicant.nickname", "{}", r.json);
    // A missing field, or one of the wrong type, is 422 at its path.
    let mut body = intake("post", "2024-09-27", "张三", RESIDENT_ID);
    body.as_object_mut().unwrap().remove("received");
    let r = post(&w.app, &w.handler, &path, &body).await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "received")
    );
    let id = w.received("post", "2024-09-27", "张三").await;
    let r = w
        .step(
            &w.head,
            id,
            json!({"date": "2024-10-25", "event": "extension_approved", "days": "二十"}),
        )
        .await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "days"),
        "{}",
        r.json
    );
    let r = w
        .step(
            &w.head,
            id,
            json!({"date": "2024-10-25", "event": "extension_approved", "reason": "x"}),
        )
        .await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::BAD_REQUEST, "reason"),
        "{}",
        r.json
    );
    // Not JSON at all.
    let bearer = format!("Bearer {}", w.handler);
    let r = send(
        &w.app,
        "POST",
        &path,
        &[("authorization", &bearer), ("content-type", "text/plain")],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.error(), "unsupported_media_type");
});

dbtest!(bodies_and_fields_are_bounded, |db| {
    let w = world(db).await;
    let path = w.applications();
    let before = w.application_count().await;
    let mut body = intake("post", "2024-09-27", "张三", RESIDENT_ID);
    body["description"] = json!("很".repeat(70 * 1024 / 3));
    let r = post(&w.app, &w.handler, &path, &body).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.json);
    assert_eq!(r.error(), "too_large");
    let mut body = intake("post", "2024-09-27", "张三", RESIDENT_ID);
    body["applicant"]["name"] = json!("张".repeat(101));
    let r = post(&w.app, &w.handler, &path, &body).await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "applicant.name")
    );
    assert!(r.message().contains("100"), "{}", r.message());
    let mut body = intake("post", "2024-09-27", "张三", RESIDENT_ID);
    body["applicant"]["address"] = json!("海拉尔\u{0}区");
    let r = post(&w.app, &w.handler, &path, &body).await;
    assert_eq!(r.field(), "applicant.address");
    assert!(r.message().contains("控制字符"));
    let mut body = intake("post", "2024-09-27", "张三", RESIDENT_ID);
    body["delivery"] = json!(["paper", "e,mail"]);
    let r = post(&w.app, &w.handler, &path, &body).await;
    assert_eq!(r.field(), "delivery[1]");
    assert_eq!(w.application_count().await, before);
});

// --- Intake --------------------------------------------------------------------------------

dbtest!(
    art29_a_wrong_id_check_digit_is_422_and_writes_nothing,
    |db| {
        let w = world(db).await;
        let applications = w.application_count().await;
        let audit = w.app.db.audit_count().await.unwrap();
        // 11010519491231002X with its last character changed.
        let r = post(
            &w.app,
            &w.handler,
            &w.applications(),
            &intake("post", "2024-09-27", "张三", "110105194912310021"),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.json);
        assert_eq!((r.error(), r.field()), ("invalid", "applicant.id_number"));
        assert!(r.message().contains("校验位"), "{}", r.message());
        assert_eq!(w.application_count().await, applications);
        assert_eq!(w.app.db.audit_count().await.unwrap(), audit);
        // A 统一社会信用代码 is checked too (GB 32100-2015).
        let mut body = intake(
            "post",
            "2024-09-27",
            "某某科技有限公司",
            "91350100M000100Y44",
        );
        body["applicant"]["kind"] = json!("commercial");
        body["applicant"]["id_type"] = json!("credit_code");
        let r = post(&w.app, &w.handler, &w.applications(), &body).await;
        assert_eq!(r.field(), "applicant.id_number", "{}", r.json);
        body["applicant"]["id_number"] = json!("91350100M000100Y43");
        let r = post(&w.app, &w.handler, &w.applications(), &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        assert_eq!(r.json["applicant"]["name"], "某某科技有限公司");
        // Art. 31: the receipt date cannot be after today (the test clock: 2026-01-05).
        let r = post(
            &w.app,
            &w.handler,
            &w.applications(),
            &intake("post", "2026-01-06", "张三", RESIDENT_ID),
        )
        .await;
        assert_eq!(r.field(), "received");
        // Art. 29 ¶2 (二): what is sought must be described.
        let mut body = intake("post", "2024-09-27", "张三", RESIDENT_ID);
        body["description"] = json!("  ");
        let r = post(&w.app, &w.handler, &w.applications(), &body).await;
        assert_eq!(r.field(), "description");
        // An administrator views cases but does not handle them.
        let r = post(
            &w.app,
            &w.admin,
            &w.applications(),
            &intake("post", "2024-09-27", "张三", RESIDENT_ID),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(w.application_count().await, applications + 1);
    }
);

// --- Closing a case ------------------------------------------------------------------------

dbtest!(
    art36_a_reply_closes_the_case_as_gongkai_clock_reports_it,
    |db| {
        let w = world(db).await;
        let id = w.received("post", "2024-09-27", "张三").await;
        let r = w
            .step(
                &w.head,
                id,
                json!({"date": "2024-10-25", "event": "extension_approved", "days": 20}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        // A reply needs exactly one outcome.
        let r = w
            .step(
                &w.handler,
                id,
                json!({"date": "2024-11-20", "event": "replied"}),
            )
            .await;
        assert_eq!(
            (r.status, r.field()),
            (StatusCode::UNPROCESSABLE_ENTITY, "outcome"),
            "{}",
            r.json
        );
        let r = w
            .step(
                &w.handler,
                id,
                json!({"date": "2024-11-20", "event": "replied", "outcome": "perhaps"}),
            )
            .await;
        assert_eq!(r.field(), "outcome");
        let r = w
            .step(
                &w.handler,
                id,
                json!({"date": "2024-11-20", "event": "replied", "outcome": "partly_disclosed"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        assert_eq!(r.json["status"], "closed");
        assert_eq!(r.json["outcome"], "partly_disclosed");
        assert_eq!(r.json["report_row"], "partially_granted");
        assert_eq!(r.json["closed"], "2024-11-20");
        // The clock's fields are exactly those `gongkai clock --json` prints for the same events.
        let events: Vec<gongkai_core::clock::CaseEvent> = r.json["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| {
                let e: EventJson = serde_json::from_value(e.clone()).unwrap();
                e.parse().unwrap().case_event()
            })
            .collect();
        let cal = w.app.db.calendar().await.unwrap();
        let today = gongkai_core::calendar::parse_date("2026-01-05").unwrap();
        let report = gongkai_core::clock::application_clock(
            &cal,
            gongkai_core::clock::ClockConfig::default(),
            &events,
            today,
        )
        .unwrap();
        let expected = gongkai_web::cases::clock_json(&report);
        for (key, value) in expected.as_object().unwrap() {
            assert_eq!(&r.json[key], value, "{key}");
        }
        // Closed: nothing but recording a delivery remains.
        assert_eq!(r.json["actions"], json!(["notice_delivered"]));
        let r = w
        .step(&w.handler, id, json!({"date": "2024-11-21", "event": "correction_requested", "deadline": "2024-12-01", "items": ["证件"]}))
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.json);
    }
);

dbtest!(
    art30_an_impossible_sequence_is_422_or_409_with_a_chinese_reason,
    |db| {
        let w = world(db).await;
        let id = w.received("in_person", "2025-12-01", "张三").await;
        // An event before the receipt date.
        let r = w
            .step(
                &w.handler,
                id,
                json!({"date": "2025-11-30", "event": "replied", "outcome": "disclosed"}),
            )
            .await;
        assert_eq!(
            (r.status, r.field()),
            (StatusCode::UNPROCESSABLE_ENTITY, "date"),
            "{}",
            r.json
        );
        // An event after today.
        let r = w
            .step(
                &w.handler,
                id,
                json!({"date": "2026-01-06", "event": "replied", "outcome": "disclosed"}),
            )
            .await;
        assert_eq!(r.field(), "date");
        // Art. 30: a 补正 request must set a deadline.
        let r = w
        .step(&w.handler, id, json!({"date": "2025-12-02", "event": "correction_requested", "items": ["身份证明"]}))
        .await;
        assert_eq!(r.field(), "deadline", "{}", r.json);
        // A correction received without a request: the state does not allow it.
        let r = w
            .step(
                &w.handler,
                id,
                json!({"date": "2025-12-02", "event": "correction_received"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.json);
        assert!(!r.message().is_empty());
        // An event staff cannot record.
        let r = w
            .step(
                &w.handler,
                id,
                json!({"date": "2025-12-02", "event": "received", "channel": "post"}),
            )
            .await;
        assert_eq!(
            (r.status, r.field()),
            (StatusCode::UNPROCESSABLE_ENTITY, "event")
        );
    }
);

// --- The queue and masking -----------------------------------------------------------------

dbtest!(
    the_queue_filters_by_status_and_due_before_and_masks_applicants,
    |db| {
        let w = world(db).await;
        let late = w.received("in_person", "2025-12-20", "王五").await;
        let early = w.received("in_person", "2025-12-01", "张三").await;
        let closed = w.received("in_person", "2025-11-03", "李四").await;
        let r = w
            .step(
                &w.handler,
                closed,
                json!({"date": "2025-11-10", "event": "replied", "outcome": "disclosed"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        let ids = |r: &Reply| -> Vec<i64> {
            r.json["applications"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_i64().unwrap())
                .collect()
        };
        let all = get(&w.app, &w.handler, &w.applications()).await;
        assert_eq!(all.status, StatusCode::OK, "{}", all.json);
        // By due date, open cases first.
        assert_eq!(ids(&all), vec![early, late, closed]);
        let first = &all.json["applications"][0];
        assert_eq!(first["applicant"]["name"], "张*");
        assert_eq!(first["applicant"]["masked"], true);
        assert_ne!(first["applicant"]["id_number"], RESIDENT_ID);
        assert!(first["applicant"]["email"].is_null());
        let open = get(
            &w.app,
            &w.handler,
            &format!("{}?status=open", w.applications()),
        )
        .await;
        assert_eq!(ids(&open), vec![early, late]);
        let done = get(
            &w.app,
            &w.handler,
            &format!("{}?status=closed", w.applications()),
        )
        .await;
        assert_eq!(ids(&done), vec![closed]);
        let early_due = all.json["applications"][0]["due"]
            .as_str()
            .unwrap()
            .to_owned();
        let late_due = all.json["applications"][1]["due"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(early_due < late_due);
        let before = get(
            &w.app,
            &w.handler,
            &format!("{}?status=open&due_before={late_due}", w.applications()),
        )
        .await;
        assert_eq!(ids(&before), vec![early]);
        let r = get(
            &w.app,
            &w.handler,
            &format!("{}?status=lost", w.applications()),
        )
        .await;
        assert_eq!(
            (r.status, r.field()),
            (StatusCode::UNPROCESSABLE_ENTITY, "status")
        );
        let r = get(
            &w.app,
            &w.handler,
            &format!("{}?due_before=2026-13-01", w.applications()),
        )
        .await;
        assert_eq!(r.field(), "due_before");
        let r = get(&w.app, &w.handler, &format!("{}?page=2", w.applications())).await;
        assert_eq!((r.status, r.field()), (StatusCode::BAD_REQUEST, "page"));
        // An administrator views the queue and a case, masked; the handler sees the case in full.
        let r = get(&w.app, &w.admin, &w.applications()).await;
        assert_eq!(r.status, StatusCode::OK);
        let masked = get(&w.app, &w.admin, &w.case(early)).await;
        assert_eq!(masked.status, StatusCode::OK);
        assert_eq!(masked.json["applicant"]["name"], "张*");
        assert_eq!(masked.json["applicant"]["id_number"], "1101**********002X");
        assert!(masked.json["applicant"]["address"].is_null());
        assert_eq!(masked.json["actions"], json!([]));
        let full = get(&w.app, &w.handler, &w.case(early)).await;
        assert_eq!(full.json["applicant"]["name"], "张三");
        assert_eq!(full.json["applicant"]["id_number"], RESIDENT_ID);
        assert_eq!(full.json["applicant"]["phone"], "13800138000");
    }
);

dbtest!(
    assignment_names_the_handler_and_stays_within_the_organ,
    |db| {
        let w = world(db).await;
        let id = w.received("in_person", "2025-12-01", "张三").await;
        let r = w
        .step(&w.head, id, json!({"date": "2025-12-02", "event": "assigned", "to": w.handler_id, "to_name": "冒名"}))
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        assert_eq!(r.json["assignee"]["id"], w.handler_id);
        assert_eq!(r.json["assignee"]["name"], "chengban");
        let last = r.json["events"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["to_name"], "chengban", "the server names the assignee");
        let r = w
            .step(
                &w.head,
                id,
                json!({"date": "2025-12-02", "event": "assigned", "to": w.other_handler_id}),
            )
            .await;
        assert_eq!(
            (r.status, r.field()),
            (StatusCode::UNPROCESSABLE_ENTITY, "to"),
            "{}",
            r.json
        );
    }
);

// --- Appeals -------------------------------------------------------------------------------

dbtest!(appeals_are_recorded_for_table_four_and_validated, |db| {
    let w = world(db).await;
    let id = w.received("in_person", "2025-06-02", "张三").await;
    let path = format!("/api/v1/organs/{}/appeals", w.organ);
    let body = json!({
        "kind": "reconsideration",
        "application_id": id,
        "filed": "2025-08-01",
        "result": "corrected",
        "decided": "2025-10-10",
        "body": "呼伦贝尔市人民政府"
    });
    let r = post(&w.app, &w.handler, &path, &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["kind_label"], "行政复议");
    assert_eq!(r.json["result_label"], "结果纠正");
    assert_eq!(r.json["application_number"], "YSQ-2025-0001");
    let list = get(&w.app, &w.admin, &path).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json["appeals"].as_array().unwrap().len(), 1);
    // 表四: a decided case needs its date; a pending one has none.
    let mut bad = body.clone();
    bad.as_object_mut().unwrap().remove("decided");
    let r = post(&w.app, &w.handler, &path, &bad).await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "decided"),
        "{}",
        r.json
    );
    let mut bad = body.clone();
    bad["kind"] = json!("complaint");
    assert_eq!(post(&w.app, &w.handler, &path, &bad).await.field(), "kind");
    let mut bad = body.clone();
    bad["filed"] = json!("2026-02-01");
    assert_eq!(post(&w.app, &w.handler, &path, &bad).await.field(), "filed");
    // Another organ's application cannot be linked, and is not revealed.
    let theirs = format!("/api/v1/organs/{}/appeals", w.other);
    let r = post(&w.app, &w.other_handler, &theirs, &body).await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "application_id")
    );
    assert_eq!(
        get(&w.app, &w.other_handler, &path).await.status,
        StatusCode::NOT_FOUND
    );
    // Administrators do not record appeals.
    assert_eq!(
        post(&w.app, &w.admin, &path, &body).await.status,
        StatusCode::FORBIDDEN
    );
    let list = get(&w.app, &w.handler, &path).await;
    assert_eq!(list.json["appeals"].as_array().unwrap().len(), 1);
});

// --- Audit ---------------------------------------------------------------------------------

dbtest!(
    every_write_is_audited_as_the_token_user_and_refusals_write_nothing,
    |db| {
        let w = world(db).await;
        let id = w.received("post", "2024-09-27", "张三").await;
        let r = w
            .step(
                &w.head,
                id,
                json!({"date": "2024-10-25", "event": "extension_approved", "days": 20}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let r = post(
            &w.app,
            &w.handler,
            &format!("/api/v1/organs/{}/appeals", w.organ),
            &json!({"kind": "litigation_direct", "filed": "2025-01-10", "result": "pending"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        let log = w
            .app
            .db
            .audit_log(OrganScope::system(w.organ), 100, 0)
            .await
            .unwrap();
        let rows: Vec<(String, String)> = log
            .iter()
            .filter(|e| !e.actor_name.starts_with("system:"))
            .map(|e| (e.action.clone(), e.actor_name.clone()))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("appeal.create".to_owned(), "chengban".to_owned()),
                ("application.event".to_owned(), "fuzeren".to_owned()),
                ("application.create".to_owned(), "chengban".to_owned()),
            ]
        );
        // No personal data beyond the masked name in the audit log.
        let created = log
            .iter()
            .find(|e| e.action == "application.create")
            .unwrap();
        assert!(
            !created
                .after
                .as_ref()
                .unwrap()
                .to_string()
                .contains(RESIDENT_ID)
        );
        let count = w.app.db.audit_count().await.unwrap();
        let refusals = [
            w.step(
                &w.handler,
                id,
                json!({"date": "2024-11-01", "event": "extension_approved"}),
            )
            .await
            .status,
            w.step(
                &w.head,
                id,
                json!({"date": "2024-11-01", "event": "extension_approved"}),
            )
            .await
            .status,
            w.step(
                &w.head,
                id,
                json!({"date": "2024-11-01", "event": "replied"}),
            )
            .await
            .status,
            w.step(
                &w.other_handler,
                id,
                json!({"date": "2024-11-01", "event": "fee_paid"}),
            )
            .await
            .status,
            post(
                &w.app,
                &w.admin,
                &w.applications(),
                &intake("post", "2024-09-27", "张三", RESIDENT_ID),
            )
            .await
            .status,
        ];
        assert_eq!(
            refusals,
            [
                StatusCode::FORBIDDEN,
                StatusCode::CONFLICT,
                StatusCode::UNPROCESSABLE_ENTITY,
                StatusCode::NOT_FOUND,
                StatusCode::FORBIDDEN
            ]
        );
        assert_eq!(w.app.db.audit_count().await.unwrap(), count);
    }
);

// --- The OpenAPI document ------------------------------------------------------------------

/// Every route of spec/api.md's Applications section, and the document itself.
const SPEC_ROUTES: [(&str, &str); 13] = [
    ("post", "/organs/{organ_id}/applications"),
    ("get", "/organs/{organ_id}/applications"),
    ("get", "/organs/{organ_id}/applications/{id}"),
    ("post", "/organs/{organ_id}/applications/{id}/events"),
    ("post", "/organs/{organ_id}/appeals"),
    ("get", "/organs/{organ_id}/appeals"),
    ("post", "/organs/{organ_id}/items"),
    ("get", "/organs/{organ_id}/items"),
    ("get", "/organs/{organ_id}/items/{id}"),
    ("post", "/organs/{organ_id}/items/{id}/transitions"),
    ("get", "/organs/{organ_id}/reports/{year}/computed"),
    ("get", "/organs/{organ_id}/reports/{year}"),
    ("get", "/openapi.json"),
];

fn schema_properties(doc: &Value, name: &str) -> BTreeSet<String> {
    let schema = &doc["components"]["schemas"][name];
    let mut out = BTreeSet::new();
    let parts: Vec<&Value> = match schema["allOf"].as_array() {
        Some(all) => all.iter().collect(),
        None => vec![schema],
    };
    for part in parts {
        let part = match part["$ref"].as_str() {
            Some(r) => &doc["components"]["schemas"][r.rsplit('/').next().unwrap()],
            None => part,
        };
        if let Some(props) = part["properties"].as_object() {
            out.extend(props.keys().cloned());
        }
    }
    out
}

dbtest!(
    the_openapi_document_lists_every_route_with_its_schemas,
    |db| {
        let w = world(db).await;
        let r = send(&w.app, "GET", "/api/v1/openapi.json", &[], None).await;
        assert_eq!(r.status, StatusCode::OK);
        let doc = r.json;
        assert!(
            doc["openapi"].as_str().unwrap().starts_with("3.1."),
            "{}",
            doc["openapi"]
        );
        assert_eq!(doc["servers"][0]["url"], "/api/v1");
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["type"],
            "http"
        );
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
        let documented: BTreeSet<(String, String)> = doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .unwrap()
                    .keys()
                    .map(move |method| (method.clone(), path.clone()))
            })
            .collect();
        let spec: BTreeSet<(String, String)> = SPEC_ROUTES
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        assert_eq!(documented, spec);
        // Each documented operation is a route of the router: without a token it is 401 (or,
        // for the document, 200) — never 404 or 405.
        // The published annual report is public, as its portal page is: published through the
        // report door, it is there without a token.
        let mut report: Value = serde_json::from_str(gongkai_web::demo::DEMO_REPORT_JSON).unwrap();
        report["agency"] = "呼伦贝尔经济技术开发区管理委员会".into();
        gongkai_web::annual::publish_document(
            &w.app.db,
            &Actor::system("test"),
            OrganScope::system(w.organ),
            START,
            w.app.state.today(),
            &report,
            None,
        )
        .await
        .unwrap();
        for (method, path) in &documented {
            let op = &doc["paths"][path][method];
            let url = format!(
                "/api/v1{}",
                path.replace("{organ_id}", &w.organ.to_string())
                    .replace("{id}", "1")
                    .replace("{year}", "2022")
            );
            let body = (method == "post").then(|| "{}".to_owned());
            let r = send(&w.app, &method.to_uppercase(), &url, &[], body).await;
            let public = path == "/openapi.json" || path.ends_with("/reports/{year}");
            let expected = if public {
                StatusCode::OK
            } else {
                StatusCode::UNAUTHORIZED
            };
            assert_eq!(r.status, expected, "{method} {path}");
            assert!(op["responses"].as_object().unwrap().len() >= 2 || path == "/openapi.json");
            if path.ends_with("/reports/{year}") {
                assert_eq!(r.json["year"], 2022);
                assert_eq!(r.json["agency"], "呼伦贝尔经济技术开发区管理委员会");
            }
            if method == "post" {
                let schema = &op["requestBody"]["content"]["application/json"]["schema"];
                assert!(schema["$ref"].is_string(), "{method} {path}: {schema}");
            }
        }
        // What the API answers has exactly the properties its schema lists.
        let id = w.received("post", "2024-09-27", "张三").await;
        let shown = get(&w.app, &w.handler, &w.case(id)).await;
        let keys: BTreeSet<String> = shown.json.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, schema_properties(&doc, "ApplicationView"));
        let error = get(&w.app, &w.handler, "/api/v1/organs/999999/applications").await;
        let keys: BTreeSet<String> = error.json.as_object().unwrap().keys().cloned().collect();
        let mut listed = schema_properties(&doc, "ErrorBody");
        listed.remove("field");
        assert_eq!(keys, listed);
        // Unknown paths and methods under /api/v1 answer in the envelope too.
        let r = get(&w.app, &w.handler, "/api/v1/nothing-here").await;
        assert_eq!((r.status, r.error()), (StatusCode::NOT_FOUND, "not_found"));
        let r = send(&w.app, "DELETE", &w.applications(), &[], None).await;
        assert_eq!(
            (r.status, r.error()),
            (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
        );
    }
);
