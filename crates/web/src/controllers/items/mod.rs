//! Proactive disclosure (主动公开): information items under review-before-publish in the
//! console, and their columns, pages, feeds and sitemap entries on the portal.
//!
//! - [`console`]: the organ's items (drafts, in review, 待我审核, published, withdrawn), the
//!   editor's form, an item's page with its history and the step forms, the art. 26 list.
//! - [`settings`]: the organ's review chain, 索引号 pattern and 主题分类 (administrators).
//! - [`portal`]: the 政府信息公开目录, each art. 20 category with paging, item pages with the
//!   article meta tags, the 规范性文件 list with 有效性, Atom feeds, attachments.
//! - [`publish`]: the one place where an item is created, changed or moves a step, for the
//!   console and the API alike (and, later, the search index).
//! - [`files`]: attachments: type by signature, size bound, the multipart form.
//!
//! Console routes get the organ's scope from the role check first (403 for another organ),
//! then look the item up in that scope (another organ's item is 404), then check the
//! permission the page needs. Every POST checks the session's CSRF token before anything else.

pub mod console;
pub mod files;
pub mod portal;
pub mod publish;
pub mod settings;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gongkai_core::article20::ARTICLE_20;
use gongkai_store::item::{self, Item, ItemId, KINDS, OPENNESS, VALIDITY, Version};
use gongkai_store::organ::Organ;
use gongkai_store::{OrganId, OrganScope, Permission, Role};
use minijinja::{Value, context};

use crate::auth::CurrentStaff;
use crate::site::{Column, PageRequest};
use crate::{AppState, WebError};

/// The templates of this area (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "items/list.html",
        include_str!("../../../templates/items/list.html"),
    ),
    (
        "items/column.html",
        include_str!("../../../templates/items/column.html"),
    ),
    (
        "items/item.html",
        include_str!("../../../templates/items/item.html"),
    ),
    (
        "items/gfxwj.html",
        include_str!("../../../templates/items/gfxwj.html"),
    ),
    (
        "console/items/list.html",
        include_str!("../../../templates/console/items/list.html"),
    ),
    (
        "console/items/form.html",
        include_str!("../../../templates/console/items/form.html"),
    ),
    (
        "console/items/item.html",
        include_str!("../../../templates/console/items/item.html"),
    ),
    (
        "console/items/deadlines.html",
        include_str!("../../../templates/console/items/deadlines.html"),
    ),
    (
        "console/items/settings.html",
        include_str!("../../../templates/console/items/settings.html"),
    ),
];

/// The largest item form (two attachments of the largest size and the text): larger bodies
/// get 413; a single file over [`files::MAX_FILE_BYTES`] gets its message at the field.
const MAX_FORM_BYTES: usize = 2 * files::MAX_FILE_BYTES + 1024 * 1024;

/// The routes of this area. Every organ route is also in `router::CONSOLE_ROUTES`, with the
/// permission it needs, for the role × route × organ matrix test.
pub fn routes() -> Router<AppState> {
    let forms = Router::new()
        .route(
            "/console/organs/{organ_id}/items/new",
            get(console::new_form).post(console::create),
        )
        .route(
            "/console/organs/{organ_id}/items/{item_id}/edit",
            get(console::edit_form).post(console::save),
        )
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES));
    Router::new()
        .merge(forms)
        .route("/console/organs/{organ_id}/items", get(console::list))
        .route(
            "/console/organs/{organ_id}/items/deadlines",
            get(console::deadlines),
        )
        .route(
            "/console/organs/{organ_id}/items/{item_id}",
            get(console::page),
        )
        .route(
            "/console/organs/{organ_id}/items/{item_id}/files/{file_id}",
            get(console::download),
        )
        .route(
            "/console/organs/{organ_id}/items/{item_id}/submit",
            post(console::submit),
        )
        .route(
            "/console/organs/{organ_id}/items/{item_id}/review",
            post(console::review),
        )
        .route(
            "/console/organs/{organ_id}/items/{item_id}/withdraw",
            post(console::withdraw),
        )
        .route(
            "/console/organs/{organ_id}/items/{item_id}/validity",
            post(console::validity),
        )
        .route(
            "/console/organs/{organ_id}/item-settings",
            get(settings::page).post(settings::save),
        )
        // The portal.
        .route("/zwgk/xxgk", get(portal::catalogue))
        .route("/zwgk/xxgk/{item_id}", get(portal::page))
        .route(
            "/zwgk/xxgk/{item_id}/files/{file_id}",
            get(portal::download),
        )
        .route("/zwgk/gfxwj", get(portal::normative))
        .route("/zwgk/atom.xml", get(portal::feed_all))
        .route(
            "/zwgk/fdzdgknr/{number}/atom.xml",
            get(portal::feed_category),
        )
}

/// The 政府信息公开目录: every published item of the organ.
pub const CATALOGUE: Column = Column {
    path: "/zwgk/xxgk",
    name: "政府信息公开目录",
    description: "本机关主动公开的政府信息，含索引号、主题分类、发布机构、成文日期、文号和有效性",
    keywords: "政府信息公开目录,主动公开,索引号",
    kind: "信息公开，公开目录",
};

/// 规范性文件 with their 有效性 (规章 and 行政规范性文件).
pub const NORMATIVE: Column = Column {
    path: "/zwgk/gfxwj",
    name: "规范性文件",
    description: "本机关制定的规章和行政规范性文件及其有效性",
    keywords: "规范性文件,规章,有效性,废止",
    kind: "信息公开，政策文件",
};

/// Items per page in every list.
pub const PAGE_SIZE: usize = 20;

/// The kinds listed under 规范性文件.
pub fn is_normative(kind: &str) -> bool {
    matches!(kind, "regulation" | "normative_document")
}

/// The public page of an item.
pub fn item_path(id: ItemId) -> String {
    format!("{}/{id}", CATALOGUE.path)
}

/// The art. 20 category's title, `（一）行政法规、规章和规范性文件`.
pub fn category_title(number: u8) -> Option<String> {
    ARTICLE_20
        .iter()
        .find(|i| i.number == number)
        .map(|i| format!("{}{}", i.numeral, i.text))
}

/// Beijing date of a Unix time, `YYYY-MM-DD`.
fn day_of(unix: i64) -> String {
    gongkai_core::calendar::format_date(crate::site::beijing_date(unix))
}

fn date_text(date: Option<time::Date>) -> String {
    date.map(gongkai_core::calendar::format_date)
        .unwrap_or_default()
}

/// A version's metadata for templates (the metadata table of a 目录 entry).
pub fn version_view(item: &Item, version: &Version) -> Value {
    let c = &version.content;
    let p = item.progress();
    let validity = &p.validity;
    context! {
        id => item.id,
        path => item_path(item.id),
        index_number => item.index_number.clone().unwrap_or_default(),
        title => c.title.clone(),
        doc_number => c.doc_number.clone(),
        publisher => c.publisher.clone(),
        formed => date_text(c.formed),
        topic => c.topic.clone(),
        kind => c.kind.clone(),
        kind_label => item::label(&KINDS, &c.kind),
        article20 => c.article20,
        category => c.article20.and_then(category_title),
        openness => item::label(&OPENNESS, &c.openness),
        openness_reason => c.openness_reason.clone(),
        validity => item::label(&VALIDITY, &validity.key),
        validity_key => validity.key.clone(),
        validity_since => date_text(validity.since),
        validity_by => validity.by,
        published => p.first_published.map(|(at, _)| day_of(at)).unwrap_or_default(),
        published_time => p.first_published.map(|(at, _)| crate::site::format_time(at)),
        updated => p.updated.map(|(at, _)| day_of(at)),
        keywords => c.keywords.clone(),
        summary => c.summary.clone(),
        files => version.files.iter().map(|f| context! {
            id => f.id,
            name => f.file_name.clone(),
            size => human_size(f.size),
            kind => files::type_label(&f.content_type),
        }).collect::<Vec<_>>(),
    }
}

/// `12.3 KB`, `4.5 MB`.
fn human_size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if b >= 1024.0 * 1024.0 {
        format!("{:.1} MB", b / 1024.0 / 1024.0)
    } else {
        format!("{:.1} KB", (b / 1024.0).max(0.1))
    }
}

/// Sanitised again on output: what is stored was sanitised, but a page never trusts it.
pub fn body_html(version: &Version) -> Value {
    Value::from_safe_string(item::clean_html(&version.content.body))
}

/// A redirect after a successful POST.
fn see_other(location: String) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// A number in a path; anything else is a page that does not exist.
fn path_id<T: std::str::FromStr>(raw: &str) -> Result<T, WebError> {
    raw.parse().map_err(|_| WebError::NotFound)
}

/// The logged-in staff member, or the way to the log-in page.
fn staff_of(request: &PageRequest) -> Result<&CurrentStaff, WebError> {
    request.staff.as_ref().ok_or(WebError::LoginRequired {
        next: request.path.clone(),
    })
}

/// Where a staff member works on items of one organ.
pub(crate) struct Desk {
    /// The staff member.
    pub staff: CurrentStaff,
    /// The organ.
    pub organ: Organ,
    /// The staff member's roles on it.
    pub roles: Vec<Role>,
    /// The scope.
    pub scope: OrganScope,
}

impl Desk {
    /// The desk on the organ of the path, if a role there allows `permission` (403 otherwise,
    /// the same for another organ and a missing one).
    async fn open(
        state: &AppState,
        request: &PageRequest,
        raw_organ: &str,
        permission: Permission,
    ) -> Result<Desk, WebError> {
        let staff = staff_of(request)?.clone();
        let organ_id: OrganId = path_id(raw_organ)?;
        let scope = staff.scope(state, organ_id, permission).await?;
        let organ = state.store.organ(scope.organ_id()).await?;
        let roles = state.store.roles_on(staff.user.id, organ_id).await?;
        Ok(Desk {
            staff,
            organ,
            roles,
            scope,
        })
    }

    /// The desk of someone who writes or reviews items here (403 otherwise).
    async fn open_items(
        state: &AppState,
        request: &PageRequest,
        raw_organ: &str,
    ) -> Result<Desk, WebError> {
        let desk = Desk::open(state, request, raw_organ, Permission::ViewConsole).await?;
        if desk.can(Permission::EditItems) || desk.can(Permission::ReviewItems) {
            Ok(desk)
        } else {
            Err(WebError::Forbidden)
        }
    }

    /// The desk and one of its organ's items, for a staff member whose role allows
    /// `permission`. The item is looked up first, so another organ's item is 404 for every
    /// role here.
    async fn open_item(
        state: &AppState,
        request: &PageRequest,
        raw_organ: &str,
        raw_item: &str,
        permission: Option<Permission>,
    ) -> Result<(Desk, Item), WebError> {
        let desk = Desk::open(state, request, raw_organ, Permission::ViewConsole).await?;
        let id: ItemId = path_id(raw_item)?;
        let item = state.store.item(desk.scope, id).await?;
        let allowed = match permission {
            Some(p) => desk.can(p),
            None => desk.can(Permission::EditItems) || desk.can(Permission::ReviewItems),
        };
        if !allowed {
            return Err(WebError::Forbidden);
        }
        Ok((desk, item))
    }

    fn can(&self, permission: Permission) -> bool {
        self.roles.iter().any(|r| r.allows(permission))
    }

    fn base(&self) -> String {
        format!("/console/organs/{}/items", self.organ.id)
    }

    fn item_path(&self, id: ItemId) -> String {
        format!("{}/{id}", self.base())
    }
}
