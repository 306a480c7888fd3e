//! Service requests (办件) at the counter: intake, consultation, each step, the request page,
//! search and lists. Each operation loads what it needs through the store, asks the pure rules
//! of [`crate::domain::request`] (the lifecycle table and each step's effect, re-exported here)
//! and the authority check, and writes the answer in one transaction.

mod service;
#[cfg(test)]
mod service_tests;

pub use crate::audit::os_user;
pub use crate::domain::request::*;
pub(crate) use service::town_code;
pub use service::{
    check_idempotency_key, consult, list, list_page, new_request, search, show, step, step_keyed,
    ListKind, ListPage, NewRequest, RequestDetail, RequestMaterialView, RequestView, TimelineEntry,
};
