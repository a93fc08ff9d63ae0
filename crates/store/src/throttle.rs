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
    /// reached within its window).
    pub async fn record_login_failure(
        &self,
        username: &str,
        now: i64,
        policy: LockPolicy,
    ) -> Result<LockState> {
        let mut tx = self.pool().begin().await?;
        let row = sqlx::query(
            "SELECT failures, window_start, locked_until FROM login_throttle WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(&mut *tx)
        .await?;
        let (mut failures, mut window_start, existed) = match &row {
            Some(row) => (
                row.try_get::<i64, _>("failures")?,
                row.try_get::<i64, _>("window_start")?,
                true,
            ),
            None => (0, now, false),
        };
        // A new window after the old one expired, or after a lock ran out.
        let locked_until_before: i64 = match &row {
            Some(row) => row.try_get("locked_until")?,
            None => 0,
        };
        if now - window_start > policy.window_seconds
            || (locked_until_before != 0 && locked_until_before <= now)
        {
            failures = 0;
            window_start = now;
        }
        failures += 1;
        let locked_until = if failures >= policy.max_failures {
            now + policy.lock_seconds
        } else {
            0
        };
        if existed {
            sqlx::query(
                "UPDATE login_throttle SET failures = $1, window_start = $2, locked_until = $3 \
                 WHERE username = $4",
            )
            .bind(failures)
            .bind(window_start)
            .bind(locked_until)
            .bind(username)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "INSERT INTO login_throttle (username, failures, window_start, locked_until) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(username)
            .bind(failures)
            .bind(window_start)
            .bind(locked_until)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(if locked_until > now {
            LockState::Locked {
                until: locked_until,
            }
        } else {
            LockState::Open { failures }
        })
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
