//! Rendering a notice from its template: the context, the template, and the check that every
//! required element made it into the text.

use std::collections::BTreeMap;
use std::fmt;

use gongkai_core::outcome::Outcome;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};

use crate::context::{Details, NoticeContext, chinese_date};
use crate::kind::{NoticeKind, regulation_citation};
use crate::notice::Notice;
use crate::remedy::remedy;

/// An element a notice must contain (spec/workflows.md §2.4, spec/domain.md §9.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Element {
    /// 文书编号, the first line.
    Number,
    /// 申请人.
    Applicant,
    /// The date the application was received.
    ReceivedDate,
    /// The article the decision rests on.
    Article,
    /// The kind's own deadline: the 补正 deadline, the extended due date, the consultation's.
    Deadline,
    /// The fee's amount.
    Amount,
    /// The remedy clause of an adverse decision.
    Remedy,
    /// The organ's name, the second-to-last line.
    Organ,
    /// The notice's date, the last line.
    Date,
}

impl Element {
    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Element::Number => "文书编号",
            Element::Applicant => "申请人",
            Element::ReceivedDate => "收到申请日期",
            Element::Article => "法律依据条款",
            Element::Deadline => "期限",
            Element::Amount => "收费金额",
            Element::Remedy => "救济途径告知",
            Element::Organ => "机关名称",
            Element::Date => "成文日期",
        }
    }
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Why a notice could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
    /// The template does not parse.
    #[error("通知书模板 {template} 第 {line} 行有语法错误：{detail}")]
    Syntax {
        /// `default:reply_withheld.txt` or `override:reply.disclosed`.
        template: String,
        /// 1-based line of the template, 0 if unknown.
        line: usize,
        /// The engine's message.
        detail: String,
    },
    /// The template parses but fails to render (an unknown variable, a bad filter).
    #[error("通知书模板 {template} 第 {line} 行无法生成：{detail}")]
    Render {
        /// As for [`NoticeError::Syntax`].
        template: String,
        /// 1-based line of the template, 0 if unknown.
        line: usize,
        /// The engine's message.
        detail: String,
    },
    /// The rendered text lacks a required element.
    #[error("通知书缺少必备要素「{element}」：{expected}")]
    MissingElement {
        /// The element.
        element: Element,
        /// What was expected and where.
        expected: String,
    },
    /// The context's details are for another kind of notice.
    #[error("{kind}需要 {expected} 类内容，提供的是 {given}")]
    DetailsMismatch {
        /// The kind rendered.
        kind: NoticeKind,
        /// The `Details` variant it needs.
        expected: &'static str,
        /// The variant given.
        given: &'static str,
    },
    /// A field the notice needs is empty.
    #[error("{kind}的「{field}」不能为空")]
    EmptyField {
        /// The kind rendered.
        kind: NoticeKind,
        /// The field, in Chinese.
        field: &'static str,
    },
    /// The details contradict the kind.
    #[error("{kind}：{reason}")]
    InvalidDetails {
        /// The kind rendered.
        kind: NoticeKind,
        /// Why, in Chinese, citing the article.
        reason: &'static str,
    },
    /// The DOCX could not be written.
    #[error("无法生成 DOCX 文件：{0}")]
    Docx(String),
}

/// Renders `kind` for the case `ctx`, with the organ's template `override_template` if given,
/// else the embedded national default ([`NoticeKind::default_template`]). See the crate docs
/// for the template's variables and layout.
pub fn render(
    kind: NoticeKind,
    ctx: &NoticeContext,
    override_template: Option<&str>,
) -> Result<Notice, NoticeError> {
    let facts = Facts::new(kind, ctx)?;
    let (name, source) = match override_template {
        Some(source) => (format!("override:{}", kind.key()), source),
        None => (
            format!("default:{}", kind.family().file()),
            kind.default_template(),
        ),
    };
    let text = run_template(&name, source, facts.value(kind, ctx))?;
    facts.assemble(kind, ctx, &text)
}

fn run_template(name: &str, source: &str, ctx: Value) -> Result<String, NoticeError> {
    let mut env = Environment::new();
    // A misspelt variable in an organ's template must fail, not print nothing.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Plain text: HTML escaping is the HTML renderer's job, after the text is checked.
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.add_template_owned(name.to_owned(), source.to_owned())
        .map_err(|e| NoticeError::Syntax {
            template: name.to_owned(),
            line: e.line().unwrap_or(0),
            detail: engine_detail(&e),
        })?;
    let render_err = |e: minijinja::Error| NoticeError::Render {
        template: name.to_owned(),
        line: e.line().unwrap_or(0),
        detail: engine_detail(&e),
    };
    env.get_template(name)
        .map_err(render_err)?
        .render(ctx)
        .map_err(render_err)
}

fn engine_detail(e: &minijinja::Error) -> String {
    match e.detail() {
        Some(d) => format!("{}（{d}）", e.kind()),
        None => e.kind().to_string(),
    }
}

/// The context's values as the template sees them, normalised once so that what is checked
/// is what was printed.
struct Facts {
    number: String,
    applicant: String,
    organ: String,
    received: String,
    date: String,
    remedy: Option<crate::remedy::Remedy>,
    deadline: Option<String>,
    amount: Option<String>,
}

impl Facts {
    fn new(kind: NoticeKind, ctx: &NoticeContext) -> Result<Facts, NoticeError> {
        validate(kind, ctx)?;
        let remedy = remedy(
            kind,
            ctx.date,
            &one_line(&ctx.reconsideration_body),
            ctx.court.as_deref().map(one_line).as_deref(),
        );
        let (deadline, amount) = match &ctx.details {
            Details::Correction { deadline, .. } => (Some(chinese_date(*deadline)), None),
            Details::Extension { new_due, .. } => (Some(chinese_date(*new_due)), None),
            Details::Consultation { deadline, .. } => (deadline.map(chinese_date), None),
            Details::Fee { fee, .. } => (None, Some(format!("{}元", fee.yuan))),
            Details::Receipt | Details::Reply(_) => (None, None),
        };
        Ok(Facts {
            number: one_line(&ctx.number),
            applicant: one_line(&ctx.applicant),
            organ: one_line(&ctx.organ),
            received: chinese_date(ctx.received),
            date: chinese_date(ctx.date),
            remedy,
            deadline,
            amount,
        })
    }

    fn value(&self, kind: NoticeKind, ctx: &NoticeContext) -> Value {
        let mut v: BTreeMap<&'static str, Value> = BTreeMap::new();
        v.insert("kind", Value::from(kind.key()));
        v.insert("title", Value::from(kind.title()));
        v.insert("number", Value::from(self.number.clone()));
        v.insert("organ", Value::from(self.organ.clone()));
        v.insert("applicant", Value::from(self.applicant.clone()));
        v.insert(
            "application_number",
            Value::from(one_line(&ctx.application_number)),
        );
        v.insert("received", Value::from(self.received.clone()));
        v.insert("request", Value::from(in_sentence(&ctx.request)));
        v.insert("date", Value::from(self.date.clone()));
        v.insert("article", opt(kind.article()));
        v.insert("legal_basis", opt(kind.legal_basis()));
        v.insert(
            "adverse",
            Value::from(matches!(kind, NoticeKind::Reply(o) if crate::remedy::is_adverse(o))),
        );
        v.insert(
            "remedy",
            opt(self.remedy.as_ref().map(|r| r.clause.clone())),
        );
        v.insert(
            "reconsideration_first",
            Value::from(
                self.remedy
                    .as_ref()
                    .is_some_and(|r| r.reconsideration_first),
            ),
        );
        v.insert(
            "reconsideration_body",
            Value::from(one_line(&ctx.reconsideration_body)),
        );
        v.insert("court", opt(ctx.court.as_deref().map(one_line)));
        match &ctx.details {
            Details::Receipt => {}
            Details::Correction { items, .. } => {
                let items: Vec<Value> = items.iter().map(|i| Value::from(one_line(i))).collect();
                v.insert("correction_items", Value::from(items));
                v.insert("correction_deadline", Value::from(self.deadline.clone()));
            }
            Details::Extension { reason, .. } => {
                v.insert("extension_reason", Value::from(in_sentence(reason)));
                v.insert("new_due", Value::from(self.deadline.clone()));
            }
            Details::Consultation {
                third_party,
                question,
                ..
            } => {
                v.insert("third_party", Value::from(one_line(third_party)));
                v.insert("question", Value::from(in_sentence(question)));
                v.insert("consultation_deadline", opt(self.deadline.clone()));
            }
            Details::Fee { fee, payment } => {
                let lines = fee.explanation();
                // The first line is the total and the last the basis; both have variables.
                let bands = lines
                    .get(1..lines.len().saturating_sub(1))
                    .unwrap_or_default()
                    .iter()
                    .map(|l| Value::from(l.clone()))
                    .collect::<Vec<_>>();
                v.insert("fee_yuan", Value::from(fee.yuan));
                v.insert("fee_basis", Value::from(fee.basis_article()));
                v.insert("fee_lines", Value::from(bands));
                v.insert("fee_payment", Value::from(in_sentence(payment)));
            }
            Details::Reply(reply) => {
                if let NoticeKind::Reply(o) = kind {
                    v.insert("outcome", Value::from(o.key()));
                    v.insert("outcome_label", Value::from(o.label()));
                    v.insert("basis", Value::from(o.basis()));
                }
                v.insert("details", lines_value(&reply.details));
                let disclosed: Vec<Value> = reply
                    .disclosed
                    .iter()
                    .map(|i| Value::from(one_line(i)))
                    .collect();
                v.insert("disclosed", Value::from(disclosed));
                let withheld: Vec<Value> = reply
                    .withheld
                    .iter()
                    .map(|p| {
                        let mut m: BTreeMap<&'static str, Value> = BTreeMap::new();
                        m.insert("item", Value::from(one_line(&p.item)));
                        m.insert("reason", Value::from(in_sentence(&p.reason)));
                        m.insert("ground", Value::from(p.ground.key()));
                        m.insert("ground_label", Value::from(p.ground.label()));
                        m.insert("basis", Value::from(p.ground.basis()));
                        m.insert(
                            "legal_basis",
                            Value::from(regulation_citation(p.ground.basis())),
                        );
                        Value::from(m)
                    })
                    .collect();
                v.insert("withheld", Value::from(withheld));
            }
        }
        Value::from(v)
    }

    /// Splits the rendered text into the notice's parts and checks each required element.
    fn assemble(
        self,
        kind: NoticeKind,
        ctx: &NoticeContext,
        text: &str,
    ) -> Result<Notice, NoticeError> {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let missing = |element, expected: String| NoticeError::MissingElement { element, expected };

        let first = lines.first().copied().unwrap_or_default();
        if !first.contains(&self.number) {
            return Err(missing(
                Element::Number,
                format!("第一行应当是文书编号「{}」", self.number),
            ));
        }
        let (organ_line, date_line, body) = match lines.as_slice() {
            [_, body @ .., organ, date] => (*organ, *date, body),
            _ => {
                return Err(missing(
                    Element::Organ,
                    "文书编号之后应当有正文，最后两行应当是机关名称和成文日期".to_owned(),
                ));
            }
        };
        // The frame before the body: a missing last line would otherwise shift the organ and
        // the remedy into the wrong places and blame the wrong element.
        if !date_line.contains(&self.date) {
            return Err(missing(
                Element::Date,
                format!("最后一行应当是成文日期「{}」", self.date),
            ));
        }
        if !organ_line.contains(&self.organ) {
            return Err(missing(
                Element::Organ,
                format!("倒数第二行应当是机关名称「{}」", self.organ),
            ));
        }
        let body_text = body.concat();
        let wanted = [
            (Element::Applicant, Some(self.applicant.as_str())),
            (Element::ReceivedDate, Some(self.received.as_str())),
            (Element::Article, kind.article()),
            (Element::Deadline, self.deadline.as_deref()),
            (Element::Amount, self.amount.as_deref()),
            (
                Element::Remedy,
                self.remedy.as_ref().map(|r| r.clause.as_str()),
            ),
        ];
        for (element, needle) in wanted {
            if let Some(needle) = needle
                && !body_text.contains(needle)
            {
                return Err(missing(element, format!("正文应当包含「{needle}」")));
            }
        }
        Ok(Notice {
            kind,
            title: kind.title().to_owned(),
            number: first.to_owned(),
            paragraphs: body.iter().map(|l| (*l).to_owned()).collect(),
            date: ctx.date,
            organ: organ_line.to_owned(),
        })
    }
}

/// The checks a template cannot do: the details fit the kind, and nothing required is empty
/// (an empty value would pass the element check vacuously).
fn validate(kind: NoticeKind, ctx: &NoticeContext) -> Result<(), NoticeError> {
    let empty = |field| NoticeError::EmptyField { kind, field };
    let invalid = |reason| NoticeError::InvalidDetails { kind, reason };
    for (value, field) in [
        (&ctx.organ, "机关名称"),
        (&ctx.number, "文书编号"),
        (&ctx.applicant, "申请人"),
        (&ctx.request, "申请内容"),
    ] {
        if value.trim().is_empty() {
            return Err(empty(field));
        }
    }
    let expected = match kind {
        NoticeKind::Receipt => "Receipt",
        NoticeKind::Correction => "Correction",
        NoticeKind::Extension => "Extension",
        NoticeKind::Consultation => "Consultation",
        NoticeKind::Fee => "Fee",
        NoticeKind::Reply(_) => "Reply",
    };
    if ctx.details.name() != expected {
        return Err(NoticeError::DetailsMismatch {
            kind,
            expected,
            given: ctx.details.name(),
        });
    }
    let blank = |s: &str| s.trim().is_empty();
    match (&ctx.details, kind) {
        (Details::Correction { items, .. }, _) if items.iter().all(|i| blank(i)) => {
            Err(empty("补正事项"))
        }
        (Details::Extension { reason, .. }, _) if blank(reason) => Err(empty("延期理由")),
        (Details::Consultation { third_party, .. }, _) if blank(third_party) => {
            Err(empty("第三方"))
        }
        (Details::Consultation { question, .. }, _) if blank(question) => {
            Err(empty("征求意见事项"))
        }
        (Details::Fee { fee, .. }, _) if fee.yuan == 0 => Err(invalid(
            "不收费的申请无需收费通知书（国办函〔2020〕109号第四条、第五条的免费额度）",
        )),
        (Details::Fee { payment, .. }, _) if blank(payment) => Err(empty("缴费方式")),
        (Details::Reply(reply), NoticeKind::Reply(o)) => {
            validate_reply(o, reply).map_err(invalid)?;
            if crate::remedy::is_adverse(o) && blank(&ctx.reconsideration_body) {
                return Err(empty("复议机关"));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn validate_reply(o: Outcome, reply: &crate::context::Reply) -> Result<(), &'static str> {
    let gives = matches!(
        o,
        Outcome::AlreadyPublic | Outcome::Disclosed | Outcome::PartlyDisclosed
    );
    let withholds = o == Outcome::PartlyDisclosed || is_withheld_ground(o);
    if !gives && !reply.disclosed.is_empty() {
        return Err("未予公开的答复不能列出予以公开的信息");
    }
    if !withholds && !reply.withheld.is_empty() {
        return Err("该答复不能列出不予公开的信息");
    }
    if reply.withheld.iter().any(|p| !is_withheld_ground(p.ground)) {
        return Err("不予公开部分的理由应当是第十四条、第十五条、第十六条规定的情形之一");
    }
    let has_details = !reply.details.trim().is_empty();
    match o {
        Outcome::PartlyDisclosed if reply.withheld.is_empty() => {
            Err("部分公开应当逐项说明不予公开部分的理由和法律依据（第三十七条）")
        }
        _ if is_withheld_ground(o) && reply.withheld.is_empty() && !has_details => {
            Err("不予公开应当说明理由（第三十六条第（三）项）")
        }
        Outcome::AlreadyPublic | Outcome::Publication if !has_details => {
            Err("应当告知获取的方式、途径（第三十六条第（一）项、第三十九条第二款）")
        }
        Outcome::OtherClosed if !has_details => Err("应当说明处理情况和理由"),
        _ => Ok(()),
    }
}

fn is_withheld_ground(o: Outcome) -> bool {
    matches!(
        o,
        Outcome::WithheldStateSecret
            | Outcome::WithheldProhibitedByLaw
            | Outcome::WithheldSecurityStability
            | Outcome::WithheldThirdParty
            | Outcome::WithheldInternalAffairs
            | Outcome::WithheldProcessInfo
            | Outcome::WithheldEnforcementFile
    )
}

/// A field printed inside a line: a line break in it would split the paragraph.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A field printed inside a sentence, which the template ends: its own final stop goes.
fn in_sentence(s: &str) -> String {
    one_line(s)
        .trim_end_matches(['。', '．', '.', '；', ';', '，', ','])
        .to_owned()
}

/// An optional value as the empty string when absent: minijinja prints `none` for a none
/// value, and the empty string is as false in `{% if %}`.
fn opt<S: Into<String>>(v: Option<S>) -> Value {
    Value::from(v.map(Into::into).unwrap_or_default())
}

/// Free text that may run to several paragraphs: one per non-blank line.
fn lines_value(s: &str) -> Value {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(Value::from)
        .collect()
}
