//! The public portal (政府信息公开专栏), the staff console and, later, the JSON API.
//!
//! [`router::build`] lists every route; [`AppState`] holds the store, the templates (embedded
//! with `include_str!`), the configuration, the clock and the metrics. Handlers live in
//! `controllers/<area>.rs`; every failure is a [`WebError`], which knows its HTTP status and
//! its Chinese sentence.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use gongkai_store::{Location, Store};
//! let store = Store::open(&Location::parse("gongkai.db")).await?;
//! let state = gongkai_web::AppState::new(store, gongkai_web::Config::default())?;
//! let app = gongkai_web::router::build(state);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app).await?;
//! # Ok(()) }
//! ```
//!
//! **Architecture invariant:** this crate alone knows HTTP and HTML; it has no SQL (it asks
//! `gongkai_store`). Console handlers obtain an `OrganScope` from the store's role check
//! before touching an organ's data, and check the CSRF token before any write.

pub mod annual;
pub mod api;
pub mod auth;
pub mod cases;
pub mod config;
mod controllers;
mod cookies;
pub mod demo;
mod error;
mod guide;
pub mod metrics;
pub mod page_cache;
pub mod router;
pub mod sealed;
pub mod search;
mod server;
mod site;
mod templates;
pub mod throttle;
mod validate;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

pub use config::Config;
pub use error::WebError;

use gongkai_store::Store;

/// The Beijing date of a Unix time: the day deadlines are counted on.
pub fn site_date(unix: i64) -> time::Date {
    site::beijing_date(unix)
}

/// Where the current time comes from: the system clock, or a fixed one in tests.
pub trait Clock: Send + Sync {
    /// Now, in Unix seconds.
    fn now(&self) -> i64;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        time::OffsetDateTime::now_utc().unix_timestamp()
    }
}

/// A clock that stands still until moved (tests).
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// A clock showing `now`.
    pub fn new(now: i64) -> Self {
        ManualClock(AtomicI64::new(now))
    }
    /// Moves the clock forward.
    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Everything a handler needs.
pub struct App {
    /// The database.
    pub store: Store,
    /// Configuration.
    pub config: Config,
    /// Time source.
    pub clock: Arc<dyn Clock>,
    /// Counters for `/metrics`.
    pub metrics: metrics::Metrics,
    /// Password hashing.
    pub passwords: auth::Passwords,
    /// Log-in attempts per client address.
    pub login_rate: throttle::LoginRate,
    /// Signs the log-in form's CSRF token.
    pub login_csrf: auth::LoginCsrf,
    /// The rendered public pages (see [`page_cache`]).
    pub page_cache: page_cache::PageCache,
    /// Seals uploaded files (身份证明, scanned letters).
    pub data_key: sealed::DataKey,
    /// The portal's full-text index of published items, kept in step with the store
    /// ([`search`]).
    pub search: search::PortalSearch,
    /// The clocks' settings (the receipt-day rule).
    pub clock_config: gongkai_core::clock::ClockConfig,
    /// The calendar: built-in notices, those entered in the console or the CLI, provisional
    /// years for the rest. Rebuilt whenever the store's entered notices change.
    calendar: tokio::sync::RwLock<Option<CachedCalendar>>,
    templates: minijinja::Environment<'static>,
}

/// The shared state: cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<App>);

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}

impl AppState {
    /// State with the system clock.
    pub fn new(store: Store, config: Config) -> Result<AppState, WebError> {
        AppState::with_clock(store, config, Arc::new(SystemClock))
    }

    /// State with a given clock (tests).
    pub fn with_clock(
        store: Store,
        config: Config,
        clock: Arc<dyn Clock>,
    ) -> Result<AppState, WebError> {
        let passwords = auth::Passwords::new(&config.security, config.max_concurrent_hashes())?;
        // Made now, so that the first log-in with an unknown name does not take longer than
        // the others (it would otherwise hash once more to make it).
        passwords.dummy_hash();
        Ok(AppState(Arc::new(App {
            store,
            clock,
            metrics: metrics::Metrics::default(),
            passwords,
            login_rate: throttle::LoginRate::default(),
            login_csrf: auth::LoginCsrf::new(),
            page_cache: page_cache::PageCache::default(),
            data_key: match &config.security.data_key_file {
                path if path.as_os_str().is_empty() => sealed::DataKey::random(),
                path => sealed::DataKey::load_or_create(path)
                    .map_err(|e| WebError::Internal(e.to_string()))?,
            },
            search: search::PortalSearch::open(&config.search)?,
            clock_config: gongkai_core::clock::ClockConfig::default(),
            calendar: tokio::sync::RwLock::new(None),
            templates: templates::environment()?,
            config,
        })))
    }

    /// Now, in Unix seconds.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Today in Beijing (UTC+8, no daylight saving): the day deadlines are counted on.
    pub fn today(&self) -> time::Date {
        site::beijing_date(self.now())
    }

    /// The calendar deadlines are counted with. One small query checks that the entered
    /// notices have not changed since it was built (by this process, the CLI or another server).
    pub async fn calendar(&self) -> Result<Arc<gongkai_core::calendar::Calendar>, WebError> {
        let generation = self.store.calendar_generation().await?;
        if let Some(cached) = self.calendar.read().await.as_ref()
            && cached.generation == generation
        {
            return Ok(cached.calendar.clone());
        }
        self.reload_calendar().await
    }

    /// Rebuilds the calendar from the store (after a year's notice was entered).
    pub async fn reload_calendar(&self) -> Result<Arc<gongkai_core::calendar::Calendar>, WebError> {
        let generation = self.store.calendar_generation().await?;
        let calendar = Arc::new(self.store.calendar().await?);
        *self.calendar.write().await = Some(CachedCalendar {
            generation,
            calendar: calendar.clone(),
        });
        Ok(calendar)
    }
}

/// The calendar as last built, with the store's generation it was built from.
struct CachedCalendar {
    generation: (i64, i64),
    calendar: Arc<gongkai_core::calendar::Calendar>,
}

/// Serves the application on `listener` until `shutdown` completes (e.g. Ctrl-C): HTTP/1.1
/// with the request-head and idle timeout and the connection limit of `[server]`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    server::run(listener, state, shutdown).await
}
