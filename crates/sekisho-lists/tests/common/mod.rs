//! Helpers shared by the parser tests: reading mapped entities, line errors, and the byte
//! edits of the mutation property tests.

#![allow(dead_code)] // each test binary uses a part

use std::path::Path;

use proptest::prelude::*;
use proptest::sample::Index;
use sekisho_lists::{Location, ParseError};
use sekisho_model::{Entity, NameKind};

pub fn by_id<'a>(entities: &'a [Entity], id: &str) -> &'a Entity {
    entities.iter().find(|e| e.id == id).unwrap_or_else(|| panic!("no entity {id}"))
}

/// The entity's names of one kind, in order.
pub fn names(e: &Entity, kind: NameKind) -> Vec<&str> {
    e.names.iter().filter(|n| n.kind == kind).map(|n| n.value.as_str()).collect()
}

/// The values of one property, empty when absent.
pub fn prop<'a>(e: &'a Entity, key: &str) -> Vec<&'a str> {
    e.properties.get(key).map(|v| v.iter().map(String::as_str).collect()).unwrap_or_default()
}

/// Asserts a parse error in `file` at `line`, naming `field`, its message holding
/// `message_part`.
#[track_caller]
pub fn assert_line_error(result: Result<Vec<Entity>, ParseError>, file: &str, line: u64, field: &str, message_part: &str) {
    let err = result.expect_err("expected a parse error");
    assert_eq!(err.file, Path::new(file), "{err}");
    assert_eq!(err.location, Location::Line(line), "{err}");
    assert_eq!(err.field.as_deref(), Some(field), "{err}");
    assert!(err.message.contains(message_part), "{err}");
}

/// One to seven byte edits: where, which byte, and insert (0), delete (1) or replace (2).
pub fn byte_edits() -> impl Strategy<Value = Vec<(Index, u8, u8)>> {
    proptest::collection::vec((any::<Index>(), any::<u8>(), 0..3u8), 1..8)
}

/// `bytes` with the [`byte_edits`] applied.
pub fn apply_edits(mut bytes: Vec<u8>, edits: &[(Index, u8, u8)]) -> Vec<u8> {
    for &(at, byte, op) in edits {
        let i = at.index(bytes.len().max(1)).min(bytes.len());
        match op {
            0 => bytes.insert(i, byte),
            1 if i < bytes.len() => {
                bytes.remove(i);
            }
            _ if i < bytes.len() => bytes[i] = byte,
            _ => {}
        }
    }
    bytes
}

/// A parse of edited bytes either succeeds or names the file and a line from 1.
pub fn error_says_where<T>(result: Result<T, ParseError>, file: &str) -> Result<(), TestCaseError> {
    if let Err(err) = result {
        prop_assert_eq!(err.file.as_path(), Path::new(file));
        if let Location::Line(line) = err.location {
            prop_assert!(line >= 1);
        }
    }
    Ok(())
}
