//! The statutory clocks, as pure functions of a case's events and today's date
//! (spec/domain.md §3, DESIGN.md C1).
//!
//! [`application_clock`] computes an application's reply clock from its events:
//! received with its channel (art. 31); 补正 requested within 7 working days, the clock restarting
//! on receipt of the correction, and lapse when it never comes (art. 30); consultation of a third
//! party or another organ, whose time is excluded (arts. 32–34, at most the 15 working days the
//! consulted party has to answer); one extension of at most 20 working days approved by the
//! 工作机构负责人 (art. 33 ¶2); the fee notice, payment and lapse, whose time is excluded
//! (国办函〔2020〕109号, spec/domain.md §5); and the reply, closing the case with exactly one
//! [`Outcome`]. The result has a status, the due date, working days left, whether it is overdue,
//! and an explanation: one Chinese line per adjustment naming its article.
//! [`proactive_clock`] is art. 26's 20 working days from the day information is formed or changed.
//!
//! Counting conventions (spec/domain.md §3.2, open question Q1, decided in DESIGN.md C1): the
//! receipt day is day 0 and the 20 days start on the next working day
//! ([`ReceiptDay::Excluded`], configurable). An excluded interval from `a` to `b` removes the
//! working days after `a` up to and including `b`: the day a letter goes out is counted, the day
//! the answer (or payment) arrives is not; a stop that begins on the last counted day still
//! stops the clock, and the reply is then due the day it ends. The third party's 15 working
//! days (arts. 32, 34) run from the day the letter was sent, since its receipt is not recorded:
//! that can only make the organ's own due date earlier. The applicant's 20 working days to pay
//! run from the day the applicant received the fee notice when it is recorded, else from the
//! sending day, and the explanation says which.
//!
//! Impossible sequences (a reply before receipt, two extensions, an extension over 20 working
//! days, a correction received without a request, …) are rejected with a [`ClockError`] saying
//! why; nothing panics.

use time::Date;

use crate::calendar::{
    Calendar, CalendarError, DayReason, Unnoticed, format_date, shift_days, warnings, weekday_zh,
};
use crate::outcome::Outcome;

/// Working days to reply (art. 33 ¶2).
pub const REPLY_DAYS: u32 = 20;
/// Longest extension (art. 33 ¶2).
pub const MAX_EXTENSION_DAYS: u32 = 20;
/// Working days to tell the applicant what to correct (art. 30).
pub const CORRECTION_NOTICE_DAYS: u32 = 7;
/// Working days a consulted third party or organ has to answer (arts. 32, 34).
pub const CONSULTATION_DAYS: u32 = 15;
/// Working days to pay a fee after the notice (spec/domain.md §5).
pub const FEE_PAYMENT_DAYS: u32 = 20;
/// Working days to publish proactive information (art. 26).
pub const PROACTIVE_DAYS: u32 = 20;

const FEE_BASIS: &str = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）";

/// How the application reached the organ: decides what its receipt date is (art. 31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// Handed in (or made orally and recorded by staff, art. 29): the day of submission.
    InPerson,
    /// By post needing a signature: the day the organ signs for it.
    Post,
    /// By ordinary letter: the day of confirmation with the applicant.
    OrdinaryLetter,
    /// Through the online form: the day both sides confirm.
    Online,
    /// By e-mail: the day both sides confirm.
    Email,
    /// By the 工作机构's fax: the day both sides confirm.
    Fax,
}

impl Channel {
    /// All channels.
    pub const ALL: [Channel; 6] = [
        Channel::InPerson,
        Channel::Post,
        Channel::OrdinaryLetter,
        Channel::Online,
        Channel::Email,
        Channel::Fax,
    ];

    /// Stable key: `in_person`, `post`, `letter`, `online`, `email`, `fax`.
    pub const fn key(self) -> &'static str {
        match self {
            Channel::InPerson => "in_person",
            Channel::Post => "post",
            Channel::OrdinaryLetter => "letter",
            Channel::Online => "online",
            Channel::Email => "email",
            Channel::Fax => "fax",
        }
    }

    /// The channel with this key.
    pub fn from_key(key: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.key() == key)
    }

    /// How the receipt date is fixed, in Chinese.
    pub const fn label(self) -> &'static str {
        match self {
            Channel::InPerson => "当面提交，以提交之日为收到申请之日",
            Channel::Post => "邮寄，以签收之日为收到申请之日",
            Channel::OrdinaryLetter => "平常信函，以与申请人确认之日为收到申请之日",
            Channel::Online => "互联网渠道，以双方确认之日为收到申请之日",
            Channel::Email => "电子邮件，以双方确认之日为收到申请之日",
            Channel::Fax => "传真，以双方确认之日为收到申请之日",
        }
    }

    /// The item of art. 31.
    pub const fn basis(self) -> &'static str {
        match self {
            Channel::InPerson => "第三十一条第（一）项",
            Channel::Post | Channel::OrdinaryLetter => "第三十一条第（二）项",
            Channel::Online | Channel::Email | Channel::Fax => "第三十一条第（三）项",
        }
    }
}

/// Who is consulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Party {
    /// A third party whose rights disclosure may harm (art. 32).
    ThirdParty,
    /// Another organ, e.g. a co-producer of the information (art. 34).
    OtherOrgan,
}

impl Party {
    /// Stable key: `third_party`, `other_organ`.
    pub const fn key(self) -> &'static str {
        match self {
            Party::ThirdParty => "third_party",
            Party::OtherOrgan => "other_organ",
        }
    }

    /// The party with this key.
    pub fn from_key(key: &str) -> Option<Party> {
        [Party::ThirdParty, Party::OtherOrgan]
            .into_iter()
            .find(|p| p.key() == key)
    }

    const fn label(self) -> &'static str {
        match self {
            Party::ThirdParty => "第三方",
            Party::OtherOrgan => "其他机关",
        }
    }

    const fn basis(self) -> &'static str {
        match self {
            Party::ThirdParty => "第三十二条、第三十三条第三款",
            Party::OtherOrgan => "第三十四条、第三十三条第三款",
        }
    }
}

/// One event of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The application is received (art. 31); the event's date is the receipt date.
    Received {
        /// How.
        channel: Channel,
    },
    /// The applicant is told, once, what to correct (art. 30).
    CorrectionRequested {
        /// The 补正期限 the organ set, if any.
        deadline: Option<Date>,
    },
    /// The correction arrives; the reply clock restarts (art. 30).
    CorrectionReceived,
    /// The correction did not come in time: deemed abandoned; closes the case (art. 30).
    CorrectionLapsed,
    /// A consultation letter is sent (arts. 32, 34).
    ConsultationStarted {
        /// Third party or organ.
        party: Party,
        /// Its name, to tell several consultations apart.
        name: String,
    },
    /// The consulted party answers.
    ConsultationAnswered {
        /// Third party or organ.
        party: Party,
        /// Its name, as when started.
        name: String,
    },
    /// The 工作机构负责人 approves an extension (art. 33 ¶2).
    ExtensionApproved {
        /// Working days, at most 20.
        days: u32,
        /// Who approved.
        approver: Option<String>,
    },
    /// A 收费通知 is sent (spec/domain.md §5).
    FeeNoticeSent {
        /// Amount, 元.
        yuan: Option<u64>,
        /// The day the applicant received the notice, when known (postal receipt, read
        /// confirmation). The 20 working days to pay run from it; unknown, from the sending day,
        /// and the explanation says so.
        delivered: Option<Date>,
    },
    /// The fee is paid.
    FeePaid,
    /// The fee was not paid in time: deemed abandoned; closes the case.
    FeeLapsed,
    /// The organ replies, closing the case with one outcome.
    Replied {
        /// The outcome.
        outcome: Outcome,
    },
}

impl Event {
    /// Stable key, as in the CLI's JSON: `received`, `correction_requested`, ….
    pub const fn key(&self) -> &'static str {
        match self {
            Event::Received { .. } => "received",
            Event::CorrectionRequested { .. } => "correction_requested",
            Event::CorrectionReceived => "correction_received",
            Event::CorrectionLapsed => "correction_lapsed",
            Event::ConsultationStarted { .. } => "consultation_started",
            Event::ConsultationAnswered { .. } => "consultation_answered",
            Event::ExtensionApproved { .. } => "extension_approved",
            Event::FeeNoticeSent { .. } => "fee_notice_sent",
            Event::FeePaid => "fee_paid",
            Event::FeeLapsed => "fee_lapsed",
            Event::Replied { .. } => "replied",
        }
    }

    /// Chinese name, for messages.
    pub const fn name(&self) -> &'static str {
        match self {
            Event::Received { .. } => "收到申请",
            Event::CorrectionRequested { .. } => "告知补正",
            Event::CorrectionReceived => "收到补正",
            Event::CorrectionLapsed => "逾期未补正",
            Event::ConsultationStarted { .. } => "征求意见",
            Event::ConsultationAnswered { .. } => "收到意见",
            Event::ExtensionApproved { .. } => "延长答复期限",
            Event::FeeNoticeSent { .. } => "发出收费通知",
            Event::FeePaid => "缴费",
            Event::FeeLapsed => "逾期未缴费",
            Event::Replied { .. } => "答复",
        }
    }
}

/// An event on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvent {
    /// When.
    pub date: Date,
    /// What.
    pub event: Event,
}

/// Whether the receipt day counts as the first of the working days (spec/domain.md Q1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReceiptDay {
    /// Day 0: the count starts on the next working day (民法典 art. 201). The default.
    #[default]
    Excluded,
    /// Day 1 when it is a working day.
    Included,
}

/// Per-deployment settings of the clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClockConfig {
    /// The receipt-day rule.
    pub receipt_day: ReceiptDay,
}

impl ClockConfig {
    /// The date the count runs after: the start date itself, or the day before it.
    fn anchor(self, date: Date) -> Result<Date, CalendarError> {
        match self.receipt_day {
            ReceiptDay::Excluded => Ok(date),
            ReceiptDay::Included => shift_days(date, -1),
        }
    }

    fn start_phrase(self, what: &str) -> String {
        match self.receipt_day {
            ReceiptDay::Excluded => format!("自{what}次日起算"),
            ReceiptDay::Included => format!("自{what}当日起算"),
        }
    }
}

/// Why the reply clock is stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseKind {
    /// Waiting for a consulted party (arts. 32, 34).
    Consultation,
    /// Waiting for the fee (§5).
    Fee,
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The reply clock runs.
    Running,
    /// The reply clock is stopped.
    Paused(PauseKind),
    /// Waiting for the applicant's correction; the reply clock has not started again.
    AwaitingCorrection,
    /// The correction deadline has passed: the organ may close the case (art. 30).
    CorrectionOverdue,
    /// The fee deadline has passed: the organ may close the case (§5).
    FeeOverdue,
    /// Closed with an outcome.
    Closed(Outcome),
}

impl Status {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Status::Running => "办理中",
            Status::Paused(PauseKind::Consultation) => "暂停计算（征求意见）",
            Status::Paused(PauseKind::Fee) => "暂停计算（等待缴费）",
            Status::AwaitingCorrection => "等待补正",
            Status::CorrectionOverdue => "补正期限已过（可视为放弃申请，第三十条）",
            Status::FeeOverdue => "缴费期限已过（可视为放弃申请）",
            Status::Closed(_) => "已办结",
        }
    }

    /// Stable key: `running`, `paused`, `awaiting_correction`, `correction_overdue`,
    /// `fee_overdue`, `closed`.
    pub fn key(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Paused(_) => "paused",
            Status::AwaitingCorrection => "awaiting_correction",
            Status::CorrectionOverdue => "correction_overdue",
            Status::FeeOverdue => "fee_overdue",
            Status::Closed(_) => "closed",
        }
    }
}

/// An application's clock on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockReport {
    /// The day it was computed for.
    pub today: Date,
    /// Where the case stands.
    pub status: Status,
    /// The receipt date (art. 31).
    pub received: Date,
    /// The closing date, when closed.
    pub closed: Option<Date>,
    /// The reply due date; `None` while it cannot be known (paused, awaiting correction).
    pub due: Option<Date>,
    /// Working days from today to the due date (negative when overdue); while paused, the
    /// working days left on the stopped clock. `None` when closed or awaiting correction.
    pub days_left: Option<i64>,
    /// Overdue: today (or the closing day) is after the due date.
    pub overdue: bool,
    /// One Chinese line per step and adjustment, each naming its legal basis.
    pub explanation: Vec<String>,
    /// Years counted as Monday–Friday for lack of data (see [`Calendar`]).
    pub assumed_years: Vec<i32>,
    /// Years without a notice counted from the statutory holidays
    /// ([`crate::calendar::Fallback::Statutory`]).
    pub provisional_years: Vec<i32>,
}

impl ClockReport {
    /// Plain text: status, due date, then the explanation, one line each.
    pub fn render(&self) -> String {
        let mut out = format!("状态：{}\n", self.status.label());
        let due = match (self.due, self.days_left, self.closed) {
            (Some(due), _, Some(closed)) => {
                let verdict = if closed > due {
                    "逾期办结"
                } else {
                    "按期办结"
                };
                format!("{}（{verdict}）", format_date(due))
            }
            (Some(due), Some(left), None) if left < 0 => {
                format!("{}（已逾期 {} 个工作日）", format_date(due), -left)
            }
            (Some(due), Some(left), None) => {
                format!("{}（剩余 {left} 个工作日）", format_date(due))
            }
            (Some(due), None, None) => format_date(due),
            (None, Some(left), _) => format!("暂停计算（剩余 {left} 个工作日）"),
            (None, None, _) => "待收到补正后重新计算".to_owned(),
        };
        out.push_str(&format!("答复期限：{due}\n"));
        out.push_str(&format!("计算日：{}\n", format_date(self.today)));
        for line in &self.explanation {
            out.push_str(line);
            out.push('\n');
        }
        for warning in warnings(&self.assumed_years, &self.provisional_years) {
            out.push_str(&warning);
            out.push('\n');
        }
        out
    }
}

/// Why a case's events cannot be put on the clock.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// The calendar cannot count the days.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// No events.
    #[error("没有任何事件：至少需要“收到申请”")]
    NoEvents,
    /// An event before the application was received.
    #[error("{date} 的“{event}”早于收到申请，不可能发生")]
    BeforeReceipt {
        /// Its date.
        date: Date,
        /// Its name.
        event: &'static str,
    },
    /// A second receipt.
    #[error("{date} 再次“收到申请”：一件申请只能收到一次（已于 {first} 收到）")]
    DuplicateReceipt {
        /// The first receipt.
        first: Date,
        /// The second.
        date: Date,
    },
    /// An event dated after today.
    #[error("{date} 的“{event}”晚于计算日 {today}")]
    AfterToday {
        /// Its date.
        date: Date,
        /// Its name.
        event: &'static str,
        /// Today.
        today: Date,
    },
    /// An event after the case was closed.
    #[error("{date} 的“{event}”在案件办结（{closed}）之后")]
    AfterClose {
        /// Its date.
        date: Date,
        /// Its name.
        event: &'static str,
        /// The closing date.
        closed: Date,
    },
    /// A second correction request.
    #[error("{date} 再次告知补正：补正应当一次性告知（第三十条），已于 {first} 告知")]
    CorrectionTwice {
        /// The first request.
        first: Date,
        /// The second.
        date: Date,
    },
    /// A correction request after consultation, extension or fee notice.
    #[error("{date} 告知补正：补正应在收到申请后、征求意见、延期和收费之前告知（第三十条）")]
    CorrectionAfterSteps {
        /// Its date.
        date: Date,
    },
    /// A correction deadline before the request.
    #[error("{date} 告知补正，但补正期限 {deadline} 早于告知之日")]
    CorrectionDeadlineBeforeRequest {
        /// The request.
        date: Date,
        /// The deadline set.
        deadline: Date,
    },
    /// A correction received without a request, or twice.
    #[error("{date} 收到补正，但此前没有未完成的补正告知（第三十条）")]
    CorrectionWithoutRequest {
        /// Its date.
        date: Date,
    },
    /// A step that needs the reply clock while it waits for the correction.
    #[error("{date} 的“{event}”：正在等待补正，答复期限尚未重新起算（第三十条）")]
    AwaitingCorrection {
        /// Its date.
        date: Date,
        /// Its name.
        event: &'static str,
    },
    /// A lapse with nothing to lapse.
    #[error("{date} 的“{event}”：此前没有{what}")]
    LapseWithoutCause {
        /// Its date.
        date: Date,
        /// Its name.
        event: &'static str,
        /// What was missing.
        what: &'static str,
    },
    /// A lapse recorded before the deadline passed.
    #[error("{date} 的“{event}”：期限至 {deadline}，尚未届满")]
    LapseBeforeDeadline {
        /// Its date.
        date: Date,
        /// Its name.
        event: &'static str,
        /// The deadline.
        deadline: Date,
    },
    /// 补正后仍不明确 without a correction.
    #[error("{date} 答复“补正后申请内容仍不明确”，但申请人没有提交过补正（第三十条）")]
    UnclearWithoutCorrection {
        /// Its date.
        date: Date,
    },
    /// A second extension.
    #[error("{date} 再次延期：答复期限只能延长一次（第三十三条第二款），已于 {first} 延长")]
    ExtensionTwice {
        /// The first.
        first: Date,
        /// The second.
        date: Date,
    },
    /// An extension of 0 or more than 20 working days.
    #[error("{date} 延长 {days} 个工作日：延长的期限应为 1 至 20 个工作日（第三十三条第二款）")]
    ExtensionLength {
        /// Its date.
        date: Date,
        /// The days asked.
        days: u32,
    },
    /// An extension after the deadline passed.
    #[error("{date} 延期：答复期限已于 {due} 届满，不能再延长（第三十三条第二款）")]
    ExtensionAfterDue {
        /// Its date.
        date: Date,
        /// The due date it came after.
        due: Date,
    },
    /// A consultation started twice with the same party.
    #[error("{date} 征求{party}“{name}”意见：对其的征求意见尚未结束")]
    ConsultationOpen {
        /// Its date.
        date: Date,
        /// Third party or organ.
        party: &'static str,
        /// Its name.
        name: String,
    },
    /// An answer from a party never consulted.
    #[error("{date} 收到{party}“{name}”的意见，但此前没有向其征求意见")]
    ConsultationNotOpen {
        /// Its date.
        date: Date,
        /// Third party or organ.
        party: &'static str,
        /// Its name.
        name: String,
    },
    /// A second fee notice.
    #[error("{date} 再次发出收费通知：一件申请只发一次收费通知（已于 {first} 发出）")]
    FeeNoticeTwice {
        /// The first.
        first: Date,
        /// The second.
        date: Date,
    },
    /// A fee notice received by the applicant before it was sent.
    #[error("{date} 发出收费通知，但申请人收到之日 {delivered} 早于发出之日")]
    DeliveredBeforeSent {
        /// Sent.
        date: Date,
        /// Received by the applicant.
        delivered: Date,
    },
    /// A payment without a notice, or twice.
    #[error("{date} 缴费，但此前没有待缴的收费通知")]
    FeePaidWithoutNotice {
        /// Its date.
        date: Date,
    },
    /// A proactive item published before it was formed.
    #[error("公开日期 {published} 早于信息形成（变更）日期 {formed}")]
    PublishedBeforeFormed {
        /// Formed or changed.
        formed: Date,
        /// Published.
        published: Date,
    },
}

struct Consultation {
    party: Party,
    name: String,
    start: Date,
    /// The party's answer deadline (15 working days from the letter).
    answer_due: Date,
    answered: Option<Date>,
}

struct FeeNotice {
    sent: Date,
    yuan: Option<u64>,
    delivered: Option<Date>,
    pay_by: Date,
    paid: Option<Date>,
}

struct Correction {
    requested: Date,
    deadline: Option<Date>,
    received: Option<Date>,
}

/// A stop of the reply clock, resolved: `(start, end]` excluded, `end = None` still stopped.
#[derive(Clone, Copy)]
struct Stop {
    start: Date,
    end: Option<Date>,
}

enum Due {
    At(Date),
    Stopped { remaining: u32 },
}

struct Ctx<'a> {
    cal: &'a Calendar,
    assumed: Unnoticed,
}

impl Ctx<'_> {
    fn add(&mut self, date: Date, n: u32) -> Result<Date, CalendarError> {
        self.cal.add_checked(date, n, &mut self.assumed)
    }

    fn between(&mut self, from: Date, to: Date) -> Result<i64, CalendarError> {
        self.cal.between_checked(from, to, &mut self.assumed)
    }

    /// The due date of a budget of working days counted after `anchor`, skipping `stops`.
    fn due(&mut self, anchor: Date, budget: u32, stops: &[Stop]) -> Result<Due, CalendarError> {
        let mut stops = stops.to_vec();
        stops.sort_by_key(|s| s.start);
        let cal = self.cal;
        let mut pos = cal.ordinal(anchor);
        let mut remaining = i64::from(budget);
        let mut last_end: Option<Date> = None;
        for stop in stops {
            let at = cal.ordinal(stop.start);
            if at > pos {
                let used = at - pos;
                // A stop that starts after the last counted day changes nothing. One that
                // starts on it (used == remaining) still stops the clock (art. 33 ¶3): the
                // reply is then due on the day the stop ends.
                if used > remaining {
                    break;
                }
                remaining -= used;
                pos = at;
            }
            match stop.end {
                None => {
                    self.cal
                        .check_range(anchor, stop.start, &mut self.assumed)?;
                    return Ok(Due::Stopped {
                        remaining: u32::try_from(remaining).unwrap_or(0),
                    });
                }
                Some(end) => {
                    let resumed = cal.ordinal(end);
                    if remaining == 0 && resumed >= pos {
                        last_end = Some(last_end.map_or(end, |e: Date| e.max(end)));
                    }
                    pos = pos.max(resumed);
                }
            }
        }
        let due = if remaining == 0 {
            // Nothing left when the stop began: due the day it ended (the answer or payment
            // day, itself excluded), not a counted day before it.
            match last_end {
                Some(end) => end,
                None => cal.date_at_ordinal(pos)?,
            }
        } else {
            cal.date_at_ordinal(pos + remaining)?
        };
        cal.check_range(anchor, due, &mut self.assumed)?;
        Ok(Due::At(due))
    }

    fn holidays_note(&self, from: Date, to: Date) -> String {
        let parts: Vec<String> = self
            .cal
            .adjustments_in(from, to)
            .into_iter()
            .map(|(name, off, work)| match (off, work) {
                (0, w) => format!("{name}调休上班 {w} 天"),
                (o, 0) => format!("{name}放假 {o} 个工作日"),
                (o, w) => format!("{name}放假 {o} 个工作日、调休上班 {w} 天"),
            })
            .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("；其间{}", parts.join("，"))
        }
    }
}

fn d(date: Date) -> String {
    format_date(date)
}

/// An adjustment of the reply clock after it started, in the order its line is written.
enum Step {
    Consultation(usize),
    Fee,
    Extension,
}

/// Computes an application's clock from its events on `today`.
pub fn application_clock(
    cal: &Calendar,
    config: ClockConfig,
    events: &[CaseEvent],
    today: Date,
) -> Result<ClockReport, ClockError> {
    let mut sorted: Vec<&CaseEvent> = events.iter().collect();
    sorted.sort_by_key(|e| e.date); // stable: same-day events keep their order
    let (first, rest) = sorted.split_first().ok_or(ClockError::NoEvents)?;
    let Event::Received { channel } = first.event else {
        return Err(ClockError::BeforeReceipt {
            date: first.date,
            event: first.event.name(),
        });
    };
    for e in &sorted {
        if e.date > today {
            return Err(ClockError::AfterToday {
                date: e.date,
                event: e.event.name(),
                today,
            });
        }
    }
    let received = first.date;
    let mut ctx = Ctx {
        cal,
        assumed: Unnoticed::default(),
    };

    let mut lines = vec![format!(
        "{} 收到申请（{}，{}）",
        d(received),
        channel.basis(),
        channel.label()
    )];
    let info = cal.day(received)?;
    ctx.assumed.extend_from(&info);
    if !info.value.workday {
        let why = match &info.value.reason {
            DayReason::Holiday(name) => format!("，{name}放假"),
            _ => String::new(),
        };
        lines.push(format!(
            "收到之日为休息日（{}{why}），期限自其后第一个工作日起计算",
            weekday_zh(received.weekday())
        ));
    }

    // Phase 1: replay the events, rejecting impossible sequences.
    let mut start = received; // the clock starts after this day: receipt, or the correction
    let mut correction: Option<Correction> = None;
    let mut consultations: Vec<Consultation> = Vec::new();
    let mut fee: Option<FeeNotice> = None;
    let mut extension: Option<(Date, u32, Option<String>)> = None;
    let mut closed: Option<(Date, Outcome)> = None;
    let mut steps: Vec<(Date, Step)> = Vec::new();

    for e in rest {
        let date = e.date;
        if let Some((closed_on, _)) = closed {
            return Err(ClockError::AfterClose {
                date,
                event: e.event.name(),
                closed: closed_on,
            });
        }
        let awaiting = correction.as_ref().is_some_and(|c| c.received.is_none());
        let needs_clock = matches!(
            e.event,
            Event::ConsultationStarted { .. }
                | Event::ExtensionApproved { .. }
                | Event::FeeNoticeSent { .. }
        );
        if awaiting && needs_clock {
            return Err(ClockError::AwaitingCorrection {
                date,
                event: e.event.name(),
            });
        }
        match &e.event {
            Event::Received { .. } => {
                return Err(ClockError::DuplicateReceipt {
                    first: received,
                    date,
                });
            }
            Event::CorrectionRequested { deadline } => {
                if let Some(c) = &correction {
                    return Err(ClockError::CorrectionTwice {
                        first: c.requested,
                        date,
                    });
                }
                if !consultations.is_empty() || fee.is_some() || extension.is_some() {
                    return Err(ClockError::CorrectionAfterSteps { date });
                }
                if let Some(deadline) = deadline
                    && *deadline < date
                {
                    return Err(ClockError::CorrectionDeadlineBeforeRequest {
                        date,
                        deadline: *deadline,
                    });
                }
                correction = Some(Correction {
                    requested: date,
                    deadline: *deadline,
                    received: None,
                });
            }
            Event::CorrectionReceived => match &mut correction {
                Some(c) if c.received.is_none() => {
                    c.received = Some(date);
                    start = date;
                }
                _ => return Err(ClockError::CorrectionWithoutRequest { date }),
            },
            Event::ConsultationStarted { party, name } => {
                if consultations
                    .iter()
                    .any(|c| c.party == *party && c.name == *name && c.answered.is_none())
                {
                    return Err(ClockError::ConsultationOpen {
                        date,
                        party: party.label(),
                        name: name.clone(),
                    });
                }
                // Arts. 32, 34: 15 working days from the party's receipt of the letter, counted
                // from the sending day under the deployment's day-0 rule.
                let answer_due = ctx.add(config.anchor(date)?, CONSULTATION_DAYS)?;
                consultations.push(Consultation {
                    party: *party,
                    name: name.clone(),
                    start: date,
                    answer_due,
                    answered: None,
                });
            }
            Event::ConsultationAnswered { party, name } => {
                let open = consultations
                    .iter_mut()
                    .enumerate()
                    .find(|(_, c)| c.party == *party && c.name == *name && c.answered.is_none());
                match open {
                    Some((i, c)) => {
                        c.answered = Some(date);
                        steps.push((date, Step::Consultation(i)));
                    }
                    None => {
                        return Err(ClockError::ConsultationNotOpen {
                            date,
                            party: party.label(),
                            name: name.clone(),
                        });
                    }
                }
            }
            Event::ExtensionApproved { days, approver } => {
                if let Some((first, _, _)) = &extension {
                    return Err(ClockError::ExtensionTwice {
                        first: *first,
                        date,
                    });
                }
                if *days == 0 || *days > MAX_EXTENSION_DAYS {
                    return Err(ClockError::ExtensionLength { date, days: *days });
                }
                let stops = resolve_stops(&consultations, fee.as_ref(), today, None);
                let anchor = config.anchor(start)?;
                if let Due::At(due) = ctx.due(anchor, REPLY_DAYS, &stops)?
                    && date > due
                {
                    return Err(ClockError::ExtensionAfterDue { date, due });
                }
                extension = Some((date, *days, approver.clone()));
                steps.push((date, Step::Extension));
            }
            Event::FeeNoticeSent { yuan, delivered } => {
                if let Some(f) = &fee {
                    return Err(ClockError::FeeNoticeTwice {
                        first: f.sent,
                        date,
                    });
                }
                if let Some(x) = delivered
                    && *x < date
                {
                    return Err(ClockError::DeliveredBeforeSent {
                        date,
                        delivered: *x,
                    });
                }
                let pay_by = ctx.add(delivered.unwrap_or(date), FEE_PAYMENT_DAYS)?;
                fee = Some(FeeNotice {
                    sent: date,
                    yuan: *yuan,
                    delivered: *delivered,
                    pay_by,
                    paid: None,
                });
            }
            Event::FeePaid => match &mut fee {
                Some(f) if f.paid.is_none() => {
                    f.paid = Some(date);
                    steps.push((date, Step::Fee));
                }
                _ => return Err(ClockError::FeePaidWithoutNotice { date }),
            },
            Event::CorrectionLapsed => {
                check_outcome(Outcome::NoCorrection, e, correction.as_ref(), fee.as_ref())?;
                closed = Some((date, Outcome::NoCorrection));
            }
            Event::FeeLapsed => {
                check_outcome(Outcome::FeeUnpaid, e, correction.as_ref(), fee.as_ref())?;
                closed = Some((date, Outcome::FeeUnpaid));
            }
            Event::Replied { outcome } => {
                check_outcome(*outcome, e, correction.as_ref(), fee.as_ref())?;
                closed = Some((date, *outcome));
            }
        }
    }

    // Phase 2: the explanation and the due date.
    let anchor0 = config.anchor(received)?;
    let base0 = ctx.add(anchor0, REPLY_DAYS)?;
    lines.push(format!(
        "答复期限 {REPLY_DAYS} 个工作日，{}，至 {}（第三十三条第二款{}）",
        config.start_phrase("收到申请"),
        d(base0),
        ctx.holidays_note(anchor0, base0)
    ));

    let awaiting = correction.as_ref().is_some_and(|c| c.received.is_none());
    if let Some(c) = &correction {
        let notice_due = ctx.add(anchor0, CORRECTION_NOTICE_DAYS)?;
        let timing = if c.requested <= notice_due {
            "按时".to_owned()
        } else {
            format!("已逾期 {} 个工作日", ctx.between(notice_due, c.requested)?)
        };
        let deadline = c.deadline.map_or_else(
            || "，未载明补正期限".to_owned(),
            |x| format!("，补正期限至 {}", d(x)),
        );
        lines.push(format!(
            "{} 一次性告知补正{deadline}，答复期限待收到补正后重新计算（第三十条：应于 {} 前告知，{timing}）",
            d(c.requested),
            d(notice_due)
        ));
        if let Some(r) = c.received {
            let anchor = config.anchor(r)?;
            let base = ctx.add(anchor, REPLY_DAYS)?;
            // Art. 30: a late correction may be refused only when it is late without good
            // reason; the organ accepted this one, so the clock restarts, but the line says so.
            let late = match c.deadline {
                Some(x) if r > x => format!("（晚于补正期限 {}）", d(x)),
                _ => String::new(),
            };
            lines.push(format!(
                "{} 收到补正{late}，答复期限 {REPLY_DAYS} 个工作日，{}，至 {}（第三十条、第三十三条第二款{}）",
                d(r),
                config.start_phrase("收到补正"),
                d(base),
                ctx.holidays_note(anchor, base)
            ));
        }
    }

    let anchor = config.anchor(start)?;
    let close_date = closed.map(|(date, _)| date);
    // Open consultations and fee notices also get a line, on the day they started.
    for (i, c) in consultations.iter().enumerate() {
        if c.answered.is_none() {
            steps.push((c.start, Step::Consultation(i)));
        }
    }
    if let Some(f) = &fee
        && f.paid.is_none()
    {
        steps.push((f.sent, Step::Fee));
    }
    steps.sort_by_key(|(date, _)| *date);

    let mut due = ctx.due(anchor, REPLY_DAYS, &[])?;
    let mut seen_consultations: Vec<usize> = Vec::new();
    let mut seen_fee = false;
    let mut budget = REPLY_DAYS;
    for (date, step) in &steps {
        match step {
            Step::Consultation(i) => seen_consultations.push(*i),
            Step::Fee => seen_fee = true,
            Step::Extension => {
                if let Some((_, days, _)) = &extension {
                    budget = REPLY_DAYS + days;
                }
            }
        }
        let shown: Vec<Consultation> = consultations
            .iter()
            .enumerate()
            .filter(|(i, _)| seen_consultations.contains(i))
            .map(|(_, c)| Consultation {
                party: c.party,
                name: c.name.clone(),
                start: c.start,
                answer_due: c.answer_due,
                answered: c.answered,
            })
            .collect();
        let shown_fee = if seen_fee { fee.as_ref() } else { None };
        let stops = resolve_stops(&shown, shown_fee, today, close_date);
        let before = due;
        due = ctx.due(anchor, budget, &stops)?;
        let after = match &due {
            Due::At(x) => format!("，至 {}", d(*x)),
            Due::Stopped { remaining } => format!("，剩余 {remaining} 个工作日"),
        };
        let shift = |ctx: &mut Ctx, len_from: Date, len_to: Date| -> Result<String, ClockError> {
            Ok(match (&before, &due) {
                (Due::At(b), Due::At(a)) if a == b => {
                    format!("答复期限已于 {} 届满，不再顺延", d(*b))
                }
                (Due::At(b), Due::At(a)) => {
                    format!("顺延 {} 个工作日{after}", ctx.between(*b, *a)?)
                }
                _ => format!("不计入 {} 个工作日{after}", ctx.between(len_from, len_to)?),
            })
        };
        // The holidays between the old and the new due date, for the line's basis.
        let note = match (&before, &due) {
            (Due::At(b), Due::At(a)) => ctx.holidays_note(*b, *a),
            _ => String::new(),
        };
        let line = match step {
            Step::Consultation(i) => {
                let Some(c) = consultations.get(*i) else {
                    continue;
                };
                let who = format!("{}（{}）", c.party.label(), c.name);
                match resolve_consultation(c, today, close_date) {
                    (Some(end), capped) => {
                        let capped = if capped {
                            format!(
                                "；{}未在 {} 前答复，按 {CONSULTATION_DAYS} 个工作日计",
                                c.party.label(),
                                d(c.answer_due)
                            )
                        } else {
                            String::new()
                        };
                        format!(
                            "{} 至 {} 征求{who}意见，不计入答复期限，{}（{}{capped}{note}）",
                            d(c.start),
                            d(end),
                            shift(&mut ctx, c.start, end)?,
                            c.party.basis()
                        )
                    }
                    (None, _) => format!(
                        "{} 起征求{who}意见，应于 {} 前答复，其间暂停计算答复期限{after}（{}）",
                        d(c.start),
                        d(c.answer_due),
                        c.party.basis()
                    ),
                }
            }
            Step::Fee => {
                let Some(f) = &fee else { continue };
                let amount = f.yuan.map_or_else(String::new, |y| format!("（{y} 元）"));
                let settled = match (f.paid, close_date) {
                    (Some(paid), _) => Some((paid, "缴费")),
                    (None, Some(closed_on)) => Some((closed_on, "仍未缴费")),
                    (None, None) => None,
                };
                match settled {
                    Some((end, what)) => format!(
                        "{} 发出收费通知{amount}，{} {what}，其间不计入答复期限，{}（{FEE_BASIS}{note}）",
                        d(f.sent),
                        d(end),
                        shift(&mut ctx, f.sent, end)?
                    ),
                    None => {
                        let from = match f.delivered {
                            Some(x) => format!("自申请人 {} 收到通知次日起", d(x)),
                            None => "收到日期未记录，暂自发出之日次日起算".to_owned(),
                        };
                        format!(
                            "{} 发出收费通知{amount}，申请人应于 {} 前缴费（{FEE_PAYMENT_DAYS} 个工作日，{from}），其间暂停计算答复期限{after}（{FEE_BASIS}）",
                            d(f.sent),
                            d(f.pay_by)
                        )
                    }
                }
            }
            Step::Extension => {
                let Some((_, days, approver)) = &extension else {
                    continue;
                };
                let who = approver
                    .as_ref()
                    .map_or_else(String::new, |a| format!("（{a}）"));
                format!(
                    "{} 经政府信息公开工作机构负责人{who}同意，延长答复期限 {days} 个工作日{after}（第三十三条第二款{note}）",
                    d(*date)
                )
            }
        };
        lines.push(line);
    }

    // Phase 3: status.
    let (due_date, remaining) = match due {
        Due::At(x) => (Some(x), None),
        Due::Stopped { remaining } => (None, Some(remaining)),
    };
    let due_date = if awaiting { None } else { due_date };
    let open_consultation = consultations
        .iter()
        .any(|c| resolve_consultation(c, today, close_date).0.is_none());
    let fee_open = fee.as_ref().is_some_and(|f| f.paid.is_none());
    let status = match closed {
        Some((_, outcome)) => Status::Closed(outcome),
        None if awaiting => {
            let lapsed = correction
                .as_ref()
                .and_then(|c| c.deadline)
                .is_some_and(|x| today > x);
            if lapsed {
                Status::CorrectionOverdue
            } else {
                Status::AwaitingCorrection
            }
        }
        None if fee_open && fee.as_ref().is_some_and(|f| today > f.pay_by) => Status::FeeOverdue,
        None if fee_open => Status::Paused(PauseKind::Fee),
        None if open_consultation => Status::Paused(PauseKind::Consultation),
        None => Status::Running,
    };

    let mut overdue = false;
    let mut days_left = None;
    if let Some((closed_on, outcome)) = closed {
        let spec = outcome.spec();
        let mut line = format!(
            "{} 办结：{}（{}），出具{}",
            d(closed_on),
            spec.label,
            spec.basis,
            spec.notice.title
        );
        if let Some(x) = due_date {
            if closed_on > x {
                overdue = true;
                line.push_str(&format!("；逾期 {} 个工作日", ctx.between(x, closed_on)?));
            } else {
                line.push_str("；在答复期限内");
            }
        }
        lines.push(line);
    } else if let Some(x) = due_date {
        let left = ctx.between(today, x)?;
        overdue = left < 0;
        days_left = Some(left);
    } else if let Some(r) = remaining {
        days_left = Some(i64::from(r));
    }
    if status == Status::CorrectionOverdue
        && let Some(x) = correction.as_ref().and_then(|c| c.deadline)
    {
        lines.push(format!(
            "补正期限 {} 已过，申请人无正当理由逾期不补正的，视为放弃申请（第三十条）",
            d(x)
        ));
    }
    if status == Status::FeeOverdue
        && let Some(f) = &fee
    {
        lines.push(format!(
            "缴费期限 {} 已过，申请人逾期未缴费的，视为放弃申请（{FEE_BASIS}）",
            d(f.pay_by)
        ));
    }

    Ok(ClockReport {
        today,
        status,
        received,
        closed: close_date,
        due: due_date,
        days_left,
        overdue,
        explanation: lines,
        assumed_years: ctx.assumed.assumed.into_iter().collect(),
        provisional_years: ctx.assumed.provisional.into_iter().collect(),
    })
}

/// When a consultation's excluded time ends: its answer, capped at the party's 15 working days;
/// while unanswered, the cap once today is past it, or the closing day. `true` when capped.
fn resolve_consultation(
    c: &Consultation,
    today: Date,
    closed: Option<Date>,
) -> (Option<Date>, bool) {
    match c.answered.or(closed) {
        Some(end) if end > c.answer_due => (Some(c.answer_due), true),
        Some(end) => (Some(end), false),
        None if today > c.answer_due => (Some(c.answer_due), true),
        None => (None, false),
    }
}

fn resolve_stops(
    consultations: &[Consultation],
    fee: Option<&FeeNotice>,
    today: Date,
    closed: Option<Date>,
) -> Vec<Stop> {
    let mut stops: Vec<Stop> = consultations
        .iter()
        .map(|c| Stop {
            start: c.start,
            end: resolve_consultation(c, today, closed).0,
        })
        .collect();
    if let Some(f) = fee {
        stops.push(Stop {
            start: f.sent,
            end: f.paid.or(closed),
        });
    }
    stops
}

fn check_outcome(
    outcome: Outcome,
    e: &CaseEvent,
    correction: Option<&Correction>,
    fee: Option<&FeeNotice>,
) -> Result<(), ClockError> {
    let date = e.date;
    let event = e.event.name();
    match outcome {
        Outcome::NoCorrection => match correction {
            Some(c) if c.received.is_none() => match c.deadline {
                Some(deadline) if date <= deadline => Err(ClockError::LapseBeforeDeadline {
                    date,
                    event,
                    deadline,
                }),
                _ => Ok(()),
            },
            _ => Err(ClockError::LapseWithoutCause {
                date,
                event,
                what: "待补正的补正告知（第三十条）",
            }),
        },
        Outcome::FeeUnpaid => match fee {
            Some(f) if f.paid.is_none() => {
                if date <= f.pay_by {
                    Err(ClockError::LapseBeforeDeadline {
                        date,
                        event,
                        deadline: f.pay_by,
                    })
                } else {
                    Ok(())
                }
            }
            _ => Err(ClockError::LapseWithoutCause {
                date,
                event,
                what: "未缴费的收费通知",
            }),
        },
        Outcome::StillUnclear => match correction {
            Some(c) if c.received.is_some() => Ok(()),
            _ => Err(ClockError::UnclearWithoutCorrection { date }),
        },
        _ => Ok(()),
    }
}

/// A proactive item's art. 26 clock on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProactiveReport {
    /// Formed or changed.
    pub formed: Date,
    /// Published, if it has been.
    pub published: Option<Date>,
    /// The last day to publish.
    pub due: Date,
    /// Working days from today to the due date, while unpublished (negative when overdue).
    pub days_left: Option<i64>,
    /// Published late, or unpublished past the due date.
    pub overdue: bool,
    /// One Chinese line per step, naming art. 26.
    pub explanation: Vec<String>,
    /// Years counted as Monday–Friday for lack of data.
    pub assumed_years: Vec<i32>,
    /// Years without a notice counted from the statutory holidays.
    pub provisional_years: Vec<i32>,
}

/// Art. 26: proactive information is published within 20 working days from the day it is
/// formed or changed (day 0 under the same receipt-day rule as applications).
pub fn proactive_clock(
    cal: &Calendar,
    config: ClockConfig,
    formed: Date,
    published: Option<Date>,
    today: Date,
) -> Result<ProactiveReport, ClockError> {
    if let Some(p) = published
        && p < formed
    {
        return Err(ClockError::PublishedBeforeFormed {
            formed,
            published: p,
        });
    }
    let mut ctx = Ctx {
        cal,
        assumed: Unnoticed::default(),
    };
    let anchor = config.anchor(formed)?;
    let due = ctx.add(anchor, PROACTIVE_DAYS)?;
    let mut lines = vec![
        format!("{} 信息形成（变更）", d(formed)),
        format!(
            "应于 {PROACTIVE_DAYS} 个工作日内公开，{}，至 {}（第二十六条{}）",
            config.start_phrase("形成（变更）之日"),
            d(due),
            ctx.holidays_note(anchor, due)
        ),
    ];
    let (days_left, overdue) = match published {
        Some(p) if p > due => {
            lines.push(format!(
                "{} 公开，逾期 {} 个工作日",
                d(p),
                ctx.between(due, p)?
            ));
            (None, true)
        }
        Some(p) => {
            lines.push(format!("{} 公开，在期限内", d(p)));
            (None, false)
        }
        None => {
            let left = ctx.between(today, due)?;
            (Some(left), left < 0)
        }
    };
    Ok(ProactiveReport {
        formed,
        published,
        due,
        days_left,
        overdue,
        explanation: lines,
        assumed_years: ctx.assumed.assumed.into_iter().collect(),
        provisional_years: ctx.assumed.provisional.into_iter().collect(),
    })
}

#[cfg(test)]
mod tests;
