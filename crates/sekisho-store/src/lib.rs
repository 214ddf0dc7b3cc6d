//! The embedded store (placeholder: being written).
