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

/// Imports a year's notice from a file (UTF-8 or GBK). The file must be a whole year's notice
/// ([`whole_year_problems`]); a year already loaded (built in or imported) is replaced only with
/// `replace`, and then whole. Anything refused changes nothing.
pub fn import<S: crate::store::Store>(
    store: &mut S,
    path: &std::path::Path,
    replace: bool,
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
    let loaded = load(store)?;
    if loaded.has_year(year.year) && !replace {
        return Err(Error::invalid(
            "file",
            format!(
                "{} 年的节假日安排已经载入，未导入：导入会替换这一整年。如确是新发布的通知要替换，请用整年的通知文件并加 --replace",
                year.year
            ),
        ));
    }
    let problems = whole_year_problems(&year);
    if !problems.is_empty() {
        return Err(Error::invalid(
            "file",
            format!(
                "文件不是 {} 年完整的节假日安排，未导入：{}",
                year.year,
                problems.join("；")
            ),
        ));
    }
    store.write(|c| c.save_calendar_year(&year))?;
    Ok(year)
}
