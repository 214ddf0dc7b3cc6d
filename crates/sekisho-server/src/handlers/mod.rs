//! Request handlers, one module per area.

pub mod audit;
pub mod cases;
pub mod classify;
pub mod data;
pub mod determine;
pub mod jobs;
pub mod matching;
pub mod system;
pub mod ui;
