//! `gongkai report consolidate` (files alone) and `report import` (a folder of an organ's
//! published reports into the database).
//!
//! Exit codes as `report check`: 0 no error-severity finding, 1 at least one, 2 a file could
//! not be read (or, for `import`, was refused); the other files are still handled.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use gongkai_report::check::{self, Finding};
use gongkai_report::consolidate::{Constituent, consolidate as sum_reports};
use gongkai_report::imported::{self, ImportedFile};
use gongkai_report::model::AnnualReport;
use gongkai_report::reader::{self, DEFAULT_MAX_FILE_BYTES};
use gongkai_store::report_import::{NewImport, sha256_hex};
use gongkai_store::{Actor, OrganScope, Store, StoreError};

use crate::platform_cmd::{DbArgs, load_config, now, open, runtime};
use crate::report_cmd::{collect, human, load_all, print_all, reason, summary};

/// Arguments of `gongkai report consolidate`.
#[derive(Debug, Args)]
pub struct ConsolidateArgs {
    /// Reports of one year and template, in any format the reader reads.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The name the consolidated report gives as its agency.
    #[arg(long)]
    pub name: Option<String>,
    /// A consolidated report as published (by the superior office) to read against the sum of
    /// FILE...: H-CONSOLIDATION names each cell that differs.
    #[arg(long, value_name = "PUBLISHED")]
    pub against: Option<PathBuf>,
}

/// Arguments of `gongkai report import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A folder (walked) or files of published reports.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The organ whose reports they are.
    #[arg(long)]
    pub organ: i64,
    /// Import a report even if the agency it names does not look like the organ's name (an
    /// organ that prints a short or an older name); the audit row records who did.
    #[arg(long)]
    pub any_agency: bool,
    #[command(flatten)]
    pub db: DbArgs,
}

/// `gongkai report consolidate`: the sum on stdout as the interchange JSON; each file's
/// findings, the sum's own findings and the consolidation's notes on stderr.
pub fn consolidate(args: ConsolidateArgs) -> anyhow::Result<ExitCode> {
    let (files, mut failed) = collect(&args.files);
    for (path, why) in &failed {
        eprintln!("gongkai: {}: {why}", path.display());
    }
    let results = load_all(&files, DEFAULT_MAX_FILE_BYTES);
    let mut constituents = Vec::new();
    let mut paths = Vec::new();
    for (path, result) in files.iter().zip(results) {
        match result {
            Ok(loaded) => {
                let cx = check::CheckContext {
                    previous: None,
                    narrative: loaded.narrative.as_deref(),
                    truncated: loaded.truncated,
                    unread: &loaded.unread,
                };
                let organ = loaded
                    .report
                    .agency
                    .clone()
                    .unwrap_or_else(|| path.display().to_string());
                constituents.push(Constituent::checked(
                    organ,
                    path.display().to_string(),
                    loaded.report.clone(),
                    &cx,
                ));
                paths.push(path.clone());
            }
            Err(why) => {
                eprintln!("gongkai: {}: {why}", path.display());
                failed.push((path.clone(), why));
            }
        }
    }
    if constituents.is_empty() {
        anyhow::bail!("没有可汇总的报告");
    }
    let read = constituents.len();
    let sum = sum_reports(args.name.as_deref(), constituents)?;
    let mut any_error = false;
    let mut by_check = std::collections::BTreeMap::new();
    let mut count = |findings: &[Finding]| {
        any_error |= check::has_error(findings);
        for f in findings {
            *by_check.entry(f.check).or_insert(0usize) += 1;
        }
    };
    for (path, c) in paths.iter().zip(&sum.constituents) {
        for f in &c.findings {
            eprintln!("{}", human(path, f));
        }
        count(&c.findings);
    }
    // The sum's own findings: a constituent's inconsistency shows in the sum as well.
    let label = PathBuf::from(format!(
        "汇总（{}）",
        args.name.as_deref().unwrap_or("未命名")
    ));
    let own = check::check(&sum.report, &check::CheckContext::default());
    for f in &own {
        eprintln!("{}", human(&label, f));
    }
    count(&own);
    for note in &sum.notes {
        eprintln!("{}: note {}", label.display(), note.message);
    }
    if let Some(path) = &args.against {
        let published = load_all(std::slice::from_ref(path), DEFAULT_MAX_FILE_BYTES)
            .pop()
            .unwrap_or_else(|| Err("读取中断".to_owned()))
            .map_err(|why| anyhow::anyhow!("{}: {why}", path.display()))?;
        let parts: Vec<&AnnualReport> = sum.constituents.iter().map(|c| &c.report).collect();
        let mut findings = Vec::new();
        check::h_consolidation::run(&published.report, &parts, &mut findings);
        for f in &findings {
            eprintln!("{}", human(path, f));
        }
        count(&findings);
    }
    let mut out = sum.report.to_json_pretty();
    out.push('\n');
    print_all(&out)?;
    eprintln!("{}", summary(read, failed.len(), &by_check));
    Ok(exit_code(!failed.is_empty(), any_error))
}

fn exit_code(failed: bool, any_error: bool) -> ExitCode {
    if failed {
        ExitCode::from(2)
    } else if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `gongkai report import`: each file read, checked (against last year's report, published or
/// imported) and stored as the organ's report of its year, with its provenance.
pub fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let config = load_config(&args.db)?;
    let (files, walk_failed) = collect(&args.paths);
    runtime()?.block_on(async move {
        let store = open(&config).await?;
        let result = import_files(&store, &args, &files, walk_failed.len()).await;
        store.close().await;
        for (path, why) in &walk_failed {
            eprintln!("gongkai: {}: {why}", path.display());
        }
        result
    })
}

async fn import_files(
    store: &Store,
    args: &ImportArgs,
    files: &[PathBuf],
    walk_failed: usize,
) -> anyhow::Result<ExitCode> {
    let organ = match store.organ(args.organ).await {
        Ok(organ) => organ,
        Err(StoreError::NotFound(_)) => anyhow::bail!("没有编号为 {} 的机关", args.organ),
        Err(e) => return Err(e.into()),
    };
    let scope = OrganScope::system(organ.id);
    let user = std::env::var("USER").unwrap_or_default();
    let actor = Actor::system(format!("report-import {user}").trim_end());
    let (mut failed, mut any_error, mut imported) = (walk_failed, false, 0usize);
    let mut by_check = std::collections::BTreeMap::new();
    for path in files {
        let (file, bytes) = match read_one(path) {
            Ok(read) => read,
            Err(why) => {
                eprintln!("gongkai: {}: {why}", path.display());
                failed += 1;
                continue;
            }
        };
        let year = match imported::admit(&file, &organ.settings.name) {
            Ok(year) => year,
            Err(imported::ImportError::OtherOrgan { .. })
                if args.any_agency && file.report.year.is_some() =>
            {
                file.report.year.unwrap_or_default()
            }
            Err(e) => {
                let hint = match e {
                    imported::ImportError::OtherOrgan { .. } => {
                        "；确属该机关的报告可加 --any-agency"
                    }
                    _ => "",
                };
                eprintln!("gongkai: {}: {e}，未导入{hint}", path.display());
                failed += 1;
                continue;
            }
        };
        let previous = store
            .previous_report(scope, year)
            .await?
            .and_then(|p| AnnualReport::from_json(&p.report).ok());
        let findings = check::check(&file.report, &file.context.check_context(previous.as_ref()));
        any_error |= check::has_error(&findings);
        let mut out = String::new();
        for f in &findings {
            *by_check.entry(f.check).or_insert(0usize) += 1;
            out.push_str(&human(path, f));
            out.push('\n');
        }
        print_all(&out)?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let sha = sha256_hex(&bytes);
        let stored = store
            .import_report(
                &actor,
                scope,
                now(),
                &NewImport {
                    year,
                    report: &file.report.to_json(),
                    context: &file.context.to_json(),
                    file_name: &name,
                    sha256: &sha,
                    format: file.format,
                    read_notes: i64::try_from(file.read_notes).unwrap_or(i64::MAX),
                },
            )
            .await
            .with_context(|| format!("{}: 保存失败", path.display()))?;
        imported += 1;
        eprintln!(
            "{}: 已导入为{} {year} 年报告（导入号 {}，{}，读取说明 {} 条，SHA-256 {}）",
            path.display(),
            organ.settings.name,
            stored.id,
            file.format,
            file.read_notes,
            &sha[..16],
        );
    }
    eprintln!("{}", summary(imported, failed, &by_check));
    Ok(exit_code(failed > 0, any_error))
}

fn read_one(path: &Path) -> Result<(ImportedFile, Vec<u8>), String> {
    let bytes = reader::read_file_limited(path, DEFAULT_MAX_FILE_BYTES).map_err(reason)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = imported::read_file(&bytes, &name).map_err(|e| match e {
        imported::ImportError::Read(e) => reason(e),
        other => other.to_string(),
    })?;
    Ok((file, bytes))
}
