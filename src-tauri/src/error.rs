//! The error every command returns: `{code, field, message}`, where `message` is Chinese and meant
//! for the clerk, and `field` is the core's key of the input at fault (`id`, `name`, `item`, …) for
//! bad input (`Error::Invalid`), null otherwise, so that a screen marks the field it names.
//! Storage internals (SQL, paths) are logged, never sent to the screen.

use std::borrow::Cow;

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct CommandError {
    #[ts(type = "string")]
    pub code: Cow<'static, str>,
    /// The core's key of the field at fault (`Error::Invalid`); null for other failures.
    #[ts(type = "string | null")]
    pub field: Option<Cow<'static, str>>,
    pub message: String,
}

impl From<bianmin_core::Error> for CommandError {
    fn from(e: bianmin_core::Error) -> Self {
        CommandError {
            code: e.code().into(),
            field: e.field().map(Into::into),
            message: e.public_message(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_keeps_its_field() {
        let e = CommandError::from(bianmin_core::Error::invalid("id", "身份证号校验位不正确"));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "invalid_input",
                "field": "id",
                "message": "身份证号校验位不正确",
            })
        );
    }

    #[test]
    fn storage_errors_show_no_internals() {
        let sql = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(1),
            Some("no such table: request_secret at /var/lib/bianmin.db".into()),
        );
        for e in [
            bianmin_core::Error::from(sql),
            bianmin_core::Error::Crypto("getrandom: /dev/urandom".into()),
        ] {
            let sent = serde_json::to_string(&CommandError::from(e)).unwrap();
            assert!(sent.contains("数据库操作失败"), "{sent}");
            for inside in ["request_secret", "/var/lib", "urandom"] {
                assert!(!sent.contains(inside), "{sent}");
            }
            assert!(sent.contains(r#""field":null"#), "{sent}");
        }
    }

    #[test]
    fn other_errors_have_no_field() {
        let e = CommandError::from(bianmin_core::Error::NotLoggedIn);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["field"], serde_json::Value::Null);
        assert_eq!(json["code"], "not_logged_in");
    }
}
