//! The portal's items: the 政府信息公开目录 (`/zwgk/xxgk`), each art. 20 category's list (for
//! `/zwgk/fdzdgknr/{n}`), item pages with the metadata table on top and the article meta tags
//! of the 政府网站发展指引 (spec/domain.md §6.1), attachments, the 规范性文件 list with 有效性
//! (`/zwgk/gfxwj`), Atom feeds per column and for all, and what the home page and the sitemap
//! list. Only published 主动公开 items of the portal organ appear; a withdrawn item is in no
//! list, feed or sitemap, and its page is 404 like any page that does not exist.

use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use gongkai_store::item::{self, Item, KINDS, VALIDITY, Version};
use gongkai_store::organ::Organ;
use minijinja::{Value, context};
use serde::Deserialize;

use super::{CATALOGUE, NORMATIVE, PAGE_SIZE, category_title, files, is_normative, item_path};
use crate::controllers::{WebPath, WebQuery};
use crate::site::{self, Column, PageRequest, PortalPage, STATUTORY, SiteIdentity};
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// `?page=N` of a list (anything else is the first page).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageQuery {
    page: String,
}

impl Bounded for PageQuery {
    const FIELDS: &'static [Bound] = &[Bound::line("page", "页码", 10)];
}

impl PageQuery {
    /// The page asked for, from 1.
    pub fn number(&self) -> usize {
        self.page
            .trim()
            .parse()
            .ok()
            .filter(|n| *n >= 1)
            .unwrap_or(1)
    }
}

/// The portal organ and its public items, newest publication first.
pub async fn public_items(state: &AppState) -> Result<(Option<Organ>, Vec<Item>), WebError> {
    let Some(organ) = state.portal_organ().await? else {
        return Ok((None, Vec::new()));
    };
    let mut items = state.store.public_items(organ.id).await?;
    items.sort_by_key(|i| std::cmp::Reverse(published_at(i)));
    Ok((Some(organ), items))
}

/// When the item was first published (Unix seconds).
fn published_at(item: &Item) -> i64 {
    item.progress()
        .first_published
        .map(|(at, _)| at)
        .unwrap_or(item.created_at)
}

/// When what the public sees last changed: a new version or a change of 有效性.
fn last_modified(item: &Item) -> i64 {
    let p = item.progress();
    let changed = item
        .events
        .iter()
        .filter(|e| matches!(e.event.as_str(), "published" | "validity"))
        .map(|e| e.recorded_at)
        .max();
    changed
        .unwrap_or_else(|| published_at(item))
        .max(p.updated.map_or(0, |(at, _)| at))
}

fn public_version(item: &Item) -> Option<&Version> {
    item.public()
}

/// One row of a list.
fn row(item: &Item) -> Option<Value> {
    public_version(item).map(|v| super::version_view(item, v))
}

/// A page of `items`, with the links to the other pages.
pub fn paged(items: &[&Item], page: usize, path: &str) -> Value {
    let pages = items.len().div_ceil(PAGE_SIZE).max(1);
    let page = page.min(pages);
    let rows: Vec<Value> = items
        .iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .filter_map(|i| row(i))
        .collect();
    let link = |n: usize| format!("{path}?page={n}");
    context! {
        rows => rows,
        total => items.len(),
        page => page,
        pages => pages,
        prev => (page > 1).then(|| link(page - 1)),
        next => (page < pages).then(|| link(page + 1)),
    }
}

/// The list of one art. 20 category, for its column page.
pub async fn category_list(
    state: &AppState,
    number: u8,
    query: &PageQuery,
) -> Result<Value, WebError> {
    let (_, items) = public_items(state).await?;
    let path = format!("{}/{number}", STATUTORY.path);
    let in_category: Vec<&Item> = items
        .iter()
        .filter(|i| public_version(i).and_then(|v| v.content.article20) == Some(number))
        .collect();
    Ok(paged(&in_category, query.number(), &path))
}

/// The home page's latest items and 通知公告.
pub async fn latest(state: &AppState) -> Result<(Vec<Value>, Vec<Value>), WebError> {
    let (_, items) = public_items(state).await?;
    let latest = items.iter().take(8).filter_map(row).collect();
    let notices = items
        .iter()
        .filter(|i| public_version(i).is_some_and(|v| v.content.kind == "notice"))
        .take(6)
        .filter_map(row)
        .collect();
    Ok((latest, notices))
}

/// The sitemap's pages of published items, with their last change as `lastmod`.
pub async fn sitemap_pages(state: &AppState) -> Result<Vec<PortalPage>, WebError> {
    let (_, items) = public_items(state).await?;
    Ok(items
        .iter()
        .filter_map(|i| {
            public_version(i).map(|v| PortalPage {
                path: item_path(i.id),
                title: v.content.title.clone(),
                depth: 2,
                lastmod: Some(super::day_of(last_modified(i))),
            })
        })
        .collect())
}

type Page = Result<Html<String>, WebError>;

/// `GET /zwgk/xxgk`: every published item.
pub async fn catalogue(
    State(state): State<AppState>,
    WebQuery(query): WebQuery<PageQuery>,
    request: PageRequest,
) -> Page {
    let (_, items) = public_items(&state).await?;
    let all: Vec<&Item> = items.iter().collect();
    let page = context! {
        list => paged(&all, query.number(), CATALOGUE.path),
        heading => CATALOGUE.name,
        intro => "本机关主动公开的政府信息，按发布日期排列。",
        feed => "/zwgk/atom.xml",
    };
    state
        .render(
            &request,
            "items/column.html",
            CATALOGUE.name,
            Some(&CATALOGUE),
            page,
        )
        .await
}

/// `GET /zwgk/gfxwj`: 规章 and 行政规范性文件 with their 有效性.
pub async fn normative(
    State(state): State<AppState>,
    WebQuery(query): WebQuery<PageQuery>,
    request: PageRequest,
) -> Page {
    let (_, items) = public_items(&state).await?;
    let docs: Vec<&Item> = items
        .iter()
        .filter(|i| public_version(i).is_some_and(|v| is_normative(&v.content.kind)))
        .collect();
    let page = context! { list => paged(&docs, query.number(), NORMATIVE.path) };
    state
        .render(
            &request,
            "items/gfxwj.html",
            NORMATIVE.name,
            Some(&NORMATIVE),
            page,
        )
        .await
}

/// `GET /zwgk/xxgk/{item_id}`: the metadata table, the body, the attachments, the linked
/// 解读 both ways, and the article tags.
pub async fn page(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
) -> Page {
    let id: i64 = super::path_id(&raw)?;
    let (organ, items) = public_items(&state).await?;
    let organ = organ.ok_or(WebError::NotFound)?;
    let item = items
        .iter()
        .find(|i| i.id == id)
        .ok_or(WebError::NotFound)?;
    let version = public_version(item).ok_or(WebError::NotFound)?;
    let c = &version.content;
    let link = |i: &Item| {
        public_version(i)
            .map(|v| context! { path => item_path(i.id), title => v.content.title.clone() })
    };
    // 解读 both ways: the policy this one interprets, and the 解读 of this one.
    let interprets = c
        .interprets
        .and_then(|target| items.iter().find(|i| i.id == target))
        .and_then(link);
    let interpretations: Vec<Value> = items
        .iter()
        .filter(|i| public_version(i).and_then(|v| v.content.interprets) == Some(item.id))
        .filter_map(link)
        .collect();
    let validity_by = item
        .progress()
        .validity
        .by
        .and_then(|target| items.iter().find(|i| i.id == target))
        .and_then(link);
    // The 标准目录 is public (it is on /zwgk/bzml), so its 事项名称 may be printed here.
    let entry = match item.catalogue_entry_id {
        Some(entry) => state
            .store
            .published_catalogue(organ.id)
            .await?
            .into_iter()
            .find(|e| e.id == entry)
            .map(|e| e.input.name),
        None => None,
    };
    let identity = SiteIdentity::of(&organ);
    let text = item::plain_text(&c.body);
    let description = if c.summary.is_empty() {
        text.chars().take(120).collect()
    } else {
        c.summary.clone()
    };
    let keywords = if c.keywords.is_empty() {
        [c.topic.as_str(), item::label(&KINDS, &c.kind)].join(",")
    } else {
        c.keywords.replace([' ', '，', '、'], ",")
    };
    let path = item_path(item.id);
    let article = context! {
        title => c.title.clone(),
        pub_date => site::format_time(published_at(item)),
        source => c.publisher.clone(),
        keywords => keywords,
        author => c.publisher.clone(),
        description => description,
        url => format!("{}{path}", state.base_url(&identity)),
    };
    let category = c.article20.map(|n| {
        context! { path => format!("{}/{n}", STATUTORY.path), title => category_title(n) }
    });
    let ctx = context! {
        article => article,
        item => super::version_view(item, version),
        body => super::body_html(version),
        interprets => interprets,
        interpretations => interpretations,
        validity_by => validity_by,
        category => category,
        catalogue_entry => entry,
        normative => is_normative(&c.kind),
    };
    state
        .render(&request, "items/item.html", &c.title, Some(&CATALOGUE), ctx)
        .await
}

/// `GET /zwgk/xxgk/{item_id}/files/{file_id}`: an attachment of the published version, with
/// its type and name (PDF and images shown in the browser, Office files downloaded).
pub async fn download(
    State(state): State<AppState>,
    WebPath((raw, raw_file)): WebPath<(String, String)>,
) -> Result<Response, WebError> {
    let id: i64 = super::path_id(&raw)?;
    let file_id: i64 = super::path_id(&raw_file)?;
    let organ = state.portal_organ().await?.ok_or(WebError::NotFound)?;
    let (file, bytes) = state
        .store
        .public_item_file(organ.id, id, file_id)
        .await?
        .ok_or(WebError::NotFound)?;
    let ext = files::extension(&file.content_type);
    let inline = matches!(ext, "pdf" | "png" | "jpg");
    let disposition = files::disposition(
        &format!("item-{id}-{file_id}.{ext}"),
        &file.file_name,
        inline,
    );
    Ok((
        [
            (header::CONTENT_TYPE, file.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
            (
                header::HeaderName::from_static("x-content-type-options"),
                "nosniff".to_owned(),
            ),
        ],
        bytes,
    )
        .into_response())
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An Atom feed of `items` for `column` at `self_path`.
fn atom(
    base: &str,
    title: &str,
    column_path: &str,
    self_path: &str,
    items: &[&Item],
    now: i64,
) -> Response {
    let updated = items.iter().map(|i| last_modified(i)).max().unwrap_or(now);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n\
         <title>{}</title>\n<id>{}</id>\n<link rel=\"self\" href=\"{}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<updated>{}</updated>\n",
        xml_escape(title),
        xml_escape(&format!("{base}{self_path}")),
        xml_escape(&format!("{base}{self_path}")),
        xml_escape(&format!("{base}{column_path}")),
        crate::api::rfc3339(updated),
    );
    for item in items.iter().take(50) {
        let Some(v) = public_version(item) else {
            continue;
        };
        let url = format!("{base}{}", item_path(item.id));
        let summary = if v.content.summary.is_empty() {
            item::plain_text(&v.content.body)
                .chars()
                .take(200)
                .collect()
        } else {
            v.content.summary.clone()
        };
        let validity = item.progress().validity;
        let mut category = format!(
            "<category term=\"{}\"/>",
            xml_escape(item::label(&KINDS, &v.content.kind))
        );
        if is_normative(&v.content.kind) {
            category.push_str(&format!(
                "<category term=\"{}\"/>",
                xml_escape(item::label(&VALIDITY, &validity.key))
            ));
        }
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
             <published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n{category}\n<summary>{}</summary>\n</entry>\n",
            xml_escape(&v.content.title),
            xml_escape(&url),
            xml_escape(&url),
            crate::api::rfc3339(published_at(item)),
            crate::api::rfc3339(last_modified(item)),
            xml_escape(&v.content.publisher),
            xml_escape(&summary),
        ));
    }
    xml.push_str("</feed>\n");
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

async fn feed(
    state: &AppState,
    title: String,
    column: &str,
    self_path: &str,
    keep: impl Fn(&Version) -> bool,
) -> Result<Response, WebError> {
    let base = state.base_url(&state.site_identity().await?);
    let (organ, items) = public_items(state).await?;
    let chosen: Vec<&Item> = items
        .iter()
        .filter(|i| public_version(i).is_some_and(&keep))
        .collect();
    let site = organ.map(|o| SiteIdentity::of(&o).name).unwrap_or_default();
    Ok(atom(
        &base,
        &format!("{site} {title}"),
        column,
        self_path,
        &chosen,
        state.now(),
    ))
}

/// `GET /zwgk/atom.xml`: every published item.
pub async fn feed_all(State(state): State<AppState>) -> Result<Response, WebError> {
    feed(
        &state,
        CATALOGUE.name.to_owned(),
        CATALOGUE.path,
        "/zwgk/atom.xml",
        |_| true,
    )
    .await
}

/// `GET /zwgk/fdzdgknr/{number}/atom.xml`: one art. 20 category.
pub async fn feed_category(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
) -> Result<Response, WebError> {
    let number: u8 = raw.parse().map_err(|_| WebError::NotFound)?;
    let title = category_title(number).ok_or(WebError::NotFound)?;
    let column = format!("{}/{number}", STATUTORY.path);
    let self_path = format!("{column}/atom.xml");
    feed(&state, title, &column, &self_path, |v| {
        v.content.article20 == Some(number)
    })
    .await
}

/// The columns this module adds to the 专栏, for the 网站地图.
pub const COLUMNS: [&Column; 2] = [&CATALOGUE, &NORMATIVE];
