//! The domain of Bianmin, the service-hall application of a Chinese township.
//!
//! Everything the hall does is a function here first: the CLI (`crates/cli`) and the desktop
//! shell (`src-tauri`) only parse input into these types and print or show what comes back.
//! Storage sits behind [`store::Store`]; no SQL lives outside `store`.

pub mod accounts;
pub mod address;
pub mod audit;
pub mod authority;
pub mod backup_service;
pub mod calendar;
pub mod catalog;
pub mod counters;
pub mod date;
pub mod demand;
pub mod demo;
pub mod domain;
pub mod error;
pub mod files;
pub mod forms;
pub mod front;
pub mod generate;
#[doc(hidden)]
pub mod hostile;
pub mod identity;
pub mod paths;
pub mod report;
pub mod report_xlsx;
pub mod request;
pub mod retention;
pub mod retirement;
pub mod roster;
pub mod sheets;
pub mod staff;
pub mod staffing;
pub mod staffing_xlsx;
pub mod store;
pub mod town;

pub use domain::ids;
pub use error::{Error, Result};
