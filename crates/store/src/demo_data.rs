//! A generated province for benchmarks and demonstrations (`gongkai demo-data`): an organ tree
//! with applications, their ledgers, information items and appeals spread over it, written in
//! exactly the rows and JSON the application office and the item review would have written,
//! deterministic for a seed.
//!
//! - The tree ([`tree`]): a provincial government, cities, counties and districts, and the
//!   departments of each government. Every organ says in its 政府信息公开制度 that it was
//!   generated, and with which seed; their names are invented.
//! - Applications ([`cases`]): spread unevenly (a few busy organs, many with none), received
//!   over the year and the end of the year before, every applicant kind of 表三, ledgers with
//!   补正, consultations, extensions, fees and every outcome; cases still open on 31 December
//!   stay open. Each ledger is run through `gongkai_core::clock` before it is written: an
//!   impossible one is a bug of the generator and aborts the whole generation.
//! - Items ([`items`]) with their version, review ledger and 索引号; appeals about some
//!   adverse replies.
//!
//! **Exception to the audit rule, on purpose:** the generated records carry no audit row each
//! (a million applications would add a million rows that record nothing a person did). The
//! generation itself writes one audit row, `demo_data.generate`, naming what was generated,
//! the year and the seed; the records name `system:demo-data` as their actor. Everything is
//! written in one transaction, through multi-row inserts ([`crate::bulk`]): a failure leaves
//! nothing behind.

mod cases;
mod items;
mod tree;

use std::collections::{BTreeMap, HashMap};

use gongkai_core::calendar::{Calendar, format_date};
use gongkai_core::clock::{self, CaseEvent, ClockConfig};
use gongkai_core::outcome::Outcome;
use rand::distr::Distribution;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use sqlx::Row;
use time::{Date, Month};

use crate::application::{event_columns, query_hash};
use crate::bulk::{Bulk, Cell, flush_in_order};
use crate::item::index::{DEFAULT_PATTERN, IndexPattern, OrganCodes};
use crate::item::review::default_chain;
use crate::ledger::{Happening, LedgerEvent};
use crate::{Actor, Backend, OrganId, Result, Store, StoreError, audit};
use tree::{PlannedOrgan, Role, Tier};

/// The actor named in every generated record.
pub const ACTOR_NAME: &str = "system:demo-data";

/// The share of applications received in the last weeks of the year before (some are still
/// open on 1 January: 上年结转).
const PREVIOUS_YEAR_SHARE: f64 = 0.04;
/// The share of adverse replies appealed (行政复议 or 行政诉讼).
const APPEAL_SHARE: f64 = 0.04;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSpec {
    /// Organs in the tree (at least 1).
    pub organs: usize,
    /// Applications, over the year and the end of the year before.
    pub applications: usize,
    /// Information items.
    pub items: usize,
    /// The statistical year.
    pub year: i32,
    /// The seed: the same spec gives the same rows.
    pub seed: u64,
}

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// The provincial government at the root.
    pub root: OrganId,
    /// The organ with the most applications received in the year: id, name, count.
    pub busiest: Option<(OrganId, String, u64)>,
    /// Organs written.
    pub organs: u64,
    /// Applications written.
    pub applications: u64,
    /// Ledger events written.
    pub events: u64,
    /// Items written.
    pub items: u64,
    /// Appeals written.
    pub appeals: u64,
}

/// Unix seconds of 09:00 Beijing time on `date`, plus `minutes`.
fn at(date: Date, minutes: i64) -> i64 {
    date.midnight().assume_utc().unix_timestamp() + 3600 + minutes * 60
}

fn date(year: i32, month: Month, day: u8) -> Result<Date> {
    Date::from_calendar_date(year, month, day).map_err(|e| StoreError::Invalid {
        field: "year",
        message: format!("年度 {year} 无效：{e}"),
    })
}

fn other(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("demo-data: {e}"))
}

/// The first free id of each table the generator writes, so that a province can be added
/// beside existing data.
async fn next_id(conn: &mut sqlx::AnyConnection, table: &'static str) -> Result<i64> {
    let sql = format!("SELECT COALESCE(MAX(id), 0) AS m FROM {table}");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get::<i64, _>("m")? + 1)
}

const TABLES: [&str; 7] = [
    "organs",
    "applications",
    "case_events",
    "items",
    "item_versions",
    "item_events",
    "appeals",
];

const ORGAN_COLUMNS: &[&str] = &[
    "id",
    "parent_id",
    "name",
    "level",
    "office_name",
    "office_address",
    "office_hours",
    "office_phone",
    "disclosure_rules",
    "created_at",
];
const APPLICATION_COLUMNS: &[&str] = &[
    "id",
    "organ_id",
    "number",
    "applicant_kind",
    "applicant_name",
    "id_type",
    "id_number",
    "work_unit",
    "legal_representative",
    "contact_person",
    "phone",
    "email",
    "address",
    "postcode",
    "fax",
    "info_title",
    "info_doc_number",
    "description",
    "forms",
    "delivery",
    "accept_other_form",
    "query_hash",
    "assignee_id",
    "created_at",
];
const EVENT_COLUMNS: &[&str] = &[
    "id",
    "application_id",
    "date",
    "event",
    "data_json",
    "actor_user_id",
    "actor_name",
    "recorded_at",
];
const ITEM_COLUMNS: &[&str] = &[
    "id",
    "organ_id",
    "index_number",
    "catalogue_entry_id",
    "created_by",
    "created_at",
];
const VERSION_COLUMNS: &[&str] = &[
    "id",
    "item_id",
    "number",
    "title",
    "doc_number",
    "publisher",
    "formed",
    "topic",
    "kind",
    "article20",
    "openness",
    "openness_reason",
    "interprets",
    "keywords",
    "summary",
    "body",
    "created_by",
    "created_by_name",
    "created_at",
];
const ITEM_EVENT_COLUMNS: &[&str] = &[
    "id",
    "item_id",
    "version_id",
    "event",
    "date",
    "comment",
    "data_json",
    "actor_user_id",
    "actor_name",
    "recorded_at",
];
const APPEAL_COLUMNS: &[&str] = &[
    "id",
    "organ_id",
    "application_id",
    "kind",
    "filed",
    "body",
    "result",
    "decided",
    "note",
    "created_at",
    "updated_at",
];
const COUNTER_COLUMNS: &[&str] = &["organ_id", "name", "year", "value"];

/// The generation's fixed inputs.
struct Context<'a> {
    cal: &'a Calendar,
    year: i32,
    year_end: Date,
    organs: Vec<PlannedOrgan>,
    /// Database id of plan index 0.
    first_organ: i64,
}

impl Context<'_> {
    fn organ_id(&self, index: usize) -> i64 {
        self.first_organ + index as i64
    }
}

impl Store {
    /// Generates a province (see the module's documentation) in one transaction and returns
    /// what it wrote. `now` is the time of the one audit row; the records' own times follow
    /// their dates, so the same spec gives the same rows. The year must have the calendar of
    /// itself and of the years before and after (the clock counts across them).
    pub async fn generate_demo_data(
        &self,
        actor: &Actor,
        now: i64,
        cal: &Calendar,
        spec: &DemoSpec,
    ) -> Result<DemoSummary> {
        let year = spec.year;
        let year_end = date(year, Month::December, 31)?;
        for probe in [
            date(year - 1, Month::January, 1)?,
            date(year + 1, Month::December, 31)?,
        ] {
            cal.day(probe).map_err(|e| StoreError::Invalid {
                field: "year",
                message: format!("{year} 年及其前后两年须有节假日安排：{e}"),
            })?;
        }
        if spec.organs == 0 {
            return Err(StoreError::Invalid {
                field: "organs",
                message: "机关数至少为 1。".into(),
            });
        }
        let mut rng = StdRng::seed_from_u64(spec.seed);
        let organs = tree::plan(&mut rng, spec.organs);
        let mut tx = self.begin_write().await?;
        let mut first = HashMap::new();
        for table in TABLES {
            first.insert(table, next_id(&mut tx, table).await?);
        }
        let cx = Context {
            cal,
            year,
            year_end,
            organs,
            first_organ: first["organs"],
        };
        let backend = self.backend();
        let organ_count = write_organs(&mut tx, backend, &cx, spec.seed).await?;
        let mut counters: BTreeMap<(i64, &'static str, i32), i64> = BTreeMap::new();
        let cases = write_applications(
            &mut tx,
            backend,
            &cx,
            &mut rng,
            spec.applications,
            (
                first["applications"],
                first["case_events"],
                first["appeals"],
            ),
            &mut counters,
        )
        .await?;
        let planned = items::plan(&mut rng, &cx.organs, spec.items, year, year_end)?;
        let item_count = write_items(
            &mut tx,
            backend,
            &cx,
            &planned,
            (first["items"], first["item_versions"], first["item_events"]),
            &mut counters,
        )
        .await?;
        let mut bulk = Bulk::new(backend, "counters", COUNTER_COLUMNS);
        for ((organ, name, y), value) in counters {
            bulk.push(
                &mut tx,
                vec![organ.into(), name.into(), i64::from(y).into(), value.into()],
            )
            .await?;
        }
        bulk.flush(&mut tx).await?;
        if backend == Backend::Postgres {
            // Explicit ids leave the identity sequences behind; the next ordinary insert
            // must not collide.
            for table in TABLES {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .fetch_one(&mut *tx)
                    .await?;
            }
        }
        let root = cx.organ_id(0);
        let busiest = cases
            .busiest
            .map(|(i, n)| (cx.organ_id(i), cx.organs[i].name.clone(), n));
        let summary = DemoSummary {
            root,
            busiest,
            organs: organ_count,
            applications: cases.applications,
            events: cases.events,
            items: item_count,
            appeals: cases.appeals,
        };
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(root),
                action: "demo_data.generate",
                entity: "organ",
                entity_id: root.to_string(),
                before: None,
                after: Some(json!({
                    "generated": "演示数据（gongkai demo-data），各记录不另记审计日志",
                    "seed": spec.seed,
                    "year": year,
                    "requested": {
                        "organs": spec.organs,
                        "applications": spec.applications,
                        "items": spec.items,
                    },
                    "organs": summary.organs,
                    "applications": summary.applications,
                    "case_events": summary.events,
                    "items": summary.items,
                    "appeals": summary.appeals,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(summary)
    }
}

async fn write_organs(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    cx: &Context<'_>,
    seed: u64,
) -> Result<u64> {
    let mut bulk = Bulk::new(backend, "organs", ORGAN_COLUMNS);
    let created = at(date(cx.year - 1, Month::January, 1)?, 0);
    for (i, o) in cx.organs.iter().enumerate() {
        let row: Vec<Cell> = vec![
            cx.organ_id(i).into(),
            o.parent.map(|p| cx.organ_id(p)).into(),
            o.name.clone().into(),
            o.tier.level().into(),
            o.office_name().into(),
            format!("{}人民路{}号", o.area, 1 + i % 200).into(),
            "工作日 9:00—12:00，13:30—17:00".into(),
            format!("0{:03}-{:07}", 100 + i % 900, 8_000_000 + i % 1_000_000).into(),
            format!(
                "演示数据：本机关由 gongkai demo-data 生成（种子 {seed}），并非真实机关，其申请、信息和复议诉讼均为生成的记录。"
            )
            .into(),
            created.into(),
        ];
        bulk.push(conn, row).await?;
    }
    bulk.flush(conn).await?;
    Ok(bulk.written())
}

/// What the applications step wrote.
struct CaseCounts {
    applications: u64,
    events: u64,
    appeals: u64,
    /// Plan index and count of the organ with the most applications received in the year.
    busiest: Option<(usize, u64)>,
}

/// Applications per organ: a third of the organs receive none, the rest by their weight (a
/// government and the land and housing departments most) times a heavy tail, so a few are
/// very busy.
fn application_weights(rng: &mut StdRng, organs: &[PlannedOrgan]) -> Vec<f64> {
    organs
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let tier = match o.tier {
                Tier::Province => 4.0,
                Tier::City => 2.0,
                Tier::County => 1.0,
            };
            let role = match o.role {
                Role::Government => 8.0,
                Role::Department(d) => f64::from(tree::DEPARTMENTS[d].2),
            };
            if i > 0 && rng.random_bool(0.35) {
                0.0
            } else {
                tier * role / rng.random_range(0.05..1.0)
            }
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn write_applications(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    cx: &Context<'_>,
    rng: &mut StdRng,
    count: usize,
    (first_application, first_event, first_appeal): (i64, i64, i64),
    counters: &mut BTreeMap<(i64, &'static str, i32), i64>,
) -> Result<CaseCounts> {
    let draws = cases::Draws::new()?;
    let organ_draw = cases::weighted(application_weights(rng, &cx.organs))?;
    let year_start = date(cx.year, Month::January, 1)?;
    let previous_start = date(cx.year - 1, Month::November, 20)?;
    let previous_end = date(cx.year - 1, Month::December, 31)?;
    // Who applies where and when, first; then each case in receipt order, so that ids and
    // 申请编号 follow the receipt dates as the office would have given them.
    let mut arrivals: Vec<(Date, usize, clock::Channel)> = Vec::with_capacity(count);
    for _ in 0..count {
        let organ = organ_draw.sample(rng);
        let channel = draws.channel(rng);
        let (from, to) = if rng.random_bool(PREVIOUS_YEAR_SHARE) {
            (previous_start, previous_end)
        } else {
            (year_start, cx.year_end)
        };
        let received = cases::receipt_date(rng, cx.cal, channel, from, to).map_err(other)?;
        arrivals.push((received, organ, channel));
    }
    arrivals.sort_by_key(|a| a.0);

    let mut applications = Bulk::new(backend, "applications", APPLICATION_COLUMNS);
    let mut events = Bulk::new(backend, "case_events", EVENT_COLUMNS);
    let mut appeals = Bulk::new(backend, "appeals", APPEAL_COLUMNS);
    let mut received_in_year: HashMap<usize, u64> = HashMap::new();
    let mut event_id = first_event;
    let mut appeal_id = first_appeal;
    for (n, (received, organ, channel)) in arrivals.into_iter().enumerate() {
        let id = first_application + n as i64;
        let organ_id = cx.organ_id(organ);
        let o = &cx.organs[organ];
        let serial = counters
            .entry((organ_id, "application", received.year()))
            .or_insert(0);
        *serial += 1;
        let number = format!("YSQ-{}-{:04}", received.year(), serial);
        if received.year() == cx.year {
            *received_in_year.entry(organ).or_insert(0) += 1;
        }
        let applicant = cases::applicant(rng, &draws, &o.area, cx.year);
        let request = cases::request(rng, &o.area, cx.year);
        let hash = (channel == clock::Channel::Online).then(|| {
            query_hash(
                &number,
                &format!("{:08}", rng.random_range(0..100_000_000u32)),
            )
        });
        let ledger =
            cases::ledger(rng, cx.cal, &draws, received, channel, cx.year_end).map_err(other)?;
        check_ledger(cx, &number, &ledger)?;
        let a = &applicant;
        let r = &request;
        applications.add(vec![
            id.into(),
            organ_id.into(),
            number.clone().into(),
            a.kind.clone().into(),
            a.name.clone().into(),
            a.id_type.clone().into(),
            a.id_number.clone().into(),
            a.work_unit.clone().into(),
            a.legal_representative.clone().into(),
            a.contact_person.clone().into(),
            a.phone.clone().into(),
            a.email.clone().into(),
            a.address.clone().into(),
            a.postcode.clone().into(),
            a.fax.clone().into(),
            r.title.clone().into(),
            r.doc_number.clone().into(),
            r.description.clone().into(),
            r.forms.join(",").into(),
            r.delivery.join(",").into(),
            i64::from(r.accept_other_form).into(),
            hash.into(),
            Cell::OptInt(None),
            at(received, 0).into(),
        ]);
        for (k, event) in ledger.iter().enumerate() {
            let (day, key, data) = event_columns(event)?;
            let row = vec![
                event_id.into(),
                id.into(),
                day.into(),
                key.into(),
                data.into(),
                Cell::OptInt(None),
                ACTOR_NAME.into(),
                at(event.date, 5 * k as i64).into(),
            ];
            events.add(row);
            event_id += 1;
        }
        if let Some(row) = appeal(rng, cx, organ, id, appeal_id, &ledger) {
            appeals.add(row);
            appeal_id += 1;
        }
        flush_in_order(
            conn,
            &mut [&mut applications, &mut events, &mut appeals],
            false,
        )
        .await?;
    }
    flush_in_order(
        conn,
        &mut [&mut applications, &mut events, &mut appeals],
        true,
    )
    .await?;
    // Ties go to the lower plan index, so the answer does not depend on hashing.
    let busiest = received_in_year
        .into_iter()
        .max_by_key(|&(organ, n)| (n, std::cmp::Reverse(organ)));
    Ok(CaseCounts {
        applications: applications.written(),
        events: events.written(),
        appeals: appeals.written(),
        busiest,
    })
}

/// The clock must accept the ledger on the last day of the year, as the office's one door
/// would have: otherwise the generator has a bug, and nothing is written.
fn check_ledger(cx: &Context<'_>, number: &str, ledger: &[LedgerEvent]) -> Result<()> {
    let events: Vec<CaseEvent> = ledger.iter().filter_map(LedgerEvent::case_event).collect();
    clock::application_clock(cx.cal, ClockConfig::default(), &events, cx.year_end)
        .map(|_| ())
        .map_err(|e| {
            other(format!(
                "generated ledger of {number} refused by the clock: {e}"
            ))
        })
}

/// Sometimes an adverse reply of the year is taken to 行政复议 or to court.
fn appeal(
    rng: &mut StdRng,
    cx: &Context<'_>,
    organ: usize,
    application_id: i64,
    id: i64,
    ledger: &[LedgerEvent],
) -> Option<Vec<Cell>> {
    let (replied, outcome) = ledger.iter().find_map(|e| match &e.what {
        Happening::Clock(clock::Event::Replied { outcome }) => Some((e.date, *outcome)),
        _ => None,
    })?;
    let adverse = !matches!(
        outcome,
        Outcome::Disclosed | Outcome::AlreadyPublic | Outcome::Withdrawn
    );
    if !adverse || !rng.random_bool(APPEAL_SHARE) {
        return None;
    }
    let filed = replied + time::Duration::days(rng.random_range(5..=55));
    if filed > cx.year_end {
        return None;
    }
    let o = &cx.organs[organ];
    let government = &cx.organs[o.government];
    let (kind, body) = match rng.random_range(0..10) {
        0..7 => {
            // The 本级人民政府 of a department; a government's own superior.
            let reviewer = match o.role {
                Role::Department(_) => government,
                Role::Government => government.parent.map_or(government, |p| &cx.organs[p]),
            };
            ("reconsideration", reviewer.name.clone())
        }
        7..9 => ("litigation_direct", format!("{}人民法院", government.area)),
        _ => (
            "litigation_after_reconsideration",
            format!("{}人民法院", government.area),
        ),
    };
    let decided = filed + time::Duration::days(rng.random_range(20..=80));
    let (result, decided) = if decided > cx.year_end || rng.random_bool(0.05) {
        ("pending", None)
    } else {
        let result = match rng.random_range(0..100) {
            0..72 => "upheld",
            72..86 => "corrected",
            _ => "other",
        };
        (result, Some(decided))
    };
    Some(vec![
        id.into(),
        cx.organ_id(organ).into(),
        Some(application_id).into(),
        kind.into(),
        format_date(filed).into(),
        body.into(),
        result.into(),
        decided.map(format_date).into(),
        "".into(),
        at(filed, 0).into(),
        at(decided.unwrap_or(filed), 0).into(),
    ])
}

async fn write_items(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    cx: &Context<'_>,
    planned: &[items::PlannedItem],
    (first_item, first_version, first_event): (i64, i64, i64),
    counters: &mut BTreeMap<(i64, &'static str, i32), i64>,
) -> Result<u64> {
    let pattern = IndexPattern::parse(DEFAULT_PATTERN).map_err(other)?;
    let chain = default_chain();
    let chain_json = serde_json::to_value(&chain)?;
    let mut items = Bulk::new(backend, "items", ITEM_COLUMNS);
    let mut versions = Bulk::new(backend, "item_versions", VERSION_COLUMNS);
    let mut events = Bulk::new(backend, "item_events", ITEM_EVENT_COLUMNS);
    let mut event_id = first_event;
    for (n, p) in planned.iter().enumerate() {
        let id = first_item + n as i64;
        let version = first_version + n as i64;
        let organ_id = cx.organ_id(p.organ);
        let day = p.published;
        let serial = counters
            .entry((organ_id, "item_index", day.year()))
            .or_insert(0);
        *serial += 1;
        let codes = OrganCodes {
            organ_id,
            credit_code: "",
        };
        let number = pattern.format(
            codes,
            day.year(),
            u32::try_from(*serial).unwrap_or(u32::MAX),
        );
        let now = at(day, 0);
        items.add(vec![
            id.into(),
            organ_id.into(),
            Some(number.clone()).into(),
            Cell::OptInt(None),
            Cell::OptInt(None),
            now.into(),
        ]);
        let c = &p.content;
        versions.add(vec![
            version.into(),
            id.into(),
            1.into(),
            c.title.clone().into(),
            c.doc_number.clone().into(),
            c.publisher.clone().into(),
            c.formed.map(format_date).unwrap_or_default().into(),
            c.topic.clone().into(),
            c.kind.clone().into(),
            c.article20.map(i64::from).into(),
            c.openness.clone().into(),
            c.openness_reason.clone().into(),
            p.interprets.map(|t| first_item + t as i64).into(),
            c.keywords.clone().into(),
            c.summary.clone().into(),
            c.body.clone().into(),
            Cell::OptInt(None),
            ACTOR_NAME.into(),
            now.into(),
        ]);
        // The ledger the console's path writes: created, submitted with the chain, one
        // approval per step, published with the 索引号; then a change of 有效性.
        let mut ledger: Vec<(&str, Date, serde_json::Value)> = vec![
            ("created", day, json!({})),
            ("submitted", day, json!({ "chain": chain_json })),
        ];
        for (i, s) in chain.iter().enumerate() {
            ledger.push((
                "approved",
                day,
                json!({"step": i, "step_name": s.name, "role": s.role.key()}),
            ));
        }
        ledger.push(("published", day, json!({ "index_number": number })));
        if let Some((validity, since)) = p.validity {
            ledger.push((
                "validity",
                since,
                json!({"validity": validity, "since": format_date(since), "by": null}),
            ));
        }
        for (k, (event, on, data)) in ledger.into_iter().enumerate() {
            events.add(vec![
                event_id.into(),
                id.into(),
                Some(version).into(),
                event.into(),
                format_date(on).into(),
                "".into(),
                data.to_string().into(),
                Cell::OptInt(None),
                ACTOR_NAME.into(),
                at(on, k as i64).into(),
            ]);
            event_id += 1;
        }
        flush_in_order(conn, &mut [&mut items, &mut versions, &mut events], false).await?;
    }
    flush_in_order(conn, &mut [&mut items, &mut versions, &mut events], true).await?;
    Ok(items.written())
}
