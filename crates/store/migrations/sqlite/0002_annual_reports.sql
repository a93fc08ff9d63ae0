-- Annual reports (政府信息公开工作年度报告, 条例 art. 49, 50) per organ and year, kept as the
-- interchange JSON of spec/annual-report.schema.json. The PostgreSQL twin is in ../postgres/.

CREATE TABLE annual_reports (
    organ_id INTEGER NOT NULL REFERENCES organs (id),
    year INTEGER NOT NULL,
    report_json TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (organ_id, year)
);
