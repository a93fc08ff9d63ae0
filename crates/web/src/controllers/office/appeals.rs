//! 行政复议 and 行政诉讼 about the organ's disclosure work (`…/appeals`), the cases of 表四:
//! the list for everyone who sees cases, entry and editing for the case roles. The store
//! checks the facts; its refusal names the field, and the form shows it there.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_store::appeal::{APPEAL_KINDS, APPEAL_RESULTS, Appeal, AppealInput, label};
use gongkai_store::application::ApplicationFilter;
use gongkai_store::{Permission, StoreError};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::{Desk, path_id, see_other, staff_of};
use crate::controllers::{WebForm, WebPath, WebQuery};
use crate::site::PageRequest;
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// The appeal form.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct AppealForm {
    #[serde(skip_serializing)]
    csrf: String,
    kind: String,
    application_id: String,
    filed: String,
    body: String,
    result: String,
    decided: String,
    note: String,
}

impl Bounded for AppealForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("kind", "类型", 40),
        Bound::line("application_id", "相关申请", 20),
        Bound::line("filed", "受理（立案）日期", 20),
        Bound::line("body", "复议机关或法院", 100),
        Bound::line("result", "结果", 20),
        Bound::line("decided", "审结日期", 20),
        Bound::lines("note", "备注", 2000),
    ];
}

impl AppealForm {
    fn of(input: &AppealInput) -> AppealForm {
        AppealForm {
            kind: input.kind.clone(),
            application_id: input
                .application_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
            filed: input.filed.clone(),
            body: input.body.clone(),
            result: input.result.clone(),
            decided: input.decided.clone().unwrap_or_default(),
            note: input.note.clone(),
            ..AppealForm::default()
        }
    }

    /// The input, or the field that cannot be read.
    fn input(&self) -> Result<AppealInput, (&'static str, String)> {
        let application_id = match self.application_id.trim() {
            "" => None,
            text => Some(
                text.parse()
                    .map_err(|_| ("application_id", "请选择本机关的申请。".to_owned()))?,
            ),
        };
        let decided = self.decided.trim();
        Ok(AppealInput {
            kind: self.kind.clone(),
            application_id,
            filed: self.filed.trim().to_owned(),
            body: self.body.trim().to_owned(),
            result: self.result.clone(),
            decided: (!decided.is_empty()).then(|| decided.to_owned()),
            note: self.note.replace("\r\n", "\n").trim().to_owned(),
        })
    }
}

fn row(appeal: &Appeal, base: &str, can_edit: bool) -> Value {
    let i = &appeal.input;
    context! {
        kind => label(&APPEAL_KINDS, &i.kind),
        number => appeal.application_number.clone(),
        filed => i.filed.clone(),
        body => i.body.clone(),
        result => label(&APPEAL_RESULTS, &i.result),
        decided => i.decided.clone(),
        note => i.note.clone(),
        path => can_edit.then(|| format!("{base}/appeals/{}", appeal.id)),
    }
}

fn choices(table: &[(&'static str, &'static str)]) -> Vec<Value> {
    table
        .iter()
        .map(|(k, l)| context! { key => *k, label => *l })
        .collect()
}

/// Everything the list page and the edit page show.
struct Page<'a> {
    status: StatusCode,
    form: &'a AppealForm,
    errors: BTreeMap<&'static str, String>,
    editing: Option<i64>,
    saved: bool,
}

async fn render(
    state: &AppState,
    request: &PageRequest,
    desk: &Desk,
    page: Page<'_>,
) -> Result<Response, WebError> {
    let can_edit = desk.can(Permission::HandleCases);
    let base = desk.base();
    let list: Vec<Value> = state
        .store
        .appeals(desk.scope)
        .await?
        .iter()
        .map(|a| row(a, &base, can_edit))
        .collect();
    let numbers: Vec<Value> = state
        .store
        .applications(desk.scope, ApplicationFilter::default())
        .await?
        .iter()
        .map(|a| context! { id => a.id.to_string(), number => a.number.clone() })
        .collect();
    let action = match page.editing {
        Some(id) => format!("{base}/appeals/{id}"),
        None => format!("{base}/appeals"),
    };
    let ctx = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        appeals => list,
        can_edit => can_edit,
        editing => page.editing.is_some(),
        action => action,
        form => crate::site::ser(page.form),
        errors => if page.errors.is_empty() { Value::from(()) } else { crate::site::ser(&page.errors) },
        kinds => choices(&APPEAL_KINDS),
        results => choices(&APPEAL_RESULTS),
        numbers => numbers,
        saved => page.saved,
    };
    let (template, title) = match page.editing {
        Some(_) => ("console/office/appeal.html", "修改复议诉讼案件"),
        None => ("console/office/appeals.html", "行政复议和行政诉讼"),
    };
    let html = state.render(request, template, title, None, ctx).await?;
    Ok((page.status, html).into_response())
}

/// The confirmation after saving.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    saved: String,
}

impl Bounded for SavedQuery {
    const FIELDS: &'static [Bound] = &[Bound::line("saved", "已保存", 10)];
}

/// `GET /console/organs/{organ_id}/appeals`.
pub async fn list(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    WebQuery(query): WebQuery<SavedQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Desk::open(&state, &request, &raw, Permission::ViewCases).await?;
    let form = AppealForm {
        kind: APPEAL_KINDS[0].0.into(),
        result: "pending".into(),
        ..AppealForm::default()
    };
    let page = Page {
        status: StatusCode::OK,
        form: &form,
        errors: BTreeMap::new(),
        editing: None,
        saved: !query.saved.is_empty(),
    };
    render(&state, &request, &desk, page).await
}

/// Saves a new or changed appeal; a refused field shows the form again (422).
async fn save(
    state: &AppState,
    request: &PageRequest,
    desk: &Desk,
    editing: Option<i64>,
    form: &AppealForm,
) -> Result<Response, WebError> {
    let refused = |field: &'static str, message: String| Page {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        form,
        errors: BTreeMap::from([(field, message)]),
        editing,
        saved: false,
    };
    let input = match form.input() {
        Ok(input) => input,
        Err((field, message)) => {
            return render(state, request, desk, refused(field, message)).await;
        }
    };
    let actor = desk.staff.actor();
    let result = match editing {
        Some(id) => {
            state
                .store
                .update_appeal(&actor, desk.scope, id, state.now(), &input)
                .await
        }
        None => {
            state
                .store
                .create_appeal(&actor, desk.scope, state.now(), &input)
                .await
        }
    };
    match result {
        Ok(_) => Ok(see_other(format!("{}/appeals?saved=1", desk.base()))),
        Err(StoreError::Invalid { field, message }) => {
            render(state, request, desk, refused(field, message)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /console/organs/{organ_id}/appeals`.
pub async fn create(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    WebForm(form): WebForm<AppealForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let desk = Desk::open(&state, &request, &raw, Permission::HandleCases).await?;
    save(&state, &request, &desk, None, &form).await
}

/// `GET /console/organs/{organ_id}/appeals/{appeal_id}`.
pub async fn edit(
    State(state): State<AppState>,
    WebPath((raw, raw_id)): WebPath<(String, String)>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Desk::open(&state, &request, &raw, Permission::HandleCases).await?;
    let id: i64 = path_id(&raw_id)?;
    let appeal = state.store.appeal(desk.scope, id).await?;
    let form = AppealForm::of(&appeal.input);
    let page = Page {
        status: StatusCode::OK,
        form: &form,
        errors: BTreeMap::new(),
        editing: Some(id),
        saved: false,
    };
    render(&state, &request, &desk, page).await
}

/// `POST /console/organs/{organ_id}/appeals/{appeal_id}`.
pub async fn update(
    State(state): State<AppState>,
    WebPath((raw, raw_id)): WebPath<(String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<AppealForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let desk = Desk::open(&state, &request, &raw, Permission::HandleCases).await?;
    let id: i64 = path_id(&raw_id)?;
    // Another organ's appeal is not found here, before anything is written.
    state.store.appeal(desk.scope, id).await?;
    save(&state, &request, &desk, Some(id), &form).await
}
