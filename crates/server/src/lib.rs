//! `bianmin serve`: the hall server (issue 18). It owns the database (a SQLite file for a hall,
//! a PostgreSQL server for a county) and serves the core's operations as a JSON API, so that the
//! counters' PCs hold a session and never the database's keys.
//!
//! - `GET /api/health` answers without a session; every other `/api/` path answers 401 without
//!   one (an unknown path too, so that nobody maps the API without logging in).
//! - `POST /api/login` takes `{username, password}` and answers `{token, account, permissions}`;
//!   the token goes in `Authorization: Bearer …` on every later call; `POST /api/logout` ends it.
//! - `POST /api/<operation>` for each [`api::Operation`], its arguments as a JSON object. The
//!   operation's permission is checked by the route itself before its code runs ([`api`]).
//!
//! Errors answer `{code, field, message}` as the app's commands do: 400 bad input, 401 no live
//! session (or a failed login), 403 a role that does not allow it, 500 the server's own trouble.
//! Every audit record made for a call names the caller's address beside the server's OS user.
//!
//! Plain HTTP is served on loopback only; any other address is served over TLS with the
//! server's own certificate, which clients pin by its fingerprint ([`tls`], [`client`]).

pub mod api;
pub mod client;
pub mod devices;
mod ops;
pub mod pins;
mod sessions;
pub mod tls;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bianmin_core::address::Database;
use bianmin_core::store::AnyStore;
use bianmin_core::{Error, Result};

pub use api::{operation_names, Needs, Operation};

/// What every call shares: the one store, the live sessions, and the channel on which changes
/// are pushed to the counters' open lists.
pub struct Hall {
    store: Mutex<AnyStore>,
    sessions: Mutex<sessions::Sessions>,
    idle_limit: Duration,
    changes: tokio::sync::broadcast::Sender<api::Change>,
    /// A nudge on every queue or rating action: the hall's devices look again.
    front: tokio::sync::broadcast::Sender<()>,
    /// Ratings the pads sent, by their key, so a rating sent again is stored once.
    sent: Mutex<devices::SentRatings>,
}

impl Hall {
    /// Opens (and migrates) the database the server will own.
    pub fn open(db: &Database) -> Result<Arc<Hall>> {
        let store = AnyStore::open(db)?;
        Ok(Arc::new(Hall {
            store: Mutex::new(store),
            sessions: Mutex::new(sessions::Sessions::default()),
            idle_limit: bianmin_core::accounts::idle_limit_from_env(),
            changes: tokio::sync::broadcast::channel(256).0,
            front: tokio::sync::broadcast::channel(64).0,
            sent: Mutex::new(devices::SentRatings::default()),
        }))
    }
}

/// Reads `--listen`: an address and port. Loopback is served in plain HTTP (this PC alone);
/// any other address over TLS.
pub fn parse_listen(text: &str) -> Result<SocketAddr> {
    text.trim().parse().map_err(|_| {
        Error::invalid(
            "listen",
            format!(
                "监听地址“{}”无效：应写成 地址:端口，如 127.0.0.1:8443 或 192.168.1.10:8443",
                text.trim()
            ),
        )
    })
}

/// Whether `addr` is served over TLS: every address but loopback.
pub fn needs_tls(addr: SocketAddr) -> bool {
    !addr.ip().is_loopback()
}

/// Serves `hall` on `listener` (plain TCP or [`tls::TlsListener`]) until `shutdown` completes.
pub async fn serve<L>(
    listener: L,
    hall: Arc<Hall>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    L: axum::serve::Listener<Addr = SocketAddr>,
    tls::Peer: for<'a> axum::extract::connect_info::Connected<axum::serve::IncomingStream<'a, L>>,
{
    let app = api::router(hall);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<tls::Peer>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Where the server listens, as `ready` is told: the address bound (port 0 picks a free one)
/// and, over TLS, the certificate's fingerprint and whether it was made at this start.
pub struct Bound {
    pub addr: SocketAddr,
    pub tls: Option<(String, bool)>,
}

impl Bound {
    /// The address clients use: `http://` on loopback, `https://` otherwise.
    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }
}

/// `bianmin serve`: opens the database, listens on `listen` (over TLS off loopback, with the
/// certificate kept in `tls_dir`) and serves until Ctrl-C or SIGTERM.
pub fn run(
    listen: SocketAddr,
    db: &Database,
    tls_dir: &std::path::Path,
    ready: impl FnOnce(&Bound),
) -> Result<()> {
    let identity = needs_tls(listen)
        .then(|| tls::load_or_make(tls_dir))
        .transpose()?;
    let hall = Hall::open(db)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::invalid("listen", format!("无法启动服务：{e}")))?;
    let stopped = Stopping::default();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| Error::invalid("listen", format!("无法在 {listen} 上监听：{e}")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::invalid("listen", format!("无法在 {listen} 上监听：{e}")))?;
        let down = |e: std::io::Error| Error::invalid("listen", format!("服务中断：{e}"));
        match identity {
            None => {
                ready(&Bound { addr, tls: None });
                stopped
                    .or_after_grace(serve(listener, hall, stopped.stop()))
                    .await
                    .map_err(down)
            }
            Some(identity) => {
                ready(&Bound {
                    addr,
                    tls: Some((identity.fingerprint.clone(), identity.made)),
                });
                let listener = tls::TlsListener::new(listener, &identity)?;
                stopped
                    .or_after_grace(serve(listener, hall, stopped.stop()))
                    .await
                    .map_err(down)
            }
        }
    })
}

/// A stop that does not wait for ever: the open lists and the hall's screens hold their event
/// streams open, so after Ctrl-C or SIGTERM the server stops taking connections, lets calls in
/// flight finish for [`GRACE`], and then ends, closing the streams (their pages reconnect).
#[derive(Default, Clone)]
struct Stopping(Arc<tokio::sync::Notify>);

/// How long calls in flight have to finish once the server is told to stop.
const GRACE: Duration = Duration::from_secs(2);

impl Stopping {
    /// Completes on Ctrl-C or SIGTERM, and starts the grace period.
    fn stop(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let told = self.0.clone();
        async move {
            stopped().await;
            told.notify_one();
        }
    }

    /// `serving`, or its end [`GRACE`] after the stop.
    async fn or_after_grace(
        &self,
        serving: impl std::future::Future<Output = std::io::Result<()>>,
    ) -> std::io::Result<()> {
        let told = self.0.clone();
        tokio::select! {
            r = serving => r,
            _ = async move {
                told.notified().await;
                tokio::time::sleep(GRACE).await;
            } => Ok(()),
        }
    }
}

/// Completes on Ctrl-C or SIGTERM (systemd's stop).
async fn stopped() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_for_loopback_tls_for_the_rest_and_bad_addresses_name_the_flag() {
        let at = |s: &str| parse_listen(s).unwrap();
        assert!(!needs_tls(at("127.0.0.1:8443")) && !needs_tls(at("[::1]:0")));
        assert!(needs_tls(at("0.0.0.0:8443")) && needs_tls(at("192.168.1.10:8443")));
        for bad in ["localhost", "127.0.0.1", "", "192.168.1.10:99999"] {
            let e = parse_listen(bad).unwrap_err();
            assert!(
                matches!(
                    &e,
                    Error::Invalid {
                        field: "listen",
                        ..
                    }
                ),
                "{bad}: {e:?}"
            );
        }
    }
}
