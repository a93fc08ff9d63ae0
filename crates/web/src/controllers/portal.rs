//! The public portal: home (with the latest items and 通知公告), the 政府信息公开专栏 (指南, 制度,
//! 法定主动公开内容 with each category's items, 年报), 联系我们,
//! 网站地图, sitemap.xml, the 长者模式 switch and the stylesheet.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use gongkai_core::article20::ARTICLE_20;
use gongkai_report::model::AnnualReport;
use minijinja::{Value, context};
use serde::Deserialize;

use super::{WebPath, WebQuery, items};
use crate::site::{
    self, ANNUAL, GUIDE, PageRequest, RULES, STATUTORY, SUB_COLUMNS, SiteIdentity, ZWGK,
};
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError, cookies, guide, templates};

type Page = Result<Html<String>, WebError>;

/// `GET /`.
pub async fn home(State(state): State<AppState>, request: PageRequest) -> Page {
    let organ = state.portal_organ().await?;
    let (latest, notices) = items::portal::latest(&state).await?;
    let page = context! {
        sub_columns => crate::site::ser(SUB_COLUMNS),
        apply => crate::site::ser(&super::apply::APPLY),
        organ => organ.map(|o| crate::site::ser(&o.settings)),
        latest => latest,
        notices => notices,
    };
    state
        .render(&request, "home.html", "首页", None, page)
        .await
}

/// `GET /zwgk`: the 专栏's index.
pub async fn zwgk(State(state): State<AppState>, request: PageRequest) -> Page {
    let page = context! {
        sub_columns => crate::site::ser(SUB_COLUMNS),
        apply => crate::site::ser(&super::apply::APPLY),
    };
    state
        .render(&request, "zwgk.html", "政府信息公开", Some(&ZWGK), page)
        .await
}

/// `GET /zwgk/zhinan`: the 指南, generated from the organ's data (条例 art. 12).
pub async fn guide(State(state): State<AppState>, request: PageRequest) -> Page {
    let organ = state.portal_organ().await?.ok_or(WebError::NotFound)?;
    let guide = guide::build(&organ);
    let page = context! {
        organ_name => organ.settings.name,
        guide => crate::site::ser(&guide),
    };
    state
        .render(&request, "guide.html", GUIDE.name, Some(&GUIDE), page)
        .await
}

/// `GET /zwgk/zhidu`.
pub async fn rules(State(state): State<AppState>, request: PageRequest) -> Page {
    let rules: Vec<String> = match state.portal_organ().await? {
        Some(organ) => organ
            .settings
            .disclosure_rules
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        None => Vec::new(),
    };
    let page = context! { rules => rules };
    state
        .render(&request, "rules.html", RULES.name, Some(&RULES), page)
        .await
}

/// `GET /zwgk/fdzdgknr`: the 15 categories of art. 20.
pub async fn statutory(State(state): State<AppState>, request: PageRequest) -> Page {
    let items: Vec<Value> = ARTICLE_20
        .iter()
        .map(|i| context! { number => i.number, numeral => i.numeral, text => i.text })
        .collect();
    state
        .render(
            &request,
            "statutory.html",
            STATUTORY.name,
            Some(&STATUTORY),
            context! { items => items },
        )
        .await
}

/// `GET /zwgk/fdzdgknr/{number}[?page=N]`: one art. 20 category and its published items,
/// 20 a page.
pub async fn statutory_item(
    State(state): State<AppState>,
    WebPath(number): WebPath<String>,
    WebQuery(query): WebQuery<items::portal::PageQuery>,
    request: PageRequest,
) -> Page {
    let number: u8 = number.parse().map_err(|_| WebError::NotFound)?;
    let item = ARTICLE_20
        .iter()
        .find(|i| i.number == number)
        .ok_or(WebError::NotFound)?;
    let title = format!("{}{}", item.numeral, item.text);
    let page = context! {
        item => context! { number => item.number, numeral => item.numeral, text => item.text },
        list => items::portal::category_list(&state, number, &query).await?,
    };
    state
        .render(
            &request,
            "statutory_item.html",
            &title,
            Some(&STATUTORY),
            page,
        )
        .await
}

/// `GET /zwgk/nianbao`: the organ's published annual reports, newest first (条例 art. 49), each
/// with its real publication date and, once corrected, the note and the earlier versions.
pub async fn annual(State(state): State<AppState>, request: PageRequest) -> Page {
    let (organ_name, listings) = state.published_reports().await?;
    let reports: Vec<Value> = listings
        .iter()
        .map(|r| {
            context! {
                path => site::annual_report_path(r.year),
                title => site::annual_report_title(&organ_name, r.year),
                published => &r.published_on,
                note => &r.note,
                earlier => earlier_versions(r),
            }
        })
        .collect();
    state
        .render(
            &request,
            "annual.html",
            ANNUAL.name,
            Some(&ANNUAL),
            context! { reports => reports },
        )
        .await
}

fn earlier_versions(listing: &crate::annual::Listing) -> Vec<Value> {
    listing
        .earlier
        .iter()
        .map(|(number, published)| {
            context! {
                number => number,
                published => published,
                path => format!("{}/{number}", site::annual_report_path(listing.year)),
            }
        })
        .collect()
}

/// The article page of one report: the standing version or an earlier one.
async fn report_page(
    state: &AppState,
    request: &PageRequest,
    organ: &gongkai_store::organ::Organ,
    listing: &crate::annual::Listing,
    superseded_by: Option<i64>,
) -> Page {
    let year = listing.year;
    // Only valid reports are stored; one that no longer reads is a fault, not the visitor's.
    let report = AnnualReport::from_json(&listing.report)
        .map_err(|e| WebError::Internal(format!("stored annual report {year}: {e}")))?;
    let title = site::annual_report_title(&organ.settings.name, year);
    let path = site::annual_report_path(year);
    let identity = SiteIdentity::of(organ);
    let author = if organ.settings.office_name.is_empty() {
        organ.settings.name.clone()
    } else {
        organ.settings.office_name.clone()
    };
    let article = context! {
        title => title.clone(),
        pub_date => &listing.published_time,
        source => organ.settings.name.clone(),
        keywords => format!("政府信息公开工作年度报告,{year}年,年报"),
        author => author,
        description => format!("{title}：主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况。"),
        url => format!("{}{path}", state.base_url(&identity)),
    };
    let page = context! {
        article => article,
        published => &listing.published_on,
        number => listing.number,
        note => &listing.note,
        earlier => earlier_versions(listing),
        superseded_by => superseded_by,
        current_path => path,
        // The renderer escapes every text it prints.
        tables => Value::from_safe_string(gongkai_report::render::html(&report)),
    };
    state
        .render(request, "annual_report.html", &title, Some(&ANNUAL), page)
        .await
}

/// `GET /zwgk/nianbao/{year}`: one report as published, in the official layout. An article
/// page: it carries the article tags of spec/domain.md §6 besides the site and column tags.
pub async fn annual_report(
    State(state): State<AppState>,
    WebPath(year): WebPath<String>,
    request: PageRequest,
) -> Page {
    let year: i32 = year.parse().map_err(|_| WebError::NotFound)?;
    let organ = state.portal_organ().await?.ok_or(WebError::NotFound)?;
    let listing = crate::annual::listing_of(&state.store, organ.id, year)
        .await?
        .ok_or(WebError::NotFound)?;
    report_page(&state, &request, &organ, &listing, None).await
}

/// `GET /zwgk/nianbao/{year}/{number}`: an earlier published version of a corrected report,
/// kept as it was published, with a pointer to the version that replaced it.
pub async fn annual_report_version(
    State(state): State<AppState>,
    WebPath((year, number)): WebPath<(String, String)>,
    request: PageRequest,
) -> Page {
    let year: i32 = year.parse().map_err(|_| WebError::NotFound)?;
    let number: i64 = number.parse().map_err(|_| WebError::NotFound)?;
    let organ = state.portal_organ().await?.ok_or(WebError::NotFound)?;
    let version = state
        .store
        .published_version(organ.id, year, number)
        .await?
        .ok_or(WebError::NotFound)?;
    let superseded_by = version
        .steps
        .iter()
        .rev()
        .find(|s| s.kind == gongkai_store::report_version::StepKind::Superseded)
        .and_then(|s| s.detail["by"].as_i64());
    let listing = crate::annual::Listing {
        year,
        published_on: version
            .published_on()
            .map(gongkai_store::report_version::date_text)
            .unwrap_or_default(),
        published_time: crate::annual::published_time(&version),
        number: Some(version.number),
        note: version.correction_note.clone(),
        earlier: Vec::new(),
        report: version.report,
    };
    report_page(&state, &request, &organ, &listing, superseded_by).await
}

/// `GET /lxwm`: 联系我们.
pub async fn contact(State(state): State<AppState>, request: PageRequest) -> Page {
    let organ = state.portal_organ().await?;
    let page = context! { organ => organ.map(|o| crate::site::ser(&o.settings)) };
    state
        .render(&request, "contact.html", "联系我们", None, page)
        .await
}

/// `GET /wzdt`: 网站地图.
pub async fn sitemap_page(State(state): State<AppState>, request: PageRequest) -> Page {
    let (organ_name, listings) = state.published_reports().await?;
    let years: Vec<i32> = listings.iter().map(|r| r.year).collect();
    let items = items::portal::sitemap_pages(&state).await?;
    let pages = site::portal_pages(&organ_name, &years, &items);
    let page = context! { pages => crate::site::ser(pages) };
    state
        .render(&request, "sitemap.html", "网站地图", None, page)
        .await
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET /sitemap.xml`: the same pages, with absolute URLs on the configured base URL (or the
/// organ's own domain), never on the Host header a visitor sent; published items carry their
/// `lastmod`.
pub async fn sitemap_xml(State(state): State<AppState>) -> Result<Response, WebError> {
    let base = state.base_url(&state.site_identity().await?);
    let (organ_name, listings) = state.published_reports().await?;
    let years: Vec<i32> = listings.iter().map(|r| r.year).collect();
    let items = items::portal::sitemap_pages(&state).await?;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in site::portal_pages(&organ_name, &years, &items) {
        let lastmod = page
            .lastmod
            .map(|d| format!("<lastmod>{d}</lastmod>"))
            .unwrap_or_default();
        xml.push_str(&format!(
            "  <url><loc>{}</loc>{lastmod}</url>\n",
            xml_escape(&format!("{base}{}", page.path))
        ));
    }
    xml.push_str("</urlset>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

/// The query of `/zhangzhe`.
#[derive(Debug, Deserialize)]
pub struct ElderQuery {
    /// `1` to switch on, anything else to switch off.
    #[serde(default)]
    on: String,
    /// Where to go back to.
    #[serde(default)]
    next: String,
}

impl Bounded for ElderQuery {
    const FIELDS: &'static [Bound] = &[
        Bound::line("on", "长者模式", 10),
        Bound::line("next", "返回地址", 512),
    ];
}

/// `GET /zhangzhe?on=1&next=/path`: switches 长者模式 with a cookie and returns to the page.
/// A plain link, so it works without JavaScript.
pub async fn elder_mode(
    State(state): State<AppState>,
    WebQuery(query): WebQuery<ElderQuery>,
) -> Response {
    let on = query.on == "1";
    let cookie = if on {
        cookies::set(
            cookies::ELDER,
            "1",
            Some(365 * 24 * 3600),
            false,
            state.config.security.secure_cookies,
        )
    } else {
        cookies::clear(cookies::ELDER, state.config.security.secure_cookies)
    };
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, site::safe_next(&query.next)),
            (header::SET_COOKIE, cookie),
        ],
    )
        .into_response()
}

/// `GET /static/site.css`.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        templates::SITE_CSS,
    )
        .into_response()
}
