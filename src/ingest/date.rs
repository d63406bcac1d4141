//! Publication dates as news sources write them, turned into UTC instants.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Formats tried after RFC 3339 and RFC 2822, for dates with a time but no zone (taken as UTC).
const NAIVE_DATETIME_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%d-%b-%Y %H:%M:%S%.f",
];

/// Formats for plain calendar dates (midnight UTC).
const DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%d-%b-%Y",
];

/// Parses RFC 3339, RFC 2822, `YYYY-MM-DD` and a few other common spellings.
/// Returns `None` for anything it does not recognise rather than guessing.
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(text) {
        return Some(d.with_timezone(&Utc));
    }
    // ISO 8601's basic form, as NITF and NewsML 1 write it: `20161121T152106-0500`.
    if text.len() >= 13 && text.as_bytes()[8] == b'T' {
        let zoned = text.strip_suffix('Z').map(|t| format!("{t}+0000"));
        let zoned = zoned.as_deref().unwrap_or(text);
        for format in ["%Y%m%dT%H%M%S%z", "%Y%m%dT%H%M%z"] {
            if let Ok(d) = DateTime::parse_from_str(zoned, format) {
                return Some(d.with_timezone(&Utc));
            }
        }
        for format in ["%Y%m%dT%H%M%S", "%Y%m%dT%H%M"] {
            if let Ok(d) = NaiveDateTime::parse_from_str(text, format) {
                return Some(Utc.from_utc_datetime(&d));
            }
        }
    }
    for format in NAIVE_DATETIME_FORMATS {
        if let Ok(d) = NaiveDateTime::parse_from_str(text, format) {
            return Some(Utc.from_utc_datetime(&d));
        }
    }
    for format in DATE_FORMATS {
        if let Ok(d) = NaiveDate::parse_from_str(text, format) {
            return d.and_hms_opt(0, 0, 0).map(|d| Utc.from_utc_datetime(&d));
        }
    }
    None
}

/// Interprets a number as Unix time, in seconds or (when it is that large) milliseconds.
pub fn from_unix(value: i64) -> Option<DateTime<Utc>> {
    if value.abs() >= 100_000_000_000 {
        DateTime::from_timestamp_millis(value)
    } else {
        DateTime::from_timestamp(value, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(text: &str) -> String {
        parse_date(text).map(|d| d.to_rfc3339()).unwrap_or_default()
    }

    #[test]
    fn iso_basic_form_as_wire_formats_write_it() {
        let at = |t: &str| parse_date(t).map(|d| d.to_rfc3339());
        assert_eq!(
            at("20161121T152106-0500").as_deref(),
            Some("2016-11-21T20:21:06+00:00")
        );
        assert_eq!(
            at("19990412T0630").as_deref(),
            Some("1999-04-12T06:30:00+00:00")
        );
        assert_eq!(
            at("20200301T101500Z").as_deref(),
            Some("2020-03-01T10:15:00+00:00")
        );
    }

    #[test]
    fn understands_the_documented_forms() {
        assert_eq!(ymd("2024-07-04"), "2024-07-04T00:00:00+00:00");
        assert_eq!(
            ymd("2024-07-04T10:00:00+02:00"),
            "2024-07-04T08:00:00+00:00"
        );
        assert_eq!(
            ymd("Thu, 04 Jul 2024 10:00:00 GMT"),
            "2024-07-04T10:00:00+00:00"
        );
        assert_eq!(ymd("July 4, 2024"), "2024-07-04T00:00:00+00:00");
        assert_eq!(ymd("06 July 2024"), "2024-07-06T00:00:00+00:00");
    }

    #[test]
    fn rejects_what_it_cannot_read() {
        assert!(parse_date("yesterday").is_none());
        assert!(parse_date("2024-13-45").is_none());
        assert!(parse_date("").is_none());
    }

    #[test]
    fn unix_seconds_and_millis() {
        assert_eq!(
            from_unix(1_720_051_200).map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-07-04T00:00:00+00:00")
        );
        assert_eq!(
            from_unix(1_720_051_200_000)
                .map(|d| d.to_rfc3339())
                .as_deref(),
            Some("2024-07-04T00:00:00+00:00")
        );
    }
}
