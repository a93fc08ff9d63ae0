//! Staff authentication: argon2id password hashes, the session extractor [`CurrentStaff`],
//! CSRF tokens, and the organ-scope check that every console handler goes through.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use gongkai_store::session::Session;
use gongkai_store::user::User;
use gongkai_store::{Actor, OrganId, OrganScope, Permission, StoreError};
use rand::RngCore;

use crate::config::SecurityConfig;
use crate::{AppState, WebError, cookies};

/// Hashes and verifies passwords with argon2id.
#[derive(Debug, Clone)]
pub struct Passwords {
    params: Params,
    dummy: std::sync::Arc<std::sync::OnceLock<String>>,
}

impl Passwords {
    /// Hashing with the configured cost.
    pub fn new(config: &SecurityConfig) -> Result<Passwords, WebError> {
        let params = Params::new(config.argon2_memory_kib, config.argon2_iterations, 1, None)
            .map_err(|e| WebError::Internal(format!("argon2 parameters: {e}")))?;
        Ok(Passwords {
            params,
            dummy: Default::default(),
        })
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// A PHC string (`$argon2id$v=19$…`) with a fresh random salt.
    pub fn hash(&self, password: &str) -> Result<String, WebError> {
        self.argon2()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| WebError::Internal(format!("argon2: {e}")))
    }

    /// A hash of a random password nobody knows, made once with the configured cost: unknown
    /// login names are checked against it so that they take as long as known ones.
    pub fn dummy_hash(&self) -> String {
        self.dummy
            .get_or_init(|| {
                self.hash(&gongkai_store::session::random_token())
                    .unwrap_or_default()
            })
            .clone()
    }

    /// Whether `password` matches `hash` (the parameters stored in the hash are used).
    pub fn verify(&self, password: &str, hash: &str) -> bool {
        self.argon2()
            .verify_password(password.as_bytes(), hash)
            .is_ok()
    }
}

/// Compares two tokens in time independent of where they differ.
pub fn tokens_match(a: &str, b: &str) -> bool {
    if a.is_empty() || a.len() != b.len() {
        return false;
    }
    a.bytes()
        .zip(b.bytes())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// A short random reference for an error page and its log line.
pub fn short_reference() -> String {
    let mut bytes = [0u8; 5];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// The logged-in staff member of a console request.
#[derive(Debug, Clone)]
pub struct CurrentStaff {
    /// The account.
    pub user: User,
    /// The session (holds the CSRF token).
    pub session: Session,
    /// The cookie token (to end the session on logout).
    pub token: String,
}

impl CurrentStaff {
    /// The audit-log actor for this staff member.
    pub fn actor(&self) -> Actor {
        Actor::user(self.user.id, &self.user.username)
    }

    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, state: &AppState, submitted: &str) -> Result<(), WebError> {
        if tokens_match(submitted, &self.session.csrf_token) {
            Ok(())
        } else {
            state.metrics.csrf_rejected();
            Err(WebError::CsrfRejected)
        }
    }

    /// The scope to act on `organ_id` if a role of this staff member there allows
    /// `permission`; otherwise `Forbidden`, the same for another organ and a missing one.
    pub async fn scope(
        &self,
        state: &AppState,
        organ_id: OrganId,
        permission: Permission,
    ) -> Result<OrganScope, WebError> {
        match state
            .store
            .staff_scope(self.user.id, organ_id, permission)
            .await
        {
            Ok(scope) => Ok(scope),
            Err(StoreError::Forbidden) => Err(WebError::Forbidden),
            Err(e) => Err(e.into()),
        }
    }
}

impl FromRequestParts<AppState> for CurrentStaff {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let next = parts
            .uri
            .path_and_query()
            .map_or("/console".to_owned(), |p| p.as_str().to_owned());
        let login = || WebError::LoginRequired { next: next.clone() };
        let token = cookies::get(&parts.headers, cookies::SESSION).ok_or_else(login)?;
        let session = state
            .store
            .session(&token, state.now(), state.config.session_idle_seconds())
            .await?
            .ok_or_else(login)?;
        let user = state.store.user(session.user_id).await?;
        Ok(CurrentStaff {
            user,
            session,
            token,
        })
    }
}

/// The staff member if logged in, for pages that show a "控制台" link.
#[derive(Debug, Clone)]
pub struct MaybeStaff(pub Option<CurrentStaff>);

impl FromRequestParts<AppState> for MaybeStaff {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        match CurrentStaff::from_request_parts(parts, state).await {
            Ok(staff) => Ok(MaybeStaff(Some(staff))),
            Err(WebError::LoginRequired { .. }) => Ok(MaybeStaff(None)),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let config = SecurityConfig {
            argon2_memory_kib: 64,
            argon2_iterations: 1,
            ..SecurityConfig::default()
        };
        let p = Passwords::new(&config).unwrap();
        let h = p.hash("正确的密码 123").unwrap();
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
        assert!(p.verify("正确的密码 123", &h));
        assert!(!p.verify("错误的密码", &h));
        assert!(!p.verify("x", "not a hash"));
        assert_ne!(p.hash("same").unwrap(), p.hash("same").unwrap());
    }

    #[test]
    fn token_comparison() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abc", "abd"));
        assert!(!tokens_match("", ""));
        assert!(!tokens_match("ab", "abc"));
    }
}
