//! Re-exported from [`crate::domain::retirement`], where it lives.

pub use crate::domain::retirement::*;
