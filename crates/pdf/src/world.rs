//! The typst world of one report: the embedded template as the only source, the report as
//! `sys.inputs`, the cached fonts, and no clock, files or packages.

use std::sync::{Arc, LazyLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::fonts::Fonts;

/// The template: layout only; every text it prints comes from `sys.inputs`.
const TEMPLATE: &str = include_str!("report.typ");

static MAIN: LazyLock<FileId> = LazyLock::new(|| {
    let path = VirtualPath::new("/report.typ").unwrap_or_else(|_| unreachable!("a valid path"));
    FileId::new(RootedPath::new(VirtualRoot::Project, path))
});

pub(crate) struct ReportWorld {
    library: LazyHash<Library>,
    fonts: Arc<Fonts>,
    main: Source,
}

impl ReportWorld {
    pub(crate) fn new(inputs: Dict, fonts: Arc<Fonts>) -> Self {
        ReportWorld {
            library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
            fonts,
            main: Source::new(*MAIN, TEMPLATE.to_owned()),
        }
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        *MAIN
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == *MAIN {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *MAIN {
            Ok(Bytes::from_string(TEMPLATE))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    /// No clock: the PDF depends on the report alone.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
