//! The console's application office: the queue, intake, the case page and its steps, notices,
//! 复议/诉讼, notice settings, the calendar's notices and API tokens.
//!
//! Every organ route first gets an `OrganScope` from the role check (own organ and a role
//! that allows it, or 403). Routes of one case get the scope of any role on the organ, look the
//! case up (another organ's case is 404 for every role, never a hint that it exists), and only
//! then check the permission the page needs. Every POST checks the session's CSRF token before
//! anything else; a refused step writes nothing and shows the case page again with the reason.

mod appeals;
mod calendar;
mod case;
mod intake;
mod notice_settings;
mod notices;
mod queue;
mod steps;
mod tokens;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gongkai_store::application::{Application, ApplicationId};
use gongkai_store::organ::Organ;
use gongkai_store::{OrganId, OrganScope, Permission, Role};
use time::Date;

use crate::auth::CurrentStaff;
use crate::site::PageRequest;
use crate::{AppState, WebError};

pub(crate) use calendar::calendar_warning;
pub(crate) use queue::case_counts;

/// The templates of this area (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "console/office/queue.html",
        include_str!("../../../templates/console/office/queue.html"),
    ),
    (
        "console/office/intake.html",
        include_str!("../../../templates/console/office/intake.html"),
    ),
    (
        "console/office/intake_done.html",
        include_str!("../../../templates/console/office/intake_done.html"),
    ),
    (
        "console/office/case.html",
        include_str!("../../../templates/console/office/case.html"),
    ),
    (
        "console/office/notice.html",
        include_str!("../../../templates/console/office/notice.html"),
    ),
    (
        "console/office/notice_print.html",
        include_str!("../../../templates/console/office/notice_print.html"),
    ),
    (
        "console/office/notice_settings.html",
        include_str!("../../../templates/console/office/notice_settings.html"),
    ),
    (
        "console/office/appeals.html",
        include_str!("../../../templates/console/office/appeals.html"),
    ),
    (
        "console/office/appeal_form.html",
        include_str!("../../../templates/console/office/appeal_form.html"),
    ),
    (
        "console/office/appeal.html",
        include_str!("../../../templates/console/office/appeal.html"),
    ),
    (
        "console/office/calendar.html",
        include_str!("../../../templates/console/office/calendar.html"),
    ),
    (
        "console/office/tokens.html",
        include_str!("../../../templates/console/office/tokens.html"),
    ),
];

/// The routes of this area. Every organ route is also in `router::CONSOLE_ROUTES`, with the
/// permission it needs, for the role × route × organ matrix test.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/organs/{organ_id}/applications", get(queue::queue))
        .route(
            "/console/organs/{organ_id}/applications/new",
            get(intake::form).post(intake::submit),
        )
        .route(
            "/console/organs/{organ_id}/applications/{id}",
            get(case::page),
        )
        .route(
            "/console/organs/{organ_id}/applications/{id}/files/{file_id}",
            get(case::download),
        )
        .route(
            "/console/organs/{organ_id}/applications/{id}/steps/{step}",
            post(steps::take),
        )
        .route(
            "/console/organs/{organ_id}/applications/{id}/steps/extension_approved",
            post(steps::approve),
        )
        .route(
            "/console/organs/{organ_id}/applications/{id}/notices",
            post(notices::draft),
        )
        .route(
            "/console/organs/{organ_id}/applications/{id}/notices/{notice_id}",
            get(notices::page).post(notices::save),
        )
        .route(
            "/console/organs/{organ_id}/applications/{id}/notices/{notice_id}/issue",
            post(notices::issue),
        )
        .route(
            "/console/organs/{organ_id}/applications/{id}/notices/{notice_id}/print",
            get(notices::print),
        )
        .route(
            "/console/organs/{organ_id}/applications/{id}/notices/{notice_id}/docx",
            get(notices::docx),
        )
        .route(
            "/console/organs/{organ_id}/notice-settings",
            get(notice_settings::page).post(notice_settings::save),
        )
        .route(
            "/console/organs/{organ_id}/appeals",
            get(appeals::list).post(appeals::create),
        )
        .route(
            "/console/organs/{organ_id}/appeals/{appeal_id}",
            get(appeals::edit).post(appeals::update),
        )
        .route(
            "/console/organs/{organ_id}/calendar",
            get(calendar::page).post(calendar::enter),
        )
        // Every staff member's own, on no organ.
        .route("/console/tokens", get(tokens::list).post(tokens::create))
        .route("/console/tokens/{id}/revoke", post(tokens::revoke))
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

/// A date typed as `YYYY-MM-DD` (surrounding spaces ignored).
fn parse_day(text: &str) -> Option<Date> {
    gongkai_core::calendar::parse_date(text.trim())
}

/// Where a staff member works on one organ: the scope the role check gave, the organ and the
/// roles held there.
pub(crate) struct Desk {
    /// The staff member.
    pub staff: CurrentStaff,
    /// The organ.
    pub organ: Organ,
    /// The staff member's roles on it.
    pub roles: Vec<Role>,
    /// The scope of the permission asked for when the desk was opened.
    pub scope: OrganScope,
}

impl Desk {
    /// The desk of the logged-in staff member on the organ of the path, if a role there
    /// allows `permission` (403 otherwise, the same for another organ and a missing one).
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

    /// The desk and one of its organ's cases, for a staff member whose role allows
    /// `permission`. The case is looked up before the permission is checked, so that another
    /// organ's case is 404 for every role of this organ.
    async fn open_case(
        state: &AppState,
        request: &PageRequest,
        raw_organ: &str,
        raw_id: &str,
        permission: Permission,
    ) -> Result<(Desk, Application), WebError> {
        let desk = Desk::open(state, request, raw_organ, Permission::ViewConsole).await?;
        let id: ApplicationId = path_id(raw_id)?;
        let application = state.store.application(desk.scope, id).await?;
        desk.require(permission)?;
        Ok((desk, application))
    }

    /// Whether a role of the staff member here allows `permission`.
    fn can(&self, permission: Permission) -> bool {
        self.roles.iter().any(|r| r.allows(permission))
    }

    /// 403 unless a role allows `permission`.
    fn require(&self, permission: Permission) -> Result<(), WebError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }

    /// The organ's console path.
    fn base(&self) -> String {
        format!("/console/organs/{}", self.organ.id)
    }

    /// A case's page.
    fn case_path(&self, id: ApplicationId) -> String {
        format!("{}/applications/{id}", self.base())
    }
}

pub(crate) use crate::cases::{CARRIERS as FORMS, DELIVERY_METHODS as DELIVERY, ID_TYPES};

/// The label of `key` in a (key, label) table, or the key itself.
fn label_of<'a>(table: &[(&'a str, &'a str)], key: &'a str) -> &'a str {
    table
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, l)| *l)
}
