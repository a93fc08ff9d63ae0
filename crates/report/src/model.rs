//! The annual report's tables (表二, 表三, 表四) as data, and their interchange JSON
//! (`spec/annual-report.schema.json`, `gongkai.annual-report/1`).
//!
//! The model holds what a report PRINTS: a blank cell is `None`, a printed `0` is `Some(0)`, and
//! numbers that contradict each other are kept as printed (the checks report them). Row and
//! column keys come from [`gongkai_core::format`]; nothing here retypes a label.
//!
//! **API boundary:** [`AnnualReport::to_json`] and [`AnnualReport::from_json`] are the public
//! interchange format. `from_json` is strict: an unknown key, a missing key, a wrong type or a
//! negative count is a [`JsonError`] naming the JSON path (an RFC 6901 pointer).

use gongkai_core::format::{
    APPEAL_BLOCKS, APPEAL_COLUMNS, APPLICANT_COLUMNS, ApplicationRow, ApplicationRowSpec,
    ProactiveKind, Template,
};
use serde_json::{Map, Value};

/// The value of the interchange JSON's `schema` key.
pub const SCHEMA_ID: &str = "gongkai.annual-report/1";

/// A count cell of 表三 / 表四: `None` where the report prints nothing (blank, /, -, —) or the
/// reader could not read it.
pub type Count = Option<u64>;

/// The tables of one annual report, as printed.
///
/// Invariant: `proactive` and `applications`, when present, follow `template` (built with
/// `Proactive::new(report.template)`, `Applications::new(report.template)`); `from_json`
/// always gives such a report.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualReport {
    /// The reporting organ as the report names it.
    pub agency: Option<String>,
    /// The statistical year.
    pub year: Option<i32>,
    /// The national template the report follows.
    pub template: Template,
    /// 表二; `None` where the report has no 表二.
    pub proactive: Option<Proactive>,
    /// 表三; `None` where the report has no 表三.
    pub applications: Option<Applications>,
    /// 表四; `None` where the report has no 表四.
    pub appeals: Option<Appeals>,
    /// The text around the tables; `None` where only the tables are known (the JSON has no
    /// `narrative` key).
    pub narrative: Option<Narrative>,
}

/// The parts of a report that are not tables, as printed: the customary opening paragraph
/// (spec/domain.md §4.7), parts 一, 五 and 六 (§4.6), and the signature and date that close it.
///
/// Texts keep their paragraphs as lines (`\n` between paragraphs, sub-heads such as
/// `（一）主动公开情况` on lines of their own), without the part's own heading. A part the report
/// does not print is `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Narrative {
    /// The opening paragraph(s) before 一、总体情况.
    pub opening: Option<String>,
    /// 一、总体情况.
    pub overview: Option<String>,
    /// 五、存在的主要问题及改进情况.
    pub problems: Option<String>,
    /// 六、其他需要报告的事项.
    pub other_matters: Option<String>,
    /// The organ as it signs the report (落款), e.g. `呼伦贝尔经济技术开发区管委会`.
    pub signature: Option<String>,
    /// The date printed under the signature, `YYYY-MM-DD`.
    pub date: Option<String>,
}

impl Narrative {
    /// The JSON keys, in the schema's order.
    pub const KEYS: [&'static str; 6] = [
        "opening",
        "overview",
        "problems",
        "other_matters",
        "signature",
        "date",
    ];

    /// The value of `key` (one of [`Narrative::KEYS`]).
    pub fn get(&self, key: &str) -> Option<&str> {
        match key {
            "opening" => self.opening.as_deref(),
            "overview" => self.overview.as_deref(),
            "problems" => self.problems.as_deref(),
            "other_matters" => self.other_matters.as_deref(),
            "signature" => self.signature.as_deref(),
            "date" => self.date.as_deref(),
            _ => None,
        }
    }

    fn slot(&mut self, key: &str) -> Option<&mut Option<String>> {
        match key {
            "opening" => Some(&mut self.opening),
            "overview" => Some(&mut self.overview),
            "problems" => Some(&mut self.problems),
            "other_matters" => Some(&mut self.other_matters),
            "signature" => Some(&mut self.signature),
            "date" => Some(&mut self.date),
            _ => None,
        }
    }

    /// Whether no part is known.
    pub fn is_empty(&self) -> bool {
        Self::KEYS.iter().all(|k| self.get(k).is_none())
    }

    fn from_json(value: &Value, path: &str) -> Result<Self, JsonError> {
        let obj = expect_object(value, path)?;
        only_keys(obj, path, &Self::KEYS)?;
        let mut narrative = Narrative::default();
        for key in Self::KEYS {
            let here = format!("{path}/{key}");
            let text = match obj.get(key) {
                None | Some(Value::Null) => None,
                Some(v) => Some(expect_str(v, &here)?.to_owned()),
            };
            if key == "date"
                && let Some(date) = &text
                && !is_iso_date(date)
            {
                return Err(JsonError::InvalidValue {
                    path: here,
                    reason: "日期应为 YYYY-MM-DD",
                    value: Value::String(date.clone()).to_string(),
                });
            }
            if let Some(slot) = narrative.slot(key) {
                *slot = text;
            }
        }
        Ok(narrative)
    }

    fn to_ordered(&self) -> Ordered {
        Ordered::Obj(
            Self::KEYS
                .iter()
                .filter_map(|&k| self.get(k).map(|v| (k, Ordered::Str(v.to_owned()))))
                .collect(),
        )
    }
}

/// `YYYY-MM-DD` with a month 01–12 and a day 01–31.
fn is_iso_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
        && (1..=12).contains(&((b[5] - b'0') * 10 + (b[6] - b'0')))
        && (1..=31).contains(&((b[8] - b'0') * 10 + (b[9] - b'0')))
}

/// A 表二 value: counts and changes as integers; amounts (digits as printed, e.g.
/// `"24252.311082"`) and the printed unit as text.
#[derive(Debug, Clone, PartialEq)]
pub enum ProactiveValue {
    /// A count or a change (本年增/减, may be negative).
    Int(i64),
    /// An amount's digits as printed, or the unit printed beside it.
    Text(String),
}

/// 表二: one optional value per (row, column) of [`Template::proactive_blocks`].
#[derive(Debug, Clone, PartialEq)]
pub struct Proactive {
    template: Template,
    /// Cells in template order: block by block, row by row, column by column.
    cells: Vec<Option<ProactiveValue>>,
}

/// 表三: one row of seven counts per row of [`Template::application_rows`]; the columns are
/// [`APPLICANT_COLUMNS`].
#[derive(Debug, Clone, PartialEq)]
pub struct Applications {
    template: Template,
    /// Rows in template order.
    rows: Vec<[Count; 7]>,
}

/// 表四: blocks in [`APPEAL_BLOCKS`] order, columns in [`APPEAL_COLUMNS`] order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Appeals {
    /// The three blocks' five cells each.
    pub blocks: [[Count; 5]; 3],
}

/// A change to the model that the template does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// The template's 表二 has no such (row, column).
    #[error("表二（{template}年格式）没有单元格 {row}.{column}")]
    UnknownCell {
        /// The template's key.
        template: &'static str,
        /// The row key asked for.
        row: String,
        /// The column key asked for.
        column: String,
    },
    /// The value's kind does not fit the cell (text in a count cell, a negative count…).
    #[error("表二单元格 {row}.{column} 不接受该值：{reason}")]
    WrongKind {
        /// The row key.
        row: String,
        /// The column key.
        column: String,
        /// Why, in Chinese.
        reason: &'static str,
    },
}

/// Why a JSON document is not a valid `gongkai.annual-report/1` document. Each variant names
/// the offending place as an RFC 6901 JSON pointer (`/applications/granted/total`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    /// A value of the wrong JSON type.
    #[error("{path}: 应为{expected}，实为{found}")]
    WrongType {
        /// Where.
        path: String,
        /// What the schema wants, in Chinese.
        expected: &'static str,
        /// The JSON type found.
        found: &'static str,
    },
    /// A key the schema does not have.
    #[error("{path}: 未知的键")]
    UnknownKey {
        /// Where (the pointer to the unknown key).
        path: String,
    },
    /// A key the schema requires is absent.
    #[error("{path}: 缺少必需的键")]
    MissingKey {
        /// Where (the pointer to the missing key).
        path: String,
    },
    /// A count below zero.
    #[error("{path}: 件数不能为负数（{value}）")]
    NegativeCount {
        /// Where.
        path: String,
        /// The value found.
        value: i64,
    },
    /// A value of the right type that the schema still rejects (unknown template, an amount
    /// that is not digits, a year out of range…).
    #[error("{path}: {reason}：{value}")]
    InvalidValue {
        /// Where.
        path: String,
        /// Why, in Chinese.
        reason: &'static str,
        /// The value found, as JSON text.
        value: String,
    },
}

impl JsonError {
    /// The JSON pointer of the offending place.
    pub fn path(&self) -> &str {
        match self {
            JsonError::WrongType { path, .. }
            | JsonError::UnknownKey { path }
            | JsonError::MissingKey { path }
            | JsonError::NegativeCount { path, .. }
            | JsonError::InvalidValue { path, .. } => path,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The model

impl AnnualReport {
    /// An empty report of `template`: agency and year unknown, no tables.
    pub fn new(template: Template) -> Self {
        AnnualReport {
            agency: None,
            year: None,
            template,
            proactive: None,
            applications: None,
            appeals: None,
            narrative: None,
        }
    }

    /// The interchange JSON (`spec/annual-report.schema.json`).
    pub fn to_json(&self) -> Value {
        self.to_ordered().into_value()
    }

    /// The interchange JSON as pretty-printed text, keys in the schema's order (one-space
    /// indent like the labelled corpus files), without a trailing newline.
    pub fn to_json_pretty(&self) -> String {
        let mut out = String::new();
        self.to_ordered().write_pretty(&mut out, 0);
        out
    }

    /// Reads an interchange JSON document, strictly: see [`JsonError`].
    pub fn from_json(value: &Value) -> Result<Self, JsonError> {
        let top = expect_object(value, "")?;
        let template_value = field(top, "", "template")?;
        let template_key = expect_str(template_value, "/template")?;
        let template = Template::from_key(template_key).ok_or_else(|| JsonError::InvalidValue {
            path: "/template".into(),
            reason: "未知的格式版本（应为 \"2019\" 或 \"2021\"）",
            value: template_value.to_string(),
        })?;
        only_keys(
            top,
            "",
            &[
                "schema",
                "agency",
                "year",
                "template",
                "proactive",
                "applications",
                "appeals",
                "narrative",
            ],
        )?;
        let schema = field(top, "", "schema")?;
        if schema.as_str() != Some(SCHEMA_ID) {
            return Err(JsonError::InvalidValue {
                path: "/schema".into(),
                reason: "schema 应为 \"gongkai.annual-report/1\"",
                value: schema.to_string(),
            });
        }
        let agency = match field(top, "", "agency")? {
            Value::Null => None,
            v => Some(expect_str(v, "/agency")?.to_owned()),
        };
        let year = match field(top, "", "year")? {
            Value::Null => None,
            v => {
                let y = expect_int(v, "/year")?;
                Some(i32::try_from(y).map_err(|_| JsonError::InvalidValue {
                    path: "/year".into(),
                    reason: "年份超出范围",
                    value: v.to_string(),
                })?)
            }
        };
        let proactive = match field(top, "", "proactive")? {
            Value::Null => None,
            v => Some(Proactive::from_json(template, v, "/proactive")?),
        };
        let applications = match field(top, "", "applications")? {
            Value::Null => None,
            v => Some(Applications::from_json(template, v, "/applications")?),
        };
        let appeals = match field(top, "", "appeals")? {
            Value::Null => None,
            v => Some(Appeals::from_json(v, "/appeals")?),
        };
        // Optional (added after `gongkai.annual-report/1` was first published): documents
        // without it stay valid.
        let narrative = match top.get("narrative") {
            None | Some(Value::Null) => None,
            Some(v) => Some(Narrative::from_json(v, "/narrative")?),
        };
        Ok(AnnualReport {
            agency,
            year,
            template,
            proactive,
            applications,
            appeals,
            narrative,
        })
    }

    fn to_ordered(&self) -> Ordered {
        let agency = match &self.agency {
            Some(a) => Ordered::Str(a.clone()),
            None => Ordered::Null,
        };
        let year = match self.year {
            Some(y) => Ordered::Int(i64::from(y)),
            None => Ordered::Null,
        };
        let mut entries = vec![
            ("schema", Ordered::Str(SCHEMA_ID.into())),
            ("agency", agency),
            ("year", year),
            ("template", Ordered::Str(self.template.key().into())),
            (
                "proactive",
                self.proactive
                    .as_ref()
                    .map_or(Ordered::Null, Proactive::to_ordered),
            ),
            (
                "applications",
                self.applications
                    .as_ref()
                    .map_or(Ordered::Null, Applications::to_ordered),
            ),
            (
                "appeals",
                self.appeals
                    .as_ref()
                    .map_or(Ordered::Null, Appeals::to_ordered),
            ),
        ];
        if let Some(narrative) = &self.narrative {
            entries.push(("narrative", narrative.to_ordered()));
        }
        Ordered::Obj(entries)
    }
}

/// Where a 表二 cell sits in [`Proactive::cells`], and what it holds.
fn proactive_index(
    template: Template,
    row_key: &str,
    column_key: &str,
) -> Option<(usize, ProactiveKind)> {
    let mut index = 0;
    for block in template.proactive_blocks() {
        for row in block.rows {
            for column in block.columns {
                if row.key == row_key && column.key == column_key {
                    return Some((index, column.kind));
                }
                index += 1;
            }
        }
    }
    None
}

fn proactive_cell_count(template: Template) -> usize {
    template
        .proactive_blocks()
        .iter()
        .map(|b| b.rows.len() * b.columns.len())
        .sum()
}

/// Whether `text` is an amount as the schema allows it: `^-?[0-9]+(\.[0-9]+)?$`.
pub fn is_amount(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(int) && frac.is_none_or(all_digits)
}

impl Proactive {
    /// An empty 表二 of `template`: every cell `None`.
    pub fn new(template: Template) -> Self {
        Proactive {
            template,
            cells: vec![None; proactive_cell_count(template)],
        }
    }

    /// The template this 表二 follows.
    pub fn template(&self) -> Template {
        self.template
    }

    /// The value of a cell; `None` if blank or not a cell of this template.
    pub fn get(&self, row_key: &str, column_key: &str) -> Option<&ProactiveValue> {
        let (index, _) = proactive_index(self.template, row_key, column_key)?;
        self.cells.get(index)?.as_ref()
    }

    /// The integer in a count or change cell; `None` if blank, text, or not a cell.
    pub fn int(&self, row_key: &str, column_key: &str) -> Option<i64> {
        match self.get(row_key, column_key)? {
            ProactiveValue::Int(n) => Some(*n),
            ProactiveValue::Text(_) => None,
        }
    }

    /// Sets a cell. Counts take non-negative [`ProactiveValue::Int`], changes any `Int`,
    /// amounts a `Text` of digits (`is_amount`), units any `Text`.
    pub fn set(
        &mut self,
        row_key: &str,
        column_key: &str,
        value: Option<ProactiveValue>,
    ) -> Result<(), ModelError> {
        let unknown = || ModelError::UnknownCell {
            template: self.template.key(),
            row: row_key.into(),
            column: column_key.into(),
        };
        let (index, kind) =
            proactive_index(self.template, row_key, column_key).ok_or_else(unknown)?;
        let wrong = |reason| ModelError::WrongKind {
            row: row_key.into(),
            column: column_key.into(),
            reason,
        };
        match (&value, kind) {
            (None, _) => {}
            (Some(ProactiveValue::Int(n)), ProactiveKind::Count) if *n < 0 => {
                return Err(wrong("件数不能为负数"));
            }
            (Some(ProactiveValue::Int(_)), ProactiveKind::Count | ProactiveKind::Change) => {}
            (Some(ProactiveValue::Text(t)), ProactiveKind::Amount) if !is_amount(t) => {
                return Err(wrong("金额只能是数字"));
            }
            (Some(ProactiveValue::Text(_)), ProactiveKind::Amount | ProactiveKind::Unit) => {}
            (Some(ProactiveValue::Int(_)), _) => return Err(wrong("该单元格应为文本")),
            (Some(ProactiveValue::Text(_)), _) => return Err(wrong("该单元格应为整数")),
        }
        let cell = self.cells.get_mut(index).ok_or_else(unknown)?;
        *cell = value;
        Ok(())
    }

    /// Every cell in template order: (row key, column key, column kind, value).
    pub fn cells(
        &self,
    ) -> impl Iterator<
        Item = (
            &'static str,
            &'static str,
            ProactiveKind,
            Option<&ProactiveValue>,
        ),
    > {
        self.template
            .proactive_blocks()
            .iter()
            .flat_map(|b| {
                b.rows
                    .iter()
                    .flat_map(move |r| b.columns.iter().map(move |c| (r.key, c.key, c.kind)))
            })
            .zip(self.cells.iter())
            .map(|((r, c, k), v)| (r, c, k, v.as_ref()))
    }

    fn to_ordered(&self) -> Ordered {
        let mut values = self.cells.iter();
        let mut rows = Vec::new();
        for block in self.template.proactive_blocks() {
            for row in block.rows {
                let mut cols = Vec::new();
                for column in block.columns {
                    let v = match values.next().and_then(Option::as_ref) {
                        None => Ordered::Null,
                        Some(ProactiveValue::Int(n)) => Ordered::Int(*n),
                        Some(ProactiveValue::Text(t)) => Ordered::Str(t.clone()),
                    };
                    cols.push((column.key, v));
                }
                rows.push((row.key, Ordered::Obj(cols)));
            }
        }
        Ordered::Obj(rows)
    }

    fn from_json(template: Template, value: &Value, path: &str) -> Result<Self, JsonError> {
        let obj = expect_object(value, path)?;
        let blocks = template.proactive_blocks();
        let row_keys: Vec<&str> = blocks
            .iter()
            .flat_map(|b| b.rows.iter().map(|r| r.key))
            .collect();
        only_keys(obj, path, &row_keys)?;
        let mut out = Proactive::new(template);
        let mut index = 0;
        for block in blocks {
            let col_keys: Vec<&str> = block.columns.iter().map(|c| c.key).collect();
            for row in block.rows {
                let row_path = format!("{path}/{}", row.key);
                let row_obj = expect_object(field(obj, path, row.key)?, &row_path)?;
                only_keys(row_obj, &row_path, &col_keys)?;
                for column in block.columns {
                    let cell_path = format!("{row_path}/{}", column.key);
                    let v = field(row_obj, &row_path, column.key)?;
                    let parsed = match (v, column.kind) {
                        (Value::Null, _) => None,
                        (v, ProactiveKind::Count) => {
                            Some(ProactiveValue::Int(expect_count(v, &cell_path)? as i64))
                        }
                        (v, ProactiveKind::Change) => {
                            Some(ProactiveValue::Int(expect_int(v, &cell_path)?))
                        }
                        (v, ProactiveKind::Amount) => {
                            let t = expect_str(v, &cell_path)?;
                            if !is_amount(t) {
                                return Err(JsonError::InvalidValue {
                                    path: cell_path,
                                    reason: "金额只能是数字（可带小数点和负号）",
                                    value: v.to_string(),
                                });
                            }
                            Some(ProactiveValue::Text(t.to_owned()))
                        }
                        (v, ProactiveKind::Unit) => {
                            Some(ProactiveValue::Text(expect_str(v, &cell_path)?.to_owned()))
                        }
                    };
                    if let Some(cell) = out.cells.get_mut(index) {
                        *cell = parsed;
                    }
                    index += 1;
                }
            }
        }
        Ok(out)
    }
}

impl Applications {
    /// An empty 表三 of `template`: every cell `None`.
    pub fn new(template: Template) -> Self {
        Applications {
            template,
            rows: vec![[None; 7]; template.application_rows().len()],
        }
    }

    /// The template this 表三 follows.
    pub fn template(&self) -> Template {
        self.template
    }

    fn position(&self, row: ApplicationRow) -> Option<usize> {
        self.template
            .application_rows()
            .iter()
            .position(|spec| spec.row == row)
    }

    /// A row's seven cells; `None` if the row is not in this template.
    pub fn row(&self, row: ApplicationRow) -> Option<&[Count; 7]> {
        self.rows.get(self.position(row)?)
    }

    /// A row's seven cells, to change; `None` if the row is not in this template.
    pub fn row_mut(&mut self, row: ApplicationRow) -> Option<&mut [Count; 7]> {
        let index = self.position(row)?;
        self.rows.get_mut(index)
    }

    /// The row with schema key `key`, if the template has it.
    pub fn row_by_key(&self, key: &str) -> Option<(&'static ApplicationRowSpec, &[Count; 7])> {
        self.rows().find(|(spec, _)| spec.key == key)
    }

    /// Every row in template order, with its spec.
    pub fn rows(&self) -> impl Iterator<Item = (&'static ApplicationRowSpec, &[Count; 7])> {
        self.template
            .application_rows()
            .iter()
            .zip(self.rows.iter())
    }

    fn to_ordered(&self) -> Ordered {
        Ordered::Obj(
            self.rows()
                .map(|(spec, cells)| (spec.key, counts_ordered(&APPLICANT_KEYS, cells)))
                .collect(),
        )
    }

    fn from_json(template: Template, value: &Value, path: &str) -> Result<Self, JsonError> {
        let obj = expect_object(value, path)?;
        let specs = template.application_rows();
        let keys: Vec<&str> = specs.iter().map(|s| s.key).collect();
        only_keys(obj, path, &keys)?;
        let mut rows = Vec::with_capacity(specs.len());
        for spec in specs {
            let row_path = format!("{path}/{}", spec.key);
            rows.push(counts_from_json(
                field(obj, path, spec.key)?,
                &row_path,
                &APPLICANT_KEYS,
            )?);
        }
        Ok(Applications { template, rows })
    }
}

const APPLICANT_KEYS: [&str; 7] = {
    let mut out = [""; 7];
    let mut i = 0;
    while i < 7 {
        out[i] = APPLICANT_COLUMNS[i].key;
        i += 1;
    }
    out
};

const APPEAL_KEYS: [&str; 5] = {
    let mut out = [""; 5];
    let mut i = 0;
    while i < 5 {
        out[i] = APPEAL_COLUMNS[i].key;
        i += 1;
    }
    out
};

impl Appeals {
    fn to_ordered(&self) -> Ordered {
        Ordered::Obj(
            APPEAL_BLOCKS
                .iter()
                .zip(self.blocks.iter())
                .map(|(block, cells)| (block.key, counts_ordered(&APPEAL_KEYS, cells)))
                .collect(),
        )
    }

    fn from_json(value: &Value, path: &str) -> Result<Self, JsonError> {
        let obj = expect_object(value, path)?;
        let keys: Vec<&str> = APPEAL_BLOCKS.iter().map(|b| b.key).collect();
        only_keys(obj, path, &keys)?;
        let mut out = Appeals::default();
        for (block, cells) in APPEAL_BLOCKS.iter().zip(out.blocks.iter_mut()) {
            let block_path = format!("{path}/{}", block.key);
            *cells = counts_from_json(field(obj, path, block.key)?, &block_path, &APPEAL_KEYS)?;
        }
        Ok(out)
    }
}

fn counts_ordered(keys: &[&'static str], cells: &[Count]) -> Ordered {
    Ordered::Obj(
        keys.iter()
            .zip(cells)
            .map(|(k, c)| (*k, c.map_or(Ordered::Null, Ordered::UInt)))
            .collect(),
    )
}

fn counts_from_json<const N: usize>(
    value: &Value,
    path: &str,
    keys: &[&'static str; N],
) -> Result<[Count; N], JsonError> {
    let obj = expect_object(value, path)?;
    only_keys(obj, path, keys)?;
    let mut out = [None; N];
    for (cell, key) in out.iter_mut().zip(keys) {
        let cell_path = format!("{path}/{key}");
        *cell = match field(obj, path, key)? {
            Value::Null => None,
            v => Some(expect_count(v, &cell_path)?),
        };
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Strict JSON reading

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "布尔值",
        Value::Number(n) if n.is_i64() || n.is_u64() => "整数",
        Value::Number(_) => "小数",
        Value::String(_) => "字符串",
        Value::Array(_) => "数组",
        Value::Object(_) => "对象",
    }
}

fn expect_object<'v>(value: &'v Value, path: &str) -> Result<&'v Map<String, Value>, JsonError> {
    value.as_object().ok_or_else(|| JsonError::WrongType {
        path: path.into(),
        expected: "对象",
        found: type_name(value),
    })
}

fn expect_str<'v>(value: &'v Value, path: &str) -> Result<&'v str, JsonError> {
    value.as_str().ok_or_else(|| JsonError::WrongType {
        path: path.into(),
        expected: "字符串或 null",
        found: type_name(value),
    })
}

fn expect_int(value: &Value, path: &str) -> Result<i64, JsonError> {
    if let Some(n) = value.as_i64() {
        return Ok(n);
    }
    if value.as_u64().is_some() {
        return Err(JsonError::InvalidValue {
            path: path.into(),
            reason: "整数超出范围",
            value: value.to_string(),
        });
    }
    Err(JsonError::WrongType {
        path: path.into(),
        expected: "整数或 null",
        found: type_name(value),
    })
}

fn expect_count(value: &Value, path: &str) -> Result<u64, JsonError> {
    if let Some(n) = value.as_u64() {
        // Counts stay within i64 so that 表二 and sums can use signed arithmetic.
        if i64::try_from(n).is_ok() {
            return Ok(n);
        }
        return Err(JsonError::InvalidValue {
            path: path.into(),
            reason: "整数超出范围",
            value: value.to_string(),
        });
    }
    match value.as_i64() {
        Some(n) => Err(JsonError::NegativeCount {
            path: path.into(),
            value: n,
        }),
        None => Err(JsonError::WrongType {
            path: path.into(),
            expected: "非负整数或 null",
            found: type_name(value),
        }),
    }
}

fn field<'v>(obj: &'v Map<String, Value>, path: &str, key: &str) -> Result<&'v Value, JsonError> {
    obj.get(key).ok_or_else(|| JsonError::MissingKey {
        path: format!("{path}/{}", escape_pointer(key)),
    })
}

fn only_keys(obj: &Map<String, Value>, path: &str, allowed: &[&str]) -> Result<(), JsonError> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(JsonError::UnknownKey {
            path: format!("{path}/{}", escape_pointer(k)),
        }),
        None => Ok(()),
    }
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

// ---------------------------------------------------------------------------------------------
// Ordered output

/// A JSON tree whose objects keep the schema's key order (serde_json's `Value` sorts keys).
enum Ordered {
    Null,
    Int(i64),
    UInt(u64),
    Str(String),
    Obj(Vec<(&'static str, Ordered)>),
}

impl Ordered {
    fn into_value(self) -> Value {
        match self {
            Ordered::Null => Value::Null,
            Ordered::Int(n) => Value::from(n),
            Ordered::UInt(n) => Value::from(n),
            Ordered::Str(s) => Value::String(s),
            Ordered::Obj(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.into_value()))
                    .collect(),
            ),
        }
    }

    fn write_pretty(&self, out: &mut String, indent: usize) {
        match self {
            Ordered::Null => out.push_str("null"),
            Ordered::Int(n) => out.push_str(&n.to_string()),
            Ordered::UInt(n) => out.push_str(&n.to_string()),
            Ordered::Str(s) => out.push_str(&Value::String(s.clone()).to_string()),
            Ordered::Obj(entries) if entries.is_empty() => out.push_str("{}"),
            Ordered::Obj(entries) => {
                out.push_str("{\n");
                for (i, (k, v)) in entries.iter().enumerate() {
                    out.push_str(&" ".repeat(indent + 1));
                    out.push_str(&Value::String((*k).to_owned()).to_string());
                    out.push_str(": ");
                    v.write_pretty(out, indent + 1);
                    if i + 1 < entries.len() {
                        out.push(',');
                    }
                    out.push('\n');
                }
                out.push_str(&" ".repeat(indent));
                out.push('}');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn seed_like(template: Template) -> AnnualReport {
        let mut r = AnnualReport::new(template);
        r.agency = Some("某区人民政府".into());
        r.year = Some(2022);
        r.proactive = Some(Proactive::new(template));
        let mut apps = Applications::new(template);
        for spec in template.application_rows() {
            if let Some(row) = apps.row_mut(spec.row) {
                *row = [Some(0); 7];
            }
        }
        r.applications = Some(apps);
        r.appeals = Some(Appeals {
            blocks: [[Some(0); 5]; 3],
        });
        r
    }

    #[test]
    fn both_templates_round_trip_through_json() {
        for t in Template::ALL {
            let r = seed_like(t);
            let back = AnnualReport::from_json(&r.to_json());
            assert_eq!(back, Ok(r.clone()));
            let text: Value = serde_json::from_str(&r.to_json_pretty()).unwrap_or(Value::Null);
            assert_eq!(text, r.to_json());
        }
    }

    #[test]
    fn pretty_output_keeps_schema_key_order() {
        let text = seed_like(Template::Y2021).to_json_pretty();
        let schema = text.find("\"schema\"");
        let appeals = text.find("\"appeals\"");
        let granted = text.find("\"granted\"");
        let forward = text.find("\"carried_forward\"");
        assert!(schema < appeals && granted < forward, "{text}");
    }

    #[test]
    fn unknown_key_is_named_by_path() {
        let mut v = seed_like(Template::Y2021).to_json();
        v["applications"]["granted"]["robots"] = json!(1);
        let err = AnnualReport::from_json(&v);
        assert_eq!(
            err,
            Err(JsonError::UnknownKey {
                path: "/applications/granted/robots".into()
            })
        );
    }

    #[test]
    fn negative_count_is_rejected() {
        let mut v = seed_like(Template::Y2019).to_json();
        v["appeals"]["litigation_direct"]["total"] = json!(-1);
        let err = AnnualReport::from_json(&v).err();
        assert_eq!(
            err.as_ref().map(JsonError::path),
            Some("/appeals/litigation_direct/total")
        );
        assert!(matches!(
            err,
            Some(JsonError::NegativeCount { value: -1, .. })
        ));
    }

    #[test]
    fn change_may_be_negative_but_count_may_not() {
        let mut p = Proactive::new(Template::Y2019);
        assert_eq!(
            p.set("licensing", "change", Some(ProactiveValue::Int(-3))),
            Ok(())
        );
        assert_eq!(p.int("licensing", "change"), Some(-3));
        assert!(
            p.set("licensing", "decisions", Some(ProactiveValue::Int(-3)))
                .is_err()
        );
        assert!(
            p.set("fees", "amount_wan_yuan", Some(ProactiveValue::Int(1)))
                .is_err()
        );
    }

    #[test]
    fn template_specific_rows_and_keys() {
        let mut v = seed_like(Template::Y2019).to_json();
        // A 2021-only row in a 2019 document is an unknown key.
        v["applications"]["other_other"] = v["applications"]["other"].clone();
        let err = AnnualReport::from_json(&v).err();
        assert_eq!(
            err.as_ref().map(JsonError::path),
            Some("/applications/other_other")
        );
        let apps = Applications::new(Template::Y2019);
        assert!(apps.row(ApplicationRow::OtherOther).is_none());
        assert!(apps.row(ApplicationRow::Other).is_some());
    }

    #[test]
    fn wrong_types_and_missing_keys() {
        let mut v = seed_like(Template::Y2021).to_json();
        v["year"] = json!("2022");
        assert!(matches!(
            AnnualReport::from_json(&v),
            Err(JsonError::WrongType { ref path, .. }) if path == "/year"
        ));
        let mut v = seed_like(Template::Y2021).to_json();
        v["proactive"]["fees"]["amount_wan_yuan"] = json!("1,000");
        assert!(matches!(
            AnnualReport::from_json(&v),
            Err(JsonError::InvalidValue { ref path, .. }) if path == "/proactive/fees/amount_wan_yuan"
        ));
        let mut v = seed_like(Template::Y2021).to_json();
        if let Some(o) = v["appeals"]["reconsideration"].as_object_mut() {
            o.remove("pending");
        }
        assert_eq!(
            AnnualReport::from_json(&v),
            Err(JsonError::MissingKey {
                path: "/appeals/reconsideration/pending".into()
            })
        );
        let mut v = seed_like(Template::Y2021).to_json();
        v["template"] = json!("2018");
        assert!(AnnualReport::from_json(&v).is_err());
        assert!(AnnualReport::from_json(&json!([])).is_err());
    }

    #[test]
    fn amounts_follow_the_schema_pattern() {
        for ok in ["0", "24252.311082", "-3", "75394432.52"] {
            assert!(is_amount(ok), "{ok}");
        }
        for bad in ["", "-", "1.", ".5", "1,000", "１２", "1e3"] {
            assert!(!is_amount(bad), "{bad}");
        }
    }
}
