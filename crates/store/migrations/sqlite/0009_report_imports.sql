-- Published annual reports of organs read from their files (a subordinate that does not use
-- gongkai, or an adopting organ's earlier years), with their provenance. The PostgreSQL twin is
-- in ../postgres/. Append-only: a re-import of an organ's year is a new row, and the newest row
-- of an (organ, year) is the one that counts (store::report_import); the earlier ones stay as
-- history. The findings are not stored: they are computed from report_json and context_json.
--
-- context_json holds what the checks need besides the tables, as the reader gave it: the text
-- outside the tables, whether the document was cut off, and the cells it could not read.
CREATE TABLE report_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs (id),
    year INTEGER NOT NULL,
    report_json TEXT NOT NULL,
    context_json TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    format TEXT NOT NULL,
    read_notes INTEGER NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at INTEGER NOT NULL
);
CREATE INDEX report_imports_organ_id ON report_imports (organ_id);
CREATE TRIGGER report_imports_no_update BEFORE UPDATE ON report_imports
BEGIN
    SELECT RAISE(ABORT, 'report_imports is append-only');
END;
CREATE TRIGGER report_imports_no_delete BEFORE DELETE ON report_imports
BEGIN
    SELECT RAISE(ABORT, 'report_imports is append-only');
END;
