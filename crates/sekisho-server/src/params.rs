//! URL query parameters, checked with messages that name the parameter.

use std::collections::HashMap;

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;

use crate::error::ApiError;

pub struct Params(HashMap<String, String>);

impl Params {
    pub fn from_request(query: Result<Query<HashMap<String, String>>, QueryRejection>) -> Result<Params, ApiError> {
        match query {
            Ok(Query(map)) => Ok(Params(map)),
            Err(e) => Err(ApiError::bad_request(format!("malformed query string: {}", e.body_text()))),
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// A count in `1..=max`.
    pub fn count(&self, name: &str, default: usize, max: usize) -> Result<usize, ApiError> {
        let Some(raw) = self.get(name) else { return Ok(default) };
        match raw.trim().parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::unprocessable(format!("{name}: expected a whole number from 1 to {max}, got {raw:?}"))),
        }
    }

    /// A score in `[0, 1]`.
    pub fn score(&self, name: &str, default: f64) -> Result<f64, ApiError> {
        let Some(raw) = self.get(name) else { return Ok(default) };
        match raw.trim().parse::<f64>() {
            Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
            _ => Err(ApiError::unprocessable(format!("{name}: expected a number from 0 to 1, got {raw:?}"))),
        }
    }
}
