//! Organs in a tree: name, 统一社会信用代码, level, parent; the 政府信息公开工作机构 (条例 art. 4,
//! art. 12); the website identity of spec/domain.md §6 (网站名称, 域名, 网站标识码, ICP备案,
//! 公安机关备案, 主办, 承办, 联系方式).

use serde::Serialize;
use sqlx::Row;

use crate::audit;
use crate::{Actor, OrganId, OrganScope, Result, Store, StoreError};

/// The settings of an organ that its administrators edit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OrganSettings {
    /// 机关名称.
    pub name: String,
    /// 统一社会信用代码 (18 characters), empty if not entered.
    pub credit_code: String,
    /// 层级, e.g. 市级, 县级.
    pub level: String,
    /// 政府信息公开工作机构 名称.
    pub office_name: String,
    /// 办公地址.
    pub office_address: String,
    /// 邮政编码.
    pub office_postcode: String,
    /// 办公时间.
    pub office_hours: String,
    /// 联系电话.
    pub office_phone: String,
    /// 传真号码.
    pub office_fax: String,
    /// 电子邮箱 (互联网联系方式).
    pub office_email: String,
    /// 网站名称.
    pub site_name: String,
    /// 网站域名, e.g. `kfq.hlbe.gov.cn`.
    pub site_domain: String,
    /// 政府网站标识码 (10 characters).
    pub site_id_code: String,
    /// ICP备案编号.
    pub icp_record: String,
    /// 公安机关备案号.
    pub police_record: String,
    /// 主办单位.
    pub sponsor: String,
    /// 承办单位.
    pub organizer: String,
    /// 网站联系方式 (footer).
    pub site_contact: String,
    /// 政府信息公开制度: the organ's rules, shown in the 专栏.
    pub disclosure_rules: String,
}

/// An organ as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organ {
    /// Identifier.
    pub id: OrganId,
    /// The superior organ, if any.
    pub parent_id: Option<OrganId>,
    /// Everything its administrators edit.
    #[serde(flatten)]
    pub settings: OrganSettings,
    /// When it was created (Unix seconds).
    pub created_at: i64,
}

macro_rules! organ_columns {
    () => {
        "id, parent_id, name, credit_code, level, office_name, office_address, \
    office_postcode, office_hours, office_phone, office_fax, office_email, site_name, \
    site_domain, site_id_code, icp_record, police_record, sponsor, organizer, site_contact, \
    disclosure_rules, created_at"
    };
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<Organ> {
    Ok(Organ {
        id: row.try_get("id")?,
        parent_id: row.try_get("parent_id")?,
        settings: OrganSettings {
            name: row.try_get("name")?,
            credit_code: row
                .try_get::<Option<String>, _>("credit_code")?
                .unwrap_or_default(),
            level: row.try_get("level")?,
            office_name: row.try_get("office_name")?,
            office_address: row.try_get("office_address")?,
            office_postcode: row.try_get("office_postcode")?,
            office_hours: row.try_get("office_hours")?,
            office_phone: row.try_get("office_phone")?,
            office_fax: row.try_get("office_fax")?,
            office_email: row.try_get("office_email")?,
            site_name: row.try_get("site_name")?,
            site_domain: row.try_get("site_domain")?,
            site_id_code: row.try_get("site_id_code")?,
            icp_record: row.try_get("icp_record")?,
            police_record: row.try_get("police_record")?,
            sponsor: row.try_get("sponsor")?,
            organizer: row.try_get("organizer")?,
            site_contact: row.try_get("site_contact")?,
            disclosure_rules: row.try_get("disclosure_rules")?,
        },
        created_at: row.try_get("created_at")?,
    })
}

/// An empty credit code is stored as NULL so that many organs may lack one.
/// Binds the settings' 19 columns in the order both the INSERT and the UPDATE list them, so the
/// two statements cannot drift apart.
fn bind_settings<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    s: &'q OrganSettings,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    query
        .bind(&s.name)
        .bind(credit_code_value(&s.credit_code))
        .bind(&s.level)
        .bind(&s.office_name)
        .bind(&s.office_address)
        .bind(&s.office_postcode)
        .bind(&s.office_hours)
        .bind(&s.office_phone)
        .bind(&s.office_fax)
        .bind(&s.office_email)
        .bind(&s.site_name)
        .bind(&s.site_domain)
        .bind(&s.site_id_code)
        .bind(&s.icp_record)
        .bind(&s.police_record)
        .bind(&s.sponsor)
        .bind(&s.organizer)
        .bind(&s.site_contact)
        .bind(&s.disclosure_rules)
}

fn credit_code_value(code: &str) -> Option<String> {
    let code = code.trim();
    (!code.is_empty()).then(|| code.to_owned())
}

impl Store {
    /// Creates an organ under `parent` (or as a root).
    pub async fn create_organ(
        &self,
        actor: &Actor,
        now: i64,
        parent: Option<OrganId>,
        settings: &OrganSettings,
    ) -> Result<Organ> {
        let mut tx = self.begin_write().await?;
        let s = settings;
        let query = sqlx::query(
            "INSERT INTO organs (parent_id, name, credit_code, level, office_name, office_address, \
             office_postcode, office_hours, office_phone, office_fax, office_email, site_name, \
             site_domain, site_id_code, icp_record, police_record, sponsor, organizer, \
             site_contact, disclosure_rules, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             $18, $19, $20, $21) RETURNING id",
        )
        .bind(parent);
        let row = bind_settings(query, s)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
        let id: OrganId = row.try_get("id")?;
        let organ = fetch_organ(&mut tx, id).await?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(id),
                action: "organ.create",
                entity: "organ",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&organ)?),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(organ)
    }

    /// One organ. Organ identity is public (it is printed on the portal), so no scope is needed.
    pub async fn organ(&self, id: OrganId) -> Result<Organ> {
        let mut conn = self.pool().acquire().await?;
        fetch_organ(&mut conn, id).await
    }

    /// Every organ, parents before children.
    pub async fn organs(&self) -> Result<Vec<Organ>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            organ_columns!(),
            " FROM organs ORDER BY id"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// The direct subordinates of an organ.
    pub async fn child_organs(&self, parent: OrganId) -> Result<Vec<Organ>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            organ_columns!(),
            " FROM organs WHERE parent_id = $1 ORDER BY id"
        ))
        .bind(parent)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// The first root organ (the deployment's own site when none is configured).
    pub async fn first_root_organ(&self) -> Result<Option<Organ>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            organ_columns!(),
            " FROM organs WHERE parent_id IS NULL ORDER BY id LIMIT 1"
        ))
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Finds an organ by id, 统一社会信用代码, website domain or exact name (for the command
    /// line and the configuration).
    pub async fn find_organ(&self, key: &str) -> Result<Option<Organ>> {
        let key = key.trim();
        if let Ok(id) = key.parse::<i64>() {
            return match self.organ(id).await {
                Ok(organ) => Ok(Some(organ)),
                Err(StoreError::NotFound(_)) => Ok(None),
                Err(e) => Err(e),
            };
        }
        let row = sqlx::query(concat!(
            "SELECT ",
            organ_columns!(),
            " FROM organs WHERE credit_code = $1 OR site_domain = $1 OR name = $1 \
             ORDER BY id LIMIT 1"
        ))
        .bind(key)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Replaces an organ's settings, recording before and after in the audit log.
    pub async fn update_organ_settings(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        settings: &OrganSettings,
    ) -> Result<Organ> {
        let id = scope.organ_id();
        let mut tx = self.begin_write().await?;
        let before = fetch_organ(&mut tx, id).await?;
        let s = settings;
        let query = sqlx::query(
            "UPDATE organs SET name = $1, credit_code = $2, level = $3, office_name = $4, \
             office_address = $5, office_postcode = $6, office_hours = $7, office_phone = $8, \
             office_fax = $9, office_email = $10, site_name = $11, site_domain = $12, \
             site_id_code = $13, icp_record = $14, police_record = $15, sponsor = $16, \
             organizer = $17, site_contact = $18, disclosure_rules = $19 WHERE id = $20",
        );
        bind_settings(query, s).bind(id).execute(&mut *tx).await?;
        let after = fetch_organ(&mut tx, id).await?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(id),
                action: "organ.update",
                entity: "organ",
                entity_id: id.to_string(),
                before: Some(serde_json::to_value(&before)?),
                after: Some(serde_json::to_value(&after)?),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

async fn fetch_organ(conn: &mut sqlx::AnyConnection, id: OrganId) -> Result<Organ> {
    let row = sqlx::query(concat!(
        "SELECT ",
        organ_columns!(),
        " FROM organs WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("organ"))?;
    from_row(&row)
}
