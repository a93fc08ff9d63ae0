-- The 政务公开事项标准目录 (国办发〔2019〕54号; spec/domain.md §7) and the 表二 figures that no
-- gongkai record produces (行政许可, 行政处罚, 行政强制, 行政事业性收费; spec/domain.md §4.2).
-- The PostgreSQL twin is in ../postgres/. Neither the machine rule of an entry's 公开时限 nor
-- its overdue flag is a column: both are computed from time_limit (store::catalogue).

-- One entry of an organ's 标准目录: the eight elements, the optional 公开对象 and 试点领域
-- (1–26, the list of store::catalogue::PILOT_AREAS), and its place in the list (序号).
-- Items (主动公开信息) point at an entry with a nullable catalogue_entry_id that REFERENCES
-- catalogue_entries (id): an entry that items fulfil cannot be deleted.
CREATE TABLE catalogue_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs (id),
    sort_order INTEGER NOT NULL,
    category TEXT NOT NULL,
    name TEXT NOT NULL,
    content TEXT NOT NULL,
    basis TEXT NOT NULL,
    subject TEXT NOT NULL,
    time_limit TEXT NOT NULL,
    channels TEXT NOT NULL,
    mode TEXT NOT NULL,
    audience TEXT NOT NULL,
    pilot_area INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX catalogue_entries_organ_id ON catalogue_entries (organ_id);

-- 表二 cells entered per organ and year, keyed as gongkai_core::format keys them (row_key
-- `licensing`, column_key `decisions`, …). value is a count, or for the 万元 column an amount
-- in whole 元 (4 decimals of 万元 are exactly 元). A cell never entered has no row: blank, not 0.
CREATE TABLE report_figures (
    organ_id INTEGER NOT NULL REFERENCES organs (id),
    year INTEGER NOT NULL,
    row_key TEXT NOT NULL,
    column_key TEXT NOT NULL,
    value INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (organ_id, year, row_key, column_key)
);
