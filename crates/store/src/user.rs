//! Staff accounts and their roles per organ. Password hashes are stored, never passwords; the
//! hashing itself (argon2id) is the web crate's business.

use serde::Serialize;
use sqlx::Row;

use crate::audit;
use crate::{Actor, OrganId, OrganScope, Permission, Result, Role, Store, StoreError, UserId};

/// A staff account (without its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Identifier.
    pub id: UserId,
    /// Login name, unique in the deployment.
    pub username: String,
    /// The name shown to colleagues.
    pub display_name: String,
    /// Whether the account may log in.
    pub active: bool,
    /// When it was created (Unix seconds).
    pub created_at: i64,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    /// Login name.
    pub username: &'a str,
    /// Shown name.
    pub display_name: &'a str,
    /// An argon2id PHC string.
    pub password_hash: &'a str,
}

/// A member of an organ's staff with the roles held there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    /// The account.
    pub user: User,
    /// Roles on this organ.
    pub roles: Vec<Role>,
}

macro_rules! user_columns {
    () => {
        "id, username, display_name, active, created_at"
    };
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<User> {
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        active: row.try_get::<i64, _>("active")? != 0,
        created_at: row.try_get("created_at")?,
    })
}

impl Store {
    /// Creates an account holding `role` on the scope's organ.
    pub async fn create_user(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        new: &NewUser<'_>,
        role: Role,
    ) -> Result<User> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO users (username, display_name, password_hash, active, created_at) \
             VALUES ($1, $2, $3, 1, $4) RETURNING id",
        )
        .bind(new.username)
        .bind(new.display_name)
        .bind(new.password_hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: UserId = row.try_get("id")?;
        sqlx::query("INSERT INTO memberships (user_id, organ_id, role) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(scope.organ_id())
            .bind(role.key())
            .execute(&mut *tx)
            .await?;
        let user = fetch_user(&mut tx, id).await?;
        let mut after = serde_json::to_value(&user)?;
        if let Some(map) = after.as_object_mut() {
            map.insert("role".into(), role.key().into());
        }
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(scope.organ_id()),
                action: "user.create",
                entity: "user",
                entity_id: id.to_string(),
                before: None,
                after: Some(after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Grants an existing account a role on the scope's organ (no-op if already held).
    pub async fn grant_role(
        &self,
        actor: &Actor,
        scope: OrganScope,
        now: i64,
        user_id: UserId,
        role: Role,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let held = sqlx::query(
            "SELECT 1 AS one FROM memberships WHERE user_id = $1 AND organ_id = $2 AND role = $3",
        )
        .bind(user_id)
        .bind(scope.organ_id())
        .bind(role.key())
        .fetch_optional(&mut *tx)
        .await?;
        if held.is_some() {
            return Ok(());
        }
        sqlx::query("INSERT INTO memberships (user_id, organ_id, role) VALUES ($1, $2, $3)")
            .bind(user_id)
            .bind(scope.organ_id())
            .bind(role.key())
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            audit::Entry {
                at: now,
                actor,
                organ_id: Some(scope.organ_id()),
                action: "role.grant",
                entity: "membership",
                entity_id: format!("{user_id}/{}", role.key()),
                before: None,
                after: Some(serde_json::json!({"user_id": user_id, "role": role.key()})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One account.
    pub async fn user(&self, id: UserId) -> Result<User> {
        let mut conn = self.pool().acquire().await?;
        fetch_user(&mut conn, id).await
    }

    /// An account and its password hash, by login name.
    pub async fn user_credentials(&self, username: &str) -> Result<Option<(User, String)>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            ", password_hash FROM users WHERE username = $1"
        ))
        .bind(username)
        .fetch_optional(self.pool())
        .await?;
        match row {
            Some(row) => Ok(Some((from_row(&row)?, row.try_get("password_hash")?))),
            None => Ok(None),
        }
    }

    /// Every (organ, role) an account holds.
    pub async fn memberships(&self, user_id: UserId) -> Result<Vec<(OrganId, Role)>> {
        let rows = sqlx::query(
            "SELECT organ_id, role FROM memberships WHERE user_id = $1 ORDER BY organ_id, role",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let role: String = row.try_get("role")?;
            // A role key this version does not know grants nothing.
            if let Some(role) = Role::from_key(&role) {
                out.push((row.try_get("organ_id")?, role));
            }
        }
        Ok(out)
    }

    /// The roles an account holds on one organ.
    pub async fn roles_on(&self, user_id: UserId, organ_id: OrganId) -> Result<Vec<Role>> {
        Ok(self
            .memberships(user_id)
            .await?
            .into_iter()
            .filter(|(o, _)| *o == organ_id)
            .map(|(_, r)| r)
            .collect())
    }

    /// The scope for a staff member acting on an organ, if one of their roles there allows
    /// `permission`. Roles on other organs (even superiors) grant nothing here.
    pub async fn staff_scope(
        &self,
        user_id: UserId,
        organ_id: OrganId,
        permission: Permission,
    ) -> Result<OrganScope> {
        let roles = self.roles_on(user_id, organ_id).await?;
        if roles.iter().any(|r| r.allows(permission)) {
            Ok(OrganScope::system(organ_id))
        } else {
            Err(StoreError::Forbidden)
        }
    }

    /// The staff of one organ with their roles there.
    pub async fn staff(&self, scope: OrganScope) -> Result<Vec<StaffMember>> {
        let rows = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.active, u.created_at, m.role \
             FROM users u JOIN memberships m ON m.user_id = u.id \
             WHERE m.organ_id = $1 ORDER BY u.id, m.role",
        )
        .bind(scope.organ_id())
        .fetch_all(self.pool())
        .await?;
        let mut out: Vec<StaffMember> = Vec::new();
        for row in &rows {
            let user = from_row(row)?;
            let role = Role::from_key(&row.try_get::<String, _>("role")?);
            match out.last_mut() {
                Some(last) if last.user.id == user.id => last.roles.extend(role),
                _ => out.push(StaffMember {
                    user,
                    roles: role.into_iter().collect(),
                }),
            }
        }
        Ok(out)
    }

    /// How many accounts exist.
    pub async fn user_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get("n")?)
    }
}

async fn fetch_user(conn: &mut sqlx::AnyConnection, id: UserId) -> Result<User> {
    let row = sqlx::query(concat!(
        "SELECT ",
        user_columns!(),
        " FROM users WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("user"))?;
    from_row(&row)
}
