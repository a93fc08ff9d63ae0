//! The calendar's holiday notices (`…/calendar`), for administrators of a root organ (the
//! calendar is the deployment's): the built-in years, the entered ones and the provisional
//! rest; entering a year's notice recomputes every open case and lists the due dates that
//! moved. Also the warning from 1 November that next year's notice is still missing.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_core::calendar::{
    BUILTIN_FILES, Calendar, ParseError, YearFile, format_date, parse_date,
};
use gongkai_store::calendar_year::Recomputed;
use gongkai_store::{Permission, StoreError};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use time::Date;

use super::{Desk, staff_of};
use crate::controllers::{WebForm, WebPath};
use crate::site::{PageRequest, format_time};
use crate::validate::{Bound, Bounded};
use crate::{AppState, WebError};

/// The warning shown from 1 November while next year's holiday notice is missing: due dates
/// that reach into it are provisional.
pub(crate) fn calendar_warning(cal: &Calendar, today: Date) -> Option<String> {
    let next = today.year() + 1;
    if u8::from(today.month()) < 11 || cal.file(next).is_some() {
        return None;
    }
    Some(format!(
        "{next} 年的节假日安排尚未录入：跨入 {next} 年的答复期限按法定节假日暂定计算（不含调休），请在国务院办公厅通知发布后及时录入。"
    ))
}

/// The form: the year, the notice's number and date, and its days in the file format.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct CalendarForm {
    #[serde(skip_serializing)]
    csrf: String,
    year: String,
    notice_number: String,
    notice_date: String,
    file_text: String,
}

impl Bounded for CalendarForm {
    const FIELDS: &'static [Bound] = &[
        Bound::line("csrf", "校验码", 128),
        Bound::line("year", "年份", 10),
        Bound::line("notice_number", "通知文号", 100),
        Bound::line("notice_date", "通知日期", 20),
        Bound::lines("file_text", "放假和调休安排", 10_000),
    ];
}

type Problem = (&'static str, String);

/// The first word of a line of a calendar file, comments dropped.
fn keyword(line: &str) -> Option<&str> {
    line.split('#').next()?.split_whitespace().next()
}

/// A parse error's line counted in what was typed, not in the file with the lines put
/// before it.
fn shifted(e: ParseError, by: usize) -> ParseError {
    let back = |line: usize| line.saturating_sub(by);
    match e {
        ParseError::UnknownLine { line, text } => ParseError::UnknownLine {
            line: back(line),
            text,
        },
        ParseError::BadYear { line, text } => ParseError::BadYear {
            line: back(line),
            text,
        },
        ParseError::DuplicateYear { line } => ParseError::DuplicateYear { line: back(line) },
        ParseError::IncompleteRule { line, keyword } => ParseError::IncompleteRule {
            line: back(line),
            keyword,
        },
        ParseError::BadDate { line, text } => ParseError::BadDate {
            line: back(line),
            text,
        },
        ParseError::DateOutsideYear { line, date, year } => ParseError::DateOutsideYear {
            line: back(line),
            date,
            year,
        },
        ParseError::WrongWeekday {
            line,
            date,
            weekday,
            what,
        } => ParseError::WrongWeekday {
            line: back(line),
            date,
            weekday,
            what,
        },
        ParseError::DuplicateDate { line, date } => ParseError::DuplicateDate {
            line: back(line),
            date,
        },
        ParseError::MissingYear => ParseError::MissingYear,
    }
}

/// The calendar file of the form: its `year` (and `notice`) lines put first unless typed.
fn file_of(form: &CalendarForm) -> Result<String, Problem> {
    let year: i32 = form
        .year
        .trim()
        .parse()
        .ok()
        .filter(|y| (2019..=2100).contains(y))
        .ok_or(("year", "请填写年份（2019 至 2100）。".to_owned()))?;
    let body = form.file_text.replace("\r\n", "\n");
    let has = |word: &str| body.lines().any(|l| keyword(l) == Some(word));
    let mut head = Vec::new();
    if !has("year") {
        head.push(format!("year {year}"));
    }
    if !has("notice") && !form.notice_number.trim().is_empty() {
        head.push(format!("notice {}", form.notice_number.trim()));
    }
    let text = head.iter().map(|l| format!("{l}\n")).collect::<String>() + &body;
    let file =
        YearFile::parse(&text).map_err(|e| ("file_text", shifted(e, head.len()).to_string()))?;
    if file.year != year {
        return Err((
            "file_text",
            format!("安排中的 year 为 {}，与所填年份 {year} 不一致。", file.year),
        ));
    }
    if file.rules.is_empty() {
        return Err((
            "file_text",
            "请至少填写一行放假（off）或调休上班（work）安排。".to_owned(),
        ));
    }
    Ok(text)
}

/// Year runs as text: `2027–2100`.
fn runs(years: impl Iterator<Item = i32>) -> String {
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for year in years {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == year => *last = year,
            _ => runs.push((year, year)),
        }
    }
    runs.iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// The worked example shown beside the form (the 2026 notice, as shipped).
const EXAMPLE: &str = "off 元旦 2026-01-01 2026-01-02\n\
off 春节 2026-02-16 2026-02-17 2026-02-18 2026-02-19 2026-02-20 2026-02-23\n\
off 国庆节 2026-10-01 2026-10-02 2026-10-05 2026-10-06 2026-10-07\n\
work 元旦 2026-01-04\n\
work 春节 2026-02-14 2026-02-28\n\
work 国庆节 2026-09-20 2026-10-10";

/// What an entry changed: own organ's cases by number, others counted.
struct Entered {
    year: String,
    own: Vec<Value>,
    others: usize,
}

async fn entered(
    state: &AppState,
    desk: &Desk,
    year: &str,
    changed: &[Recomputed],
) -> Result<Entered, WebError> {
    let day = |d: Option<Date>| d.map_or("—".to_owned(), format_date);
    let mut own = Vec::new();
    let mut others = 0;
    for c in changed {
        // Another organ's case numbers are not this organ's to see: they are only counted.
        match state.store.application(desk.scope, c.application_id).await {
            Ok(_) => own.push(context! {
                number => c.number.clone(),
                path => desk.case_path(c.application_id),
                before => day(c.before),
                after => day(c.after),
            }),
            Err(StoreError::NotFound(_)) => others += 1,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Entered {
        year: year.to_owned(),
        own,
        others,
    })
}

async fn render(
    state: &AppState,
    request: &PageRequest,
    desk: &Desk,
    status: StatusCode,
    form: &CalendarForm,
    error: Option<Problem>,
    done: Option<Entered>,
) -> Result<Response, WebError> {
    let cal = state.calendar().await?;
    let builtin: Vec<Value> = BUILTIN_FILES
        .iter()
        .map(|(year, text)| {
            let notice = YearFile::parse(text)
                .ok()
                .and_then(|f| f.notices.first().cloned())
                .unwrap_or_default();
            context! { year => year, notice => notice }
        })
        .collect();
    let entered: Vec<Value> = state
        .store
        .calendar_years()
        .await?
        .iter()
        .map(|y| {
            context! {
                year => y.year,
                number => y.notice_number.clone(),
                date => y.notice_date.clone(),
                by => y.entered_by.clone(),
                at => format_time(y.entered_at),
            }
        })
        .collect();
    let page = context! {
        organ_id => desk.organ.id,
        organ_name => desk.organ.settings.name.clone(),
        builtin => builtin,
        entered => entered,
        provisional => runs(cal.provisional_years()),
        warning => calendar_warning(&cal, state.today()),
        form => crate::site::ser(form),
        error => error.map(|(field, message)| context! { field => field, message => message }),
        example => EXAMPLE,
        done => done.map(|d| context! { year => d.year, own => d.own, others => d.others }),
    };
    let html = state
        .render(
            request,
            "console/office/calendar.html",
            "节假日安排",
            None,
            page,
        )
        .await?;
    Ok((status, html).into_response())
}

/// The desk of an administrator of a root organ: the calendar serves the whole deployment,
/// so a subordinate organ's administrator may not change it.
async fn open(state: &AppState, request: &PageRequest, raw: &str) -> Result<Desk, WebError> {
    let desk = Desk::open(state, request, raw, Permission::ManageCalendar).await?;
    if desk.organ.parent_id.is_some() {
        return Err(WebError::Forbidden);
    }
    Ok(desk)
}

/// `GET /console/organs/{organ_id}/calendar`.
pub async fn page(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
) -> Result<Response, WebError> {
    let desk = open(&state, &request, &raw).await?;
    let form = CalendarForm {
        year: (state.today().year() + 1).to_string(),
        ..CalendarForm::default()
    };
    render(&state, &request, &desk, StatusCode::OK, &form, None, None).await
}

/// `POST /console/organs/{organ_id}/calendar`: enters a year's notice, reloads the calendar
/// and shows the cases whose due date moved.
pub async fn enter(
    State(state): State<AppState>,
    WebPath(raw): WebPath<String>,
    request: PageRequest,
    WebForm(form): WebForm<CalendarForm>,
) -> Result<Response, WebError> {
    staff_of(&request)?.check_csrf(&state, &form.csrf)?;
    let desk = open(&state, &request, &raw).await?;
    let refused = |problem: Problem| {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        render(&state, &request, &desk, status, &form, Some(problem), None)
    };
    let text = match file_of(&form) {
        Ok(text) => text,
        Err(problem) => return refused(problem).await,
    };
    if parse_date(form.notice_date.trim()).is_none() {
        return refused(("notice_date", "请填写通知日期，格式为 YYYY-MM-DD。".into())).await;
    }
    let result = state
        .store
        .enter_calendar_year(
            &desk.staff.actor(),
            state.now(),
            state.today(),
            state.clock_config,
            &text,
            form.notice_number.trim(),
            form.notice_date.trim(),
        )
        .await;
    let changed = match result {
        Ok(changed) => changed,
        Err(StoreError::Invalid { field, message }) => return refused((field, message)).await,
        Err(e) => return Err(e.into()),
    };
    state.reload_calendar().await?;
    let done = entered(&state, &desk, form.year.trim(), &changed).await?;
    let blank = CalendarForm {
        year: form.year.clone(),
        ..CalendarForm::default()
    };
    render(
        &state,
        &request,
        &desk,
        StatusCode::OK,
        &blank,
        None,
        Some(done),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_warning_starts_on_1_november_while_next_year_has_no_notice() {
        let cal = Calendar::builtin();
        assert_eq!(calendar_warning(&cal, date!(2026 - 10 - 31)), None);
        let warning = calendar_warning(&cal, date!(2026 - 11 - 01)).unwrap();
        assert!(
            warning.starts_with("2027 年的节假日安排尚未录入"),
            "{warning}"
        );
        // 2026 ships with the program.
        assert_eq!(calendar_warning(&cal, date!(2025 - 11 - 01)), None);
    }

    #[test]
    fn typed_lines_keep_their_numbers_in_errors() {
        let form = CalendarForm {
            year: "2027".into(),
            notice_number: "国办发明电〔2026〕1号".into(),
            file_text: "off 元旦 2027-01-01\nwork 元旦 2027-01-04".into(),
            ..CalendarForm::default()
        };
        let (field, message) = file_of(&form).unwrap_err();
        assert_eq!(field, "file_text");
        assert!(message.starts_with("第 2 行："), "{message}");
    }
}
