//! Re-exported from [`crate::domain::date`], where it lives.

pub use crate::domain::date::*;
