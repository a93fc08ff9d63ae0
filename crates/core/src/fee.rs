//! 信息处理费 under 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号, spec/domain.md §5).
//!
//! An application is charged on one basis only ([`FeeBasis`] is an enum: never both, art. 3):
//! 按件计收 by the applicant's count of applications in the calendar month (art. 4), or 按量计收
//! by the application's pages (art. 5). Both are progressive above free thresholds.

use time::Date;

/// The basis of one application's fee: exactly one of the two (办法 art. 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeBasis {
    /// 按件计收: this is the applicant's `nth` application in the calendar month (1-based,
    /// cumulative, this one included).
    PerApplication {
        /// Position of this application in the applicant's month.
        nth: u32,
    },
    /// 按量计收: the application's number of pages.
    PerPage {
        /// Pages provided.
        pages: u32,
    },
}

/// One charged band of a fee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeBand {
    /// The band, as the measures word it: `第 11 件至第 30 件`, `31–100 页`.
    pub band: String,
    /// Units charged in this band (1 for 按件).
    pub units: u32,
    /// Rate, 元 per unit.
    pub rate: u64,
}

impl FeeBand {
    /// Amount of the band, 元.
    pub fn amount(&self) -> u64 {
        u64::from(self.units) * self.rate
    }
}

/// A computed fee with its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fee {
    /// The basis.
    pub basis: FeeBasis,
    /// Total, 元.
    pub yuan: u64,
    /// The bands charged; empty when free.
    pub bands: Vec<FeeBand>,
}

impl Fee {
    /// The fee for one application.
    pub fn compute(basis: FeeBasis) -> Fee {
        let bands = match basis {
            FeeBasis::PerApplication { nth } => per_application(nth),
            FeeBasis::PerPage { pages } => per_page(pages),
        };
        let yuan = bands.iter().map(FeeBand::amount).sum();
        Fee { basis, yuan, bands }
    }

    /// The article the basis rests on.
    pub fn basis_article(&self) -> &'static str {
        match self.basis {
            FeeBasis::PerApplication { .. } => {
                "《政府信息公开信息处理费管理办法》第四条（按件计收）"
            }
            FeeBasis::PerPage { .. } => "《政府信息公开信息处理费管理办法》第五条（按量计收）",
        }
    }

    /// Explanation lines, Chinese: the total first, then one line per band, then the basis.
    pub fn explanation(&self) -> Vec<String> {
        let mut lines = vec![format!("{} 元", self.yuan)];
        match self.basis {
            FeeBasis::PerApplication { nth } => {
                lines.push(format!("本自然月第 {nth} 件申请"));
                if self.bands.is_empty() {
                    lines.push("每月 10 件以内（含 10 件）不收费".to_owned());
                }
            }
            FeeBasis::PerPage { pages } => {
                lines.push(format!("共 {pages} 页"));
                if self.bands.is_empty() {
                    lines.push("30 页以下（含 30 页）不收费".to_owned());
                }
            }
        }
        for band in &self.bands {
            let unit = match self.basis {
                FeeBasis::PerApplication { .. } => "件",
                FeeBasis::PerPage { .. } => "页",
            };
            lines.push(format!(
                "{}：{} {unit} × {} 元 = {} 元",
                band.band,
                band.units,
                band.rate,
                band.amount()
            ));
        }
        lines.push(self.basis_article().to_owned());
        lines
    }
}

/// 按件 (art. 4): free up to the 10th application of the month; 100 元 for the 11th–30th; from
/// the 31st every further band of 10 raises the rate by 100 元 (31–40: 200, 41–50: 300, …).
fn per_application(nth: u32) -> Vec<FeeBand> {
    if nth <= 10 {
        return Vec::new();
    }
    if nth <= 30 {
        return vec![FeeBand {
            band: "第 11 件至第 30 件".to_owned(),
            units: 1,
            rate: 100,
        }];
    }
    let step = (nth - 31) / 10; // 0 for 31–40
    let low = 31 + step * 10;
    vec![FeeBand {
        band: format!("第 {low} 件至第 {} 件", low + 9),
        units: 1,
        rate: 100 + 100 * (u64::from(step) + 1),
    }]
}

/// 按量 (art. 5): up to 30 pages free; pages 31–100 at 10 元, 101–200 at 20 元, from 201 at 40 元.
fn per_page(pages: u32) -> Vec<FeeBand> {
    let bands: [(u32, Option<u32>, u64, &str); 3] = [
        (30, Some(100), 10, "第 31 页至第 100 页"),
        (100, Some(200), 20, "第 101 页至第 200 页"),
        (200, None, 40, "第 201 页以上"),
    ];
    bands
        .iter()
        .filter_map(|&(above, upto, rate, label)| {
            let top = upto.map_or(pages, |u| pages.min(u));
            let units = top.saturating_sub(above);
            (units > 0).then(|| FeeBand {
                band: label.to_owned(),
                units,
                rate,
            })
        })
        .collect()
}

/// The position of an application received on `date` in its applicant's calendar month, given
/// the receipt dates of the applicant's earlier applications (any order, any months; 一事一申请
/// splitting is the caller's). The result counts this application.
pub fn nth_in_month(earlier: impl IntoIterator<Item = Date>, date: Date) -> u32 {
    let same_month = earlier
        .into_iter()
        .filter(|d| d.year() == date.year() && d.month() == date.month() && *d <= date)
        .count();
    u32::try_from(same_month)
        .unwrap_or(u32::MAX)
        .saturating_add(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[track_caller]
    fn yuan(basis: FeeBasis) -> u64 {
        Fee::compute(basis).yuan
    }

    #[test]
    fn art4_per_application_thresholds() {
        // 国办函〔2020〕109号 第四条: ≤10 free; 11–30: 100; 31–40: 200; 41–50: 300; …
        let table = [
            (1, 0),
            (10, 0),
            (11, 100),
            (30, 100),
            (31, 200),
            (40, 200),
            (41, 300),
            (50, 300),
            (51, 400),
            (95, 800),
        ];
        for (nth, expected) in table {
            assert_eq!(
                yuan(FeeBasis::PerApplication { nth }),
                expected,
                "第 {nth} 件"
            );
        }
    }

    #[test]
    fn art4_formula_of_spec_section_5() {
        // fee(n) = 100 + 100·⌈(n−30)/10⌉ for n ≥ 31.
        for nth in 31..500u32 {
            let expected = 100 + 100 * u64::from((nth - 30).div_ceil(10));
            assert_eq!(yuan(FeeBasis::PerApplication { nth }), expected, "{nth}");
        }
    }

    #[test]
    fn art5_per_page_thresholds_and_worked_examples() {
        // 第五条: ≤30 free; 31–100 at 10; 101–200 at 20; ≥201 at 40.
        let table = [
            (0, 0),
            (30, 0),
            (31, 10),
            (100, 700),
            (101, 720),
            (200, 2700),
            (201, 2740),
            (250, 4700), // spec/domain.md §5's example: 700 + 2000 + 2000
        ];
        for (pages, expected) in table {
            assert_eq!(yuan(FeeBasis::PerPage { pages }), expected, "{pages} 页");
        }
    }

    #[test]
    fn art5_explanation_has_one_line_per_band() {
        let fee = Fee::compute(FeeBasis::PerPage { pages: 250 });
        expect_test::expect![[r#"
            4700 元
            共 250 页
            第 31 页至第 100 页：70 页 × 10 元 = 700 元
            第 101 页至第 200 页：100 页 × 20 元 = 2000 元
            第 201 页以上：50 页 × 40 元 = 2000 元
            《政府信息公开信息处理费管理办法》第五条（按量计收）"#]]
        .assert_eq(&fee.explanation().join("\n"));
    }

    #[test]
    fn art4_explanation_of_the_35th_application() {
        let fee = Fee::compute(FeeBasis::PerApplication { nth: 35 });
        expect_test::expect![[r#"
            200 元
            本自然月第 35 件申请
            第 31 件至第 40 件：1 件 × 200 元 = 200 元
            《政府信息公开信息处理费管理办法》第四条（按件计收）"#]]
        .assert_eq(&fee.explanation().join("\n"));
    }

    #[test]
    fn art4_counts_per_calendar_month() {
        let earlier = [
            date!(2024 - 08 - 31),
            date!(2024 - 09 - 01),
            date!(2024 - 09 - 15),
            date!(2024 - 10 - 01),
        ];
        assert_eq!(nth_in_month(earlier, date!(2024 - 09 - 20)), 3);
        assert_eq!(nth_in_month(earlier, date!(2024 - 10 - 02)), 2);
        assert_eq!(nth_in_month([], date!(2024 - 10 - 02)), 1);
    }
}
