//! Staff log-in and log-out. The log-in form is protected by a double-submit token (cookie
//! `gk_csrf` equal to the form's `csrf`) that the server signed ([`crate::auth::LoginCsrf`]);
//! repeated wrong passwords lock the login name for a while for the addresses that tried it
//! (`gongkai_store::throttle`). A name that cannot be an account is refused before the
//! database is touched, and password hashes run under a bound ([`crate::auth::Passwords`]).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_store::Actor;
use gongkai_store::throttle::{Admission, LockState};
use minijinja::context;
use serde::Deserialize;

use super::{WebForm, WebQuery};
use crate::auth::{CurrentStaff, tokens_match};
use crate::site::{PageRequest, safe_next};
use crate::throttle::ClientAddr;
use crate::validate::{self, Bound, Bounded};
use crate::{AppState, WebError, cookies};

/// The query of `GET /login`.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
}

impl Bounded for LoginQuery {
    const FIELDS: &'static [Bound] = &[Bound::line("next", "返回地址", 512)];
}

/// The log-in form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

impl Bounded for LoginForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("username", "用户名", 32),
        Bound::line("password", "密码", 256),
        Bound::line("next", "返回地址", 512),
    ];
}

/// A minute count for the lock message, rounded up.
fn minutes_left(until: i64, now: i64) -> i64 {
    ((until - now).max(1) + 59) / 60
}

/// The sentence shown while a login name is locked.
pub fn locked_message(until: i64, now: i64) -> String {
    format!(
        "密码连续输入错误次数过多，账户已被临时锁定，请于{}分钟后再试。",
        minutes_left(until, now)
    )
}

/// What the log-in page shows.
struct LoginPage<'a> {
    csrf: &'a str,
    /// Whether the token is new and must be set as a cookie.
    set_cookie: bool,
    username: &'a str,
    next: &'a str,
    error: Option<String>,
}

async fn render_form(
    state: &AppState,
    request: &PageRequest,
    status: StatusCode,
    form: LoginPage<'_>,
) -> Result<Response, WebError> {
    let LoginPage {
        csrf,
        set_cookie,
        username,
        next,
        error,
    } = form;
    let page = context! { csrf => csrf, username => username, next => next, error => error };
    let html = state
        .render(request, "login.html", "工作人员登录", None, page)
        .await?;
    let mut response = (status, html).into_response();
    if set_cookie {
        let cookie = cookies::set(
            cookies::LOGIN_CSRF,
            csrf,
            None,
            true,
            state.config.security.secure_cookies,
        );
        if let Ok(value) = cookie.parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

/// `GET /login`.
pub async fn form(
    State(state): State<AppState>,
    WebQuery(query): WebQuery<LoginQuery>,
    headers: HeaderMap,
    request: PageRequest,
) -> Result<Response, WebError> {
    let now = state.now();
    let existing =
        cookies::get(&headers, cookies::LOGIN_CSRF).filter(|t| state.login_csrf.valid(t, now));
    let (csrf, set_cookie) = match existing {
        Some(token) => (token, false),
        None => (state.login_csrf.issue(now), true),
    };
    let next = safe_next(&query.next);
    let page = LoginPage {
        csrf: &csrf,
        set_cookie,
        username: "",
        next: &next,
        error: None,
    };
    render_form(&state, &request, StatusCode::OK, page).await
}

/// `POST /login`.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientAddr(client): ClientAddr,
    request: PageRequest,
    WebForm(form): WebForm<LoginForm>,
) -> Result<Response, WebError> {
    let now = state.now();
    let cookie_token = cookies::get(&headers, cookies::LOGIN_CSRF).unwrap_or_default();
    if !tokens_match(&form.csrf, &cookie_token) || !state.login_csrf.valid(&cookie_token, now) {
        state.metrics.csrf_rejected();
        return Err(WebError::CsrfRejected);
    }
    let policy = state.config.lock_policy();
    let username = form.username.trim().to_owned();
    let next = safe_next(&form.next);
    let again = |status, error: String| {
        let state = state.clone();
        let request = request.clone();
        let username = username.clone();
        let next = next.clone();
        let csrf = cookie_token.clone();
        async move {
            let page = LoginPage {
                csrf: &csrf,
                set_cookie: false,
                username: &username,
                next: &next,
                error: Some(error),
            };
            render_form(&state, &request, status, page).await
        }
    };
    // No account can have such a name: nothing to count, nothing to hash, nothing to store.
    if let Err(message) = validate::username(&username) {
        return again(StatusCode::UNAUTHORIZED, message.to_owned()).await;
    }
    let per_minute = state.config.security.login_attempts_per_minute.max(1);
    if !state.login_rate.allow(&client, now, per_minute) {
        tracing::warn!(client = %client, "login attempts throttled");
        return again(
            StatusCode::TOO_MANY_REQUESTS,
            "登录尝试过于频繁，请稍等一分钟后再试。".to_owned(),
        )
        .await;
    }
    let Some(permit) = state.passwords.try_permit() else {
        state.metrics.login_busy();
        return again(
            StatusCode::TOO_MANY_REQUESTS,
            "当前登录人数过多，系统繁忙，请稍后再试。".to_owned(),
        )
        .await;
    };
    if let Admission::Refused { until } = state
        .store
        .begin_login_attempt(&username, &client, now, policy)
        .await?
    {
        return again(StatusCode::TOO_MANY_REQUESTS, locked_message(until, now)).await;
    }
    let credentials = state.store.user_credentials(&username).await?;
    // Unknown names cost a hash too, so timing does not tell which names exist.
    let hash = credentials
        .as_ref()
        .map_or_else(|| state.passwords.dummy_hash(), |(_, h)| h.clone());
    let verified = state
        .passwords
        .verify_with(permit, form.password.clone(), hash)
        .await;
    let user = match credentials {
        Some((user, _)) if verified && user.active => user,
        _ => return failed_login(&state, &username, now, again).await,
    };
    state
        .store
        .login_attempt_succeeded(&username, &client)
        .await?;
    // A session that came with the request (another account's, or one planted in the
    // browser) ends here: the login always gets a new session id, never the old one.
    if let Some(previous) = cookies::get(&headers, cookies::SESSION) {
        state.store.delete_session(&previous).await?;
    }
    let session = state.store.create_session(user.id, now).await?;
    state
        .store
        .record_login(&Actor::user(user.id, &user.username), now, "login")
        .await?;
    state.metrics.login();
    tracing::info!(user.id = user.id, "login");
    let secure = state.config.security.secure_cookies;
    let target = if next == "/" {
        "/console".to_owned()
    } else {
        next
    };
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response();
    for cookie in [
        cookies::set(cookies::SESSION, &session.token, None, true, secure),
        cookies::clear(cookies::LOGIN_CSRF, secure),
    ] {
        if let Ok(value) = cookie.parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

/// A wrong password (or a disabled account): the count stands; the lock, when this failure
/// sets it, is audited once.
async fn failed_login<F, Fut>(
    state: &AppState,
    username: &str,
    now: i64,
    again: F,
) -> Result<Response, WebError>
where
    F: Fn(StatusCode, String) -> Fut,
    Fut: std::future::Future<Output = Result<Response, WebError>>,
{
    state.metrics.login_failure();
    let policy = state.config.lock_policy();
    let failed = state
        .store
        .login_attempt_failed(username, now, policy)
        .await?;
    tracing::warn!("login failed");
    if failed.newly_locked {
        state.metrics.lockout();
        state
            .store
            .record_event(
                &Actor::system("login"),
                now,
                None,
                "account.lock",
                serde_json::json!({ "username": username, "until": failed.until() }),
            )
            .await?;
    }
    match failed.state {
        LockState::Locked { until } => {
            again(StatusCode::TOO_MANY_REQUESTS, locked_message(until, now)).await
        }
        LockState::Open { failures } => {
            let left = (policy.max_failures - failures).max(0);
            again(
                StatusCode::UNAUTHORIZED,
                format!("用户名或密码错误。再错{left}次，账户将被临时锁定。"),
            )
            .await
        }
    }
}

/// The form of `POST /logout`.
#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

impl Bounded for LogoutForm {
    const FIELDS: &'static [Bound] = &[Bound::line("csrf", "校验码", 128)];
}

/// `POST /logout`.
pub async fn logout(
    State(state): State<AppState>,
    staff: CurrentStaff,
    WebForm(form): WebForm<LogoutForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&state, &form.csrf)?;
    state.store.delete_session(&staff.token).await?;
    state
        .store
        .record_login(&staff.actor(), state.now(), "logout")
        .await?;
    let cookie = cookies::clear(cookies::SESSION, state.config.security.secure_cookies);
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/".to_owned()),
            (header::SET_COOKIE, cookie),
        ],
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_message_rounds_minutes_up() {
        assert_eq!(
            locked_message(1000 + 61, 1000),
            "密码连续输入错误次数过多，账户已被临时锁定，请于2分钟后再试。"
        );
        assert!(locked_message(1000, 1000).contains("1分钟"));
    }
}
