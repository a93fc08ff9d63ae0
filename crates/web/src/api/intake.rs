//! Staff intake of an application (条例 art. 29, 31): the request body, with a bound for every
//! field, and its checks — channel, receipt date not after today, the applicant's kind,
//! 身份证 and 统一社会信用代码 to their check characters, a way to reach them, and a
//! description of what is sought — all before anything is written.

use gongkai_core::calendar::{format_date, parse_date};
use gongkai_core::clock::Channel;
use gongkai_core::format::{APPLICANT_COLUMNS, APPLICANT_TOTAL};
use gongkai_core::identity;
use gongkai_store::application::{Applicant, NewApplication, Request};
use serde::Deserialize;
use time::Date;
use utoipa::ToSchema;

use super::error::ApiError;
use super::extract::JsonBounded;
use crate::validate::{self, Bound};

/// Who applies (art. 29 ¶2 (一)).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantBody {
    /// The 表三 column: `natural_person`, `commercial`, `research`, `social_welfare`,
    /// `legal_services` or `other`.
    #[schema(example = "natural_person")]
    pub kind: String,
    /// 姓名 or 名称.
    pub name: String,
    /// `resident_id` (checked to its check digit), `credit_code` (checked), `passport`,
    /// `other`.
    #[schema(example = "resident_id")]
    pub id_type: String,
    /// 证件号码.
    pub id_number: String,
    /// 联系电话 (one of phone, email, address is required).
    #[serde(default)]
    pub phone: String,
    /// 电子邮箱.
    #[serde(default)]
    pub email: String,
    /// 通信地址.
    #[serde(default)]
    pub address: String,
    /// 邮政编码.
    #[serde(default)]
    pub postcode: String,
    /// 传真.
    #[serde(default)]
    pub fax: String,
    /// 工作单位 (citizens).
    #[serde(default)]
    pub work_unit: String,
    /// 法定代表人 (organisations).
    #[serde(default)]
    pub legal_representative: String,
    /// 联系人 (organisations).
    #[serde(default)]
    pub contact_person: String,
}

/// An application received on paper, by post, by e-mail, … and registered by staff.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeBody {
    /// `in_person`, `post`, `letter`, `online`, `email` or `fax` (art. 31).
    #[schema(example = "post")]
    pub channel: String,
    /// The receipt date under art. 31, `YYYY-MM-DD`, not after today.
    #[schema(example = "2024-09-27")]
    pub received: String,
    /// The applicant.
    pub applicant: ApplicantBody,
    /// 所需信息的名称、文号或特征性描述 (art. 29 ¶2 (二)).
    #[serde(default)]
    pub description: String,
    /// 信息名称.
    #[serde(default)]
    pub title: String,
    /// 文号.
    #[serde(default)]
    pub doc_number: String,
    /// 载体形式 keys.
    #[serde(default)]
    pub forms: Vec<String>,
    /// 获取方式 keys: `paper`, `email`, `disc`, ….
    #[serde(default)]
    pub delivery: Vec<String>,
    /// 若无法按指定形式提供，同意以其他适当形式提供.
    #[serde(default)]
    pub accept_other_form: bool,
}

impl JsonBounded for IntakeBody {
    const FIELDS: &'static [Bound] = &[
        Bound::line("channel", "收到渠道", 16),
        Bound::line("received", "收到申请日期", 10),
        Bound::line("applicant.kind", "申请人类型", 32),
        Bound::line("applicant.name", "姓名或名称", 100),
        Bound::line("applicant.id_type", "证件类型", 16),
        Bound::line("applicant.id_number", "证件号码", 32),
        Bound::line("applicant.phone", "联系电话", 50),
        Bound::line("applicant.email", "电子邮箱", 254),
        Bound::line("applicant.address", "通信地址", 200),
        Bound::line("applicant.postcode", "邮政编码", 10),
        Bound::line("applicant.fax", "传真", 50),
        Bound::line("applicant.work_unit", "工作单位", 100),
        Bound::line("applicant.legal_representative", "法定代表人", 50),
        Bound::line("applicant.contact_person", "联系人", 50),
        Bound::lines("description", "所需信息的描述", 2000),
        Bound::line("title", "信息名称", 200),
        Bound::line("doc_number", "文号", 100),
        Bound::line("forms[]", "载体形式", 32),
        Bound::line("delivery[]", "获取方式", 32),
    ];
}

use crate::cases::{CARRIERS, DELIVERY_METHODS, ID_TYPES};

/// Whether `key` is a key of one of `tables`.
fn is_key(tables: &[&[(&str, &str)]], key: &str) -> bool {
    tables.iter().any(|t| t.iter().any(|(k, _)| *k == key))
}

/// Checks each key of `field` against the tables of the console and the portal. `delivery`
/// also takes a 载体形式 key (spec/api.md lists `paper`, `email`, `disc` under it).
fn check_keys(field: &str, keys: &[String]) -> Result<Vec<String>, ApiError> {
    let tables: &[&[(&str, &str)]] = if field == "forms" {
        &[&CARRIERS]
    } else {
        &[&DELIVERY_METHODS, &CARRIERS]
    };
    for (i, key) in keys.iter().enumerate() {
        if !is_key(tables, key) {
            let known: Vec<&str> = tables
                .iter()
                .flat_map(|t| t.iter().map(|(k, _)| *k))
                .collect();
            return Err(ApiError::invalid(
                format!("{field}[{i}]"),
                format!("“{key}”不是有效的取值：应为 {}。", known.join("、")),
            ));
        }
    }
    Ok(keys.to_vec())
}

/// The checked 证件号码, in canonical form.
fn check_id_number(id_type: &str, text: &str, today: Date) -> Result<String, ApiError> {
    let field = "applicant.id_number";
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::invalid(
            field,
            "请填写身份证明的证件号码（第二十九条第二款第一项）。",
        ));
    }
    match id_type {
        "resident_id" => identity::resident_id(text, today)
            .map(|id| id.as_str().to_owned())
            .map_err(|e| ApiError::invalid(field, format!("{}。", e.message()))),
        "credit_code" => identity::credit_code(text)
            .map(|code| code.as_str().to_owned())
            .map_err(|e| ApiError::invalid(field, format!("{}。", e.message()))),
        _ => Ok(text.to_owned()),
    }
}

/// The applicant, checked field by field.
fn check_applicant(body: &ApplicantBody, today: Date) -> Result<Applicant, ApiError> {
    let kinds = &APPLICANT_COLUMNS[..APPLICANT_TOTAL];
    if !kinds.iter().any(|c| c.key == body.kind) {
        let keys: Vec<&str> = kinds.iter().map(|c| c.key).collect();
        return Err(ApiError::invalid(
            "applicant.kind",
            format!("申请人类型应为 {}。", keys.join("、")),
        ));
    }
    let name = body.name.trim();
    if name.is_empty() {
        return Err(ApiError::invalid(
            "applicant.name",
            "请填写申请人的姓名或者名称（第二十九条第二款第一项）。",
        ));
    }
    if !ID_TYPES.iter().any(|(k, _)| *k == body.id_type) {
        return Err(ApiError::invalid(
            "applicant.id_type",
            "证件类型应为 resident_id、credit_code、passport 或 other。",
        ));
    }
    let id_number = check_id_number(&body.id_type, &body.id_number, today)?;
    let t = |s: &str| s.trim().to_owned();
    let (phone, email, address) = (t(&body.phone), t(&body.email), t(&body.address));
    if phone.is_empty() && email.is_empty() && address.is_empty() {
        return Err(ApiError::invalid(
            "applicant.phone",
            "请至少填写一种联系方式：电话、电子邮箱或通信地址（第二十九条第二款第一项）。",
        ));
    }
    if !email.is_empty() && !email.contains('@') {
        return Err(ApiError::invalid("applicant.email", "电子邮箱格式不正确。"));
    }
    let postcode = t(&body.postcode);
    if !postcode.is_empty() {
        validate::postcode(&postcode).map_err(|m| ApiError::invalid("applicant.postcode", m))?;
    }
    Ok(Applicant {
        kind: body.kind.clone(),
        name: name.to_owned(),
        id_type: body.id_type.clone(),
        id_number,
        work_unit: t(&body.work_unit),
        legal_representative: t(&body.legal_representative),
        contact_person: t(&body.contact_person),
        phone,
        email,
        address,
        postcode,
        fax: t(&body.fax),
    })
}

/// A date field that must not be after today.
fn past_date(field: &str, label: &str, text: &str, today: Date) -> Result<Date, ApiError> {
    let date = parse_date(text)
        .ok_or_else(|| ApiError::invalid(field, format!("{label}格式应为 YYYY-MM-DD。")))?;
    if date > today {
        return Err(ApiError::invalid(
            field,
            format!("{label}不能晚于今天（{}）。", format_date(today)),
        ));
    }
    Ok(date)
}

/// The whole intake, checked before anything is written.
pub fn check_intake(body: &IntakeBody, today: Date) -> Result<NewApplication, ApiError> {
    let channel = Channel::from_key(&body.channel).ok_or_else(|| {
        ApiError::invalid(
            "channel",
            "收到渠道应为 in_person、post、letter、online、email 或 fax（第三十一条）。",
        )
    })?;
    let received = past_date("received", "收到申请日期", &body.received, today)?;
    let applicant = check_applicant(&body.applicant, today)?;
    let t = |s: &str| s.trim().to_owned();
    let request = Request {
        title: t(&body.title),
        doc_number: t(&body.doc_number),
        description: body.description.replace("\r\n", "\n").trim().to_owned(),
        forms: check_keys("forms", &body.forms)?,
        delivery: check_keys("delivery", &body.delivery)?,
        accept_other_form: body.accept_other_form,
    };
    if request.summary().is_empty() {
        return Err(ApiError::invalid(
            "description",
            "请写明所需政府信息的名称、文号或者便于查询的其他特征性描述（第二十九条第二款第二项）。",
        ));
    }
    Ok(NewApplication {
        applicant,
        request,
        channel,
        received,
        query_code: None,
        attachments: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        parse_date("2026-01-05").unwrap()
    }

    fn body(id_number: &str) -> IntakeBody {
        serde_json::from_value(serde_json::json!({
            "channel": "post",
            "received": "2024-09-27",
            "applicant": {
                "kind": "natural_person", "name": "张三", "id_type": "resident_id",
                "id_number": id_number, "phone": "13800138000"
            },
            "description": "2023年本区老旧小区改造项目的资金安排",
            "delivery": ["paper"]
        }))
        .unwrap()
    }

    #[test]
    fn intake_canonicalises_a_resident_id_and_refuses_a_wrong_check_digit() {
        // GB 11643-1999: 11010519491231002X is the standard's own example.
        let new = check_intake(&body("11010519491231002x"), today()).unwrap();
        assert_eq!(new.applicant.id_number, "11010519491231002X");
        let e = check_intake(&body("110105194912310021"), today()).unwrap_err();
        assert_eq!(e.body.field.as_deref(), Some("applicant.id_number"));
        assert!(e.body.message.contains("校验位"), "{}", e.body.message);
    }

    #[test]
    fn keys_are_those_of_the_console_and_the_portal() {
        assert!(check_keys("forms", &["paper".into(), "disc".into()]).is_ok());
        assert!(check_keys("delivery", &["email".into(), "paper".into()]).is_ok());
        assert!(check_keys("forms", &["post".into()]).is_err());
        assert!(check_keys("delivery", &["paper,email".into()]).is_err());
        assert!(check_keys("delivery", &["".into()]).is_err());
    }
}
