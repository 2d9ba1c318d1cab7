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

const MONTHS: [&str; 12] = [
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
}
