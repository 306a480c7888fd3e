//! The one connection interface the store's queries are written against.
//!
//! Every query lives once, in `store/sql/<area>.rs`, in SQL that SQLite and PostgreSQL both
//! accept (`ON CONFLICT`, `RETURNING`, `CAST`, `TRUE`/`FALSE`), with SQLite's numbered
//! placeholders `?1`, `?2`, …; the PostgreSQL connection rewrites them to `$1`, `$2`, … when it
//! prepares a statement. Values cross in a small engine-free form ([`Param`] in, [`Cell`] out)
//! so that the queries need no engine's types: each backend turns a `Param` into what its column
//! wants (a boolean is an integer 0/1 in SQLite and a `boolean` in PostgreSQL) and hands each
//! row's columns out as `Cell`s borrowed from the row, read where they lie. The shape follows
//! mozilla application-services' `ConnExt`: execute, each row, all rows, the first row, one
//! value; the backends open the transactions.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};

use crate::error::StorageError;
use crate::ids::{AccountId, ItemId, PostId, RequestId, StaffId, TownId, UnitId};
use crate::{Error, Result};

/// A statement parameter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Param<'a> {
    Null,
    Int(i64),
    Bool(bool),
    Text(Cow<'a, str>),
}

/// A column value as the engine hands it over, borrowed from its row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell<'a> {
    Null,
    Int(i64),
    Bool(bool),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// A result row of either engine, read column by column where it lies: no row is copied
/// into a list of values first, and text is allocated once, by the row type it ends up in.
pub(crate) trait RowSource {
    fn cell(&self, i: usize) -> Result<Cell<'_>>;
    /// Column `i`'s text as bytes, not yet checked to be UTF-8 (for values checked byte by
    /// byte anyway, such as dates); `None` for NULL.
    fn text_bytes(&self, i: usize) -> Result<Option<&[u8]>> {
        match self.cell(i)? {
            Cell::Null => Ok(None),
            Cell::Text(t) => Ok(Some(t.as_bytes())),
            other => Err(conversion(format!(
                "column {i}: expected text, found {other:?}"
            ))),
        }
    }
}

/// One result row, as the queries read it.
pub(crate) struct Row<'r>(pub(crate) &'r dyn RowSource);

/// A connection inside a transaction the backend opened.
pub(crate) trait Conn {
    /// Runs a statement; returns how many rows it changed.
    fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<u64>;
    /// Calls `f` with each row a query returns, in order; stops at the first error.
    fn each(
        &self,
        sql: &str,
        params: &[Param<'_>],
        f: &mut dyn FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()>;
    /// Called inside the transaction that issues request number `seq` of a town's day, before
    /// it commits: SQLite keeps the numbers' high-water mark beside its file
    /// (`store/numbers.rs`); a PostgreSQL server is restored by its administrator (nothing).
    fn issuing_number(
        &self,
        _town: crate::ids::TownId,
        _day: chrono::NaiveDate,
        _seq: u32,
    ) -> Result<()> {
        Ok(())
    }

    /// The catalogue's items this connection keeps between transactions, if it keeps them
    /// (SQLite's store: `sql::catalog::ItemCache`); PostgreSQL's read them every time.
    fn item_cache(&self) -> Option<&super::sql::catalog::ItemCache> {
        None
    }
}

impl dyn Conn + '_ {
    /// Every row of a query, each read by `f`.
    pub(crate) fn all<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each(sql, params, &mut |r| {
            out.push(f(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row a query returns, read by `f`, if there is one.
    pub(crate) fn first<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut f = Some(f);
        let mut out = None;
        self.each(sql, params, &mut |r| {
            if let Some(f) = f.take() {
                out = Some(f(r)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The first column of the one row a query returns; no row is an error.
    pub(crate) fn value<T: FromValue>(&self, sql: &str, params: &[Param<'_>]) -> Result<T> {
        self.first(sql, params, |r| r.get(0))?
            .ok_or_else(|| conversion("query returned no row".to_string()))
    }
}

/// Builds a parameter slice from values of mixed types: `args![town_id, name, day]`.
macro_rules! args {
    ($($v:expr),* $(,)?) => {
        &[$($crate::store::conn::Param::from($v)),*][..]
    };
}
pub(crate) use args;

/// A storage error for a value that does not fit what the code expects.
pub(crate) fn conversion(msg: String) -> Error {
    Error::Storage(StorageError::new(msg))
}

impl Row<'_> {
    /// Column `i` as a `T`.
    pub(crate) fn get<T: FromValue>(&self, i: usize) -> Result<T> {
        let cell = self.0.cell(i)?;
        T::from_value(cell).map_err(|e| conversion(format!("column {i}: {e}")))
    }
}

/// What a column value can be read as.
pub(crate) trait FromValue: Sized {
    fn from_value(v: Cell<'_>) -> std::result::Result<Self, String>;
}

impl FromValue for i64 {
    fn from_value(v: Cell<'_>) -> std::result::Result<Self, String> {
        match v {
            Cell::Int(i) => Ok(i),
            other => Err(format!("expected an integer, found {other:?}")),
        }
    }
}

macro_rules! narrow_int {
    ($($t:ident),*) => {$(
        impl FromValue for $t {
            fn from_value(v: Cell<'_>) -> std::result::Result<Self, String> {
                let i = i64::from_value(v)?;
                <$t>::try_from(i).map_err(|_| format!("{i} out of range"))
            }
        }
    )*};
}
narrow_int!(u8, u16, u32, i32);

impl FromValue for bool {
    fn from_value(v: Cell<'_>) -> std::result::Result<Self, String> {
        match v {
            Cell::Bool(b) => Ok(b),
            Cell::Int(i) => Ok(i != 0),
            other => Err(format!("expected a boolean, found {other:?}")),
        }
    }
}

impl FromValue for String {
    fn from_value(v: Cell<'_>) -> std::result::Result<Self, String> {
        match v {
            Cell::Text(s) => Ok(s.to_string()),
            other => Err(format!("expected text, found {other:?}")),
        }
    }
}

impl FromValue for NaiveDate {
    fn from_value(v: Cell<'_>) -> std::result::Result<Self, String> {
        match v {
            Cell::Text(s) => crate::date::parse_iso_date(s)
                .ok_or_else(|| format!("date {s:?} is not YYYY-MM-DD")),
            other => Err(format!("expected a date, found {other:?}")),
        }
    }
}

/// Moments are text as [`crate::date::stamp`] writes them; anything else is refused.
impl FromValue for NaiveDateTime {
    fn from_value(v: Cell<'_>) -> std::result::Result<Self, String> {
        match v {
            Cell::Text(s) => crate::date::parse_stamp(s)
                .ok_or_else(|| format!("datetime {s:?} is not YYYY-MM-DD HH:MM:SS")),
            other => Err(format!("expected a datetime, found {other:?}")),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: Cell<'_>) -> std::result::Result<Self, String> {
        match v {
            Cell::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

impl From<i64> for Param<'_> {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}

impl From<&i64> for Param<'_> {
    fn from(v: &i64) -> Self {
        Param::Int(*v)
    }
}

macro_rules! from_small_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Param<'_> {
            fn from(v: $t) -> Self {
                Param::Int(i64::from(v))
            }
        }
    )*};
}
from_small_int!(u8, u16, u32, i32);

impl From<bool> for Param<'_> {
    fn from(v: bool) -> Self {
        Param::Bool(v)
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(v: &'a str) -> Self {
        Param::Text(Cow::Borrowed(v))
    }
}

impl<'a> From<&&'a str> for Param<'a> {
    fn from(v: &&'a str) -> Self {
        Param::Text(Cow::Borrowed(v))
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(v: &'a String) -> Self {
        Param::Text(Cow::Borrowed(v))
    }
}

impl From<String> for Param<'_> {
    fn from(v: String) -> Self {
        Param::Text(Cow::Owned(v))
    }
}

/// Dates are stored as ISO text (`2026-12-05`) in both engines.
impl From<NaiveDate> for Param<'_> {
    fn from(v: NaiveDate) -> Self {
        Param::Text(Cow::Owned(v.to_string()))
    }
}

/// Moments are stored as `2026-12-05 09:30:00` text in both engines.
impl From<NaiveDateTime> for Param<'_> {
    fn from(v: NaiveDateTime) -> Self {
        Param::Text(Cow::Owned(crate::date::stamp(v)))
    }
}

impl<'a, T> From<Option<T>> for Param<'a>
where
    T: Into<Param<'a>>,
{
    fn from(v: Option<T>) -> Self {
        v.map_or(Param::Null, Into::into)
    }
}

impl<'a> From<&'a Option<String>> for Param<'a> {
    fn from(v: &'a Option<String>) -> Self {
        v.as_deref().into()
    }
}

impl From<&Option<i64>> for Param<'_> {
    fn from(v: &Option<i64>) -> Self {
        (*v).into()
    }
}

/// Row ids go to and come from the database as the integers they are.
macro_rules! id_values {
    ($($t:ident),*) => {$(
        impl FromValue for $t {
            fn from_value(v: Cell<'_>) -> std::result::Result<Self, String> {
                i64::from_value(v).map($t)
            }
        }

        impl From<$t> for Param<'_> {
            fn from(v: $t) -> Self {
                Param::Int(v.0)
            }
        }

        impl From<&$t> for Param<'_> {
            fn from(v: &$t) -> Self {
                Param::Int(v.0)
            }
        }

        impl From<&Option<$t>> for Param<'_> {
            fn from(v: &Option<$t>) -> Self {
                (*v).into()
            }
        }
    )*};
}
id_values!(TownId, UnitId, StaffId, ItemId, PostId, RequestId, AccountId);

/// Rewrites SQLite's numbered placeholders (`?1`) into PostgreSQL's (`$1`). The shared SQL
/// holds no `?` anywhere else (no string literal in it contains one).
pub(crate) fn dollar_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_rewritten_for_postgresql() {
        assert_eq!(
            dollar_placeholders("SELECT a FROM t WHERE b = ?1 AND c < ?12 || 'x'"),
            "SELECT a FROM t WHERE b = $1 AND c < $12 || 'x'"
        );
    }

    /// A row held in memory, for these tests.
    struct Cells(Vec<Cell<'static>>);

    impl RowSource for Cells {
        fn cell(&self, i: usize) -> Result<Cell<'_>> {
            self.0
                .get(i)
                .copied()
                .ok_or_else(|| conversion(format!("column {i} missing")))
        }
    }

    #[test]
    fn values_read_as_what_the_code_expects() {
        let cells = Cells(vec![
            Cell::Int(3),
            Cell::Bool(true),
            Cell::Int(0),
            Cell::Text("2026-02-29"),
            Cell::Null,
            Cell::Int(-1),
            Cell::Text("2026-11-28 09:05:00"),
        ]);
        let row = Row(&cells);
        assert_eq!(row.get::<i64>(0).unwrap(), 3);
        assert!(row.get::<bool>(1).unwrap());
        assert!(!row.get::<bool>(2).unwrap());
        // Not a date: refused, never read as something else.
        assert!(row.get::<NaiveDate>(3).is_err());
        assert_eq!(row.get::<Option<String>>(4).unwrap(), None);
        assert!(row.get::<u32>(5).is_err());
        assert!(row.get::<String>(0).is_err());
        assert!(row.get::<i64>(9).is_err());
        assert_eq!(
            row.get::<NaiveDateTime>(6).unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 28)
                .unwrap()
                .and_hms_opt(9, 5, 0)
                .unwrap()
        );
        assert!(row.get::<NaiveDateTime>(3).is_err());
    }

    #[test]
    fn parameters_come_from_the_values_the_code_holds() {
        let name = String::from("李玥");
        let none: Option<String> = None;
        let p = args![
            1i64,
            &name,
            none,
            true,
            Some(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap())
        ];
        assert_eq!(
            p,
            [
                Param::Int(1),
                Param::Text("李玥".into()),
                Param::Null,
                Param::Bool(true),
                Param::Text("2026-01-02".into()),
            ]
        );
    }
}
