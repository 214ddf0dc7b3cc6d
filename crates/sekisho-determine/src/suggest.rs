//! "Did you mean ...?" hints for unknown codes and keys.

/// The candidate closest to `wanted` by edit distance, if it is close enough to be a
/// plausible typo (at most a third of the longer string, and at most 3 edits).
pub fn did_you_mean<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let d = edit_distance(&wanted_lower, &candidate.to_lowercase());
        let limit = (wanted.chars().count().max(candidate.chars().count()) / 3).clamp(1, 3);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Formats the hint as the messages print it: ` (did you mean 3A090?)`, or nothing.
pub fn hint<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(wanted, candidates).map(|c| format!(" (did you mean {c}?)")).unwrap_or_default()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_codes_only() {
        let codes = ["3A001", "3A090", "5A002"];
        assert_eq!(did_you_mean("3A099", codes), Some("3A090"));
        assert_eq!(did_you_mean("title_jp", ["title_en", "title_ja"]), Some("title_ja"));
        assert_eq!(did_you_mean("zzzzzz", codes), None);
        assert_eq!(hint("5A003", codes), " (did you mean 5A002?)");
    }
}
