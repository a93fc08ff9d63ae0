//! The demo's 政务公开事项标准目录: twenty entries of the kind the seed report says the organ
//! keeps ("包括事项类别、事项名称、内容、依据、主体、时限、途径和方式等要素"), each with the
//! eight elements of 国办发〔2019〕54号 and a 试点领域 only where the entry belongs to one of
//! the 26 areas a 经济技术开发区 works in. They are listed as of the first working day of 2022,
//! so the 2022 items ([`super::items::year2022`]) fulfil many of them and the console's overdue
//! flags have a history to judge. Then the 2022 items are loaded. Loading is idempotent:
//! entries only into an empty catalogue, the year only when no item was published in 2022.

use gongkai_core::format::ProactiveKind;
use gongkai_store::catalogue::{EntryInput, Mode};
use gongkai_store::statistics::{self, FigureValue};
use gongkai_store::{Actor, OrganScope, Store};

use super::items::year2022;
use crate::WebError;

/// The 公开渠道和载体 most entries print.
const WEBSITE: &str = "政府网站、两微一端";

/// (事项类别, 事项名称, 公开内容, 公开依据, 公开时限, 公开方式, 试点领域).
type Seed = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Mode,
    Option<u8>,
);

const ARTICLE_26: &str = "信息形成或变更之日起20个工作日内";
const STATUTE: &str = "《中华人民共和国政府信息公开条例》";

/// The entries, in the catalogue's order. Names are what the 2022 items link by.
pub const ENTRIES: [Seed; 20] = [
    (
        "机构信息",
        "机构职能",
        "管委会及内设机构的职能、机构设置、办公地址、办公时间、联系方式",
        STATUTE,
        ARTICLE_26,
        Mode::Proactive,
        None,
    ),
    (
        "机构信息",
        "领导信息",
        "管委会领导姓名、职务、分工",
        STATUTE,
        ARTICLE_26,
        Mode::Proactive,
        None,
    ),
    (
        "机构信息",
        "权责清单",
        "管委会权力清单和责任清单及其动态调整情况",
        "《中共中央办公厅 国务院办公厅印发〈关于推行地方各级政府工作部门权力清单制度的指导意见〉》",
        ARTICLE_26,
        Mode::Proactive,
        None,
    ),
    (
        "政策文件",
        "其他公文",
        "管委会印发的通知、方案、意见等公文全文",
        STATUTE,
        ARTICLE_26,
        Mode::Proactive,
        None,
    ),
    (
        "政策文件",
        "行政规范性文件",
        "规范性文件全文、制定说明及有效性",
        "《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》",
        ARTICLE_26,
        Mode::Proactive,
        None,
    ),
    (
        "政策文件",
        "政策解读",
        "重要政策文件的解读材料、图解、问答",
        "《国务院办公厅关于印发〈开展基层政务公开标准化规范化试点工作方案〉的通知》",
        "文件公开之日起3个工作日内",
        Mode::Proactive,
        None,
    ),
    (
        "规划计划",
        "发展规划",
        "开发区发展规划、年度工作计划及进展",
        STATUTE,
        ARTICLE_26,
        Mode::Proactive,
        None,
    ),
    (
        "规划计划",
        "国土空间规划",
        "国土空间规划批前公示、批后公布",
        "《中华人民共和国城乡规划法》",
        ARTICLE_26,
        Mode::Proactive,
        Some(1),
    ),
    (
        "统计信息",
        "主要经济指标",
        "规模以上工业增加值、固定资产投资等月度、季度指标",
        "《中华人民共和国统计法》",
        ARTICLE_26,
        Mode::Proactive,
        None,
    ),
    (
        "财政信息",
        "部门预算",
        "部门预算及“三公”经费预算说明",
        "《中华人民共和国预算法》",
        "批复之日起20日内",
        Mode::Proactive,
        Some(4),
    ),
    (
        "财政信息",
        "部门决算",
        "部门决算及“三公”经费决算说明",
        "《中华人民共和国预算法》",
        "批复之日起20日内",
        Mode::Proactive,
        Some(4),
    ),
    (
        "行政许可",
        "行政许可办理结果",
        "行政许可事项名称、申请人、许可决定及日期",
        "《中华人民共和国行政许可法》",
        "作出决定之日起7个工作日内",
        Mode::Proactive,
        None,
    ),
    (
        "招商引资",
        "招商引资工作推进情况",
        "签约项目、落地项目和重点项目推进情况",
        STATUTE,
        ARTICLE_26,
        Mode::Proactive,
        None,
    ),
    (
        "重大建设项目",
        "项目建设实施",
        "重大建设项目的批准、实施和竣工情况",
        "《国务院办公厅关于推进重大建设项目批准和实施领域政府信息公开的意见》",
        ARTICLE_26,
        Mode::Proactive,
        Some(2),
    ),
    (
        "公共资源交易",
        "政府采购",
        "采购意向、采购公告、中标（成交）结果",
        "《中华人民共和国政府采购法实施条例》",
        "中标（成交）供应商确定之日起2个工作日内",
        Mode::Proactive,
        Some(3),
    ),
    (
        "安全生产",
        "安全生产监督检查",
        "安全生产检查计划、检查情况和隐患整改",
        "《中华人民共和国安全生产法》",
        ARTICLE_26,
        Mode::Proactive,
        Some(5),
    ),
    (
        "生态环境",
        "环境监管",
        "建设项目环境影响评价审批、环境监管情况",
        "《中华人民共和国环境影响评价法》",
        ARTICLE_26,
        Mode::Proactive,
        Some(9),
    ),
    (
        "就业创业",
        "就业政策和招聘信息",
        "就业创业政策、招聘信息、补贴申领",
        "《中华人民共和国就业促进法》",
        ARTICLE_26,
        Mode::Proactive,
        Some(16),
    ),
    (
        "互动交流",
        "建议提案办理",
        "人大代表建议和政协提案办理复文",
        "《国务院办公厅关于做好全国人大代表建议和全国政协委员提案办理结果公开工作的通知》",
        "办理复文之日起20个工作日内",
        Mode::Proactive,
        None,
    ),
    (
        "政务公开",
        "政府信息公开年度报告",
        "上一年度政府信息公开工作年度报告",
        STATUTE,
        "每年1月31日前",
        Mode::Proactive,
        None,
    ),
];

/// The entry of a seed.
fn input(seed: &Seed) -> EntryInput {
    let (category, name, content, basis, time_limit, mode, pilot_area) = *seed;
    EntryInput {
        category: category.into(),
        name: name.into(),
        content: content.into(),
        basis: basis.into(),
        subject: "呼伦贝尔经济技术开发区管理委员会".into(),
        time_limit: time_limit.into(),
        channels: WEBSITE.into(),
        mode,
        audience: "全社会".into(),
        pilot_area,
    }
}

/// Loads the catalogue into an empty one, then the 2022 items; returns (entries, items) added.
pub async fn load(store: &Store, organ_id: i64, now: i64) -> Result<(usize, usize), WebError> {
    let scope = OrganScope::system(organ_id);
    let actor = Actor::system("demo");
    let mut added = 0;
    if store.catalogue_entries(scope).await?.is_empty() {
        let listed = year2022::beijing_time(year2022::first_workday()?, 9 * 3600);
        for seed in &ENTRIES {
            store
                .create_catalogue_entry(&actor, scope, listed, &input(seed))
                .await?;
            added += 1;
        }
    }
    let items = year2022::load(store, organ_id, now).await?;
    enter_2022_figures(store, &actor, scope, now).await?;
    Ok((added, items))
}

/// The seed's 表二 prints 0 for every figure no gongkai record produces (行政许可, 行政处罚,
/// 行政强制 decisions; 行政事业性收费 0 万元): the demo enters them, as the organ would have, so
/// that `report compute` gives the seed's 表二 — a figure never entered would be blank.
/// Only into a year with nothing entered.
async fn enter_2022_figures(
    store: &Store,
    actor: &Actor,
    scope: OrganScope,
    now: i64,
) -> Result<(), WebError> {
    if store.report_figures(scope, year2022::YEAR).await?.any() {
        return Ok(());
    }
    let zeros: Vec<_> = statistics::specs()
        .into_iter()
        .map(|spec| {
            let zero = match spec.kind {
                ProactiveKind::Amount => FigureValue::Yuan(0),
                _ => FigureValue::Count(0),
            };
            (spec, Some(zero))
        })
        .collect();
    store
        .save_report_figures(actor, scope, now, year2022::YEAR, &zeros)
        .await?;
    Ok(())
}
