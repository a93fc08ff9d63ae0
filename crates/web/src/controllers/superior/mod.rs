//! The superior office (上级机关): staff holding `Permission::SuperviseReports` on an organ (a
//! role there or on an organ above it: `Store::subtree_scope`) see, for a year, every organ of
//! its subtree with its report state, each one's findings, and the consolidated report (own +
//! subordinates, `gongkai_report::consolidate`) whose every cell opens the list of organs that
//! contributed with their numbers; and they upload the published reports of subordinates that
//! do not use gongkai, which are read, checked and stored as imports with their provenance.
//!
//! Isolation: anyone else — a subordinate's staff, another subtree's — gets 404 on these pages,
//! as if the organ had no superior office; an organ outside the subtree is not found either.
//!
//! Where a report comes from, per organ: published on gongkai, else the newest import, else
//! computed from the organ's records (`computed::computed_report`, not yet published).

mod status;
mod upload;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gongkai_report::check::{self, Finding, Section};
use gongkai_report::consolidate::{self, Consolidated, Constituent};
use gongkai_report::imported::{self, ReadContext};
use gongkai_report::model::AnnualReport;
use gongkai_store::organ::Organ;
use gongkai_store::report_import::{NewImport, ReportImport, ReportSource, sha256_hex};
use gongkai_store::{OrganId, OrganScope, Permission, StoreError};
use minijinja::{Value, context};
use serde::Deserialize;

use crate::auth::CurrentStaff;
use crate::controllers::{WebPath, WebQuery};
use crate::site::PageRequest;
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};
pub use status::ReportState;
use upload::{ReportUpload, UPLOAD_BODY_LIMIT};

/// The templates of this area (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "console/superior/overview.html",
        include_str!("../../../templates/console/superior/overview.html"),
    ),
    (
        "console/superior/cell.html",
        include_str!("../../../templates/console/superior/cell.html"),
    ),
];

/// The routes of this area.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/organs/{organ_id}/superior", get(overview))
        .route("/console/organs/{organ_id}/superior/cell", get(cell))
        .route(
            "/console/organs/{organ_id}/superior/import",
            post(import).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
}

/// `?year=`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct YearQuery {
    year: String,
}

impl Bounded for YearQuery {
    const FIELDS: &'static [Bound] = &[Bound::line("year", "年度", 4)];
}

/// `?year=&section=&row=&column=`: one cell of the consolidated report.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct CellQuery {
    year: String,
    section: String,
    row: String,
    column: String,
}

impl Bounded for CellQuery {
    const FIELDS: &'static [Bound] = &[
        Bound::line("year", "年度", 4),
        Bound::line("section", "表", 20),
        Bound::line("row", "行", 60),
        Bound::line("column", "列", 60),
    ];
}

/// The upload form's text fields.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ImportForm {
    csrf: String,
    organ: String,
    year: String,
}

impl Bounded for ImportForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("organ", "机关", 20),
        Bound::line("year", "年度", 4),
    ];
}

/// The superior office at work: its staff, its organ and the supervision scope.
struct Office {
    staff: CurrentStaff,
    organ: Organ,
    scope: OrganScope,
}

impl Office {
    /// The office of the path's organ, for staff who supervise it; 404 for everyone else.
    async fn open(state: &AppState, request: &PageRequest, raw: &str) -> Result<Office, WebError> {
        let staff = request.staff.clone().ok_or(WebError::LoginRequired {
            next: request.path.clone(),
        })?;
        let organ_id: OrganId = raw.parse().map_err(|_| WebError::NotFound)?;
        let scope = match state
            .store
            .subtree_scope(staff.user.id, organ_id, Permission::SuperviseReports)
            .await
        {
            Ok(scope) => scope,
            // Not a superior office of this organ: the pages do not exist for them.
            Err(StoreError::Forbidden | StoreError::NotFound(_)) => return Err(WebError::NotFound),
            Err(e) => return Err(e.into()),
        };
        let organ = state.store.organ(scope.organ_id()).await?;
        Ok(Office {
            staff,
            organ,
            scope,
        })
    }

    fn base(&self) -> String {
        format!("/console/organs/{}/superior", self.organ.id)
    }
}

/// The year asked for, or last year (the year whose reports are due now).
fn year_of(state: &AppState, raw: &str) -> Result<i32, WebError> {
    if raw.trim().is_empty() {
        return Ok(state.today().year() - 1);
    }
    match raw.trim().parse::<i32>() {
        Ok(y) if (2008..=2100).contains(&y) => Ok(y),
        _ => Err(WebError::Invalid(
            "年度应为 2008 至 2100 之间的年份。".into(),
        )),
    }
}

/// One organ of the subtree with its report for the year.
struct Member {
    organ: Organ,
    depth: u32,
    state: ReportState,
    deadline: Option<time::Date>,
    import: Option<ReportImport>,
}

fn stored(value: &serde_json::Value) -> Result<AnnualReport, WebError> {
    AnnualReport::from_json(value).map_err(|e| WebError::Internal(format!("stored report: {e}")))
}

/// Every organ of the office's subtree with its report of `year` and the consolidation.
async fn gather(
    state: &AppState,
    office: &Office,
    year: i32,
) -> Result<(Vec<Member>, Result<Consolidated, String>), WebError> {
    let store = &state.store;
    let today = state.today();
    let mut members = Vec::new();
    let mut constituents = Vec::new();
    for (organ, depth) in store.subtree(office.scope).await? {
        let scope = store.descendant_scope(office.scope, organ.id).await?;
        let settings = store.report_settings(organ.id).await?;
        let deadline = Some(gongkai_store::report_version::deadline(year, &settings));
        let previous = match store.previous_report(scope, year).await? {
            Some(p) => Some(stored(&p.report)?),
            None => None,
        };
        let (report, source, published, context, import) =
            match store.report_of_year(scope, year).await? {
                Some(found) => {
                    let report = stored(&found.report)?;
                    match found.source {
                        ReportSource::Published { published_on: day } => (
                            report,
                            "本平台发布".to_owned(),
                            Some(Some(day)),
                            ReadContext::default(),
                            None,
                        ),
                        ReportSource::Imported(import) => {
                            let context = ReadContext::from_json(&import.context, &report);
                            let day = status::printed_date(&report);
                            let source = format!("导入：{}", import.file_name);
                            (report, source, Some(day), context, Some(*import))
                        }
                    }
                }
                None => {
                    let report =
                        crate::controllers::computed::computed_report(store, scope, year).await?;
                    (
                        report,
                        "本平台记录计算（未发布）".to_owned(),
                        None,
                        ReadContext::default(),
                        None,
                    )
                }
            };
        constituents.push(Constituent::checked(
            organ.settings.name.clone(),
            source,
            report,
            &context.check_context(previous.as_ref()),
        ));
        members.push(Member {
            state: status::state(published, deadline, today),
            organ,
            depth,
            deadline,
            import,
        });
    }
    let name = format!("{}（汇总）", office.organ.settings.name);
    let sum = consolidate::consolidate(Some(&name), constituents).map_err(|e| e.to_string());
    Ok((members, sum))
}

fn finding_value(f: &Finding) -> Value {
    context! {
        check => f.check,
        severity => f.severity.as_str(),
        error => f.severity == check::Severity::Error,
        place => f.place.clone(),
        message => f.message.clone(),
    }
}

fn date_text(day: Option<time::Date>) -> String {
    day.map_or_else(String::new, |d| {
        format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day())
    })
}

async fn render_overview(
    state: &AppState,
    request: &PageRequest,
    office: &Office,
    year: i32,
    results: Vec<Value>,
    status_code: StatusCode,
) -> Result<Response, WebError> {
    let (members, sum) = gather(state, office, year).await?;
    let (sum_error, sections, notes, own) = match &sum {
        Ok(sum) => (
            None,
            sections_of(sum, &office.base(), year),
            notes_of(sum),
            { check::check(&sum.report, &check::CheckContext::default()) },
        ),
        Err(e) => (Some(e.clone()), Vec::new(), Vec::new(), Vec::new()),
    };
    let organs: Vec<Value> = members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let findings: Vec<Value> = sum
                .as_ref()
                .ok()
                .and_then(|s| s.constituents.get(i))
                .map(|c| c.findings.iter().map(finding_value).collect())
                .unwrap_or_default();
            let source = sum
                .as_ref()
                .ok()
                .and_then(|s| s.constituents.get(i))
                .map(|c| c.source.clone())
                .unwrap_or_default();
            context! {
                id => m.organ.id,
                name => m.organ.settings.name.clone(),
                indent => m.depth,
                state => m.state.label(),
                state_key => m.state.key(),
                deadline => date_text(m.deadline),
                source => source,
                findings => findings,
                import => m.import.as_ref().map(|i| context! {
                    file_name => i.file_name.clone(),
                    sha256 => i.sha256.clone(),
                    format => i.format.clone(),
                    read_notes => i.read_notes,
                    imported_by => i.imported_by.clone(),
                    imported_at => date_text(Some(crate::site::beijing_date(i.imported_at))),
                }),
            }
        })
        .collect();
    let ctx = context! {
        organ_id => office.organ.id,
        organ_name => office.organ.settings.name.clone(),
        base => office.base(),
        year => year,
        organs => organs,
        sum_error => sum_error,
        sections => sections,
        notes => notes,
        own_findings => own.iter().map(finding_value).collect::<Vec<_>>(),
        results => results,
        choices => members.iter().map(|m| context! { id => m.organ.id, name => m.organ.settings.name.clone() }).collect::<Vec<_>>(),
    };
    let title = format!("{year}年度下级机关年度报告");
    let html = state
        .render(request, "console/superior/overview.html", &title, None, ctx)
        .await?;
    Ok((status_code, html).into_response())
}

/// The consolidated report's cells by table, each with its drill-down link.
fn sections_of(sum: &Consolidated, base: &str, year: i32) -> Vec<Value> {
    let all = consolidate::cells(sum.report.template);
    Section::ALL
        .iter()
        .map(|section| {
            let cells: Vec<Value> = all
                .iter()
                .filter(|c| c.cell.section == *section)
                .map(|c| {
                    let href = format!(
                        "{base}/cell?year={year}&section={}&row={}&column={}",
                        section.key(),
                        c.cell.row,
                        c.cell.column
                    );
                    context! {
                        place => c.place.clone(),
                        value => consolidate::cell_text(&sum.report, &c.cell),
                        href => href,
                    }
                })
                .collect();
            context! { name => section.name(), cells => cells }
        })
        .collect()
}

fn notes_of(sum: &Consolidated) -> Vec<String> {
    sum.notes.iter().map(|n| n.message.clone()).collect()
}

/// `GET /console/organs/{organ_id}/superior?year=`.
pub async fn overview(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    WebQuery(query): WebQuery<YearQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let office = Office::open(&state, &request, &raw).await?;
    let year = year_of(&state, &query.year)?;
    render_overview(&state, &request, &office, year, Vec::new(), StatusCode::OK).await
}

/// `GET /console/organs/{organ_id}/superior/cell?year=&section=&row=&column=`: the organs that
/// contributed to one cell of the consolidated report, with their numbers.
pub async fn cell(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    WebQuery(query): WebQuery<CellQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let office = Office::open(&state, &request, &raw).await?;
    let year = year_of(&state, &query.year)?;
    let (_, sum) = gather(&state, &office, year).await?;
    let sum = sum.map_err(WebError::Invalid)?;
    let spec = consolidate::cells(sum.report.template)
        .into_iter()
        .find(|c| {
            c.cell.section.key() == query.section
                && c.cell.row == query.row
                && c.cell.column == query.column
        })
        .ok_or(WebError::NotFound)?;
    let contributions: Vec<Value> = sum
        .contributions(&spec.cell)
        .iter()
        .map(|c| context! { organ => c.organ, source => c.source, value => c.value.clone() })
        .collect();
    let notes: Vec<String> = sum
        .notes
        .iter()
        .filter(|n| n.cell == Some(spec.cell))
        .map(|n| n.message.clone())
        .collect();
    let ctx = context! {
        organ_id => office.organ.id,
        organ_name => office.organ.settings.name.clone(),
        base => office.base(),
        year => year,
        place => spec.place.clone(),
        value => consolidate::cell_text(&sum.report, &spec.cell),
        contributions => contributions,
        notes => notes,
    };
    let title = format!("{year}年度汇总：{}", spec.place);
    let html = state
        .render(&request, "console/superior/cell.html", &title, None, ctx)
        .await?;
    Ok(html.into_response())
}

/// `POST /console/organs/{organ_id}/superior/import`: the uploaded files read, checked and
/// stored as the chosen organ's reports (each of its own year); each file's outcome is shown.
pub async fn import(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    upload: ReportUpload<ImportForm>,
) -> Result<Response, WebError> {
    let staff = request.staff.clone().ok_or(WebError::LoginRequired {
        next: request.path.clone(),
    })?;
    staff.check_csrf(&state, &upload.form.csrf)?;
    let office = Office::open(&state, &request, &raw).await?;
    let year = year_of(&state, &upload.form.year)?;
    let target_id: OrganId = upload
        .form
        .organ
        .trim()
        .parse()
        .map_err(|_| WebError::NotFound)?;
    let scope = state
        .store
        .descendant_scope(office.scope, target_id)
        .await
        .map_err(|_| WebError::NotFound)?;
    let target = state.store.organ(scope.organ_id()).await?;
    if upload.files.is_empty() {
        let results = vec![
            context! { file => "", ok => false, message => "请选择要上传的报告文件（可选择整个文件夹）。" },
        ];
        return render_overview(
            &state,
            &request,
            &office,
            year,
            results,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let mut results = Vec::new();
    let mut any_stored = false;
    for file in upload.files {
        let outcome = store_one(
            &state,
            &office.staff,
            scope,
            &target,
            &file.file_name,
            file.bytes,
        )
        .await?;
        any_stored |= outcome.is_ok();
        results.push(match outcome {
            Ok(message) => context! { file => file.file_name, ok => true, message => message },
            Err(message) => context! { file => file.file_name, ok => false, message => message },
        });
    }
    let code = if any_stored {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_overview(&state, &request, &office, year, results, code).await
}

/// Reads, admits and stores one file; `Err` with the Chinese reason when it is refused.
async fn store_one(
    state: &AppState,
    staff: &CurrentStaff,
    scope: OrganScope,
    target: &Organ,
    file_name: &str,
    bytes: Result<Vec<u8>, &'static str>,
) -> Result<Result<String, String>, WebError> {
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(why) => return Ok(Err(why.to_owned())),
    };
    let name = file_name.to_owned();
    let (read, bytes) =
        tokio::task::spawn_blocking(move || (imported::read_file(&bytes, &name), bytes))
            .await
            .map_err(|e| WebError::Internal(format!("reading an upload: {e}")))?;
    let file = match read {
        Ok(file) => file,
        Err(e) => return Ok(Err(format!("无法读取为年度报告：{e}"))),
    };
    let year = match imported::admit(&file, &target.settings.name) {
        Ok(year) => year,
        Err(e) => return Ok(Err(format!("{e}，未导入。"))),
    };
    let previous = match state.store.previous_report(scope, year).await? {
        Some(p) => Some(stored(&p.report)?),
        None => None,
    };
    let findings = check::check(&file.report, &file.context.check_context(previous.as_ref()));
    let sha = sha256_hex(&bytes);
    let stored_import = state
        .store
        .import_report(
            &staff.actor(),
            scope,
            state.now(),
            &NewImport {
                year,
                report: &file.report.to_json(),
                context: &file.context.to_json(),
                file_name,
                sha256: &sha,
                format: file.format,
                read_notes: i64::try_from(file.read_notes).unwrap_or(i64::MAX),
            },
        )
        .await?;
    let errors = findings
        .iter()
        .filter(|f| f.severity == check::Severity::Error)
        .count();
    Ok(Ok(format!(
        "已导入为{}{year}年度报告（导入号 {}，{}，读取说明 {} 条；检查发现错误 {errors} 项、提示 {} 项）。",
        target.settings.name,
        stored_import.id,
        file.format,
        file.read_notes,
        findings.len() - errors,
    )))
}
