//! The case ledger's events and their JSON: the format of `gongkai clock` for the clock's
//! events, and the record events beside them (assignment, extension requests, delivery,
//! recomputation). The CLI, the API and the store read and write events only through here, so
//! the one format cannot drift.
//!
//! ```json
//! {"date": "2024-10-25", "event": "extension_approved", "days": 20, "approver": "张三"}
//! {"date": "2024-10-08", "event": "correction_requested", "deadline": "2024-10-22", "items": ["证件号码"]}
//! {"date": "2024-10-09", "event": "assigned", "to": 3, "to_name": "李四"}
//! ```

use gongkai_core::calendar::{format_date, parse_date};
use gongkai_core::clock::{self, CaseEvent, Channel, Event, Party};
use gongkai_core::outcome::Outcome;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::Date;

use crate::UserId;

/// The clock events' keys, for messages.
pub const CLOCK_EVENTS: [&str; 11] = [
    "received",
    "correction_requested",
    "correction_received",
    "correction_lapsed",
    "consultation_started",
    "consultation_answered",
    "extension_approved",
    "fee_notice_sent",
    "fee_paid",
    "fee_lapsed",
    "replied",
];

/// An event that does not move the clock but belongs to the case's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// The case was assigned (or transferred) to a handler.
    Assigned {
        /// The handler.
        to: UserId,
        /// Their display name, as at the time.
        to_name: String,
    },
    /// A case handler asked the 负责人 for an extension.
    ExtensionRequested {
        /// Working days asked for.
        days: u32,
        /// Why the reply cannot be given in time.
        reason: String,
    },
    /// The 负责人 refused the requested extension.
    ExtensionRefused {
        /// Why.
        reason: String,
    },
    /// A notice was delivered to the applicant (送达).
    NoticeDelivered {
        /// The notice.
        notice_id: i64,
        /// How: 当面, 邮寄, 电子邮件, 网上, ….
        method: String,
    },
    /// A holiday notice was entered and the due date changed.
    CalendarRecomputed {
        /// The year whose notice was entered.
        year: i32,
        /// The due date before.
        before: Option<Date>,
        /// The due date after.
        after: Option<Date>,
    },
}

impl Record {
    /// Stable key.
    pub const fn key(&self) -> &'static str {
        match self {
            Record::Assigned { .. } => "assigned",
            Record::ExtensionRequested { .. } => "extension_requested",
            Record::ExtensionRefused { .. } => "extension_refused",
            Record::NoticeDelivered { .. } => "notice_delivered",
            Record::CalendarRecomputed { .. } => "calendar_recomputed",
        }
    }

    /// Chinese name.
    pub const fn name(&self) -> &'static str {
        match self {
            Record::Assigned { .. } => "分办",
            Record::ExtensionRequested { .. } => "申请延期",
            Record::ExtensionRefused { .. } => "不批准延期",
            Record::NoticeDelivered { .. } => "送达",
            Record::CalendarRecomputed { .. } => "答复期限重新计算",
        }
    }
}

/// What happened: a clock event, or a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happening {
    /// Moves the clock.
    Clock(Event),
    /// History only.
    Record(Record),
}

impl Happening {
    /// Stable key.
    pub const fn key(&self) -> &'static str {
        match self {
            Happening::Clock(e) => e.key(),
            Happening::Record(r) => r.key(),
        }
    }

    /// Chinese name.
    pub const fn name(&self) -> &'static str {
        match self {
            Happening::Clock(e) => e.name(),
            Happening::Record(r) => r.name(),
        }
    }
}

/// One dated event of the ledger, with the extras that notices need (the 补正 items, the
/// reasons) and a free note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEvent {
    /// When (Beijing date).
    pub date: Date,
    /// What.
    pub what: Happening,
    /// What must be corrected (补正), one item each.
    pub items: Vec<String>,
    /// Staff's note or reason.
    pub note: String,
}

impl LedgerEvent {
    /// A clock event without extras.
    pub fn clock(date: Date, event: Event) -> LedgerEvent {
        LedgerEvent {
            date,
            what: Happening::Clock(event),
            items: Vec::new(),
            note: String::new(),
        }
    }

    /// A record without extras.
    pub fn record(date: Date, record: Record) -> LedgerEvent {
        LedgerEvent {
            date,
            what: Happening::Record(record),
            items: Vec::new(),
            note: String::new(),
        }
    }

    /// The clock's view, if this is a clock event.
    pub fn case_event(&self) -> Option<CaseEvent> {
        match &self.what {
            Happening::Clock(event) => Some(CaseEvent {
                date: self.date,
                event: event.clone(),
            }),
            Happening::Record(_) => None,
        }
    }
}

/// An event as written in JSON: every field of every kind, all optional but `date` and
/// `event`. Unknown fields are refused.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EventJson {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The key.
    pub event: String,
    /// `received`: how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// `correction_requested`: the 补正期限.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// Consultations: `third_party` or `other_organ`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    /// Consultations: the party's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Extensions: working days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// `extension_approved`: who approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approver: Option<String>,
    /// `fee_notice_sent`: the amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yuan: Option<u64>,
    /// `fee_notice_sent`: the day the applicant received the notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered: Option<String>,
    /// `replied`: a key of `gongkai_core::outcome::OUTCOMES`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// `assigned`: the handler's account id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<UserId>,
    /// `assigned`: the handler's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_name: Option<String>,
    /// `notice_delivered`: the notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_id: Option<i64>,
    /// `notice_delivered`: how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// `calendar_recomputed`: the year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// `calendar_recomputed`: the due date before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// `calendar_recomputed`: the due date after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// `correction_requested`: what to correct.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// A reason or note.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// Why an event's JSON cannot be read: the field and a Chinese sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EventError {
    /// The field at fault.
    pub field: &'static str,
    /// What is wrong, in Chinese.
    pub message: String,
}

fn err(field: &'static str, message: impl Into<String>) -> EventError {
    EventError {
        field,
        message: message.into(),
    }
}

fn date_of(field: &'static str, text: &str) -> Result<Date, EventError> {
    parse_date(text).ok_or_else(|| {
        err(
            field,
            format!("{field}: 日期“{text}”无效（应为 YYYY-MM-DD）"),
        )
    })
}

fn opt_date(field: &'static str, text: &Option<String>) -> Result<Option<Date>, EventError> {
    text.as_deref().map(|t| date_of(field, t)).transpose()
}

fn required<'a>(
    value: &'a Option<String>,
    field: &'static str,
    event: &str,
) -> Result<&'a str, EventError> {
    value
        .as_deref()
        .ok_or_else(|| err(field, format!("“{event}”事件缺少 {field}")))
}

impl EventJson {
    /// Reads the event.
    pub fn parse(&self) -> Result<LedgerEvent, EventError> {
        let date = date_of("date", &self.date)?;
        let key = self.event.as_str();
        let name = || self.name.clone().unwrap_or_default();
        let party = || -> Result<Party, EventError> {
            let text = required(&self.party, "party", key)?;
            Party::from_key(text).ok_or_else(|| {
                err(
                    "party",
                    format!("party“{text}”无效（应为 third_party 或 other_organ）"),
                )
            })
        };
        let clock = |event: Event| Happening::Clock(event);
        let what = match key {
            "received" => {
                let text = required(&self.channel, "channel", key)?;
                let channel = Channel::from_key(text).ok_or_else(|| {
                    err(
                        "channel",
                        format!(
                            "channel“{text}”无效（应为 in_person、post、letter、online、email 或 fax）"
                        ),
                    )
                })?;
                clock(Event::Received { channel })
            }
            "correction_requested" => clock(Event::CorrectionRequested {
                deadline: opt_date("deadline", &self.deadline)?,
            }),
            "correction_received" => clock(Event::CorrectionReceived),
            "correction_lapsed" => clock(Event::CorrectionLapsed),
            "consultation_started" => clock(Event::ConsultationStarted {
                party: party()?,
                name: name(),
            }),
            "consultation_answered" => clock(Event::ConsultationAnswered {
                party: party()?,
                name: name(),
            }),
            "extension_approved" => clock(Event::ExtensionApproved {
                days: self.days.unwrap_or(clock::MAX_EXTENSION_DAYS),
                approver: self.approver.clone(),
            }),
            "fee_notice_sent" => clock(Event::FeeNoticeSent {
                yuan: self.yuan,
                delivered: opt_date("delivered", &self.delivered)?,
            }),
            "fee_paid" => clock(Event::FeePaid),
            "fee_lapsed" => clock(Event::FeeLapsed),
            "replied" => {
                let text = required(&self.outcome, "outcome", key)?;
                let outcome = Outcome::from_key(text).ok_or_else(|| {
                    err(
                        "outcome",
                        format!("outcome“{text}”无效（见 gongkai_core::outcome::OUTCOMES）"),
                    )
                })?;
                clock(Event::Replied { outcome })
            }
            "assigned" => Happening::Record(Record::Assigned {
                to: self
                    .to
                    .ok_or_else(|| err("to", "“assigned”事件缺少 to（承办人账号）"))?,
                to_name: self.to_name.clone().unwrap_or_default(),
            }),
            "extension_requested" => Happening::Record(Record::ExtensionRequested {
                days: self.days.unwrap_or(clock::MAX_EXTENSION_DAYS),
                reason: self.note.clone(),
            }),
            "extension_refused" => Happening::Record(Record::ExtensionRefused {
                reason: self.note.clone(),
            }),
            "notice_delivered" => Happening::Record(Record::NoticeDelivered {
                notice_id: self
                    .notice_id
                    .ok_or_else(|| err("notice_id", "“notice_delivered”事件缺少 notice_id"))?,
                method: required(&self.method, "method", key)?.to_owned(),
            }),
            "calendar_recomputed" => Happening::Record(Record::CalendarRecomputed {
                year: self
                    .year
                    .ok_or_else(|| err("year", "“calendar_recomputed”事件缺少 year"))?,
                before: opt_date("before", &self.before)?,
                after: opt_date("after", &self.after)?,
            }),
            other => {
                return Err(err(
                    "event",
                    format!(
                        "未知事件“{other}”（应为 {}、assigned、extension_requested、extension_refused 或 notice_delivered）",
                        CLOCK_EVENTS.join("、")
                    ),
                ));
            }
        };
        Ok(LedgerEvent {
            date,
            what,
            items: self.items.clone(),
            note: self.note.clone(),
        })
    }

    /// The JSON of an event.
    pub fn of(event: &LedgerEvent) -> EventJson {
        let mut j = EventJson {
            date: format_date(event.date),
            event: event.what.key().to_owned(),
            items: event.items.clone(),
            note: event.note.clone(),
            ..EventJson::default()
        };
        match &event.what {
            Happening::Clock(e) => match e {
                Event::Received { channel } => j.channel = Some(channel.key().to_owned()),
                Event::CorrectionRequested { deadline } => j.deadline = deadline.map(format_date),
                Event::CorrectionReceived
                | Event::CorrectionLapsed
                | Event::FeePaid
                | Event::FeeLapsed => {}
                Event::ConsultationStarted { party, name }
                | Event::ConsultationAnswered { party, name } => {
                    j.party = Some(party.key().to_owned());
                    j.name = (!name.is_empty()).then(|| name.clone());
                }
                Event::ExtensionApproved { days, approver } => {
                    j.days = Some(*days);
                    j.approver = approver.clone();
                }
                Event::FeeNoticeSent { yuan, delivered } => {
                    j.yuan = *yuan;
                    j.delivered = delivered.map(format_date);
                }
                Event::Replied { outcome } => j.outcome = Some(outcome.key().to_owned()),
            },
            Happening::Record(r) => match r {
                Record::Assigned { to, to_name } => {
                    j.to = Some(*to);
                    j.to_name = Some(to_name.clone());
                }
                Record::ExtensionRequested { days, reason } => {
                    j.days = Some(*days);
                    j.note = reason.clone();
                }
                Record::ExtensionRefused { reason } => j.note = reason.clone(),
                Record::NoticeDelivered { notice_id, method } => {
                    j.notice_id = Some(*notice_id);
                    j.method = Some(method.clone());
                }
                Record::CalendarRecomputed {
                    year,
                    before,
                    after,
                } => {
                    j.year = Some(*year);
                    j.before = before.map(format_date);
                    j.after = after.map(format_date);
                }
            },
        }
        j
    }
}

/// The JSON value of an event.
pub fn to_value(event: &LedgerEvent) -> Value {
    serde_json::to_value(EventJson::of(event)).unwrap_or_else(|_| json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_json() {
        let texts = [
            r#"{"date":"2024-09-27","event":"received","channel":"post"}"#,
            r#"{"date":"2024-09-29","event":"correction_requested","deadline":"2024-10-15","items":["证件号码"]}"#,
            r#"{"date":"2024-10-08","event":"correction_received"}"#,
            r#"{"date":"2024-10-08","event":"consultation_started","party":"third_party","name":"某公司"}"#,
            r#"{"date":"2024-10-15","event":"consultation_answered","party":"third_party","name":"某公司"}"#,
            r#"{"date":"2024-10-25","event":"extension_approved","days":20,"approver":"张三"}"#,
            r#"{"date":"2024-10-25","event":"fee_notice_sent","yuan":100,"delivered":"2024-10-28"}"#,
            r#"{"date":"2024-10-30","event":"fee_paid"}"#,
            r#"{"date":"2024-11-20","event":"replied","outcome":"partly_disclosed"}"#,
            r#"{"date":"2024-10-09","event":"assigned","to":3,"to_name":"李四"}"#,
            r#"{"date":"2024-10-20","event":"extension_requested","days":15,"note":"涉及档案调取"}"#,
            r#"{"date":"2024-10-21","event":"extension_refused","note":"可按期答复"}"#,
            r#"{"date":"2024-11-21","event":"notice_delivered","notice_id":7,"method":"邮寄"}"#,
            r#"{"date":"2026-12-10","event":"calendar_recomputed","year":2027,"before":"2027-01-04","after":"2027-01-05"}"#,
        ];
        for text in texts {
            let parsed: EventJson = serde_json::from_str(text).unwrap();
            let event = parsed.parse().unwrap();
            let back = serde_json::to_string(&EventJson::of(&event)).unwrap();
            let reparsed: EventJson = serde_json::from_str(&back).unwrap();
            assert_eq!(reparsed.parse().unwrap(), event, "{text}");
        }
    }

    #[test]
    fn bad_fields_are_named() {
        let e: EventJson =
            serde_json::from_str(r#"{"date":"2024-13-01","event":"fee_paid"}"#).unwrap();
        assert_eq!(e.parse().unwrap_err().field, "date");
        let e: EventJson =
            serde_json::from_str(r#"{"date":"2024-10-01","event":"replied"}"#).unwrap();
        assert_eq!(e.parse().unwrap_err().field, "outcome");
        let e: EventJson =
            serde_json::from_str(r#"{"date":"2024-10-01","event":"reopened"}"#).unwrap();
        assert_eq!(e.parse().unwrap_err().field, "event");
    }
}
