//! The record facts the annual report counts, for an organ or its whole subtree and a year
//! (issue 13): application cases, 规章 and 行政规范性文件, appeals and the entered 表二 figures,
//! classified against the year for `gongkai_report::compute`; the records behind one organ's
//! cells for the drill-down; and the figures the narrative quotes
//! (`gongkai_report::draft::Figures`).
//!
//! Totals are aggregated in SQL: each query classifies a record's dates in a `CASE` (before,
//! in, after the year as 0, 1, 2) and `GROUP BY`s the facts, so a province's consolidation reads
//! one row per distinct combination of facts, never one per application. The drill-down
//! classifies with the very same SQL fragments per record. Dates are `YYYY-MM-DD` text, so the
//! comparisons with the year's first and last day are text comparisons on both backends.

use std::collections::BTreeMap;

use gongkai_core::identity;
use gongkai_report::AnnualReport;
use gongkai_report::compute::{
    self, AppealFacts, CaseFacts, ClosedBy, Closing, ComputeError, Counted, Entered, ItemFacts,
    ItemRow, Period, Records, applicant_column,
};
use gongkai_report::draft::Figures;
use serde_json::Value;
// The dynamic SQL here is assembled only from this module's constant fragments; every value
// is bound.
use sqlx::{AssertSqlSafe, Row};

use crate::{Backend, OrganId, OrganScope, Result, Store, StoreError, statistics};

/// Which organs a tally covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganSet {
    /// The scope's organ alone.
    Organ(OrganScope),
    /// The scope's organ and every organ below it (a superior office's consolidation). The
    /// caller has checked the role that allows it.
    Subtree(OrganScope),
}

impl OrganSet {
    fn root(self) -> OrganId {
        match self {
            OrganSet::Organ(s) | OrganSet::Subtree(s) => s.organ_id(),
        }
    }

    /// The `scope(id)` common table expression; `$1` is the root.
    fn cte(self) -> &'static str {
        match self {
            OrganSet::Organ(_) => {
                "WITH RECURSIVE scope(id) AS (SELECT id FROM organs WHERE id = $1)"
            }
            OrganSet::Subtree(_) => {
                "WITH RECURSIVE scope(id) AS (SELECT id FROM organs WHERE id = $1 \
                 UNION ALL SELECT o.id FROM organs o JOIN scope s ON o.parent_id = s.id)"
            }
        }
    }
}

/// A case behind a cell, as the drill-down lists it (personal data masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    /// The application.
    pub id: i64,
    /// 申请编号.
    pub number: String,
    /// The applicant as lists show it (a citizen's name masked).
    pub applicant: String,
    /// Receipt date (art. 31).
    pub received: String,
    /// Closing date, if closed.
    pub closed: Option<String>,
    /// The facts the rules classify.
    pub facts: CaseFacts,
}

/// A 规章 or 行政规范性文件 behind a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRecord {
    /// The item.
    pub id: i64,
    /// Title of its published version.
    pub title: String,
    /// 文号.
    pub doc_number: String,
    /// 成文日期.
    pub formed: String,
    /// The facts the rules classify.
    pub facts: ItemFacts,
}

/// An appeal behind a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppealRecord {
    /// The appeal.
    pub id: i64,
    /// The kind's key (`store::appeal::APPEAL_KINDS`).
    pub kind: String,
    /// Filed.
    pub filed: String,
    /// Decided, if decided.
    pub decided: Option<String>,
    /// The result's key.
    pub result: String,
    /// The application's 申请编号, if linked.
    pub application_number: Option<String>,
    /// The facts the rules classify.
    pub facts: AppealFacts,
}

/// Every record one organ's report of a year counts, one by one, for the drill-down.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TallyRecords {
    /// Cases.
    pub cases: Vec<CaseRecord>,
    /// Items.
    pub items: Vec<ItemRecord>,
    /// Appeals.
    pub appeals: Vec<AppealRecord>,
}

fn bounds(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

/// A date column's period as 0, 1, 2 (`$2` and `$3` are the year's first and last day), or -1
/// where the date is NULL.
fn period_sql(column: &str) -> String {
    format!(
        "CAST(CASE WHEN {column} IS NULL THEN -1 WHEN {column} < $2 THEN 0 \
         WHEN {column} <= $3 THEN 1 ELSE 2 END AS BIGINT)"
    )
}

fn period(code: i64) -> Result<Option<Period>> {
    match code {
        -1 => Ok(None),
        c => Period::from_code(c)
            .map(Some)
            .ok_or_else(|| StoreError::Other(format!("tally: period code {c}"))),
    }
}

/// The outcome of a reply, read from its JSON: the one SQL difference between the backends.
fn outcome_sql(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "json_extract(c.data_json, '$.outcome')",
        Backend::Postgres => "(CAST(c.data_json AS json) ->> 'outcome')",
    }
}

/// The cases a year counts: received by 31 December, not closed before 1 January. Receipt
/// and closing are looked up per application through `case_events (event, application_id,
/// date)` (migration 0010); a case has one receipt and at most one closing (the clock refuses
/// any step after a closing).
const CASES_FROM: &str = "FROM scope s JOIN applications a ON a.organ_id = s.id \
     JOIN case_events r ON r.event = 'received' AND r.application_id = a.id \
     LEFT JOIN case_events c ON c.event IN ('replied', 'correction_lapsed', 'fee_lapsed') \
     AND c.application_id = a.id \
     WHERE r.date <= $3 AND (c.date IS NULL OR c.date >= $2)";

fn case_facts(row: &sqlx::any::AnyRow) -> Result<CaseFacts> {
    let kind: String = row.try_get("kind")?;
    let applicant = applicant_column(&kind)
        .ok_or_else(|| StoreError::Other(format!("tally: applicant kind “{kind}”")))?;
    let received = period(row.try_get("received_p")?)?
        .ok_or_else(|| StoreError::Other("tally: no receipt date".into()))?;
    let closing = match period(row.try_get("closed_p")?)? {
        None => None,
        Some(period) => {
            let event: String = row.try_get("event")?;
            let outcome: Option<String> = row.try_get("outcome")?;
            let how = ClosedBy::from_event(&event, outcome.as_deref()).ok_or_else(|| {
                StoreError::Other(format!("tally: closing “{event}” {outcome:?}"))
            })?;
            Some(Closing { period, how })
        }
    };
    Ok(CaseFacts {
        applicant,
        received,
        closing,
    })
}

/// The appeals a year may count (filed by 31 December, not decided before 1 January).
const APPEALS_FROM: &str = "FROM scope s JOIN appeals p ON p.organ_id = s.id \
     WHERE p.filed <= $3 AND (p.decided IS NULL OR p.decided >= $2)";

fn appeal_facts(row: &sqlx::any::AnyRow) -> Result<AppealFacts> {
    let kind: String = row.try_get("kind")?;
    let result: String = row.try_get("result")?;
    let bad = || StoreError::Other(format!("tally: appeal {kind} {result}"));
    Ok(AppealFacts {
        block: AppealFacts::block_of(&kind).ok_or_else(bad)?,
        filed: period(row.try_get("filed_p")?)?.ok_or_else(bad)?,
        decided: period(row.try_get("decided_p")?)?,
        result: AppealFacts::result_of(&result).ok_or_else(bad)?,
    })
}

impl Store {
    /// The report of `organs` for `year` computed from their records
    /// (`gongkai_report::compute::compute` over [`Store::report_tally`]): 表二, 表三 and 表四 in
    /// the year's template, named after the root organ, no narrative. `baseline` is the
    /// previous year's report where that year was imported (see `compute`'s rule).
    pub async fn computed_report(
        &self,
        organs: OrganSet,
        year: i32,
        baseline: Option<&AnnualReport>,
    ) -> Result<AnnualReport> {
        // A year without a template is refused before any query.
        if gongkai_core::format::Template::for_year(year).is_none() {
            return Err(StoreError::Invalid {
                field: "year",
                message: ComputeError::NoTemplate(year).to_string(),
            });
        }
        let organ = self.organ(organs.root()).await?;
        let records = self.report_tally(organs, year).await?;
        compute::compute(Some(organ.settings.name), year, &records, baseline).map_err(|e| {
            StoreError::Invalid {
                field: "year",
                message: e.to_string(),
            }
        })
    }

    /// One organ's report for `year` from its records, with the previous year's imported
    /// report (an organ that adopted gongkai that year: `report import`) as the baseline of
    /// 上年结转 and 现行有效. A previous year published on gongkai is no baseline: its numbers
    /// came from these same records.
    pub async fn organ_report(&self, scope: OrganScope, year: i32) -> Result<AnnualReport> {
        let baseline = match year.checked_sub(1) {
            Some(previous) => match self.current_import(scope, previous).await? {
                // An import that does not read as a report is no baseline (it was stored as
                // `from_json` wrote it, so this does not happen short of a hand-edited row).
                Some(import) => AnnualReport::from_json(&import.report).ok(),
                None => None,
            },
            None => None,
        };
        self.computed_report(OrganSet::Organ(scope), year, baseline.as_ref())
            .await
    }

    /// The classified facts of every record `organs` report for `year`, aggregated in SQL:
    /// the input of `gongkai_report::compute::compute`.
    pub async fn report_tally(&self, organs: OrganSet, year: i32) -> Result<Records> {
        let (start, end) = bounds(year);
        let cases_sql = format!(
            "{} SELECT a.applicant_kind AS kind, {} AS received_p, {} AS closed_p, \
             c.event AS event, {outcome} AS outcome, COUNT(*) AS n {CASES_FROM} \
             GROUP BY a.applicant_kind, 2, 3, c.event, 5",
            organs.cte(),
            period_sql("r.date"),
            period_sql("c.date"),
            outcome = outcome_sql(self.backend()),
        );
        let rows = sqlx::query(AssertSqlSafe(cases_sql))
            .bind(organs.root())
            .bind(&start)
            .bind(&end)
            .fetch_all(self.pool())
            .await?;
        let mut records = Records::default();
        for row in &rows {
            records.cases.push(Counted {
                facts: case_facts(row)?,
                count: count(row)?,
            });
        }
        let appeals_sql = format!(
            "{} SELECT p.kind AS kind, p.result AS result, {} AS filed_p, {} AS decided_p, \
             COUNT(*) AS n {APPEALS_FROM} GROUP BY p.kind, p.result, 3, 4",
            organs.cte(),
            period_sql("p.filed"),
            period_sql("p.decided"),
        );
        let rows = sqlx::query(AssertSqlSafe(appeals_sql))
            .bind(organs.root())
            .bind(&start)
            .bind(&end)
            .fetch_all(self.pool())
            .await?;
        for row in &rows {
            records.appeals.push(Counted {
                facts: appeal_facts(row)?,
                count: count(row)?,
            });
        }
        let mut items: BTreeMap<ItemFacts, u64> = BTreeMap::new();
        for item in self.item_records(organs, year).await? {
            *items.entry(item.facts).or_default() += 1;
        }
        records.items = items
            .into_iter()
            .map(|(facts, count)| Counted { facts, count })
            .collect();
        records.entered = self.entered(organs, year).await?;
        Ok(records)
    }

    /// Every record one organ's report of `year` counts, one by one, with the same
    /// classification as [`Store::report_tally`]: the drill-down's source.
    pub async fn report_tally_records(&self, scope: OrganScope, year: i32) -> Result<TallyRecords> {
        let organs = OrganSet::Organ(scope);
        let (start, end) = bounds(year);
        let cases_sql = format!(
            "{} SELECT a.id AS id, a.number AS number, a.applicant_kind AS kind, \
             a.applicant_name AS name, r.date AS received, c.date AS closed, {} AS received_p, \
             {} AS closed_p, c.event AS event, {outcome} AS outcome {CASES_FROM} \
             ORDER BY r.date, a.id",
            organs.cte(),
            period_sql("r.date"),
            period_sql("c.date"),
            outcome = outcome_sql(self.backend()),
        );
        let rows = sqlx::query(AssertSqlSafe(cases_sql))
            .bind(organs.root())
            .bind(&start)
            .bind(&end)
            .fetch_all(self.pool())
            .await?;
        let mut out = TallyRecords::default();
        for row in &rows {
            let kind: String = row.try_get("kind")?;
            let name: String = row.try_get("name")?;
            out.cases.push(CaseRecord {
                id: row.try_get("id")?,
                number: row.try_get("number")?,
                // As every list shows it: a citizen's name masked, an organisation's in full.
                applicant: if kind == "natural_person" {
                    identity::mask_name(&name)
                } else {
                    name
                },
                received: row.try_get("received")?,
                closed: row.try_get("closed")?,
                facts: case_facts(row)?,
            });
        }
        let appeals_sql = format!(
            "{} SELECT p.id AS id, p.kind AS kind, p.result AS result, p.filed AS filed, \
             p.decided AS decided, a.number AS number, {} AS filed_p, {} AS decided_p \
             {} ORDER BY p.filed, p.id",
            organs.cte(),
            period_sql("p.filed"),
            period_sql("p.decided"),
            APPEALS_FROM.replace(
                "WHERE",
                "LEFT JOIN applications a ON a.id = p.application_id WHERE"
            ),
        );
        let rows = sqlx::query(AssertSqlSafe(appeals_sql))
            .bind(organs.root())
            .bind(&start)
            .bind(&end)
            .fetch_all(self.pool())
            .await?;
        for row in &rows {
            out.appeals.push(AppealRecord {
                id: row.try_get("id")?,
                kind: row.try_get("kind")?,
                filed: row.try_get("filed")?,
                decided: row.try_get("decided")?,
                result: row.try_get("result")?,
                application_number: row.try_get("number")?,
                facts: appeal_facts(row)?,
            });
        }
        out.items = self.item_records(organs, year).await?;
        Ok(out)
    }

    /// The published 规章 and 行政规范性文件 of `organs`, classified against `year`. Read item by
    /// item (their versions and 有效性 changes are in the ledger), but only items of those two
    /// 体裁: an organ makes a handful a year, so this stays small beside the applications.
    async fn item_records(&self, organs: OrganSet, year: i32) -> Result<Vec<ItemRecord>> {
        let sql = format!(
            "{} SELECT e.item_id AS item_id, e.event AS event, e.date AS date, \
             e.data_json AS data_json, v.kind AS kind, v.formed AS formed, v.title AS title, \
             v.doc_number AS doc_number \
             FROM scope s JOIN items i ON i.organ_id = s.id \
             JOIN item_events e ON e.item_id = i.id \
             LEFT JOIN item_versions v ON v.id = e.version_id \
             WHERE e.event IN ('published', 'validity') AND i.id IN \
             (SELECT item_id FROM item_versions WHERE kind IN ('regulation', 'normative_document')) \
             ORDER BY e.item_id, e.id",
            organs.cte()
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(organs.root())
            .fetch_all(self.pool())
            .await?;
        let mut out = Vec::new();
        let mut current: Option<(i64, ItemLedger)> = None;
        for row in &rows {
            let id: i64 = row.try_get("item_id")?;
            if current.as_ref().map(|(i, _)| *i) != Some(id) {
                if let Some((i, ledger)) = current.take() {
                    out.extend(ledger.record(i, year));
                }
                current = Some((id, ItemLedger::default()));
            }
            if let Some((_, ledger)) = current.as_mut() {
                ledger.add(row)?;
            }
        }
        if let Some((i, ledger)) = current {
            out.extend(ledger.record(i, year));
        }
        Ok(out)
    }

    /// The entered 表二 figures of `organs` for `year`, summed over the organs (amounts in
    /// whole 元, so the sum is exact).
    async fn entered(
        &self,
        organs: OrganSet,
        year: i32,
    ) -> Result<BTreeMap<(String, String), Entered>> {
        let sql = format!(
            "{} SELECT f.row_key AS row_key, f.column_key AS column_key, \
             CAST(SUM(f.value) AS BIGINT) AS total \
             FROM scope s JOIN report_figures f ON f.organ_id = s.id WHERE f.year = $2 \
             GROUP BY f.row_key, f.column_key",
            organs.cte()
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(organs.root())
            .bind(i64::from(year))
            .fetch_all(self.pool())
            .await?;
        let mut out = BTreeMap::new();
        for row in &rows {
            let row_key: String = row.try_get("row_key")?;
            let column_key: String = row.try_get("column_key")?;
            let total = u64::try_from(row.try_get::<i64, _>("total")?)
                .map_err(|_| StoreError::Other("tally: negative figure".into()))?;
            let Some(spec) = statistics::spec_of(&format!("{row_key}.{column_key}")) else {
                continue;
            };
            let value = match spec.kind {
                gongkai_core::format::ProactiveKind::Amount => Entered::Yuan(total),
                _ => Entered::Count(total),
            };
            out.insert((row_key, column_key), value);
        }
        Ok(out)
    }

    /// The figures the narrative of the scope's organ's `year` quotes (spec/domain.md §4.6):
    /// items first published in the year as 主动公开, of them 公文 (规章, 行政规范性文件, 其他公文)
    /// and 政策解读, per art. 20 category; 收费通知 sent in the year and their amounts, fees
    /// paid in the year (the amount of the case's latest notice before the payment); 留言
    /// answered and 意见征集 opened in the year.
    pub async fn narrative_figures(&self, scope: OrganScope, year: i32) -> Result<Figures> {
        let organ = self.organ(scope.organ_id()).await?;
        let (start, end) = bounds(year);
        let settings = &organ.settings;
        // The opening's contact and site (spec/domain.md §4.7) are the organ's settings.
        let mut figures = Figures {
            organ: settings.name.clone(),
            year,
            office: settings.office_name.clone(),
            address: settings.office_address.clone(),
            postcode: settings.office_postcode.clone(),
            phone: settings.office_phone.clone(),
            site_url: if settings.site_domain.is_empty() {
                String::new()
            } else {
                format!("http://{}/", settings.site_domain)
            },
            ..Figures::default()
        };
        // The first publication of each item, with the version then published.
        let rows = sqlx::query(
            "SELECT v.kind AS kind, v.article20 AS article20, COUNT(*) AS n \
             FROM items i JOIN item_events e ON e.item_id = i.id AND e.event = 'published' \
             JOIN item_versions v ON v.id = e.version_id \
             WHERE i.organ_id = $1 AND e.date >= $2 AND e.date <= $3 \
             AND v.openness = 'proactive' AND NOT EXISTS (SELECT 1 FROM item_events f \
             WHERE f.item_id = i.id AND f.event = 'published' AND f.id < e.id) \
             GROUP BY v.kind, v.article20",
        )
        .bind(scope.organ_id())
        .bind(&start)
        .bind(&end)
        .fetch_all(self.pool())
        .await?;
        let mut categories: BTreeMap<u8, u64> = BTreeMap::new();
        for row in &rows {
            let kind: String = row.try_get("kind")?;
            let n = count(row)?;
            figures.items_published += n;
            if matches!(kind.as_str(), "regulation" | "normative_document" | "other") {
                figures.documents_published += n;
            }
            if kind == "interpretation" {
                figures.interpretations_published += n;
            }
            let category: Option<i64> = row.try_get("article20")?;
            if let Some(c) = category.and_then(|c| u8::try_from(c).ok()) {
                *categories.entry(c).or_default() += n;
            }
        }
        figures.by_category = categories.into_iter().collect();
        self.fee_figures(scope, &start, &end, &mut figures).await?;
        figures.messages_answered = self
            .count_between(
                "SELECT COUNT(*) AS n FROM messages WHERE organ_id = $1 \
                 AND replied_on >= $2 AND replied_on <= $3",
                scope,
                &start,
                &end,
            )
            .await?;
        figures.consultations = self
            .count_between(
                "SELECT COUNT(*) AS n FROM consultations WHERE organ_id = $1 \
                 AND start_date >= $2 AND start_date <= $3",
                scope,
                &start,
                &end,
            )
            .await?;
        Ok(figures)
    }

    async fn count_between(
        &self,
        sql: &'static str,
        scope: OrganScope,
        start: &str,
        end: &str,
    ) -> Result<u64> {
        let row = sqlx::query(sql)
            .bind(scope.organ_id())
            .bind(start)
            .bind(end)
            .fetch_one(self.pool())
            .await?;
        count(&row)
    }

    async fn fee_figures(
        &self,
        scope: OrganScope,
        start: &str,
        end: &str,
        figures: &mut Figures,
    ) -> Result<()> {
        // The fee events of the cases with any fee event in the year, in ledger order.
        let rows = sqlx::query(
            "SELECT e.application_id AS application_id, e.date AS date, e.event AS event, \
             e.data_json AS data_json FROM case_events e \
             JOIN applications a ON a.id = e.application_id \
             WHERE a.organ_id = $1 AND e.event IN ('fee_notice_sent', 'fee_paid') \
             AND e.application_id IN (SELECT application_id FROM case_events \
             WHERE event IN ('fee_notice_sent', 'fee_paid') AND date >= $2 AND date <= $3) \
             ORDER BY e.application_id, e.id",
        )
        .bind(scope.organ_id())
        .bind(start)
        .bind(end)
        .fetch_all(self.pool())
        .await?;
        let mut last_notice: Option<(i64, u64)> = None;
        for row in &rows {
            let application: i64 = row.try_get("application_id")?;
            let date: String = row.try_get("date")?;
            let event: String = row.try_get("event")?;
            let in_year = date.as_str() >= start && date.as_str() <= end;
            if event == "fee_notice_sent" {
                let data: Value = serde_json::from_str(&row.try_get::<String, _>("data_json")?)?;
                let yuan = data["yuan"].as_u64().unwrap_or(0);
                last_notice = Some((application, yuan));
                if in_year {
                    figures.fee_notices += 1;
                    figures.fees_notified_yuan += yuan;
                }
            } else if in_year
                && let Some((a, yuan)) = last_notice
                && a == application
            {
                figures.fees_collected_yuan += yuan;
            }
        }
        Ok(())
    }
}

fn count(row: &sqlx::any::AnyRow) -> Result<u64> {
    u64::try_from(row.try_get::<i64, _>("n")?)
        .map_err(|_| StoreError::Other("tally: negative count".into()))
}

/// One item's publications and 有效性 changes, in ledger order.
#[derive(Debug, Default)]
struct ItemLedger {
    first_published: Option<String>,
    /// The version last published: 体裁, 成文日期, title, 文号.
    version: Option<(String, String, String, String)>,
    /// The latest 有效性: key and since.
    validity: Option<(String, Option<String>)>,
}

impl ItemLedger {
    fn add(&mut self, row: &sqlx::any::AnyRow) -> Result<()> {
        let event: String = row.try_get("event")?;
        let date: String = row.try_get("date")?;
        if event == "published" {
            self.first_published.get_or_insert(date);
            let kind: Option<String> = row.try_get("kind")?;
            if let Some(kind) = kind {
                self.version = Some((
                    kind,
                    row.try_get::<Option<String>, _>("formed")?
                        .unwrap_or_default(),
                    row.try_get::<Option<String>, _>("title")?
                        .unwrap_or_default(),
                    row.try_get::<Option<String>, _>("doc_number")?
                        .unwrap_or_default(),
                ));
            }
        } else {
            let data: Value = serde_json::from_str(&row.try_get::<String, _>("data_json")?)?;
            let key = data["validity"].as_str().unwrap_or("in_force").to_owned();
            let since = data["since"].as_str().map(str::to_owned).or(Some(date));
            self.validity = Some((key, since));
        }
        Ok(())
    }

    /// The item as 表二 classifies it: the published version's 体裁 and 成文日期 (the first
    /// publication's date where none was entered); ended from the 有效性 废止 or 失效 and its
    /// date. Never published, or of another 体裁: not counted.
    fn record(self, id: i64, year: i32) -> Option<ItemRecord> {
        let (kind, formed, title, doc_number) = self.version?;
        let row = ItemRow::from_kind(&kind)?;
        let first = self.first_published?;
        let formed = if formed.is_empty() {
            first.clone()
        } else {
            formed
        };
        let ended = match &self.validity {
            Some((key, since)) if key == "repealed" || key == "expired" => since
                .as_deref()
                .and_then(|d| Period::of_date(d, year))
                .or(Some(Period::Before)),
            _ => None,
        };
        Some(ItemRecord {
            id,
            title,
            doc_number,
            facts: ItemFacts {
                row,
                formed: Period::of_date(&formed, year)?,
                published: Period::of_date(&first, year),
                ended,
            },
            formed,
        })
    }
}
