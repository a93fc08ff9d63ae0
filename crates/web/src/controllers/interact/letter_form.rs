//! The 留言 form: its fields and their bounds, the check (a Chinese sentence at each wrong
//! field, nothing kept until all are right) and the 留言 it makes.
//!
//! The bounds the extractor enforces are generous (a page of its own for anything beyond them);
//! the limits the writer is told (title 50, body 2000 characters) are checked here, so that an
//! over-long text comes back in the form with its count.

use std::collections::BTreeMap;

use gongkai_store::message::{self, KINDS, NewMessage, Writer};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::validate::{Bound, Bounded};

/// The honeypot: a field no person sees, which form-filling robots fill in.
pub const HONEYPOT: &str = "website";

/// The 留言 form as submitted.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct LetterForm {
    /// A key of `message::KINDS`.
    pub kind: String,
    /// 标题.
    pub title: String,
    /// 留言内容.
    pub body: String,
    /// 姓名.
    pub name: String,
    /// 联系电话.
    pub phone: String,
    /// 电子邮箱.
    pub email: String,
    /// 同意公开 ("1" when ticked).
    pub consent: String,
    /// The honeypot.
    pub website: String,
}

impl Bounded for LetterForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("kind", "留言类型", 20),
        Bound::line("title", "标题", 200),
        Bound::lines("body", "留言内容", 6000),
        Bound::line("name", "姓名", 100),
        Bound::line("phone", "联系电话", 40),
        Bound::line("email", "电子邮箱", 254),
        Bound::line("consent", "同意公开", 10),
        Bound::line(HONEYPOT, "网址", 200),
    ];
}

/// The Chinese sentence at each wrong field, by field name.
pub type Errors = BTreeMap<&'static str, String>;

/// The fields in the form's order, for the list of errors at its top.
const ORDER: [&str; 6] = ["kind", "title", "body", "name", "phone", "email"];

/// The errors in the form's order, each with the anchor of its field.
pub fn summary(errors: &Errors) -> Vec<(String, String)> {
    ORDER
        .iter()
        .filter_map(|key| errors.get(key).map(|m| (format!("#{key}"), m.clone())))
        .collect()
}

/// A telephone number: digits with the usual separators, 7 to 20 digits.
fn phone_like(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    (7..=20).contains(&digits)
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')' | '（' | '）'))
}

/// An e-mail address of the usual form.
fn email_like(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(char::is_whitespace)
}

impl LetterForm {
    /// Whether the honeypot was filled in.
    pub fn is_robot(&self) -> bool {
        !self.website.trim().is_empty()
    }

    /// Whether the writer ticked 同意公开.
    pub fn consents(&self) -> bool {
        !self.consent.is_empty()
    }

    /// Checks the form: the 留言 to keep (received `today`, with `code`), or every field's
    /// error.
    pub fn check(&self, today: Date, code: &str) -> Result<NewMessage, Errors> {
        let mut errors = Errors::new();
        let kind = self.kind.trim();
        if message::kind_label(kind).is_empty() {
            errors.insert("kind", "请选择留言类型：咨询、建议或投诉。".into());
        }
        let mut text = |key: &'static str, what: &str, value: &str, max: usize| {
            let value = value.replace("\r\n", "\n").trim().to_owned();
            let count = value.chars().count();
            if count == 0 {
                errors.insert(key, format!("请填写{what}。"));
            } else if count > max {
                errors.insert(
                    key,
                    format!("{what}不能超过{max}个字（现为{count}个），请精简后重新提交。"),
                );
            }
            value
        };
        let title = text("title", "标题", &self.title, message::TITLE_MAX);
        let body = text("body", "留言内容", &self.body, message::BODY_MAX);
        let name = text("name", "姓名", &self.name, 50);
        let phone = self.phone.trim().to_owned();
        if phone.is_empty() {
            errors.insert("phone", "请填写联系电话，以便答复时联系您。".into());
        } else if !phone_like(&phone) {
            errors.insert(
                "phone",
                "联系电话格式不正确，请填写手机号码或带区号的固定电话（如 0470-2773823）。".into(),
            );
        }
        let email = self.email.trim().to_owned();
        if !email.is_empty() && !email_like(&email) {
            errors.insert(
                "email",
                "电子邮箱格式不正确，请核对（如 name@example.com）。".into(),
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewMessage {
            kind: kind.to_owned(),
            title,
            body,
            writer: Writer { name, phone, email },
            consent: self.consents(),
            received: today,
            query_code: code.to_owned(),
        })
    }
}

/// One choice of the kind.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    key: &'static str,
    label: &'static str,
    checked: bool,
}

/// The kinds, the typed one checked.
pub fn kinds(form: &LetterForm) -> Vec<Choice> {
    KINDS
        .iter()
        .map(|(key, label)| Choice {
            key,
            label,
            checked: form.kind == *key,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> LetterForm {
        LetterForm {
            kind: "consult".into(),
            title: "道路何时修复".into(),
            body: "门前道路破损。".into(),
            name: "张三".into(),
            phone: "13800138000".into(),
            ..LetterForm::default()
        }
    }

    #[test]
    fn every_wrong_field_gets_its_sentence() {
        let today = time::macros::date!(2026 - 01 - 05);
        assert!(form().check(today, "CODE").is_ok());
        let wrong = LetterForm {
            kind: "求助".into(),
            title: "长".repeat(51),
            body: " ".into(),
            phone: "abc".into(),
            email: "no-at".into(),
            ..form()
        };
        let errors = wrong.check(today, "CODE").unwrap_err();
        assert_eq!(
            errors.keys().copied().collect::<Vec<_>>(),
            ["body", "email", "kind", "phone", "title"]
        );
        assert!(errors["title"].contains("不能超过50个字（现为51个）"));
        // Consent is off unless ticked.
        assert!(!form().check(today, "CODE").unwrap().consent);
    }
}
