//! Login throttling per client address: at most so many log-in attempts a minute from one
//! address, whatever the account. (Per-account lock-out after repeated wrong passwords is
//! kept in the database by `gongkai_store::throttle`.)

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::{AppState, WebError};

/// Attempts per address in the current minute.
#[derive(Debug, Default)]
pub struct LoginRate {
    seen: Mutex<HashMap<String, (i64, u32)>>,
}

impl LoginRate {
    /// Counts an attempt from `client` at `now`; false when over `per_minute`.
    pub fn allow(&self, client: &str, now: i64, per_minute: u32) -> bool {
        let Ok(mut seen) = self.seen.lock() else {
            // A poisoned lock only means another request panicked; do not lock everyone out.
            return true;
        };
        if seen.len() > 10_000 {
            seen.retain(|_, (start, _)| now - *start < 60);
        }
        let entry = seen.entry(client.to_owned()).or_insert((now, 0));
        if now - entry.0 >= 60 {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= per_minute
    }
}

/// The client's address: the peer, or the first `X-Forwarded-For` hop when configured to
/// trust a reverse proxy. `unknown` when neither is known (in-process tests).
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        if state.config.security.trust_forwarded_for
            && let Some(first) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        {
            return Ok(ClientAddr(first.to_owned()));
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string());
        Ok(ClientAddr(peer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_attempts_per_minute_and_address() {
        let rate = LoginRate::default();
        for _ in 0..3 {
            assert!(rate.allow("1.2.3.4", 100, 3));
        }
        assert!(!rate.allow("1.2.3.4", 159, 3));
        assert!(rate.allow("5.6.7.8", 159, 3));
        assert!(rate.allow("1.2.3.4", 160, 3));
    }
}
