//! The 公开时限 of a catalogue entry as a machine rule. Catalogues write it as free text; the
//! common forms are read here, the text is always kept, and a text none of them fits is left
//! unparsed (the console flags it) rather than guessed:
//!
//! - `信息形成或变更之日起20个工作日内` (条例 art. 26), `作出决定之日起7个工作日内`,
//!   `20个工作日内` (no start named: art. 26's 形成或变更);
//! - `收到申请之日起15日内` (calendar days);
//! - `每年3月31日前`, `次年1月底前` (a yearly date);
//! - `实时`, `长期`, `常态化公开` (kept public continuously);
//! - `及时公开` (art. 26: within 20 working days of forming or changing).

use std::fmt;

/// When a period starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// The day the information is formed or changed (信息形成或变更之日, art. 26).
    Formation,
    /// Another event, as the text names it (e.g. `作出行政处罚决定之日`).
    Event(String),
}

/// A 公开时限 read as a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeLimit {
    /// Within `days` working days of `from`.
    WorkingDays {
        /// How many.
        days: u32,
        /// From when.
        from: Start,
    },
    /// Within `days` calendar days of `from`.
    CalendarDays {
        /// How many.
        days: u32,
        /// From when.
        from: Start,
    },
    /// Every year by a date: `day` is `None` for the month's end (月底).
    Annually {
        /// The month, 1–12.
        month: u8,
        /// The day, or `None` for the last day of the month.
        day: Option<u8>,
    },
    /// 实时 or 长期: kept public continuously, no deadline per piece of information.
    Continuous,
    /// 及时: art. 26's 20 working days from forming or changing.
    Timely,
}

/// Working days of art. 26.
pub const ARTICLE_26_DAYS: u32 = 20;

impl TimeLimit {
    /// The working days after formation the rule allows, where it is a rule of that kind
    /// (及时 counts as art. 26's 20).
    pub fn working_days_after_formation(&self) -> Option<u32> {
        match self {
            TimeLimit::WorkingDays {
                days,
                from: Start::Formation,
            } => Some(*days),
            TimeLimit::Timely => Some(ARTICLE_26_DAYS),
            _ => None,
        }
    }
}

impl fmt::Display for TimeLimit {
    /// The rule in Chinese, as the console shows what it understood.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let start = |from: &Start| match from {
            Start::Formation => "信息形成或变更之日".to_owned(),
            Start::Event(e) => e.clone(),
        };
        match self {
            TimeLimit::WorkingDays { days, from } => {
                write!(f, "{}起{days}个工作日内", start(from))?;
                if *days == ARTICLE_26_DAYS && *from == Start::Formation {
                    f.write_str("（《条例》第二十六条）")?;
                }
                Ok(())
            }
            TimeLimit::CalendarDays { days, from } => write!(f, "{}起{days}日内", start(from)),
            TimeLimit::Annually {
                month,
                day: Some(d),
            } => write!(f, "每年{month}月{d}日前"),
            TimeLimit::Annually { month, day: None } => write!(f, "每年{month}月底前"),
            TimeLimit::Continuous => f.write_str("实时或长期公开，无逐件期限"),
            TimeLimit::Timely => write!(
                f,
                "及时公开：信息形成或变更之日起{ARTICLE_26_DAYS}个工作日内（《条例》第二十六条）"
            ),
        }
    }
}

/// Reads a 公开时限 text; `None` when it is none of the forms of this module.
pub fn parse(text: &str) -> Option<TimeLimit> {
    let chars: Vec<char> = text
        .chars()
        .map(super::half_width)
        .filter(|c| !c.is_whitespace())
        .collect();
    if chars.is_empty() {
        return None;
    }
    annual(&chars)
        .or_else(|| working_days(&chars))
        .or_else(|| calendar_days(&chars))
        .or_else(|| {
            let t: String = chars.iter().collect();
            if ["实时", "长期", "常态", "常年", "即时", "随时"]
                .iter()
                .any(|w| t.contains(w))
            {
                Some(TimeLimit::Continuous)
            } else if t.contains("及时") {
                Some(TimeLimit::Timely)
            } else {
                None
            }
        })
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "零〇一二两三四五六七八九十百".contains(c)
}

/// The value of a number written in digits or in Chinese numerals (up to 999).
fn number(chars: &[char]) -> Option<u32> {
    if chars.is_empty() || chars.len() > 6 {
        return None;
    }
    if chars.iter().all(char::is_ascii_digit) {
        return chars.iter().collect::<String>().parse().ok();
    }
    let digit = |c: char| "零一二三四五六七八九".find(c).map(|i| (i / 3) as u32);
    let (mut total, mut current) = (0u32, None::<u32>);
    for &c in chars {
        match c {
            '十' => {
                total += current.unwrap_or(1) * 10;
                current = None;
            }
            '百' => {
                total += current.unwrap_or(1) * 100;
                current = None;
            }
            '〇' => current = Some(0),
            '两' => current = Some(2),
            c => current = Some(digit(c)?),
        }
    }
    Some(total + current.unwrap_or(0))
}

/// The number that ends just before `end`, and where it starts.
fn number_before(chars: &[char], end: usize) -> Option<(u32, usize)> {
    let mut start = end;
    while start > 0 && is_numeral(chars[start - 1]) {
        start -= 1;
    }
    number(&chars[start..end]).map(|n| (n, start))
}

fn find(chars: &[char], word: &str, from: usize) -> Option<usize> {
    let word: Vec<char> = word.chars().collect();
    (from..chars.len().saturating_sub(word.len() - 1)).find(|&i| chars[i..].starts_with(&word))
}

/// The start named before the number: 形成/变更 is art. 26's start; nothing named is too.
fn start_of(prefix: &[char]) -> Start {
    let text: String = prefix.iter().collect();
    let text = text.trim_start_matches(['自', '从', '于', '在']);
    let text = text
        .trim_end_matches(['起', '后', '内'])
        .trim_end_matches("以")
        .to_owned();
    if text.is_empty()
        || ["形成", "变更", "产生", "生成"]
            .iter()
            .any(|w| text.contains(w))
    {
        Start::Formation
    } else {
        Start::Event(text)
    }
}

/// `…20个工作日…`.
fn working_days(chars: &[char]) -> Option<TimeLimit> {
    let at = find(chars, "工作日", 0)?;
    let end = if at > 0 && chars[at - 1] == '个' {
        at - 1
    } else {
        at
    };
    let (days, start) = number_before(chars, end)?;
    (days > 0).then(|| TimeLimit::WorkingDays {
        days,
        from: start_of(&chars[..start]),
    })
}

/// `…15日内` or `…15天内`, where the number is not a date's day (`3月15日`).
fn calendar_days(chars: &[char]) -> Option<TimeLimit> {
    let mut from = 0;
    while from < chars.len() {
        let at = (from..chars.len()).find(|&i| chars[i] == '日' || chars[i] == '天')?;
        let within = chars.get(at + 1) == Some(&'内')
            || chars[at + 1..].starts_with(&['之', '内'])
            || chars[at + 1..].starts_with(&['以', '内']);
        if within && let Some((days, start)) = number_before(chars, at) {
            let date = start > 0 && chars[start - 1] == '月';
            if !date && days > 0 {
                return Some(TimeLimit::CalendarDays {
                    days,
                    from: start_of(&chars[..start]),
                });
            }
        }
        from = at + 1;
    }
    None
}

/// `每年3月31日前`, `次年1月底前`, `每年6月30日之前`.
fn annual(chars: &[char]) -> Option<TimeLimit> {
    let mut from = 0;
    while let Some(at) = find(chars, "月", from) {
        from = at + 1;
        let Some((month, _)) = number_before(chars, at) else {
            continue;
        };
        let rest = &chars[at + 1..];
        let before = |tail: &[char]| {
            ["前", "以前", "之前", "止"]
                .iter()
                .any(|w| tail.starts_with(&w.chars().collect::<Vec<_>>()))
        };
        let day = if rest.first() == Some(&'底') || rest.first() == Some(&'末') {
            before(&rest[1..]).then_some(None)
        } else {
            let digits = rest.iter().take_while(|c| is_numeral(**c)).count();
            match (number(&rest[..digits]), rest.get(digits)) {
                (Some(d), Some('日' | '号')) if before(&rest[digits + 1..]) => Some(Some(d)),
                _ => None,
            }
        };
        let Some(day) = day else { continue };
        let month = u8::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
        let day = match day {
            Some(d) => Some(u8::try_from(d).ok().filter(|d| (1..=31).contains(d))?),
            None => None,
        };
        return Some(TimeLimit::Annually { month, day });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wd(days: u32) -> TimeLimit {
        TimeLimit::WorkingDays {
            days,
            from: Start::Formation,
        }
    }

    #[test]
    fn article_26_forms_read_as_20_working_days_from_formation() {
        // 条例 art. 26: 自该政府信息形成或者变更之日起20个工作日内及时公开.
        for text in [
            "信息形成或变更之日起20个工作日内",
            "信息形成（变更）之日起20个工作日内",
            "自该政府信息形成或者变更之日起20个工作日内及时公开",
            "自信息形成之日起二十个工作日内",
            "２０个工作日内",
            "20 个工作日内",
        ] {
            assert_eq!(parse(text), Some(wd(20)), "{text}");
        }
        assert_eq!(parse("及时公开"), Some(TimeLimit::Timely));
        assert_eq!(
            TimeLimit::Timely.working_days_after_formation(),
            Some(ARTICLE_26_DAYS)
        );
    }

    #[test]
    fn other_starts_keep_their_words() {
        assert_eq!(
            parse("作出行政处罚决定之日起7个工作日内"),
            Some(TimeLimit::WorkingDays {
                days: 7,
                from: Start::Event("作出行政处罚决定之日".into())
            })
        );
        assert_eq!(
            parse("办结后5个工作日内"),
            Some(TimeLimit::WorkingDays {
                days: 5,
                from: Start::Event("办结".into())
            })
        );
        assert_eq!(
            parse("收到申请之日起十五日内"),
            Some(TimeLimit::CalendarDays {
                days: 15,
                from: Start::Event("收到申请之日".into())
            })
        );
        assert_eq!(
            parse("公示期满后3天内"),
            Some(TimeLimit::CalendarDays {
                days: 3,
                from: Start::Event("公示期满".into())
            })
        );
    }

    #[test]
    fn yearly_dates() {
        assert_eq!(
            parse("每年3月31日前"),
            Some(TimeLimit::Annually {
                month: 3,
                day: Some(31)
            })
        );
        assert_eq!(
            parse("次年1月底前公开"),
            Some(TimeLimit::Annually {
                month: 1,
                day: None
            })
        );
        assert_eq!(
            parse("每年6月30日之前"),
            Some(TimeLimit::Annually {
                month: 6,
                day: Some(30)
            })
        );
        // A date is not a number of days.
        assert_ne!(
            parse("每年3月15日前").map(|r| matches!(r, TimeLimit::CalendarDays { .. })),
            Some(true)
        );
        assert_eq!(parse("每年13月1日前"), None);
    }

    #[test]
    fn continuous_forms() {
        for text in ["实时", "长期公开", "常态化公开", "实时更新"] {
            assert_eq!(parse(text), Some(TimeLimit::Continuous), "{text}");
        }
    }

    #[test]
    fn texts_of_no_known_form_are_left_unparsed() {
        for text in ["", "按规定", "每季度", "依法公开", "尽快"] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn rules_describe_themselves_in_chinese() {
        assert_eq!(
            wd(20).to_string(),
            "信息形成或变更之日起20个工作日内（《条例》第二十六条）"
        );
        assert_eq!(
            TimeLimit::Annually {
                month: 1,
                day: None
            }
            .to_string(),
            "每年1月底前"
        );
    }

    #[test]
    fn chinese_numerals() {
        let n = |s: &str| number(&s.chars().collect::<Vec<_>>());
        assert_eq!(n("二十"), Some(20));
        assert_eq!(n("十五"), Some(15));
        assert_eq!(n("七"), Some(7));
        assert_eq!(n("一百二十"), Some(120));
        assert_eq!(n("三十一"), Some(31));
        assert_eq!(n("20"), Some(20));
    }
}
