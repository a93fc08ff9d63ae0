//! The 表二 figures from other systems (`…/figures`): for one year, the 本年处理决定数量 of
//! 行政许可, 行政处罚 and 行政强制 and the 行政事业性收费 in 万元, typed by hand or imported from
//! a sheet of one row per year. A bad value is shown again at its field with everything typed
//! (422), and nothing is saved; a blank cell is blank in the report, not 0.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_store::statistics::{self, FIRST_YEAR, FigureSpec, Figures};
use minijinja::{Value, context};
use serde::Deserialize;

use super::import::{ImportForm, rows_of};
use super::upload::SheetUpload;
use super::{Workspace, download, see_other, staff_of};
use crate::controllers::{WebForm, WebPath, WebQuery};
use crate::site::PageRequest;
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// The figures form: the year and one field per cell, named `row.column` as
/// `gongkai_core::format` keys them.
#[derive(Debug, Default, Clone)]
pub struct FiguresForm {
    csrf: String,
    year: String,
    cells: BTreeMap<String, String>,
}

impl Bounded for FiguresForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("year", "年度", 10),
        Bound::line("licensing.decisions", "行政许可 本年处理决定数量", 20),
        Bound::line("penalty.decisions", "行政处罚 本年处理决定数量", 20),
        Bound::line("enforcement.decisions", "行政强制 本年处理决定数量", 20),
        Bound::line("fees.amount_wan_yuan", "行政事业性收费 本年收费金额", 20),
    ];
}

impl<'de> Deserialize<'de> for FiguresForm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pairs = Vec::<(String, String)>::deserialize(d)?;
        let mut form = FiguresForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "csrf" => form.csrf = value,
                "year" => form.year = value,
                _ if statistics::spec_of(&name).is_some() => {
                    form.cells.insert(name, value);
                }
                _ => {}
            }
        }
        Ok(form)
    }
}

/// The year and note of the page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct YearQuery {
    year: String,
    done: String,
    count: String,
}

impl Bounded for YearQuery {
    const FIELDS: &'static [Bound] = &[
        Bound::line("year", "年度", 10),
        Bound::line("done", "结果", 20),
        Bound::line("count", "年数", 10),
    ];
}

/// The year a report is being prepared for: last year (reports are due by 31 January).
fn default_year(state: &AppState) -> i32 {
    (state.today().year() - 1).max(FIRST_YEAR)
}

/// A typed year, if figures are entered for it and it is not in the future.
fn year_of(state: &AppState, text: &str) -> Option<i32> {
    let year: i32 = text.trim().parse().ok()?;
    (statistics::template(year).is_ok() && year <= state.today().year()).then_some(year)
}

/// Everything the figures page shows.
struct Page {
    status: StatusCode,
    year: i32,
    typed: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    import_error: Option<String>,
    problems: Vec<String>,
    pasted: String,
    done: Option<String>,
}

fn typed_of(figures: &Figures) -> BTreeMap<String, String> {
    figures
        .cells
        .iter()
        .map(|(s, v)| (s.field(), v.map(|v| v.display()).unwrap_or_default()))
        .collect()
}

async fn render(
    state: &AppState,
    request: &PageRequest,
    desk: &Workspace,
    page: Page,
) -> Result<Response, WebError> {
    let mut blocks: Vec<(&str, Vec<Value>)> = Vec::new();
    for spec in statistics::specs() {
        let field = spec.field();
        let cell = context! {
            field => field.clone(),
            id => field.replace('.', "-"),
            row => spec.row_label,
            column => spec.column_label,
            amount => matches!(spec.kind, gongkai_core::format::ProactiveKind::Amount),
            value => page.typed.get(&field).cloned().unwrap_or_default(),
            error => page.errors.get(&field).cloned(),
        };
        match blocks.last_mut() {
            Some((title, cells)) if *title == spec.block => cells.push(cell),
            _ => blocks.push((spec.block, vec![cell])),
        }
    }
    let blocks: Vec<Value> = blocks
        .into_iter()
        .map(|(title, cells)| context! { title => title, cells => cells })
        .collect();
    let this_year = state.today().year();
    let years: Vec<i32> = (FIRST_YEAR..=this_year.max(FIRST_YEAR)).rev().collect();
    let entered = state.store.report_figure_years(desk.scope).await?;
    let ctx = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        base => desk.base(),
        year => page.year,
        years => years,
        entered => entered,
        blocks => blocks,
        errors => !page.errors.is_empty(),
        year_error => page.errors.get("year").cloned(),
        import_error => page.import_error,
        problems => page.problems,
        pasted => page.pasted,
        done => page.done,
    };
    let html = state
        .render(
            request,
            "console/catalogue/figures.html",
            "年度报告表二：其他系统的数据",
            None,
            ctx,
        )
        .await?;
    Ok((page.status, html).into_response())
}

/// `GET /console/organs/{organ_id}/figures[?year=YYYY]`.
pub async fn page(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    WebQuery(query): WebQuery<YearQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Workspace::open(&state, &request, &raw).await?;
    let year = year_of(&state, &query.year).unwrap_or_else(|| default_year(&state));
    let figures = state.store.report_figures(desk.scope, year).await?;
    let done = match query.done.as_str() {
        "saved" => Some(format!("已保存 {year} 年度的数据。")),
        "imported" => Some(format!(
            "已导入 {} 个年度的数据。",
            query.count.parse::<usize>().unwrap_or(0)
        )),
        _ => None,
    };
    let page = Page {
        status: StatusCode::OK,
        year,
        typed: typed_of(&figures),
        errors: BTreeMap::new(),
        import_error: None,
        problems: Vec::new(),
        pasted: String::new(),
        done,
    };
    render(&state, &request, &desk, page).await
}

/// `POST /console/organs/{organ_id}/figures`.
pub async fn save(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    WebForm(form): WebForm<FiguresForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let desk = Workspace::open(&state, &request, &raw).await?;
    let refused = |year: i32, errors: BTreeMap<String, String>| Page {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        year,
        typed: form.cells.clone(),
        errors,
        import_error: None,
        problems: Vec::new(),
        pasted: String::new(),
        done: None,
    };
    let Some(year) = year_of(&state, &form.year) else {
        let errors = BTreeMap::from([(
            "year".to_owned(),
            format!(
                "请选择{FIRST_YEAR}年至{}年之间的年度。",
                state.today().year()
            ),
        )]);
        return render(
            &state,
            &request,
            &desk,
            refused(default_year(&state), errors),
        )
        .await;
    };
    let typed: Vec<(String, String)> = form
        .cells
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let values = match statistics::parse_figures(&typed) {
        Ok(values) => values,
        Err(errors) => {
            return render(
                &state,
                &request,
                &desk,
                refused(year, errors.into_iter().collect()),
            )
            .await;
        }
    };
    state
        .store
        .save_report_figures(&desk.staff.actor(), desk.scope, state.now(), year, &values)
        .await?;
    Ok(see_other(format!(
        "{}/figures?year={year}&done=saved",
        desk.base()
    )))
}

/// `POST /console/organs/{organ_id}/figures/import`: a sheet of one row per year.
pub async fn import(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    upload: SheetUpload<ImportForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &upload.form.csrf)?;
    let desk = Workspace::open(&state, &request, &raw).await?;
    let pasted = upload.form.pasted.clone();
    let year = default_year(&state);
    let figures = state.store.report_figures(desk.scope, year).await?;
    let refused = |import_error: Option<String>, problems: Vec<String>| Page {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        year,
        typed: typed_of(&figures),
        errors: BTreeMap::new(),
        import_error,
        problems,
        pasted: pasted.clone(),
        done: None,
    };
    let rows = match rows_of(upload.file, upload.problem, &pasted).await {
        Ok(rows) => rows,
        Err(message) => {
            return render(&state, &request, &desk, refused(Some(message), Vec::new())).await;
        }
    };
    let years = match statistics::read_sheet(&rows) {
        Ok(years) => years,
        Err(problems) => {
            let problems = problems.iter().map(ToString::to_string).collect();
            return render(&state, &request, &desk, refused(None, problems)).await;
        }
    };
    state
        .store
        .import_report_figures(&desk.staff.actor(), desk.scope, state.now(), &years)
        .await?;
    let shown = years.first().map_or(year, |(y, _)| *y);
    Ok(see_other(format!(
        "{}/figures?year={shown}&done=imported&count={}",
        desk.base(),
        years.len()
    )))
}

/// `GET /console/organs/{organ_id}/figures/template.csv`: the header row and last year's row.
pub async fn template(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
) -> Result<Response, WebError> {
    Workspace::open(&state, &request, &raw).await?;
    let specs = statistics::specs();
    let mut header = vec!["年度".to_owned()];
    header.extend(specs.iter().map(FigureSpec::label));
    let mut row = vec![default_year(&state).to_string()];
    row.extend(specs.iter().map(|_| String::new()));
    Ok(download(
        "figures-template.csv",
        "年度报告表二数据模板.csv",
        "text/csv; charset=utf-8",
        super::sheet::csv(&[header, row]),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_bounds_every_cell_entered_here() {
        for spec in statistics::specs() {
            assert!(
                FiguresForm::FIELDS.iter().any(|b| b.field == spec.field()),
                "{}",
                spec.field()
            );
        }
    }
}
