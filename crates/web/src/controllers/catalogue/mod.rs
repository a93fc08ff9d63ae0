//! The 政务公开事项标准目录 and the 表二 figures from other systems.
//!
//! On the portal, `/zwgk/bzml` publishes the organ's catalogue grouped by 事项类别 (and by 试点领域
//! where the organ uses them), one column per element. In the console, staff holding
//! `Permission::ManageCatalogue` keep the catalogue (`…/catalogue`: list, add, edit, delete,
//! import from CSV or XLSX with a template to download) and enter the 表二 figures of 行政许可,
//! 行政处罚, 行政强制 and 行政事业性收费 per year (`…/figures`, by hand or from a sheet).
//!
//! Every console route gets its scope from the role check first (403 for another organ and a
//! missing one alike); an entry of another organ is then not found (404). Every POST checks
//! the session's CSRF token before anything else. A refused form is shown again (422) with
//! what was typed and a Chinese sentence at each field; a refused import lists each bad row
//! with its number and column, and adds nothing.

mod entries;
mod figures;
mod import;
mod portal;
pub mod sheet;
mod upload;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gongkai_store::organ::Organ;
use gongkai_store::{OrganId, OrganScope, Permission};

use crate::auth::CurrentStaff;
use crate::site::PageRequest;
use crate::{AppState, WebError};

pub use portal::BZML;
use upload::IMPORT_BODY_LIMIT;

/// The area's stylesheet (the site's CSP allows no inline style).
pub const STYLESHEET_PATH: &str = "/static/catalogue.css";
const STYLESHEET: &str = include_str!("../../../templates/catalogue/catalogue.css");

/// The templates of this area (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "catalogue/bzml.html",
        include_str!("../../../templates/catalogue/bzml.html"),
    ),
    (
        "console/catalogue/list.html",
        include_str!("../../../templates/console/catalogue/list.html"),
    ),
    (
        "console/catalogue/entry.html",
        include_str!("../../../templates/console/catalogue/entry.html"),
    ),
    (
        "console/catalogue/import.html",
        include_str!("../../../templates/console/catalogue/import.html"),
    ),
    (
        "console/catalogue/figures.html",
        include_str!("../../../templates/console/catalogue/figures.html"),
    ),
];

/// The routes of this area. Every organ route is also in `router::CONSOLE_ROUTES`, with the
/// permission it needs, for the role × route × organ matrix test.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(BZML.path, get(portal::page))
        .route(STYLESHEET_PATH, get(stylesheet))
        .route("/console/organs/{organ_id}/catalogue", get(entries::list))
        .route(
            "/console/organs/{organ_id}/catalogue/new",
            get(entries::new_form).post(entries::create),
        )
        .route(
            "/console/organs/{organ_id}/catalogue/import",
            get(import::page)
                .post(import::submit)
                .layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
        )
        .route(
            "/console/organs/{organ_id}/catalogue/template.csv",
            get(import::template),
        )
        .route(
            "/console/organs/{organ_id}/catalogue/{entry_id}",
            get(entries::edit).post(entries::update),
        )
        .route(
            "/console/organs/{organ_id}/catalogue/{entry_id}/delete",
            post(entries::delete),
        )
        .route(
            "/console/organs/{organ_id}/figures",
            get(figures::page).post(figures::save),
        )
        .route(
            "/console/organs/{organ_id}/figures/import",
            post(figures::import).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
        )
        .route(
            "/console/organs/{organ_id}/figures/template.csv",
            get(figures::template),
        )
}

/// `GET /static/catalogue.css`.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// The logged-in staff member, or the way to the log-in page.
fn staff_of(request: &PageRequest) -> Result<&CurrentStaff, WebError> {
    request.staff.as_ref().ok_or(WebError::LoginRequired {
        next: request.path.clone(),
    })
}

/// A number in a path; anything else is a page that does not exist.
fn path_id<T: std::str::FromStr>(raw: &str) -> Result<T, WebError> {
    raw.parse().map_err(|_| WebError::NotFound)
}

/// A redirect after a successful POST.
fn see_other(location: String) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// A file to download: `ascii_name` for old clients, `name` (Chinese) through `filename*`.
fn download(ascii_name: &str, name: &str, content_type: &'static str, bytes: Vec<u8>) -> Response {
    let disposition = format!(
        "attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{}",
        crate::site::url_encode(name)
    );
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// A staff member at work on one organ's catalogue: the scope of `ManageCatalogue` there.
struct Workspace {
    staff: CurrentStaff,
    organ: Organ,
    scope: OrganScope,
}

impl Workspace {
    /// The workspace on the organ of the path, if a role there allows `ManageCatalogue`
    /// (403 otherwise, the same for another organ and a missing one).
    async fn open(
        state: &AppState,
        request: &PageRequest,
        raw_organ: &str,
    ) -> Result<Workspace, WebError> {
        let staff = staff_of(request)?.clone();
        let organ_id: OrganId = path_id(raw_organ)?;
        let scope = staff
            .scope(state, organ_id, Permission::ManageCatalogue)
            .await?;
        let organ = state.store.organ(scope.organ_id()).await?;
        Ok(Workspace {
            staff,
            organ,
            scope,
        })
    }

    /// The organ's console path.
    fn base(&self) -> String {
        format!("/console/organs/{}", self.organ.id)
    }

    /// The catalogue's console path.
    fn catalogue(&self) -> String {
        format!("{}/catalogue", self.base())
    }
}
