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

/// The client's address: the peer's, or, behind `hops` trusted reverse proxies, the entry of
/// `X-Forwarded-For` that the outermost of them appended (`hops` from the right). Entries to
/// its left came from the client and prove nothing. `unknown` when neither is known
/// (in-process tests).
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

/// The client address behind `hops` proxies, from the `X-Forwarded-For` values in order.
/// With fewer entries than hops, the leftmost (every entry was appended by a trusted proxy).
pub fn forwarded_client<'a>(values: impl Iterator<Item = &'a str>, hops: usize) -> Option<String> {
    if hops == 0 {
        return None;
    }
    let entries: Vec<&str> = values.flat_map(|v| v.split(',')).map(str::trim).collect();
    let index = entries.len().saturating_sub(hops);
    let entry = entries.get(index)?;
    // An address, not whatever text a misconfigured proxy passed on: it is a map key.
    entry
        .parse::<std::net::IpAddr>()
        .ok()
        .map(|ip| ip.to_string())
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let values = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok());
        if let Some(client) = forwarded_client(values, state.config.trusted_proxy_hops()) {
            return Ok(ClientAddr(client));
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

    #[test]
    fn the_client_is_the_entry_the_trusted_proxies_appended() {
        let one = |v: &'static str, hops| forwarded_client([v].into_iter(), hops);
        // The client wrote "6.6.6.6"; the one proxy appended the real peer.
        assert_eq!(
            one("6.6.6.6, 203.0.113.9", 1).as_deref(),
            Some("203.0.113.9")
        );
        assert_eq!(
            one("6.6.6.6, 203.0.113.9, 10.0.0.2", 2).as_deref(),
            Some("203.0.113.9")
        );
        assert_eq!(one("203.0.113.9", 2).as_deref(), Some("203.0.113.9"));
        assert_eq!(one("6.6.6.6, 203.0.113.9", 0), None);
        assert_eq!(one("not an address", 1), None);
        // Several header lines are one list.
        let lines = ["6.6.6.6", "203.0.113.9"];
        assert_eq!(
            forwarded_client(lines.into_iter(), 1).as_deref(),
            Some("203.0.113.9")
        );
    }
}
