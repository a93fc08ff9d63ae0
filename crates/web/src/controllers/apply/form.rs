//! The online application form of 条例 art. 29 ¶2: its fields and their bounds, reading the
//! submitted pairs, checking them (every wrong field gets its own Chinese sentence, and
//! nothing is kept until all are right), and laying the fields out for the template with the
//! typed values kept.

use std::collections::BTreeMap;

use gongkai_core::format::{APPLICANT_COLUMNS, APPLICANT_TOTAL};
use gongkai_core::identity;
use gongkai_store::application::{Applicant, Request};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::validate::{self, Bound, Bounded};

/// The 表三 column of a citizen; every other kind is an organisation's.
pub const PERSON: &str = "natural_person";

pub use crate::cases::{CARRIERS, DELIVERY_METHODS, ID_TYPES};

/// The honeypot: a field no person sees (hidden by the stylesheet, out of the tab order and
/// of the accessibility tree), which form-filling robots fill in.
pub const HONEYPOT: &str = "website";

/// The form field of the 身份证明 scan.
pub const ID_PROOF: &str = "id_proof";

/// The submitted text fields, as name=value pairs: the checkboxes repeat their name, which
/// the url-encoded decoder cannot put into a struct.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct RawForm(pub Vec<(String, String)>);

impl Bounded for RawForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("kind", "申请人类型", 20),
        Bound::line("name", "姓名或者名称", 100),
        Bound::line("id_type", "证件类型", 20),
        Bound::line("id_number", "证件号码", 40),
        Bound::line("work_unit", "工作单位", 100),
        Bound::line("legal_representative", "法定代表人", 50),
        Bound::line("contact_person", "联系人", 50),
        Bound::line("phone", "联系电话", 30),
        Bound::line("email", "电子邮箱", 254),
        Bound::line("address", "通信地址", 200),
        Bound::line("postcode", "邮政编码", 10),
        Bound::line("fax", "传真", 30),
        Bound::line("title", "信息名称", 200),
        Bound::line("doc_number", "文号", 100),
        Bound::lines("description", "特征性描述", 2000),
        Bound::line("forms", "载体形式", 20),
        Bound::line("delivery", "获取方式", 20),
        Bound::line("accept_other_form", "同意以其他适当形式提供", 10),
        Bound::line("pledge", "承诺", 10),
        Bound::line(HONEYPOT, "网址", 200),
    ];
}

/// The form as typed, kept to show it again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyInput {
    /// Text fields by name, as typed.
    pub text: BTreeMap<String, String>,
    /// 载体形式 keys ticked, in [`CARRIERS`] order.
    pub forms: Vec<&'static str>,
    /// 获取方式 keys ticked, in [`DELIVERY_METHODS`] order.
    pub delivery: Vec<&'static str>,
    /// 同意以其他适当形式提供.
    pub accept_other_form: bool,
    /// 承诺 ticked.
    pub pledge: bool,
}

/// The keys of `options` that appear among `values`, in the options' order.
fn ticked(options: &[(&'static str, &str)], values: &[&str]) -> Vec<&'static str> {
    options
        .iter()
        .map(|(key, _)| *key)
        .filter(|key| values.contains(key))
        .collect()
}

impl ApplyInput {
    /// Reads the pairs: the first value of each text field; every ticked box.
    pub fn from_pairs(pairs: &[(String, String)]) -> ApplyInput {
        let values = |name: &str| -> Vec<&str> {
            pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        let mut text = BTreeMap::new();
        for (key, value) in pairs {
            let listed = RawForm::FIELDS.iter().any(|b| b.field == key);
            let boxes = matches!(
                key.as_str(),
                "forms" | "delivery" | "accept_other_form" | "pledge"
            );
            if listed && !boxes {
                text.entry(key.clone()).or_insert_with(|| value.clone());
            }
        }
        ApplyInput {
            text,
            forms: ticked(&CARRIERS, &values("forms")),
            delivery: ticked(&DELIVERY_METHODS, &values("delivery")),
            accept_other_form: !values("accept_other_form").is_empty(),
            pledge: !values("pledge").is_empty(),
        }
    }

    /// A text field as typed ("" if not sent).
    pub fn get(&self, key: &str) -> &str {
        self.text.get(key).map_or("", String::as_str)
    }

    /// A text field trimmed, line breaks as `\n`.
    fn trimmed(&self, key: &str) -> String {
        self.get(key).replace("\r\n", "\n").trim().to_owned()
    }

    /// Whether the honeypot was filled in.
    pub fn is_robot(&self) -> bool {
        !self.get(HONEYPOT).trim().is_empty()
    }
}

/// The Chinese sentence at each wrong field, by field name; `info` is the 所需信息 group.
pub type Errors = BTreeMap<&'static str, String>;

/// A 联系电话 or 传真: digits with the usual separators, 7 to 20 digits.
fn phone_like(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    (7..=20).contains(&digits)
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')' | '（' | '）'))
}

/// An e-mail address of the usual form: one `@`, a dotted domain, no spaces.
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

/// The 证件号码 as kept, checked by its type: a 身份证 by GB 11643 (region, birth date, check
/// digit), a 统一社会信用代码 by GB 32100; others only non-empty (their bound is checked
/// before). The type must fit the applicant: a citizen has no credit code, an organisation
/// no 身份证 or passport.
fn id_number(
    person: Option<bool>,
    id_type: &str,
    number: &str,
    today: Date,
) -> Result<String, (&'static str, String)> {
    let type_error = |message: &str| Err(("id_type", message.to_owned()));
    match (id_type, person) {
        ("credit_code", Some(true)) => {
            return type_error(
                "统一社会信用代码是法人或者其他组织的证照号码，公民请选择居民身份证、护照或其他有效证件。",
            );
        }
        ("resident_id" | "passport", Some(false)) => {
            return type_error(
                "法人或者其他组织请选择统一社会信用代码；没有统一社会信用代码的，请选择其他有效证件。",
            );
        }
        _ => {}
    }
    if number.is_empty() {
        return Err(("id_number", "请填写证件号码。".into()));
    }
    let wrong = |message: String| ("id_number", format!("{message}。"));
    match id_type {
        "resident_id" => identity::resident_id(number, today)
            .map(|id| id.as_str().to_owned())
            .map_err(|e| wrong(e.message())),
        "credit_code" => identity::credit_code(number)
            .map(|code| code.as_str().to_owned())
            .map_err(|e| wrong(e.message())),
        "passport" | "other" => Ok(number.to_owned()),
        _ => type_error("请选择证件类型。"),
    }
}

/// Checks the form on `today` (a 身份证's birth date cannot be after it): the applicant and
/// the request as they will be kept, or every field's error.
pub fn check(input: &ApplyInput, today: Date) -> Result<(Applicant, Request), Errors> {
    let mut errors = Errors::new();
    let t = |key: &str| input.trimmed(key);
    let kind = t("kind");
    let known_kind = APPLICANT_COLUMNS[..APPLICANT_TOTAL]
        .iter()
        .any(|c| c.key == kind);
    let person = known_kind.then_some(kind == PERSON);
    if !known_kind {
        errors.insert("kind", "请选择申请人类型。".into());
    }
    let name = t("name");
    if name.is_empty() {
        let message = match person {
            Some(false) => "请填写法人或者其他组织的名称。",
            _ => "请填写申请人姓名。",
        };
        errors.insert("name", message.into());
    }
    let id_type = t("id_type");
    let number = match id_number(person, &id_type, &t("id_number"), today) {
        Ok(number) => number,
        Err((field, message)) => {
            errors.insert(field, message);
            String::new()
        }
    };
    let org = person == Some(false);
    if org && t("contact_person").is_empty() {
        errors.insert("contact_person", "请填写联系人。".into());
    }
    let phone = t("phone");
    if phone.is_empty() {
        errors.insert("phone", "请填写联系电话。".into());
    } else if !phone_like(&phone) {
        errors.insert(
            "phone",
            "联系电话格式不正确，请填写手机号码或带区号的固定电话（如 0470-2773823）。".into(),
        );
    }
    let email = t("email");
    if !email.is_empty() && !email_like(&email) {
        errors.insert(
            "email",
            "电子邮箱格式不正确，请核对（如 name@example.com）。".into(),
        );
    }
    let postcode = t("postcode");
    if !postcode.is_empty()
        && let Err(message) = validate::postcode(&postcode)
    {
        errors.insert("postcode", message.into());
    }
    let fax = t("fax");
    if !fax.is_empty() && !phone_like(&fax) {
        errors.insert("fax", "传真号码格式不正确，请填写带区号的号码。".into());
    }
    let address = t("address");
    check_request(input, &mut errors, &address, &email, &fax);
    if !input.pledge {
        errors.insert("pledge", "请阅读并勾选承诺。".into());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let applicant = Applicant {
        kind,
        name,
        id_type,
        id_number: number,
        work_unit: if org { String::new() } else { t("work_unit") },
        legal_representative: if org {
            t("legal_representative")
        } else {
            String::new()
        },
        contact_person: if org {
            t("contact_person")
        } else {
            String::new()
        },
        phone,
        email,
        address,
        postcode,
        fax,
    };
    let request = Request {
        title: t("title"),
        doc_number: t("doc_number"),
        description: t("description"),
        forms: input.forms.iter().map(|k| (*k).to_owned()).collect(),
        delivery: input.delivery.iter().map(|k| (*k).to_owned()).collect(),
        accept_other_form: input.accept_other_form,
    };
    Ok((applicant, request))
}

/// Art. 29 ¶2 (二) and (三): what is sought, and in which form and way; a way of delivery
/// needs the contact detail it uses.
fn check_request(input: &ApplyInput, errors: &mut Errors, address: &str, email: &str, fax: &str) {
    let t = |key: &str| input.trimmed(key);
    if t("title").is_empty() && t("doc_number").is_empty() && t("description").is_empty() {
        errors.insert(
            "info",
            "请至少填写所需政府信息的名称、文号或者便于查询的其他特征性描述中的一项（《条例》第二十九条第二款第（二）项）。"
                .into(),
        );
    }
    if input.forms.is_empty() {
        errors.insert("forms", "请至少选择一种载体形式。".into());
    }
    if input.delivery.is_empty() {
        errors.insert("delivery", "请至少选择一种获取方式。".into());
    }
    let needs = [
        ("post", "address", address, "选择邮寄的，请填写通信地址。"),
        (
            "email",
            "email",
            email,
            "选择电子邮件获取的，请填写电子邮箱。",
        ),
        ("fax", "fax", fax, "选择传真获取的，请填写传真号码。"),
    ];
    for (method, field, value, message) in needs {
        if input.delivery.contains(&method) && value.is_empty() {
            errors.entry(field).or_insert_with(|| message.into());
        }
    }
}

/// The fields in the order the form shows them, for the list of errors at its top.
const ORDER: [&str; 18] = [
    "kind",
    "name",
    "id_type",
    "id_number",
    "work_unit",
    "legal_representative",
    "contact_person",
    "phone",
    "email",
    "address",
    "postcode",
    "fax",
    ID_PROOF,
    "info",
    "forms",
    "delivery",
    "accept_other_form",
    "pledge",
];

/// The errors in the form's order, each with the anchor of its field.
pub fn summary(errors: &Errors) -> Vec<(String, String)> {
    ORDER
        .iter()
        .filter_map(|key| {
            let anchor = if *key == "info" { "section-info" } else { key };
            errors
                .get(key)
                .map(|message| (format!("#{anchor}"), message.clone()))
        })
        .collect()
}

/// One choice of a radio or checkbox group.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    key: &'static str,
    label: &'static str,
    checked: bool,
    /// A heading printed before this choice (公民 / 法人或者其他组织).
    heading: &'static str,
}

/// One control of the form, as the template draws it.
#[derive(Debug, Clone, Serialize)]
pub struct Control {
    key: &'static str,
    label: &'static str,
    /// `text`, `textarea`, `radio`, `checkboxes`, `file` or `check`.
    control: &'static str,
    /// The input's `type` for text controls (`text`, `tel`, `email`).
    input_type: &'static str,
    /// The browser's `autocomplete` token.
    autocomplete: &'static str,
    value: String,
    max: usize,
    required: bool,
    hint: &'static str,
    error: Option<String>,
    choices: Vec<Choice>,
    checked: bool,
}

/// A group of controls with its legend, and an error about the group as a whole.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    legend: &'static str,
    hint: &'static str,
    error: Option<String>,
    controls: Vec<Control>,
}

/// Lays out the form with `input`'s values and `errors`; `file_note` is shown at the file
/// field when a chosen file could not be kept (a browser cannot be given it back).
pub fn sections(input: &ApplyInput, errors: &Errors, file_note: Option<&str>) -> Vec<Section> {
    let base = |key: &'static str, label: &'static str, control: &'static str| Control {
        key,
        label,
        control,
        input_type: "text",
        autocomplete: "off",
        value: input.get(key).to_owned(),
        max: validate::bound_of(RawForm::FIELDS, key).max_chars,
        required: false,
        hint: "",
        error: errors.get(key).cloned(),
        choices: Vec::new(),
        checked: false,
    };
    let text = |key, label, autocomplete, hint| Control {
        autocomplete,
        hint,
        ..base(key, label, "text")
    };
    let required = |c: Control| Control {
        required: true,
        ..c
    };
    let typed = |input_type, c: Control| Control { input_type, ..c };
    let choices = |options: &[(&'static str, &'static str)], chosen: &dyn Fn(&str) -> bool| {
        options
            .iter()
            .map(|(key, label)| Choice {
                key,
                label,
                checked: chosen(key),
                heading: "",
            })
            .collect::<Vec<_>>()
    };
    let kind = input.get("kind");
    let id_type = input.get("id_type");
    let kinds: Vec<Choice> = APPLICANT_COLUMNS[..APPLICANT_TOTAL]
        .iter()
        .map(|c| Choice {
            key: c.key,
            label: c.label,
            checked: c.key == kind,
            heading: match c.key {
                PERSON => "公民",
                "commercial" => "法人或者其他组织（请选择类别）",
                _ => "",
            },
        })
        .collect();
    let applicant = vec![
        required(Control {
            choices: kinds,
            ..base("kind", "申请人类型", "radio")
        }),
        required(text(
            "name",
            "姓名或者名称",
            "name",
            "公民填写姓名；法人或者其他组织填写名称，与证照一致。",
        )),
        required(Control {
            choices: choices(&ID_TYPES, &|k| k == id_type),
            ..base("id_type", "证件类型", "radio")
        }),
        required(text(
            "id_number",
            "证件号码",
            "off",
            "居民身份证填写18位号码；法人或者其他组织填写18位统一社会信用代码。",
        )),
        text(
            "work_unit",
            "工作单位（公民填写，选填）",
            "organization",
            "",
        ),
        text(
            "legal_representative",
            "法定代表人或者负责人（法人或者其他组织填写）",
            "off",
            "",
        ),
        text(
            "contact_person",
            "联系人（法人或者其他组织必填）",
            "off",
            "",
        ),
        required(typed("tel", text("phone", "联系电话", "tel", ""))),
        typed(
            "email",
            text("email", "电子邮箱", "email", "选择以电子邮件获取的必填。"),
        ),
        text("address", "通信地址", "street-address", "选择邮寄的必填。"),
        text("postcode", "邮政编码", "postal-code", ""),
        typed("tel", text("fax", "传真", "off", "选择以传真获取的必填。")),
        Control {
            hint: "选填。可上传身份证件或营业执照等证照的扫描件或照片，PDF、JPG 或 PNG 格式，不超过 5 MB。",
            error: errors
                .get(ID_PROOF)
                .cloned()
                .or_else(|| file_note.map(str::to_owned)),
            ..base(ID_PROOF, "身份证明", "file")
        },
    ];
    let info = vec![
        text("title", "信息名称", "off", ""),
        text("doc_number", "文号", "off", "如：×府发〔2024〕5号"),
        Control {
            hint: "如信息的制作机关、大致时间、所涉事项或地点等，便于本机关查找。",
            ..base("description", "便于查询的其他特征性描述", "textarea")
        },
    ];
    let form = vec![
        Control {
            choices: choices(&CARRIERS, &|k| input.forms.contains(&k)),
            hint: "可多选。",
            ..base("forms", "载体形式", "checkboxes")
        },
        Control {
            choices: choices(&DELIVERY_METHODS, &|k| input.delivery.contains(&k)),
            hint: "可多选。",
            ..base("delivery", "获取方式", "checkboxes")
        },
        Control {
            checked: input.accept_other_form,
            ..base(
                "accept_other_form",
                "若无法按指定形式提供，同意以其他适当形式提供",
                "check",
            )
        },
    ];
    vec![
        Section {
            legend: "申请人信息",
            hint: "《条例》第二十九条第二款第（一）项：申请人的姓名或者名称、身份证明、联系方式。",
            error: None,
            controls: applicant,
        },
        Section {
            legend: "所需政府信息",
            hint: "以下三项至少填写一项。一份申请请只针对一项（或一组密切相关的）政府信息。",
            error: errors.get("info").cloned(),
            controls: info,
        },
        Section {
            legend: "形式要求",
            hint: "《条例》第二十九条第二款第（三）项：获取信息的方式、途径。",
            error: None,
            controls: form,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(pairs: &[(&str, &str)]) -> ApplyInput {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        ApplyInput::from_pairs(&pairs)
    }

    const TODAY: Date = time::macros::date!(2026 - 01 - 05);

    fn citizen() -> Vec<(&'static str, &'static str)> {
        vec![
            ("kind", "natural_person"),
            ("name", " 张三 "),
            ("id_type", "resident_id"),
            ("id_number", "11010519491231002x"),
            ("phone", "13800138000"),
            ("title", "2025年度部门预算"),
            ("forms", "electronic"),
            ("forms", "paper"),
            ("forms", "bogus"),
            ("delivery", "email"),
            ("email", "zhang@example.com"),
            ("pledge", "1"),
        ]
    }

    #[test]
    fn a_valid_citizen_application_is_normalised() {
        let (applicant, request) = check(&input(&citizen()), TODAY).unwrap();
        assert_eq!(applicant.name, "张三");
        assert_eq!(applicant.id_number, "11010519491231002X");
        // Checkboxes in the list's order; unknown keys dropped.
        assert_eq!(request.forms, ["paper", "electronic"]);
        assert_eq!(request.delivery, ["email"]);
    }

    #[test]
    fn art29_needs_one_of_name_number_or_description() {
        let pairs: Vec<_> = citizen()
            .into_iter()
            .filter(|(k, _)| *k != "title")
            .collect();
        let errors = check(&input(&pairs), TODAY).unwrap_err();
        assert!(errors["info"].contains("第二十九条"), "{errors:?}");
        assert_eq!(errors.len(), 1, "{errors:?}");
    }

    #[test]
    fn a_delivery_way_needs_its_contact_detail() {
        let mut pairs: Vec<_> = citizen()
            .into_iter()
            .filter(|(k, _)| *k != "email")
            .collect();
        pairs.push(("delivery", "post"));
        let errors = check(&input(&pairs), TODAY).unwrap_err();
        assert!(errors.contains_key("email") && errors.contains_key("address"));
    }

    #[test]
    fn the_id_type_must_fit_the_applicant() {
        let mut pairs = citizen();
        pairs.retain(|(k, _)| *k != "kind");
        pairs.push(("kind", "commercial"));
        pairs.push(("contact_person", "李四"));
        let errors = check(&input(&pairs), TODAY).unwrap_err();
        assert!(errors["id_type"].contains("统一社会信用代码"), "{errors:?}");
    }

    #[test]
    fn contact_details_are_checked_when_given() {
        assert!(phone_like("0470-2773823") && phone_like("+86 138 0013 8000"));
        assert!(!phone_like("12345") && !phone_like("138x0013800"));
        assert!(email_like("a@b.cn") && !email_like("a@b") && !email_like("a b@c.cn"));
        assert!(!email_like("@b.cn") && !email_like("a@@b.cn") && !email_like("a@.cn"));
    }
}
