//! The statistical year and the organ's name, found where reports customarily print them: the
//! statistics period (`2023年1月1日至2023年12月31日`), the title
//! (`平潭综合实验区2019年度政府信息公开工作年度报告`, `2019年上海市人民政府办公厅政府信息公开工作年度报告`),
//! the opening sentence (`现公布…2022年政府信息公开工作年度报告`), or the first sentence of
//! 一、总体情况 (`2022年，区政府办公室认真贯彻…`).

use super::normalize;

/// How many lines at the top may hold the title: a page dumped by a text browser prints its
/// navigation, breadcrumbs and sidebar first. The search also stops at 一、总体情况.
const TITLE_LINES: usize = 60;

/// How many lines at the end may hold the signature (the organ's name, then the date).
const SIGNATURE_LINES: usize = 8;

/// Organ names end with one of these.
const ORGAN_SUFFIXES: &[&str] = &[
    "办公室",
    "办公厅",
    "人民政府",
    "政府",
    "委员会",
    "管委会",
    "街道",
    "办事处",
    "区",
    "县",
    "市",
    "省",
    "镇",
    "乡",
    "局",
    "厅",
    "委",
    "室",
    "中心",
    "院",
    "署",
    "办",
    "所",
    "站",
    // Organs that are not 局 or 委: 档案馆, 供销合作社联合社, 总工会, 残疾人联合会, 公路管理处,
    // 消防救援支队, 人民武装部, 国有林场, 中心支行, 海关, 监狱, 学校…
    "馆",
    "社",
    "会",
    "处",
    "队",
    "部",
    "场",
    "行",
    "关",
    "狱",
    "校",
    "台",
    "园",
    "团",
    "司",
];

/// Words that customarily follow the organ's name in "2022年，X认真贯彻…".
const VERBS: &[&str] = &[
    "认真",
    "坚持",
    "深入",
    "严格",
    "进一步",
    "全面",
    "紧紧",
    "以",
    "按照",
    "根据",
    "在",
    "积极",
    "切实",
    "高度",
    "不断",
    "持续",
    "扎实",
    "始终",
    "围绕",
    "聚焦",
    "继续",
    "着力",
    "大力",
    "共",
    "主动",
    "紧扣",
    "贯彻",
    "牢固",
    "坚决",
    "立足",
];

fn lines_key(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| chinese_years(&normalize::key(l)))
        .collect()
}

/// The digit of a Chinese numeral as years are written (`二〇二三年`).
fn numeral_digit(c: char) -> Option<char> {
    let d = match c {
        '〇' | '○' | '零' | 'Ｏ' => '0',
        '一' => '1',
        '二' => '2',
        '三' => '3',
        '四' => '4',
        '五' => '5',
        '六' => '6',
        '七' => '7',
        '八' => '8',
        '九' => '9',
        _ => return None,
    };
    Some(d)
}

/// `二〇二三年` written with Arabic digits (`2023年`), character for character; other text as is.
fn chinese_years(line: &str) -> String {
    // Most lines name no year: no 年, nothing to convert.
    if !line.contains('年') {
        return line.to_owned();
    }
    let mut chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i + 4 < chars.len() {
        if chars[i + 4] != '年' {
            i += 1;
            continue;
        }
        let mut d = ['0'; 4];
        let all = chars[i..i + 4]
            .iter()
            .zip(d.iter_mut())
            .all(|(&c, out)| numeral_digit(c).map(|v| *out = v).is_some());
        if all && d[0] == '2' && d[1] == '0' && (i == 0 || numeral_digit(chars[i - 1]).is_none()) {
            chars[i..i + 4].copy_from_slice(&d);
            i += 5;
        } else {
            i += 1;
        }
    }
    chars.into_iter().collect()
}

/// Four digits 2000–2099 followed by 年, at char index `i`.
fn year_at(chars: &[char], i: usize) -> Option<i32> {
    let d = chars.get(i..i + 5)?;
    if d[4] != '年' || !d[..4].iter().all(char::is_ascii_digit) {
        return None;
    }
    if i > 0 && chars[i - 1].is_ascii_digit() {
        return None;
    }
    let y: i32 = d[..4].iter().collect::<String>().parse().ok()?;
    (1990..=2099).contains(&y).then_some(y)
}

/// Where the year was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearSource {
    /// The statistics period (`2023年1月1日至…`).
    Period,
    /// The title.
    Title,
    /// The first year the text names (taken only from 2019 on: an earlier one is more likely
    /// the date of a law than the report's year).
    Mention,
}

/// The statistical year of the report and where it was found.
#[cfg(test)]
pub fn year_with_source(text: &str) -> Option<(i32, YearSource)> {
    year_in_lines(&lines_key(text))
}

/// The year and the organ, from one pass of normalisation over the text.
pub fn year_and_agency(text: &str) -> (Option<(i32, YearSource)>, Option<String>) {
    let lines = lines_key(text);
    let year = year_in_lines(&lines);
    let agency = agency_in_lines(text, &lines).map(|name| as_printed(text, &name).unwrap_or(name));
    (year, agency)
}

fn year_in_lines(lines: &[String]) -> Option<(i32, YearSource)> {
    // The statistics period: 2023年1月1日, maybe broken over two lines ("统计期限自2023" / "年1月1日").
    for (i, l) in lines.iter().enumerate() {
        let broken = l.ends_with(|c: char| c.is_ascii_digit());
        if !broken && !l.contains('月') {
            continue;
        }
        let joined = match lines.get(i + 1) {
            Some(next) if broken => format!("{l}{next}"),
            _ => l.clone(),
        };
        let chars: Vec<char> = joined.chars().collect();
        for i in 0..chars.len() {
            if let Some(y) = year_at(&chars, i)
                && chars.get(i + 5..i + 9) == Some(&['1', '月', '1', '日'][..])
            {
                return Some((y, YearSource::Period));
            }
        }
    }
    // The title.
    for l in lines.iter().take(TITLE_LINES) {
        if l.contains("年度报告") || l.contains("年报") {
            let chars: Vec<char> = l.chars().collect();
            if let Some(y) = (0..chars.len()).find_map(|i| year_at(&chars, i)) {
                return Some((y, YearSource::Title));
            }
        }
    }
    // The first year the text names.
    for l in lines {
        let chars: Vec<char> = l.chars().collect();
        if let Some(y) = (0..chars.len())
            .filter_map(|i| year_at(&chars, i))
            .find(|y| *y >= 2019)
        {
            return Some((y, YearSource::Mention));
        }
    }
    None
}

/// Whether `s` looks like an organ's name.
fn organ(s: &str) -> Option<String> {
    let n = s.chars().count();
    if !(2..=30).contains(&n) {
        return None;
    }
    if s.starts_with(['我', '本', '全', '各']) {
        return None;
    }
    if !s
        .chars()
        .all(|c| normalize::is_han(c) || c == '(' || c == ')')
    {
        return None;
    }
    ORGAN_SUFFIXES
        .iter()
        .any(|suf| s.ends_with(suf))
        .then(|| s.to_owned())
}

/// Drops what precedes the name in a sentence: everything up to the last punctuation mark and a
/// leading verb (`现公布`, `编制形成`…).
fn strip_lead(s: &str) -> &str {
    let mut s = s;
    if let Some(i) = s.rfind(|c: char| !(normalize::is_han(c) || c == '(' || c == ')')) {
        let len = s[i..].chars().next().map_or(1, char::len_utf8);
        s = &s[i + len..];
    }
    for verb in [
        // A page's navigation printed before the title.
        "返回首页",
        "返回",
        "首页",
        "现予公布",
        "现公布",
        "特公布",
        "公布",
        "现将",
        "编制形成",
        "编制完成",
        "编制",
        "发布",
        "形成",
    ] {
        if let Some(rest) = s.strip_prefix(verb) {
            return rest;
        }
    }
    s
}

/// Whether `s` names a year (a title piece without one may need the line before it).
fn year_in(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    (0..chars.len()).any(|i| year_at(&chars, i).is_some())
}

/// The organ in "由某某局编制" / "由某某局负责编制" of an opening paragraph.
fn compiled_by(line: &str) -> Option<String> {
    let mut rest = line;
    while let Some(i) = rest.find('由') {
        let after = &rest[i + '由'.len_utf8()..];
        let name: String = after
            .chars()
            .take_while(|c| normalize::is_han(*c) || matches!(c, '(' | ')'))
            .collect();
        for verb in ["负责编制", "编制"] {
            if let Some(at) = name.find(verb)
                && let Some(organ) = organ(&name[..at])
            {
                return Some(organ);
            }
        }
        rest = after;
    }
    None
}

/// The organ named in a title line, if the line is a title.
fn from_title(line: &str, previous: Option<&str>) -> Option<String> {
    let line = line.trim_start_matches(['#', '*', '>']);
    let line = line.strip_prefix("标题:").unwrap_or(line);
    let chars: Vec<char> = line.chars().collect();
    let text: String = chars.iter().collect();
    let mut at = 0;
    while let Some(rel) = text[at..].find("政府信息公开") {
        let pos = at + rel;
        at = pos + "政府信息公开".len();
        let after = &text[at..];
        let after = after.strip_prefix("工作").unwrap_or(after);
        if !(after.starts_with("年度报告")
            || after.starts_with("年报")
            || after.starts_with("报告"))
        {
            continue;
        }
        // Back from "政府信息公开" to the year.
        let before: Vec<char> = text[..pos].chars().collect();
        let Some(yi) = (0..before.len())
            .rev()
            .find(|&i| year_at(&before, i).is_some())
        else {
            // A title without a year: "某某局政府信息公开工作年度报告" as the whole line.
            let x: String = before.iter().collect();
            if pos == 0 || after.len() > "年度报告".len() + 3 {
                continue;
            }
            if let Some(name) = organ(&x) {
                return Some(name);
            }
            continue;
        };
        let mut x2_start = yi + 5;
        if before.get(x2_start) == Some(&'度') {
            x2_start += 1;
        }
        let x2: String = before[x2_start.min(before.len())..].iter().collect();
        if let Some(name) = organ(&x2) {
            return Some(name);
        }
        let x1: String = before[..yi].iter().collect();
        let x1 = x1.strip_suffix("关于").unwrap_or(&x1);
        if let Some(name) = organ(strip_lead(x1)) {
            return Some(name);
        }
        if yi == 0
            && x2.is_empty()
            && let Some(name) = previous.and_then(organ)
        {
            return Some(name);
        }
    }
    // "2020年报_审计局" (a flip-book's page title).
    if let Some(i) = text.find("年报") {
        let rest = text[i + "年报".len()..].trim_start_matches(['_', '-', '—', ':']);
        if rest.len() < text.len() - i - "年报".len()
            && let Some(name) = organ(rest)
        {
            return Some(name);
        }
    }
    None
}

/// The organ making the report, as the text prints it (Traditional characters and full-width
/// brackets kept: normalisation only served to find it).
#[cfg(test)]
pub fn agency(text: &str) -> Option<String> {
    year_and_agency(text).1
}

/// The first place `key` (normalised, no whitespace) is printed, as printed (without spaces).
fn as_printed(text: &str, key: &str) -> Option<String> {
    let want: Vec<char> = key.chars().collect();
    let first = *want.first()?;
    for line in text.lines() {
        let printed: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
        let norm: Vec<char> = printed.iter().map(|&c| normalize::char(c)).collect();
        // Normalisation maps some characters to a space: they are not part of a name.
        for start in (0..norm.len()).filter(|&i| norm[i] == first) {
            if norm.get(start..start + want.len()) == Some(&want[..]) {
                return Some(printed[start..start + want.len()].iter().collect());
            }
        }
    }
    None
}

fn agency_in_lines(text: &str, lines: &[String]) -> Option<String> {
    let raw: Vec<&str> = text.lines().collect();
    let mut previous: Option<&str> = None;
    for (i, l) in lines.iter().enumerate().take(TITLE_LINES) {
        if l.starts_with("一、总体情况") {
            break;
        }
        if l.is_empty() {
            continue;
        }
        // The title as a piece of its line set apart by spaces: a sidebar printed beside it
        // (`返 泉州市…年度报告`) is no part of the name.
        if let Some(name) = raw
            .get(i)
            .into_iter()
            .flat_map(|r| r.split_whitespace())
            .filter(|piece| piece.contains("政府"))
            .find_map(|piece| {
                let key = chinese_years(&normalize::key(piece));
                (key.contains("政府信息公开") && year_in(&key))
                    .then(|| from_title(&key, None))
                    .flatten()
            })
        {
            return Some(name);
        }
        if let Some(name) = from_title(l, previous) {
            return Some(name);
        }
        // A title wrapped over two lines (a narrow page, a PDF): "…政府信息" / "公开工作年度报告".
        // The next line must not be a title on its own (a breadcrumb above the title is no part
        // of it).
        if !l.contains("报告")
            && let Some(next) = lines[i + 1..].iter().find(|n| !n.is_empty())
            && (next.contains("报告") || next.contains("年报"))
            && from_title(next, Some(l)).is_none()
            && let Some(name) = from_title(&format!("{l}{next}"), previous)
        {
            return Some(name);
        }
        previous = Some(l);
    }
    // The opening paragraph: "本报告…由某某局编制。" (a line may break inside the name).
    for (i, l) in lines.iter().enumerate().take(TITLE_LINES) {
        if l.starts_with("一、总体情况") {
            break;
        }
        if !l.contains('由') {
            continue;
        }
        let joined = format!("{l}{}", lines.get(i + 1).map_or("", String::as_str));
        if let Some(name) = compiled_by(&joined) {
            return Some(name);
        }
    }
    // The signature: a line that is only the organ's name, among the last lines.
    if let Some(name) = lines
        .iter()
        .rev()
        .filter(|l| !l.is_empty())
        .take(SIGNATURE_LINES)
        .find_map(|l| organ(l))
    {
        return Some(name);
    }
    // The first sentence of 一、总体情况: "2022年，区政府办公室认真贯彻…".
    let start = lines.iter().position(|l| l.starts_with("一、总体情况"))?;
    for l in lines.iter().skip(start + 1).take(3) {
        let chars: Vec<char> = l.chars().collect();
        if year_at(&chars, 0).is_none() {
            continue;
        }
        let mut i = 5;
        if chars.get(i) == Some(&'度') {
            i += 1;
        }
        if !matches!(chars.get(i), Some(',' | '，')) {
            continue;
        }
        let run: String = chars[i + 1..]
            .iter()
            .take_while(|c| normalize::is_han(**c))
            .take(20)
            .collect();
        let run_chars: Vec<char> = run.chars().collect();
        for n in (2..run_chars.len()).rev() {
            let prefix: String = run_chars[..n].iter().collect();
            let rest: String = run_chars[n..].iter().collect();
            if VERBS.iter().any(|v| rest.starts_with(v))
                && let Some(name) = organ(&prefix)
            {
                return Some(name);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_name_the_organ_before_or_after_the_year() {
        assert_eq!(
            agency("2019年上海市人民政府办公厅政府信息公开工作年度报告\n发布日期"),
            Some("上海市人民政府办公厅".into())
        );
        assert_eq!(
            agency("标题: 平潭综合实验区2019年度政府信息公开工作年度报告"),
            Some("平潭综合实验区".into())
        );
        assert_eq!(
            agency("规定,现公布呼伦贝尔经济技术开发区2022年政府信息公开工作年度报告。本报告"),
            Some("呼伦贝尔经济技术开发区".into())
        );
        assert_eq!(
            agency("      洪泽区人民政府\n  2023 年政府信息公开工作年度报告\n"),
            Some("洪泽区人民政府".into())
        );
        assert_eq!(agency("编制我单位2021年政府信息公开工作年度报告。"), None);
        assert_eq!(agency("Page 9 - 2020年报_审计局"), Some("审计局".into()));
        assert_eq!(
            agency("某某区人民政府办公室关于2022年政府信息公开工作年度报告"),
            Some("某某区人民政府办公室".into())
        );
    }

    #[test]
    fn a_title_below_a_pages_navigation_or_none_at_all() {
        let mut page = "首页\n".repeat(25);
        page.push_str("宁波市鄞州区住房和城乡建设局2024年政府信息公开工作年度报告\n一、总体情况\n2024年，区住建局坚持…");
        assert_eq!(
            agency(&page).as_deref(),
            Some("宁波市鄞州区住房和城乡建设局")
        );
        let text = "本报告根据《条例》要求，由邵阳市大祥区教育局编制。全文包括…\n一、总体情况\n2019年，区教育局认真贯彻…";
        assert_eq!(agency(text).as_deref(), Some("邵阳市大祥区教育局"));
        let text = "本报告根据《条例》要求，由邵阳市大祥区教育局编\n制。全文包括…\n一、总体情况\n";
        assert_eq!(agency(text).as_deref(), Some("邵阳市大祥区教育局"));
        // Only the signature names it in full.
        let text = "一、总体情况\n2019年，区教育局认真贯彻…\n六、其他需要报告的事项\n无。\n    邵阳市大祥区教育局\n    2020年1月20日\n";
        assert_eq!(agency(text).as_deref(), Some("邵阳市大祥区教育局"));
    }

    #[test]
    fn titles_wrapped_or_after_navigation() {
        assert_eq!(
            agency("  温州市柯桥区农业农村局2020年度政府信息\n  公开工作年度报告\n").as_deref(),
            Some("温州市柯桥区农业农村局")
        );
        assert_eq!(
            agency("返回              泉州市丰泽区教育局2021年政府信息公开工作年度报告").as_deref(),
            Some("泉州市丰泽区教育局")
        );
        // A vertical sidebar beside the title, one character per line.
        assert_eq!(
            agency("返 泉州市丰泽区教育局2021年政府信息公开工作年度报告\n回 本报告由…编制\n首\n页")
                .as_deref(),
            Some("泉州市丰泽区教育局")
        );
        assert_eq!(
            agency("返回首                 泉州市丰泽区教育局2021年政府信息公开工作年度报告")
                .as_deref(),
            Some("泉州市丰泽区教育局")
        );
        // A breadcrumb or the page's metadata above a whole title.
        assert_eq!(
            agency("发文日期：2024-01-26    主题分类：政务公开\n  江北市城市管理局2023年政府信息公开工作年度报告")
                .as_deref(),
            Some("江北市城市管理局")
        );
        assert_eq!(
            agency("当前位置：首页 > 政务公开 > 政府信息公开年报\n苏州市吴中区财政局2023年政府信息公开工作年度报告")
                .as_deref(),
            Some("苏州市吴中区财政局")
        );
        assert_eq!(
            year("本报告统计期限自2023\n年1月1日起至12月31日止。2024年1月18日"),
            Some(2023)
        );
    }

    #[test]
    fn organs_that_are_not_bureaus_are_named() {
        for name in [
            "西宁市城东区档案馆",
            "某某县供销合作社联合社",
            "某某市总工会",
            "某某县公路管理处",
            "某某市消防救援支队",
            "某某县人民武装部",
            "某某县国有林场",
            "中国人民银行某某市中心支行",
            "某某广播电视台",
        ] {
            let title = format!("{name}2023年政府信息公开工作年度报告");
            assert_eq!(agency(&title).as_deref(), Some(name), "{title}");
        }
    }

    fn year(text: &str) -> Option<i32> {
        year_with_source(text).map(|(y, _)| y)
    }

    #[test]
    fn years_in_chinese_numerals_are_read() {
        assert_eq!(
            year("某某县人民政府二〇二三年政府信息公开工作年度报告"),
            Some(2023)
        );
        assert_eq!(
            agency("某某县人民政府二○二一年度政府信息公开工作年度报告"),
            Some("某某县人民政府".into())
        );
        // Not a year: numerals in a sentence.
        assert_eq!(chinese_years("三二一年"), "三二一年");
    }

    #[test]
    fn the_statistics_period_gives_the_year() {
        assert_eq!(year("统计期限自 2023 年 1 月 1 日起"), Some(2023));
        assert_eq!(year("2020年报_审计局"), Some(2020));
        // A law's date is not the report's year.
        assert_eq!(year("依据2008年5月1日施行的规定"), None);
    }
}
