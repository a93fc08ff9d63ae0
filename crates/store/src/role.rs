//! Staff roles per organ and what each may do: the one table of the access rules.

use std::fmt;

/// A role a staff account holds on one organ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// 管理员: organ settings and staff accounts.
    Administrator,
    /// 编辑: drafts and publishes information.
    Editor,
    /// 审核人: reviews before publication (保密审查, 科室审核).
    Reviewer,
    /// 承办人: handles disclosure applications.
    CaseHandler,
    /// 负责人: the 工作机构负责人 (approves extensions, signs the 年报); reads the audit log.
    Head,
}

/// Something a role may be allowed to do on its organ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Open the organ's console at all.
    ViewConsole,
    /// Read the organ's settings (工作机构, website identity).
    ViewSettings,
    /// Change the organ's settings.
    EditSettings,
    /// See the organ's staff list.
    ViewUsers,
    /// Add staff accounts and grant roles.
    ManageUsers,
    /// Read the organ's audit log.
    ViewAudit,
    /// Publish the organ's 政府信息公开工作年度报告 once the 负责人 has signed it, withdraw it.
    PublishReports,
    /// Draft the organ's 年度报告: start it from the records, edit its narrative, recompute its
    /// tables, record a decision on a warning, submit it for sign-off, start a correction.
    DraftReports,
    /// Sign off the 年度报告 (or send it back): the 工作机构负责人's (条例 art. 4 (三)).
    SignReports,
    /// See the organ's applications queue, with applicants' data masked.
    ViewCases,
    /// Handle applications: intake, steps, notices, appeals; see applicants' data in full
    /// (the case roles).
    HandleCases,
    /// Approve an extension of the time limit (art. 33 ¶2: the 工作机构负责人).
    ApproveExtension,
    /// Change the organ's notice settings (文书编号 pattern, remedy bodies, templates).
    EditNoticeSettings,
    /// Enter a year's holiday notice for the deployment (on a root organ only).
    ManageCalendar,
    /// Draft and edit information items (主动公开), submit them for review, withdraw them.
    EditItems,
    /// Take a review step of an item (科室审核, 保密审查, 领导签发: which step is whose is the
    /// organ's review chain).
    ReviewItems,
    /// Keep the 政务公开事项标准目录 and the 表二 figures that come from other systems.
    ManageCatalogue,
    /// Moderate and answer 留言.
    HandleMessages,
    /// Open 意见征集, moderate its comments and publish its 反馈情况.
    ManageConsultations,
    /// Supervise the subordinate organs' annual reports (上级机关汇总): see each one's report
    /// state and findings, the consolidated report, and import the reports of subordinates
    /// that do not use gongkai. Reaches descendants ([`Permission::reaches_descendants`]).
    SuperviseReports,
}

impl Permission {
    /// Whether a role on an organ grants this permission on the organs below it too
    /// (`Store::subtree_scope`). Only the superior office's supervision of annual reports
    /// does (条例 art. 3, 49: the 政府办公厅（室） compiles the area's report); cases, items
    /// and settings of a subordinate stay its own staff's.
    pub fn reaches_descendants(self) -> bool {
        matches!(self, Permission::SuperviseReports)
    }
}

impl Role {
    /// Every role, in display order.
    pub const ALL: [Role; 5] = [
        Role::Administrator,
        Role::Head,
        Role::Editor,
        Role::Reviewer,
        Role::CaseHandler,
    ];

    /// The stable key stored in the database and used on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Role::Administrator => "admin",
            Role::Editor => "editor",
            Role::Reviewer => "reviewer",
            Role::CaseHandler => "handler",
            Role::Head => "head",
        }
    }

    /// The Chinese name shown to staff.
    pub fn label(self) -> &'static str {
        match self {
            Role::Administrator => "管理员",
            Role::Editor => "编辑",
            Role::Reviewer => "审核人",
            Role::CaseHandler => "承办人",
            Role::Head => "负责人",
        }
    }

    /// Reads a key written by [`Role::key`].
    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }

    /// The access rules: what this role may do on its own organ. A role grants nothing on
    /// any other organ.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            // Administrators run the organ's account, not its cases or its content decisions:
            // applicants' data, the extension decision and review belong to their roles.
            Role::Administrator => !matches!(
                permission,
                HandleCases | ApproveExtension | ReviewItems | SignReports
            ),
            Role::Head => matches!(
                permission,
                ViewConsole
                    | ViewSettings
                    | ViewUsers
                    | ViewAudit
                    | PublishReports
                    | DraftReports
                    | SignReports
                    | ViewCases
                    | HandleCases
                    | ApproveExtension
                    | EditNoticeSettings
                    | ReviewItems
                    | ManageCatalogue
                    | HandleMessages
                    | ManageConsultations
                    | SuperviseReports
            ),
            Role::CaseHandler => matches!(
                permission,
                ViewConsole | ViewCases | HandleCases | HandleMessages
            ),
            Role::Editor => matches!(
                permission,
                ViewConsole
                    | EditItems
                    | ManageCatalogue
                    | HandleMessages
                    | ManageConsultations
                    | DraftReports
            ),
            Role::Reviewer => matches!(permission, ViewConsole | ReviewItems),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_key(role.key()), Some(role));
        }
        assert_eq!(Role::from_key("root"), None);
    }

    #[test]
    fn only_administrators_change_settings_and_staff() {
        for role in Role::ALL {
            let admin = role == Role::Administrator;
            assert_eq!(role.allows(Permission::EditSettings), admin, "{role}");
            assert_eq!(role.allows(Permission::ManageUsers), admin, "{role}");
            assert!(role.allows(Permission::ViewConsole));
        }
    }

    #[test]
    fn only_the_head_approves_an_extension() {
        // 条例 art. 33 ¶2: 经政府信息公开工作机构负责人同意.
        let approvers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.allows(Permission::ApproveExtension))
            .collect();
        assert_eq!(approvers, vec![Role::Head]);
    }

    #[test]
    fn applicants_data_is_for_the_case_roles_only() {
        let handlers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.allows(Permission::HandleCases))
            .collect();
        assert_eq!(handlers, vec![Role::Head, Role::CaseHandler]);
    }

    #[test]
    fn only_report_supervision_reaches_subordinates() {
        // 条例 art. 49: a superior office compiles its area's report; it does not handle its
        // subordinates' applications or publish their items.
        let reaching: Vec<Permission> = [
            Permission::ViewConsole,
            Permission::ViewSettings,
            Permission::PublishReports,
            Permission::HandleCases,
            Permission::EditItems,
            Permission::ManageUsers,
            Permission::SuperviseReports,
        ]
        .into_iter()
        .filter(|p| p.reaches_descendants())
        .collect();
        assert_eq!(reaching, vec![Permission::SuperviseReports]);
        let supervisors: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.allows(Permission::SuperviseReports))
            .collect();
        assert_eq!(supervisors, vec![Role::Administrator, Role::Head]);
    }

    #[test]
    fn the_head_and_administrators_publish_the_annual_report() {
        // 条例 art. 4 (三): the 工作机构 compiles the 年度报告; its 负责人 signs it off.
        let publishers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.allows(Permission::PublishReports))
            .collect();
        assert_eq!(publishers, vec![Role::Administrator, Role::Head]);
        let signers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.allows(Permission::SignReports))
            .collect();
        assert_eq!(signers, vec![Role::Head]);
        let drafters: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.allows(Permission::DraftReports))
            .collect();
        assert_eq!(
            drafters,
            vec![Role::Administrator, Role::Head, Role::Editor]
        );
    }
}
