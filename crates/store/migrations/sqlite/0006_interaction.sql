-- 互动交流: 留言 (咨询、建议、投诉) with their moderation, reply and publication, and 意见征集
-- with public comments and the published 反馈情况. The PostgreSQL twin is in ../postgres/.
-- States (待审核, 已答复, 已公开; 征集中, 已截止, 已反馈) and reply due dates are not columns:
-- they are computed from these records, the dates and the calendar.

-- An organ's rules for its 留言: the working days within which a 留言 is answered.
CREATE TABLE interaction_settings (
    organ_id INTEGER NOT NULL REFERENCES organs (id),
    reply_days INTEGER NOT NULL,
    PRIMARY KEY (organ_id)
);

-- 留言. The writer's name and contact details are private; only the SHA-256 of the 查询码 is
-- kept. decision is NULL until moderated ('accepted' or 'rejected', the latter with where the
-- writer is sent and why); reply and its date once answered; published_on once published,
-- with the staff's edited public title and body where they changed them (NULL: the
-- original). Personal data is masked whenever the public text is shown, never stored masked.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs (id),
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    writer_name TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    consent INTEGER NOT NULL,
    query_hash TEXT NOT NULL,
    received TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    decision TEXT,
    redirect TEXT NOT NULL,
    decision_reason TEXT NOT NULL,
    decided_on TEXT,
    decided_by TEXT,
    reply TEXT,
    replied_on TEXT,
    replied_by TEXT,
    published_on TEXT,
    published_at INTEGER,
    public_title TEXT,
    public_body TEXT,
    UNIQUE (organ_id, number)
);
CREATE INDEX messages_organ_id ON messages (organ_id);

-- 意见征集 on a draft: the draft and its 起草说明 as plain paragraphs, the period (a reason is
-- kept when it is shorter than 30 days, 《重大行政决策程序暂行条例》第十四条), and the 反馈情况
-- once published (its counts are those of the comments' decisions).
CREATE TABLE consultations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organ_id INTEGER NOT NULL REFERENCES organs (id),
    title TEXT NOT NULL,
    draft TEXT NOT NULL,
    explanation TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    short_reason TEXT NOT NULL,
    contact TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    feedback_summary TEXT,
    adopted_reasons TEXT,
    partly_reasons TEXT,
    not_adopted_reasons TEXT,
    feedback_on TEXT,
    feedback_at INTEGER
);
CREATE INDEX consultations_organ_id ON consultations (organ_id);

-- Comments on a consultation: the name is optional, the contact optional and private. decision
-- is 'pending' until staff moderate it.
CREATE TABLE consultation_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    name TEXT NOT NULL,
    contact TEXT NOT NULL,
    body TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    submitted_at INTEGER NOT NULL,
    decision TEXT NOT NULL,
    note TEXT NOT NULL,
    decided_by TEXT,
    decided_at INTEGER
);
CREATE INDEX consultation_comments_consultation_id ON consultation_comments (consultation_id);
