//! How an application is closed: the outcomes of 表三's result rows (spec/domain.md §10), each
//! with its legal basis and the notice it needs (§9.2). Closing a case takes exactly one.
//!
//! Every outcome maps to exactly one [`ApplicationRow`] result row of a template; every result
//! row of the 2021 template is reached by at least one outcome. Two §10 decisions: 36(一)
//! "already public" counts as （一）予以公开, and 36(五) "not this organ's" as
//! （四）1 本机关不掌握相关政府信息.

use time::Date;

use crate::format::{ApplicationRow, Template};

/// The closing outcome of a disclosure application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// 36(一): already proactively disclosed; the route to it was given.
    AlreadyPublic,
    /// 36(二): disclosed, or the way, route and time to obtain it were given.
    Disclosed,
    /// 37: partly disclosed after separating the non-disclosable part.
    PartlyDisclosed,
    /// 14: 国家秘密.
    WithheldStateSecret,
    /// 14: another law or 行政法规 forbids disclosure.
    WithheldProhibitedByLaw,
    /// 14: would endanger 国家安全、公共安全、经济安全、社会稳定.
    WithheldSecurityStability,
    /// 15, 32: would harm a third party's lawful rights.
    WithheldThirdParty,
    /// 16 ¶1: 人事管理、后勤管理、内部工作流程.
    WithheldInternalAffairs,
    /// 16 ¶2: 讨论记录、过程稿、磋商信函、请示报告.
    WithheldProcessInfo,
    /// 16 ¶2: 行政执法案卷.
    WithheldEnforcementFile,
    /// 36(七): 工商、不动产登记资料 and the like, under their own law.
    InquiryMatter,
    /// 36(四): the information does not exist.
    DoesNotExist,
    /// 36(五): not this organ's responsibility.
    NotThisOrgan,
    /// 38: would need new processing or analysis.
    NeedsCreation,
    /// 30: still unclear after 补正.
    StillUnclear,
    /// 39 ¶1: really a 信访、投诉、举报.
    Petition,
    /// 36(六): repeats an application already answered.
    Repeat,
    /// 39 ¶2: asks for 公开出版物.
    Publication,
    /// 35: unreasonable quantity or frequency.
    Excessive,
    /// Asks the organ to confirm or re-issue information already obtained. The 条例 has no
    /// article for it (art. 38 is about processing existing information); the category and its
    /// row come from the 2021 report format.
    Confirmation,
    /// 30: not corrected in time; deemed abandoned.
    NoCorrection,
    /// Fee not paid in time (国办函〔2020〕109号); deemed abandoned.
    FeeUnpaid,
    /// Withdrawn by the applicant.
    Withdrawn,
    /// Closed otherwise.
    OtherClosed,
}

/// The notice a closing outcome needs (spec/domain.md §9.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticeSpec {
    /// The document's title.
    pub title: &'static str,
    /// What it must say for this outcome.
    pub must_state: &'static str,
    /// Whether it must tell the applicant to apply for 行政复议 before suing
    /// (行政复议法（2023）第二十三条第一款第（四）项、第二款: disclosure refused).
    pub reconsideration_first: bool,
}

/// One outcome's row of the statutory table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeSpec {
    /// The outcome.
    pub outcome: Outcome,
    /// Stable key, used in JSON and the CLI: `disclosed`.
    pub key: &'static str,
    /// Short Chinese label: `予以公开`.
    pub label: &'static str,
    /// Legal basis, as cited: `第三十六条第（二）项`.
    pub basis: &'static str,
    /// The 2021-template row it is counted in.
    pub row: ApplicationRow,
    /// The notice it needs.
    pub notice: NoticeSpec,
}

const fn notice(
    title: &'static str,
    must_state: &'static str,
    reconsideration_first: bool,
) -> NoticeSpec {
    NoticeSpec {
        title,
        must_state,
        reconsideration_first,
    }
}

const REPLY: &str = "政府信息公开申请答复告知书";
const WITHHELD: &str = "说明不予公开的理由和法律依据，并告知应当先申请行政复议";
const END: &str = "政府信息公开申请终止办理告知书";

const fn spec(
    outcome: Outcome,
    key: &'static str,
    label: &'static str,
    basis: &'static str,
    row: ApplicationRow,
    notice: NoticeSpec,
) -> OutcomeSpec {
    OutcomeSpec {
        outcome,
        key,
        label,
        basis,
        row,
        notice,
    }
}

use ApplicationRow as R;
use Outcome as O;

/// All outcomes, in 表三 order: the one table every other use draws from.
#[rustfmt::skip]
pub const OUTCOMES: [OutcomeSpec; 24] = [
    spec(O::AlreadyPublic, "already_public", "已主动公开，告知获取方式和途径", "第三十六条第（一）项", R::Granted,
        notice(REPLY, "告知获取该政府信息的方式、途径", false)),
    spec(O::Disclosed, "disclosed", "予以公开", "第三十六条第（二）项", R::Granted,
        notice(REPLY, "提供该政府信息，或者告知获取的方式、途径和时间", false)),
    spec(O::PartlyDisclosed, "partly_disclosed", "部分公开", "第三十七条", R::PartiallyGranted,
        notice(REPLY, "提供可以公开的部分，并对不予公开的部分说明理由和法律依据，告知应当先申请行政复议", true)),
    spec(O::WithheldStateSecret, "withheld_state_secret", "不予公开（属于国家秘密）", "第十四条、第三十六条第（三）项", R::WithheldStateSecret,
        notice(REPLY, WITHHELD, true)),
    spec(O::WithheldProhibitedByLaw, "withheld_prohibited_by_law", "不予公开（其他法律行政法规禁止公开）", "第十四条、第三十六条第（三）项", R::WithheldProhibitedByLaw,
        notice(REPLY, WITHHELD, true)),
    spec(O::WithheldSecurityStability, "withheld_security_stability", "不予公开（危及“三安全一稳定”）", "第十四条、第三十六条第（三）项", R::WithheldSecurityStability,
        notice(REPLY, WITHHELD, true)),
    spec(O::WithheldThirdParty, "withheld_third_party", "不予公开（保护第三方合法权益）", "第十五条、第三十二条、第三十六条第（三）项", R::WithheldThirdParty,
        notice(REPLY, WITHHELD, true)),
    spec(O::WithheldInternalAffairs, "withheld_internal_affairs", "不予公开（属于三类内部事务信息）", "第十六条第一款、第三十六条第（三）项", R::WithheldInternalAffairs,
        notice(REPLY, WITHHELD, true)),
    spec(O::WithheldProcessInfo, "withheld_process_info", "不予公开（属于四类过程性信息）", "第十六条第二款、第三十六条第（三）项", R::WithheldProcessInfo,
        notice(REPLY, WITHHELD, true)),
    spec(O::WithheldEnforcementFile, "withheld_enforcement_file", "不予公开（属于行政执法案卷）", "第十六条第二款、第三十六条第（三）项", R::WithheldEnforcementFile,
        notice(REPLY, WITHHELD, true)),
    spec(O::InquiryMatter, "inquiry_matter", "属于行政查询事项，告知依照有关法律、行政法规办理", "第三十六条第（七）项", R::WithheldInquiryMatter,
        notice(REPLY, "告知申请人依照有关法律、行政法规的规定办理", false)),
    spec(O::DoesNotExist, "does_not_exist", "经检索没有所申请的政府信息", "第三十六条第（四）项", R::UnavailableNotHeld,
        notice(REPLY, "告知申请人该政府信息不存在", false)),
    spec(O::NotThisOrgan, "not_this_organ", "不属于本机关负责公开", "第三十六条第（五）项", R::UnavailableNotHeld,
        notice(REPLY, "说明理由；能够确定负责公开该政府信息的行政机关的，告知其名称、联系方式", false)),
    spec(O::NeedsCreation, "needs_creation", "没有现成信息，需要另行制作", "第三十八条", R::UnavailableNeedsCreation,
        notice(REPLY, "告知需要对现有政府信息进行加工、分析的，可以不予提供", false)),
    spec(O::StillUnclear, "still_unclear", "补正后申请内容仍不明确", "第三十条", R::UnavailableUnclear,
        notice(REPLY, "告知申请内容经补正后仍不明确，无法提供", false)),
    spec(O::Petition, "petition", "属于信访、投诉、举报，不作为政府信息公开申请处理", "第三十九条第一款", R::RejectedPetition,
        notice(REPLY, "告知不作为政府信息公开申请处理，并可以告知通过相应渠道提出", false)),
    spec(O::Repeat, "repeat", "重复申请，不予重复处理", "第三十六条第（六）项", R::RejectedRepeat,
        notice(REPLY, "告知不予重复处理", false)),
    spec(O::Publication, "publication", "要求提供公开出版物，告知获取途径", "第三十九条第二款", R::RejectedPublication,
        notice(REPLY, "告知获取公开出版物的途径", false)),
    spec(O::Excessive, "excessive", "无正当理由大量反复申请，不予处理", "第三十五条", R::RejectedExcessive,
        notice(REPLY, "告知申请人不予处理", false)),
    spec(O::Confirmation, "confirmation", "要求确认或重新出具已获取的信息", "年报格式（国办公开办函〔2021〕30号）表三（五）5", R::RejectedConfirmation,
        notice(REPLY, "告知不属于政府信息公开申请的处理范围", false)),
    spec(O::NoCorrection, "no_correction", "逾期不补正，视为放弃申请", "第三十条", R::OtherNoCorrection,
        notice(END, "告知申请人无正当理由逾期不补正，视为放弃申请，不再处理", false)),
    spec(O::FeeUnpaid, "fee_unpaid", "逾期未缴纳信息处理费，视为放弃申请", "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）", R::OtherFeeUnpaid,
        notice(END, "告知申请人逾期未按收费通知要求缴纳费用，不再处理", false)),
    spec(O::Withdrawn, "withdrawn", "申请人撤回申请", "—", R::OtherOther,
        notice(END, "确认申请人撤回申请，终止办理", false)),
    spec(O::OtherClosed, "other", "其他处理", "—", R::OtherOther,
        notice(REPLY, "说明处理情况和理由", false)),
];

impl Outcome {
    /// The outcome's row of [`OUTCOMES`].
    pub fn spec(self) -> &'static OutcomeSpec {
        // OUTCOMES lists every variant in declaration order (a test checks it), so the index
        // is the discriminant.
        &OUTCOMES[self as usize]
    }

    /// The outcome with this key.
    pub fn from_key(key: &str) -> Option<Outcome> {
        OUTCOMES.iter().find(|s| s.key == key).map(|s| s.outcome)
    }

    /// Stable key.
    pub fn key(self) -> &'static str {
        self.spec().key
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        self.spec().label
    }

    /// Legal basis.
    pub fn basis(self) -> &'static str {
        self.spec().basis
    }

    /// The notice it needs.
    pub fn notice(self) -> NoticeSpec {
        self.spec().notice
    }

    /// Whether a notice decided on `decided` must tell the applicant to apply for 行政复议
    /// before suing: refusals ([`NoticeSpec::reconsideration_first`]) decided from 2024-01-01,
    /// when 行政复议法（2023）第二十三条 came into force (spec/domain.md §9.1).
    pub fn reconsideration_first_on(self, decided: Date) -> bool {
        self.notice().reconsideration_first && decided.year() >= 2024
    }

    /// The 表三 result row it is counted in under `template`. The 2019 template has one
    /// （六）其他处理 row for the three （六） rows of 2021.
    pub fn row(self, template: Template) -> ApplicationRow {
        let row = self.spec().row;
        match (template, row) {
            (Template::Y2019, R::OtherNoCorrection | R::OtherFeeUnpaid | R::OtherOther) => R::Other,
            _ => row,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{APPLICATION_ROWS_2019, APPLICATION_ROWS_2021};

    #[test]
    fn table_lists_every_outcome_in_order() {
        for (i, spec) in OUTCOMES.iter().enumerate() {
            assert_eq!(spec.outcome as usize, i, "{}", spec.key);
            assert_eq!(Outcome::from_key(spec.key), Some(spec.outcome));
        }
    }

    #[test]
    fn every_2021_result_row_is_reached_and_each_outcome_has_one_result_row() {
        for template in Template::ALL {
            let rows = match template {
                Template::Y2019 => &APPLICATION_ROWS_2019[..],
                Template::Y2021 => &APPLICATION_ROWS_2021[..],
            };
            for spec in OUTCOMES {
                let row = spec.outcome.row(template);
                assert!(row.is_result(), "{} → {row:?}", spec.key);
                assert_eq!(
                    rows.iter().filter(|r| r.row == row).count(),
                    1,
                    "{} in {template:?}",
                    spec.key
                );
            }
            for r in rows.iter().filter(|r| r.row.is_result()) {
                assert!(
                    OUTCOMES.iter().any(|s| s.outcome.row(template) == r.row),
                    "{template:?} row {} is reached by no outcome",
                    r.key
                );
            }
        }
    }

    #[test]
    fn art36_decisions_of_spec_section_10() {
        // spec/domain.md §10: 36(一) → 予以公开, 36(五) → 本机关不掌握相关政府信息.
        assert_eq!(Outcome::AlreadyPublic.row(Template::Y2021), R::Granted);
        assert_eq!(
            Outcome::NotThisOrgan.row(Template::Y2021),
            R::UnavailableNotHeld
        );
        assert_eq!(Outcome::FeeUnpaid.row(Template::Y2019), R::Other);
        assert_eq!(Outcome::FeeUnpaid.row(Template::Y2021), R::OtherFeeUnpaid);
    }

    #[test]
    fn each_basis_cites_the_article_of_spec_section_10() {
        // spec/domain.md §10: art. 38 is "needs new processing" only; a request to confirm or
        // re-issue information has no 条例 article and must not cite 38.
        assert_eq!(Outcome::NeedsCreation.basis(), "第三十八条");
        assert!(!Outcome::Confirmation.basis().contains("第三十八条"));
        assert_eq!(Outcome::Repeat.basis(), "第三十六条第（六）项");
        assert_eq!(Outcome::InquiryMatter.basis(), "第三十六条第（七）项");
        assert_eq!(Outcome::Petition.basis(), "第三十九条第一款");
        assert_eq!(Outcome::Publication.basis(), "第三十九条第二款");
        assert_eq!(Outcome::Excessive.basis(), "第三十五条");
        assert_eq!(Outcome::NotThisOrgan.basis(), "第三十六条第（五）项");
    }

    #[test]
    fn refusals_tell_the_applicant_to_apply_for_reconsideration_first() {
        // 行政复议法（2023）第二十三条: 不予公开 → 复议前置.
        for spec in OUTCOMES {
            let group3 = matches!(
                spec.row,
                R::WithheldStateSecret
                    | R::WithheldProhibitedByLaw
                    | R::WithheldSecurityStability
                    | R::WithheldThirdParty
                    | R::WithheldInternalAffairs
                    | R::WithheldProcessInfo
                    | R::WithheldEnforcementFile
            );
            if group3 {
                assert!(spec.notice.reconsideration_first, "{}", spec.key);
            }
        }
        // Only since 行政复议法（2023） came into force on 2024-01-01.
        let before = time::macros::date!(2023 - 12 - 29);
        let after = time::macros::date!(2024 - 01 - 02);
        assert!(!Outcome::WithheldProcessInfo.reconsideration_first_on(before));
        assert!(Outcome::WithheldProcessInfo.reconsideration_first_on(after));
        assert!(!Outcome::Disclosed.reconsideration_first_on(after));
    }
}
