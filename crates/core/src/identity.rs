//! Re-exported from [`crate::domain::identity`], where it lives.

pub use crate::domain::identity::*;
