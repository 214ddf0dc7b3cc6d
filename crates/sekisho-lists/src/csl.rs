//! (placeholder: being written)

use crate::{InputFile, ParseError, Parsed};

pub fn sniff(_file: &InputFile) -> bool {
    false
}

pub fn parse(files: &[InputFile]) -> Result<Parsed, ParseError> {
    let _ = files;
    Ok(Parsed::default())
}
