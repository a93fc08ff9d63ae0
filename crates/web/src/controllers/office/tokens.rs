//! API tokens (`/console/tokens`): a staff member's own bearer tokens for the JSON API. A new
//! token is shown once (only its hash is kept); revoking one ends it at once.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};
use serde::Deserialize;

use super::{path_id, see_other, staff_of};
use crate::controllers::{WebForm, WebPath, WebQuery};
use crate::site::{PageRequest, format_time};
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// The create form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    csrf: String,
    label: String,
}

impl Bounded for TokenForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("label", "用途", 50),
    ];
}

/// The confirmation after revoking.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokensQuery {
    revoked: String,
}

impl Bounded for TokensQuery {
    const FIELDS: &'static [Bound] = &[Bound::line("revoked", "已撤销", 10)];
}

struct Page<'a> {
    status: StatusCode,
    label: &'a str,
    error: Option<&'a str>,
    created: Option<String>,
    revoked: bool,
}

async fn render(
    state: &AppState,
    request: &PageRequest,
    page: Page<'_>,
) -> Result<Response, WebError> {
    let staff = staff_of(request)?;
    let tokens: Vec<Value> = state
        .store
        .api_tokens(staff.user.id)
        .await?
        .iter()
        .map(|t| {
            context! {
                id => t.id,
                label => t.label.clone(),
                created => format_time(t.created_at),
                revoked => t.revoked_at.map(format_time),
            }
        })
        .collect();
    let ctx = context! {
        tokens => tokens,
        label => page.label,
        error => page.error,
        created => page.created,
        revoked => page.revoked,
    };
    let html = state
        .render(request, "console/office/tokens.html", "API 令牌", None, ctx)
        .await?;
    Ok((page.status, html).into_response())
}

/// `GET /console/tokens`: the staff member's own tokens.
pub async fn list(
    State(state): State<AppState>,
    WebQuery(query): WebQuery<TokensQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let page = Page {
        status: StatusCode::OK,
        label: "",
        error: None,
        created: None,
        revoked: !query.revoked.is_empty(),
    };
    render(&state, &request, page).await
}

/// `POST /console/tokens`: makes a token and shows it, once (201).
pub async fn create(
    State(state): State<AppState>,
    request: PageRequest,
    WebForm(form): WebForm<TokenForm>,
) -> Result<Response, WebError> {
    let staff = staff_of(&request)?;
    staff.check_csrf(&state, &form.csrf)?;
    let label = form.label.trim();
    if label.is_empty() {
        let page = Page {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            label,
            error: Some("请填写令牌的用途，以便日后识别和撤销。"),
            created: None,
            revoked: false,
        };
        return render(&state, &request, page).await;
    }
    let (token, _) = state
        .store
        .create_api_token(&staff.actor(), staff.user.id, label, state.now())
        .await?;
    let page = Page {
        status: StatusCode::CREATED,
        label: "",
        error: None,
        created: Some(token),
        revoked: false,
    };
    render(&state, &request, page).await
}

/// The revoke button's form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RevokeForm {
    csrf: String,
}

impl Bounded for RevokeForm {
    const FIELDS: &'static [Bound] = &[Bound::line("csrf", "校验码", 128)];
}

/// `POST /console/tokens/{id}/revoke`: revokes one of the staff member's own tokens (another's
/// is not found).
pub async fn revoke(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    WebForm(form): WebForm<RevokeForm>,
) -> Result<Response, WebError> {
    let staff = staff_of(&request)?;
    staff.check_csrf(&state, &form.csrf)?;
    let id: i64 = path_id(&raw)?;
    state
        .store
        .revoke_api_token(&staff.actor(), staff.user.id, id, state.now())
        .await?;
    Ok(see_other("/console/tokens?revoked=1".into()))
}
