//! The notices (告知书) of a disclosure application under the 《中华人民共和国政府信息公开条例》
//! (2019): receipt, 补正, extension, third-party consultation, fee notice, and the reply for
//! each [`Outcome`](gongkai_core::outcome::Outcome) (spec/workflows.md §2, spec/domain.md §9).
//!
//! A [`NoticeKind`] and a [`NoticeContext`] (the case's facts) go to [`render`], with an
//! organ's own template text or `None` for the embedded national default; the result is a
//! checked [`Notice`], printed by [`Notice::to_text`], [`Notice::to_html`] and
//! [`Notice::to_docx`]. The remedy clause is computed by [`remedy()`], the one place its rules
//! live; 文书编号 are formatted by a [`NumberPattern`]. Titles, articles and the 复议前置 flag
//! come from `gongkai_core::outcome::OUTCOMES`.
//!
//! # Templates
//!
//! A template is [minijinja](https://docs.rs/minijinja) text. Its output is read line by line,
//! blank lines dropped, each line trimmed:
//!
//! - the **first line** is the 文书编号 and must contain `number`;
//! - the **last line** is the date and must contain `date`; the line before it is the organ
//!   (落款) and must contain `organ`;
//! - every line between is one **paragraph**; the first is the salutation (`申请人：`), printed
//!   flush left, the others with a first-line indent.
//!
//! The title is not templated: it is [`NoticeKind::title`], the statutory name. The body must
//! contain `applicant`, `received`, the kind's `article` (where it has one), the kind's
//! deadline (`correction_deadline`, `new_due`, `consultation_deadline` if given), the fee's
//! `fee_yuan` followed by 元, and `remedy` where it is set. A template that fails to parse,
//! names an unknown variable, or leaves out one of these gives a [`NoticeError`] naming the
//! [`Element`]. Values are plain text and are not escaped in the template; the HTML output
//! escapes everything.
//!
//! Variables of every kind (dates are strings like `2024年1月2日`):
//!
//! | variable | content |
//! |---|---|
//! | `kind` | [`NoticeKind::key`]: `receipt`, `correction`, `extension`, `consultation`, `fee`, `reply.<outcome key>` |
//! | `title` | the title |
//! | `number` | 文书编号 |
//! | `organ` | the issuing organ |
//! | `applicant` | 申请人 |
//! | `application_number` | 申请编号 |
//! | `received` | date the application was received |
//! | `request` | the information sought (final stop removed: the template ends the sentence) |
//! | `date` | the notice's date |
//! | `article` | the article that must be cited (`第三十七条`), or empty |
//! | `legal_basis` | the citation in full (`《中华人民共和国政府信息公开条例》第三十七条`), or empty |
//! | `adverse` | whether the reply is adverse ([`is_adverse`]) |
//! | `remedy` | the remedy clause, or empty |
//! | `reconsideration_first` | whether the clause is the 复议前置 one |
//! | `reconsideration_body`, `court` | the remedy organs (`court` may be empty) |
//!
//! By kind:
//!
//! | kind | variables |
//! |---|---|
//! | correction | `correction_items` (list), `correction_deadline` |
//! | extension | `extension_reason`, `new_due` |
//! | consultation | `third_party`, `question`, `consultation_deadline` (or empty) |
//! | fee | `fee_yuan` (integer), `fee_basis` (article of the measures), `fee_lines` (list: count and bands), `fee_payment` |
//! | reply | `outcome` (key, e.g. `withheld_state_secret`), `outcome_label`, `basis` (as in core), `details` (list of paragraphs), `disclosed` (list), `withheld` (list of `item`, `reason`, `ground`, `ground_label`, `basis`, `legal_basis`) |
//!
//! # Example
//!
//! ```
//! use gongkai_core::outcome::Outcome;
//! use gongkai_notice::{Details, NoticeContext, NoticeKind, NumberPattern, Reply, render};
//! use time::{Date, Month};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let number = NumberPattern::parse("{organ_short}依申告〔{year}〕{seq:3}号")?;
//! let ctx = NoticeContext {
//!     organ: "某某区人民政府办公室".into(),
//!     number: number.format("某政办", 2024, 7),
//!     applicant: "张三".into(),
//!     application_number: "2024-0007".into(),
//!     received: Date::from_calendar_date(2024, Month::March, 1)?,
//!     request: "2023年某某路改造工程的立项批复".into(),
//!     date: Date::from_calendar_date(2024, Month::March, 20)?,
//!     reconsideration_body: "某某区人民政府".into(),
//!     court: None,
//!     details: Details::Reply(Reply {
//!         details: "经检索本机关档案，未发现该批复。".into(),
//!         ..Reply::default()
//!     }),
//! };
//! let notice = render(NoticeKind::Reply(Outcome::DoesNotExist), &ctx, None)?;
//! assert!(notice.to_text().contains("第三十六条第（四）项"));
//! assert!(notice.to_text().contains("申请行政复议"));
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod context;
mod kind;
mod notice;
mod number;
mod remedy;
mod render;
#[cfg(test)]
mod tests;

pub use context::{Details, NoticeContext, Reply, WithheldPart, chinese_date};
pub use kind::NoticeKind;
pub use notice::Notice;
pub use number::{NumberPattern, NumberPatternError};
pub use remedy::{Remedy, is_adverse, remedy};
pub use render::{Element, NoticeError, render};
