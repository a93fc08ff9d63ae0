//! Per-staff API tokens. The token is shown once when made; only its SHA-256 is kept. A token
//! acts with its user's roles, and revoking it ends it at once.

use serde_json::json;
use sqlx::Row;

use crate::user::User;
use crate::{Actor, Result, Store, StoreError, UserId, audit};

/// A token as listed (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Identifier.
    pub id: i64,
    /// Its owner.
    pub user_id: UserId,
    /// What it is for.
    pub label: String,
    /// When made (Unix seconds).
    pub created_at: i64,
    /// When revoked.
    pub revoked_at: Option<i64>,
}

/// The SHA-256 (hex) of a token, as kept.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new random token: `gk_` and 40 characters of `[A-Za-z0-9]`.
pub fn new_token() -> String {
    use rand::Rng;
    use rand::distr::Alphanumeric;
    let body: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(40)
        .map(char::from)
        .collect();
    format!("gk_{body}")
}

impl Store {
    /// Makes a token for `user_id`; returns the token (shown once) and its row.
    pub async fn create_api_token(
        &self,
        actor: &Actor,
        user_id: UserId,
        label: &str,
        now: i64,
    ) -> Result<(String, ApiToken)> {
        let token = new_token();
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO api_tokens (user_id, label, token_hash, created_at, revoked_at) \
             VALUES ($1, $2, $3, $4, NULL) RETURNING id",
        )
        .bind(user_id)
        .bind(label)
        .bind(token_hash(&token))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: None,
                action: "api_token.create",
                entity: "api_token",
                entity_id: id.to_string(),
                before: None,
                after: Some(json!({ "user_id": user_id, "label": label })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((
            token,
            ApiToken {
                id,
                user_id,
                label: label.to_owned(),
                created_at: now,
                revoked_at: None,
            },
        ))
    }

    /// The active user a token belongs to, if it is valid and not revoked.
    pub async fn user_for_token(&self, token: &str) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash(token))
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let user = self.user(row.try_get("user_id")?).await?;
        Ok(user.active.then_some(user))
    }

    /// A user's tokens, newest first.
    pub async fn api_tokens(&self, user_id: UserId) -> Result<Vec<ApiToken>> {
        let rows = sqlx::query(
            "SELECT id, user_id, label, created_at, revoked_at FROM api_tokens \
             WHERE user_id = $1 ORDER BY id DESC",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiToken {
                    id: r.try_get("id")?,
                    user_id: r.try_get("user_id")?,
                    label: r.try_get("label")?,
                    created_at: r.try_get("created_at")?,
                    revoked_at: r.try_get("revoked_at")?,
                })
            })
            .collect()
    }

    /// Revokes one of `user_id`'s tokens.
    pub async fn revoke_api_token(
        &self,
        actor: &Actor,
        user_id: UserId,
        id: i64,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 \
             AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("api token"));
        }
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: None,
                action: "api_token.revoke",
                entity: "api_token",
                entity_id: id.to_string(),
                before: None,
                after: Some(json!({ "user_id": user_id })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
