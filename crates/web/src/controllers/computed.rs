//! The annual report computed from an organ's records, and its drill-down: the console's
//! tables in the official layout with every number a link
//! (`/console/organs/{organ_id}/reports/{year}/computed`), and for each cell the records it
//! counts (`…/cells/{section}/{row}/{column}`): cases with their 申请编号 (applicant masked)
//! linking to the case page, items to their console page, appeals to the appeals page. Both
//! need `Permission::ViewCases`, which shows cases masked; another organ is refused like the
//! office's pages. The cells and the lists come from the same rules
//! (`gongkai_report::compute`), so a list always has as many rows as its cell counts.

use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use gongkai_core::format::{APPEAL_BLOCKS, APPEAL_COLUMNS, APPLICANT_COLUMNS, Template};
use gongkai_core::outcome::Outcome;
use gongkai_report::compute::{self, Cell, ClosedBy};
use gongkai_report::draft::Figures;
use gongkai_report::model::AnnualReport;
use gongkai_report::{ProactiveValue, render};
use gongkai_store::appeal::{APPEAL_KINDS, APPEAL_RESULTS, label};
use gongkai_store::tally::OrganSet;
use gongkai_store::{OrganId, OrganScope, Permission, Store, StoreError};
use minijinja::{Value, context};

use crate::controllers::WebPath;
use crate::site::PageRequest;
use crate::{AppState, WebError};

/// The templates of this area (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "console/computed/report.html",
        include_str!("../../templates/console/computed/report.html"),
    ),
    (
        "console/computed/cell.html",
        include_str!("../../templates/console/computed/cell.html"),
    ),
];

/// The routes of this area. Each is also in `router::CONSOLE_ROUTES`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/console/organs/{organ_id}/reports/{year}/computed",
            get(report_page),
        )
        .route(
            "/console/organs/{organ_id}/reports/{year}/cells/{section}/{row}/{column}",
            get(cell_page),
        )
}

/// The scope's organ's report for `year`, computed from its records
/// (`gongkai_report::compute` over `store::tally`): 表二, 表三 and 表四 with `agency`, `year`
/// and the year's template; no narrative. A year before 2019 is [`StoreError::Invalid`].
pub async fn computed_report(
    store: &Store,
    scope: OrganScope,
    year: i32,
) -> Result<AnnualReport, StoreError> {
    store.organ_report(scope, year).await
}

/// The consolidated report of the scope's organ and every organ below it for `year`: the
/// same rules over the subtree's records (the caller has checked the role over the subtree).
pub async fn computed_report_subtree(
    store: &Store,
    scope: OrganScope,
    year: i32,
) -> Result<AnnualReport, StoreError> {
    store
        .computed_report(OrganSet::Subtree(scope), year, None)
        .await
}

/// The figures the narrative quotes, counted from the scope's organ's records for `year`.
pub async fn figures(store: &Store, scope: OrganScope, year: i32) -> Result<Figures, StoreError> {
    store.narrative_figures(scope, year).await
}

/// The years a report can be computed for; others are pages that do not exist.
fn year_of(raw: &str) -> Result<(i32, Template), WebError> {
    let year: i32 = raw.parse().map_err(|_| WebError::NotFound)?;
    match Template::for_year(year) {
        Some(template) if year <= 2100 => Ok((year, template)),
        _ => Err(WebError::NotFound),
    }
}

/// The staff member's scope on the organ of the path, for the masked view of cases.
async fn scope_of(
    state: &AppState,
    request: &PageRequest,
    raw_organ: &str,
) -> Result<OrganScope, WebError> {
    let staff = request.staff.as_ref().ok_or(WebError::LoginRequired {
        next: request.path.clone(),
    })?;
    let organ_id: OrganId = raw_organ.parse().map_err(|_| WebError::NotFound)?;
    staff.scope(state, organ_id, Permission::ViewCases).await
}

fn base(scope: OrganScope, year: i32) -> String {
    format!("/console/organs/{}/reports/{year}", scope.organ_id())
}

/// `GET /console/organs/{organ_id}/reports/{year}/computed`.
async fn report_page(
    State(state): State<AppState>,
    WebPath((raw_organ, raw_year)): WebPath<(String, String)>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let scope = scope_of(&state, &request, &raw_organ).await?;
    let (year, template) = year_of(&raw_year)?;
    let report = computed_report(&state.store, scope, year).await?;
    let cells = base(scope, year);
    let link = |section: &str, row: &str, column: &str| {
        Some(format!("{cells}/cells/{section}/{row}/{column}"))
    };
    let organ = state.store.organ(scope.organ_id()).await?;
    let ctx = context! {
        organ_id => organ.id,
        organ_name => organ.settings.name.clone(),
        year => year,
        template => template.document(),
        tables => Value::from_safe_string(render::html_linked(&report, &link)),
    };
    let title = format!("{year}年度报告（按记录计算）");
    let html: Html<String> = state
        .render(&request, "console/computed/report.html", &title, None, ctx)
        .await?;
    Ok(html.into_response())
}

/// The printed name of a cell: its table's row and column labels.
fn cell_label(template: Template, cell: Cell) -> String {
    match cell {
        Cell::Proactive { row, column } => template
            .proactive_blocks()
            .iter()
            .find_map(|b| {
                let r = b.rows.iter().find(|r| r.key == row)?;
                let c = b.columns.iter().find(|c| c.key == column)?;
                Some(format!("表二 {} {} {}", b.title, r.label, c.label))
            })
            .unwrap_or_default(),
        Cell::Application { row, column } => {
            let spec = template.application_rows().iter().find(|s| s.row == row);
            let label = spec.map_or(String::new(), |s| {
                format!("{}{}", s.group.unwrap_or_default(), s.label)
            });
            format!("表三 {label} {}", APPLICANT_COLUMNS[column].label)
        }
        Cell::Appeal { block, column } => format!(
            "表四 {} {}",
            APPEAL_BLOCKS[block].label, APPEAL_COLUMNS[column].label
        ),
    }
}

fn cell_value(report: &AnnualReport, cell: Cell) -> String {
    let shown = |v: Option<u64>| v.map_or("空白".to_owned(), |n| n.to_string());
    match cell {
        Cell::Proactive { row, column } => {
            match report.proactive.as_ref().and_then(|p| p.get(row, column)) {
                Some(ProactiveValue::Int(n)) => n.to_string(),
                Some(ProactiveValue::Text(t)) => t.clone(),
                None => "空白".into(),
            }
        }
        Cell::Application { row, column } => shown(
            report
                .applications
                .as_ref()
                .and_then(|a| a.row(row))
                .and_then(|r| r[column]),
        ),
        Cell::Appeal { block, column } => shown(
            report
                .appeals
                .as_ref()
                .and_then(|a| a.blocks[block][column]),
        ),
    }
}

fn closing_label(how: ClosedBy) -> &'static str {
    match how {
        ClosedBy::Replied(outcome) => outcome.label(),
        ClosedBy::CorrectionLapsed => Outcome::NoCorrection.label(),
        ClosedBy::FeeLapsed => Outcome::FeeUnpaid.label(),
    }
}

/// `GET /console/organs/{organ_id}/reports/{year}/cells/{section}/{row}/{column}`.
async fn cell_page(
    State(state): State<AppState>,
    WebPath((raw_organ, raw_year, section, row, column)): WebPath<(
        String,
        String,
        String,
        String,
        String,
    )>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let scope = scope_of(&state, &request, &raw_organ).await?;
    let (year, template) = year_of(&raw_year)?;
    let cell = Cell::from_keys(template, &section, &row, &column).ok_or(WebError::NotFound)?;
    let report = computed_report(&state.store, scope, year).await?;
    let records = state.store.report_tally_records(scope, year).await?;
    let organ_base = format!("/console/organs/{}", scope.organ_id());
    let cases: Vec<Value> = records
        .cases
        .iter()
        .filter(|c| cell.counts(&compute::case_cells(&c.facts, template)))
        .map(|c| {
            context! {
                number => c.number.clone(),
                applicant => c.applicant.clone(),
                received => c.received.clone(),
                closed => c.closed.clone(),
                outcome => c.facts.closing.map_or("办理中", |x| closing_label(x.how)),
                path => format!("{organ_base}/applications/{}", c.id),
            }
        })
        .collect();
    let items: Vec<Value> = records
        .items
        .iter()
        .filter(|i| cell.counts(&compute::item_cells(&i.facts, template)))
        .map(|i| {
            context! {
                title => i.title.clone(),
                doc_number => i.doc_number.clone(),
                formed => i.formed.clone(),
                path => format!("{organ_base}/items/{}", i.id),
            }
        })
        .collect();
    let appeals: Vec<Value> = records
        .appeals
        .iter()
        .filter(|a| cell.counts(&compute::appeal_cells(&a.facts)))
        .map(|a| {
            context! {
                kind => label(&APPEAL_KINDS, &a.kind),
                number => a.application_number.clone(),
                filed => a.filed.clone(),
                result => label(&APPEAL_RESULTS, &a.result),
                decided => a.decided.clone(),
            }
        })
        .collect();
    // 表二's cells outside 第二十条第（一）项 are entered figures, not records.
    let entered = matches!(cell, Cell::Proactive { row, .. }
        if compute::ItemRow::from_key(row).is_none());
    let rule = match cell {
        Cell::Application { row, .. } => template
            .application_rows()
            .iter()
            .find(|s| s.row == row)
            .map(|s| format!("依据：{}。", s.basis))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let organ = state.store.organ(scope.organ_id()).await?;
    let count = cases.len() + items.len() + appeals.len();
    let ctx = context! {
        organ_id => organ.id,
        organ_name => organ.settings.name.clone(),
        year => year,
        report_path => format!("{}/computed", base(scope, year)),
        appeals_path => format!("{organ_base}/appeals"),
        cell_label => cell_label(template, cell),
        value => cell_value(&report, cell),
        rule => rule,
        count => count,
        cases => cases,
        items => items,
        appeals => appeals,
        entered => entered,
    };
    let html: Html<String> = state
        .render(
            &request,
            "console/computed/cell.html",
            "单元格明细",
            None,
            ctx,
        )
        .await?;
    Ok(html.into_response())
}
