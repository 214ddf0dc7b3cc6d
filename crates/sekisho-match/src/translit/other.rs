//! General fallback into Latin for every script without a module of its own: Greek, Hebrew,
//! Armenian, Georgian, Thai, Devanagari and the rest.
//!
//! It uses the tables of [`any_ascii`] (ISC licence, data compiled into the crate, nothing read
//! or fetched at run time), which give each character one ASCII spelling taken from a common
//! romanisation of its script (ELOT for Greek, ISO 259-ish for Hebrew, IAST-like for
//! Devanagari, RTGS for Thai, ...). Characters are converted one at a time, so context rules
//! (Greek `αυ` = `av`, Hebrew vowels that the script leaves out) are not applied: the result is
//! a key to compare with Latin spellings under edit distance, not a spelling to show.
//!
//! The output is lower-case ASCII letters and digits; white space and punctuation become one
//! space, so token boundaries survive; leading and trailing spaces are trimmed.

/// Lower-case ASCII spelling of `s`; see the [module docs](self).
///
/// ```
/// use sekisho_match::translit::other::romanize;
/// assert_eq!(romanize("αλέξης τσίπρας"), "alexis tsipras");
/// assert_eq!(romanize("ნინო"), "nino");
/// ```
pub fn romanize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_char(c, &mut out);
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// Appends the lower-case ASCII spelling of one character to `out`: letters and digits as
/// letters and digits, anything else as at most one space (never at the start of `out`).
pub fn push_char(c: char, out: &mut String) {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else {
            push_space(out);
        }
        return;
    }
    if !c.is_alphanumeric() && !is_mark(c) {
        push_space(out);
        return;
    }
    for b in any_ascii::any_ascii_char(c).bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(b.to_ascii_lowercase() as char);
        }
    }
}

fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// Combining marks that carry sound (Indic vowel signs, Thai vowels) are not alphanumeric to
/// `char`, yet must be spelled.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0591..=0x05C7 | 0x0900..=0x0DFF | 0x0E00..=0x0EFF
        | 0x1000..=0x109F | 0x1780..=0x17FF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts() {
        assert_eq!(romanize("Ελλάδα"), "ellada");
        assert_eq!(romanize("שלום"), "slvm");
        assert_eq!(romanize("Հայաստան"), "hayastan");
        // Per character: the inherent vowel of a consonant is not written.
        assert_eq!(romanize("देवनागरी"), "devnagri");
        assert!(!romanize("ภาษาไทย").is_empty());
    }

    #[test]
    fn punctuation_and_spaces() {
        assert_eq!(romanize("  a--b  c "), "a b c");
        assert_eq!(romanize("ΚΩΣΤΑΣ, Νίκος"), "kostas nikos");
        assert_eq!(romanize("😀"), "");
    }

    #[test]
    fn output_is_ascii_lowercase() {
        let r = romanize("深圳 Ǆ ﷺ ⅻ");
        assert!(r.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' '), "{r}");
    }
}
