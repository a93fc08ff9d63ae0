//! Operations: `/healthz`, `/metrics`, the 404 fallback, and the middleware that observes
//! every request and renders error pages.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use minijinja::context;

use crate::error::ErrorPage;
use crate::site::{PageRequest, SiteIdentity};
use crate::{AppState, WebError, cookies};

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(err) => {
            tracing::error!(error = %err, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

/// Whether a request may read `/metrics`: with the configured bearer token, or, when none is
/// configured, only straight from the loopback interface with no forwarding header at all (a
/// reverse proxy on the same host relays the public with one of them, whichever it uses).
fn may_read_metrics(state: &AppState, request: &Request) -> bool {
    let headers = request.headers();
    let token = state.config.security.metrics_token.trim();
    if !token.is_empty() {
        let sent = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        return crate::auth::tokens_match(sent.trim(), token);
    }
    let relayed = headers
        .keys()
        .any(|name| is_forwarding_header(name.as_str()));
    let loopback = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|c| c.0.ip().is_loopback());
    loopback && !relayed
}

/// Headers by which proxies pass on who the client is or that they relayed the request.
fn is_forwarding_header(name: &str) -> bool {
    name.starts_with("x-forwarded-")
        || matches!(
            name,
            "forwarded"
                | "via"
                | "x-real-ip"
                | "x-client-ip"
                | "x-cluster-client-ip"
                | "true-client-ip"
                | "cf-connecting-ip"
                | "fastly-client-ip"
                | "x-original-forwarded-for"
        )
}

/// `GET /metrics`: Prometheus text, for the operator only (see [`may_read_metrics`]).
pub async fn metrics(State(state): State<AppState>, request: Request) -> Response {
    if !may_read_metrics(&state, &request) {
        return WebError::Forbidden.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(state.store.backend().name()),
    )
        .into_response()
}

/// Any path no route matches.
pub async fn not_found() -> WebError {
    WebError::NotFound
}

/// Counts and logs every request, and adds the security headers.
pub async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    // Pages of a staff session must not be kept by the browser or a proxy.
    let private = path == "/login" || path == "/logout" || path.starts_with("/console");
    let started = Instant::now();
    let mut response = next.run(request).await;
    let status = response.status().as_u16();
    state.metrics.response(status);
    tracing::info!(
        method = %method,
        path = %path,
        status,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "request"
    );
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; \
             base-uri 'none'; object-src 'none'",
        ),
    );
    if private {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config.security.secure_cookies {
        // Cookies marked Secure mean the site is served over HTTPS: keep browsers on it.
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// Turns a response carrying an [`ErrorPage`] into a full Chinese page with the site's frame.
pub async fn render_errors(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request
        .uri()
        .path_and_query()
        .map_or("/".to_owned(), |p| p.as_str().to_owned());
    let elder = cookies::get(request.headers(), cookies::ELDER).as_deref() == Some("1");
    let response = next.run(request).await;
    let page = match response.extensions().get::<ErrorPage>().cloned() {
        Some(page) => page,
        // axum's own refusals (405, a body too large, …) come as bare or plain-text
        // responses: they get the Chinese page too. /healthz, /metrics and /api/ answer machines.
        None if needs_page(&path, &response) => ErrorPage {
            status: response.status(),
            message: generic_message(response.status()).to_owned(),
        },
        None => return response,
    };
    // The error page must not fail in turn: without the database it uses a bare identity.
    let site = state
        .site_identity()
        .await
        .unwrap_or_else(|_| SiteIdentity::unconfigured());
    let heading = match page.status {
        StatusCode::NOT_FOUND => "页面不存在",
        StatusCode::FORBIDDEN => "无权访问",
        StatusCode::BAD_REQUEST
        | StatusCode::METHOD_NOT_ALLOWED
        | StatusCode::PAYLOAD_TOO_LARGE => "请求有误",
        _ => "系统繁忙",
    };
    let request = PageRequest {
        path,
        elder,
        staff: None,
    };
    let ctx = context! { heading => heading, message => page.message.clone() };
    match state.render_with_site(&site, &request, "error.html", heading, None, ctx) {
        Ok(html) => (page.status, html).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "error page failed to render");
            (
                page.status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                page.message,
            )
                .into_response()
        }
    }
}

/// Whether an error response that no handler dressed needs the Chinese error page.
fn needs_page(path: &str, response: &Response) -> bool {
    let status = response.status();
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // The JSON API answers machines in its own envelope (`api::error`).
    let machine =
        path.starts_with("/healthz") || path.starts_with("/metrics") || path.starts_with("/api/");
    (status.is_client_error() || status.is_server_error()) && !html && !machine
}

/// The sentence for an error status that carries no message of its own.
fn generic_message(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "您访问的页面不存在，可能已被删除或地址有误。",
        StatusCode::METHOD_NOT_ALLOWED => "该页面不支持这种请求方式，请返回后重新操作。",
        StatusCode::PAYLOAD_TOO_LARGE => "提交的内容过大，请精简后重新提交。",
        s if s.is_server_error() => "系统暂时无法处理您的请求，请稍后再试。",
        _ => "请求有误，请返回检查后重新提交。",
    }
}
