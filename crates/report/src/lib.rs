//! The annual report (政府信息公开工作年度报告): its model, the interchange JSON of
//! `spec/annual-report.schema.json`, the consistency checks of `spec/checks.md`, renderers, and
//! the reader that turns published reports back into the model.
//!
//! **Architecture invariant:** a printed number is never changed: checks report
//! inconsistencies, they do not fix them; reading never fails on content, it returns the report
//! with notes on what it could not read.
#![deny(missing_docs)]

pub mod extract;
pub mod reader;
pub mod split;
