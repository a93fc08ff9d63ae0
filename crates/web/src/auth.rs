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

/// Hashes and verifies passwords with argon2id, at most so many at once: each hash holds
/// `argon2_memory_kib` of memory, so unbounded parallel logins would exhaust the machine.
#[derive(Debug, Clone)]
pub struct Passwords {
    params: Params,
    dummy: std::sync::Arc<std::sync::OnceLock<String>>,
    permits: std::sync::Arc<tokio::sync::Semaphore>,
}

/// The right to compute one password hash now (see [`Passwords::try_permit`]).
#[derive(Debug)]
pub struct HashPermit {
    // Held, never read: dropping it frees the slot.
    _slot: tokio::sync::OwnedSemaphorePermit,
}

impl Passwords {
    /// Hashing with the configured cost, at most `concurrent` hashes at once.
    pub fn new(config: &SecurityConfig, concurrent: usize) -> Result<Passwords, WebError> {
        let params = Params::new(config.argon2_memory_kib, config.argon2_iterations, 1, None)
            .map_err(|e| WebError::Internal(format!("argon2 parameters: {e}")))?;
        Ok(Passwords {
            params,
            dummy: Default::default(),
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(concurrent.max(1))),
        })
    }

    /// A permit if a hash may start now; `None` when the bound is reached (the caller refuses
    /// at once rather than queue: a queue of logins is the same exhaustion, later).
    pub fn try_permit(&self) -> Option<HashPermit> {
        self.permits
            .clone()
            .try_acquire_owned()
            .ok()
            .map(|slot| HashPermit { _slot: slot })
    }

    /// Waits for a permit (staff actions that set a password; they are few and logged in).
    pub async fn permit(&self) -> Result<HashPermit, WebError> {
        self.permits
            .clone()
            .acquire_owned()
            .await
            .map(|slot| HashPermit { _slot: slot })
            .map_err(|e| WebError::Internal(format!("hash permits: {e}")))
    }

    /// [`Passwords::verify`] on the blocking pool, holding `permit` until it is done.
    pub async fn verify_with(&self, permit: HashPermit, password: String, hash: String) -> bool {
        let passwords = self.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            passwords.verify(&password, &hash)
        })
        .await
        .unwrap_or(false)
    }

    /// [`Passwords::hash`] on the blocking pool, holding `permit` until it is done.
    pub async fn hash_with(
        &self,
        permit: HashPermit,
        password: String,
    ) -> Result<String, WebError> {
        let passwords = self.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            passwords.hash(&password)
        })
        .await
        .map_err(|e| WebError::Internal(format!("password hash: {e}")))?
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

/// The CSRF token of the log-in form, before any session exists: a random nonce and its
/// issue time, signed with a key of this process, so the double-submit cookie can hold only a
/// value the server made (a value the client chose, or planted by a sibling site, fails).
#[derive(Clone)]
pub struct LoginCsrf {
    key: [u8; 32],
}

impl std::fmt::Debug for LoginCsrf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoginCsrf(..)")
    }
}

/// How long a log-in form stays valid.
const LOGIN_FORM_SECONDS: i64 = 2 * 3600;

impl LoginCsrf {
    /// A new random key (forms issued by an earlier process must be reloaded).
    pub fn new() -> LoginCsrf {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        LoginCsrf { key }
    }

    fn mac(&self, body: &str) -> String {
        use hmac::{KeyInit, Mac};
        let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.key) else {
            // HMAC takes keys of any length; this cannot happen with 32 bytes.
            return String::new();
        };
        mac.update(b"gongkai-login-csrf|");
        mac.update(body.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// A token issued at `now`.
    pub fn issue(&self, now: i64) -> String {
        let mut nonce = [0u8; 16];
        rand::rng().fill_bytes(&mut nonce);
        let nonce: String = nonce.iter().map(|b| format!("{b:02x}")).collect();
        let body = format!("{nonce}.{now}");
        let mac = self.mac(&body);
        format!("{body}.{mac}")
    }

    /// Whether `token` was issued by this key within the validity period.
    pub fn valid(&self, token: &str, now: i64) -> bool {
        let Some((body, mac)) = token.rsplit_once('.') else {
            return false;
        };
        let Some((nonce, issued)) = body.split_once('.') else {
            return false;
        };
        let Ok(issued) = issued.parse::<i64>() else {
            return false;
        };
        nonce.len() == 32
            && (0..=LOGIN_FORM_SECONDS).contains(&(now - issued))
            && tokens_match(mac, &self.mac(body))
    }
}

impl Default for LoginCsrf {
    fn default() -> Self {
        LoginCsrf::new()
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
            .session(&token, state.now(), state.config.session_limits())
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
        let p = Passwords::new(&config, 2).unwrap();
        let h = p.hash("正确的密码 123").unwrap();
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
        assert!(p.verify("正确的密码 123", &h));
        assert!(!p.verify("错误的密码", &h));
        assert!(!p.verify("x", "not a hash"));
        assert_ne!(p.hash("same").unwrap(), p.hash("same").unwrap());
    }

    #[tokio::test]
    async fn hashing_beyond_the_bound_is_refused_at_once() {
        let config = SecurityConfig {
            argon2_memory_kib: 64,
            argon2_iterations: 1,
            ..SecurityConfig::default()
        };
        let p = Passwords::new(&config, 2).unwrap();
        let a = p.try_permit().unwrap();
        let _b = p.try_permit().unwrap();
        assert!(p.try_permit().is_none());
        drop(a);
        let c = p.try_permit().unwrap();
        let h = p.hash("x-password").unwrap();
        assert!(p.verify_with(c, "x-password".into(), h).await);
        assert!(p.try_permit().is_some(), "the permit is given back");
    }

    #[test]
    fn login_csrf_tokens_are_the_servers_own() {
        let csrf = LoginCsrf::new();
        let t = csrf.issue(1000);
        assert!(csrf.valid(&t, 1000));
        assert!(csrf.valid(&t, 1000 + LOGIN_FORM_SECONDS));
        assert!(!csrf.valid(&t, 1000 + LOGIN_FORM_SECONDS + 1));
        assert!(!csrf.valid(&t, 999));
        // A client-chosen value, another key's token, a tampered time: all refused.
        assert!(!csrf.valid(&"a".repeat(64), 1000));
        assert!(!LoginCsrf::new().valid(&t, 1000));
        let tampered = t.replacen(".1000.", ".1001.", 1);
        assert!(!csrf.valid(&tampered, 1001));
    }

    #[test]
    fn token_comparison() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abc", "abd"));
        assert!(!tokens_match("", ""));
        assert!(!tokens_match("ab", "abc"));
    }
}
