-- Annual reports (政府信息公开工作年度报告, 条例 art. 49, 50) per organ and year, kept as the
-- interchange JSON of spec/annual-report.schema.json. The SQLite twin is in ../sqlite/.

CREATE TABLE annual_reports (
    organ_id BIGINT NOT NULL REFERENCES organs (id),
    year BIGINT NOT NULL,
    report_json TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (organ_id, year)
);
