//! A cursor over parsed JSON that remembers its path, so every shape error names the
//! file and the exact place (`$.entries[12].countryChart[0].control`).

use std::path::Path;

use serde_json::{Map, Value};

use crate::ImportError;

/// Parses `bytes` as JSON; a syntax error names file, line and column.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<Value, ImportError> {
    serde_json::from_slice(bytes).map_err(|e| ImportError::Json {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

/// A JSON value and where it sits in its file.
#[derive(Clone)]
pub(crate) struct Node<'a> {
    pub file: &'a Path,
    pub value: &'a Value,
    pub path: String,
}

impl<'a> Node<'a> {
    pub fn root(file: &'a Path, value: &'a Value) -> Self {
        Node { file, value, path: String::from("$") }
    }

    pub fn error(&self, message: impl Into<String>) -> ImportError {
        ImportError::field(self.file, self.path.clone(), message)
    }

    pub fn unknown_country(&self, name: &str) -> ImportError {
        ImportError::UnknownCountry { path: self.file.to_path_buf(), at: self.path.clone(), name: name.to_string() }
    }

    fn child(&self, key: &str, value: &'a Value) -> Node<'a> {
        let segment = quote(key);
        let sep = if segment.starts_with('[') { "" } else { "." };
        Node { file: self.file, value, path: format!("{}{sep}{segment}", self.path) }
    }

    /// The member `key`, which must exist.
    pub fn get(&self, key: &str) -> Result<Node<'a>, ImportError> {
        match self.object()?.get(key) {
            Some(value) => Ok(self.child(key, value)),
            None => Err(self.error(format!("missing member {key:?}"))),
        }
    }

    /// The member `key` unless it is absent or `null`.
    pub fn opt(&self, key: &str) -> Result<Option<Node<'a>>, ImportError> {
        Ok(match self.object()?.get(key) {
            None | Some(Value::Null) => None,
            Some(value) => Some(self.child(key, value)),
        })
    }

    pub fn object(&self) -> Result<&'a Map<String, Value>, ImportError> {
        self.value.as_object().ok_or_else(|| self.error(format!("expected an object, found {}", kind(self.value))))
    }

    pub fn str(&self) -> Result<&'a str, ImportError> {
        self.value.as_str().ok_or_else(|| self.error(format!("expected a string, found {}", kind(self.value))))
    }

    pub fn u64(&self) -> Result<u64, ImportError> {
        self.value
            .as_u64()
            .ok_or_else(|| self.error(format!("expected a non-negative integer, found {}", kind(self.value))))
    }

    /// The member `key` as a string.
    pub fn get_str(&self, key: &str) -> Result<&'a str, ImportError> {
        self.get(key)?.str()
    }

    /// The member `key` as a string, unless absent or `null`.
    pub fn opt_str(&self, key: &str) -> Result<Option<&'a str>, ImportError> {
        self.opt(key)?.map(|n| n.str()).transpose()
    }

    /// The elements of an array, each with its path.
    pub fn items(&self) -> Result<Vec<Node<'a>>, ImportError> {
        let array = self
            .value
            .as_array()
            .ok_or_else(|| self.error(format!("expected an array, found {}", kind(self.value))))?;
        Ok(array
            .iter()
            .enumerate()
            .map(|(i, value)| Node { file: self.file, value, path: format!("{}[{i}]", self.path) })
            .collect())
    }

    /// The members of an object, each with its path, in file order.
    pub fn members(&self) -> Result<Vec<(&'a str, Node<'a>)>, ImportError> {
        Ok(self.object()?.iter().map(|(k, v)| (k.as_str(), self.child(k, v))).collect())
    }

    /// An array of strings.
    pub fn strings(&self) -> Result<Vec<&'a str>, ImportError> {
        self.items()?.iter().map(|item| item.str()).collect()
    }
}

/// A member name as it appears in a path: bare when it is a plain identifier.
fn quote(key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
        key.to_string()
    } else {
        format!("[{key:?}]")
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
