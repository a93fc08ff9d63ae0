//! Counters for `/metrics`, written in the Prometheus text format by hand (a few atomics are
//! all the platform needs so far).

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// The process's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    responses: [AtomicU64; 5],
    login_failures: AtomicU64,
    lockouts: AtomicU64,
    logins: AtomicU64,
    csrf_rejections: AtomicU64,
    logins_busy: AtomicU64,
    connections_refused: AtomicU64,
}

impl Metrics {
    /// Counts a response by status class (1xx … 5xx).
    pub fn response(&self, status: u16) {
        let class = usize::from(status / 100).clamp(1, 5) - 1;
        if let Some(counter) = self.responses.get(class) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    }
    /// Counts a successful login.
    pub fn login(&self) {
        self.logins.fetch_add(1, Ordering::Relaxed);
    }
    /// Counts a failed login.
    pub fn login_failure(&self) {
        self.login_failures.fetch_add(1, Ordering::Relaxed);
    }
    /// Counts an account lock.
    pub fn lockout(&self) {
        self.lockouts.fetch_add(1, Ordering::Relaxed);
    }
    /// Counts a login refused because as many password hashes as allowed were running.
    pub fn login_busy(&self) {
        self.logins_busy.fetch_add(1, Ordering::Relaxed);
    }
    /// Counts a connection refused over the connection limit.
    pub fn connection_refused(&self) {
        self.connections_refused.fetch_add(1, Ordering::Relaxed);
    }
    /// Counts a refused CSRF token.
    pub fn csrf_rejected(&self) {
        self.csrf_rejections.fetch_add(1, Ordering::Relaxed);
    }

    /// The exposition text.
    pub fn render(&self, backend: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP gongkai_http_responses_total HTTP responses by status class.\n\
             # TYPE gongkai_http_responses_total counter"
        );
        for (i, counter) in self.responses.iter().enumerate() {
            let _ = writeln!(
                out,
                "gongkai_http_responses_total{{class=\"{}xx\"}} {}",
                i + 1,
                counter.load(Ordering::Relaxed)
            );
        }
        for (name, help, counter) in [
            (
                "gongkai_logins_total",
                "Successful staff logins.",
                &self.logins,
            ),
            (
                "gongkai_login_failures_total",
                "Failed staff logins.",
                &self.login_failures,
            ),
            (
                "gongkai_account_lockouts_total",
                "Accounts locked after repeated failures.",
                &self.lockouts,
            ),
            (
                "gongkai_csrf_rejections_total",
                "Form posts refused for a missing or wrong CSRF token.",
                &self.csrf_rejections,
            ),
            (
                "gongkai_logins_busy_total",
                "Logins refused at once because the password-hash bound was reached.",
                &self.logins_busy,
            ),
            (
                "gongkai_connections_refused_total",
                "Connections answered 503 over the connection limit.",
                &self.connections_refused,
            ),
        ] {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                counter.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP gongkai_info Build and database information.\n# TYPE gongkai_info gauge\n\
             gongkai_info{{version=\"{}\",backend=\"{backend}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        out
    }
}
