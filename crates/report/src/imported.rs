//! A published report read for import (a subordinate's report, an adopting organ's past year):
//! the report, what its checks need besides the tables ([`ReadContext`], kept beside the report
//! so that its findings can be computed again at any time, never stored), the format it was read
//! as, and how many notes the reader made. One function for the command line and the web.

use serde_json::{Value, json};

use crate::check::{CheckContext, Section, Unread, UnreadCell};
use crate::consolidate::cells;
use crate::model::AnnualReport;
use crate::reader::{self, ReadError};

/// What the checks need from a reading besides the tables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadContext {
    /// The document's text outside its tables (`None` for an interchange JSON file).
    pub narrative: Option<String>,
    /// The document ends inside a table or section.
    pub truncated: bool,
    /// Null cells that are not printed blank, and why.
    pub unread: Vec<UnreadCell>,
}

fn unread_key(why: Unread) -> &'static str {
    match why {
        Unread::Ambiguous => "ambiguous",
        Unread::Unreadable => "unreadable",
        Unread::CutOff => "cut_off",
        Unread::NotPrinted => "not_printed",
    }
}

impl ReadContext {
    /// The context for the checks, with last year's report if there is one.
    pub fn check_context<'a>(&'a self, previous: Option<&'a AnnualReport>) -> CheckContext<'a> {
        CheckContext {
            previous,
            narrative: self.narrative.as_deref(),
            truncated: self.truncated,
            unread: &self.unread,
        }
    }

    /// As stored: `{"narrative", "truncated", "unread": [{"section","row","column","why"}]}`.
    pub fn to_json(&self) -> Value {
        let unread: Vec<Value> = self
            .unread
            .iter()
            .map(|u| {
                json!({"section": u.cell.section.key(), "row": u.cell.row,
                       "column": u.cell.column, "why": unread_key(u.why)})
            })
            .collect();
        json!({"narrative": self.narrative, "truncated": self.truncated, "unread": unread})
    }

    /// Reads [`ReadContext::to_json`]'s form back, for a report of `report`'s template. What it
    /// does not recognise (a cell of another template, a newer cause) is left out: the checks
    /// then call that cell blank, which is what the report's JSON says.
    pub fn from_json(value: &Value, report: &AnnualReport) -> ReadContext {
        let all = cells(report.template);
        let unread = value
            .get("unread")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|u| {
                        let text = |k: &str| u.get(k).and_then(Value::as_str);
                        let section = Section::ALL
                            .into_iter()
                            .find(|s| Some(s.key()) == text("section"))?;
                        let spec = all.iter().find(|c| {
                            c.cell.section == section
                                && Some(c.cell.row) == text("row")
                                && Some(c.cell.column) == text("column")
                        })?;
                        let why = [
                            Unread::Ambiguous,
                            Unread::Unreadable,
                            Unread::CutOff,
                            Unread::NotPrinted,
                        ]
                        .into_iter()
                        .find(|w| Some(unread_key(*w)) == text("why"))?;
                        Some(UnreadCell {
                            cell: spec.cell,
                            why,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        ReadContext {
            narrative: value
                .get("narrative")
                .and_then(Value::as_str)
                .map(str::to_owned),
            truncated: value
                .get("truncated")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            unread,
        }
    }
}

/// A report read from a file for import.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedFile {
    /// The report as read.
    pub report: AnnualReport,
    /// What its checks need besides the tables.
    pub context: ReadContext,
    /// The format it was read as: `json`, `pdf`, `docx`, `html`, `markdown` or `text`.
    pub format: &'static str,
    /// How many notes the reader made (cells it could not read, caveats).
    pub read_notes: usize,
}

/// Why a file cannot be imported as it stands.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The reader refused it (not a report, not the national format, too large…).
    #[error("{0}")]
    Read(#[from] ReadError),
    /// A `.json` file that is not a valid `gongkai.annual-report/1` document.
    #[error("不是有效的 gongkai.annual-report/1 文档：{0}")]
    Json(String),
    /// The report does not say its year: it cannot be any year's report.
    #[error("报告未写明年度，无法确定是哪一年的报告")]
    NoYear,
    /// The report names another organ.
    #[error("报告的机关“{agency}”与“{organ}”不符")]
    OtherOrgan {
        /// The agency the report names.
        agency: String,
        /// The organ it was to be imported for.
        organ: String,
    },
}

/// The format of a file, by its content first and its name second.
pub fn format_of(bytes: &[u8], file_name: &str) -> &'static str {
    let lower = file_name.to_ascii_lowercase();
    if crate::extract::is_pdf(bytes) || lower.ends_with(".pdf") {
        "pdf"
    } else if bytes.starts_with(b"PK\x03\x04") || lower.ends_with(".docx") {
        "docx"
    } else if lower.ends_with(".json") {
        "json"
    } else if lower.ends_with(".html") || lower.ends_with(".htm") {
        "html"
    } else if lower.ends_with(".md") || lower.ends_with(".markdown") {
        "markdown"
    } else {
        "text"
    }
}

/// Reads a file's bytes: the interchange JSON for `.json`, else a published report in any form
/// the reader reads.
pub fn read_file(bytes: &[u8], file_name: &str) -> Result<ImportedFile, ImportError> {
    let format = format_of(bytes, file_name);
    if format == "json" {
        let text = std::str::from_utf8(bytes).map_err(|e| ImportError::Json(e.to_string()))?;
        let value: Value =
            serde_json::from_str(text).map_err(|e| ImportError::Json(e.to_string()))?;
        let report =
            AnnualReport::from_json(&value).map_err(|e| ImportError::Json(e.to_string()))?;
        return Ok(ImportedFile {
            report,
            context: ReadContext::default(),
            format,
            read_notes: 0,
        });
    }
    let read = reader::read_bytes(bytes, Some(file_name))?;
    Ok(ImportedFile {
        context: ReadContext {
            narrative: Some(read.narrative),
            truncated: read.truncated,
            unread: read.unread,
        },
        read_notes: read.notes.len(),
        report: read.report,
        format,
    })
}

/// Whether a report's agency looks like the organ's name: one contains the other once both are
/// reduced by [`reader::organ_key`] (`呼伦贝尔经济技术开发区` and `呼伦贝尔经济技术开发区管委会`;
/// `海拉尔区人民政府` and `海拉尔区人民政府办公室`). A report that names no agency is taken as
/// the organ's: the caller chose the organ.
pub fn agency_matches(agency: Option<&str>, organ: &str) -> bool {
    let Some(agency) = agency else {
        return true;
    };
    let (a, o) = (reader::organ_key(agency), reader::organ_key(organ));
    !a.is_empty() && !o.is_empty() && (a.contains(&o) || o.contains(&a))
}

/// The checks an import must pass before it is stored: a year, and the organ's name.
pub fn admit(file: &ImportedFile, organ: &str) -> Result<i32, ImportError> {
    let year = file.report.year.ok_or(ImportError::NoYear)?;
    if !agency_matches(file.report.agency.as_deref(), organ) {
        return Err(ImportError::OtherOrgan {
            agency: file.report.agency.clone().unwrap_or_default(),
            organ: organ.to_owned(),
        });
    }
    Ok(year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CellRef;
    use crate::check::testing::consistent;

    #[test]
    fn agencies_match_by_containment_of_their_keys() {
        assert!(agency_matches(
            Some("呼伦贝尔经济技术开发区管委会"),
            "呼伦贝尔经济技术开发区"
        ));
        assert!(agency_matches(
            Some("海拉尔区人民政府办公室"),
            "海拉尔区人民政府"
        ));
        assert!(agency_matches(
            Some("海拉尔区　人民政府"),
            "海拉尔区人民政府"
        ));
        assert!(!agency_matches(
            Some("满洲里市人民政府"),
            "海拉尔区人民政府"
        ));
        assert!(agency_matches(None, "海拉尔区人民政府"));
    }

    #[test]
    fn a_file_without_its_year_or_of_another_organ_is_refused() {
        let mut file = ImportedFile {
            report: consistent(),
            context: ReadContext::default(),
            format: "json",
            read_notes: 0,
        };
        assert_eq!(admit(&file, "测试县人民政府").ok(), Some(2022));
        let err = admit(&file, "邻县人民政府")
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("“测试县人民政府”与“邻县人民政府”不符"),
            "{err}"
        );
        file.report.year = None;
        assert!(matches!(
            admit(&file, "测试县人民政府"),
            Err(ImportError::NoYear)
        ));
    }

    #[test]
    fn the_context_round_trips_through_its_json() {
        let report = consistent();
        let context = ReadContext {
            narrative: Some("一、总体情况".into()),
            truncated: true,
            unread: vec![UnreadCell {
                cell: CellRef {
                    section: Section::Applications,
                    row: "granted",
                    column: "total",
                },
                why: Unread::Ambiguous,
            }],
        };
        assert_eq!(ReadContext::from_json(&context.to_json(), &report), context);
        assert_eq!(
            ReadContext::from_json(&json!({}), &report),
            ReadContext::default()
        );
    }

    #[test]
    fn json_files_are_read_strictly() {
        let text = consistent().to_json().to_string();
        let file = read_file(text.as_bytes(), "a.json").expect("reads");
        assert_eq!((file.format, file.report), ("json", consistent()));
        assert!(matches!(
            read_file(b"{}", "a.json"),
            Err(ImportError::Json(_))
        ));
    }
}
