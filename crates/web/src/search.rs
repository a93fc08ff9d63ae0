//! The portal's search index (`gongkai_search`) kept in step with the store.
//!
//! The store is the truth; the index is derived from it and may always be thrown away. What
//! the index holds is what the portal shows: the public version ([`Item::public`]: published
//! and 主动公开) of every item, of every organ (the search page filters by the portal organ).
//!
//! Keeping it in step works from the item ledger, not from the calls that changed it, so it
//! sees every writer — this process, another server on the same database, the CLI, the demo:
//!
//! - [`Store::item_ledger_generation`] (the ledger's size and latest event id) is compared with
//!   the pair the index was last brought to. Equal: nothing to do (one small query). The
//!   latest id moved and the count moved by as many events: the items with those events are
//!   upserted if public and removed if not (withdrawn, 不予公开). Anything else (an event
//!   committed late under a lower id, a restored database): a rebuild.
//! - A rebuild (`SearchIndex::reindex`, one commit, searches see the old index until it is
//!   done) happens at start when the directory had no index, an index of another version
//!   (`NeedsRebuild`), an empty index, or no record of the generation it holds; and after any
//!   failed write.
//! - Who asks: [`controllers::items::publish`](crate::controllers::items::publish) after each
//!   change that touches the portal, the search page before it searches, and
//!   [`keep_in_step_forever`] (started by `gongkai serve`) every few seconds.
//!
//! A failed index write never undoes the store's write (which is already committed): it is
//! logged, the record of the generation is deleted (so the next start rebuilds), and the next
//! check rebuilds. Only one process may write a directory: one that finds the writer `Locked`
//! serves search read-only from what the writer commits, logs it once, and tries again every
//! minute (see `config::SearchConfig`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use gongkai_search::{Query, Results, SearchError, SearchIndex};
use gongkai_store::item::Item;
use gongkai_store::{Location, OrganId, Store, StoreError};

use crate::config::SearchConfig;
use crate::{AppState, WebError};

/// How often `gongkai serve` checks the ledger for changes made elsewhere.
pub const CHECK_EVERY: Duration = Duration::from_secs(15);
/// How long a process that found the writer taken waits before trying again.
pub const RETRY_LOCKED: Duration = Duration::from_secs(60);
/// The file, beside the index, that records the ledger generation the index holds.
const GENERATION_FILE: &str = "gongkai-web.generation";

/// The search index's directory unless configured: beside a SQLite file
/// (`gongkai.db.search`), else `gongkai-search` in the working directory.
pub fn default_dir(database: &str) -> PathBuf {
    match Location::parse(database) {
        Location::SqliteFile(path) => {
            let mut name = path.into_os_string();
            name.push(".search");
            name.into()
        }
        Location::Postgres(_) => "gongkai-search".into(),
    }
}

/// What the index keeps of an item: its public version, or `None` if the portal does not show
/// it (not published, withdrawn, not 主动公开). `organ_names` gives the 发布机构 of a version
/// that leaves it blank (blank means the organ itself).
pub fn search_item(
    item: &Item,
    organ_names: &HashMap<OrganId, String>,
) -> Option<gongkai_search::Item> {
    let version = item.public()?;
    let progress = item.progress();
    let (_, published) = progress.first_published?;
    let c = &version.content;
    // 内容概述 and 关键词 are searched with the body; the summary first (unless the body says
    // it already), so that a snippet found there reads as the item's own description.
    let body = gongkai_search::plain_text(&c.body);
    let summary = c.summary.trim();
    let mut body_text = String::new();
    if !summary.is_empty() && !body.contains(summary) {
        body_text.push_str(summary);
        body_text.push('\n');
    }
    body_text.push_str(&body);
    if !c.keywords.trim().is_empty() {
        body_text.push_str("\n关键词：");
        body_text.push_str(c.keywords.trim());
    }
    let publisher = if c.publisher.trim().is_empty() {
        organ_names.get(&item.organ_id).cloned().unwrap_or_default()
    } else {
        c.publisher.clone()
    };
    Some(gongkai_search::Item {
        id: item.id,
        organ_id: item.organ_id,
        title: c.title.clone(),
        body_text,
        doc_number: c.doc_number.clone(),
        index_number: item.index_number.clone().unwrap_or_default(),
        publisher,
        column: c.article20.map(|n| n.to_string()).unwrap_or_default(),
        kind: c.kind.clone(),
        published,
        validity: progress.validity.key,
    })
}

/// The portal's index and what is known of how far it is in step.
pub struct PortalSearch {
    index: Arc<SearchIndex>,
    /// `None`: in memory.
    dir: Option<PathBuf>,
    /// Set by whoever learns that items may have changed; taken by whoever keeps the index.
    pending: AtomicBool,
    /// Mirrors `Upkeep::locked`, for readers that must not wait for the lock.
    read_only: AtomicBool,
    upkeep: tokio::sync::Mutex<Upkeep>,
}

struct Upkeep {
    /// The ledger generation the index holds; `None`: rebuild it from the store.
    seen: Option<(i64, i64)>,
    /// Why the next rebuild happens, for the log.
    reason: &'static str,
    /// When a write last found the writer taken by another process.
    locked: Option<Instant>,
}

/// Why keeping the index in step failed.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error("another process holds the index writer")]
    Locked,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(SearchError),
    #[error("the index task stopped: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl From<SearchError> for Failure {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::Locked => Failure::Locked,
            e => Failure::Search(e),
        }
    }
}

/// Why `gongkai search reindex` did not rebuild a directory.
#[derive(Debug, thiserror::Error)]
pub enum ReindexError {
    /// Reading the items failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The index refused (`Locked`, `NotAnIndex`, IO).
    #[error(transparent)]
    Search(#[from] SearchError),
    /// The indexing thread stopped.
    #[error("检索索引重建中断：{0}")]
    Task(#[from] tokio::task::JoinError),
}

impl PortalSearch {
    /// The index of `config`: its directory, or memory when none is set. An index of another
    /// version is recreated, and a directory that cannot be opened is logged and replaced by
    /// an index in memory, so the portal searches in any case.
    pub fn open(config: &SearchConfig) -> Result<PortalSearch, WebError> {
        let dir = &config.dir;
        if dir.as_os_str().is_empty() {
            return PortalSearch::in_memory("the index is kept in memory");
        }
        let opened = match SearchIndex::open(dir) {
            Err(SearchError::NeedsRebuild { found, expected }) => {
                tracing::warn!(dir = %dir.display(), %found, %expected, "search index of another version: recreating it");
                SearchIndex::recreate(dir)
                    .map(|index| (index, None, "the index was of another version"))
            }
            Ok(index) if index.num_items() == 0 => Ok((index, None, "the index is empty")),
            Ok(index) => match read_generation(dir) {
                Some(seen) => Ok((index, Some(seen), "")),
                None => Ok((index, None, "no record of what the index holds")),
            },
            Err(e) => Err(e),
        };
        match opened {
            Ok((index, seen, reason)) => {
                Ok(PortalSearch::with(index, Some(dir.clone()), seen, reason))
            }
            Err(e) => {
                tracing::error!(dir = %dir.display(), error = %e, "cannot open the search index: searching an index in memory instead, rebuilt from the store");
                PortalSearch::in_memory("the directory could not be opened")
            }
        }
    }

    fn in_memory(reason: &'static str) -> Result<PortalSearch, WebError> {
        let index = SearchIndex::in_memory()
            .map_err(|e| WebError::Internal(format!("search index in memory: {e}")))?;
        Ok(PortalSearch::with(index, None, None, reason))
    }

    fn with(
        index: SearchIndex,
        dir: Option<PathBuf>,
        seen: Option<(i64, i64)>,
        reason: &'static str,
    ) -> PortalSearch {
        PortalSearch {
            index: Arc::new(index),
            dir,
            // The first check compares with the store (and rebuilds if `seen` is `None`).
            pending: AtomicBool::new(true),
            read_only: AtomicBool::new(false),
            upkeep: tokio::sync::Mutex::new(Upkeep {
                seen,
                reason,
                locked: None,
            }),
        }
    }

    /// The index directory, or `None` for an index in memory.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Whether the last write found the writer taken by another process: searches read what
    /// that process commits.
    pub fn read_only(&self) -> bool {
        self.read_only.load(Ordering::SeqCst)
    }

    /// Items changed (a publication, a withdrawal, the periodic check): bring the index in
    /// step with the store now, unless this is already being done — then the one doing it
    /// goes round once more, so no change is missed. Never fails: problems are logged and
    /// leave the index to be rebuilt.
    pub async fn keep_in_step(&self, store: &Store) {
        self.pending.store(true, Ordering::SeqCst);
        self.run(store, false).await;
    }

    /// Before a search: one look at the store's ledger (changes made by other processes),
    /// unless the index is being brought in step right now (then the search reads it as it
    /// is). A search never sets `pending`, so a busy portal cannot keep a publisher's request
    /// going round.
    pub async fn refresh(&self, store: &Store) {
        self.run(store, true).await;
    }

    async fn run(&self, store: &Store, mut once: bool) {
        loop {
            let Ok(mut upkeep) = self.upkeep.try_lock() else {
                return;
            };
            loop {
                // A check covers every change committed before it, announced or not.
                let announced = self.pending.swap(false, Ordering::SeqCst);
                if !(std::mem::take(&mut once) || announced) {
                    break;
                }
                self.check(store, &mut upkeep).await;
            }
            drop(upkeep);
            // A change announced between the last round and the unlock would be missed.
            if !self.pending.load(Ordering::SeqCst) {
                return;
            }
        }
    }

    /// Searches (on a blocking thread: tantivy reads files).
    pub async fn search(&self, query: Query) -> Result<Results, WebError> {
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || index.search(&query))
            .await
            .map_err(|e| WebError::Internal(format!("search task: {e}")))?
            .map_err(|e| WebError::Internal(format!("search: {e}")))
    }

    /// Items searchable now.
    pub fn num_items(&self) -> u64 {
        self.index.num_items()
    }

    async fn check(&self, store: &Store, upkeep: &mut Upkeep) {
        if upkeep.locked.is_some_and(|at| at.elapsed() < RETRY_LOCKED) {
            return;
        }
        let generation = match store.item_ledger_generation().await {
            Ok(generation) => generation,
            Err(e) => {
                tracing::warn!(error = %e, "search index: reading the item ledger failed");
                return;
            }
        };
        if upkeep.locked.is_some()
            && let Some(theirs) = self.dir.as_deref().and_then(read_generation)
        {
            // The writer has brought the shared directory this far: take over from there.
            upkeep.seen = Some(theirs);
        }
        let done = match upkeep.seen {
            Some(seen) if seen == generation => return,
            Some(seen) => self.catch_up(store, seen, generation).await,
            None => self.rebuild(store, upkeep.reason).await,
        };
        match done {
            Ok(()) => {
                if upkeep.locked.take().is_some() {
                    tracing::info!(dir = %self.shown(), "search index: this process now holds the writer");
                }
                self.read_only.store(false, Ordering::SeqCst);
                upkeep.seen = Some(generation);
                upkeep.reason = "";
                self.record(Some(generation));
            }
            Err(Failure::Locked) => {
                if upkeep.locked.is_none() {
                    tracing::warn!(dir = %self.shown(), "search index: another process holds the writer; serving search read-only from what it commits");
                }
                upkeep.locked = Some(Instant::now());
                self.read_only.store(true, Ordering::SeqCst);
            }
            Err(e) => {
                tracing::error!(dir = %self.shown(), error = %e, "search index: update failed; it will be rebuilt from the store");
                upkeep.seen = None;
                upkeep.reason = "a write to the index failed";
                self.record(None);
            }
        }
    }

    /// Applies the items with events after `seen` — if the ledger grew by exactly those
    /// events; otherwise rebuilds.
    async fn catch_up(
        &self,
        store: &Store,
        seen: (i64, i64),
        generation: (i64, i64),
    ) -> Result<(), Failure> {
        let (seen_count, seen_latest) = seen;
        let (count, latest) = generation;
        if latest < seen_latest || count < seen_count {
            return self.rebuild(store, "the item ledger shrank").await;
        }
        let changed = store.items_changed_after(seen_latest).await?;
        let new_events = changed
            .iter()
            .flat_map(|i| &i.events)
            .filter(|e| e.id > seen_latest && e.id <= latest)
            .count();
        if usize::try_from(count - seen_count).ok() != Some(new_events) {
            return self
                .rebuild(store, "an item event was committed out of order")
                .await;
        }
        let names = organ_names(store, &changed).await?;
        let docs: Vec<Result<gongkai_search::Item, i64>> = changed
            .iter()
            .map(|item| search_item(item, &names).ok_or(item.id))
            .collect();
        let index = self.index.clone();
        tokio::task::spawn_blocking(move || {
            for doc in &docs {
                match doc {
                    Ok(doc) => index.upsert(doc)?,
                    Err(id) => index.remove(*id)?,
                }
            }
            index.commit()
        })
        .await??;
        for item in &changed {
            tracing::debug!(
                item.id = item.id,
                public = item.public().is_some(),
                "search index updated"
            );
        }
        Ok(())
    }

    async fn rebuild(&self, store: &Store, reason: &'static str) -> Result<(), Failure> {
        let started = Instant::now();
        let (docs, _) = published_items(store).await?;
        let index = self.index.clone();
        let count = tokio::task::spawn_blocking(move || index.reindex(docs)).await??;
        tracing::info!(
            dir = %self.shown(),
            items = count,
            reason,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "search index rebuilt from the store"
        );
        Ok(())
    }

    /// Records the generation the directory's index holds (`None`: unknown, rebuild at the
    /// next start). Written to a new file and renamed, so a reader never sees half of it.
    fn record(&self, generation: Option<(i64, i64)>) {
        let Some(dir) = &self.dir else {
            return;
        };
        let path = dir.join(GENERATION_FILE);
        let result = match generation {
            Some(g) => write_generation(dir, g),
            None => match std::fs::remove_file(&path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                other => other,
            },
        };
        if let Err(e) = result {
            tracing::warn!(file = %path.display(), error = %e, "search index: cannot record its state");
        }
    }

    fn shown(&self) -> String {
        self.dir
            .as_ref()
            .map_or_else(|| "(memory)".to_owned(), |d| d.display().to_string())
    }
}

impl std::fmt::Debug for PortalSearch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalSearch")
            .field("dir", &self.dir)
            .field("read_only", &self.read_only())
            .finish_non_exhaustive()
    }
}

/// Every public item as the index keeps it, and the ledger generation taken before reading
/// them (so that anything later is applied by the next check).
async fn published_items(
    store: &Store,
) -> Result<(Vec<gongkai_search::Item>, (i64, i64)), StoreError> {
    let generation = store.item_ledger_generation().await?;
    let items = store.every_published_item().await?;
    let names = organ_names(store, &items).await?;
    let docs = items
        .iter()
        .filter_map(|i| search_item(i, &names))
        .collect();
    Ok((docs, generation))
}

/// The names of the organs of `items`.
async fn organ_names(
    store: &Store,
    items: &[Item],
) -> Result<HashMap<OrganId, String>, StoreError> {
    let mut names = HashMap::new();
    if items.is_empty() {
        return Ok(names);
    }
    for organ in store.organs().await? {
        names.insert(organ.id, organ.settings.name);
    }
    Ok(names)
}

fn read_generation(dir: &Path) -> Option<(i64, i64)> {
    let text = std::fs::read_to_string(dir.join(GENERATION_FILE)).ok()?;
    let mut parts = text.split_whitespace().map(str::parse::<i64>);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(count)), Some(Ok(latest)), None) => Some((count, latest)),
        _ => None,
    }
}

fn write_generation(dir: &Path, (count, latest): (i64, i64)) -> std::io::Result<()> {
    let path = dir.join(GENERATION_FILE);
    let partial = dir.join(format!("{GENERATION_FILE}.{}", std::process::id()));
    std::fs::write(&partial, format!("{count} {latest}\n"))?;
    std::fs::rename(&partial, &path)
}

/// Rebuilds the index in `dir` from the store (`gongkai search reindex`); the number of items
/// indexed. An index of another version or a damaged one is recreated first. Refused with
/// [`SearchError::Locked`] while another process (a server) holds the directory's writer.
pub async fn reindex_directory(store: &Store, dir: &Path) -> Result<usize, ReindexError> {
    let index = match SearchIndex::open(dir) {
        Ok(index) => index,
        Err(SearchError::NeedsRebuild { .. } | SearchError::Index(_)) => {
            SearchIndex::recreate(dir)?
        }
        Err(e) => return Err(e.into()),
    };
    let (docs, generation) = published_items(store).await?;
    let count = tokio::task::spawn_blocking(move || index.reindex(docs)).await??;
    // A server started later takes over from here instead of rebuilding again.
    write_generation(dir, generation).map_err(|source| SearchError::Io {
        path: dir.join(GENERATION_FILE),
        source,
    })?;
    Ok(count)
}

/// Keeps the index in step for as long as the server runs: at once (the start-up rebuild, if
/// one is due, happens here rather than on a visitor's search), then every [`CHECK_EVERY`]
/// for changes made by other processes.
pub async fn keep_in_step_forever(state: AppState) {
    // The segmenter's dictionary loads once; better now than on the first visitor's search.
    if let Err(e) = tokio::task::spawn_blocking(gongkai_search::warm_up).await {
        tracing::warn!(error = %e, "loading the search dictionary failed");
    }
    let mut tick = tokio::time::interval(CHECK_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        state.search.keep_in_step(&state.store).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_directory_is_beside_a_sqlite_file() {
        assert_eq!(
            default_dir("gongkai.db"),
            PathBuf::from("gongkai.db.search")
        );
        assert_eq!(
            default_dir("sqlite:/srv/data/kfq.db"),
            PathBuf::from("/srv/data/kfq.db.search")
        );
        assert_eq!(
            default_dir("postgres://gongkai@db/gongkai"),
            PathBuf::from("gongkai-search")
        );
    }

    #[test]
    fn the_generation_record_round_trips_and_refuses_garbage() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_generation(dir.path()), None);
        write_generation(dir.path(), (13, 42)).unwrap();
        assert_eq!(read_generation(dir.path()), Some((13, 42)));
        std::fs::write(dir.path().join(GENERATION_FILE), "13 42 7\n").unwrap();
        assert_eq!(read_generation(dir.path()), None);
        std::fs::write(dir.path().join(GENERATION_FILE), "x 1\n").unwrap();
        assert_eq!(read_generation(dir.path()), None);
    }
}
