//! `gongkai search reindex`: rebuilds the portal's search index from the database.
//!
//! The index is derived data (`gongkai_web::search`): servers rebuild it themselves when it is
//! missing, of another version or after a failed write, and keep it in step from the item
//! ledger. This command is for the operator who wants a fresh one now (after restoring a
//! backup, say). The directory is `[search] dir` / `GONGKAI_SEARCH_DIR`, else beside the SQLite
//! file (`gongkai.db.search`), else `./gongkai-search`. A directory whose writer a running
//! server holds is left alone (exit 1): the server keeps it in step.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use gongkai_search::SearchError;
use gongkai_web::search::{ReindexError, default_dir, reindex_directory};

use crate::platform_cmd::{DbArgs, load_config, open, runtime};

/// Subcommands of `gongkai search`.
#[derive(Debug, Subcommand)]
pub enum SearchCommand {
    /// Rebuild the search index of published items from the database; prints the count.
    Reindex(ReindexArgs),
}

/// Arguments of `gongkai search reindex`.
#[derive(Debug, Args)]
pub struct ReindexArgs {
    #[command(flatten)]
    db: DbArgs,
}

/// Runs a `gongkai search` command.
pub fn run(cmd: SearchCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        SearchCommand::Reindex(args) => reindex(args),
    }
}

/// The index directory the configuration names, or the one `serve` uses by default.
pub(crate) fn search_dir(config: &gongkai_web::Config) -> PathBuf {
    if config.search.dir.as_os_str().is_empty() {
        default_dir(&config.database.url)
    } else {
        config.search.dir.clone()
    }
}

fn reindex(args: ReindexArgs) -> anyhow::Result<ExitCode> {
    let config = load_config(&args.db)?;
    let dir = search_dir(&config);
    runtime()?.block_on(async move {
        let store = open(&config).await?;
        let result = reindex_directory(&store, &dir).await;
        store.close().await;
        match result {
            Ok(count) => {
                println!("检索索引已重建：{count} 条信息（{}）。", dir.display());
                Ok(ExitCode::SUCCESS)
            }
            Err(ReindexError::Search(SearchError::Locked)) => {
                eprintln!(
                    "gongkai: 检索索引目录 {} 正由运行中的服务写入，未重建。服务会自行保持索引与数据库一致；如需重建，请先停止该服务。",
                    dir.display()
                );
                Ok(ExitCode::from(1))
            }
            Err(ReindexError::Search(SearchError::NotAnIndex { path })) => {
                eprintln!(
                    "gongkai: 目录 {} 不是检索索引目录，未作任何改动。请用 [search] dir 或 GONGKAI_SEARCH_DIR 指定另一个目录。",
                    path.display()
                );
                Ok(ExitCode::from(1))
            }
            Err(e) => Err(anyhow::Error::new(e).context(format!("rebuilding {}", dir.display()))),
        }
    })
}
