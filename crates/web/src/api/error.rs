//! The API's one error envelope: `{"error": CODE, "message": "中文说明", "field": PATH?}`.
//!
//! | code | status | when |
//! |---|---|---|
//! | `malformed` | 400 | the body is not JSON, or a query cannot be read |
//! | `unknown_field` | 400 | a field the request type does not have (`field` names it) |
//! | `unauthorized` | 401 | no bearer token, or one that is unknown, revoked or of an inactive account |
//! | `forbidden` | 403 | a role on the organ, but none that allows this |
//! | `not_found` | 404 | no such record, or none visible to the caller (no role on its organ) |
//! | `method_not_allowed` | 405 | the path exists, the method does not |
//! | `conflict` | 409 | the record's state does not allow the step (a second extension) |
//! | `too_large` | 413 | a body over 64 KiB |
//! | `unsupported_media_type` | 415 | a body that is not `application/json` |
//! | `invalid` | 422 | well formed but invalid: a bound, a 身份证 check digit, an impossible sequence |
//! | `unavailable` | 503 | the database cannot be reached |
//! | `internal` | 500 | anything else; the detail goes only to the log, with the reference shown |

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The JSON body of every refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable English code (see the module table).
    #[schema(example = "invalid")]
    pub error: &'static str,
    /// What is wrong and what to do, in Chinese.
    #[schema(example = "身份证号码校验位不正确，请核对最后一位")]
    pub message: String,
    /// The JSON path of the field at fault, where one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "applicant.id_number")]
    pub field: Option<String>,
}

/// A refused API request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The status.
    pub status: StatusCode,
    /// The body.
    pub body: ErrorBody,
}

impl ApiError {
    fn new(status: StatusCode, error: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: ErrorBody {
                error,
                message: message.into(),
                field: None,
            },
        }
    }

    /// The same error, naming the field at fault.
    pub fn at(mut self, field: impl Into<String>) -> ApiError {
        self.body.field = Some(field.into());
        self
    }

    /// 400: the request cannot be read.
    pub fn malformed(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed", message)
    }

    /// 400: a field the request does not have.
    pub fn unknown_field(path: &str) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "unknown_field",
            format!("不认识的字段“{path}”，请对照接口文档（/api/v1/openapi.json）检查。"),
        )
        .at(path)
    }

    /// 401: no usable token.
    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "缺少有效的 API 令牌：请在请求头中提供 Authorization: Bearer 令牌（令牌可能已被撤销，或账户已停用）。",
        )
    }

    /// 403: a role on the organ, but not one that allows this.
    pub fn forbidden() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "您在本机关的角色不允许执行该操作。",
        )
    }

    /// 404: nothing there, or nothing the caller may know of.
    pub fn not_found() -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "未找到该记录，或您无权查看。",
        )
    }

    /// 405.
    pub fn method_not_allowed() -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "该地址不支持这种请求方式。",
        )
    }

    /// 409: the state does not allow it; the sentence says why.
    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }

    /// 413.
    pub fn too_large() -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "请求内容过大（最多 64 KiB），请精简后重新提交。",
        )
    }

    /// 415: only JSON bodies are read.
    pub fn unsupported_media_type() -> ApiError {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请求内容须为 JSON（Content-Type: application/json）。",
        )
    }

    /// 422 at `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message).at(field)
    }

    /// 500 or 503: the detail is logged with a reference, never sent.
    pub fn internal(detail: &str, unavailable: bool) -> ApiError {
        let reference = crate::auth::short_reference();
        tracing::error!(reference = %reference, error = %detail, "api request failed");
        let (status, code) = if unavailable {
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        } else {
            (StatusCode::INTERNAL_SERVER_ERROR, "internal")
        };
        ApiError::new(
            status,
            code,
            format!("系统暂时无法处理您的请求，请稍后再试。如需咨询，请提供编号 {reference}。"),
        )
    }

    /// The error for a bare status that no handler dressed (axum's own 404, 405, …).
    pub fn for_status(status: StatusCode) -> ApiError {
        match status {
            StatusCode::NOT_FOUND => ApiError::not_found(),
            StatusCode::METHOD_NOT_ALLOWED => ApiError::method_not_allowed(),
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::too_large(),
            StatusCode::UNAUTHORIZED => ApiError::unauthorized(),
            StatusCode::FORBIDDEN => ApiError::forbidden(),
            s if s.is_server_error() => ApiError::internal(&format!("status {s}"), false),
            s => ApiError::new(s, "malformed", "请求有误，请对照接口文档检查。"),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(_) => ApiError::not_found(),
            StoreError::Forbidden => ApiError::forbidden(),
            StoreError::NotAllowed(message) => ApiError::conflict(message),
            StoreError::Invalid { field, message } => ApiError::invalid(field, message),
            StoreError::Conflict(constraint) => {
                tracing::warn!(constraint = %constraint, "api write refused by a constraint");
                ApiError::conflict("该记录与已有记录冲突，请刷新后重试。")
            }
            StoreError::Unavailable(detail) => ApiError::internal(&detail, true),
            other => ApiError::internal(&other.to_string(), false),
        }
    }
}

impl From<crate::WebError> for ApiError {
    fn from(err: crate::WebError) -> Self {
        use crate::WebError as W;
        match err {
            W::NotFound => ApiError::not_found(),
            W::Forbidden | W::CsrfRejected => ApiError::forbidden(),
            W::Invalid(message) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
            }
            W::Conflict(message) => ApiError::conflict(message),
            W::TooLarge => ApiError::too_large(),
            W::Unavailable(detail) => ApiError::internal(&detail, true),
            other => ApiError::internal(&other.to_string(), false),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"gongkai\""),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_refusals_keep_their_status_and_field() {
        let e = ApiError::from(StoreError::Invalid {
            field: "outcome",
            message: "缺少 outcome".into(),
        });
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.body.field.as_deref(), Some("outcome"));
        let e = ApiError::from(StoreError::NotAllowed("答复期限只能延长一次".into()));
        assert_eq!(e.status, StatusCode::CONFLICT);
        assert_eq!(
            ApiError::from(StoreError::Forbidden).status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            ApiError::from(StoreError::NotFound("application")).status,
            StatusCode::NOT_FOUND
        );
    }

    #[test]
    fn internal_detail_is_never_sent() {
        let e = ApiError::from(StoreError::Other(
            "SELECT id_number FROM applications".into(),
        ));
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!e.body.message.contains("SELECT"));
        assert!(e.body.message.contains("编号"));
    }
}
