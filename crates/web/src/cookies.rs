//! Reading the `Cookie` header and writing `Set-Cookie` values. Every cookie is HttpOnly and
//! SameSite=Lax or Strict; the `Secure` flag follows the configuration.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

/// The staff session.
pub const SESSION: &str = "gk_session";
/// The token that protects the login form before a session exists.
pub const LOGIN_CSRF: &str = "gk_csrf";
/// The 长者模式 switch.
pub const ELDER: &str = "gk_elder";

/// The value of cookie `name`, if sent.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
}

/// A `Set-Cookie` value. `max_age` of `None` makes a browser-session cookie.
pub fn set(name: &str, value: &str, max_age: Option<i64>, strict: bool, secure: bool) -> String {
    let mut out = format!(
        "{name}={value}; Path=/; HttpOnly; SameSite={}",
        if strict { "Strict" } else { "Lax" }
    );
    if let Some(age) = max_age {
        out.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        out.push_str("; Secure");
    }
    out
}

/// A `Set-Cookie` value that removes cookie `name`.
pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", Some(0), false, secure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_one_cookie_among_several() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_static("a=1; gk_session=abc; b=2"));
        assert_eq!(get(&headers, SESSION).as_deref(), Some("abc"));
        assert_eq!(get(&headers, "missing"), None);
    }

    #[test]
    fn session_cookie_is_http_only_and_same_site() {
        let c = set(SESSION, "x", None, true, false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict"));
        assert!(!c.contains("Secure"));
        assert!(set(SESSION, "x", None, true, true).ends_with("; Secure"));
    }
}
