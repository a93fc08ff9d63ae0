//! The statutory model of government information disclosure under the
//! 《中华人民共和国政府信息公开条例》 (2019 revision).
//!
//! `gongkai-core` holds what the statute and the State Council's formats say, as data and pure
//! functions: the annual-report format's tables ([`format`]), the art. 20 categories
//! ([`article20`]), and (as they land) the working-day calendar, the application clock,
//! outcomes and fees.
//!
//! **Architecture invariant:** this crate does no IO and never reads the clock: today's date
//! and the calendar data are arguments. Every statutory label is written once, here.
#![deny(missing_docs)]

pub mod article20;
pub mod format;
pub mod calendar;
pub mod clock;
pub mod fee;
pub mod outcome;
