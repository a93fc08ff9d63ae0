//! The demo's superior office: the demo organ gets two subordinate organs, so that its
//! 下级机关年度报告 page shows something live — 社会事务局, which uses gongkai (its report is
//! computed from its records; it has a 负责人 account, `shiwu`, who sees only its own console),
//! and 建设局, which does not: its published 2022 report (a page of text, as a website prints
//! it) is imported, and it is printed inconsistently (本年新收 自然人 5 with 总计 0), so that its
//! findings show beside the sum. Loading is idempotent.

use gongkai_report::imported;
use gongkai_report::model::AnnualReport;
use gongkai_store::organ::OrganSettings;
use gongkai_store::report_import::{NewImport, sha256_hex};
use gongkai_store::user::NewUser;
use gongkai_store::{Actor, OrganScope, Role, Store};

use super::{DEMO_PASSWORD, DEMO_REPORT_JSON, DEMO_REPORT_YEAR};
use crate::WebError;
use crate::auth::Passwords;

/// The subordinate on gongkai: name, website domain.
pub const ON_GONGKAI: (&str, &str) = ("呼伦贝尔经济技术开发区社会事务局", "shwj.kfq.hlbe.gov.cn");
/// The subordinate whose report is imported: name, website domain.
pub const IMPORTED: (&str, &str) = ("呼伦贝尔经济技术开发区建设局", "jsj.kfq.hlbe.gov.cn");
/// The login of the on-gongkai subordinate's 负责人.
pub const SUBORDINATE_HEAD: &str = "shiwu";
/// The imported file's name.
pub const IMPORTED_FILE: &str = "2022年政府信息公开工作年度报告.txt";

fn settings(name: &str, domain: &str) -> OrganSettings {
    OrganSettings {
        name: name.into(),
        level: "开发区工作部门".into(),
        office_name: format!("{name}办公室"),
        site_name: name.into(),
        site_domain: domain.into(),
        ..OrganSettings::default()
    }
}

/// The imported subordinate's 2022 report as its website prints it: the seed's tables under its
/// name, with 表三 一、本年新收 自然人 printed as 5 and its 总计 left at 0.
pub fn imported_report_text() -> Result<String, WebError> {
    let value: serde_json::Value = serde_json::from_str(DEMO_REPORT_JSON)
        .map_err(|e| WebError::Internal(format!("demo report: {e}")))?;
    let mut report = AnnualReport::from_json(&value)
        .map_err(|e| WebError::Internal(format!("demo report: {e}")))?;
    report.agency = Some(IMPORTED.0.into());
    if let Some(row) = report
        .applications
        .as_mut()
        .and_then(|a| a.row_mut(gongkai_core::format::ApplicationRow::NewReceived))
    {
        row[0] = Some(5);
    }
    Ok(gongkai_report::render::text(&report))
}

/// Adds the two subordinates under `organ_id` unless they exist; returns how many were added.
pub async fn load(
    store: &Store,
    passwords: &Passwords,
    organ_id: i64,
    now: i64,
) -> Result<usize, WebError> {
    let actor = Actor::system("demo");
    let mut added = 0;
    if store.find_organ(ON_GONGKAI.1).await?.is_none() {
        let organ = store
            .create_organ(
                &actor,
                now,
                Some(organ_id),
                &settings(ON_GONGKAI.0, ON_GONGKAI.1),
            )
            .await?;
        let hash = passwords.hash(DEMO_PASSWORD)?;
        let new = NewUser {
            username: SUBORDINATE_HEAD,
            display_name: "社会事务局负责人",
            password_hash: &hash,
        };
        store
            .create_user(&actor, OrganScope::system(organ.id), now, &new, Role::Head)
            .await?;
        added += 1;
    }
    if store.find_organ(IMPORTED.1).await?.is_none() {
        let organ = store
            .create_organ(
                &actor,
                now,
                Some(organ_id),
                &settings(IMPORTED.0, IMPORTED.1),
            )
            .await?;
        let text = imported_report_text()?;
        let file = imported::read_file(text.as_bytes(), IMPORTED_FILE)
            .map_err(|e| WebError::Internal(format!("demo import: {e}")))?;
        let year = imported::admit(&file, IMPORTED.0)
            .map_err(|e| WebError::Internal(format!("demo import: {e}")))?;
        debug_assert_eq!(year, DEMO_REPORT_YEAR);
        store
            .import_report(
                &actor,
                OrganScope::system(organ.id),
                now,
                &NewImport {
                    year,
                    report: &file.report.to_json(),
                    context: &file.context.to_json(),
                    file_name: IMPORTED_FILE,
                    sha256: &sha256_hex(text.as_bytes()),
                    format: file.format,
                    read_notes: i64::try_from(file.read_notes).unwrap_or(i64::MAX),
                },
            )
            .await?;
        added += 1;
    }
    Ok(added)
}
