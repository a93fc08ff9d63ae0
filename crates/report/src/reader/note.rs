//! What the reader says about its reading: notes (what it could not read, and why) and
//! provenance (where and how every cell was read).

use std::fmt;

/// A table of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    /// 表二, section 二、主动公开政府信息情况.
    Proactive,
    /// 表三, section 三、收到和处理政府信息公开申请情况.
    Applications,
    /// 表四, section 四、政府信息公开行政复议、行政诉讼情况.
    Appeals,
}

impl Table {
    /// The table's customary Chinese name.
    pub fn name(self) -> &'static str {
        match self {
            Table::Proactive => "表二（主动公开政府信息情况）",
            Table::Applications => "表三（收到和处理政府信息公开申请情况）",
            Table::Appeals => "表四（政府信息公开行政复议、行政诉讼情况）",
        }
    }

    /// The key of the table in the interchange JSON.
    pub fn key(self) -> &'static str {
        match self {
            Table::Proactive => "proactive",
            Table::Applications => "applications",
            Table::Appeals => "appeals",
        }
    }
}

/// What kind of thing a note reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// A table or section the document does not have (or that was cut off).
    TableMissing,
    /// A row of a table that was not found.
    RowMissing,
    /// A cell that was not printed where expected (the row is short): it is `null`.
    CellMissing,
    /// A cell whose text is not a number of the right kind: it is `null`.
    CellUnreadable,
    /// A label printed differently from the format, read as the format's label.
    LabelVariant,
    /// Numbers the reader found but did not use (a subtotal row, extra cells).
    Ignored,
    /// Cells printed run together, split by the table's identities (or not splittable).
    Split,
    /// The document ends inside a table or a section.
    Truncated,
    /// How the template, year or organ was decided.
    Meta,
}

/// One thing the reader could not read, or read with a caveat.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// What kind of note.
    pub kind: NoteKind,
    /// The table, if the note is about one.
    pub table: Option<Table>,
    /// The row's schema key, if about a row.
    pub row: Option<&'static str>,
    /// The column's schema key, if about a cell.
    pub column: Option<&'static str>,
    /// 1-based line of the input where it was (or should have been) read.
    pub line: Option<usize>,
    /// One line of Chinese.
    pub message: String,
}

impl Note {
    /// A note about a whole table.
    pub fn table(kind: NoteKind, table: Table, line: Option<usize>, message: String) -> Note {
        Note {
            kind,
            table: Some(table),
            row: None,
            column: None,
            line,
            message,
        }
    }

    /// A note about the document.
    pub fn document(kind: NoteKind, message: String) -> Note {
        Note {
            kind,
            table: None,
            row: None,
            column: None,
            line: None,
            message,
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "第{line}行: ")?;
        }
        if let Some(t) = self.table {
            write!(f, "{}", t.key())?;
            if let Some(r) = self.row {
                write!(f, ".{r}")?;
            }
            if let Some(c) = self.column {
                write!(f, ".{c}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// How a cell's value was obtained.
#[derive(Debug, Clone, PartialEq)]
pub enum How {
    /// Read directly from its own printed cell.
    Read,
    /// The cell prints nothing (blank, `/`, `-`): `null`.
    Blank,
    /// Cut from digits printed run together, by the table's identities; the reason says which.
    Split(String),
    /// Taken from a figure of the narrative.
    Narrative(String),
    /// A number of a row printing fewer numbers than columns, put in its column because only
    /// that placement keeps the table's identities; the reason says how many were printed.
    Placed(String),
}

/// Where and how one cell was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    /// The table.
    pub table: Table,
    /// The row's schema key (for 表四: the block's key).
    pub row: &'static str,
    /// The column's schema key.
    pub column: &'static str,
    /// 1-based line of the input.
    pub line: usize,
    /// 1-based character columns [start, end) of what was read on that line.
    pub cols: (usize, usize),
    /// The text as printed there (for a split cell, the whole digit run).
    pub printed: String,
    /// How.
    pub how: How,
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last = self.cols.1.saturating_sub(1).max(self.cols.0);
        write!(
            f,
            "{}.{}.{} ← 第{}行",
            self.table.key(),
            self.row,
            self.column,
            self.line
        )?;
        if last == self.cols.0 {
            write!(f, "第{}列", self.cols.0)?;
        } else {
            write!(f, "第{}–{}列", self.cols.0, last)?;
        }
        write!(f, " 「{}」", self.printed)?;
        match &self.how {
            How::Read => write!(f, " 直接读取"),
            How::Blank => write!(f, " 空白单元格（null）"),
            How::Split(why) => write!(f, " 按勾稽关系拆分：{why}"),
            How::Narrative(why) => write!(f, " 取自正文：{why}"),
            How::Placed(why) => write!(f, " 按勾稽关系定列：{why}"),
        }
    }
}
