//! Generated information items (主动公开): 规章 (only provincial and city governments make them,
//! 立法法 art. 93), 行政规范性文件, other 公文, 政策解读 linked to the document they explain,
//! notices, news, statistics, plans and personnel notices, each with its 成文日期 and
//! publication day; some formed the year before; some 规章 and 规范性文件 repealed or expired
//! during the year.

use rand::Rng;
use rand::distr::Distribution;
use rand::rngs::StdRng;
use time::{Date, Duration};

use super::cases::weighted;
use super::tree::{PlannedOrgan, Role, Tier};
use crate::StoreError;
use crate::item::{DEFAULT_TOPICS, ItemContent, clean_html};

const WORK: [&str; 16] = [
    "安全生产",
    "营商环境优化",
    "乡村振兴",
    "生态环境保护",
    "城市更新",
    "政务公开",
    "养老服务",
    "义务教育",
    "就业创业",
    "防汛抗旱",
    "食品安全",
    "文明城市创建",
    "数字政府建设",
    "耕地保护",
    "消防安全",
    "医疗保障",
];

/// 体裁 keys of [`crate::item::KINDS`] with rough shares (a government's 公文 share is higher).
const KIND_SHARES: [(&str, u32); 9] = [
    ("regulation", 1),
    ("normative_document", 8),
    ("other", 22),
    ("interpretation", 6),
    ("notice", 20),
    ("news", 28),
    ("statistics", 5),
    ("plan", 5),
    ("personnel", 5),
];

/// One generated item: its organ (index in the plan), content, publication day, the item it
/// interprets (index in the list) and a change of 有效性 (key and since when).
#[derive(Debug, Clone)]
pub(super) struct PlannedItem {
    pub organ: usize,
    pub content: ItemContent,
    pub published: Date,
    pub interprets: Option<usize>,
    pub validity: Option<(&'static str, Date)>,
}

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

/// The short form of an organ in a 文号: 青政发, 青教发.
fn doc_prefix(organ: &PlannedOrgan) -> String {
    let area: String = organ.area.chars().take(1).collect();
    match organ.role {
        Role::Government => format!("{area}政发"),
        Role::Department(_) => {
            let dept: String = organ
                .name
                .chars()
                .skip(organ.area.chars().count())
                .take(1)
                .collect();
            format!("{area}{dept}发")
        }
    }
}

/// `count` items over `organs`, sorted by publication day.
pub(super) fn plan(
    rng: &mut StdRng,
    organs: &[PlannedOrgan],
    count: usize,
    year: i32,
    year_end: Date,
) -> Result<Vec<PlannedItem>, StoreError> {
    if count == 0 || organs.is_empty() {
        return Ok(Vec::new());
    }
    let weights: Vec<u32> = organs
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let tier = match o.tier {
                Tier::Province => 3,
                Tier::City => 2,
                Tier::County => 1,
            };
            let role = if o.role == Role::Government { 6 } else { 2 };
            if i > 0 && rng.random_bool(0.1) {
                0
            } else {
                tier * role
            }
        })
        .collect();
    let organ_draw = weighted(weights)?;
    let kind_draw = weighted(KIND_SHARES.iter().map(|k| k.1).collect())?;
    let year_start = Date::from_ordinal_date(year, 1)
        .map_err(|e| StoreError::Other(format!("demo-data year: {e}")))?;
    let mut items: Vec<PlannedItem> = (0..count)
        .map(|_| {
            let organ = organ_draw.sample(rng);
            let o = &organs[organ];
            let mut kind = KIND_SHARES[kind_draw.sample(rng)].0;
            let may_regulate = o.role == Role::Government && o.tier != Tier::County;
            if kind == "regulation" && !may_regulate {
                kind = "normative_document";
            }
            let earlier = rng.random_bool(0.15);
            let formed = if earlier {
                year_start - Duration::days(rng.random_range(1..=365))
            } else {
                year_start + Duration::days(rng.random_range(0..=364))
            };
            let published = (formed + Duration::days(rng.random_range(0..=10))).min(year_end);
            let formed = formed.min(published);
            let content = content(rng, o, kind, formed);
            PlannedItem {
                organ,
                content,
                published,
                interprets: None,
                validity: None,
            }
        })
        .collect();
    items.sort_by_key(|i| i.published);
    number_documents(&mut items, organs);
    link_interpretations(&mut items);
    for item in &mut items {
        item.validity = validity_change(rng, item, year_start, year_end);
    }
    Ok(items)
}

fn content(rng: &mut StdRng, o: &PlannedOrgan, kind: &'static str, formed: Date) -> ItemContent {
    let work = pick(rng, &WORK);
    let year = formed.year();
    let (title, article20) = match kind {
        "regulation" => (format!("{}{work}管理办法", o.area), Some(1)),
        "normative_document" => (
            format!("{}关于进一步加强{work}工作的实施意见", o.name),
            Some(1),
        ),
        "other" => (format!("{}关于{work}工作情况的报告", o.name), None),
        "interpretation" => (format!("{work}政策解读"), Some(1)),
        "notice" => (
            format!("关于{work}有关事项的公告"),
            Some(rng.random_range(1..=15)),
        ),
        "statistics" => (format!("{}{year}年{work}统计数据", o.area), Some(3)),
        "plan" => (format!("{}{year}年{work}工作计划", o.name), Some(2)),
        "personnel" => (format!("{}{year}年公开招聘工作人员公告", o.name), None),
        _ => (format!("{}召开{work}工作推进会", o.name), None),
    };
    let summary = format!("{title}。");
    ItemContent {
        title,
        doc_number: String::new(),
        publisher: o.name.clone(),
        formed: Some(formed),
        topic: pick(rng, &DEFAULT_TOPICS).to_owned(),
        kind: kind.to_owned(),
        article20,
        openness: "proactive".into(),
        openness_reason: String::new(),
        interprets: None,
        keywords: work.to_owned(),
        body: clean_html(&format!(
            "{summary}\n本文为演示数据，由 gongkai demo-data 生成。"
        )),
        summary,
        catalogue_entry: None,
    }
}

/// 文号 of the 公文 kinds, per organ and year in publication order: 青政发〔2025〕3号; a
/// 规章 is numbered as the government's 令.
fn number_documents(items: &mut [PlannedItem], organs: &[PlannedOrgan]) {
    let mut serials: std::collections::HashMap<(usize, i32, bool), u32> = Default::default();
    for item in items {
        let kind = item.content.kind.as_str();
        if !matches!(kind, "regulation" | "normative_document" | "other") {
            continue;
        }
        let year = item.content.formed.map_or(0, Date::year);
        let regulation = kind == "regulation";
        let serial = serials.entry((item.organ, year, regulation)).or_insert(0);
        *serial += 1;
        let o = &organs[item.organ];
        item.content.doc_number = if regulation {
            format!("{}人民政府令第{serial}号", o.area)
        } else {
            format!("{}〔{year}〕{serial}号", doc_prefix(o))
        };
    }
}

/// A 政策解读 explains its organ's latest earlier 规章 or 规范性文件, if any.
fn link_interpretations(items: &mut [PlannedItem]) {
    let mut latest: std::collections::HashMap<usize, usize> = Default::default();
    for i in 0..items.len() {
        match items[i].content.kind.as_str() {
            "regulation" | "normative_document" => {
                latest.insert(items[i].organ, i);
            }
            "interpretation" => {
                if let Some(&target) = latest.get(&items[i].organ) {
                    let title = items[target].content.title.clone();
                    items[i].interprets = Some(target);
                    items[i].content.title = format!("《{title}》政策解读");
                }
            }
            _ => {}
        }
    }
}

/// Some 规章 and 规范性文件 are repealed or expire during the year, after publication.
fn validity_change(
    rng: &mut StdRng,
    item: &PlannedItem,
    year_start: Date,
    year_end: Date,
) -> Option<(&'static str, Date)> {
    if !matches!(
        item.content.kind.as_str(),
        "regulation" | "normative_document"
    ) {
        return None;
    }
    let key = match rng.random_range(0..100) {
        0..10 => "repealed",
        10..13 => "expired",
        _ => return None,
    };
    let from = (item.published + Duration::days(30)).max(year_start);
    let span = (year_end - from).whole_days();
    (span >= 0).then(|| (key, from + Duration::days(rng.random_range(0..=span))))
}
