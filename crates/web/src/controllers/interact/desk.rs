//! Where a staff member works on one organ's 互动交流: the scope the role check gave, the organ
//! and the roles held there; and the small helpers of the console pages.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_store::organ::Organ;
use gongkai_store::{OrganId, OrganScope, Permission, Role};

use crate::auth::CurrentStaff;
use crate::site::PageRequest;
use crate::{AppState, WebError};

/// The logged-in staff member, or the way to the log-in page.
pub(super) fn staff_of(request: &PageRequest) -> Result<&CurrentStaff, WebError> {
    request.staff.as_ref().ok_or(WebError::LoginRequired {
        next: request.path.clone(),
    })
}

/// A number in a path; anything else is a page that does not exist.
pub(super) fn path_id(raw: &str) -> Result<i64, WebError> {
    raw.parse().map_err(|_| WebError::NotFound)
}

/// A redirect after a successful POST.
pub(super) fn see_other(location: String) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// A staff member's desk on one organ.
pub(super) struct Desk {
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
    /// The desk of the logged-in staff member on the organ of the path, if a role there allows
    /// `permission` (403 otherwise, the same for another organ and a missing one).
    pub async fn open(
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

    /// The desk for a POST: the CSRF token is checked before anything else.
    pub async fn open_for_post(
        state: &AppState,
        request: &PageRequest,
        raw_organ: &str,
        permission: Permission,
        csrf: &str,
    ) -> Result<Desk, WebError> {
        staff_of(request)?.check_csrf(state, csrf)?;
        Desk::open(state, request, raw_organ, permission).await
    }

    /// Whether a role of the staff member here allows `permission`.
    pub fn can(&self, permission: Permission) -> bool {
        self.roles.iter().any(|r| r.allows(permission))
    }

    /// The organ's console path.
    pub fn base(&self) -> String {
        format!("/console/organs/{}", self.organ.id)
    }
}
