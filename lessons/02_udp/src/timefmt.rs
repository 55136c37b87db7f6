//! 001 「时间服务器」 要用的一个小 `strftime` (按格式写出时间)。
//!
//! std 只知道从 1970 年起过了多少秒, 没有日历, 所以这里自己把天数换成年月日。时区只有 UTC 和
//! 调用者给的固定时差; 真正的程序读时区数据库 (`chrono`、`time` 或 `jiff` 这些 crate), 它们
//! 还知道夏令时。
//!
//! English: a small `strftime` over `SystemTime`, for 001 「时间服务器」.
//!
//! std knows seconds since 1970 but no calendar, so we turn days into a civil
//! date ourselves (the "days from civil" algorithm by Howard Hinnant, valid for
//! the whole proleptic Gregorian calendar). Time zones: UTC, or a fixed offset
//! given by the caller; real programs read the zone database (the `chrono` or
//! `time` crates, or `jiff`), which also knows daylight saving time.

use std::time::{SystemTime, UNIX_EPOCH};

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// 拆开的时间: 年月日、时分秒、星期几和一年中的第几天。A broken-down time.
#[derive(Debug, PartialEq)]
pub struct Civil {
    /// 年 (公历, 可以是负数)。
    pub year: i64,
    /// 月, 1 到 12。
    pub month: u32,
    /// 日, 1 到 31。
    pub day: u32,
    /// 时, 0 到 23。
    pub hour: u32,
    /// 分, 0 到 59。
    pub minute: u32,
    /// 秒, 0 到 59。
    pub second: u32,
    /// 星期几, 0 是星期一 (Monday)。
    pub weekday: usize,
    /// 一年中的第几天, 1 到 366。
    pub yday: u32,
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// Days since 1970-01-01 → (year, month, day).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March = 0
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// 从 1970 年起的秒数 (UTC) 加上时差 (秒) → 拆开的时间。
/// Seconds since 1970 (UTC) plus an offset in seconds → a civil time.
pub fn civil(unix_secs: i64, offset_secs: i64) -> Civil {
    let t = unix_secs + offset_secs;
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400) as u32;
    let (year, month, day) = civil_from_days(days);
    const BEFORE: [u32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let leap_day = u32::from(month > 2 && is_leap(year));
    Civil {
        year,
        month,
        day,
        hour: secs / 3600,
        minute: secs / 60 % 60,
        second: secs % 60,
        weekday: (days + 3).rem_euclid(7) as usize, // 1970-01-01 was a Thursday
        yday: BEFORE[month as usize - 1] + day + leap_day,
    }
}

/// 按格式 `fmt` 写出时间 `unix_secs` (加上时差 `offset_secs`), 认识 `%Y %m %d %H %M %S %X %x %y %j
/// %a %A %b %B %p %%`; 别的指令原样保留, 和结尾单独的 `%` 一样。
///
/// Formats `unix_secs` (+ `offset_secs`) with the directives 001's server can be
/// asked for: `%Y %m %d %H %M %S %X %x %y %j %a %A %b %B %p %%`. Any other
/// directive is kept as written, like a `%` at the very end.
pub fn strftime(fmt: &str, unix_secs: i64, offset_secs: i64) -> String {
    let c = civil(unix_secs, offset_secs);
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(ch) = chars.next() {
        if ch != '%' {
            out.push(ch);
            continue;
        }
        let Some(d) = chars.next() else {
            out.push('%');
            break;
        };
        let piece = match d {
            'Y' => c.year.to_string(),
            'm' => format!("{:02}", c.month),
            'd' => format!("{:02}", c.day),
            'H' => format!("{:02}", c.hour),
            'M' => format!("{:02}", c.minute),
            'S' => format!("{:02}", c.second),
            'X' => format!("{:02}:{:02}:{:02}", c.hour, c.minute, c.second),
            'x' => format!("{:02}/{:02}/{:02}", c.month, c.day, c.year.rem_euclid(100)),
            'y' => format!("{:02}", c.year.rem_euclid(100)),
            'j' => format!("{:03}", c.yday),
            'a' => WEEKDAYS[c.weekday][..3].to_string(),
            'A' => WEEKDAYS[c.weekday].to_string(),
            'b' => MONTHS[c.month as usize - 1][..3].to_string(),
            'B' => MONTHS[c.month as usize - 1].to_string(),
            'p' => if c.hour < 12 { "AM" } else { "PM" }.to_string(),
            '%' => "%".to_string(),
            other => format!("%{other}"),
        };
        out.push_str(&piece);
    }
    out
}

/// 现在离 1970 年过了多少秒。Seconds since 1970, now.
pub fn now_unix() -> i64 {
    unix_secs(SystemTime::now())
}

/// `t` 离 1970 年的秒数; 1970 年以前的时间 (时钟设错了) 是负数。
/// Seconds since 1970 of `t`; a time before 1970 (a clock set wrong) counts backwards.
pub fn unix_secs(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

/// 读一个时差: `+08:00`、`-05:30`、`+8`、`0`, 返回秒数; 格式不对时是 `None`。
/// Parses a UTC offset: `+08:00`, `-05:30`, `+8`, `0`. Returns seconds.
/// Hours and minutes are one or two digits each, so `+-5` or `8:+3` are refused.
pub fn parse_offset(text: &str) -> Option<i64> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'-' => (-1, &text[1..]),
        b'+' => (1, &text[1..]),
        _ => (1, text),
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let digits = |t: &str| (1..=2).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 23 && m <= 59).then_some(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = "%Y-%m-%d %X|%x|%y|%j|%a %A|%b %B|%p|%%";

    #[test]
    fn the_epoch() {
        assert_eq!(
            strftime(FULL, 0, 0),
            "1970-01-01 00:00:00|01/01/70|70|001|Thu Thursday|Jan January|AM|%"
        );
    }

    #[test]
    fn leap_day_2000() {
        // 2000-02-29 12:34:56 UTC, a Tuesday: 2000 is a leap year (divisible by 400).
        assert_eq!(
            strftime(FULL, 951_827_696, 0),
            "2000-02-29 12:34:56|02/29/00|00|060|Tue Tuesday|Feb February|PM|%"
        );
    }

    #[test]
    fn last_second_of_2024() {
        assert_eq!(
            strftime(FULL, 1_735_689_599, 0),
            "2024-12-31 23:59:59|12/31/24|24|366|Tue Tuesday|Dec December|PM|%"
        );
    }

    #[test]
    fn after_2038() {
        // 2040-01-01 00:00:00 UTC does not fit a signed 32-bit time_t.
        assert_eq!(
            strftime("%Y-%m-%d %X %A", 2_208_988_800, 0),
            "2040-01-01 00:00:00 Sunday"
        );
    }

    #[test]
    fn an_offset_moves_the_date() {
        // 2024-12-31 23:59:59 UTC is already 2025 in Beijing (+08:00).
        assert_eq!(
            strftime("%Y-%m-%d %H", 1_735_689_599, 8 * 3600),
            "2025-01-01 07"
        );
        assert_eq!(parse_offset("+08:00"), Some(28_800));
        assert_eq!(parse_offset("-05:30"), Some(-19_800));
        assert_eq!(parse_offset("8"), Some(28_800));
        assert_eq!(parse_offset("+25:00"), None);
        assert_eq!(parse_offset("abc"), None);
    }

    #[test]
    fn unknown_directives_are_kept_as_written() {
        assert_eq!(strftime("%Q %Y %", 0, 0), "%Q 1970 %");
        assert_eq!(strftime("时间: %H点", 0, 0), "时间: 00点");
    }

    /// 1900 and 2100 are not leap years (divisible by 100, not by 400), 1600 and
    /// 2000 are; 2023 is a common year. Expected strings from Python's
    /// `time.strftime(fmt, time.gmtime(t))`.
    #[test]
    fn march_of_common_years_and_the_century_rules() {
        let cases = [
            (
                -2_203_891_201,
                "1900-02-28 23:59:59|02/28/00|00|059|Wed Wednesday|Feb February|PM|%",
            ),
            (
                -2_203_891_200,
                "1900-03-01 00:00:00|03/01/00|00|060|Thu Thursday|Mar March|AM|%",
            ),
            (
                1_677_672_000,
                "2023-03-01 12:00:00|03/01/23|23|060|Wed Wednesday|Mar March|PM|%",
            ),
            (
                4_107_478_028,
                "2100-02-28 06:07:08|02/28/00|00|059|Sun Sunday|Feb February|AM|%",
            ),
            (
                4_107_590_055,
                "2100-03-01 13:14:15|03/01/00|00|060|Mon Monday|Mar March|PM|%",
            ),
            (
                -11_670_912_000,
                "1600-03-01 00:00:00|03/01/00|00|061|Wed Wednesday|Mar March|AM|%",
            ),
            (
                951_868_800,
                "2000-03-01 00:00:00|03/01/00|00|061|Wed Wednesday|Mar March|AM|%",
            ),
            (
                -2_208_992_400,
                "1899-12-31 23:00:00|12/31/99|99|365|Sun Sunday|Dec December|PM|%",
            ),
        ];
        for (t, want) in cases {
            assert_eq!(strftime(FULL, t, 0), want, "t = {t}");
        }
    }

    /// Every day from 1600-01-01 to 2400-12-31 against a plain day-by-day
    /// calendar that shares no arithmetic with `civil_from_days`.
    #[test]
    fn every_day_of_eight_centuries_matches_a_day_by_day_count() {
        let leap = |y: i64| y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
        let days_in = |y: i64, m: u32| match m {
            2 if leap(y) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        // 1600-01-01 is 135_140 days before 1970-01-01, and was a Saturday.
        let (mut y, mut m, mut d, mut yday, mut weekday) = (1600_i64, 1_u32, 1_u32, 1_u32, 5);
        for days in -135_140_i64..157_420 {
            let c = civil(days * 86_400 + 43_200, 0);
            assert_eq!(
                (c.year, c.month, c.day, c.yday, c.weekday),
                (y, m, d, yday, weekday),
                "day {days}"
            );
            weekday = (weekday + 1) % 7;
            yday += 1;
            d += 1;
            if d > days_in(y, m) {
                d = 1;
                m += 1;
                if m > 12 {
                    (m, y, yday) = (1, y + 1, 1);
                }
            }
        }
        assert_eq!((y, m, d), (2401, 1, 1), "the walk covered the whole range");
    }

    #[test]
    fn a_negative_offset_moves_the_date_back() {
        // 2024-01-01 03:00:00 UTC is still 2023 in New York (-05:00) and at -05:30.
        assert_eq!(
            strftime("%Y-%m-%d %H:%M", 1_704_078_000, -5 * 3600),
            "2023-12-31 22:00"
        );
        assert_eq!(
            strftime("%Y-%m-%d %H:%M", 1_704_078_000, -19_800),
            "2023-12-31 21:30"
        );
        assert_eq!(parse_offset("+05:30"), Some(19_800));
        assert_eq!(parse_offset("-8"), Some(-28_800));
        assert_eq!(parse_offset("+0"), Some(0));
        assert_eq!(parse_offset("+-5"), None, "two signs");
        assert_eq!(parse_offset("-+5"), None, "two signs");
        assert_eq!(parse_offset("8:+3"), None, "a sign inside");
        assert_eq!(parse_offset("+"), None);
        assert_eq!(parse_offset("+08:"), None);
        assert_eq!(parse_offset("+123"), None);
    }

    #[test]
    fn a_clock_before_1970_counts_backwards() {
        use std::time::Duration;
        assert_eq!(unix_secs(UNIX_EPOCH - Duration::from_secs(86_400)), -86_400);
        assert_eq!(unix_secs(UNIX_EPOCH + Duration::from_secs(5)), 5);
        let now = now_unix();
        assert!(now > 1_700_000_000, "now is after 2023: {now}");
    }

    #[test]
    fn before_1970() {
        assert_eq!(strftime("%Y-%m-%d %X", -1, 0), "1969-12-31 23:59:59");
    }
}
