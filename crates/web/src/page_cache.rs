//! The cache of rendered public pages.
//!
//! Public pages change only through writes, and writes are rare, so the portal keeps each page
//! as it was rendered, with its brotli and gzip forms and a strong ETag, and answers a repeated
//! request from memory: no template, no database query, no session lookup. [`layer`] is the
//! outermost middleware: a hit is counted and logged as `ops::observe` does for any response,
//! and carries the security headers `observe` gave the page when it was rendered, and nothing
//! else runs for it. [`PageCache`] holds the pages.
//!
//! **What is kept.** The answer to an anonymous `GET` of a public page, keyed by path and query
//! and by the one variant pages depend on, the 长者模式 cookie. A request carrying a staff
//! session cookie passes by the cache entirely (its pages show the staff bar), and so do the
//! paths of [`NEVER`]: the console, log-in, the API, operations, and the forms and tracking
//! pages of 依申请公开 (they carry forms, cookies or an applicant's data). Of the rest only a
//! `200` HTML or XML response without `Set-Cookie` and without a `Cache-Control` of its own is
//! kept: a handler that sends `Cache-Control` (`no-store` for a page with personal data) has
//! decided about caching itself and is left alone.
//!
//! **Invalidation.** Every successful (2xx, 3xx) non-GET request handled by this process clears
//! the whole cache when its response is ready: writes come through such requests (console, API,
//! portal forms) and they are rare, so no page needs to know which records it shows. Writes by
//! other processes (the CLI, a second server on the same database) are caught by the store's
//! write generation ([`gongkai_store::Store::audit_generation`]: every write adds an audit row),
//! checked by the first request after a second has passed on the app's clock; a change clears
//! the cache. **So a page may be up to about one second stale after a write by another
//! process**, never after a write by this one. A new Beijing day clears it too, as what pages
//! derive from dates (a 意见征集 open or closed) changes with the day alone; a handler whose page
//! changes by the hour, or depends on anything but the store and the date, sends its own
//! `Cache-Control` and is not kept.
//!
//! **HTTP.** `Cache-Control: no-cache` with the ETag, rather than `max-age`: a browser or proxy
//! may keep the page but asks again each time, and gets a bodiless `304` while it is unchanged.
//! The portal is the organ's official publication channel; a `max-age` would let a withdrawn or
//! corrected page (a 指南 with a wrong address, an item published by mistake) be shown for that
//! long after the organ changed it, with no way to call it back. `Vary: Accept-Encoding,
//! Cookie` tells shared caches that the encoding and the 长者模式 (or a session) make a
//! different page. The coding follows `Accept-Encoding` and its q-values (brotli on a tie, as
//! it is about a quarter smaller than gzip here). Each coding has its own ETag (`"…"` for the
//! plain bytes, `"…-br"`, `"…-gz"`), as strong ETags of different bytes must differ; any of
//! them revalidates the page.
//!
//! **Memory.** At most [`Limits::entries`] pages and [`Limits::bytes`] bytes (bodies, encodings
//! and keys); the oldest pages go first. A page larger than [`Limits::page_bytes`] is not kept.

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::{AppState, WebError, cookies};

/// Path prefixes never served from the cache: staff pages, machines' endpoints, and the pages
/// of 依申请公开 that carry forms, cookies or an applicant's data (its index page is kept).
pub const NEVER: &[&str] = &[
    "/console",
    "/login",
    "/logout",
    "/api",
    "/metrics",
    "/healthz",
    "/zhangzhe",
    "/static/",
    "/zwgk/ysqgk/",
];

/// How often, in seconds of the app's clock, the store's write generation is read: the bound
/// on how stale a page can be after a write by another process.
pub const CHECK_SECONDS: i64 = 1;

/// What the cache keeps at most.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Pages.
    pub entries: usize,
    /// Bytes of bodies, their encodings and keys.
    pub bytes: usize,
    /// Bytes of one page's body; a larger page is served but not kept.
    pub page_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // A portal page is 5–40 KB; a few thousand of them cover a large organ's site.
        Limits {
            entries: 4096,
            bytes: 64 * 1024 * 1024,
            page_bytes: 1024 * 1024,
        }
    }
}

/// The variant of a page: the 长者模式 switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    Normal = 0,
    Elder = 1,
}

/// The rendered pages.
#[derive(Debug)]
pub struct PageCache {
    pages: RwLock<Pages>,
    limits: Limits,
    /// Bumped by every clear: a page rendered before a clear is not stored after it.
    epoch: AtomicU64,
    /// When the write generation was last read (app clock seconds).
    checked_at: AtomicI64,
    /// The store's write generation and the Beijing day, as last read.
    generation: Mutex<Option<(i64, i64, i32)>>,
    hits: AtomicU64,
    misses: AtomicU64,
    clears: AtomicU64,
}

#[derive(Debug, Default)]
struct Pages {
    /// One map per [`Variant`], so that a lookup borrows the request's path.
    maps: [HashMap<Box<str>, Arc<Page>>; 2],
    /// Insertion order, for eviction.
    order: VecDeque<(Variant, Box<str>)>,
    bytes: usize,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache::new(Limits::default())
    }
}

impl PageCache {
    /// An empty cache within `limits`.
    pub fn new(limits: Limits) -> PageCache {
        PageCache {
            pages: RwLock::new(Pages::default()),
            limits,
            epoch: AtomicU64::new(0),
            checked_at: AtomicI64::new(i64::MIN),
            generation: Mutex::new(None),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            clears: AtomicU64::new(0),
        }
    }

    /// Requests answered from the cache.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    /// Cacheable requests that had to be rendered.
    pub fn misses(&self) -> u64 {
        self.misses.load(Ordering::Relaxed)
    }

    /// How many times the cache was emptied by a write.
    pub fn clears(&self) -> u64 {
        self.clears.load(Ordering::Relaxed)
    }

    /// Pages held, and their bytes.
    pub fn size(&self) -> (usize, usize) {
        let pages = self.read();
        (pages.order.len(), pages.bytes)
    }

    /// Empties the cache (after a write).
    pub fn clear(&self) {
        let mut pages = self.write();
        self.epoch.fetch_add(1, Ordering::AcqRel);
        self.clears.fetch_add(1, Ordering::Relaxed);
        *pages = Pages::default();
    }

    // A panic while holding the lock leaves the maps consistent (every change is one
    // statement), so a poisoned lock is used as it is.
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Pages> {
        self.pages.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Pages> {
        self.pages.write().unwrap_or_else(|e| e.into_inner())
    }

    fn get(&self, variant: Variant, key: &str) -> Option<Arc<Page>> {
        self.read().maps[variant as usize].get(key).cloned()
    }

    /// Keeps `page` unless the cache was cleared since `epoch` (it may show what the write
    /// changed), it is too large, or another request stored it first.
    fn insert(&self, variant: Variant, key: &str, page: Arc<Page>, epoch: u64) {
        let size = key.len() + page.size();
        if page.plain.bytes.len() > self.limits.page_bytes || size > self.limits.bytes {
            return;
        }
        let mut pages = self.write();
        if self.epoch.load(Ordering::Acquire) != epoch
            || pages.maps[variant as usize].contains_key(key)
        {
            return;
        }
        while pages.order.len() >= self.limits.entries.max(1)
            || pages.bytes + size > self.limits.bytes
        {
            let Some((old_variant, old_key)) = pages.order.pop_front() else {
                break;
            };
            if let Some(old) = pages.maps[old_variant as usize].remove(&old_key) {
                pages.bytes -= old_key.len() + old.size();
            }
        }
        pages.maps[variant as usize].insert(key.into(), page);
        pages.order.push_back((variant, key.into()));
        pages.bytes += size;
    }

    /// Reads the store's write generation if [`CHECK_SECONDS`] have passed since the last
    /// read, and clears the cache when it or the Beijing day changed. One request reads it;
    /// the others meanwhile go on with the cache as it is.
    async fn check_generation(&self, state: &AppState) {
        let now = state.now();
        let last = self.checked_at.load(Ordering::Acquire);
        if now.saturating_sub(last) < CHECK_SECONDS
            || self
                .checked_at
                .compare_exchange(last, now, Ordering::AcqRel, Ordering::Acquire)
                .is_err()
        {
            return;
        }
        // Derived things shown on public pages (a consultation open or closed, 暂定 dates)
        // change with the Beijing day and no write: a new day counts as a new generation.
        let day = state.today().to_julian_day();
        match state.store.audit_generation().await {
            Ok((top, recent)) => {
                let generation = (top, recent, day);
                let changed = {
                    let mut known = self.generation.lock().unwrap_or_else(|e| e.into_inner());
                    let changed = *known != Some(generation);
                    *known = Some(generation);
                    changed
                };
                if changed {
                    self.clear();
                }
            }
            Err(err) => {
                // Without the generation the pages cannot be vouched for.
                tracing::warn!(error = %err, "reading the write generation failed");
                self.clear();
            }
        }
    }
}

/// One page as rendered: its plain bytes and its compressed forms, each with the headers of
/// its answer made once, so that a hit only clones them.
#[derive(Debug)]
struct Page {
    plain: Form,
    /// The compressed forms that came out smaller, best first.
    encoded: Vec<Form>,
}

/// A page's bytes in one content coding (`None`: plain), with their own ETag.
#[derive(Debug)]
struct Form {
    coding: Option<Coding>,
    bytes: Bytes,
    /// The headers of a `200` with these bytes.
    headers: HeaderMap,
    /// The headers of a `304` for them.
    not_modified: HeaderMap,
}

impl Form {
    /// `bytes` with the headers of the rendered response (`base`, without its length).
    fn new(base: &HeaderMap, coding: Option<Coding>, bytes: Bytes, etag: HeaderValue) -> Form {
        let mut not_modified = base.clone();
        not_modified.remove(header::CONTENT_TYPE);
        not_modified.insert(header::ETAG, etag);
        not_modified.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        not_modified.insert(
            header::VARY,
            HeaderValue::from_static("Accept-Encoding, Cookie"),
        );
        let mut headers = base.clone();
        for (name, value) in &not_modified {
            headers.insert(name, value.clone());
        }
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
        if let Some(coding) = coding {
            headers.insert(
                header::CONTENT_ENCODING,
                HeaderValue::from_static(coding.name()),
            );
        }
        Form {
            coding,
            bytes,
            headers,
            not_modified,
        }
    }

    fn etag(&self) -> Option<&HeaderValue> {
        self.headers.get(header::ETAG)
    }
}

impl Page {
    /// The page of a response that may be kept, or the response back untouched.
    async fn of(response: Response, limit: usize) -> Result<Arc<Page>, Response> {
        let headers = response.headers();
        let kind = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let keepable = response.status() == StatusCode::OK
            && (kind.starts_with("text/html")
                || kind.starts_with("application/xml")
                || kind.starts_with("text/xml"))
            && !headers.contains_key(header::SET_COOKIE)
            && !headers.contains_key(header::CACHE_CONTROL)
            && !headers.contains_key(header::CONTENT_ENCODING)
            && response
                .body()
                .size_hint()
                .exact()
                .is_some_and(|n| n <= limit as u64);
        if !keepable {
            return Err(response);
        }
        let (parts, body) = response.into_parts();
        let identity = match axum::body::to_bytes(body, limit).await {
            Ok(bytes) => bytes,
            Err(err) => {
                return Err(
                    WebError::Internal(format!("reading a page's body: {err}")).into_response()
                );
            }
        };
        let mut base = parts.headers;
        base.remove(header::CONTENT_LENGTH);
        let hash = Sha256::digest(&identity);
        let hex: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
        let tag = |suffix: &str| {
            HeaderValue::from_str(&format!("\"{hex}{suffix}\""))
                .unwrap_or_else(|_| HeaderValue::from_static("\"\""))
        };
        // Compressing at the best levels takes milliseconds (brotli's 11 up to ~15 ms for a
        // large page): off the async workers, once per page and write.
        let plain = identity.clone();
        let compressed = tokio::task::spawn_blocking(move || {
            Coding::COMPRESSED
                .iter()
                .map(|&coding| (coding, coding.compress(&plain)))
                .collect::<Vec<_>>()
        })
        .await
        .unwrap_or_default();
        let encoded = compressed
            .into_iter()
            .filter_map(|(coding, bytes)| {
                let bytes = bytes.filter(|b| b.len() < identity.len())?;
                Some(Form::new(
                    &base,
                    Some(coding),
                    bytes,
                    tag(coding.etag_suffix()),
                ))
            })
            .collect();
        Ok(Arc::new(Page {
            plain: Form::new(&base, None, identity, tag("")),
            encoded,
        }))
    }

    fn size(&self) -> usize {
        // The maps, headers and tags: a rough allowance per form.
        const OVERHEAD: usize = 1024;
        std::iter::once(&self.plain)
            .chain(&self.encoded)
            .map(|form| form.bytes.len() + OVERHEAD)
            .sum()
    }

    /// The response to a request with `conditions`: `304` if `revalidate` and one of the
    /// page's ETags matches, else the page in the coding the client prefers (no body for
    /// `HEAD`).
    fn respond(&self, conditions: &Conditions, head: bool, revalidate: bool) -> Response {
        let coding = conditions.coding(self.encoded.iter().filter_map(|e| e.coding));
        let form = self
            .encoded
            .iter()
            .find(|e| e.coding == coding)
            .unwrap_or(&self.plain);
        let tags = std::iter::once(&self.plain)
            .chain(&self.encoded)
            .filter_map(Form::etag);
        let (status, headers, body) = if revalidate && conditions.matches(tags) {
            (StatusCode::NOT_MODIFIED, &form.not_modified, Body::empty())
        } else if head {
            (StatusCode::OK, &form.headers, Body::empty())
        } else {
            (
                StatusCode::OK,
                &form.headers,
                Body::from(form.bytes.clone()),
            )
        };
        let mut response = Response::new(body);
        *response.status_mut() = status;
        *response.headers_mut() = headers.clone();
        response
    }
}

/// The content codings the cache compresses pages in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coding {
    Brotli,
    Gzip,
}

impl Coding {
    /// Every coding offered, best (smallest) first: brotli is about a quarter smaller than
    /// gzip on these pages.
    const COMPRESSED: [Coding; 2] = [Coding::Brotli, Coding::Gzip];

    /// The `Content-Encoding` token.
    fn name(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
        }
    }

    fn etag_suffix(self) -> &'static str {
        match self {
            Coding::Brotli => "-br",
            Coding::Gzip => "-gz",
        }
    }

    /// Whether an `Accept-Encoding` token names this coding.
    fn is_named(self, token: &str) -> bool {
        match self {
            Coding::Brotli => token.eq_ignore_ascii_case("br"),
            Coding::Gzip => {
                token.eq_ignore_ascii_case("gzip") || token.eq_ignore_ascii_case("x-gzip")
            }
        }
    }

    /// `bytes` in this coding at its best level: compressed once per page and kept, so the
    /// level costs nothing per request.
    fn compress(self, bytes: &[u8]) -> Option<Bytes> {
        let mut out = Vec::with_capacity(bytes.len() / 3);
        match self {
            Coding::Gzip => {
                let mut encoder =
                    flate2::write::GzEncoder::new(&mut out, flate2::Compression::best());
                encoder.write_all(bytes).ok()?;
                encoder.finish().ok()?;
            }
            Coding::Brotli => {
                // Quality 11, a 256 KiB window: pages are smaller than that.
                let mut encoder = brotli::CompressorWriter::new(&mut out, 4096, 11, 18);
                encoder.write_all(bytes).ok()?;
                // Taking the writer back ends the stream.
                encoder.into_inner();
            }
        }
        Some(Bytes::from(out))
    }
}

/// The request headers a cached answer depends on.
#[derive(Debug, Default)]
struct Conditions {
    accept_encoding: Option<HeaderValue>,
    if_none_match: Option<HeaderValue>,
}

impl Conditions {
    fn of(headers: &HeaderMap) -> Conditions {
        Conditions {
            accept_encoding: headers.get(header::ACCEPT_ENCODING).cloned(),
            if_none_match: headers.get(header::IF_NONE_MATCH).cloned(),
        }
    }

    /// The coding to send among `offered` (best first), `None` for the plain bytes.
    fn coding(&self, offered: impl Iterator<Item = Coding>) -> Option<Coding> {
        let accept = self
            .accept_encoding
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        choose_coding(accept, offered)
    }

    /// Whether `If-None-Match` names one of `tags` (weak comparison, RFC 9110 §13.1.2).
    fn matches<'a>(&self, tags: impl Iterator<Item = &'a HeaderValue> + Clone) -> bool {
        let Some(sent) = self.if_none_match.as_ref().and_then(|v| v.to_str().ok()) else {
            return false;
        };
        sent.split(',').map(str::trim).any(|tag| {
            tag == "*" || {
                let tag = tag.strip_prefix("W/").unwrap_or(tag);
                tags.clone().any(|t| t.as_bytes() == tag.as_bytes())
            }
        })
    }
}

/// The coding to send for an `Accept-Encoding` value among `offered` (best first): the one
/// with the highest q-value above 0 (its own or that of `*`), the better one on a tie, unless a
/// named identity has a higher q-value; else the plain bytes (also when a client refuses
/// everything: a page it cannot read is no better than a 406).
fn choose_coding(accept: &str, offered: impl Iterator<Item = Coding>) -> Option<Coding> {
    let mut identity = None;
    let mut any = None;
    let mut named: Vec<(&str, f32)> = Vec::new();
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or_default().trim();
        let q = parts
            .find_map(|p| {
                let p = p.trim();
                p.strip_prefix("q=").or_else(|| p.strip_prefix("Q="))
            })
            .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
            .unwrap_or(0.0);
        if name.eq_ignore_ascii_case("identity") {
            identity = Some(q);
        } else if name == "*" {
            any = Some(q);
        } else if !name.is_empty() {
            named.push((name, q));
        }
    }
    let mut best: Option<(Coding, f32)> = None;
    for coding in offered {
        let q = named
            .iter()
            .find(|(name, _)| coding.is_named(name))
            .map(|(_, q)| *q)
            .or(any)
            .unwrap_or(0.0);
        if q > 0.0 && best.is_none_or(|(_, best_q)| q > best_q) {
            best = Some((coding, q));
        }
    }
    // Identity is always acceptable (RFC 9110 §12.5.3), but preferred only when named with a
    // q-value above the coding's: a client that lists a coding at all wants it.
    match (best, identity) {
        (Some((_, q)), Some(identity)) if identity > q => None,
        (best, _) => best.map(|(coding, _)| coding),
    }
}

/// Whether a request may be answered from the cache, and under which key: a GET or HEAD of a
/// public path without a staff session.
fn cache_key(request: &Request) -> Option<(Variant, &str)> {
    let path = request.uri().path();
    if NEVER.iter().any(|prefix| path.starts_with(prefix)) {
        return None;
    }
    let headers = request.headers();
    if has_cookie(headers, cookies::SESSION) {
        return None;
    }
    let variant = if cookies::get(headers, cookies::ELDER).as_deref() == Some("1") {
        Variant::Elder
    } else {
        Variant::Normal
    };
    let key = request.uri().path_and_query().map_or("/", |p| p.as_str());
    Some((variant, key))
}

/// Whether cookie `name` was sent at all (whatever its value: a stale session still makes
/// the page a staff page to render).
fn has_cookie(headers: &HeaderMap, name: &str) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|pair| pair.trim().split_once('=').is_some_and(|(k, _)| k == name))
}

/// The middleware, outermost: answers cacheable requests from the cache, keeps what it renders
/// for them, and clears the cache after every successful write request. A hit does what
/// `ops::observe` does for every other response (it counts and logs it; the security headers
/// are among the page's stored headers), and nothing else runs for it.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let cache = &state.page_cache;
    let head = request.method() == Method::HEAD;
    if request.method() != Method::GET && !head {
        let response = next.run(request).await;
        let status = response.status();
        if status.is_success() || status.is_redirection() {
            cache.clear();
        }
        return response;
    }
    let Some((variant, key)) = cache_key(&request) else {
        return next.run(request).await;
    };
    let started = Instant::now();
    cache.check_generation(&state).await;
    let conditions = Conditions::of(request.headers());
    if let Some(page) = cache.get(variant, key) {
        cache.hits.fetch_add(1, Ordering::Relaxed);
        let response = page.respond(&conditions, head, true);
        let status = response.status().as_u16();
        state.metrics.response(status);
        tracing::info!(
            target: "gongkai_web::controllers::ops",
            method = %request.method(),
            path = %request.uri().path(),
            status,
            elapsed_ms = started.elapsed().as_millis() as u64,
            cached = true,
            "request"
        );
        return response;
    }
    cache.misses.fetch_add(1, Ordering::Relaxed);
    if head {
        // A HEAD response has no body to keep.
        return next.run(request).await;
    }
    let key = key.to_owned();
    let epoch = cache.epoch.load(Ordering::Acquire);
    let response = next.run(request).await;
    match Page::of(response, cache.limits.page_bytes).await {
        Ok(page) => {
            cache.insert(variant, &key, page.clone(), epoch);
            // No 304 here: `observe` has counted and logged this answer as a 200.
            page.respond(&conditions, false, false)
        }
        Err(response) => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> Arc<Page> {
        let etag = HeaderValue::from_static("\"a\"");
        Arc::new(Page {
            plain: Form::new(&HeaderMap::new(), None, Bytes::from(body.to_owned()), etag),
            encoded: Vec::new(),
        })
    }

    fn choose(accept: &str) -> Option<&'static str> {
        choose_coding(accept, Coding::COMPRESSED.into_iter()).map(Coding::name)
    }

    #[test]
    fn the_coding_is_chosen_by_q_value_and_brotli_wins_ties() {
        assert_eq!(choose(""), None);
        assert_eq!(choose("gzip"), Some("gzip"));
        assert_eq!(choose("gzip, deflate"), Some("gzip"));
        assert_eq!(choose("gzip, deflate, br, zstd"), Some("br"));
        assert_eq!(choose("br;q=1.0, gzip;q=0.8, *;q=0.1"), Some("br"));
        assert_eq!(choose("br;q=0.5, gzip;q=0.8"), Some("gzip"));
        assert_eq!(choose("br;q=0, gzip;q=0"), None);
        assert_eq!(choose("gzip;q=0"), None);
        assert_eq!(choose("deflate"), None);
        assert_eq!(choose("*"), Some("br"));
        assert_eq!(choose("*;q=0.5, br;q=0"), Some("gzip"));
        assert_eq!(choose("identity;q=1, gzip;q=0.5"), None);
        assert_eq!(choose("identity;q=0, gzip;q=0.5"), Some("gzip"));
        assert_eq!(choose("GZIP;Q=0.3"), Some("gzip"));
        assert_eq!(choose("x-gzip"), Some("gzip"));
        assert_eq!(choose("gzip;q=nonsense"), None);
        // Only what the page has is offered.
        assert_eq!(
            choose_coding("br, gzip", [Coding::Gzip].into_iter()),
            Some(Coding::Gzip)
        );
    }

    #[test]
    fn both_codings_decompress_to_the_page() {
        use std::io::Read;
        let page = "<p>政府信息公开</p>".repeat(100);
        let gzip = Coding::Gzip.compress(page.as_bytes()).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, page);
        let br = Coding::Brotli.compress(page.as_bytes()).unwrap();
        let mut text = String::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, page);
        assert!(br.len() < page.len() / 10);
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists_and_star() {
        let a = HeaderValue::from_static("\"abc\"");
        let check = |sent: &'static str| {
            Conditions {
                accept_encoding: None,
                if_none_match: Some(HeaderValue::from_static(sent)),
            }
            .matches([&a].into_iter())
        };
        assert!(check("\"abc\""));
        assert!(check("W/\"abc\""));
        assert!(check("\"x\", \"abc\""));
        assert!(check("*"));
        assert!(!check("\"abd\""));
        assert!(!check("abc"));
    }

    #[test]
    fn the_oldest_pages_are_evicted_beyond_the_entry_bound() {
        let cache = PageCache::new(Limits {
            entries: 2,
            ..Limits::default()
        });
        for key in ["/a", "/b", "/c"] {
            cache.insert(Variant::Normal, key, page(key), 0);
        }
        assert!(cache.get(Variant::Normal, "/a").is_none());
        assert!(cache.get(Variant::Normal, "/b").is_some());
        assert!(cache.get(Variant::Normal, "/c").is_some());
        assert_eq!(cache.size().0, 2);
    }

    #[test]
    fn the_byte_bound_holds_and_large_pages_are_not_kept() {
        let body = "x".repeat(1000);
        let one = body.len() + page("").size() + 2;
        let cache = PageCache::new(Limits {
            entries: 100,
            bytes: one * 3,
            page_bytes: 1500,
        });
        for key in ["/a", "/b", "/c", "/d", "/e"] {
            cache.insert(Variant::Normal, key, page(&body), 0);
            assert!(cache.size().1 <= one * 3);
        }
        assert_eq!(cache.size().0, 3);
        cache.insert(Variant::Normal, "/big", page(&"y".repeat(2000)), 0);
        assert!(cache.get(Variant::Normal, "/big").is_none());
    }

    #[test]
    fn a_page_rendered_before_a_clear_is_not_stored_after_it() {
        let cache = PageCache::default();
        let epoch = cache.epoch.load(Ordering::Acquire);
        cache.clear();
        cache.insert(Variant::Normal, "/", page("old"), epoch);
        assert!(cache.get(Variant::Normal, "/").is_none());
    }

    #[test]
    fn variants_are_kept_apart() {
        let cache = PageCache::default();
        cache.insert(Variant::Normal, "/", page("normal"), 0);
        assert!(cache.get(Variant::Elder, "/").is_none());
    }

    #[test]
    fn a_session_cookie_is_found_whatever_its_value() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("gk_elder=1; gk_session="),
        );
        assert!(has_cookie(&headers, cookies::SESSION));
        headers.insert(header::COOKIE, HeaderValue::from_static("gk_sessionx=1"));
        assert!(!has_cookie(&headers, cookies::SESSION));
    }
}
