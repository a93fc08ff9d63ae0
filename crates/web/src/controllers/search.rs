//! 信息检索 (`/zwgk/search`): the portal's search of published information items, the
//! 检索 the 政府信息公开指南 promises (条例 art. 24: the 政府信息公开平台 "应当具备信息检索、查阅、下载等功能").
//!
//! A GET form — 检索词 `q`, 信息类别 `column` (an item of art. 20, or all), 发布年份 `year`,
//! 体裁 `kind`, 排序 `order` (相关度 or 最新发布), and `page` — so results have an address and
//! work without JavaScript. The text goes to `gongkai_search` as typed (its own reader never
//! fails on any input; only the first `MAX_QUERY_CHARS` characters count, and the page says
//! so); a filter the form does not offer is refused at its field (422) with the typed values
//! kept. Titles and snippets come HTML-escaped from the index with `<em>` marks and are the
//! only values printed unescaped. Each hit is read back from the store before it is shown, so
//! an item that has left the portal is never listed, even by an index that lags behind.

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gongkai_core::article20::ARTICLE_20;
use gongkai_search::{DEFAULT_PER_PAGE, MAX_PAGE, MAX_QUERY_CHARS, Order, Query};
use gongkai_store::item::KINDS;
use minijinja::{Value, context};
use serde::Deserialize;

use super::WebQuery;
use super::items;
use crate::site::{Column, PageRequest, url_encode};
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// The search page, a column of the 专栏.
pub const SEARCH: Column = Column {
    path: "/zwgk/search",
    name: "信息检索",
    description: "检索本机关主动公开的政府信息：标题、正文、文号和索引号，可按信息类别、发布年份和体裁筛选",
    keywords: "信息检索,政府信息公开,文号,索引号",
    kind: "信息公开，检索",
};

/// The page's own stylesheet.
pub const STYLESHEET_PATH: &str = "/static/search.css";
const STYLESHEET: &str = include_str!("../../templates/search.css");

/// The longest 检索词 accepted (more is refused with 422); the index reads the first
/// [`MAX_QUERY_CHARS`] of it.
pub const MAX_Q_CHARS: usize = 200;

/// The first year in the 发布年份 list: the year the first 《条例》 took effect.
const FIRST_YEAR: i32 = 2008;

/// The routes of this area.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(SEARCH.path, get(page))
        .route(STYLESHEET_PATH, get(stylesheet))
}

/// The query string of the search form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SearchForm {
    q: String,
    column: String,
    year: String,
    kind: String,
    order: String,
    page: String,
}

impl Bounded for SearchForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("q", "检索词", MAX_Q_CHARS),
        Bound::line("column", "信息类别", 10),
        Bound::line("year", "发布年份", 10),
        Bound::line("kind", "体裁", 40),
        Bound::line("order", "排序", 20),
        Bound::line("page", "页码", 10),
    ];
}

/// The form read: the filters the index takes, or the message of each field that is not one
/// of the form's choices.
struct Filters {
    column: Option<u8>,
    year: Option<i32>,
    kind: Option<&'static str>,
    order: Order,
    page: u32,
}

impl SearchForm {
    fn filters(&self) -> (Filters, Vec<(&'static str, &'static str)>) {
        let mut errors = Vec::new();
        let column = match self.column.trim() {
            "" => None,
            raw => match raw.parse::<u8>().ok().filter(|n| (1..=15).contains(n)) {
                Some(n) => Some(n),
                None => {
                    errors.push((
                        "column",
                        "请从列表中选择信息类别（条例第二十条所列十五类之一）。",
                    ));
                    None
                }
            },
        };
        let year = match self.year.trim() {
            "" => None,
            raw => match raw
                .parse::<i32>()
                .ok()
                .filter(|y| (1949..=2100).contains(y))
            {
                Some(y) => Some(y),
                None => {
                    errors.push(("year", "发布年份应为四位数字的年份，如 2026。"));
                    None
                }
            },
        };
        let kind = match self.kind.trim() {
            "" => None,
            raw => match KINDS.iter().find(|(k, _)| *k == raw) {
                Some((k, _)) => Some(*k),
                None => {
                    errors.push(("kind", "请从列表中选择体裁。"));
                    None
                }
            },
        };
        let order = match self.order.trim() {
            "" | "relevance" => Order::Relevance,
            "newest" => Order::Newest,
            _ => {
                errors.push(("order", "请选择按相关度或按发布日期排序。"));
                Order::Relevance
            }
        };
        // The pager writes this; anything else reads as the first page.
        let page = self
            .page
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|p| *p >= 1)
            .unwrap_or(1);
        let filters = Filters {
            column,
            year,
            kind,
            order,
            page,
        };
        (filters, errors)
    }

    /// The address of page `page` of the same search.
    fn page_link(&self, page: u32) -> String {
        let mut link = format!("{}?", SEARCH.path);
        for (name, value) in [
            ("q", self.q.trim()),
            ("column", self.column.trim()),
            ("year", self.year.trim()),
            ("kind", self.kind.trim()),
            ("order", self.order.trim()),
        ] {
            if !value.is_empty() {
                link.push_str(&format!("{name}={}&", url_encode(value)));
            }
        }
        link.push_str(&format!("page={page}"));
        link
    }
}

/// `GET /zwgk/search`.
pub async fn page(
    State(state): State<AppState>,
    WebQuery(form): WebQuery<SearchForm>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let (filters, errors) = form.filters();
    let text = form.q.trim();
    let asked = !text.is_empty()
        || filters.column.is_some()
        || filters.year.is_some()
        || filters.kind.is_some();
    let mut page = context! {
        form => form_view(&state, &form, &errors),
        errors => errors.iter().map(|&(field, message)| context! { field, message }).collect::<Vec<_>>(),
        cut => (text.chars().count() > MAX_QUERY_CHARS).then_some(MAX_QUERY_CHARS),
        example => "呼经开管发〔2026〕1号",
        catalogue => items::CATALOGUE.path,
        apply => super::apply::APPLY.path,
    };
    let status = if !errors.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        if asked {
            page = context! { results => results(&state, &form, &filters, text).await?, ..page };
        }
        StatusCode::OK
    };
    let title = if text.is_empty() {
        SEARCH.name.to_owned()
    } else {
        let shown: String = text.chars().take(30).collect();
        format!("“{shown}”的检索结果")
    };
    let html = state
        .render(&request, "search.html", &title, Some(&SEARCH), page)
        .await?;
    // Results are not kept by the page cache: they follow the index, which follows the item
    // ledger of every process at once, and visitors' queries are too many to be worth keeping
    // (each would push a page of the portal out of the cache).
    Ok((
        status,
        [(axum::http::header::CACHE_CONTROL, "no-cache")],
        html,
    )
        .into_response())
}

/// Searches and reads each hit back from the store.
async fn results(
    state: &AppState,
    form: &SearchForm,
    filters: &Filters,
    text: &str,
) -> Result<Value, WebError> {
    let Some(organ) = state.portal_organ().await? else {
        return Ok(context! { total => 0, hits => Vec::<Value>::new(), unconfigured => true });
    };
    // Changes made by another process since the last check are taken first.
    state.search.refresh(&state.store).await;
    let mut query = Query {
        text: text.to_owned(),
        organ_id: Some(organ.id),
        column: filters.column.map(|n| n.to_string()),
        year: filters.year,
        kind: filters.kind.map(str::to_owned),
        validity: None,
        order: filters.order,
        page: filters.page,
        per_page: DEFAULT_PER_PAGE,
    };
    let mut found = state.search.search(query.clone()).await?;
    let pages = |total: usize| {
        let pages = total.div_ceil(DEFAULT_PER_PAGE as usize).max(1);
        u32::try_from(pages).unwrap_or(MAX_PAGE).min(MAX_PAGE)
    };
    if found.hits.is_empty() && found.total > 0 && found.page > pages(found.total) {
        // A page past the end (an old link, a hand-typed number): the last one instead.
        query.page = pages(found.total);
        found = state.search.search(query).await?;
    }
    let keys: Vec<String> = std::iter::once(text)
        .chain(text.split_whitespace())
        .map(gongkai_search::normalize_identifier)
        .collect();
    let mut hits = Vec::new();
    let mut gone = 0;
    for hit in &found.hits {
        let Some(item) = state.store.public_item(organ.id, hit.id).await? else {
            gone += 1;
            continue;
        };
        let Some(version) = item.public() else {
            gone += 1;
            continue;
        };
        let c = &version.content;
        let matched = |value: &str| {
            !value.is_empty() && keys.contains(&gongkai_search::normalize_identifier(value))
        };
        let exact = hit.exact.then(|| {
            if matched(&c.doc_number) {
                "文号相符"
            } else if item.index_number.as_deref().is_some_and(matched) {
                "索引号相符"
            } else {
                "文号或索引号相符"
            }
        });
        hits.push(context! {
            // Escaped by the index except for its <em> marks: the template's only `|safe`.
            title_html => hit.title_html.clone(),
            snippet_html => hit.snippet_html.clone(),
            exact => exact,
            ..items::version_view(&item, version)
        });
    }
    let total = found.total.saturating_sub(gone);
    let page = found.page;
    let last = pages(found.total);
    Ok(context! {
        total => total,
        hits => hits,
        first => (page as usize - 1) * DEFAULT_PER_PAGE as usize + 1,
        page => page,
        pages => last,
        prev => (page > 1).then(|| form.page_link(page - 1)),
        next => (page < last).then(|| form.page_link(page + 1)),
        limited => found.total > (MAX_PAGE * DEFAULT_PER_PAGE) as usize,
        text => text,
    })
}

/// The form as typed, with its choices.
fn form_view(state: &AppState, form: &SearchForm, errors: &[(&str, &str)]) -> Value {
    let error_of = |field: &str| {
        errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, message)| *message)
    };
    let columns: Vec<Value> = ARTICLE_20
        .iter()
        .map(|i| {
            let key = i.number.to_string();
            context! {
                selected => form.column.trim() == key,
                key => key,
                label => format!("{}{}", i.numeral, i.text),
            }
        })
        .collect();
    let this_year = state.today().year();
    let mut years: Vec<String> = (FIRST_YEAR..=this_year.max(FIRST_YEAR))
        .rev()
        .map(|y| y.to_string())
        .collect();
    // A year typed by hand outside the list is kept as a choice, so the form shows what was asked.
    let typed = form.year.trim();
    if !typed.is_empty() && error_of("year").is_none() && !years.iter().any(|y| y == typed) {
        years.push(typed.to_owned());
    }
    let years: Vec<Value> = years
        .into_iter()
        .map(|y| context! { selected => y == typed, value => y })
        .collect();
    let kinds: Vec<Value> = KINDS
        .iter()
        .map(|&(key, label)| context! { key, label, selected => form.kind.trim() == key })
        .collect();
    context! {
        action => SEARCH.path,
        q => form.q.clone(),
        max => MAX_Q_CHARS,
        columns => columns,
        years => years,
        kinds => kinds,
        newest => form.order.trim() == "newest",
        // Folded away on a results page searched by words alone, so the hits come first on a
        // phone; open when a filter is in use, on a mistake, and on the page that explains.
        filters_open => !errors.is_empty()
            || form.q.trim().is_empty()
            || [&form.column, &form.year, &form.kind].iter().any(|v| !v.trim().is_empty())
            || form.order.trim() == "newest",
        column_error => error_of("column"),
        year_error => error_of("year"),
        kind_error => error_of("kind"),
        order_error => error_of("order"),
    }
}

/// `GET /static/search.css`.
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
