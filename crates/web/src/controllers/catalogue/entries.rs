//! The catalogue in the console (`…/catalogue`): the list with each entry's 公开时限 as the
//! rule it was read as (or flagged as unreadable), and the form to add, change and delete an
//! entry. The 公开渠道和载体 are ticked from the standard list, with others written out.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_store::StoreError;
use gongkai_store::catalogue::{
    CHANNELS, CatalogueEntry, ELEMENTS, EntryId, EntryInput, Mode, PILOT_AREAS, overdue, pilot_area,
};
use minijinja::{Value, context};
use serde::Deserialize;

use super::{Workspace, path_id, see_other, staff_of};
use crate::controllers::{WebForm, WebPath, WebQuery};
use crate::site::PageRequest;
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// The entry form, read from its pairs: `channel` is sent once per ticked box.
#[derive(Debug, Default, Clone)]
pub struct EntryForm {
    csrf: String,
    category: String,
    name: String,
    content: String,
    basis: String,
    subject: String,
    time_limit: String,
    channels: Vec<String>,
    other_channels: String,
    mode: String,
    audience: String,
    pilot_area: String,
}

const fn max(i: usize) -> usize {
    ELEMENTS[i].max_chars
}

impl Bounded for EntryForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("category", "事项类别", max(0)),
        Bound::line("name", "事项名称", max(1)),
        Bound::lines("content", "公开内容", max(2)),
        Bound::lines("basis", "公开依据", max(3)),
        Bound::line("subject", "公开主体", max(4)),
        Bound::line("time_limit", "公开时限", max(5)),
        Bound::line("channel", "公开渠道和载体", 40),
        Bound::line("other_channels", "其他渠道和载体", max(6)),
        Bound::line("mode", "公开方式", 20),
        Bound::line("audience", "公开对象", max(8)),
        Bound::line("pilot_area", "试点领域", 4),
    ];
}

impl<'de> Deserialize<'de> for EntryForm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pairs = Vec::<(String, String)>::deserialize(d)?;
        let mut form = EntryForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "csrf" => form.csrf = value,
                "category" => form.category = value,
                "name" => form.name = value,
                "content" => form.content = value,
                "basis" => form.basis = value,
                "subject" => form.subject = value,
                "time_limit" => form.time_limit = value,
                "channel" => form.channels.push(value),
                "other_channels" => form.other_channels = value,
                "mode" => form.mode = value,
                "audience" => form.audience = value,
                "pilot_area" => form.pilot_area = value,
                _ => {}
            }
        }
        Ok(form)
    }
}

/// Text typed in a form as kept: line breaks as `\n`, trimmed.
fn cleaned(text: &str) -> String {
    text.replace("\r\n", "\n").trim().to_owned()
}

impl EntryForm {
    /// A new entry's form: 主动, on the government website.
    fn blank() -> EntryForm {
        EntryForm {
            mode: Mode::Proactive.key().into(),
            channels: vec![CHANNELS[0].to_owned()],
            ..EntryForm::default()
        }
    }

    fn of(input: &EntryInput) -> EntryForm {
        let parts: Vec<&str> = input
            .channels
            .split('、')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        EntryForm {
            category: input.category.clone(),
            name: input.name.clone(),
            content: input.content.clone(),
            basis: input.basis.clone(),
            subject: input.subject.clone(),
            time_limit: input.time_limit.clone(),
            channels: parts
                .iter()
                .filter(|p| CHANNELS.contains(p))
                .map(|p| (*p).to_owned())
                .collect(),
            other_channels: parts
                .iter()
                .filter(|p| !CHANNELS.contains(p))
                .copied()
                .collect::<Vec<_>>()
                .join("、"),
            mode: input.mode.key().into(),
            audience: input.audience.clone(),
            pilot_area: input.pilot_area.map(|n| n.to_string()).unwrap_or_default(),
            ..EntryForm::default()
        }
    }

    /// The entry, or the sentence for each field that cannot be read or kept.
    fn input(&self) -> Result<EntryInput, BTreeMap<&'static str, String>> {
        let mut errors = BTreeMap::new();
        let mode = Mode::from_key(&self.mode);
        if mode.is_none() {
            errors.insert("mode", "请选择「公开方式」：主动或依申请。".to_owned());
        }
        let pilot_area = match self.pilot_area.trim() {
            "" => None,
            text => match text.parse::<u8>().ok().and_then(pilot_area) {
                Some(area) => Some(area.number),
                None => {
                    errors.insert("pilot_area", "请从列表中选择试点领域。".to_owned());
                    None
                }
            },
        };
        // The ticked standard channels in the standard order, then the others as written.
        let mut channels: Vec<String> = CHANNELS
            .iter()
            .filter(|c| self.channels.iter().any(|t| t == *c))
            .map(|c| (*c).to_owned())
            .collect();
        for other in self
            .other_channels
            .split(['、', ',', '，', ';', '；'])
            .map(str::trim)
            .filter(|o| !o.is_empty())
        {
            if !channels.iter().any(|c| c == other) {
                channels.push(other.to_owned());
            }
        }
        let input = EntryInput {
            category: cleaned(&self.category),
            name: cleaned(&self.name),
            content: cleaned(&self.content),
            basis: cleaned(&self.basis),
            subject: cleaned(&self.subject),
            time_limit: cleaned(&self.time_limit),
            channels: channels.join("、"),
            mode: mode.unwrap_or(Mode::Proactive),
            audience: cleaned(&self.audience),
            pilot_area,
        };
        for (field, message) in input.problems() {
            errors.entry(field).or_insert(message);
        }
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }

    fn context(&self) -> Value {
        context! {
            category => self.category.clone(),
            name => self.name.clone(),
            content => self.content.clone(),
            basis => self.basis.clone(),
            subject => self.subject.clone(),
            time_limit => self.time_limit.clone(),
            other_channels => self.other_channels.clone(),
            mode => self.mode.clone(),
            audience => self.audience.clone(),
            pilot_area => self.pilot_area.clone(),
        }
    }
}

/// What the console says it understood of a 公开时限.
fn rule_text(input: &EntryInput) -> Option<String> {
    input.rule().map(|r| r.to_string())
}

/// What the list shows of an entry beside its elements: how many items fulfil it and, when
/// its 公开时限 has passed without one published, why it is overdue. Internal to the console:
/// `/zwgk/bzml` shows neither.
#[derive(Default)]
struct Standing {
    items: i64,
    overdue: Option<String>,
}

fn row(entry: &CatalogueEntry, serial: usize, base: &str, standing: &Standing) -> Value {
    let i = &entry.input;
    context! {
        items => standing.items,
        overdue => standing.overdue.clone(),
        serial => serial,
        category => i.category.clone(),
        name => i.name.clone(),
        time_limit => i.time_limit.clone(),
        rule => rule_text(i),
        mode => i.mode.label(),
        pilot_area => i.pilot_area.and_then(pilot_area).map(|a| a.label),
        path => format!("{base}/{}", entry.id),
    }
}

/// A note on the list after a redirect.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
    count: String,
    ignored: String,
}

impl Bounded for DoneQuery {
    const FIELDS: &'static [Bound] = &[
        Bound::line("done", "结果", 20),
        Bound::line("count", "条数", 10),
        Bound::line("ignored", "未导入的列", 160),
    ];
}

/// `GET /console/organs/{organ_id}/catalogue`.
pub async fn list(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    WebQuery(query): WebQuery<DoneQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Workspace::open(&state, &request, &raw).await?;
    let entries = state.store.catalogue_entries(desk.scope).await?;
    let base = desk.catalogue();
    let counts = state.store.catalogue_item_counts(desk.scope).await?;
    let latest = state.store.latest_publication_by_entry(desk.scope).await?;
    let calendar = state.calendar().await?;
    // A year without calendar data makes the flags unknowable, not the page unusable.
    let (overdue, overdue_problem) =
        match overdue::overdue(&entries, &latest, &calendar, state.today()) {
            Ok(found) => (found, None),
            Err(e) => (Vec::new(), Some(format!("无法计算事项是否逾期：{e}"))),
        };
    let standing = |id: EntryId| Standing {
        items: counts.iter().find(|(e, _)| *e == id).map_or(0, |(_, n)| *n),
        overdue: overdue
            .iter()
            .find(|o| o.entry == id)
            .map(|o| o.explanation.clone()),
    };
    let rows: Vec<Value> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| row(e, i + 1, &base, &standing(e.id)))
        .collect();
    let unparsed = entries.iter().filter(|e| e.input.rule().is_none()).count();
    let done = match query.done.as_str() {
        "saved" => Some("已保存。".to_owned()),
        "deleted" => Some("已删除。".to_owned()),
        "imported" => Some(format!(
            "已导入 {} 条事项。",
            query.count.parse::<usize>().unwrap_or(0)
        )),
        _ => None,
    };
    let ctx = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        entries => rows,
        unparsed => unparsed,
        overdue_count => overdue.len(),
        overdue_problem => overdue_problem,
        done => done,
        ignored => (query.done == "imported" && !query.ignored.is_empty()).then_some(query.ignored.clone()),
        base => base,
        portal => super::BZML.path,
    };
    let html = state
        .render(
            &request,
            "console/catalogue/list.html",
            "政务公开事项标准目录",
            None,
            ctx,
        )
        .await?;
    Ok(html.into_response())
}

/// Everything the entry page shows.
struct Page<'a> {
    status: StatusCode,
    form: &'a EntryForm,
    errors: BTreeMap<&'static str, String>,
    editing: Option<EntryId>,
    refusal: Option<String>,
}

async fn render(
    state: &AppState,
    request: &PageRequest,
    desk: &Workspace,
    page: Page<'_>,
) -> Result<Response, WebError> {
    let base = desk.catalogue();
    let channels: Vec<Value> = CHANNELS
        .iter()
        .enumerate()
        .map(|(i, c)| {
            context! {
                id => format!("channel-{i}"),
                label => *c,
                checked => page.form.channels.iter().any(|t| t == c),
            }
        })
        .collect();
    let modes: Vec<Value> = Mode::ALL
        .iter()
        .map(|m| context! { key => m.key(), label => m.label() })
        .collect();
    let areas: Vec<Value> = PILOT_AREAS
        .iter()
        .map(|a| context! { number => a.number.to_string(), label => a.label })
        .collect();
    let rule =
        gongkai_store::catalogue::time_limit::parse(&page.form.time_limit).map(|r| r.to_string());
    let labels: BTreeMap<&str, &str> = ELEMENTS.iter().map(|e| (e.key, e.label)).collect();
    let action = match page.editing {
        Some(id) => format!("{base}/{id}"),
        None => format!("{base}/new"),
    };
    let title = if page.editing.is_some() {
        "修改目录事项"
    } else {
        "添加目录事项"
    };
    let ctx = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        heading => title,
        base => base,
        action => action,
        editing => page.editing,
        form => page.form.context(),
        errors => if page.errors.is_empty() { Value::from(()) } else { crate::site::ser(&page.errors) },
        channels => channels,
        modes => modes,
        areas => areas,
        labels => labels,
        rule => rule,
        show_rule => !page.form.time_limit.trim().is_empty(),
        refusal => page.refusal,
    };
    let html = state
        .render(request, "console/catalogue/entry.html", title, None, ctx)
        .await?;
    Ok((page.status, html).into_response())
}

/// `GET /console/organs/{organ_id}/catalogue/new`.
pub async fn new_form(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Workspace::open(&state, &request, &raw).await?;
    let form = EntryForm::blank();
    let page = Page {
        status: StatusCode::OK,
        form: &form,
        errors: BTreeMap::new(),
        editing: None,
        refusal: None,
    };
    render(&state, &request, &desk, page).await
}

/// Saves a new or changed entry; a refused field shows the form again (422).
async fn save(
    state: &AppState,
    request: &PageRequest,
    desk: &Workspace,
    editing: Option<EntryId>,
    form: &EntryForm,
) -> Result<Response, WebError> {
    let refused = |errors| Page {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        form,
        errors,
        editing,
        refusal: None,
    };
    let input = match form.input() {
        Ok(input) => input,
        Err(errors) => return render(state, request, desk, refused(errors)).await,
    };
    let actor = desk.staff.actor();
    let result = match editing {
        Some(id) => {
            state
                .store
                .update_catalogue_entry(&actor, desk.scope, id, state.now(), &input)
                .await
        }
        None => {
            state
                .store
                .create_catalogue_entry(&actor, desk.scope, state.now(), &input)
                .await
        }
    };
    match result {
        Ok(_) => Ok(see_other(format!("{}?done=saved", desk.catalogue()))),
        Err(StoreError::Invalid { field, message }) => {
            render(
                state,
                request,
                desk,
                refused(BTreeMap::from([(field, message)])),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /console/organs/{organ_id}/catalogue/new`.
pub async fn create(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    WebForm(form): WebForm<EntryForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let desk = Workspace::open(&state, &request, &raw).await?;
    save(&state, &request, &desk, None, &form).await
}

/// `GET /console/organs/{organ_id}/catalogue/{entry_id}`.
pub async fn edit(
    State(state): State<AppState>,
    WebPath((raw, raw_id)): WebPath<(String, String)>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Workspace::open(&state, &request, &raw).await?;
    let id: EntryId = path_id(&raw_id)?;
    let entry = state.store.catalogue_entry(desk.scope, id).await?;
    let form = EntryForm::of(&entry.input);
    let page = Page {
        status: StatusCode::OK,
        form: &form,
        errors: BTreeMap::new(),
        editing: Some(id),
        refusal: None,
    };
    render(&state, &request, &desk, page).await
}

/// `POST /console/organs/{organ_id}/catalogue/{entry_id}`.
pub async fn update(
    State(state): State<AppState>,
    WebPath((raw, raw_id)): WebPath<(String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<EntryForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let desk = Workspace::open(&state, &request, &raw).await?;
    let id: EntryId = path_id(&raw_id)?;
    // Another organ's entry is not found here, before anything is written.
    state.store.catalogue_entry(desk.scope, id).await?;
    save(&state, &request, &desk, Some(id), &form).await
}

/// The delete button's form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeleteForm {
    csrf: String,
}

impl Bounded for DeleteForm {
    const FIELDS: &'static [Bound] = &[Bound::line("csrf", "校验码", 128)];
}

/// `POST /console/organs/{organ_id}/catalogue/{entry_id}/delete`. An entry that information
/// items fulfil is not deleted: the entry's page says why (409).
pub async fn delete(
    State(state): State<AppState>,
    WebPath((raw, raw_id)): WebPath<(String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<DeleteForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let desk = Workspace::open(&state, &request, &raw).await?;
    let id: EntryId = path_id(&raw_id)?;
    let entry = state.store.catalogue_entry(desk.scope, id).await?;
    let actor = desk.staff.actor();
    match state
        .store
        .delete_catalogue_entry(&actor, desk.scope, id, state.now())
        .await
    {
        Ok(()) => Ok(see_other(format!("{}?done=deleted", desk.catalogue()))),
        Err(StoreError::NotAllowed(message)) => {
            let form = EntryForm::of(&entry.input);
            let page = Page {
                status: StatusCode::CONFLICT,
                form: &form,
                errors: BTreeMap::new(),
                editing: Some(id),
                refusal: Some(message),
            };
            render(&state, &request, &desk, page).await
        }
        Err(e) => Err(e.into()),
    }
}
