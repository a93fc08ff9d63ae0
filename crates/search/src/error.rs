//! The errors of the search index. Messages are Chinese sentences: the CLI prints them, and
//! the portal may show the visitor its own fixed sentence while logging these.

use std::io;
use std::path::PathBuf;

use tantivy::TantivyError;
use tantivy::directory::error::LockError;

/// What can go wrong. Searching itself fails only for IO or a damaged index: user text never
/// makes an error (see [`crate::Query`]).
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index on disk was written by another version of the schema, the dictionary or the
    /// segmenter. Rebuild it (`SearchIndex::recreate`, then `reindex`).
    #[error(
        "检索索引需要重建：索引为“{found}”，本程序为“{expected}”。请运行 gongkai search reindex。"
    )]
    NeedsRebuild {
        /// The version line found beside the index (empty if none).
        found: String,
        /// This build's version line.
        expected: String,
    },
    /// Another process holds the index's writer lock.
    #[error("检索索引正由另一个进程写入，请稍后再试。")]
    Locked,
    /// `recreate` was pointed at a directory that holds something other than an index.
    #[error("目录 {path} 不是检索索引目录，未作任何改动。")]
    NotAnIndex {
        /// The directory.
        path: PathBuf,
    },
    /// Reading or writing the index's directory failed.
    #[error("读写检索索引目录 {path} 失败：{source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// tantivy reported an error (IO inside the index, a damaged file).
    #[error("检索索引出错：{0}")]
    Index(TantivyError),
}

impl From<TantivyError> for SearchError {
    fn from(e: TantivyError) -> Self {
        match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => SearchError::Locked,
            e => SearchError::Index(e),
        }
    }
}

pub(crate) fn io_error(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> SearchError {
    let path = path.into();
    move |source| SearchError::Io { path, source }
}
