//! One module per area; each command parses its arguments at the edge and calls the core.

pub mod catalog;
pub mod forms;
pub mod requests;
pub mod staffing;

use crate::error::CommandError;
use crate::AppState;
use bianmin_core::store::SqliteStore;

/// Runs `f` with the open store, or reports why there is none.
pub(crate) fn with_store<R>(
    state: &AppState,
    f: impl FnOnce(&mut SqliteStore) -> bianmin_core::Result<R>,
) -> Result<R, CommandError> {
    let mut guard = state.store.lock().unwrap_or_else(|p| p.into_inner());
    match guard.as_mut() {
        Ok(store) => f(store).map_err(CommandError::from),
        Err(e) => Err(e.clone()),
    }
}
