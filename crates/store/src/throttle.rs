//! Failed-login counting and temporary lock-out, per login name. Kept in the database so a
//! lock survives restarts and holds across several server processes.
//!
//! An attempt is counted when it is admitted, before its password is checked: admission and
//! count are one write ([`Store::begin_login_attempt`]), so parallel attempts cannot all pass a
//! check made before any of them was counted. A success takes back only its own count
//! ([`Store::login_attempt_succeeded`]) and never lifts a lock; a failure locks the name once
//! the count reaches the policy's maximum ([`Store::login_attempt_failed`]).
//!
//! So that anyone can lock any name but not keep its owner out, a lock refuses only the
//! addresses that have tried the name and failed within the window: from another address the
//! owner may still log in (each such address gets its attempts counted in turn).

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
        /// Recent failures (attempts whose password is still being checked count too).
        failures: i64,
    },
    /// Locked until this time (Unix seconds).
    Locked {
        /// End of the lock.
        until: i64,
    },
}

/// Whether an attempt may check its password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Counted; check the password, then report the result.
    Admitted,
    /// Refused without checking: the name is locked for this address, or as many attempts as
    /// the policy allows are already counted.
    Refused {
        /// When to try again (Unix seconds).
        until: i64,
    },
}

/// The result of a wrong password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failed {
    /// The name's state after it.
    pub state: LockState,
    /// Whether this failure set the lock (it is audited once).
    pub newly_locked: bool,
}

impl Failed {
    /// The end of the lock, or 0 when none runs.
    pub fn until(&self) -> i64 {
        match self.state {
            LockState::Locked { until } => until,
            LockState::Open { .. } => 0,
        }
    }
}

/// A login name's counter as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counter {
    failures: i64,
    window_start: i64,
    locked_until: i64,
}

impl Counter {
    /// The counter as it stands at `now`: a new window once the old one is over (and no lock
    /// runs) or a lock has run out.
    fn at(self, now: i64, policy: LockPolicy) -> (Counter, bool) {
        let lock_over = self.locked_until != 0 && self.locked_until <= now;
        let window_over =
            self.locked_until <= now && now - self.window_start > policy.window_seconds;
        if lock_over || window_over {
            let fresh = Counter {
                failures: 0,
                window_start: now,
                locked_until: 0,
            };
            (fresh, true)
        } else {
            (self, false)
        }
    }

    /// Admission of one attempt from an address that has (`address_failed`) or has not failed
    /// on this name in the current window; the counter after it.
    fn admit(self, address_failed: bool, now: i64, policy: LockPolicy) -> (Admission, Counter) {
        let locked = self.locked_until > now;
        let full = self.failures >= policy.max_failures;
        if (locked || full) && address_failed {
            let until = if locked {
                self.locked_until
            } else {
                now + policy.lock_seconds
            };
            return (Admission::Refused { until }, self);
        }
        let counted = Counter {
            failures: self.failures + 1,
            ..self
        };
        (Admission::Admitted, counted)
    }
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
        let stored = Counter {
            failures: row.try_get("failures")?,
            window_start: row.try_get("window_start")?,
            locked_until: row.try_get("locked_until")?,
        };
        let (counter, _) = stored.at(now, policy);
        Ok(if counter.locked_until > now {
            LockState::Locked {
                until: counter.locked_until,
            }
        } else {
            LockState::Open {
                failures: counter.failures,
            }
        })
    }

    /// Admits (and counts) one log-in attempt for `username` from `address`, or refuses it.
    /// The check and the count are one transaction holding the name's row, on both engines.
    pub async fn begin_login_attempt(
        &self,
        username: &str,
        address: &str,
        now: i64,
        policy: LockPolicy,
    ) -> Result<Admission> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO login_throttle (username, failures, window_start, locked_until) \
             VALUES ($1, 0, $2, 0) ON CONFLICT (username) DO NOTHING",
        )
        .bind(username)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        // Takes the row lock on PostgreSQL (SQLite holds the database's write lock already),
        // so the read below sees every attempt counted before this one.
        let row = sqlx::query(
            "UPDATE login_throttle SET failures = failures WHERE username = $1 \
             RETURNING failures, window_start, locked_until",
        )
        .bind(username)
        .fetch_one(&mut *tx)
        .await?;
        let stored = Counter {
            failures: row.try_get("failures")?,
            window_start: row.try_get("window_start")?,
            locked_until: row.try_get("locked_until")?,
        };
        let (counter, renewed) = stored.at(now, policy);
        if renewed {
            sqlx::query("DELETE FROM login_failure_addresses WHERE username = $1")
                .bind(username)
                .execute(&mut *tx)
                .await?;
        }
        let address_failed = sqlx::query(
            "SELECT 1 AS hit FROM login_failure_addresses WHERE username = $1 AND address = $2",
        )
        .bind(username)
        .bind(address)
        .fetch_optional(&mut *tx)
        .await?
        .is_some();
        let (admission, after) = counter.admit(address_failed, now, policy);
        if admission == Admission::Admitted {
            sqlx::query(
                "UPDATE login_throttle SET failures = $2, window_start = $3, locked_until = $4 \
                 WHERE username = $1",
            )
            .bind(username)
            .bind(after.failures)
            .bind(after.window_start)
            .bind(after.locked_until)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO login_failure_addresses (username, address, at) VALUES ($1, $2, $3) \
                 ON CONFLICT (username, address) DO UPDATE SET at = excluded.at",
            )
            .bind(username)
            .bind(address)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(admission)
    }

    /// An admitted attempt's password was wrong: its count stays, and the name is locked once
    /// the count reaches the policy's maximum.
    pub async fn login_attempt_failed(
        &self,
        username: &str,
        now: i64,
        policy: LockPolicy,
    ) -> Result<Failed> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "UPDATE login_throttle SET failures = failures WHERE username = $1 \
             RETURNING failures, locked_until",
        )
        .bind(username)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.commit().await?;
            return Ok(Failed {
                state: LockState::Open { failures: 0 },
                newly_locked: false,
            });
        };
        let failures: i64 = row.try_get("failures")?;
        let locked_until: i64 = row.try_get("locked_until")?;
        let failed = if locked_until > now {
            Failed {
                state: LockState::Locked {
                    until: locked_until,
                },
                newly_locked: false,
            }
        } else if failures >= policy.max_failures {
            let until = now + policy.lock_seconds;
            sqlx::query("UPDATE login_throttle SET locked_until = $2 WHERE username = $1")
                .bind(username)
                .bind(until)
                .execute(&mut *tx)
                .await?;
            Failed {
                state: LockState::Locked { until },
                newly_locked: true,
            }
        } else {
            Failed {
                state: LockState::Open { failures },
                newly_locked: false,
            }
        };
        tx.commit().await?;
        Ok(failed)
    }

    /// An admitted attempt's password was right: its own count is taken back and its address
    /// forgotten. Other attempts' counts and a running lock stay: a login that began before a
    /// lock was set cannot lift it.
    pub async fn login_attempt_succeeded(&self, username: &str, address: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE login_throttle SET failures = CASE WHEN failures > 0 THEN failures - 1 \
             ELSE 0 END WHERE username = $1",
        )
        .bind(username)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM login_failure_addresses WHERE username = $1 AND address = $2")
            .bind(username)
            .bind(address)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Counts one failed login from `address` (an attempt admitted and failed in one call).
    pub async fn record_login_failure(
        &self,
        username: &str,
        address: &str,
        now: i64,
        policy: LockPolicy,
    ) -> Result<LockState> {
        match self
            .begin_login_attempt(username, address, now, policy)
            .await?
        {
            Admission::Admitted => Ok(self
                .login_attempt_failed(username, now, policy)
                .await?
                .state),
            Admission::Refused { until } => Ok(LockState::Locked { until }),
        }
    }

    /// How many login names have a counter (for the operator and the tests).
    pub async fn login_counter_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM login_throttle")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Forgets the counters that no longer matter: window over and no lock running. Failed
    /// logins with made-up names add rows; this keeps the tables small. Returns how many
    /// counters went.
    pub async fn purge_login_failures(&self, now: i64, policy: LockPolicy) -> Result<u64> {
        let mut tx = self.begin_write().await?;
        let stale = now.saturating_sub(policy.window_seconds);
        let done = sqlx::query(
            "DELETE FROM login_throttle WHERE locked_until <= $1 AND window_start < $2",
        )
        .bind(now)
        .bind(stale)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM login_failure_addresses WHERE at < $1 AND username NOT IN \
             (SELECT username FROM login_throttle WHERE locked_until > $2)",
        )
        .bind(stale)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: LockPolicy = LockPolicy {
        max_failures: 3,
        window_seconds: 300,
        lock_seconds: 600,
    };

    fn counter(failures: i64, locked_until: i64) -> Counter {
        Counter {
            failures,
            window_start: 1000,
            locked_until,
        }
    }

    #[test]
    fn at_most_max_attempts_are_admitted_from_an_address_that_failed() {
        let (a, c) = counter(2, 0).admit(true, 1010, POLICY);
        assert_eq!(a, Admission::Admitted);
        assert_eq!(c.failures, 3);
        let (a, _) = c.admit(true, 1010, POLICY);
        assert_eq!(a, Admission::Refused { until: 1610 });
    }

    #[test]
    fn a_lock_refuses_failed_addresses_only() {
        let locked = counter(3, 1500);
        assert_eq!(
            locked.admit(true, 1010, POLICY).0,
            Admission::Refused { until: 1500 }
        );
        let (a, c) = locked.admit(false, 1010, POLICY);
        assert_eq!(a, Admission::Admitted);
        assert_eq!(
            c.locked_until, 1500,
            "admitting the owner does not lift the lock"
        );
    }

    #[test]
    fn counters_renew_after_the_window_or_the_lock() {
        assert_eq!(
            counter(2, 0).at(1301, POLICY),
            (
                Counter {
                    failures: 0,
                    window_start: 1301,
                    locked_until: 0
                },
                true
            )
        );
        assert!(!counter(2, 0).at(1300, POLICY).1);
        assert!(counter(3, 1500).at(1500, POLICY).1);
        // A running lock outlives the window.
        assert!(!counter(3, 1900).at(1400, POLICY).1);
    }
}
