//! Dates as Japanese lists write them in text cells.
//!
//! Forms seen in the METI and MOF files (after full-width digits became ASCII):
//! `2023年2月24日`, `1938年` (year only), `1985年頃` (about), `令和7年3月5日` / `平成元年`
//! (era years: 令和 Reiwa, 平成 Heisei, 昭和 Shōwa, 大正 Taishō, 明治 Meiji), `2006.9.19`,
//! `2022/10/21`, alternatives (`1954年又は1955年`, `1958、59又は60年`, `1983年2(3)月10日`,
//! `1991年7月14日又は6月14日` where the second date keeps the year of the first) and ranges
//! (`1967年から1969年までの間`, expanded to every year so a birth-year filter does not drop
//! the party). English text beside it (`Born 1970`) is ignored: only numbers marked as a
//! date by 年/月/日 or by `.`/`/` separators count.

use sekisho_model::PartialDate;

/// What [`scan`] found in one cell.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Scan {
    pub dates: Vec<PartialDate>,
    /// A month and day without any year (`10月10日（year unknown）`): known, but not a date
    /// the model can hold.
    pub yearless: bool,
}

/// Years a range is expanded into at most; wider ranges keep only their bounds.
const MAX_RANGE_YEARS: u16 = 20;

const ERAS: [(&str, u16); 5] = [
    ("令和", 2019),
    ("平成", 1989),
    ("昭和", 1926),
    ("大正", 1912),
    ("明治", 1868),
];

/// Finds every date in `text`. `Err` carries the fragment that looks like a date but is not
/// one (`1971年2月30日`), so that the caller can report it instead of guessing.
pub(crate) fn scan(text: &str) -> Result<Scan, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut scan = Scan::default();
    let mut context_year: Option<u16> = None;
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        // Era years: 令和7年, 平成元年.
        if let Some((base, len)) = era_at(&chars, i) {
            let (n, after) = match number_at(&chars, i + len) {
                Some((n, after)) => (n, after),
                None if chars.get(i + len) == Some(&'元') => (1, i + len + 1),
                None => {
                    i += len;
                    continue;
                }
            };
            if chars.get(after) != Some(&'年') {
                i = after;
                continue;
            }
            let year = u16::try_from(n)
                .ok()
                .filter(|n| (1..=99).contains(n))
                .map(|n| base + n - 1);
            let Some(year) = year else {
                return Err(fragment(&chars, start, after + 1));
            };
            i = month_day(&chars, after + 1, year, &mut scan.dates, start)?;
            context_year = Some(year);
            continue;
        }
        let Some((n, after)) = number_at(&chars, i) else {
            i += 1;
            continue;
        };
        let digits = after - i;
        match chars.get(after) {
            // 2006.9.19, 2022/10/21
            Some('.' | '/' | '-') if digits == 4 => {
                if let Some(end) = dotted(&chars, i, &mut scan.dates)? {
                    context_year = scan.dates.last().map(PartialDate::year_value);
                    i = end;
                } else {
                    i = after + 1;
                }
            }
            Some('年') if digits == 4 => {
                let year = n as u16;
                i = month_day(&chars, after + 1, year, &mut scan.dates, start)?;
                context_year = Some(year);
                i = range_end(&chars, i, year, &mut scan.dates)?;
            }
            // 1958、59又は60年: a list of years where later ones give only two digits.
            Some('、' | ',' | '又') if digits == 4 => {
                let century = n / 100 * 100;
                let mut years = vec![n];
                let mut j = after;
                loop {
                    j = skip_separators(&chars, j);
                    match number_at(&chars, j) {
                        Some((m, end)) if end - j == 2 => {
                            years.push(century + m);
                            j = end;
                        }
                        Some((m, end)) if end - j == 4 => {
                            years.push(m);
                            j = end;
                        }
                        _ => break,
                    }
                    if chars.get(j) == Some(&'年') {
                        break;
                    }
                }
                if years.len() > 1 && chars.get(j) == Some(&'年') {
                    for y in years {
                        let date = PartialDate::new(y as u16, None, None)
                            .ok_or_else(|| fragment(&chars, start, j + 1))?;
                        push(&mut scan.dates, date);
                    }
                    i = j + 1;
                } else {
                    i = after;
                }
            }
            // 6月14日 after a date that gave the year; otherwise a date without a year.
            Some('月') if digits <= 2 => {
                let end = match context_year {
                    Some(year) => month_day(&chars, i, year, &mut scan.dates, start)?,
                    None => {
                        scan.yearless = true;
                        after + 1
                    }
                };
                i = end.max(after + 1);
            }
            _ => i = after,
        }
    }
    Ok(scan)
}

/// Reads an optional `M月` (with an alternative `M(N)月`) and `D日` after a year ending at
/// `i`, pushes the date(s) and returns where reading stopped.
fn month_day(
    chars: &[char],
    i: usize,
    year: u16,
    dates: &mut Vec<PartialDate>,
    start: usize,
) -> Result<usize, String> {
    let j = skip_spaces(chars, i);
    let mut months = Vec::new();
    let mut end = i;
    if let Some((m, after)) = number_at(chars, j) {
        let mut k = after;
        months.push(m);
        // 2(3)月: the list is unsure which month.
        if chars.get(k) == Some(&'(')
            && let Some((alt, after_alt)) = number_at(chars, k + 1)
            && chars.get(after_alt) == Some(&')')
        {
            months.push(alt);
            k = after_alt + 1;
        }
        let k = skip_spaces(chars, k);
        if chars.get(k) == Some(&'月') {
            end = k + 1;
        } else {
            months.clear();
        }
    }
    if months.is_empty() {
        let date = PartialDate::new(year, None, None).ok_or_else(|| fragment(chars, start, i))?;
        push(dates, date);
        return Ok(i);
    }
    let mut day = None;
    let d = skip_spaces(chars, end);
    if let Some((n, after)) = number_at(chars, d) {
        let after_spaces = skip_spaces(chars, after);
        if chars.get(after_spaces) == Some(&'日') {
            day = Some(n);
            end = after_spaces + 1;
        }
    }
    for m in months {
        let date = to_u8(m)
            .zip(day.map(to_u8).unwrap_or(Some(0)))
            .and_then(|(m, d)| PartialDate::new(year, Some(m), (d > 0).then_some(d)))
            .filter(|_| day != Some(0))
            .ok_or_else(|| fragment(chars, start, end))?;
        push(dates, date);
    }
    Ok(end)
}

/// `2006.9.19` / `2022/10/21` / `2022-10-21`; `None` when the shape does not fit.
fn dotted(chars: &[char], i: usize, dates: &mut Vec<PartialDate>) -> Result<Option<usize>, String> {
    let Some((y, a)) = number_at(chars, i) else {
        return Ok(None);
    };
    let sep = chars[a];
    let Some((m, b)) = number_at(chars, a + 1) else {
        return Ok(None);
    };
    if chars.get(b) != Some(&sep) || b - (a + 1) > 2 {
        return Ok(None);
    }
    let Some((d, c)) = number_at(chars, b + 1) else {
        return Ok(None);
    };
    if c - (b + 1) > 2 {
        return Ok(None);
    }
    let date = PartialDate::new(y as u16, to_u8(m), to_u8(d))
        .filter(|date| date.day_value().is_some())
        .ok_or_else(|| fragment(chars, i, c))?;
    push(dates, date);
    Ok(Some(c))
}

/// After a year: `から1969年(までの間)` or `〜1969年` adds the years in between.
fn range_end(
    chars: &[char],
    i: usize,
    from: u16,
    dates: &mut Vec<PartialDate>,
) -> Result<usize, String> {
    let mut j = skip_spaces(chars, i);
    if chars.get(j) == Some(&'か') && chars.get(j + 1) == Some(&'ら') {
        j += 2;
    } else if matches!(chars.get(j), Some('~' | '〜' | '～' | '-' | '－')) {
        j += 1;
    } else {
        return Ok(i);
    }
    let j = skip_spaces(chars, j);
    let Some((to, after)) = number_at(chars, j) else {
        return Ok(i);
    };
    if after - j != 4 || chars.get(after) != Some(&'年') {
        return Ok(i);
    }
    let to = to as u16;
    let date = PartialDate::new(to, None, None).ok_or_else(|| fragment(chars, j, after + 1))?;
    if to > from && to - from <= MAX_RANGE_YEARS {
        for y in from + 1..to {
            if let Some(d) = PartialDate::new(y, None, None) {
                push(dates, d);
            }
        }
    }
    push(dates, date);
    Ok(after + 1)
}

fn era_at(chars: &[char], i: usize) -> Option<(u16, usize)> {
    ERAS.iter().find_map(|(name, base)| {
        let len = name.chars().count();
        let matches = chars.len() >= i + len && name.chars().zip(&chars[i..]).all(|(a, b)| a == *b);
        matches.then_some((*base, len))
    })
}

/// An unsigned number of at most 6 ASCII digits at `i`, with the index after it. Digits
/// inside a longer run (a passport number) are not a date.
fn number_at(chars: &[char], i: usize) -> Option<(u32, usize)> {
    if i > 0 && chars.get(i - 1).is_some_and(char::is_ascii_digit) {
        return None;
    }
    let len = chars
        .get(i..)?
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if len == 0 || len > 6 {
        return None;
    }
    let n = chars[i..i + len]
        .iter()
        .fold(0u32, |n, c| n * 10 + c.to_digit(10).unwrap_or(0));
    Some((n, i + len))
}

fn skip_spaces(chars: &[char], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|c| *c == ' ') {
        i += 1;
    }
    i
}

fn skip_separators(chars: &[char], mut i: usize) -> usize {
    loop {
        match chars.get(i) {
            Some(' ' | '、' | ',') => i += 1,
            Some('又') if chars.get(i + 1) == Some(&'は') => i += 2,
            Some('o') if chars.get(i + 1) == Some(&'r') => i += 2,
            _ => return i,
        }
    }
}

fn to_u8(n: u32) -> Option<u8> {
    u8::try_from(n).ok()
}

fn push(dates: &mut Vec<PartialDate>, date: PartialDate) {
    if !dates.contains(&date) {
        dates.push(date);
    }
}

fn fragment(chars: &[char], start: usize, end: usize) -> String {
    chars[start..end.min(chars.len())].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str) -> Vec<String> {
        scan(text)
            .unwrap()
            .dates
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn reads_the_forms_the_lists_use() {
        assert_eq!(dates("1938年"), ["1938"]);
        assert_eq!(dates("2023年2月24日"), ["2023-02-24"]);
        assert_eq!(dates("1976年6 月26日"), ["1976-06-26"]);
        assert_eq!(dates("1985年頃"), ["1985"]);
        assert_eq!(dates("令和7年3月5日現在"), ["2025-03-05"]);
        assert_eq!(dates("平成元年"), ["1989"]);
        assert_eq!(
            dates("2006.9.19\n2016.12.9改訂"),
            ["2006-09-19", "2016-12-09"]
        );
        assert_eq!(dates("2022/10/21"), ["2022-10-21"]);
        assert_eq!(
            dates("1941年8月20日セルビア共和国生\nBorn on 20 August 1941"),
            ["1941-08-20"]
        );
    }

    #[test]
    fn reads_alternatives_and_ranges() {
        assert_eq!(dates("1954年又は1955年"), ["1954", "1955"]);
        assert_eq!(dates("1958、59又は60年生まれ"), ["1958", "1959", "1960"]);
        assert_eq!(dates("1983年2(3)月10日"), ["1983-02-10", "1983-03-10"]);
        assert_eq!(
            dates("1991年7月14日又は6月14日"),
            ["1991-07-14", "1991-06-14"]
        );
        assert_eq!(dates("1967年から1969年までの間"), ["1967", "1968", "1969"]);
        assert_eq!(
            dates("(a)1985年頃(b)1984年から1986年までの間"),
            ["1985", "1984", "1986"]
        );
        assert_eq!(
            dates("1957年4月15日;1958年2月22日"),
            ["1957-04-15", "1958-02-22"]
        );
    }

    #[test]
    fn knows_a_missing_year_and_rejects_impossible_dates() {
        let s = scan("10月10日(year unknown)").unwrap();
        assert!(s.dates.is_empty() && s.yearless);
        assert_eq!(scan("1971年2月30日"), Err("1971年2月30日".to_string()));
        assert_eq!(scan("2006.13.1"), Err("2006.13.1".to_string()));
        assert!(dates("不明").is_empty());
        assert!(dates("PS472330208").is_empty());
    }
}
