//! The API: one route per operation, each registered through [`route`], which checks the
//! session and the operation's permission before the operation's code runs. An operation's
//! code takes an [`Authorized`], which only this module can make, so no operation can be
//! written that runs without the check.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use bianmin_core::accounts::{self, Account, Activity, Permission, Session};
use bianmin_core::store::{AnyStore, Store};
use bianmin_core::{date, Error, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::sessions::{new_token, well_formed};
use crate::tls::Peer;
use crate::Hall;

/// What an operation needs of the caller's session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Any live session whose account may act (the first-login password change aside).
    Account,
    /// A role that grants this permission.
    Permission(Permission),
    /// Roles that grant both (printing a form, and the form kind's own permission).
    Both(Permission, Permission),
}

/// Proof that the call's session is live, its account read again, and its roles grant what
/// the operation needs. Only [`route`]'s handler makes one.
pub struct Authorized {
    account: Account,
    _sealed: (),
}

impl Authorized {
    pub fn account(&self) -> &Account {
        &self.account
    }
}

/// One operation of the API: its route name, what it needs, its arguments (the type itself,
/// read from the JSON body) and its answer.
pub trait Operation: DeserializeOwned + Send + 'static {
    /// The route: `POST /api/NAME`.
    const NAME: &'static str;
    /// The action's name in the audit log when it is refused.
    const WHAT: &'static str;
    type Answer: Serialize;
    /// What the call needs. Required, so that no operation is written without it.
    const NEEDS: Needs;
    /// What the call needs: [`Operation::NEEDS`], or what the arguments decide (a step's
    /// permission depends on its kind).
    fn needs(&self) -> Result<Needs> {
        Ok(Self::NEEDS)
    }
    /// A background refresh (a list's polling) does not keep an unattended session alive.
    fn background(&self) -> bool {
        false
    }
    fn run(self, store: &mut AnyStore, who: &Authorized) -> Result<Self::Answer>;
    /// The account as the session should now hold it, when the operation changed it (one's
    /// own password): otherwise the next call would find the credential changed and end it.
    fn account_after(_answer: &Self::Answer) -> Option<Account> {
        None
    }
    /// Whether the operation changes what the hall's devices show (a ticket, a call, a
    /// rating): they are nudged to look again.
    const FRONT: bool = false;
    /// The request the operation changed, pushed to every open list that may see it.
    fn changed(_answer: &Self::Answer) -> Option<Change> {
        None
    }
}

/// A request taken in or moved on, as `GET /api/events` pushes it (`event: request`).
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub number: String,
    pub town: String,
}

/// The error body every front end reads: `{code, field, message}`.
#[derive(Debug, Serialize)]
struct Failure {
    code: &'static str,
    field: Option<&'static str>,
    message: String,
}

fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::Invalid { .. } | Error::Import(_) => StatusCode::BAD_REQUEST,
        Error::NotLoggedIn
        | Error::SessionExpired
        | Error::SessionEnded(_)
        | Error::BadCredentials
        | Error::Locked { .. }
        | Error::AccountDisabled => StatusCode::UNAUTHORIZED,
        Error::Forbidden { .. } | Error::OtherTown { .. } | Error::MustChangePassword => {
            StatusCode::FORBIDDEN
        }
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn failure(e: &Error) -> Response {
    let body = Failure {
        code: e.code(),
        field: e.field(),
        message: e.public_message(),
    };
    (status_of(e), Json(body)).into_response()
}

fn answer(result: Result<serde_json::Value>) -> Response {
    match result {
        Ok(v) => (StatusCode::OK, Json(v)).into_response(),
        Err(e) => failure(&e),
    }
}

/// The token of `Authorization: Bearer TOKEN`, if well formed.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ")?.trim();
    well_formed(token).then(|| token.to_string())
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The arguments of `O` from the body; an empty body is an empty object.
fn arguments<O: DeserializeOwned>(body: &[u8]) -> Result<O> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| {
        Error::invalid(
            "body",
            format!("请求内容不是本操作的参数（JSON 对象）：{e}"),
        )
    })
}

/// Runs `O` for the session of `token`: no live session answers 401 before the arguments are
/// read; then the arguments, the session's limits and account, the permission, the operation.
fn call<O: Operation>(hall: &Hall, token: Option<String>, client: &str, body: &[u8]) -> Response {
    let mut store = lock(&hall.store);
    let mut sessions = lock(&hall.sessions);
    let Some(token) = token.filter(|t| sessions.contains(t)) else {
        return failure(&Error::NotLoggedIn);
    };
    let mut slot = sessions.take(&token);
    let result = bianmin_core::audit::as_client(client, || {
        let op: O = arguments(body)?;
        let needs = op.needs()?;
        let activity = if op.background() {
            Activity::Background
        } else {
            Activity::Person
        };
        let (now, at) = (Instant::now(), date::now()?);
        let account = match needs {
            Needs::Account => {
                accounts::session_account(&mut *store, &mut slot, O::WHAT, activity, now, at)?
            }
            Needs::Permission(p) => {
                accounts::authorize_as(&mut *store, &mut slot, p, O::WHAT, activity, now, at)?
            }
            Needs::Both(p, q) => {
                accounts::authorize_as(&mut *store, &mut slot, p, O::WHAT, activity, now, at)?;
                accounts::authorize_as(&mut *store, &mut slot, q, O::WHAT, activity, now, at)?
            }
        };
        let who = Authorized {
            account,
            _sealed: (),
        };
        let answer = op.run(&mut store, &who)?;
        if let (Some(account), Some(live)) = (O::account_after(&answer), slot.as_mut()) {
            live.account = account;
        }
        if O::FRONT {
            let _ = hall.front.send(());
        }
        if let Some(change) = O::changed(&answer) {
            // Nobody listening is no error.
            let _ = hall.changes.send(change);
        }
        serde_json::to_value(answer).map_err(|e| Error::Crypto(format!("answer: {e}")))
    });
    sessions.put_back(token, slot);
    answer(result)
}

/// The only way an operation becomes a route.
fn route<O: Operation>(router: Router<Arc<Hall>>) -> Router<Arc<Hall>> {
    router.route(
        &format!("/api/{}", O::NAME),
        post(
            |State(hall): State<Arc<Hall>>,
             ConnectInfo(Peer(peer)): ConnectInfo<Peer>,
             headers: HeaderMap,
             body: Bytes| async move {
                let token = bearer(&headers);
                let client = peer.ip().to_string();
                tokio::task::spawn_blocking(move || call::<O>(&hall, token, &client, &body))
                    .await
                    .unwrap_or_else(|_| failure(&Error::Crypto("operation panicked".into())))
            },
        )
        .fallback(
            |State(hall): State<Arc<Hall>>, headers: HeaderMap| async move {
                unmatched(
                    &hall,
                    &headers,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "操作只接受 POST",
                )
            },
        ),
    )
}

/// A path or method no route takes: 401 without a live session (nobody maps the API without
/// logging in), `status` with one.
fn unmatched(hall: &Hall, headers: &HeaderMap, status: StatusCode, message: &str) -> Response {
    let live = bearer(headers).is_some_and(|t| lock(&hall.sessions).contains(&t));
    if !live {
        return failure(&Error::NotLoggedIn);
    }
    let body = Failure {
        code: "not_found",
        field: None,
        message: message.into(),
    };
    (status, Json(body)).into_response()
}

/// Registers each operation's route and lists its name, from the one list.
macro_rules! operations {
    ($($op:ty),* $(,)?) => {
        /// Every operation's route name, in the order they are registered.
        pub fn operation_names() -> Vec<&'static str> {
            vec![$(<$op as Operation>::NAME),*]
        }

        fn operation_routes(router: Router<Arc<Hall>>) -> Router<Arc<Hall>> {
            $( let router = route::<$op>(router); )*
            router
        }
    };
}

operations!(
    crate::ops::WhoAmI,
    crate::ops::ChangePassword,
    crate::ops::RequestNew,
    crate::ops::RequestConsult,
    crate::ops::RequestShow,
    crate::ops::RequestStep,
    crate::ops::RequestSearch,
    crate::ops::RequestList,
    crate::ops::Staffing,
    crate::ops::ListTowns,
    crate::ops::CatalogSearch,
    crate::ops::CatalogDepartments,
    crate::ops::CatalogItem,
    crate::ops::LetterAlerts,
    crate::ops::IdentityCheck,
    crate::ops::RequestFullId,
    crate::ops::leader::UnitPeople,
    crate::ops::leader::RotaWeekOf,
    crate::ops::leader::StaffingDemand,
    crate::ops::leader::StaffingXlsx,
    crate::ops::leader::ListStaff,
    crate::ops::leader::Authority,
    crate::ops::forms::FormRender,
    crate::ops::forms::FormRecord,
    crate::ops::forms::FormIssues,
    crate::ops::admin::AccountList,
    crate::ops::admin::AccountCreate,
    crate::ops::admin::AccountUnlock,
    crate::ops::admin::AccountSetDisabled,
    crate::ops::admin::AccountResetPassword,
    crate::ops::admin::RetentionStatusOf,
    crate::ops::admin::RetentionSet,
    crate::ops::admin::RetentionRun,
    crate::ops::front::QueueTake,
    crate::ops::front::QueueCall,
    crate::ops::front::QueueDone,
    crate::ops::front::QueueReturn,
    crate::ops::front::QueueStats,
    crate::ops::front::QueueBoard,
    crate::ops::front::RatingAdd,
    crate::ops::front::RatingList,
    crate::ops::front::FollowupStepOp,
    crate::ops::devices::DeviceOpen,
    crate::ops::devices::DeviceList,
    crate::ops::devices::DeviceClose,
    crate::ops::devices::FollowupPeriod,
    crate::ops::report::Report,
    crate::ops::report::ReportRequests,
    crate::ops::report::ReportPdf,
    crate::ops::report::ReportXlsx,
);

#[derive(Deserialize)]
struct Login {
    username: String,
    password: String,
}

/// What a login answers: the token for later calls, the account, what its roles permit.
#[derive(Serialize)]
struct LoggedIn {
    token: String,
    account: Account,
    permissions: Vec<Permission>,
}

fn login(hall: &Hall, client: &str, body: &[u8]) -> Result<serde_json::Value> {
    let form: Login = arguments(body)?;
    let mut store = lock(&hall.store);
    let account = bianmin_core::audit::as_client(client, || {
        accounts::login(&mut *store, &form.username, &form.password, date::now()?)
    })?;
    let token = new_token()?;
    let permissions = Permission::ALL
        .into_iter()
        .filter(|p| account.can(*p))
        .collect();
    let session = Session::new(account.clone(), Instant::now(), hall.idle_limit);
    lock(&hall.sessions).insert(token.clone(), session);
    serde_json::to_value(LoggedIn {
        token,
        account,
        permissions,
    })
    .map_err(|e| Error::Crypto(format!("answer: {e}")))
}

#[derive(Serialize)]
struct Health {
    ok: bool,
    schema_version: i64,
}

fn health(hall: &Hall) -> Result<serde_json::Value> {
    let mut store = lock(&hall.store);
    let schema_version = store.schema_version()?;
    store.read(|_| Ok(()))?;
    Ok(serde_json::json!(Health {
        ok: true,
        schema_version
    }))
}

/// The towns whose changes the session of `token` may be told of, checked as a background
/// call (listening keeps no unattended session alive).
fn listener_scope(hall: &Hall, token: Option<String>) -> Result<accounts::TownScope> {
    let mut store = lock(&hall.store);
    let mut sessions = lock(&hall.sessions);
    let token = token
        .filter(|t| sessions.contains(t))
        .ok_or(Error::NotLoggedIn)?;
    let mut slot = sessions.take(&token);
    let checked = (|| {
        let account = accounts::authorize_as(
            &mut *store,
            &mut slot,
            Permission::ReadRequests,
            "办件推送",
            Activity::Background,
            Instant::now(),
            date::now()?,
        )?;
        accounts::town_scope(&account)
    })();
    sessions.put_back(token, slot);
    checked
}

/// `GET /api/events`: server-sent events, one `request` event (`{number, town}`) whenever a
/// request of a town the session may read is taken in or moved on; the stream ends with the
/// session. Replaces the lists' one-second polling. It opens with a `ready` event, sent once
/// the stream hears every change: a listener that connects (or connects again after a break)
/// knows from then on nothing passes it by, and reloads what it shows once for what it may
/// have missed before.
async fn events(State(hall): State<Arc<Hall>>, headers: HeaderMap) -> Response {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let token = bearer(&headers);
    let scope = {
        let (hall, token) = (hall.clone(), token.clone());
        tokio::task::spawn_blocking(move || listener_scope(&hall, token))
            .await
            .unwrap_or_else(|_| Err(Error::Crypto("events panicked".into())))
    };
    let scope = match scope {
        Ok(s) => s,
        Err(e) => return failure(&e),
    };
    let token = token.unwrap_or_default();
    let rx = hall.changes.subscribe();
    let ready = futures_util::stream::once(async {
        Ok::<_, std::convert::Infallible>(Event::default().event("ready").data("{}"))
    });
    let stream = futures_util::stream::unfold(rx, move |mut rx| {
        let (hall, scope, token) = (hall.clone(), scope.clone(), token.clone());
        async move {
            loop {
                let event = match rx.recv().await {
                    Ok(change) if scope.admits(&change.town) => Event::default()
                        .event("request")
                        .json_data(&change)
                        .unwrap_or_default(),
                    Ok(_) => continue,
                    // Missed some: the list reloads itself.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        Event::default().event("reload").data("{}")
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                };
                if !lock(&hall.sessions).contains(&token) {
                    return None;
                }
                return Some((Ok::<_, std::convert::Infallible>(event), rx));
            }
        }
    });
    Sse::new(futures_util::StreamExt::chain(ready, stream))
        .keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15)))
        .into_response()
}

/// The whole API.
pub(crate) fn router(hall: Arc<Hall>) -> Router {
    let router = Router::new()
        .route("/api/events", get(events))
        .route(
            "/api/health",
            get(|State(hall): State<Arc<Hall>>| async move {
                answer(
                    tokio::task::spawn_blocking(move || health(&hall))
                        .await
                        .unwrap_or_else(|_| Err(Error::Crypto("health panicked".into()))),
                )
            }),
        )
        .route(
            "/api/login",
            post(
                |State(hall): State<Arc<Hall>>,
                 ConnectInfo(Peer(peer)): ConnectInfo<Peer>,
                 body: Bytes| async move {
                    let client = peer.ip().to_string();
                    answer(
                        tokio::task::spawn_blocking(move || login(&hall, &client, &body))
                            .await
                            .unwrap_or_else(|_| Err(Error::Crypto("login panicked".into()))),
                    )
                },
            ),
        )
        .route(
            "/api/logout",
            post(
                |State(hall): State<Arc<Hall>>, headers: HeaderMap| async move {
                    let ended = bearer(&headers).is_some_and(|t| lock(&hall.sessions).remove(&t));
                    if ended {
                        StatusCode::NO_CONTENT.into_response()
                    } else {
                        failure(&Error::NotLoggedIn)
                    }
                },
            ),
        );
    let router = crate::devices::routes(router);
    // Any other path: 401 without a live session, 404 with one.
    operation_routes(router)
        .fallback(
            |State(hall): State<Arc<Hall>>, headers: HeaderMap| async move {
                unmatched(&hall, &headers, StatusCode::NOT_FOUND, "没有这个操作")
            },
        )
        .with_state(hall)
}
