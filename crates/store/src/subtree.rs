//! An organ's subtree (the organ and every organ below it), and the scopes a superior office's
//! staff get over it. A role on an organ reaches its descendants only for the permissions that
//! say so ([`Permission::reaches_descendants`]: a superior office supervises its subordinates'
//! annual reports, it never handles their cases); it never reaches upwards or sideways.

use sqlx::Row;

use crate::organ::Organ;
use crate::{OrganId, OrganScope, Permission, Result, Store, StoreError, UserId};

impl Store {
    /// The organs above `organ_id`, nearest first (its parent, its parent's parent…).
    pub async fn ancestors(&self, organ_id: OrganId) -> Result<Vec<OrganId>> {
        let rows = sqlx::query(
            "WITH RECURSIVE up (id, parent_id, depth) AS ( \
               SELECT id, parent_id, 0 FROM organs WHERE id = $1 \
               UNION ALL \
               SELECT o.id, o.parent_id, up.depth + 1 FROM organs o JOIN up ON o.id = up.parent_id \
             ) SELECT id FROM up WHERE depth > 0 ORDER BY depth",
        )
        .bind(organ_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| r.try_get::<i64, _>("id").map_err(StoreError::from))
            .collect()
    }

    /// The scope's organ and every organ below it, each with its depth below the scope's
    /// organ (0 for itself), parents before children.
    pub async fn subtree(&self, scope: OrganScope) -> Result<Vec<(Organ, u32)>> {
        let rows = sqlx::query(
            "WITH RECURSIVE down (id, depth) AS ( \
               SELECT id, 0 FROM organs WHERE id = $1 \
               UNION ALL \
               SELECT o.id, down.depth + 1 FROM organs o JOIN down ON o.parent_id = down.id \
             ) SELECT id, depth FROM down ORDER BY depth, id",
        )
        .bind(scope.organ_id())
        .fetch_all(self.pool())
        .await?;
        let mut depths = std::collections::HashMap::new();
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let depth: i64 = row.try_get("depth")?;
            depths.insert(id, u32::try_from(depth).unwrap_or(u32::MAX));
        }
        // One query for the organs, not one per organ: a province has thousands.
        let by_parent: Vec<(Organ, u32)> = self
            .organs()
            .await?
            .into_iter()
            .filter_map(|o| depths.get(&o.id).copied().map(|d| (o, d)))
            .collect();
        let mut out = Vec::with_capacity(by_parent.len());
        // Depth-first, children after their parent, so a list reads as the tree.
        fn visit(all: &[(Organ, u32)], id: OrganId, out: &mut Vec<(Organ, u32)>) {
            if let Some(node) = all.iter().find(|(o, _)| o.id == id) {
                out.push(node.clone());
                for (child, _) in all.iter().filter(|(o, _)| o.parent_id == Some(id)) {
                    visit(all, child.id, out);
                }
            }
        }
        visit(&by_parent, scope.organ_id(), &mut out);
        Ok(out)
    }

    /// The scope for `organ_id`, a member of the subtree of `superior` (`organ_id` itself or
    /// below it); [`StoreError::NotFound`] otherwise, so that no other organ is reachable.
    pub async fn descendant_scope(
        &self,
        superior: OrganScope,
        organ_id: OrganId,
    ) -> Result<OrganScope> {
        if organ_id == superior.organ_id()
            || self
                .ancestors(organ_id)
                .await?
                .contains(&superior.organ_id())
        {
            Ok(OrganScope::system(organ_id))
        } else {
            Err(StoreError::NotFound("organ"))
        }
    }

    /// The scope for `permission` on `organ_id` held by `user_id` through a role on the organ
    /// itself or, for a permission that reaches descendants, on an organ above it.
    pub async fn subtree_scope(
        &self,
        user_id: UserId,
        organ_id: OrganId,
        permission: Permission,
    ) -> Result<OrganScope> {
        match self.staff_scope(user_id, organ_id, permission).await {
            Err(StoreError::Forbidden) if permission.reaches_descendants() => {}
            other => return other,
        }
        for ancestor in self.ancestors(organ_id).await? {
            if self
                .staff_scope(user_id, ancestor, permission)
                .await
                .is_ok()
            {
                return Ok(OrganScope::system(organ_id));
            }
        }
        Err(StoreError::Forbidden)
    }
}
