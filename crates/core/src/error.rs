//! The one error type of the core.
//!
//! Messages are Chinese and meant for the clerk or administrator who caused them. Internal detail
//! (SQL, file paths of the database engine) stays in [`Error::Storage`], which the front ends
//! replace by a generic message.

use std::fmt;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Outside input that was refused. `field` is a stable key (`town`, `on`, ...) that each front
    /// end turns into its own name for the field (a CLI flag, a form label); `message` already
    /// names the field in Chinese.
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },

    /// A catalogue or roster file was refused; nothing was imported.
    #[error("导入被拒绝，数据库没有任何改动。发现 {} 个问题：\n{}", .0.len(), .0.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Import(Vec<crate::sheets::Problem>),

    /// `audit verify` found an edited or missing record.
    #[error("审计日志的哈希链断了：{0}")]
    AuditBroken(String),

    /// The audit log's append-only triggers were removed or changed: the store writes nothing.
    #[error("审计日志的防篡改保护被移除或改动（{0}）。为免留下无法核查的记录，本数据库不再写入；请管理员核查，并从可信的备份恢复。")]
    AuditUnguarded(String),

    /// A demo account must change its published password before anything else.
    #[error("请先修改密码：演示账号的初始密码是公开的，修改后才能继续使用。")]
    MustChangePassword,

    /// The account changed since the login (disabled, locked, removed, password reset).
    #[error("{0}，已退出登录。")]
    SessionEnded(String),

    /// The database was written by a newer version of Bianmin; it has not been touched.
    #[error(
        "数据库由更新版本的便民写入（结构版本 {found}，本程序最高支持 {supported}），\
         为保护数据，未作任何改动。请升级便民后再打开。"
    )]
    NewerSchema { found: i64, supported: i64 },

    /// The database file the command needs does not exist.
    #[error("数据库文件不存在：{0}。请先运行 `bianmin init` 创建。")]
    NoDatabase(String),

    /// Login refused: the user name is unknown or the password is wrong (the two are not told
    /// apart, so that a guesser cannot learn which user names exist).
    #[error("用户名或密码不正确。")]
    BadCredentials,

    /// Login refused without checking the password: too many failed attempts in a row.
    #[error("账号已锁定，请在 {} 后再试，或请管理员解锁。", .until.format("%H:%M"))]
    Locked { until: chrono::NaiveDateTime },

    /// Login refused: an administrator has disabled the account.
    #[error("该账号已停用，请联系管理员。")]
    AccountDisabled,

    /// The session was idle for longer than its limit.
    #[error("长时间未操作，已自动退出，请重新登录。")]
    SessionExpired,

    /// An action that needs a logged-in account was asked for without one.
    #[error("请先登录。")]
    NotLoggedIn,

    /// None of the account's roles grants the permission the action needs.
    #[error(
        "当前账号（角色：{}）无权{}。",
        crate::accounts::role_labels(.roles),
        .needed.description()
    )]
    Forbidden {
        needed: crate::accounts::Permission,
        roles: Vec<crate::staff::Role>,
    },

    /// An account tied to its town asked for another town's requests or people.
    #[error("当前账号属于{own}，无权查看{asked}的办件和人员；查看各乡镇需要县级领导账号。")]
    OtherTown { asked: String, own: String },

    /// Hashing a password failed (the system's random source did not answer). Its text is for
    /// logs.
    #[error("密码运算失败：{0}")]
    Crypto(String),

    /// A server could not be reached or refused the connection. `server` says which (数据库服务器
    /// or 大厅服务器) and its address without a password; `reason` says why in words a clerk can
    /// pass on.
    #[error("无法连接{server}：{reason}。请检查地址、网络，以及服务器是否在运行。")]
    Unreachable { server: String, reason: String },

    /// A failure inside the storage engine. Its text is for logs, never for the screen.
    #[error("数据库操作失败：{0}")]
    Storage(StorageError),
}

impl Error {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid {
            field,
            message: message.into(),
        }
    }

    /// A short stable code for front ends that act differently on different errors.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid { .. } => "invalid_input",
            Error::Import(_) => "import_rejected",
            Error::NewerSchema { .. } => "newer_schema",
            Error::NoDatabase(_) => "no_database",
            Error::AuditBroken(_) => "audit_broken",
            Error::AuditUnguarded(_) => "audit_unguarded",
            Error::MustChangePassword => "must_change_password",
            Error::SessionEnded(_) => "session_expired",
            Error::BadCredentials => "bad_credentials",
            Error::Locked { .. } => "account_locked",
            Error::AccountDisabled => "account_disabled",
            Error::SessionExpired => "session_expired",
            Error::NotLoggedIn => "not_logged_in",
            Error::Forbidden { .. } | Error::OtherTown { .. } => "forbidden",
            Error::Crypto(_) => "crypto",
            Error::Unreachable { .. } => "unreachable",
            Error::Storage(_) => "storage",
        }
    }

    /// What a front end may show a person: the message itself, except for storage and crypto
    /// failures, whose text (SQL, paths, the random source) is for logs only and is written to
    /// stderr here.
    pub fn public_message(&self) -> String {
        match self {
            Error::Storage(_) | Error::Crypto(_) => {
                eprintln!("bianmin: {self}");
                "数据库操作失败，请稍后重试；如果一再出现，请联系管理员。".to_string()
            }
            _ => self.to_string(),
        }
    }

    /// The field at fault, for bad input.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// True when the caller's input was at fault (CLI exit status 2).
    pub fn is_bad_input(&self) -> bool {
        matches!(self, Error::Invalid { .. } | Error::Import(_))
    }
}

/// The storage engine's own error, kept opaque so that other engines can report theirs.
#[derive(Debug)]
pub struct StorageError(Box<dyn std::error::Error + Send + Sync>);

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl StorageError {
    /// An engine's error, or a value the engine gave that the core could not read.
    pub(crate) fn new(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        StorageError(e.into())
    }
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        Error::Storage(StorageError(Box::new(e)))
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Storage(StorageError(Box::new(e)))
    }
}
