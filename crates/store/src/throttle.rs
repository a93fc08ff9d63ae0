//! Failed-login counting and temporary lock-out, per login name. Kept in the database so a
//! lock survives restarts and holds across several server processes.

use sqlx::Row;

use crate::{Result, Store};

/// How many failures lock an account, within which window, for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockPolicy {
    /// Failures that trigger the lock.
    pub max_failures: i64,
    /// Failures older than this many seconds are forgotten.
    pub window_seconds: i64,
    /// How long the lock lasts.
    pub lock_seconds: i64,
}

impl Default for LockPolicy {
    fn default() -> Self {
        LockPolicy {
            max_failures: 5,
            window_seconds: 15 * 60,
            lock_seconds: 15 * 60,
        }
    }
}

/// The state of a login name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockState {
    /// May try; `failures` recent failures so far.
    Open {
        /// Recent failures.
        failures: i64,
    },
    /// Locked until this time (Unix seconds).
    Locked {
        /// End of the lock.
        until: i64,
    },
}

impl Store {
    /// Whether a login name is locked now.
    pub async fn lock_state(
        &self,
        username: &str,
        now: i64,
        policy: LockPolicy,
    ) -> Result<LockState> {
        let row = sqlx::query(
            "SELECT failures, window_start, locked_until FROM login_throttle WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(LockState::Open { failures: 0 });
        };
        let failures: i64 = row.try_get("failures")?;
        let window_start: i64 = row.try_get("window_start")?;
        let locked_until: i64 = row.try_get("locked_until")?;
        if locked_until > now {
            return Ok(LockState::Locked {
                until: locked_until,
            });
        }
        if now - window_start > policy.window_seconds {
            return Ok(LockState::Open { failures: 0 });
        }
        Ok(LockState::Open { failures })
    }

    /// Counts one failed login and returns the new state (locked once the policy's count is
    /// reached within its window). One UPDATE computes the new state, so concurrent failures
    /// are all counted on both engines.
    pub async fn record_login_failure(
        &self,
        username: &str,
        now: i64,
        policy: LockPolicy,
    ) -> Result<LockState> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO login_throttle (username, failures, window_start, locked_until) \
             VALUES ($1, 0, $2, 0) ON CONFLICT (username) DO NOTHING",
        )
        .bind(username)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        // A new window starts when the old one expired or a lock ran out; a running lock is
        // kept as it is.
        let row = sqlx::query(
            "UPDATE login_throttle SET \
             failures = CASE WHEN $2 - window_start > $3 \
                 OR (locked_until <> 0 AND locked_until <= $2) THEN 1 ELSE failures + 1 END, \
             window_start = CASE WHEN $2 - window_start > $3 \
                 OR (locked_until <> 0 AND locked_until <= $2) THEN $2 ELSE window_start END, \
             locked_until = CASE WHEN locked_until > $2 THEN locked_until \
                 WHEN (CASE WHEN $2 - window_start > $3 \
                     OR (locked_until <> 0 AND locked_until <= $2) THEN 1 ELSE failures + 1 END) \
                     >= $4 THEN $2 + $5 ELSE 0 END \
             WHERE username = $1 RETURNING failures, locked_until",
        )
        .bind(username)
        .bind(now)
        .bind(policy.window_seconds)
        .bind(policy.max_failures)
        .bind(policy.lock_seconds)
        .fetch_one(&mut *tx)
        .await?;
        let failures: i64 = row.try_get("failures")?;
        let locked_until: i64 = row.try_get("locked_until")?;
        tx.commit().await?;
        Ok(if locked_until > now {
            LockState::Locked {
                until: locked_until,
            }
        } else {
            LockState::Open { failures }
        })
    }

    /// Forgets the counters that no longer matter: window over and no lock running. Failed
    /// logins with made-up names add rows; this keeps the table small. Returns how many.
    pub async fn purge_login_failures(&self, now: i64, policy: LockPolicy) -> Result<u64> {
        let done = sqlx::query(
            "DELETE FROM login_throttle WHERE locked_until <= $1 AND window_start < $2",
        )
        .bind(now)
        .bind(now.saturating_sub(policy.window_seconds))
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// Forgets a login name's failures after a successful login.
    pub async fn clear_login_failures(&self, username: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_throttle WHERE username = $1")
            .bind(username)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
