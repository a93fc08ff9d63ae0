//! The 政务公开事项标准目录 of an organ (国办发〔2019〕54号; spec/domain.md §7): entries with
//! the eight elements — 事项类别, 事项名称, 公开内容, 公开依据, 公开主体, 公开时限, 公开渠道和载体,
//! 公开方式 — and, optionally, the 公开对象 and one of the 26 试点领域.
//!
//! [`ELEMENTS`] is the one table of the elements: key, printed label, the other names real
//! catalogues print in their header row, bound. Forms, the import's header matching, the
//! portal's columns and the template file all read it.
//!
//! An entry's 公开时限 is kept as the text the organ wrote; its machine rule
//! ([`time_limit::parse`]) and whether it is overdue ([`overdue::overdue`]) are computed
//! from that text on each request, never stored. [`import`] reads a whole sheet (CSV or XLSX
//! rows) into entries, all or nothing.
//!
//! Deleting an entry that information items fulfil is refused ([`StoreError::NotAllowed`]):
//! the link between an item and the entry it fulfils is what evaluators check, and silently
//! unlinking would lose it. `items.catalogue_entry_id` has no foreign key (the items table
//! came first, and SQLite cannot add one to an existing table), so the store checks with a
//! query in the deleting transaction.

pub mod import;
pub mod overdue;
pub mod time_limit;

use serde_json::json;
use sqlx::Row;

use crate::{Actor, OrganId, OrganScope, Result, Store, StoreError, audit};

/// Database identifier of a catalogue entry.
pub type EntryId = i64;

/// An element (a column) of the 标准目录.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Element {
    /// The key in forms, the audit log and the API.
    pub key: &'static str,
    /// The label as the catalogue prints it.
    pub label: &'static str,
    /// Other labels a header row may print for it (国办发〔2019〕54号 names the elements
    /// 名称、内容、依据、时限、主体、方式、渠道; local catalogues print 一级事项 and 二级事项).
    pub aliases: &'static [&'static str],
    /// Whether every entry must have it.
    pub required: bool,
    /// The most characters it may hold.
    pub max_chars: usize,
    /// Whether it may hold line breaks.
    pub multiline: bool,
}

const fn element(
    key: &'static str,
    label: &'static str,
    aliases: &'static [&'static str],
    required: bool,
    max_chars: usize,
    multiline: bool,
) -> Element {
    Element {
        key,
        label,
        aliases,
        required,
        max_chars,
        multiline,
    }
}

/// The elements, in the order the catalogue prints them: the eight of 54号, then the optional
/// 公开对象 and 试点领域.
pub const ELEMENTS: [Element; 10] = [
    element(
        "category",
        "事项类别",
        &["一级事项", "公开事项一级事项", "事项分类", "类别"],
        true,
        100,
        false,
    ),
    element(
        "name",
        "事项名称",
        &["二级事项", "公开事项二级事项", "名称", "事项"],
        true,
        200,
        false,
    ),
    element(
        "content",
        "公开内容",
        &["内容", "公开内容（要素）", "公开内容要素", "要素"],
        true,
        2000,
        true,
    ),
    element(
        "basis",
        "公开依据",
        &["依据", "公开依据（文件）"],
        true,
        2000,
        true,
    ),
    element(
        "subject",
        "公开主体",
        &["主体", "责任主体", "公开责任主体"],
        true,
        200,
        false,
    ),
    element(
        "time_limit",
        "公开时限",
        &["时限", "公开期限"],
        true,
        200,
        false,
    ),
    element(
        "channels",
        "公开渠道和载体",
        &[
            "途径",
            "渠道",
            "公开渠道",
            "公开途径",
            "渠道和载体",
            "公开渠道及载体",
            "公开渠道与载体",
            "公开载体",
        ],
        true,
        500,
        false,
    ),
    element("mode", "公开方式", &["方式"], true, 20, false),
    element(
        "audience",
        "公开对象",
        &["对象", "公开范围"],
        false,
        100,
        false,
    ),
    element(
        "pilot_area",
        "试点领域",
        &["领域", "所属领域", "公开领域"],
        false,
        40,
        false,
    ),
];

/// The element of `key`.
pub fn element_of(key: &str) -> Option<&'static Element> {
    ELEMENTS.iter().find(|e| e.key == key)
}

/// The label of the element of `key`, or the key.
pub fn label_of(key: &str) -> &str {
    element_of(key).map_or(key, |e| e.label)
}

/// 公开方式: 主动 or 依申请 (or both, where part of the information is given on request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// 主动公开.
    Proactive,
    /// 依申请公开.
    OnRequest,
    /// 主动 and 依申请.
    Both,
}

impl Mode {
    /// Every mode, in display order.
    pub const ALL: [Mode; 3] = [Mode::Proactive, Mode::OnRequest, Mode::Both];

    /// The key stored and sent by forms.
    pub fn key(self) -> &'static str {
        match self {
            Mode::Proactive => "proactive",
            Mode::OnRequest => "on_request",
            Mode::Both => "both",
        }
    }

    /// The label printed in the catalogue.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Proactive => "主动",
            Mode::OnRequest => "依申请",
            Mode::Both => "主动、依申请",
        }
    }

    /// The mode of a stored key.
    pub fn from_key(key: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.key() == key)
    }

    /// Reads what a catalogue prints: 主动, 主动公开, 依申请, 依申请公开, both joined by 、 or
    /// a checkbox list (■主动 □依申请).
    pub fn parse(text: &str) -> Option<Mode> {
        let text = checked_items(text).unwrap_or_else(|| text.to_owned());
        let mut proactive = false;
        let mut on_request = false;
        for part in text.split(['、', ',', '，', ';', '；', '/', '和', '及', ' ', '\u{3000}'])
        {
            let part = part.trim().trim_end_matches("公开");
            match part {
                "" => {}
                "主动" => proactive = true,
                "依申请" | "申请" => on_request = true,
                _ => return None,
            }
        }
        match (proactive, on_request) {
            (true, true) => Some(Mode::Both),
            (true, false) => Some(Mode::Proactive),
            (false, true) => Some(Mode::OnRequest),
            (false, false) => None,
        }
    }
}

/// A 试点领域 (国办发〔2017〕42号; the 26 areas of the ministries' 标准指引).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PilotArea {
    /// Its number, 1–26 (spec/domain.md §7.2).
    pub number: u8,
    /// Its name.
    pub label: &'static str,
    /// Other names it goes by.
    pub aliases: &'static [&'static str],
}

const fn area(number: u8, label: &'static str, aliases: &'static [&'static str]) -> PilotArea {
    PilotArea {
        number,
        label,
        aliases,
    }
}

/// The 26 试点领域, in the order of spec/domain.md §7.2.
pub const PILOT_AREAS: [PilotArea; 26] = [
    area(1, "城乡规划", &[]),
    area(2, "重大建设项目", &[]),
    area(3, "公共资源交易", &[]),
    area(4, "财政预决算", &["预决算"]),
    area(5, "安全生产", &[]),
    area(6, "税收管理", &[]),
    area(7, "征地补偿", &[]),
    area(8, "国有土地上房屋征收与补偿", &["国有土地上房屋征收"]),
    area(9, "环境保护（生态环境）", &["环境保护", "生态环境"]),
    area(10, "公共文化服务", &[]),
    area(11, "公共法律服务", &[]),
    area(12, "扶贫", &[]),
    area(13, "救灾", &[]),
    area(14, "食品药品监管", &[]),
    area(15, "城市综合执法", &[]),
    area(16, "就业", &[]),
    area(17, "社会救助", &[]),
    area(18, "养老服务", &[]),
    area(19, "户籍管理", &[]),
    area(20, "涉农补贴", &[]),
    area(21, "义务教育", &[]),
    area(22, "医疗卫生（卫生健康）", &["医疗卫生", "卫生健康"]),
    area(23, "市政服务", &[]),
    area(24, "农村危房改造", &[]),
    area(25, "保障性住房", &[]),
    area(26, "社会保险", &[]),
];

/// The 试点领域 of a number.
pub fn pilot_area(number: u8) -> Option<&'static PilotArea> {
    PILOT_AREAS.iter().find(|a| a.number == number)
}

/// Reads a 试点领域 by name (spaces, full-width forms and a trailing 领域 ignored) or number.
pub fn parse_pilot_area(text: &str) -> Option<u8> {
    let key = normalize_label(text);
    let key = key.strip_suffix("领域").unwrap_or(&key);
    if let Ok(n) = key.parse::<u8>() {
        return pilot_area(n).map(|a| a.number);
    }
    PILOT_AREAS
        .iter()
        .find(|a| {
            normalize_label(a.label) == key || a.aliases.iter().any(|x| normalize_label(x) == key)
        })
        .map(|a| a.number)
}

/// The standard 公开渠道和载体 of the 标准指引 checkbox list (spec/domain.md §7.1), without
/// 其他: anything else an organ uses is written out beside them.
pub const CHANNELS: [&str; 12] = [
    "政府网站",
    "两微一端",
    "广播电视",
    "公开查阅点",
    "便民服务站",
    "政府公报",
    "发布会/听证会",
    "纸质媒体",
    "政务服务中心",
    "入户/现场",
    "社区/企事业单位/村公示栏（电子屏）",
    "精准推送",
];

/// A header label or a short value compared loosely: full-width letters, digits and brackets
/// as half-width, every space removed (also the ideographic one), a required-field `*` and a
/// trailing colon dropped.
pub fn normalize_label(text: &str) -> String {
    text.chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '\u{feff}')
        .collect::<String>()
        .trim_end_matches(':')
        .to_owned()
}

/// A full-width ASCII form (Ａ, １, （) as its half-width character.
pub fn half_width(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

const CHECKED: [char; 6] = ['■', '☑', '☒', '√', '✓', '✔'];
const UNCHECKED: [char; 2] = ['□', '☐'];

/// The ticked items of a checkbox list as printed in catalogues (`■政府网站 □两微一端
/// ■公开查阅点` is `政府网站、公开查阅点`), or `None` when the text has no checkbox.
pub fn checked_items(text: &str) -> Option<String> {
    if !text
        .chars()
        .any(|c| CHECKED.contains(&c) || UNCHECKED.contains(&c))
    {
        return None;
    }
    let mut items = Vec::new();
    let mut current: Option<(bool, String)> = None;
    for c in text.chars() {
        if CHECKED.contains(&c) || UNCHECKED.contains(&c) {
            if let Some((true, item)) = current.take() {
                items.push(item);
            }
            current = Some((CHECKED.contains(&c), String::new()));
        } else if let Some((_, item)) = current.as_mut() {
            item.push(c);
        }
    }
    if let Some((true, item)) = current {
        items.push(item);
    }
    let items: Vec<String> = items
        .iter()
        .map(|i| {
            i.trim_matches(|c: char| c.is_whitespace() || "、,，;；".contains(c))
                .to_owned()
        })
        .filter(|i| !i.is_empty())
        .collect();
    Some(items.join("、"))
}

/// An entry as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryInput {
    /// 事项类别 (一级事项).
    pub category: String,
    /// 事项名称 (二级事项).
    pub name: String,
    /// 公开内容（要素）.
    pub content: String,
    /// 公开依据.
    pub basis: String,
    /// 公开主体.
    pub subject: String,
    /// 公开时限, as written (e.g. 信息形成或变更之日起20个工作日内).
    pub time_limit: String,
    /// 公开渠道和载体, joined by 、.
    pub channels: String,
    /// 公开方式.
    pub mode: Mode,
    /// 公开对象 (全社会, 特定群众), empty if not stated.
    pub audience: String,
    /// 试点领域, by number.
    pub pilot_area: Option<u8>,
}

impl EntryInput {
    /// The text of an element by key (`mode` and `pilot_area` as printed).
    pub fn text(&self, key: &str) -> String {
        match key {
            "category" => self.category.clone(),
            "name" => self.name.clone(),
            "content" => self.content.clone(),
            "basis" => self.basis.clone(),
            "subject" => self.subject.clone(),
            "time_limit" => self.time_limit.clone(),
            "channels" => self.channels.clone(),
            "mode" => self.mode.label().to_owned(),
            "audience" => self.audience.clone(),
            "pilot_area" => self
                .pilot_area
                .and_then(pilot_area)
                .map_or(String::new(), |a| a.label.to_owned()),
            _ => String::new(),
        }
    }

    /// Every element that is missing, too long or holds a control character, with the Chinese
    /// sentence to show at it; empty when the entry can be kept.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        for e in ELEMENTS.iter() {
            if e.key == "mode" || e.key == "pilot_area" {
                continue;
            }
            let value = self.text(e.key);
            if let Some(message) = text_problem(e, &value) {
                out.push((e.key, message));
            }
        }
        if let Some(n) = self.pilot_area
            && pilot_area(n).is_none()
        {
            out.push((
                "pilot_area",
                "「试点领域」应为26个试点领域之一；不属于试点领域的请留空。".into(),
            ));
        }
        out
    }

    /// The machine rule of its 公开时限, if the text is one of the forms [`time_limit::parse`]
    /// reads.
    pub fn rule(&self) -> Option<time_limit::TimeLimit> {
        time_limit::parse(&self.time_limit)
    }
}

/// What is wrong with one element's text, if anything.
fn text_problem(e: &Element, value: &str) -> Option<String> {
    if e.required && value.trim().is_empty() {
        return Some(format!("请填写「{}」。", e.label));
    }
    let allowed = |c: char| !c.is_control() || (e.multiline && matches!(c, '\n' | '\t'));
    if !value.chars().all(allowed) {
        return Some(format!("「{}」含有不允许的控制字符，请删除。", e.label));
    }
    let count = value.chars().count();
    if count > e.max_chars {
        return Some(format!(
            "「{}」不能超过{}个字（现为{count}个）。",
            e.label, e.max_chars
        ));
    }
    None
}

/// An entry as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueEntry {
    /// Identifier.
    pub id: EntryId,
    /// The organ whose catalogue it is.
    pub organ_id: OrganId,
    /// Its place in the catalogue (序号 is its rank in this order).
    pub sort_order: i64,
    /// The elements.
    pub input: EntryInput,
    /// When it was added (Unix seconds).
    pub created_at: i64,
    /// When it was last changed (Unix seconds).
    pub updated_at: i64,
}

const SELECT: &str = "SELECT id, organ_id, sort_order, category, name, content, basis, subject, \
     time_limit, channels, mode, audience, pilot_area, created_at, updated_at \
     FROM catalogue_entries";

fn from_row(row: &sqlx::any::AnyRow) -> Result<CatalogueEntry> {
    let mode: String = row.try_get("mode")?;
    let pilot_area: Option<i64> = row.try_get("pilot_area")?;
    Ok(CatalogueEntry {
        id: row.try_get("id")?,
        organ_id: row.try_get("organ_id")?,
        sort_order: row.try_get("sort_order")?,
        input: EntryInput {
            category: row.try_get("category")?,
            name: row.try_get("name")?,
            content: row.try_get("content")?,
            basis: row.try_get("basis")?,
            subject: row.try_get("subject")?,
            time_limit: row.try_get("time_limit")?,
            channels: row.try_get("channels")?,
            mode: Mode::from_key(&mode)
                .ok_or_else(|| StoreError::Other(format!("catalogue entry mode {mode:?}")))?,
            audience: row.try_get("audience")?,
            pilot_area: pilot_area.and_then(|n| u8::try_from(n).ok()),
        },
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// The audit log's picture of an entry.
fn audit_value(input: &EntryInput) -> serde_json::Value {
    json!({
        "category": input.category,
        "name": input.name,
        "content": input.content,
        "basis": input.basis,
        "subject": input.subject,
        "time_limit": input.time_limit,
        "channels": input.channels,
        "mode": input.mode.key(),
        "audience": input.audience,
        "pilot_area": input.pilot_area,
    })
}

/// Refuses an entry that cannot be kept, naming the first element at fault.
fn check(input: &EntryInput) -> Result<()> {
    match input.problems().into_iter().next() {
        Some((field, message)) => Err(StoreError::Invalid { field, message }),
        None => Ok(()),
    }
}

/// Inserts one entry at `sort_order` with its audit row, inside the caller's transaction.
async fn insert(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    organ_id: OrganId,
    now: i64,
    sort_order: i64,
    input: &EntryInput,
    action: &'static str,
) -> Result<EntryId> {
    let row = sqlx::query(
        "INSERT INTO catalogue_entries (organ_id, sort_order, category, name, content, basis, \
         subject, time_limit, channels, mode, audience, pilot_area, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(organ_id)
    .bind(sort_order)
    .bind(&input.category)
    .bind(&input.name)
    .bind(&input.content)
    .bind(&input.basis)
    .bind(&input.subject)
    .bind(&input.time_limit)
    .bind(&input.channels)
    .bind(input.mode.key())
    .bind(&input.audience)
    .bind(input.pilot_area.map(i64::from))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let id: EntryId = row.try_get("id")?;
    audit::record(
        conn,
        audit::Entry {
            at: now,
            actor,
            organ_id: Some(organ_id),
            action,
            entity: "catalogue_entry",
            entity_id: id.to_string(),
            before: None,
            after: Some(audit_value(input)),
        },
    )
    .await?;
    Ok(id)
}

/// The place after the organ's last entry.
async fn next_sort_order(conn: &mut sqlx::AnyConnection, organ_id: OrganId) -> Result<i64> {
    let row = sqlx::query(
        "SELECT COALESCE(MAX(sort_order), 0) AS last FROM catalogue_entries WHERE organ_id = $1",
    )
    .bind(organ_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get::<i64, _>("last")? + 1)
}

/// Entries read from a sheet and added by [`Store::import_catalogue`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The entries added, in the sheet's order.
    pub entries: Vec<CatalogueEntry>,
    /// Header labels of columns that were not read (序号, 公开层级, …).
    pub ignored_columns: Vec<String>,
}

/// Why an import added nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The sheet does not read: each problem with its row and column.
    #[error("{} problem(s) in the sheet", .0.len())]
    Sheet(Vec<import::RowProblem>),
    /// The database refused.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why an entry that items fulfil is not deleted.
const FULFILLED: &str = "已有主动公开的政府信息对应本事项，不能删除。请先将这些信息改为对应其他事项，或修改本事项的内容。";

impl Store {
    /// How many of the organ's items (in any stage) point at each entry; entries without
    /// any are absent.
    pub async fn catalogue_item_counts(&self, scope: OrganScope) -> Result<Vec<(EntryId, i64)>> {
        let rows = sqlx::query(
            "SELECT catalogue_entry_id AS entry, COUNT(*) AS n FROM items \
             WHERE organ_id = $1 AND catalogue_entry_id IS NOT NULL \
             GROUP BY catalogue_entry_id ORDER BY catalogue_entry_id",
        )
        .bind(scope.organ_id())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("entry")?, r.try_get("n")?)))
            .collect()
    }

    /// The organ's catalogue, in its order.
    pub async fn catalogue_entries(&self, scope: OrganScope) -> Result<Vec<CatalogueEntry>> {
        self.catalogue_of(scope.organ_id()).await
    }

    /// An organ's catalogue as the portal publishes it: the 标准目录 is public by nature, so
    /// this takes the organ and no scope.
    pub async fn published_catalogue(&self, organ_id: OrganId) -> Result<Vec<CatalogueEntry>> {
        self.catalogue_of(organ_id).await
    }

    async fn catalogue_of(&self, organ_id: OrganId) -> Result<Vec<CatalogueEntry>> {
        let sql = format!("{SELECT} WHERE organ_id = $1 ORDER BY sort_order, id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(organ_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// One entry of the organ's catalogue (another organ's is not found).
    pub async fn catalogue_entry(&self, scope: OrganScope, id: EntryId) -> Result<CatalogueEntry> {
        let sql = format!("{SELECT} WHERE id = $1 AND organ_id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(scope.organ_id())
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound("catalogue entry"))?;
        from_row(&row)
    }

    /// Adds an entry at the end of the organ's catalogue.
    pub async fn create_catalogue_entry(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        input: &EntryInput,
    ) -> Result<CatalogueEntry> {
        check(input)?;
        let mut tx = self.begin_write().await?;
        let order = next_sort_order(&mut tx, scope.organ_id()).await?;
        let id = insert(
            &mut tx,
            actor,
            scope.organ_id(),
            now,
            order,
            input,
            "catalogue.create",
        )
        .await?;
        tx.commit().await?;
        self.catalogue_entry(scope, id).await
    }

    /// Changes an entry's elements.
    pub async fn update_catalogue_entry(
        &self,
        actor: &Actor,
        scope: OrganScope,
        id: EntryId,
        now: i64,
        input: &EntryInput,
    ) -> Result<CatalogueEntry> {
        check(input)?;
        let mut tx = self.begin_write().await?;
        let sql = format!("{SELECT} WHERE id = $1 AND organ_id = $2");
        let before = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(scope.organ_id())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound("catalogue entry"))?;
        let before = from_row(&before)?;
        sqlx::query(
            "UPDATE catalogue_entries SET category = $1, name = $2, content = $3, basis = $4, \
             subject = $5, time_limit = $6, channels = $7, mode = $8, audience = $9, \
             pilot_area = $10, updated_at = $11 WHERE id = $12 AND organ_id = $13",
        )
        .bind(&input.category)
        .bind(&input.name)
        .bind(&input.content)
        .bind(&input.basis)
        .bind(&input.subject)
        .bind(&input.time_limit)
        .bind(&input.channels)
        .bind(input.mode.key())
        .bind(&input.audience)
        .bind(input.pilot_area.map(i64::from))
        .bind(now)
        .bind(id)
        .bind(scope.organ_id())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(scope.organ_id()),
                action: "catalogue.update",
                entity: "catalogue_entry",
                entity_id: id.to_string(),
                before: Some(audit_value(&before.input)),
                after: Some(audit_value(input)),
            },
        )
        .await?;
        tx.commit().await?;
        self.catalogue_entry(scope, id).await
    }

    /// Deletes an entry. One that an information item points at is refused
    /// ([`StoreError::NotAllowed`]) and stays as it was.
    pub async fn delete_catalogue_entry(
        &self,
        actor: &Actor,
        scope: OrganScope,
        id: EntryId,
        now: i64,
    ) -> Result<()> {
        let before = self.catalogue_entry(scope, id).await?;
        let mut tx = self.begin_write().await?;
        // No foreign key on items.catalogue_entry_id (SQLite cannot add one to the existing
        // items table): the query is the check, in the same transaction as the delete.
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM items WHERE catalogue_entry_id = $1 AND organ_id = $2",
        )
        .bind(id)
        .bind(scope.organ_id())
        .fetch_one(&mut *tx)
        .await?;
        if row.try_get::<i64, _>("n")? > 0 {
            return Err(StoreError::NotAllowed(FULFILLED.into()));
        }
        let deleted = sqlx::query("DELETE FROM catalogue_entries WHERE id = $1 AND organ_id = $2")
            .bind(id)
            .bind(scope.organ_id())
            .execute(&mut *tx)
            .await;
        match deleted {
            Ok(done) if done.rows_affected() == 1 => {}
            Ok(_) => return Err(StoreError::NotFound("catalogue entry")),
            Err(e) => {
                return Err(match StoreError::from(e) {
                    // A table that does reference the entry (a later one, with its key).
                    StoreError::Conflict(_) => StoreError::NotAllowed(FULFILLED.into()),
                    other => other,
                });
            }
        }
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(scope.organ_id()),
                action: "catalogue.delete",
                entity: "catalogue_entry",
                entity_id: id.to_string(),
                before: Some(audit_value(&before.input)),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads a sheet (rows of cells, as a CSV or XLSX file holds them; the header row among the
    /// first ten) and adds its entries at the end of the organ's catalogue, in one
    /// transaction: if any row is bad, nothing is added and every problem is reported with
    /// its row and column.
    pub async fn import_catalogue(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        sheet: &[Vec<String>],
    ) -> Result<Imported, ImportError> {
        let parsed = import::read(sheet).map_err(ImportError::Sheet)?;
        let mut tx = self.begin_write().await?;
        let mut order = next_sort_order(&mut tx, scope.organ_id()).await?;
        let mut ids = Vec::with_capacity(parsed.entries.len());
        for (_, input) in &parsed.entries {
            ids.push(
                insert(
                    &mut tx,
                    actor,
                    scope.organ_id(),
                    now,
                    order,
                    input,
                    "catalogue.import",
                )
                .await?,
            );
            order += 1;
        }
        tx.commit().await.map_err(StoreError::from)?;
        let all = self.catalogue_entries(scope).await?;
        let entries = all.into_iter().filter(|e| ids.contains(&e.id)).collect();
        Ok(Imported {
            entries,
            ignored_columns: parsed.ignored_columns,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_compared_without_spaces_and_full_width_forms() {
        assert_eq!(normalize_label(" 公开内容（要素） "), "公开内容(要素)");
        assert_eq!(normalize_label("公开\u{3000}时限*"), "公开时限");
        assert_eq!(normalize_label("\u{feff}事项类别："), "事项类别");
        assert_eq!(normalize_label("ＡＢ１２"), "AB12");
    }

    #[test]
    fn modes_read_as_catalogues_print_them() {
        assert_eq!(Mode::parse("主动"), Some(Mode::Proactive));
        assert_eq!(Mode::parse("主动公开"), Some(Mode::Proactive));
        assert_eq!(Mode::parse("依申请公开"), Some(Mode::OnRequest));
        assert_eq!(Mode::parse("主动、依申请"), Some(Mode::Both));
        assert_eq!(Mode::parse("■主动 □依申请"), Some(Mode::Proactive));
        assert_eq!(Mode::parse("√主动 √依申请"), Some(Mode::Both));
        assert_eq!(Mode::parse("公示"), None);
        assert_eq!(Mode::parse(""), None);
    }

    #[test]
    fn checkbox_lists_keep_the_ticked_items() {
        assert_eq!(
            checked_items("■政府网站 □两微一端 ■公开查阅点").as_deref(),
            Some("政府网站、公开查阅点")
        );
        assert_eq!(checked_items("政府网站、政务新媒体"), None);
        assert_eq!(checked_items("□政府网站").as_deref(), Some(""));
    }

    #[test]
    fn pilot_areas_by_name_alias_or_number() {
        assert_eq!(PILOT_AREAS.len(), 26);
        for (i, a) in PILOT_AREAS.iter().enumerate() {
            assert_eq!(usize::from(a.number), i + 1);
            assert_eq!(parse_pilot_area(a.label), Some(a.number));
        }
        assert_eq!(parse_pilot_area("生态环境"), Some(9));
        assert_eq!(parse_pilot_area("卫生健康领域"), Some(22));
        assert_eq!(parse_pilot_area("２６"), Some(26));
        assert_eq!(parse_pilot_area("27"), None);
        assert_eq!(parse_pilot_area("交通运输"), None);
    }

    #[test]
    fn the_eight_elements_of_the_catalogue_are_required() {
        // 国办发〔2019〕54号: 名称、内容、依据、时限、主体、方式、渠道 (with 事项类别 grouping them).
        let required: Vec<&str> = ELEMENTS
            .iter()
            .filter(|e| e.required)
            .map(|e| e.label)
            .collect();
        assert_eq!(
            required,
            [
                "事项类别",
                "事项名称",
                "公开内容",
                "公开依据",
                "公开主体",
                "公开时限",
                "公开渠道和载体",
                "公开方式"
            ]
        );
        // No label or alias names two elements.
        let mut names: Vec<String> = ELEMENTS
            .iter()
            .flat_map(|e| std::iter::once(e.label).chain(e.aliases.iter().copied()))
            .map(normalize_label)
            .collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count);
    }
}
