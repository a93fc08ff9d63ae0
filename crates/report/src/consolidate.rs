//! Consolidation (汇总): the cell-by-cell sum of several organs' reports of one year and one
//! template, as a superior office compiles its area's report (spec/workflows.md §5.1).
//!
//! What is summed (§5.1, derived from the 〔2021〕30号 tables; no official 汇总 rule exists):
//! every count of 表三 and 表四; 表二's 制发, 废止 and 处理决定 counts, the 2019 template's
//! 本年增/减, and the amounts (万元, or the unit printed beside 采购总金额), summed exactly as
//! decimals. 现行有效件数 is summed too, with a note: it is additive only where each document is
//! counted by one organ (a joint document by its lead organ, 条例 art. 10 ¶2).
//!
//! A blank is never guessed: where one constituent leaves a cell blank (or lacks the table),
//! the sum's cell is blank and a [`Note`] names the organ. Each constituent keeps its printed
//! numbers and its own findings; the consolidation never corrects a constituent.

use gongkai_core::format::{
    APPEAL_BLOCKS, APPEAL_COLUMNS, APPLICANT_COLUMNS, ProactiveKind, Template,
};

use crate::check::{self, CellRef, CheckContext, Finding, Section};
use crate::model::{AnnualReport, Appeals, Applications, Proactive, ProactiveValue};

/// One organ's report taken into a consolidation.
#[derive(Debug, Clone, PartialEq)]
pub struct Constituent {
    /// The organ, as the caller names it (the organ's name in the store, or the report's
    /// agency for a file).
    pub organ: String,
    /// Where the report comes from: a file name, `gongkai`, an import's file.
    pub source: String,
    /// The report as printed.
    pub report: AnnualReport,
    /// Its own findings (`check::check`), kept beside the sum.
    pub findings: Vec<Finding>,
}

impl Constituent {
    /// A constituent with its findings computed by [`check::check`] under `cx`.
    pub fn checked(
        organ: impl Into<String>,
        source: impl Into<String>,
        report: AnnualReport,
        cx: &CheckContext<'_>,
    ) -> Self {
        let findings = check::check(&report, cx);
        Constituent {
            organ: organ.into(),
            source: source.into(),
            report,
            findings,
        }
    }
}

/// Why a cell or a table of the sum is blank, or what a reader of the sum should know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The table.
    pub section: Section,
    /// The cell, or `None` for a note on the whole table.
    pub cell: Option<CellRef>,
    /// The organs concerned.
    pub organs: Vec<String>,
    /// One line of Chinese.
    pub message: String,
}

/// The result: the summed report, its constituents (with their findings) and the notes.
#[derive(Debug, Clone, PartialEq)]
pub struct Consolidated {
    /// The sum, as a report of the common year and template.
    pub report: AnnualReport,
    /// The reports summed, in the order given.
    pub constituents: Vec<Constituent>,
    /// Blank cells of the sum and why; caveats.
    pub notes: Vec<Note>,
}

/// A consolidation that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsolidateError {
    /// Nothing to sum.
    #[error("没有可汇总的报告")]
    Empty,
    /// A report without its year: which year it counts is unknown.
    #[error("{organ}（{file}）的报告没有年份，无法汇总")]
    MissingYear {
        /// The organ.
        organ: String,
        /// Its source.
        file: String,
    },
    /// Reports of different years.
    #[error("年份不一致：{first}为{first_year}年，{other}为{other_year}年；只能汇总同一年度的报告")]
    MixedYears {
        /// The first constituent.
        first: String,
        /// Its year.
        first_year: i32,
        /// The first that differs.
        other: String,
        /// Its year.
        other_year: i32,
    },
    /// Reports of different templates: their tables have different cells.
    #[error(
        "格式不一致：{first}为{first_template}年格式，{other}为{other_template}年格式；只能汇总同一格式的报告"
    )]
    MixedTemplates {
        /// The first constituent.
        first: String,
        /// Its template key.
        first_template: &'static str,
        /// The first that differs.
        other: String,
        /// Its template key.
        other_template: &'static str,
    },
}

/// What a cell holds, as far as summing goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Count,
    Change,
    Amount,
    Unit,
}

/// A cell of a template's tables, with its place for people (`表三 （一）予以公开 总计`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellSpec {
    /// The cell.
    pub cell: CellRef,
    /// Its place for people: the table, the row's label and the column's.
    pub place: String,
    kind: Kind,
}

/// Every cell of `template`'s three tables, in printed order (units beside amounts included).
pub fn cells(template: Template) -> Vec<CellSpec> {
    let mut out = Vec::new();
    for block in template.proactive_blocks() {
        for row in block.rows {
            for column in block.columns {
                let kind = match column.kind {
                    ProactiveKind::Count => Kind::Count,
                    ProactiveKind::Change => Kind::Change,
                    ProactiveKind::Amount => Kind::Amount,
                    ProactiveKind::Unit => Kind::Unit,
                };
                let place = if column.label.is_empty() {
                    format!("{} {} 单位", Section::Proactive.name(), row.label)
                } else {
                    format!(
                        "{} {} {}",
                        Section::Proactive.name(),
                        row.label,
                        column.label
                    )
                };
                out.push(CellSpec {
                    cell: CellRef {
                        section: Section::Proactive,
                        row: row.key,
                        column: column.key,
                    },
                    place,
                    kind,
                });
            }
        }
    }
    for spec in template.application_rows() {
        let row = match spec.group {
            Some(group) => format!("{group} {}", spec.label),
            None => spec.label.to_owned(),
        };
        for column in APPLICANT_COLUMNS {
            out.push(CellSpec {
                cell: CellRef {
                    section: Section::Applications,
                    row: spec.key,
                    column: column.key,
                },
                place: format!("{} {row} {}", Section::Applications.name(), column.label),
                kind: Kind::Count,
            });
        }
    }
    for block in APPEAL_BLOCKS {
        for column in APPEAL_COLUMNS {
            out.push(CellSpec {
                cell: CellRef {
                    section: Section::Appeals,
                    row: block.key,
                    column: column.key,
                },
                place: format!(
                    "{} {} {}",
                    Section::Appeals.name(),
                    block.label,
                    column.label
                ),
                kind: Kind::Count,
            });
        }
    }
    out
}

/// Whether `report` has the table of `section`.
fn has_table(report: &AnnualReport, section: Section) -> bool {
    match section {
        Section::Proactive => report.proactive.is_some(),
        Section::Applications => report.applications.is_some(),
        Section::Appeals => report.appeals.is_some(),
    }
}

/// A cell's printed value as text (counts as digits, amounts as printed); `None` if blank,
/// absent or not a cell of the report's template.
pub fn cell_text(report: &AnnualReport, cell: &CellRef) -> Option<String> {
    match cell.section {
        Section::Proactive => match report.proactive.as_ref()?.get(cell.row, cell.column)? {
            ProactiveValue::Int(n) => Some(n.to_string()),
            ProactiveValue::Text(t) => Some(t.clone()),
        },
        Section::Applications => {
            let (_, row) = report.applications.as_ref()?.row_by_key(cell.row)?;
            let c = APPLICANT_COLUMNS
                .iter()
                .position(|c| c.key == cell.column)?;
            row[c].map(|n| n.to_string())
        }
        Section::Appeals => {
            let b = APPEAL_BLOCKS.iter().position(|b| b.key == cell.row)?;
            let c = APPEAL_COLUMNS.iter().position(|c| c.key == cell.column)?;
            report.appeals.as_ref()?.blocks[b][c].map(|n| n.to_string())
        }
    }
}

/// Writes a cell of `report` (whose tables exist); text for amounts and units, digits else.
fn set_cell(report: &mut AnnualReport, spec: &CellSpec, text: String) {
    let cell = &spec.cell;
    match cell.section {
        Section::Proactive => {
            let value = match spec.kind {
                Kind::Count | Kind::Change => match text.parse::<i64>() {
                    Ok(n) => ProactiveValue::Int(n),
                    Err(_) => return,
                },
                Kind::Amount | Kind::Unit => ProactiveValue::Text(text),
            };
            if let Some(p) = report.proactive.as_mut() {
                // The cell is one of the template's: `set` cannot refuse it.
                let _ = p.set(cell.row, cell.column, Some(value));
            }
        }
        Section::Applications => {
            let template = report.template;
            let row = template
                .application_rows()
                .iter()
                .find(|s| s.key == cell.row)
                .map(|s| s.row);
            let c = APPLICANT_COLUMNS.iter().position(|c| c.key == cell.column);
            if let (Some(row), Some(c), Ok(n)) = (row, c, text.parse::<u64>())
                && let Some(cells) = report.applications.as_mut().and_then(|a| a.row_mut(row))
            {
                cells[c] = Some(n);
            }
        }
        Section::Appeals => {
            let b = APPEAL_BLOCKS.iter().position(|b| b.key == cell.row);
            let c = APPEAL_COLUMNS.iter().position(|c| c.key == cell.column);
            if let (Some(b), Some(c), Ok(n), Some(a)) =
                (b, c, text.parse::<u64>(), report.appeals.as_mut())
            {
                a.blocks[b][c] = Some(n);
            }
        }
    }
}

/// An exact decimal: `digits × 10^-scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Decimal {
    digits: i128,
    scale: u32,
}

impl Decimal {
    /// Reads an amount as the schema allows it (`-?[0-9]+(\.[0-9]+)?`); `None` if it does not
    /// fit (more than 30 digits).
    fn parse(text: &str) -> Option<Decimal> {
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        if int.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || int.len() + frac.len() > 30
        {
            return None;
        }
        let digits: i128 = format!("{int}{frac}").parse().ok()?;
        Some(Decimal {
            digits: if negative { -digits } else { digits },
            scale: u32::try_from(frac.len()).ok()?,
        })
    }

    fn rescale(self, scale: u32) -> Option<Decimal> {
        let factor = 10i128.checked_pow(scale.checked_sub(self.scale)?)?;
        Some(Decimal {
            digits: self.digits.checked_mul(factor)?,
            scale,
        })
    }

    fn checked_add(self, other: Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        let (a, b) = (self.rescale(scale)?, other.rescale(scale)?);
        Some(Decimal {
            digits: a.digits.checked_add(b.digits)?,
            scale,
        })
    }

    /// The digits with as many decimals as the most precise operand printed.
    fn text(self) -> String {
        let sign = if self.digits < 0 { "-" } else { "" };
        let abs = self.digits.unsigned_abs().to_string();
        let scale = self.scale as usize;
        if scale == 0 {
            return format!("{sign}{abs}");
        }
        let padded = format!("{abs:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        format!("{sign}{int}.{frac}")
    }
}

/// The sum of one cell over the constituents' printed texts, or why there is none.
fn sum_cell(kind: Kind, texts: &[Option<String>]) -> Result<String, &'static str> {
    let mut present = Vec::with_capacity(texts.len());
    for t in texts {
        present.push(t.as_deref().ok_or("未填")?);
    }
    match kind {
        Kind::Count | Kind::Change => present
            .iter()
            .try_fold(0i64, |acc, t| {
                t.parse::<i64>().ok().and_then(|n| acc.checked_add(n))
            })
            .map(|n| n.to_string())
            .ok_or("超出范围"),
        Kind::Amount => present
            .iter()
            .try_fold(
                Decimal {
                    digits: 0,
                    scale: 0,
                },
                |acc, t| Decimal::parse(t).and_then(|d| acc.checked_add(d)),
            )
            .map(Decimal::text)
            .ok_or("超出范围"),
        Kind::Unit => match present.split_first() {
            Some((first, rest)) if rest.iter().all(|u| u == first) => Ok((*first).to_owned()),
            _ => Err("单位不一"),
        },
    }
}

/// The unit cell beside an amount cell, if its block prints one.
fn unit_of<'a>(all: &'a [CellSpec], amount: &CellSpec) -> Option<&'a CellSpec> {
    all.iter().find(|s| {
        s.kind == Kind::Unit
            && s.cell.section == amount.cell.section
            && s.cell.row == amount.cell.row
    })
}

/// The sum over `parts` of every cell of `template`, each cell as text or blank with why, in
/// [`cells`] order. Tables no constituent has are left out (`None` for every cell).
fn sums(
    template: Template,
    parts: &[&AnnualReport],
) -> Vec<(CellSpec, Option<Result<String, &'static str>>)> {
    let all = cells(template);
    let mut out = Vec::with_capacity(all.len());
    for spec in &all {
        if !parts.iter().any(|r| has_table(r, spec.cell.section)) {
            out.push((spec.clone(), None));
            continue;
        }
        let texts: Vec<Option<String>> = parts.iter().map(|r| cell_text(r, &spec.cell)).collect();
        let mut result = sum_cell(spec.kind, &texts);
        // Amounts in different units are not added: converting would be a guess about what
        // each organ meant.
        if spec.kind == Kind::Amount
            && result.is_ok()
            && let Some(unit) = unit_of(&all, spec)
        {
            let units: Vec<Option<String>> =
                parts.iter().map(|r| cell_text(r, &unit.cell)).collect();
            let first = units.first().cloned().flatten();
            if units.iter().any(|u| *u != first) {
                result = Err("单位不一");
            }
        }
        out.push((spec.clone(), Some(result)));
    }
    out
}

/// The cell-by-cell sum of `constituents` (at least one, all of one year and one template),
/// named `name` (the consolidating office) when given.
pub fn consolidate(
    name: Option<&str>,
    constituents: Vec<Constituent>,
) -> Result<Consolidated, ConsolidateError> {
    let first = constituents.first().ok_or(ConsolidateError::Empty)?;
    let year_of = |c: &Constituent| {
        c.report.year.ok_or_else(|| ConsolidateError::MissingYear {
            organ: c.organ.clone(),
            file: c.source.clone(),
        })
    };
    let year = year_of(first)?;
    let template = first.report.template;
    for c in &constituents[1..] {
        let y = year_of(c)?;
        if y != year {
            return Err(ConsolidateError::MixedYears {
                first: first.organ.clone(),
                first_year: year,
                other: c.organ.clone(),
                other_year: y,
            });
        }
        if c.report.template != template {
            return Err(ConsolidateError::MixedTemplates {
                first: first.organ.clone(),
                first_template: template.key(),
                other: c.organ.clone(),
                other_template: c.report.template.key(),
            });
        }
    }
    let parts: Vec<&AnnualReport> = constituents.iter().map(|c| &c.report).collect();
    let mut report = AnnualReport::new(template);
    report.agency = name.map(str::to_owned);
    report.year = Some(year);
    let mut notes = table_notes(&constituents);
    let computed = sums(template, &parts);
    for section in Section::ALL {
        if computed
            .iter()
            .any(|(s, r)| s.cell.section == section && r.is_some())
        {
            match section {
                Section::Proactive => report.proactive = Some(Proactive::new(template)),
                Section::Applications => report.applications = Some(Applications::new(template)),
                Section::Appeals => report.appeals = Some(Appeals::default()),
            }
        }
    }
    for (spec, result) in computed {
        match result {
            None => {}
            Some(Ok(text)) => set_cell(&mut report, &spec, text),
            Some(Err(why)) => {
                if let Some(note) = cell_note(&constituents, &spec, why) {
                    notes.push(note);
                }
            }
        }
    }
    if constituents.len() > 1 && report.proactive.is_some() {
        notes.push(Note {
            section: Section::Proactive,
            cell: None,
            organs: Vec::new(),
            message: "现行有效件数为各机关所报之和：联合发文只应由牵头机关计入（条例第十条第二款）"
                .to_owned(),
        });
    }
    Ok(Consolidated {
        report,
        constituents,
        notes,
    })
}

/// One note per constituent and table it lacks (instead of one per cell).
fn table_notes(constituents: &[Constituent]) -> Vec<Note> {
    let mut notes = Vec::new();
    for section in Section::ALL {
        if !constituents.iter().any(|c| has_table(&c.report, section)) {
            continue;
        }
        let lacking: Vec<String> = constituents
            .iter()
            .filter(|c| !has_table(&c.report, section))
            .map(|c| c.organ.clone())
            .collect();
        if !lacking.is_empty() {
            notes.push(Note {
                section,
                cell: None,
                message: format!(
                    "{}没有{}，合计的{}留空",
                    lacking.join("、"),
                    section.name(),
                    section.name()
                ),
                organs: lacking,
            });
        }
    }
    notes
}

/// The note of a blank sum cell, naming the organs whose cell is blank; `None` where every such
/// organ lacks the whole table (its table note says so).
fn cell_note(constituents: &[Constituent], spec: &CellSpec, why: &'static str) -> Option<Note> {
    let organs: Vec<String> = match why {
        "未填" => constituents
            .iter()
            .filter(|c| has_table(&c.report, spec.cell.section))
            .filter(|c| cell_text(&c.report, &spec.cell).is_none())
            .map(|c| c.organ.clone())
            .collect(),
        _ => constituents.iter().map(|c| c.organ.clone()).collect(),
    };
    if why == "未填" && organs.is_empty() {
        return None;
    }
    let message = match why {
        "未填" => format!("{}：{}未填，合计留空", spec.place, organs.join("、")),
        "单位不一" => format!("{}：各机关所印单位不一，合计留空", spec.place),
        _ => format!("{}：合计超出可表示的范围，留空", spec.place),
    };
    Some(Note {
        section: spec.cell.section,
        cell: Some(spec.cell),
        organs,
        message,
    })
}

/// One organ's number in a cell of the sum (the drill-down of a consolidated cell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution<'a> {
    /// The organ.
    pub organ: &'a str,
    /// Its source.
    pub source: &'a str,
    /// What it prints in the cell (`None`: blank).
    pub value: Option<String>,
}

impl Consolidated {
    /// Each constituent's number in `cell`, in constituent order.
    pub fn contributions(&self, cell: &CellRef) -> Vec<Contribution<'_>> {
        self.constituents
            .iter()
            .map(|c| Contribution {
                organ: &c.organ,
                source: &c.source,
                value: cell_text(&c.report, cell),
            })
            .collect()
    }

    /// The findings of every constituent, with the constituent they belong to.
    pub fn constituent_findings(&self) -> impl Iterator<Item = (&Constituent, &Finding)> {
        self.constituents
            .iter()
            .flat_map(|c| c.findings.iter().map(move |f| (c, f)))
    }
}

/// For `H-CONSOLIDATION`: each cell of `template` whose sum over `parts` is known, with the sum.
pub(crate) fn known_sums(template: Template, parts: &[&AnnualReport]) -> Vec<(CellSpec, String)> {
    sums(template, parts)
        .into_iter()
        .filter_map(|(spec, r)| match r {
            Some(Ok(text)) if spec.kind != Kind::Unit => Some((spec, text)),
            _ => None,
        })
        .collect()
}

/// Whether two printed amounts are the same number (`12.50` and `12.5`).
pub(crate) fn same_number(a: &str, b: &str) -> bool {
    match (Decimal::parse(a), Decimal::parse(b)) {
        (Some(x), Some(y)) => {
            let scale = x.scale.max(y.scale);
            x.rescale(scale) == y.rescale(scale)
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::consistent;
    use gongkai_core::format::ApplicationRow as R;

    fn organ(name: &str, report: AnnualReport) -> Constituent {
        Constituent::checked(
            name,
            format!("{name}.json"),
            report,
            &CheckContext::default(),
        )
    }

    fn cell(section: Section, row: &'static str, column: &'static str) -> CellRef {
        CellRef {
            section,
            row,
            column,
        }
    }

    #[test]
    fn two_organs_sum_cell_by_cell() {
        // spec/workflows.md §5.1: 表三 and 表四 are additive counts across organs.
        let a = consistent();
        let mut b = consistent();
        if let Some(row) = b
            .applications
            .as_mut()
            .and_then(|t| t.row_mut(R::NewReceived))
        {
            *row = [
                Some(3),
                Some(0),
                Some(0),
                Some(0),
                Some(0),
                Some(0),
                Some(3),
            ];
        }
        if let Some(p) = b.proactive.as_mut() {
            let _ = p.set(
                "fees",
                "amount_wan_yuan",
                Some(ProactiveValue::Text("0.25".into())),
            );
        }
        let sum = consolidate(
            Some("测试市人民政府"),
            vec![organ("甲", a.clone()), organ("乙", b)],
        )
        .expect("same year and template");
        let r = &sum.report;
        assert_eq!(r.agency.as_deref(), Some("测试市人民政府"));
        assert_eq!(r.year, Some(2022));
        let new = r.applications.as_ref().and_then(|t| t.row(R::NewReceived));
        assert_eq!(
            new,
            Some(&[
                Some(11),
                Some(2),
                Some(0),
                Some(0),
                Some(1),
                Some(0),
                Some(14)
            ])
        );
        let granted = r.applications.as_ref().and_then(|t| t.row(R::Granted));
        assert_eq!(granted.map(|g| g[6]), Some(Some(12)));
        assert_eq!(r.appeals.as_ref().map(|a| a.blocks[0][4]), Some(Some(6)));
        // 万元 amounts add as decimals, exactly: 12.5 + 0.25.
        let fees = r
            .proactive
            .as_ref()
            .and_then(|p| p.get("fees", "amount_wan_yuan"));
        assert_eq!(fees, Some(&ProactiveValue::Text("12.75".into())));
        assert_eq!(
            r.proactive
                .as_ref()
                .and_then(|p| p.int("normative_documents", "in_force")),
            Some(40)
        );
        // The drill-down names each organ's number.
        let c = sum.contributions(&cell(Section::Applications, "new_received", "total"));
        let values: Vec<(&str, Option<&str>)> =
            c.iter().map(|c| (c.organ, c.value.as_deref())).collect();
        assert_eq!(values, [("甲", Some("11")), ("乙", Some("3"))]);
    }

    #[test]
    fn an_inconsistent_constituent_keeps_its_numbers_and_findings() {
        let good = consistent();
        let mut bad = consistent();
        // Printed inconsistently: 本年新收 自然人 5 and 总计 0 (the example).
        if let Some(row) = bad
            .applications
            .as_mut()
            .and_then(|t| t.row_mut(R::NewReceived))
        {
            row[0] = Some(5);
            row[6] = Some(0);
        }
        let printed = bad.clone();
        let sum = consolidate(None, vec![organ("甲", good), organ("乙", bad)]).expect("sums");
        assert_eq!(sum.constituents[1].report, printed, "printed numbers kept");
        let ids: Vec<&str> = sum.constituents[1]
            .findings
            .iter()
            .map(|f| f.check)
            .collect();
        assert!(ids.contains(&"T3-ROW-SUM"), "{ids:?}");
        assert!(sum.constituents[0].findings.is_empty());
        // The sum adds what each printed: 8 + 5 and 11 + 0.
        let new = sum
            .report
            .applications
            .as_ref()
            .and_then(|t| t.row(R::NewReceived));
        assert_eq!(new.map(|r| (r[0], r[6])), Some((Some(13), Some(11))));
        assert_eq!(
            sum.constituent_findings().count(),
            sum.constituents[1].findings.len()
        );
    }

    #[test]
    fn a_blank_leaves_the_sum_blank_with_a_note_naming_the_organ() {
        let a = consistent();
        let mut b = consistent();
        if let Some(a4) = b.appeals.as_mut() {
            a4.blocks[1][0] = None;
        }
        b.proactive = None;
        let sum = consolidate(None, vec![organ("甲", a), organ("乙", b)]).expect("sums");
        let blocks = sum.report.appeals.as_ref().map(|a| a.blocks[1]);
        assert_eq!(blocks.map(|b| (b[0], b[1])), Some((None, Some(0))));
        let note = sum
            .notes
            .iter()
            .find(|n| n.cell == Some(cell(Section::Appeals, "litigation_direct", "upheld")))
            .expect("a note on the blank cell");
        assert_eq!(note.organs, ["乙"]);
        assert!(note.message.contains("乙未填"), "{}", note.message);
        // A table one organ lacks: the sum's table is blank throughout, one note says why.
        let p = sum.report.proactive.as_ref();
        assert_eq!(p.and_then(|p| p.int("regulations", "issued")), None);
        assert!(
            sum.notes
                .iter()
                .any(|n| n.cell.is_none() && n.message.contains("乙没有表二"))
        );
        assert!(
            !sum.notes
                .iter()
                .any(|n| n.section == Section::Proactive && n.cell.is_some())
        );
    }

    #[test]
    fn mixed_years_and_templates_are_refused() {
        let a = consistent();
        let mut b = consistent();
        b.year = Some(2021);
        let err = consolidate(None, vec![organ("甲", a.clone()), organ("乙", b)]);
        assert!(matches!(
            err,
            Err(ConsolidateError::MixedYears {
                other_year: 2021,
                ..
            })
        ));
        let mut c = AnnualReport::new(Template::Y2019);
        c.year = Some(2022);
        let err = consolidate(None, vec![organ("甲", a.clone()), organ("丙", c)]);
        let text = err.map(|_| ()).unwrap_err().to_string();
        assert!(text.contains("格式不一致"), "{text}");
        let mut d = a.clone();
        d.year = None;
        assert!(matches!(
            consolidate(None, vec![organ("甲", a), organ("丁", d)]),
            Err(ConsolidateError::MissingYear { .. })
        ));
        assert_eq!(consolidate(None, vec![]), Err(ConsolidateError::Empty));
    }

    #[test]
    fn amounts_in_different_units_are_not_added() {
        // 2019 template: 采购总金额 with the unit printed beside it.
        let t = Template::Y2019;
        let make = |amount: &str, unit: &str| {
            let mut r = AnnualReport::new(t);
            r.year = Some(2020);
            let mut p = Proactive::new(t);
            let _ = p.set(
                "procurement",
                "amount",
                Some(ProactiveValue::Text(amount.into())),
            );
            let _ = p.set(
                "procurement",
                "amount_unit",
                Some(ProactiveValue::Text(unit.into())),
            );
            r.proactive = Some(p);
            r
        };
        let same = consolidate(
            None,
            vec![
                organ("甲", make("1.5", "万元")),
                organ("乙", make("2", "万元")),
            ],
        )
        .expect("sums");
        let p = same.report.proactive.as_ref();
        assert_eq!(
            p.and_then(|p| p.get("procurement", "amount")),
            Some(&ProactiveValue::Text("3.5".into()))
        );
        assert_eq!(
            p.and_then(|p| p.get("procurement", "amount_unit")),
            Some(&ProactiveValue::Text("万元".into()))
        );
        let mixed = consolidate(
            None,
            vec![
                organ("甲", make("1.5", "万元")),
                organ("乙", make("2000", "元")),
            ],
        )
        .expect("sums");
        let p = mixed.report.proactive.as_ref();
        assert_eq!(p.and_then(|p| p.get("procurement", "amount")), None);
        assert!(mixed.notes.iter().any(|n| n.message.contains("单位不一")));
    }

    #[test]
    fn decimals_add_exactly() {
        let add = |a: &str, b: &str| {
            Decimal::parse(a)
                .and_then(|x| Decimal::parse(b).and_then(|y| x.checked_add(y)))
                .map(Decimal::text)
        };
        assert_eq!(add("0.1", "0.2").as_deref(), Some("0.3"));
        assert_eq!(add("24252.311082", "1").as_deref(), Some("24253.311082"));
        assert_eq!(add("-0.05", "0.01").as_deref(), Some("-0.04"));
        assert_eq!(add("0.005", "0").as_deref(), Some("0.005"));
        assert!(same_number("12.50", "12.5"));
        assert!(!same_number("12.51", "12.5"));
    }
}
