//! `N-FEES` (warning): the narrative's statement on 信息处理费 (国办函〔2020〕109号) agrees with
//! itself — no "未收取/无" beside an amount above zero, neither in one sentence nor between
//! sentences.

use super::narrative::{amounts, contains, is_positive, normalise, sentences};
use super::{CheckContext, CheckSpec, Finding, Severity};
use crate::model::AnnualReport;

/// The check's catalogue entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "N-FEES",
    severity: Severity::Warning,
    rule: "正文关于信息处理费的说法前后一致（说“无”就没有金额）",
};

const NONE_COLLECTED: [&str; 13] = [
    "未收取",
    "无收取",
    "没有收取",
    "不收取",
    "未产生",
    "没有产生",
    "无产生",
    "未发生",
    "未发出",
    "无发出",
    "未向申请人收取",
    "免收",
    "无信息处理费",
];
const COLLECTED: [&str; 3] = ["收取", "收费", "缴纳"];

/// Adds a finding when the narrative both denies and states a 信息处理费.
pub fn run(_report: &AnnualReport, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
    let Some(narrative) = cx.narrative else {
        return;
    };
    let text = normalise(narrative);
    let mut denial: Option<String> = None;
    let mut amount: Option<String> = None;
    let mut same_sentence = false;
    for sentence in sentences(&text) {
        if !contains(&sentence, "处理费") {
            continue;
        }
        let denies = NONE_COLLECTED.iter().any(|w| contains(&sentence, w));
        let positive = amounts(&sentence).into_iter().find(|a| is_positive(a));
        let states = positive.is_some() && COLLECTED.iter().any(|w| contains(&sentence, w));
        if denies && denial.is_none() {
            denial = Some(sentence.iter().collect());
        }
        if let Some(a) = positive
            && (denies || states)
            && amount.is_none()
        {
            amount = Some(a);
            same_sentence = denies;
        }
    }
    let (Some(denial), Some(amount)) = (denial, amount) else {
        return;
    };
    let quoted: String = denial.chars().take(40).collect();
    out.push(Finding {
        check: SPEC.id,
        severity: SPEC.severity,
        cells: Vec::new(),
        expected: Some("0".to_owned()),
        printed: Some(format!("{amount}元")),
        place: "正文 信息处理费".to_owned(),
        message: if same_sentence {
            format!("正文关于信息处理费的同一句话既说没有收取，又写出金额{amount}元：“{quoted}”")
        } else {
            format!("正文既说“{quoted}”，又写出信息处理费金额{amount}元")
        },
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{consistent, ids};

    fn with(narrative: &str) -> Vec<Finding> {
        let cx = CheckContext {
            narrative: Some(narrative),
            ..CheckContext::default()
        };
        let mut out = Vec::new();
        run(&consistent(), &cx, &mut out);
        out
    }

    #[test]
    fn consistent_statements_pass() {
        assert!(with("2022年度，经开区未产生信息处理费。").is_empty());
        assert!(with("全年收取政府信息公开信息处理费 0 元。").is_empty());
        assert!(with("发出收费通知2件，收取信息处理费150元。").is_empty());
        assert!(with("本年度未收取信息处理费。行政事业性收费24252.31万元。").is_empty());
    }

    #[test]
    fn a_denial_beside_an_amount_is_a_warning() {
        let out = with("本年度未收取信息处理费，共计150元。");
        assert_eq!(ids(&out), ["N-FEES"]);
        assert_eq!(out[0].printed.as_deref(), Some("150元"));
        let out = with("本年度无收取信息处理费情况。……全年共收取信息处理费300元。");
        assert_eq!(ids(&out), ["N-FEES"]);
    }
}
