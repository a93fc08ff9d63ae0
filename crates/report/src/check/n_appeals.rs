//! `N-APPEALS` (warning): the figures the narrative gives for 行政复议 and 行政诉讼 equal 表四's
//! totals. Phrases read: 复议 (案件/申请…) N件, 诉讼 (案件…) N件; skipped: 尚未审结…,
//! 其中…, 未经复议…, and 诉讼 figures that follow 复议 in one phrase ("行政复议、行政诉讼案件3件"
//! may count both). A 诉讼 figure agrees with either kind of 诉讼 or with their sum.

use gongkai_core::format::{APPEAL_BLOCKS, APPEAL_COLUMNS, APPEAL_TOTAL};

use super::narrative::{clauses, count_at, find_all, has_digit, normalise};
use super::{CheckContext, CheckSpec, Finding, Section, Severity, appeal_cell, sum};
use crate::model::{AnnualReport, Count};

/// The check's catalogue entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "N-APPEALS",
    severity: Severity::Warning,
    rule: "正文所述行政复议、行政诉讼件数与表四总计一致",
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Reconsideration,
    Litigation,
}

/// Characters allowed between the keyword and the digits.
const FILLER: [char; 14] = [
    '案', '件', '申', '请', '共', '计', '为', '的', '有', '数', '量', '类', '总', '起',
];
const UNITS: [char; 4] = ['件', '起', '宗', '次'];
/// Words just before the keyword that make the figure a part or another thing.
const NOT_TOTAL: [&str; 5] = ["尚未审结", "未审结", "其中", "未经", "审结"];

fn figures(narrative: &str) -> Vec<(Kind, u64)> {
    let text = normalise(narrative);
    let mut out = Vec::new();
    for clause in clauses(&text).into_iter().filter(|c| has_digit(c)) {
        for (kind, keyword) in [(Kind::Reconsideration, "复议"), (Kind::Litigation, "诉讼")] {
            for at in find_all(&clause, keyword) {
                let before: String = clause[at.saturating_sub(6)..at].iter().collect();
                if NOT_TOTAL.iter().any(|w| before.contains(w)) {
                    continue;
                }
                // "复议、行政诉讼 N件" may count both; "复议12件、行政诉讼24件" does not.
                if kind == Kind::Litigation
                    && let Some(p) = before.rfind("复议")
                    && !before[p..].chars().any(|c| c.is_ascii_digit())
                {
                    continue;
                }
                let from = at + 2;
                let gap = clause
                    .get(from..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|c| FILLER.contains(c))
                    .count();
                if gap > 4 {
                    continue;
                }
                if let Some((value, _)) = count_at(&clause, from + gap, &UNITS)
                    && !out.contains(&(kind, value))
                {
                    out.push((kind, value));
                }
            }
        }
    }
    out
}

fn total(block: &[Count; 5]) -> Option<u64> {
    block[APPEAL_TOTAL].or_else(|| sum(block[..APPEAL_TOTAL].iter().copied()))
}

/// Adds a finding per narrative figure that 表四 does not show.
pub fn run(report: &AnnualReport, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
    let (Some(narrative), Some(appeals)) = (cx.narrative, &report.appeals) else {
        return;
    };
    let [recon, direct, after] = &appeals.blocks;
    for (kind, figure) in figures(narrative) {
        let (blocks, candidates, table, what) = match kind {
            Kind::Reconsideration => {
                let t = total(recon);
                (vec![0], vec![t], t, "行政复议")
            }
            Kind::Litigation => {
                let (d, a) = (total(direct), total(after));
                let both = d.zip(a).and_then(|(d, a)| d.checked_add(a));
                (vec![1, 2], vec![d, a, both], both, "行政诉讼")
            }
        };
        let Some(table) = table else {
            continue;
        };
        if candidates.contains(&Some(figure)) {
            continue;
        }
        let labels: Vec<&str> = blocks.iter().map(|&b| APPEAL_BLOCKS[b].label).collect();
        out.push(Finding {
            check: SPEC.id,
            severity: SPEC.severity,
            cells: blocks
                .iter()
                .map(|&b| appeal_cell(b, APPEAL_TOTAL))
                .collect(),
            expected: Some(table.to_string()),
            printed: Some(figure.to_string()),
            place: format!("{} {}", Section::Appeals.name(), labels.join("、")),
            message: format!(
                "正文称{what}{figure}件，表四“{}”{}为{table}",
                labels.join("”与“"),
                APPEAL_COLUMNS[APPEAL_TOTAL].label,
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{consistent, ids};

    #[test]
    fn reads_the_usual_phrases() {
        assert_eq!(
            figures("共有行政诉讼案件1件、行政复议案件2件，均已结案。"),
            [(Kind::Reconsideration, 2), (Kind::Litigation, 1)]
        );
        assert_eq!(
            figures("信息公开类行政复议7件，诉讼9件，均获维持"),
            [(Kind::Reconsideration, 7), (Kind::Litigation, 9)]
        );
        assert_eq!(
            figures(
                "本年度因政府信息公开申请行政复议0件,尚未审结行政复议0件和提起行政诉讼0件,尚未审结行政诉讼2件。"
            ),
            [(Kind::Reconsideration, 0), (Kind::Litigation, 0)]
        );
    }

    #[test]
    fn reads_traditional_text() {
        assert_eq!(
            figures("辦理信息公開行政複議12件、行政訴訟24件(含未經複議直接起訴和複議後起訴)。"),
            [(Kind::Reconsideration, 12), (Kind::Litigation, 24)]
        );
    }

    #[test]
    fn stays_silent_when_unsure() {
        assert_eq!(figures("因政府信息公开引起的行政复议、行政诉讼案件3件"), []);
        assert_eq!(
            figures(
                "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
            ),
            []
        );
        assert_eq!(
            figures("四、政府信息公开行政复议、行政诉讼情况 | 0 | 0"),
            []
        );
    }

    #[test]
    fn narrative_and_table_must_agree() {
        // consistent(): 复议 total 3, 直接起诉 2, 复议后起诉 0.
        let run_with = |text: &str| {
            let cx = CheckContext {
                narrative: Some(text),
                ..CheckContext::default()
            };
            let mut out = Vec::new();
            run(&consistent(), &cx, &mut out);
            out
        };
        assert!(run_with("被申请行政复议3件，行政诉讼2件。").is_empty());
        let out = run_with("被申请行政复议5件，行政诉讼1件。");
        assert_eq!(ids(&out), ["N-APPEALS", "N-APPEALS"]);
        assert_eq!(out[0].expected.as_deref(), Some("3"));
        assert_eq!(out[0].printed.as_deref(), Some("5"));
        assert_eq!(out[1].cells.len(), 2);
    }
}
#[cfg(test)]
mod corpus {
    use super::{Kind, figures};

    #[test]
    fn figures_read_from_the_corpus_narratives() {
        use Kind::*;
        let cases: [(&str, &[(Kind, u64)]); 5] = [
            ("2019_pingtan_1.txt", &[]),
            (
                "2019_shanghai_bangongting_1.txt",
                &[(Reconsideration, 7), (Litigation, 9)],
            ),
            (
                "2022_pingtan_1.txt",
                &[(Reconsideration, 2), (Litigation, 1)],
            ),
            (
                "2022_wuhan_huangpiqu_fanti_1.txt",
                &[(Reconsideration, 12), (Litigation, 24)],
            ),
            // "未出现申请行政复议、提起行政诉讼的情况": no figure.
            ("2020_weihai_wendeng_shenjiju_p9.txt", &[]),
        ];
        for (name, expected) in cases {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/corpus")
                .join(name);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(figures(&text), expected, "{name}");
        }
    }
}
