//! The statutory model of government information disclosure under the
//! 《中华人民共和国政府信息公开条例》 (2019 revision).
//!
//! `gongkai-core` holds what the statute and the State Council's formats say, as data and pure
//! functions: the annual-report format's tables ([`format`]), the art. 20 categories
//! ([`article20`]), the working-day calendar of the holiday notices ([`calendar`]), the
//! application clock and the art. 26 clock ([`clock`]), the outcomes that close a case and their
//! 表三 rows ([`outcome`]), the 信息处理费 ([`fee`]), and the applicant's identity numbers and
//! their masking ([`identity`]).
//!
//! **Architecture invariant:** this crate does no IO and never reads the clock: today's date
//! and the calendar data are arguments. Every statutory label is written once, here.
#![deny(missing_docs)]

pub mod article20;
pub mod calendar;
pub mod clock;
pub mod fee;
pub mod format;
pub mod identity;
pub mod outcome;
