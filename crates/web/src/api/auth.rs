//! Bearer tokens: `Authorization: Bearer TOKEN` names a staff account (`Store::user_for_token`;
//! a revoked token or an inactive account is 401), which then acts with its own roles, checked
//! per organ as in the console. Cookies are never read here, so no session rides along and no
//! CSRF token is needed: a browser cannot attach a bearer token to a forged request.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use gongkai_store::user::User;
use gongkai_store::{Actor, OrganId, OrganScope, Permission, Role};

use super::error::ApiError;
use crate::AppState;

/// The longest token accepted (ours are 43 characters); anything longer is not looked up.
const MAX_TOKEN_CHARS: usize = 128;

/// The staff account an API request acts for.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The account.
    pub user: User,
}

/// The token of an `Authorization` header, if it is a well-formed bearer credential.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    let plausible = scheme.eq_ignore_ascii_case("bearer")
        && !token.is_empty()
        && token.len() <= MAX_TOKEN_CHARS
        && token.bytes().all(|b| b.is_ascii_graphic());
    plausible.then_some(token)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or_else(ApiError::unauthorized)?;
        let user = state
            .store
            .user_for_token(token)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        Ok(Caller { user })
    }
}

impl Caller {
    /// The audit-log actor.
    pub fn actor(&self) -> Actor {
        Actor::user(self.user.id, &self.user.username)
    }

    /// The scope to act on `organ_id` with `permission`, and the caller's roles there. No
    /// role at all on the organ (or no such organ) is 404, so that another organ's records
    /// are never revealed; a role that does not allow it is 403.
    pub async fn scope(
        &self,
        state: &AppState,
        organ_id: OrganId,
        permission: Permission,
    ) -> Result<(OrganScope, Vec<Role>), ApiError> {
        let roles = state.store.roles_on(self.user.id, organ_id).await?;
        if roles.is_empty() {
            return Err(ApiError::not_found());
        }
        let scope = state
            .store
            .staff_scope(self.user.id, organ_id, permission)
            .await?;
        Ok((scope, roles))
    }
}

/// Whether any of `roles` allows `permission`.
pub fn allows(roles: &[Role], permission: Permission) -> bool {
    roles.iter().any(|r| r.allows(permission))
}
