//! Re-exported from [`crate::domain::counters`], where it lives.

pub use crate::domain::counters::*;
