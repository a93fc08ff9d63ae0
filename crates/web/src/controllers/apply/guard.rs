//! What protects the public column without a captcha or a login: per-address limits on
//! submissions and on wrong 申请编号/查询码 pairs, the random 查询码, and the sealed receipt
//! value that carries the code through the redirect to the receipt page (only its hash is
//! stored, so the receipt is the one place the code is ever shown).

use std::collections::HashMap;
use std::sync::Mutex;

use gongkai_core::calendar::{format_date, parse_date};
use rand::RngCore;
use time::Date;

use crate::sealed::DataKey;

/// Events per client address in a fixed window: the first event opens the window, which
/// lasts `seconds`; at most `max` events count in it.
#[derive(Debug)]
pub struct Window {
    seen: Mutex<HashMap<String, (i64, u32)>>,
    seconds: i64,
    max: u32,
}

impl Window {
    /// At most `max` events per `seconds` per address.
    pub fn new(seconds: i64, max: u32) -> Window {
        Window {
            seen: Mutex::new(HashMap::new()),
            seconds,
            max,
        }
    }

    /// Runs `f` on the address's (window start, count), the window reset if it has passed.
    fn with_entry<R>(&self, client: &str, now: i64, f: impl FnOnce(&mut (i64, u32)) -> R) -> R {
        let mut seen = match self.seen.lock() {
            Ok(seen) => seen,
            // A poisoned lock only means another request panicked; the map is still usable.
            Err(poisoned) => poisoned.into_inner(),
        };
        if seen.len() > 10_000 {
            seen.retain(|_, (start, _)| now - *start < self.seconds);
        }
        let entry = seen.entry(client.to_owned()).or_insert((now, 0));
        if now - entry.0 >= self.seconds {
            *entry = (now, 0);
        }
        f(entry)
    }

    /// Counts an event; false when it is over the limit.
    pub fn allow(&self, client: &str, now: i64) -> bool {
        let max = self.max;
        self.with_entry(client, now, |entry| {
            entry.1 = entry.1.saturating_add(1);
            entry.1 <= max
        })
    }

    /// Counts an event without asking whether it was allowed (it already happened).
    pub fn record(&self, client: &str, now: i64) {
        self.allow(client, now);
    }

    /// Whether the address has used up its window (nothing is counted).
    pub fn exhausted(&self, client: &str, now: i64) -> bool {
        let max = self.max;
        self.with_entry(client, now, |entry| entry.1 >= max)
    }
}

/// Applications one address may submit per window.
pub const SUBMISSIONS: u32 = 5;
/// Wrong 申请编号/查询码 pairs one address may try per window.
pub const WRONG_PAIRS: u32 = 10;
/// The window of both limits: ten minutes.
pub const WINDOW_SECONDS: i64 = 600;

/// The column's limiters, one set per router.
#[derive(Debug)]
pub struct Guards {
    /// Submitted applications (the honeypot's included).
    pub submissions: Window,
    /// Tracking look-ups that found nothing.
    pub wrong_pairs: Window,
}

impl Default for Guards {
    fn default() -> Self {
        Guards {
            submissions: Window::new(WINDOW_SECONDS, SUBMISSIONS),
            wrong_pairs: Window::new(WINDOW_SECONDS, WRONG_PAIRS),
        }
    }
}

/// The 查询码's characters: digits and capitals without 0, 1, I and O, which are read for one
/// another. 32 of them, so a random byte modulo 32 is uniform.
pub const CODE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// The 查询码's length: 60 random bits.
pub const CODE_LEN: usize = 12;

/// A new random 查询码.
pub fn new_code() -> String {
    let mut bytes = [0u8; CODE_LEN];
    rand::rng().fill_bytes(&mut bytes);
    bytes
        .iter()
        .filter_map(|b| CODE_ALPHABET.get(usize::from(b % 32)))
        .map(|&c| char::from(c))
        .collect()
}

/// A typed 查询码 as stored: spaces and dashes dropped, upper case, full-width forms folded.
pub fn normalise_code(text: &str) -> String {
    fold(text)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

/// A typed 申请编号 as stored: `ysq-2026-0001` and `ＹＳＱ－２０２６－０００１` are
/// `YSQ-2026-0001`.
pub fn normalise_number(text: &str) -> String {
    fold(text).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Full-width ASCII forms (what Chinese input methods type) to ASCII, upper case.
fn fold(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// What the receipt page shows, carried through the redirect after a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// 申请编号.
    pub number: String,
    /// 查询码 (its only appearance after the submission).
    pub code: String,
    /// 收到申请之日 (the day both sides confirm, art. 31 (三)).
    pub received: Date,
}

/// The cookie that carries the sealed receipt.
pub const RECEIPT_COOKIE: &str = "gk_receipt";
/// How long the receipt can be shown after the submission.
pub const RECEIPT_SECONDS: i64 = 600;
/// The sealing purpose: a receipt cannot be passed off as an uploaded file, nor one as it.
const RECEIPT_PURPOSE: &str = "apply_receipt";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

impl Receipt {
    /// The cookie value: the receipt and its expiry, sealed (encrypted and authenticated) with
    /// the deployment key, so the code never travels or rests in the clear and a value the
    /// client made is refused.
    pub fn seal(&self, key: &DataKey, now: i64) -> String {
        let plain = format!(
            "{}\n{}\n{}\n{}",
            self.number,
            self.code,
            format_date(self.received),
            now.saturating_add(RECEIPT_SECONDS)
        );
        let (nonce, sealed) = key.seal(RECEIPT_PURPOSE, plain.as_bytes());
        format!("{}.{}", hex(&nonce), hex(&sealed))
    }

    /// The receipt in a cookie value, if this deployment sealed it and it has not expired.
    pub fn open(key: &DataKey, value: &str, now: i64) -> Option<Receipt> {
        let (nonce, sealed) = value.split_once('.')?;
        let plain = key.open(RECEIPT_PURPOSE, &unhex(nonce)?, &unhex(sealed)?)?;
        let plain = String::from_utf8(plain).ok()?;
        let mut parts = plain.split('\n');
        let number = parts.next()?.to_owned();
        let code = parts.next()?.to_owned();
        let received = parse_date(parts.next()?)?;
        let expires: i64 = parts.next()?.parse().ok()?;
        (now <= expires).then_some(Receipt {
            number,
            code,
            received,
        })
    }
}

/// A receipt cookie's `Set-Cookie` value: only for its receipt page (`path`), sent on same-site
/// requests only, never to scripts. An empty `value` with `max_age` 0 removes it.
pub fn receipt_cookie(secure: bool, name: &str, path: &str, value: &str, max_age: i64) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}")
}

/// 303 to the receipt page `path`, setting `cookie` (a [`receipt_cookie`]).
pub fn to_receipt_page(path: &str, cookie: String) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, path.to_owned()),
            (header::SET_COOKIE, cookie),
        ],
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_counts_per_address_and_resets() {
        let w = Window::new(600, 2);
        assert!(w.allow("a", 0));
        assert!(!w.exhausted("a", 1));
        assert!(w.allow("a", 1));
        assert!(w.exhausted("a", 2));
        assert!(!w.allow("a", 599));
        assert!(w.allow("b", 599));
        assert!(w.allow("a", 600));
    }

    #[test]
    fn codes_are_long_and_unambiguous() {
        let code = new_code();
        assert_eq!(code.chars().count(), CODE_LEN);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)), "{code}");
        assert!(!code.contains(['0', '1', 'I', 'O']));
        assert_ne!(new_code(), new_code());
        assert_eq!(normalise_code(" abcd-efgh ＪＫ "), "ABCDEFGHJK");
        assert_eq!(
            normalise_number("ＹＳＱ－２０２６－０００１"),
            "YSQ-2026-0001"
        );
        assert_eq!(normalise_number(" ysq-2026-0001 "), "YSQ-2026-0001");
    }

    #[test]
    fn a_receipt_opens_only_with_its_key_and_before_it_expires() {
        let key = DataKey::random();
        let receipt = Receipt {
            number: "YSQ-2026-0001".into(),
            code: "ABCDEFGHJKLM".into(),
            received: time::macros::date!(2026 - 01 - 05),
        };
        let value = receipt.seal(&key, 1000);
        assert!(!value.contains("ABCDEFGHJKLM"));
        assert_eq!(Receipt::open(&key, &value, 1000), Some(receipt.clone()));
        assert_eq!(
            Receipt::open(&key, &value, 1000 + RECEIPT_SECONDS),
            Some(receipt)
        );
        assert_eq!(Receipt::open(&key, &value, 1001 + RECEIPT_SECONDS), None);
        assert_eq!(Receipt::open(&DataKey::random(), &value, 1000), None);
        assert_eq!(Receipt::open(&key, "00.11", 1000), None);
        assert_eq!(Receipt::open(&key, "not a receipt", 1000), None);
    }
}
