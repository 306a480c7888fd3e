//! Which town a command is about: the one place a town name (or none) becomes a [`Town`].
//!
//! Every service that takes an optional `--town` resolves it here, so that the catalogue,
//! staffing, requests, forms and imports refuse an unknown name with the same message.

use crate::staffing::{unknown_town, Town};
use crate::store::Queries;
use crate::Result;

/// A town by name, or the first town when no name is given (a single-town installation).
pub fn resolve_town(q: &dyn Queries, town: Option<&str>) -> Result<Town> {
    let all = q.towns()?;
    let found = match town {
        Some(name) => all.iter().find(|t| t.name == name.trim()),
        None => all.first(),
    };
    match (found, town) {
        (Some(t), _) => Ok(t.clone()),
        (None, Some(name)) => Err(unknown_town(name, &all)),
        (None, None) => Err(unknown_town("", &all)),
    }
}
