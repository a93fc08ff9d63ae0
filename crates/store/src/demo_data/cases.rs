//! Generated applications: who applies (every 表三 column), what for, how it came, and the
//! ledger the application office would have written for it — `received` with its channel,
//! sometimes 补正 with its receipt or lapse (art. 30), a consultation (arts. 32, 34), an
//! extension requested and approved (art. 33 ¶2), a fee notice paid or lapsed, and a `replied`
//! with one outcome of `gongkai_core::outcome::OUTCOMES`. The rates are rough shapes of the
//! published reports, not statistics of any organ.

use gongkai_core::calendar::{Calendar, CalendarError};
use gongkai_core::clock::{CORRECTION_NOTICE_DAYS, Channel, Event, FEE_PAYMENT_DAYS, Party};
use gongkai_core::outcome::{OUTCOMES, Outcome};
use rand::Rng;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::rngs::StdRng;
use time::{Date, Duration};

use crate::StoreError;
use crate::application::{Applicant, Request};
use crate::ledger::{LedgerEvent, Record};

const SURNAMES: [&str; 32] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹",
];
const GIVEN: [&str; 40] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "志", "红", "玉", "兰", "海", "波",
    "宁", "晨", "雪", "鹏", "飞", "浩", "婷", "欣",
];
const WORDS: [&str; 16] = [
    "恒信", "华瑞", "鼎盛", "长青", "宏达", "金桥", "远航", "博雅", "正源", "同心", "安泰", "汇通",
    "启明", "润泽", "聚力", "新程",
];
const SUBJECTS: [&str; 16] = [
    "老旧小区改造项目",
    "棚户区改造项目",
    "城市道路改扩建工程",
    "集体土地征收",
    "国有土地上房屋征收",
    "农村宅基地审批",
    "河道综合治理工程",
    "工业园区规划",
    "污水处理厂建设项目",
    "学校新建项目",
    "保障性住房分配",
    "农业补贴发放",
    "建设项目环境影响评价",
    "行政处罚案件",
    "财政专项资金使用",
    "公共停车场建设项目",
];
const ASKS: [&str; 8] = [
    "的批复文件",
    "的实施方案",
    "的补偿安置方案",
    "的招标文件及中标结果",
    "的立项审批材料",
    "的资金拨付明细",
    "的会议纪要",
    "的验收报告",
];
const CORRECTION_ITEMS: [&str; 4] = [
    "所需信息的名称、文号或者便于查询的特征性描述",
    "申请人的身份证明",
    "联系方式（联系电话或通信地址）",
    "所需信息的年度或项目名称",
];
const EXTENSION_REASONS: [&str; 4] = [
    "所需信息涉及多个年度的档案，需调取核对",
    "申请内容较多，需逐项检索",
    "所需信息涉及其他机关，需协调确认",
    "需对信息进行区分处理",
];
const CONSULTED_ORGANS: [&str; 4] = [
    "自然资源局",
    "住房和城乡建设局",
    "财政局",
    "发展和改革委员会",
];

/// Applicant kinds, keys of `gongkai_core::format::APPLICANT_COLUMNS` but 总计, with their
/// rough shares.
const KINDS: [(&str, u32); 6] = [
    ("natural_person", 70),
    ("commercial", 14),
    ("research", 2),
    ("social_welfare", 2),
    ("legal_services", 7),
    ("other", 5),
];

/// How applications come (art. 31), with rough shares.
const CHANNELS: [(Channel, u32); 6] = [
    (Channel::Online, 40),
    (Channel::Post, 20),
    (Channel::InPerson, 18),
    (Channel::Email, 10),
    (Channel::OrdinaryLetter, 7),
    (Channel::Fax, 5),
];

/// The share of replies closing with `outcome`. Exhaustive, so a new outcome must be given
/// one. The lapses (arts. 30, fee) and 补正后仍不明确 are reached through their own events,
/// never drawn for a plain reply.
const fn reply_weight(outcome: Outcome) -> u32 {
    match outcome {
        Outcome::Disclosed => 380,
        Outcome::AlreadyPublic => 80,
        Outcome::PartlyDisclosed => 80,
        Outcome::WithheldStateSecret => 3,
        Outcome::WithheldProhibitedByLaw => 8,
        Outcome::WithheldSecurityStability => 5,
        Outcome::WithheldThirdParty => 15,
        Outcome::WithheldInternalAffairs => 10,
        Outcome::WithheldProcessInfo => 20,
        Outcome::WithheldEnforcementFile => 8,
        Outcome::InquiryMatter => 25,
        Outcome::DoesNotExist => 140,
        Outcome::NotThisOrgan => 70,
        Outcome::NeedsCreation => 20,
        Outcome::Petition => 35,
        Outcome::Repeat => 15,
        Outcome::Publication => 5,
        Outcome::Excessive => 3,
        Outcome::Confirmation => 8,
        Outcome::Withdrawn => 30,
        Outcome::OtherClosed => 15,
        Outcome::StillUnclear | Outcome::NoCorrection | Outcome::FeeUnpaid => 0,
    }
}

/// The draws the generator makes many times, prepared once.
pub(super) struct Draws {
    kinds: WeightedIndex<u32>,
    channels: WeightedIndex<u32>,
    outcomes: WeightedIndex<u32>,
}

impl Draws {
    pub(super) fn new() -> Result<Draws, StoreError> {
        Ok(Draws {
            kinds: weighted(KINDS.iter().map(|k| k.1).collect())?,
            channels: weighted(CHANNELS.iter().map(|c| c.1).collect())?,
            outcomes: weighted(OUTCOMES.iter().map(|s| reply_weight(s.outcome)).collect())?,
        })
    }

    pub(super) fn channel(&self, rng: &mut StdRng) -> Channel {
        CHANNELS[self.channels.sample(rng)].0
    }
}

/// A draw by weights (all zero, or none, is an error).
pub(super) fn weighted<W>(weights: Vec<W>) -> Result<WeightedIndex<W>, StoreError>
where
    W: rand::distr::weighted::Weight + rand::distr::uniform::SampleUniform + PartialOrd,
{
    WeightedIndex::new(weights).map_err(|e| StoreError::Other(format!("demo-data weights: {e}")))
}

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

/// A person's name: a surname and one or two given characters.
pub(super) fn person_name(rng: &mut StdRng) -> String {
    let mut name = pick(rng, &SURNAMES).to_owned();
    for _ in 0..rng.random_range(1..=2) {
        name.push_str(pick(rng, &GIVEN));
    }
    name
}

/// A well-formed 居民身份证号码 (GB 11643: region, birth date, sequence, MOD 11-2 check) that
/// belongs to nobody known.
fn resident_id(rng: &mut StdRng, year: i32) -> String {
    let province = [32u32, 33, 37, 41, 44, 51, 15][rng.random_range(0..7)];
    let birth_year = rng.random_range(1950..=(year - 18));
    let mut digits = format!(
        "{province:02}{:02}{:02}{birth_year}{:02}{:02}{:03}",
        rng.random_range(1..=9),
        rng.random_range(1..=20),
        rng.random_range(1..=12),
        rng.random_range(1..=28),
        rng.random_range(0..1000),
    );
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = digits
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    digits.push(match (12 - sum % 11) % 11 {
        10 => 'X',
        c => char::from_digit(c, 10).unwrap_or('0'),
    });
    digits
}

/// A well-formed 统一社会信用代码 (GB 32100: department, category, region, organisation code,
/// MOD 31 check) for a registration department and category.
fn credit_code(rng: &mut StdRng, department: char, category: char) -> String {
    const CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let mut code = format!(
        "{department}{category}{:06}",
        rng.random_range(110_000..660_000)
    );
    for _ in 0..9 {
        code.push(char::from(CHARS[rng.random_range(0..31)]));
    }
    let value = |c: char| CHARS.iter().position(|&x| char::from(x) == c).unwrap_or(0);
    let sum: usize = code.chars().zip(WEIGHTS).map(|(c, w)| value(c) * w).sum();
    code.push(char::from(CHARS[(31 - sum % 31) % 31]));
    code
}

fn phone(rng: &mut StdRng) -> String {
    format!(
        "1{}{:09}",
        [3, 5, 8][rng.random_range(0..3)],
        rng.random_range(0..1_000_000_000u32)
    )
}

/// An applicant of a drawn kind, living or registered in `area`.
pub(super) fn applicant(rng: &mut StdRng, draws: &Draws, area: &str, year: i32) -> Applicant {
    let kind = KINDS[draws.kinds.sample(rng)].0;
    let address = format!(
        "{area}{}路{}号",
        pick(rng, &WORDS),
        rng.random_range(1..300)
    );
    let postcode = format!("{:06}", rng.random_range(100_000..860_000));
    if kind == "natural_person" {
        return Applicant {
            kind: kind.into(),
            name: person_name(rng),
            id_type: "resident_id".into(),
            id_number: resident_id(rng, year),
            phone: phone(rng),
            address,
            postcode,
            ..Applicant::default()
        };
    }
    let word = pick(rng, &WORDS);
    let (name, department, category) = match kind {
        "commercial" => (format!("{area}{word}建设工程有限公司"), '9', '1'),
        "research" => (format!("{area}{word}城乡规划研究院"), '1', '2'),
        "social_welfare" => (format!("{area}{word}公益服务中心"), '5', '2'),
        "legal_services" => (format!("{word}律师事务所"), '3', '1'),
        _ => (format!("{area}{word}小区业主委员会"), 'N', '2'),
    };
    Applicant {
        kind: kind.into(),
        name,
        id_type: "credit_code".into(),
        id_number: credit_code(rng, department, category),
        legal_representative: person_name(rng),
        contact_person: person_name(rng),
        phone: phone(rng),
        address,
        postcode,
        ..Applicant::default()
    }
}

/// What is asked for.
pub(super) fn request(rng: &mut StdRng, area: &str, year: i32) -> Request {
    let subject = pick(rng, &SUBJECTS);
    let ask = pick(rng, &ASKS);
    let asked_year = year - rng.random_range(0..4);
    let electronic = rng.random_bool(0.6);
    Request {
        title: format!("{area}{asked_year}年{subject}{ask}"),
        doc_number: String::new(),
        description: format!("申请公开{asked_year}年度{subject}{ask}，用于了解本人相关权益。"),
        forms: vec![if electronic { "electronic" } else { "paper" }.into()],
        delivery: vec![if electronic { "email" } else { "post" }.into()],
        accept_other_form: rng.random_bool(0.7),
    }
}

/// The working day `n` working days after `date`.
fn wd(cal: &Calendar, date: Date, n: u32) -> Result<Date, CalendarError> {
    Ok(cal.add(date, n)?.value)
}

/// A receipt date in `year`: a working day, or for online and e-mail applications sometimes
/// a weekend (art. 31 (三) counts those from the day they reach the system).
pub(super) fn receipt_date(
    rng: &mut StdRng,
    cal: &Calendar,
    channel: Channel,
    from: Date,
    to: Date,
) -> Result<Date, CalendarError> {
    let span = (to - from).whole_days().max(0);
    loop {
        let date = from + Duration::days(rng.random_range(0..=span));
        let electronic = matches!(channel, Channel::Online | Channel::Email);
        if cal.day(date)?.value.workday || (electronic && rng.random_bool(0.3)) {
            return Ok(date);
        }
    }
}

/// The ledger of an application received on `received`, as far as `year_end`: events after it
/// have not happened yet (the case is open at the year's end, 结转下年度).
pub(super) fn ledger(
    rng: &mut StdRng,
    cal: &Calendar,
    draws: &Draws,
    received: Date,
    channel: Channel,
    year_end: Date,
) -> Result<Vec<LedgerEvent>, CalendarError> {
    let clock = LedgerEvent::clock;
    let mut events = vec![clock(received, Event::Received { channel })];
    let mut start = received;
    let mut corrected = false;
    // Art. 30: 补正 once, within 7 working days, with a 补正期限.
    if rng.random_bool(0.08) {
        let asked = wd(cal, received, rng.random_range(1..=CORRECTION_NOTICE_DAYS))?;
        let deadline = wd(cal, asked, 15)?;
        let mut e = clock(
            asked,
            Event::CorrectionRequested {
                deadline: Some(deadline),
            },
        );
        e.items = vec![pick(rng, &CORRECTION_ITEMS).to_owned()];
        events.push(e);
        if rng.random_bool(0.8) {
            start = wd(cal, asked, rng.random_range(1..=12))?;
            events.push(clock(start, Event::CorrectionReceived));
            corrected = true;
        } else {
            let lapsed = wd(cal, deadline, rng.random_range(1..=5))?;
            events.push(clock(lapsed, Event::CorrectionLapsed));
            return Ok(until(events, year_end));
        }
    }
    // Working days the reply clock stands still (consultation, fee).
    let mut paused = 0;
    // Arts. 32, 34: a consultation; an unanswered one stops the clock for 15 days at most.
    if rng.random_bool(0.06) {
        let sent = wd(cal, start, rng.random_range(2..=8))?;
        let (party, name) = if rng.random_bool(0.7) {
            (
                Party::ThirdParty,
                format!("{}物业服务有限公司", pick(rng, &WORDS)),
            )
        } else {
            (Party::OtherOrgan, pick(rng, &CONSULTED_ORGANS).to_owned())
        };
        events.push(clock(
            sent,
            Event::ConsultationStarted {
                party,
                name: name.clone(),
            },
        ));
        paused = 15;
        if rng.random_bool(0.9) {
            paused = rng.random_range(3..=15);
            let answered = wd(cal, sent, paused)?;
            events.push(clock(answered, Event::ConsultationAnswered { party, name }));
        }
    }
    // Art. 33 ¶2: requested by the handler and approved by the 负责人 before the 20 days end.
    let extended = rng.random_bool(0.05);
    if extended {
        let asked = wd(cal, start, rng.random_range(12..=17))?;
        let days = if rng.random_bool(0.7) {
            20
        } else {
            rng.random_range(5..=19)
        };
        let reason = pick(rng, &EXTENSION_REASONS).to_owned();
        events.push(LedgerEvent::record(
            asked,
            Record::ExtensionRequested { days, reason },
        ));
        let approved = wd(cal, asked, rng.random_range(0..=1))?;
        events.push(clock(
            approved,
            Event::ExtensionApproved {
                days,
                approver: Some(person_name(rng)),
            },
        ));
    }
    // 国办函〔2020〕109号: a fee notice, paid within 20 working days or lapsed.
    if rng.random_bool(0.03) {
        let sent = wd(cal, start, rng.random_range(3..=10))?;
        let delivered = sent + Duration::days(rng.random_range(0..=3));
        events.push(clock(
            sent,
            Event::FeeNoticeSent {
                yuan: Some(rng.random_range(10..=200u64) * 10),
                delivered: Some(delivered),
            },
        ));
        if rng.random_bool(0.8) {
            let wait = rng.random_range(1..=15);
            events.push(clock(wd(cal, delivered, wait)?, Event::FeePaid));
            paused += wait + 3;
        } else {
            let pay_by = wd(cal, delivered, FEE_PAYMENT_DAYS)?;
            let lapsed = wd(cal, pay_by, rng.random_range(1..=3))?;
            events.push(clock(lapsed, Event::FeeLapsed));
            return Ok(until(events, year_end));
        }
    }
    let days = if extended {
        rng.random_range(15..=38)
    } else if rng.random_bool(0.03) {
        rng.random_range(21..=30) // late: the clock shows it overdue
    } else {
        rng.random_range(2..=20)
    };
    let latest = events.iter().map(|e| e.date).max().unwrap_or(received);
    let replied = wd(cal, start, days + paused)?.max(latest);
    let outcome = if corrected && rng.random_bool(0.15) {
        Outcome::StillUnclear
    } else {
        OUTCOMES[draws.outcomes.sample(rng)].outcome
    };
    events.push(clock(replied, Event::Replied { outcome }));
    Ok(until(events, year_end))
}

/// The events up to `year_end`, in date order (same-day events keep their order, as the
/// clock reads them).
fn until(mut events: Vec<LedgerEvent>, year_end: Date) -> Vec<LedgerEvent> {
    events.sort_by_key(|e| e.date);
    events.retain(|e| e.date <= year_end);
    events
}

#[cfg(test)]
mod tests {
    use gongkai_core::identity;
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn generated_identity_numbers_pass_the_intake_checks() {
        let mut rng = StdRng::seed_from_u64(3);
        let today = Date::from_calendar_date(2025, time::Month::December, 31).unwrap();
        for _ in 0..200 {
            let id = resident_id(&mut rng, 2025);
            assert!(identity::resident_id(&id, today).is_ok(), "{id}");
            let code = credit_code(&mut rng, '9', '1');
            assert!(identity::credit_code(&code).is_ok(), "{code}");
        }
    }

    #[test]
    fn every_outcome_is_reached_by_a_reply_or_its_own_event() {
        // 补正后仍不明确 needs a correction; the two lapses are events of their own.
        for spec in OUTCOMES {
            let own_event = matches!(
                spec.outcome,
                Outcome::StillUnclear | Outcome::NoCorrection | Outcome::FeeUnpaid
            );
            assert_eq!(reply_weight(spec.outcome) == 0, own_event, "{}", spec.key);
        }
    }
}
