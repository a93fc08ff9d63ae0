//! The annual report (政府信息公开工作年度报告): its model, the interchange JSON of
//! `spec/annual-report.schema.json`, the consistency checks of `spec/checks.md`, renderers, and
//! the reader that turns published reports back into the model.
//!
//! The map:
//! - [`model::AnnualReport`] holds 表二, 表三 and 表四 as printed (`None` for a blank cell)
//!   and the text around them ([`model::Narrative`]);
//!   [`AnnualReport::to_json`] / [`AnnualReport::from_json`] are the interchange format
//!   (the crate's API boundary: strict, errors name the JSON path).
//! - [`check::check`] runs the catalogue of spec/checks.md on a report and a
//!   [`check::CheckContext`] (last year's report, the narrative, truncation) and returns
//!   [`check::Finding`]s.
//! - [`render::html`], [`render::markdown`] and [`render::text`] print the tables in the
//!   official layout, and the narrative around them where the report has one; the reader reads
//!   each of them back to the same report, and so it reads the whole-report files of
//!   [`render::docx::docx`] and [`render::xlsx::xlsx`].
//! - [`draft::narrative`] drafts parts 一, 五 and 六 and the opening from the organ's
//!   [`draft::Figures`] and the report's tables.
//! - [`reader::read_path`] reads a published report (text, HTML, PDF…) into the model, with
//!   notes and provenance; [`split`] and [`extract`] serve it.
//!
//! **Architecture invariant:** a printed number is never changed: checks report
//! inconsistencies, they do not fix them; reading never fails on content, it returns the report
//! with notes on what it could not read.
#![deny(missing_docs)]

pub mod check;
pub mod compute;
pub mod consolidate;
pub mod draft;
pub mod extract;
pub mod imported;
pub mod model;
pub mod reader;
pub mod render;
pub mod split;

pub use model::{
    AnnualReport, Appeals, Applications, Count, JsonError, ModelError, Proactive, ProactiveValue,
};
