//! The annual report computed from records over several years (issue 13, must-hold 2), on
//! SQLite and (with `GONGKAI_TEST_DATABASE_URL`) PostgreSQL, through the store's real doors:
//! applications stepped with `append_case_event` (opened in one year and closed in the next,
//! 补正 received and lapsed, extensions, fees paid and lapsed, every outcome, every applicant
//! kind), appeals of each kind and result, 规章 and 行政规范性文件 published and repealed, and the
//! entered 表二 figures. The reports of 2022–2024 pass `check` against the previous year's,
//! 上年结转 is last year's 结转下年度, and every cell equals a recount written here from the
//! records as entered (dates compared as text), not by calling `compute`.

use std::collections::BTreeMap;

use gongkai_core::calendar::{Calendar, Fallback, parse_date};
use gongkai_core::clock::{Channel, ClockConfig, Event};
use gongkai_core::format::{APPEAL_BLOCKS, APPEAL_COLUMNS, APPLICANT_COLUMNS, ApplicationRow};
use gongkai_core::outcome::{OUTCOMES, Outcome};
use gongkai_report::check::{CheckContext, check};
use gongkai_report::compute::{Cell, Period};
use gongkai_report::{AnnualReport, ProactiveValue};
use gongkai_store::appeal::AppealInput;
use gongkai_store::application::{Applicant, NewApplication, Request};
use gongkai_store::item::{ItemContent, ItemStep};
use gongkai_store::ledger::LedgerEvent;
use gongkai_store::organ::OrganSettings;
use gongkai_store::statistics::{self, FigureValue};
use gongkai_store::tally::OrganSet;
use gongkai_store::{Actor, OrganScope, Store, dbtest};
use time::Date;

const NOW: i64 = 1_750_000_000;
const KINDS: [&str; 6] = [
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_services",
    "other",
];
const YEARS: [i32; 3] = [2022, 2023, 2024];

fn d(text: &str) -> Date {
    parse_date(text).expect("date")
}

fn cal() -> Calendar {
    Calendar::builtin().with_fallback(Fallback::Statutory)
}

/// A case as the test enters it: the raw facts the recount reads.
#[derive(Debug, Clone)]
struct Script {
    kind: &'static str,
    received: String,
    steps: Vec<(String, Event)>,
    /// The closing date and its 2021-template row, if the script closes the case.
    closed: Option<(String, ApplicationRow)>,
}

fn script(kind: &'static str, received: &str, steps: Vec<(&str, Event)>) -> Script {
    let closed = steps.iter().find_map(|(date, e)| {
        let row = match e {
            Event::Replied { outcome } => outcome.spec().row,
            Event::CorrectionLapsed => ApplicationRow::OtherNoCorrection,
            Event::FeeLapsed => ApplicationRow::OtherFeeUnpaid,
            _ => return None,
        };
        Some(((*date).to_owned(), row))
    });
    Script {
        kind,
        received: received.to_owned(),
        steps: steps.into_iter().map(|(d, e)| (d.to_owned(), e)).collect(),
        closed,
    }
}

fn reply(outcome: Outcome) -> Event {
    Event::Replied { outcome }
}

/// Every case of the scenario.
fn scripts() -> Vec<Script> {
    let mut out = Vec::new();
    for (y, year) in [2021, 2022, 2023, 2024].into_iter().enumerate() {
        // Every outcome, replied within the month, every applicant kind in turn; the three
        // that need their own sequence (补正 received; a lapse) are scripted below.
        let plain = OUTCOMES.iter().filter(|s| {
            !matches!(
                s.outcome,
                Outcome::StillUnclear | Outcome::NoCorrection | Outcome::FeeUnpaid
            )
        });
        for (i, spec) in plain.enumerate() {
            let month = i % 11 + 1;
            let kind = KINDS[(i + y) % KINDS.len()];
            out.push(script(
                kind,
                &format!("{year}-{month:02}-05"),
                vec![(leak(format!("{year}-{month:02}-15")), reply(spec.outcome))],
            ));
        }
        // 补正 requested and lapsed (art. 30).
        out.push(script(
            KINDS[y],
            &format!("{year}-06-01"),
            vec![
                (
                    leak(format!("{year}-06-03")),
                    Event::CorrectionRequested {
                        deadline: Some(d(&format!("{year}-06-17"))),
                    },
                ),
                (leak(format!("{year}-07-20")), Event::CorrectionLapsed),
            ],
        ));
        // 补正 received, then still unclear.
        out.push(script(
            KINDS[(y + 2) % 6],
            &format!("{year}-03-01"),
            vec![
                (
                    leak(format!("{year}-03-02")),
                    Event::CorrectionRequested {
                        deadline: Some(d(&format!("{year}-03-16"))),
                    },
                ),
                (leak(format!("{year}-03-10")), Event::CorrectionReceived),
                (leak(format!("{year}-03-25")), reply(Outcome::StillUnclear)),
            ],
        ));
        // A fee not paid, and a fee paid.
        out.push(script(
            KINDS[(y + 3) % 6],
            &format!("{year}-04-01"),
            vec![
                (
                    leak(format!("{year}-04-08")),
                    Event::FeeNoticeSent {
                        yuan: Some(100),
                        delivered: None,
                    },
                ),
                (leak(format!("{year}-06-01")), Event::FeeLapsed),
            ],
        ));
        out.push(script(
            KINDS[(y + 4) % 6],
            &format!("{year}-05-06"),
            vec![
                (
                    leak(format!("{year}-05-10")),
                    Event::FeeNoticeSent {
                        yuan: Some(50),
                        delivered: None,
                    },
                ),
                (leak(format!("{year}-05-15")), Event::FeePaid),
                (leak(format!("{year}-05-25")), reply(Outcome::Disclosed)),
            ],
        ));
        // Opened in December, extended, closed in January (年度结转).
        out.push(script(
            KINDS[(y + 5) % 6],
            &format!("{year}-12-20"),
            vec![
                (
                    leak(format!("{year}-12-28")),
                    Event::ExtensionApproved {
                        days: 10,
                        approver: Some("负责人".into()),
                    },
                ),
                (
                    leak(format!("{}-01-08", year + 1)),
                    reply(Outcome::PartlyDisclosed),
                ),
            ],
        ));
    }
    // 补正 asked in December, lapsed in the next year.
    out.push(script(
        "commercial",
        "2022-12-26",
        vec![
            (
                "2022-12-27",
                Event::CorrectionRequested {
                    deadline: Some(d("2023-01-10")),
                },
            ),
            ("2023-02-01", Event::CorrectionLapsed),
        ],
    ));
    // Still open after the last year.
    out.push(script("natural_person", "2024-12-10", vec![]));
    out.push(script("research", "2024-12-16", vec![]));
    out
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// An appeal as entered: kind, filed, result, decided.
type AppealScript = (&'static str, String, &'static str, Option<String>);

fn appeal_scripts() -> Vec<AppealScript> {
    let mut out = Vec::new();
    for year in [2021, 2022, 2023, 2024] {
        for (k, (kind, _)) in gongkai_store::appeal::APPEAL_KINDS.iter().enumerate() {
            for (r, (result, _)) in gongkai_store::appeal::APPEAL_RESULTS.iter().enumerate() {
                let decided = match (*result, (k + r) % 2) {
                    ("pending", _) => None,
                    (_, 0) => Some(format!("{year}-09-01")),
                    _ => Some(format!("{}-02-01", year + 1)),
                };
                out.push((*kind, format!("{year}-03-0{}", r + 1), *result, decided));
            }
        }
    }
    out
}

/// An item as entered: 体裁, 成文日期, publication day, repealed since.
type ItemScript = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

const ITEMS: [ItemScript; 7] = [
    ("regulation", "2021-05-01", "2021-05-10", None),
    ("normative_document", "2022-03-01", "2022-03-07", None),
    ("regulation", "2022-11-21", "2022-11-28", Some("2023-12-01")),
    (
        "normative_document",
        "2023-02-01",
        "2023-02-10",
        Some("2024-06-03"),
    ),
    (
        "normative_document",
        "2023-08-01",
        "2023-08-08",
        Some("2023-10-09"),
    ),
    ("normative_document", "2024-08-01", "2024-08-05", None),
    ("other", "2023-04-03", "2023-04-10", None),
];

async fn enter_cases(store: &Store, scope: OrganScope) {
    let actor = Actor::system("test");
    let today = d("2025-03-31");
    for s in scripts() {
        let new = NewApplication {
            applicant: Applicant {
                kind: s.kind.into(),
                name: "王五".into(),
                id_type: "resident_id".into(),
                id_number: "11010519491231002X".into(),
                ..Applicant::default()
            },
            request: Request {
                title: "某项目批复".into(),
                forms: vec!["paper".into()],
                delivery: vec!["post".into()],
                ..Request::default()
            },
            channel: Channel::Post,
            received: d(&s.received),
            query_code: None,
            attachments: Vec::new(),
        };
        let app = store
            .create_application(&actor, scope, NOW, &new)
            .await
            .expect("application");
        for (date, event) in &s.steps {
            let mut e = LedgerEvent::clock(d(date), event.clone());
            if matches!(event, Event::CorrectionRequested { .. }) {
                e.items = vec!["申请内容".into()];
            }
            store
                .append_case_event(
                    &actor,
                    scope,
                    app.id,
                    e,
                    &cal(),
                    ClockConfig::default(),
                    today,
                    NOW,
                )
                .await
                .unwrap_or_else(|err| panic!("{} {date} {event:?}: {err}", s.received));
        }
    }
}

async fn enter_appeals(store: &Store, scope: OrganScope) {
    for (kind, filed, result, decided) in appeal_scripts() {
        store
            .create_appeal(
                &Actor::system("test"),
                scope,
                NOW,
                &AppealInput {
                    kind: kind.into(),
                    application_id: None,
                    filed,
                    body: "某市人民政府".into(),
                    result: result.into(),
                    decided,
                    note: String::new(),
                },
            )
            .await
            .expect("appeal");
    }
}

async fn enter_items(store: &Store, scope: OrganScope) {
    let actor = Actor::system("test");
    for (i, (kind, formed, published, repealed)) in ITEMS.iter().enumerate() {
        let content = ItemContent {
            title: format!("文件{i}"),
            formed: Some(d(formed)),
            topic: "综合政务".into(),
            kind: (*kind).into(),
            article20: Some(1),
            openness: "proactive".into(),
            body: "正文".into(),
            ..ItemContent::default()
        };
        let item = store
            .create_item(&actor, scope, NOW, d(formed), &content, &[])
            .await
            .expect("item");
        let approve = || ItemStep::Approve {
            comment: String::new(),
        };
        let steps = vec![
            ItemStep::Submit {
                comment: String::new(),
            },
            approve(),
            approve(),
            approve(),
        ];
        for step in &steps {
            store
                .item_step(&actor, scope, item.id, step, d(published), NOW)
                .await
                .unwrap_or_else(|e| panic!("item {i} {step:?}: {e}"));
        }
        if let Some(since) = repealed {
            // Recorded on the day it takes effect.
            let step = ItemStep::Validity {
                validity: "repealed".into(),
                since: Some(d(since)),
                by: None,
                comment: "废止".into(),
            };
            store
                .item_step(&actor, scope, item.id, &step, d(since), NOW)
                .await
                .unwrap_or_else(|e| panic!("item {i} {step:?}: {e}"));
        }
    }
}

/// Entered figures: per year, 行政许可 year-2000, 行政处罚 1, 行政强制 0, fees year 元.
async fn enter_figures(store: &Store, scope: OrganScope) {
    for year in [2021, 2022, 2023, 2024] {
        let values: Vec<_> = statistics::specs()
            .into_iter()
            .map(|spec| {
                let value = match (spec.row, spec.column) {
                    ("licensing", _) => FigureValue::Count(i64::from(year - 2000)),
                    ("penalty", _) => FigureValue::Count(1),
                    ("fees", _) => FigureValue::Yuan(i64::from(year) * 7),
                    _ => FigureValue::Count(0),
                };
                (spec, Some(value))
            })
            .collect();
        store
            .save_report_figures(&Actor::system("test"), scope, NOW, year, &values)
            .await
            .expect("figures");
    }
}

fn in_year(date: &str, year: i32) -> bool {
    date.starts_with(&format!("{year}-"))
}

fn before(date: &str, year: i32) -> bool {
    date < format!("{year}-01-01").as_str()
}

fn by_end(date: &str, year: i32) -> bool {
    date <= format!("{year}-12-31").as_str()
}

/// 表三 recounted from the scripts: (row key, column key) → count.
fn recount_applications(year: i32) -> BTreeMap<(&'static str, &'static str), u64> {
    let mut out = BTreeMap::new();
    let spec_key = |row: ApplicationRow| {
        gongkai_core::format::APPLICATION_ROWS_2021
            .iter()
            .find(|s| s.row == row)
            .map(|s| s.key)
            .expect("row")
    };
    for s in scripts() {
        let closed = s.closed.as_ref().map(|(date, _)| date.as_str());
        let mut rows = Vec::new();
        if in_year(&s.received, year) {
            rows.push("new_received");
        }
        if before(&s.received, year) && closed.is_none_or(|c| !before(c, year)) {
            rows.push("carried_over");
        }
        if let Some((date, row)) = &s.closed
            && in_year(date, year)
        {
            rows.push(spec_key(*row));
            rows.push("total_handled");
        }
        if by_end(&s.received, year) && closed.is_none_or(|c| !by_end(c, year)) {
            rows.push("carried_forward");
        }
        for row in rows {
            *out.entry((row, s.kind)).or_default() += 1;
            *out.entry((row, "total")).or_default() += 1;
        }
    }
    out
}

/// 表四 recounted: (block key, column key) → count.
fn recount_appeals(year: i32) -> BTreeMap<(&'static str, &'static str), u64> {
    let mut out = BTreeMap::new();
    for (kind, filed, result, decided) in appeal_scripts() {
        let counted = by_end(&filed, year) && decided.as_deref().is_none_or(|d| !before(d, year));
        if !counted {
            continue;
        }
        let column = match decided.as_deref() {
            Some(d) if in_year(d, year) => result,
            _ => "pending",
        };
        *out.entry((kind, column)).or_default() += 1;
        *out.entry((kind, "total")).or_default() += 1;
    }
    out
}

/// 表二 第二十条第（一）项 recounted: (row key, column key) → count.
fn recount_items(year: i32) -> BTreeMap<(&'static str, &'static str), i64> {
    let mut out = BTreeMap::new();
    for (kind, formed, _, repealed) in ITEMS {
        let row = match kind {
            "regulation" => "regulations",
            "normative_document" => "normative_documents",
            _ => continue,
        };
        if in_year(formed, year) {
            *out.entry((row, "issued")).or_default() += 1;
        }
        if repealed.is_some_and(|r| in_year(r, year)) {
            *out.entry((row, "repealed")).or_default() += 1;
        }
        if by_end(formed, year) && repealed.is_none_or(|r| !by_end(r, year)) {
            *out.entry((row, "in_force")).or_default() += 1;
        }
    }
    out
}

fn assert_matches_recount(report: &AnnualReport, year: i32) {
    let apps = report.applications.as_ref().expect("表三");
    let expected = recount_applications(year);
    for (spec, cells) in apps.rows() {
        for (column, cell) in APPLICANT_COLUMNS.iter().zip(cells) {
            let want = expected.get(&(spec.key, column.key)).copied().unwrap_or(0);
            assert_eq!(*cell, Some(want), "{year} 表三 {} {}", spec.key, column.key);
        }
    }
    let appeals = report.appeals.as_ref().expect("表四");
    let expected = recount_appeals(year);
    for (block, cells) in APPEAL_BLOCKS.iter().zip(&appeals.blocks) {
        for (column, cell) in APPEAL_COLUMNS.iter().zip(cells) {
            let want = expected.get(&(block.key, column.key)).copied().unwrap_or(0);
            assert_eq!(
                *cell,
                Some(want),
                "{year} 表四 {} {}",
                block.key,
                column.key
            );
        }
    }
    let p = report.proactive.as_ref().expect("表二");
    let expected = recount_items(year);
    for row in ["regulations", "normative_documents"] {
        for column in ["issued", "repealed", "in_force"] {
            let want = expected.get(&(row, column)).copied().unwrap_or(0);
            assert_eq!(p.int(row, column), Some(want), "{year} 表二 {row} {column}");
        }
    }
    assert_eq!(
        p.int("licensing", "decisions"),
        Some(i64::from(year - 2000))
    );
    assert_eq!(p.int("penalty", "decisions"), Some(1));
    assert_eq!(p.int("enforcement", "decisions"), Some(0));
    let yuan = year * 7;
    let wan = format!("{}.{:04}", yuan / 10_000, yuan % 10_000);
    let wan = wan.trim_end_matches('0').trim_end_matches('.').to_owned();
    assert_eq!(
        p.get("fees", "amount_wan_yuan"),
        Some(&ProactiveValue::Text(wan)),
        "{year}"
    );
}

async fn organ(store: &Store, name: &str, parent: Option<i64>) -> OrganScope {
    let settings = OrganSettings {
        name: name.into(),
        ..OrganSettings::default()
    };
    let organ = store
        .create_organ(&Actor::system("test"), NOW, parent, &settings)
        .await
        .expect("organ");
    OrganScope::system(organ.id)
}

dbtest!(
    three_years_from_records_pass_the_checks_carry_over_and_match_a_recount,
    |db| {
        let scope = organ(&db, "甲局", None).await;
        enter_cases(&db, scope).await;
        enter_appeals(&db, scope).await;
        enter_items(&db, scope).await;
        enter_figures(&db, scope).await;

        let mut previous = db
            .computed_report(OrganSet::Organ(scope), 2021, None)
            .await
            .expect("2021");
        assert_matches_recount(&previous, 2021);
        for year in YEARS {
            let report = db
                .computed_report(OrganSet::Organ(scope), year, None)
                .await
                .expect("report");
            assert_eq!(report.agency.as_deref(), Some("甲局"));
            assert_matches_recount(&report, year);
            let cx = CheckContext {
                previous: Some(&previous),
                ..CheckContext::default()
            };
            let findings = check(&report, &cx);
            assert!(findings.is_empty(), "{year}: {findings:?}");
            // 二、上年结转 = last year's 四、结转下年度继续办理, column by column.
            let carried = |r: &AnnualReport, row| {
                r.applications
                    .as_ref()
                    .and_then(|a| a.row(row))
                    .copied()
                    .expect("row")
            };
            assert_eq!(
                carried(&report, ApplicationRow::CarriedOver),
                carried(&previous, ApplicationRow::CarriedForward),
                "{year}"
            );
            assert!(
                carried(&report, ApplicationRow::CarriedOver)[6].is_some_and(|n| n > 0),
                "{year}: the scenario carries cases over"
            );
            previous = report;
        }
    }
);

dbtest!(
    the_drill_down_lists_exactly_the_records_each_cell_counts,
    |db| {
        let scope = organ(&db, "甲局", None).await;
        enter_cases(&db, scope).await;
        enter_appeals(&db, scope).await;
        enter_items(&db, scope).await;
        let year = 2023;
        let report = db
            .computed_report(OrganSet::Organ(scope), year, None)
            .await
            .expect("report");
        let records = db.report_tally_records(scope, year).await.expect("records");
        let template = report.template;
        let apps = report.applications.as_ref().expect("表三");
        for (spec, cells) in apps.rows() {
            for (column, cell) in APPLICANT_COLUMNS.iter().zip(cells) {
                let target =
                    Cell::from_keys(template, "applications", spec.key, column.key).expect("cell");
                let listed = records
                    .cases
                    .iter()
                    .filter(|c| {
                        target.counts(&gongkai_report::compute::case_cells(&c.facts, template))
                    })
                    .count() as u64;
                assert_eq!(Some(listed), *cell, "{} {}", spec.key, column.key);
            }
        }
        // A citizen's name is masked in the list (an organisation's is not personal data);
        // numbers are the 申请编号.
        let citizens = records.cases.iter().filter(|c| c.facts.applicant == 0);
        assert!(citizens.clone().count() > 0);
        assert!(
            citizens.clone().all(|c| c.applicant == "王*"),
            "{records:?}"
        );
        assert!(records.cases.iter().all(|c| c.number.starts_with("YSQ-")));
        let appeals = report.appeals.as_ref().expect("表四");
        for (b, cells) in appeals.blocks.iter().enumerate() {
            for (c, cell) in cells.iter().enumerate() {
                let target = Cell::Appeal {
                    block: b,
                    column: c,
                };
                let listed = records
                    .appeals
                    .iter()
                    .filter(|a| target.counts(&gongkai_report::compute::appeal_cells(&a.facts)))
                    .count() as u64;
                assert_eq!(Some(listed), *cell);
            }
        }
        let in_force = records
            .items
            .iter()
            .filter(|i| {
                Cell::Proactive {
                    row: "normative_documents",
                    column: "in_force",
                }
                .counts(&gongkai_report::compute::item_cells(&i.facts, template))
            })
            .count() as i64;
        assert_eq!(
            report
                .proactive
                .as_ref()
                .and_then(|p| p.int("normative_documents", "in_force")),
            Some(in_force)
        );
        // The narrative's fee figures: each year's two 收费通知 (100 and 50 元), one paid.
        let figures = db.narrative_figures(scope, year).await.expect("figures");
        assert_eq!(
            (
                figures.fee_notices,
                figures.fees_notified_yuan,
                figures.fees_collected_yuan
            ),
            (2, 150, 50)
        );
        // Items first published in the year as 主动公开: 2023's three, 公文 all.
        assert_eq!(figures.items_published, 3);
        assert_eq!(figures.documents_published, 3);
        assert_eq!(figures.by_category, vec![(1, 3)]);
        // Every published 规章 and 行政规范性文件, whatever its year (cells choose); 其他公文 not.
        assert_eq!(records.items.len(), 6);
        assert!(
            records
                .items
                .iter()
                .any(|i| i.facts.formed == Period::After)
        );
    }
);

dbtest!(
    a_subtree_sums_its_organs_and_another_organ_is_not_counted,
    |db| {
        let root = organ(&db, "市政府", None).await;
        let child = organ(&db, "甲局", Some(root.organ_id())).await;
        let grandchild = organ(&db, "甲局下属", Some(child.organ_id())).await;
        let stranger = organ(&db, "外市", None).await;
        for scope in [child, grandchild, stranger] {
            enter_appeals(&db, scope).await;
            enter_figures(&db, scope).await;
        }
        enter_cases(&db, grandchild).await;
        let one = db
            .computed_report(OrganSet::Organ(grandchild), 2023, None)
            .await
            .expect("one");
        let sum = db
            .computed_report(OrganSet::Subtree(root), 2023, None)
            .await
            .expect("subtree");
        let alone = db
            .computed_report(OrganSet::Organ(root), 2023, None)
            .await
            .expect("root alone");
        assert_eq!(sum.agency.as_deref(), Some("市政府"));
        assert_eq!(sum.applications, one.applications);
        let appeals = |r: &AnnualReport| r.appeals.as_ref().expect("表四").blocks[0][4];
        assert_eq!(
            appeals(&sum).map(|n| n / 2),
            appeals(&one),
            "two organs' appeals"
        );
        assert_eq!(appeals(&alone), Some(0));
        let p = sum.proactive.as_ref().expect("表二");
        assert_eq!(p.int("licensing", "decisions"), Some(2 * 23));
        assert_eq!(
            p.get("fees", "amount_wan_yuan"),
            Some(&ProactiveValue::Text("2.8322".into()))
        );
    }
);
