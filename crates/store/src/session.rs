//! Login sessions: a random token in the staff member's cookie, only its SHA-256 in the
//! database; a CSRF token bound to the session; an idle timeout and an absolute lifetime,
//! both checked on every use.

use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Actor, Result, Store, UserId};

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Whose session it is.
    pub user_id: UserId,
    /// The token every form of this session must carry.
    pub csrf_token: String,
    /// When it was opened (Unix seconds).
    pub created_at: i64,
    /// When it was last used.
    pub last_seen_at: i64,
}

/// A fresh session: the cookie value (shown once) and the session.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The token to put in the cookie.
    pub token: String,
    /// The session as stored.
    pub session: Session,
}

/// 32 random bytes as lower-case hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// How long a session lives: it ends after `idle_seconds` without use, and in any case
/// `lifetime_seconds` after the login, however busy (a stolen cookie does not live for ever).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    /// Seconds without a request.
    pub idle_seconds: i64,
    /// Seconds since the login.
    pub lifetime_seconds: i64,
}

impl SessionLimits {
    fn expired(&self, session: &Session, now: i64) -> bool {
        now - session.last_seen_at > self.idle_seconds
            || now - session.created_at > self.lifetime_seconds
    }
}

/// Last-seen times are written at most this often, so reading pages does not write every time.
const TOUCH_EVERY_SECONDS: i64 = 30;

impl Store {
    /// Opens a session for an account after a successful login.
    pub async fn create_session(&self, user_id: UserId, now: i64) -> Result<NewSession> {
        let token = random_token();
        let session = Session {
            user_id,
            csrf_token: random_token(),
            created_at: now,
            last_seen_at: now,
        };
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(&session.csrf_token)
        .bind(now)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(NewSession { token, session })
    }

    /// The live session of a cookie token, or `None` if unknown, past its `limits` (then it
    /// is deleted), or its account is disabled.
    pub async fn session(
        &self,
        token: &str,
        now: i64,
        limits: SessionLimits,
    ) -> Result<Option<Session>> {
        let hash = token_hash(token);
        let row = sqlx::query(
            "SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, u.active \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut session = Session {
            user_id: row.try_get("user_id")?,
            csrf_token: row.try_get("csrf_token")?,
            created_at: row.try_get("created_at")?,
            last_seen_at: row.try_get("last_seen_at")?,
        };
        let active: i64 = row.try_get("active")?;
        if limits.expired(&session, now) || active == 0 {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(&hash)
                .execute(self.pool())
                .await?;
            return Ok(None);
        }
        if now - session.last_seen_at >= TOUCH_EVERY_SECONDS {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(self.pool())
                .await?;
            session.last_seen_at = now;
        }
        Ok(Some(session))
    }

    /// Ends a session (logout). Unknown tokens are ignored.
    pub async fn delete_session(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Removes every session past its `limits`; returns how many.
    pub async fn purge_sessions(&self, now: i64, limits: SessionLimits) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(now - limits.idle_seconds)
            .bind(now - limits.lifetime_seconds)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }

    /// Records a login or logout in the audit log (no organ: it concerns the account).
    pub async fn record_login(&self, actor: &Actor, now: i64, action: &'static str) -> Result<()> {
        self.record_event(actor, now, None, action, serde_json::json!({}))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_hex() {
        let a = random_token();
        let b = random_token();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), a);
    }
}
