//! Vietnam time, the one clock every page, export and command shows. The server may run in
//! any zone (containers run in UTC): a time shown as the server's local time would be seven
//! hours off for a ward officer, and a "today" taken from it would be yesterday until 7 a.m.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Vietnam's offset from UTC: +7 hours, all year (no daylight saving).
pub fn vietnam_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("+7 h is a valid offset")
}

/// A stored (UTC) time in Vietnam time.
pub fn in_vietnam(time: DateTime<Utc>) -> DateTime<FixedOffset> {
    time.with_timezone(&vietnam_offset())
}

/// A stored time as pages show it: "05/01/2027 14:30 (giờ VN)", labelled so nobody wonders
/// which zone it is in.
pub fn vietnam_time(time: DateTime<Utc>) -> String {
    format!("{} (giờ VN)", in_vietnam(time).format("%d/%m/%Y %H:%M"))
}

/// A date as pages show it: "05/01/2027".
pub fn vietnam_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Today's date in Vietnam.
pub fn vietnam_today() -> NaiveDate {
    in_vietnam(Utc::now()).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_late_utc_evening_is_the_next_morning_in_vietnam() {
        let utc = Utc.with_ymd_and_hms(2027, 2, 5, 18, 30, 0).unwrap();
        assert_eq!(vietnam_time(utc), "06/02/2027 01:30 (giờ VN)");
        assert_eq!(
            in_vietnam(utc).date_naive(),
            NaiveDate::from_ymd_opt(2027, 2, 6).unwrap()
        );
    }
}
