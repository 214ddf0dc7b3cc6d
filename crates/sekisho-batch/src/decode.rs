//! CSV bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"),
//! or Shift_JIS / CP932 (Excel's "CSV" on Japanese Windows), and a check for a quoted field
//! that never closes, which the csv crate would silently run to the end of the file.

use std::path::Path;

use crate::{Error, Result};

/// The text and the name of the encoding it was decoded from, for telling the user.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<(String, &'static str)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(text) => Ok((text.to_string(), "UTF-8 with BOM")),
            Err(e) => Err(line_error(path, line_at(rest, e.valid_up_to()), "invalid UTF-8 after a UTF-8 byte order mark")),
        };
    }
    for (bom, encoding, name) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE, "UTF-16LE"),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE, "UTF-16BE"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, malformed) = encoding.decode_without_bom_handling(rest);
            if malformed {
                return Err(Error::File {
                    file: path.display().to_string(),
                    reason: format!("invalid {name} text after its byte order mark"),
                });
            }
            return Ok((text.into_owned(), name));
        }
    }
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok((text.to_string(), "UTF-8")),
        Err(e) => e,
    };
    // encoding_rs's Shift_JIS is the WHATWG one, i.e. CP932 with the NEC and IBM extensions
    // (①, ㈱, 髙) that Windows writes.
    let (text, malformed) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    if malformed {
        return Err(line_error(
            path,
            line_at(bytes, utf8_error.valid_up_to()),
            "neither UTF-8 nor Shift_JIS (invalid byte); save the file as \"CSV UTF-8\"",
        ));
    }
    Ok((text.into_owned(), "Shift_JIS (CP932)"))
}

/// The 1-based line holding byte `offset`.
fn line_at(bytes: &[u8], offset: usize) -> u64 {
    bytes[..offset.min(bytes.len())].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

pub(crate) fn line_error(path: &Path, line: u64, reason: impl Into<String>) -> Error {
    Error::Line { file: path.display().to_string(), line, reason: reason.into() }
}

/// Fails when a quoted field is still open at the end of the text, naming the line where
/// it opened (RFC 4180: a quote opens a field only at its start; `""` inside is a quote).
pub fn check_quotes(path: &Path, text: &str, delimiter: u8) -> Result<()> {
    let delimiter = char::from(delimiter);
    let mut line: u64 = 1;
    let mut opened_at = None;
    let mut at_field_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if opened_at.is_some() {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                }
                '"' => opened_at = None,
                '\n' => line += 1,
                _ => {}
            }
            continue;
        }
        match c {
            '"' if at_field_start => opened_at = Some(line),
            '\n' => line += 1,
            _ => {}
        }
        at_field_start = c == delimiter || c == '\n' || c == '\r';
    }
    if let Some(start) = opened_at {
        return Err(line_error(path, start, "unterminated quote: the quoted field opened on this line never closes"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_told_apart() {
        let p = Path::new("in.csv");
        assert_eq!(decode(p, "氏名\n".as_bytes()).unwrap(), ("氏名\n".to_string(), "UTF-8"));
        assert_eq!(decode(p, b"\xEF\xBB\xBFname\n").unwrap().1, "UTF-8 with BOM");
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("氏名・名称,国名\n㈱①髙\n");
        assert_eq!(decode(p, &sjis).unwrap(), ("氏名・名称,国名\n㈱①髙\n".to_string(), "Shift_JIS (CP932)"));
        let err = decode(p, b"a\nb\n\xFF\xFF\xFF\n").unwrap_err().to_string();
        assert!(err.starts_with("in.csv:3: neither UTF-8 nor Shift_JIS"), "{err}");
    }

    #[test]
    fn an_open_quote_names_its_line() {
        let p = Path::new("in.csv");
        assert!(check_quotes(p, "a,b\n\"x\"\"y\",\"2\n3\"\nab\"c,d\n", b',').is_ok());
        let err = check_quotes(p, "a,b\n1,2\n\"open,3\n4,5\n", b',').unwrap_err().to_string();
        assert_eq!(err, "in.csv:3: unterminated quote: the quoted field opened on this line never closes");
    }
}
