//! The error every command returns: `{code, message}`, where `message` is Chinese and meant for
//! the clerk. Storage internals (SQL, paths) are logged, never sent to the screen.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct CommandError {
    pub code: &'static str,
    pub message: String,
}

impl From<bianmin_core::Error> for CommandError {
    fn from(e: bianmin_core::Error) -> Self {
        let message = match &e {
            bianmin_core::Error::Storage(_) | bianmin_core::Error::Crypto(_) => {
                eprintln!("bianmin: {e}");
                "数据库操作失败，请稍后重试；如果一再出现，请联系管理员。".to_string()
            }
            _ => e.to_string(),
        };
        CommandError {
            code: e.code(),
            message,
        }
    }
}
