//! Chinese full-text search over published information items (信息公开目录).
//!
//! A [`SearchIndex`] is a tantivy index whose title, body and metadata are segmented by jieba
//! in search mode with a domain dictionary (the `tokenize` module's documentation explains
//! positions and offsets), beside exact keyword fields for 文号 and 索引号 in a normal form
//! ([`normalize_identifier`]). A [`Query`] is a visitor's text plus the portal's filters; the
//! text is read by our own code, never by tantivy's query parser, so no input makes an error.
//! Identifier-shaped text is tried as an exact 文号/索引号 first and those hits come first.
//! [`Results`] carry HTML titles and snippets with `<em>` marks, escaped.
//!
//! ```
//! use gongkai_search::{Item, Query, SearchIndex};
//! # fn main() -> Result<(), gongkai_search::SearchError> {
//! let index = SearchIndex::in_memory()?;
//! index.upsert(&Item {
//!     id: 1,
//!     organ_id: 7,
//!     title: "关于调整信息处理费收费标准的通知".into(),
//!     body_text: gongkai_search::plain_text("<p>按件计收&nbsp;信息处理费。</p>"),
//!     doc_number: "国办函〔2020〕109号".into(),
//!     index_number: "000014349/2020-00109".into(),
//!     publisher: "国务院办公厅".into(),
//!     column: "fees".into(),
//!     kind: "notice".into(),
//!     published: time::Date::from_calendar_date(2020, time::Month::November, 6).unwrap(),
//!     validity: "valid".into(),
//! })?;
//! index.commit()?;
//! let results = index.search(&Query::new("国办函(2020)109号"))?;
//! assert_eq!(results.hits[0].id, 1);
//! assert!(results.hits[0].exact);
//! # Ok(()) }
//! ```
//!
//! **API boundary:** this crate knows no store or web types. The store hands it [`Item`]s
//! (on publish: `upsert` + `commit`; on `gongkai search reindex`: [`SearchIndex::reindex`]),
//! the portal hands it a [`Query`] and renders [`Results`].
#![deny(missing_docs)]

mod dictionary;
mod error;
mod html;
mod identifier;
mod index;
mod item;
mod query;
mod schema;
mod snippet;
mod tokenize;

pub use error::SearchError;
pub use html::plain_text;
pub use identifier::{looks_like_identifier, normalize as normalize_identifier};
pub use index::{Hit, Reindex, Results, SearchIndex};
pub use item::Item;
pub use query::{DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, MAX_QUERY_CHARS, Order, Query};
pub use schema::version_line;
pub use tokenize::warm_up;
