//! Which catalogue entries are overdue: their 公开时限 has passed and no published information
//! item points at them. A pure function of the entries, the latest publication date of the
//! items that fulfil each, the calendar and today — the caller gathers the publication dates
//! (the items of `store::item`, published, with their `catalogue_entry_id`).
//!
//! The rule for each kind of 公开时限 ([`TimeLimit`]):
//! - a number of working or calendar days, 及时, 实时 or 长期: information the catalogue lists
//!   exists by the day the entry was listed, so the period runs from that day (实时 and 长期
//!   get art. 26's 20 working days); an entry is overdue when the period has ended and nothing
//!   was ever published for it. Whether each later item kept its own time is the item's art. 26
//!   clock (`gongkai_core::clock::proactive_clock`), not the catalogue's;
//! - every year by a date: overdue when the last such date (after the entry was listed) has
//!   passed and nothing was published for it in the year up to that date or since;
//! - a text that is no rule is never overdue: the console flags it as unparsed instead.

use gongkai_core::calendar::{Calendar, CalendarError, format_date};
use time::{Date, Duration, Month};

use super::time_limit::{ARTICLE_26_DAYS, TimeLimit};
use super::{CatalogueEntry, EntryId};

/// An entry whose 公开时限 has passed without a published item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overdue {
    /// The entry.
    pub entry: EntryId,
    /// The last day it should have been published by.
    pub due: Date,
    /// Why, in Chinese.
    pub explanation: String,
}

/// The Beijing date (UTC+8) of a Unix time.
pub fn beijing_date(unix: i64) -> Date {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::from_unix_timestamp(unix)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset)
        .date()
}

/// The entries of `entries` that are overdue on `today`. `latest` holds, for each entry that
/// published items fulfil, the date of the latest publication (other pairs are ignored).
pub fn overdue(
    entries: &[CatalogueEntry],
    latest: &[(EntryId, Date)],
    calendar: &Calendar,
    today: Date,
) -> Result<Vec<Overdue>, CalendarError> {
    let mut out = Vec::new();
    for entry in entries {
        let Some(rule) = entry.input.rule() else {
            continue;
        };
        let published = latest
            .iter()
            .filter(|(id, _)| *id == entry.id)
            .map(|(_, d)| *d)
            .max();
        let listed = beijing_date(entry.created_at);
        if let Some(found) = judge(&rule, listed, published, calendar, today)? {
            out.push(Overdue {
                entry: entry.id,
                due: found.0,
                explanation: found.1,
            });
        }
    }
    Ok(out)
}

/// The due date and explanation if the entry is overdue.
fn judge(
    rule: &TimeLimit,
    listed: Date,
    published: Option<Date>,
    calendar: &Calendar,
    today: Date,
) -> Result<Option<(Date, String)>, CalendarError> {
    let since = |due: Date| {
        format!(
            "本事项于 {} 编入目录，公开时限为“{rule}”，至 {} 仍未见对应的公开信息",
            format_date(listed),
            format_date(due)
        )
    };
    let due = match rule {
        TimeLimit::WorkingDays { days, .. } => calendar.add(listed, *days)?.value,
        TimeLimit::Timely | TimeLimit::Continuous => calendar.add(listed, ARTICLE_26_DAYS)?.value,
        TimeLimit::CalendarDays { days, .. } => listed + Duration::days(i64::from(*days)),
        TimeLimit::Annually { month, day } => {
            let Some(due) = last_yearly_date(*month, *day, today) else {
                return Ok(None);
            };
            if due < listed {
                return Ok(None);
            }
            let Some(year_before) = yearly_date(due.year() - 1, *month, *day) else {
                return Ok(None);
            };
            if published.is_some_and(|p| p > year_before) {
                return Ok(None);
            }
            return Ok(Some((
                due,
                format!(
                    "公开时限为“{rule}”，{} 前一年内及其后未见对应的公开信息",
                    format_date(due)
                ),
            )));
        }
    };
    if published.is_some() || today <= due {
        return Ok(None);
    }
    Ok(Some((due, since(due))))
}

/// The date of a yearly rule in `year` (a day past the month's end, such as 2月30日, is the
/// month's last day).
fn yearly_date(year: i32, month: u8, day: Option<u8>) -> Option<Date> {
    let month = Month::try_from(month).ok()?;
    let last = month.length(year);
    Date::from_calendar_date(year, month, day.map_or(last, |d| d.min(last))).ok()
}

/// The latest date of a yearly rule that is before `today`.
fn last_yearly_date(month: u8, day: Option<u8>, today: Date) -> Option<Date> {
    let this_year = yearly_date(today.year(), month, day)?;
    if this_year < today {
        Some(this_year)
    } else {
        yearly_date(today.year() - 1, month, day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{EntryInput, Mode};
    use gongkai_core::calendar::parse_date;

    fn d(text: &str) -> Date {
        parse_date(text).unwrap()
    }

    /// Midnight of a Beijing date, as Unix seconds.
    fn at(text: &str) -> i64 {
        d(text).midnight().assume_utc().unix_timestamp() - 8 * 3600
    }

    fn entry(id: EntryId, time_limit: &str, listed: &str) -> CatalogueEntry {
        CatalogueEntry {
            id,
            organ_id: 1,
            sort_order: id,
            input: EntryInput {
                category: "机构信息".into(),
                name: "机构职能".into(),
                content: "机构职能、内设机构".into(),
                basis: "《中华人民共和国政府信息公开条例》".into(),
                subject: "本机关".into(),
                time_limit: time_limit.into(),
                channels: "政府网站".into(),
                mode: Mode::Proactive,
                audience: String::new(),
                pilot_area: None,
            },
            created_at: at(listed),
            updated_at: at(listed),
        }
    }

    fn ids(found: &[Overdue]) -> Vec<EntryId> {
        found.iter().map(|o| o.entry).collect()
    }

    #[test]
    fn art26_entry_without_publication_is_overdue_after_20_working_days() {
        // Listed Monday 2024-09-23; 20 working days skip 国庆节 (10-01..07) and count the
        // 调休 Sunday 09-29 and Saturday 10-12: due 2024-10-24.
        let cal = Calendar::builtin();
        let entries = [entry(1, "信息形成或变更之日起20个工作日内", "2024-09-23")];
        let found = overdue(&entries, &[], &cal, d("2024-10-24")).unwrap();
        assert!(found.is_empty(), "the due day itself is still in time");
        let found = overdue(&entries, &[], &cal, d("2024-10-25")).unwrap();
        assert_eq!(ids(&found), [1]);
        assert_eq!(found[0].due, d("2024-10-24"));
        assert!(found[0].explanation.contains("第二十六条"));
        // Any published item fulfilling it clears the flag.
        let found = overdue(&entries, &[(1, d("2024-11-01"))], &cal, d("2024-12-01")).unwrap();
        assert!(found.is_empty());
        // A publication of another entry does not.
        let found = overdue(&entries, &[(2, d("2024-11-01"))], &cal, d("2024-12-01")).unwrap();
        assert_eq!(ids(&found), [1]);
    }

    #[test]
    fn yearly_entry_is_overdue_when_the_last_date_passed_without_publication_that_year() {
        let cal = Calendar::builtin();
        let entries = [entry(7, "每年3月31日前", "2023-06-01")];
        // Before the first date after listing: nothing due yet.
        assert!(
            overdue(&entries, &[], &cal, d("2024-03-31"))
                .unwrap()
                .is_empty()
        );
        let found = overdue(&entries, &[], &cal, d("2024-04-01")).unwrap();
        assert_eq!(ids(&found), [7]);
        assert_eq!(found[0].due, d("2024-03-31"));
        // Published within the year before the date: in time.
        let latest = [(7, d("2024-03-20"))];
        assert!(
            overdue(&entries, &latest, &cal, d("2024-04-01"))
                .unwrap()
                .is_empty()
        );
        // Published late, after the date: no longer missing.
        let latest = [(7, d("2024-04-10"))];
        assert!(
            overdue(&entries, &latest, &cal, d("2024-05-01"))
                .unwrap()
                .is_empty()
        );
        // Last year's publication does not cover this year.
        let latest = [(7, d("2024-03-20"))];
        let found = overdue(&entries, &latest, &cal, d("2025-04-01")).unwrap();
        assert_eq!(found[0].due, d("2025-03-31"));
    }

    #[test]
    fn month_end_rules_use_the_last_day_of_the_month() {
        let cal = Calendar::builtin();
        let entries = [entry(3, "每年2月底前", "2023-01-01")];
        let found = overdue(&entries, &[], &cal, d("2024-03-01")).unwrap();
        assert_eq!(found[0].due, d("2024-02-29"));
    }

    #[test]
    fn calendar_day_and_continuous_rules() {
        let cal = Calendar::builtin();
        let entries = [
            entry(1, "收到申请之日起15日内", "2024-03-01"),
            entry(2, "实时", "2024-03-01"),
        ];
        let found = overdue(&entries, &[], &cal, d("2024-03-17")).unwrap();
        assert_eq!(ids(&found), [1]);
        assert_eq!(found[0].due, d("2024-03-16"));
        // 实时: art. 26's 20 working days from listing (2024-03-29), then overdue.
        let found = overdue(&entries, &[], &cal, d("2024-03-30")).unwrap();
        assert_eq!(ids(&found), [1, 2]);
    }

    #[test]
    fn unparsed_time_limits_are_never_overdue() {
        let cal = Calendar::builtin();
        let entries = [entry(9, "按上级要求", "2020-01-01")];
        assert!(
            overdue(&entries, &[], &cal, d("2024-01-01"))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_year_without_calendar_data_is_an_error_naming_it() {
        let cal = Calendar::builtin();
        let entries = [entry(1, "20个工作日内", "2099-12-01")];
        assert!(matches!(
            overdue(&entries, &[], &cal, d("2100-01-01")),
            Err(CalendarError::MissingYear(_))
        ));
    }
}
