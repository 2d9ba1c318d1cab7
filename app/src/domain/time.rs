//! Times for people: stored as UTC milliseconds, shown in Dutch local time (CET/CEST).

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The last Sunday of a month, as days since 1970.
fn last_sunday(year: i64, month: u32) -> i64 {
    let last = days_from_civil(year, month, 31);
    // 1970-01-01 was a Thursday: weekday 0 = Monday.
    let weekday = (last + 3).rem_euclid(7);
    last - (weekday - 6).rem_euclid(7)
}

/// The Dutch offset from UTC in hours: summer time from the last Sunday of March to the last
/// Sunday of October, switching at 01:00 UTC.
fn offset_hours(utc_ms: i64) -> i64 {
    let (year, _, _) = civil_from_days(utc_ms.div_euclid(86_400_000));
    let start = last_sunday(year, 3) * 86_400_000 + 3_600_000;
    let end = last_sunday(year, 10) * 86_400_000 + 3_600_000;
    if (start..end).contains(&utc_ms) {
        2
    } else {
        1
    }
}

/// The Dutch month names, January first.
pub const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// Local (year, month, day, hour, minute) in the Netherlands.
pub fn local_parts(utc_ms: i64) -> (i64, u32, u32, u32, u32) {
    let local = utc_ms + offset_hours(utc_ms) * 3_600_000;
    let (year, month, day) = civil_from_days(local.div_euclid(86_400_000));
    let minutes = local.rem_euclid(86_400_000) / 60_000;
    (
        year,
        month,
        day,
        (minutes / 60) as u32,
        (minutes % 60) as u32,
    )
}

/// "26 november 2026, 19:35"
pub fn format_date_time(utc_ms: i64) -> String {
    let (year, month, day, hour, minute) = local_parts(utc_ms);
    format!(
        "{day} {} {year}, {hour:02}:{minute:02}",
        MONTHS[(month - 1) as usize]
    )
}

/// "26 november 2026"
pub fn format_date(utc_ms: i64) -> String {
    let (year, month, day, _, _) = local_parts(utc_ms);
    format!("{day} {} {year}", MONTHS[(month - 1) as usize])
}

/// The local date as a date field holds it: "2026-11-26".
pub fn input_date(utc_ms: i64) -> String {
    let (year, month, day, _, _) = local_parts(utc_ms);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Reads "JJJJ-MM-DD" as a real calendar date.
pub fn parse_input_date(text: &str) -> Result<(i64, u32, u32), String> {
    let wrong = || format!("'{text}' is geen datum; gebruik de vorm JJJJ-MM-DD");
    let mut parts = text.trim().splitn(3, '-');
    let mut number = || parts.next().and_then(|part| part.parse::<i64>().ok());
    let (Some(year), Some(month), Some(day)) = (number(), number(), number()) else {
        return Err(wrong());
    };
    if !(2000..=2100).contains(&year) || !(1..=12).contains(&month) || day < 1 {
        return Err(wrong());
    }
    let (month, day) = (month as u32, day as u32);
    // A day past the end of the month rolls over into the next: not a real date.
    if civil_from_days(days_from_civil(year, month, day)) != (year, month, day) {
        return Err(wrong());
    }
    Ok((year, month, day))
}

/// The first millisecond of a local day, in UTC.
pub fn start_of_local_day(year: i64, month: u32, day: u32) -> i64 {
    let midnight_utc = days_from_civil(year, month, day) * 86_400_000;
    // The offset at local midnight is the offset some hours earlier in UTC.
    midnight_utc - offset_hours(midnight_utc - 2 * 3_600_000) * 3_600_000
}

/// The last millisecond of a local day, in UTC: a deadline on a date lasts the whole day.
pub fn end_of_local_day(year: i64, month: u32, day: u32) -> i64 {
    let next = civil_from_days(days_from_civil(year, month, day) + 1);
    start_of_local_day(next.0, next.1, next.2) - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winter_and_summer_time() {
        // 2026-11-26 17:43 UTC is 18:43 in winter.
        assert_eq!(
            format_date_time(1_795_714_980_000),
            "26 november 2026, 18:43"
        );
        // 2026-07-01 12:00 UTC is 14:00 in summer.
        assert_eq!(format_date_time(1_782_907_200_000), "1 juli 2026, 14:00");
        // Around the switch on Sunday 29 March 2026 at 01:00 UTC.
        assert_eq!(format_date_time(1_774_745_940_000), "29 maart 2026, 01:59");
        assert_eq!(format_date_time(1_774_746_000_000), "29 maart 2026, 03:00");
        assert_eq!(format_date_time(0), "1 januari 1970, 01:00");
    }

    #[test]
    fn calendar_round_trip() {
        for days in [-1000, 0, 59, 60, 10_957, 20_000, 30_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(last_sunday(2026, 3), days_from_civil(2026, 3, 29));
        assert_eq!(last_sunday(2026, 10), days_from_civil(2026, 10, 25));
    }

    #[test]
    fn dates_of_forms() {
        assert_eq!(parse_input_date("2026-12-31"), Ok((2026, 12, 31)));
        for wrong in [
            "2026-02-30",
            "31-12-2026",
            "2026-13-01",
            "morgen",
            "",
            "2026-1",
        ] {
            assert!(parse_input_date(wrong).is_err(), "{wrong}");
        }
        let start = start_of_local_day(2026, 12, 1);
        assert_eq!(format_date_time(start), "1 december 2026, 00:00");
        let end = end_of_local_day(2026, 6, 30);
        assert_eq!(format_date_time(end), "30 juni 2026, 23:59");
        assert_eq!(format_date_time(end + 1), "1 juli 2026, 00:00");
        assert_eq!(input_date(end), "2026-06-30");
        assert_eq!(format_date(end), "30 juni 2026");
    }
}
