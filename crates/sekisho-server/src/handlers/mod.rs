//! Request handlers, one module per area.

pub mod audit;
pub mod cases;
pub mod data;
pub mod jobs;
pub mod matching;
pub mod system;
pub mod ui;
