-- Disclosure applications (依申请公开, 条例 arts. 27–45) and what follows them: the case ledger,
-- notices, 复议/诉讼, per-staff API tokens, and the holiday notices an administrator enters.
-- The PostgreSQL twin is in ../postgres/. Status and due dates are not columns: they are
-- computed from case_events by gongkai_core::clock.

-- Per-organ, per-year counters: 申请编号 and each kind of 文书编号. Allocated in the writing
-- transaction, never reused.
CREATE TABLE counters (
    organ_id INTEGER NOT NULL REFERENCES organs (id),
    name TEXT NOT NULL,
    year INTEGER NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (organ_id, name, year)
);

CREATE TABLE applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs (id),
    number TEXT NOT NULL,
    applicant_kind TEXT NOT NULL,
    applicant_name TEXT NOT NULL,
    id_type TEXT NOT NULL,
    id_number TEXT NOT NULL,
    work_unit TEXT NOT NULL,
    legal_representative TEXT NOT NULL,
    contact_person TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    postcode TEXT NOT NULL,
    fax TEXT NOT NULL,
    info_title TEXT NOT NULL,
    info_doc_number TEXT NOT NULL,
    description TEXT NOT NULL,
    forms TEXT NOT NULL,
    delivery TEXT NOT NULL,
    accept_other_form INTEGER NOT NULL,
    query_hash TEXT,
    assignee_id INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    UNIQUE (organ_id, number)
);
CREATE INDEX applications_organ_id ON applications (organ_id);

-- The case ledger: append-only. Clock events (received, correction_requested, …, replied) in
-- the JSON of `gongkai clock`; record events (assigned, extension_requested, notice_delivered,
-- calendar_recomputed, …) beside them.
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    date TEXT NOT NULL,
    event TEXT NOT NULL,
    data_json TEXT NOT NULL,
    actor_user_id INTEGER REFERENCES users (id),
    actor_name TEXT NOT NULL,
    recorded_at INTEGER NOT NULL
);
CREATE INDEX case_events_application_id ON case_events (application_id);
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only');
END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only');
END;

-- Files of a case (the applicant's 身份证明, a scanned letter), encrypted at rest.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    purpose TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    nonce BLOB NOT NULL,
    ciphertext BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX attachments_application_id ON attachments (application_id);

-- 告知书: a draft is edited; issuing freezes number, text and date (the trigger refuses any
-- change to an issued notice).
CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    number TEXT NOT NULL,
    organ_name TEXT NOT NULL,
    date TEXT NOT NULL,
    body TEXT NOT NULL,
    issued INTEGER NOT NULL,
    issued_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX notices_application_id ON notices (application_id);
CREATE TRIGGER notices_issued_are_frozen BEFORE UPDATE ON notices
WHEN OLD.issued = 1
BEGIN
    SELECT RAISE(ABORT, 'an issued notice is frozen');
END;
CREATE TRIGGER notices_no_delete BEFORE DELETE ON notices
WHEN OLD.issued = 1
BEGIN
    SELECT RAISE(ABORT, 'an issued notice is frozen');
END;

-- An organ's notice settings: 文书编号 pattern, short name, remedy bodies, and its own
-- template texts by kind (JSON object; absent kinds use the national default).
CREATE TABLE notice_settings (
    organ_id INTEGER NOT NULL REFERENCES organs (id),
    number_pattern TEXT NOT NULL,
    organ_short TEXT NOT NULL,
    reconsideration_body TEXT NOT NULL,
    court TEXT NOT NULL,
    templates_json TEXT NOT NULL,
    PRIMARY KEY (organ_id)
);

-- 行政复议 and 行政诉讼 (表四), linked to the application they arose from where known.
CREATE TABLE appeals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs (id),
    application_id INTEGER REFERENCES applications (id),
    kind TEXT NOT NULL,
    filed TEXT NOT NULL,
    body TEXT NOT NULL,
    result TEXT NOT NULL,
    decided TEXT,
    note TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX appeals_organ_id ON appeals (organ_id);

-- Per-staff API tokens: only the SHA-256 of the token is kept.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id),
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

-- Holiday notices entered by an administrator: the calendar file of a year (format of
-- crates/core/calendar/README.md), with the notice's number and date. Replaces the year whole.
CREATE TABLE calendar_years (
    year INTEGER NOT NULL,
    file_text TEXT NOT NULL,
    notice_number TEXT NOT NULL,
    notice_date TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at INTEGER NOT NULL,
    PRIMARY KEY (year)
);
