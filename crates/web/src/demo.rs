//! The demo deployment of `gongkai serve --demo`: 呼伦贝尔经济技术开发区 with the identity its
//! 2022 annual report prints (shared/seed/2022_hulunbuir_jingkaiqu.txt, opening paragraph and
//! page footer), one staff account per role, its published 2022 annual report (the seed's
//! interchange JSON, a verbatim copy embedded from `demo/`, with the narrative the seed prints,
//! published through the report door on 2023-01-11) and last year's report in draft. Loading is idempotent.
//! [`cases`] adds the application office at work (`serve --demo` loads it; tests that need a
//! quiet office do not), and [`items`] the proactive disclosure (published items in every art. 20
//! category, one withdrawn, one in review, one draft; also loaded by `serve --demo` only), and
//! [`superior`] two subordinate organs for the superior office's page (one with an imported
//! report printed inconsistently; `serve --demo` only).

pub mod cases;
pub mod catalogue;
pub mod interaction;
pub mod items;
pub mod superior;

use gongkai_store::organ::OrganSettings;
use gongkai_store::user::NewUser;
use gongkai_store::{Actor, OrganScope, Role, Store};

use crate::WebError;
use crate::auth::Passwords;

/// The seed's 2022 annual report as interchange JSON (a copy of
/// shared/seed/2022_hulunbuir_jingkaiqu.json; shared/ is not there at run time).
pub const DEMO_REPORT_JSON: &str = include_str!("../demo/2022_hulunbuir_jingkaiqu.json");

/// The year of the demo report.
pub const DEMO_REPORT_YEAR: i32 = 2022;

/// The password of every demo account. Printed at start; for demonstration only.
pub const DEMO_PASSWORD: &str = "gongkai-demo-2026";

/// The demo accounts: login name, shown name, role.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 5] = [
    ("admin", "演示管理员", Role::Administrator),
    ("fuzeren", "演示负责人", Role::Head),
    ("bianji", "演示编辑", Role::Editor),
    ("shenhe", "演示审核人", Role::Reviewer),
    ("chengban", "演示承办人", Role::CaseHandler),
];

/// The demo organ's settings, as printed in the seed report.
pub fn organ_settings() -> OrganSettings {
    OrganSettings {
        name: "呼伦贝尔经济技术开发区".into(),
        credit_code: String::new(),
        level: "国家级经济技术开发区".into(),
        office_name: "呼伦贝尔经济技术开发区综合办公室（政务公开工作领导小组办公室）".into(),
        office_address: "呼伦贝尔国家级经济技术开发区管委会办公楼".into(),
        office_postcode: "021000".into(),
        office_hours: String::new(),
        office_phone: "0470-2773823".into(),
        office_fax: String::new(),
        office_email: String::new(),
        site_name: "呼伦贝尔经济技术开发区".into(),
        site_domain: "kfq.hlbe.gov.cn".into(),
        site_id_code: "1507000009".into(),
        icp_record: "蒙ICP备19004337号-1".into(),
        police_record: "蒙公网安备 15070202000009号".into(),
        sponsor: "呼伦贝尔经济技术开发区管理委员会".into(),
        organizer: "呼伦贝尔经济技术开发区管理委员会".into(),
        site_contact: "0470-8575688".into(),
        disclosure_rules: "经开区政务公开信息发布、解读回应、依申请公开、公众参与等制度规范\n\
            《经开区政府信息依申请公开制度》\n\
            《经开区政务公开考核制度》\n\
            政务公开社会评议制度"
            .into(),
    }
}

/// What the loader did.
#[derive(Debug, Clone)]
pub struct DemoInfo {
    /// The demo organ.
    pub organ_id: i64,
    /// Whether it was created now (false: it was already there).
    pub created: bool,
}

/// Loads the demo organ and accounts unless the organ (by its domain) already exists, and
/// its 2022 annual report unless one is published for that year.
pub async fn load(store: &Store, passwords: &Passwords, now: i64) -> Result<DemoInfo, WebError> {
    let settings = organ_settings();
    let actor = Actor::system("demo");
    if let Some(organ) = store.find_organ(&settings.site_domain).await? {
        load_report(store, &actor, OrganScope::system(organ.id), now).await?;
        return Ok(DemoInfo {
            organ_id: organ.id,
            created: false,
        });
    }
    let organ = store.create_organ(&actor, now, None, &settings).await?;
    let scope = OrganScope::system(organ.id);
    // One hash for all accounts: they share the demo password, and hashing is the slow part.
    let hash = passwords.hash(DEMO_PASSWORD)?;
    for (username, display_name, role) in DEMO_ACCOUNTS {
        let new = NewUser {
            username,
            display_name,
            password_hash: &hash,
        };
        store.create_user(&actor, scope, now, &new, role).await?;
    }
    load_report(store, &actor, scope, now).await?;
    Ok(DemoInfo {
        organ_id: organ.id,
        created: true,
    })
}

/// The seed's narrative (parts 一, 五, 六, the signature and the date as the published report
/// prints them: shared/seed/2022_hulunbuir_jingkaiqu.txt), as the interchange JSON's
/// `narrative` object.
pub const DEMO_NARRATIVE_JSON: &str = include_str!("../demo/2022_narrative.json");

/// The day the seed's report was published (its printed date, 2023年1月11日).
pub fn demo_report_date() -> time::Date {
    time::macros::date!(2023 - 01 - 11)
}

/// Publishes the seed's report (tables and narrative) for the demo organ through the report
/// door, dated as the seed prints it, unless that year is already published; and starts last
/// year's report from the records, so that the console shows a draft in progress.
async fn load_report(
    store: &Store,
    actor: &Actor,
    scope: OrganScope,
    now: i64,
) -> Result<(), WebError> {
    let fault = |e: crate::annual::DoorError| WebError::Internal(format!("demo report: {e}"));
    if store
        .published_report(scope.organ_id(), DEMO_REPORT_YEAR)
        .await?
        .is_none()
    {
        let mut document: serde_json::Value = serde_json::from_str(DEMO_REPORT_JSON)
            .map_err(|e| WebError::Internal(format!("demo report: {e}")))?;
        document["narrative"] = serde_json::from_str(DEMO_NARRATIVE_JSON)
            .map_err(|e| WebError::Internal(format!("demo narrative: {e}")))?;
        crate::annual::publish_document(
            store,
            actor,
            scope,
            now,
            demo_report_date(),
            &document,
            None,
        )
        .await
        .map_err(fault)?;
    }
    let today = crate::site::beijing_date(now);
    let draft_year = today.year() - 1;
    if draft_year > DEMO_REPORT_YEAR
        && store
            .report_versions_of(scope, draft_year)
            .await?
            .is_empty()
    {
        crate::annual::draft(store, actor, scope, now, today, draft_year)
            .await
            .map_err(fault)?;
    }
    Ok(())
}
