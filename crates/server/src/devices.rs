//! What the hall's devices call (issue 19): the kiosk, the waiting-room screen and the counters'
//! rating pads are browser pages this server serves (`/hall/kiosk`, `/hall/screen`,
//! `/hall/pad`). A page holds a device session an administrator opened (`device_open`) and
//! sends its token as `Authorization: Device TOKEN`; each route checks the session and the
//! device's kind before anything else, and acts for the device's own town (a pad: its
//! counter's clerk).
//!
//! - `GET /api/device/me`: the device.
//! - kiosk: `GET /api/device/kiosk` (the posts in plain words), `POST /api/device/take`
//!   `{post, priority?, width?}` (the ticket and its thermal slip as a PDF in base64).
//! - screen: `GET /api/device/board`, `GET /api/device/voice?ticket=A012&counter=3` (the
//!   announcement spoken by espeak-ng on this server, a WAV file; no network).
//! - pad: `GET /api/device/pad`, `POST /api/device/rate` `{key, request? | ticket_id? |
//!   receipt?, grade, reasons?, comment?}`: `key` is the pad's own id for the rating, so a
//!   rating sent again after the network came back is stored once.
//! - every kind: `GET /api/device/events`, server-sent events: the device's view (`kiosk`,
//!   `board` or `pad`) at once and again whenever a queue or rating action changes it (pushed
//!   the moment the action commits), and at least every 20 s for the clock (opening hours).

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use base64::Engine as _;
use bianmin_core::front::device::{self, Device, DeviceKind};
use bianmin_core::front::{self};
use bianmin_core::store::AnyStore;
use bianmin_core::{date, Error, Result};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::Hall;

/// Ratings already stored, by the pad's key: a rating sent again is answered as the first.
#[derive(Default)]
pub(crate) struct SentRatings {
    answers: HashMap<String, Value>,
    order: VecDeque<String>,
}

impl SentRatings {
    const KEEP: usize = 2000;

    fn get(&self, key: &str) -> Option<Value> {
        self.answers.get(key).cloned()
    }

    fn put(&mut self, key: String, answer: Value) {
        if self.order.len() >= Self::KEEP {
            if let Some(old) = self.order.pop_front() {
                self.answers.remove(&old);
            }
        }
        self.order.push_back(key.clone());
        self.answers.insert(key, answer);
    }
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn token_of(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    Some(value.strip_prefix("Device ")?.trim().to_string())
}

fn refused(status: StatusCode, code: &str, field: Option<&str>, message: &str) -> Response {
    (
        status,
        Json(json!({"code": code, "field": field, "message": message})),
    )
        .into_response()
}

fn failure(e: &Error) -> Response {
    let status = match e {
        Error::Invalid { .. } => StatusCode::BAD_REQUEST,
        Error::NotLoggedIn => StatusCode::UNAUTHORIZED,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let message = match e {
        Error::NotLoggedIn => "本设备未开通或已停用：请管理员在“大厅设备”中重新开通".to_string(),
        other => other.public_message(),
    };
    refused(status, e.code(), e.field(), &message)
}

/// The device of the call, if its session is open and it is one of `kinds`.
fn device_of(store: &mut AnyStore, headers: &HeaderMap, kinds: &[DeviceKind]) -> Result<Device> {
    let token = token_of(headers).ok_or(Error::NotLoggedIn)?;
    let d = device::find(store, &token)?;
    if kinds.contains(&d.kind) {
        Ok(d)
    } else {
        Err(Error::invalid(
            "device",
            format!("{}不能做这件事", d.kind.label()),
        ))
    }
}

/// Runs `f` for the device of the call, off the async threads, and answers JSON.
async fn with_device(
    hall: Arc<Hall>,
    headers: HeaderMap,
    kinds: &'static [DeviceKind],
    f: impl FnOnce(&Hall, &mut AnyStore, &Device) -> Result<Value> + Send + 'static,
) -> Response {
    let answer = tokio::task::spawn_blocking(move || {
        let mut store = lock(&hall.store);
        let d = device_of(&mut store, &headers, kinds)?;
        bianmin_core::audit::as_client(&format!("设备 {} {}", d.id, d.label), || {
            f(&hall, &mut store, &d)
        })
    })
    .await
    .unwrap_or_else(|_| Err(Error::Crypto("device call panicked".into())));
    match answer {
        Ok(v) => (StatusCode::OK, Json(v)).into_response(),
        Err(e) => failure(&e),
    }
}

fn to_json<T: serde::Serialize>(v: T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| Error::Crypto(format!("answer: {e}")))
}

const KIOSK: &[DeviceKind] = &[DeviceKind::Kiosk];
const SCREEN: &[DeviceKind] = &[DeviceKind::Screen];
const PAD: &[DeviceKind] = &[DeviceKind::Pad];
const ANY: &[DeviceKind] = &[DeviceKind::Kiosk, DeviceKind::Screen, DeviceKind::Pad];

/// The device's own view: what its page shows.
fn view_of(store: &mut AnyStore, d: &Device) -> Result<Value> {
    let now = date::now()?;
    match d.kind {
        DeviceKind::Kiosk => to_json(device::kiosk(store, &d.town, now)?),
        DeviceKind::Screen => to_json(front::board(store, Some(&d.town), now)?),
        DeviceKind::Pad => to_json(device::pad(
            store,
            d.staff_no.as_deref().unwrap_or_default(),
            now,
        )?),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TakeArgs {
    post: String,
    priority: Option<String>,
    width: Option<u32>,
}

fn arguments<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| {
        Error::invalid(
            "body",
            format!("请求内容不是本操作的参数（JSON 对象）：{e}"),
        )
    })
}

fn take(hall: &Hall, store: &mut AnyStore, d: &Device, body: &[u8]) -> Result<Value> {
    let args: TakeArgs = arguments(body)?;
    let width = bianmin_core::forms::SlipWidth::from_mm(args.width.unwrap_or(80))?;
    let priority = args
        .priority
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let taken = front::take(store, Some(&d.town), &args.post, priority, date::now()?)?;
    let _ = hall.front.send(());
    let slip = bianmin_core::forms::ticket_slip(&taken, width)?;
    Ok(json!({
        "taken": taken,
        "slip": base64::engine::general_purpose::STANDARD.encode(slip),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RateArgs {
    key: String,
    request: Option<String>,
    ticket_id: Option<i64>,
    receipt: Option<String>,
    grade: u8,
    #[serde(default)]
    reasons: Vec<String>,
    comment: Option<String>,
}

fn rate(hall: &Hall, store: &mut AnyStore, d: &Device, body: &[u8]) -> Result<Value> {
    let args: RateArgs = arguments(body)?;
    let key = args.key.trim();
    if key.is_empty() || key.len() > 64 {
        return Err(Error::invalid("key", "评价的编号无效（评价器应自动生成）"));
    }
    let key = format!("{}:{key}", d.id);
    if let Some(answer) = lock(&hall.sent).get(&key) {
        return Ok(answer);
    }
    if !(1..=5).contains(&args.grade) {
        return Err(Error::invalid("grade", "请从五个评价中选一个"));
    }
    let staff = d.staff_no.clone().unwrap_or_default();
    let now = date::now()?;
    let reasons = args.reasons.join("、");
    let reasons = (!reasons.is_empty()).then_some(reasons.as_str());
    let comment = args.comment.as_deref();
    let rated = if let Some(receipt) = args.receipt.as_deref() {
        let number = device::receipt_request(store, &d.town, receipt)?;
        front::rate(store, &number, args.grade, reasons, comment, now)?
    } else {
        // Only the visit just finished at this pad's counter.
        let pad = device::pad(store, &staff, now)?;
        let visit = pad
            .visit
            .ok_or_else(|| Error::invalid("request", "本窗口刚办结的群众已评价或已超过评价时间"))?;
        match (args.request.as_deref(), args.ticket_id) {
            (Some(number), _) => {
                if !visit.requests.iter().any(|r| r.number == number) {
                    return Err(Error::invalid(
                        "request",
                        format!("办件 {number} 不是本窗口刚办结的"),
                    ));
                }
                front::rate(store, number, args.grade, reasons, comment, now)?
            }
            (None, Some(ticket)) if ticket == visit.ticket_id && visit.requests.is_empty() => {
                front::rate_visit(
                    store,
                    Some(&d.town),
                    ticket,
                    args.grade,
                    reasons,
                    comment,
                    now,
                )?
            }
            _ => {
                return Err(Error::invalid(
                    "request",
                    "请评价本窗口刚办结的办件或本次办事",
                ))
            }
        }
    };
    let answer = to_json(rated)?;
    lock(&hall.sent).put(key, answer.clone());
    let _ = hall.front.send(());
    Ok(answer)
}

#[derive(Deserialize)]
struct VoiceArgs {
    ticket: String,
    counter: i64,
}

/// The ticket number read for the ear: the letter, then each digit (A012: A 零一二).
fn spoken(ticket: &str, counter: i64) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let number: String = ticket
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => DIGITS[d as usize].to_string(),
            None => format!("{c} "),
        })
        .collect();
    front::announcement(&number, counter)
}

/// The announcement of `ticket` to `counter` as a WAV file, spoken by espeak-ng's Mandarin
/// voice on this server.
pub fn voice(ticket: &str, counter: i64) -> Result<Vec<u8>> {
    let well_formed = ticket.len() >= 2
        && ticket.len() <= 8
        && ticket.starts_with(|c: char| c.is_ascii_uppercase())
        && ticket[1..].bytes().all(|b| b.is_ascii_digit());
    if !well_formed {
        return Err(Error::invalid("ticket", format!("号码“{ticket}”无效")));
    }
    if !(1..=99).contains(&counter) {
        return Err(Error::invalid("counter", format!("窗口号 {counter} 无效")));
    }
    let out = std::process::Command::new("espeak-ng")
        .args(["-v", "cmn", "-s", "140", "--stdout"])
        .arg(spoken(ticket, counter))
        .output()
        .map_err(|e| Error::invalid("voice", format!("无法调用 espeak-ng 语音合成：{e}")))?;
    if !out.status.success() || out.stdout.len() < 44 {
        return Err(Error::invalid(
            "voice",
            format!(
                "espeak-ng 语音合成失败：{}",
                String::from_utf8_lossy(&out.stderr)
            ),
        ));
    }
    Ok(out.stdout)
}

/// `GET /api/device/events`: the device's view now and after every change.
async fn events(State(hall): State<Arc<Hall>>, headers: HeaderMap) -> Response {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let first = {
        let (hall, headers) = (hall.clone(), headers.clone());
        tokio::task::spawn_blocking(move || {
            let mut store = lock(&hall.store);
            let d = device_of(&mut store, &headers, ANY)?;
            let v = view_of(&mut store, &d)?;
            Ok::<_, Error>((d, v))
        })
        .await
        .unwrap_or_else(|_| Err(Error::Crypto("events panicked".into())))
    };
    let (d, first) = match first {
        Ok(x) => x,
        Err(e) => return failure(&e),
    };
    let name = match d.kind {
        DeviceKind::Kiosk => "kiosk",
        DeviceKind::Screen => "board",
        DeviceKind::Pad => "pad",
    };
    let rx = hall.front.subscribe();
    let token = token_of(&headers).unwrap_or_default();
    let state = (rx, None::<Value>, Some(first), hall, token, d);
    let stream =
        futures_util::stream::unfold(state, move |(mut rx, last, first, hall, token, d)| {
            async move {
                if let Some(v) = first {
                    let event = Event::default()
                        .event(name)
                        .json_data(&v)
                        .unwrap_or_default();
                    return Some((
                        Ok::<_, std::convert::Infallible>(event),
                        (rx, Some(v), None, hall, token, d),
                    ));
                }
                loop {
                    // A change, or the clock (the hall opens and closes, a pad's visit expires).
                    let _ = tokio::time::timeout(Duration::from_secs(20), rx.recv()).await;
                    let (h, t, dd) = (hall.clone(), token.clone(), d.clone());
                    let now = tokio::task::spawn_blocking(move || {
                        let mut store = lock(&h.store);
                        // A device closed meanwhile hears no more.
                        device::find(&mut *store, &t)?;
                        view_of(&mut store, &dd)
                    })
                    .await
                    .unwrap_or_else(|_| Err(Error::Crypto("events panicked".into())));
                    match now {
                        Ok(v) if Some(&v) != last.as_ref() => {
                            let event = Event::default()
                                .event(name)
                                .json_data(&v)
                                .unwrap_or_default();
                            return Some((Ok(event), (rx, Some(v), None, hall, token, d)));
                        }
                        Ok(_) => continue,
                        Err(Error::NotLoggedIn) => return None,
                        Err(_) => continue,
                    }
                }
            }
        });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

/// The pages: one file each, with the style and the script they share.
fn page(body: &'static str) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Html(body)).into_response()
}

/// `GET`: the view of a device of `kinds` (the kiosk's posts, the screen's board, the pad).
fn view_route(kinds: &'static [DeviceKind]) -> MethodRouter<Arc<Hall>> {
    get(
        move |State(hall): State<Arc<Hall>>, headers: HeaderMap| async move {
            with_device(hall, headers, kinds, |_, store, d| view_of(store, d)).await
        },
    )
}

/// What a device does with a body: a kiosk's ticket, a pad's rating.
type Action = fn(&Hall, &mut AnyStore, &Device, &[u8]) -> Result<Value>;

/// `POST`: `act` for a device of `kinds`, its body the arguments.
fn action_route(kinds: &'static [DeviceKind], act: Action) -> MethodRouter<Arc<Hall>> {
    post(
        move |State(hall): State<Arc<Hall>>, headers: HeaderMap, body: Bytes| async move {
            with_device(hall, headers, kinds, move |hall, store, d| {
                act(hall, store, d, &body)
            })
            .await
        },
    )
}

/// The device routes and the pages.
pub(crate) fn routes(router: Router<Arc<Hall>>) -> Router<Arc<Hall>> {
    router
        .route(
            "/hall/kiosk",
            get(|| async { page(include_str!("hall/kiosk.html")) }),
        )
        .route(
            "/hall/screen",
            get(|| async { page(include_str!("hall/screen.html")) }),
        )
        .route(
            "/hall/pad",
            get(|| async { page(include_str!("hall/pad.html")) }),
        )
        .route(
            "/hall/hall.js",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                        (header::CACHE_CONTROL, "no-store"),
                    ],
                    include_str!("hall/hall.js"),
                )
            }),
        )
        .route(
            "/hall/hall.css",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                        (header::CACHE_CONTROL, "no-store"),
                    ],
                    include_str!("hall/hall.css"),
                )
            }),
        )
        .route(
            "/api/device/me",
            get(
                |State(hall): State<Arc<Hall>>, headers: HeaderMap| async move {
                    with_device(hall, headers, ANY, |_, _, d| {
                        Ok(json!({
                            "id": d.id, "kind": d.kind, "kind_label": d.kind.label(),
                            "town": d.town, "label": d.label, "staff_no": d.staff_no,
                            "now": date::stamp(date::now()?),
                        }))
                    })
                    .await
                },
            ),
        )
        .route("/api/device/kiosk", view_route(KIOSK))
        .route("/api/device/take", action_route(KIOSK, take))
        .route("/api/device/board", view_route(SCREEN))
        .route(
            "/api/device/voice",
            get(
                |State(hall): State<Arc<Hall>>,
                 headers: HeaderMap,
                 Query(args): Query<VoiceArgs>| async move {
                    let wav = tokio::task::spawn_blocking(move || {
                        {
                            let mut store = lock(&hall.store);
                            device_of(&mut store, &headers, SCREEN)?;
                        }
                        voice(&args.ticket, args.counter)
                    })
                    .await
                    .unwrap_or_else(|_| Err(Error::Crypto("voice panicked".into())));
                    match wav {
                        Ok(wav) => ([(header::CONTENT_TYPE, "audio/wav")], wav).into_response(),
                        Err(e) => failure(&e),
                    }
                },
            ),
        )
        .route("/api/device/pad", view_route(PAD))
        .route("/api/device/rate", action_route(PAD, rate))
        .route("/api/device/events", get(events))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_call_is_spoken_digit_by_digit_and_a_bad_ticket_or_counter_makes_no_sound() {
        assert_eq!(spoken("A012", 3), "请 A 零一二 号到 3 号窗口办理");
        for (ticket, counter, field) in [
            ("A01;rm", 3, "ticket"),
            ("a012", 3, "ticket"),
            ("A", 3, "ticket"),
            ("A012", 0, "counter"),
            ("A012", 100, "counter"),
        ] {
            match voice(ticket, counter) {
                Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field, "{ticket}"),
                other => panic!("{ticket} {counter}: {:?}", other.map(|w| w.len())),
            }
        }
    }

    #[test]
    fn the_announcement_is_a_wav_file_of_a_few_seconds() {
        let wav = voice("A012", 3).unwrap();
        assert_eq!(&wav[..4], b"RIFF");
        assert_eq!(&wav[8..12], b"WAVE");
        // espeak-ng writes 16-bit mono at 22 050 Hz; with --stdout the RIFF sizes are left
        // unset, so the duration is read from the bytes that follow the 44-byte header.
        let rate = u32::from_le_bytes(wav[24..28].try_into().unwrap());
        let channels = u16::from_le_bytes(wav[22..24].try_into().unwrap());
        let bits = u16::from_le_bytes(wav[34..36].try_into().unwrap());
        let seconds = (wav.len() - 44) as f64 / (rate as f64 * channels as f64 * bits as f64 / 8.0);
        assert!((2.0..8.0).contains(&seconds), "{seconds} s");
    }
}
