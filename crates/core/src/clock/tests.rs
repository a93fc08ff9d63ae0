//! Tests of the clocks. Each test is a short script of a case's events, one per line, and the
//! expected status, due date and explanation (`UPDATE_EXPECT=1` rewrites them; review the diff).
//!
//! Script lines: `today DATE`, `receipt_day included`, or `DATE EVENT ARGS…` where EVENT is a
//! key of [`Event::key`]: `received CHANNEL`, `correction_requested [DEADLINE]`,
//! `correction_received`, `correction_lapsed`, `consultation_started PARTY NAME`,
//! `consultation_answered PARTY NAME`, `extension_approved DAYS [APPROVER]`,
//! `fee_notice_sent [YUAN [DELIVERED]]`, `fee_paid`, `fee_lapsed`, `replied OUTCOME`.

use super::*;
use crate::calendar::parse_date;
use expect_test::{Expect, expect};
use proptest::prelude::*;
use time::macros::date;

fn date_of(text: &str) -> Date {
    parse_date(text).unwrap_or_else(|| panic!("bad date in script: {text}"))
}

fn parse_script(script: &str) -> (Vec<CaseEvent>, Date, ClockConfig) {
    let mut events = Vec::new();
    let mut today = None;
    let mut config = ClockConfig::default();
    for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["today", d] => today = Some(date_of(d)),
            ["receipt_day", "included"] => config.receipt_day = ReceiptDay::Included,
            [d, key, args @ ..] => {
                let event = match (*key, args) {
                    ("received", [c]) => Event::Received {
                        channel: Channel::from_key(c).expect("channel"),
                    },
                    ("correction_requested", []) => Event::CorrectionRequested { deadline: None },
                    ("correction_requested", [x]) => Event::CorrectionRequested {
                        deadline: Some(date_of(x)),
                    },
                    ("correction_received", []) => Event::CorrectionReceived,
                    ("correction_lapsed", []) => Event::CorrectionLapsed,
                    ("consultation_started", [p, n]) => Event::ConsultationStarted {
                        party: Party::from_key(p).expect("party"),
                        name: (*n).to_owned(),
                    },
                    ("consultation_answered", [p, n]) => Event::ConsultationAnswered {
                        party: Party::from_key(p).expect("party"),
                        name: (*n).to_owned(),
                    },
                    ("extension_approved", [days, rest @ ..]) => Event::ExtensionApproved {
                        days: days.parse().expect("days"),
                        approver: rest.first().map(|s| (*s).to_owned()),
                    },
                    ("fee_notice_sent", []) => Event::FeeNoticeSent {
                        yuan: None,
                        delivered: None,
                    },
                    ("fee_notice_sent", [y]) => Event::FeeNoticeSent {
                        yuan: Some(y.parse().expect("yuan")),
                        delivered: None,
                    },
                    ("fee_notice_sent", [y, x]) => Event::FeeNoticeSent {
                        yuan: Some(y.parse().expect("yuan")),
                        delivered: Some(date_of(x)),
                    },
                    ("fee_paid", []) => Event::FeePaid,
                    ("fee_lapsed", []) => Event::FeeLapsed,
                    ("replied", [o]) => Event::Replied {
                        outcome: Outcome::from_key(o).expect("outcome"),
                    },
                    _ => panic!("bad script line: {line}"),
                };
                events.push(CaseEvent {
                    date: date_of(d),
                    event,
                });
            }
            _ => panic!("bad script line: {line}"),
        }
    }
    (events, today.expect("script needs a `today` line"), config)
}

fn run(script: &str) -> Result<ClockReport, ClockError> {
    let (events, today, config) = parse_script(script);
    application_clock(&Calendar::builtin(), config, &events, today)
}

#[track_caller]
fn check(script: &str, expect: Expect) {
    let text = match run(script) {
        Ok(report) => report.render(),
        Err(err) => format!("错误：{err}\n"),
    };
    expect.assert_eq(&text);
}

#[test]
fn art33_reply_spans_national_day() {
    // Received the Friday before National Day 2024: 09-29 (Sunday) is a working day, 10-01 to
    // 10-07 are not, 10-12 (Saturday) is.
    check(
        "today 2024-10-08
         2024-09-27 received in_person",
        expect![[r#"
            状态：办理中
            答复期限：2024-10-30（剩余 17 个工作日）
            计算日：2024-10-08
            2024-09-27 收到申请（第三十一条第（一）项，当面提交，以提交之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-10-30（第三十三条第二款；其间国庆节放假 5 个工作日、调休上班 2 天）
        "#]],
    );
}

#[test]
fn art33_reply_on_time_and_late() {
    check(
        "today 2024-11-20
         2024-09-27 received post
         2024-10-30 replied disclosed",
        expect![[r#"
            状态：已办结
            答复期限：2024-10-30（按期办结）
            计算日：2024-11-20
            2024-09-27 收到申请（第三十一条第（二）项，邮寄，以签收之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-10-30（第三十三条第二款；其间国庆节放假 5 个工作日、调休上班 2 天）
            2024-10-30 办结：予以公开（第三十六条第（二）项），出具政府信息公开申请答复告知书；在答复期限内
        "#]],
    );
    check(
        "today 2024-11-20
         2024-09-27 received post
         2024-11-04 replied does_not_exist",
        expect![[r#"
            状态：已办结
            答复期限：2024-10-30（逾期办结）
            计算日：2024-11-20
            2024-09-27 收到申请（第三十一条第（二）项，邮寄，以签收之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-10-30（第三十三条第二款；其间国庆节放假 5 个工作日、调休上班 2 天）
            2024-11-04 办结：经检索没有所申请的政府信息（第三十六条第（四）项），出具政府信息公开申请答复告知书；逾期 3 个工作日
        "#]],
    );
}

#[test]
fn art33_overdue_while_running() {
    check(
        "today 2024-11-01
         2024-09-27 received fax",
        expect![[r#"
            状态：办理中
            答复期限：2024-10-30（已逾期 2 个工作日）
            计算日：2024-11-01
            2024-09-27 收到申请（第三十一条第（三）项，传真，以双方确认之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-10-30（第三十三条第二款；其间国庆节放假 5 个工作日、调休上班 2 天）
        "#]],
    );
}

#[test]
fn art31_receipt_on_a_holiday_starts_after_the_block() {
    // Confirmed online on 2025-10-03, a day off of 国庆节、中秋节 2025.
    check(
        "today 2025-10-09
         2025-10-03 received online",
        expect![[r#"
            状态：办理中
            答复期限：2025-11-04（剩余 19 个工作日）
            计算日：2025-10-09
            2025-10-03 收到申请（第三十一条第（三）项，互联网渠道，以双方确认之日为收到申请之日）
            收到之日为休息日（星期五，国庆节、中秋节放假），期限自其后第一个工作日起计算
            答复期限 20 个工作日，自收到申请次日起算，至 2025-11-04（第三十三条第二款；其间国庆节、中秋节放假 3 个工作日、调休上班 1 天）
        "#]],
    );
}

#[test]
fn art31_receipt_on_a_weekend() {
    // An e-mail confirmed on Sunday 2023-03-05: Monday is day 1.
    check(
        "today 2023-03-06
         2023-03-05 received email",
        expect![[r#"
            状态：办理中
            答复期限：2023-03-31（剩余 19 个工作日）
            计算日：2023-03-06
            2023-03-05 收到申请（第三十一条第（三）项，电子邮件，以双方确认之日为收到申请之日）
            收到之日为休息日（星期日），期限自其后第一个工作日起计算
            答复期限 20 个工作日，自收到申请次日起算，至 2023-03-31（第三十三条第二款）
        "#]],
    );
}

#[test]
fn q1_receipt_day_included_when_configured() {
    // The same receipt counted as day 1 (spec/domain.md Q1): one working day earlier.
    check(
        "today 2024-10-08
         receipt_day included
         2024-09-27 received in_person",
        expect![[r#"
            状态：办理中
            答复期限：2024-10-29（剩余 16 个工作日）
            计算日：2024-10-08
            2024-09-27 收到申请（第三十一条第（一）项，当面提交，以提交之日为收到申请之日）
            答复期限 20 个工作日，自收到申请当日起算，至 2024-10-29（第三十三条第二款；其间国庆节放假 5 个工作日、调休上班 2 天）
        "#]],
    );
}

#[test]
fn art33_extension_crossing_new_year() {
    // Received 2024-12-02; the 20 days end 2024-12-30; extended by 20 into January 2025, past
    // 元旦 2025-01-01.
    check(
        "today 2025-01-10
         2024-12-02 received in_person
         2024-12-20 extension_approved 20 李主任",
        expect![[r#"
            状态：办理中
            答复期限：2025-01-27（剩余 12 个工作日）
            计算日：2025-01-10
            2024-12-02 收到申请（第三十一条第（一）项，当面提交，以提交之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-12-30（第三十三条第二款）
            2024-12-20 经政府信息公开工作机构负责人（李主任）同意，延长答复期限 20 个工作日，至 2025-01-27（第三十三条第二款；其间元旦放假 1 个工作日，春节调休上班 1 天）
        "#]],
    );
}

#[test]
fn art32_consultation_pause_across_a_holiday_block() {
    // Letter to the third party 2024-09-27, answer 2024-10-15: the working days after the
    // letter up to the answer are excluded, National Day counting none of them.
    check(
        "today 2024-10-16
         2024-09-20 received in_person
         2024-09-27 consultation_started third_party 某公司
         2024-10-15 consultation_answered third_party 某公司",
        expect![[r#"
            状态：办理中
            答复期限：2024-11-05（剩余 14 个工作日）
            计算日：2024-10-16
            2024-09-20 收到申请（第三十一条第（一）项，当面提交，以提交之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-10-23（第三十三条第二款；其间国庆节放假 5 个工作日、调休上班 2 天）
            2024-09-27 至 2024-10-15 征求第三方（某公司）意见，不计入答复期限，顺延 9 个工作日，至 2024-11-05（第三十二条、第三十三条第三款）
        "#]],
    );
}

#[test]
fn art34_consultation_of_another_organ_while_open_pauses_the_clock() {
    check(
        "today 2024-06-05
         2024-05-20 received in_person
         2024-05-27 consultation_started other_organ 市财政局",
        expect![[r#"
            状态：暂停计算（征求意见）
            答复期限：暂停计算（剩余 15 个工作日）
            计算日：2024-06-05
            2024-05-20 收到申请（第三十一条第（一）项，当面提交，以提交之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-06-18（第三十三条第二款；其间端午节放假 1 个工作日）
            2024-05-27 起征求其他机关（市财政局）意见，应于 2024-06-18 前答复，其间暂停计算答复期限，剩余 15 个工作日（第三十四条、第三十三条第三款）
        "#]],
    );
}

#[test]
fn art32_silent_third_party_counts_at_most_15_working_days() {
    // No answer: after the third party's 15 working days the organ decides alone (art. 32), so
    // the pause ends there and the clock runs again.
    check(
        "today 2024-07-01
         2024-05-20 received in_person
         2024-05-27 consultation_started third_party 张某",
        expect![[r#"
            状态：办理中
            答复期限：2024-07-09（剩余 6 个工作日）
            计算日：2024-07-01
            2024-05-20 收到申请（第三十一条第（一）项，当面提交，以提交之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-06-18（第三十三条第二款；其间端午节放假 1 个工作日）
            2024-05-27 至 2024-06-18 征求第三方（张某）意见，不计入答复期限，顺延 15 个工作日，至 2024-07-09（第三十二条、第三十三条第三款；第三方未在 2024-06-18 前答复，按 15 个工作日计）
        "#]],
    );
}

#[test]
fn art33_overlapping_consultations_exclude_their_union() {
    check(
        "today 2024-04-30
         2024-03-01 received in_person
         2024-03-05 consultation_started third_party 甲公司
         2024-03-07 consultation_started other_organ 乙局
         2024-03-12 consultation_answered third_party 甲公司
         2024-03-14 consultation_answered other_organ 乙局
         2024-04-29 replied partly_disclosed",
        expect![[r#"
            状态：已办结
            答复期限：2024-04-10（逾期办结）
            计算日：2024-04-30
            2024-03-01 收到申请（第三十一条第（一）项，当面提交，以提交之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-03-29（第三十三条第二款）
            2024-03-05 至 2024-03-12 征求第三方（甲公司）意见，不计入答复期限，顺延 5 个工作日，至 2024-04-08（第三十二条、第三十三条第三款；其间清明节放假 2 个工作日、调休上班 1 天）
            2024-03-07 至 2024-03-14 征求其他机关（乙局）意见，不计入答复期限，顺延 2 个工作日，至 2024-04-10（第三十四条、第三十三条第三款）
            2024-04-29 办结：部分公开（第三十七条），出具政府信息公开申请答复告知书；逾期 14 个工作日
        "#]],
    );
}

#[test]
fn art30_correction_restarts_the_clock() {
    check(
        "today 2024-03-20
         2024-03-01 received letter
         2024-03-06 correction_requested 2024-03-20
         2024-03-15 correction_received",
        expect![[r#"
            状态：办理中
            答复期限：2024-04-15（剩余 17 个工作日）
            计算日：2024-03-20
            2024-03-01 收到申请（第三十一条第（二）项，平常信函，以与申请人确认之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-03-29（第三十三条第二款）
            2024-03-06 一次性告知补正，补正期限至 2024-03-20，答复期限待收到补正后重新计算（第三十条：应于 2024-03-12 前告知，按时）
            2024-03-15 收到补正，答复期限 20 个工作日，自收到补正次日起算，至 2024-04-15（第三十条、第三十三条第二款；其间清明节放假 2 个工作日、调休上班 1 天）
        "#]],
    );
}

#[test]
fn art30_correction_received_after_its_deadline_is_flagged() {
    check(
        "today 2024-03-25
         2024-03-01 received in_person
         2024-03-05 correction_requested 2024-03-15
         2024-03-18 correction_received",
        expect![[r#"
            状态：办理中
            答复期限：2024-04-16（剩余 15 个工作日）
            计算日：2024-03-25
            2024-03-01 收到申请（第三十一条第（一）项，当面提交，以提交之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-03-29（第三十三条第二款）
            2024-03-05 一次性告知补正，补正期限至 2024-03-15，答复期限待收到补正后重新计算（第三十条：应于 2024-03-12 前告知，按时）
            2024-03-18 收到补正（晚于补正期限 2024-03-15），答复期限 20 个工作日，自收到补正次日起算，至 2024-04-16（第三十条、第三十三条第二款；其间清明节放假 2 个工作日、调休上班 1 天）
        "#]],
    );
}

#[test]
fn art30_late_correction_notice_is_flagged() {
    check(
        "today 2024-03-14
         2024-03-01 received in_person
         2024-03-14 correction_requested",
        expect![[r#"
            状态：等待补正
            答复期限：待收到补正后重新计算
            计算日：2024-03-14
            2024-03-01 收到申请（第三十一条第（一）项，当面提交，以提交之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-03-29（第三十三条第二款）
            2024-03-14 一次性告知补正，未载明补正期限，答复期限待收到补正后重新计算（第三十条：应于 2024-03-12 前告知，已逾期 2 个工作日）
        "#]],
    );
}

#[test]
fn art30_correction_lapses_and_the_case_closes() {
    check(
        "today 2024-03-25
         2024-03-01 received in_person
         2024-03-05 correction_requested 2024-03-19",
        expect![[r#"
            状态：补正期限已过（可视为放弃申请，第三十条）
            答复期限：待收到补正后重新计算
            计算日：2024-03-25
            2024-03-01 收到申请（第三十一条第（一）项，当面提交，以提交之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-03-29（第三十三条第二款）
            2024-03-05 一次性告知补正，补正期限至 2024-03-19，答复期限待收到补正后重新计算（第三十条：应于 2024-03-12 前告知，按时）
            补正期限 2024-03-19 已过，申请人无正当理由逾期不补正的，视为放弃申请（第三十条）
        "#]],
    );
    check(
        "today 2024-03-25
         2024-03-01 received in_person
         2024-03-05 correction_requested 2024-03-19
         2024-03-20 correction_lapsed",
        expect![[r#"
            状态：已办结
            答复期限：待收到补正后重新计算
            计算日：2024-03-25
            2024-03-01 收到申请（第三十一条第（一）项，当面提交，以提交之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-03-29（第三十三条第二款）
            2024-03-05 一次性告知补正，补正期限至 2024-03-19，答复期限待收到补正后重新计算（第三十条：应于 2024-03-12 前告知，按时）
            2024-03-20 办结：逾期不补正，视为放弃申请（第三十条），出具政府信息公开申请终止办理告知书
        "#]],
    );
}

#[test]
fn fee_notice_and_payment_are_excluded() {
    check(
        "today 2024-05-06
         2024-03-01 received online
         2024-03-08 fee_notice_sent 4700
         2024-03-22 fee_paid",
        expect![[r#"
            状态：办理中
            答复期限：2024-04-15（已逾期 13 个工作日）
            计算日：2024-05-06
            2024-03-01 收到申请（第三十一条第（三）项，互联网渠道，以双方确认之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-03-29（第三十三条第二款）
            2024-03-08 发出收费通知（4700 元），2024-03-22 缴费，其间不计入答复期限，顺延 10 个工作日，至 2024-04-15（《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）；其间清明节放假 2 个工作日、调休上班 1 天）
        "#]],
    );
}

#[test]
fn fee_unpaid_past_its_20_working_days_lapses() {
    check(
        "today 2024-04-15
         2024-03-01 received online
         2024-03-08 fee_notice_sent 200",
        expect![[r#"
            状态：缴费期限已过（可视为放弃申请）
            答复期限：暂停计算（剩余 15 个工作日）
            计算日：2024-04-15
            2024-03-01 收到申请（第三十一条第（三）项，互联网渠道，以双方确认之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-03-29（第三十三条第二款）
            2024-03-08 发出收费通知（200 元），申请人应于 2024-04-08 前缴费（20 个工作日，收到日期未记录，暂自发出之日次日起算），其间暂停计算答复期限，剩余 15 个工作日（《政府信息公开信息处理费管理办法》（国办函〔2020〕109号））
            缴费期限 2024-04-08 已过，申请人逾期未缴费的，视为放弃申请（《政府信息公开信息处理费管理办法》（国办函〔2020〕109号））
        "#]],
    );
    check(
        "today 2024-04-15
         2024-03-01 received online
         2024-03-08 fee_notice_sent 200
         2024-04-09 fee_lapsed",
        expect![[r#"
            状态：已办结
            答复期限：2024-04-29（按期办结）
            计算日：2024-04-15
            2024-03-01 收到申请（第三十一条第（三）项，互联网渠道，以双方确认之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-03-29（第三十三条第二款）
            2024-03-08 发出收费通知（200 元），2024-04-09 仍未缴费，其间不计入答复期限，顺延 21 个工作日，至 2024-04-29（《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）；其间清明节放假 2 个工作日、调休上班 1 天，劳动节调休上班 1 天）
            2024-04-09 办结：逾期未缴纳信息处理费，视为放弃申请（《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）），出具政府信息公开申请终止办理告知书；在答复期限内
        "#]],
    );
}

#[test]
fn fee_payment_runs_from_the_applicants_receipt_of_the_notice() {
    // §5: 20 working days to pay from the day after the applicant receives the 收费通知. A
    // notice posted 2024-03-08 and signed for 2024-03-12 may not lapse on 2024-04-09.
    check(
        "today 2024-04-10
         2024-03-01 received post
         2024-03-08 fee_notice_sent 200 2024-03-12
         2024-04-09 fee_lapsed",
        expect![[r#"
            错误：2024-04-09 的“逾期未缴费”：期限至 2024-04-10，尚未届满
        "#]],
    );
    check(
        "today 2024-04-10
         2024-03-01 received post
         2024-03-08 fee_notice_sent 200 2024-03-12",
        expect![[r#"
            状态：暂停计算（等待缴费）
            答复期限：暂停计算（剩余 15 个工作日）
            计算日：2024-04-10
            2024-03-01 收到申请（第三十一条第（二）项，邮寄，以签收之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-03-29（第三十三条第二款）
            2024-03-08 发出收费通知（200 元），申请人应于 2024-04-10 前缴费（20 个工作日，自申请人 2024-03-12 收到通知次日起），其间暂停计算答复期限，剩余 15 个工作日（《政府信息公开信息处理费管理办法》（国办函〔2020〕109号））
        "#]],
    );
}

#[test]
fn art33_extension_after_a_consultation() {
    check(
        "today 2024-12-20
         2024-09-27 received in_person
         2024-10-08 consultation_started third_party 某公司
         2024-10-15 consultation_answered third_party 某公司
         2024-10-25 extension_approved 20 张三
         2024-11-20 replied disclosed",
        expect![[r#"
            状态：已办结
            答复期限：2024-12-05（按期办结）
            计算日：2024-12-20
            2024-09-27 收到申请（第三十一条第（一）项，当面提交，以提交之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-10-30（第三十三条第二款；其间国庆节放假 5 个工作日、调休上班 2 天）
            2024-10-08 至 2024-10-15 征求第三方（某公司）意见，不计入答复期限，顺延 6 个工作日，至 2024-11-07（第三十二条、第三十三条第三款）
            2024-10-25 经政府信息公开工作机构负责人（张三）同意，延长答复期限 20 个工作日，至 2024-12-05（第三十三条第二款）
            2024-11-20 办结：予以公开（第三十六条第（二）项），出具政府信息公开申请答复告知书；在答复期限内
        "#]],
    );
}

#[test]
fn art33_consultation_sent_on_the_last_day_still_stops_the_clock() {
    // Art. 33 ¶3: consultation time is not counted even when the letter goes out on the 20th
    // working day (2024-10-30). The letter day is counted, so nothing is left: the reply is due
    // the day the answer arrives, and the case is not overdue while the clock is stopped.
    check(
        "today 2024-11-01
         2024-09-27 received in_person
         2024-10-30 consultation_started third_party 某公司",
        expect![[r#"
            状态：暂停计算（征求意见）
            答复期限：暂停计算（剩余 0 个工作日）
            计算日：2024-11-01
            2024-09-27 收到申请（第三十一条第（一）项，当面提交，以提交之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-10-30（第三十三条第二款；其间国庆节放假 5 个工作日、调休上班 2 天）
            2024-10-30 起征求第三方（某公司）意见，应于 2024-11-20 前答复，其间暂停计算答复期限，剩余 0 个工作日（第三十二条、第三十三条第三款）
        "#]],
    );
    check(
        "today 2024-11-06
         2024-09-27 received in_person
         2024-10-30 consultation_started third_party 某公司
         2024-11-05 consultation_answered third_party 某公司",
        expect![[r#"
            状态：办理中
            答复期限：2024-11-05（已逾期 1 个工作日）
            计算日：2024-11-06
            2024-09-27 收到申请（第三十一条第（一）项，当面提交，以提交之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-10-30（第三十三条第二款；其间国庆节放假 5 个工作日、调休上班 2 天）
            2024-10-30 至 2024-11-05 征求第三方（某公司）意见，不计入答复期限，顺延 4 个工作日，至 2024-11-05（第三十二条、第三十三条第三款）
        "#]],
    );
    // A letter sent after the last day changes nothing.
    check(
        "today 2024-11-06
         2024-09-27 received in_person
         2024-10-31 consultation_started third_party 某公司
         2024-11-05 consultation_answered third_party 某公司",
        expect![[r#"
            状态：办理中
            答复期限：2024-10-30（已逾期 5 个工作日）
            计算日：2024-11-06
            2024-09-27 收到申请（第三十一条第（一）项，当面提交，以提交之日为收到申请之日）
            答复期限 20 个工作日，自收到申请次日起算，至 2024-10-30（第三十三条第二款；其间国庆节放假 5 个工作日、调休上班 2 天）
            2024-10-31 至 2024-11-05 征求第三方（某公司）意见，不计入答复期限，答复期限已于 2024-10-30 届满，不再顺延（第三十二条、第三十三条第三款）
        "#]],
    );
}

#[test]
fn hand_computed_due_dates_across_years() {
    // Each expected date was counted by hand from spec/domain.md §8.2 (day 0 = the start day;
    // excluded = working days after the letter/notice up to and including the answer/payment).
    let cases = [
        // Art. 31(一), 33: Friday before National Day 2025; 09-28 and 10-11 are working days.
        (
            "2025 国庆节前周五收到",
            "today 2025-09-26\n2025-09-26 received in_person",
            date!(2025 - 10 - 30),
        ),
        // Art. 31(三): confirmed on Sunday 2024-09-29, a make-up working day: day 0 all the same.
        (
            "2024-09-29 周日调休上班日收到",
            "today 2024-09-29\n2024-09-29 received online",
            date!(2024 - 10 - 31),
        ),
        // Received on 2026-02-18, in the Spring Festival block; 02-28 (Saturday) counts.
        (
            "2026 春节假期中收到",
            "today 2026-02-18\n2026-02-18 received online",
            date!(2026 - 03 - 20),
        ),
        // Art. 33 ¶2: 2025-12-29 + 20, across 元旦 2026 (01-01, 01-02 off; 01-04 Sunday works).
        (
            "2025→2026 延期跨元旦",
            "today 2025-12-26\n2025-12-01 received post\n2025-12-26 extension_approved 20",
            date!(2026 - 01 - 27),
        ),
        // Arts. 32, 33 ¶3: letter 2025-09-26, answer 2025-10-14: 8 working days excluded.
        (
            "2025 征求意见跨国庆节",
            "today 2025-10-14\n2025-09-22 received in_person\n2025-09-26 consultation_started third_party 甲\n2025-10-14 consultation_answered third_party 甲",
            date!(2025 - 11 - 05),
        ),
        // Art. 30: correction received Friday 2023-01-20, before Spring Festival; 01-28/29 work.
        (
            "2023 补正后重新起算跨春节",
            "today 2023-01-20\n2023-01-16 received letter\n2023-01-18 correction_requested 2023-02-03\n2023-01-20 correction_received",
            date!(2023 - 02 - 22),
        ),
        // §5: fee notice 2022-09-30, paid 2022-10-12: 5 working days excluded (10-08, 10-09 work).
        (
            "2022 收费通知至缴费不计入",
            "today 2022-10-12\n2022-09-26 received online\n2022-09-30 fee_notice_sent 700\n2022-10-12 fee_paid",
            date!(2022 - 11 - 03),
        ),
        // 2020-02-01 (Saturday) is a day off after the extension of the Spring Festival.
        (
            "2020 春节延长",
            "today 2020-01-23\n2020-01-23 received in_person",
            date!(2020 - 02 - 28),
        ),
        // 2019 劳动节 as changed in March 2019: 04-28 and 05-05 (Sundays) work.
        (
            "2019 劳动节调整",
            "today 2019-04-26\n2019-04-26 received in_person",
            date!(2019 - 05 - 27),
        ),
        // 2021: 09-18 (Saturday) and 09-26 (Sunday), 10-09 (Saturday) work.
        (
            "2021 中秋国庆",
            "today 2021-09-17\n2021-09-17 received in_person",
            date!(2021 - 10 - 21),
        ),
    ];
    for (name, script, expected) in cases {
        let report = run(script).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(report.due, Some(expected), "{name}");
    }
    // Art. 26: formed 2026-09-30, published within 20 working days.
    let report = proactive_clock(
        &Calendar::builtin(),
        ClockConfig::default(),
        date!(2026 - 09 - 30),
        None,
        date!(2026 - 09 - 30),
    )
    .expect("2026 known");
    assert_eq!(report.due, date!(2026 - 11 - 03));
}

#[test]
fn impossible_sequences_are_rejected_with_a_reason() {
    check(
        "today 2024-10-08
         2024-09-20 replied disclosed
         2024-09-27 received in_person",
        expect![[r#"
            错误：2024-09-20 的“答复”早于收到申请，不可能发生
        "#]],
    );
    check(
        "today 2024-11-08
         2024-09-27 received in_person
         2024-10-10 extension_approved 10
         2024-10-20 extension_approved 10",
        expect![[r#"
            错误：2024-10-20 再次延期：答复期限只能延长一次（第三十三条第二款），已于 2024-10-10 延长
        "#]],
    );
    check(
        "today 2024-11-08
         2024-09-27 received in_person
         2024-10-10 extension_approved 25",
        expect![[r#"
            错误：2024-10-10 延长 25 个工作日：延长的期限应为 1 至 20 个工作日（第三十三条第二款）
        "#]],
    );
    check(
        "today 2024-11-08
         2024-09-27 received in_person
         2024-10-10 correction_received",
        expect![[r#"
            错误：2024-10-10 收到补正，但此前没有未完成的补正告知（第三十条）
        "#]],
    );
    check(
        "today 2024-11-08
         2024-09-27 received in_person
         2024-11-01 extension_approved 20",
        expect![[r#"
            错误：2024-11-01 延期：答复期限已于 2024-10-30 届满，不能再延长（第三十三条第二款）
        "#]],
    );
    check(
        "today 2024-11-08
         2024-09-27 received in_person
         2024-10-08 correction_requested
         2024-10-09 correction_requested",
        expect![[r#"
            错误：2024-10-09 再次告知补正：补正应当一次性告知（第三十条），已于 2024-10-08 告知
        "#]],
    );
    check(
        "today 2024-11-08
         2024-09-27 received in_person
         2024-10-08 correction_requested 2024-10-20
         2024-10-15 correction_lapsed",
        expect![[r#"
            错误：2024-10-15 的“逾期未补正”：期限至 2024-10-20，尚未届满
        "#]],
    );
    check(
        "today 2024-11-08
         2024-09-27 received in_person
         2024-10-08 consultation_answered third_party 某公司",
        expect![[r#"
            错误：2024-10-08 收到第三方“某公司”的意见，但此前没有向其征求意见
        "#]],
    );
    check(
        "today 2024-10-01
         2024-09-27 received in_person
         2024-10-08 replied disclosed",
        expect![[r#"
            错误：2024-10-08 的“答复”晚于计算日 2024-10-01
        "#]],
    );
    check(
        "today 2024-11-08
         2024-09-27 received in_person
         2024-10-08 replied disclosed
         2024-10-09 fee_notice_sent",
        expect![[r#"
            错误：2024-10-09 的“发出收费通知”在案件办结（2024-10-08）之后
        "#]],
    );
    check(
        "today 2024-11-08
         2024-09-27 received in_person
         2024-10-08 replied still_unclear",
        expect![[r#"
            错误：2024-10-08 答复“补正后申请内容仍不明确”，但申请人没有提交过补正（第三十条）
        "#]],
    );
    check(
        "today 2024-11-08
         2024-09-27 received in_person
         2024-10-08 correction_requested
         2024-10-09 consultation_started third_party 某公司",
        expect![[r#"
            错误：2024-10-09 的“征求意见”：正在等待补正，答复期限尚未重新起算（第三十条）
        "#]],
    );
    check(
        "today 2024-11-08
         2024-09-27 received in_person
         2024-09-27 received online",
        expect![[r#"
            错误：2024-09-27 再次“收到申请”：一件申请只能收到一次（已于 2024-09-27 收到）
        "#]],
    );
}

#[test]
fn a_year_without_data_is_an_error_naming_it() {
    check(
        "today 2026-12-31
         2026-12-15 received in_person",
        expect![[r#"
            错误：缺少 2027 年的节假日安排数据，无法计算工作日（请添加 2027 年的日历文件，或明确选择按周一至周五计算）
        "#]],
    );
    let (events, today, config) = parse_script(
        "today 2026-12-31
         2026-12-15 received in_person",
    );
    let cal = Calendar::builtin().with_fallback(crate::calendar::Fallback::Weekdays);
    let report = application_clock(&cal, config, &events, today).expect("fallback");
    assert_eq!(report.due, Some(date!(2027 - 01 - 12)));
    assert!(
        report
            .render()
            .contains("警告：缺少 2027 年的节假日安排数据"),
        "{}",
        report.render()
    );
}

#[test]
fn art33_due_in_a_provisional_year_skips_its_statutory_new_year_and_says_so() {
    // 条例第三十三条 with Fallback::Statutory: 2027 has no notice, so its 元旦 comes from
    // 《全国年节及纪念日放假办法》 and the report says the year is provisional.
    let (events, today, config) = parse_script(
        "today 2026-12-31
         2026-12-04 received in_person",
    );
    let cal = Calendar::builtin().with_fallback(crate::calendar::Fallback::Statutory);
    let report = application_clock(&cal, config, &events, today).expect("provisional");
    assert_eq!(report.due, Some(date!(2027 - 01 - 04)));
    assert_eq!(report.provisional_years, vec![2027]);
    assert!(report.assumed_years.is_empty());
    let text = report.render();
    assert!(text.contains("元旦（暂定）"), "{text}");
    assert!(
        text.ends_with(
            "2027年的放假安排尚未发布，按《全国年节及纪念日放假办法》规定的法定节假日暂定计算（不含调休），以国务院办公厅通知为准\n"
        ),
        "{text}"
    );
}

#[test]
fn art26_proactive_information_within_20_working_days() {
    let cal = Calendar::builtin();
    let config = ClockConfig::default();
    let report = proactive_clock(
        &cal,
        config,
        date!(2025 - 09 - 26),
        Some(date!(2025 - 11 - 03)),
        date!(2025 - 11 - 10),
    )
    .expect("2025 known");
    expect![[r#"
        2025-09-26 信息形成（变更）
        应于 20 个工作日内公开，自形成（变更）之日次日起算，至 2025-10-30（第二十六条；其间国庆节、中秋节放假 6 个工作日、调休上班 2 天）
        2025-11-03 公开，逾期 2 个工作日"#]]
    .assert_eq(&report.explanation.join("\n"));
    assert!(report.overdue);
    let open = proactive_clock(
        &cal,
        config,
        date!(2025 - 09 - 26),
        None,
        date!(2025 - 10 - 29),
    )
    .expect("2025 known");
    assert_eq!((open.days_left, open.overdue), (Some(1), false));
    assert!(matches!(
        proactive_clock(
            &cal,
            config,
            date!(2025 - 09 - 26),
            Some(date!(2025 - 09 - 01)),
            date!(2025 - 10 - 29)
        ),
        Err(ClockError::PublishedBeforeFormed { .. })
    ));
}

/// Named edge cases in every year 2019–2026, checked against a day-by-day count over
/// spec/domain.md §8.3 that uses neither the data files nor the index.
#[test]
fn art33_edge_cases_in_every_year_against_the_spec_lists() {
    use crate::calendar::tests::{spec_add, spec_between};
    let cal = Calendar::builtin();
    let received = |date| CaseEvent {
        date,
        event: Event::Received {
            channel: Channel::InPerson,
        },
    };
    let due = |events: &[CaseEvent], name: &str| {
        let today = events.last().map(|e| e.date).expect("events");
        application_clock(&cal, ClockConfig::default(), events, today)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .due
            .unwrap_or_else(|| panic!("{name}: no due date"))
    };
    let spring = [
        date!(2019 - 02 - 04),
        date!(2020 - 01 - 24),
        date!(2021 - 02 - 11),
        date!(2022 - 01 - 31),
        date!(2023 - 01 - 23),
        date!(2024 - 02 - 12),
        date!(2025 - 01 - 28),
        date!(2026 - 02 - 16),
    ];
    for (year, first_day_off) in (2019..=2026).zip(spring) {
        // Art. 31/33: received on the first day off of the Spring Festival block.
        let name = format!("{year} 春节假期中收到申请");
        assert_eq!(
            due(&[received(first_day_off)], &name),
            spec_add(first_day_off, 20),
            "{name}"
        );

        // Received on 10-01, a holiday (a Saturday in 2022).
        let oct1 = Date::from_calendar_date(year, time::Month::October, 1).expect("date");
        let name = format!("{year} 国庆节当日收到申请");
        assert_eq!(due(&[received(oct1)], &name), spec_add(oct1, 20), "{name}");

        // Arts. 32, 33 ¶3: a consultation from 09-26 to 10-12 spans the National Day block.
        let sep20 = Date::from_calendar_date(year, time::Month::September, 20).expect("date");
        let start = Date::from_calendar_date(year, time::Month::September, 26).expect("date");
        let end = Date::from_calendar_date(year, time::Month::October, 12).expect("date");
        let party = Party::ThirdParty;
        let events = [
            received(sep20),
            CaseEvent {
                date: start,
                event: Event::ConsultationStarted {
                    party,
                    name: String::new(),
                },
            },
            CaseEvent {
                date: end,
                event: Event::ConsultationAnswered {
                    party,
                    name: String::new(),
                },
            },
        ];
        let used = spec_between(sep20, start);
        let name = format!("{year} 征求意见跨国庆节");
        assert_eq!(due(&events, &name), spec_add(end, 20 - used), "{name}");

        // Art. 33 ¶2: an extension crossing New Year, from 12-02 of the year before.
        if year > 2019 {
            let dec2 = Date::from_calendar_date(year - 1, time::Month::December, 2).expect("date");
            let events = [
                received(dec2),
                CaseEvent {
                    date: shift_days(dec2, 7).expect("date"),
                    event: Event::ExtensionApproved {
                        days: 20,
                        approver: None,
                    },
                },
            ];
            let name = format!("{year} 延期跨元旦");
            let got = due(&events, &name);
            assert_eq!(got, spec_add(dec2, 40), "{name}");
            assert_eq!(got.year(), year, "{name}");
        }
    }
}

fn any_receipt() -> impl Strategy<Value = Date> {
    (date!(2019 - 01 - 01).to_julian_day()..date!(2026 - 06 - 30).to_julian_day())
        .prop_map(|jd| Date::from_julian_day(jd).expect("date"))
}

fn due_of(events: &[CaseEvent], today: Date) -> Date {
    let report = application_clock(&Calendar::builtin(), ClockConfig::default(), events, today)
        .expect("valid case");
    report.due.expect("running clock has a due date")
}

proptest! {
    #[test]
    fn a_pause_never_brings_the_due_date_earlier(
        received in any_receipt(),
        start in 0i64..40,
        length in 0i64..40,
        fee in any::<bool>(),
        extension in proptest::option::of(1u32..=20),
    ) {
        let received_event = CaseEvent { date: received, event: Event::Received { channel: Channel::InPerson } };
        let pause_start = shift_days(received, start).expect("date");
        let pause_end = shift_days(pause_start, length).expect("date");
        let today = shift_days(received, 100).expect("date");
        let (open, close) = if fee {
            (Event::FeeNoticeSent { yuan: None, delivered: None }, Event::FeePaid)
        } else {
            let name = "某公司".to_owned();
            (
                Event::ConsultationStarted { party: Party::ThirdParty, name: name.clone() },
                Event::ConsultationAnswered { party: Party::ThirdParty, name },
            )
        };
        let mut without = vec![received_event.clone()];
        let mut with = vec![
            received_event,
            CaseEvent { date: pause_start, event: open },
            CaseEvent { date: pause_end, event: close },
        ];
        if let Some(days) = extension {
            let ext = CaseEvent { date: received, event: Event::ExtensionApproved { days, approver: None } };
            without.push(ext.clone());
            with.push(ext);
        }
        prop_assert!(due_of(&with, today) >= due_of(&without, today));
    }
}

fn any_event() -> impl Strategy<Value = Event> {
    let party = prop_oneof![Just(Party::ThirdParty), Just(Party::OtherOrgan)];
    let outcome = (0..OUTCOMES_LEN).prop_map(|i| crate::outcome::OUTCOMES[i].outcome);
    let day = (date!(2019 - 01 - 01).to_julian_day()..date!(2026 - 12 - 31).to_julian_day())
        .prop_map(|jd| Date::from_julian_day(jd).expect("date"));
    prop_oneof![
        Just(Event::Received {
            channel: Channel::Post
        }),
        proptest::option::of(day.clone())
            .prop_map(|deadline| Event::CorrectionRequested { deadline }),
        Just(Event::CorrectionReceived),
        Just(Event::CorrectionLapsed),
        (party.clone(), "[甲乙]")
            .prop_map(|(party, name)| Event::ConsultationStarted { party, name }),
        (party, "[甲乙]").prop_map(|(party, name)| Event::ConsultationAnswered { party, name }),
        (0u32..30).prop_map(|days| Event::ExtensionApproved {
            days,
            approver: None
        }),
        proptest::option::of(day).prop_map(|delivered| Event::FeeNoticeSent {
            yuan: None,
            delivered
        }),
        Just(Event::FeePaid),
        Just(Event::FeeLapsed),
        outcome.prop_map(|outcome| Event::Replied { outcome }),
    ]
}

const OUTCOMES_LEN: usize = crate::outcome::OUTCOMES.len();

proptest! {
    #[test]
    fn any_event_sequence_gives_a_report_or_a_reason_never_a_panic(
        received in any_receipt(),
        steps in proptest::collection::vec((0i64..60, any_event()), 0..8),
        included in any::<bool>(),
    ) {
        let mut events = vec![CaseEvent { date: received, event: Event::Received { channel: Channel::Online } }];
        let mut date = received;
        for (gap, event) in steps {
            date = shift_days(date, gap).expect("date");
            events.push(CaseEvent { date, event });
        }
        let today = shift_days(date, 10).expect("date");
        let config = ClockConfig {
            receipt_day: if included { ReceiptDay::Included } else { ReceiptDay::Excluded },
        };
        match application_clock(&Calendar::builtin(), config, &events, today) {
            Ok(report) => {
                prop_assert!(!report.explanation.is_empty());
                if let Some(due) = report.due {
                    prop_assert!(due > received);
                }
            }
            Err(err) => prop_assert!(!err.to_string().is_empty()),
        }
    }
}
