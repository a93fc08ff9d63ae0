//! The 表二 figures that no gongkai record produces, entered per organ and year: 本年处理决定数量
//! of 行政许可 (art. 20 (五)), 行政处罚 and 行政强制 (art. 20 (六)), and 本年收费金额 of
//! 行政事业性收费 in 万元 (art. 20 (八)) — the cells of `gongkai_core::format`'s 表二 outside
//! its first block, whose 规章 and 行政规范性文件 are counted from information items.
//!
//! Cells are keyed exactly as `gongkai_core::format` keys them (row `licensing`, column
//! `decisions`), so [`Figures::to_json`] is the part of the interchange JSON's `proactive`
//! object that the annual-report computation takes as it is.
//!
//! Counts are non-negative integers. An amount in 万元 is typed with at most four decimals and
//! kept as whole 元 (four decimals of 万元 are exactly one 元): exact, no floating point, and
//! sums across organs stay exact. It is printed back as 万元 without trailing zeros
//! (`12.5`). A cell never entered is blank (`null`), never 0; clearing a cell makes it blank
//! again.
//!
//! Figures are entered for the years of the 〔2021〕30号 template (2021 on); the 试行 format's
//! 表二 of 2019–2020 had other columns, and those reports were published long ago.

use std::collections::BTreeMap;

use gongkai_core::format::{ProactiveKind, Template};
use serde_json::{Map, Value, json};
use sqlx::Row;

use crate::{Actor, OrganScope, Result, Store, StoreError, audit};

/// The first year figures are entered for.
pub const FIRST_YEAR: i32 = 2021;
/// The last year accepted.
pub const LAST_YEAR: i32 = 2100;
/// The largest count (nine digits).
pub const MAX_COUNT: i64 = 999_999_999;
/// The most digits before the decimal point of an amount in 万元.
pub const MAX_WAN_DIGITS: usize = 9;

/// One cell of 表二 that is entered here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FigureSpec {
    /// The row's schema key (`licensing`).
    pub row: &'static str,
    /// The column's schema key (`decisions`).
    pub column: &'static str,
    /// The row's printed label (`行政许可`).
    pub row_label: &'static str,
    /// The column's printed label (`本年处理决定数量`).
    pub column_label: &'static str,
    /// The block's title (`第二十条第（五）项`).
    pub block: &'static str,
    /// A count or an amount in 万元.
    pub kind: ProactiveKind,
}

impl FigureSpec {
    /// The form field and import key: `row.column`.
    pub fn field(&self) -> String {
        format!("{}.{}", self.row, self.column)
    }

    /// `行政许可 本年处理决定数量`, as messages name the cell.
    pub fn label(&self) -> String {
        format!("{} {}", self.row_label, self.column_label)
    }
}

/// The template of `year`'s report, if figures are entered for it.
pub fn template(year: i32) -> Result<Template> {
    match Template::for_year(year) {
        Some(Template::Y2021) if year <= LAST_YEAR => Ok(Template::Y2021),
        _ => Err(StoreError::Invalid {
            field: "year",
            message: format!(
                "表二数据按〔2021〕30号格式录入，年度应在{FIRST_YEAR}年至{LAST_YEAR}年之间（现为{year}）。"
            ),
        }),
    }
}

/// The cells of the 2021 template entered here: every block after art. 20 (一), in order.
pub fn specs() -> Vec<FigureSpec> {
    let mut out = Vec::new();
    for block in Template::Y2021.proactive_blocks() {
        if block.article20_item == 1 {
            continue;
        }
        for row in block.rows {
            for column in block.columns {
                if matches!(column.kind, ProactiveKind::Count | ProactiveKind::Amount) {
                    out.push(FigureSpec {
                        row: row.key,
                        column: column.key,
                        row_label: row.label,
                        column_label: column.label,
                        block: block.title,
                        kind: column.kind,
                    });
                }
            }
        }
    }
    out
}

/// The spec of `row.column`.
pub fn spec_of(field: &str) -> Option<FigureSpec> {
    specs().into_iter().find(|s| s.field() == field)
}

/// A value of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureValue {
    /// A count.
    Count(i64),
    /// An amount, in whole 元.
    Yuan(i64),
}

impl FigureValue {
    /// The number as stored (a count, or 元).
    pub fn stored(self) -> i64 {
        match self {
            FigureValue::Count(n) | FigureValue::Yuan(n) => n,
        }
    }

    /// As printed in 表二: the count, or the amount in 万元 without trailing zeros.
    pub fn display(self) -> String {
        match self {
            FigureValue::Count(n) => n.to_string(),
            FigureValue::Yuan(yuan) => {
                let whole = yuan / 10_000;
                let fraction = yuan % 10_000;
                if fraction == 0 {
                    whole.to_string()
                } else {
                    let digits = format!("{fraction:04}");
                    format!("{whole}.{}", digits.trim_end_matches('0'))
                }
            }
        }
    }

    /// As the interchange JSON holds it: an integer, or 万元 digits as a string.
    pub fn json(self) -> Value {
        match self {
            FigureValue::Count(n) => json!(n),
            FigureValue::Yuan(_) => json!(self.display()),
        }
    }
}

/// Reads a typed value: empty is blank (`None`); digits may be full-width.
pub fn parse_figure(
    spec: &FigureSpec,
    text: &str,
) -> std::result::Result<Option<FigureValue>, String> {
    let text: String = text
        .trim()
        .chars()
        .map(crate::catalogue::half_width)
        .filter(|c| !c.is_whitespace())
        .collect();
    if text.is_empty() {
        return Ok(None);
    }
    let label = spec.label();
    match spec.kind {
        ProactiveKind::Amount => {
            let bad = || {
                format!(
                    "「{label}」应为以万元为单位的金额，不小于0，最多4位小数（精确到元），如 12.3456（现为“{text}”）。"
                )
            };
            let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
            let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
            if whole.is_empty()
                || whole.len() > MAX_WAN_DIGITS
                || !digits(whole)
                || !digits(fraction)
                || fraction.len() > 4
                || (text.contains('.') && fraction.is_empty())
            {
                return Err(bad());
            }
            let whole: i64 = whole.parse().map_err(|_| bad())?;
            let fraction: i64 = format!("{fraction:0<4}").parse().map_err(|_| bad())?;
            Ok(Some(FigureValue::Yuan(whole * 10_000 + fraction)))
        }
        _ => {
            let bad = || format!("「{label}」应为不小于0的整数（现为“{text}”）。");
            if !text.bytes().all(|b| b.is_ascii_digit()) || text.len() > 9 {
                return Err(bad());
            }
            let n: i64 = text.parse().map_err(|_| bad())?;
            if n > MAX_COUNT {
                return Err(bad());
            }
            Ok(Some(FigureValue::Count(n)))
        }
    }
}

/// Cells to enter: each with its value, `None` to clear it.
pub type CellValues = Vec<(FigureSpec, Option<FigureValue>)>;

/// Reads typed values for every cell given (`row.column` → text); a cell not given is left
/// unchanged by [`Store::save_report_figures`]. Errors name the field.
pub fn parse_figures(
    typed: &[(String, String)],
) -> std::result::Result<CellValues, Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (field, text) in typed {
        match spec_of(field) {
            None => errors.push((field.clone(), format!("表二中没有“{field}”这一项。"))),
            Some(spec) => match parse_figure(&spec, text) {
                Ok(value) => out.push((spec, value)),
                Err(message) => errors.push((field.clone(), message)),
            },
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Reads a sheet of figures, one row per year: a header row (among the first ten) with a
/// column 年度 and a column per cell, named by its row label (`行政许可`, `行政事业性收费（万元）`,
/// `行政许可 本年处理决定数量` all name theirs); then `2023 | 120 | …`. A blank cell leaves the
/// stored value as it is. Every problem is returned with its row and column.
pub fn read_sheet(
    sheet: &[Vec<String>],
) -> std::result::Result<Vec<YearFigures>, Vec<crate::catalogue::import::RowProblem>> {
    use crate::catalogue::import::RowProblem;
    use crate::catalogue::normalize_label;
    let all = specs();
    let cell = |r: &Vec<String>, c: usize| r.get(c).map_or("", |s| s.trim()).to_owned();
    let year_labels = ["年度", "年份", "统计年度", "年"];
    let header = sheet.iter().take(10).enumerate().find_map(|(i, row)| {
        let year = row
            .iter()
            .position(|c| year_labels.contains(&normalize_label(c).as_str()))?;
        let columns: Vec<(usize, FigureSpec)> = row
            .iter()
            .enumerate()
            .filter_map(|(c, label)| {
                let key = normalize_label(label);
                all.iter()
                    .find(|s| key.starts_with(&normalize_label(s.row_label)))
                    .map(|s| (c, *s))
            })
            .collect();
        (!columns.is_empty()).then_some((i, year, columns))
    });
    let Some((header_row, year_col, columns)) = header else {
        let names: Vec<&str> = all.iter().map(|s| s.row_label).collect();
        return Err(vec![RowProblem {
            row: 1,
            column: None,
            label: None,
            message: format!(
                "没有找到表头。表头一行应有“年度”列，以及{}中的一列或几列。请使用下载的模板填写。",
                names.join("、")
            ),
        }]);
    };
    let mut problems = Vec::new();
    let mut years: Vec<YearFigures> = Vec::new();
    for (r, row) in sheet.iter().enumerate().skip(header_row + 1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let number = r + 1;
        let text = cell(row, year_col);
        let digits: String = text
            .trim_end_matches('年')
            .chars()
            .map(crate::catalogue::half_width)
            .collect();
        let year = match digits.parse::<i32>() {
            Ok(y) if template(y).is_ok() => y,
            _ => {
                problems.push(RowProblem {
                    row: number,
                    column: Some(year_col),
                    label: Some("年度"),
                    message: format!(
                        "「年度」应为{FIRST_YEAR}年以后的四位年份，如 2024（现为“{text}”）。"
                    ),
                });
                continue;
            }
        };
        if years.iter().any(|(y, _)| *y == year) {
            problems.push(RowProblem {
                row: number,
                column: Some(year_col),
                label: Some("年度"),
                message: format!("{year}年出现了不止一行，每个年度只能有一行。"),
            });
            continue;
        }
        let mut values = Vec::new();
        for (c, spec) in &columns {
            let text = cell(row, *c);
            if text.is_empty() {
                continue;
            }
            match parse_figure(spec, &text) {
                Ok(v) => values.push((*spec, v)),
                Err(message) => problems.push(RowProblem {
                    row: number,
                    column: Some(*c),
                    label: Some(spec.row_label),
                    message,
                }),
            }
        }
        years.push((year, values));
    }
    if problems.is_empty() && years.is_empty() {
        problems.push(RowProblem {
            row: header_row + 2,
            column: None,
            label: None,
            message: "表头下面没有数据。请每个年度填一行。".into(),
        });
    }
    if problems.is_empty() {
        Ok(years)
    } else {
        Err(problems)
    }
}

/// The figures of one organ and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    /// The statistical year.
    pub year: i32,
    /// Every cell entered here, with its value if entered.
    pub cells: Vec<(FigureSpec, Option<FigureValue>)>,
}

impl Figures {
    /// The value of a cell, by its schema keys.
    pub fn get(&self, row: &str, column: &str) -> Option<FigureValue> {
        self.cells
            .iter()
            .find(|(s, _)| s.row == row && s.column == column)
            .and_then(|(_, v)| *v)
    }

    /// Whether any cell is entered.
    pub fn any(&self) -> bool {
        self.cells.iter().any(|(_, v)| v.is_some())
    }

    /// The cells as the interchange JSON's `proactive` object holds them:
    /// `{"licensing": {"decisions": 12}, …, "fees": {"amount_wan_yuan": "3.5"}}`, a blank
    /// cell `null`.
    pub fn to_json(&self) -> Value {
        let mut rows: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
        for (spec, value) in &self.cells {
            rows.entry(spec.row).or_default().insert(
                spec.column.to_owned(),
                value.map_or(Value::Null, FigureValue::json),
            );
        }
        Value::Object(
            rows.into_iter()
                .map(|(k, v)| (k.to_owned(), Value::Object(v)))
                .collect(),
        )
    }

    /// The audit log's picture: `row.column` → printed value or `null`.
    fn audit_value(&self) -> Value {
        Value::Object(
            self.cells
                .iter()
                .map(|(s, v)| (s.field(), v.map_or(Value::Null, |v| json!(v.display()))))
                .collect(),
        )
    }
}

/// A year's figures to enter, from an import.
pub type YearFigures = (i32, CellValues);

async fn load(conn: &mut sqlx::AnyConnection, organ_id: i64, year: i32) -> Result<Figures> {
    let rows = sqlx::query(
        "SELECT row_key, column_key, value FROM report_figures WHERE organ_id = $1 AND year = $2",
    )
    .bind(organ_id)
    .bind(i64::from(year))
    .fetch_all(&mut *conn)
    .await?;
    let mut stored = BTreeMap::new();
    for row in &rows {
        let r: String = row.try_get("row_key")?;
        let c: String = row.try_get("column_key")?;
        let v: i64 = row.try_get("value")?;
        stored.insert(format!("{r}.{c}"), v);
    }
    let cells = specs()
        .into_iter()
        .map(|s| {
            let value = stored.get(&s.field()).map(|&v| match s.kind {
                ProactiveKind::Amount => FigureValue::Yuan(v),
                _ => FigureValue::Count(v),
            });
            (s, value)
        })
        .collect();
    Ok(Figures { year, cells })
}

/// Writes the given cells of one year (blank deletes), with one audit row if anything
/// changed; returns whether it did.
async fn write(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    organ_id: i64,
    now: i64,
    year: i32,
    values: &[(FigureSpec, Option<FigureValue>)],
    action: &'static str,
) -> Result<bool> {
    let before = load(conn, organ_id, year).await?;
    let mut changed = false;
    for (spec, value) in values {
        if before.get(spec.row, spec.column) == *value {
            continue;
        }
        changed = true;
        sqlx::query(
            "DELETE FROM report_figures WHERE organ_id = $1 AND year = $2 AND row_key = $3 \
             AND column_key = $4",
        )
        .bind(organ_id)
        .bind(i64::from(year))
        .bind(spec.row)
        .bind(spec.column)
        .execute(&mut *conn)
        .await?;
        if let Some(v) = value {
            sqlx::query(
                "INSERT INTO report_figures (organ_id, year, row_key, column_key, value, \
                 updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(organ_id)
            .bind(i64::from(year))
            .bind(spec.row)
            .bind(spec.column)
            .bind(v.stored())
            .bind(now)
            .execute(&mut *conn)
            .await?;
        }
    }
    if changed {
        let after = load(conn, organ_id, year).await?;
        audit::record(
            conn,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action,
                entity: "report_figures",
                entity_id: year.to_string(),
                before: Some(before.audit_value()),
                after: Some(after.audit_value()),
            },
        )
        .await?;
    }
    Ok(changed)
}

impl Store {
    /// The organ's figures of `year`, keyed as `gongkai_core::format` keys 表二 (for the
    /// annual-report computation).
    pub async fn report_figures(&self, scope: OrganScope, year: i32) -> Result<Figures> {
        template(year)?;
        let mut conn = self.pool().acquire().await?;
        load(&mut conn, scope.organ_id(), year).await
    }

    /// The years the organ has entered any figure for, newest first.
    pub async fn report_figure_years(&self, scope: OrganScope) -> Result<Vec<i32>> {
        let rows = sqlx::query(
            "SELECT DISTINCT year FROM report_figures WHERE organ_id = $1 ORDER BY year DESC",
        )
        .bind(scope.organ_id())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let y: i64 = r.try_get("year")?;
                i32::try_from(y).map_err(|_| StoreError::Other(format!("year {y}")))
            })
            .collect()
    }

    /// Enters the given cells of `year` (a blank value clears a cell; cells not given stay),
    /// with one audit row holding every cell before and after. Nothing changed, nothing
    /// written.
    pub async fn save_report_figures(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        year: i32,
        values: &[(FigureSpec, Option<FigureValue>)],
    ) -> Result<Figures> {
        template(year)?;
        let mut tx = self.begin_write().await?;
        write(
            &mut tx,
            actor,
            scope.organ_id(),
            now,
            year,
            values,
            "figures.update",
        )
        .await?;
        let after = load(&mut tx, scope.organ_id(), year).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Enters several years at once (an import), all or nothing, one audit row per year
    /// that changed. Returns the years that changed.
    pub async fn import_report_figures(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        years: &[YearFigures],
    ) -> Result<Vec<i32>> {
        for (year, _) in years {
            template(*year)?;
        }
        let mut tx = self.begin_write().await?;
        let mut changed = Vec::new();
        for (year, values) in years {
            if write(
                &mut tx,
                actor,
                scope.organ_id(),
                now,
                *year,
                values,
                "figures.import",
            )
            .await?
            {
                changed.push(*year);
            }
        }
        tx.commit().await?;
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cells_are_those_of_the_2021_template_outside_art20_item1() {
        // 国办公开办函〔2021〕30号 表二: 第二十条第（五）、（六）、（八）项.
        let fields: Vec<String> = specs().iter().map(FigureSpec::field).collect();
        assert_eq!(
            fields,
            [
                "licensing.decisions",
                "penalty.decisions",
                "enforcement.decisions",
                "fees.amount_wan_yuan"
            ]
        );
        assert_eq!(specs()[3].column_label, "本年收费金额（单位：万元）");
    }

    #[test]
    fn amounts_in_wan_yuan_are_kept_exactly_as_yuan() {
        let fees = spec_of("fees.amount_wan_yuan").unwrap();
        let yuan = |t: &str| parse_figure(&fees, t).unwrap().map(FigureValue::stored);
        assert_eq!(yuan("12.3456"), Some(123_456));
        assert_eq!(yuan("0.1"), Some(1_000));
        assert_eq!(yuan("１２.５"), Some(125_000));
        assert_eq!(yuan("0"), Some(0));
        assert_eq!(yuan(""), None);
        for bad in [
            "-1",
            "1.23456",
            "1,000",
            "12.",
            ".5",
            "abc",
            "1e3",
            "1234567890",
        ] {
            assert!(parse_figure(&fees, bad).is_err(), "{bad}");
        }
        assert_eq!(FigureValue::Yuan(125_000).display(), "12.5");
        assert_eq!(FigureValue::Yuan(120_000).display(), "12");
        assert_eq!(FigureValue::Yuan(1).display(), "0.0001");
    }

    #[test]
    fn counts_are_non_negative_integers() {
        let licensing = spec_of("licensing.decisions").unwrap();
        assert_eq!(
            parse_figure(&licensing, " 42 ").unwrap(),
            Some(FigureValue::Count(42))
        );
        for bad in ["-3", "4.5", "十", "1000000000"] {
            let message = parse_figure(&licensing, bad).unwrap_err();
            assert!(message.contains("行政许可 本年处理决定数量"), "{message}");
        }
    }

    #[test]
    fn a_sheet_of_figures_reads_one_row_per_year() {
        let sheet = |t: &str| -> Vec<Vec<String>> {
            t.lines()
                .map(|l| l.split(',').map(str::to_owned).collect())
                .collect()
        };
        let years = read_sheet(&sheet(
            "年度,行政许可 本年处理决定数量,行政处罚,行政事业性收费（万元）\n2023年,12,,1.5\n2024,3,4,",
        ))
        .unwrap();
        assert_eq!(years.len(), 2);
        assert_eq!(years[0].0, 2023);
        let fields: Vec<String> = years[0].1.iter().map(|(s, _)| s.field()).collect();
        assert_eq!(fields, ["licensing.decisions", "fees.amount_wan_yuan"]);
        assert_eq!(years[0].1[1].1, Some(FigureValue::Yuan(15_000)));
        let problems = read_sheet(&sheet("年度,行政强制\n2020,1\n2023,x\n2023,1")).unwrap_err();
        let rows: Vec<(usize, Option<usize>)> =
            problems.iter().map(|p| (p.row, p.column)).collect();
        assert_eq!(rows, [(2, Some(0)), (3, Some(1)), (4, Some(0))]);
        assert!(read_sheet(&sheet("甲,乙\n1,2")).is_err());
    }

    #[test]
    fn years_before_the_2021_template_are_refused() {
        assert!(template(2020).is_err());
        assert!(template(2021).is_ok());
        assert!(template(2101).is_err());
    }
}
