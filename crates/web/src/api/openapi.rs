//! The OpenAPI 3.1 document at `GET /api/v1/openapi.json`. It is generated, never written:
//! each handler's `#[utoipa::path]` registers its route and describes it in one place (the
//! route table of [`super::api`] is `utoipa_axum::routes!` over the handlers), the request and
//! response types derive their schemas, and [`ApiDoc`] adds the title, the server prefix and
//! the bearer scheme.

use std::sync::Arc;

use axum::Extension;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use super::error::ErrorBody;

/// The document's frame; the paths and their schemas come from the route table.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "gongkai API",
        description = "政府信息公开平台的 JSON 接口（/api/v1）。以 Authorization: Bearer 令牌认证\
（gongkai token create --user 用户名），令牌以其账户在各机关的角色行事。错误一律为 \
{\"error\", \"message\", \"field\"?}。日期为北京时间的 YYYY-MM-DD，时间为带时区的 RFC 3339。"
    ),
    servers((url = "/api/v1", description = "本站")),
    modifiers(&BearerScheme),
    security(("bearer" = [])),
    tags(
        (name = "applications", description = "依申请公开：登记、队列、期限与办理步骤"),
        (name = "appeals", description = "行政复议、行政诉讼（年报表四）"),
        (name = "items", description = "主动公开：信息、发布前审核与发布"),
        (name = "reports", description = "政府信息公开工作年度报告：按记录计算的表格（需令牌），已发布的报告（公开，无需令牌）"),
        (name = "meta", description = "本文档")
    ),
    components(schemas(ErrorBody, EventDoc))
)]
pub struct ApiDoc;

/// Adds the `bearer` security scheme.
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "工作人员的 API 令牌（gongkai token create），数据库只保存其散列值。",
                    ))
                    .build(),
            ),
        );
    }
}

/// One event of a case, in the format of `gongkai clock` (the store's `EventJson`, which
/// reads and writes it; a test checks that this description has exactly its fields).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
#[schema(
    example = json!({"date": "2024-10-25", "event": "extension_approved", "days": 20}),
    title = "EVENT"
)]
pub struct EventDoc {
    /// `YYYY-MM-DD`, not after today.
    pub date: String,
    /// `correction_requested`, `correction_received`, `correction_lapsed`,
    /// `consultation_started`, `consultation_answered`, `extension_requested`,
    /// `extension_approved` (负责人 only), `extension_refused` (负责人 only),
    /// `fee_notice_sent`, `fee_paid`, `fee_lapsed`, `replied` (with `outcome`), `assigned`,
    /// `notice_delivered`; in a case's ledger also `received` and `calendar_recomputed`.
    pub event: String,
    /// `received`: `in_person`, `post`, `letter`, `online`, `email`, `fax`.
    pub channel: Option<String>,
    /// `correction_requested`: the 补正期限 (required for a new request).
    pub deadline: Option<String>,
    /// Consultations: `third_party` or `other_organ`.
    pub party: Option<String>,
    /// Consultations: the party's name.
    pub name: Option<String>,
    /// Extensions: working days (default 20, at most 20).
    pub days: Option<u32>,
    /// `extension_approved`: who approved (default: the caller).
    pub approver: Option<String>,
    /// `fee_notice_sent`: the amount in yuan.
    pub yuan: Option<u64>,
    /// `fee_notice_sent`: the day the applicant received the notice.
    pub delivered: Option<String>,
    /// `replied`: a key of `gongkai_core::outcome::OUTCOMES` (exactly one).
    pub outcome: Option<String>,
    /// `assigned`: the handler's account id.
    pub to: Option<i64>,
    /// `assigned`: the handler's name (filled in by the server).
    pub to_name: Option<String>,
    /// `notice_delivered`: the notice.
    pub notice_id: Option<i64>,
    /// `notice_delivered`: how (当面, 邮寄, 电子邮件, …).
    pub method: Option<String>,
    /// `calendar_recomputed`: the year whose notice was entered.
    pub year: Option<i32>,
    /// `calendar_recomputed`: the due date before.
    pub before: Option<String>,
    /// `calendar_recomputed`: the due date after.
    pub after: Option<String>,
    /// `correction_requested`: what to correct, one item each.
    pub items: Vec<String>,
    /// A reason or note (`extension_requested`: the reason).
    pub note: String,
}

/// The generated document, as served.
#[derive(Debug, Clone)]
pub struct Document(pub Arc<String>);

/// The OpenAPI 3.1 document of this API (no token needed).
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "meta",
    security(()),
    responses((status = 200, description = "OpenAPI 3.1 文档", content_type = "application/json"))
)]
pub async fn document(Extension(document): Extension<Document>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        document.0.as_str().to_owned(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use gongkai_store::ledger::EventJson;

    use super::*;

    /// The keys of a JSON object.
    fn keys(value: serde_json::Value) -> BTreeSet<String> {
        value
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_event_description_has_exactly_the_fields_of_the_ledger_codec() {
        let full = EventJson {
            date: "2024-10-25".into(),
            event: "extension_approved".into(),
            channel: Some(String::new()),
            deadline: Some(String::new()),
            party: Some(String::new()),
            name: Some(String::new()),
            days: Some(20),
            approver: Some(String::new()),
            yuan: Some(1),
            delivered: Some(String::new()),
            outcome: Some(String::new()),
            to: Some(1),
            to_name: Some(String::new()),
            notice_id: Some(1),
            method: Some(String::new()),
            year: Some(2027),
            before: Some(String::new()),
            after: Some(String::new()),
            items: vec![String::new()],
            note: "x".into(),
        };
        let codec = keys(serde_json::to_value(full).unwrap());
        let described = keys(serde_json::to_value(EventDoc::default()).unwrap());
        assert_eq!(codec, described);
    }
}
