//! The CJK fonts a PDF is set in: Noto Serif CJK and Noto Sans CJK from Debian's fonts-noto-cjk,
//! found at run time (the font files are not part of the program), loaded once per set of
//! directories and shared by every later PDF.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

use crate::PdfError;

/// Where Debian's fonts-noto-cjk installs the Noto CJK collections.
pub const DEFAULT_FONT_DIR: &str = "/usr/share/fonts/opentype/noto";

/// The environment variable naming the font directories (a path list, `:`-separated).
pub const FONT_DIR_VAR: &str = "GONGKAI_FONT_DIR";

/// A character every usable font set must cover: a CJK font is what the report needs.
const CJK_PROBE: char = '政';

/// The directories searched for fonts, in order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FontDirs(Vec<PathBuf>);

impl FontDirs {
    /// These directories.
    pub fn new(dirs: impl IntoIterator<Item = PathBuf>) -> Self {
        FontDirs(dirs.into_iter().collect())
    }

    /// `GONGKAI_FONT_DIR` when set and not empty, else [`DEFAULT_FONT_DIR`].
    pub fn from_env() -> Self {
        match std::env::var_os(FONT_DIR_VAR) {
            Some(v) if !v.is_empty() => FontDirs(std::env::split_paths(&v).collect()),
            _ => FontDirs(vec![PathBuf::from(DEFAULT_FONT_DIR)]),
        }
    }

    /// The directories, in search order.
    pub fn dirs(&self) -> &[PathBuf] {
        &self.0
    }
}

impl Default for FontDirs {
    fn default() -> Self {
        FontDirs::from_env()
    }
}

/// The fonts of a [`FontDirs`], parsed, with typst's book of them.
pub(crate) struct Fonts {
    pub(crate) book: LazyHash<FontBook>,
    pub(crate) fonts: Vec<Font>,
}

/// Loaded font sets by directories. Parsing the collections takes about half a second and a
/// web server renders per request, so each set is loaded once; failures are not cached, so a
/// font installed later is found.
static LOADED: Mutex<Option<HashMap<FontDirs, Arc<Fonts>>>> = Mutex::new(None);

/// The fonts of `dirs`, loaded on first use.
pub(crate) fn fonts(dirs: &FontDirs) -> Result<Arc<Fonts>, PdfError> {
    // A panic while loading leaves nothing half-inserted, so a poisoned map is still sound.
    let mut loaded = LOADED.lock().unwrap_or_else(PoisonError::into_inner);
    let map = loaded.get_or_insert_with(HashMap::new);
    if let Some(fonts) = map.get(dirs) {
        return Ok(Arc::clone(fonts));
    }
    let fonts = Arc::new(load(dirs)?);
    map.insert(dirs.clone(), Arc::clone(&fonts));
    Ok(fonts)
}

fn load(dirs: &FontDirs) -> Result<Fonts, PdfError> {
    let mut fonts = Vec::new();
    for dir in dirs.dirs() {
        for path in font_files(dir) {
            // An unreadable or foreign file is skipped: the probe below decides.
            if let Ok(data) = std::fs::read(&path) {
                fonts.extend(Font::iter(typst::foundations::Bytes::new(data)));
            }
        }
    }
    if !fonts
        .iter()
        .any(|f| f.info().coverage.contains(CJK_PROBE as u32))
    {
        return Err(PdfError::NoCjkFont {
            searched: dirs.dirs().to_vec(),
        });
    }
    Ok(Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    })
}

/// The font files directly in `dir` (TrueType, OpenType and their collections), sorted so
/// that the font book, and so the PDF, does not depend on directory order.
fn font_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                ["ttc", "otc", "otf", "ttf"].contains(&e.to_ascii_lowercase().as_str())
            })
        })
        .collect();
    files.sort();
    files
}
