//! The demo's proactive disclosure: a few dozen published items across the 15 categories of
//! art. 20 — 规范性文件 with their 有效性 (one repealed by its successor), a 政策解读 linked to
//! its policy, 通知公告 and 工作动态 — plus one withdrawn item, one in review and one draft.
//! Every body says it is demonstration data. Loading is idempotent: nothing is added once the
//! organ has items.

pub mod year2022;

use gongkai_store::item::{ItemContent, ItemId, ItemStep};
use gongkai_store::{Actor, OrganScope, Store};
use time::{Date, Duration};

use crate::WebError;

/// One demo item: art. 20 category, 体裁, 主题分类, title, 文号, body.
type Seed = (
    u8,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const SEEDS: &[Seed] = &[
    (
        1,
        "normative_document",
        "综合政务",
        "呼伦贝尔经济技术开发区行政规范性文件管理办法",
        "呼经开管发〔2025〕3号",
        "为加强行政规范性文件管理，规范制定程序，依据有关规定，结合开发区实际，制定本办法。",
    ),
    (
        1,
        "normative_document",
        "财政、金融、审计",
        "呼伦贝尔经济技术开发区企业扶持资金管理办法",
        "呼经开管发〔2025〕7号",
        "为规范企业扶持资金的申报、审核、拨付和监督管理，提高资金使用效益，制定本办法。",
    ),
    (
        1,
        "normative_document",
        "城乡建设、环境保护",
        "呼伦贝尔经济技术开发区建设工程施工扬尘防治管理规定",
        "呼经开管发〔2025〕11号",
        "为防治建设工程施工扬尘污染，改善区域大气环境质量，制定本规定。",
    ),
    (
        2,
        "other",
        "综合政务",
        "呼伦贝尔经济技术开发区管理委员会机构职能",
        "",
        "管委会负责开发区经济社会发展的统筹规划、综合协调和组织实施。内设综合办公室、经济发展局、规划建设局、财政局等机构。",
    ),
    (
        2,
        "other",
        "综合政务",
        "管委会领导信息及分工",
        "",
        "主任主持管委会全面工作；副主任分管经济发展、招商引资和规划建设工作。",
    ),
    (
        3,
        "plan",
        "国民经济管理、国有资产监管",
        "呼伦贝尔经济技术开发区国民经济和社会发展第十五个五年规划纲要",
        "",
        "本纲要阐明开发区“十五五”时期发展的指导思想、主要目标、重点任务和保障措施。",
    ),
    (
        3,
        "plan",
        "城乡建设、环境保护",
        "呼伦贝尔经济技术开发区国土空间总体规划（2021—2035年）公示",
        "",
        "依据《中华人民共和国城乡规划法》，现将开发区国土空间总体规划主要内容予以公示。",
    ),
    (
        4,
        "statistics",
        "国民经济管理、国有资产监管",
        "2025年1—11月开发区主要经济指标",
        "",
        "1—11月，开发区规模以上工业增加值同比增长6.2%，固定资产投资同比增长8.1%。",
    ),
    (
        4,
        "statistics",
        "国民经济管理、国有资产监管",
        "2025年前三季度开发区经济运行情况",
        "",
        "前三季度，开发区经济运行总体平稳，主要指标保持增长。",
    ),
    (
        5,
        "other",
        "市场监管、安全生产监管",
        "开发区企业投资项目备案办事指南",
        "",
        "办理依据、申请条件、申请材料、办理流程、办理时限和咨询电话。",
    ),
    (
        5,
        "other",
        "市场监管、安全生产监管",
        "2025年12月行政许可办理结果公示",
        "",
        "本月共办理建设工程规划许可12件、施工许可9件，均在法定时限内办结。",
    ),
    (
        6,
        "other",
        "市场监管、安全生产监管",
        "开发区行政处罚事项清单",
        "",
        "列明行政处罚事项的名称、依据、实施主体和裁量基准。",
    ),
    (
        6,
        "other",
        "市场监管、安全生产监管",
        "关于某建材公司违法排污行政处罚决定的公示",
        "呼经开罚〔2025〕5号",
        "当事人未采取有效措施防治扬尘污染，依法责令改正并处罚款。",
    ),
    (
        7,
        "other",
        "财政、金融、审计",
        "呼伦贝尔经济技术开发区2025年部门预算",
        "",
        "2025年收支总预算、一般公共预算支出、“三公”经费预算及说明。",
    ),
    (
        7,
        "other",
        "财政、金融、审计",
        "呼伦贝尔经济技术开发区2024年部门决算",
        "",
        "2024年收支总体情况、一般公共预算财政拨款支出决算及说明。",
    ),
    (
        8,
        "other",
        "财政、金融、审计",
        "开发区行政事业性收费项目目录清单",
        "",
        "列明收费项目名称、收费依据、收费标准和执收单位。",
    ),
    (
        9,
        "other",
        "财政、金融、审计",
        "2025年度政府集中采购目录及标准",
        "",
        "集中采购机构采购项目、分散采购限额标准和公开招标数额标准。",
    ),
    (
        9,
        "notice",
        "财政、金融、审计",
        "开发区办公设备采购项目中标结果公告",
        "",
        "经评审，现将办公设备采购项目中标结果公告如下。",
    ),
    (
        10,
        "other",
        "城乡建设、环境保护",
        "开发区综合管廊建设项目批准情况",
        "",
        "项目已经立项批复，总投资3.2亿元，建设工期24个月。",
    ),
    (
        10,
        "news",
        "城乡建设、环境保护",
        "开发区重大建设项目2025年实施进展",
        "",
        "截至12月底，列入年度计划的18个重大项目已开工16个。",
    ),
    (
        11,
        "other",
        "劳动、人事、监察",
        "开发区2025年稳就业促就业政策措施",
        "",
        "落实社会保险补贴、岗位补贴和职业技能培训补贴等政策。",
    ),
    (
        11,
        "other",
        "民政、扶贫、救灾",
        "开发区城乡低保和特困人员救助供养情况",
        "",
        "本季度发放低保金和特困人员供养金共计86万元。",
    ),
    (
        12,
        "other",
        "市场监管、安全生产监管",
        "开发区突发事件总体应急预案",
        "",
        "本预案明确突发事件的分级、组织体系、监测预警、应急处置和保障措施。",
    ),
    (
        12,
        "notice",
        "综合政务",
        "关于做好寒潮大风天气防范工作的通知",
        "",
        "气象部门发布寒潮蓝色预警，请各单位做好防寒保暖和安全生产工作。",
    ),
    (
        13,
        "other",
        "市场监管、安全生产监管",
        "2025年第四季度安全生产监督检查情况",
        "",
        "本季度共检查企业46家，发现并督促整改隐患112项。",
    ),
    (
        13,
        "other",
        "市场监管、安全生产监管",
        "2025年食品安全监督抽检结果",
        "",
        "共抽检食品样品320批次，合格率99.1%。",
    ),
    (
        14,
        "personnel",
        "劳动、人事、监察",
        "开发区2026年度公开招聘事业单位工作人员公告",
        "",
        "公开招聘岗位、名额、报考条件、报名时间和考试安排。",
    ),
    (
        14,
        "personnel",
        "劳动、人事、监察",
        "开发区2025年度公务员录用人员公示",
        "",
        "经笔试、面试、体检和考察，拟录用人员名单公示如下。",
    ),
    (
        15,
        "notice",
        "综合政务",
        "关于2026年元旦春节期间值班安排的通知",
        "",
        "元旦春节期间各单位严格落实值班制度，确保信息畅通。",
    ),
    (
        15,
        "news",
        "综合政务",
        "开发区召开2026年政务公开工作推进会",
        "",
        "会议总结2025年政务公开工作，部署2026年重点任务。",
    ),
    (
        15,
        "notice",
        "综合政务",
        "关于开展2025年度政府信息公开工作年度报告编制工作的通知",
        "",
        "各部门于1月20日前报送本部门年度报告。",
    ),
];

const DEMO_NOTE: &str = "（演示数据）";

fn content(seed: &Seed, formed: Date) -> ItemContent {
    let (article20, kind, topic, title, doc_number, body) = *seed;
    ItemContent {
        title: title.into(),
        doc_number: doc_number.into(),
        formed: Some(formed),
        topic: topic.into(),
        kind: kind.into(),
        article20: Some(article20),
        openness: "proactive".into(),
        summary: body.chars().take(60).collect(),
        body: format!("{body}\n{DEMO_NOTE}"),
        ..ItemContent::default()
    }
}

async fn steps(
    store: &Store,
    actor: &Actor,
    scope: OrganScope,
    id: ItemId,
    steps: &[ItemStep],
    today: Date,
    now: i64,
) -> Result<(), WebError> {
    for step in steps {
        store.item_step(actor, scope, id, step, today, now).await?;
    }
    Ok(())
}

fn publish_steps() -> Vec<ItemStep> {
    let approve = || ItemStep::Approve {
        comment: "同意。".into(),
    };
    vec![
        ItemStep::Submit {
            comment: String::new(),
        },
        approve(),
        approve(),
        approve(),
    ]
}

/// Loads the demo's items into `organ_id` unless it has some; returns how many were added.
pub async fn load(store: &Store, organ_id: i64, now: i64) -> Result<usize, WebError> {
    let scope = OrganScope::system(organ_id);
    if !store.items(scope).await?.is_empty() {
        return Ok(0);
    }
    let actor = Actor::system("demo");
    let today = crate::site_date(now);
    let mut count = 0;
    let mut ids = Vec::new();
    // Published: formed some days ago, one a day, oldest first so the newest lists first.
    let total = SEEDS.len() as i64;
    for (i, seed) in SEEDS.iter().enumerate() {
        let back = total - i as i64;
        let formed = today - Duration::days(back + 3);
        let at = now - back * 86_400;
        let item = store
            .create_item(&actor, scope, at, formed, &content(seed, formed), &[])
            .await?;
        steps(store, &actor, scope, item.id, &publish_steps(), formed, at).await?;
        ids.push(item.id);
        count += 1;
    }
    // A 政策解读 of the 企业扶持资金管理办法.
    let policy = ids[1];
    let formed = today - Duration::days(2);
    let reading = ItemContent {
        kind: "interpretation".into(),
        interprets: Some(policy),
        article20: Some(1),
        title: "《呼伦贝尔经济技术开发区企业扶持资金管理办法》政策解读".into(),
        doc_number: String::new(),
        summary: "办法的制定背景、主要内容和申报要点。".into(),
        body: format!(
            "一、制定背景\n二、主要内容：明确扶持对象、扶持标准和申报程序。\n三、申报要点\n{DEMO_NOTE}"
        ),
        ..content(&SEEDS[1], formed)
    };
    let item = store
        .create_item(&actor, scope, now - 86_400, formed, &reading, &[])
        .await?;
    steps(
        store,
        &actor,
        scope,
        item.id,
        &publish_steps(),
        formed,
        now - 86_400,
    )
    .await?;
    count += 1;
    // A superseded 规范性文件, repealed by the 管理办法.
    let old = (
        1,
        "normative_document",
        "综合政务",
        "呼伦贝尔经济技术开发区规范性文件制定程序规定（试行）",
        "呼经开管发〔2019〕2号",
        "为规范行政规范性文件制定程序，制定本规定。",
    );
    let formed_old = today - Duration::days(40);
    let item = store
        .create_item(
            &actor,
            scope,
            now - 40 * 86_400,
            formed_old,
            &content(&old, formed_old),
            &[],
        )
        .await?;
    steps(
        store,
        &actor,
        scope,
        item.id,
        &publish_steps(),
        formed_old,
        now - 40 * 86_400,
    )
    .await?;
    let repeal = ItemStep::Validity {
        validity: "repealed".into(),
        since: Some(today - Duration::days(30)),
        by: Some(ids[0]),
        comment: "被《呼伦贝尔经济技术开发区行政规范性文件管理办法》废止。".into(),
    };
    steps(store, &actor, scope, item.id, &[repeal], today, now).await?;
    count += 1;
    // Withdrawn: published with a wrong date, taken down.
    let wrong = (
        15,
        "notice",
        "综合政务",
        "关于调整办事大厅办公时间的通知（已撤回）",
        "",
        "办事大厅办公时间调整。",
    );
    let item = store
        .create_item(
            &actor,
            scope,
            now - 5 * 86_400,
            today,
            &content(&wrong, today),
            &[],
        )
        .await?;
    steps(
        store,
        &actor,
        scope,
        item.id,
        &publish_steps(),
        today,
        now - 5 * 86_400,
    )
    .await?;
    let withdraw = ItemStep::Withdraw {
        comment: "通知所列时间有误，撤回后重新发布。".into(),
    };
    steps(store, &actor, scope, item.id, &[withdraw], today, now).await?;
    count += 1;
    // In review, waiting for 保密审查; and a draft, formed long enough ago to show in the
    // art. 26 list.
    let pending = (
        4,
        "statistics",
        "国民经济管理、国有资产监管",
        "2025年全年开发区主要经济指标",
        "",
        "全年主要经济指标完成情况。",
    );
    let item = store
        .create_item(&actor, scope, now, today, &content(&pending, today), &[])
        .await?;
    let first = publish_steps().into_iter().take(2).collect::<Vec<_>>();
    steps(store, &actor, scope, item.id, &first, today, now).await?;
    count += 1;
    let draft = (
        11,
        "other",
        "劳动、人事、监察",
        "开发区2026年职业技能培训补贴申领指南",
        "",
        "补贴对象、补贴标准和申领流程。",
    );
    let formed_draft = today - Duration::days(30);
    store
        .create_item(
            &actor,
            scope,
            now,
            today,
            &content(&draft, formed_draft),
            &[],
        )
        .await?;
    count += 1;
    Ok(count)
}
