//! Request handlers, one module per area.

pub mod data;
pub mod matching;
pub mod system;
pub mod ui;
