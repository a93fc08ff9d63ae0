//! The console's items: the list (草稿, 审核中, 待我审核, 已发布, 已撤回), the editor's form, an
//! item's page with its history, versions and the forms of the steps the viewer may take, the
//! attachments, and the art. 26 list of items near or past their 20 working days.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_core::article20::ARTICLE_20;
use gongkai_core::calendar::{format_date, parse_date};
use gongkai_core::clock::proactive_clock;
use gongkai_store::item::review::Stage;
use gongkai_store::item::{Item, ItemContent, ItemStep, KINDS, NewFile, OPENNESS, VALIDITY};
use gongkai_store::{Permission, StoreError};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::files::{self, ItemBody};
use super::publish;
use super::{Desk, see_other, staff_of, version_view};
use crate::controllers::{WebForm, WebPath, WebQuery};
use crate::site::{PageRequest, format_time};
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// Working days left at which an unpublished item is listed (art. 26 watch).
pub const WARN_DAYS: i64 = 5;

/// The editor's form: every metadata field and the body.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct ItemForm {
    #[serde(skip_serializing)]
    csrf: String,
    title: String,
    doc_number: String,
    publisher: String,
    formed: String,
    topic: String,
    kind: String,
    article20: String,
    openness: String,
    openness_reason: String,
    interprets: String,
    catalogue_entry: String,
    keywords: String,
    summary: String,
    body: String,
    #[serde(skip_serializing)]
    keep: String,
}

impl Bounded for ItemForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("title", "标题", 200),
        Bound::line("doc_number", "文号", 60),
        Bound::line("publisher", "发布机构", 100),
        Bound::line("formed", "成文日期", 20),
        Bound::line("topic", "主题分类", 40),
        Bound::line("kind", "体裁", 40),
        Bound::line("article20", "条例第二十条类别", 4),
        Bound::line("openness", "公开属性", 20),
        Bound::lines("openness_reason", "不予公开理由", 500),
        Bound::line("interprets", "所解读的文件", 20),
        Bound::line("catalogue_entry", "标准目录事项", 20),
        Bound::line("keywords", "关键词", 100),
        Bound::lines("summary", "内容概述", 500),
        Bound::lines("body", "正文", 100_000),
        Bound::line("keep", "保留附件", 20),
    ];
}

impl ItemForm {
    fn of(content: &ItemContent) -> ItemForm {
        ItemForm {
            title: content.title.clone(),
            doc_number: content.doc_number.clone(),
            publisher: content.publisher.clone(),
            formed: content.formed.map(format_date).unwrap_or_default(),
            topic: content.topic.clone(),
            kind: content.kind.clone(),
            article20: content.article20.map(|n| n.to_string()).unwrap_or_default(),
            openness: content.openness.clone(),
            openness_reason: content.openness_reason.clone(),
            interprets: content
                .interprets
                .map(|n| n.to_string())
                .unwrap_or_default(),
            catalogue_entry: content
                .catalogue_entry
                .map(|n| n.to_string())
                .unwrap_or_default(),
            keywords: content.keywords.clone(),
            summary: content.summary.clone(),
            body: content.body.clone(),
            ..ItemForm::default()
        }
    }

    /// The content, or every field that cannot be read.
    fn content(&self) -> Result<ItemContent, BTreeMap<&'static str, String>> {
        let mut errors = BTreeMap::new();
        let formed = match self.formed.trim() {
            "" => None,
            text => match parse_date(text) {
                Some(d) => Some(d),
                None => {
                    errors.insert("formed", "成文日期的格式应为 YYYY-MM-DD。".to_owned());
                    None
                }
            },
        };
        let article20 = match self.article20.trim() {
            "" => None,
            text => match text.parse::<u8>() {
                Ok(n) if (1..=15).contains(&n) => Some(n),
                _ => {
                    errors.insert("article20", "请从第二十条的 15 项中选择。".to_owned());
                    None
                }
            },
        };
        let interprets = match self.interprets.trim() {
            "" => None,
            text => match text.parse() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.insert("interprets", "请从列表中选择所解读的文件。".to_owned());
                    None
                }
            },
        };
        let catalogue_entry = match self.catalogue_entry.trim() {
            "" => None,
            text => match text.parse() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.insert(
                        "catalogue_entry",
                        "请从本机关的标准目录中选择所对应的事项。".to_owned(),
                    );
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ItemContent {
            title: self.title.trim().to_owned(),
            doc_number: self.doc_number.trim().to_owned(),
            publisher: self.publisher.trim().to_owned(),
            formed,
            topic: self.topic.trim().to_owned(),
            kind: self.kind.clone(),
            article20,
            openness: self.openness.clone(),
            openness_reason: self.openness_reason.replace("\r\n", "\n"),
            interprets,
            keywords: self.keywords.trim().to_owned(),
            summary: self.summary.replace("\r\n", "\n").trim().to_owned(),
            body: self.body.replace("\r\n", "\n"),
            catalogue_entry,
        })
    }
}

fn choices(table: &[(&'static str, &'static str)]) -> Vec<Value> {
    table
        .iter()
        .map(|(k, l)| context! { key => *k, label => *l })
        .collect()
}

/// Everything the form page shows.
struct FormPage<'a> {
    status: StatusCode,
    form: &'a ItemForm,
    errors: BTreeMap<&'static str, String>,
    editing: Option<&'a Item>,
}

async fn render_form(
    state: &AppState,
    request: &PageRequest,
    desk: &Desk,
    page: FormPage<'_>,
) -> Result<Response, WebError> {
    let settings = state.store.item_settings(desk.scope).await?;
    let own = page.editing.map(|i| i.id);
    let policies: Vec<Value> = state
        .store
        .items(desk.scope)
        .await?
        .iter()
        .filter(|i| Some(i.id) != own && i.stage() != Stage::Withdrawn)
        .map(|i| {
            let w = i.working();
            context! {
                id => i.id.to_string(),
                title => w.content.title.clone(),
                doc_number => w.content.doc_number.clone(),
            }
        })
        .collect();
    let entries: Vec<Value> = state
        .store
        .catalogue_entries(desk.scope)
        .await?
        .iter()
        .map(|e| {
            context! {
                id => e.id.to_string(),
                category => e.input.category.clone(),
                name => e.input.name.clone(),
            }
        })
        .collect();
    let files: Vec<Value> = page
        .editing
        .map(|i| {
            i.working()
                .files
                .iter()
                .map(|f| context! { id => f.id, name => f.file_name.clone(), kind => files::type_label(&f.content_type) })
                .collect()
        })
        .unwrap_or_default();
    let articles: Vec<Value> = ARTICLE_20
        .iter()
        .map(|i| context! { number => i.number.to_string(), title => format!("{}{}", i.numeral, i.text) })
        .collect();
    let (action, title) = match page.editing {
        Some(item) => (
            format!("{}/edit", desk.item_path(item.id)),
            if item.stage().is_public() {
                "修订已发布的信息"
            } else {
                "修改信息"
            },
        ),
        None => (format!("{}/new", desk.base()), "起草信息"),
    };
    let ctx = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        heading => title,
        action => action,
        form => crate::site::ser(page.form),
        errors => if page.errors.is_empty() { Value::from(()) } else { crate::site::ser(&page.errors) },
        kinds => choices(&KINDS),
        openness => choices(&OPENNESS),
        topics => settings.topics,
        articles => articles,
        policies => policies,
        entries => entries,
        files => files,
        editing => page.editing.map(|i| i.id),
        public => page.editing.is_some_and(|i| i.stage().is_public()),
        max_mb => files::MAX_FILE_BYTES / 1024 / 1024,
    };
    let html = state
        .render(request, "console/items/form.html", title, None, ctx)
        .await?;
    Ok((page.status, html).into_response())
}

/// `GET /console/organs/{organ_id}/items/new`.
pub async fn new_form(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Desk::open(&state, &request, &raw, Permission::EditItems).await?;
    let settings = state.store.item_settings(desk.scope).await?;
    let form = ItemForm {
        kind: "other".into(),
        openness: "proactive".into(),
        topic: settings.topics.first().cloned().unwrap_or_default(),
        formed: format_date(state.today()),
        publisher: desk.organ.settings.name.clone(),
        ..ItemForm::default()
    };
    let page = FormPage {
        status: StatusCode::OK,
        form: &form,
        errors: BTreeMap::new(),
        editing: None,
    };
    render_form(&state, &request, &desk, page).await
}

/// Checks the body, then creates or saves through [`publish`]; any refusal shows the form
/// again (422) with every typed value and nothing saved.
async fn store_form(
    state: &AppState,
    request: &PageRequest,
    desk: &Desk,
    editing: Option<&Item>,
    body: &ItemBody<ItemForm>,
) -> Result<Response, WebError> {
    let refused = |errors: BTreeMap<&'static str, String>| FormPage {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        form: &body.form,
        errors,
        editing,
    };
    let mut errors = match body.form.content() {
        Ok(_) => BTreeMap::new(),
        Err(errors) => errors,
    };
    if !body.problems.is_empty() {
        errors.insert("files", body.problems.join(""));
    }
    let content = match body.form.content() {
        Ok(content) if errors.is_empty() => content,
        _ => return render_form(state, request, desk, refused(errors)).await,
    };
    let new_files: Vec<NewFile> = body
        .uploads
        .iter()
        .map(|u| NewFile {
            file_name: u.file_name.clone(),
            content_type: u.content_type.to_owned(),
            bytes: u.bytes.clone(),
        })
        .collect();
    let actor = desk.staff.actor();
    let result = match editing {
        Some(item) => {
            publish::edit(
                state, &actor, desk.scope, item.id, &content, &body.keep, &new_files,
            )
            .await
        }
        None => publish::create(state, &actor, desk.scope, &content, &new_files).await,
    };
    match result {
        Ok(item) => Ok(see_other(format!("{}?saved=1", desk.item_path(item.id)))),
        Err(StoreError::Invalid { field, message }) => {
            let mut errors = BTreeMap::new();
            errors.insert(field, message);
            if !body.uploads.is_empty() {
                errors.insert("files", "本次未保存，请重新选择要上传的附件。".into());
            }
            render_form(state, request, desk, refused(errors)).await
        }
        Err(StoreError::NotAllowed(message)) => Err(WebError::Conflict(message)),
        Err(e) => Err(e.into()),
    }
}

/// `POST /console/organs/{organ_id}/items/new` (multipart with attachments, or url-encoded).
pub async fn create(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    body: ItemBody<ItemForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &body.form.csrf)?;
    let desk = Desk::open(&state, &request, &raw, Permission::EditItems).await?;
    store_form(&state, &request, &desk, None, &body).await
}

/// `GET /console/organs/{organ_id}/items/{item_id}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    WebPath((raw, raw_item)): WebPath<(String, String)>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let (desk, item) = Desk::open_item(
        &state,
        &request,
        &raw,
        &raw_item,
        Some(Permission::EditItems),
    )
    .await?;
    let form = ItemForm::of(&item.working().content);
    let page = FormPage {
        status: StatusCode::OK,
        form: &form,
        errors: BTreeMap::new(),
        editing: Some(&item),
    };
    render_form(&state, &request, &desk, page).await
}

/// `POST /console/organs/{organ_id}/items/{item_id}/edit`.
pub async fn save(
    State(state): State<AppState>,
    WebPath((raw, raw_item)): WebPath<(String, String)>,
    request: PageRequest,
    body: ItemBody<ItemForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &body.form.csrf)?;
    let (desk, item) = Desk::open_item(
        &state,
        &request,
        &raw,
        &raw_item,
        Some(Permission::EditItems),
    )
    .await?;
    store_form(&state, &request, &desk, Some(&item), &body).await
}

/// The list's tab and page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    view: String,
}

impl Bounded for ListQuery {
    const FIELDS: &'static [Bound] = &[Bound::line("view", "分类", 20)];
}

/// Whether the viewer may take the current review step of `item`.
fn my_step(desk: &Desk, item: &Item) -> bool {
    let p = item.progress();
    p.current_step()
        .is_some_and(|s| desk.roles.contains(&s.role))
        && !item.authors().contains(&desk.staff.user.id)
}

/// `GET /console/organs/{organ_id}/items[?view=drafts|review|mine|published|withdrawn]`.
pub async fn list(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    WebQuery(query): WebQuery<ListQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Desk::open_items(&state, &request, &raw).await?;
    let items = state.store.items(desk.scope).await?;
    let view = match query.view.as_str() {
        "drafts" | "review" | "mine" | "published" | "withdrawn" => query.view.as_str(),
        _ => "all",
    };
    let mine = items.iter().filter(|i| my_step(&desk, i)).count();
    let rows: Vec<Value> = items
        .iter()
        .filter(|i| {
            let stage = i.stage();
            match view {
                "drafts" => matches!(stage, Stage::Draft | Stage::Revising),
                "review" => stage.in_review(),
                "mine" => my_step(&desk, i),
                "published" => stage.is_public(),
                "withdrawn" => stage == Stage::Withdrawn,
                _ => true,
            }
        })
        .map(|i| {
            let w = i.working();
            let p = i.progress();
            context! {
                path => desk.item_path(i.id),
                title => w.content.title.clone(),
                index_number => i.index_number.clone().unwrap_or_default(),
                kind => gongkai_store::item::label(&KINDS, &w.content.kind),
                stage => p.stage.label(),
                step => p.current_step().map(|s| s.name.clone()),
                returned => p.returned.is_some(),
                updated => format_time(w.created_at),
            }
        })
        .collect();
    let ctx = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        view => view,
        rows => rows,
        mine => mine,
        can_edit => desk.can(Permission::EditItems),
        can_settings => desk.can(Permission::ViewSettings),
    };
    let html = state
        .render(
            &request,
            "console/items/list.html",
            "主动公开信息",
            None,
            ctx,
        )
        .await?;
    Ok(html.into_response())
}

/// The confirmation after a save or a step.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    saved: String,
}

impl Bounded for DoneQuery {
    const FIELDS: &'static [Bound] = &[Bound::line("saved", "已保存", 10)];
}

async fn render_page(
    state: &AppState,
    request: &PageRequest,
    desk: &Desk,
    item: &Item,
    status: StatusCode,
    problem: Option<String>,
    saved: bool,
) -> Result<Response, WebError> {
    let p = item.progress();
    let stage = p.stage;
    let working = item.working();
    let published = item.published();
    let can_edit = desk.can(Permission::EditItems);
    let events: Vec<Value> = item
        .events
        .iter()
        .map(|e| {
            context! {
                date => format_date(e.date),
                time => format_time(e.recorded_at),
                actor => e.actor_name.clone(),
                label => e.label(),
                comment => e.comment.clone(),
                version => item.versions.iter().find(|v| Some(v.id) == e.version_id).map(|v| v.number),
            }
        })
        .collect();
    let versions: Vec<Value> = item
        .versions
        .iter()
        .rev()
        .map(|v| {
            context! {
                number => v.number,
                title => v.content.title.clone(),
                author => v.created_by_name.clone(),
                time => format_time(v.created_at),
                published => Some(v.id) == p.published_version,
            }
        })
        .collect();
    let chain: Vec<Value> = p
        .chain
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let state = if !stage.in_review() || i < p.step {
                "done"
            } else if i == p.step {
                "current"
            } else {
                "waiting"
            };
            context! { name => s.name.clone(), role => s.role.label(), state => state }
        })
        .collect();
    let others: Vec<Value> = state
        .store
        .items(desk.scope)
        .await?
        .iter()
        .filter(|i| i.id != item.id && i.stage() != Stage::Withdrawn)
        .map(|i| context! { id => i.id.to_string(), title => i.working().content.title.clone() })
        .collect();
    let ctx = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        base => desk.item_path(item.id),
        item => version_view(item, working),
        body => super::body_html(working),
        stage => stage.label(),
        stage_key => stage.key(),
        returned => p.returned.clone(),
        current_step => p.current_step().map(|s| context! { name => s.name.clone(), role => s.role.label() }),
        chain => chain,
        events => events,
        versions => versions,
        public_path => published.filter(|_| item.public().is_some()).map(|_| super::item_path(item.id)),
        published_title => published.map(|v| v.content.title.clone()),
        can_edit_now => can_edit && matches!(stage, Stage::Draft | Stage::Published | Stage::Revising),
        can_submit => can_edit && matches!(stage, Stage::Draft | Stage::Revising),
        can_withdraw => can_edit && stage.is_public(),
        can_review => my_step(desk, item),
        own_work => p.current_step().is_some_and(|s| desk.roles.contains(&s.role)) && item.authors().contains(&desk.staff.user.id),
        validity_choices => choices(&VALIDITY),
        others => others,
        problem => problem,
        saved => saved,
        today => format_date(state.today()),
    };
    let title = working.content.title.clone();
    let html = state
        .render(request, "console/items/item.html", &title, None, ctx)
        .await?;
    Ok((status, html).into_response())
}

/// `GET /console/organs/{organ_id}/items/{item_id}`.
pub async fn page(
    State(state): State<AppState>,
    WebPath((raw, raw_item)): WebPath<(String, String)>,
    WebQuery(query): WebQuery<DoneQuery>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let (desk, item) = Desk::open_item(&state, &request, &raw, &raw_item, None).await?;
    render_page(
        &state,
        &request,
        &desk,
        &item,
        StatusCode::OK,
        None,
        !query.saved.is_empty(),
    )
    .await
}

/// `GET /console/organs/{organ_id}/items/{item_id}/files/{file_id}`: any version's file.
pub async fn download(
    State(state): State<AppState>,
    WebPath((raw, raw_item, raw_file)): WebPath<(String, String, String)>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let (desk, item) = Desk::open_item(&state, &request, &raw, &raw_item, None).await?;
    let file_id: i64 = super::path_id(&raw_file)?;
    let (file, bytes) = state.store.item_file(desk.scope, item.id, file_id).await?;
    let ext = files::extension(&file.content_type);
    let disposition = files::disposition(
        &format!("item-{}-{file_id}.{ext}", item.id),
        &file.file_name,
        false,
    );
    Ok((
        [
            (header::CONTENT_TYPE, file.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// The fields of the step forms (each uses a few).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct StepForm {
    csrf: String,
    comment: String,
    decision: String,
    validity: String,
    since: String,
    by: String,
}

impl Bounded for StepForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::lines("comment", "意见或理由", 1000),
        Bound::line("decision", "审核结论", 20),
        Bound::line("validity", "有效性", 20),
        Bound::line("since", "日期", 20),
        Bound::line("by", "修订或废止它的文件", 20),
    ];
}

/// Takes a step through [`publish::step`]; a refusal shows the item again with the reason.
async fn take(
    state: &AppState,
    request: &PageRequest,
    desk: &Desk,
    item: &Item,
    step: Result<ItemStep, String>,
) -> Result<Response, WebError> {
    let problem = |status, message: String| {
        render_page(state, request, desk, item, status, Some(message), false)
    };
    let step = match step {
        Ok(step) => step,
        Err(message) => return problem(StatusCode::UNPROCESSABLE_ENTITY, message).await,
    };
    match publish::step(state, &desk.staff.actor(), desk.scope, item.id, &step).await {
        Ok(_) => Ok(see_other(format!("{}?saved=1", desk.item_path(item.id)))),
        Err(StoreError::NotAllowed(message)) => problem(StatusCode::CONFLICT, message).await,
        Err(StoreError::Invalid { message, .. }) => {
            problem(StatusCode::UNPROCESSABLE_ENTITY, message).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST …/items/{item_id}/submit`.
pub async fn submit(
    State(state): State<AppState>,
    WebPath((raw, raw_item)): WebPath<(String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<StepForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let (desk, item) = Desk::open_item(
        &state,
        &request,
        &raw,
        &raw_item,
        Some(Permission::EditItems),
    )
    .await?;
    let step = Ok(ItemStep::Submit {
        comment: form.comment,
    });
    take(&state, &request, &desk, &item, step).await
}

/// `POST …/items/{item_id}/review`: `decision=approve|reject` with a comment.
pub async fn review(
    State(state): State<AppState>,
    WebPath((raw, raw_item)): WebPath<(String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<StepForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let (desk, item) = Desk::open_item(
        &state,
        &request,
        &raw,
        &raw_item,
        Some(Permission::ReviewItems),
    )
    .await?;
    let step = match form.decision.as_str() {
        "approve" => Ok(ItemStep::Approve {
            comment: form.comment,
        }),
        "reject" => Ok(ItemStep::Reject {
            comment: form.comment,
        }),
        _ => Err("请选择审核结论：通过或退回修改。".to_owned()),
    };
    take(&state, &request, &desk, &item, step).await
}

/// `POST …/items/{item_id}/withdraw`.
pub async fn withdraw(
    State(state): State<AppState>,
    WebPath((raw, raw_item)): WebPath<(String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<StepForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let (desk, item) = Desk::open_item(
        &state,
        &request,
        &raw,
        &raw_item,
        Some(Permission::EditItems),
    )
    .await?;
    let step = Ok(ItemStep::Withdraw {
        comment: form.comment,
    });
    take(&state, &request, &desk, &item, step).await
}

/// `POST …/items/{item_id}/validity`.
pub async fn validity(
    State(state): State<AppState>,
    WebPath((raw, raw_item)): WebPath<(String, String)>,
    request: PageRequest,
    WebForm(form): WebForm<StepForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let (desk, item) = Desk::open_item(
        &state,
        &request,
        &raw,
        &raw_item,
        Some(Permission::EditItems),
    )
    .await?;
    let step = (|| {
        let since = match form.since.trim() {
            "" => None,
            text => Some(parse_date(text).ok_or("日期的格式应为 YYYY-MM-DD。")?),
        };
        let by = match form.by.trim() {
            "" => None,
            text => Some(text.parse().map_err(|_| "请从列表中选择文件。")?),
        };
        Ok(ItemStep::Validity {
            validity: form.validity.clone(),
            since,
            by,
            comment: form.comment.clone(),
        })
    })()
    .map_err(|m: &str| m.to_owned());
    take(&state, &request, &desk, &item, step).await
}

/// `GET /console/organs/{organ_id}/items/deadlines`: 主动公开 items not yet published (or
/// whose new version is not) within [`WARN_DAYS`] working days of the 20 of art. 26, or past
/// them, each with the clock's explanation.
pub async fn deadlines(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = Desk::open_items(&state, &request, &raw).await?;
    let cal = state.calendar().await?;
    let today = state.today();
    let mut rows = Vec::new();
    for item in state.store.items(desk.scope).await? {
        let stage = item.stage();
        if matches!(stage, Stage::Published | Stage::Withdrawn) {
            continue;
        }
        let w = item.working();
        let Some(formed) = w.content.formed else {
            continue;
        };
        if w.content.openness != "proactive" {
            continue;
        }
        let report = match proactive_clock(&cal, state.clock_config, formed, None, today) {
            Ok(report) => report,
            Err(e) => {
                tracing::warn!(item.id = item.id, error = %e, "art. 26 clock");
                continue;
            }
        };
        let left = report.days_left.unwrap_or(0);
        if left > WARN_DAYS {
            continue;
        }
        rows.push((
            left,
            context! {
                path => desk.item_path(item.id),
                title => w.content.title.clone(),
                stage => stage.label(),
                formed => format_date(formed),
                due => format_date(report.due),
                left => left,
                overdue => report.overdue,
                explanation => report.explanation.clone(),
                provisional => !report.provisional_years.is_empty() || !report.assumed_years.is_empty(),
            },
        ));
    }
    rows.sort_by_key(|(left, _)| *left);
    let rows: Vec<Value> = rows.into_iter().map(|(_, v)| v).collect();
    let ctx = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        rows => rows,
        today => format_date(today),
        warn_days => WARN_DAYS,
    };
    let html = state
        .render(
            &request,
            "console/items/deadlines.html",
            "主动公开期限",
            None,
            ctx,
        )
        .await?;
    Ok(html.into_response())
}
