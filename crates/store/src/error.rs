//! The store's error: not found, conflict (naming the constraint), forbidden, unavailable, other.

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist (or is outside the caller's scope).
    #[error("not found: {0}")]
    NotFound(&'static str),
    /// A uniqueness or foreign-key constraint refused the write; the constraint is named.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The caller has no role on the organ that allows this.
    #[error("forbidden")]
    Forbidden,
    /// The case's state does not allow the step (409), e.g. a second extension; the sentence is
    /// Chinese and says why, with its article.
    #[error("not allowed now: {0}")]
    NotAllowed(String),
    /// The request is well formed but invalid (422), e.g. an impossible event sequence; the
    /// field at fault and a Chinese sentence.
    #[error("invalid {field}: {message}")]
    Invalid {
        /// The field, as the API names it.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The operation cannot run in the database's current state (e.g. restore into a
    /// database that is not empty).
    #[error("invalid state: {0}")]
    InvalidState(String),
    /// The database cannot be reached or opened.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Anything else the driver reported.
    #[error("database error: {0}")]
    Other(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => StoreError::NotFound("row"),
            sqlx::Error::Database(db) => {
                if db.is_unique_violation() || db.is_foreign_key_violation() {
                    let name = db
                        .constraint()
                        .map(str::to_owned)
                        .unwrap_or_else(|| db.message().to_owned());
                    StoreError::Conflict(name)
                } else {
                    StoreError::Other(db.message().to_owned())
                }
            }
            sqlx::Error::Io(e) => StoreError::Unavailable(e.to_string()),
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => {
                StoreError::Unavailable(err.to_string())
            }
            sqlx::Error::Configuration(e) => StoreError::Unavailable(e.to_string()),
            other => StoreError::Other(other.to_string()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        StoreError::Other(format!("migration: {err}"))
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(err: serde_json::Error) -> Self {
        StoreError::Other(format!("json: {err}"))
    }
}
