//! The seed organ's 2022 as its annual report tells it (shared/seed/2022_hulunbuir_jingkaiqu.txt):
//! "主动公开政府信息388条，其中主动公开公文40篇", the columns it added (建议提案, 权责清单,
//! 行政许可), 财政预决算, 政策解读 and 招商引资. The 388 items are generated from templates and
//! vocabulary by arithmetic — no randomness, so every load gives the same titles on the same
//! days — across the art. 20 categories, published on the working days of 2022 (the built-in
//! calendar). Every body ends with 「（演示数据）」.
//!
//! The seed's 表二 prints 0 行政许可 decisions, so the monthly 行政许可 results say none were
//! made. Items link to the demo's 标准目录 ([`crate::demo::catalogue`]) by entry name.
//!
//! Items go through [`Store::publish_backdated`] (the ledger and audit rows of the console's
//! path, in a few transactions), split so that each 政策解读 is written after its policy has an
//! id. Loading is idempotent: nothing is added once an item of the organ was published in 2022.

use std::collections::HashMap;

use gongkai_core::calendar::Calendar;
use gongkai_store::item::{Backdated, ItemContent, ItemId, ItemStep};
use gongkai_store::{Actor, OrganScope, Store};
use time::{Date, Month};

use super::DEMO_NOTE;
use crate::WebError;

/// The year.
pub const YEAR: i32 = 2022;
/// How many items the report says were published.
pub const PUBLISHED: usize = 388;
/// How many of them were 公文.
pub const DOCUMENTS: usize = 40;

const GENERAL: &str = "综合政务";
const ECONOMY: &str = "国民经济管理、国有资产监管";
const FINANCE: &str = "财政、金融、审计";
const LAND: &str = "国土资源、能源";
const FARMING: &str = "农业、林业、水利";
const TRADE: &str = "商贸、海关、旅游";
const SAFETY: &str = "市场监管、安全生产监管";
const BUILDING: &str = "城乡建设、环境保护";
const SCIENCE: &str = "科技、教育";
const LABOUR: &str = "劳动、人事、监察";

/// 其他公文: (title, month, art. 20 category, 主题分类).
const DOCUMENT_SEEDS: [(&str, u8, u8, &str); 37] = [
    (
        "关于做好2021年度政府信息公开工作年度报告编制发布工作的通知",
        1,
        15,
        GENERAL,
    ),
    (
        "关于做好2022年元旦春节期间安全防范工作的通知",
        1,
        13,
        SAFETY,
    ),
    ("关于调整经开区管委会领导工作分工的通知", 1, 2, GENERAL),
    (
        "关于印发《呼伦贝尔经济技术开发区2022年政务公开工作要点》的通知",
        2,
        15,
        GENERAL,
    ),
    ("关于成立经开区政务公开工作领导小组的通知", 2, 2, GENERAL),
    (
        "关于印发《呼伦贝尔经济技术开发区2022年安全生产工作要点》的通知",
        2,
        13,
        SAFETY,
    ),
    (
        "关于印发《经开区2022年优化营商环境工作方案》的通知",
        3,
        15,
        TRADE,
    ),
    ("关于做好2022年森林草原防火工作的通知", 3, 12, FARMING),
    (
        "关于印发《经开区2022年招商引资工作考核办法》的通知",
        3,
        15,
        TRADE,
    ),
    (
        "关于印发《经开区突发事件总体应急预案（2022年修订）》的通知",
        4,
        12,
        SAFETY,
    ),
    (
        "关于印发《经开区政府信息依申请公开制度》的通知",
        4,
        15,
        GENERAL,
    ),
    (
        "关于印发《经开区2022年重点项目建设推进方案》的通知",
        4,
        10,
        ECONOMY,
    ),
    ("关于做好2022年防汛工作的通知", 5, 12, FARMING),
    ("关于印发《经开区防汛抗旱应急预案》的通知", 5, 12, FARMING),
    (
        "关于印发《经开区2022年稳就业工作实施方案》的通知",
        5,
        11,
        LABOUR,
    ),
    ("关于开展2022年安全生产月活动的通知", 6, 13, SAFETY),
    (
        "关于印发《经开区扎实稳住经济一揽子政策措施实施方案》的通知",
        6,
        15,
        ECONOMY,
    ),
    (
        "关于印发《经开区城镇燃气安全专项整治工作方案》的通知",
        6,
        13,
        SAFETY,
    ),
    (
        "关于印发《经开区自建房安全专项整治工作方案》的通知",
        7,
        13,
        BUILDING,
    ),
    ("关于做好2022年高校毕业生就业工作的通知", 7, 11, LABOUR),
    ("关于印发《经开区政务公开考核制度》的通知", 7, 15, GENERAL),
    (
        "关于印发《经开区大气污染防治工作方案》的通知",
        8,
        13,
        BUILDING,
    ),
    (
        "关于印发《经开区2022年度财政预算执行管理工作方案》的通知",
        3,
        7,
        FINANCE,
    ),
    ("关于做好2022年度秸秆禁烧工作的通知", 4, 13, FARMING),
    ("关于开展营商环境专项督查的通知", 8, 15, TRADE),
    (
        "关于印发《经开区政务公开社会评议制度》的通知",
        8,
        15,
        GENERAL,
    ),
    (
        "关于印发《经开区安全生产大检查工作方案》的通知",
        9,
        13,
        SAFETY,
    ),
    (
        "关于印发《经开区政府采购内部控制管理制度》的通知",
        9,
        9,
        FINANCE,
    ),
    ("关于开展第三次全国土壤普查工作的通知", 9, 15, LAND),
    (
        "关于印发《经开区冬季供暖保障工作方案》的通知",
        10,
        15,
        BUILDING,
    ),
    ("关于调整经开区安全生产委员会组成人员的通知", 10, 2, SAFETY),
    (
        "关于印发《经开区消防安全专项整治工作方案》的通知",
        10,
        13,
        SAFETY,
    ),
    ("关于开展2022年度政务公开培训的通知", 11, 15, GENERAL),
    ("关于进一步加强建设工程质量安全管理的通知", 11, 13, BUILDING),
    (
        "关于印发《经开区重点项目包联服务工作机制》的通知",
        11,
        10,
        ECONOMY,
    ),
    ("关于开展2022年度统计执法检查的通知", 12, 4, ECONOMY),
    (
        "关于印发《经开区政务新媒体管理办法》的通知",
        12,
        15,
        GENERAL,
    ),
];

/// Management measures issued as 其他公文 (the seed's 表二 prints no 行政规范性文件 made in
/// 2022): (title, month); the third repeals the first.
const NORMATIVE_SEEDS: [(&str, u8); 3] = [
    ("呼伦贝尔经济技术开发区入区企业管理暂行办法", 3),
    ("呼伦贝尔经济技术开发区招商引资优惠政策实施细则", 6),
    ("呼伦贝尔经济技术开发区入区企业管理办法", 11),
];

/// 其他公文 that get a 政策解读, by their place in [`DOCUMENT_SEEDS`].
const INTERPRETED_DOCUMENTS: [usize; 3] = [3, 6, 16];

/// 通知公告: (title, month, art. 20 category, 主题分类).
const NOTICE_SEEDS: [(&str, u8, u8, &str); 30] = [
    ("关于2022年春节放假安排的通知", 1, 15, GENERAL),
    ("关于开展2022年度企业年报公示工作的通知", 1, 15, SAFETY),
    ("关于做好疫情防控期间返岗复工工作的通告", 2, 12, GENERAL),
    ("关于寒潮大风天气防范工作的通知", 2, 12, GENERAL),
    ("关于2022年清明节放假安排的通知", 3, 15, GENERAL),
    ("关于开展森林草原防火宣传的通告", 3, 12, FARMING),
    ("关于2022年劳动节放假安排的通知", 4, 15, GENERAL),
    ("关于征集2022年度重点项目的公告", 4, 10, ECONOMY),
    ("关于开展全员核酸检测的通告", 4, 12, GENERAL),
    (
        "关于组织申报2022年自治区中小企业发展专项资金的通知",
        5,
        15,
        FINANCE,
    ),
    ("关于2022年端午节放假安排的通知", 5, 15, GENERAL),
    ("关于防范非法集资风险的提示", 6, 15, FINANCE),
    (
        "关于开展2022年度高新技术企业认定申报工作的通知",
        6,
        15,
        SCIENCE,
    ),
    ("关于暴雨天气防范工作的紧急通知", 7, 12, FARMING),
    ("关于区内道路施工期间交通管制的通告", 7, 15, BUILDING),
    ("关于开展政务公开社会评议的公告", 8, 15, GENERAL),
    ("关于调整政务服务大厅工作时间的通知", 8, 15, GENERAL),
    ("关于2022年中秋节放假安排的通知", 9, 15, GENERAL),
    ("关于2022年国庆节放假安排的通知", 9, 15, GENERAL),
    ("关于开展“诚信兴商”宣传月活动的通知", 9, 15, TRADE),
    ("关于冬季供暖期间安全用气的提示", 10, 13, SAFETY),
    ("关于开展2022年度消防安全检查的通告", 10, 13, SAFETY),
    ("关于公布经开区政务服务咨询电话的公告", 10, 15, GENERAL),
    ("关于征集政务公开意见建议的公告", 11, 15, GENERAL),
    ("关于开展重点行业领域用工服务的公告", 11, 11, LABOUR),
    ("关于规范入区企业安全生产标准化建设的通知", 11, 13, SAFETY),
    ("关于公布经开区政务公开目录的公告", 12, 15, GENERAL),
    ("关于2023年元旦放假安排的通知", 12, 15, GENERAL),
    ("关于开展安全生产举报奖励的公告", 12, 13, SAFETY),
    ("关于做好2023年元旦春节期间值班工作的通知", 12, 15, GENERAL),
];

/// Who a 工作动态 is about.
const NEWS_ACTORS: [&str; 10] = [
    "管委会",
    "综合办公室",
    "经济发展局",
    "规划建设局",
    "财政局",
    "招商服务中心",
    "安全生产监督管理局",
    "社会事务局",
    "自然资源局",
    "市场监督管理局",
];

/// What a 工作动态 reports.
const NEWS_ACTIVITIES: [&str; 20] = [
    "召开党风廉政建设工作会议",
    "开展疫情防控工作督导检查",
    "深入企业开展走访调研",
    "组织开展安全生产专题培训",
    "召开重点项目建设推进会",
    "开展政务公开业务培训",
    "开展消防安全隐患排查",
    "组织开展突发事件应急演练",
    "召开营商环境优化提升座谈会",
    "开展“我为群众办实事”实践活动",
    "开展防范电信网络诈骗宣传",
    "组织开展理论学习中心组专题学习",
    "开展节前安全生产检查",
    "开展文明城市创建志愿服务活动",
    "召开工作调度会议",
    "开展保密知识专题培训",
    "开展普法宣传活动",
    "组织开展干部作风建设专题教育",
    "开展入区企业用工需求调查",
    "开展燃气安全入户宣传",
];

/// The closing sentence of a 工作动态, in turn.
const NEWS_CLOSINGS: [&str; 4] = [
    "下一步，将进一步压实工作责任，确保各项任务落到实处。",
    "参加人员表示，将以此次活动为契机，扎实做好本职工作。",
    "此次活动进一步提升了干部职工的责任意识和业务能力。",
    "会议要求，各局办要细化措施、明确时限，按时报送工作进展。",
];

/// 招商引资 signings: (the partner, the project).
const SIGNINGS: [(&str, &str); 12] = [
    ("一家新能源企业", "风电装备制造"),
    ("一家乳制品企业", "乳制品深加工"),
    ("一家物流企业", "冷链物流园"),
    ("一家农牧业企业", "牛羊肉精深加工"),
    ("一家建材企业", "新型建材生产线"),
    ("一家生物科技企业", "生物饲料"),
    ("一家信息技术企业", "数据中心"),
    ("一家光伏企业", "分布式光伏发电"),
    ("一家化工企业", "精细化工"),
    ("一家商贸企业", "跨境商贸服务中心"),
    ("一家医药企业", "蒙中药材加工"),
    ("一家装备制造企业", "农牧机械制造"),
];

/// One item of the plan, before it has an id.
struct Plan {
    /// Its place in the order the plan was written (the key of `interprets`).
    key: usize,
    /// The working day of 2022 it is published on (index into the year's working days).
    day: usize,
    content: ItemContent,
    /// Whether it is a 公文 (gets the next 文号).
    document: bool,
    /// The plan key of the policy a 政策解读 interprets.
    interprets: Option<usize>,
    /// The 标准目录 entry it fulfils, by 事项名称.
    entry: Option<&'static str>,
}

/// The working days of 2022, by the built-in calendar.
fn workdays() -> Result<Vec<Date>, WebError> {
    let calendar = Calendar::builtin();
    let mut out = Vec::new();
    let mut date = Date::from_calendar_date(YEAR, Month::January, 1)
        .map_err(|e| WebError::Internal(format!("demo year: {e}")))?;
    while date.year() == YEAR {
        let day = calendar
            .day(date)
            .map_err(|e| WebError::Internal(format!("demo calendar: {e}")))?;
        if day.value.workday {
            out.push(date);
        }
        match date.next_day() {
            Some(next) => date = next,
            None => break,
        }
    }
    Ok(out)
}

/// The first working day of 2022 (the day the demo catalogue is listed).
pub fn first_workday() -> Result<Date, WebError> {
    workdays()?
        .first()
        .copied()
        .ok_or_else(|| WebError::Internal("demo year has no working day".into()))
}

/// Unix seconds of `seconds` after Beijing midnight of `date`.
pub fn beijing_time(date: Date, seconds: i64) -> i64 {
    date.midnight().assume_utc().unix_timestamp() - 8 * 3600 + seconds
}

/// Picks working days within a month, spread out: the k-th pick of a month strides through
/// its days.
struct Days {
    by_month: Vec<Vec<usize>>,
    picked: [usize; 12],
}

impl Days {
    fn new(days: &[Date]) -> Days {
        let mut by_month = vec![Vec::new(); 12];
        for (i, d) in days.iter().enumerate() {
            by_month[usize::from(u8::from(d.month())) - 1].push(i);
        }
        Days {
            by_month,
            picked: [0; 12],
        }
    }

    fn in_month(&mut self, month: u8) -> usize {
        let m = usize::from(month.clamp(1, 12)) - 1;
        let k = self.picked[m];
        self.picked[m] += 1;
        let days = &self.by_month[m];
        // 7 is prime to every month's count of working days (18–23), so picks do not repeat
        // until the month is full.
        days[(k * 7 + 3) % days.len()]
    }
}

fn item(
    title: String,
    kind: &str,
    article20: u8,
    topic: &str,
    keywords: &str,
    body: String,
) -> ItemContent {
    ItemContent {
        summary: body.split('。').next().unwrap_or_default().to_owned() + "。",
        title,
        kind: kind.into(),
        article20: Some(article20),
        topic: topic.into(),
        keywords: keywords.into(),
        openness: "proactive".into(),
        body: format!("{body}\n{DEMO_NOTE}"),
        ..ItemContent::default()
    }
}

/// The document's short name: the title inside 《》, or the title.
fn short_name(title: &str) -> &str {
    match (title.find('《'), title.find('》')) {
        (Some(a), Some(b)) if a < b => &title[a + '《'.len_utf8()..b],
        _ => title,
    }
}

/// What a 通知公告 is about: its title without 关于 and the 的通知 that ends it.
fn subject(title: &str) -> &str {
    let text = title.trim_start_matches("关于");
    ["的紧急通知", "的通知", "的通告", "的公告", "的提示"]
        .iter()
        .find_map(|end| text.strip_suffix(end))
        .unwrap_or(text)
}

/// The whole year's plan, in writing order.
fn plan(days: &[Date]) -> Vec<Plan> {
    let total = days.len();
    let mut pick = Days::new(days);
    let mut out: Vec<Plan> = Vec::new();
    let push = |out: &mut Vec<Plan>, day: usize, content: ItemContent, entry, document| {
        let key = out.len();
        out.push(Plan {
            key,
            day,
            content,
            document,
            interprets: None,
            entry,
        });
        key
    };
    // 公文: all 其他公文, as the seed's 表二 counts 0 规章 and 0 行政规范性文件 for 2022.
    let mut documents = Vec::new();
    for (title, month, article20, topic) in DOCUMENT_SEEDS {
        let body = format!(
            "各局办、各入区企业：现将{}有关事项通知如下，请结合实际认真贯彻落实。一、提高思想认识，加强组织领导。二、明确责任分工，细化工作措施。三、加强督促检查，按时报送进展情况。",
            short_name(title)
        );
        let content = item(title.into(), "other", article20, topic, "", body);
        documents.push(push(
            &mut out,
            pick.in_month(month),
            content,
            Some("其他公文"),
            true,
        ));
    }
    let mut normative = Vec::new();
    for (title, month) in NORMATIVE_SEEDS {
        let body = format!(
            "第一条 为规范开发区管理，优化营商环境，根据有关法律法规，结合开发区实际，制定《{title}》。第二条 本办法适用于开发区范围内的入区企业和相关单位。第三条 本办法自印发之日起施行。"
        );
        let content = item(title.into(), "other", 1, ECONOMY, "管理办法", body);
        normative.push(push(
            &mut out,
            pick.in_month(month),
            content,
            Some("其他公文"),
            true,
        ));
    }
    // 政策解读, two working days after their policy.
    let interpreted: Vec<usize> = normative
        .iter()
        .copied()
        .chain(INTERPRETED_DOCUMENTS.iter().map(|&i| documents[i]))
        .collect();
    for policy in interpreted {
        let name = short_name(&out[policy].content.title).to_owned();
        let body = format!(
            "一、制定背景：为贯彻落实上级有关部署，结合开发区实际，制定《{name}》。二、主要内容：明确了适用范围、工作目标、主要任务和保障措施。三、政策亮点及适用对象：重点解决入区企业关心的问题，以简明问答方式说明办理要点。"
        );
        let content = item(
            format!("《{name}》政策解读"),
            "interpretation",
            out[policy].content.article20.unwrap_or(15),
            &out[policy].content.topic.clone(),
            "政策解读",
            body,
        );
        let day = (out[policy].day + 2).min(total - 1);
        let key = push(&mut out, day, content, Some("政策解读"), false);
        out[key].interprets = Some(policy);
    }
    // 行政许可 results, monthly: the report's 表二 prints no decision in 2022.
    for month in 1..=12u8 {
        let body = format!(
            "根据《中华人民共和国行政许可法》有关规定，现将开发区{YEAR}年{month}月行政许可办理结果公示如下：本月未受理行政许可申请，无作出的行政许可决定。"
        );
        let content = item(
            format!("{YEAR}年{month}月行政许可办理结果公示"),
            "notice",
            5,
            SAFETY,
            "行政许可",
            body,
        );
        let day = *pick.by_month[usize::from(month) - 1].last().unwrap_or(&0);
        push(&mut out, day, content, Some("行政许可办理结果"), false);
    }
    // 主要经济指标: last year's in January, then each month's in the next.
    for month in 0..12u8 {
        let (title, body) = if month == 0 {
            (
                format!("{}年开发区经济运行情况", YEAR - 1),
                format!(
                    "{}年，开发区经济运行稳中有进，规模以上工业增加值、固定资产投资和一般公共预算收入保持增长。",
                    YEAR - 1
                ),
            )
        } else {
            (
                format!("{YEAR}年1—{month}月开发区主要经济指标"),
                format!(
                    "1—{month}月，开发区规模以上工业增加值同比增长{}.{}%，固定资产投资同比增长{}.{}%。",
                    3 + month % 4,
                    month % 10,
                    5 + month % 6,
                    (month * 3) % 10
                ),
            )
        };
        let content = item(title, "statistics", 4, ECONOMY, "统计数据", body);
        push(
            &mut out,
            pick.in_month(month + 1),
            content,
            Some("主要经济指标"),
            false,
        );
    }
    // 财政预决算.
    for (title, month, entry, body) in [
        (
            format!("呼伦贝尔经济技术开发区{YEAR}年部门预算"),
            2,
            "部门预算",
            "公开内容包括收支总体情况、一般公共预算财政拨款支出、政府性基金预算支出及有关说明。",
        ),
        (
            format!("呼伦贝尔经济技术开发区{YEAR}年“三公”经费预算情况说明"),
            2,
            "部门预算",
            "“三公”经费预算包括因公出国（境）费、公务用车购置及运行维护费、公务接待费。",
        ),
        (
            format!("呼伦贝尔经济技术开发区{}年部门决算", YEAR - 1),
            8,
            "部门决算",
            "公开内容包括收支决算总体情况、一般公共预算财政拨款支出决算及有关说明。",
        ),
        (
            format!("呼伦贝尔经济技术开发区{}年“三公”经费决算情况说明", YEAR - 1),
            8,
            "部门决算",
            "“三公”经费决算数低于预算数，主要是厉行节约、压减一般性支出。",
        ),
    ] {
        let content = item(title, "misc", 7, FINANCE, "财政预决算", body.into());
        push(&mut out, pick.in_month(month), content, Some(entry), false);
    }
    // 权责清单 updates (a column the report added).
    for (n, month) in [(1, 3), (2, 6), (3, 9), (4, 12)] {
        let body = format!(
            "根据机构职能调整和法律法规立改废情况，对管委会权力清单和责任清单进行第{n}批动态调整，调整后的清单在本栏目公布。"
        );
        let content = item(
            format!("经开区管委会权责清单动态调整情况（{YEAR}年第{n}批）"),
            "misc",
            2,
            GENERAL,
            "权责清单",
            body,
        );
        push(
            &mut out,
            pick.in_month(month),
            content,
            Some("权责清单"),
            false,
        );
    }
    // 建议提案 replies (a column the report added).
    for i in 0..8u8 {
        let (kind, number) = if i % 2 == 0 {
            ("市政协委员提案", 20 + u16::from(i) * 7)
        } else {
            ("市人大代表建议", 11 + u16::from(i) * 5)
        };
        let title = format!("关于{kind}第{number}号办理情况的答复函");
        let body = format!(
            "您提出的第{number}号{kind}收悉。经认真研究，现答复如下：我区高度重视，已将相关意见纳入年度工作安排，并明确责任单位抓好落实。感谢您对开发区工作的关心和支持。"
        );
        let content = item(title, "misc", 15, GENERAL, "建议提案", body);
        push(
            &mut out,
            pick.in_month(6 + i / 2),
            content,
            Some("建议提案办理"),
            false,
        );
    }
    // The annual report of 2021, and the 机构 pages.
    let report = item(
        format!(
            "呼伦贝尔经济技术开发区{}年政府信息公开工作年度报告",
            YEAR - 1
        ),
        "misc",
        15,
        GENERAL,
        "年度报告",
        format!(
            "根据《中华人民共和国政府信息公开条例》规定，现公布呼伦贝尔经济技术开发区{}年政府信息公开工作年度报告。",
            YEAR - 1
        ),
    );
    push(
        &mut out,
        pick.in_month(1),
        report,
        Some("政府信息公开年度报告"),
        false,
    );
    for (title, entry, body) in [
        (
            "管委会机构职能（2022年更新）",
            "机构职能",
            "管委会负责开发区经济社会发展的统筹规划、综合协调和组织实施，内设综合办公室及各局办。",
        ),
        (
            "管委会领导分工（2022年调整）",
            "领导信息",
            "主任主持管委会全面工作；副主任按分工负责经济发展、招商引资、规划建设等工作。",
        ),
    ] {
        let content = item(title.into(), "misc", 2, GENERAL, "机构信息", body.into());
        push(&mut out, pick.in_month(1), content, Some(entry), false);
    }
    // 规划计划 and 国土空间规划.
    for (title, month, entry) in [
        ("经开区2022年重点项目建设计划", 2, "发展规划"),
        ("经开区2022年招商引资工作计划", 2, "发展规划"),
        ("经开区“十四五”产业发展规划", 4, "发展规划"),
        ("经开区2022年度安全生产工作计划", 3, "发展规划"),
        ("经开区北区控制性详细规划批前公示", 6, "国土空间规划"),
        ("经开区北区控制性详细规划批后公布", 9, "国土空间规划"),
    ] {
        let body = format!(
            "现将《{title}》主要内容予以公开，包括指导思想、主要目标、重点任务和保障措施。"
        );
        let content = item(title.into(), "plan", 3, BUILDING, "规划计划", body);
        push(&mut out, pick.in_month(month), content, Some(entry), false);
    }
    // 人事信息.
    for (title, month) in [
        ("经开区2022年公开招聘劳务派遣人员公告", 3),
        ("经开区2022年公开招聘劳务派遣人员笔试成绩公示", 4),
        ("经开区2022年公开招聘劳务派遣人员拟聘用人员公示", 5),
        ("经开区干部任前公示", 7),
        ("经开区2022年公开招聘社区工作者公告", 8),
        ("经开区2022年公开招聘社区工作者拟聘用人员公示", 10),
    ] {
        let body =
            "根据有关规定，现将相关情况予以公示。公示期内如有异议，请以书面形式向综合办公室反映。"
                .to_owned();
        let content = item(title.into(), "personnel", 14, LABOUR, "人事信息", body);
        push(&mut out, pick.in_month(month), content, None, false);
    }
    // 重大建设项目.
    for (title, month) in [
        ("经开区综合管廊项目批准信息", 3),
        ("经开区污水处理厂提标改造项目招标投标信息", 4),
        ("经开区道路管网配套项目施工许可信息", 5),
        ("经开区标准化厂房项目建设进展", 7),
        ("经开区综合管廊项目质量安全监督检查情况", 9),
        ("经开区道路管网配套项目竣工验收信息", 11),
    ] {
        let body = format!("现将{title}予以公开，包括项目名称、建设单位、建设规模和进展情况。");
        let content = item(title.into(), "misc", 10, ECONOMY, "重大建设项目", body);
        push(
            &mut out,
            pick.in_month(month),
            content,
            Some("项目建设实施"),
            false,
        );
    }
    // 政府采购.
    for (i, (project, month)) in [
        ("办公设备", 3),
        ("物业服务", 4),
        ("道路清扫保洁服务", 5),
        ("政务信息化运维服务", 6),
        ("园区绿化养护", 7),
        ("安全生产第三方技术服务", 8),
        ("冬季清雪服务", 10),
        ("档案数字化服务", 11),
    ]
    .into_iter()
    .enumerate()
    {
        let stage = if i % 2 == 0 {
            "采购公告"
        } else {
            "中标（成交）结果公告"
        };
        let body = format!(
            "现就{project}采购项目发布{stage}，公开项目名称、预算金额、采购方式及联系方式等信息。"
        );
        let content = item(
            format!("经开区{project}采购项目{stage}"),
            "notice",
            9,
            FINANCE,
            "政府采购",
            body,
        );
        push(
            &mut out,
            pick.in_month(month),
            content,
            Some("政府采购"),
            false,
        );
    }
    // 安全生产 checks, monthly.
    for month in 1..=12u8 {
        let body = format!(
            "{month}月，开发区共检查企业{}家，发现一般隐患{}项，已督促企业限期整改。",
            18 + (month * 5) % 17,
            9 + (month * 7) % 23
        );
        let content = item(
            format!("经开区{month}月份安全生产检查情况通报"),
            "misc",
            13,
            SAFETY,
            "安全生产",
            body,
        );
        push(
            &mut out,
            pick.in_month(month),
            content,
            Some("安全生产监督检查"),
            false,
        );
    }
    // 环境监管.
    for (title, month) in [
        ("建设项目环境影响评价文件受理情况公示", 4),
        ("建设项目环境影响评价文件拟审批公示", 6),
        ("建设项目环境影响评价文件审批决定公告", 8),
        ("经开区大气污染防治工作进展情况", 10),
    ] {
        let body = format!("现将{title}予以公开，公示期间可通过电话或信函反映意见。");
        let content = item(title.into(), "misc", 13, BUILDING, "生态环境", body);
        push(
            &mut out,
            pick.in_month(month),
            content,
            Some("环境监管"),
            false,
        );
    }
    // 就业.
    for (title, month) in [
        ("经开区入区企业春季招聘岗位信息", 3),
        ("经开区稳岗返还政策申领指南", 5),
        ("经开区入区企业夏季招聘岗位信息", 6),
        ("经开区职业技能培训补贴申领指南", 7),
        ("经开区高校毕业生就业见习岗位信息", 8),
        ("经开区入区企业秋季招聘岗位信息", 9),
    ] {
        let body = format!("现将{title}予以公布，包括岗位（补贴）名称、条件、办理流程和咨询电话。");
        let content = item(title.into(), "misc", 11, LABOUR, "就业", body);
        push(
            &mut out,
            pick.in_month(month),
            content,
            Some("就业政策和招聘信息"),
            false,
        );
    }
    // 招商引资: the monthly progress and the signings.
    for month in 1..=12u8 {
        let body = format!(
            "{month}月，开发区新洽谈项目{}个，新签约项目{}个，重点项目按计划推进。",
            3 + month % 4,
            1 + month % 3
        );
        let content = item(
            format!("经开区{month}月份招商引资工作推进情况"),
            "news",
            15,
            TRADE,
            "招商引资",
            body,
        );
        push(
            &mut out,
            pick.in_month(month),
            content,
            Some("招商引资工作推进情况"),
            false,
        );
    }
    for (i, (partner, project)) in SIGNINGS.iter().enumerate() {
        let body = format!(
            "近日，开发区与{partner}签订{project}项目投资协议。项目建成后将进一步延伸产业链条，带动就业。"
        );
        let content = item(
            format!("经开区与{partner}签订{project}项目投资协议"),
            "news",
            15,
            TRADE,
            "招商引资",
            body,
        );
        let month = u8::try_from(i % 12).unwrap_or(0) + 1;
        push(
            &mut out,
            pick.in_month(month),
            content,
            Some("招商引资工作推进情况"),
            false,
        );
    }
    // 通知公告.
    for (title, month, article20, topic) in NOTICE_SEEDS {
        let body = format!(
            "现将{}有关事项告知如下，请相互转告、遵照执行。",
            subject(title)
        );
        let content = item(title.into(), "notice", article20, topic, "通知公告", body);
        push(&mut out, pick.in_month(month), content, None, false);
    }
    // 工作动态: the rest, spread evenly over the year; actor × activity pairs never repeat.
    let news = PUBLISHED - out.len();
    for k in 0..news {
        let actor = k % NEWS_ACTORS.len();
        let activity = (k / NEWS_ACTORS.len() + 3 * actor) % NEWS_ACTIVITIES.len();
        let title = format!("经开区{}{}", NEWS_ACTORS[actor], NEWS_ACTIVITIES[activity]);
        let body = format!(
            "近日，经开区{}{}。{}",
            NEWS_ACTORS[actor],
            NEWS_ACTIVITIES[activity],
            NEWS_CLOSINGS[k % NEWS_CLOSINGS.len()]
        );
        let content = item(title, "news", 15, GENERAL, "工作动态", body);
        push(&mut out, k * total / news.max(1), content, None, false);
    }
    out
}

/// Loads the year unless an item of the organ was published in 2022; returns how many were
/// added.
pub async fn load(store: &Store, organ_id: i64, _now: i64) -> Result<usize, WebError> {
    let scope = OrganScope::system(organ_id);
    let existing = store.items(scope).await?;
    if existing.iter().any(|i| {
        i.progress()
            .first_published
            .is_some_and(|(_, d)| d.year() == YEAR)
    }) {
        return Ok(0);
    }
    let entries: HashMap<String, i64> = store
        .catalogue_entries(scope)
        .await?
        .into_iter()
        .map(|e| (e.input.name, e.id))
        .collect();
    let days = workdays()?;
    let mut plan = plan(&days);
    plan.sort_by_key(|p| (p.day, p.key));
    let actor = Actor::system("demo");
    let mut ids: HashMap<usize, ItemId> = HashMap::new();
    let mut batch: Vec<(usize, Backdated)> = Vec::new();
    let mut number = 0;
    let mut per_day: HashMap<usize, i64> = HashMap::new();
    for p in plan {
        // A 政策解读 needs its policy's id: write what is pending first.
        if p.interprets.is_some_and(|k| !ids.contains_key(&k)) {
            flush(store, &actor, scope, &mut batch, &mut ids).await?;
        }
        let published = days[p.day];
        let seq = per_day.entry(p.day).or_insert(0);
        *seq += 1;
        let mut content = p.content;
        if p.document {
            number += 1;
            content.doc_number = format!("呼经开管发〔{YEAR}〕{number}号");
        }
        // A 公文 is formed a couple of working days before it is published.
        let formed = if p.document {
            days[p.day.saturating_sub(2)]
        } else {
            published
        };
        content.formed = Some(formed);
        content.interprets = p.interprets.and_then(|k| ids.get(&k).copied());
        content.catalogue_entry = p.entry.and_then(|name| entries.get(name).copied());
        let at = beijing_time(published, 9 * 3600 + *seq * 600);
        batch.push((
            p.key,
            Backdated {
                content,
                published,
                at,
            },
        ));
    }
    flush(store, &actor, scope, &mut batch, &mut ids).await?;
    repeal(store, &actor, scope, &ids).await?;
    Ok(ids.len())
}

async fn flush(
    store: &Store,
    actor: &Actor,
    scope: OrganScope,
    batch: &mut Vec<(usize, Backdated)>,
    ids: &mut HashMap<usize, ItemId>,
) -> Result<(), WebError> {
    if batch.is_empty() {
        return Ok(());
    }
    let items: Vec<Backdated> = batch.iter().map(|(_, b)| b.clone()).collect();
    let written = store.publish_backdated(actor, scope, &items).await?;
    for ((key, _), id) in batch.iter().zip(written) {
        ids.insert(*key, id);
    }
    batch.clear();
    Ok(())
}

/// The 入区企业管理办法 repeals its 暂行办法 on the day it is published.
async fn repeal(
    store: &Store,
    actor: &Actor,
    scope: OrganScope,
    ids: &HashMap<usize, ItemId>,
) -> Result<(), WebError> {
    let old = DOCUMENT_SEEDS.len();
    let new = old + 2;
    let (Some(&old_id), Some(&new_id)) = (ids.get(&old), ids.get(&new)) else {
        return Ok(());
    };
    let item = store.item(scope, new_id).await?;
    let Some((at, date)) = item.progress().first_published else {
        return Ok(());
    };
    let step = ItemStep::Validity {
        validity: "repealed".into(),
        since: Some(date),
        by: Some(new_id),
        comment: format!("被《{}》废止。", NORMATIVE_SEEDS[2].0),
    };
    store
        .item_step(actor, scope, old_id, &step, date, at + 60)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_has_the_reports_388_items_and_40_documents_with_distinct_titles() {
        let days = workdays().unwrap();
        let plan = plan(&days);
        assert_eq!(plan.len(), PUBLISHED);
        assert_eq!(plan.iter().filter(|p| p.document).count(), DOCUMENTS);
        let mut titles: Vec<&str> = plan.iter().map(|p| p.content.title.as_str()).collect();
        titles.sort_unstable();
        titles.dedup();
        assert_eq!(titles.len(), PUBLISHED);
        assert!(plan.iter().all(|p| p.day < days.len()));
        assert!(
            plan.iter()
                .all(|p| p.content.body.ends_with("（演示数据）"))
        );
    }
}
