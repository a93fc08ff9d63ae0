//! `N-APPLICATIONS` (warning): a figure the narrative gives for applications received,
//! handled or carried forward equals 表三's. Text and tables of one report must agree.
//!
//! Phrases read (see `narrative` for the matcher): received — 收到/受理/新收/接收/接到 …申请…
//! N件 (or N件…申请); handled — 办结/答复 …申请… N件; carried forward — 结转(至)下年度… N件,
//! or N件…顺延/结转至下年度. A received figure agrees with 一 or with 一 + 二 (many reports count
//! the carry-over as received).

use gongkai_core::format::{APPLICANT_TOTAL, ApplicationRow as R};

use super::narrative::{clauses, contains, find_all, has_digit, next_count, normalise};
use super::{CheckContext, CheckSpec, Finding, Section, Severity, app_cell, app_row, sum};
use crate::model::{AnnualReport, Count};

/// The check's catalogue entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "N-APPLICATIONS",
    severity: Severity::Warning,
    rule: "正文所述收到、办结、结转的申请件数与表三一致",
};

/// What a narrative figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Received,
    Handled,
    Forward,
}

const RECEIVED: [&str; 5] = ["收到", "受理", "新收", "接收", "接到"];
const HANDLED: [&str; 2] = ["办结", "答复"];
/// Clauses about other things that are also "received" (complaints, appeals, letters…).
const OTHER_MATTERS: [&str; 9] = [
    "复议", "诉讼", "举报", "投诉", "信访", "来信", "留言", "咨询", "热线",
];
/// Gap words that make a figure a part, not the whole.
const PARTIAL: [&str; 4] = ["其中", "结转", "上年", "按期"];
const UNITS: [char; 2] = ['件', '份'];

/// The clauses of `narrative` that may hold a figure: normalised, with a digit, and not about
/// other matters (complaints, appeals, letters…). Both matchers below read these.
fn figure_clauses(narrative: &str) -> Vec<Vec<char>> {
    clauses(&normalise(narrative))
        .into_iter()
        .filter(|c| has_digit(c) && !OTHER_MATTERS.iter().any(|m| contains(c, m)))
        .collect()
}

/// The figures of `narrative`, in order of appearance, without repeats.
#[cfg(test)]
fn figures(narrative: &str) -> Vec<(Kind, u64)> {
    figures_in(&figure_clauses(narrative))
}

/// The received, handled and carried-forward figures of the clauses, without repeats.
fn figures_in(clauses: &[Vec<char>]) -> Vec<(Kind, u64)> {
    let mut out = Vec::new();
    for clause in clauses {
        // Without 公开 the clause must end in the plain "…N件申请" ("共收到70件申请").
        let about_disclosure = contains(clause, "公开");
        // Received and handled figures need 申请 in the clause; "结转下年" is specific enough.
        let verbs: &[(Kind, &[&str])] = if contains(clause, "申请") {
            &[(Kind::Received, &RECEIVED), (Kind::Handled, &HANDLED)]
        } else {
            &[]
        };
        let mut found = Vec::new();
        for &(kind, verbs) in verbs {
            for verb in verbs {
                for at in find_all(clause, verb) {
                    let from = at + verb.chars().count();
                    let Some((gap, value, end)) = next_count(clause, from, 30, &UNITS) else {
                        continue;
                    };
                    if PARTIAL.iter().any(|p| gap.contains(p)) {
                        continue;
                    }
                    let after: String = clause.iter().skip(end).take(10).collect();
                    let about_applications = if about_disclosure {
                        gap.contains("申请") || (kind == Kind::Received && after.contains("申请"))
                    } else {
                        kind == Kind::Received
                            && after.starts_with("申请")
                            && after.chars().count() <= 4
                    };
                    if about_applications {
                        found.push((kind, value));
                    }
                }
            }
        }
        // 结转(至/到)下(一)年度 … N件
        for at in find_all(clause, "结转") {
            let next: String = clause.iter().skip(at + 2).take(3).collect();
            if !next.contains('下') {
                continue;
            }
            if let Some((_, value, _)) = next_count(clause, at + 2, 15, &UNITS) {
                found.push((Kind::Forward, value));
            }
        }
        // N件 … 顺延/结转(至/到)下年度
        for marker in ["顺延到下", "顺延至下", "结转到下", "结转至下"] {
            for at in find_all(clause, marker) {
                let head = &clause[..at];
                if let Some(value) = last_count_before(head, 20) {
                    found.push((Kind::Forward, value));
                }
            }
        }
        for f in found {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}

/// A result group the narrative may name, and the 表三 rows it adds up.
struct Group {
    keyword: &'static str,
    rows: &'static [R],
}

/// Combined phrases first: their parts must not be read again inside them.
const GROUPS: [Group; 8] = [
    Group {
        keyword: "予以公开及部分公开",
        rows: &[R::Granted, R::PartiallyGranted],
    },
    Group {
        keyword: "予以公开和部分公开",
        rows: &[R::Granted, R::PartiallyGranted],
    },
    Group {
        keyword: "予以公开",
        rows: &[R::Granted],
    },
    Group {
        keyword: "部分公开",
        rows: &[R::PartiallyGranted],
    },
    Group {
        keyword: "不予公开",
        rows: &[
            R::WithheldStateSecret,
            R::WithheldProhibitedByLaw,
            R::WithheldSecurityStability,
            R::WithheldThirdParty,
            R::WithheldInternalAffairs,
            R::WithheldProcessInfo,
            R::WithheldEnforcementFile,
            R::WithheldInquiryMatter,
        ],
    },
    Group {
        keyword: "无法提供",
        rows: &[
            R::UnavailableNotHeld,
            R::UnavailableNeedsCreation,
            R::UnavailableUnclear,
        ],
    },
    Group {
        keyword: "不予处理",
        rows: &[
            R::RejectedPetition,
            R::RejectedRepeat,
            R::RejectedPublication,
            R::RejectedExcessive,
            R::RejectedConfirmation,
        ],
    },
    Group {
        keyword: "其他处理",
        rows: &[
            R::OtherNoCorrection,
            R::OtherFeeUnpaid,
            R::OtherOther,
            R::Other,
        ],
    },
];

/// What may stand between a group's keyword and its figure.
const FILLER: [char; 4] = ['的', '共', '为', '计'];

/// The result-group figures of `narrative`: (index into [`GROUPS`], figure), without repeats.
#[cfg(test)]
fn group_figures(narrative: &str) -> Vec<(usize, u64)> {
    group_figures_in(&figure_clauses(narrative))
}

/// The result-group figures of the clauses.
fn group_figures_in(clauses: &[Vec<char>]) -> Vec<(usize, u64)> {
    let mut out = Vec::new();
    for clause in clauses {
        let mut taken = vec![false; clause.len()];
        for (index, group) in GROUPS.iter().enumerate() {
            let len = group.keyword.chars().count();
            for at in find_all(clause, group.keyword) {
                if taken[at..at + len].iter().any(|t| *t) {
                    continue;
                }
                taken[at..at + len].iter_mut().for_each(|t| *t = true);
                let Some((gap, value, _)) = next_count(clause, at + len, 2, &UNITS) else {
                    continue;
                };
                if gap.chars().all(|c| FILLER.contains(&c)) && !out.contains(&(index, value)) {
                    out.push((index, value));
                }
            }
        }
    }
    out
}

/// The last count (digits + 件) within `window` characters before the end of `head`.
fn last_count_before(head: &[char], window: usize) -> Option<u64> {
    let start = head.len().saturating_sub(window);
    (start..head.len()).rev().find_map(|i| {
        let starts = head[i].is_ascii_digit() && (i == 0 || !head[i - 1].is_ascii_digit());
        if starts {
            super::narrative::count_at(head, i, &UNITS).map(|(v, _)| v)
        } else {
            None
        }
    })
}

/// A row's 总计, or the sum of its six applicant cells where 总计 is blank.
fn row_total(cells: &[Count; 7]) -> Option<u64> {
    cells[APPLICANT_TOTAL].or_else(|| sum(cells[..APPLICANT_TOTAL].iter().copied()))
}

/// What the rows print in all: each row's 总计, or where it is blank the applicant cells it does
/// print. A narrative figure is compared with the printed numbers (a blank adds nothing); a group
/// whose every cell is blank gives `None`, and no comparison.
fn printed_total<'a>(rows: impl Iterator<Item = &'a [Count; 7]>) -> Option<u64> {
    let mut total: Option<u64> = None;
    for cells in rows {
        let row = match cells[APPLICANT_TOTAL] {
            Some(t) => Some(t),
            None => cells[..APPLICANT_TOTAL]
                .iter()
                .flatten()
                .try_fold(None::<u64>, |acc, &v| {
                    Some(Some(acc.unwrap_or(0).checked_add(v)?))
                })?,
        };
        if let Some(v) = row {
            total = Some(total.unwrap_or(0).checked_add(v)?);
        }
    }
    total
}

/// Adds a finding per narrative figure that no table total matches.
pub fn run(report: &AnnualReport, cx: &CheckContext<'_>, out: &mut Vec<Finding>) {
    let Some(narrative) = cx.narrative else {
        return;
    };
    let (Some(new), Some(over), Some(handled), Some(forward)) = (
        app_row(report, R::NewReceived),
        app_row(report, R::CarriedOver),
        app_row(report, R::TotalHandled),
        app_row(report, R::CarriedForward),
    ) else {
        return;
    };
    let clauses = figure_clauses(narrative);
    for (kind, figure) in figures_in(&clauses) {
        let (specs, candidates, what) = match kind {
            Kind::Received => {
                let n = row_total(&new.1);
                let both = n
                    .zip(row_total(&over.1))
                    .and_then(|(a, b)| a.checked_add(b));
                (vec![new.0, over.0], vec![n, both], "收到申请")
            }
            Kind::Handled => (vec![handled.0], vec![row_total(&handled.1)], "办结申请"),
            Kind::Forward => (vec![forward.0], vec![row_total(&forward.1)], "结转下年度"),
        };
        let Some(table) = candidates[0] else {
            continue;
        };
        if candidates.contains(&Some(figure)) {
            continue;
        }
        // The narrative may count received applications with or without those carried over:
        // the message gives both totals it was compared with.
        let compared = match (specs.as_slice(), candidates.get(1).copied().flatten()) {
            ([first, second], Some(both)) => format!(
                "表三“{}”总计为{table}，与“{}”合计为{both}",
                first.label, second.label
            ),
            _ => format!("表三“{}”总计为{table}", specs[0].label),
        };
        out.push(Finding {
            check: SPEC.id,
            severity: SPEC.severity,
            cells: specs.iter().map(|s| app_cell(s, APPLICANT_TOTAL)).collect(),
            expected: Some(table.to_string()),
            printed: Some(figure.to_string()),
            place: format!("{} {}", Section::Applications.name(), specs[0].label),
            message: format!("正文称{what}{figure}件，{compared}"),
        });
    }
    for (index, figure) in group_figures_in(&clauses) {
        let Some(group) = GROUPS.get(index) else {
            continue;
        };
        let rows: Vec<_> = group
            .rows
            .iter()
            .filter_map(|&row| app_row(report, row))
            .collect();
        let Some(table) = printed_total(rows.iter().map(|(_, cells)| cells)) else {
            continue;
        };
        if rows.is_empty() || table == figure {
            continue;
        }
        out.push(Finding {
            check: SPEC.id,
            severity: SPEC.severity,
            cells: rows
                .iter()
                .map(|(spec, _)| app_cell(spec, APPLICANT_TOTAL))
                .collect(),
            expected: Some(table.to_string()),
            printed: Some(figure.to_string()),
            place: format!("{} {}", Section::Applications.name(), group.keyword),
            message: format!(
                "正文称{}{figure}件，表三相应各行印出的数字合计为{table}",
                group.keyword
            ),
        });
    }
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
    fn reads_the_usual_phrases() {
        assert_eq!(
            figures("2022年，全区共收到政府信息公开申请75件，涉及自然人72件。"),
            [(Kind::Received, 75)]
        );
        assert_eq!(figures("本年度全区共收到70件申请"), [(Kind::Received, 70)]);
        assert_eq!(
            figures("区政府办公室共收到8份政府信息公开申请,均为自然人申请"),
            [(Kind::Received, 8)]
        );
        assert_eq!(
            figures("2023 年全区受理政府信息公开申请 21 件，"),
            [(Kind::Received, 21)]
        );
        assert_eq!(
            figures(
                "答复政府信息公开申请805件（含上年度结转申请18件，另有72件申请按照《条例》顺延到下年度答复）"
            ),
            [(Kind::Handled, 805), (Kind::Forward, 72)]
        );
        assert_eq!(
            figures("本年度街道收到依申请公开申请0件,办结公开申请0件。"),
            [(Kind::Received, 0), (Kind::Handled, 0)]
        );
        assert_eq!(figures("结转下年度继续办理申请3件"), [(Kind::Forward, 3)]);
        assert_eq!(
            figures(
                "共收到政府信息公開申請208件(不含上年結轉5件),其中已辦結196件,結轉下年辦理17件。"
            ),
            [(Kind::Received, 208), (Kind::Forward, 17)]
        );
    }

    #[test]
    fn stays_silent_when_unsure() {
        // Table text run together, other matters, parts of the whole.
        assert_eq!(
            figures("一、本年新收政府信息公开申请数量230 000023二、上年结转"),
            []
        );
        assert_eq!(
            figures("四、结转下年度继续办理1000001四、政府信息公开行政复议"),
            []
        );
        assert_eq!(figures("收到信访举报投诉类公开申请3件"), []);
        assert_eq!(figures("受理上年结转的公开申请18件"), []);
        assert_eq!(figures("申请户外广告设置许可证783条"), []);
        assert_eq!(figures("共收到入学申请30件"), []);
    }

    #[test]
    fn reads_result_group_figures() {
        let names = |text: &str| -> Vec<(&str, u64)> {
            group_figures(text)
                .into_iter()
                .map(|(i, v)| (GROUPS[i].keyword, v))
                .collect()
        };
        // 2019_shanghai_bangongting_1's sentence.
        assert_eq!(
            names(
                "予以公开及部分公开258件，占33.9%；不予公开35件，占4.34%；因本机关不掌握等原因无法提供265件，占32.9%；不予处理158件，占19.6%；其他处理0件。"
            ),
            [
                ("予以公开及部分公开", 258),
                ("不予公开", 35),
                ("无法提供", 265),
                ("不予处理", 158),
                ("其他处理", 0)
            ]
        );
        assert_eq!(
            names("其中，予以公开2件，部分公开2件，其他1件"),
            [("予以公开", 2), ("部分公开", 2)]
        );
        // Comparisons, rates and other matters are not figures of the group.
        assert_eq!(names("予以公开比去年增加5件"), []);
        assert_eq!(names("予以公开率为100%"), []);
        assert_eq!(names("行政复议结果为不予公开1件"), []);
    }

    #[test]
    fn result_group_figures_must_match_the_table() {
        // consistent(): （一）予以公开 总计 6.
        assert!(with("予以公开6件。").is_empty());
        let out = with("予以公开4件。");
        assert_eq!(ids(&out), ["N-APPLICATIONS"]);
        assert_eq!(out[0].expected.as_deref(), Some("6"));
        assert_eq!(out[0].printed.as_deref(), Some("4"));
        assert_eq!(out[0].cells[0].row, "granted");
    }

    #[test]
    fn narrative_and_table_must_agree() {
        // consistent(): 一 11, 二 1, （七）10, 四 2.
        assert!(with("共收到政府信息公开申请11件。").is_empty());
        assert!(with("共收到政府信息公开申请12件（含上年结转）。").is_empty());
        let out = with("共收到政府信息公开申请15件，办结政府信息公开申请10件。");
        assert_eq!(ids(&out), ["N-APPLICATIONS"]);
        assert_eq!(out[0].expected.as_deref(), Some("11"));
        assert_eq!(out[0].printed.as_deref(), Some("15"));
        // Both totals it was compared with are named, each with its own figure.
        assert_eq!(
            out[0].message,
            "正文称收到申请15件，表三“一、本年新收政府信息公开申请数量”总计为11，\
             与“二、上年结转政府信息公开申请数量”合计为12"
        );
        let out = with("答复政府信息公开申请9件");
        assert_eq!(out[0].cells[0].row, "total_handled");
    }
}
#[cfg(test)]
mod corpus {
    use super::{Kind, figures};

    fn narrative(name: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpus")
            .join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn figures_read_from_the_corpus_narratives() {
        use Kind::*;
        let cases: [(&str, &[(Kind, u64)]); 8] = [
            // Whole body on one line with the tables run together: nothing read from them.
            ("2019_pingtan_1.txt", &[]),
            (
                "2019_shanghai_bangongting_1.txt",
                &[(Received, 859), (Handled, 805), (Forward, 72)],
            ),
            ("2021_pingtan_1.txt", &[(Received, 70)]),
            ("2022_pingtan_1.txt", &[(Received, 75)]),
            ("2023_hongzequ_1.txt", &[(Received, 21)]),
            (
                "2022_wuhan_huangpiqu_fanti_1.txt",
                &[(Received, 208), (Forward, 17)],
            ),
            (
                "2024_changzhou_zhonglou_nandajiejiedao_1.txt",
                &[(Received, 0), (Handled, 0)],
            ),
            ("2020_weihai_wendeng_shenjiju_p9.txt", &[]),
        ];
        for (name, expected) in cases {
            assert_eq!(figures(&narrative(name)), expected, "{name}");
        }
    }
}
