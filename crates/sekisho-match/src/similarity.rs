//! String similarity on ASCII keys: Jaro-Winkler for typos and transpositions in names. It
//! works on bytes because every key the matcher compares has already been transliterated to
//! ASCII. (Edit distance over characters, for did-you-mean hints, is
//! `sekisho_model::suggest::edit_distance`.)

/// Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4).
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    jaro_winkler_bytes(a.as_bytes(), b.as_bytes())
}

fn jaro_winkler_bytes(a: &[u8], b: &[u8]) -> f64 {
    let jaro = jaro(a, b);
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    jaro + prefix as f64 * 0.1 * (1.0 - jaro)
}

/// Jaro-Winkler similarity if it can reach `floor`, else `None`, deciding most pairs from
/// a cheap upper bound: at most as many letters can match as each side has letters the other
/// side also has, and at best with no transpositions.
pub fn jaro_winkler_at_least(a: &str, b: &str, floor: f64) -> Option<f64> {
    jaro_winkler_bytes_at_least(a.as_bytes(), b.as_bytes(), floor)
}

/// [`jaro_winkler_at_least`] on the bytes of two strings.
pub(crate) fn jaro_winkler_bytes_at_least(x: &[u8], y: &[u8], floor: f64) -> Option<f64> {
    if x.is_empty() || y.is_empty() {
        return (0.0 >= floor).then_some(0.0);
    }
    let prefix = x.iter().zip(y).take(4).take_while(|(p, q)| p == q).count();
    let sim_of = (x, y);
    // The bound counts letters as `jaro` does, on keys cut at 64 bytes.
    let (x, y) = (&x[..x.len().min(64)], &y[..y.len().min(64)]);
    let fewest = fewest_matching(prefix, x.len(), y.len(), floor);
    if refused_by_lengths(fewest, x.len(), y.len()) {
        return None;
    }
    let (in_x, in_y) = (letter_classes(x), letter_classes(y));
    if refused_by_letter_classes(fewest, (x.len(), in_x), (y.len(), in_y)) {
        return None;
    }
    let shared = |s: &[u8], other: u32| s.iter().filter(|&&c| other & (1u32 << (c & 31)) != 0).count();
    if (shared(x, in_y).min(shared(y, in_x)) as f64) < fewest {
        return None;
    }
    let sim = jaro_winkler_bytes(sim_of.0, sim_of.1);
    (sim >= floor).then_some(sim)
}

/// The fewest matching letters with which two strings of these lengths (cut at 64 bytes) and
/// a common prefix of `prefix` letters (at most 4) can reach `floor`, with no transposition:
/// the similarity j + p/10 · (1 − j) grows with the Jaro similarity j = (m/|x| + m/|y| + 1)/3,
/// which grows with m. Solved for m once (not three divisions per bound), and loosened by a
/// millionth of a letter, far more than rounding moves it, so that a pair the exact
/// computation would let through is never refused. The bounds below refuse a pair when at
/// most fewer letters than this can match.
pub(crate) fn fewest_matching(prefix: usize, x_len: usize, y_len: usize, floor: f64) -> f64 {
    let scale = prefix as f64 * 0.1;
    let jaro_needed = (floor - scale) / (1.0 - scale);
    (3.0 * jaro_needed - 1.0) / (1.0 / x_len as f64 + 1.0 / y_len as f64) - 1e-6
}

/// At most as many letters match as the shorter side has.
#[inline]
pub(crate) fn refused_by_lengths(fewest: f64, x_len: usize, y_len: usize) -> bool {
    (x_len.min(y_len) as f64) < fewest
}

/// The letter classes of a string's bytes, one bit each: bytes folded to 32 classes (a–z each
/// its own), so that letters sharing a class count as shared, which only loosens the bounds.
pub(crate) fn letter_classes(s: &[u8]) -> u32 {
    s.iter().fold(0u32, |m, &c| m | (1u32 << (c & 31)))
}

/// From the letter classes alone (of strings cut at 64 bytes, with their lengths): each class
/// one side has and the other lacks keeps at least one of its letters unmatched.
#[inline]
pub(crate) fn refused_by_letter_classes(fewest: f64, (x_len, in_x): (usize, u32), (y_len, in_y): (usize, u32)) -> bool {
    let unmatched = |own: u32, other: u32| (own & !other).count_ones() as usize;
    refused_by_lengths(fewest, x_len - unmatched(in_x, in_y), y_len - unmatched(in_y, in_x))
}

fn jaro(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    // Names are short; fixed-size flags avoid allocation. Longer keys are cut at 64 bytes,
    // which only affects keys no listed name has.
    let (a, b) = (&a[..a.len().min(64)], &b[..b.len().min(64)]);
    let mut a_hit = [false; 64];
    let mut b_hit = [false; 64];
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_hit[j] && b[j] == ca {
                a_hit[i] = true;
                b_hit[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut j = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        if a_hit[i] {
            while !b_hit[j] {
                j += 1;
            }
            if ca != b[j] {
                transpositions += 1;
            }
            j += 1;
        }
    }
    let m = matches as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64 / 2.0) / m) / 3.0
}

/// A small deterministic generator for the tests' random words: each call gives a number
/// below its argument.
#[cfg(test)]
pub(crate) fn xorshift(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed;
    move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaro_winkler_known_values() {
        assert!((jaro_winkler("martha", "marhta") - 0.9611).abs() < 1e-3);
        assert!((jaro_winkler("dwayne", "duane") - 0.84).abs() < 1e-3);
        assert_eq!(jaro_winkler("kim", "kim"), 1.0);
        assert_eq!(jaro_winkler("", "abc"), 0.0);
        assert_eq!(jaro_winkler("abc", "xyz"), 0.0);
    }

    #[test]
    fn jaro_winkler_is_symmetric_and_bounded() {
        for (a, b) in [("muhammad", "mohammed"), ("jong", "jeong"), ("a", "ab"), ("shoigu", "shoygu")] {
            let ab = jaro_winkler(a, b);
            assert!((ab - jaro_winkler(b, a)).abs() < 1e-12);
            assert!((0.0..=1.0).contains(&ab));
        }
    }

    /// The bounds that refuse a pair before Jaro-Winkler (lengths, letter masks, letter
    /// counts) never refuse one that reaches the floor, and a value returned is the plain one:
    /// random words over a few letters (so that most pairs share many) and name keys of
    /// similar spellings.
    #[test]
    fn the_bounds_never_refuse_a_pair_that_reaches_the_floor() {
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        let mut words: Vec<String> = (0..400)
            .map(|_| {
                let len = 1 + next(12) as usize;
                (0..len).map(|_| char::from(b"aeiknrsmxz"[next(10) as usize])).collect()
            })
            .collect();
        words.extend(
            ["muhammad", "mohammed", "muhamad", "mohamed", "shoigu", "shoygu", "sergei", "sergey", "kuzhugetovich", "kuzhugetovic"]
                .map(String::from),
        );
        // Keys longer than the 64 bytes `jaro` compares (a hostile query can make them).
        words.extend(["abcdefghij".repeat(7), "abcdefghij".repeat(10), format!("{}{}", "ab".repeat(35), "z".repeat(30)), "ba".repeat(40)]);
        let (mut refused, mut returned) = (0, 0);
        for a in &words {
            for b in &words {
                let plain = jaro_winkler(a, b);
                for floor in [0.5, 0.8, 0.88, 0.93, plain, plain + 1e-9] {
                    let bounded = jaro_winkler_at_least(a, b, floor);
                    assert_eq!(bounded, (plain >= floor).then_some(plain), "{a} {b} {floor}");
                    if bounded.is_some() { returned += 1 } else { refused += 1 }
                }
            }
        }
        assert!(refused > 10_000 && returned > 10_000, "{refused} refused, {returned} returned");
    }

    #[test]
    fn the_bounded_version_agrees_with_the_plain_one() {
        let words = ["muhammad", "mohammed", "kim", "jong", "jongun", "shoigu", "sergei", "xyz", "a", "martha", "marhta"];
        for a in words {
            for b in words {
                let plain = jaro_winkler(a, b);
                for floor in [0.0, 0.5, 0.88, 0.95] {
                    let bounded = jaro_winkler_at_least(a, b, floor);
                    assert_eq!(bounded, (plain >= floor).then_some(plain), "{a} {b} {floor}");
                }
            }
        }
    }
}

