//! Encryption of the connections to a PostgreSQL server (TLS, with rustls), driven by the URL's
//! standard libpq parameters `sslmode` and `sslrootcert`.
//!
//! The rule is "TLS off loopback": a server on this very machine (every host of the URL is
//! 127.0.0.0/8, ::1, `localhost` or a unix socket folder, and so is every `hostaddr`) may be
//! reached in the clear; any other server only through TLS with a verified certificate. Stricter
//! than libpq, on purpose: the counters send residents' ID numbers and the staff's passwords.
//!
//! | `sslmode`                     | on loopback                 | off loopback                  |
//! |-------------------------------|-----------------------------|-------------------------------|
//! | absent, `disable`, `allow`, `prefer` | plain, no TLS attempted | refused before connecting (`Error::Invalid`, field `db`) |
//! | `require`, `verify-ca`        | TLS, certificate chain verified | the same                  |
//! | `verify-full`                 | TLS, chain and host name verified | the same                |
//!
//! - TLS is then mandatory: a server without TLS is refused, never fallen back from.
//! - `sslrootcert=/路径/ca.crt` names the CA certificates (PEM) the server's certificate must
//!   chain to: the expected case, a hall's own CA. Without it the system's root certificates are
//!   used, and then `require` and `verify-ca` check the host name as well (a chain to a public
//!   root proves nothing unless the name is the server's).
//! - `require` is libpq's "encrypt, verify nothing" nowhere here: it means `verify-ca`.
//! - `postgres::Config` knows neither `sslrootcert` nor `allow`, `verify-ca`, `verify-full`:
//!   both parameters are taken out of the URL before it is parsed and kept here.
//! - Client certificates (`sslcert`, `sslkey`) are not supported; such a URL is refused as
//!   invalid.

use std::net::IpAddr;
use std::sync::Arc;

use postgres::config::{Host, SslMode as PgSslMode};
use postgres::Config;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

pub(crate) use crate::address::{parse_url, Address, SslMode};
use crate::{Error, Result};

/// Whether every address the configuration connects to is on this machine.
pub(crate) fn is_loopback(config: &Config) -> bool {
    let addrs = config.get_hostaddrs();
    if !addrs.is_empty() {
        return addrs.iter().all(IpAddr::is_loopback);
    }
    config.get_hosts().iter().all(|host| match host {
        Host::Tcp(name) => {
            let name = name.trim_end_matches('.');
            name.eq_ignore_ascii_case("localhost")
                || name
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        #[cfg(unix)]
        Host::Unix(_) => true,
    })
}

/// Decides how to connect to `address` and sets its configuration's `sslmode` to match:
/// `None` for plain connections, else the TLS connector. Refuses (before any connection is
/// tried) an unencrypted address off loopback, and a CA file that cannot be read. `field` names
/// the input in errors.
pub(crate) fn plan(
    address: &mut Address,
    field: &'static str,
) -> Result<Option<MakeRustlsConnect>> {
    let mode = address.mode;
    if !mode.is_some_and(SslMode::wants_tls) {
        if !is_loopback(&address.config) {
            return Err(Error::invalid(
                field,
                "数据库服务器不在本机，连接必须加密：请在数据库地址末尾加上 ?sslmode=verify-full&sslrootcert=/路径/ca.crt（ca.crt 是服务器证书的 CA 证书），并在服务器上开启 ssl",
            ));
        }
        address.config.ssl_mode(PgSslMode::Disable);
        return Ok(None);
    }
    let roots = match &address.rootcert {
        Some(path) => ca_file(path, field)?,
        None => system_roots(field)?,
    };
    // The host name is checked with verify-full, and always against the system's roots.
    let check_name = mode == Some(SslMode::VerifyFull) || address.rootcert.is_none();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::invalid(field, format!("无法建立 TLS 设置：{e}")))?;
    let client = if check_name {
        builder.with_root_certificates(roots).with_no_client_auth()
    } else {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(ChainOnly {
                roots: Arc::new(roots),
                algorithms: provider.signature_verification_algorithms,
            }))
            .with_no_client_auth()
    };
    address.config.ssl_mode(PgSslMode::Require);
    Ok(Some(MakeRustlsConnect::new(client)))
}

/// The CA certificates in the PEM file at `path`.
fn ca_file(path: &std::path::Path, field: &'static str) -> Result<RootCertStore> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "文件不存在".to_string(),
            std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
            _ => e.to_string(),
        };
        Error::invalid(
            field,
            format!("无法读取 CA 证书文件 {shown}（sslrootcert）：{why}"),
        )
    })?;
    let not_pem = || {
        Error::invalid(
            field,
            format!("CA 证书文件 {shown}（sslrootcert）中没有 PEM 格式的证书（应含 -----BEGIN CERTIFICATE-----）"),
        )
    };
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|_| not_pem())?;
    if certs.is_empty() {
        return Err(not_pem());
    }
    let mut roots = RootCertStore::empty();
    for cert in certs {
        roots.add(cert).map_err(|e| {
            Error::invalid(
                field,
                format!("CA 证书文件 {shown}（sslrootcert）中的证书无效：{e}"),
            )
        })?;
    }
    Ok(roots)
}

/// The system's root certificates.
fn system_roots(field: &'static str) -> Result<RootCertStore> {
    let mut roots = RootCertStore::empty();
    let (added, _) =
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    if added == 0 {
        return Err(Error::invalid(
            field,
            "本机没有可用的系统根证书：请在数据库地址中用 sslrootcert=/路径/ca.crt 指定服务器证书的 CA 证书",
        ));
    }
    Ok(roots)
}

/// Verifies that the server's certificate chains to one of `roots`, whatever name it carries
/// (`require` and `verify-ca` with a CA file of the hall's own).
#[derive(Debug)]
struct ChainOnly {
    roots: Arc<RootCertStore>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let cert = rustls::server::ParsedCertificate::try_from(end_entity)?;
        rustls::client::verify_server_cert_signed_by_trust_anchor(
            &cert,
            &self.roots,
            intermediates,
            now,
            self.algorithms.all,
        )?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// Why a TLS connection failed, in words for the person at the counter; `None` when the error
/// is not about TLS.
pub(crate) fn tls_reason(e: &postgres::Error) -> Option<String> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(tls) = s.downcast_ref::<rustls::Error>() {
            return Some(rustls_reason(tls));
        }
        // tokio-rustls wraps the rustls error in an io::Error, whose `source` skips it.
        let inner = s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>());
        if let Some(tls) = inner {
            return Some(rustls_reason(tls));
        }
        if s.to_string().contains("server does not support TLS") {
            return Some(
                "服务器没有开启 TLS 加密（postgresql.conf 中 ssl = on），而这个地址要求加密连接"
                    .into(),
            );
        }
        source = s.source();
    }
    None
}

fn rustls_reason(e: &rustls::Error) -> String {
    use rustls::{CertificateError as C, Error as E};
    match e {
        E::InvalidCertificate(C::UnknownIssuer | C::BadSignature | C::InvalidPurpose) => {
            "服务器的证书不受信任：它不是由 sslrootcert 指定的 CA 签发的（CA 证书文件不对，或有人冒充服务器）".into()
        }
        E::InvalidCertificate(C::NotValidForName | C::NotValidForNameContext { .. }) => {
            "服务器证书上的名称与地址中的主机不符（sslmode=verify-full 要求相符）".into()
        }
        E::InvalidCertificate(
            C::Expired | C::ExpiredContext { .. } | C::NotValidYet | C::NotValidYetContext { .. },
        ) => "服务器的证书已过期或尚未生效（请检查证书和本机的时间）".into(),
        E::InvalidCertificate(C::Revoked) => "服务器的证书已被吊销".into(),
        E::InvalidCertificate(other) => format!("服务器的证书无效（{other:?}）"),
        other => format!("TLS 加密握手失败（{other}）"),
    }
}

/// [`parse_url`] then [`plan`], for the store's connections and probes.
pub(crate) fn address(
    url: &str,
    field: &'static str,
) -> Result<(Config, Option<MakeRustlsConnect>)> {
    let mut address = parse_url(url).map_err(|m| Error::invalid(field, m))?;
    let tls = plan(&mut address, field)?;
    Ok((address.config, tls))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn decide(url: &str) -> Result<bool> {
        address(url, "db").map(|(_, tls)| tls.is_some())
    }

    #[test]
    fn loopback_stays_plain_unless_tls_is_asked_for() {
        for url in [
            "postgres://u@127.0.0.1:5432/db",
            "postgres://u@127.8.9.10/db",
            "postgres://u@localhost/db",
            "postgres://u@LOCALHOST:5432/db?sslmode=prefer",
            "postgres://u@[::1]:5432/db?sslmode=disable",
            "postgres://u@/db?host=/var/run/postgresql",
            "postgres://u@127.0.0.1/db?sslmode=allow&application_name=x",
            "postgres://u@db.example/db?hostaddr=127.0.0.1",
        ] {
            assert!(!decide(url).unwrap(), "{url}");
            let (config, _) = address(url, "db").unwrap();
            assert_eq!(config.get_ssl_mode(), PgSslMode::Disable, "{url}");
        }
    }

    #[test]
    fn off_loopback_without_tls_is_refused_before_connecting() {
        for url in [
            "postgres://hall:s3cret@10.255.255.1:5432/bianmin",
            "postgres://hall:s3cret@10.255.255.1:5432/bianmin?sslmode=disable",
            "postgres://hall:s3cret@10.255.255.1/bianmin?sslmode=allow",
            "postgres://hall:s3cret@server.hall/bianmin?sslmode=prefer",
            "postgres://hall:s3cret@server.hall/bianmin?sslrootcert=/etc/ca.crt",
            "postgres://hall:s3cret@127.0.0.1,10.0.0.5/bianmin",
            "postgres://hall:s3cret@localhost/bianmin?hostaddr=10.0.0.5",
            "postgres://hall:s3cret@localhost.evil.example/bianmin",
        ] {
            let e = decide(url).unwrap_err();
            let text = e.to_string();
            assert!(
                matches!(e, Error::Invalid { field: "db", .. }),
                "{url}: {e:?}"
            );
            assert!(text.contains("sslmode=verify-full&sslrootcert="), "{text}");
            assert!(!text.contains("s3cret"), "{text}");
        }
    }

    #[test]
    fn the_tls_parameters_are_taken_out_before_postgres_parses() {
        let a = parse_url(
            "postgres://u:p%3Fw@h:5433/db?application_name=c1&sslmode=verify-full&sslrootcert=/etc/%E5%A4%A7%E5%8E%85/ca.crt&connect_timeout=3",
        )
        .unwrap();
        assert_eq!(a.mode, Some(SslMode::VerifyFull));
        assert_eq!(a.rootcert, Some(PathBuf::from("/etc/大厅/ca.crt")));
        assert_eq!(a.config.get_application_name(), Some("c1"));
        assert_eq!(a.config.get_password(), Some(&b"p?w"[..]));
        assert_eq!(
            a.config.get_connect_timeout(),
            Some(&std::time::Duration::from_secs(3))
        );
        for (value, mode) in [
            ("disable", SslMode::Disable),
            ("allow", SslMode::Allow),
            ("prefer", SslMode::Prefer),
            ("require", SslMode::Require),
            ("verify-ca", SslMode::VerifyCa),
        ] {
            let a = parse_url(&format!("postgres://h/db?sslmode={value}")).unwrap();
            assert_eq!(a.mode, Some(mode));
        }
        for bad in [
            "postgres://u:s3cret@h/db?sslmode=maybe",
            "postgres://u:s3cret@h/db?sslrootcert=",
            "postgres://u:s3cret@h/db?sslcert=/c.crt&sslkey=/c.key",
            "postgres://u:s3cret@h/db?nonsense=1",
            "postgres://u:s3cret@h/db?sslmode",
        ] {
            let m = parse_url(bad)
                .err()
                .unwrap_or_else(|| panic!("{bad} accepted"));
            assert!(!m.contains("s3cret"), "{m}");
        }
    }

    #[test]
    fn a_bad_ca_file_is_an_invalid_address() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.crt");
        let garbage = dir.path().join("garbage.crt");
        std::fs::write(&garbage, "not a certificate").unwrap();
        for (path, says) in [(&missing, "文件不存在"), (&garbage, "PEM")] {
            let url = format!(
                "postgres://u:s3cret@10.255.255.1/db?sslmode=verify-full&sslrootcert={}",
                path.display()
            );
            let e = decide(&url).unwrap_err();
            assert!(matches!(e, Error::Invalid { field: "db", .. }), "{e:?}");
            assert!(e.to_string().contains(says), "{e}");
        }
    }

    /// A throwaway server that takes TLS connections only (`scripts/pg-test-server.sh start
    /// --tls`), stopped and removed when dropped.
    struct TlsServer {
        /// postgres://…@localhost:PORT/postgres?sslmode=verify-full&sslrootcert=…
        url: String,
        dir: PathBuf,
    }

    impl TlsServer {
        fn script() -> PathBuf {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pg-test-server.sh")
        }

        fn start() -> TlsServer {
            let out = std::process::Command::new("bash")
                .arg(Self::script())
                .args(["start", "--tls"])
                .output()
                .expect("bash runs");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "TLS test server: {stderr}");
            let url = String::from_utf8(out.stdout).unwrap().trim().to_string();
            let dir = PathBuf::from(stderr.lines().last().expect("the folder").trim());
            TlsServer { url, dir }
        }

        fn port(&self) -> &str {
            let after = &self.url[self.url.find("localhost:").unwrap() + "localhost:".len()..];
            &after[..after.find('/').unwrap()]
        }

        fn ca(&self) -> PathBuf {
            self.dir.join("tls/ca.crt")
        }

        fn user(&self) -> &str {
            &self.url["postgres://".len()..self.url.find('@').unwrap()]
        }

        /// The server's URL at `host`, with a password that must never be shown, and `query`.
        fn at(&self, host: &str, query: &str) -> String {
            format!(
                "postgres://{}:s3cret@{host}:{}/postgres?{query}",
                self.user(),
                self.port()
            )
        }
    }

    impl Drop for TlsServer {
        fn drop(&mut self) {
            let _ = std::process::Command::new("bash")
                .arg(Self::script())
                .arg("stop")
                .arg(&self.dir)
                .status();
        }
    }

    fn unreachable_reason(r: Result<super::super::PgStore>) -> String {
        match r {
            Err(Error::Unreachable { server, reason }) => {
                assert!(!server.contains("s3cret") && !reason.contains("s3cret"));
                reason
            }
            Err(e) => panic!("not an unreachable server: {e:?}"),
            Ok(_) => panic!("connected"),
        }
    }

    /// One test, so that one server serves every step in turn.
    #[test]
    fn tls_connections_are_verified_and_plain_ones_refused() {
        use super::super::{PgStore, SqliteStore};
        let Some(plain) = crate::store::test_server_url() else {
            return;
        };
        let server = TlsServer::start();
        let ca = server.ca();
        let ca = ca.display();
        // Nothing here without TLS: the server's own unix socket (plain, on this machine) shows
        // what was written.
        let socket = format!(
            "postgres://{}@/postgres?host={}&port={}",
            server.user(),
            server.dir.display(),
            server.port()
        );
        let schema = || PgStore::probe(&socket).unwrap().schema_version;

        // A certificate from another CA: refused before anything is written.
        let other = tempfile::tempdir().unwrap();
        let other_ca = other.path().join("other-ca.crt");
        let made = std::process::Command::new("openssl")
            .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
            .args(["ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"])
            .args(["-subj", "/CN=Another CA", "-keyout"])
            .arg(other.path().join("other-ca.key"))
            .arg("-out")
            .arg(&other_ca)
            .output()
            .unwrap();
        assert!(made.status.success(), "{made:?}");
        for mode in ["verify-full", "verify-ca", "require"] {
            let url = server.at(
                "localhost",
                &format!("sslmode={mode}&sslrootcert={}", other_ca.display()),
            );
            let reason = unreachable_reason(PgStore::connect(&url));
            assert!(reason.contains("不受信任"), "{mode}: {reason}");
        }
        // With the system's roots the hall's own CA is unknown too.
        let reason = unreachable_reason(PgStore::connect(
            &server.at("localhost", "sslmode=verify-full"),
        ));
        assert!(reason.contains("不受信任"), "{reason}");
        let probe = PgStore::probe(&server.at(
            "localhost",
            &format!("sslmode=verify-full&sslrootcert={}", other_ca.display()),
        ));
        assert!(matches!(probe, Err(Error::Unreachable { .. })), "{probe:?}");
        assert_eq!(schema(), 0, "something was written");

        // Plain TCP is refused by the server, even on loopback.
        let reason = unreachable_reason(PgStore::connect(&server.at("127.0.0.1", "")));
        assert!(reason.contains("不允许这台电脑连接"), "{reason}");

        // The right CA: the store works, with the same answers as SQLite.
        let url = server.at(
            "localhost",
            &format!("sslmode=verify-full&sslrootcert={ca}"),
        );
        let probe = PgStore::probe(&url).unwrap();
        assert_eq!(probe.schema_version, 0);
        assert!(!probe.server.contains("s3cret"));
        let mut store = PgStore::connect(&url).unwrap();
        let encrypted = store
            .query_bool_for_tests("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .unwrap();
        assert!(encrypted);
        let over_tls = super::super::suite::staffing(&mut store);
        let on_sqlite = super::super::suite::staffing(&mut SqliteStore::open_in_memory().unwrap());
        assert_eq!(over_tls, on_sqlite);
        assert_eq!(schema(), super::super::SCHEMA_VERSION);

        // 127.0.0.1 is in the certificate too; require and verify-ca with a CA file do not
        // look at the name, verify-full does.
        for (host, mode) in [
            ("127.0.0.1", "verify-full"),
            ("127.0.0.1", "require"),
            ("localhost", "verify-ca"),
        ] {
            let url = server.at(host, &format!("sslmode={mode}&sslrootcert={ca}"));
            PgStore::connect(&url).unwrap_or_else(|e| panic!("{host} {mode}: {e}"));
        }
        let elsewhere = format!("sslrootcert={ca}&hostaddr=127.0.0.1");
        let url = server.at(
            "counter-server.hall",
            &format!("sslmode=verify-ca&{elsewhere}"),
        );
        PgStore::connect(&url).unwrap();
        let url = server.at(
            "counter-server.hall",
            &format!("sslmode=verify-full&{elsewhere}"),
        );
        let reason = unreachable_reason(PgStore::connect(&url));
        assert!(reason.contains("名称与地址中的主机不符"), "{reason}");

        // A server without TLS, where TLS is required.
        let no_tls = parse_url(&plain).unwrap().config;
        let host = match &no_tls.get_hosts()[0] {
            Host::Tcp(h) => h.clone(),
            #[cfg(unix)]
            Host::Unix(_) => panic!("BIANMIN_TEST_PG over TCP"),
        };
        let url = format!(
            "postgres://{}:s3cret@{host}:{}/postgres?sslmode=require&sslrootcert={ca}",
            no_tls.get_user().unwrap(),
            no_tls.get_ports()[0]
        );
        let reason = unreachable_reason(PgStore::connect(&url));
        assert!(reason.contains("没有开启 TLS"), "{reason}");

        // Off loopback without TLS: refused at once, nothing sent anywhere.
        let started = std::time::Instant::now();
        for url in [
            "postgres://hall:s3cret@10.255.255.1:5432/bianmin",
            "postgres://hall:s3cret@10.255.255.1:5432/bianmin?sslmode=prefer",
        ] {
            let e = PgStore::connect(url).err().expect("refused");
            assert!(matches!(e, Error::Invalid { field: "db", .. }), "{e:?}");
            assert!(e.to_string().contains("sslmode=verify-full"), "{e}");
            let e = PgStore::probe(url).unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::Invalid {
                        field: "database_url",
                        ..
                    }
                ),
                "{e:?}"
            );
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }
}
