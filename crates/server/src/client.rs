//! A blocking client of the hall server, for the command line and the tests: plain HTTP to a
//! server on this PC's loopback, TLS to any other, where the server's certificate is trusted by
//! its pinned SHA-256 fingerprint (no certificate authority): the first contact only reports the
//! fingerprint for a person to compare with what the server printed; a certificate that differs
//! from the pinned one is refused.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bianmin_core::{Error, Result};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::tls::fingerprint;

const TIMEOUT: Duration = Duration::from_secs(15);

/// Where a server is: `http://HOST:PORT` (loopback only) or `https://HOST:PORT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUrl {
    pub tls: bool,
    pub host: String,
    pub port: u16,
}

impl ServerUrl {
    /// Reads `--server`; refusals name it (field `server`).
    pub fn parse(text: &str) -> Result<ServerUrl> {
        let t = text.trim().trim_end_matches('/');
        let bad = |why: &str| {
            Error::invalid(
                "server",
                format!("大厅服务器地址“{t}”{why}；应写成 https://192.168.1.10:8443（本机可用 http://127.0.0.1:8443）"),
            )
        };
        let (tls, rest) = if let Some(r) = t.strip_prefix("https://") {
            (true, r)
        } else if let Some(r) = t.strip_prefix("http://") {
            (false, r)
        } else {
            return Err(bad("缺少 https://"));
        };
        let (host, port) = rest.rsplit_once(':').ok_or_else(|| bad("缺少端口"))?;
        let port: u16 = port.parse().map_err(|_| bad("的端口无效"))?;
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        if host.is_empty() || host.contains(['/', '@', '?', '#', ' ']) {
            return Err(bad("的主机名无效"));
        }
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if !tls && !loopback {
            return Err(bad("不是本机：本机以外的服务器只能用 https:// 连接"));
        }
        Ok(ServerUrl { tls, host, port })
    }

    /// The address as a person reads it.
    pub fn shown(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        if self.host.contains(':') {
            format!("{scheme}://[{}]:{}", self.host, self.port)
        } else {
            format!("{scheme}://{}:{}", self.host, self.port)
        }
    }
}

/// Accepts exactly the pinned certificate, still checking the handshake's signature with it;
/// remembers the certificate it was shown.
#[derive(Debug)]
struct Pin {
    expected: Option<String>,
    seen: Mutex<Option<String>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Pin {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let shown = fingerprint(end_entity);
        let matches = self.expected.as_deref() == Some(shown.as_str());
        *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = Some(shown);
        if matches {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General("certificate not pinned".into()))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A fresh idempotency key for one write: 32 random hex digits. Sent again with a retry, the
/// server answers what the first write did.
pub fn new_key() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::Crypto(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// An answer: the HTTP status and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// What a server refused, as it said it: `{code, field, message}` and the HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub code: String,
    pub field: Option<String>,
    pub message: String,
}

impl Answer {
    /// The answer's JSON (null for an empty body), or the server's refusal.
    pub fn json(&self) -> Result<std::result::Result<serde_json::Value, Refusal>> {
        let body: serde_json::Value = if self.body.trim().is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str(&self.body).map_err(|e| Error::Unreachable {
                server: "大厅服务器".into(),
                reason: format!("回答无法读懂（{e}）"),
            })?
        };
        if (200..300).contains(&self.status) {
            return Ok(Ok(body));
        }
        Ok(Err(Refusal {
            status: self.status,
            code: body["code"].as_str().unwrap_or("refused").to_string(),
            field: body["field"].as_str().map(str::to_string),
            message: body["message"]
                .as_str()
                .unwrap_or("服务器拒绝了请求")
                .to_string(),
        }))
    }
}

/// How long an event stream may stay silent before it counts as broken: the server sends a
/// keep-alive every 15 seconds.
const EVENTS_SILENCE: Duration = Duration::from_secs(40);

/// A server at `url`, trusted if its certificate's fingerprint is `pinned`.
pub struct Client {
    url: ServerUrl,
    pinned: Option<String>,
}

impl Client {
    pub fn new(url: ServerUrl, pinned: Option<String>) -> Client {
        Client { url, pinned }
    }

    fn unreachable(&self, reason: impl std::fmt::Display) -> Error {
        Error::Unreachable {
            server: format!("大厅服务器 {}", self.url.shown()),
            reason: reason.to_string(),
        }
    }

    /// An I/O failure reaching the server, in words a clerk can pass on.
    fn unreachable_io(&self, e: &std::io::Error) -> Error {
        use std::io::ErrorKind::*;
        let why = match e.kind() {
            ConnectionRefused => "连接被拒绝（服务器没有运行，或端口不对）".to_string(),
            TimedOut | WouldBlock => "连接超时".to_string(),
            ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof => {
                "连接中断".to_string()
            }
            NotFound => "找不到这个地址".to_string(),
            _ => format!("连接失败（{e}）"),
        };
        self.unreachable(why)
    }

    /// The fingerprint of the certificate the server shows, trusting nothing: what a person
    /// compares with the fingerprint the server printed before pinning it.
    pub fn fingerprint(&self) -> Result<String> {
        if !self.url.tls {
            return Err(Error::invalid(
                "server",
                "本机的 http:// 服务器没有证书，无需核对指纹",
            ));
        }
        let pin = Arc::new(Pin {
            expected: None,
            seen: Mutex::new(None),
            provider: Arc::new(rustls::crypto::ring::default_provider()),
        });
        let _ = self.exchange_tls(pin.clone(), b"GET /api/health HTTP/1.1\r\n\r\n");
        let seen = pin.seen.lock().unwrap_or_else(|p| p.into_inner()).clone();
        seen.ok_or_else(|| self.unreachable("没有完成 TLS 握手"))
    }

    /// One request: `method path`, with the session's token and a JSON body.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: &str,
    ) -> Result<Answer> {
        let auth = token
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.url.host,
            body.len()
        );
        let raw = if self.url.tls {
            let pin = Arc::new(Pin {
                expected: self.pinned.clone(),
                seen: Mutex::new(None),
                provider: Arc::new(rustls::crypto::ring::default_provider()),
            });
            let result = self.exchange_tls(pin.clone(), request.as_bytes());
            let seen = pin.seen.lock().unwrap_or_else(|p| p.into_inner()).clone();
            match (result, &self.pinned, seen) {
                (Ok(raw), _, _) => raw,
                (Err(_), None, Some(seen)) => {
                    return Err(Error::invalid(
                        "server",
                        format!(
                            "首次连接大厅服务器 {}：它的证书指纹是 {seen}。请与服务器启动时显示的指纹逐段核对，一致后再信任它（bianmin --server {} trust {seen}）",
                            self.url.shown(),
                            self.url.shown()
                        ),
                    ))
                }
                (Err(_), Some(pinned), Some(seen)) if *pinned != seen => {
                    return Err(Error::invalid(
                        "server",
                        format!(
                            "大厅服务器 {} 的证书与本机记下的不同（记下的是 {pinned}，现在是 {seen}）：可能有人冒充服务器，已拒绝连接。若服务器确实换了证书，请管理员核对新指纹后重新信任",
                            self.url.shown()
                        ),
                    ))
                }
                (Err(e), _, _) => return Err(e),
            }
        } else {
            let mut stream = self.connect()?;
            stream
                .write_all(request.as_bytes())
                .map_err(|e| self.unreachable_io(&e))?;
            read_all(&mut stream).map_err(|e| self.unreachable_io(&e))?
        };
        parse_response(&raw).ok_or_else(|| self.unreachable("服务器的回答无法读懂"))
    }

    /// Follows `GET /api/events` with the session's token, calling `on(event, data)` for each
    /// event as it arrives, until the server ends the stream, it stays silent too long, or `on`
    /// answers false. A refusal (no live session) comes back as the server's answer.
    pub fn events(
        &self,
        token: &str,
        mut on: impl FnMut(&str, &str) -> bool,
    ) -> Result<Option<Answer>> {
        let request = format!(
            "GET /api/events HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n",
            self.url.host
        );
        let stream = self.connect()?;
        let _ = stream.set_read_timeout(Some(EVENTS_SILENCE));
        if self.url.tls {
            let pin = Arc::new(Pin {
                expected: self.pinned.clone(),
                seen: Mutex::new(None),
                provider: Arc::new(rustls::crypto::ring::default_provider()),
            });
            let mut tls = self.tls_stream(pin, stream)?;
            tls.write_all(request.as_bytes())
                .map_err(|e| self.unreachable_io(&e))?;
            follow(std::io::BufReader::new(tls), &mut on).map_err(|e| self.unreachable_io(&e))
        } else {
            let mut stream = stream;
            stream
                .write_all(request.as_bytes())
                .map_err(|e| self.unreachable_io(&e))?;
            follow(std::io::BufReader::new(stream), &mut on).map_err(|e| self.unreachable_io(&e))
        }
    }

    fn connect(&self) -> Result<TcpStream> {
        let addrs: Vec<_> = (self.url.host.as_str(), self.url.port)
            .to_socket_addrs()
            .map_err(|e| self.unreachable_io(&e))?
            .collect();
        let mut last = None;
        for a in addrs {
            match TcpStream::connect_timeout(&a, TIMEOUT) {
                Ok(s) => {
                    let _ = s.set_read_timeout(Some(TIMEOUT));
                    let _ = s.set_write_timeout(Some(TIMEOUT));
                    return Ok(s);
                }
                Err(e) => last = Some(e),
            }
        }
        Err(match last {
            Some(e) => self.unreachable_io(&e),
            None => self.unreachable("找不到这个地址"),
        })
    }

    fn tls_stream(
        &self,
        pin: Arc<Pin>,
        tcp: TcpStream,
    ) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>> {
        let provider = pin.provider.clone();
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Crypto(e.to_string()))?
            .dangerous()
            .with_custom_certificate_verifier(pin)
            .with_no_client_auth();
        // The name is not checked (the pin is); any valid one will do for the handshake.
        let name = ServerName::try_from("bianmin-hall").expect("a valid DNS name");
        let conn = rustls::ClientConnection::new(Arc::new(config), name)
            .map_err(|e| Error::Crypto(e.to_string()))?;
        Ok(rustls::StreamOwned::new(conn, tcp))
    }

    fn exchange_tls(&self, pin: Arc<Pin>, request: &[u8]) -> Result<Vec<u8>> {
        let mut tls = self.tls_stream(pin, self.connect()?)?;
        tls.write_all(request)
            .map_err(|e| self.unreachable_io(&e))?;
        read_all(&mut tls).map_err(|e| self.unreachable_io(&e))
    }
}

/// Reads until the server closes; a TLS close without its notice after a whole answer counts
/// as the end.
fn read_all(stream: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    match stream.read_to_end(&mut raw) {
        Ok(_) => Ok(raw),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !raw.is_empty() => Ok(raw),
        Err(e) => Err(e),
    }
}

/// Reads an event stream's answer: a refusal is returned whole; a 200 is read as server-sent
/// events (in chunks or not) and each handed to `on` as it completes.
fn follow(
    mut reader: impl std::io::BufRead,
    on: &mut impl FnMut(&str, &str) -> bool,
) -> std::io::Result<Option<Answer>> {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let status: u16 = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    if status != 200 {
        let mut rest = Vec::new();
        let _ = reader.read_to_end(&mut rest);
        let raw = [head.as_bytes(), b"\r\n", &rest].concat();
        return Ok(parse_response(&raw));
    }
    // The event's text so far, and what is left of the current chunk.
    let (mut event, mut data, mut pending) = (String::new(), String::new(), String::new());
    loop {
        let text = if chunked {
            let mut size = String::new();
            if reader.read_line(&mut size)? == 0 {
                return Ok(None);
            }
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if n == 0 {
                return Ok(None);
            }
            let mut bytes = vec![0; n + 2];
            reader.read_exact(&mut bytes)?;
            bytes.truncate(n);
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Ok(None);
            }
            line
        };
        pending.push_str(&text);
        while let Some(end) = pending.find('\n') {
            let line: String = pending.drain(..=end).collect();
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if !event.is_empty() || !data.is_empty() {
                    let name = if event.is_empty() { "message" } else { &event };
                    if !on(name, &data) {
                        return Ok(None);
                    }
                }
                event.clear();
                data.clear();
            } else if let Some(v) = line.strip_prefix("event:") {
                event = v.trim().to_string();
            } else if let Some(v) = line.strip_prefix("data:") {
                if !data.is_empty() {
                    data.push('\n');
                }
                data.push_str(v.trim_start());
            }
        }
    }
}

/// The status and body of an HTTP/1.1 answer (chunked or not).
fn parse_response(raw: &[u8]) -> Option<Answer> {
    let text = String::from_utf8_lossy(raw);
    let (head, rest) = text.split_once("\r\n\r\n")?;
    let status: u16 = head.split(' ').nth(1)?.parse().ok()?;
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        let mut out = String::new();
        let mut rest = rest;
        loop {
            let (size, after) = rest.split_once("\r\n")?;
            let n = usize::from_str_radix(size.trim(), 16).ok()?;
            if n == 0 {
                break out;
            }
            out.push_str(after.get(..n)?);
            rest = after.get(n + 2..)?;
        }
    } else {
        rest.to_string()
    };
    Some(Answer { status, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_address_is_https_or_plain_http_on_this_pc_and_refusals_name_the_flag() {
        let u = ServerUrl::parse("https://192.168.1.10:8443/").unwrap();
        assert_eq!(
            (u.tls, u.host.as_str(), u.port),
            (true, "192.168.1.10", 8443)
        );
        assert!(!ServerUrl::parse("http://127.0.0.1:8443").unwrap().tls);
        assert!(ServerUrl::parse("http://localhost:1").is_ok());
        assert_eq!(ServerUrl::parse("https://[::1]:9").unwrap().host, "::1");
        for bad in [
            "http://192.168.1.10:8443",
            "192.168.1.10:8443",
            "https://192.168.1.10",
            "https://:8443",
            "https://a b:1",
            "https://host:70000",
            "ftp://host:21",
        ] {
            let e = ServerUrl::parse(bad).unwrap_err();
            assert!(
                matches!(
                    &e,
                    Error::Invalid {
                        field: "server",
                        ..
                    }
                ),
                "{bad}: {e:?}"
            );
        }
    }

    #[test]
    fn an_event_stream_is_read_event_by_event_in_chunks_or_not() {
        let events = "event: request\ndata: {\"number\":\"1\"}\n\n:keep-alive\n\nevent: reload\ndata: {}\n\n";
        let mut chunked = String::new();
        // Split mid-line, as a server may.
        for part in [&events[..10], &events[10..37], &events[37..]] {
            chunked.push_str(&format!("{:x}\r\n{part}\r\n", part.len()));
        }
        chunked.push_str("0\r\n\r\n");
        for (head, body) in [
            (
                "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n",
                chunked.as_str(),
            ),
            ("HTTP/1.1 200 OK\r\n\r\n", events),
        ] {
            let mut seen = Vec::new();
            let raw = format!("{head}{body}");
            let answer = follow(raw.as_bytes(), &mut |e: &str, d: &str| {
                seen.push(format!("{e} {d}"));
                true
            })
            .unwrap();
            assert_eq!(answer, None);
            assert_eq!(seen, ["request {\"number\":\"1\"}", "reload {}"], "{head}");
        }
        // A refusal comes back whole, no event seen; `on` answering false stops the stream.
        let raw = "HTTP/1.1 401 Unauthorized\r\ncontent-length: 20\r\n\r\n{\"code\":\"x\",\"a\":1}";
        let answer = follow(raw.as_bytes(), &mut |_: &str, _: &str| panic!("an event"))
            .unwrap()
            .unwrap();
        assert_eq!(answer.status, 401);
        assert_eq!(answer.json().unwrap().unwrap_err().code, "x");
        let raw = format!("HTTP/1.1 200 OK\r\n\r\n{events}");
        let mut count = 0;
        follow(raw.as_bytes(), &mut |_: &str, _: &str| {
            count += 1;
            false
        })
        .unwrap();
        assert_eq!(count, 1);
    }

    #[test]
    fn answers_are_read_whole_or_chunked() {
        let plain = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}";
        assert_eq!(
            parse_response(plain),
            Some(Answer {
                status: 200,
                body: "{}".into()
            })
        );
        let chunked = b"HTTP/1.1 401 Unauthorized\r\ntransfer-encoding: chunked\r\n\r\n3\r\n{\"a\r\n2\r\n\"}\r\n0\r\n\r\n";
        assert_eq!(parse_response(chunked).unwrap().body, "{\"a\"}");
        assert_eq!(parse_response(b"garbage"), None);
    }
}
