//! The queue (`…/applications`): the organ's open cases by due date, or its closed ones, with
//! applicants always masked (a list is read over shoulders), the 暂定 mark, overdue and
//! due-soon marks, the handler, and each due date's explanation one click away.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Html;
use gongkai_core::calendar::format_date;
use gongkai_store::application::ApplicationFilter;
use gongkai_store::{OrganScope, Permission, UserId};
use minijinja::{Value, context};
use serde::Deserialize;

use super::Desk;
use crate::cases::CaseView;
use crate::controllers::{WebPath, WebQuery};
use crate::site::PageRequest;
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// The queue's tab.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    tab: String,
}

impl Bounded for QueueQuery {
    const FIELDS: &'static [Bound] = &[Bound::line("tab", "标签", 10)];
}

/// The organ's cases on today's date, open or closed.
async fn views(
    state: &AppState,
    scope: OrganScope,
    closed: bool,
) -> Result<Vec<CaseView>, WebError> {
    let cal = state.calendar().await?;
    let today = state.today();
    let filter = ApplicationFilter { open_only: !closed };
    Ok(state
        .store
        .applications(scope, filter)
        .await?
        .into_iter()
        .map(|a| CaseView::new(a, &cal, state.clock_config, today))
        .filter(|v| v.closed() == closed)
        .collect())
}

/// Open cases by due date; those without one (paused, awaiting 补正) after, by receipt.
fn sort_open(list: &mut [CaseView]) {
    list.sort_by_key(|v| {
        let due = v.clock.as_ref().ok().and_then(|r| r.due);
        let received = v.application.received().map(|(d, _)| d);
        (due.is_none(), due, received, v.application.id)
    });
}

/// Closed cases, the latest closed first.
fn sort_closed(list: &mut [CaseView]) {
    list.sort_by_key(|v| {
        let closed = v.clock.as_ref().ok().and_then(|r| r.closed);
        (
            std::cmp::Reverse(closed),
            std::cmp::Reverse(v.application.id),
        )
    });
}

/// The display names of the organ's staff, by account.
pub(super) async fn staff_names(
    state: &AppState,
    scope: OrganScope,
) -> Result<HashMap<UserId, String>, WebError> {
    Ok(state
        .store
        .staff(scope)
        .await?
        .into_iter()
        .map(|m| (m.user.id, m.user.display_name))
        .collect())
}

fn row(v: &CaseView, names: &HashMap<UserId, String>, base: &str) -> Value {
    let a = &v.application;
    context! {
        path => format!("{base}/applications/{}", a.id),
        number => a.number.clone(),
        applicant => a.applicant.masked_name(),
        id_number => a.applicant.masked_id(),
        received => a.received().map(|(d, _)| format_date(d)),
        status => v.status_label(),
        due => v.due_label(),
        days => v.days_label(),
        overdue => v.overdue(),
        due_soon => v.due_soon(),
        provisional => v.provisional(),
        assignee => a.assignee_id.and_then(|id| names.get(&id).cloned()),
        explanation => v.explanation(),
    }
}

/// `GET /console/organs/{organ_id}/applications[?tab=closed]`.
pub async fn queue(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    WebQuery(query): WebQuery<QueueQuery>,
    request: PageRequest,
) -> Result<Html<String>, WebError> {
    let desk = Desk::open(&state, &request, &raw, Permission::ViewCases).await?;
    let closed = query.tab == "closed";
    let mut list = views(&state, desk.scope, closed).await?;
    if closed {
        sort_closed(&mut list);
    } else {
        sort_open(&mut list);
    }
    let names = staff_names(&state, desk.scope).await?;
    let base = desk.base();
    let rows: Vec<Value> = list.iter().map(|v| row(v, &names, &base)).collect();
    let page = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        closed => closed,
        rows => rows,
        overdue => list.iter().filter(|v| v.overdue()).count(),
        can_intake => desk.can(Permission::HandleCases),
        today => format_date(state.today()),
    };
    state
        .render(
            &request,
            "console/office/queue.html",
            "申请办理",
            None,
            page,
        )
        .await
}

/// The organ's open and overdue cases today, for the console's home and organ pages.
pub(crate) async fn case_counts(
    state: &AppState,
    scope: OrganScope,
) -> Result<(usize, usize), WebError> {
    let open = views(state, scope, false).await?;
    Ok((open.len(), open.iter().filter(|v| v.overdue()).count()))
}
