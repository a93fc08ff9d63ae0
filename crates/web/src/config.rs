//! Configuration: a TOML file, then `GONGKAI_*` environment variables, then command-line flags.
//! Every key is documented where it is declared; an error names the key and its source.
//!
//! ```toml
//! [server]
//! addr = "127.0.0.1:8080"      # GONGKAI_ADDR
//! header_read_timeout_seconds = 15  # GONGKAI_HEADER_READ_TIMEOUT_SECONDS: request head, and idle keep-alive
//! max_connections = 1024       # GONGKAI_MAX_CONNECTIONS: more are answered 503 and closed
//! max_body_kib = 2048          # GONGKAI_MAX_BODY_KIB: larger request bodies get 413
//! [database]
//! url = "gongkai.db"           # GONGKAI_DB: a SQLite path or a postgres:// URL
//! [security]
//! session_idle_minutes = 30    # GONGKAI_SESSION_IDLE_MINUTES
//! session_lifetime_hours = 12  # GONGKAI_SESSION_LIFETIME_HOURS: however busy, a session ends then
//! max_login_failures = 5       # GONGKAI_MAX_LOGIN_FAILURES
//! failure_window_minutes = 15  # GONGKAI_FAILURE_WINDOW_MINUTES
//! lock_minutes = 15            # GONGKAI_LOCK_MINUTES
//! secure_cookies = false       # GONGKAI_SECURE_COOKIES (true behind HTTPS)
//! argon2_memory_kib = 19456    # GONGKAI_ARGON2_MEMORY_KIB
//! argon2_iterations = 2        # GONGKAI_ARGON2_ITERATIONS
//! max_concurrent_hashes = 0    # GONGKAI_MAX_CONCURRENT_HASHES: 0 = twice the cores; beyond it a login gets 429
//! login_attempts_per_minute = 10  # GONGKAI_LOGIN_ATTEMPTS_PER_MINUTE, per client address
//! trusted_proxy_hops = 0       # GONGKAI_TRUSTED_PROXY_HOPS: reverse proxies in front that append to X-Forwarded-For
//! trust_forwarded_for = false  # GONGKAI_TRUST_FORWARDED_FOR: the same as trusted_proxy_hops = 1
//! metrics_token = ""           # GONGKAI_METRICS_TOKEN: /metrics needs `Authorization: Bearer …`; empty: loopback only
//! data_key_file = ""           # GONGKAI_DATA_KEY_FILE: the key sealing uploaded files; `serve` defaults to the database file + `.key` (or gongkai.key), created on first start
//! [portal]
//! organ = ""                   # GONGKAI_PORTAL_ORGAN: id, 信用代码, domain or name; default the first root organ
//! base_url = ""                # GONGKAI_BASE_URL: e.g. https://kfq.hlbe.gov.cn; default https:// + the organ's domain
//! [search]
//! dir = ""                     # GONGKAI_SEARCH_DIR: the portal's search index; `serve` defaults to the database file + `.search/` (or ./gongkai-search/)
//! [log]
//! format = "text"              # GONGKAI_LOG_FORMAT: text or json
//! level = "info"               # GONGKAI_LOG: a tracing filter
//! ```

use std::path::Path;

use serde::Deserialize;

/// The whole configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `[server]`.
    pub server: ServerConfig,
    /// `[database]`.
    pub database: DatabaseConfig,
    /// `[security]`.
    pub security: SecurityConfig,
    /// `[portal]`.
    pub portal: PortalConfig,
    /// `[search]`.
    pub search: SearchConfig,
    /// `[log]`.
    pub log: LogConfig,
}

/// `[server]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to listen on (`GONGKAI_ADDR`). Default `127.0.0.1:8080`.
    pub addr: String,
    /// Seconds a client has to send a request's head, and that a kept-alive connection may
    /// wait idle for the next one. Default 15.
    pub header_read_timeout_seconds: u64,
    /// Connections served at once; one more is answered 503 and closed. Default 1024.
    pub max_connections: usize,
    /// The largest request body in KiB; a larger one is refused with 413. Default 2048.
    pub max_body_kib: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            addr: "127.0.0.1:8080".into(),
            header_read_timeout_seconds: 15,
            max_connections: 1024,
            max_body_kib: 2048,
        }
    }
}

/// `[database]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// A SQLite file path (created if absent) or a `postgres://` URL (`GONGKAI_DB`).
    /// Default `gongkai.db` in the working directory.
    pub url: String,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: "gongkai.db".into(),
        }
    }
}

/// `[security]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityConfig {
    /// A staff session ends after this many idle minutes. Default 30.
    pub session_idle_minutes: i64,
    /// A staff session ends this many hours after the login, however busy. Default 12.
    pub session_lifetime_hours: i64,
    /// Wrong passwords in a row that lock an account. Default 5.
    pub max_login_failures: i64,
    /// Failures older than this are forgotten. Default 15.
    pub failure_window_minutes: i64,
    /// How long a lock lasts. Default 15.
    pub lock_minutes: i64,
    /// Mark cookies `Secure` (serve over HTTPS). Default false.
    pub secure_cookies: bool,
    /// argon2id memory cost in KiB for new password hashes. Default 19456 (OWASP).
    pub argon2_memory_kib: u32,
    /// argon2id iterations for new password hashes. Default 2.
    pub argon2_iterations: u32,
    /// Password hashes computed at once (each takes `argon2_memory_kib`); a login beyond it is
    /// refused at once with 429. 0 (the default): twice the machine's cores.
    pub max_concurrent_hashes: usize,
    /// Log-in attempts allowed per client address and minute. Default 10.
    pub login_attempts_per_minute: u32,
    /// How many reverse proxies of this site stand in front of gongkai, each appending the
    /// address it saw to `X-Forwarded-For`: the client is the entry that many from the right
    /// (entries further left were written by the client and are ignored). Default 0: the
    /// peer's address, headers ignored.
    pub trusted_proxy_hops: usize,
    /// Behind one reverse proxy: the same as `trusted_proxy_hops = 1`. Default false.
    pub trust_forwarded_for: bool,
    /// The bearer token `/metrics` asks for (`GONGKAI_METRICS_TOKEN`). Empty (the default):
    /// `/metrics` answers only to clients on the loopback interface.
    pub metrics_token: String,
    /// The file holding the key that seals uploaded files (`GONGKAI_DATA_KEY_FILE`), created
    /// if absent. Empty: a key for this process only (tests); `serve` fills in a default.
    pub data_key_file: std::path::PathBuf,
}

impl Default for SecurityConfig {
    fn default() -> Self {
        SecurityConfig {
            session_idle_minutes: 30,
            session_lifetime_hours: 12,
            max_login_failures: 5,
            failure_window_minutes: 15,
            lock_minutes: 15,
            secure_cookies: false,
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            max_concurrent_hashes: 0,
            login_attempts_per_minute: 10,
            trusted_proxy_hops: 0,
            trust_forwarded_for: false,
            metrics_token: String::new(),
            data_key_file: std::path::PathBuf::new(),
        }
    }
}

/// `[portal]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PortalConfig {
    /// The organ whose website this is: id, 统一社会信用代码, domain or name
    /// (`GONGKAI_PORTAL_ORGAN`). Empty: the first root organ.
    pub organ: String,
    /// The public address of the portal, scheme and host, no trailing path
    /// (`GONGKAI_BASE_URL`), used for the absolute URLs of sitemap.xml. Empty: `https://` and
    /// the organ's website domain.
    pub base_url: String,
}

/// `[search]`: the portal's full-text index of published items (`gongkai_search`).
///
/// The index is derived data: the store is the truth, and the index is rebuilt from it at
/// start when it is missing, empty, of another version, or of unknown state, and whenever a
/// write to it failed (see `crate::search`). Each server checks the store's item ledger every
/// few seconds and applies what changed, so items published by another process or the CLI
/// are found too.
///
/// **Several servers on one PostgreSQL database.** Only one process at a time can write an
/// index directory (tantivy's writer lock). Servers may share one directory (on one machine):
/// the one that holds the writer keeps it in step for all; the others find it `Locked`, say so
/// in the log ("serving search read-only"), search what it commits, and try to take over
/// every minute, so the directory stays in step if that server stops. Results are checked
/// against the store before they are shown, so an item withdrawn through any server is never
/// listed. Servers on different machines each need a directory of their own.
/// `gongkai search reindex` refuses a directory whose writer a server holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// The index directory (`GONGKAI_SEARCH_DIR`), created if absent. Empty: an index in
    /// memory, rebuilt at every start (tests); `serve` and `gongkai search reindex` fill in
    /// the database file's path + `.search` (`gongkai.db.search/`), or `./gongkai-search/`
    /// for PostgreSQL.
    pub dir: std::path::PathBuf,
}

/// `[log]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// `text` or `json` (`GONGKAI_LOG_FORMAT`).
    pub format: String,
    /// A tracing filter such as `info` or `gongkai_web=debug` (`GONGKAI_LOG`).
    pub level: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            format: "text".into(),
            level: "info".into(),
        }
    }
}

/// A configuration that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML for this configuration.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// The parser's message (names the key).
        message: String,
    },
    /// An environment variable has a value of the wrong kind.
    #[error("environment variable {var}: {message}")]
    Env {
        /// The variable.
        var: &'static str,
        /// What was wrong.
        message: String,
    },
}

impl Config {
    /// Reads a TOML file.
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Config::from_toml(&text).map_err(|message| ConfigError::Parse {
            path: path.display().to_string(),
            message,
        })
    }

    /// Parses TOML text.
    pub fn from_toml(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// Applies `GONGKAI_*` overrides read through `var` (the process environment in
    /// production, a map in tests).
    pub fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn int<T: std::str::FromStr>(name: &'static str, value: String) -> Result<T, ConfigError> {
            value.trim().parse().map_err(|_| ConfigError::Env {
                var: name,
                message: format!("expected a whole number, found {value:?}"),
            })
        }
        fn boolean(name: &'static str, value: &str) -> Result<bool, ConfigError> {
            match value.trim() {
                "1" | "true" | "yes" => Ok(true),
                "0" | "false" | "no" | "" => Ok(false),
                _ => Err(ConfigError::Env {
                    var: name,
                    message: format!("expected true or false, found {value:?}"),
                }),
            }
        }
        if let Some(v) = var("GONGKAI_ADDR") {
            self.server.addr = v;
        }
        if let Some(v) = var("GONGKAI_HEADER_READ_TIMEOUT_SECONDS") {
            self.server.header_read_timeout_seconds =
                int("GONGKAI_HEADER_READ_TIMEOUT_SECONDS", v)?;
        }
        if let Some(v) = var("GONGKAI_MAX_CONNECTIONS") {
            self.server.max_connections = int("GONGKAI_MAX_CONNECTIONS", v)?;
        }
        if let Some(v) = var("GONGKAI_MAX_BODY_KIB") {
            self.server.max_body_kib = int("GONGKAI_MAX_BODY_KIB", v)?;
        }
        if let Some(v) = var("GONGKAI_SESSION_LIFETIME_HOURS") {
            self.security.session_lifetime_hours = int("GONGKAI_SESSION_LIFETIME_HOURS", v)?;
        }
        if let Some(v) = var("GONGKAI_MAX_CONCURRENT_HASHES") {
            self.security.max_concurrent_hashes = int("GONGKAI_MAX_CONCURRENT_HASHES", v)?;
        }
        if let Some(v) = var("GONGKAI_TRUSTED_PROXY_HOPS") {
            self.security.trusted_proxy_hops = int("GONGKAI_TRUSTED_PROXY_HOPS", v)?;
        }
        if let Some(v) = var("GONGKAI_DB") {
            self.database.url = v;
        }
        if let Some(v) = var("GONGKAI_SESSION_IDLE_MINUTES") {
            self.security.session_idle_minutes = int("GONGKAI_SESSION_IDLE_MINUTES", v)?;
        }
        if let Some(v) = var("GONGKAI_MAX_LOGIN_FAILURES") {
            self.security.max_login_failures = int("GONGKAI_MAX_LOGIN_FAILURES", v)?;
        }
        if let Some(v) = var("GONGKAI_FAILURE_WINDOW_MINUTES") {
            self.security.failure_window_minutes = int("GONGKAI_FAILURE_WINDOW_MINUTES", v)?;
        }
        if let Some(v) = var("GONGKAI_LOCK_MINUTES") {
            self.security.lock_minutes = int("GONGKAI_LOCK_MINUTES", v)?;
        }
        if let Some(v) = var("GONGKAI_SECURE_COOKIES") {
            self.security.secure_cookies = boolean("GONGKAI_SECURE_COOKIES", &v)?;
        }
        if let Some(v) = var("GONGKAI_TRUST_FORWARDED_FOR") {
            self.security.trust_forwarded_for = boolean("GONGKAI_TRUST_FORWARDED_FOR", &v)?;
        }
        if let Some(v) = var("GONGKAI_LOGIN_ATTEMPTS_PER_MINUTE") {
            self.security.login_attempts_per_minute = int("GONGKAI_LOGIN_ATTEMPTS_PER_MINUTE", v)?;
        }
        if let Some(v) = var("GONGKAI_ARGON2_MEMORY_KIB") {
            self.security.argon2_memory_kib = int("GONGKAI_ARGON2_MEMORY_KIB", v)?;
        }
        if let Some(v) = var("GONGKAI_ARGON2_ITERATIONS") {
            self.security.argon2_iterations = int("GONGKAI_ARGON2_ITERATIONS", v)?;
        }
        if let Some(v) = var("GONGKAI_PORTAL_ORGAN") {
            self.portal.organ = v;
        }
        if let Some(v) = var("GONGKAI_METRICS_TOKEN") {
            self.security.metrics_token = v;
        }
        if let Some(v) = var("GONGKAI_DATA_KEY_FILE") {
            self.security.data_key_file = v.into();
        }
        if let Some(v) = var("GONGKAI_SEARCH_DIR") {
            self.search.dir = v.into();
        }
        if let Some(v) = var("GONGKAI_BASE_URL") {
            self.portal.base_url = v;
        }
        if let Some(v) = var("GONGKAI_LOG_FORMAT") {
            self.log.format = v;
        }
        if let Some(v) = var("GONGKAI_LOG") {
            self.log.level = v;
        }
        Ok(())
    }

    /// The lock-out policy in the store's terms.
    pub fn lock_policy(&self) -> gongkai_store::throttle::LockPolicy {
        gongkai_store::throttle::LockPolicy {
            max_failures: self.security.max_login_failures.max(1),
            window_seconds: self
                .security
                .failure_window_minutes
                .max(1)
                .saturating_mul(60),
            lock_seconds: self.security.lock_minutes.max(1).saturating_mul(60),
        }
    }

    /// How long staff sessions live.
    pub fn session_limits(&self) -> gongkai_store::session::SessionLimits {
        gongkai_store::session::SessionLimits {
            idle_seconds: self.security.session_idle_minutes.max(1).saturating_mul(60),
            lifetime_seconds: self
                .security
                .session_lifetime_hours
                .max(1)
                .saturating_mul(3600),
        }
    }

    /// The reverse proxies trusted to append to `X-Forwarded-For`.
    pub fn trusted_proxy_hops(&self) -> usize {
        match self.security.trusted_proxy_hops {
            0 if self.security.trust_forwarded_for => 1,
            hops => hops,
        }
    }

    /// Password hashes computed at once.
    pub fn max_concurrent_hashes(&self) -> usize {
        match self.security.max_concurrent_hashes {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()) * 2,
            n => n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn file_then_environment() {
        let mut config =
            Config::from_toml("[server]\naddr = \"0.0.0.0:9000\"\n[security]\nlock_minutes = 30\n")
                .unwrap();
        assert_eq!(config.server.addr, "0.0.0.0:9000");
        assert_eq!(config.security.lock_minutes, 30);
        assert_eq!(config.security.max_login_failures, 5);
        let env: HashMap<&str, &str> = [
            ("GONGKAI_ADDR", "127.0.0.1:1"),
            ("GONGKAI_DB", "postgres://h/db"),
            ("GONGKAI_SECURE_COOKIES", "true"),
        ]
        .into();
        config
            .apply_env(|k| env.get(k).map(|v| v.to_string()))
            .unwrap();
        assert_eq!(config.server.addr, "127.0.0.1:1");
        assert_eq!(config.database.url, "postgres://h/db");
        assert!(config.security.secure_cookies);
        assert_eq!(config.security.lock_minutes, 30);
    }

    #[test]
    fn the_search_directory_comes_from_the_file_or_the_environment() {
        let mut config = Config::from_toml("[search]\ndir = \"/srv/gongkai/search\"\n").unwrap();
        assert_eq!(
            config.search.dir,
            std::path::PathBuf::from("/srv/gongkai/search")
        );
        config
            .apply_env(|k| (k == "GONGKAI_SEARCH_DIR").then(|| "/var/lib/gk".to_string()))
            .unwrap();
        assert_eq!(config.search.dir, std::path::PathBuf::from("/var/lib/gk"));
        // Unset: empty, which `serve` fills in beside the database.
        assert!(Config::default().search.dir.as_os_str().is_empty());
    }

    #[test]
    fn errors_name_the_key() {
        let err = Config::from_toml("[security]\nlock_minutes = \"x\"\n").unwrap_err();
        assert!(err.contains("lock_minutes"), "{err}");
        let err = Config::from_toml("[server]\nport = 1\n").unwrap_err();
        assert!(err.contains("port"), "{err}");
        let mut config = Config::default();
        let err = config
            .apply_env(|k| (k == "GONGKAI_LOCK_MINUTES").then(|| "soon".to_string()))
            .unwrap_err();
        assert!(err.to_string().contains("GONGKAI_LOCK_MINUTES"));
    }
}
