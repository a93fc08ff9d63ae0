//! The remedy clause (救济途径告知) of spec/domain.md §9: which notices carry it and what it says.
//!
//! All the rules are in [`remedy`]: whether the decision is adverse, the 60 日 of 行政复议 and
//! the 6 个月 of 行政诉讼, and the 复议前置 wording for refusals issued from 2024-01-01.

use gongkai_core::outcome::Outcome;
use time::Date;

use crate::kind::NoticeKind;

/// A notice's remedy clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remedy {
    /// Whether the applicant must apply for 行政复议 before suing (行政复议法（2023）第二十三条).
    pub reconsideration_first: bool,
    /// The sentence to print.
    pub clause: String,
}

/// Whether a reply with this outcome is adverse to the applicant and so must state the remedy
/// (spec/domain.md §9.2 item 6; spec/workflows.md §2.4: "remedy clause only on adverse
/// decisions").
///
/// Adverse: 部分公开 (art. 37), every 不予公开 ground and 行政查询事项 (表三（三）), every 无法提供
/// (（四）: 36(四), 36(五), 38, 30) and 不予处理 (（五）: 39, 36(六), 35, confirmation), and the
/// closings that stop processing against the applicant's wish (no 补正, fee unpaid, other).
/// Not adverse: 予以公开 and 已主动公开 (36(一)(二)) give what was asked, and a withdrawal is the
/// applicant's own act. Where in doubt (其他处理) the clause is stated: stating it costs nothing,
/// while omitting it extends the 复议 period to a year (行政复议法（2023）第二十条第三款) and the
/// 起诉期限 likewise (行政诉讼法适用解释第六十四条).
pub fn is_adverse(outcome: Outcome) -> bool {
    !matches!(
        outcome,
        Outcome::AlreadyPublic | Outcome::Disclosed | Outcome::Withdrawn
    )
}

/// The remedy clause a notice of `kind` issued on `issued` must carry, or `None` if it needs
/// none.
///
/// - Procedural notices (receipt, 补正, extension, consultation, fee) carry none: they decide
///   nothing on the application (a 补正 request is not actionable, 最高人民法院《关于审理政府
///   信息公开行政案件若干问题的规定》（2011）第二条).
/// - An adverse reply ([`is_adverse`]) tells the applicant of 行政复议 within 60 日 of receiving
///   the notice (行政复议法（2023）第二十条) to `reconsideration_body` — since 2024 the 本级人民
///   政府 for a local department (第二十四条) — and of 行政诉讼 within 6 个月 (行政诉讼法第四十六
///   条) to `court`, or 人民法院 when no court is configured.
/// - A refusal ([`NoticeSpec::reconsideration_first`](gongkai_core::outcome::NoticeSpec)) issued
///   on or after 2024-01-01 instead tells the applicant to apply for 行政复议 first (行政复议法
///   （2023）第二十三条第一款第（四）项、第二款), and that suit lies within 15 日 of the 复议 decision
///   or of the end of the 复议 period (行政诉讼法第四十五条). The notice's date decides, because
///   the law in force when the decision is made governs what it must say.
pub fn remedy(
    kind: NoticeKind,
    issued: Date,
    reconsideration_body: &str,
    court: Option<&str>,
) -> Option<Remedy> {
    let NoticeKind::Reply(outcome) = kind else {
        return None;
    };
    if !is_adverse(outcome) {
        return None;
    }
    let court = court.filter(|c| !c.trim().is_empty()).unwrap_or("人民法院");
    if outcome.reconsideration_first_on(issued) {
        Some(Remedy {
            reconsideration_first: true,
            clause: format!(
                "如对本告知书不服，根据《中华人民共和国行政复议法》第二十三条的规定，应当先申请行政复议，\
                 即自收到本告知书之日起六十日内向{reconsideration_body}提出行政复议申请；\
                 对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向{court}提起行政诉讼；\
                 行政复议机关逾期不作决定的，可以自复议期满之日起十五日内依法向{court}提起行政诉讼。"
            ),
        })
    } else {
        Some(Remedy {
            reconsideration_first: false,
            clause: format!(
                "如对本告知书不服，可以自收到本告知书之日起六十日内向{reconsideration_body}申请行政复议，\
                 也可以自收到本告知书之日起六个月内依法向{court}提起行政诉讼。"
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::outcome::OUTCOMES;
    use time::macros::date;

    const BODY: &str = "某某区人民政府";

    fn clause(kind: NoticeKind, issued: Date) -> Option<Remedy> {
        remedy(kind, issued, BODY, None)
    }

    #[test]
    fn disclosure_and_withdrawal_need_no_remedy_domain_9_2() {
        // spec/domain.md §9.2 item 6 and spec/workflows.md §2.4: only adverse decisions.
        let d = date!(2024 - 03 - 01);
        for o in [
            Outcome::Disclosed,
            Outcome::AlreadyPublic,
            Outcome::Withdrawn,
        ] {
            assert_eq!(clause(NoticeKind::Reply(o), d), None, "{o:?}");
        }
    }

    #[test]
    fn procedural_notices_carry_no_remedy() {
        let d = date!(2024 - 03 - 01);
        for k in [
            NoticeKind::Receipt,
            NoticeKind::Correction,
            NoticeKind::Extension,
            NoticeKind::Consultation,
            NoticeKind::Fee,
        ] {
            assert_eq!(clause(k, d), None, "{k}");
        }
    }

    #[test]
    fn adverse_replies_state_60_days_and_6_months_xzfyf_art20_xzssf_art46() {
        // 行政复议法（2023）第二十条: 60 日; 行政诉讼法第四十六条: 6 个月.
        let d = date!(2024 - 03 - 01);
        for o in [
            Outcome::DoesNotExist,
            Outcome::NotThisOrgan,
            Outcome::NeedsCreation,
            Outcome::Petition,
            Outcome::Repeat,
            Outcome::Excessive,
            Outcome::NoCorrection,
        ] {
            let r = clause(NoticeKind::Reply(o), d).expect("adverse");
            assert!(!r.reconsideration_first, "{o:?}");
            assert!(
                r.clause.contains("六十日内向某某区人民政府申请行政复议"),
                "{o:?}"
            );
            assert!(
                r.clause.contains("六个月内依法向人民法院提起行政诉讼"),
                "{o:?}"
            );
        }
    }

    #[test]
    fn refusal_from_2024_must_apply_for_reconsideration_first_xzfyf_2023_art23() {
        // 行政复议法（2023）第二十三条第一款第（四）项、第二款, in force 2024-01-01: the notice
        // date decides.
        let kind = NoticeKind::Reply(Outcome::WithheldStateSecret);
        let on = clause(kind, date!(2024 - 01 - 01)).expect("adverse");
        assert!(on.reconsideration_first);
        assert!(on.clause.contains("第二十三条"));
        assert!(on.clause.contains("应当先申请行政复议"));
        assert!(!on.clause.contains("六个月"));
        // 行政诉讼法第四十五条: 15 日 after the 复议 decision.
        assert!(on.clause.contains("十五日内"));

        let before = clause(kind, date!(2023 - 12 - 31)).expect("adverse");
        assert!(!before.reconsideration_first);
        assert!(!before.clause.contains("应当先"));
        assert!(before.clause.contains("六个月"));
    }

    #[test]
    fn every_withheld_outcome_and_partial_disclosure_is_reconsideration_first() {
        // core's NoticeSpec::reconsideration_first is the one source; every such outcome is
        // also adverse, so the clause is never dropped for one of them.
        for s in OUTCOMES {
            if s.notice.reconsideration_first {
                let r = clause(NoticeKind::Reply(s.outcome), date!(2024 - 06 - 03));
                assert!(r.is_some_and(|r| r.reconsideration_first), "{}", s.key);
            }
        }
        assert!(
            clause(
                NoticeKind::Reply(Outcome::PartlyDisclosed),
                date!(2024 - 06 - 03)
            )
            .is_some_and(|r| r.reconsideration_first)
        );
    }

    #[test]
    fn configured_court_is_named() {
        let r = remedy(
            NoticeKind::Reply(Outcome::DoesNotExist),
            date!(2024 - 03 - 01),
            BODY,
            Some("某某区人民法院"),
        )
        .expect("adverse");
        assert!(r.clause.contains("依法向某某区人民法院提起行政诉讼"));
    }
}
