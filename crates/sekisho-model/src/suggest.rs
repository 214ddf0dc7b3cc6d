//! "Did you mean ...?" hints for unknown codes, keys and values.
//!
//! One rule for every crate, so that a typo in a control code, a rule file key or a
//! thresholds key is answered the same way: the closest known spelling by edit distance,
//! compared without case, and only when it is close enough to be a plausible typo.

/// The candidate closest to `wanted`, if it is within a third of the longer string's
/// length (at least 1 and at most 3 edits). Ties go to the earlier candidate.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let wanted_len = wanted.chars().count();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let d = edit_distance(&wanted_lower, &candidate.to_lowercase());
        let limit = (wanted_len.max(candidate.chars().count()) / 3).clamp(1, 3);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown variant ..."),
/// the expected name `x` was most likely meant to be.
pub fn serde_unknown_hint(message: &str) -> Option<&str> {
    let rest = message
        .strip_prefix("unknown field ")
        .or_else(|| message.strip_prefix("unknown variant "))?;
    let mut quoted = rest.split('`').skip(1).step_by(2);
    let given = quoted.next()?;
    did_you_mean(given, quoted)
}

/// Levenshtein distance over characters (not bytes, so kana and kanji count as one each).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits_by_character() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("park", "pak"), 1);
        assert_eq!(edit_distance("same", "same"), 0);
        assert_eq!(edit_distance("3A001", "3A002"), 1);
        assert_eq!(edit_distance("2の項", "3の項"), 1);
    }

    #[test]
    fn suggests_close_candidates_only() {
        let codes = ["3A001", "3A090", "5A002"];
        assert_eq!(did_you_mean("3A099", codes), Some("3A090"));
        assert_eq!(did_you_mean("3a00l", codes), Some("3A001"));
        assert_eq!(
            did_you_mean("title_jp", ["title_en", "title_ja"]),
            Some("title_ja")
        );
        assert_eq!(did_you_mean("zzzzzz", codes), None);
        assert_eq!(did_you_mean("9Z999", ["3A001"]), None);
        assert_eq!(
            did_you_mean("medium", ["medium_at", "high_at"]),
            Some("medium_at")
        );
    }

    #[test]
    fn reads_serde_unknown_field_and_variant_messages() {
        let field = "unknown field `titel_ja`, expected one of `code`, `title_en`, `title_ja`";
        assert_eq!(serde_unknown_hint(field), Some("title_ja"));
        let variant = "unknown variant `milatary`, expected `military` or `police`";
        assert_eq!(serde_unknown_hint(variant), Some("military"));
        assert_eq!(serde_unknown_hint("missing field `code`"), None);
    }
}
