//! Every route of gongkai, in one list, grouped by who calls it.

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;
use crate::controllers::{
    apply, catalogue, computed, console, interact, items, login, office, ops, portal, reports,
    search, superior,
};

/// The application: routes, then the middleware that renders error pages, counts, logs and
/// adds security headers, and, outermost, answers public pages from the cache.
pub fn build(state: AppState) -> Router {
    Router::new()
        // The public portal (no login). Pages of the 政府信息公开专栏 carry the Column* tags.
        .route("/", get(portal::home))
        .route("/zwgk", get(portal::zwgk))
        .route("/zwgk/zhinan", get(portal::guide))
        .route("/zwgk/zhidu", get(portal::rules))
        .route("/zwgk/fdzdgknr", get(portal::statutory))
        .route("/zwgk/fdzdgknr/{number}", get(portal::statutory_item))
        .route("/zwgk/nianbao", get(portal::annual))
        .route("/zwgk/nianbao/{year}", get(portal::annual_report))
        .route(
            "/zwgk/nianbao/{year}/{number}",
            get(portal::annual_report_version),
        )
        .route("/lxwm", get(portal::contact))
        .route("/wzdt", get(portal::sitemap_page))
        .route("/sitemap.xml", get(portal::sitemap_xml))
        .route("/zhangzhe", get(portal::elder_mode))
        .route("/static/site.css", get(portal::stylesheet))
        // Staff log-in and log-out.
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        // The staff console: every organ route checks the role on that organ.
        .route("/console", get(console::home))
        .route("/console/organs/{organ_id}", get(console::organ))
        .route(
            "/console/organs/{organ_id}/settings",
            get(console::settings).post(console::save_settings),
        )
        .route(
            "/console/organs/{organ_id}/users",
            get(console::users).post(console::add_user),
        )
        .route(
            "/console/organs/{organ_id}/reports",
            get(reports::years).post(reports::import_draft),
        )
        .route("/console/organs/{organ_id}/audit", get(console::audit))
        // The 依申请公开 column (public) and the console's application office.
        .merge(apply::routes())
        .merge(office::routes())
        // Proactive disclosure (console and portal) and 互动交流.
        .merge(items::routes())
        .merge(interact::routes())
        // The 政务公开事项标准目录 (portal and console) and 表二's figures from other systems.
        .merge(catalogue::routes())
        // 信息检索: the search page of published items.
        .merge(search::routes())
        // The annual report: computed from records with drill-down, its drafting, checks,
        // sign-off and publication, and the superior office's view of its subtree.
        .merge(computed::routes())
        .merge(reports::routes())
        .merge(superior::routes())
        // The JSON API, with bearer tokens.
        .nest("/api/v1", crate::api::routes())
        // Operations.
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .fallback(ops::not_found)
        // Bodies over the limit are refused with 413 by the extractors that read them.
        .layer(axum::extract::DefaultBodyLimit::max(
            state.config.server.max_body_kib.max(1).saturating_mul(1024),
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ops::render_errors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ops::observe,
        ))
        // Public pages come from the cache of rendered pages before anything else runs; a
        // hit is counted and logged like `observe` does, with the headers it gave the page.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::page_cache::layer,
        ))
        .with_state(state)
}

/// The console routes with their organ placeholder, and the permission each needs (the route
/// × role matrix test walks this list). `/console` and `/console/tokens` are every staff
/// member's own and belong to no organ.
pub const CONSOLE_ROUTES: &[(&str, &str, gongkai_store::Permission)] = {
    use gongkai_store::Permission::*;
    &[
        ("GET", "/console/organs/{organ_id}", ViewConsole),
        ("GET", "/console/organs/{organ_id}/settings", ViewSettings),
        ("POST", "/console/organs/{organ_id}/settings", EditSettings),
        ("GET", "/console/organs/{organ_id}/users", ViewUsers),
        ("POST", "/console/organs/{organ_id}/users", ManageUsers),
        ("GET", "/console/organs/{organ_id}/reports", ViewConsole),
        ("POST", "/console/organs/{organ_id}/reports", DraftReports),
        ("GET", "/console/organs/{organ_id}/audit", ViewAudit),
        // The computed report and its drill-down (cases masked).
        (
            "GET",
            "/console/organs/{organ_id}/reports/{year}/computed",
            ViewCases,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/reports/{year}/cells/{section}/{row}/{column}",
            ViewCases,
        ),
        // The application office. `{id}`, `{file_id}`, `{notice_id}` and `{appeal_id}` are
        // the organ's own records; `{step}` is any step, whose role and state the workflow
        // checks again, and the extension's approval is listed for its own permission.
        ("GET", "/console/organs/{organ_id}/applications", ViewCases),
        (
            "GET",
            "/console/organs/{organ_id}/applications/new",
            HandleCases,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/applications/new",
            HandleCases,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/applications/{id}",
            ViewCases,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/applications/{id}/files/{file_id}",
            HandleCases,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/applications/{id}/steps/{step}",
            HandleCases,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/applications/{id}/steps/extension_approved",
            ApproveExtension,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/applications/{id}/notices",
            HandleCases,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/applications/{id}/notices/{notice_id}",
            HandleCases,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/applications/{id}/notices/{notice_id}",
            HandleCases,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/applications/{id}/notices/{notice_id}/issue",
            HandleCases,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/applications/{id}/notices/{notice_id}/print",
            HandleCases,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/applications/{id}/notices/{notice_id}/docx",
            HandleCases,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/notice-settings",
            ViewCases,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/notice-settings",
            EditNoticeSettings,
        ),
        ("GET", "/console/organs/{organ_id}/appeals", ViewCases),
        ("POST", "/console/organs/{organ_id}/appeals", HandleCases),
        (
            "GET",
            "/console/organs/{organ_id}/appeals/{appeal_id}",
            HandleCases,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/appeals/{appeal_id}",
            HandleCases,
        ),
        // The 政务公开事项标准目录 and 表二's figures from other systems. `{entry_id}` is the
        // organ's own entry.
        (
            "GET",
            "/console/organs/{organ_id}/catalogue",
            ManageCatalogue,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/catalogue/new",
            ManageCatalogue,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/catalogue/new",
            ManageCatalogue,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/catalogue/import",
            ManageCatalogue,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/catalogue/import",
            ManageCatalogue,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/catalogue/template.csv",
            ManageCatalogue,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/catalogue/{entry_id}",
            ManageCatalogue,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/catalogue/{entry_id}",
            ManageCatalogue,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/catalogue/{entry_id}/delete",
            ManageCatalogue,
        ),
        ("GET", "/console/organs/{organ_id}/figures", ManageCatalogue),
        (
            "POST",
            "/console/organs/{organ_id}/figures",
            ManageCatalogue,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/figures/import",
            ManageCatalogue,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/figures/template.csv",
            ManageCatalogue,
        ),
        ("GET", "/console/organs/{organ_id}/calendar", ManageCalendar),
        // Proactive items. The list, the art. 26 list, an item's page and its files are for
        // those who write or review items (EditItems or ReviewItems, checked by the handler);
        // `{item_id}` and `{file_id}` are the organ's own records. Which review step is whose is
        // the organ's chain, checked again by the store.
        ("GET", "/console/organs/{organ_id}/items", ViewConsole),
        ("GET", "/console/organs/{organ_id}/items/new", EditItems),
        ("POST", "/console/organs/{organ_id}/items/new", EditItems),
        (
            "GET",
            "/console/organs/{organ_id}/items/deadlines",
            ViewConsole,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/items/{item_id}",
            ViewConsole,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/items/{item_id}/edit",
            EditItems,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/items/{item_id}/edit",
            EditItems,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/items/{item_id}/files/{file_id}",
            ViewConsole,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/items/{item_id}/submit",
            EditItems,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/items/{item_id}/review",
            ReviewItems,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/items/{item_id}/withdraw",
            EditItems,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/items/{item_id}/validity",
            EditItems,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/item-settings",
            ViewSettings,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/item-settings",
            EditSettings,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/calendar",
            ManageCalendar,
        ),
        // 互动交流. `{message_id}`, `{consultation_id}` and `{comment_id}` are the organ's own
        // records; the reply limit is an organ setting.
        ("GET", "/console/organs/{organ_id}/messages", HandleMessages),
        (
            "GET",
            "/console/organs/{organ_id}/messages/{message_id}",
            HandleMessages,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/messages/{message_id}/accept",
            HandleMessages,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/messages/{message_id}/reject",
            HandleMessages,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/messages/{message_id}/reply",
            HandleMessages,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/messages/{message_id}/publish",
            HandleMessages,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/messages/{message_id}/unpublish",
            HandleMessages,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/message-settings",
            EditSettings,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/consultations",
            ManageConsultations,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/consultations/new",
            ManageConsultations,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/consultations/new",
            ManageConsultations,
        ),
        (
            "GET",
            "/console/organs/{organ_id}/consultations/{consultation_id}",
            ManageConsultations,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/consultations/{consultation_id}/comments/{comment_id}",
            ManageConsultations,
        ),
        (
            "POST",
            "/console/organs/{organ_id}/consultations/{consultation_id}/feedback",
            ManageConsultations,
        ),
    ]
};
