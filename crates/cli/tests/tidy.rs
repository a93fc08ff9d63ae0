//! Tidy rules of the code base, enforced as ordinary tests (rust-analyzer's `tidy.rs` idea):
//! every Rust file opens with a `//!` doc saying what it is.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            // Build output and the fuzz crate's generated files are not ours to document.
            if name != "target" && name != "snapshots" {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_rust_file_opens_with_a_module_doc() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    rust_files(&crates, &mut files);
    assert!(
        files.len() > 50,
        "found only {} files under {}",
        files.len(),
        crates.display()
    );
    let missing: Vec<String> = files
        .iter()
        .filter(|f| std::fs::read_to_string(f).map_or(true, |text| !text.starts_with("//!")))
        .map(|f| f.display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a //! doc: {missing:#?}");
}
