//! The minijinja environment: every template embedded with `include_str!` and built once at
//! start-up, so the binary needs no template directory. `.html` templates auto-escape.

use minijinja::Environment;

use crate::WebError;

/// (name, source) of every template.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("zwgk.html", include_str!("../templates/zwgk.html")),
    ("guide.html", include_str!("../templates/guide.html")),
    ("rules.html", include_str!("../templates/rules.html")),
    (
        "statutory.html",
        include_str!("../templates/statutory.html"),
    ),
    (
        "statutory_item.html",
        include_str!("../templates/statutory_item.html"),
    ),
    ("annual.html", include_str!("../templates/annual.html")),
    (
        "annual_report.html",
        include_str!("../templates/annual_report.html"),
    ),
    ("sitemap.html", include_str!("../templates/sitemap.html")),
    ("search.html", include_str!("../templates/search.html")),
    ("contact.html", include_str!("../templates/contact.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("login.html", include_str!("../templates/login.html")),
    (
        "console/home.html",
        include_str!("../templates/console/home.html"),
    ),
    (
        "console/organ.html",
        include_str!("../templates/console/organ.html"),
    ),
    (
        "console/settings.html",
        include_str!("../templates/console/settings.html"),
    ),
    (
        "console/users.html",
        include_str!("../templates/console/users.html"),
    ),
    (
        "console/reports.html",
        include_str!("../templates/console/reports.html"),
    ),
    (
        "console/report_year.html",
        include_str!("../templates/console/report_year.html"),
    ),
    (
        "console/audit.html",
        include_str!("../templates/console/audit.html"),
    ),
];

/// The site's stylesheet, served at `/static/site.css`.
pub const SITE_CSS: &str = include_str!("../static/site.css");

/// Builds the environment; a template that does not parse is an error at start-up.
pub fn environment() -> Result<Environment<'static>, WebError> {
    let mut env = Environment::new();
    let areas = [
        TEMPLATES,
        crate::controllers::apply::TEMPLATES,
        crate::controllers::office::TEMPLATES,
        crate::controllers::items::TEMPLATES,
        crate::controllers::interact::TEMPLATES,
        crate::controllers::catalogue::TEMPLATES,
        crate::controllers::computed::TEMPLATES,
        crate::controllers::superior::TEMPLATES,
    ];
    for (name, source) in areas.into_iter().flatten() {
        env.add_template(name, source)?;
    }
    Ok(env)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_parses() {
        let env = super::environment().unwrap();
        let count = super::TEMPLATES.len()
            + crate::controllers::apply::TEMPLATES.len()
            + crate::controllers::office::TEMPLATES.len()
            + crate::controllers::items::TEMPLATES.len()
            + crate::controllers::interact::TEMPLATES.len()
            + crate::controllers::catalogue::TEMPLATES.len()
            + crate::controllers::computed::TEMPLATES.len()
            + crate::controllers::superior::TEMPLATES.len();
        assert_eq!(env.templates().count(), count);
    }
}
