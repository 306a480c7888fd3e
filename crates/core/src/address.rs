//! Database addresses: a SQLite file or a PostgreSQL server's URL, and what can be told about
//! a URL without connecting (its form, its TLS parameters, the URL with its password hidden).
//!
//! Below both `paths` (which chooses a database) and `store` (which opens it): it imports
//! neither; `store` re-exports [`is_postgres_url`] and [`redact_url`] from here.

use std::path::PathBuf;

use postgres::config::SslMode as PgSslMode;
use postgres::Config;

/// A database: a SQLite file, or a PostgreSQL server that several counters share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    File(PathBuf),
    Server(ServerUrl),
}

/// A PostgreSQL server's address as given (postgres://…; checked further by
/// [`check_server_url`] and when connecting). It may hold a password: `Display` and `Debug`
/// show it without ([`redact_url`]); only [`ServerUrl::as_str`] gives it whole, to connect.
#[derive(Clone, PartialEq, Eq)]
pub struct ServerUrl(String);

impl ServerUrl {
    /// The whole address, password included: for connecting, never for showing.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for ServerUrl {
    fn from(url: String) -> Self {
        ServerUrl(url)
    }
}

impl From<&str> for ServerUrl {
    fn from(url: &str) -> Self {
        ServerUrl(url.to_string())
    }
}

/// The address without its password.
impl std::fmt::Display for ServerUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact_url(&self.0))
    }
}

/// The address without its password, as `Display`.
impl std::fmt::Debug for ServerUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ServerUrl({:?})", redact_url(&self.0))
    }
}

impl Database {
    /// A `--db` or `BIANMIN_DB` value: a PostgreSQL URL names a server, anything else a file.
    pub fn parse(value: &std::ffi::OsStr) -> Database {
        match value.to_str() {
            Some(s) if is_postgres_url(s) => Database::Server(s.trim().into()),
            _ => Database::File(PathBuf::from(value)),
        }
    }
}

/// Shows the file, or the server's URL without its password.
impl std::fmt::Display for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::File(p) => write!(f, "{}", p.display()),
            Database::Server(url) => write!(f, "{url}"),
        }
    }
}

/// Whether a database address names a PostgreSQL server rather than a SQLite file.
pub fn is_postgres_url(s: &str) -> bool {
    let s = s.trim_start();
    ["postgres://", "postgresql://"]
        .iter()
        .any(|p| s.len() >= p.len() && s[..p.len()].eq_ignore_ascii_case(p))
}

/// The address with any password replaced, for messages and logs: the one in `user:pass@` and
/// a `password=` (or `sslpassword=`) parameter of the query alike (issue 17, point 10).
pub fn redact_url(url: &str) -> String {
    redact_query(&redact_userinfo(url))
}

/// A query's password parameters replaced by `***`.
fn redact_query(url: &str) -> String {
    let Some(q) = url.find('?') else {
        return url.to_string();
    };
    let (head, query) = url.split_at(q + 1);
    let parts: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _))
                if k.eq_ignore_ascii_case("password") || k.eq_ignore_ascii_case("sslpassword") =>
            {
                format!("{k}=***")
            }
            _ => p.to_string(),
        })
        .collect();
    format!("{head}{}", parts.join("&"))
}

fn redact_userinfo(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_string();
    };
    match rest[..at].find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &url[..scheme_end + 3],
            &rest[..colon],
            &rest[at..]
        ),
        None => url.to_string(),
    }
}

/// Why `url` is not a PostgreSQL address the store can use, in Chinese.
pub fn check_server_url(url: &str) -> std::result::Result<(), String> {
    let shown = redact_url(url);
    if !is_postgres_url(url) {
        return Err(format!(
            "“{shown}”不是 PostgreSQL 地址，应以 postgres:// 开头，形如 postgres://用户名:密码@主机:端口/数据库名"
        ));
    }
    // `sslmode` and `sslrootcert` are taken out first: `postgres` does not know all their values.
    // Whether the address may be used unencrypted is decided when connecting (`store::tls`).
    match parse_url(url) {
        Ok(a) if !a.config.get_hosts().is_empty() && a.config.get_dbname().is_some() => Ok(()),
        Ok(_) => Err(format!(
            "“{shown}”缺少主机或数据库名，应形如 postgres://用户名:密码@主机:端口/数据库名"
        )),
        Err(message) => Err(message),
    }
}

/// libpq's `sslmode` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(s: &str) -> Option<SslMode> {
        Some(match s {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    pub(crate) fn wants_tls(self) -> bool {
        matches!(
            self,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull
        )
    }
}

/// A parsed server address: the configuration `postgres` understands, and the TLS parameters
/// it does not.
pub(crate) struct Address {
    pub(crate) config: Config,
    /// `None`: no `sslmode` in the URL.
    pub(crate) mode: Option<SslMode>,
    pub(crate) rootcert: Option<PathBuf>,
}

impl Address {
    /// A configuration parsed elsewhere: its `sslmode` (disable, prefer or require) is kept,
    /// with `prefer`, the default, taken as "not said"; no CA file.
    pub(crate) fn from_config(config: Config) -> Address {
        let mode = match config.get_ssl_mode() {
            PgSslMode::Disable => Some(SslMode::Disable),
            PgSslMode::Require => Some(SslMode::Require),
            _ => None,
        };
        Address {
            config,
            mode,
            rootcert: None,
        }
    }
}

/// The usage hint of every message about a malformed address.
const SHAPE: &str = "应形如 postgres://用户名:密码@主机:端口/数据库名";

/// Parses `url` (postgres://…), taking `sslmode` and `sslrootcert` out before `postgres`
/// parses the rest. The error is a Chinese message that shows the address without its password.
pub(crate) fn parse_url(url: &str) -> std::result::Result<Address, String> {
    let url = url.trim();
    let shown = redact_url(url);
    let invalid = || format!("数据库地址“{shown}”无效，{SHAPE}");
    // The query starts at the first '?' after the credentials, which `postgres` ends at the
    // first '@'.
    let search_from = url.find('@').unwrap_or(0);
    let (base, query) = match url[search_from..].find('?') {
        Some(q) => (&url[..search_from + q], Some(&url[search_from + q + 1..])),
        None => (url, None),
    };
    let mut mode = None;
    let mut rootcert = None;
    let mut kept: Vec<&str> = Vec::new();
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').ok_or_else(invalid)?;
        match percent_decode(key).as_deref() {
            Some("sslmode") => {
                let value = percent_decode(value).ok_or_else(invalid)?;
                mode = Some(SslMode::parse(&value).ok_or_else(|| {
                    format!(
                        "数据库地址“{shown}”中的 sslmode={value} 无效，应为 disable、allow、prefer、require、verify-ca 或 verify-full"
                    )
                })?);
            }
            Some("sslrootcert") => {
                let value = percent_decode(value).ok_or_else(invalid)?;
                if value.is_empty() {
                    return Err(format!(
                        "数据库地址“{shown}”中的 sslrootcert 为空，应为 CA 证书文件的路径"
                    ));
                }
                rootcert = Some(PathBuf::from(value));
            }
            Some("sslcert" | "sslkey") => {
                return Err(format!(
                    "数据库地址“{shown}”使用了客户端证书（sslcert、sslkey），本程序不支持，请在服务器上改用密码登录"
                ))
            }
            _ => kept.push(pair),
        }
    }
    let rest = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    let config: Config = rest.parse().map_err(|_| invalid())?;
    Ok(Address {
        config,
        mode,
        rootcert,
    })
}

/// `%XX` decoded; `None` when the result is not UTF-8 or an escape is broken.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_a_server_from_a_file() {
        for url in [
            "postgres://h/db",
            "  PostgreSQL://h/db",
            "postgresql://u@h/db",
        ] {
            assert!(is_postgres_url(url), "{url}");
        }
        for file in [
            "/tmp/x.db",
            "postgres.db",
            "./postgres:/x.db",
            "mysql://h/db",
            "",
        ] {
            assert!(!is_postgres_url(file), "{file}");
        }
    }

    #[test]
    fn hides_the_password_and_only_the_password() {
        for (url, shown) in [
            (
                "postgres://hall:s3cret@10.0.0.5:5432/bianmin",
                "postgres://hall:***@10.0.0.5:5432/bianmin",
            ),
            (
                "postgres://hall:p@ss@h/db?sslmode=require",
                "postgres://hall:***@h/db?sslmode=require",
            ),
            ("postgres://hall@h/db", "postgres://hall@h/db"),
            (
                "postgres://h/db?user=hall&password=s3cret&sslmode=require",
                "postgres://h/db?user=hall&password=***&sslmode=require",
            ),
            (
                "postgres://hall:a@h/db?PASSWORD=b&sslpassword=c",
                "postgres://hall:***@h/db?PASSWORD=***&sslpassword=***",
            ),
            ("postgres://h/db?user=a@b", "postgres://h/db?user=a@b"),
            ("/tmp/x.db", "/tmp/x.db"),
        ] {
            assert_eq!(redact_url(url), shown, "{url}");
        }
    }

    #[test]
    fn a_server_url_never_shows_its_password_but_connects_with_it() {
        let url = "postgres://hall:s3cret@10.0.0.5/bianmin";
        let db = Database::parse(format!(" {url} ").as_ref());
        assert_eq!(db, Database::Server(url.into()));
        for shown in [format!("{db}"), format!("{db:?}"), format!("{:#?}", db)] {
            assert!(!shown.contains("s3cret"), "{shown}");
            assert!(shown.contains("hall:***@10.0.0.5"), "{shown}");
        }
        let Database::Server(server) = db else {
            unreachable!()
        };
        assert_eq!(server.as_str(), url);
    }

    #[test]
    fn checks_the_form_of_a_server_url() {
        assert_eq!(check_server_url("postgres://u:pw@h:5432/db"), Ok(()));
        for bad in [
            "/tmp/x.db",
            "postgres://u:pw@h:5432",
            "postgres://u:pw@h/db?sslmode=x",
        ] {
            let e = check_server_url(bad).unwrap_err();
            assert!(!e.contains("pw@"), "{e}");
        }
    }
}
