//! The demo's application office at work: a dozen cases received in the weeks before today, in
//! every state — overdue, due within three working days, awaiting 补正, in consultation,
//! extension requested and approved, awaiting the fee, just received, and closed with different
//! outcomes, their notices issued — and a 行政复议 about one of them. Dates are counted back from
//! today in working days, so a fresh demo always shows the same picture. The applicants are
//! invented; their ID numbers are well formed but belong to nobody known.

use gongkai_core::calendar::{Calendar, format_date};
use gongkai_core::clock::{Channel, Event, Party};
use gongkai_core::fee::{Fee, FeeBasis};
use gongkai_core::outcome::Outcome;
use gongkai_notice::{Details, NoticeKind, Reply, WithheldPart};
use gongkai_store::appeal::AppealInput;
use gongkai_store::application::{
    Applicant, Application, ApplicationFilter, NewApplication, Request,
};
use gongkai_store::ledger::{LedgerEvent, Record};
use gongkai_store::notice::{NoticeDraft, NoticeSettings};
use gongkai_store::{Actor, OrganScope, Store};
use time::Date;

use crate::{WebError, cases};

/// The demo organ's notice settings: its 字 and 复议机关 (the 呼伦贝尔市人民政府, the 本级人民政府
/// of a 开发区管委会).
pub fn notice_settings() -> NoticeSettings {
    NoticeSettings {
        number_pattern: "{organ_short}依申〔{year}〕{seq:3}号".into(),
        organ_short: "呼经开管".into(),
        reconsideration_body: "呼伦贝尔市人民政府".into(),
        court: String::new(),
        templates: Default::default(),
    }
}

/// One demo case: who, what, how it came, and what happened, in working days before today.
struct Story {
    applicant: Applicant,
    request: &'static str,
    channel: Channel,
    /// Working days between receipt and today.
    age: u32,
    /// (working days after receipt, event).
    steps: Vec<(u32, Step)>,
}

enum Step {
    Clock(Event),
    Correction(&'static str),
    ExtensionRequest(&'static str),
    Assign,
    /// Issue the notice of this kind (the reply's after the reply), and record its delivery.
    Notice(NoticeKind),
}

fn citizen(name: &str, id: &str, phone: &str) -> Applicant {
    Applicant {
        kind: "natural_person".into(),
        name: name.into(),
        id_type: "resident_id".into(),
        id_number: id.into(),
        phone: phone.into(),
        address: "内蒙古自治区呼伦贝尔市海拉尔区".into(),
        ..Applicant::default()
    }
}

fn organisation(kind: &str, name: &str, code: &str, contact: &str) -> Applicant {
    Applicant {
        kind: kind.into(),
        name: name.into(),
        id_type: "credit_code".into(),
        id_number: code.into(),
        contact_person: contact.into(),
        phone: "0470-8201234".into(),
        address: "内蒙古自治区呼伦贝尔市海拉尔区".into(),
        ..Applicant::default()
    }
}

fn reply(outcome: Outcome) -> Step {
    Step::Clock(Event::Replied { outcome })
}

fn stories() -> Vec<Story> {
    let third = || Party::ThirdParty;
    vec![
        Story {
            applicant: citizen("王建国", "150702198503122131", "13904701234"),
            request: "2025年开发区老旧小区改造项目的实施方案",
            channel: Channel::Online,
            age: 24,
            steps: vec![(1, Step::Assign), (1, Step::Notice(NoticeKind::Receipt))],
        },
        Story {
            applicant: citizen("李秀英", "150702199007181022", "13847001122"),
            request: "本人房屋所在地块的征收补偿方案及批复文件",
            channel: Channel::Post,
            age: 18,
            steps: vec![(1, Step::Assign)],
        },
        Story {
            applicant: citizen("张志强", "150721197811053515", "15004701234"),
            request: "2024年度开发区道路养护项目的招标文件",
            channel: Channel::InPerson,
            age: 3,
            steps: vec![
                (
                    1,
                    Step::Correction(
                        "所需信息的名称或文号，或便于查询的特征性描述（如项目名称、年度）",
                    ),
                ),
                (1, Step::Notice(NoticeKind::Correction)),
            ],
        },
        Story {
            applicant: organisation(
                "commercial",
                "呼伦贝尔市北辰建筑工程有限公司",
                "91150700MA0N2K3L1G",
                "赵磊",
            ),
            request: "开发区管委会与某物业公司签订的物业服务合同",
            channel: Channel::Email,
            age: 9,
            steps: vec![
                (1, Step::Assign),
                (
                    4,
                    Step::Clock(Event::ConsultationStarted {
                        party: third(),
                        name: "呼伦贝尔市安居物业服务有限公司".into(),
                    }),
                ),
            ],
        },
        Story {
            applicant: organisation(
                "legal_services",
                "内蒙古某某律师事务所",
                "31150000MD0123456L",
                "孙律师",
            ),
            request: "2025年开发区行政处罚案件的数量及处罚决定书目录",
            channel: Channel::Post,
            age: 22,
            steps: vec![
                (1, Step::Assign),
                (
                    17,
                    Step::ExtensionRequest("涉及多个部门的档案，需要逐件检索核对"),
                ),
                (
                    18,
                    Step::Clock(Event::ExtensionApproved {
                        days: 20,
                        approver: Some("演示负责人".into()),
                    }),
                ),
                (18, Step::Notice(NoticeKind::Extension)),
            ],
        },
        Story {
            applicant: citizen("刘芳", "150702199202290048", "13604709876"),
            request: "开发区2025年度政府采购项目的中标结果及合同",
            channel: Channel::Online,
            age: 16,
            steps: vec![
                (1, Step::Assign),
                (
                    15,
                    Step::ExtensionRequest("所需信息分散于多个项目档案，需要调取汇总"),
                ),
            ],
        },
        Story {
            applicant: organisation(
                "research",
                "呼伦贝尔学院区域经济研究所",
                "12150700460012345W",
                "陈教授",
            ),
            request: "2020年至2025年开发区历年招商引资项目清单（约300页）",
            channel: Channel::Email,
            age: 8,
            steps: vec![
                (1, Step::Assign),
                (
                    5,
                    Step::Clock(Event::FeeNoticeSent {
                        yuan: Some(Fee::compute(FeeBasis::PerPage { pages: 300 }).yuan),
                        delivered: None,
                    }),
                ),
                (5, Step::Notice(NoticeKind::Fee)),
            ],
        },
        Story {
            applicant: citizen("周海涛", "150703196808154318", "13514701357"),
            request: "开发区2025年财政预算执行情况",
            channel: Channel::Online,
            age: 0,
            steps: vec![(0, Step::Notice(NoticeKind::Receipt))],
        },
        Story {
            applicant: citizen("吴丽", "150781199604022826", "18647001234"),
            request: "开发区2025年度重大行政决策事项目录",
            channel: Channel::Online,
            age: 30,
            steps: vec![
                (1, Step::Assign),
                (8, reply(Outcome::Disclosed)),
                (8, Step::Notice(NoticeKind::Reply(Outcome::Disclosed))),
            ],
        },
        Story {
            applicant: citizen("郑伟", "150702198503122131", "13904705678"),
            request: "某地块土地出让合同及其补充协议",
            channel: Channel::Post,
            age: 40,
            steps: vec![
                (1, Step::Assign),
                (
                    3,
                    Step::Clock(Event::ConsultationStarted {
                        party: third(),
                        name: "呼伦贝尔市某置业有限公司".into(),
                    }),
                ),
                (
                    9,
                    Step::Clock(Event::ConsultationAnswered {
                        party: third(),
                        name: "呼伦贝尔市某置业有限公司".into(),
                    }),
                ),
                (15, reply(Outcome::PartlyDisclosed)),
                (
                    15,
                    Step::Notice(NoticeKind::Reply(Outcome::PartlyDisclosed)),
                ),
            ],
        },
        Story {
            applicant: organisation(
                "social_welfare",
                "呼伦贝尔市绿野环保公益服务中心",
                "52150702MJY0123459",
                "何女士",
            ),
            request: "2019年开发区某化工项目的环境影响评价公众参与记录",
            channel: Channel::OrdinaryLetter,
            age: 35,
            steps: vec![
                (1, Step::Assign),
                (12, reply(Outcome::DoesNotExist)),
                (12, Step::Notice(NoticeKind::Reply(Outcome::DoesNotExist))),
            ],
        },
        Story {
            applicant: citizen("马强", "150721197811053515", "13789701234"),
            request: "呼伦贝尔市2025年城市总体规划修改的审批文件",
            channel: Channel::Online,
            age: 28,
            steps: vec![
                (1, Step::Assign),
                (5, reply(Outcome::NotThisOrgan)),
                (5, Step::Notice(NoticeKind::Reply(Outcome::NotThisOrgan))),
            ],
        },
    ]
}

/// The working day `n` working days before `today` (today itself for 0).
fn working_days_before(cal: &Calendar, today: Date, n: u32) -> Result<Date, WebError> {
    let mut day = today;
    let mut counted = 0;
    while counted < n {
        day = day
            .previous_day()
            .ok_or_else(|| WebError::Internal("demo date out of range".into()))?;
        let info = cal
            .day(day)
            .map_err(|e| WebError::Internal(e.to_string()))?;
        if info.value.workday {
            counted += 1;
        }
    }
    Ok(day)
}

/// The date `n` working days after `from` (itself for 0), not after `today`.
fn working_days_after(cal: &Calendar, from: Date, n: u32, today: Date) -> Result<Date, WebError> {
    if n == 0 {
        return Ok(from);
    }
    let date = cal
        .add(from, n)
        .map_err(|e| WebError::Internal(e.to_string()))?
        .value;
    Ok(date.min(today))
}

/// The demo staff accounts acting in the cases.
struct Staff {
    handler: Actor,
    handler_id: i64,
    head: Actor,
}

async fn demo_staff(store: &Store) -> Result<Staff, WebError> {
    let find = |name: &'static str| async move {
        store
            .user_credentials(name)
            .await?
            .map(|(user, _)| user)
            .ok_or_else(|| WebError::Internal(format!("demo account {name} missing")))
    };
    let handler = find("chengban").await?;
    let head = find("fuzeren").await?;
    Ok(Staff {
        handler: Actor::user(handler.id, &handler.username),
        handler_id: handler.id,
        head: Actor::user(head.id, &head.username),
    })
}

/// Loads the demo cases into the demo organ unless it already has applications.
pub async fn load(store: &Store, organ_id: i64, now: i64) -> Result<usize, WebError> {
    let scope = OrganScope::system(organ_id);
    if !store
        .applications(scope, ApplicationFilter::default())
        .await?
        .is_empty()
    {
        return Ok(0);
    }
    store
        .put_notice_settings(&Actor::system("demo"), scope, now, &notice_settings())
        .await?;
    let cal = store.calendar().await?;
    let today = crate::site::beijing_date(now);
    let staff = demo_staff(store).await?;
    let mut partly = None;
    let stories = stories();
    let count = stories.len();
    for story in stories {
        let outcome = story.steps.iter().find_map(|(_, s)| match s {
            Step::Clock(Event::Replied { outcome }) => Some(*outcome),
            _ => None,
        });
        let app = tell(store, scope, &cal, today, now, &staff, story).await?;
        if outcome == Some(Outcome::PartlyDisclosed) {
            partly = Some(app);
        }
    }
    if let Some(app) = partly {
        // The applicant asked the 复议机关 to review the partial refusal.
        let decided = app.events.last().map_or(today, |e| e.event.date).min(today);
        store
            .create_appeal(
                &staff.handler,
                scope,
                now,
                &AppealInput {
                    kind: "reconsideration".into(),
                    application_id: Some(app.id),
                    filed: format_date(decided),
                    body: "呼伦贝尔市人民政府".into(),
                    result: "pending".into(),
                    decided: None,
                    note: "申请人对不予公开部分申请行政复议".into(),
                },
            )
            .await?;
    }
    Ok(count)
}

async fn tell(
    store: &Store,
    scope: OrganScope,
    cal: &Calendar,
    today: Date,
    now: i64,
    staff: &Staff,
    story: Story,
) -> Result<Application, WebError> {
    let received = working_days_before(cal, today, story.age)?;
    let new = NewApplication {
        applicant: story.applicant,
        request: Request {
            title: story.request.into(),
            forms: vec!["electronic".into()],
            delivery: vec!["email".into()],
            accept_other_form: true,
            ..Request::default()
        },
        channel: story.channel,
        received,
        query_code: None,
        attachments: Vec::new(),
    };
    let mut app = store
        .create_application(&staff.handler, scope, now, &new)
        .await?;
    for (offset, step) in story.steps {
        let date = working_days_after(cal, received, offset, today)?;
        let (actor, event) = match step {
            Step::Clock(event @ Event::ExtensionApproved { .. }) => {
                (&staff.head, LedgerEvent::clock(date, event))
            }
            Step::Clock(event) => (&staff.handler, LedgerEvent::clock(date, event)),
            Step::Correction(item) => (
                &staff.handler,
                LedgerEvent {
                    items: vec![item.into()],
                    ..LedgerEvent::clock(
                        date,
                        Event::CorrectionRequested {
                            deadline: Some(working_days_after(cal, date, 15, Date::MAX)?),
                        },
                    )
                },
            ),
            Step::ExtensionRequest(reason) => (
                &staff.handler,
                LedgerEvent::record(
                    date,
                    Record::ExtensionRequested {
                        days: 20,
                        reason: reason.into(),
                    },
                ),
            ),
            Step::Assign => (
                &staff.head,
                LedgerEvent::record(
                    date,
                    Record::Assigned {
                        to: staff.handler_id,
                        to_name: "演示承办人".into(),
                    },
                ),
            ),
            Step::Notice(kind) => {
                app = issue(store, scope, cal, today, now, staff, &app, kind, date).await?;
                continue;
            }
        };
        app = store
            .append_case_event(
                actor,
                scope,
                app.id,
                event,
                cal,
                Default::default(),
                today,
                now,
            )
            .await?;
    }
    Ok(app)
}

/// The kind-specific facts of a demo notice, from the case.
fn details(
    app: &Application,
    cal: &Calendar,
    today: Date,
    kind: NoticeKind,
) -> Result<Details, WebError> {
    let clock = app
        .clock(cal, Default::default(), today)
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(match kind {
        NoticeKind::Receipt => Details::Receipt,
        NoticeKind::Correction => {
            let (items, deadline) = app
                .events
                .iter()
                .find_map(|e| match &e.event.what {
                    gongkai_store::ledger::Happening::Clock(Event::CorrectionRequested {
                        deadline,
                    }) => Some((e.event.items.clone(), *deadline)),
                    _ => None,
                })
                .ok_or_else(|| WebError::Internal("demo: no correction".into()))?;
            Details::Correction {
                items,
                deadline: deadline.unwrap_or(today),
            }
        }
        NoticeKind::Extension => Details::Extension {
            new_due: clock.due.unwrap_or(today),
            reason: "所需信息涉及多个部门的档案，需要逐件检索核对，无法在二十个工作日内答复".into(),
        },
        NoticeKind::Fee => Details::Fee {
            fee: Fee::compute(FeeBasis::PerPage { pages: 300 }),
            payment: "请持本通知书到呼伦贝尔经济技术开发区管委会财政局非税收入窗口缴纳，或通过内蒙古非税收入统一缴款平台网上缴纳".into(),
        },
        NoticeKind::Consultation => Details::Consultation {
            third_party: "呼伦贝尔市安居物业服务有限公司".into(),
            question: "申请人申请公开的物业服务合同载有贵公司的报价和经营信息，公开可能损害贵公司的合法权益".into(),
            deadline: None,
        },
        NoticeKind::Reply(outcome) => Details::Reply(reply_of(outcome)),
    })
}

fn reply_of(outcome: Outcome) -> Reply {
    match outcome {
        Outcome::Disclosed => Reply {
            details: "现将《呼伦贝尔经济技术开发区2025年度重大行政决策事项目录》电子文本通过电子邮件发送给您，请注意查收。".into(),
            disclosed: vec!["呼伦贝尔经济技术开发区2025年度重大行政决策事项目录".into()],
            withheld: Vec::new(),
        },
        Outcome::PartlyDisclosed => Reply {
            details: "经征求第三方意见，第三方不同意公开合同中的报价明细。".into(),
            disclosed: vec!["土地出让合同及补充协议（除报价明细外的部分）".into()],
            withheld: vec![WithheldPart {
                item: "合同附件中的报价明细".into(),
                ground: Outcome::WithheldThirdParty,
                reason: "属于第三方的商业秘密，公开会对第三方合法权益造成损害".into(),
            }],
        },
        Outcome::DoesNotExist => Reply {
            details: "经检索本机关档案，本机关未制作、获取您所申请的信息。".into(),
            ..Reply::default()
        },
        Outcome::NotThisOrgan => Reply {
            details: "您所申请的信息由呼伦贝尔市自然资源局负责公开，联系电话：0470-8888888。".into(),
            ..Reply::default()
        },
        _ => Reply {
            details: "详见正文。".into(),
            ..Reply::default()
        },
    }
}

#[allow(clippy::too_many_arguments)]
async fn issue(
    store: &Store,
    scope: OrganScope,
    cal: &Calendar,
    today: Date,
    now: i64,
    staff: &Staff,
    app: &Application,
    kind: NoticeKind,
    date: Date,
) -> Result<Application, WebError> {
    let organ = store.organ(scope.organ_id()).await?;
    let settings = notice_settings();
    let pattern = cases::number_pattern(&settings)?;
    let short = cases::organ_short(&organ, &settings);
    let ctx = cases::notice_context(
        &organ,
        &settings,
        app,
        gongkai_store::notice::DRAFT_NUMBER,
        date,
        details(app, cal, today, kind)?,
    );
    let notice = cases::render_notice(kind, &ctx, &settings)?;
    let draft = store
        .create_notice_draft(
            &staff.handler,
            scope,
            app.id,
            now,
            &NoticeDraft {
                kind: kind.key(),
                title: notice.title.clone(),
                organ_name: notice.organ.clone(),
                date: format_date(date),
                paragraphs: notice.paragraphs.clone(),
            },
        )
        .await?;
    let year = date.year();
    let issued = store
        .issue_notice(
            &staff.handler,
            scope,
            app.id,
            draft.id,
            now,
            cases::number_counter(kind),
            year,
            |seq| pattern.format(&short, year, seq),
        )
        .await?;
    let delivered = LedgerEvent::record(
        date,
        Record::NoticeDelivered {
            notice_id: issued.id,
            method: "电子邮件".into(),
        },
    );
    Ok(store
        .append_case_event(
            &staff.handler,
            scope,
            app.id,
            delivered,
            cal,
            Default::default(),
            today,
            now,
        )
        .await?)
}
