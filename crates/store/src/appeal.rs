//! 行政复议 and 行政诉讼 about the organ's disclosure work (表四), linked to the application they
//! arose from where known. The result is the 表四 column it counts in.

use serde_json::json;
use sqlx::Row;

use crate::application::{ApplicationId, fetch_application};
use crate::{Actor, OrganScope, Result, Store, StoreError, audit};

/// The kinds of 表四: 行政复议, 未经复议直接起诉, 复议后起诉.
pub const APPEAL_KINDS: [(&str, &str); 3] = [
    ("reconsideration", "行政复议"),
    ("litigation_direct", "行政诉讼（未经复议直接起诉）"),
    ("litigation_after_reconsideration", "行政诉讼（复议后起诉）"),
];

/// The results of 表四: 维持, 纠正, 其他结果, 尚未审结.
pub const APPEAL_RESULTS: [(&str, &str); 4] = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
];

/// The label of a kind or result key.
pub fn label(table: &[(&'static str, &'static str)], key: &str) -> &'static str {
    table
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, l)| *l)
}

/// An appeal as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppealInput {
    /// A key of [`APPEAL_KINDS`].
    pub kind: String,
    /// The application it concerns.
    pub application_id: Option<ApplicationId>,
    /// Filed, `YYYY-MM-DD`.
    pub filed: String,
    /// 复议机关 or court.
    pub body: String,
    /// A key of [`APPEAL_RESULTS`].
    pub result: String,
    /// Decided, `YYYY-MM-DD`, unless pending.
    pub decided: Option<String>,
    /// Note.
    pub note: String,
}

/// An appeal as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appeal {
    /// Identifier.
    pub id: i64,
    /// The facts.
    pub input: AppealInput,
    /// The application's 申请编号, if linked.
    pub application_number: Option<String>,
}

fn check(input: &AppealInput) -> Result<()> {
    let invalid = |field: &'static str, message: &str| StoreError::Invalid {
        field,
        message: message.to_owned(),
    };
    if label(&APPEAL_KINDS, &input.kind).is_empty() {
        return Err(invalid(
            "kind",
            "类型应为 reconsideration、litigation_direct 或 litigation_after_reconsideration。",
        ));
    }
    if label(&APPEAL_RESULTS, &input.result).is_empty() {
        return Err(invalid(
            "result",
            "结果应为 upheld、corrected、other 或 pending。",
        ));
    }
    let filed = gongkai_core::calendar::parse_date(&input.filed)
        .ok_or_else(|| invalid("filed", "请填写受理（立案）日期，格式为 YYYY-MM-DD。"))?;
    match (&input.decided, input.result.as_str()) {
        (Some(_), "pending") => {
            return Err(invalid("decided", "尚未审结的案件不应填写审结日期。"));
        }
        (None, r) if r != "pending" => {
            return Err(invalid("decided", "已审结的案件请填写审结日期。"));
        }
        (Some(d), _) => {
            let decided = gongkai_core::calendar::parse_date(d)
                .ok_or_else(|| invalid("decided", "审结日期格式应为 YYYY-MM-DD。"))?;
            if decided < filed {
                return Err(invalid("decided", "审结日期早于受理日期。"));
            }
        }
        _ => {}
    }
    Ok(())
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Appeal> {
    Ok(Appeal {
        id: row.try_get("id")?,
        input: AppealInput {
            kind: row.try_get("kind")?,
            application_id: row.try_get("application_id")?,
            filed: row.try_get("filed")?,
            body: row.try_get("body")?,
            result: row.try_get("result")?,
            decided: row.try_get("decided")?,
            note: row.try_get("note")?,
        },
        application_number: row.try_get("number")?,
    })
}

const SELECT: &str = "SELECT p.id, p.kind, p.application_id, p.filed, p.body, p.result, \
     p.decided, p.note, a.number FROM appeals p LEFT JOIN applications a \
     ON a.id = p.application_id";

fn audit_value(input: &AppealInput) -> serde_json::Value {
    json!({
        "kind": input.kind,
        "application_id": input.application_id,
        "filed": input.filed,
        "body": input.body,
        "result": input.result,
        "decided": input.decided,
    })
}

impl Store {
    /// Records an appeal; a linked application must be the organ's own.
    pub async fn create_appeal(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        input: &AppealInput,
    ) -> Result<Appeal> {
        check(input)?;
        let organ_id = scope.organ_id();
        let mut tx = self.begin_write().await?;
        if let Some(app) = input.application_id {
            fetch_application(&mut tx, organ_id, app)
                .await
                .map_err(|_| StoreError::Invalid {
                    field: "application_id",
                    message: "本机关没有该申请。".into(),
                })?;
        }
        let row = sqlx::query(
            "INSERT INTO appeals (organ_id, application_id, kind, filed, body, result, decided, \
             note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
             RETURNING id",
        )
        .bind(organ_id)
        .bind(input.application_id)
        .bind(&input.kind)
        .bind(&input.filed)
        .bind(&input.body)
        .bind(&input.result)
        .bind(input.decided.clone())
        .bind(&input.note)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(organ_id),
                action: "appeal.create",
                entity: "appeal",
                entity_id: id.to_string(),
                before: None,
                after: Some(audit_value(input)),
            },
        )
        .await?;
        tx.commit().await?;
        self.appeal(scope, id).await
    }

    /// Changes an appeal's result (and anything else entered).
    pub async fn update_appeal(
        &self,
        actor: &Actor,
        scope: OrganScope,
        id: i64,
        now: i64,
        input: &AppealInput,
    ) -> Result<Appeal> {
        check(input)?;
        let before = self.appeal(scope, id).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE appeals SET kind = $1, application_id = $2, filed = $3, body = $4, \
             result = $5, decided = $6, note = $7, updated_at = $8 WHERE id = $9 AND organ_id = $10",
        )
        .bind(&input.kind)
        .bind(input.application_id)
        .bind(&input.filed)
        .bind(&input.body)
        .bind(&input.result)
        .bind(input.decided.clone())
        .bind(&input.note)
        .bind(now)
        .bind(id)
        .bind(scope.organ_id())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(scope.organ_id()),
                action: "appeal.update",
                entity: "appeal",
                entity_id: id.to_string(),
                before: Some(audit_value(&before.input)),
                after: Some(audit_value(input)),
            },
        )
        .await?;
        tx.commit().await?;
        self.appeal(scope, id).await
    }

    /// One appeal of the organ.
    pub async fn appeal(&self, scope: OrganScope, id: i64) -> Result<Appeal> {
        let sql = format!("{SELECT} WHERE p.id = $1 AND p.organ_id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(scope.organ_id())
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound("appeal"))?;
        from_row(&row)
    }

    /// The organ's appeals, newest first.
    pub async fn appeals(&self, scope: OrganScope) -> Result<Vec<Appeal>> {
        let sql = format!("{SELECT} WHERE p.organ_id = $1 ORDER BY p.filed DESC, p.id DESC");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(scope.organ_id())
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(from_row).collect()
    }
}
