//! Local time, exactly: calendar days in a zone, and the first instant at which a local wall
//! time is reached, across DST gaps and overlaps. Everything goes through `chrono-tz`; no
//! fixed offsets.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// A calendar day as a number (days since 0001-01-01, chrono's `num_days_from_ce`).
pub(crate) type DayNum = i32;

/// The local calendar day of `at` in `tz`.
pub(crate) fn local_day(tz: Tz, at: DateTime<Utc>) -> DayNum {
    local(tz, at).date().num_days_from_ce()
}

/// The local wall-clock time of `at` in `tz`. Never panics: at the very edges of chrono's
/// range, where the local time is not representable, it is the UTC time (callers reject such
/// times first; see `SUPPORTED_YEARS`).
pub(crate) fn local(tz: Tz, at: DateTime<Utc>) -> NaiveDateTime {
    let utc = at.naive_utc();
    let offset = tz.offset_from_utc_datetime(&utc).fix();
    utc.checked_add_offset(offset).unwrap_or(utc)
}

/// The date of a day number.
pub(crate) fn day_date(day: DayNum) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day)
}

/// `YYYY-MM-DD`, as chrono's `%Y-%m-%d` writes it (without parsing a format string: these
/// labels are written for every reason a timing rule gives).
pub(crate) fn date_text(d: NaiveDate) -> String {
    if (0..=9999).contains(&d.year()) {
        format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
    } else {
        d.format("%Y-%m-%d").to_string()
    }
}

/// `HH:MM`, as chrono's `%H:%M` writes it.
pub(crate) fn hm_text(t: NaiveDateTime) -> String {
    use chrono::Timelike;
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// The weekday as chrono's `%a` writes it (`Mon`, `Tue`, ...).
pub(crate) fn weekday_text(d: NaiveDate) -> &'static str {
    match d.weekday() {
        chrono::Weekday::Mon => "Mon",
        chrono::Weekday::Tue => "Tue",
        chrono::Weekday::Wed => "Wed",
        chrono::Weekday::Thu => "Thu",
        chrono::Weekday::Fri => "Fri",
        chrono::Weekday::Sat => "Sat",
        chrono::Weekday::Sun => "Sun",
    }
}

/// The first instant whose local wall time in `tz` is at or after `wall`.
///
/// - a wall time that exists once maps to that instant;
/// - in a fall-back overlap, the earlier of the two instants;
/// - in a spring-forward gap, the transition instant itself (the first instant after the
///   gap, whose wall time is the end of the gap).
///
/// `None` only outside chrono's representable range.
pub(crate) fn first_instant_at_or_after(tz: Tz, wall: NaiveDateTime) -> Option<DateTime<Utc>> {
    use chrono::LocalResult;
    match tz.from_local_datetime(&wall) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => Some(a.min(b).with_timezone(&Utc)),
        LocalResult::None => {
            // In a gap. The transition lies between `wall` read with the largest plausible
            // offset and with the smallest; binary search for the first instant whose wall
            // time is at or after `wall` (wall time is monotonic across a gap).
            let lo_guess = wall.and_utc() - chrono::Duration::hours(26);
            let hi_guess = wall.and_utc() + chrono::Duration::hours(26);
            let (mut lo, mut hi) = (lo_guess.timestamp(), hi_guess.timestamp());
            // Invariant: wall(lo) < wall, wall(hi) >= wall.
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                let t = DateTime::<Utc>::from_timestamp(mid, 0)?;
                if local(tz, t) >= wall {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            DateTime::<Utc>::from_timestamp(hi, 0)
        }
    }
}

/// The first instant of local calendar day `day` in `tz` (midnight, or the end of a gap
/// that swallows midnight).
pub(crate) fn day_start(tz: Tz, day: DayNum) -> Option<DateTime<Utc>> {
    let date = day_date(day)?;
    first_instant_at_or_after(tz, date.and_time(NaiveTime::MIN))
}

/// The UTC offset of `tz` at `at`, in seconds (for messages and for telling offsets apart;
/// never for wall-time arithmetic).
pub(crate) fn offset_seconds(tz: Tz, at: DateTime<Utc>) -> i32 {
    tz.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
}

/// The first instant in `(from, until]` at which the UTC offset of `tz` is no longer the one
/// in force at `from` (a DST or base-offset transition); `None` when the offset at `until`
/// is the one at `from`.
///
/// Callers keep `until - from` short (a day): the search compares the two ends and
/// bisects, so it would miss two changes that cancel out within the span. In the tz database
/// no two offset changes of a zone are closer than about four days (the closest pair, in
/// `Africa/Freetown` in 1939, is 344 400 s apart), so a one-day span holds at most one.
/// Transitions fall on whole seconds, so the answer does too.
pub(crate) fn next_offset_change(
    tz: Tz,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if until <= from {
        return None;
    }
    let start = offset_seconds(tz, from);
    if offset_seconds(tz, until) == start {
        return None;
    }
    // Invariant: offset(lo) == start, offset(hi) != start. `lo` is `from` floored to the
    // second, which lies in the same span as `from` since spans begin on whole seconds.
    let (mut lo, mut hi) = (from.timestamp(), until.timestamp());
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        let t = DateTime::<Utc>::from_timestamp(mid, 0)?;
        if offset_seconds(tz, t) == start {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    DateTime::<Utc>::from_timestamp(hi, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }
    fn wall(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn spring_forward_gap_maps_to_transition() {
        // New York, 2026-03-08 02:00 EST -> 03:00 EDT at 07:00Z.
        let tz = chrono_tz::America::New_York;
        assert_eq!(
            first_instant_at_or_after(tz, wall("2026-03-08 02:30")),
            Some(utc("2026-03-08T07:00:00Z"))
        );
        assert_eq!(
            first_instant_at_or_after(tz, wall("2026-03-08 03:00")),
            Some(utc("2026-03-08T07:00:00Z"))
        );
        assert_eq!(
            first_instant_at_or_after(tz, wall("2026-03-08 01:59")),
            Some(utc("2026-03-08T06:59:00Z"))
        );
    }

    #[test]
    fn fall_back_overlap_takes_the_earlier_instant() {
        // New York, 2026-11-01 02:00 EDT -> 01:00 EST at 06:00Z; 01:30 happens twice.
        let tz = chrono_tz::America::New_York;
        assert_eq!(
            first_instant_at_or_after(tz, wall("2026-11-01 01:30")),
            Some(utc("2026-11-01T05:30:00Z"))
        );
    }

    #[test]
    fn midnight_in_a_gap() {
        // Santiago springs forward at local midnight: 2026-09-06 00:00 -> 01:00.
        let tz = chrono_tz::America::Santiago;
        let d = NaiveDate::from_ymd_opt(2026, 9, 6)
            .unwrap()
            .num_days_from_ce();
        let start = day_start(tz, d).unwrap();
        assert_eq!(local(tz, start), wall("2026-09-06 01:00"));
        assert_eq!(local_day(tz, start), d);
        assert_eq!(local_day(tz, start - chrono::Duration::seconds(1)), d - 1);
    }

    #[test]
    fn offset_changes_are_found_exactly() {
        let ny = chrono_tz::America::New_York;
        // Spring forward at 07:00Z, fall back at 06:00Z.
        assert_eq!(
            next_offset_change(ny, utc("2026-03-07T12:00:00Z"), utc("2026-03-08T12:00:00Z")),
            Some(utc("2026-03-08T07:00:00Z"))
        );
        assert_eq!(
            next_offset_change(
                ny,
                utc("2026-11-01T05:59:59.5Z"),
                utc("2026-11-02T05:00:00Z")
            ),
            Some(utc("2026-11-01T06:00:00Z"))
        );
        // At the transition itself the new offset is already in force.
        assert_eq!(
            next_offset_change(ny, utc("2026-11-01T06:00:00Z"), utc("2026-11-02T06:00:00Z")),
            None
        );
        assert_eq!(
            next_offset_change(ny, utc("2026-03-09T00:00:00Z"), utc("2026-03-10T00:00:00Z")),
            None
        );
        // Lord Howe moves by 30 minutes.
        let lh = chrono_tz::Australia::Lord_Howe;
        let t = next_offset_change(lh, utc("2026-04-04T00:00:00Z"), utc("2026-04-05T00:00:00Z"))
            .unwrap();
        assert_eq!(
            offset_seconds(lh, t) - offset_seconds(lh, t - chrono::Duration::seconds(1)),
            -1800
        );
    }

    #[test]
    fn labels_match_chrono_formatting() {
        for (y, m, d, h, mi) in [(2026, 3, 8, 2, 5), (1999, 12, 31, 23, 59), (5, 1, 1, 0, 0)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let wall = date.and_hms_opt(h, mi, 7).unwrap();
            assert_eq!(date_text(date), date.format("%Y-%m-%d").to_string());
            assert_eq!(hm_text(wall), wall.format("%H:%M").to_string());
            assert_eq!(weekday_text(date), date.format("%a").to_string());
        }
        let far = NaiveDate::from_ymd_opt(12345, 6, 7).unwrap();
        assert_eq!(date_text(far), far.format("%Y-%m-%d").to_string());
    }

    #[test]
    fn local_day_follows_the_zone() {
        let t = utc("2026-03-02T17:00:00Z");
        assert_eq!(
            local_day(chrono_tz::Asia::Shanghai, t),
            local_day(chrono_tz::America::New_York, t) + 1
        );
    }
}
