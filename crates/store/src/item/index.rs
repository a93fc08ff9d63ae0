//! The 索引号 of a 政府信息公开目录 entry (spec/workflows.md §3.1): a per-organ pattern, by
//! default the national 前段码 "/" 后段码 — the organ's code, then the year and a 5-digit
//! serial (`11150700MB1234567X/2026-00001`).
//!
//! Placeholders: `{code}` (the 统一社会信用代码, else the organ id), `{credit_code}`,
//! `{org_code}` (the 组织机构代码: characters 9–17 of the credit code), `{organ_id}`, `{year}`
//! (required) and `{seq}` or `{seq:N}` (required; N from 1 to 9). The serial runs per organ
//! and year, so a pattern without both would repeat numbers.

/// The default pattern.
pub const DEFAULT_PATTERN: &str = "{code}/{year}-{seq:5}";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Code,
    CreditCode,
    OrgCode,
    OrganId,
    Year,
    Seq(usize),
}

/// A checked pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexPattern {
    parts: Vec<Part>,
}

/// What an organ contributes to its numbers.
#[derive(Debug, Clone, Copy)]
pub struct OrganCodes<'a> {
    /// The organ's id.
    pub organ_id: i64,
    /// Its 统一社会信用代码, possibly empty.
    pub credit_code: &'a str,
}

impl IndexPattern {
    /// Reads and checks a pattern; the sentence says what is wrong.
    pub fn parse(pattern: &str) -> Result<IndexPattern, String> {
        let mut parts = Vec::new();
        let mut rest = pattern;
        let (mut year, mut seq) = (false, false);
        while !rest.is_empty() {
            match rest.find('{') {
                Some(0) => {
                    let end = rest.find('}').ok_or_else(|| {
                        format!("索引号格式「{pattern}」中的「{{」没有对应的「}}」。")
                    })?;
                    let name = &rest[1..end];
                    let part = match name {
                        "code" => Part::Code,
                        "credit_code" => Part::CreditCode,
                        "org_code" => Part::OrgCode,
                        "organ_id" => Part::OrganId,
                        "year" => {
                            year = true;
                            Part::Year
                        }
                        "seq" => {
                            seq = true;
                            Part::Seq(1)
                        }
                        other => match other.strip_prefix("seq:").map(str::parse::<usize>) {
                            Some(Ok(width @ 1..=9)) => {
                                seq = true;
                                Part::Seq(width)
                            }
                            _ => {
                                return Err(format!(
                                    "索引号格式「{pattern}」中的「{{{other}}}」无法识别：可用 {{code}}、{{credit_code}}、{{org_code}}、{{organ_id}}、{{year}}、{{seq:5}}。"
                                ));
                            }
                        },
                    };
                    parts.push(part);
                    rest = &rest[end + 1..];
                }
                found => {
                    let end = found.unwrap_or(rest.len());
                    let text = &rest[..end];
                    if text.contains('}') {
                        return Err(format!("索引号格式「{pattern}」中有多余的「}}」。"));
                    }
                    parts.push(Part::Text(text.to_owned()));
                    rest = &rest[end..];
                }
            }
        }
        if !year || !seq {
            return Err(format!(
                "索引号格式「{pattern}」须含 {{year}} 和 {{seq}}：序号按年度编排，缺少任一项会重号。"
            ));
        }
        if pattern.chars().count() > 60 || pattern.chars().any(char::is_control) {
            return Err("索引号格式不能超过 60 个字，也不能含控制字符。".into());
        }
        Ok(IndexPattern { parts })
    }

    /// The number of the `serial`th item of `year`.
    pub fn format(&self, codes: OrganCodes<'_>, year: i32, serial: u32) -> String {
        let credit = codes.credit_code.trim();
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Code if !credit.is_empty() => out.push_str(credit),
                Part::Code | Part::OrganId => out.push_str(&codes.organ_id.to_string()),
                Part::CreditCode => out.push_str(credit),
                Part::OrgCode => out.push_str(credit.get(8..17).unwrap_or(credit)),
                Part::Year => out.push_str(&year.to_string()),
                Part::Seq(width) => out.push_str(&format!("{serial:0width$}")),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_code_slash_year_dash_five_digits() {
        let p = IndexPattern::parse(DEFAULT_PATTERN).unwrap();
        let with_code = OrganCodes {
            organ_id: 7,
            credit_code: "11150700MB1234567X",
        };
        assert_eq!(
            p.format(with_code, 2026, 1),
            "11150700MB1234567X/2026-00001"
        );
        let without = OrganCodes {
            organ_id: 7,
            credit_code: "",
        };
        assert_eq!(p.format(without, 2026, 222), "7/2026-00222");
        let org = IndexPattern::parse("{org_code}/{year}-{seq:5}").unwrap();
        assert_eq!(org.format(with_code, 2018, 222), "MB1234567/2018-00222");
    }

    #[test]
    fn patterns_without_year_or_serial_are_refused() {
        assert!(IndexPattern::parse("{code}/{seq}").is_err());
        assert!(IndexPattern::parse("{code}/{year}").is_err());
        assert!(IndexPattern::parse("{code}/{year}-{seq:0}").is_err());
        assert!(IndexPattern::parse("{code/{year}-{seq}").is_err());
        assert!(IndexPattern::parse("shg58/{year}-{seq}").is_ok());
    }
}
