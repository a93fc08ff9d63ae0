//! 意见征集: a draft put to the public for comment, the comments, and the published 反馈情况.
//!
//! The period is at least [`MIN_PERIOD_DAYS`] calendar days unless a reason is recorded
//! (《重大行政决策程序暂行条例》第十四条: 征求意见期限一般不少于30日). Nothing derived is stored:
//! the state ([`Consultation::state`]: 未开始, 征集中, 已截止, 已反馈) follows from the dates and
//! the feedback's record, and the feedback's counts ([`Tally`]) from the comments' decisions,
//! which are frozen once the feedback is published. A comment outside the period is refused.

use gongkai_core::calendar::{format_date, parse_date};
use serde_json::json;
use sqlx::Row;
use time::Date;

use crate::{Actor, OrganId, OrganScope, Result, Store, StoreError, audit};

/// Database identifier of a consultation.
pub type ConsultationId = i64;
/// Database identifier of a comment.
pub type CommentId = i64;

/// The shortest period without a stated reason, in calendar days, both ends counted.
pub const MIN_PERIOD_DAYS: i64 = 30;
/// The longest comment (characters).
pub const COMMENT_MAX: usize = 2000;
/// The longest title (characters).
pub const TITLE_MAX: usize = 100;
/// The longest draft or 起草说明 (characters).
pub const TEXT_MAX: usize = 50_000;
/// The longest reason, contact or feedback text (characters).
pub const NOTE_MAX: usize = 2000;

/// The sentence refusing a short period, with its rule.
pub const SHORT_PERIOD: &str =
    "征求意见期限一般不少于30日（《重大行政决策程序暂行条例》第十四条）；期限较短的，请填写理由。";

/// What staff decide about a comment: key and label. `pending` is the state before any.
pub const DECISIONS: [(&str, &str); 5] = [
    ("pending", "待处理"),
    ("adopted", "采纳"),
    ("partly", "部分采纳"),
    ("not_adopted", "未采纳"),
    ("invalid", "与征集内容无关"),
];

/// The label of a decision key ("" for an unknown one).
pub fn decision_label(key: &str) -> &'static str {
    DECISIONS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, l)| *l)
}

/// A consultation as staff open it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultationInput {
    /// 标题 (the draft's name).
    pub title: String,
    /// 草案内容, plain paragraphs.
    pub draft: String,
    /// 起草说明, plain paragraphs.
    pub explanation: String,
    /// 开始日期.
    pub start: Date,
    /// 截止日期 (comments are taken until the end of that day).
    pub end: Date,
    /// Why the period is shorter than [`MIN_PERIOD_DAYS`] (empty otherwise).
    pub short_reason: String,
    /// 征集单位和联系方式.
    pub contact: String,
}

impl ConsultationInput {
    /// The period's length in calendar days, both ends counted.
    pub fn days(&self) -> i64 {
        (self.end - self.start).whole_days() + 1
    }
}

/// The 反馈情况 as staff write it; its counts come from the comments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedbackInput {
    /// 总体情况 (free text).
    pub summary: String,
    /// Reasons for the adopted comments (采纳情况).
    pub adopted_reasons: String,
    /// Reasons for the partly adopted comments.
    pub partly_reasons: String,
    /// Reasons for not adopting.
    pub not_adopted_reasons: String,
}

/// The published 反馈情况.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    /// What staff wrote.
    pub text: FeedbackInput,
    /// 反馈日期.
    pub on: Date,
    /// When (Unix seconds).
    pub at: i64,
}

/// A consultation as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consultation {
    /// Identifier.
    pub id: ConsultationId,
    /// The organ.
    pub organ_id: OrganId,
    /// What was opened.
    pub input: ConsultationInput,
    /// Who opened it (username).
    pub created_by: String,
    /// When (Unix seconds).
    pub created_at: i64,
    /// The feedback, once published.
    pub feedback: Option<Feedback>,
}

/// Where a consultation stands on a day: derived from its dates and the feedback's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConsultationState {
    /// Before the start date.
    Upcoming,
    /// Taking comments.
    Open,
    /// Past the end date, feedback not yet published.
    Closed,
    /// The 反馈情况 is published.
    FeedbackPublished,
}

impl ConsultationState {
    /// The label the portal and the console show.
    pub fn label(self) -> &'static str {
        match self {
            ConsultationState::Upcoming => "未开始",
            ConsultationState::Open => "征集中",
            ConsultationState::Closed => "已截止",
            ConsultationState::FeedbackPublished => "已反馈",
        }
    }
}

impl Consultation {
    /// The state on `today`.
    pub fn state(&self, today: Date) -> ConsultationState {
        if self.feedback.is_some() {
            ConsultationState::FeedbackPublished
        } else if today < self.input.start {
            ConsultationState::Upcoming
        } else if today <= self.input.end {
            ConsultationState::Open
        } else {
            ConsultationState::Closed
        }
    }
}

/// A comment as submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment {
    /// 姓名 (optional).
    pub name: String,
    /// 联系方式 (optional, private).
    pub contact: String,
    /// 意见.
    pub body: String,
}

/// A comment as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Identifier.
    pub id: CommentId,
    /// The consultation.
    pub consultation_id: ConsultationId,
    /// 姓名 (may be empty).
    pub name: String,
    /// 联系方式 (may be empty; private).
    pub contact: String,
    /// 意见.
    pub body: String,
    /// The day it was submitted.
    pub submitted_on: Date,
    /// When (Unix seconds).
    pub submitted_at: i64,
    /// A key of [`DECISIONS`].
    pub decision: String,
    /// Staff's note.
    pub note: String,
    /// Who decided (username).
    pub decided_by: Option<String>,
}

/// The feedback's counts, from the comments' decisions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Every comment received.
    pub received: usize,
    /// 采纳.
    pub adopted: usize,
    /// 部分采纳.
    pub partly: usize,
    /// 未采纳.
    pub not_adopted: usize,
    /// 与征集内容无关.
    pub invalid: usize,
    /// Not yet decided.
    pub pending: usize,
}

impl Tally {
    /// The counts of `comments`.
    pub fn of(comments: &[Comment]) -> Tally {
        let mut tally = Tally {
            received: comments.len(),
            ..Tally::default()
        };
        for c in comments {
            match c.decision.as_str() {
                "adopted" => tally.adopted += 1,
                "partly" => tally.partly += 1,
                "not_adopted" => tally.not_adopted += 1,
                "invalid" => tally.invalid += 1,
                _ => tally.pending += 1,
            }
        }
        tally
    }
}

fn invalid(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field,
        message: message.into(),
    }
}

fn bounded(field: &'static str, what: &str, text: &str, max: usize, required: bool) -> Result<()> {
    let count = text.trim().chars().count();
    if required && count == 0 {
        return Err(invalid(field, format!("请填写{what}。")));
    }
    if count > max {
        return Err(invalid(
            field,
            format!("{what}不能超过{max}个字（现为{count}个）。"),
        ));
    }
    Ok(())
}

/// The checks of a new consultation opened on `today`.
pub fn check(input: &ConsultationInput, today: Date) -> Result<()> {
    bounded("title", "标题", &input.title, TITLE_MAX, true)?;
    bounded("draft", "草案内容", &input.draft, TEXT_MAX, true)?;
    bounded(
        "explanation",
        "起草说明",
        &input.explanation,
        TEXT_MAX,
        false,
    )?;
    bounded("contact", "联系方式", &input.contact, NOTE_MAX, false)?;
    bounded("short_reason", "理由", &input.short_reason, NOTE_MAX, false)?;
    if input.start < today {
        return Err(invalid("start", "开始日期不能早于今天。"));
    }
    if input.end < input.start {
        return Err(invalid("end", "截止日期不能早于开始日期。"));
    }
    if input.days() < MIN_PERIOD_DAYS && input.short_reason.trim().is_empty() {
        return Err(invalid(
            "short_reason",
            format!("本次期限为{}日。{SHORT_PERIOD}", input.days()),
        ));
    }
    Ok(())
}

fn date(row: &sqlx::any::AnyRow, column: &str) -> Result<Option<Date>> {
    match row.try_get::<Option<String>, _>(column)? {
        None => Ok(None),
        Some(text) => parse_date(&text)
            .map(Some)
            .ok_or_else(|| StoreError::Other(format!("{column}: not a date: {text}"))),
    }
}

fn required_date(row: &sqlx::any::AnyRow, column: &str) -> Result<Date> {
    date(row, column)?.ok_or_else(|| StoreError::Other(format!("{column} is empty")))
}

const CONSULTATION_COLUMNS: &str = "id, organ_id, title, draft, explanation, start_date, \
     end_date, short_reason, contact, created_by, created_at, feedback_summary, adopted_reasons, \
     partly_reasons, not_adopted_reasons, feedback_on, feedback_at";

fn consultation_from_row(row: &sqlx::any::AnyRow) -> Result<Consultation> {
    let feedback = match (
        date(row, "feedback_on")?,
        row.try_get::<Option<i64>, _>("feedback_at")?,
    ) {
        (Some(on), Some(at)) => {
            let text = |c: &str| -> Result<String> {
                Ok(row.try_get::<Option<String>, _>(c)?.unwrap_or_default())
            };
            Some(Feedback {
                text: FeedbackInput {
                    summary: text("feedback_summary")?,
                    adopted_reasons: text("adopted_reasons")?,
                    partly_reasons: text("partly_reasons")?,
                    not_adopted_reasons: text("not_adopted_reasons")?,
                },
                on,
                at,
            })
        }
        _ => None,
    };
    Ok(Consultation {
        id: row.try_get("id")?,
        organ_id: row.try_get("organ_id")?,
        input: ConsultationInput {
            title: row.try_get("title")?,
            draft: row.try_get("draft")?,
            explanation: row.try_get("explanation")?,
            start: required_date(row, "start_date")?,
            end: required_date(row, "end_date")?,
            short_reason: row.try_get("short_reason")?,
            contact: row.try_get("contact")?,
        },
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        feedback,
    })
}

const COMMENT_COLUMNS: &str = "c.id, c.consultation_id, c.name, c.contact, c.body, \
     c.submitted_on, c.submitted_at, c.decision, c.note, c.decided_by";

fn comment_from_row(row: &sqlx::any::AnyRow) -> Result<Comment> {
    Ok(Comment {
        id: row.try_get("id")?,
        consultation_id: row.try_get("consultation_id")?,
        name: row.try_get("name")?,
        contact: row.try_get("contact")?,
        body: row.try_get("body")?,
        submitted_on: required_date(row, "submitted_on")?,
        submitted_at: row.try_get("submitted_at")?,
        decision: row.try_get("decision")?,
        note: row.try_get("note")?,
        decided_by: row.try_get("decided_by")?,
    })
}

async fn fetch(
    conn: &mut sqlx::AnyConnection,
    organ_id: OrganId,
    id: ConsultationId,
) -> Result<Consultation> {
    let sql =
        format!("SELECT {CONSULTATION_COLUMNS} FROM consultations WHERE id = $1 AND organ_id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(organ_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("consultation"))?;
    consultation_from_row(&row)
}

async fn fetch_comments(
    conn: &mut sqlx::AnyConnection,
    organ_id: OrganId,
    id: ConsultationId,
) -> Result<Vec<Comment>> {
    let sql = format!(
        "SELECT {COMMENT_COLUMNS} FROM consultation_comments c JOIN consultations k \
         ON k.id = c.consultation_id WHERE c.consultation_id = $1 AND k.organ_id = $2 \
         ORDER BY c.id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(organ_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(comment_from_row).collect()
}

fn audit_value(c: &Consultation) -> serde_json::Value {
    json!({
        "title": c.input.title,
        "start": format_date(c.input.start),
        "end": format_date(c.input.end),
        "days": c.input.days(),
        "short_reason": c.input.short_reason,
    })
}

fn tally_value(t: &Tally) -> serde_json::Value {
    json!({
        "received": t.received,
        "adopted": t.adopted,
        "partly": t.partly,
        "not_adopted": t.not_adopted,
        "invalid": t.invalid,
    })
}

impl Store {
    /// Opens a consultation on `today` (its start may not be earlier), refusing a period
    /// shorter than [`MIN_PERIOD_DAYS`] without a reason; with its audit row.
    pub async fn create_consultation(
        &self,
        actor: &Actor,
        scope: OrganScope,
        today: Date,
        now: i64,
        input: &ConsultationInput,
    ) -> Result<Consultation> {
        check(input, today)?;
        let organ_id = scope.organ_id();
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO consultations (organ_id, title, draft, explanation, start_date, end_date, \
             short_reason, contact, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, \
             $8, $9, $10) RETURNING id",
        )
        .bind(organ_id)
        .bind(input.title.trim())
        .bind(input.draft.trim())
        .bind(input.explanation.trim())
        .bind(format_date(input.start))
        .bind(format_date(input.end))
        .bind(input.short_reason.trim())
        .bind(input.contact.trim())
        .bind(&actor.name)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: ConsultationId = row.try_get("id")?;
        let consultation = fetch(&mut tx, organ_id, id).await?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "consultation.create",
                entity: "consultation",
                entity_id: id.to_string(),
                before: None,
                after: Some(audit_value(&consultation)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(consultation)
    }

    /// One consultation of the scope's organ (another organ's is not found).
    pub async fn consultation(
        &self,
        scope: OrganScope,
        id: ConsultationId,
    ) -> Result<Consultation> {
        let mut conn = self.pool().acquire().await?;
        fetch(&mut conn, scope.organ_id(), id).await
    }

    /// The organ's consultations, the latest start first (for its staff: those not yet
    /// started included).
    pub async fn consultations(&self, scope: OrganScope) -> Result<Vec<Consultation>> {
        self.consultations_from(scope.organ_id(), None).await
    }

    /// The organ's consultations that have started by `today`, the latest start first. Public
    /// data: an organ id rather than a scope.
    pub async fn public_consultations(
        &self,
        organ_id: OrganId,
        today: Date,
    ) -> Result<Vec<Consultation>> {
        self.consultations_from(organ_id, Some(today)).await
    }

    async fn consultations_from(
        &self,
        organ_id: OrganId,
        started_by: Option<Date>,
    ) -> Result<Vec<Consultation>> {
        // YYYY-MM-DD text orders as the dates do.
        let sql = format!(
            "SELECT {CONSULTATION_COLUMNS} FROM consultations WHERE organ_id = $1 \
             AND ($2 IS NULL OR start_date <= $2) ORDER BY start_date DESC, id DESC"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(organ_id)
            .bind(started_by.map(format_date))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(consultation_from_row).collect()
    }

    /// One consultation of the organ that has started by `today`, for the portal.
    pub async fn public_consultation(
        &self,
        organ_id: OrganId,
        id: ConsultationId,
        today: Date,
    ) -> Result<Option<Consultation>> {
        let mut conn = self.pool().acquire().await?;
        match fetch(&mut conn, organ_id, id).await {
            Ok(c) if c.input.start <= today => Ok(Some(c)),
            Ok(_) | Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The comments of a consultation of the scope's organ, in the order received.
    pub async fn comments(&self, scope: OrganScope, id: ConsultationId) -> Result<Vec<Comment>> {
        let mut conn = self.pool().acquire().await?;
        fetch(&mut conn, scope.organ_id(), id).await?;
        fetch_comments(&mut conn, scope.organ_id(), id).await
    }

    /// The counts of a consultation's comments, for its staff.
    pub async fn tally(&self, scope: OrganScope, id: ConsultationId) -> Result<Tally> {
        Ok(Tally::of(&self.comments(scope, id).await?))
    }

    /// The counts of a consultation whose feedback is published (the portal shows them with
    /// it); `None` before.
    pub async fn published_tally(
        &self,
        organ_id: OrganId,
        id: ConsultationId,
    ) -> Result<Option<Tally>> {
        let mut conn = self.pool().acquire().await?;
        let consultation = fetch(&mut conn, organ_id, id).await?;
        if consultation.feedback.is_none() {
            return Ok(None);
        }
        Ok(Some(Tally::of(
            &fetch_comments(&mut conn, organ_id, id).await?,
        )))
    }

    /// Keeps a comment submitted on `today`, refused outside the period
    /// ([`StoreError::NotAllowed`]); its audit row holds no personal data.
    pub async fn add_comment(
        &self,
        actor: &Actor,
        organ_id: OrganId,
        id: ConsultationId,
        today: Date,
        now: i64,
        comment: &NewComment,
    ) -> Result<Comment> {
        bounded("body", "意见", &comment.body, COMMENT_MAX, true)?;
        bounded("name", "姓名", &comment.name, 50, false)?;
        bounded("contact", "联系方式", &comment.contact, 100, false)?;
        let mut tx = self.begin_write().await?;
        let consultation = fetch(&mut tx, organ_id, id).await?;
        match consultation.state(today) {
            ConsultationState::Open => {}
            ConsultationState::Upcoming => {
                return Err(StoreError::NotAllowed(format!(
                    "本次意见征集自 {} 开始，尚未开始接收意见。",
                    format_date(consultation.input.start)
                )));
            }
            ConsultationState::Closed | ConsultationState::FeedbackPublished => {
                return Err(StoreError::NotAllowed(format!(
                    "本次意见征集已于 {} 截止，不再接收意见。",
                    format_date(consultation.input.end)
                )));
            }
        }
        let row = sqlx::query(
            "INSERT INTO consultation_comments (consultation_id, name, contact, body, \
             submitted_on, submitted_at, decision, note) VALUES ($1, $2, $3, $4, $5, $6, \
             'pending', '') RETURNING id",
        )
        .bind(id)
        .bind(comment.name.trim())
        .bind(comment.contact.trim())
        .bind(comment.body.trim())
        .bind(format_date(today))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let comment_id: CommentId = row.try_get("id")?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "consultation.comment",
                entity: "consultation_comment",
                entity_id: comment_id.to_string(),
                before: None,
                after: Some(json!({
                    "consultation": id,
                    "submitted_on": format_date(today),
                    "chars": comment.body.trim().chars().count(),
                })),
            },
        )
        .await?;
        let sql = format!("SELECT {COMMENT_COLUMNS} FROM consultation_comments c WHERE c.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(comment_id)
            .fetch_one(&mut *tx)
            .await?;
        let stored = comment_from_row(&row)?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Records staff's decision on a comment (a key of [`DECISIONS`] other than `pending`, or
    /// `pending` to undo one), refused once the feedback is published.
    #[allow(clippy::too_many_arguments)]
    pub async fn decide_comment(
        &self,
        actor: &Actor,
        scope: OrganScope,
        id: ConsultationId,
        comment_id: CommentId,
        decision: &str,
        note: &str,
        now: i64,
    ) -> Result<Comment> {
        if decision_label(decision).is_empty() {
            return Err(invalid("decision", "请选择处理意见。"));
        }
        bounded("note", "备注", note, NOTE_MAX, false)?;
        let organ_id = scope.organ_id();
        let mut tx = self.begin_write().await?;
        let consultation = fetch(&mut tx, organ_id, id).await?;
        let comments = fetch_comments(&mut tx, organ_id, id).await?;
        let before = comments
            .into_iter()
            .find(|c| c.id == comment_id)
            .ok_or(StoreError::NotFound("comment"))?;
        if consultation.feedback.is_some() {
            return Err(StoreError::NotAllowed(
                "反馈情况已公布，意见的处理结果不能再修改。".into(),
            ));
        }
        sqlx::query(
            "UPDATE consultation_comments SET decision = $1, note = $2, decided_by = $3, \
             decided_at = $4 WHERE id = $5",
        )
        .bind(decision)
        .bind(note.trim())
        .bind(&actor.name)
        .bind(now)
        .bind(comment_id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "consultation.decide",
                entity: "consultation_comment",
                entity_id: comment_id.to_string(),
                before: Some(json!({ "consultation": id, "decision": before.decision })),
                after: Some(
                    json!({ "consultation": id, "decision": decision, "note": note.trim() }),
                ),
            },
        )
        .await?;
        let mut after = before;
        after.decision = decision.to_owned();
        after.note = note.trim().to_owned();
        after.decided_by = Some(actor.name.clone());
        tx.commit().await?;
        Ok(after)
    }

    /// Publishes the 反馈情况 on `today`: only after the end date, once, with every comment
    /// decided, and with reasons for the groups that are not adopted in full when they hold
    /// any comment. Its counts are the comments' ([`Tally`]).
    pub async fn publish_feedback(
        &self,
        actor: &Actor,
        scope: OrganScope,
        id: ConsultationId,
        today: Date,
        now: i64,
        feedback: &FeedbackInput,
    ) -> Result<Consultation> {
        let organ_id = scope.organ_id();
        bounded("summary", "总体情况", &feedback.summary, NOTE_MAX, true)?;
        for (field, what, text) in [
            ("adopted_reasons", "采纳情况", &feedback.adopted_reasons),
            ("partly_reasons", "部分采纳的理由", &feedback.partly_reasons),
            (
                "not_adopted_reasons",
                "未采纳的理由",
                &feedback.not_adopted_reasons,
            ),
        ] {
            bounded(field, what, text, NOTE_MAX, false)?;
        }
        let mut tx = self.begin_write().await?;
        let consultation = fetch(&mut tx, organ_id, id).await?;
        match consultation.state(today) {
            ConsultationState::Closed => {}
            ConsultationState::FeedbackPublished => {
                return Err(StoreError::NotAllowed("反馈情况已经公布过。".into()));
            }
            ConsultationState::Upcoming | ConsultationState::Open => {
                return Err(StoreError::NotAllowed(format!(
                    "意见征集于 {} 截止，截止后才能公布反馈情况。",
                    format_date(consultation.input.end)
                )));
            }
        }
        let tally = Tally::of(&fetch_comments(&mut tx, organ_id, id).await?);
        if tally.pending > 0 {
            return Err(StoreError::NotAllowed(format!(
                "尚有 {} 条意见未处理，请逐条处理后再公布反馈情况。",
                tally.pending
            )));
        }
        if tally.partly > 0 && feedback.partly_reasons.trim().is_empty() {
            return Err(invalid("partly_reasons", "有部分采纳的意见，请说明理由。"));
        }
        if tally.not_adopted > 0 && feedback.not_adopted_reasons.trim().is_empty() {
            return Err(invalid(
                "not_adopted_reasons",
                "有未采纳的意见，请说明理由。",
            ));
        }
        sqlx::query(
            "UPDATE consultations SET feedback_summary = $1, adopted_reasons = $2, \
             partly_reasons = $3, not_adopted_reasons = $4, feedback_on = $5, feedback_at = $6 \
             WHERE id = $7 AND organ_id = $8",
        )
        .bind(feedback.summary.trim())
        .bind(feedback.adopted_reasons.trim())
        .bind(feedback.partly_reasons.trim())
        .bind(feedback.not_adopted_reasons.trim())
        .bind(format_date(today))
        .bind(now)
        .bind(id)
        .bind(organ_id)
        .execute(&mut *tx)
        .await?;
        let after = fetch(&mut tx, organ_id, id).await?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "consultation.feedback",
                entity: "consultation",
                entity_id: id.to_string(),
                before: Some(audit_value(&consultation)),
                after: Some(json!({
                    "title": after.input.title,
                    "feedback_on": format_date(today),
                    "tally": tally_value(&tally),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        parse_date(text).unwrap()
    }

    fn input(start: Date, end: Date, reason: &str) -> ConsultationInput {
        ConsultationInput {
            title: "某某管理办法（征求意见稿）".into(),
            draft: "第一条 为了……".into(),
            explanation: String::new(),
            start,
            end,
            short_reason: reason.into(),
            contact: String::new(),
        }
    }

    #[test]
    fn thirty_days_count_both_ends() {
        // 2024-01-01 to 2024-01-30 is 30 days: long enough without a reason.
        let today = date("2024-01-01");
        assert_eq!(input(today, date("2024-01-30"), "").days(), 30);
        assert!(check(&input(today, date("2024-01-30"), ""), today).is_ok());
        let short = check(&input(today, date("2024-01-29"), ""), today);
        assert!(
            matches!(&short, Err(StoreError::Invalid { field: "short_reason", message })
                if message.contains("第十四条") && message.contains("29日")),
            "{short:?}"
        );
    }

    #[test]
    fn decisions_have_labels() {
        for (key, label) in DECISIONS {
            assert_eq!(decision_label(key), label);
        }
        assert_eq!(decision_label("maybe"), "");
    }
}
