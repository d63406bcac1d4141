//! Publication dates as news sources write them, turned into UTC instants.

use crate::article::Article;
use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc,
};

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

/// Parses a date as news sources write it: RFC 3339, RFC 2822, ISO 8601 with or
/// without a zone (`+0000`, `+01`, `Z`, `UTC`, `EST`), `YYYY-MM-DD`, `DD.MM.YYYY`,
/// `D/M/YYYY` when the day is over 12 (and `M/D/YYYY` when that one is), and
/// written-out dates in English, French, German, Spanish, Italian, Portuguese,
/// Dutch and the Scandinavian languages (`Monday, March 4th, 2024 10:00 AM`,
/// `4. März 2024`, `3 de marzo de 2024`, `Tue Mar 04 10:00:00 +0000 2024`).
/// Returns `None` for anything it cannot read without guessing (`4/3/2024`) and
/// for text that holds more than a date (`Washington, March 4, 2024`).
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
    // Chrono reads `%Y` from any number of digits: `March 1916` would be the
    // 19th of March in the year 16. A year is taken as written in four digits.
    let whole_year = |year: i32| text.contains(&format!("{year:04}"));
    for format in NAIVE_DATETIME_FORMATS {
        if let Ok(d) = NaiveDateTime::parse_from_str(text, format)
            && whole_year(d.year())
        {
            return Some(Utc.from_utc_datetime(&d));
        }
    }
    for format in DATE_FORMATS {
        if let Ok(d) = NaiveDate::parse_from_str(text, format)
            && whole_year(d.year())
        {
            return d.and_hms_opt(0, 0, 0).map(|d| Utc.from_utc_datetime(&d));
        }
    }
    numeric(text).or_else(|| written(text, false))
}

/// A date given as a metadata field's value ([`parse_date`]), where a value may
/// also be a year (`2024`, read as its first day), a month (`2024-03`, `March
/// 2024`, its first day) or Unix time as digits (`1710000000`).
pub fn parse_date_field(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Some(date) = parse_date(text) {
        return Some(date);
    }
    if [9, 10, 12, 13].contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok().and_then(from_unix);
    }
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|d| Utc.from_utc_datetime(&d));
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::from_ymd_opt(text.parse().ok()?, 1, 1).and_then(midnight);
    }
    if let Ok(d) = NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d") {
        return midnight(d);
    }
    if let Some(d) = iso_week(text) {
        return midnight(d);
    }
    written(text, true)
}

/// An ISO 8601 week date, `2024-W10` (its Monday) or `2024-W10-3` (its third
/// day), as the weekly timeline labels its periods.
fn iso_week(text: &str) -> Option<NaiveDate> {
    let (year, rest) = text.split_once('-')?;
    let rest = rest.strip_prefix(['W', 'w'])?;
    let (week, day) = match rest.split_once('-') {
        Some((week, day)) => (week, day.parse::<u32>().ok()?),
        None => (rest, 1),
    };
    if year.len() != 4 || week.len() != 2 || !(1..=7).contains(&day) {
        return None;
    }
    let weekday = chrono::Weekday::try_from(u8::try_from(day - 1).ok()?).ok()?;
    NaiveDate::from_isoywd_opt(year.parse().ok()?, week.parse().ok()?, weekday)
}

/// Reads a metadata field's date into `article` ([`parse_date_field`]); text that
/// cannot be read is kept for the warning.
pub fn set_date(article: &mut Article, text: &str) {
    match parse_date_field(text) {
        Some(date) => article.date = Some(date),
        None if !text.trim().is_empty() => article.unread_date = Some(text.trim().to_string()),
        None => {}
    }
}

/// `YYYY-MM-DD` or `DD.MM.YYYY` and a time and zone of any common spelling
/// after it; `D/M/YYYY` or `M/D/YYYY` when only one reading is a date.
fn numeric(text: &str) -> Option<DateTime<Utc>> {
    let dated = ["%Y-%m-%d", "%d.%m.%Y", "%Y.%m.%d"]
        .iter()
        .find_map(|format| NaiveDate::parse_and_remainder(text, format).ok())
        .or_else(|| unambiguous_day_and_month(text));
    let (date, rest) = dated.filter(|(d, _)| text.contains(&format!("{:04}", d.year())))?;
    let rest = rest.strip_prefix(['T', ' ']).unwrap_or(rest).trim_start();
    let (time, zone) = ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .find_map(|format| NaiveTime::parse_and_remainder(rest, format).ok())
        .unwrap_or((NaiveTime::MIN, rest));
    if zone.trim().is_empty() {
        return Some(Utc.from_utc_datetime(&date.and_time(time)));
    }
    zone_offset(zone.trim())?
        .from_local_datetime(&date.and_time(time))
        .single()
        .map(|d| d.with_timezone(&Utc))
}

/// `D/M/YYYY` (or with `-`) read as a day over 12 allows, or `M/D/YYYY` likewise;
/// with the rest of the text after it.
fn unambiguous_day_and_month(text: &str) -> Option<(NaiveDate, &str)> {
    let end = text.find([' ', 'T']).unwrap_or(text.len());
    let parts: Vec<&str> = text[..end].split(['/', '-']).collect();
    let [a, b, year] = parts[..] else {
        return None;
    };
    if year.len() != 4 || a.len() > 2 || b.len() > 2 {
        return None;
    }
    let (a, b, year): (u32, u32, i32) = (a.parse().ok()?, b.parse().ok()?, year.parse().ok()?);
    let date = match (a > 12, b > 12) {
        (true, false) => NaiveDate::from_ymd_opt(year, b, a),
        (false, true) => NaiveDate::from_ymd_opt(year, a, b),
        _ => None,
    }?;
    Some((date, &text[end..]))
}

/// A zone as written after a time: `Z`, `UTC`, `GMT`, `+0000`, `+00:00`, `+01`,
/// or an abbreviation that names one offset (`EST`, `CEST`, `JST`).
fn zone_offset(zone: &str) -> Option<FixedOffset> {
    let zone = zone.trim_matches(|c| c == '(' || c == ')');
    let hours = |h: i32| FixedOffset::east_opt(h * 3600);
    if let Some(&(_, h)) = ZONES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(zone))
    {
        return hours(h);
    }
    let (sign, digits) = match zone.as_bytes().first()? {
        b'+' => (1, &zone[1..]),
        b'-' => (-1, &zone[1..]),
        _ => return None,
    };
    let digits = digits.replace(':', "");
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i32, i32) = match digits.len() {
        2 => (digits.parse().ok()?, 0),
        4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        _ => return None,
    };
    if m >= 60 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// Zone abbreviations that stand for one offset (in hours) wherever news is
/// written, and the North American ones as RFC 2822 reads them (`CST` is
/// Central, not China); `IST` (India, Ireland, Israel) and the like are left
/// unread.
const ZONES: &[(&str, i32)] = &[
    ("Z", 0),
    ("UT", 0),
    ("UTC", 0),
    ("GMT", 0),
    ("WET", 0),
    ("WEST", 1),
    ("BST", 1),
    ("CET", 1),
    ("CEST", 2),
    ("MEZ", 1),
    ("MESZ", 2),
    ("EET", 2),
    ("EEST", 3),
    ("MSK", 3),
    ("HKT", 8),
    ("SGT", 8),
    ("JST", 9),
    ("KST", 9),
    ("AEST", 10),
    ("AEDT", 11),
    ("EST", -5),
    ("EDT", -4),
    ("CST", -6),
    ("CDT", -5),
    ("MST", -7),
    ("MDT", -6),
    ("PST", -8),
    ("PDT", -7),
];

/// A date written out with its month's name, in any order and any of the
/// languages of [`MONTHS`]: every word must be part of the date (a weekday, a
/// day, the month, a year, a time, a zone, or a joining word such as `de`).
/// `month_only` allows a month and year without a day (its first day).
fn written(text: &str, month_only: bool) -> Option<DateTime<Utc>> {
    let (mut year, mut month, mut day) = (None, None, None);
    let (mut time, mut zone, mut meridiem) = (None, None, None);
    let lowered = text.to_lowercase();
    for word in lowered
        .split([' ', ',', '\t'])
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| !w.is_empty())
    {
        if word.bytes().all(|b| b.is_ascii_digit()) {
            match word.len() {
                4 => once(&mut year, word.parse::<i32>().ok()?)?,
                1 | 2 => once(&mut day, word.parse::<u32>().ok()?)?,
                _ => return None,
            }
        } else if let Some(n) = ordinal(word) {
            once(&mut day, n)?;
        } else if let Some(m) = month_number(word) {
            once(&mut month, m)?;
        } else if let Some((t, pm)) = clock(word) {
            once(&mut time, t)?;
            if let Some(pm) = pm {
                once(&mut meridiem, pm)?;
            }
        } else if let Some(pm) = am_pm(word) {
            once(&mut meridiem, pm)?;
        } else if let Some(offset) = zone_offset(word) {
            once(&mut zone, offset)?;
        } else if !FILLERS.contains(&word) && !is_weekday(word) {
            return None;
        }
    }
    let day = match (day, month_only) {
        (Some(day), _) => day,
        (None, true) if time.is_none() => 1,
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(year?, month?, day)?;
    let time = match (time, meridiem) {
        (Some(time), Some(pm)) if (1..=12).contains(&time.hour()) => {
            time.with_hour(time.hour() % 12 + if pm { 12 } else { 0 })?
        }
        (Some(_), Some(_)) => return None,
        (Some(time), None) => time,
        // German `am 4. März` is a joining word, not a time of day.
        (None, Some(false) | None) => NaiveTime::MIN,
        (None, Some(true)) => return None,
    };
    let local = date.and_time(time);
    match zone {
        Some(offset) => offset
            .from_local_datetime(&local)
            .single()
            .map(|d| d.with_timezone(&Utc)),
        None => Some(Utc.from_utc_datetime(&local)),
    }
}

/// Fills `slot`, which must be empty: a date names each of its parts once.
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    slot.replace(value).is_none().then_some(())
}

/// A day with an ordinal ending: `4th`, `1st`, `1er` (French), `4º`.
fn ordinal(word: &str) -> Option<u32> {
    let digits = word.find(|c: char| !c.is_ascii_digit())?;
    let suffix = &word[digits..];
    if digits == 0
        || digits > 2
        || !["st", "nd", "rd", "th", "er", "re", "e", "º", "°"].contains(&suffix)
    {
        return None;
    }
    word[..digits].parse().ok()
}

/// A time of day: `10:00`, `10:00:00`, `22:05:01.5`, `10:00am`, `10am`; with
/// `Some(true)` for pm, `Some(false)` for am, written onto it.
fn clock(word: &str) -> Option<(NaiveTime, Option<bool>)> {
    let split = word.find(|c: char| c.is_alphabetic()).unwrap_or(word.len());
    let (digits, marker) = word.split_at(split);
    let meridiem = if marker.is_empty() {
        None
    } else {
        Some(am_pm(marker)?)
    };
    let time = ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .find_map(|format| NaiveTime::parse_from_str(digits, format).ok())
        .or_else(|| {
            let hour: u32 = digits.parse().ok()?;
            meridiem.and(NaiveTime::from_hms_opt(hour, 0, 0))
        })?;
    Some((time, meridiem))
}

/// `am` or `pm` (also `a.m`, `p.m`): `true` for pm.
fn am_pm(word: &str) -> Option<bool> {
    match word.replace('.', "").as_str() {
        "am" => Some(false),
        "pm" => Some(true),
        _ => None,
    }
}

/// Words that join the parts of a written date (`3 de marzo de 2024`, `the 4th of
/// March`, `am 4. März`, `le 4 mars`).
const FILLERS: &[&str] = &[
    "de", "del", "of", "the", "on", "le", "el", "den", "der", "am", "il", "op", "em",
];

/// The months' names, lower case, in the languages archives are written in:
/// English, French, German, Spanish, Italian, Portuguese, Dutch, Danish,
/// Norwegian and Swedish. A word is a month when it is one of these or the
/// beginning (three letters at least) of names of one month only.
const MONTHS: [&[&str]; 12] = [
    &[
        "january", "janvier", "januar", "enero", "gennaio", "janeiro", "januari",
    ],
    &[
        "february",
        "février",
        "fevrier",
        "februar",
        "febrero",
        "febbraio",
        "fevereiro",
        "februari",
    ],
    &[
        "march", "mars", "märz", "maerz", "marz", "marzo", "março", "marco", "maart", "marts",
    ],
    &["april", "avril", "abril", "aprile"],
    &["may", "mai", "mayo", "maggio", "maio", "mei", "maj"],
    &["june", "juin", "juni", "junio", "giugno", "junho"],
    &["july", "juillet", "juli", "julio", "luglio", "julho"],
    &["august", "août", "aout", "agosto", "augustus", "augusti"],
    &[
        "september",
        "septembre",
        "septiembre",
        "settembre",
        "setembro",
    ],
    &[
        "october", "octobre", "oktober", "octubre", "ottobre", "outubro",
    ],
    &["november", "novembre", "noviembre", "novembro"],
    &[
        "december",
        "décembre",
        "decembre",
        "dezember",
        "diciembre",
        "dicembre",
        "dezembro",
        "desember",
    ],
];

/// The month (1 to 12) `word` names, when it names one.
fn month_number(word: &str) -> Option<u32> {
    let mut found = None;
    for (i, names) in MONTHS.iter().enumerate() {
        let names_it = names
            .iter()
            .any(|name| *name == word || (word.chars().count() >= 3 && name.starts_with(word)));
        if names_it {
            if found.is_some() {
                return None;
            }
            found = Some(i as u32 + 1);
        }
    }
    found
}

/// The weekdays' names in the languages of [`MONTHS`]; a weekday before a date
/// is read past, as is its beginning (three letters at least).
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "tues",
    "wednesday",
    "thursday",
    "thurs",
    "friday",
    "saturday",
    "sunday",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "lunes",
    "martes",
    "miércoles",
    "miercoles",
    "jueves",
    "viernes",
    "sábado",
    "sabado",
    "domingo",
    "lunedì",
    "lunedi",
    "martedì",
    "martedi",
    "mercoledì",
    "mercoledi",
    "giovedì",
    "giovedi",
    "venerdì",
    "venerdi",
    "sabato",
    "domenica",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "mandag",
    "tirsdag",
    "onsdag",
    "torsdag",
    "fredag",
    "lørdag",
    "søndag",
    "måndag",
    "tisdag",
    "lördag",
    "söndag",
];

fn is_weekday(word: &str) -> bool {
    word.chars().count() >= 3 && WEEKDAYS.iter().any(|day| day.starts_with(word))
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
    fn reads_the_spellings_feeds_apis_and_archives_use() {
        for (text, expected) in [
            ("2024-03-04T10:00:00.000+0000", "2024-03-04T10:00:00+00:00"),
            ("2024-03-04 10:00:00 +0000", "2024-03-04T10:00:00+00:00"),
            ("2024-03-04T10:00:00+01", "2024-03-04T09:00:00+00:00"),
            ("2024-03-04T10:00:00 EST", "2024-03-04T15:00:00+00:00"),
            ("1916-01-05 00:00:00 UTC", "1916-01-05T00:00:00+00:00"),
            ("2024-03-04Z", "2024-03-04T00:00:00+00:00"),
            ("04.03.2024", "2024-03-04T00:00:00+00:00"),
            ("4.3.2024 10:15", "2024-03-04T10:15:00+00:00"),
            ("13/03/2024", "2024-03-13T00:00:00+00:00"),
            ("03/13/2024", "2024-03-13T00:00:00+00:00"),
            ("March 4, 2024 10:00 AM", "2024-03-04T10:00:00+00:00"),
            ("March 4, 2024 12:30 a.m.", "2024-03-04T00:30:00+00:00"),
            ("4 March 2024 10pm", "2024-03-04T22:00:00+00:00"),
            ("Monday, March 4th, 2024", "2024-03-04T00:00:00+00:00"),
            ("Sept. 4, 2024", "2024-09-04T00:00:00+00:00"),
            ("SATURDAY, AUGUST 26, 1916", "1916-08-26T00:00:00+00:00"),
            (
                "Tue Mar 04 10:00:00 +0000 2024",
                "2024-03-04T10:00:00+00:00",
            ),
            ("Mon Mar  4 10:00:00 2024", "2024-03-04T10:00:00+00:00"),
            ("the 4th of March 2024", "2024-03-04T00:00:00+00:00"),
            ("le 1er mars 2024", "2024-03-01T00:00:00+00:00"),
            ("4. März 2024", "2024-03-04T00:00:00+00:00"),
            ("am 4. Mär. 2024", "2024-03-04T00:00:00+00:00"),
            ("3 de marzo de 2024", "2024-03-03T00:00:00+00:00"),
            ("lunedì 4 marzo 2024", "2024-03-04T00:00:00+00:00"),
            ("4 maart 2024", "2024-03-04T00:00:00+00:00"),
            ("4 août 1916", "1916-08-04T00:00:00+00:00"),
            ("den 4 augusti 1916", "1916-08-04T00:00:00+00:00"),
            ("4. marts 1916", "1916-03-04T00:00:00+00:00"),
            ("24. desember 1916", "1916-12-24T00:00:00+00:00"),
            ("5 janv. 1916", "1916-01-05T00:00:00+00:00"),
        ] {
            assert_eq!(ymd(text), expected, "{text}");
        }
    }

    #[test]
    fn never_guesses() {
        for text in [
            "4/3/2024",                  // 4 March or 3 April
            "juil 2024",                 // a month and year only
            "Washington, March 4, 2024", // more than a date
            "March 4",                   // no year
            "4 jui 2024",                // juin or juillet
            "March 4, 2024 3 pm 4",      // two days
            "13:00 pm March 4, 2024",
            "4 March 2024 10:00 IST", // India, Ireland or Israel
            "2024-03-04 10:00 +2500",
            "2024-03-04 and more",
            "March 32, 2024",
            "04.03.24",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    #[test]
    fn a_field_may_be_a_year_a_month_or_unix_time() {
        let field = |t: &str| {
            parse_date_field(t)
                .map(|d| d.to_rfc3339())
                .unwrap_or_default()
        };
        assert_eq!(field("2024"), "2024-01-01T00:00:00+00:00");
        assert_eq!(field("2024-03"), "2024-03-01T00:00:00+00:00");
        assert_eq!(field("March 2024"), "2024-03-01T00:00:00+00:00");
        assert_eq!(field("1710000000"), "2024-03-09T16:00:00+00:00");
        assert_eq!(field("1710000000000"), "2024-03-09T16:00:00+00:00");
        assert_eq!(field("4/3/2024"), "");
        // ISO weeks: the Monday, or the day given; week 53 only where a year has one.
        assert_eq!(field("2024-W10"), "2024-03-04T00:00:00+00:00");
        assert_eq!(field("2024-w10-3"), "2024-03-06T00:00:00+00:00");
        assert_eq!(field("2020-W53"), "2020-12-28T00:00:00+00:00");
        for wrong in ["2024-W53", "2024-W10-8", "2024-W1", "24-W10"] {
            assert_eq!(field(wrong), "", "{wrong}");
        }
        // Not in running text: a year alone on a line is no dateline.
        assert_eq!(parse_date("1916"), None);
        assert_eq!(parse_date("March 1916"), None);
        assert_eq!(parse_date("May 1916"), None);
    }

    #[test]
    fn an_unread_field_is_kept_for_the_warning() {
        let mut article = Article::default();
        set_date(&mut article, " 4/3/2024 ");
        assert_eq!(
            (article.date, article.unread_date.as_deref()),
            (None, Some("4/3/2024"))
        );
        set_date(&mut article, "2024-03-04");
        assert!(article.date.is_some());
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
