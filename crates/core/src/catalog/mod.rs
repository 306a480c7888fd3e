//! The catalogue as a service: files in and out (`io`) and the answers the front ends ask for
//! (`service`). Items, modes, letters and search are [`crate::domain::catalog`]'s, re-exported.

pub use crate::domain::catalog::*;

pub mod io;
pub mod service;
