//! 文书编号 from a per-organ pattern (spec/workflows.md §2.3): `{organ_short}依申告〔{year}〕{seq:3}号`.

use std::fmt;
use std::str::FromStr;

/// A validated numbering pattern.
///
/// Placeholders: `{organ_short}` (the organ's 简称 or 字, optional), `{year}` (required),
/// `{seq}` or `{seq:N}` (required; zero-padded to N digits, N from 1 to 9). `{{` and `}}`
/// print a brace. Year and sequence are required because counters run per year: a pattern
/// without either would print the same number twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberPattern {
    pattern: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    OrganShort,
    Year,
    Seq { width: usize },
}

/// Why a numbering pattern is invalid. Positions count characters from 0.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberPatternError {
    /// A `{` without its `}`.
    #[error("文书编号格式「{pattern}」第 {position} 个字符处的「{{」没有对应的「}}」")]
    Unclosed {
        /// The pattern.
        pattern: String,
        /// Where the `{` is.
        position: usize,
    },
    /// A `}` that closes nothing (write `}}` for a brace).
    #[error(
        "文书编号格式「{pattern}」第 {position} 个字符处有多余的「}}」（字面的花括号请写作「}}}}」）"
    )]
    Stray {
        /// The pattern.
        pattern: String,
        /// Where the `}` is.
        position: usize,
    },
    /// A placeholder that is not one of the three.
    #[error(
        "文书编号格式「{pattern}」中的「{{{name}}}」无法识别：可用 {{organ_short}}、{{year}}、{{seq}} 或 {{seq:3}}"
    )]
    Unknown {
        /// The pattern.
        pattern: String,
        /// What was written between the braces.
        name: String,
    },
    /// `{seq:N}` with N not a digit from 1 to 9.
    #[error("文书编号格式「{pattern}」中序号位数「{width}」无效：应为 1 至 9")]
    Width {
        /// The pattern.
        pattern: String,
        /// What was written after `seq:`.
        width: String,
    },
    /// A placeholder written twice.
    #[error("文书编号格式「{pattern}」中的「{{{name}}}」重复出现")]
    Duplicate {
        /// The pattern.
        pattern: String,
        /// The placeholder.
        name: &'static str,
    },
    /// A required placeholder is missing.
    #[error(
        "文书编号格式「{pattern}」缺少「{{{name}}}」：编号按年度顺序编排，缺少年度或序号会重号"
    )]
    Missing {
        /// The pattern.
        pattern: String,
        /// The placeholder.
        name: &'static str,
    },
}

impl NumberPattern {
    /// Parses and validates `pattern`.
    pub fn parse(pattern: &str) -> Result<NumberPattern, NumberPatternError> {
        let owned = || pattern.to_owned();
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = pattern.chars().enumerate().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '{' if chars.peek().is_some_and(|&(_, n)| n == '{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek().is_some_and(|&(_, n)| n == '}') => {
                    chars.next();
                    text.push('}');
                }
                '}' => {
                    return Err(NumberPatternError::Stray {
                        pattern: owned(),
                        position: i,
                    });
                }
                '{' => {
                    let mut name = String::new();
                    let mut closed = false;
                    for (_, n) in chars.by_ref() {
                        if n == '}' {
                            closed = true;
                            break;
                        }
                        name.push(n);
                    }
                    if !closed {
                        return Err(NumberPatternError::Unclosed {
                            pattern: owned(),
                            position: i,
                        });
                    }
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(placeholder(pattern, name.trim())?);
                }
                _ => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        let count = |f: fn(&Part) -> bool| parts.iter().filter(|p| f(p)).count();
        for (name, n) in [
            ("organ_short", count(|p| matches!(p, Part::OrganShort))),
            ("year", count(|p| matches!(p, Part::Year))),
            ("seq", count(|p| matches!(p, Part::Seq { .. }))),
        ] {
            if n > 1 {
                return Err(NumberPatternError::Duplicate {
                    pattern: owned(),
                    name,
                });
            }
            if n == 0 && name != "organ_short" {
                return Err(NumberPatternError::Missing {
                    pattern: owned(),
                    name,
                });
            }
        }
        Ok(NumberPattern {
            pattern: owned(),
            parts,
        })
    }

    /// The number of the `seq`-th document of `year`.
    pub fn format(&self, organ_short: &str, year: i32, seq: u32) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::OrganShort => out.push_str(organ_short),
                Part::Year => out.push_str(&year.to_string()),
                Part::Seq { width } => out.push_str(&format!("{seq:0width$}")),
            }
        }
        out
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }
}

fn placeholder(pattern: &str, name: &str) -> Result<Part, NumberPatternError> {
    match name {
        "organ_short" => Ok(Part::OrganShort),
        "year" => Ok(Part::Year),
        "seq" => Ok(Part::Seq { width: 0 }),
        _ => match name.strip_prefix("seq:") {
            Some(w) => match w.trim().parse::<usize>() {
                Ok(width @ 1..=9) => Ok(Part::Seq { width }),
                _ => Err(NumberPatternError::Width {
                    pattern: pattern.to_owned(),
                    width: w.to_owned(),
                }),
            },
            None => Err(NumberPatternError::Unknown {
                pattern: pattern.to_owned(),
                name: name.to_owned(),
            }),
        },
    }
}

impl FromStr for NumberPattern {
    type Err = NumberPatternError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NumberPattern::parse(s)
    }
}

impl fmt::Display for NumberPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.pattern)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(pattern: &str, seq: u32) -> String {
        match NumberPattern::parse(pattern) {
            Ok(p) => p.format("某政办", 2024, seq),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn gb_t_9704_style_with_padding() {
        assert_eq!(
            fmt("{organ_short}依申告〔{year}〕{seq:3}号", 7),
            "某政办依申告〔2024〕007号"
        );
        assert_eq!(
            fmt("{organ_short}依申告〔{year}〕{seq:3}号", 1234),
            "某政办依申告〔2024〕1234号"
        );
        assert_eq!(
            fmt("{organ_short}公复〔{year}〕{seq}号", 12),
            "某政办公复〔2024〕12号"
        );
    }

    #[test]
    fn shanghai_style_without_organ_short() {
        // spec/workflows.md §2.3 style 1: a literal 字 and （年）第N号.
        assert_eq!(
            fmt("沪水务信答（{year}）第{seq}号", 3),
            "沪水务信答（2024）第3号"
        );
    }

    #[test]
    fn escaped_braces_are_literal() {
        assert_eq!(fmt("{{X}}{year}-{seq:2}", 5), "{X}2024-05");
    }

    #[test]
    fn invalid_patterns_say_why() {
        let err = |p: &str| NumberPattern::parse(p).err();
        assert!(matches!(
            err("{organ_short}〔{year}〕号"),
            Some(NumberPatternError::Missing { name: "seq", .. })
        ));
        assert!(matches!(
            err("{seq}号"),
            Some(NumberPatternError::Missing { name: "year", .. })
        ));
        assert!(matches!(
            err("{year}{seq}{seq}"),
            Some(NumberPatternError::Duplicate { name: "seq", .. })
        ));
        assert!(matches!(
            err("{year}{seq:0}"),
            Some(NumberPatternError::Width { .. })
        ));
        assert!(matches!(
            err("{year}{seq:x}"),
            Some(NumberPatternError::Width { .. })
        ));
        assert!(matches!(
            err("{year}{seq}{organ}"),
            Some(NumberPatternError::Unknown { .. })
        ));
        assert!(matches!(
            err("{year}{seq"),
            Some(NumberPatternError::Unclosed { position: 6, .. })
        ));
        assert!(matches!(
            err("{year}}{seq}"),
            Some(NumberPatternError::Stray { position: 6, .. })
        ));
        assert_eq!(
            fmt("{year}{seq}{organ}", 1),
            "error: 文书编号格式「{year}{seq}{organ}」中的「{organ}」无法识别：可用 {organ_short}、{year}、{seq} 或 {seq:3}"
        );
    }
}
