//! The identity numbers an application gives as its 身份证明 (条例第二十九条第一款第一项):
//! the 居民身份证号码 of GB 11643-1999 ([`resident_id`]) and the 统一社会信用代码 of
//! GB 32100-2015 ([`credit_code`]), each checked to its check character, with a typed error
//! and a Chinese sentence for the form ([`ResidentIdError::message`],
//! [`CreditCodeError::message`]); and masking for pages and lists that show an applicant
//! ([`mask_resident_id`], [`mask_id`], [`mask_phone`], [`mask_name`]).
//!
//! Input is normalised before checking: surrounding whitespace is trimmed and full-width
//! digits and Latin letters (`１１０１…`, `Ｘ`), which Chinese input methods produce, become
//! ASCII; letters become upper case (`x` → `X`). Anything else inside, spaces included, is
//! refused with its position, so what is stored is exactly the canonical number.

use time::{Date, Month};

/// Full-width digits and Latin letters to ASCII, letters upper-cased, surrounding whitespace
/// trimmed.
fn normalise(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

// --- 居民身份证号码 (GB 11643-1999) ----------------------------------------------------------

/// A checked 18-digit 居民身份证号码, normalised (upper-case `X`, ASCII digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResidentId {
    number: String,
    birth_date: Date,
}

impl ResidentId {
    /// The 18 characters.
    pub fn as_str(&self) -> &str {
        &self.number
    }

    /// The 6-digit 地址码 (region of first registration).
    pub fn region_code(&self) -> &str {
        &self.number[..6]
    }

    /// The 出生日期码 as a date.
    pub fn birth_date(&self) -> Date {
        self.birth_date
    }

    /// The number masked for display ([`mask_resident_id`]).
    pub fn masked(&self) -> String {
        mask_resident_id(&self.number)
    }
}

/// Why a 居民身份证号码 is not valid. Positions are 1-based, as a person counts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResidentIdError {
    /// Not 18 characters (nor 15).
    #[error("{}", self.message())]
    Length {
        /// The number of characters given.
        len: usize,
    },
    /// A 15-digit number of the first-generation card.
    #[error("{}", self.message())]
    FifteenDigit,
    /// A character that is not a digit (or, last, `X`).
    #[error("{}", self.message())]
    Character {
        /// 1-based position.
        position: usize,
        /// The character.
        found: char,
    },
    /// The first two digits are no province-level code.
    #[error("{}", self.message())]
    Region {
        /// The first two digits.
        code: String,
    },
    /// Digits 7–14 are not a real date.
    #[error("{}", self.message())]
    BirthDate {
        /// The eight digits.
        text: String,
    },
    /// The birth date is before 1900-01-01.
    #[error("{}", self.message())]
    BirthBefore1900 {
        /// The date.
        birth: Date,
    },
    /// The birth date is after today.
    #[error("{}", self.message())]
    BirthInFuture {
        /// The date.
        birth: Date,
        /// Today, as given.
        today: Date,
    },
    /// The 18th character is not the check character of the first 17.
    #[error("{}", self.message())]
    CheckDigit {
        /// The check character the first 17 digits give.
        expected: char,
        /// The 18th character given.
        found: char,
    },
}

impl ResidentIdError {
    /// The sentence to show beside the field. It never repeats the expected check digit, so
    /// the form cannot be used to complete someone else's number.
    pub fn message(&self) -> String {
        match self {
            ResidentIdError::Length { len } => {
                format!("身份证号码应为18位，您填写了{len}位")
            }
            ResidentIdError::FifteenDigit => "这是15位的第一代居民身份证号码，第一代居民身份证已于2013年1月1日停止使用，请填写18位号码".to_owned(),
            ResidentIdError::Character { position, found } if *position == 18 => {
                format!("身份证号码第18位应为数字或X，不能是“{found}”")
            }
            ResidentIdError::Character { position, found } => {
                format!("身份证号码第{position}位应为数字，不能是“{found}”")
            }
            ResidentIdError::Region { code } => {
                format!("身份证号码地区码不正确：前两位“{code}”不是省级行政区划代码")
            }
            ResidentIdError::BirthDate { text } => {
                format!("身份证号码中的出生日期不正确：“{text}”不是有效日期（第7至14位）")
            }
            ResidentIdError::BirthBefore1900 { .. } => {
                "身份证号码中的出生日期不正确：早于1900年".to_owned()
            }
            ResidentIdError::BirthInFuture { .. } => {
                "身份证号码中的出生日期不正确：晚于今天".to_owned()
            }
            ResidentIdError::CheckDigit { .. } => {
                "身份证号码校验位不正确，请核对最后一位".to_owned()
            }
        }
    }
}

/// The province-level codes of GB/T 2260 that start a 居民身份证号码's 地址码.
const PROVINCES: [u8; 35] = [
    11, 12, 13, 14, 15, // 华北
    21, 22, 23, // 东北
    31, 32, 33, 34, 35, 36, 37, // 华东
    41, 42, 43, 44, 45, 46, // 中南
    50, 51, 52, 53, 54, // 西南
    61, 62, 63, 64, 65, // 西北
    71, // 台湾省
    // 81 香港, 82 澳门 and 83 台湾: the 港澳台居民居住证 of 2018 (《港澳台居民居住证申领发放办法》)
    // carry an 18-digit number of this form with 810000, 820000 or 830000 as 地址码.
    81, 82, 83,
];

/// ISO 7064 MOD 11-2 weights of digits 1–17.
const RESIDENT_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// The check character (`0`–`9` or `X`) of the first 17 digits.
fn resident_check(digits: &[u32]) -> char {
    let sum: u32 = digits
        .iter()
        .zip(RESIDENT_WEIGHTS)
        .map(|(d, w)| d * w)
        .sum();
    // The check value c satisfies (sum + c) ≡ 1 (mod 11); 10 is written X.
    match (12 - sum % 11) % 11 {
        10 => 'X',
        c => char::from_digit(c, 10).unwrap_or('X'),
    }
}

/// Checks an 18-digit 居民身份证号码 (GB 11643-1999): 18 characters, a province-level region,
/// a real birth date from 1900-01-01 to `today`, and the MOD 11-2 check character. Lower-case
/// `x` and full-width characters are accepted and normalised; 15-digit numbers are refused.
pub fn resident_id(text: &str, today: Date) -> Result<ResidentId, ResidentIdError> {
    let number = normalise(text);
    let chars: Vec<char> = number.chars().collect();
    match chars.len() {
        18 => {}
        15 if chars.iter().all(char::is_ascii_digit) => {
            return Err(ResidentIdError::FifteenDigit);
        }
        len => return Err(ResidentIdError::Length { len }),
    }
    let mut digits = Vec::with_capacity(17);
    for (i, &c) in chars.iter().enumerate() {
        match c.to_digit(10) {
            Some(d) => digits.push(d),
            _ if i == 17 && c == 'X' => {}
            _ => {
                return Err(ResidentIdError::Character {
                    position: i + 1,
                    found: text.trim().chars().nth(i).unwrap_or(c),
                });
            }
        }
    }
    let province = digits[0] * 10 + digits[1];
    if !PROVINCES.iter().any(|&p| u32::from(p) == province) {
        return Err(ResidentIdError::Region {
            code: number[..2].to_owned(),
        });
    }
    let birth_text = &number[6..14];
    let bad_date = || ResidentIdError::BirthDate {
        text: birth_text.to_owned(),
    };
    let year =
        i32::try_from(digits[6..10].iter().fold(0, |a, d| a * 10 + d)).map_err(|_| bad_date())?;
    let month = u8::try_from(digits[10] * 10 + digits[11]).map_err(|_| bad_date())?;
    let day = u8::try_from(digits[12] * 10 + digits[13]).map_err(|_| bad_date())?;
    let month = Month::try_from(month).map_err(|_| bad_date())?;
    let birth = Date::from_calendar_date(year, month, day).map_err(|_| bad_date())?;
    if year < 1900 {
        return Err(ResidentIdError::BirthBefore1900 { birth });
    }
    if birth > today {
        return Err(ResidentIdError::BirthInFuture { birth, today });
    }
    let expected = resident_check(&digits[..17]);
    if chars[17] != expected {
        return Err(ResidentIdError::CheckDigit {
            expected,
            found: chars[17],
        });
    }
    Ok(ResidentId {
        number,
        birth_date: birth,
    })
}

// --- 统一社会信用代码 (GB 32100-2015) ---------------------------------------------------------

/// The 31 characters of GB 32100, in the order of their values 0–30: digits and capitals
/// without I, O, Z, S, V (too like 1, 0, 2, 5, U).
const CREDIT_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1–17: 3^(i-1) mod 31.
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// The 登记管理部门代码 (position 1) and their departments.
pub const REGISTRATION_DEPARTMENTS: [(char, &str); 12] = [
    ('1', "机构编制"),
    ('2', "外交"),
    ('3', "司法行政"),
    ('4', "文化"),
    ('5', "民政"),
    ('6', "旅游"),
    ('7', "宗教"),
    ('8', "工会"),
    ('9', "工商"),
    ('A', "中央军委改革和编制办公室"),
    ('N', "农业"),
    ('Y', "其他"),
];

fn credit_value(c: char) -> Option<u32> {
    CREDIT_CHARSET
        .chars()
        .position(|x| x == c)
        .and_then(|i| u32::try_from(i).ok())
}

/// A checked 统一社会信用代码, normalised (upper case, ASCII).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

impl CreditCode {
    /// The 18 characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 登记管理部门 of position 1, as [`REGISTRATION_DEPARTMENTS`] names it.
    pub fn department(&self) -> &'static str {
        let first = self.0.chars().next();
        REGISTRATION_DEPARTMENTS
            .iter()
            .find(|(c, _)| Some(*c) == first)
            .map_or("其他", |(_, name)| name)
    }

    /// The 登记管理机关行政区划码 (positions 3–8).
    pub fn region_code(&self) -> &str {
        &self.0[2..8]
    }

    /// The 主体标识码 (positions 9–17: the 组织机构代码).
    pub fn organisation_code(&self) -> &str {
        &self.0[8..17]
    }
}

/// Why a 统一社会信用代码 is not valid. Positions are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    /// Not 18 characters.
    #[error("{}", self.message())]
    Length {
        /// The number of characters given.
        len: usize,
    },
    /// A character outside the code's 31 (I, O, Z, S, V, punctuation, Chinese…).
    #[error("{}", self.message())]
    Character {
        /// 1-based position.
        position: usize,
        /// The character.
        found: char,
    },
    /// Position 1 is no 登记管理部门代码.
    #[error("{}", self.message())]
    Department {
        /// The character.
        found: char,
    },
    /// Position 2 is no 机构类别代码 (a digit 1–9).
    #[error("{}", self.message())]
    Category {
        /// The character.
        found: char,
    },
    /// Positions 3–8 are not six digits.
    #[error("{}", self.message())]
    Region {
        /// The six characters.
        code: String,
    },
    /// Position 18 is not the check character of the first 17.
    #[error("{}", self.message())]
    CheckChar {
        /// The check character the first 17 give.
        expected: char,
        /// The 18th character given.
        found: char,
    },
}

impl CreditCodeError {
    /// The sentence to show beside the field.
    pub fn message(&self) -> String {
        match self {
            CreditCodeError::Length { len } => {
                format!("统一社会信用代码应为18位，您填写了{len}位")
            }
            CreditCodeError::Character { position, found } => format!(
                "统一社会信用代码第{position}位“{found}”无效：只能是数字和除I、O、Z、S、V以外的大写英文字母"
            ),
            CreditCodeError::Department { found } => format!(
                "统一社会信用代码第1位（登记管理部门代码）“{found}”不正确，应为1至9、A、N或Y"
            ),
            CreditCodeError::Category { found } => {
                format!("统一社会信用代码第2位（机构类别代码）“{found}”不正确，应为数字1至9")
            }
            CreditCodeError::Region { code } => {
                format!("统一社会信用代码第3至8位（行政区划码）“{code}”不正确，应为6位数字")
            }
            CreditCodeError::CheckChar { .. } => {
                "统一社会信用代码校验位不正确，请核对最后一位".to_owned()
            }
        }
    }
}

/// Checks a 统一社会信用代码 (GB 32100-2015): 18 characters of its 31, a 登记管理部门代码, a
/// 机构类别代码 digit, a six-digit region and the MOD 31 check character. Lower-case and
/// full-width letters are accepted and normalised.
///
/// The category is checked only as a digit 1–9, not against the department's list: the lists
/// are extended by the registration departments, and refusing a real code is worse here than
/// accepting a rare wrong category, which the check character would still catch as a typo.
pub fn credit_code(text: &str) -> Result<CreditCode, CreditCodeError> {
    let code = normalise(text);
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(CreditCodeError::Length { len: chars.len() });
    }
    let mut values = Vec::with_capacity(18);
    for (i, &c) in chars.iter().enumerate() {
        match credit_value(c) {
            Some(v) => values.push(v),
            None => {
                return Err(CreditCodeError::Character {
                    position: i + 1,
                    found: text.trim().chars().nth(i).unwrap_or(c),
                });
            }
        }
    }
    if !REGISTRATION_DEPARTMENTS.iter().any(|(c, _)| *c == chars[0]) {
        return Err(CreditCodeError::Department { found: chars[0] });
    }
    if !matches!(chars[1], '1'..='9') {
        return Err(CreditCodeError::Category { found: chars[1] });
    }
    if !chars[2..8].iter().all(char::is_ascii_digit) {
        return Err(CreditCodeError::Region {
            code: chars[2..8].iter().collect(),
        });
    }
    let sum: u32 = values.iter().zip(CREDIT_WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    let expected = CREDIT_CHARSET.chars().nth(check as usize).unwrap_or('0');
    if chars[17] != expected {
        return Err(CreditCodeError::CheckChar {
            expected,
            found: chars[17],
        });
    }
    Ok(CreditCode(code))
}

// --- masking ---------------------------------------------------------------------------------

/// A 居民身份证号码 for display: the first 4 and last 4 characters kept, the 10 between (region
/// below province level, birth date, sequence) masked: `1101**********1234`. Input of another
/// length is masked by [`mask_id`]. It does not validate.
pub fn mask_resident_id(id: &str) -> String {
    let chars: Vec<char> = id.trim().chars().collect();
    if chars.len() != 18 {
        return mask_id(id);
    }
    keep_ends(&chars, 4, 4)
}

/// Any other identity number (passport, 港澳通行证, 统一社会信用代码…) for display: a quarter
/// of it, at most 4 characters, kept at each end, so that at least half is masked, one `*`
/// per character: `E1234567` → `E1****67`. Shorter than 4 characters, all of it is masked.
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.trim().chars().collect();
    let keep = (chars.len() / 4).min(4);
    keep_ends(&chars, keep, keep)
}

/// A telephone number for display: a mainland mobile number (11 digits from 1) keeps its first
/// 3 and last 4 digits, `138****5678`; any other number (a landline with its 区号, a number
/// with spaces or `+86`) keeps its last 4 digits, the other digits masked and the separators
/// kept, `010-****5678`. A number of 4 digits or fewer is masked whole.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.trim().chars().collect();
    if chars.len() == 11 && chars[0] == '1' && chars.iter().all(char::is_ascii_digit) {
        return keep_ends(&chars, 3, 4);
    }
    let digits = chars.iter().filter(|c| c.is_ascii_digit()).count();
    let keep_from = if digits > 4 { digits - 4 } else { digits };
    let mut seen = 0;
    chars
        .iter()
        .map(|&c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen > keep_from { c } else { '*' }
            } else {
                c
            }
        })
        .collect()
}

/// Compound surnames (复姓) that stay visible whole in [`mask_name`].
const COMPOUND_SURNAMES: [&str; 40] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "澹台", "公冶", "太史",
    "申屠", "闻人", "万俟", "钟离", "濮阳", "淳于", "单于", "赫连", "宗政", "拓跋", "司空", "鲜于",
    "闾丘", "东郭", "左丘", "第五",
];

/// A person's name for display: the surname kept, every other character masked, one `*` each:
/// `张*`, `张**`, `欧阳**` (a common compound surname, 欧阳 司马 诸葛…, stays whole when the
/// name is longer than it). The `·` of transliterated names is kept: `阿***·***`. A name of
/// one character is masked whole.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= 1 {
        return "*".repeat(chars.len());
    }
    let surname = COMPOUND_SURNAMES
        .iter()
        .find(|s| name.starts_with(*s) && chars.len() > 2)
        .map_or(1, |s| s.chars().count());
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if i < surname || matches!(c, '·' | '•' | '・') {
                c
            } else {
                '*'
            }
        })
        .collect()
}

fn keep_ends(chars: &[char], head: usize, tail: usize) -> String {
    let n = chars.len();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i < head || i + tail >= n { c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests;
