//! Importing the catalogue from a sheet (`…/catalogue/import`): a CSV or XLSX file, or the
//! rows pasted from a spreadsheet, read by [`super::sheet`] and added by the store all or
//! nothing. A refused sheet is shown again (422) with every bad row's number, column and what
//! was expected; the template (`…/catalogue/template.csv`) has the header row to fill in.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_store::catalogue::import::{MAX_ROWS, RowProblem};
use gongkai_store::catalogue::{CHANNELS, ELEMENTS, ImportError, Mode, PILOT_AREAS};
use minijinja::{Value, context};
use serde::Deserialize;

use super::sheet::{self, SheetError};
use super::upload::SheetUpload;
use super::{Workspace, download, see_other, staff_of};
use crate::controllers::WebPath;
use crate::site::{PageRequest, url_encode};
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// The import form: a file, or rows pasted as text.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ImportForm {
    pub(super) csrf: String,
    pub(super) pasted: String,
}

/// The most characters of pasted rows.
pub const MAX_PASTED_CHARS: usize = 300_000;

impl Bounded for ImportForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::lines("pasted", "粘贴的表格内容", MAX_PASTED_CHARS),
    ];
}

/// Why a sheet was refused: one sentence about the file, or the rows' problems.
enum Refusal {
    File(String),
    Rows(Vec<RowProblem>),
}

async fn render(
    state: &AppState,
    request: &PageRequest,
    desk: &Workspace,
    pasted: &str,
    refusal: Option<Refusal>,
) -> Result<Response, WebError> {
    let (file_error, problems) = match &refusal {
        Some(Refusal::File(m)) => (Some(m.clone()), Vec::new()),
        Some(Refusal::Rows(p)) => (None, p.iter().map(ToString::to_string).collect()),
        None => (None, Vec::new()),
    };
    let elements: Vec<Value> = ELEMENTS
        .iter()
        .map(|e| {
            context! {
                label => e.label,
                aliases => e.aliases.join("、"),
                required => e.required,
            }
        })
        .collect();
    let ctx = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        base => desk.catalogue(),
        pasted => pasted,
        file_error => file_error,
        problems => problems,
        refused => refusal.is_some(),
        elements => elements,
        modes => Mode::ALL.iter().take(2).map(|m| m.label()).collect::<Vec<_>>().join("”或“"),
        areas => PILOT_AREAS.iter().map(|a| a.label).collect::<Vec<_>>().join("、"),
        channels => CHANNELS.join("、"),
        max_rows => MAX_ROWS,
    };
    let status = if refusal.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let html = state
        .render(
            request,
            "console/catalogue/import.html",
            "导入标准目录",
            None,
            ctx,
        )
        .await?;
    Ok((status, html).into_response())
}

/// `GET /console/organs/{organ_id}/catalogue/import`.
pub async fn page(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Workspace::open(&state, &request, &raw).await?;
    render(&state, &request, &desk, "", None).await
}

/// The rows of the file sent or of the text pasted, or why there are none.
pub(super) async fn rows_of(
    file: Option<Vec<u8>>,
    problem: Option<&'static str>,
    pasted: &str,
) -> Result<Vec<Vec<String>>, String> {
    if let Some(problem) = problem {
        return Err(problem.to_owned());
    }
    if let Some(bytes) = file {
        // Reading a workbook is work for a CPU, not for the request's thread.
        return tokio::task::spawn_blocking(move || sheet::read(&bytes))
            .await
            .map_err(|_| "文件无法读取。".to_owned())?
            .map_err(|SheetError(m)| m);
    }
    if pasted.trim().is_empty() {
        return Err("请选择要导入的文件，或把表格内容粘贴到下面的文本框中。".into());
    }
    Ok(sheet::rows_of_text(pasted))
}

/// `POST /console/organs/{organ_id}/catalogue/import`.
pub async fn submit(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    upload: SheetUpload<ImportForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &upload.form.csrf)?;
    let desk = Workspace::open(&state, &request, &raw).await?;
    let pasted = upload.form.pasted.clone();
    let rows = match rows_of(upload.file, upload.problem, &pasted).await {
        Ok(rows) => rows,
        Err(message) => {
            return render(
                &state,
                &request,
                &desk,
                &pasted,
                Some(Refusal::File(message)),
            )
            .await;
        }
    };
    let actor = desk.staff.actor();
    match state
        .store
        .import_catalogue(&actor, desk.scope, state.now(), &rows)
        .await
    {
        Ok(imported) => {
            let mut location = format!(
                "{}?done=imported&count={}",
                desk.catalogue(),
                imported.entries.len()
            );
            if !imported.ignored_columns.is_empty() {
                let ignored: String = imported
                    .ignored_columns
                    .join("、")
                    .chars()
                    .take(150)
                    .collect();
                location.push_str(&format!("&ignored={}", url_encode(&ignored)));
            }
            Ok(see_other(location))
        }
        Err(ImportError::Sheet(problems)) => {
            render(
                &state,
                &request,
                &desk,
                &pasted,
                Some(Refusal::Rows(problems)),
            )
            .await
        }
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}

/// `GET /console/organs/{organ_id}/catalogue/template.csv`: the header row of every element,
/// in UTF-8 with a BOM so that Excel opens it with the Chinese intact.
pub async fn template(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
) -> Result<Response, WebError> {
    Workspace::open(&state, &request, &raw).await?;
    let header: Vec<String> = ELEMENTS.iter().map(|e| e.label.to_owned()).collect();
    Ok(download(
        "catalogue-template.csv",
        "政务公开事项标准目录模板.csv",
        "text/csv; charset=utf-8",
        sheet::csv(&[header]),
    ))
}
