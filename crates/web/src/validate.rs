//! Checks of form fields, each failure a Chinese sentence shown beside the field or on the
//! error page; and the bound of every text field of every form ([`Bounded`]), checked by the
//! form and query extractors before a handler sees a value.

/// A text field's bound: at most `max_chars` characters, no control characters (NUL
/// included) except, where `multiline`, line breaks and tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    /// The form field's name.
    pub field: &'static str,
    /// What the visitor calls it.
    pub label: &'static str,
    /// The most characters (not bytes) it may hold.
    pub max_chars: usize,
    /// Whether line breaks and tabs are allowed.
    pub multiline: bool,
}

impl Bound {
    /// A single-line field.
    pub const fn line(field: &'static str, label: &'static str, max_chars: usize) -> Bound {
        Bound {
            field,
            label,
            max_chars,
            multiline: false,
        }
    }

    /// A field of several lines.
    pub const fn lines(field: &'static str, label: &'static str, max_chars: usize) -> Bound {
        Bound {
            field,
            label,
            max_chars,
            multiline: true,
        }
    }
}

/// The bound of a field a form does not list (a name the page never sends).
pub const UNLISTED: Bound = Bound::line("", "未知字段", 200);

/// The most name=value pairs one form or query may carry.
pub const MAX_FIELDS: usize = 200;

/// A form or query with a bound for each of its text fields. The list is the documentation
/// of the bounds; a field it does not name gets [`UNLISTED`].
pub trait Bounded {
    /// Every field's bound.
    const FIELDS: &'static [Bound];
}

/// The bound of `field` in `fields`.
pub fn bound_of(fields: &[Bound], field: &str) -> Bound {
    fields
        .iter()
        .find(|b| b.field == field)
        .copied()
        .unwrap_or(UNLISTED)
}

/// Whether a character may stand in a field: controls never (NUL, C0, DEL, C1), but line
/// breaks and tabs in a multi-line field.
fn allowed_char(c: char, multiline: bool) -> bool {
    !c.is_control() || (multiline && matches!(c, '\n' | '\r' | '\t'))
}

/// Checks one value against its bound.
pub fn text(bound: &Bound, value: &str) -> Result<(), String> {
    if value.chars().any(|c| !allowed_char(c, bound.multiline)) {
        let extra = if bound.multiline {
            "（换行和制表符除外）"
        } else {
            "（包括换行）"
        };
        return Err(format!(
            "「{}」含有不允许的控制字符{extra}，请删除后重新提交。",
            bound.label
        ));
    }
    let count = value.chars().count();
    if count > bound.max_chars {
        return Err(format!(
            "「{}」不能超过{}个字（现为{count}个），请精简后重新提交。",
            bound.label, bound.max_chars
        ));
    }
    Ok(())
}

/// Checks every name=value pair of a form or query against `fields`: the first violation's
/// sentence.
pub fn pairs(fields: &[Bound], pairs: &[(String, String)]) -> Result<(), String> {
    if pairs.len() > MAX_FIELDS {
        return Err(format!(
            "提交的字段过多（{}个，最多{MAX_FIELDS}个），请返回检查后重新提交。",
            pairs.len()
        ));
    }
    for (name, value) in pairs {
        let bound = bound_of(fields, name);
        if bound == UNLISTED {
            // A name no page sends: its name is bounded like its value.
            text(&UNLISTED, name)?;
        }
        text(&bound, value)?;
    }
    Ok(())
}

/// 统一社会信用代码 (GB 32100-2015), checked by `gongkai_core::identity::credit_code`: the
/// sentence to show at the field.
pub fn credit_code(code: &str) -> Result<(), String> {
    gongkai_core::identity::credit_code(code)
        .map(|_| ())
        .map_err(|e| format!("{}。", e.message()))
}

/// 政府网站标识码: 10 characters, digits (local sites) or `bm` plus digits (central departments).
pub fn site_id_code(code: &str) -> Result<(), &'static str> {
    let ok = code.len() == 10
        && (code.bytes().all(|b| b.is_ascii_digit())
            || (code.starts_with("bm") && code.bytes().skip(2).all(|b| b.is_ascii_digit())));
    if ok {
        Ok(())
    } else {
        Err("政府网站标识码应为10位（如 1507000009），请核对后重新填写。")
    }
}

/// 邮政编码: six digits.
pub fn postcode(code: &str) -> Result<(), &'static str> {
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err("邮政编码应为6位数字。")
    }
}

/// A login name: 3–32 letters, digits, `_`, `-` or `.`.
pub fn username(name: &str) -> Result<(), &'static str> {
    let ok = (3..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if ok {
        Ok(())
    } else {
        Err("用户名应为3至32位字母、数字或 _ - . 符号。")
    }
}

/// A new password: at least 10 characters.
pub fn password(password: &str) -> Result<(), &'static str> {
    if password.chars().count() >= 10 {
        Ok(())
    } else {
        Err("密码至少需要10个字符。")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_code_check_character() {
        // Check characters computed by hand with the GB 32100-2015 weights.
        assert!(credit_code("91350100M000100Y43").is_ok());
        assert!(credit_code("91350100M000100Y44").is_err());
        assert!(credit_code("91350100M000100Y4").is_err());
        assert!(credit_code("91350100M000100YI3").is_err());
    }

    #[test]
    fn site_codes_and_postcodes() {
        assert_eq!(site_id_code("1507000009"), Ok(()));
        assert_eq!(site_id_code("bm14000002"), Ok(()));
        assert!(site_id_code("150700000").is_err());
        assert_eq!(postcode("021000"), Ok(()));
        assert!(postcode("02100").is_err());
    }

    #[test]
    fn text_bounds_count_characters_and_refuse_controls() {
        let one = Bound::line("name", "名称", 4);
        let many = Bound::lines("body", "正文", 10);
        assert!(text(&one, "呼伦贝尔").is_ok());
        assert_eq!(
            text(&one, "呼伦贝尔市").unwrap_err(),
            "「名称」不能超过4个字（现为5个），请精简后重新提交。"
        );
        for bad in ["adm\0in", "a\u{1b}b", "a\u{7f}", "a\u{85}", "a\nb", "a\tb"] {
            assert!(text(&one, bad).is_err(), "{bad:?}");
        }
        assert!(text(&many, "一\r\n二\t三").is_ok());
        assert!(text(&many, "一\0").unwrap_err().contains("控制字符"));
    }

    #[test]
    fn unlisted_fields_and_too_many_fields() {
        const FIELDS: &[Bound] = &[Bound::line("a", "甲", 3)];
        let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        assert!(pairs(FIELDS, &[pair("a", "123"), pair("zzz", "x")]).is_ok());
        assert!(pairs(FIELDS, &[pair("a", "1234")]).is_err());
        assert!(pairs(FIELDS, &[pair("zzz", &"x".repeat(201))]).is_err());
        assert!(pairs(FIELDS, &[pair(&"k".repeat(201), "")]).is_err());
        let many: Vec<_> = (0..=MAX_FIELDS).map(|i| pair(&i.to_string(), "")).collect();
        assert!(pairs(FIELDS, &many).is_err());
    }

    #[test]
    fn usernames_and_passwords() {
        assert!(username("admin").is_ok());
        assert!(username("ad").is_err());
        assert!(username("管理员").is_err());
        assert!(password("1234567890").is_ok());
        assert!(password("short").is_err());
    }
}
