//! `WebError`: every way a request can fail, each with its HTTP status and its Chinese sentence.
//!
//! | variant | status | what the visitor reads |
//! |---|---|---|
//! | `NotFound` | 404 | 您访问的页面不存在，可能已被删除或地址有误。 |
//! | `LoginRequired` | 303 → `/login` | (the login page) |
//! | `Forbidden` | 403 | 您没有权限访问该页面或执行该操作。 |
//! | `CsrfRejected` | 403 | 页面已过期或请求来源不明，请返回上一页，刷新后重新提交。 |
//! | `BadForm` | 400 | 提交的内容格式不正确，请返回检查后重新提交。 |
//! | `Invalid` | 422 | the field's own sentence (too long, a control character, …) |
//! | `Conflict` | 409 | the sentence given (the case's state does not allow the step, …) |
//! | `TooLarge` | 413 | 提交的内容过大，请精简后重新提交。 |
//! | `Busy` | 429 | the sentence given (too many logins at once, …) |
//! | `Unavailable` | 503 | 系统暂时无法处理您的请求，请稍后再试。如需咨询，请提供编号 …。 |
//! | `Internal` | 500 | 系统暂时无法处理您的请求，请稍后再试。如需咨询，请提供编号 …。 |
//!
//! The response carries an [`ErrorPage`] extension and no body; the `render_errors`
//! middleware of the router turns it into a full page with the site's header and footer. An
//! internal error's detail goes only to the log, with the same reference number.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_store::StoreError;

/// A request that failed.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No such page or record.
    #[error("not found")]
    NotFound,
    /// The console needs a logged-in staff member; `next` is where to return.
    #[error("login required")]
    LoginRequired {
        /// The path to return to after login.
        next: String,
    },
    /// Logged in, but no role allows this on this organ.
    #[error("forbidden")]
    Forbidden,
    /// A POST without the right CSRF token.
    #[error("csrf token missing or wrong")]
    CsrfRejected,
    /// A form or query that could not be read.
    #[error("bad form: {0}")]
    BadForm(String),
    /// A field that breaks its bound; the sentence names the field.
    #[error("invalid: {0}")]
    Invalid(String),
    /// The record's state does not allow the step (a second extension, an issued notice).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A request body over the configured size.
    #[error("request body too large")]
    TooLarge,
    /// Refused for now, to protect the server; the sentence says what to do.
    #[error("busy: {0}")]
    Busy(String),
    /// The database is unreachable.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Anything else; the detail is logged, never shown.
    #[error("internal: {0}")]
    Internal(String),
}

/// What the error-page middleware needs to render a page.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    /// Status of the response.
    pub status: StatusCode,
    /// The Chinese sentence.
    pub message: String,
}

impl WebError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::LoginRequired { .. } => StatusCode::SEE_OTHER,
            WebError::Forbidden | WebError::CsrfRejected => StatusCode::FORBIDDEN,
            WebError::BadForm(_) => StatusCode::BAD_REQUEST,
            WebError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::Busy(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The sentence shown to the visitor (`reference` identifies the log line).
    pub fn message(&self, reference: &str) -> String {
        match self {
            WebError::NotFound => "您访问的页面不存在，可能已被删除或地址有误。".into(),
            WebError::LoginRequired { .. } => "请先登录。".into(),
            WebError::Forbidden => "您没有权限访问该页面或执行该操作。".into(),
            WebError::CsrfRejected => {
                "页面已过期或请求来源不明，请返回上一页，刷新后重新提交。".into()
            }
            WebError::BadForm(_) => "提交的内容格式不正确，请返回检查后重新提交。".into(),
            WebError::Invalid(message) | WebError::Busy(message) | WebError::Conflict(message) => {
                message.clone()
            }
            WebError::TooLarge => "提交的内容过大，请精简后重新提交。".into(),
            WebError::Unavailable(_) | WebError::Internal(_) => {
                format!("系统暂时无法处理您的请求，请稍后再试。如需咨询，请提供编号 {reference}。")
            }
        }
    }
}

impl From<StoreError> for WebError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(_) => WebError::NotFound,
            StoreError::Forbidden => WebError::Forbidden,
            StoreError::Unavailable(e) => WebError::Unavailable(e),
            StoreError::NotAllowed(message) => WebError::Conflict(message),
            StoreError::Invalid { message, .. } => WebError::Invalid(message),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<minijinja::Error> for WebError {
    fn from(err: minijinja::Error) -> Self {
        WebError::Internal(format!("template: {err:#}"))
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if let WebError::LoginRequired { next } = &self {
            let location = format!("/login?next={}", crate::site::url_encode(next));
            return (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
        }
        let reference = crate::auth::short_reference();
        match &self {
            WebError::Internal(detail) | WebError::Unavailable(detail) => {
                tracing::error!(reference = %reference, error = %detail, "request failed");
            }
            WebError::CsrfRejected => tracing::warn!("csrf token rejected"),
            _ => {}
        }
        let page = ErrorPage {
            status: self.status(),
            message: self.message(&reference),
        };
        let mut response = self.status().into_response();
        response.extensions_mut().insert(page);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_show_a_reference_and_no_detail() {
        let err = WebError::Internal("SELECT secret FROM users".into());
        let message = err.message("AB12CD34EF");
        assert_eq!(
            message,
            "系统暂时无法处理您的请求，请稍后再试。如需咨询，请提供编号 AB12CD34EF。"
        );
        assert!(!message.contains("SELECT"));
        let response = err.into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let page = response.extensions().get::<ErrorPage>().unwrap();
        assert!(!page.message.contains("secret"));
    }

    #[test]
    fn login_required_redirects_back_after_login() {
        let response = WebError::LoginRequired {
            next: "/console/organs/1?page=2".into(),
        }
        .into_response();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()[header::LOCATION],
            "/login?next=/console/organs/1%3Fpage%3D2"
        );
    }
}
