//! Parts 一, 五 and 六 of a report drafted from the organ's figures (spec/domain.md §4.6, §4.7),
//! for staff to edit before sign-off: [`narrative`].
//!
//! The figures quoted are the records' (items published, fee notices…) and the tables' own
//! (表三's applications, 表四's appeals), worded so that the `N-*` checks read them back: a draft
//! that disagrees with its tables is a bug here, not a warning for staff. What only people know
//! (problems, the year's 工作要点) is left as a bracketed request to fill in.

use gongkai_core::article20::ARTICLE_20;
use gongkai_core::format::{APPLICANT_TOTAL, ApplicationRow, title};

use crate::model::{AnnualReport, Narrative, ProactiveValue};

/// What the organ's records say about its year, beyond the tables: the figures the narrative
/// quotes. Counted by the store from the records; the tables' own figures (applications,
/// appeals) are read from the report itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// The organ as the report names it.
    pub organ: String,
    /// The statistical year.
    pub year: i32,
    /// Information items first published in the year (主动公开政府信息, 条).
    pub items_published: u64,
    /// Of those, 公文 (规章, 行政规范性文件, 其他公文; 篇).
    pub documents_published: u64,
    /// Of those, 政策解读.
    pub interpretations_published: u64,
    /// Items published in the year per art. 20 category (number 1–15, count), categories with
    /// none left out.
    pub by_category: Vec<(u8, u64)>,
    /// 收费通知 issued in the year (国办函〔2020〕109号).
    pub fee_notices: u64,
    /// Their total, in 元.
    pub fees_notified_yuan: u64,
    /// Fees paid in the year, in 元.
    pub fees_collected_yuan: u64,
    /// 留言 answered in the year.
    pub messages_answered: u64,
    /// 意见征集 opened in the year.
    pub consultations: u64,
    /// The organ's 政府信息公开工作机构 as the opening names it for questions (e.g.
    /// `综合办公室`); empty where unknown.
    pub office: String,
    /// Its postal address; empty where unknown.
    pub address: String,
    /// Its 邮编; empty where unknown.
    pub postcode: String,
    /// Its telephone; empty where unknown.
    pub phone: String,
    /// The site the report can be downloaded from (`http://kfq.hlbe.gov.cn/`); empty where
    /// unknown.
    pub site_url: String,
}

/// Marks what staff must write: the draft cannot know it.
const TO_FILL: (&str, &str) = ("【请填写：", "】");

/// The narrative drafted for `report` (its tables computed from the records) from `figures`:
/// the opening with §4.7's elements, 一 under the five sub-heads of the format (主动公开,
/// 依申请公开, 政府信息管理, 平台建设, 监督保障), 五 and 六 as drafts to complete, 六 with the
/// 信息处理费 sentence of 国办函〔2020〕109号. Signed by the organ; the date is set at
/// publication.
pub fn narrative(report: &AnnualReport, figures: &Figures) -> Narrative {
    let organ = if figures.organ.is_empty() {
        report.agency.clone().unwrap_or_default()
    } else {
        figures.organ.clone()
    };
    let year = if figures.year != 0 {
        Some(figures.year)
    } else {
        report.year
    };
    let draft = Draft {
        report,
        figures,
        organ: &organ,
        year,
    };
    Narrative {
        opening: Some(draft.opening()),
        overview: Some(draft.overview()),
        problems: Some(draft.problems()),
        other_matters: Some(draft.other_matters()),
        signature: (!organ.is_empty()).then(|| organ.clone()),
        date: None,
    }
}

struct Draft<'a> {
    report: &'a AnnualReport,
    figures: &'a Figures,
    organ: &'a str,
    year: Option<i32>,
}

fn fill(what: &str) -> String {
    format!("{}{what}{}", TO_FILL.0, TO_FILL.1)
}

/// A section heading without its numbering: `一、总体情况` → `总体情况`.
fn unnumbered(heading: &str) -> &str {
    heading.split_once('、').map_or(heading, |(_, rest)| rest)
}

impl Draft<'_> {
    /// `2022年` or `本年度`.
    fn the_year(&self) -> String {
        self.year.map_or("本年度".to_owned(), |y| format!("{y}年"))
    }

    /// spec/domain.md §4.7: legal basis, the six parts, the statistics period, where to
    /// download, whom to ask.
    fn opening(&self) -> String {
        let parts: String = [
            title::OVERVIEW,
            title::PROACTIVE,
            title::APPLICATIONS,
            title::APPEALS,
            title::PROBLEMS,
            title::OTHER_MATTERS,
        ]
        .iter()
        .map(|h| format!("“{}”", unnumbered(h)))
        .collect();
        let mut out = format!(
            "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布{}{}政府信息公开工作年度报告。本报告包括{parts}六部分。",
            self.organ,
            self.the_year()
        );
        if let Some(y) = self.year {
            out.push_str(&format!(
                "本报告中所列数据统计期限为{y}年1月1日至{y}年12月31日。"
            ));
        }
        let f = self.figures;
        let site = if f.site_url.is_empty() {
            fill("网站地址")
        } else {
            f.site_url.clone()
        };
        out.push_str(&format!(
            "本年度报告电子版可以从{}门户网站（{site}）下载。",
            self.organ
        ));
        let office = if f.office.is_empty() {
            fill("政府信息公开工作机构")
        } else {
            f.office.clone()
        };
        let or_fill = |v: &str, what: &str| {
            if v.is_empty() {
                fill(what)
            } else {
                v.to_owned()
            }
        };
        out.push_str(&format!(
            "如对本年度报告有疑问，请与{}{office}联系（地址：{}，邮编：{}，电话：{}）。",
            self.organ,
            or_fill(&f.address, "地址"),
            or_fill(&f.postcode, "邮编"),
            or_fill(&f.phone, "电话"),
        ));
        out
    }

    /// 一、总体情况 under the five topics 国办公开办函〔2021〕30号 names for it.
    fn overview(&self) -> String {
        [
            ("（一）主动公开情况", self.proactive()),
            ("（二）依申请公开情况", self.applications()),
            ("（三）政府信息管理", self.management()),
            ("（四）平台建设", self.platform()),
            ("（五）监督保障", self.oversight()),
        ]
        .iter()
        .map(|(head, body)| format!("{head}\n{body}"))
        .collect::<Vec<_>>()
        .join("\n")
    }

    fn proactive(&self) -> String {
        let f = self.figures;
        let mut out = format!(
            "{}，{}主动公开政府信息{}条，其中公文{}篇、政策解读{}篇。",
            self.the_year(),
            self.organ,
            f.items_published,
            f.documents_published,
            f.interpretations_published
        );
        let categories: Vec<String> = f
            .by_category
            .iter()
            .filter(|(_, n)| *n > 0)
            .filter_map(|&(number, n)| {
                let item = ARTICLE_20.iter().find(|i| i.number == number)?;
                Some(format!("第二十条第{}项{}条", item.numeral, n))
            })
            .collect();
        if !categories.is_empty() {
            out.push_str(&format!(
                "按《条例》所列类别，公开{}。",
                categories.join("、")
            ));
        }
        if f.messages_answered > 0 || f.consultations > 0 {
            out.push_str(&format!(
                "答复网民留言{}件，开展意见征集{}次。",
                f.messages_answered, f.consultations
            ));
        }
        out
    }

    /// 表三's totals, in the words N-APPLICATIONS reads.
    fn applications(&self) -> String {
        let total = |row| {
            self.report
                .applications
                .as_ref()
                .and_then(|a| a.row(row))
                .and_then(|cells| cells[APPLICANT_TOTAL])
        };
        let (Some(new), Some(carried), Some(handled), Some(forward)) = (
            total(ApplicationRow::NewReceived),
            total(ApplicationRow::CarriedOver),
            total(ApplicationRow::TotalHandled),
            total(ApplicationRow::CarriedForward),
        ) else {
            return fill("依申请公开情况（表三未完成）");
        };
        if new == 0 && carried == 0 {
            return format!(
                "{}未收到政府信息公开申请，无上年结转的申请。",
                self.the_year()
            );
        }
        let mut out = format!(
            "{}新收政府信息公开申请{new}件，上年结转{carried}件；办结政府信息公开申请{handled}件",
            self.the_year()
        );
        let granted = total(ApplicationRow::Granted);
        let partial = total(ApplicationRow::PartiallyGranted);
        if let (Some(g), Some(p)) = (granted, partial) {
            out.push_str(&format!("，其中予以公开{g}件、部分公开{p}件"));
        }
        out.push_str(&format!("；结转下年度继续办理{forward}件。"));
        out
    }

    /// 表二's 行政规范性文件 where the template counts them so (2021).
    fn management(&self) -> String {
        let cell = |column| match self
            .report
            .proactive
            .as_ref()
            .and_then(|p| p.get("normative_documents", column))
        {
            Some(ProactiveValue::Int(n)) => Some(*n),
            _ => None,
        };
        let mut out = String::new();
        if let (Some(issued), Some(repealed), Some(in_force)) =
            (cell("issued"), cell("repealed"), cell("in_force"))
        {
            out.push_str(&format!(
                "本年制发行政规范性文件{issued}件，废止{repealed}件，现行有效{in_force}件。"
            ));
        }
        out.push_str(&fill(
            "公开属性审查、政策文件清理、政务公开事项标准目录等工作情况",
        ));
        out
    }

    fn platform(&self) -> String {
        let f = self.figures;
        let site = if f.site_url.is_empty() {
            String::new()
        } else {
            format!("（{}）", f.site_url)
        };
        format!(
            "{}通过门户网站{site}政府信息公开专栏发布政府信息。{}",
            self.organ,
            fill("政务新媒体、政务服务平台等平台建设情况")
        )
    }

    /// 表四's totals, in the words N-APPEALS reads; then what only people know (条例 art.
    /// 50(四): 工作考核、社会评议和责任追究结果).
    fn oversight(&self) -> String {
        let total = |block: &[Option<u64>; 5]| block[4];
        let appeals = self.report.appeals.as_ref().map(|a| {
            let [r, d, f] = &a.blocks;
            (
                total(r),
                total(d).zip(total(f)).and_then(|(d, f)| d.checked_add(f)),
            )
        });
        let mut out = match appeals {
            Some((Some(0), Some(0))) => format!(
                "{}未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。",
                self.the_year()
            ),
            Some((Some(r), Some(l))) => format!(
                "{}因政府信息公开工作被申请行政复议{r}件，被提起行政诉讼{l}件。",
                self.the_year()
            ),
            _ => fill("行政复议、行政诉讼情况（表四未完成）"),
        };
        out.push_str(&fill("工作考核、社会评议和责任追究结果情况"));
        out
    }

    fn problems(&self) -> String {
        fill("本年度政府信息公开工作存在的主要问题、上一年度报告所列问题的整改情况及改进措施")
    }

    /// 六: the 信息处理费 (国办函〔2020〕109号) from the fee records, then the other matters.
    fn other_matters(&self) -> String {
        let f = self.figures;
        let fees = if f.fee_notices == 0 && f.fees_collected_yuan == 0 {
            format!("{}未发出收费通知，未收取信息处理费。", self.the_year())
        } else {
            format!(
                "{}依据《政府信息公开信息处理费管理办法》发出收费通知{}件，合计金额{}元，实际收取信息处理费{}元。",
                self.the_year(),
                f.fee_notices,
                f.fees_notified_yuan,
                f.fees_collected_yuan
            )
        };
        // In the seed's order: the year's 工作要点 first, the fees second.
        [
            format!("（一）{}落实政务公开工作要点完成情况", self.the_year()),
            fill("落实上级年度政务公开工作要点、人大代表建议和政协提案办理结果公开等情况"),
            "（二）收取信息处理费情况".to_owned(),
            fees,
        ]
        .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use gongkai_core::format::{ApplicationRow as R, Template};
    use proptest::prelude::*;

    use super::*;
    use crate::check::{CheckContext, Finding, check};
    use crate::model::Applications;

    fn seed() -> AnnualReport {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/seed/2022_hulunbuir_jingkaiqu.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        let value: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        AnnualReport::from_json(&value).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The seed organ's figures for 2022 (spec/domain.md §1).
    fn seed_figures() -> Figures {
        Figures {
            organ: "呼伦贝尔经济技术开发区".into(),
            year: 2022,
            items_published: 388,
            documents_published: 40,
            office: "政务公开工作领导小组办公室".into(),
            address: "呼伦贝尔国家级经济技术开发区管委会办公楼".into(),
            postcode: "021000".into(),
            phone: "0470—2773823".into(),
            site_url: "http://kfq.hlbe.gov.cn/".into(),
            ..Figures::default()
        }
    }

    fn n_findings(findings: &[Finding]) -> Vec<&Finding> {
        findings
            .iter()
            .filter(|f| f.check.starts_with("N-"))
            .collect()
    }

    #[test]
    fn the_seeds_figures_are_drafted_into_part_one_and_the_opening() {
        let n = narrative(&seed(), &seed_figures());
        let overview = n.overview.clone().unwrap_or_default();
        assert!(
            overview.contains("主动公开政府信息388条，其中公文40篇"),
            "{overview}"
        );
        let heads: Vec<&str> = overview
            .lines()
            .filter(|l| crate::render::is_subhead(l))
            .collect();
        assert_eq!(
            heads,
            [
                "（一）主动公开情况",
                "（二）依申请公开情况",
                "（三）政府信息管理",
                "（四）平台建设",
                "（五）监督保障"
            ]
        );
        // 表三 and 表四 of the seed are all 0.
        assert!(
            overview.contains("2022年未收到政府信息公开申请"),
            "{overview}"
        );
        assert!(overview.contains("未发生因政府信息公开工作被申请行政复议、提起行政诉讼"));
        // §4.7's elements, in order.
        let opening = n.opening.clone().unwrap_or_default();
        let order = [
            "《中华人民共和国政府信息公开条例》",
            "“总体情况”",
            "“其他需要报告的事项”",
            "统计期限为2022年1月1日至2022年12月31日",
            "http://kfq.hlbe.gov.cn/",
            "政务公开工作领导小组办公室",
            "邮编：021000",
            "电话：0470—2773823",
        ];
        let at: Vec<usize> = order
            .iter()
            .map(|w| {
                opening
                    .find(w)
                    .unwrap_or_else(|| panic!("{w} in {opening}"))
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{opening}");
        let other = n.other_matters.clone().unwrap_or_default();
        assert!(
            other.starts_with("（一）2022年落实政务公开工作要点完成情况\n【请填写："),
            "{other}"
        );
        assert!(
            other.ends_with("（二）收取信息处理费情况\n2022年未发出收费通知，未收取信息处理费。"),
            "{other}"
        );
        assert!(
            n.problems
                .as_deref()
                .is_some_and(|p| p.starts_with(TO_FILL.0))
        );
        assert_eq!(n.signature.as_deref(), Some("呼伦贝尔经济技术开发区"));
        assert_eq!(n.date, None, "dated at publication");
        // The text export of the seed with its draft holds the figures in 总体情况.
        let mut report = seed();
        report.narrative = Some(n);
        let text = crate::render::text(&report);
        let part_one = &text
            [text.find(title::OVERVIEW).unwrap_or(0)..text.find(title::PROACTIVE).unwrap_or(0)];
        assert!(
            part_one.contains("388条") && part_one.contains("40篇"),
            "{text}"
        );
        assert_eq!(
            n_findings(&check(&report, &CheckContext::default())),
            Vec::<&Finding>::new()
        );
    }

    #[test]
    fn without_figures_the_organ_and_year_come_from_the_report() {
        let n = narrative(&seed(), &Figures::default());
        let opening = n.opening.unwrap_or_default();
        assert!(opening.contains("现公布呼伦贝尔经济技术开发区2022年政府信息公开工作年度报告"));
        assert!(opening.contains("【请填写：网站地址】"), "{opening}");
    }

    /// 表三 consistent in itself: per applicant kind, new and carried-over applications, some
    /// granted, some partly, the rest carried forward.
    fn applications() -> impl Strategy<Value = Applications> {
        proptest::collection::vec((0u64..40, 0u64..10, 0u64..100, 0u64..100), 6).prop_map(|cols| {
            let mut a = Applications::new(Template::Y2021);
            for spec in Template::Y2021.application_rows() {
                if let Some(row) = a.row_mut(spec.row) {
                    *row = [Some(0); 7];
                }
            }
            for (c, (new, carried, g, p)) in cols.into_iter().enumerate() {
                let open = new + carried;
                let granted = g % (open + 1);
                let partial = p % (open - granted + 1);
                for (row, v) in [
                    (R::NewReceived, new),
                    (R::CarriedOver, carried),
                    (R::Granted, granted),
                    (R::PartiallyGranted, partial),
                    (R::TotalHandled, granted + partial),
                    (R::CarriedForward, open - granted - partial),
                ] {
                    if let Some(cells) = a.row_mut(row) {
                        cells[c] = Some(v);
                        cells[6] = Some(cells[6].unwrap_or(0) + v);
                    }
                }
            }
            a
        })
    }

    fn appeals() -> impl Strategy<Value = crate::model::Appeals> {
        proptest::array::uniform3(proptest::array::uniform4(0u64..5)).prop_map(|blocks| {
            crate::model::Appeals {
                blocks: blocks.map(|b| {
                    [
                        Some(b[0]),
                        Some(b[1]),
                        Some(b[2]),
                        Some(b[3]),
                        Some(b.iter().sum()),
                    ]
                }),
            }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn the_draft_agrees_with_its_tables_and_the_checks_read_it(
            applications in applications(),
            appeals in appeals(),
            fees in (0u64..4, 0u64..2000),
        ) {
            // N-APPLICATIONS, N-APPEALS, N-FEES pass on the draft of generated tables…
            let mut report = crate::check::testing::consistent();
            report.applications = Some(applications);
            report.appeals = Some(appeals);
            let (notices, yuan) = fees;
            let figures = Figures {
                fee_notices: notices,
                fees_notified_yuan: if notices > 0 { yuan } else { 0 },
                fees_collected_yuan: if notices > 0 { yuan / 2 } else { 0 },
                ..seed_figures()
            };
            report.narrative = Some(narrative(&report, &figures));
            let findings = check(&report, &CheckContext::default());
            prop_assert!(findings.is_empty(), "{:?}", findings);
            // …and they do read its figures: tables changed after drafting are caught.
            let mut changed = report.clone();
            if let Some(cells) = changed.applications.as_mut().and_then(|a| a.row_mut(R::TotalHandled)) {
                cells[6] = cells[6].map(|v| v + 1);
            }
            if let Some(a) = changed.appeals.as_mut() {
                a.blocks[0][4] = a.blocks[0][4].map(|v| v + 1);
            }
            let ids: Vec<&str> = n_findings(&check(&changed, &CheckContext::default())).iter().map(|f| f.check).collect();
            let received = report.applications.as_ref().and_then(|a| a.row(R::NewReceived)).and_then(|r| r[6]).unwrap_or(0)
                + report.applications.as_ref().and_then(|a| a.row(R::CarriedOver)).and_then(|r| r[6]).unwrap_or(0);
            if received > 0 {
                prop_assert!(ids.contains(&"N-APPLICATIONS"), "{:?}", ids);
            }
            prop_assert!(ids.contains(&"N-APPEALS"), "{:?}", ids);
            // The fee sentence is read too: denying a fee beside it is a contradiction.
            if figures.fees_notified_yuan > 0 {
                let mut denied = report.clone();
                if let Some(n) = denied.narrative.as_mut() {
                    n.other_matters = n.other_matters.take().map(|t| t + "\n本年度未收取信息处理费。");
                }
                let ids: Vec<&str> = n_findings(&check(&denied, &CheckContext::default())).iter().map(|f| f.check).collect();
                prop_assert_eq!(ids, ["N-FEES"]);
            }
        }
    }
}
