//! The one connection interface the store's queries are written against.
//!
//! Every query lives once, in `store/sql/<area>.rs`, in SQL that SQLite and PostgreSQL both
//! accept (`ON CONFLICT`, `RETURNING`, `CAST`, `TRUE`/`FALSE`), with SQLite's numbered
//! placeholders `?1`, `?2`, …; the PostgreSQL connection rewrites them to `$1`, `$2`, … when it
//! prepares a statement. Values cross in a small owned form ([`Param`] in, [`Value`] out) so that
//! the queries need no engine's types: each backend turns a `Param` into what its column wants
//! (a boolean is an integer 0/1 in SQLite and a `boolean` in PostgreSQL) and a column back into a
//! `Value`. The shape follows mozilla application-services' `ConnExt`: execute, query rows,
//! query one row, query an optional row; the backends open the transactions.

use std::borrow::Cow;
use std::cell::RefCell;

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

/// A column value read back.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Bool(bool),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
    /// What is left of a text value once it has been read.
    Taken,
}

/// One result row.
#[derive(Debug, Clone, PartialEq)]
///
/// Text is moved out of the row when it is read (a column read twice as text is an error, never
/// a silent empty string), so that a value is allocated once between the engine and the row
/// type it ends up in.
pub(crate) struct Row(RefCell<Vec<Value>>);

/// A connection inside a transaction the backend opened.
pub(crate) trait Conn {
    /// Runs a statement; returns how many rows it changed.
    fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<u64>;
    /// Every row a query returns.
    fn rows(&self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>>;
}

impl dyn Conn + '_ {
    /// The one row a query returns; none is an error.
    pub(crate) fn one(&self, sql: &str, params: &[Param<'_>]) -> Result<Row> {
        self.opt(sql, params)?
            .ok_or_else(|| conversion("query returned no row".to_string()))
    }

    /// The first row a query returns, if any.
    pub(crate) fn opt(&self, sql: &str, params: &[Param<'_>]) -> Result<Option<Row>> {
        Ok(self.rows(sql, params)?.into_iter().next())
    }

    /// Every row of a query, each read by `f`.
    pub(crate) fn all<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.rows(sql, params)?.iter().map(f).collect()
    }

    /// The first column of the one row a query returns.
    pub(crate) fn value<T: FromValue>(&self, sql: &str, params: &[Param<'_>]) -> Result<T> {
        self.one(sql, params)?.get(0)
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

impl Row {
    pub(crate) fn new(values: Vec<Value>) -> Row {
        Row(RefCell::new(values))
    }

    /// Column `i` as a `T`.
    pub(crate) fn get<T: FromValue>(&self, i: usize) -> Result<T> {
        let mut values = self.0.borrow_mut();
        let v = values
            .get_mut(i)
            .ok_or_else(|| conversion(format!("column {i} missing")))?;
        T::from_value(v).map_err(|e| conversion(format!("column {i}: {e}")))
    }
}

/// What a column value can be read as.
pub(crate) trait FromValue: Sized {
    fn from_value(v: &mut Value) -> std::result::Result<Self, String>;
}

impl FromValue for i64 {
    fn from_value(v: &mut Value) -> std::result::Result<Self, String> {
        match v {
            Value::Int(i) => Ok(*i),
            other => Err(format!("expected an integer, found {other:?}")),
        }
    }
}

macro_rules! narrow_int {
    ($($t:ident),*) => {$(
        impl FromValue for $t {
            fn from_value(v: &mut Value) -> std::result::Result<Self, String> {
                let i = i64::from_value(v)?;
                <$t>::try_from(i).map_err(|_| format!("{i} out of range"))
            }
        }
    )*};
}
narrow_int!(u8, u16, u32, i32);

impl FromValue for bool {
    fn from_value(v: &mut Value) -> std::result::Result<Self, String> {
        match v {
            Value::Bool(b) => Ok(*b),
            Value::Int(i) => Ok(*i != 0),
            other => Err(format!("expected a boolean, found {other:?}")),
        }
    }
}

impl FromValue for String {
    fn from_value(v: &mut Value) -> std::result::Result<Self, String> {
        match v {
            Value::Text(_) => match std::mem::replace(v, Value::Taken) {
                Value::Text(s) => Ok(s),
                _ => unreachable!("matched as text above"),
            },
            other => Err(format!("expected text, found {other:?}")),
        }
    }
}

impl FromValue for NaiveDate {
    fn from_value(v: &mut Value) -> std::result::Result<Self, String> {
        match v {
            Value::Text(s) => crate::date::parse_iso_date(s)
                .ok_or_else(|| format!("date {s:?} is not YYYY-MM-DD")),
            other => Err(format!("expected a date, found {other:?}")),
        }
    }
}

/// Moments are text as [`crate::date::stamp`] writes them; anything else is refused.
impl FromValue for NaiveDateTime {
    fn from_value(v: &mut Value) -> std::result::Result<Self, String> {
        match v {
            Value::Text(s) => crate::date::parse_stamp(s)
                .ok_or_else(|| format!("datetime {s:?} is not YYYY-MM-DD HH:MM:SS")),
            other => Err(format!("expected a datetime, found {other:?}")),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &mut Value) -> std::result::Result<Self, String> {
        match v {
            Value::Null => Ok(None),
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
            fn from_value(v: &mut Value) -> std::result::Result<Self, String> {
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

    #[test]
    fn values_read_as_what_the_code_expects() {
        let row = Row::new(vec![
            Value::Int(3),
            Value::Bool(true),
            Value::Int(0),
            Value::Text("2026-02-29".into()),
            Value::Null,
            Value::Int(-1),
        ]);
        assert_eq!(row.get::<i64>(0).unwrap(), 3);
        assert!(row.get::<bool>(1).unwrap());
        assert!(!row.get::<bool>(2).unwrap());
        // Not a date: refused, never read as something else.
        assert!(row.get::<NaiveDate>(3).is_err());
        assert_eq!(row.get::<Option<String>>(4).unwrap(), None);
        assert!(row.get::<u32>(5).is_err());
        assert!(row.get::<String>(0).is_err());
        assert!(row.get::<i64>(9).is_err());
    }

    #[test]
    fn text_is_moved_out_once_and_a_second_read_is_an_error() {
        let row = Row::new(vec![Value::Text("东风镇".into())]);
        assert_eq!(row.get::<String>(0).unwrap(), "东风镇");
        assert!(row.get::<String>(0).is_err());
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
