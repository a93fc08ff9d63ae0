//! The site around every page: the portal organ's identity for the meta tags and footer of
//! spec/domain.md §6, the 专栏's columns, the list of portal pages (one list feeds the
//! 网站地图 page and sitemap.xml), and page rendering.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Html;
use gongkai_core::article20::ARTICLE_20;
use gongkai_store::organ::Organ;
use minijinja::{Value, context};
use serde::Serialize;

use crate::auth::CurrentStaff;
use crate::{AppState, WebError, cookies};

/// The identity printed in every page's meta tags and footer.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteIdentity {
    /// 网站名称 (`SiteName`).
    pub name: String,
    /// 网站域名 (`SiteDomain`).
    pub domain: String,
    /// 政府网站标识码 (`SiteIDCode`).
    pub id_code: String,
    /// ICP备案编号.
    pub icp: String,
    /// 公安机关备案号.
    pub police: String,
    /// The digits of the 公安机关备案号 (for the link to the registration record).
    pub police_digits: String,
    /// 主办.
    pub sponsor: String,
    /// 承办.
    pub organizer: String,
    /// 联系方式.
    pub contact: String,
    /// Whether an organ is set up at all.
    pub configured: bool,
}

impl SiteIdentity {
    /// The identity of an organ's website.
    pub fn of(organ: &Organ) -> SiteIdentity {
        let s = &organ.settings;
        SiteIdentity {
            name: if s.site_name.is_empty() {
                s.name.clone()
            } else {
                s.site_name.clone()
            },
            domain: s.site_domain.clone(),
            id_code: s.site_id_code.clone(),
            icp: s.icp_record.clone(),
            police: s.police_record.clone(),
            police_digits: s
                .police_record
                .chars()
                .filter(char::is_ascii_digit)
                .collect(),
            sponsor: s.sponsor.clone(),
            organizer: s.organizer.clone(),
            contact: s.site_contact.clone(),
            configured: true,
        }
    }

    /// Shown before any organ exists.
    pub fn unconfigured() -> SiteIdentity {
        SiteIdentity {
            name: "政府信息公开平台".into(),
            ..SiteIdentity::default()
        }
    }
}

/// A column of the 政府信息公开专栏, with its `Column*` meta tags.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// The path.
    pub path: &'static str,
    /// `ColumnName`.
    pub name: &'static str,
    /// `ColumnDescription`.
    pub description: &'static str,
    /// `ColumnKeywords`.
    pub keywords: &'static str,
    /// `ColumnType`.
    pub kind: &'static str,
}

/// The 专栏 itself.
pub const ZWGK: Column = Column {
    path: "/zwgk",
    name: "政府信息公开",
    description: "政府信息公开专栏：政府信息公开指南、制度、法定主动公开内容和年度报告",
    keywords: "政府信息公开,政务公开,信息公开专栏",
    kind: "信息公开",
};
/// 政府信息公开指南 (条例 art. 12).
pub const GUIDE: Column = Column {
    path: "/zwgk/zhinan",
    name: "政府信息公开指南",
    description: "本机关政府信息的分类、编排体系、获取方式和政府信息公开工作机构的联系方式",
    keywords: "政府信息公开指南,依申请公开,工作机构",
    kind: "信息公开，公开指南",
};
/// 政府信息公开制度.
pub const RULES: Column = Column {
    path: "/zwgk/zhidu",
    name: "政府信息公开制度",
    description: "本机关政府信息公开工作的制度规范",
    keywords: "政府信息公开制度,政务公开制度",
    kind: "信息公开，公开制度",
};
/// 法定主动公开内容 (条例 art. 20).
pub const STATUTORY: Column = Column {
    path: "/zwgk/fdzdgknr",
    name: "法定主动公开内容",
    description: "按《中华人民共和国政府信息公开条例》第二十条主动公开的政府信息",
    keywords: "法定主动公开内容,主动公开,条例第二十条",
    kind: "信息公开，法定主动公开内容",
};
/// 政府信息公开年报 (条例 art. 49, 50).
pub const ANNUAL: Column = Column {
    path: "/zwgk/nianbao",
    name: "政府信息公开年报",
    description: "本机关政府信息公开工作年度报告",
    keywords: "政府信息公开工作年度报告,年报",
    kind: "信息公开，年度报告",
};

/// The four standard sub-columns of the 专栏 (国办公开办函〔2019〕61号), in order.
pub const SUB_COLUMNS: [&Column; 4] = [&GUIDE, &RULES, &STATUTORY, &ANNUAL];

/// One page of the portal.
#[derive(Debug, Clone, Serialize)]
pub struct PortalPage {
    /// Path.
    pub path: String,
    /// Title.
    pub title: String,
    /// Nesting depth in the 网站地图.
    pub depth: u8,
    /// When it last changed (`YYYY-MM-DD`), where known: sitemap.xml's `lastmod`.
    pub lastmod: Option<String>,
}

/// The path of the portal page of one year's annual report.
pub fn annual_report_path(year: i32) -> String {
    format!("{}/{year}", ANNUAL.path)
}

/// The title of one year's annual report in lists.
pub fn annual_report_title(organ_name: &str, year: i32) -> String {
    format!("{organ_name}{year}年政府信息公开工作年度报告")
}

/// Every public page, in 网站地图 order, with one page per published annual report
/// (`reports`: the organ's name and the years, newest first) and one per published item
/// (`items`, under the 政府信息公开目录). Both the 网站地图 page and sitemap.xml read this.
pub fn portal_pages(
    organ_name: &str,
    report_years: &[i32],
    items: &[PortalPage],
) -> Vec<PortalPage> {
    let page = |path: &str, title: &str, depth| PortalPage {
        path: path.to_owned(),
        title: title.to_owned(),
        depth,
        lastmod: None,
    };
    let mut pages = vec![page("/", "首页", 0), page(ZWGK.path, "政府信息公开专栏", 0)];
    pages.push(page(GUIDE.path, GUIDE.name, 1));
    pages.push(page(RULES.path, RULES.name, 1));
    pages.push(page(STATUTORY.path, STATUTORY.name, 1));
    for item in ARTICLE_20.iter() {
        pages.push(PortalPage {
            path: format!("{}/{}", STATUTORY.path, item.number),
            title: format!("{}{}", item.numeral, item.text),
            depth: 2,
            lastmod: None,
        });
    }
    // The 政府信息公开目录 with every published item, and the 规范性文件 list.
    for column in crate::controllers::items::portal::COLUMNS {
        pages.push(page(column.path, column.name, 1));
        if column.path == crate::controllers::items::CATALOGUE.path {
            pages.extend(items.iter().cloned());
        }
    }
    let catalogue = &crate::controllers::catalogue::BZML;
    pages.push(page(catalogue.path, catalogue.name, 1));
    pages.push(page(ANNUAL.path, ANNUAL.name, 1));
    for year in report_years {
        pages.push(PortalPage {
            path: annual_report_path(*year),
            title: annual_report_title(organ_name, *year),
            depth: 2,
            lastmod: None,
        });
    }
    // The 依申请公开 column: its notice page, the form and the tracking page.
    for (path, title) in crate::controllers::apply::PAGES {
        pages.push(page(path, title, 1));
    }
    // 互动交流: the column, 留言 and 意见征集.
    for (path, title) in crate::controllers::interact::PAGES {
        pages.push(page(
            path,
            title,
            u8::from(path != crate::controllers::interact::HDJL.path),
        ));
    }
    pages.push(page("/lxwm", "联系我们", 0));
    pages.push(page("/wzdt", "网站地图", 0));
    pages
}

/// A template value from anything serializable.
pub fn ser<T: Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

/// Percent-encodes a query value.
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A local path safe to redirect to (no scheme, no other host).
pub fn safe_next(next: &str) -> String {
    // Browsers drop tabs and line breaks inside URLs (`/\t/evil` becomes `//evil`) and read
    // `\` as `/`, so any of them, or any other control or space character, is refused.
    let plain = !next
        .chars()
        .any(|c| c == '\\' || c.is_control() || c.is_whitespace());
    if plain && next.starts_with('/') && !next.starts_with("//") {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

/// The Beijing date (UTC+8) of a Unix time; deadlines are counted in Beijing days.
pub fn beijing_date(unix: i64) -> time::Date {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::from_unix_timestamp(unix)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset)
        .date()
}

/// Beijing time, `yyyy-MM-dd HH:mm`.
pub fn format_time(unix: i64) -> String {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    match time::OffsetDateTime::from_unix_timestamp(unix) {
        Ok(t) => {
            let t = t.to_offset(offset);
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute()
            )
        }
        Err(_) => unix.to_string(),
    }
}

/// What every page needs from the request: its path, the 长者模式 switch, the staff member.
#[derive(Debug, Clone)]
pub struct PageRequest {
    /// The path and query.
    pub path: String,
    /// 长者模式 on.
    pub elder: bool,
    /// The logged-in staff member, if any.
    pub staff: Option<CurrentStaff>,
}

impl FromRequestParts<AppState> for PageRequest {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let path = parts
            .uri
            .path_and_query()
            .map_or("/".to_owned(), |p| p.as_str().to_owned());
        let elder = cookies::get(&parts.headers, cookies::ELDER).as_deref() == Some("1");
        let staff = crate::auth::MaybeStaff::from_request_parts(parts, state)
            .await?
            .0;
        Ok(PageRequest { path, elder, staff })
    }
}

impl AppState {
    /// The organ whose website the portal is: the configured one, else the first root organ.
    pub async fn portal_organ(&self) -> Result<Option<Organ>, WebError> {
        let key = self.config.portal.organ.trim();
        if !key.is_empty()
            && let Some(organ) = self.store.find_organ(key).await?
        {
            return Ok(Some(organ));
        }
        Ok(self.store.first_root_organ().await?)
    }

    /// The portal organ's name and its published annual reports, newest first (no organ: none).
    pub async fn published_reports(
        &self,
    ) -> Result<(String, Vec<crate::annual::Listing>), WebError> {
        Ok(match self.portal_organ().await? {
            Some(organ) => {
                let listings = crate::annual::listings(&self.store, organ.id).await?;
                (organ.settings.name, listings)
            }
            None => (String::new(), Vec::new()),
        })
    }

    /// The absolute base of the portal's public URLs (sitemap.xml, the `Url` tag): the
    /// configured `portal.base_url`, else `https://` and the organ's website domain, else the
    /// configured listening address. Never the request's Host header, which a client chooses.
    pub fn base_url(&self, site: &SiteIdentity) -> String {
        let configured = self.config.portal.base_url.trim().trim_end_matches('/');
        if !configured.is_empty() {
            configured.to_owned()
        } else if !site.domain.trim().is_empty() {
            format!("https://{}", site.domain.trim())
        } else {
            format!("http://{}", self.config.server.addr)
        }
    }

    /// The portal's identity.
    pub async fn site_identity(&self) -> Result<SiteIdentity, WebError> {
        Ok(match self.portal_organ().await? {
            Some(organ) => SiteIdentity::of(&organ),
            None => SiteIdentity::unconfigured(),
        })
    }

    /// Renders `template` inside the site's frame.
    pub async fn render(
        &self,
        request: &PageRequest,
        template: &str,
        title: &str,
        column: Option<&Column>,
        page: Value,
    ) -> Result<Html<String>, WebError> {
        let site = self.site_identity().await?;
        self.render_with_site(&site, request, template, title, column, page)
    }

    /// Renders with an identity already loaded (the error pages).
    pub fn render_with_site(
        &self,
        site: &SiteIdentity,
        request: &PageRequest,
        template: &str,
        title: &str,
        column: Option<&Column>,
        page: Value,
    ) -> Result<Html<String>, WebError> {
        let path_only = request.path.split('?').next().unwrap_or("/");
        let elder_toggle = format!(
            "/zhangzhe?on={}&next={}",
            if request.elder { "0" } else { "1" },
            url_encode(&request.path)
        );
        let staff = request.staff.as_ref().map(|s| {
            context! {
                username => s.user.username.clone(),
                display_name => s.user.display_name.clone(),
                csrf => s.session.csrf_token.clone(),
            }
        });
        let ctx = context! {
            site => crate::site::ser(site),
            column => column.map(ser),
            title => title,
            path => path_only,
            elder => request.elder,
            elder_toggle => elder_toggle,
            staff => staff,
            ..page
        };
        let html = self.templates.get_template(template)?.render(ctx)?;
        Ok(Html(html))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portal_pages_cover_the_four_sub_columns_and_all_art20_items() {
        let pages = portal_pages("开发区", &[], &[]);
        for column in SUB_COLUMNS {
            assert!(
                pages.iter().any(|p| p.path == column.path),
                "{}",
                column.path
            );
        }
        // 条例 art. 20 has 15 items, each with its own page.
        assert_eq!(pages.iter().filter(|p| p.depth == 2).count(), 15);
    }

    #[test]
    fn portal_pages_list_each_published_annual_report_under_the_column() {
        let pages = portal_pages("开发区", &[2023, 2022], &[]);
        let column = pages.iter().position(|p| p.path == ANNUAL.path).unwrap();
        let report = |year| {
            pages
                .iter()
                .position(|p| p.path == format!("/zwgk/nianbao/{year}"))
        };
        assert_eq!(report(2023), Some(column + 1));
        assert_eq!(report(2022), Some(column + 2));
        assert_eq!(
            pages[column + 2].title,
            "开发区2022年政府信息公开工作年度报告"
        );
    }

    #[test]
    fn only_local_redirects() {
        assert_eq!(safe_next("/console"), "/console");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next("/\t/evil.example"), "/");
        assert_eq!(safe_next("/\n/evil.example"), "/");
        assert_eq!(safe_next("/zwgk?x=1"), "/zwgk?x=1");
    }

    #[test]
    fn beijing_time() {
        assert_eq!(format_time(0), "1970-01-01 08:00");
    }
}
