//! Personal data that writers put into the text of a 留言: 18-digit 居民身份证号码 (17 digits and
//! `X` included), 11-digit mainland mobile numbers (also written `138-0013-8000` or
//! `138 0013 8000`) and the writer's own name. [`find`] tells the writer at submission what
//! will be masked; [`mask`] masks it whenever the public text is made, with the masks of
//! `gongkai_core::identity` that every list of the platform uses.
//!
//! A run of 18 digits is taken for a 身份证 number whether or not its check digit is right: a
//! mistyped number is still somebody's. Full-width digits (what Chinese input methods type)
//! count as digits. Digits that belong to a longer run (an account number, a date and a time
//! written together) are left alone, so a mobile number is never found inside them.

use gongkai_core::identity;

/// What [`find`] found in a text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PersonalData {
    /// 身份证 numbers.
    pub resident_ids: usize,
    /// Mobile numbers.
    pub mobiles: usize,
}

impl PersonalData {
    /// Whether anything was found.
    pub fn any(&self) -> bool {
        self.resident_ids + self.mobiles > 0
    }

    /// What was found, in words: `身份证号码、手机号码`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.resident_ids > 0 {
            parts.push("身份证号码");
        }
        if self.mobiles > 0 {
            parts.push("手机号码");
        }
        parts.join("、")
    }

    /// The sum of two findings (title and body).
    pub fn plus(self, other: PersonalData) -> PersonalData {
        PersonalData {
            resident_ids: self.resident_ids + other.resident_ids,
            mobiles: self.mobiles + other.mobiles,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    ResidentId,
    Mobile,
}

/// A number found: its characters `[start, end)` and what stands in its place.
struct Span {
    start: usize,
    end: usize,
    kind: Kind,
    masked: String,
}

/// An ASCII or full-width digit, as ASCII.
fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(u32::from(c) - 0xFEE0),
        _ => None,
    }
}

fn is_x(c: char) -> bool {
    matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ')
}

/// Whether `digits` (ASCII) look like a mainland mobile number: 11 digits, `1`, then 3–9.
fn mobile(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// The digits of `chars[from..]` as ASCII, up to the first character that is not one.
fn run(chars: &[char], from: usize) -> String {
    chars[from..].iter().map_while(|&c| digit(c)).collect()
}

/// A mobile number written in groups of 3, 4 and 4 digits with one kind of separator (a space
/// or a hyphen), starting at `start`: its end and its digits.
fn grouped_mobile(chars: &[char], start: usize) -> Option<(usize, String)> {
    let first = run(chars, start);
    if first.len() != 3 {
        return None;
    }
    let sep = *chars.get(start + 3)?;
    if !matches!(sep, ' ' | '-' | '－') {
        return None;
    }
    let second = run(chars, start + 4);
    if second.len() != 4 || chars.get(start + 8) != Some(&sep) {
        return None;
    }
    let third = run(chars, start + 9);
    if third.len() != 4 {
        return None;
    }
    let digits = format!("{first}{second}{third}");
    mobile(&digits).then_some((start + 13, digits))
}

fn spans(chars: &[char]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if digit(chars[i]).is_none() {
            i += 1;
            continue;
        }
        let digits = run(chars, i);
        let end = i + digits.chars().count();
        if digits.len() == 17 && chars.get(end).copied().is_some_and(is_x) {
            out.push(Span {
                start: i,
                end: end + 1,
                kind: Kind::ResidentId,
                masked: identity::mask_resident_id(&format!("{digits}X")),
            });
            i = end + 1;
        } else if digits.len() == 18 {
            out.push(Span {
                start: i,
                end,
                kind: Kind::ResidentId,
                masked: identity::mask_resident_id(&digits),
            });
            i = end;
        } else if mobile(&digits) {
            out.push(Span {
                start: i,
                end,
                kind: Kind::Mobile,
                masked: identity::mask_phone(&digits),
            });
            i = end;
        } else if let Some((grouped_end, digits)) = grouped_mobile(chars, i)
            && chars.get(grouped_end).copied().and_then(digit).is_none()
        {
            out.push(Span {
                start: i,
                end: grouped_end,
                kind: Kind::Mobile,
                masked: identity::mask_phone(&digits),
            });
            i = grouped_end;
        } else {
            i = end;
        }
    }
    out
}

/// The 身份证 and mobile numbers in `text`.
pub fn find(text: &str) -> PersonalData {
    let chars: Vec<char> = text.chars().collect();
    let mut found = PersonalData::default();
    for span in spans(&chars) {
        match span.kind {
            Kind::ResidentId => found.resident_ids += 1,
            Kind::Mobile => found.mobiles += 1,
        }
    }
    found
}

/// `text` with every 身份证 and mobile number masked (`1101**********002X`, `138****8000`)
/// and every occurrence of the `names` (the writer's; two characters or more) masked as lists
/// show names (`张*`).
pub fn mask(text: &str, names: &[&str]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans(&chars) {
        out.extend(&chars[at..span.start]);
        out.push_str(&span.masked);
        at = span.end;
    }
    out.extend(&chars[at..]);
    for name in names {
        let name = name.trim();
        if name.chars().count() >= 2 {
            out = out.replace(name, &identity::mask_name(name));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resident_ids_and_mobiles_are_found_and_masked() {
        let text = "我的身份证号11010519491231002X，电话13800138000，请回电。";
        assert_eq!(
            find(text),
            PersonalData {
                resident_ids: 1,
                mobiles: 1
            }
        );
        assert_eq!(
            mask(text, &[]),
            "我的身份证号1101**********002X，电话138****8000，请回电。"
        );
    }

    #[test]
    fn a_wrong_check_digit_and_full_width_digits_are_still_masked() {
        assert_eq!(mask("110105194912310020", &[]), "1101**********0020");
        assert_eq!(mask("电话１３８００１３８０００", &[]), "电话138****8000");
    }

    #[test]
    fn grouped_mobiles_are_masked_but_longer_runs_and_dates_are_not() {
        assert_eq!(mask("138-0013-8000。", &[]), "138****8000。");
        assert_eq!(mask("打 138 0013 8000", &[]), "打 138****8000");
        // A 19-digit account number holds no mobile number; a date is no number at all.
        let untouched = "账号6222021234567890123，2024-09-27 办理，编号12345678901";
        assert_eq!(mask(untouched, &[]), untouched);
        assert!(!find(untouched).any());
    }

    #[test]
    fn the_writers_name_is_masked() {
        assert_eq!(
            mask("我叫张三丰，张三丰反映", &["张三丰"]),
            "我叫张**，张**反映"
        );
        // A one-character name would mask every occurrence of a common character: left alone.
        assert_eq!(mask("张", &["张"]), "张");
    }
}
