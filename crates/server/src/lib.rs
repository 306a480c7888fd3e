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
//! Plain HTTP is served on loopback only; a LAN address needs TLS, which is not built yet.

pub mod api;
mod ops;
mod sessions;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bianmin_core::address::Database;
use bianmin_core::store::AnyStore;
use bianmin_core::{Error, Result};

pub use api::{operation_names, Needs, Operation};

/// What every call shares: the one store and the live sessions.
pub struct Hall {
    store: Mutex<AnyStore>,
    sessions: Mutex<sessions::Sessions>,
    idle_limit: Duration,
}

impl Hall {
    /// Opens (and migrates) the database the server will own.
    pub fn open(db: &Database) -> Result<Arc<Hall>> {
        let store = AnyStore::open(db)?;
        Ok(Arc::new(Hall {
            store: Mutex::new(store),
            sessions: Mutex::new(sessions::Sessions::default()),
            idle_limit: bianmin_core::accounts::idle_limit_from_env(),
        }))
    }
}

/// Reads `--listen`: an address and port on loopback (plain HTTP is for this PC alone).
pub fn parse_listen(text: &str) -> Result<SocketAddr> {
    let addr: SocketAddr = text.trim().parse().map_err(|_| {
        Error::invalid(
            "listen",
            format!(
                "监听地址“{}”无效：应写成 地址:端口，如 127.0.0.1:8443",
                text.trim()
            ),
        )
    })?;
    if !addr.ip().is_loopback() {
        return Err(Error::invalid(
            "listen",
            format!(
                "{} 不是本机回环地址：明文 HTTP 只在本机（127.0.0.1 或 ::1）上提供；局域网上的 TLS 尚未提供，暂不能在 {} 上服务",
                addr,
                addr.ip()
            ),
        ));
    }
    Ok(addr)
}

/// Serves `hall` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    hall: Arc<Hall>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = api::router(hall);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// `bianmin serve`: opens the database, listens on `listen` and serves until Ctrl-C or SIGTERM.
/// `ready` is told the address actually bound (port 0 picks a free one).
pub fn run(listen: SocketAddr, db: &Database, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    let hall = Hall::open(db)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::invalid("listen", format!("无法启动服务：{e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| Error::invalid("listen", format!("无法在 {listen} 上监听：{e}")))?;
        let bound = listener
            .local_addr()
            .map_err(|e| Error::invalid("listen", format!("无法在 {listen} 上监听：{e}")))?;
        ready(bound);
        serve(listener, hall, stopped())
            .await
            .map_err(|e| Error::invalid("listen", format!("服务中断：{e}")))
    })
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
    fn plain_http_listens_on_loopback_only_and_bad_addresses_name_the_flag() {
        assert_eq!(
            parse_listen("127.0.0.1:8443").unwrap(),
            "127.0.0.1:8443".parse::<SocketAddr>().unwrap()
        );
        assert!(parse_listen("[::1]:0").is_ok());
        for bad in [
            "0.0.0.0:8443",
            "192.168.1.10:8443",
            "localhost",
            "127.0.0.1",
            "",
        ] {
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
