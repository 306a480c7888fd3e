//! TLS for a server off loopback (issue 18, point 4). On its first start the server makes its
//! own certificate and key (rcgen, ECDSA P-256), keeps them in its TLS folder (0700, files 0600)
//! and prints the certificate's SHA-256 fingerprint; a PC connecting the first time shows that
//! fingerprint for the administrator to compare and then pins it, so no certificate authority
//! is needed and a changed certificate is noticed.
//!
//! Handshakes run in their own tasks; only finished ones reach axum, so a slow or silent client
//! holds up nobody else.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use bianmin_core::{Error, Result};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest, Sha256};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

const CERT_FILE: &str = "server-cert.der";
const KEY_FILE: &str = "server-key.der";

/// How long a client may take over its handshake.
const HANDSHAKE_LIMIT: Duration = Duration::from_secs(10);

/// The server's certificate and key, and the fingerprint people compare.
pub struct Identity {
    cert: CertificateDer<'static>,
    key: PrivatePkcs8KeyDer<'static>,
    /// `SHA256:` and the certificate's digest in colon-separated pairs, as people read it.
    pub fingerprint: String,
    /// Made now (first start), not read from the folder.
    pub made: bool,
}

/// The fingerprint of a certificate (its DER bytes), as [`Identity::fingerprint`] writes it.
pub fn fingerprint(der: &[u8]) -> String {
    let digest = Sha256::digest(der);
    let pairs: Vec<String> = digest.iter().map(|b| format!("{b:02X}")).collect();
    format!("SHA256:{}", pairs.join(":"))
}

fn tls_error(dir: &Path, what: &str, e: impl std::fmt::Display) -> Error {
    Error::invalid(
        "tls_dir",
        format!("TLS 证书目录 {}：{what}（{e}）", dir.display()),
    )
}

/// The identity kept in `dir`, made there first if the folder holds none. A folder with one
/// file and not the other, or files that do not read back, are refused rather than replaced:
/// a new certificate would make every PC refuse the server.
pub fn load_or_make(dir: &Path) -> Result<Identity> {
    let (cert_path, key_path) = (dir.join(CERT_FILE), dir.join(KEY_FILE));
    match (cert_path.exists(), key_path.exists()) {
        (true, true) => {
            let cert = std::fs::read(&cert_path).map_err(|e| tls_error(dir, "读不出证书", e))?;
            let key = std::fs::read(&key_path).map_err(|e| tls_error(dir, "读不出私钥", e))?;
            let identity = Identity {
                fingerprint: fingerprint(&cert),
                cert: CertificateDer::from(cert),
                key: PrivatePkcs8KeyDer::from(key),
                made: false,
            };
            // Checked now, not at the first client's handshake.
            config(&identity)?;
            Ok(identity)
        }
        (false, false) => {
            let names = vec!["localhost".to_string(), "bianmin-hall".to_string()];
            let made = rcgen::generate_simple_self_signed(names)
                .map_err(|e| tls_error(dir, "无法生成证书", e))?;
            let cert = made.cert.der().to_vec();
            let key = made.signing_key.serialize_der();
            bianmin_core::files::create_dir(dir).map_err(|e| tls_error(dir, "无法创建", e))?;
            bianmin_core::files::write_whole(&key_path, &key)
                .map_err(|e| tls_error(dir, "无法写入私钥", e))?;
            bianmin_core::files::write_whole(&cert_path, &cert)
                .map_err(|e| tls_error(dir, "无法写入证书", e))?;
            Ok(Identity {
                fingerprint: fingerprint(&cert),
                cert: CertificateDer::from(cert),
                key: PrivatePkcs8KeyDer::from(key),
                made: true,
            })
        }
        _ => Err(tls_error(
            dir,
            "证书和私钥只有一个",
            format!("应同时有 {CERT_FILE} 和 {KEY_FILE}；请从备份放回缺的那个，或把两个都移走以生成新证书（各窗口须重新核对指纹）"),
        )),
    }
}

fn config(identity: &Identity) -> Result<Arc<rustls::ServerConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| Error::Crypto(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(
            vec![identity.cert.clone()],
            PrivateKeyDer::Pkcs8(identity.key.clone_key()),
        )
        .map_err(|e| Error::invalid("tls_dir", format!("TLS 证书与私钥不能配合使用：{e}")))?;
    Ok(Arc::new(config))
}

/// Accepts TCP connections and hands axum those whose TLS handshake finished.
pub struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
}

impl TlsListener {
    pub fn new(tcp: TcpListener, identity: &Identity) -> Result<TlsListener> {
        let acceptor = TlsAcceptor::from(config(identity)?);
        let local = tcp
            .local_addr()
            .map_err(|e| Error::invalid("listen", format!("无法监听：{e}")))?;
        let (tx, ready) = mpsc::channel(64);
        tokio::spawn(async move {
            loop {
                let (stream, peer) = match tcp.accept().await {
                    Ok(c) => c,
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let (acceptor, tx) = (acceptor.clone(), tx.clone());
                tokio::spawn(async move {
                    if let Ok(Ok(tls)) =
                        tokio::time::timeout(HANDSHAKE_LIMIT, acceptor.accept(stream)).await
                    {
                        let _ = tx.send((tls, peer)).await;
                    }
                });
            }
        });
        Ok(TlsListener { ready, local })
    }
}

impl Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(c) => c,
            // The accepting task never ends while the listener lives.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.local)
    }
}

/// The caller's address, over plain TCP or TLS alike.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

impl Connected<IncomingStream<'_, TlsListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, TlsListener>) -> Self {
        Peer(*stream.remote_addr())
    }
}

impl Connected<IncomingStream<'_, TcpListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, TcpListener>) -> Self {
        Peer(*stream.remote_addr())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_certificate_is_made_once_kept_private_and_read_back_with_its_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let tls = dir.path().join("tls");
        let first = load_or_make(&tls).unwrap();
        assert!(first.made);
        assert!(first.fingerprint.starts_with("SHA256:"));
        assert_eq!(first.fingerprint.len(), "SHA256:".len() + 32 * 3 - 1);
        let again = load_or_make(&tls).unwrap();
        assert!(!again.made);
        assert_eq!(again.fingerprint, first.fingerprint);
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&tls), 0o700);
        assert_eq!(mode(&tls.join(KEY_FILE)), 0o600);
        // One file missing: refused, nothing made.
        std::fs::remove_file(tls.join(KEY_FILE)).unwrap();
        let e = load_or_make(&tls).err().unwrap();
        assert!(
            matches!(&e, Error::Invalid { field: "tls_dir", message } if message.contains("只有一个")),
            "{e:?}"
        );
        assert!(!tls.join(KEY_FILE).exists());
        // A damaged key is refused at start.
        std::fs::write(tls.join(KEY_FILE), b"not a key").unwrap();
        assert!(load_or_make(&tls).is_err());
    }
}
