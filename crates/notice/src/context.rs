//! What a case gives a notice.

use gongkai_core::fee::Fee;
use gongkai_core::outcome::Outcome;
use time::Date;

/// The facts of a case a notice is written from. Strings are plain text (never HTML); the
/// renderers escape them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeContext {
    /// The issuing organ, as it signs (落款): `某某区人民政府办公室`.
    pub organ: String,
    /// 文书编号, already formatted (see [`NumberPattern`](crate::NumberPattern)).
    pub number: String,
    /// 申请人姓名或者名称 (the addressee, except for a consultation).
    pub applicant: String,
    /// 申请编号 the organ gave the application.
    pub application_number: String,
    /// The date the application was received (art. 31).
    pub received: Date,
    /// The information sought, as the applicant described it.
    pub request: String,
    /// The notice's date (成文日期). It decides which remedy rules apply.
    pub date: Date,
    /// 复议机关: since 行政复议法（2023） usually the 本级人民政府 (第二十四条).
    pub reconsideration_body: String,
    /// The court for 行政诉讼; `None` prints 人民法院.
    pub court: Option<String>,
    /// What this kind of notice adds.
    pub details: Details,
}

/// Kind-specific facts; the variant must match the [`NoticeKind`](crate::NoticeKind) rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Details {
    /// 登记回执: nothing more.
    Receipt,
    /// 补正告知书 (art. 30).
    Correction {
        /// What must be corrected or supplied, one item each.
        items: Vec<String>,
        /// The last day for the 补正.
        deadline: Date,
    },
    /// 延期答复告知书 (art. 33 ¶2).
    Extension {
        /// The new last day for the reply.
        new_due: Date,
        /// Why the reply cannot be given in time.
        reason: String,
    },
    /// 第三方意见征求书 (art. 32), addressed to the third party.
    Consultation {
        /// The third party consulted.
        third_party: String,
        /// What is asked: which information, and why it may affect the third party's rights.
        question: String,
        /// The last day for the answer, if known when the letter is written; the letter always
        /// states the statutory 15 工作日 from receipt.
        deadline: Option<Date>,
    },
    /// 收费通知书 (国办函〔2020〕109号).
    Fee {
        /// The fee as core computes it (basis, bands, total).
        fee: Fee,
        /// How and where to pay: account, counter, online channel.
        payment: String,
    },
    /// 答复告知书 or 终止办理告知书; the outcome is the kind's.
    Reply(Reply),
}

impl Details {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Details::Receipt => "Receipt",
            Details::Correction { .. } => "Correction",
            Details::Extension { .. } => "Extension",
            Details::Consultation { .. } => "Consultation",
            Details::Fee { .. } => "Fee",
            Details::Reply(_) => "Reply",
        }
    }
}

/// The decision of a reply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    /// Free text: the reasons, the form and route of provision (art. 40), where the information
    /// is published, the responsible organ and its contact (36(五)). Each line is a paragraph.
    pub details: String,
    /// The items provided.
    pub disclosed: Vec<String>,
    /// The items withheld, each with its ground (art. 37 requires reasons for each part).
    pub withheld: Vec<WithheldPart>,
}

/// One withheld part of a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithheldPart {
    /// What is withheld.
    pub item: String,
    /// The ground: one of the 不予公开 outcomes, whose basis is cited.
    pub ground: Outcome,
    /// Why, in this case.
    pub reason: String,
}

/// A date as official documents print it (GB/T 9704: Arabic numerals, no leading zeros):
/// `2024年1月2日`.
pub fn chinese_date(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_print_without_leading_zeros() {
        assert_eq!(chinese_date(date!(2024 - 01 - 02)), "2024年1月2日");
        assert_eq!(chinese_date(date!(2023 - 12 - 31)), "2023年12月31日");
    }
}
