//! Persistence on SQLite and PostgreSQL: one schema through migrations, one code path.
//!
//! [`Store`] is the handle the rest of gongkai holds. It opens either an embedded SQLite file
//! (the default; WAL journal) or a `postgres://` URL, runs the migrations of
//! `migrations/sqlite` or `migrations/postgres` (the same tables and columns; only id
//! generation differs), and then talks to both through sqlx's `Any` driver with the same SQL.
//!
//! The principal types:
//! - [`organ::Organ`]: an organ in the tree, with its 政府信息公开工作机构 and website identity.
//! - [`user::User`] and [`role::Role`]: staff accounts and their roles per organ.
//! - [`OrganScope`]: proof that a caller may act on one organ's data. Every query of
//!   organ-owned data takes one; it is made only by [`Store::staff_scope`] (which checks the
//!   caller's roles) or, for the command line and the demo loader, [`OrganScope::system`].
//! - [`session`], [`throttle`]: login sessions and the failed-login counter.
//! - [`annual_report`]: the organ's published 政府信息公开工作年度报告, one per year, as the
//!   interchange JSON.
//! - [`audit`]: the append-only audit log; every write of this crate adds its row in the same
//!   transaction, with the state before and after as JSON.
//! - [`item`]: proactive information items (主动公开) under review before publication, their
//!   versions, attachments stored by content and the item ledger.
//! - [`catalogue`]: the organ's 政务公开事项标准目录; [`statistics`]: the 表二 figures that come
//!   from other systems (行政许可, 行政处罚, 行政强制, 行政事业性收费).
//! - [`report_import`]: published reports read from files (subordinates', past years), with
//!   provenance; [`subtree`]: an organ's subtree and a superior office's scopes over it.
//! - [`backup`]: a portable JSON dump of every table, and its restore into an empty database.
//!
//! **Architecture invariant:** this crate alone has SQL. It knows nothing of HTTP or HTML.
//! Times are Unix seconds (UTC) passed in by the caller: the store never reads the clock.

pub mod annual_report;
pub mod appeal;
pub mod application;
pub mod audit;
pub mod backup;
mod bulk;
pub mod calendar_year;
pub mod catalogue;
pub mod consultation;
pub mod demo_data;
mod error;
pub mod item;
pub mod ledger;
pub mod message;
pub mod notice;
pub mod organ;
pub mod report_import;
pub mod report_version;
pub mod role;
pub mod session;
pub mod statistics;
pub mod subtree;
pub mod tally;
#[cfg(feature = "testing")]
pub mod testing;
pub mod throttle;
pub mod token;
pub mod user;
pub mod workflow;

use std::path::Path;
use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use error::StoreError;
pub use role::{Permission, Role};

/// The result type of every store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database engine a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// A short lower-case name, as in logs and metrics.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Database identifier of an organ.
pub type OrganId = i64;
/// Database identifier of a staff account.
pub type UserId = i64;

/// Permission to read and write one organ's data, checked once where it is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrganScope {
    organ_id: OrganId,
}

impl OrganScope {
    /// A scope for trusted callers that act outside any request: the command line, the demo
    /// loader, tests. Web handlers never use this; they get theirs from
    /// [`Store::staff_scope`].
    pub fn system(organ_id: OrganId) -> Self {
        OrganScope { organ_id }
    }

    /// The organ this scope covers.
    pub fn organ_id(self) -> OrganId {
        self.organ_id
    }
}

/// Who performs a write, as recorded in the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The staff account, or `None` for the system (command line, demo loader).
    pub user_id: Option<UserId>,
    /// A readable name: the username, or `system:<what>`.
    pub name: String,
}

impl Actor {
    /// The system acting for the command line or another trusted tool.
    pub fn system(what: &str) -> Self {
        Actor {
            user_id: None,
            name: format!("system:{what}"),
        }
    }

    /// A staff account.
    pub fn user(user_id: UserId, username: &str) -> Self {
        Actor {
            user_id: Some(user_id),
            name: username.to_owned(),
        }
    }
}

/// Where the database is: a SQLite file path, or a `postgres://` / `sqlite:` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file, created if absent.
    SqliteFile(std::path::PathBuf),
    /// A PostgreSQL URL.
    Postgres(String),
}

impl Location {
    /// Reads a `--db` value: `postgres://…` or `postgresql://…` is a server, `sqlite:PATH` or
    /// anything else is a file path.
    pub fn parse(value: &str) -> Location {
        if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            Location::Postgres(value.to_owned())
        } else if let Some(rest) = value.strip_prefix("sqlite://") {
            Location::SqliteFile(rest.into())
        } else if let Some(rest) = value.strip_prefix("sqlite:") {
            Location::SqliteFile(rest.into())
        } else {
            Location::SqliteFile(value.into())
        }
    }
}

/// The handle on the database. Cheap to clone (a pool inside).
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// The migrations, one directory per engine.
static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Opens (creating a SQLite file if absent) and migrates the database.
    pub async fn open(location: &Location) -> Result<Store> {
        let store = Store::connect(location).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens without running migrations.
    pub async fn connect(location: &Location) -> Result<Store> {
        sqlx::any::install_default_drivers();
        match location {
            Location::SqliteFile(path) => {
                let url = sqlite_url(path)?;
                let options = AnyConnectOptions::from_str(&url)?;
                let pool = AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            // WAL lets the portal read while the console writes; foreign keys
                            // are off by default in SQLite.
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            conn.execute("PRAGMA busy_timeout = 5000").await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?;
                Ok(Store {
                    pool,
                    backend: Backend::Sqlite,
                })
            }
            Location::Postgres(url) => {
                let options = AnyConnectOptions::from_str(url)?;
                let pool = AnyPoolOptions::new()
                    .max_connections(8)
                    .connect_with(options)
                    .await?;
                Ok(Store {
                    pool,
                    backend: Backend::Postgres,
                })
            }
        }
    }

    /// Brings the schema up to date.
    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// The engine behind this store.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Answers whether the database responds (for `/healthz`).
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction that will write. SQLite takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so two writers wait for each other instead of failing when the second
    /// upgrades its read lock.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }
}

/// The sqlx URL of a SQLite file, created if absent.
fn sqlite_url(path: &Path) -> Result<String> {
    let absolute = std::path::absolute(path).map_err(|e| StoreError::Unavailable(e.to_string()))?;
    let text = absolute.to_str().ok_or_else(|| {
        StoreError::Unavailable(format!("路径不是 UTF-8：{}", absolute.display()))
    })?;
    // `?` and `#` would end the path part of the URL; `%` starts an escape.
    let escaped = text
        .replace('%', "%25")
        .replace('?', "%3F")
        .replace('#', "%23");
    Ok(format!("sqlite://{escaped}?mode=rwc"))
}
