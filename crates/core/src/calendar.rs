//! The calendar as stored: the built-in years with those imported into the database, and the
//! import of a new year's notice. Working-day arithmetic is [`crate::domain::calendar`]'s.

pub use crate::domain::calendar::*;
use crate::{Error, Result};

/// The calendar with the built-in years and those imported into the store.
pub fn load<S: crate::store::Store>(store: &mut S) -> Result<Calendar> {
    let mut c = Calendar::builtin();
    for y in store.read(|q| q.calendar_years())? {
        c.add(y);
    }
    Ok(c)
}

/// Imports a year's arrangement from a file (UTF-8 or GBK), replacing that year.
pub fn import<S: crate::store::Store>(
    store: &mut S,
    path: &std::path::Path,
) -> Result<YearArrangement> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::invalid("file", format!("无法读取 {}:{e}", path.display())))?;
    let text = match String::from_utf8(bytes.clone()) {
        Ok(t) => t,
        Err(_) => {
            let (t, _, bad) = encoding_rs::GBK.decode(&bytes);
            if bad {
                return Err(Error::invalid("file", "无法识别文件编码:应为 UTF-8 或 GBK"));
            }
            t.into_owned()
        }
    };
    let year = parse_arrangement("file", &text)?;
    store.write(|c| c.save_calendar_year(&year))?;
    Ok(year)
}
