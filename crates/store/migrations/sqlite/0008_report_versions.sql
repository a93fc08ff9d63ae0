-- The annual report's life (条例 art. 49, 50): per organ and year, numbered versions of the
-- report (the interchange JSON: tables as computed at drafting plus the staff's narrative) and
-- the append-only ledger of their steps (drafted … signed, published, withdrawn, superseded).
-- A version's state is computed from its steps, never stored. The PostgreSQL twin is in
-- ../postgres/.

-- Which art. 49 deadline applies to the organ: a department's report is due before 31 January,
-- a 县级以上人民政府's whole-area report before 31 March; a local rule may set an earlier day
-- (MM-DD of the following year).
CREATE TABLE report_settings (
    organ_id INTEGER NOT NULL REFERENCES organs (id),
    whole_area INTEGER NOT NULL,
    local_deadline TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (organ_id)
);

CREATE TABLE report_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs (id),
    year INTEGER NOT NULL,
    number INTEGER NOT NULL,
    report_json TEXT NOT NULL,
    correction_note TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (organ_id, year, number)
);
CREATE INDEX report_versions_organ ON report_versions (organ_id);

CREATE TABLE report_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version_id INTEGER NOT NULL REFERENCES report_versions (id),
    kind TEXT NOT NULL,
    at INTEGER NOT NULL,
    date TEXT NOT NULL,
    actor_user_id INTEGER,
    actor_name TEXT NOT NULL,
    detail_json TEXT NOT NULL
);
CREATE INDEX report_steps_version ON report_steps (version_id, id);

CREATE TRIGGER report_steps_no_update BEFORE UPDATE ON report_steps
BEGIN
    SELECT RAISE(ABORT, 'report_steps is append-only');
END;
CREATE TRIGGER report_steps_no_delete BEFORE DELETE ON report_steps
BEGIN
    SELECT RAISE(ABORT, 'report_steps is append-only');
END;

-- A published version is frozen: a correction is a new version.
CREATE TRIGGER report_versions_published_are_frozen BEFORE UPDATE ON report_versions
WHEN EXISTS (SELECT 1 FROM report_steps WHERE version_id = OLD.id AND kind = 'published')
BEGIN
    SELECT RAISE(ABORT, 'a published report version is frozen');
END;
CREATE TRIGGER report_versions_no_delete BEFORE DELETE ON report_versions
BEGIN
    SELECT RAISE(ABORT, 'report versions are kept');
END;
