//! Proactive information items (主动公开): the metadata of a 政府信息公开目录 entry (条例 art. 12:
//! 索引, 名称, 内容概述, 生成日期; and 文号, 发布机构, 主题分类, 体裁, 公开属性, 有效性, the art. 20
//! category), every saved version, attachments stored by content, and the item ledger.
//!
//! - Versions are append-only: each save is a new [`Version`]; the portal shows the one the
//!   last `published` event names, so editing a published item never takes it down.
//! - The ledger (`item_events`) is append-only. An item's [`Stage`], the chain it is in and its
//!   step, its publication dates and its [`Validity`] are computed from it ([`Item::progress`]),
//!   never stored.
//! - The 索引号 is assigned once, when the item is first published, from the per-organ,
//!   per-year counter `item_index` (the publication year); a trigger refuses any change, and
//!   a withdrawn item keeps its number, so no number is ever reused.
//! - The body is HTML, sanitised here with ammonia before it is stored ([`clean_html`]; plain
//!   text becomes paragraphs), so no caller can store a script; pages sanitise it again when
//!   they print it.
//! - [`Store::item_step`] is the one door for a review step: in one transaction it computes
//!   the stage from the ledger, asks [`review::decide`] (403 / 409), writes the event (and on
//!   the last approval the `published` event and the 索引号) and its audit row.

pub mod index;
pub mod review;

use std::collections::HashMap;

use gongkai_core::calendar::{format_date, parse_date};
use serde_json::{Value, json};
use sqlx::Row;
use time::Date;

use crate::application::next_counter;
use crate::catalogue::EntryId;
use crate::{Actor, OrganId, OrganScope, Result, Role, Store, StoreError, UserId, audit};
use index::{IndexPattern, OrganCodes};
use review::{ItemAction, ItemDecision, ReviewStep, Stage};

/// Database identifier of an item.
pub type ItemId = i64;
/// Database identifier of a version.
pub type VersionId = i64;

/// 体裁: (key, label). Keys are the API's `kind`.
pub const KINDS: [(&str, &str); 10] = [
    ("regulation", "规章"),
    ("normative_document", "行政规范性文件"),
    ("other", "其他公文"),
    ("interpretation", "政策解读"),
    ("notice", "通知公告"),
    ("news", "工作动态"),
    ("statistics", "统计数据"),
    ("plan", "规划计划"),
    ("personnel", "人事信息"),
    ("misc", "其他"),
];

/// 公开属性: (key, label). 不予公开 needs a reason.
pub const OPENNESS: [(&str, &str); 3] = [
    ("proactive", "主动公开"),
    ("on_request", "依申请公开"),
    ("withheld", "不予公开"),
];

/// 有效性: (key, label).
pub const VALIDITY: [(&str, &str); 4] = [
    ("in_force", "有效"),
    ("amended", "已修订"),
    ("expired", "失效"),
    ("repealed", "废止"),
];

/// The national default 主题分类 (after the State Council's 主题分类 of its 政府信息公开目录).
pub const DEFAULT_TOPICS: [&str; 12] = [
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "劳动、人事、监察",
    "民政、扶贫、救灾",
];

/// The longest body kept, in characters after sanitising.
pub const MAX_BODY_CHARS: usize = 200_000;

/// The label of `key` in a (key, label) table, or the key itself.
pub fn label<'a>(table: &[(&'a str, &'a str)], key: &'a str) -> &'a str {
    table
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, l)| *l)
}

/// Sanitised HTML: ammonia's allow-list (no script, no event handlers, no `javascript:`
/// links; links get `rel="noopener noreferrer"`). Text without any tag is taken as plain text
/// and each line becomes a paragraph.
pub fn clean_html(body: &str) -> String {
    let html = if body.contains('<') {
        body.to_owned()
    } else {
        body.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| format!("<p>{}</p>", escape(l)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&html)
        .to_string()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The text of sanitised HTML, for descriptions and search: tags dropped, spaces folded.
pub fn plain_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The content of an item as one version holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemContent {
    /// 名称 (标题).
    pub title: String,
    /// 文号, e.g. `呼经开管发〔2026〕3号`; empty when it has none.
    pub doc_number: String,
    /// 发布机构; empty means the organ itself.
    pub publisher: String,
    /// 成文日期 (the 生成日期 of art. 12; art. 26's 形成或者变更之日).
    pub formed: Option<Date>,
    /// 主题分类, one of the organ's list.
    pub topic: String,
    /// 体裁, a key of [`KINDS`].
    pub kind: String,
    /// The art. 20 category, 1–15.
    pub article20: Option<u8>,
    /// 公开属性, a key of [`OPENNESS`].
    pub openness: String,
    /// Why it is not disclosed (不予公开 only).
    pub openness_reason: String,
    /// The item a 政策解读 interprets.
    pub interprets: Option<ItemId>,
    /// 关键词, separated by commas or spaces.
    pub keywords: String,
    /// 内容概述.
    pub summary: String,
    /// The body, sanitised HTML.
    pub body: String,
    /// The 标准目录 entry the item fulfils, one of the organ's. Kept on the item, not per
    /// version (`items.catalogue_entry_id`): every version reads the item's current link, and
    /// saving a version sets it.
    pub catalogue_entry: Option<EntryId>,
}

/// A file to attach, its type already checked by the caller.
#[derive(Debug, Clone)]
pub struct NewFile {
    /// The name as uploaded.
    pub file_name: String,
    /// The checked content type.
    pub content_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// An attachment of a version (its bytes are in `blobs`, by hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFile {
    /// Identifier.
    pub id: i64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// File name.
    pub file_name: String,
    /// Content type.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
}

/// One saved state of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Identifier.
    pub id: VersionId,
    /// 1, 2, … within the item.
    pub number: i64,
    /// The content.
    pub content: ItemContent,
    /// Its files, in order.
    pub files: Vec<ItemFile>,
    /// Who saved it.
    pub created_by: Option<UserId>,
    /// Their name, as at the time.
    pub created_by_name: String,
    /// When (Unix seconds).
    pub created_at: i64,
}

/// One event of the item ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemEvent {
    /// Sequence number.
    pub id: i64,
    /// The version it concerns, if any.
    pub version_id: Option<VersionId>,
    /// `created`, `edited`, `submitted`, `approved`, `rejected`, `published`, `withdrawn`,
    /// `validity`.
    pub event: String,
    /// The Beijing date it happened.
    pub date: Date,
    /// The comment or reason given.
    pub comment: String,
    /// The rest: the chain (submitted), the step (approved, rejected), the 索引号
    /// (published), the new 有效性 (validity).
    pub data: Value,
    /// Who.
    pub actor_user_id: Option<UserId>,
    /// Their name.
    pub actor_name: String,
    /// When (Unix seconds).
    pub recorded_at: i64,
}

impl ItemEvent {
    /// Chinese name of the event, with its step where it has one.
    pub fn label(&self) -> String {
        let step = self.data["step_name"].as_str().unwrap_or_default();
        match self.event.as_str() {
            "created" => "起草".into(),
            "edited" => "修改".into(),
            "submitted" => "提交审核".into(),
            "approved" => format!("{step}：通过"),
            "rejected" => format!("{step}：退回修改"),
            "published" => "发布".into(),
            "withdrawn" => "撤回".into(),
            "validity" => format!(
                "有效性变更为「{}」",
                label(
                    &VALIDITY,
                    self.data["validity"].as_str().unwrap_or_default()
                )
            ),
            other => other.to_owned(),
        }
    }
}

/// An item's 有效性 now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validity {
    /// A key of [`VALIDITY`].
    pub key: String,
    /// Since when (absent for an item in force since publication).
    pub since: Option<Date>,
    /// The item that amends or repeals it.
    pub by: Option<ItemId>,
}

/// Where an item stands, computed from its ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The stage.
    pub stage: Stage,
    /// The chain the version under review goes through (as in force when it was submitted).
    pub chain: Vec<ReviewStep>,
    /// The index in `chain` of the step waiting, while in review.
    pub step: usize,
    /// Who submitted the version under review.
    pub submitter: Option<UserId>,
    /// The version on the portal (also after withdrawal: the last one published).
    pub published_version: Option<VersionId>,
    /// The first publication: when (Unix seconds) and the 发布日期.
    pub first_published: Option<(i64, Date)>,
    /// The latest publication of a new version, when later than the first (更新于).
    pub updated: Option<(i64, Date)>,
    /// The reason of the last rejection, while the version is back with its author.
    pub returned: Option<String>,
    /// 有效性.
    pub validity: Validity,
}

impl Progress {
    /// The step waiting, while in review.
    pub fn current_step(&self) -> Option<&ReviewStep> {
        if self.stage.in_review() {
            self.chain.get(self.step)
        } else {
            None
        }
    }
}

/// An item with its versions and ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Identifier.
    pub id: ItemId,
    /// Its organ.
    pub organ_id: OrganId,
    /// 索引号, once published.
    pub index_number: Option<String>,
    /// The 标准目录 entry it fulfils (also in every version's `content.catalogue_entry`).
    pub catalogue_entry_id: Option<EntryId>,
    /// Who created it.
    pub created_by: Option<UserId>,
    /// When (Unix seconds).
    pub created_at: i64,
    /// Every version, oldest first (never empty).
    pub versions: Vec<Version>,
    /// The ledger, in recording order.
    pub events: Vec<ItemEvent>,
}

impl Item {
    /// Replays the ledger.
    pub fn progress(&self) -> Progress {
        let mut p = Progress {
            stage: Stage::Draft,
            chain: Vec::new(),
            step: 0,
            submitter: None,
            published_version: None,
            first_published: None,
            updated: None,
            returned: None,
            validity: Validity {
                key: "in_force".into(),
                since: None,
                by: None,
            },
        };
        let mut reviewing = false;
        let mut withdrawn = false;
        for e in &self.events {
            match e.event.as_str() {
                "created" | "edited" => {
                    reviewing = false;
                    p.returned = None;
                }
                "submitted" => {
                    reviewing = true;
                    p.step = 0;
                    p.submitter = e.actor_user_id;
                    p.returned = None;
                    p.chain = serde_json::from_value(e.data["chain"].clone()).unwrap_or_default();
                }
                "approved" => p.step += 1,
                "rejected" => {
                    reviewing = false;
                    p.returned = Some(e.comment.clone());
                }
                "published" => {
                    reviewing = false;
                    p.published_version = e.version_id;
                    match p.first_published {
                        None => p.first_published = Some((e.recorded_at, e.date)),
                        Some(_) => p.updated = Some((e.recorded_at, e.date)),
                    }
                }
                "withdrawn" => {
                    reviewing = false;
                    withdrawn = true;
                }
                "validity" => {
                    p.validity = Validity {
                        key: e.data["validity"].as_str().unwrap_or("in_force").to_owned(),
                        since: e.data["since"].as_str().and_then(parse_date),
                        by: e.data["by"].as_i64(),
                    };
                }
                _ => {}
            }
        }
        p.stage = match (withdrawn, p.published_version.is_some(), reviewing) {
            (true, _, _) => Stage::Withdrawn,
            (false, false, false) => Stage::Draft,
            (false, false, true) => Stage::InReview,
            (false, true, true) => Stage::RevisionInReview,
            (false, true, false) => {
                // A version saved after the published one is a revision being written.
                let latest = self.versions.last().map(|v| v.id);
                if latest == p.published_version {
                    Stage::Published
                } else {
                    Stage::Revising
                }
            }
        };
        p
    }

    /// The stage.
    pub fn stage(&self) -> Stage {
        self.progress().stage
    }

    /// The latest version: the one being written or reviewed (or the published one).
    pub fn working(&self) -> &Version {
        // Items are created with their first version, in the same transaction.
        &self.versions[self.versions.len().saturating_sub(1)]
    }

    /// The version on the portal, while it is there.
    pub fn published(&self) -> Option<&Version> {
        let p = self.progress();
        if !p.stage.is_public() {
            return None;
        }
        self.versions
            .iter()
            .find(|v| Some(v.id) == p.published_version)
    }

    /// The version the public sees: published and 主动公开.
    pub fn public(&self) -> Option<&Version> {
        self.published()
            .filter(|v| v.content.openness == "proactive")
    }

    /// Everyone who wrote a version of the item or submitted the one under review: none of
    /// them takes a review step of it.
    pub fn authors(&self) -> Vec<UserId> {
        let mut authors: Vec<UserId> = self.versions.iter().filter_map(|v| v.created_by).collect();
        authors.extend(self.progress().submitter);
        authors.extend(self.created_by);
        authors.sort_unstable();
        authors.dedup();
        authors
    }
}

/// An organ's item settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemSettings {
    /// The 索引号 pattern ([`index::IndexPattern`]).
    pub index_pattern: String,
    /// The review chain.
    pub chain: Vec<ReviewStep>,
    /// 主题分类.
    pub topics: Vec<String>,
}

impl Default for ItemSettings {
    fn default() -> Self {
        ItemSettings {
            index_pattern: index::DEFAULT_PATTERN.into(),
            chain: review::default_chain(),
            topics: DEFAULT_TOPICS.iter().map(|t| (*t).to_owned()).collect(),
        }
    }
}

/// A step on an item, with what it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemStep {
    /// Send the working version into the chain.
    Submit {
        /// Optional note.
        comment: String,
    },
    /// Approve the current step.
    Approve {
        /// Optional opinion.
        comment: String,
    },
    /// Return the version with the reason.
    Reject {
        /// Why (required).
        comment: String,
    },
    /// Take it off the portal.
    Withdraw {
        /// Why (required).
        comment: String,
    },
    /// A new 有效性.
    Validity {
        /// A key of [`VALIDITY`].
        validity: String,
        /// Since when (required unless `in_force`).
        since: Option<Date>,
        /// The amending or repealing item.
        by: Option<ItemId>,
        /// Note.
        comment: String,
    },
}

impl ItemStep {
    /// The action of the step.
    pub fn action(&self) -> ItemAction {
        match self {
            ItemStep::Submit { .. } => ItemAction::Submit,
            ItemStep::Approve { .. } => ItemAction::Approve,
            ItemStep::Reject { .. } => ItemAction::Reject,
            ItemStep::Withdraw { .. } => ItemAction::Withdraw,
            ItemStep::Validity { .. } => ItemAction::ChangeValidity,
        }
    }

    fn comment(&self) -> &str {
        match self {
            ItemStep::Submit { comment }
            | ItemStep::Approve { comment }
            | ItemStep::Reject { comment }
            | ItemStep::Withdraw { comment }
            | ItemStep::Validity { comment, .. } => comment,
        }
    }
}

fn invalid(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field,
        message: message.into(),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn item_from_row(row: &sqlx::any::AnyRow) -> Result<Item> {
    Ok(Item {
        id: row.try_get("id")?,
        organ_id: row.try_get("organ_id")?,
        index_number: row.try_get("index_number")?,
        catalogue_entry_id: row.try_get("catalogue_entry_id")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        versions: Vec::new(),
        events: Vec::new(),
    })
}

fn version_from_row(row: &sqlx::any::AnyRow) -> Result<(ItemId, Version)> {
    let formed: String = row.try_get("formed")?;
    let article20: Option<i64> = row.try_get("article20")?;
    Ok((
        row.try_get("item_id")?,
        Version {
            id: row.try_get("id")?,
            number: row.try_get("number")?,
            content: ItemContent {
                title: row.try_get("title")?,
                doc_number: row.try_get("doc_number")?,
                publisher: row.try_get("publisher")?,
                formed: parse_date(&formed),
                topic: row.try_get("topic")?,
                kind: row.try_get("kind")?,
                article20: article20.and_then(|n| u8::try_from(n).ok()),
                openness: row.try_get("openness")?,
                openness_reason: row.try_get("openness_reason")?,
                interprets: row.try_get("interprets")?,
                keywords: row.try_get("keywords")?,
                summary: row.try_get("summary")?,
                body: row.try_get("body")?,
                // Filled from the item by `load_items`.
                catalogue_entry: None,
            },
            files: Vec::new(),
            created_by: row.try_get("created_by")?,
            created_by_name: row.try_get("created_by_name")?,
            created_at: row.try_get("created_at")?,
        },
    ))
}

fn file_from_row(row: &sqlx::any::AnyRow) -> Result<(VersionId, ItemFile)> {
    Ok((
        row.try_get("version_id")?,
        ItemFile {
            id: row.try_get("id")?,
            sha256: row.try_get("sha256")?,
            file_name: row.try_get("file_name")?,
            content_type: row.try_get("content_type")?,
            size: row.try_get("size")?,
        },
    ))
}

fn event_from_row(row: &sqlx::any::AnyRow) -> Result<(ItemId, ItemEvent)> {
    let date: String = row.try_get("date")?;
    let data: String = row.try_get("data_json")?;
    Ok((
        row.try_get("item_id")?,
        ItemEvent {
            id: row.try_get("id")?,
            version_id: row.try_get("version_id")?,
            event: row.try_get("event")?,
            date: parse_date(&date)
                .ok_or_else(|| StoreError::Other(format!("item_events.date {date}")))?,
            comment: row.try_get("comment")?,
            data: serde_json::from_str(&data)?,
            actor_user_id: row.try_get("actor_user_id")?,
            actor_name: row.try_get("actor_name")?,
            recorded_at: row.try_get("recorded_at")?,
        },
    ))
}

const ITEM_COLUMNS: &str = "i.id, i.organ_id, i.index_number, i.catalogue_entry_id, i.created_by, \
     i.created_at";
const VERSION_COLUMNS: &str = "v.id, v.item_id, v.number, v.title, v.doc_number, v.publisher, \
     v.formed, v.topic, v.kind, v.article20, v.openness, v.openness_reason, v.interprets, \
     v.keywords, v.summary, v.body, v.created_by, v.created_by_name, v.created_at";

/// Loads items matching `filter` (`WHERE` text over `i`, with `$1` bound to `arg`) with their
/// versions, files and events.
async fn load_items(
    conn: &mut sqlx::AnyConnection,
    filter: &'static str,
    arg: i64,
) -> Result<Vec<Item>> {
    use sqlx::AssertSqlSafe;
    // The filters are constants of this module; only values are bound.
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {ITEM_COLUMNS} FROM items i WHERE {filter} ORDER BY i.id DESC"
    )))
    .bind(arg)
    .fetch_all(&mut *conn)
    .await?;
    let mut items: Vec<Item> = rows.iter().map(item_from_row).collect::<Result<_>>()?;
    let index: HashMap<ItemId, usize> = items.iter().enumerate().map(|(i, x)| (x.id, i)).collect();
    let versions = sqlx::query(AssertSqlSafe(format!(
        "SELECT {VERSION_COLUMNS} FROM item_versions v JOIN items i ON i.id = v.item_id \
         WHERE {filter} ORDER BY v.id"
    )))
    .bind(arg)
    .fetch_all(&mut *conn)
    .await?;
    let mut where_version: HashMap<VersionId, (usize, usize)> = HashMap::new();
    for row in &versions {
        let (item_id, version) = version_from_row(row)?;
        if let Some(&i) = index.get(&item_id) {
            where_version.insert(version.id, (i, items[i].versions.len()));
            items[i].versions.push(version);
        }
    }
    let files = sqlx::query(AssertSqlSafe(format!(
        "SELECT f.id, f.version_id, f.sha256, f.file_name, f.content_type, f.size \
         FROM item_files f JOIN item_versions v ON v.id = f.version_id \
         JOIN items i ON i.id = v.item_id WHERE {filter} ORDER BY f.version_id, f.position"
    )))
    .bind(arg)
    .fetch_all(&mut *conn)
    .await?;
    for row in &files {
        let (version_id, file) = file_from_row(row)?;
        if let Some(&(i, v)) = where_version.get(&version_id) {
            items[i].versions[v].files.push(file);
        }
    }
    let events = sqlx::query(AssertSqlSafe(format!(
        "SELECT e.id, e.item_id, e.version_id, e.event, e.date, e.comment, e.data_json, \
         e.actor_user_id, e.actor_name, e.recorded_at FROM item_events e \
         JOIN items i ON i.id = e.item_id WHERE {filter} ORDER BY e.id"
    )))
    .bind(arg)
    .fetch_all(&mut *conn)
    .await?;
    for row in &events {
        let (item_id, event) = event_from_row(row)?;
        if let Some(&i) = index.get(&item_id) {
            items[i].events.push(event);
        }
    }
    // An item always has its first version (written in the creating transaction).
    items.retain(|i| !i.versions.is_empty());
    for item in &mut items {
        for version in &mut item.versions {
            version.content.catalogue_entry = item.catalogue_entry_id;
        }
    }
    Ok(items)
}

async fn fetch_item(conn: &mut sqlx::AnyConnection, organ_id: OrganId, id: ItemId) -> Result<Item> {
    let item = load_items(conn, "i.id = $1", id)
        .await?
        .into_iter()
        .next()
        .filter(|i| i.organ_id == organ_id)
        .ok_or(StoreError::NotFound("item"))?;
    Ok(item)
}

#[allow(clippy::too_many_arguments)]
async fn insert_event(
    conn: &mut sqlx::AnyConnection,
    item_id: ItemId,
    version_id: Option<VersionId>,
    event: &str,
    date: Date,
    comment: &str,
    data: Value,
    actor: &Actor,
    now: i64,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO item_events (item_id, version_id, event, date, comment, data_json, \
         actor_user_id, actor_name, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         RETURNING id",
    )
    .bind(item_id)
    .bind(version_id)
    .bind(event)
    .bind(format_date(date))
    .bind(comment)
    .bind(data.to_string())
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("id")?)
}

/// Writes a version and its files (new ones into `blobs` unless their content is there).
#[allow(clippy::too_many_arguments)]
async fn insert_version(
    conn: &mut sqlx::AnyConnection,
    item_id: ItemId,
    number: i64,
    content: &ItemContent,
    kept: &[ItemFile],
    new_files: &[NewFile],
    actor: &Actor,
    now: i64,
) -> Result<VersionId> {
    let c = content;
    let row = sqlx::query(
        "INSERT INTO item_versions (item_id, number, title, doc_number, publisher, formed, \
         topic, kind, article20, openness, openness_reason, interprets, keywords, summary, \
         body, created_by, created_by_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, \
         $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
    )
    .bind(item_id)
    .bind(number)
    .bind(&c.title)
    .bind(&c.doc_number)
    .bind(&c.publisher)
    .bind(c.formed.map(format_date).unwrap_or_default())
    .bind(&c.topic)
    .bind(&c.kind)
    .bind(c.article20.map(i64::from))
    .bind(&c.openness)
    .bind(&c.openness_reason)
    .bind(c.interprets)
    .bind(&c.keywords)
    .bind(&c.summary)
    .bind(&c.body)
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let version_id: VersionId = row.try_get("id")?;
    let mut position = 0_i64;
    for file in kept {
        sqlx::query(
            "INSERT INTO item_files (version_id, position, sha256, file_name, content_type, \
             size) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(version_id)
        .bind(position)
        .bind(&file.sha256)
        .bind(&file.file_name)
        .bind(&file.content_type)
        .bind(file.size)
        .execute(&mut *conn)
        .await?;
        position += 1;
    }
    for file in new_files {
        let sha = sha256_hex(&file.bytes);
        let size = i64::try_from(file.bytes.len()).unwrap_or(i64::MAX);
        // Content-addressed: the same bytes are kept once, whoever uploads them again.
        sqlx::query(
            "INSERT INTO blobs (sha256, size, bytes, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&sha)
        .bind(size)
        .bind(file.bytes.clone())
        .bind(now)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO item_files (version_id, position, sha256, file_name, content_type, \
             size) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(version_id)
        .bind(position)
        .bind(&sha)
        .bind(&file.file_name)
        .bind(&file.content_type)
        .bind(size)
        .execute(&mut *conn)
        .await?;
        position += 1;
    }
    Ok(version_id)
}

/// The audit record of an item.
fn summary(item: &Item) -> Value {
    let working = item.working();
    json!({
        "title": working.content.title,
        "index_number": item.index_number,
        "version": working.number,
        "stage": item.stage().key(),
        "files": working.files.iter().map(|f| f.sha256.clone()).collect::<Vec<_>>(),
        "catalogue_entry": item.catalogue_entry_id,
    })
}

async fn item_settings_in(
    conn: &mut sqlx::AnyConnection,
    organ_id: OrganId,
) -> Result<ItemSettings> {
    let row = sqlx::query(
        "SELECT index_pattern, chain_json, topics_json FROM item_settings WHERE organ_id = $1",
    )
    .bind(organ_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(ItemSettings::default());
    };
    let chain: String = row.try_get("chain_json")?;
    let topics: String = row.try_get("topics_json")?;
    Ok(ItemSettings {
        index_pattern: row.try_get("index_pattern")?,
        chain: serde_json::from_str(&chain)?,
        topics: serde_json::from_str(&topics)?,
    })
}

impl Store {
    async fn item_roles(&self, actor: &Actor, organ_id: OrganId) -> Result<Vec<Role>> {
        // The command line and the demo loader act as the system, with every role.
        match actor.user_id {
            Some(user) => self.roles_on(user, organ_id).await,
            None => Ok(Role::ALL.to_vec()),
        }
    }

    /// The organ's item settings (the national defaults until an administrator saves some).
    pub async fn item_settings(&self, scope: OrganScope) -> Result<ItemSettings> {
        let mut conn = self.pool().acquire().await?;
        item_settings_in(&mut conn, scope.organ_id()).await
    }

    /// Saves the organ's item settings after checking the pattern, the chain and the topics.
    pub async fn put_item_settings(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        settings: &ItemSettings,
    ) -> Result<ItemSettings> {
        IndexPattern::parse(&settings.index_pattern).map_err(|m| invalid("index_pattern", m))?;
        review::check_chain(&settings.chain).map_err(|m| invalid("chain", m))?;
        if settings.topics.is_empty()
            || settings.topics.len() > 50
            || settings
                .topics
                .iter()
                .any(|t| t.trim().is_empty() || t.chars().count() > 30)
        {
            return Err(invalid(
                "topics",
                "主题分类应有 1 至 50 项，每项 1 至 30 个字。",
            ));
        }
        let organ_id = scope.organ_id();
        let mut tx = self.begin_write().await?;
        let before = item_settings_in(&mut tx, organ_id).await?;
        let chain = serde_json::to_string(&settings.chain)?;
        let topics = serde_json::to_string(&settings.topics)?;
        sqlx::query(
            "INSERT INTO item_settings (organ_id, index_pattern, chain_json, topics_json, \
             updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organ_id) DO UPDATE SET \
             index_pattern = excluded.index_pattern, chain_json = excluded.chain_json, \
             topics_json = excluded.topics_json, updated_at = excluded.updated_at",
        )
        .bind(organ_id)
        .bind(&settings.index_pattern)
        .bind(&chain)
        .bind(&topics)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let shown = |s: &ItemSettings| json!({"index_pattern": s.index_pattern, "chain": s.chain, "topics": s.topics});
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "item_settings.update",
                entity: "item_settings",
                entity_id: organ_id.to_string(),
                before: Some(shown(&before)),
                after: Some(shown(settings)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(settings.clone())
    }

    /// Checks and completes content before it is kept: required fields, the tables' keys,
    /// the organ's topics, the interpreted item, the body sanitised.
    async fn checked_content(
        &self,
        conn: &mut sqlx::AnyConnection,
        organ_id: OrganId,
        own_id: Option<ItemId>,
        content: &ItemContent,
        today: Date,
    ) -> Result<ItemContent> {
        let mut c = content.clone();
        c.title = c.title.trim().to_owned();
        if c.title.is_empty() {
            return Err(invalid("title", "请填写标题。"));
        }
        if !KINDS.iter().any(|(k, _)| *k == c.kind) {
            return Err(invalid("kind", "请选择体裁。"));
        }
        if !OPENNESS.iter().any(|(k, _)| *k == c.openness) {
            return Err(invalid("openness", "请选择公开属性。"));
        }
        c.openness_reason = c.openness_reason.trim().to_owned();
        if c.openness == "withheld" && c.openness_reason.is_empty() {
            return Err(invalid(
                "openness_reason",
                "不予公开的信息须写明理由（《条例》第十四条至第十六条）。",
            ));
        }
        if c.openness != "withheld" {
            c.openness_reason.clear();
        }
        if c.article20.is_some_and(|n| !(1..=15).contains(&n)) {
            return Err(invalid(
                "article20",
                "《条例》第二十条的类别应为第 1 至 15 项。",
            ));
        }
        match c.formed {
            None => return Err(invalid("formed", "请填写成文日期，格式为 YYYY-MM-DD。")),
            Some(formed) if formed > today => {
                return Err(invalid("formed", "成文日期不能晚于今天。"));
            }
            Some(_) => {}
        }
        let settings = item_settings_in(conn, organ_id).await?;
        c.topic = c.topic.trim().to_owned();
        if !settings.topics.contains(&c.topic) {
            return Err(invalid("topic", "请从本机关的主题分类中选择。"));
        }
        if let Some(target) = c.interprets {
            if Some(target) == own_id {
                return Err(invalid("interprets", "解读不能关联其自身。"));
            }
            let found = sqlx::query("SELECT id FROM items WHERE id = $1 AND organ_id = $2")
                .bind(target)
                .bind(organ_id)
                .fetch_optional(&mut *conn)
                .await?;
            if found.is_none() {
                return Err(invalid("interprets", "所解读的文件不是本机关的信息。"));
            }
        }
        if let Some(entry) = c.catalogue_entry {
            let found =
                sqlx::query("SELECT id FROM catalogue_entries WHERE id = $1 AND organ_id = $2")
                    .bind(entry)
                    .bind(organ_id)
                    .fetch_optional(&mut *conn)
                    .await?;
            if found.is_none() {
                return Err(invalid(
                    "catalogue_entry",
                    "请从本机关的政务公开事项标准目录中选择所对应的事项。",
                ));
            }
        }
        if c.publisher.trim().is_empty() {
            let row = sqlx::query("SELECT name FROM organs WHERE id = $1")
                .bind(organ_id)
                .fetch_one(&mut *conn)
                .await?;
            c.publisher = row.try_get("name")?;
        }
        c.publisher = c.publisher.trim().to_owned();
        c.doc_number = c.doc_number.trim().to_owned();
        c.keywords = c.keywords.trim().to_owned();
        c.summary = c.summary.trim().to_owned();
        c.body = clean_html(&c.body);
        if c.body.chars().count() > MAX_BODY_CHARS {
            return Err(invalid(
                "body",
                format!("正文不能超过 {MAX_BODY_CHARS} 个字符，请精简或改为附件。"),
            ));
        }
        Ok(c)
    }

    /// A new item as a draft: version 1 with its files, the `created` event and the audit row.
    /// The caller's roles must allow `EditItems` (403).
    pub async fn create_item(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        today: Date,
        content: &ItemContent,
        files: &[NewFile],
    ) -> Result<Item> {
        let organ_id = scope.organ_id();
        let roles = self.item_roles(actor, organ_id).await?;
        if review::decide(Stage::Draft, ItemAction::Edit, &roles, None, false)
            != ItemDecision::Allowed
        {
            return Err(StoreError::Forbidden);
        }
        let mut tx = self.begin_write().await?;
        let content = self
            .checked_content(&mut tx, organ_id, None, content, today)
            .await?;
        let row = sqlx::query(
            "INSERT INTO items (organ_id, index_number, catalogue_entry_id, created_by, \
             created_at) VALUES ($1, NULL, $2, $3, $4) RETURNING id",
        )
        .bind(organ_id)
        .bind(content.catalogue_entry)
        .bind(actor.user_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: ItemId = row.try_get("id")?;
        let version = insert_version(&mut tx, id, 1, &content, &[], files, actor, now).await?;
        insert_event(
            &mut tx,
            id,
            Some(version),
            "created",
            today,
            "",
            json!({}),
            actor,
            now,
        )
        .await?;
        let item = fetch_item(&mut tx, organ_id, id).await?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "item.create",
                entity: "item",
                entity_id: id.to_string(),
                before: None,
                after: Some(summary(&item)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(item)
    }

    /// Saves a new version of an item: of a draft, or of a published item (a revision, which
    /// goes through the chain again while the published version stays up). `keep` are ids of
    /// the working version's files to carry over; `files` are added after them.
    #[allow(clippy::too_many_arguments)]
    pub async fn edit_item(
        &self,
        actor: &Actor,
        scope: OrganScope,
        id: ItemId,
        now: i64,
        today: Date,
        content: &ItemContent,
        keep: &[i64],
        files: &[NewFile],
    ) -> Result<Item> {
        let organ_id = scope.organ_id();
        let roles = self.item_roles(actor, organ_id).await?;
        let mut tx = self.begin_write().await?;
        let item = fetch_item(&mut tx, organ_id, id).await?;
        let stage = item.stage();
        match review::decide(stage, ItemAction::Edit, &roles, None, false) {
            ItemDecision::Allowed => {}
            ItemDecision::Forbidden => return Err(StoreError::Forbidden),
            _ => return Err(StoreError::NotAllowed(not_now(ItemAction::Edit, stage))),
        }
        let content = self
            .checked_content(&mut tx, organ_id, Some(id), content, today)
            .await?;
        let working = item.working();
        let kept: Vec<ItemFile> = working
            .files
            .iter()
            .filter(|f| keep.contains(&f.id))
            .cloned()
            .collect();
        let before = summary(&item);
        sqlx::query("UPDATE items SET catalogue_entry_id = $1 WHERE id = $2")
            .bind(content.catalogue_entry)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let version = insert_version(
            &mut tx,
            id,
            working.number + 1,
            &content,
            &kept,
            files,
            actor,
            now,
        )
        .await?;
        insert_event(
            &mut tx,
            id,
            Some(version),
            "edited",
            today,
            "",
            json!({}),
            actor,
            now,
        )
        .await?;
        let item = fetch_item(&mut tx, organ_id, id).await?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "item.edit",
                entity: "item",
                entity_id: id.to_string(),
                before: Some(before),
                after: Some(summary(&item)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(item)
    }

    /// Takes one step on an item (submit, approve, reject, withdraw, 有效性), judged by
    /// [`review::decide`] on the stage computed from the ledger; the last approval publishes
    /// the version and, the first time, assigns the 索引号. Refusals: `Forbidden` (403),
    /// `NotAllowed` (409: the stage, or the author's own work), `Invalid` (422: a missing
    /// reason, a bad 有效性). Nothing is written then.
    pub async fn item_step(
        &self,
        actor: &Actor,
        scope: OrganScope,
        id: ItemId,
        step: &ItemStep,
        today: Date,
        now: i64,
    ) -> Result<Item> {
        let organ_id = scope.organ_id();
        let roles = self.item_roles(actor, organ_id).await?;
        let mut tx = self.begin_write().await?;
        let item = fetch_item(&mut tx, organ_id, id).await?;
        let progress = item.progress();
        let action = step.action();
        let current = progress.current_step().cloned();
        let author = actor
            .user_id
            .is_some_and(|user| item.authors().contains(&user));
        match review::decide(
            progress.stage,
            action,
            &roles,
            current.as_ref().map(|s| s.role),
            author,
        ) {
            ItemDecision::Allowed => {}
            ItemDecision::Forbidden => return Err(StoreError::Forbidden),
            ItemDecision::NotNow => {
                return Err(StoreError::NotAllowed(not_now(action, progress.stage)));
            }
            ItemDecision::OwnWork => {
                return Err(StoreError::NotAllowed(
                    "撰写或提交本稿的人员不能审核本稿，请由其他审核人员办理。".into(),
                ));
            }
        }
        let comment = step.comment().trim().to_owned();
        let working = item.working().id;
        let before = summary(&item);
        let step_data = |s: &Option<ReviewStep>| match (s, progress.step) {
            (Some(s), i) => json!({"step": i, "step_name": s.name, "role": s.role.key()}),
            (None, _) => json!({}),
        };
        match step {
            ItemStep::Submit { .. } => {
                let settings = item_settings_in(&mut tx, organ_id).await?;
                insert_event(
                    &mut tx,
                    id,
                    Some(working),
                    "submitted",
                    today,
                    &comment,
                    json!({"chain": settings.chain}),
                    actor,
                    now,
                )
                .await?;
            }
            ItemStep::Approve { .. } => {
                insert_event(
                    &mut tx,
                    id,
                    Some(working),
                    "approved",
                    today,
                    &comment,
                    step_data(&current),
                    actor,
                    now,
                )
                .await?;
                if progress.step + 1 >= progress.chain.len() {
                    let number = match &item.index_number {
                        Some(number) => number.clone(),
                        None => self.assign_index(&mut tx, organ_id, id, today).await?,
                    };
                    insert_event(
                        &mut tx,
                        id,
                        Some(working),
                        "published",
                        today,
                        "",
                        json!({"index_number": number}),
                        actor,
                        now,
                    )
                    .await?;
                }
            }
            ItemStep::Reject { .. } => {
                if comment.is_empty() {
                    return Err(invalid("comment", "退回修改须写明理由。"));
                }
                insert_event(
                    &mut tx,
                    id,
                    Some(working),
                    "rejected",
                    today,
                    &comment,
                    step_data(&current),
                    actor,
                    now,
                )
                .await?;
            }
            ItemStep::Withdraw { .. } => {
                if comment.is_empty() {
                    return Err(invalid("comment", "撤回须写明理由。"));
                }
                insert_event(
                    &mut tx,
                    id,
                    progress.published_version,
                    "withdrawn",
                    today,
                    &comment,
                    json!({}),
                    actor,
                    now,
                )
                .await?;
            }
            ItemStep::Validity {
                validity,
                since,
                by,
                ..
            } => {
                if !VALIDITY.iter().any(|(k, _)| k == validity) {
                    return Err(invalid(
                        "validity",
                        "请选择有效性：有效、已修订、失效或废止。",
                    ));
                }
                if validity != "in_force" && since.is_none() {
                    return Err(invalid(
                        "since",
                        "请填写修订、失效或废止的日期，格式为 YYYY-MM-DD。",
                    ));
                }
                if since.is_some_and(|d| d > today) {
                    return Err(invalid("since", "日期不能晚于今天。"));
                }
                if let Some(by) = by {
                    let found = sqlx::query("SELECT id FROM items WHERE id = $1 AND organ_id = $2")
                        .bind(*by)
                        .bind(organ_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if found.is_none() || *by == id {
                        return Err(invalid("by", "修订或废止它的文件应是本机关的另一条信息。"));
                    }
                }
                insert_event(
                    &mut tx,
                    id,
                    progress.published_version,
                    "validity",
                    today,
                    &comment,
                    json!({"validity": validity, "since": since.map(format_date), "by": by}),
                    actor,
                    now,
                )
                .await?;
            }
        }
        let item = fetch_item(&mut tx, organ_id, id).await?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "item.step",
                entity: "item",
                entity_id: id.to_string(),
                before: Some(before),
                after: Some(json!({
                    "action": action.key(),
                    "comment": comment,
                    "item": summary(&item),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(item)
    }

    /// Gives an item its 索引号 from the organ's pattern and the counter of the year.
    async fn assign_index(
        &self,
        conn: &mut sqlx::AnyConnection,
        organ_id: OrganId,
        id: ItemId,
        today: Date,
    ) -> Result<String> {
        let settings = item_settings_in(conn, organ_id).await?;
        let pattern = IndexPattern::parse(&settings.index_pattern)
            .map_err(|m| invalid("index_pattern", m))?;
        let row = sqlx::query("SELECT credit_code FROM organs WHERE id = $1")
            .bind(organ_id)
            .fetch_one(&mut *conn)
            .await?;
        let credit: Option<String> = row.try_get("credit_code")?;
        let serial = next_counter(conn, organ_id, "item_index", today.year()).await?;
        let number = pattern.format(
            OrganCodes {
                organ_id,
                credit_code: credit.as_deref().unwrap_or_default(),
            },
            today.year(),
            serial,
        );
        sqlx::query("UPDATE items SET index_number = $1 WHERE id = $2 AND index_number IS NULL")
            .bind(&number)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        Ok(number)
    }

    /// One item of the scope's organ (another organ's is not found).
    pub async fn item(&self, scope: OrganScope, id: ItemId) -> Result<Item> {
        let mut conn = self.pool().acquire().await?;
        fetch_item(&mut conn, scope.organ_id(), id).await
    }

    /// Every item of the scope's organ, newest first.
    pub async fn items(&self, scope: OrganScope) -> Result<Vec<Item>> {
        let mut conn = self.pool().acquire().await?;
        load_items(&mut conn, "i.organ_id = $1", scope.organ_id()).await
    }

    /// The organ's items the public sees (published, 主动公开), newest first: public data,
    /// so no scope is needed.
    pub async fn public_items(&self, organ_id: OrganId) -> Result<Vec<Item>> {
        let mut conn = self.pool().acquire().await?;
        let mut items = load_items(&mut conn, "i.organ_id = $1", organ_id).await?;
        items.retain(|i| i.public().is_some());
        Ok(items)
    }

    /// One item the public sees, if it is one of the organ's and on the portal.
    pub async fn public_item(&self, organ_id: OrganId, id: ItemId) -> Result<Option<Item>> {
        let mut conn = self.pool().acquire().await?;
        let item = load_items(&mut conn, "i.id = $1", id)
            .await?
            .into_iter()
            .next();
        Ok(item.filter(|i| i.organ_id == organ_id && i.public().is_some()))
    }

    /// Every published item of every organ, for rebuilding a search index.
    pub async fn every_published_item(&self) -> Result<Vec<Item>> {
        let mut conn = self.pool().acquire().await?;
        let mut items = load_items(&mut conn, "i.id > $1", 0).await?;
        items.retain(|i| i.published().is_some());
        Ok(items)
    }

    /// The item ledger's size and its latest event id, over every organ. A process that keeps
    /// data derived from items (the portal's search index) compares it with the pair it last
    /// saw to learn, with one small query, that items changed anywhere — in this process,
    /// another server or the CLI. The count also moves when an event with a lower id commits
    /// late (PostgreSQL hands out ids before commit).
    pub async fn item_ledger_generation(&self) -> Result<(i64, i64)> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS latest FROM item_events")
                .fetch_one(self.pool())
                .await?;
        Ok((row.try_get("n")?, row.try_get("latest")?))
    }

    /// Every item, of any organ, with an event after `event_id`, with its versions and whole
    /// ledger: what changed since a [`Store::item_ledger_generation`] was taken. Callers keep
    /// what is public ([`Item::public`]); the rest tells them what left the portal.
    pub async fn items_changed_after(&self, event_id: i64) -> Result<Vec<Item>> {
        let mut conn = self.pool().acquire().await?;
        load_items(
            &mut conn,
            "i.id IN (SELECT item_id FROM item_events WHERE id > $1)",
            event_id,
        )
        .await
    }

    /// A file of any version of one of the scope's items, with its bytes.
    pub async fn item_file(
        &self,
        scope: OrganScope,
        item_id: ItemId,
        file_id: i64,
    ) -> Result<(ItemFile, Vec<u8>)> {
        let item = self.item(scope, item_id).await?;
        let file = item
            .versions
            .iter()
            .flat_map(|v| v.files.iter())
            .find(|f| f.id == file_id)
            .cloned()
            .ok_or(StoreError::NotFound("item file"))?;
        let bytes = self.blob(&file.sha256).await?;
        Ok((file, bytes))
    }

    /// A file of the public version of a public item, with its bytes.
    pub async fn public_item_file(
        &self,
        organ_id: OrganId,
        item_id: ItemId,
        file_id: i64,
    ) -> Result<Option<(ItemFile, Vec<u8>)>> {
        let Some(item) = self.public_item(organ_id, item_id).await? else {
            return Ok(None);
        };
        let Some(file) = item
            .public()
            .and_then(|v| v.files.iter().find(|f| f.id == file_id))
            .cloned()
        else {
            return Ok(None);
        };
        let bytes = self.blob(&file.sha256).await?;
        Ok(Some((file, bytes)))
    }

    async fn blob(&self, sha256: &str) -> Result<Vec<u8>> {
        let row = sqlx::query("SELECT bytes FROM blobs WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound("blob"))?;
        Ok(row.try_get("bytes")?)
    }

    /// How many distinct file contents are kept (for tests of the deduplication).
    pub async fn blob_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM blobs")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get("n")?)
    }
}

/// An item to publish on a past day, already approved (demo content, migrations from an old
/// site): see [`Store::publish_backdated`].
#[derive(Debug, Clone)]
pub struct Backdated {
    /// The content (checked as the editor's is).
    pub content: ItemContent,
    /// The 发布日期; its year numbers the 索引号.
    pub published: Date,
    /// When it was recorded (Unix seconds).
    pub at: i64,
}

/// One event a backdated publication writes: the event, its data, and for a step the action's
/// key with the stage before and after it (for the audit row).
type ReplayedEvent = (&'static str, Value, Option<(&'static str, Stage, Stage)>);

impl Store {
    /// The latest publication date of the published items that fulfil each of the organ's
    /// 标准目录 entries (an entry without such an item is absent), for
    /// [`crate::catalogue::overdue::overdue`]. Withdrawn items do not count: they are not
    /// on the portal.
    pub async fn latest_publication_by_entry(
        &self,
        scope: OrganScope,
    ) -> Result<Vec<(EntryId, Date)>> {
        let mut latest: HashMap<EntryId, Date> = HashMap::new();
        for item in self.items(scope).await? {
            let Some(entry) = item.catalogue_entry_id else {
                continue;
            };
            if item.published().is_none() {
                continue;
            }
            let p = item.progress();
            if let Some((_, date)) = p.updated.or(p.first_published) {
                let slot = latest.entry(entry).or_insert(date);
                *slot = (*slot).max(date);
            }
        }
        let mut out: Vec<(EntryId, Date)> = latest.into_iter().collect();
        out.sort_unstable();
        Ok(out)
    }

    /// Publishes items on past days in one transaction, writing what the console's path would
    /// have written — version 1, the `created`, `submitted`, one `approved` per step of the
    /// organ's chain and `published` events, the 索引号 of the publication year, one audit row
    /// per event — without reloading each item between steps, which makes hundreds of items
    /// take a second instead of minutes. Only the system (the demo loader, the command line)
    /// may (403 otherwise); any bad content refuses the whole batch (422).
    pub async fn publish_backdated(
        &self,
        actor: &Actor,
        scope: OrganScope,
        batch: &[Backdated],
    ) -> Result<Vec<ItemId>> {
        if actor.user_id.is_some() {
            return Err(StoreError::Forbidden);
        }
        let organ_id = scope.organ_id();
        let mut tx = self.begin_write().await?;
        let settings = item_settings_in(&mut tx, organ_id).await?;
        let mut ids = Vec::with_capacity(batch.len());
        for b in batch {
            let (today, now) = (b.published, b.at);
            let content = self
                .checked_content(&mut tx, organ_id, None, &b.content, today)
                .await?;
            let row = sqlx::query(
                "INSERT INTO items (organ_id, index_number, catalogue_entry_id, created_by, \
                 created_at) VALUES ($1, NULL, $2, $3, $4) RETURNING id",
            )
            .bind(organ_id)
            .bind(content.catalogue_entry)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let id: ItemId = row.try_get("id")?;
            let version = insert_version(&mut tx, id, 1, &content, &[], &[], actor, now).await?;
            let picture = |stage: Stage, number: &Option<String>| {
                json!({
                    "title": content.title,
                    "index_number": number,
                    "version": 1,
                    "stage": stage.key(),
                    "files": [],
                    "catalogue_entry": content.catalogue_entry,
                })
            };
            let mut events: Vec<ReplayedEvent> = vec![
                ("created", json!({}), None),
                (
                    "submitted",
                    json!({"chain": settings.chain}),
                    Some((ItemAction::Submit.key(), Stage::Draft, Stage::InReview)),
                ),
            ];
            for (i, s) in settings.chain.iter().enumerate() {
                events.push((
                    "approved",
                    json!({"step": i, "step_name": s.name, "role": s.role.key()}),
                    Some((ItemAction::Approve.key(), Stage::InReview, Stage::InReview)),
                ));
            }
            let mut number: Option<String> = None;
            let last = events.len() - 1;
            for (n, (event, data, step)) in events.into_iter().enumerate() {
                insert_event(
                    &mut tx,
                    id,
                    Some(version),
                    event,
                    today,
                    "",
                    data,
                    actor,
                    now,
                )
                .await?;
                let mut after_stage = step.map_or(Stage::Draft, |s| s.2);
                if n == last {
                    let assigned = self.assign_index(&mut tx, organ_id, id, today).await?;
                    insert_event(
                        &mut tx,
                        id,
                        Some(version),
                        "published",
                        today,
                        "",
                        json!({"index_number": assigned}),
                        actor,
                        now,
                    )
                    .await?;
                    number = Some(assigned);
                    after_stage = Stage::Published;
                }
                let (action, before, after) = match step {
                    None => ("item.create", None, Some(picture(Stage::Draft, &None))),
                    Some((key, before, _)) => (
                        "item.step",
                        Some(picture(before, &None)),
                        Some(json!({
                            "action": key,
                            "comment": "",
                            "item": picture(after_stage, &number),
                        })),
                    ),
                };
                audit::record(
                    &mut tx,
                    audit::Entry {
                        at: now,
                        actor,
                        organ_id: Some(organ_id),
                        action,
                        entity: "item",
                        entity_id: id.to_string(),
                        before,
                        after,
                    },
                )
                .await?;
            }
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }
}

/// Why `action` cannot be taken in `stage`.
fn not_now(action: ItemAction, stage: Stage) -> String {
    format!(
        "该信息当前为「{}」，不能{}。",
        stage.label(),
        action.label()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_are_removed_and_plain_text_becomes_paragraphs() {
        let dirty =
            "<p onclick=\"x()\">一</p><script>alert(1)</script><a href=\"javascript:x\">二</a>";
        let clean = clean_html(dirty);
        assert!(
            !clean.contains("script") && !clean.contains("onclick"),
            "{clean}"
        );
        assert!(!clean.contains("javascript"), "{clean}");
        assert_eq!(
            clean_html("第一段\n\n第二段 a&b"),
            "<p>第一段</p>\n<p>第二段 a&amp;b</p>"
        );
        assert_eq!(plain_text("<p>一&amp;二</p>\n<p>三</p>"), "一&二 三");
    }
}
