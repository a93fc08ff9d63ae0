//! What protects the public forms of 互动交流 without a captcha or a login, after the pattern of
//! the 依申请公开 column: per-address limits on 留言, on comments and on wrong 留言编号/查询码
//! pairs (the same [`Window`]), and the sealed receipt that carries the 查询码 through the
//! redirect to the receipt page, the one place it is ever shown.

use gongkai_core::calendar::{format_date, parse_date};
use gongkai_store::message::PersonalData;
use time::Date;

pub use crate::controllers::apply::guard::{
    WINDOW_SECONDS, Window, new_code, normalise_code, normalise_number,
};
use crate::sealed::DataKey;

/// 留言 one address may submit per window.
pub const LETTERS: u32 = 5;
/// Comments one address may submit per window.
pub const COMMENTS: u32 = 10;
/// Wrong 留言编号/查询码 pairs one address may try per window.
pub const WRONG_PAIRS: u32 = 10;

/// The area's limiters, one set per router.
#[derive(Debug)]
pub struct Guards {
    /// Submitted 留言 (the honeypot's included).
    pub letters: Window,
    /// Submitted comments (the honeypot's included).
    pub comments: Window,
    /// Look-ups that found nothing.
    pub wrong_pairs: Window,
}

impl Default for Guards {
    fn default() -> Self {
        Guards {
            letters: Window::new(WINDOW_SECONDS, LETTERS),
            comments: Window::new(WINDOW_SECONDS, COMMENTS),
            wrong_pairs: Window::new(WINDOW_SECONDS, WRONG_PAIRS),
        }
    }
}

/// What the receipt page shows, carried through the redirect after a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// 留言编号.
    pub number: String,
    /// 查询码 (its only appearance).
    pub code: String,
    /// 收到日期.
    pub received: Date,
    /// The personal data found in the text (masked on publication).
    pub found: PersonalData,
    /// Whether the writer agreed to publication.
    pub consent: bool,
}

/// The cookie that carries the sealed receipt.
pub const RECEIPT_COOKIE: &str = "gk_letter_receipt";
/// How long the receipt can be shown after the submission.
pub const RECEIPT_SECONDS: i64 = 600;
/// The sealing purpose: a receipt of this area opens nowhere else.
const RECEIPT_PURPOSE: &str = "letter_receipt";

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
    /// The cookie value: the receipt and its expiry, sealed with the deployment key.
    pub fn seal(&self, key: &DataKey, now: i64) -> String {
        let plain = format!(
            "{}\n{}\n{}\n{}\n{}\n{}\n{}",
            self.number,
            self.code,
            format_date(self.received),
            self.found.resident_ids,
            self.found.mobiles,
            u8::from(self.consent),
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
        let resident_ids = parts.next()?.parse().ok()?;
        let mobiles = parts.next()?.parse().ok()?;
        let consent = parts.next()? == "1";
        let expires: i64 = parts.next()?.parse().ok()?;
        (now <= expires).then_some(Receipt {
            number,
            code,
            received,
            found: PersonalData {
                resident_ids,
                mobiles,
            },
            consent,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receipt_opens_only_with_its_key_and_before_it_expires() {
        let key = DataKey::random();
        let receipt = Receipt {
            number: "LY-2026-0001".into(),
            code: "ABCDEFGHJKLM".into(),
            received: time::macros::date!(2026 - 01 - 05),
            found: PersonalData {
                resident_ids: 1,
                mobiles: 2,
            },
            consent: true,
        };
        let value = receipt.seal(&key, 1000);
        assert!(!value.contains("ABCDEFGHJKLM"));
        assert_eq!(Receipt::open(&key, &value, 1000), Some(receipt.clone()));
        assert_eq!(Receipt::open(&key, &value, 1001 + RECEIPT_SECONDS), None);
        assert_eq!(Receipt::open(&DataKey::random(), &value, 1000), None);
        assert_eq!(Receipt::open(&key, "00.11", 1000), None);
    }
}
