//! Publication dates and times found in datelines and `Published:` header lines.

use std::fmt;

/// A publication date, with the time and UTC offset when the text gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// Year, month (1–12), day (1–31).
    pub date: (u16, u8, u8),
    /// Hour, minute, second.
    pub time: Option<(u8, u8, u8)>,
    /// `Z` or `±hh:mm`, when given.
    pub offset: Option<String>,
}

impl Published {
    /// The value as an `xsd:dateTime` lexical form (with a time) or an `xsd:date` (without).
    pub fn to_xsd(&self) -> String {
        let (y, mo, d) = self.date;
        let offset = self.offset.as_deref().unwrap_or("");
        match self.time {
            Some((h, mi, s)) => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{offset}"),
            None => format!("{y:04}-{mo:02}-{d:02}{offset}"),
        }
    }

    /// Whether [`Self::to_xsd`] gives an `xsd:dateTime` (else an `xsd:date`).
    pub fn has_time(&self) -> bool {
        self.time.is_some()
    }
}

impl fmt::Display for Published {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_xsd())
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month (1–12) a word names: "March", "mar", "Sept.".
pub fn month_of(word: &str) -> Option<u8> {
    let word = word.trim_end_matches('.').to_lowercase();
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&word) && (word.len() == 3 || word == *m || word == "sept"))
        .and_then(|i| u8::try_from(i + 1).ok())
}

fn valid(y: u16, m: u8, d: u8) -> bool {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1000..=9999).contains(&y) && (1..=days).contains(&d)
}

fn num<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses `hh:mm[:ss]` with an optional `am`/`pm` word after it.
fn parse_time(s: &str, meridiem: Option<&str>) -> Option<(u8, u8, u8)> {
    let mut parts = s.split(':');
    let mut h: u8 = num(parts.next()?)?;
    let mi: u8 = num(parts.next()?)?;
    let sec: u8 = match parts.next() {
        Some(p) => num(p.split('.').next()?)?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    match meridiem.map(|m| m.to_lowercase().replace('.', "")) {
        Some(m) if m == "pm" && h < 12 => h += 12,
        Some(m) if m == "am" && h == 12 => h = 0,
        Some(m) if m != "am" && m != "pm" => return None,
        _ => {}
    }
    (h < 24 && mi < 60 && sec < 61).then_some((h, mi, sec))
}

/// Parses an ISO 8601 date or date-time (`2026-03-02`, `2026-03-02T06:30:00Z`, `2026-03-02 06:30`).
fn parse_iso(s: &str) -> Option<Published> {
    let (date, rest) = match s.find(['T', ' ']) {
        Some(i) => (&s[..i], Some(s[i + 1..].trim())),
        None => (s, None),
    };
    let mut it = date.split('-');
    let (y, m, d) = (num(it.next()?)?, num(it.next()?)?, num(it.next()?)?);
    if it.next().is_some() || !valid(y, m, d) {
        return None;
    }
    let (time, offset) = match rest {
        None | Some("") => (None, None),
        Some(rest) => {
            let split = rest.find(['Z', '+', '-']).unwrap_or(rest.len());
            let (clock, zone) = rest.split_at(split);
            let zone = zone.trim();
            let zone_ok = zone.is_empty()
                || zone == "Z"
                || (zone.len() == 6 && zone.as_bytes()[3] == b':' && parse_time(&zone[1..], None).is_some());
            if !zone_ok {
                return None;
            }
            (
                Some(parse_time(clock.trim(), None)?),
                (!zone.is_empty()).then(|| zone.to_owned()),
            )
        }
    };
    Some(Published {
        date: (y, m, d),
        time,
        offset,
    })
}

/// Parses a line that is only a date, optionally with a time: `04.02.2026 21:51`, `2026-02-04`,
/// `2026-03-02T06:30:00Z`, `February 4, 2026`, `Feb. 4, 2026 9:51 PM`, `4 February 2026`.
/// Leading weekday names ("Wednesday,") and a trailing time zone name are allowed.
///
/// ```
/// use claimtrace::text::parse_date_line;
/// assert_eq!(parse_date_line("04.02.2026 21:51").unwrap().to_xsd(), "2026-02-04T21:51:00");
/// assert_eq!(parse_date_line("Feb. 4, 2026").unwrap().to_xsd(), "2026-02-04");
/// assert!(parse_date_line("31.02.2026").is_none());
/// ```
pub fn parse_date_line(line: &str) -> Option<Published> {
    let line = line.trim();
    if line.len() > 60 {
        return None;
    }
    if let Some(p) = parse_iso(line) {
        return Some(p);
    }
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let words: &[&str] = match words.first() {
        Some(w) if w.to_lowercase().ends_with("day") && words.len() > 1 => &words[1..],
        _ => &words,
    };
    let (date, rest) = match words {
        // 04.02.2026 (day first, as in the European convention of its dotted form)
        [dmy, rest @ ..] if dmy.matches('.').count() == 2 => {
            let mut it = dmy.split('.');
            let (d, m, y) = (num(it.next()?)?, num(it.next()?)?, num(it.next()?)?);
            ((y, m, d), rest)
        }
        [mon, d, y, rest @ ..] if month_of(mon).is_some() => ((num(y)?, month_of(mon)?, num(d)?), rest),
        [d, mon, y, rest @ ..] if month_of(mon).is_some() => ((num(y)?, month_of(mon)?, num(d)?), rest),
        _ => return None,
    };
    if !valid(date.0, date.1, date.2) {
        return None;
    }
    let time = match rest {
        [] => None,
        [clock, tail @ ..] => {
            let meridiem = tail.first().copied().filter(|m| {
                let m = m.to_lowercase().replace('.', "");
                m == "am" || m == "pm"
            });
            let used = usize::from(meridiem.is_some());
            // Whatever follows must look like a time zone name ("UTC", "GMT", "EST", "CET").
            let zone_ok = tail[used..]
                .iter()
                .all(|z| z.len() <= 5 && z.chars().all(|c| c.is_ascii_uppercase()));
            if !zone_ok {
                return None;
            }
            Some(parse_time(clock, meridiem)?)
        }
    };
    Some(Published {
        date,
        time,
        offset: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_lines() {
        let cases = [
            ("04.02.2026 21:51", Some("2026-02-04T21:51:00")),
            ("2026-03-02T06:30:00Z", Some("2026-03-02T06:30:00Z")),
            ("2026-03-02T06:30:00+01:00", Some("2026-03-02T06:30:00+01:00")),
            ("2026-03-02", Some("2026-03-02")),
            ("Wednesday, February 4, 2026 9:51 PM EST", Some("2026-02-04T21:51:00")),
            ("4 February 2026", Some("2026-02-04")),
            ("Sept. 30, 2025", Some("2025-09-30")),
            ("29.02.2024", Some("2024-02-29")),
            ("29.02.2026", None),
            ("04.02.2026 25:00", None),
            ("May the talks go well", None),
            ("12 people were hurt", None),
        ];
        for (line, want) in cases {
            assert_eq!(parse_date_line(line).map(|p| p.to_xsd()).as_deref(), want, "{line}");
        }
    }
}
