-- Platform schema (SQLite): organs, staff and roles, sessions, login throttling, audit log.
-- The PostgreSQL twin in ../postgres/ has the same tables and columns; only id generation and
-- the append-only trigger differ. A store test compares the two.

CREATE TABLE organs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id INTEGER REFERENCES organs (id),
    name TEXT NOT NULL,
    credit_code TEXT UNIQUE,
    level TEXT NOT NULL DEFAULT '',
    office_name TEXT NOT NULL DEFAULT '',
    office_address TEXT NOT NULL DEFAULT '',
    office_postcode TEXT NOT NULL DEFAULT '',
    office_hours TEXT NOT NULL DEFAULT '',
    office_phone TEXT NOT NULL DEFAULT '',
    office_fax TEXT NOT NULL DEFAULT '',
    office_email TEXT NOT NULL DEFAULT '',
    site_name TEXT NOT NULL DEFAULT '',
    site_domain TEXT NOT NULL DEFAULT '',
    site_id_code TEXT NOT NULL DEFAULT '',
    icp_record TEXT NOT NULL DEFAULT '',
    police_record TEXT NOT NULL DEFAULT '',
    sponsor TEXT NOT NULL DEFAULT '',
    organizer TEXT NOT NULL DEFAULT '',
    site_contact TEXT NOT NULL DEFAULT '',
    disclosure_rules TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX organs_parent_id ON organs (parent_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);

CREATE TABLE memberships (
    user_id INTEGER NOT NULL REFERENCES users (id),
    organ_id INTEGER NOT NULL REFERENCES organs (id),
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, organ_id, role)
);
CREATE INDEX memberships_organ_id ON memberships (organ_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE login_throttle (
    username TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    locked_until INTEGER NOT NULL
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor_user_id INTEGER REFERENCES users (id),
    actor_name TEXT NOT NULL,
    organ_id INTEGER REFERENCES organs (id),
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_organ_id ON audit_log (organ_id);

-- The audit log is append-only: no row is ever changed or removed.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
