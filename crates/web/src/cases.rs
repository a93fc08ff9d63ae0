//! What every page and endpoint of the application office shares: a case's computed view (its
//! clock on today's Beijing date, its workflow state, whether its due date is provisional), the
//! clock's JSON (the fields of `gongkai clock --json`), and the notices drafted from a case with
//! `gongkai_notice`.
//!
//! Nothing here is stored: the view is computed from the ledger on each request.

use gongkai_core::calendar::{Calendar, format_date, warnings};
use gongkai_core::clock::{ClockConfig, ClockReport, Status};
use gongkai_core::format::{APPLICANT_COLUMNS, APPLICATION_ROWS_2021, Template};
use gongkai_core::outcome::Outcome;
use gongkai_notice::{Details, Notice, NoticeContext, NoticeKind, NumberPattern};
use gongkai_store::application::Application;
use gongkai_store::notice::{NoticeSettings, StoredNotice};
use gongkai_store::organ::Organ;
use gongkai_store::workflow::CaseState;
use serde_json::{Value, json};
use time::Date;

use crate::WebError;

/// 证件类型: key and label, for every form that takes an applicant.
pub const ID_TYPES: [(&str, &str); 4] = [
    ("resident_id", "居民身份证"),
    ("credit_code", "统一社会信用代码"),
    ("passport", "护照"),
    ("other", "其他有效证件"),
];

/// 载体形式, the form the information is provided in (art. 29 (三), spec/workflows.md §1): key
/// and label. The store joins keys with commas, so none holds one.
pub const CARRIERS: [(&str, &str); 4] = [
    ("paper", "纸质"),
    ("electronic", "电子文档"),
    ("disc", "光盘"),
    ("other", "U盘或其他"),
];

/// 获取方式, how the applicant gets it: key and label.
pub const DELIVERY_METHODS: [(&str, &str); 6] = [
    ("pickup", "自行领取"),
    ("on_site", "当场查阅、抄录"),
    ("post", "邮寄"),
    ("email", "电子邮件"),
    ("fax", "传真"),
    ("online", "网上获取"),
];

/// The label of a key of one of the tables above, or the key itself.
pub fn key_label<'a>(table: &[(&'a str, &'a str)], key: &'a str) -> &'a str {
    table
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, label)| *label)
}

/// The 复议机关 named when an organ has not configured one.
pub const DEFAULT_RECONSIDERATION_BODY: &str = "本级人民政府";

/// Days left at or under which an open case is marked 即将到期.
pub const DUE_SOON_DAYS: i64 = 3;

/// A case as pages and the API show it on one day.
#[derive(Debug, Clone)]
pub struct CaseView {
    /// The application and its ledger.
    pub application: Application,
    /// Its clock, or why it cannot be computed (a year beyond the calendar's reach).
    pub clock: Result<ClockReport, String>,
    /// Its workflow state, when the clock could be computed.
    pub state: Option<CaseState>,
}

impl CaseView {
    /// The case's view on `today`.
    pub fn new(
        application: Application,
        cal: &Calendar,
        config: ClockConfig,
        today: Date,
    ) -> CaseView {
        match application.state(cal, config, today) {
            Ok((state, report)) => CaseView {
                application,
                clock: Ok(report),
                state: Some(state),
            },
            Err(e) => CaseView {
                application,
                clock: Err(e.to_string()),
                state: None,
            },
        }
    }

    /// Whether the case is closed.
    pub fn closed(&self) -> bool {
        self.state == Some(CaseState::Closed)
    }

    /// Whether the reply is overdue (open and past its due date).
    pub fn overdue(&self) -> bool {
        !self.closed() && self.clock.as_ref().is_ok_and(|r| r.overdue)
    }

    /// Whether the due date is within [`DUE_SOON_DAYS`] working days (and not past).
    pub fn due_soon(&self) -> bool {
        !self.closed()
            && self.clock.as_ref().is_ok_and(|r| {
                !r.overdue && r.due.is_some() && r.days_left.is_some_and(|d| d <= DUE_SOON_DAYS)
            })
    }

    /// Whether the due date rests on a year without a holiday notice.
    pub fn provisional(&self) -> bool {
        self.clock
            .as_ref()
            .is_ok_and(|r| !r.provisional_years.is_empty())
    }

    /// The due date as shown: `2027-01-04（暂定）` when provisional; a pause or a pending
    /// 补正 in words.
    pub fn due_label(&self) -> String {
        let Ok(r) = &self.clock else {
            return "无法计算".into();
        };
        let mark = if self.provisional() {
            "（暂定）"
        } else {
            ""
        };
        match (r.due, r.days_left) {
            (Some(due), _) => format!("{}{mark}", format_date(due)),
            (None, Some(left)) => format!("暂停计算（剩余 {left} 个工作日）"),
            (None, None) => "待收到补正后重新计算".into(),
        }
    }

    /// The sentence of days left: `剩余 3 个工作日`, `已逾期 2 个工作日`, or empty.
    pub fn days_label(&self) -> String {
        let Ok(r) = &self.clock else {
            return String::new();
        };
        if self.closed() {
            return match (r.due, r.closed) {
                (Some(due), Some(closed)) if closed > due => "逾期办结".into(),
                (Some(_), Some(_)) => "按期办结".into(),
                _ => "已办结".into(),
            };
        }
        match (r.due, r.days_left) {
            (Some(_), Some(left)) if left < 0 => format!("已逾期 {} 个工作日", -left),
            (Some(_), Some(left)) => format!("剩余 {left} 个工作日"),
            _ => String::new(),
        }
    }

    /// The status label (the workflow's, which tells a pending extension request apart).
    pub fn status_label(&self) -> &'static str {
        match self.state {
            Some(state) => state.label(),
            None => "无法计算",
        }
    }

    /// The explanation lines, then the calendar warnings (暂定, with the reason).
    pub fn explanation(&self) -> Vec<String> {
        match &self.clock {
            Ok(r) => {
                let mut lines = r.explanation.clone();
                lines.extend(warnings(&r.assumed_years, &r.provisional_years));
                lines
            }
            Err(e) => vec![e.clone()],
        }
    }

    /// The closing outcome, if closed.
    pub fn outcome(&self) -> Option<Outcome> {
        match self.clock.as_ref().ok()?.status {
            Status::Closed(outcome) => Some(outcome),
            _ => None,
        }
    }
}

/// The 表三 row key an outcome counts in (2021 template).
pub fn report_row(outcome: Outcome) -> Option<&'static str> {
    let row = outcome.row(Template::Y2021);
    APPLICATION_ROWS_2021
        .iter()
        .find(|r| r.row == row)
        .map(|r| r.key)
}

/// The label of an applicant kind key (表三's column), or empty.
pub fn applicant_kind_label(key: &str) -> &'static str {
    APPLICANT_COLUMNS[..gongkai_core::format::APPLICANT_TOTAL]
        .iter()
        .find(|c| c.key == key)
        .map_or("", |c| c.label)
}

/// The clock's JSON: exactly the fields of `gongkai clock --json`.
pub fn clock_json(report: &ClockReport) -> Value {
    let outcome = match report.status {
        Status::Closed(outcome) => Some(outcome),
        _ => None,
    };
    json!({
        "today": format_date(report.today),
        "status": report.status.key(),
        "status_label": report.status.label(),
        "received": format_date(report.received),
        "due": report.due.map(format_date),
        "days_left": report.days_left,
        "overdue": report.overdue,
        "closed": report.closed.map(format_date),
        "outcome": outcome.map(Outcome::key),
        "report_row": outcome.and_then(report_row),
        "notice": outcome.map(|o| o.notice().title),
        "explanation": report.explanation,
        "assumed_years": report.assumed_years,
        "provisional_years": report.provisional_years,
    })
}

/// The applicant as notices address them: a citizen's name, an organisation's 名称.
fn addressee(application: &Application) -> String {
    application.applicant.name.clone()
}

/// The facts of a notice for `application`, dated `date`, with the kind's `details`.
pub fn notice_context(
    organ: &Organ,
    settings: &NoticeSettings,
    application: &Application,
    number: &str,
    date: Date,
    details: Details,
) -> NoticeContext {
    let received = application
        .received()
        .map_or(date, |(received, _)| received);
    NoticeContext {
        organ: organ.settings.name.clone(),
        number: number.to_owned(),
        applicant: addressee(application),
        application_number: application.number.clone(),
        received,
        request: application.request.summary(),
        date,
        // Since 2024 a local department's 复议机关 is the 本级人民政府 (行政复议法（2023）第二十四条);
        // an organ that has not named it gets those words.
        reconsideration_body: if settings.reconsideration_body.trim().is_empty() {
            DEFAULT_RECONSIDERATION_BODY.to_owned()
        } else {
            settings.reconsideration_body.clone()
        },
        court: (!settings.court.is_empty()).then(|| settings.court.clone()),
        details,
    }
}

/// Renders a notice from the organ's template (or the national default).
pub fn render_notice(
    kind: NoticeKind,
    ctx: &NoticeContext,
    settings: &NoticeSettings,
) -> Result<Notice, WebError> {
    let template = settings.templates.get(&kind.key()).map(String::as_str);
    gongkai_notice::render(kind, ctx, template).map_err(|e| WebError::Invalid(e.to_string()))
}

/// Re-renders a notice whose paragraphs staff edited, so that the edited text is checked for
/// the same required elements as a drafted one (文书编号, 申请人, 收到日期, the article, the
/// remedy clause where adverse, 落款, date). The paragraphs are literal text.
pub fn render_edited(
    kind: NoticeKind,
    ctx: &NoticeContext,
    paragraphs: &[String],
) -> Result<Notice, WebError> {
    let mut template = String::from("{{ number }}\n");
    for p in paragraphs {
        let line = p.trim();
        if line.is_empty() {
            continue;
        }
        // Literal text: whatever braces staff typed are printed, never evaluated.
        template.push_str("{% raw %}");
        template.push_str(&line.replace("{% endraw %}", "{ % endraw % }"));
        template.push_str("{% endraw %}\n");
    }
    template.push_str("{{ organ }}\n{{ date }}\n");
    gongkai_notice::render(kind, ctx, Some(&template))
        .map_err(|e| WebError::Invalid(format!("告知书内容不完整：{e}")))
}

/// The notice a kept row prints: its frozen number, paragraphs and date.
pub fn stored_notice(stored: &StoredNotice) -> Result<Notice, WebError> {
    let kind = NoticeKind::from_key(&stored.kind)
        .ok_or_else(|| WebError::Internal(format!("notice kind {}", stored.kind)))?;
    let date = gongkai_core::calendar::parse_date(&stored.date)
        .ok_or_else(|| WebError::Internal(format!("notice date {}", stored.date)))?;
    Ok(Notice {
        kind,
        title: stored.title.clone(),
        number: stored.number.clone(),
        paragraphs: stored.paragraphs.clone(),
        date,
        organ: stored.organ_name.clone(),
    })
}

/// The counter a kind's 文书编号 runs on: one per procedural kind, one for every reply.
pub fn number_counter(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::Receipt => "receipt",
        NoticeKind::Correction => "correction",
        NoticeKind::Extension => "extension",
        NoticeKind::Consultation => "consultation",
        NoticeKind::Fee => "fee",
        NoticeKind::Reply(_) => "reply",
    }
}

/// The organ's numbering pattern; an invalid saved one is an error naming the pattern.
pub fn number_pattern(settings: &NoticeSettings) -> Result<NumberPattern, WebError> {
    NumberPattern::parse(&settings.number_pattern).map_err(|e| WebError::Invalid(e.to_string()))
}

/// The `{organ_short}` of the number: the configured short name, else the organ's name.
pub fn organ_short(organ: &Organ, settings: &NoticeSettings) -> String {
    if settings.organ_short.is_empty() {
        organ.settings.name.clone()
    } else {
        settings.organ_short.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_number_pattern_parses() {
        assert!(NumberPattern::parse(&NoticeSettings::default().number_pattern).is_ok());
    }

    #[test]
    fn every_outcome_has_a_report_row() {
        for spec in gongkai_core::outcome::OUTCOMES {
            assert!(report_row(spec.outcome).is_some(), "{}", spec.key);
        }
    }
}
