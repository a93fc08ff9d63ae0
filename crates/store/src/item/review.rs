//! Review before publication as data: an organ's chain of steps (科室审核 → 保密审查 → 领导签发
//! by default, 条例 art. 17 for the 保密审查), the stages an item goes through, and [`RULES`],
//! the one table of which action each stage admits and which permission it takes.
//!
//! [`decide`] judges in this order: a permission of the caller's roles (403), the stage (409),
//! for a review step the role the step names (403), and last the author, who never approves or
//! rejects a step of their own work (409).

use serde::{Deserialize, Serialize};

use crate::{Permission, Role};

/// One step of a review chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewStep {
    /// What the step is called (科室审核, 保密审查, 领导签发, …).
    pub name: String,
    /// The role that takes it: a role whose permissions include `ReviewItems`.
    #[serde(with = "role_key")]
    pub role: Role,
}

mod role_key {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::Role;

    pub fn serialize<S: Serializer>(role: &Role, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(role.key())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Role, D::Error> {
        let key = String::deserialize(d)?;
        Role::from_key(&key).ok_or_else(|| serde::de::Error::custom(format!("role {key}")))
    }
}

/// The most steps a chain may have.
pub const MAX_STEPS: usize = 6;

/// The default chain: 科室审核 and 保密审查 by a 审核人, 领导签发 by the 负责人.
pub fn default_chain() -> Vec<ReviewStep> {
    vec![
        ReviewStep {
            name: "科室审核".into(),
            role: Role::Reviewer,
        },
        ReviewStep {
            name: "保密审查".into(),
            role: Role::Reviewer,
        },
        ReviewStep {
            name: "领导签发".into(),
            role: Role::Head,
        },
    ]
}

/// Checks a chain: 1 to [`MAX_STEPS`] steps, each named (at most 20 characters) and taken by a
/// role that reviews. The sentence says what is wrong.
pub fn check_chain(chain: &[ReviewStep]) -> Result<(), String> {
    if chain.is_empty() || chain.len() > MAX_STEPS {
        return Err(format!("审核流程应有 1 至 {MAX_STEPS} 个步骤。"));
    }
    for (i, step) in chain.iter().enumerate() {
        let name = step.name.trim();
        if name.is_empty() || name.chars().count() > 20 {
            return Err(format!("第 {} 步的名称应为 1 至 20 个字。", i + 1));
        }
        if !step.role.allows(Permission::ReviewItems) {
            return Err(format!(
                "第 {} 步（{name}）的办理角色应为审核人或负责人。",
                i + 1
            ));
        }
    }
    Ok(())
}

/// Where an item stands, computed from its ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Not yet published; being written (or returned by a reviewer).
    Draft,
    /// Not yet published; submitted and going through the chain.
    InReview,
    /// On the portal, nothing pending.
    Published,
    /// On the portal, with a new version being written.
    Revising,
    /// On the portal, with a new version going through the chain.
    RevisionInReview,
    /// Taken off the portal for good; its 索引号 stays its own.
    Withdrawn,
}

impl Stage {
    /// Every stage, in the order of the matrix test.
    pub const ALL: [Stage; 6] = [
        Stage::Draft,
        Stage::InReview,
        Stage::Published,
        Stage::Revising,
        Stage::RevisionInReview,
        Stage::Withdrawn,
    ];

    /// The API's status: `draft`, `in_review`, `published` or `withdrawn` (a published item
    /// with a new version pending is `published`).
    pub const fn status(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::InReview => "in_review",
            Stage::Published | Stage::Revising | Stage::RevisionInReview => "published",
            Stage::Withdrawn => "withdrawn",
        }
    }

    /// Stable key, as in the matrix.
    pub const fn key(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::InReview => "in_review",
            Stage::Published => "published",
            Stage::Revising => "revising",
            Stage::RevisionInReview => "revision_in_review",
            Stage::Withdrawn => "withdrawn",
        }
    }

    /// Chinese label.
    pub const fn label(self) -> &'static str {
        match self {
            Stage::Draft => "草稿",
            Stage::InReview => "审核中",
            Stage::Published => "已发布",
            Stage::Revising => "已发布（修订稿待提交）",
            Stage::RevisionInReview => "已发布（修订稿审核中）",
            Stage::Withdrawn => "已撤回",
        }
    }

    /// Whether a version of the item is on the portal.
    pub const fn is_public(self) -> bool {
        matches!(
            self,
            Stage::Published | Stage::Revising | Stage::RevisionInReview
        )
    }

    /// Whether a version is going through the chain.
    pub const fn in_review(self) -> bool {
        matches!(self, Stage::InReview | Stage::RevisionInReview)
    }
}

/// What staff do to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemAction {
    /// Save a new version of the content (of a published item: a revision).
    Edit,
    /// Send the working version into the chain.
    Submit,
    /// Approve the current step; the last approval publishes.
    Approve,
    /// Return the version to its author with the reason.
    Reject,
    /// Take the item off the portal.
    Withdraw,
    /// Record a change of 有效性 (已修订, 失效, 废止, or 有效 again).
    ChangeValidity,
}

impl ItemAction {
    /// Every action, in the order of the matrix test.
    pub const ALL: [ItemAction; 6] = [
        ItemAction::Edit,
        ItemAction::Submit,
        ItemAction::Approve,
        ItemAction::Reject,
        ItemAction::Withdraw,
        ItemAction::ChangeValidity,
    ];

    /// Stable key (the API's `action`, but `repeal` for a change of 有效性).
    pub const fn key(self) -> &'static str {
        match self {
            ItemAction::Edit => "edit",
            ItemAction::Submit => "submit",
            ItemAction::Approve => "approve",
            ItemAction::Reject => "reject",
            ItemAction::Withdraw => "withdraw",
            ItemAction::ChangeValidity => "validity",
        }
    }

    /// Chinese name.
    pub const fn label(self) -> &'static str {
        match self {
            ItemAction::Edit => "修改",
            ItemAction::Submit => "提交审核",
            ItemAction::Approve => "审核通过",
            ItemAction::Reject => "退回修改",
            ItemAction::Withdraw => "撤回",
            ItemAction::ChangeValidity => "变更有效性",
        }
    }
}

/// One rule: an action, the stages that admit it, the permission it takes.
#[derive(Debug, Clone, Copy)]
pub struct ItemRule {
    /// The action.
    pub action: ItemAction,
    /// The stages that admit it.
    pub stages: &'static [Stage],
    /// The permission a role must give.
    pub permission: Permission,
}

use Stage as S;

const PUBLIC: &[Stage] = &[S::Published, S::Revising, S::RevisionInReview];
const REVIEWING: &[Stage] = &[S::InReview, S::RevisionInReview];

/// The item workflow. Editors write, submit, withdraw and record 有效性; reviewers take the
/// steps of the chain. A version under review is not edited (a reviewer returns it instead),
/// and a withdrawn item takes no further step: its page is gone and its number retired.
pub const RULES: [ItemRule; 6] = [
    ItemRule {
        action: ItemAction::Edit,
        stages: &[S::Draft, S::Published, S::Revising],
        permission: Permission::EditItems,
    },
    ItemRule {
        action: ItemAction::Submit,
        stages: &[S::Draft, S::Revising],
        permission: Permission::EditItems,
    },
    ItemRule {
        action: ItemAction::Approve,
        stages: REVIEWING,
        permission: Permission::ReviewItems,
    },
    ItemRule {
        action: ItemAction::Reject,
        stages: REVIEWING,
        permission: Permission::ReviewItems,
    },
    ItemRule {
        action: ItemAction::Withdraw,
        stages: PUBLIC,
        permission: Permission::EditItems,
    },
    ItemRule {
        action: ItemAction::ChangeValidity,
        stages: PUBLIC,
        permission: Permission::EditItems,
    },
];

/// The rule of an action.
pub fn rule(action: ItemAction) -> &'static ItemRule {
    // RULES lists every action once, in the order of ItemAction::ALL (a test checks it).
    &RULES[ItemAction::ALL
        .iter()
        .position(|a| *a == action)
        .unwrap_or(0)]
}

/// The answer of [`decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemDecision {
    /// The action may be taken.
    Allowed,
    /// No role of the caller allows it, or the current step is another role's (403).
    Forbidden,
    /// The stage does not admit it (409).
    NotNow,
    /// The caller wrote the version under review (409).
    OwnWork,
}

/// Whether a caller holding `roles` may take `action` on an item in `stage`. `step_role` is
/// the role of the current review step (for approve and reject), `author` whether the caller
/// wrote or submitted the version under review.
pub fn decide(
    stage: Stage,
    action: ItemAction,
    roles: &[Role],
    step_role: Option<Role>,
    author: bool,
) -> ItemDecision {
    let rule = rule(action);
    if !roles.iter().any(|r| r.allows(rule.permission)) {
        return ItemDecision::Forbidden;
    }
    if !rule.stages.contains(&stage) {
        return ItemDecision::NotNow;
    }
    if matches!(action, ItemAction::Approve | ItemAction::Reject) {
        if !step_role.is_some_and(|step| roles.contains(&step)) {
            return ItemDecision::Forbidden;
        }
        if author {
            return ItemDecision::OwnWork;
        }
    }
    ItemDecision::Allowed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_follow_the_order_of_actions() {
        for (rule, action) in RULES.iter().zip(ItemAction::ALL) {
            assert_eq!(rule.action, action);
        }
    }

    #[test]
    fn the_default_chain_ends_with_the_heads_signature() {
        let chain = default_chain();
        assert!(check_chain(&chain).is_ok());
        assert_eq!(chain.last().map(|s| s.role), Some(Role::Head));
        // Editors and case handlers do not review.
        let bad = vec![ReviewStep {
            name: "编辑自审".into(),
            role: Role::Editor,
        }];
        assert!(check_chain(&bad).is_err());
        assert!(check_chain(&[]).is_err());
    }
}
