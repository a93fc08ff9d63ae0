//! The demo's 互动交流: 留言 in every state — overdue, awaiting moderation, accepted, answered
//! without consent to publish, published (one with a mobile number that the portal masks), and
//! one sent to the 依申请公开 channel — and three consultations: one open, one closed with its
//! comments awaiting the feedback, one with its 反馈情况 published. Dates are counted back from
//! today, so a fresh demo always shows the same picture. The writers are invented.

use gongkai_store::consultation::{ConsultationInput, FeedbackInput, NewComment};
use gongkai_store::message::{MessageStep, NewMessage, Writer};
use gongkai_store::{Actor, OrganScope, Store};
use time::{Date, Duration};

use crate::WebError;

/// `days` calendar days before `today`.
fn ago(today: Date, days: i64) -> Date {
    today.checked_sub(Duration::days(days)).unwrap_or(today)
}

/// One demo 留言 and what happened to it: (calendar days after receipt, step).
struct Letter {
    kind: &'static str,
    title: &'static str,
    body: &'static str,
    writer: (&'static str, &'static str),
    consent: bool,
    age: i64,
    steps: Vec<(i64, Step)>,
}

enum Step {
    Accept,
    Reject(&'static str, &'static str),
    Reply(&'static str),
    Publish,
}

fn letters() -> Vec<Letter> {
    vec![
        Letter {
            kind: "complain",
            title: "夜间施工噪音扰民",
            body: "海拉尔区某工地连续多日夜间施工至凌晨，噪音很大，请核查。",
            writer: ("王建国", "13704701234"),
            consent: true,
            age: 25,
            steps: vec![(1, Step::Accept)],
        },
        Letter {
            kind: "consult",
            title: "小微企业房租减免政策咨询",
            body: "请问开发区对入驻孵化基地的小微企业是否还有房租减免？申请需要哪些材料？",
            writer: ("李娜", "15947001122"),
            consent: true,
            age: 2,
            steps: Vec::new(),
        },
        Letter {
            kind: "suggest",
            title: "建议增设公交站点",
            body: "建议在产业园区北门增设公交站点，方便职工上下班。",
            writer: ("赵磊", "0470-8211234"),
            consent: true,
            age: 6,
            steps: vec![(1, Step::Accept)],
        },
        Letter {
            kind: "consult",
            title: "营业执照变更办理地点",
            body: "公司地址变更，营业执照变更到哪里办理？",
            writer: ("孙丽", "13804709876"),
            consent: false,
            age: 12,
            steps: vec![
                (1, Step::Accept),
                (
                    3,
                    Step::Reply(
                        "您好：企业登记事项变更可到开发区政务服务中心市场监管窗口办理，也可通过内蒙古政务服务网在线办理。",
                    ),
                ),
            ],
        },
        Letter {
            kind: "consult",
            title: "供暖费缴纳时间咨询",
            body: "今年供暖费什么时候开始缴纳？可以线上缴费吗？我的电话13800138000，方便时请回电。",
            writer: ("周敏", "13800138000"),
            consent: true,
            age: 20,
            steps: vec![
                (1, Step::Accept),
                (
                    4,
                    Step::Reply(
                        "您好：本年度供暖费自9月20日起开始缴纳，可通过供热公司营业厅或其微信公众号线上缴费。",
                    ),
                ),
                (5, Step::Publish),
            ],
        },
        Letter {
            kind: "suggest",
            title: "建议完善园区夜间照明",
            body: "园区南路部分路灯损坏，夜间通行不便，建议尽快维修。",
            writer: ("吴强", "18647001357"),
            consent: true,
            age: 30,
            steps: vec![
                (1, Step::Accept),
                (
                    6,
                    Step::Reply(
                        "您好：经现场核查，南路共有7盏路灯损坏，已于近日全部修复。感谢您的建议。",
                    ),
                ),
                (7, Step::Publish),
            ],
        },
        Letter {
            kind: "consult",
            title: "申请公开征地补偿方案",
            body: "请提供2023年某村征地补偿安置方案的文件。",
            writer: ("郑伟", "13947005678"),
            consent: false,
            age: 9,
            steps: vec![(
                1,
                Step::Reject(
                    "application",
                    "所提为获取政府信息的申请，请通过依申请公开渠道提出。",
                ),
            )],
        },
    ]
}

fn consultation(title: &str, start: Date, end: Date) -> ConsultationInput {
    ConsultationInput {
        title: title.into(),
        draft: "第一条 为了规范本区相关管理工作，根据有关法律法规，结合本区实际，制定本办法。\n\
                第二条 本办法适用于本区行政区域内的相关活动。\n\
                第三条 管委会有关部门按照职责分工负责本办法的实施。"
            .into(),
        explanation: "一、起草背景：根据上位法修订情况和工作实际需要起草。\n\
                      二、主要内容：明确适用范围、职责分工和监督管理措施。"
            .into(),
        start,
        end,
        short_reason: String::new(),
        contact: "呼伦贝尔经济技术开发区管理委员会党政办公室，电话 0470-8575688".into(),
    }
}

/// Loads the demo's 留言 and consultations on the organ, unless it has some already. Returns
/// how many 留言 were added.
pub async fn load(store: &Store, organ_id: i64, now: i64) -> Result<usize, WebError> {
    let scope = OrganScope::system(organ_id);
    if !store.messages(scope).await?.is_empty() {
        return Ok(0);
    }
    let today = crate::site::beijing_date(now);
    let portal = Actor::system("portal");
    let staff = Actor::system("demo");
    let list = letters();
    let count = list.len();
    for (i, letter) in list.into_iter().enumerate() {
        let received = ago(today, letter.age);
        let new = NewMessage {
            kind: letter.kind.into(),
            title: letter.title.into(),
            body: letter.body.into(),
            writer: Writer {
                name: letter.writer.0.into(),
                phone: letter.writer.1.into(),
                email: String::new(),
            },
            consent: letter.consent,
            received,
            query_code: format!("DEMO{i:08}"),
        };
        let message = store.create_message(&portal, scope, now, &new).await?;
        for (after, step) in letter.steps {
            let on = received
                .checked_add(Duration::days(after))
                .unwrap_or(received)
                .min(today);
            let step = match step {
                Step::Accept => MessageStep::Accept { on },
                Step::Reject(redirect, reason) => MessageStep::Reject {
                    on,
                    redirect: redirect.into(),
                    reason: reason.into(),
                },
                Step::Reply(text) => MessageStep::Reply {
                    on,
                    text: text.into(),
                },
                Step::Publish => MessageStep::Publish {
                    title: None,
                    body: None,
                },
            };
            store
                .take_message_step(&staff, scope, message.id, &step, on, now)
                .await?;
        }
    }
    load_consultations(store, scope, today, now).await?;
    Ok(count)
}

async fn load_consultations(
    store: &Store,
    scope: OrganScope,
    today: Date,
    now: i64,
) -> Result<(), WebError> {
    let staff = Actor::system("demo");
    let portal = Actor::system("portal");
    let comment = |body: &str, name: &str| NewComment {
        name: name.into(),
        contact: String::new(),
        body: body.into(),
    };
    // Open: started five days ago, thirty days in all.
    let start = ago(today, 5);
    let open = store
        .create_consultation(
            &staff,
            scope,
            start,
            now,
            &consultation(
                "开发区养犬管理办法（征求意见稿）",
                start,
                start + Duration::days(29),
            ),
        )
        .await?;
    store
        .add_comment(
            &portal,
            scope.organ_id(),
            open.id,
            today,
            now,
            &comment("建议明确文明遛犬的时间和区域。", ""),
        )
        .await?;
    // Closed, its comments decided but the feedback not yet published.
    let start = ago(today, 40);
    let closed = store
        .create_consultation(
            &staff,
            scope,
            start,
            now,
            &consultation(
                "开发区物业管理实施细则（征求意见稿）",
                start,
                start + Duration::days(29),
            ),
        )
        .await?;
    let on = start + Duration::days(3);
    for (body, name) in [
        ("建议增加业主大会召开程序的规定。", "李四"),
        ("物业费标准应当公开。", ""),
    ] {
        store
            .add_comment(
                &portal,
                scope.organ_id(),
                closed.id,
                on,
                now,
                &comment(body, name),
            )
            .await?;
    }
    // Feedback published.
    let start = ago(today, 70);
    let done = store
        .create_consultation(
            &staff,
            scope,
            start,
            now,
            &consultation(
                "开发区优化营商环境若干措施（征求意见稿）",
                start,
                start + Duration::days(29),
            ),
        )
        .await?;
    let on = start + Duration::days(2);
    let mut ids = Vec::new();
    for (body, name) in [
        ("建议压缩企业开办时间。", "王五"),
        ("建议设立企业服务专员。", ""),
        ("建议取消全部收费项目。", "赵六"),
    ] {
        ids.push(
            store
                .add_comment(
                    &portal,
                    scope.organ_id(),
                    done.id,
                    on,
                    now,
                    &comment(body, name),
                )
                .await?
                .id,
        );
    }
    for (id, decision) in ids.iter().zip(["adopted", "adopted", "not_adopted"]) {
        store
            .decide_comment(&staff, scope, done.id, *id, decision, "", now)
            .await?;
    }
    store
        .publish_feedback(
            &staff,
            scope,
            done.id,
            today,
            now,
            &FeedbackInput {
                summary: "征求意见期间共收到意见3条，采纳2条，未采纳1条。".into(),
                adopted_reasons: "已在第二条、第五条中明确企业开办时限和企业服务专员制度。".into(),
                partly_reasons: String::new(),
                not_adopted_reasons: "行政事业性收费项目依照国家和自治区规定设立，本措施无权取消。"
                    .into(),
            },
        )
        .await?;
    Ok(())
}
