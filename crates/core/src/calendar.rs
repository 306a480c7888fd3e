//! The calendar as stored: the built-in years with those imported into the database, and the
//! import of a new year's notice. Working-day arithmetic is [`crate::domain::calendar`]'s.

pub use crate::domain::calendar::*;
use crate::{Error, Result};

/// The calendar with the built-in years and those imported into the store.
pub fn load<S: crate::store::Store>(store: &mut S) -> Result<Calendar> {
    store.read(|q| of(q))
}

/// The same inside a transaction already open.
pub fn of(q: &dyn crate::store::Queries) -> Result<Calendar> {
    let mut c = Calendar::builtin();
    for y in q.calendar_years()? {
        c.add(y);
    }
    Ok(c)
}

/// The largest notice file read: a year's arrangements are a few kilobytes of text.
pub const MAX_NOTICE_BYTES: u64 = 1024 * 1024;

/// Imports a year's notice from a file (UTF-8 or GBK). The file must be a whole year's notice
/// ([`whole_year_problems`]); a year already loaded (built in or imported) is replaced only with
/// `replace`, and then whole. Anything refused changes nothing.
pub fn import<S: crate::store::Store>(
    store: &mut S,
    path: &std::path::Path,
    replace: bool,
) -> Result<YearArrangement> {
    let shown = path.display().to_string();
    if !path.is_file() {
        return Err(Error::invalid(
            "file",
            format!("无法读取 {shown}：文件不存在"),
        ));
    }
    let bytes = crate::sheets::read_limited(&shown, path, MAX_NOTICE_BYTES)
        .map_err(|p| Error::invalid("file", p.to_string()))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{SqliteStore, Store};

    /// Issue 17, point 11: a notice file over 1 MB is refused by its size, naming the file, and
    /// no year is loaded.
    #[test]
    fn a_notice_over_1_mb_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("通知.txt");
        std::fs::File::create(&path)
            .unwrap()
            .set_len(2 * MAX_NOTICE_BYTES)
            .unwrap();
        let mut s = SqliteStore::open_in_memory().unwrap();
        let years = s.read(|q| q.calendar_years()).unwrap().len();
        match import(&mut s, &path, true) {
            Err(Error::Invalid {
                field: "file",
                message,
            }) => {
                assert!(message.contains("通知.txt"), "{message}");
                assert!(
                    message.contains("文件过大：2.0 MB，超过导入文件的上限 1.0 MB"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(s.read(|q| q.calendar_years()).unwrap().len(), years);
    }
}
