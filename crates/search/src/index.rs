//! The search index: opening, writing, searching.

use std::fs;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query as TantivyQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order as SortOrder, ReloadPolicy, Searcher,
    TantivyDocument, Term,
};

use crate::error::{SearchError, io_error};
use crate::item::Item;
use crate::query::{self, MAX_PAGE, Order, Parsed, Query};
use crate::schema::{self, Fields, version_line};
use crate::snippet;
use crate::tokenize::{JiebaTokenizer, TOKENIZER_NAME};

/// The file beside the index that holds the version line it was written under.
const VERSION_FILE: &str = "gongkai-search.version";
/// At most this many exact 文号/索引号 hits are put on top (identifiers are near unique).
const MAX_EXACT: usize = 20;

/// One search hit.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The item's id.
    pub id: i64,
    /// The title as HTML: escaped, matches in `<em>`.
    pub title_html: String,
    /// About 120 characters of the body around the best match, as HTML like the title, with
    /// `…` where it was cut.
    pub snippet_html: String,
    /// BM25 score under [`Order::Relevance`]; 0 under [`Order::Newest`], for a blank query and
    /// for exact hits (which are ranked by being exact, newest first).
    pub score: f32,
    /// The item was found by its exact 文号 or 索引号 (these come first).
    pub exact: bool,
}

/// One page of hits.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// Items matching the query and filters, over all pages.
    pub total: usize,
    /// The page served (after bounds: see [`Query::bounded_page`]).
    pub page: u32,
    /// The page size served.
    pub per_page: u32,
    /// This page's hits.
    pub hits: Vec<Hit>,
}

/// A tantivy index of information items, segmented with jieba.
///
/// Writes (`upsert`, `remove`) are buffered and become visible at `commit`: a single publish
/// is `upsert` + `commit`; a bulk reindex is [`SearchIndex::reindex`] (or
/// [`SearchIndex::begin_reindex`] for a fallible source), which replaces everything in one
/// commit so searches see the old index until the new one is complete. The writer (and the
/// directory's lock) is taken at the first write, so processes that only search can share a
/// directory with one that writes.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    writer: Mutex<Option<IndexWriter>>,
    threads: usize,
    heap_bytes: usize,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if there is none.
    /// An index written under another version line (schema, dictionary, segmenter) is not
    /// opened: the error is [`SearchError::NeedsRebuild`]; see [`SearchIndex::recreate`].
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, SearchError> {
        let dir = dir.as_ref();
        fs::create_dir_all(dir).map_err(io_error(dir))?;
        if !dir.join("meta.json").exists() {
            let (schema, fields) = schema::build();
            let index = Index::create_in_dir(dir, schema)?;
            // Written after the index: a crash in between leaves an index without a version,
            // which reads as "rebuild", never as a wrongly trusted index.
            let path = dir.join(VERSION_FILE);
            fs::write(&path, format!("{}\n", version_line())).map_err(io_error(path))?;
            return Self::with(index, fields, disk_threads(), 128_000_000);
        }
        let found = read_version(dir)?;
        if found != version_line() {
            return Err(SearchError::NeedsRebuild {
                found,
                expected: version_line(),
            });
        }
        let index = Index::open_in_dir(dir)?;
        let fields = schema::check(&index.schema(), &found)?;
        Self::with(index, fields, disk_threads(), 128_000_000)
    }

    /// Whether the index in `dir` must be rebuilt before [`SearchIndex::open`] accepts it.
    /// A directory without an index needs none (`open` creates it).
    pub fn needs_rebuild(dir: impl AsRef<Path>) -> Result<bool, SearchError> {
        let dir = dir.as_ref();
        if !dir.join("meta.json").exists() {
            return Ok(false);
        }
        let found = read_version(dir)?;
        if found != version_line() {
            return Ok(true);
        }
        let index = Index::open_in_dir(dir)?;
        Ok(schema::check(&index.schema(), &found).is_err())
    }

    /// Deletes the index in `dir` (whatever its version) and opens a new empty one, for
    /// `gongkai search reindex` after [`SearchError::NeedsRebuild`]. Refuses a directory that
    /// holds files but no index ([`SearchError::NotAnIndex`]) and an index another process is
    /// writing ([`SearchError::Locked`]).
    pub fn recreate(dir: impl AsRef<Path>) -> Result<Self, SearchError> {
        let dir = dir.as_ref();
        if dir.exists() {
            let is_index = dir.join("meta.json").exists() || dir.join(VERSION_FILE).exists();
            let mut entries = fs::read_dir(dir).map_err(io_error(dir))?;
            if !is_index && entries.next().is_some() {
                return Err(SearchError::NotAnIndex {
                    path: dir.to_path_buf(),
                });
            }
            if is_index {
                if let Ok(old) = Index::open_in_dir(dir) {
                    // Taking the writer's lock (and letting it go) proves nobody is writing.
                    let writer: IndexWriter = old.writer_with_num_threads(1, 15_000_000)?;
                    drop(writer);
                }
                for entry in fs::read_dir(dir).map_err(io_error(dir))? {
                    let path = entry.map_err(io_error(dir))?.path();
                    if path.is_file() {
                        fs::remove_file(&path).map_err(io_error(&path))?;
                    }
                }
            }
        }
        Self::open(dir)
    }

    /// A new empty index in memory (tests, the benchmark).
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema::build();
        Self::with(Index::create_in_ram(schema), fields, 1, 32_000_000)
    }

    fn with(
        index: Index,
        fields: Fields,
        threads: usize,
        heap_bytes: usize,
    ) -> Result<Self, SearchError> {
        index
            .tokenizers()
            .register(TOKENIZER_NAME, TextAnalyzer::from(JiebaTokenizer));
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            writer: Mutex::new(None),
            threads,
            heap_bytes,
        })
    }

    /// The number of items searchable now.
    pub fn num_items(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Adds `item`, replacing any item with its id. Visible after [`SearchIndex::commit`].
    pub fn upsert(&self, item: &Item) -> Result<(), SearchError> {
        let mut guard = self.writer()?;
        let writer = writer_in(&mut guard)?;
        writer.delete_term(Term::from_field_i64(self.fields.id, item.id));
        writer.add_document(schema::document(&self.fields, item))?;
        Ok(())
    }

    /// Removes the item with `id` (nothing if there is none). Visible after commit.
    pub fn remove(&self, id: i64) -> Result<(), SearchError> {
        let mut guard = self.writer()?;
        writer_in(&mut guard)?.delete_term(Term::from_field_i64(self.fields.id, id));
        Ok(())
    }

    /// Makes every write so far visible to searches (and durable, for an index on disk).
    pub fn commit(&self) -> Result<(), SearchError> {
        let mut guard = self.writer()?;
        writer_in(&mut guard)?.commit()?;
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    /// Removes every item, at once (committed).
    pub fn clear(&self) -> Result<(), SearchError> {
        let mut guard = self.writer()?;
        let writer = writer_in(&mut guard)?;
        writer.delete_all_documents()?;
        writer.commit()?;
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    /// Replaces the whole index by `items` in one commit; returns how many were indexed.
    /// Searches see the old index until it is done; on an error nothing changes.
    pub fn reindex(&self, items: impl IntoIterator<Item = Item>) -> Result<usize, SearchError> {
        let mut batch = self.begin_reindex()?;
        for item in items {
            batch.add(&item)?;
        }
        batch.finish()
    }

    /// Starts replacing the whole index, for a source that can fail half-way (a database
    /// stream): [`Reindex::add`] each item, then [`Reindex::finish`]. Dropping the handle
    /// unfinished rolls everything back. Writes buffered (not committed) before it began are
    /// dropped: commit them first if they matter.
    pub fn begin_reindex(&self) -> Result<Reindex<'_>, SearchError> {
        let mut guard = self.writer()?;
        let writer = writer_in(&mut guard)?;
        // Writes buffered before the reindex are dropped first: some may still sit in an
        // indexing thread, where `delete_all_documents` would not reach them. The reindex
        // reads everything from the store anyway.
        writer.rollback()?;
        writer.delete_all_documents()?;
        Ok(Reindex {
            index: self,
            guard: Some(guard),
            added: 0,
        })
    }

    fn writer(&self) -> Result<WriterGuard<'_>, SearchError> {
        // A panic while writing leaves at worst uncommitted documents, which the next commit
        // or rollback settles; the lock itself carries no broken invariant.
        let mut guard = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        if guard.is_none() {
            *guard = Some(
                self.index
                    .writer_with_num_threads(self.threads, self.heap_bytes)?,
            );
        }
        Ok(guard)
    }

    /// Searches. Fails only if the index cannot be read; any text is accepted (see [`Query`]).
    pub fn search(&self, q: &Query) -> Result<Results, SearchError> {
        let parsed = query::parse(&q.text);
        let page = q.bounded_page();
        let per_page = q.bounded_per_page();
        let searcher = self.reader.searcher();

        let exact = self.exact_hits(&searcher, &parsed, q)?;
        let rest_query = self.rest_query(&searcher, &parsed, q, &exact);

        let size = per_page as usize;
        let offset = (page as usize - 1).saturating_mul(size);
        let mut hits: Vec<Hit> = Vec::new();
        let rest_total;
        if page > MAX_PAGE {
            rest_total = rest_query.map_or(Ok(0), |q| searcher.search(&q, &Count))?;
        } else {
            for (address, score) in exact.iter().skip(offset).take(size) {
                hits.push(self.hit(&searcher, &parsed, *address, *score, true)?);
            }
            let rest_offset = offset.saturating_sub(exact.len());
            let rest_size = size - hits.len();
            let ranked = !parsed.clauses.is_empty() && q.order == Order::Relevance;
            let (total, found) = match rest_query {
                None => (0, Vec::new()),
                Some(q) if rest_size == 0 => (searcher.search(&q, &Count)?, Vec::new()),
                Some(q) if ranked => searcher.search(
                    &q,
                    &(
                        Count,
                        TopDocs::with_limit(rest_size)
                            .and_offset(rest_offset)
                            .order_by_score(),
                    ),
                )?,
                Some(q) => {
                    let (total, newest) = searcher.search(
                        &q,
                        &(
                            Count,
                            TopDocs::with_limit(rest_size)
                                .and_offset(rest_offset)
                                .order_by_fast_field::<u64>("recency", SortOrder::Desc),
                        ),
                    )?;
                    (total, newest.into_iter().map(|(_, a)| (0.0, a)).collect())
                }
            };
            rest_total = total;
            for (score, address) in found {
                hits.push(self.hit(&searcher, &parsed, address, score, false)?);
            }
        }
        Ok(Results {
            total: exact.len() + rest_total,
            page,
            per_page,
            hits,
        })
    }

    /// Items whose 文号 or 索引号 is exactly an identifier of the query, newest first.
    fn exact_hits(
        &self,
        searcher: &Searcher,
        parsed: &Parsed,
        q: &Query,
    ) -> Result<Vec<(DocAddress, f32)>, SearchError> {
        if parsed.identifiers.is_empty() {
            return Ok(Vec::new());
        }
        let mut clauses = vec![(
            Occur::Must,
            query::identifier_query(&self.fields, &parsed.identifiers),
        )];
        clauses.extend(query::filters(&self.fields, q));
        let found = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(MAX_EXACT).order_by_fast_field::<u64>("recency", SortOrder::Desc),
        )?;
        Ok(found.into_iter().map(|(_, a)| (a, 0.0)).collect())
    }

    /// The word search (or, for blank text, everything), minus the exact hits. `None` when
    /// the text had no searchable word.
    fn rest_query(
        &self,
        searcher: &Searcher,
        parsed: &Parsed,
        q: &Query,
        exact: &[(DocAddress, f32)],
    ) -> Option<BooleanQuery> {
        let text: Box<dyn TantivyQuery> = match query::text_query(&self.fields, parsed) {
            Some(text) => text,
            None if parsed.blank => Box::new(AllQuery),
            None => return None,
        };
        let mut clauses = vec![(Occur::Must, text)];
        clauses.extend(query::filters(&self.fields, q));
        for (address, _) in exact {
            if let Some(id) = self.stored_id(searcher, *address) {
                clauses.push((
                    Occur::MustNot,
                    Box::new(TermQuery::new(
                        Term::from_field_i64(self.fields.id, id),
                        IndexRecordOption::Basic,
                    )),
                ));
            }
        }
        Some(BooleanQuery::new(clauses))
    }

    fn stored_id(&self, searcher: &Searcher, address: DocAddress) -> Option<i64> {
        let doc: TantivyDocument = searcher.doc(address).ok()?;
        doc.get_first(self.fields.id).and_then(|v| v.as_i64())
    }

    fn hit(
        &self,
        searcher: &Searcher,
        parsed: &Parsed,
        address: DocAddress,
        score: f32,
        exact: bool,
    ) -> Result<Hit, SearchError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("");
        Ok(Hit {
            id: doc
                .get_first(self.fields.id)
                .and_then(|v| v.as_i64())
                .unwrap_or_default(),
            title_html: snippet::highlight(text(self.fields.title), &parsed.highlight),
            snippet_html: snippet::snippet(text(self.fields.body), &parsed.highlight),
            score,
            exact,
        })
    }
}

type WriterGuard<'a> = MutexGuard<'a, Option<IndexWriter>>;

fn writer_in<'g>(guard: &'g mut WriterGuard<'_>) -> Result<&'g mut IndexWriter, SearchError> {
    guard.as_mut().ok_or_else(|| {
        SearchError::Index(tantivy::TantivyError::InternalError(
            "the writer was not opened".to_owned(),
        ))
    })
}

/// A reindex in progress: holds the writer until [`Reindex::finish`] or drop (rollback).
pub struct Reindex<'a> {
    index: &'a SearchIndex,
    guard: Option<WriterGuard<'a>>,
    added: usize,
}

impl Reindex<'_> {
    /// Adds one item (ids are expected unique in a reindex; a repeated id is kept twice).
    pub fn add(&mut self, item: &Item) -> Result<(), SearchError> {
        let Some(guard) = self.guard.as_mut() else {
            return Ok(());
        };
        writer_in(guard)?.add_document(schema::document(&self.index.fields, item))?;
        self.added += 1;
        Ok(())
    }

    /// Commits the new index, waits for tantivy's segment merges (so the index is compact for
    /// searching) and lets the writer's lock go. Returns the number of items indexed.
    pub fn finish(mut self) -> Result<usize, SearchError> {
        let Some(mut guard) = self.guard.take() else {
            return Ok(self.added);
        };
        writer_in(&mut guard)?.commit()?;
        if let Some(writer) = guard.take() {
            writer.wait_merging_threads()?;
        }
        drop(guard);
        self.index.reader.reload()?;
        Ok(self.added)
    }
}

impl Drop for Reindex<'_> {
    fn drop(&mut self) {
        if let Some(mut guard) = self.guard.take()
            && let Some(writer) = guard.as_mut()
        {
            // Nothing to report to: the caller already has the error that made it stop.
            let _ = writer.rollback();
        }
    }
}

fn read_version(dir: &Path) -> Result<String, SearchError> {
    let path = dir.join(VERSION_FILE);
    match fs::read_to_string(&path) {
        Ok(line) => Ok(line.trim().to_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(SearchError::Io { path, source: e }),
    }
}

fn disk_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(2))
}
