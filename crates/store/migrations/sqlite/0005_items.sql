-- Proactive information items (主动公开, 条例 arts. 19–26): the catalogue metadata of each item
-- (索引号, 文号, 发布机构, 成文日期, 主题分类, 体裁, 公开属性, art. 20 category), its versions, the
-- review ledger, attachments stored by content, and each organ's item settings (the review
-- chain, the 索引号 pattern, the 主题分类 list). The PostgreSQL twin is in ../postgres/.
-- An item's status (draft, in review, published, withdrawn) and its 有效性 are not columns:
-- they are computed from item_events.

-- File contents, keyed by their SHA-256 (hex): one row per distinct content, shared by every
-- attachment that has it.
CREATE TABLE blobs (
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (sha256)
);

-- An organ's item settings: the 索引号 pattern, the review chain (JSON list of steps, each a
-- name and a role key) and its 主题分类 (JSON list). Absent: the national defaults.
CREATE TABLE item_settings (
    organ_id INTEGER NOT NULL REFERENCES organs (id),
    index_pattern TEXT NOT NULL,
    chain_json TEXT NOT NULL,
    topics_json TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (organ_id)
);

-- An item: its organ and its 索引号, assigned once at first publication from the per-organ,
-- per-year counter and never changed (trigger below). catalogue_entry_id will point at the
-- 标准目录 entry the item fulfils (no foreign key until that table exists).
CREATE TABLE items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs (id),
    index_number TEXT,
    catalogue_entry_id INTEGER,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    UNIQUE (organ_id, index_number)
);
CREATE INDEX items_organ_id ON items (organ_id);
CREATE TRIGGER items_index_number_is_frozen BEFORE UPDATE ON items
WHEN OLD.index_number IS NOT NULL AND NEW.index_number IS NOT OLD.index_number
BEGIN
    SELECT RAISE(ABORT, 'an item''s index number never changes');
END;
CREATE TRIGGER items_no_delete BEFORE DELETE ON items
BEGIN
    SELECT RAISE(ABORT, 'items are never deleted');
END;

-- Every saved state of an item's content: append-only. The version on the portal is the one
-- the last `published` event names.
CREATE TABLE item_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id INTEGER NOT NULL REFERENCES items (id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    doc_number TEXT NOT NULL,
    publisher TEXT NOT NULL,
    formed TEXT NOT NULL,
    topic TEXT NOT NULL,
    kind TEXT NOT NULL,
    article20 INTEGER,
    openness TEXT NOT NULL,
    openness_reason TEXT NOT NULL,
    interprets INTEGER REFERENCES items (id),
    keywords TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_by_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (item_id, number)
);
CREATE INDEX item_versions_item_id ON item_versions (item_id);
CREATE TRIGGER item_versions_no_update BEFORE UPDATE ON item_versions
BEGIN
    SELECT RAISE(ABORT, 'item_versions is append-only');
END;
CREATE TRIGGER item_versions_no_delete BEFORE DELETE ON item_versions
BEGIN
    SELECT RAISE(ABORT, 'item_versions is append-only');
END;

-- The files of a version, in order; the bytes are in blobs.
CREATE TABLE item_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version_id INTEGER NOT NULL REFERENCES item_versions (id),
    position INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES blobs (sha256),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL
);
CREATE INDEX item_files_version_id ON item_files (version_id);

-- The item ledger: append-only. created, edited, submitted (with the chain in force),
-- approved, rejected (step, comment), published (version, 索引号), withdrawn, validity.
CREATE TABLE item_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id INTEGER NOT NULL REFERENCES items (id),
    version_id INTEGER REFERENCES item_versions (id),
    event TEXT NOT NULL,
    date TEXT NOT NULL,
    comment TEXT NOT NULL,
    data_json TEXT NOT NULL,
    actor_user_id INTEGER REFERENCES users (id),
    actor_name TEXT NOT NULL,
    recorded_at INTEGER NOT NULL
);
CREATE INDEX item_events_item_id ON item_events (item_id);
CREATE TRIGGER item_events_no_update BEFORE UPDATE ON item_events
BEGIN
    SELECT RAISE(ABORT, 'item_events is append-only');
END;
CREATE TRIGGER item_events_no_delete BEFORE DELETE ON item_events
BEGIN
    SELECT RAISE(ABORT, 'item_events is append-only');
END;
