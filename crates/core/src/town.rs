//! Which town a command is about: the one place a town name (or none) becomes a [`Town`].
//!
//! Every service that takes an optional `--town` resolves it here, so that the catalogue,
//! staffing, requests, forms and imports refuse an unknown name with the same message.

use crate::staffing::{unknown_town, Town};
use crate::store::{Queries, Store};
use crate::{Error, Result};

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

/// Names `town`'s superior government (上级人民政府), which the forms give as where to appeal
/// the town's own acts: 2 to 100 characters ending in 人民政府, refused naming `superior`.
pub fn set_superior<S: Store>(store: &mut S, town: &str, superior: &str) -> Result<Town> {
    let name = superior.trim();
    let n = name.chars().count();
    if !(2..=100).contains(&n) || !name.ends_with("人民政府") || name.chars().any(char::is_control)
    {
        return Err(Error::invalid(
            "superior",
            format!("上级人民政府“{name}”无效：应为 2 到 100 个字、以“人民政府”结尾，如 贵阳市乌当区人民政府"),
        ));
    }
    store.write(|c| {
        let t = resolve_town(c, Some(town))?;
        c.set_superior(t.id, name)?;
        Ok(Town {
            superior: name.to_string(),
            ..t
        })
    })
}
