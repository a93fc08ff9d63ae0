//! The organ's 政务公开事项标准目录 on the portal (`/zwgk/bzml`): one table per 试点领域 where
//! the organ files its entries under them (else one table), rows grouped by 事项类别, one column
//! per element. On a phone the table scrolls sideways in its box, as the 年报 tables do.

use axum::extract::State;
use axum::response::Html;
use gongkai_store::catalogue::{CatalogueEntry, ELEMENTS, pilot_area};
use minijinja::{Value, context};

use crate::site::{Column, PageRequest};
use crate::{AppState, WebError};

/// The column of the 专栏 that publishes the catalogue.
pub const BZML: Column = Column {
    path: "/zwgk/bzml",
    name: "政务公开事项标准目录",
    description: "本机关政务公开事项标准目录：各公开事项的事项类别、事项名称、公开内容、公开依据、公开主体、公开时限、公开渠道和载体、公开方式",
    keywords: "政务公开事项标准目录,标准目录,基层政务公开标准化规范化,公开事项",
    kind: "信息公开，标准目录",
};

/// The keys of the elements printed as columns after 事项类别 (公开对象 only where an entry
/// states it; 试点领域 is the table's heading).
fn column_keys(entries: &[CatalogueEntry]) -> Vec<&'static str> {
    let audience = entries.iter().any(|e| !e.input.audience.is_empty());
    ELEMENTS
        .iter()
        .map(|e| e.key)
        .filter(|k| *k != "category" && *k != "pilot_area")
        .filter(|k| *k != "audience" || audience)
        .collect()
}

/// One table: its caption and its groups of rows by 事项类别, in first-appearance order.
fn table(caption: String, entries: &[&CatalogueEntry], keys: &[&str]) -> Value {
    let mut groups: Vec<(String, Vec<&CatalogueEntry>)> = Vec::new();
    for entry in entries {
        match groups.iter_mut().find(|(c, _)| *c == entry.input.category) {
            Some((_, rows)) => rows.push(entry),
            None => groups.push((entry.input.category.clone(), vec![entry])),
        }
    }
    let mut serial = 0;
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(category, rows)| {
            let rows: Vec<Value> = rows
                .iter()
                .map(|e| {
                    serial += 1;
                    let cells: Vec<String> = keys.iter().map(|k| e.input.text(k)).collect();
                    context! { serial => serial, cells => cells }
                })
                .collect();
            context! { category => category, rows => rows }
        })
        .collect();
    context! { caption => caption, groups => groups }
}

/// `GET /zwgk/bzml`.
pub async fn page(
    State(state): State<AppState>,
    request: PageRequest,
) -> Result<Html<String>, WebError> {
    let organ = state.portal_organ().await?.ok_or(WebError::NotFound)?;
    let entries = state.store.published_catalogue(organ.id).await?;
    let keys = column_keys(&entries);
    let name = &organ.settings.name;
    let mut tables = Vec::new();
    if entries.iter().any(|e| e.input.pilot_area.is_some()) {
        let mut areas: Vec<u8> = entries.iter().filter_map(|e| e.input.pilot_area).collect();
        areas.sort_unstable();
        areas.dedup();
        for number in areas {
            let label = pilot_area(number).map_or("", |a| a.label);
            let rows: Vec<&CatalogueEntry> = entries
                .iter()
                .filter(|e| e.input.pilot_area == Some(number))
                .collect();
            tables.push(table(format!("{label}领域"), &rows, &keys));
        }
        let others: Vec<&CatalogueEntry> = entries
            .iter()
            .filter(|e| e.input.pilot_area.is_none())
            .collect();
        if !others.is_empty() {
            tables.push(table("其他公开事项".into(), &others, &keys));
        }
    } else if !entries.is_empty() {
        let rows: Vec<&CatalogueEntry> = entries.iter().collect();
        tables.push(table(format!("{name}政务公开事项标准目录"), &rows, &keys));
    }
    let headers: Vec<&str> = std::iter::once("category")
        .chain(keys.iter().copied())
        .map(|k| ELEMENTS.iter().find(|e| e.key == k).map_or(k, |e| e.label))
        .collect();
    let page = context! {
        organ_name => name.clone(),
        count => entries.len(),
        tables => tables,
        headers => headers,
        stylesheet => super::STYLESHEET_PATH,
    };
    state
        .render(
            &request,
            "catalogue/bzml.html",
            BZML.name,
            Some(&BZML),
            page,
        )
        .await
}
