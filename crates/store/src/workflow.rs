//! The case workflow as data: which action each role may take in each state of an application
//! (spec/workflows.md §4, after the MoJ correspondence tool). [`RULES`] is the one table; the
//! clock (`gongkai_core::clock`) then checks the sequence itself (once-only 补正 and extension,
//! dates, outcomes), so a step the table admits can still be refused for its dates.
//!
//! Roles are checked before states: a case handler asking to approve an extension is refused
//! (403) whatever the state; a 负责人 approving a second one is refused by the state (409).

use gongkai_core::clock::{PauseKind, Status};

use crate::Role;

/// Where a case stands, as the workflow sees it: the clock's status, with a pending extension
/// request told apart from a plain running clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseState {
    /// The reply clock runs.
    Running,
    /// Running, and a case handler has asked the 负责人 for an extension.
    ExtensionRequested,
    /// Stopped while a third party or another organ is consulted (arts. 32, 34).
    Consulting,
    /// Stopped until the fee is paid (国办函〔2020〕109号).
    AwaitingFee,
    /// Waiting for the applicant's 补正 (art. 30).
    AwaitingCorrection,
    /// The 补正 deadline has passed.
    CorrectionOverdue,
    /// The payment deadline has passed.
    FeeOverdue,
    /// Closed with an outcome.
    Closed,
}

impl CaseState {
    /// Every state, in the order of the matrix test.
    pub const ALL: [CaseState; 8] = [
        CaseState::Running,
        CaseState::ExtensionRequested,
        CaseState::Consulting,
        CaseState::AwaitingFee,
        CaseState::AwaitingCorrection,
        CaseState::CorrectionOverdue,
        CaseState::FeeOverdue,
        CaseState::Closed,
    ];

    /// The state of a clock status, given whether an extension request is pending.
    pub fn of(status: Status, extension_pending: bool) -> CaseState {
        match status {
            Status::Running if extension_pending => CaseState::ExtensionRequested,
            Status::Running => CaseState::Running,
            Status::Paused(PauseKind::Consultation) => CaseState::Consulting,
            Status::Paused(PauseKind::Fee) => CaseState::AwaitingFee,
            Status::AwaitingCorrection => CaseState::AwaitingCorrection,
            Status::CorrectionOverdue => CaseState::CorrectionOverdue,
            Status::FeeOverdue => CaseState::FeeOverdue,
            Status::Closed(_) => CaseState::Closed,
        }
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            CaseState::Running => "办理中",
            CaseState::ExtensionRequested => "延期待批",
            CaseState::Consulting => "征求意见中",
            CaseState::AwaitingFee => "等待缴费",
            CaseState::AwaitingCorrection => "等待补正",
            CaseState::CorrectionOverdue => "补正期限已过",
            CaseState::FeeOverdue => "缴费期限已过",
            CaseState::Closed => "已办结",
        }
    }
}

/// A step staff take on a case. The keys are the ledger's event keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Tell the applicant, once, what to correct (art. 30).
    RequestCorrection,
    /// The correction arrived.
    ReceiveCorrection,
    /// Close as abandoned: no correction in time (art. 30).
    LapseCorrection,
    /// Consult a third party or another organ (arts. 32, 34).
    StartConsultation,
    /// The consulted party answered.
    AnswerConsultation,
    /// A case handler asks the 负责人 to extend the time limit.
    RequestExtension,
    /// The 工作机构负责人 approves an extension (art. 33 ¶2).
    ApproveExtension,
    /// The 负责人 refuses a requested extension.
    RefuseExtension,
    /// Send a 收费通知.
    SendFeeNotice,
    /// The fee was paid.
    RecordPayment,
    /// Close as abandoned: fee not paid in time.
    LapseFee,
    /// Reply, closing the case with one outcome (art. 36).
    Reply,
    /// Assign the case to a handler, or transfer it.
    Assign,
    /// Record that a notice was delivered (送达).
    RecordDelivery,
}

impl Action {
    /// Every action, in the order of the matrix test.
    pub const ALL: [Action; 14] = [
        Action::RequestCorrection,
        Action::ReceiveCorrection,
        Action::LapseCorrection,
        Action::StartConsultation,
        Action::AnswerConsultation,
        Action::RequestExtension,
        Action::ApproveExtension,
        Action::RefuseExtension,
        Action::SendFeeNotice,
        Action::RecordPayment,
        Action::LapseFee,
        Action::Reply,
        Action::Assign,
        Action::RecordDelivery,
    ];

    /// The ledger event key.
    pub const fn key(self) -> &'static str {
        match self {
            Action::RequestCorrection => "correction_requested",
            Action::ReceiveCorrection => "correction_received",
            Action::LapseCorrection => "correction_lapsed",
            Action::StartConsultation => "consultation_started",
            Action::AnswerConsultation => "consultation_answered",
            Action::RequestExtension => "extension_requested",
            Action::ApproveExtension => "extension_approved",
            Action::RefuseExtension => "extension_refused",
            Action::SendFeeNotice => "fee_notice_sent",
            Action::RecordPayment => "fee_paid",
            Action::LapseFee => "fee_lapsed",
            Action::Reply => "replied",
            Action::Assign => "assigned",
            Action::RecordDelivery => "notice_delivered",
        }
    }

    /// The action of a ledger event key.
    pub fn from_key(key: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.key() == key)
    }

    /// Chinese name, as on the case page's buttons.
    pub const fn label(self) -> &'static str {
        match self {
            Action::RequestCorrection => "告知补正",
            Action::ReceiveCorrection => "收到补正",
            Action::LapseCorrection => "逾期未补正，视为放弃",
            Action::StartConsultation => "征求意见",
            Action::AnswerConsultation => "收到意见",
            Action::RequestExtension => "申请延期",
            Action::ApproveExtension => "批准延期",
            Action::RefuseExtension => "不批准延期",
            Action::SendFeeNotice => "发出收费通知",
            Action::RecordPayment => "已缴费",
            Action::LapseFee => "逾期未缴费，视为放弃",
            Action::Reply => "答复并办结",
            Action::Assign => "分办／转办",
            Action::RecordDelivery => "登记送达",
        }
    }
}

/// One rule: an action, the states it may be taken in, the roles that may take it.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The action.
    pub action: Action,
    /// States that admit it.
    pub states: &'static [CaseState],
    /// Roles that may take it.
    pub roles: &'static [Role],
}

use CaseState as S;

const OPEN: &[CaseState] = &[
    S::Running,
    S::ExtensionRequested,
    S::Consulting,
    S::AwaitingFee,
    S::AwaitingCorrection,
    S::CorrectionOverdue,
    S::FeeOverdue,
];
const HANDLERS: &[Role] = &[Role::CaseHandler, Role::Head];
const HEAD: &[Role] = &[Role::Head];

/// The workflow. Administrators, editors and reviewers take no step on a case: the case roles
/// are 承办人 and 负责人, and only the 负责人 decides an extension (art. 33 ¶2).
pub const RULES: [Rule; 14] = [
    Rule {
        action: Action::RequestCorrection,
        states: &[S::Running],
        roles: HANDLERS,
    },
    Rule {
        action: Action::ReceiveCorrection,
        states: &[S::AwaitingCorrection, S::CorrectionOverdue],
        roles: HANDLERS,
    },
    Rule {
        action: Action::LapseCorrection,
        states: &[S::CorrectionOverdue],
        roles: HANDLERS,
    },
    Rule {
        action: Action::StartConsultation,
        states: &[S::Running, S::ExtensionRequested, S::Consulting],
        roles: HANDLERS,
    },
    Rule {
        action: Action::AnswerConsultation,
        states: &[S::Consulting],
        roles: HANDLERS,
    },
    Rule {
        action: Action::RequestExtension,
        states: &[S::Running, S::Consulting],
        roles: HANDLERS,
    },
    Rule {
        action: Action::ApproveExtension,
        states: &[S::Running, S::ExtensionRequested, S::Consulting],
        roles: HEAD,
    },
    Rule {
        action: Action::RefuseExtension,
        states: &[S::ExtensionRequested],
        roles: HEAD,
    },
    Rule {
        action: Action::SendFeeNotice,
        states: &[S::Running, S::ExtensionRequested],
        roles: HANDLERS,
    },
    Rule {
        action: Action::RecordPayment,
        states: &[S::AwaitingFee, S::FeeOverdue],
        roles: HANDLERS,
    },
    Rule {
        action: Action::LapseFee,
        states: &[S::FeeOverdue],
        roles: HANDLERS,
    },
    Rule {
        action: Action::Reply,
        states: &[S::Running, S::ExtensionRequested, S::Consulting],
        roles: HANDLERS,
    },
    Rule {
        action: Action::Assign,
        states: OPEN,
        roles: HANDLERS,
    },
    Rule {
        action: Action::RecordDelivery,
        states: &[
            S::Running,
            S::ExtensionRequested,
            S::Consulting,
            S::AwaitingFee,
            S::AwaitingCorrection,
            S::CorrectionOverdue,
            S::FeeOverdue,
            S::Closed,
        ],
        roles: HANDLERS,
    },
];

/// The answer of [`decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The step may be taken.
    Allowed,
    /// None of the caller's roles allows it (403).
    Forbidden,
    /// The case's state does not admit it (409).
    NotNow,
}

/// The rule of an action.
pub fn rule(action: Action) -> &'static Rule {
    // RULES lists every action once, in the order of Action::ALL (a test checks it).
    &RULES[Action::ALL.iter().position(|a| *a == action).unwrap_or(0)]
}

/// Whether a caller holding `roles` on the case's organ may take `action` in `state`.
pub fn decide(state: CaseState, action: Action, roles: &[Role]) -> Decision {
    let rule = rule(action);
    if !roles.iter().any(|r| rule.roles.contains(r)) {
        Decision::Forbidden
    } else if !rule.states.contains(&state) {
        Decision::NotNow
    } else {
        Decision::Allowed
    }
}

/// The actions a caller may take now, in button order.
pub fn available(state: CaseState, roles: &[Role]) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| decide(state, *a, roles) == Decision::Allowed)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_follow_the_order_of_actions() {
        for (rule, action) in RULES.iter().zip(Action::ALL) {
            assert_eq!(rule.action, action);
        }
        for action in Action::ALL {
            assert_eq!(Action::from_key(action.key()), Some(action));
        }
    }
}
