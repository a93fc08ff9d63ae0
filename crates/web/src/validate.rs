//! Checks of console form fields, each failure a Chinese sentence shown beside the field.

/// 统一社会信用代码 (GB 32100-2015): 18 characters from the code's alphabet with a check
/// character computed from the first 17.
pub fn credit_code(code: &str) -> Result<(), &'static str> {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err("统一社会信用代码应为18位，请核对后重新填写。");
    }
    let mut values = Vec::with_capacity(18);
    for c in &chars {
        match ALPHABET.find(*c) {
            Some(v) => values.push(v as u32),
            None => return Err("统一社会信用代码含有不允许的字符，请核对后重新填写。"),
        }
    }
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let expected = (31 - sum % 31) % 31;
    if values.get(17) == Some(&expected) {
        Ok(())
    } else {
        Err("统一社会信用代码校验位不正确，请核对后重新填写。")
    }
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
        assert_eq!(credit_code("91350100M000100Y43"), Ok(()));
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
    fn usernames_and_passwords() {
        assert!(username("admin").is_ok());
        assert!(username("ad").is_err());
        assert!(username("管理员").is_err());
        assert!(password("1234567890").is_ok());
        assert!(password("short").is_err());
    }
}
