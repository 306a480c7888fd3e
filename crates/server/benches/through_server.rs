//! Ten counters taking in at once through the hall server on loopback, beside the same ten
//! counters each with its own store on the same SQLite file, in one run (issue 18, "Measured").
//!
//! Every iteration starts from a fresh copy of a demo database in which each clerk of 东风镇
//! has an account. In-process, each counter opens its own store; through the server, one
//! `bianmin serve` (in this process, its own runtime) owns the copy and each counter logs in
//! first (not timed) and then sends its intakes over HTTP, one connection per call as the
//! command line does. Timed: from the moment a barrier lets the ten go until the last intake is
//! answered. Each intake's own latency is kept too; the table after criterion's lines gives the
//! medians over the iterations of p50, p99 and throughput for both.
//!
//! `cargo bench -p bianmin-server --bench through_server`; `BIANMIN_BENCH_EACH=K` changes the
//! intakes per counter and iteration (default 20).

use std::path::{Path, PathBuf};
use std::sync::Barrier;
use std::time::{Duration, Instant};

use bianmin_core::accounts::{self, NewAccount, Role};
use bianmin_core::address::Database;
use bianmin_core::request::{self, NewRequest};
use bianmin_core::store::{AnyStore, SqliteStore, Store};
use bianmin_server::client::{Client, ServerUrl};
use chrono::NaiveDate;
use criterion::{Criterion, SamplingMode, Throughput};

const CLIENTS: usize = 10;
const PASSWORD: &str = "Bench#Counter-2026";

fn now() -> chrono::NaiveDateTime {
    bianmin_core::date::now().unwrap()
}

fn each() -> usize {
    std::env::var("BIANMIN_BENCH_EACH")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&k| k > 0)
        .unwrap_or(20)
}

fn id_for(counter: usize, k: usize) -> String {
    bianmin_core::identity::with_check_char(&format!(
        "5202031985{:02}{:02}{:03}",
        1 + counter % 12,
        1 + k % 28,
        k % 1000
    ))
}

fn intake(clerk: &str, counter: usize, k: usize) -> NewRequest {
    NewRequest {
        staff: clerk.into(),
        item: "MZ-001".into(),
        name: "李玥".into(),
        id: Some(id_for(counter, k)),
        phone: Some("13812345678".into()),
        ..Default::default()
    }
}

/// The template database and the clerks (staff number, account name) who may take in MZ-001.
struct Template {
    dir: PathBuf,
    file: PathBuf,
    clerks: Vec<(String, String)>,
}

impl Template {
    fn make() -> Template {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/bench-data")
            .join(format!("through-server-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("template.db");
        let mut store = SqliteStore::open(&file).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        bianmin_core::demo::load(&mut store, today).unwrap();
        let town = store.read(|q| q.staff_town("DF0013")).unwrap().unwrap();
        let mut clerks = Vec::new();
        for p in store.read(|q| q.staff_profiles(town)).unwrap() {
            if !p.has_role(&[Role::Clerk]) {
                continue;
            }
            let probe = request::new_request(&mut store, &intake(&p.no, 0, 0), now());
            if probe.is_err() {
                continue;
            }
            let username = format!("bench{}", p.no.to_lowercase());
            let made = accounts::create_account(
                &mut store,
                &NewAccount {
                    username: username.clone(),
                    display_name: p.name.clone(),
                    staff_no: Some(p.no.clone()),
                    roles: vec![Role::Clerk],
                    password: PASSWORD.into(),
                },
                "bench",
                now(),
            );
            if made.is_ok() {
                clerks.push((p.no.clone(), username));
            }
        }
        assert!(!clerks.is_empty(), "no clerk may take in MZ-001");
        drop(store);
        Template { dir, file, clerks }
    }

    fn fresh(&self, n: usize) -> PathBuf {
        let path = self.dir.join(format!("run-{n}.db"));
        std::fs::copy(&self.file, &path).unwrap();
        path
    }
}

impl Drop for Template {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One iteration's result: the time to the last answer, and every intake's latency.
struct Run {
    elapsed: Duration,
    latencies: Vec<Duration>,
}

/// Lets the counters go and waits for the last: the time from the barrier to the last answer.
fn gather(
    barrier: &Barrier,
    handles: Vec<std::thread::ScopedJoinHandle<'_, (Instant, Vec<Duration>)>>,
) -> Run {
    barrier.wait();
    let start = Instant::now();
    let mut end = start;
    let mut latencies = Vec::new();
    for h in handles {
        let (done, lat) = h.join().unwrap();
        end = end.max(done);
        latencies.extend(lat);
    }
    Run {
        elapsed: end - start,
        latencies,
    }
}

fn in_process(t: &Template, path: &Path) -> Run {
    let barrier = Barrier::new(CLIENTS + 1);
    let each = each();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|counter| {
                let (barrier, clerk) = (&barrier, &t.clerks[counter % t.clerks.len()].0);
                scope.spawn(move || {
                    let mut store =
                        AnyStore::open_existing(&Database::File(path.to_path_buf())).unwrap();
                    barrier.wait();
                    let mut lat = Vec::with_capacity(each);
                    for k in 0..each {
                        let start = Instant::now();
                        request::new_request(&mut store, &intake(clerk, counter, k + 1), now())
                            .unwrap();
                        lat.push(start.elapsed());
                    }
                    (Instant::now(), lat)
                })
            })
            .collect();
        gather(&barrier, handles)
    })
}

fn through_server(t: &Template, path: &Path) -> Run {
    let hall = bianmin_server::Hall::open(&Database::File(path.to_path_buf())).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = runtime.spawn(bianmin_server::serve(listener, hall, async {
        let _ = stopped.await;
    }));
    let url = ServerUrl::parse(&format!("http://{addr}")).unwrap();
    let each = each();
    let barrier = Barrier::new(CLIENTS + 1);
    let run = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|counter| {
                let (barrier, url) = (&barrier, url.clone());
                let user = &t.clerks[counter % t.clerks.len()].1;
                scope.spawn(move || {
                    let client = Client::new(url, None);
                    let login = client
                        .send(
                            "POST",
                            "/api/login",
                            None,
                            &serde_json::json!({"username": user, "password": PASSWORD})
                                .to_string(),
                        )
                        .unwrap();
                    let token: serde_json::Value = serde_json::from_str(&login.body).unwrap();
                    let token = token["token"].as_str().unwrap().to_string();
                    barrier.wait();
                    let mut lat = Vec::with_capacity(each);
                    for k in 0..each {
                        let body = serde_json::json!({"item": "MZ-001", "name": "李玥",
                            "id": id_for(counter, k + 1), "phone": "13812345678"});
                        let start = Instant::now();
                        let a = client
                            .send("POST", "/api/request_new", Some(&token), &body.to_string())
                            .unwrap();
                        lat.push(start.elapsed());
                        assert_eq!(a.status, 200, "{}", a.body);
                    }
                    (Instant::now(), lat)
                })
            })
            .collect();
        gather(&barrier, handles)
    });
    let _ = stop.send(());
    let _ = runtime.block_on(server);
    run
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let each = each();
    let t = Template::make();
    eprintln!(
        "{CLIENTS} counters × {each} intakes per iteration; clerks: {}",
        t.clerks
            .iter()
            .map(|c| c.0.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(15))
        .configure_from_args();
    let mut group = c.benchmark_group(format!("intake_{CLIENTS}_counters"));
    group
        .sampling_mode(SamplingMode::Flat)
        .throughput(Throughput::Elements((CLIENTS * each) as u64));
    let mut n = 0usize;
    let mut runs: Vec<(&str, Vec<Run>)> = Vec::new();
    type Mode = fn(&Template, &Path) -> Run;
    for (label, mode) in [
        ("in_process", in_process as Mode),
        ("through_server", through_server as Mode),
    ] {
        let mut kept = Vec::new();
        group.bench_function(label, |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        n += 1;
                        let path = t.fresh(n);
                        let run = mode(&t, &path);
                        for suffix in ["", "-wal", "-shm", ".numbers"] {
                            let mut p = path.as_os_str().to_owned();
                            p.push(suffix);
                            let _ = std::fs::remove_file(PathBuf::from(p));
                        }
                        let e = run.elapsed;
                        kept.push(run);
                        e
                    })
                    .sum()
            })
        });
        runs.push((label, kept));
    }
    group.finish();
    println!("\n| {CLIENTS} counters, {each} intakes each | p50 | p99 | intakes/s |");
    println!("| --- | --- | --- | --- |");
    for (label, kept) in &runs {
        let (mut p50, mut p99, mut rate) = (Vec::new(), Vec::new(), Vec::new());
        for r in kept {
            let mut l = r.latencies.clone();
            l.sort_unstable();
            p50.push(quantile(&l, 0.5).as_secs_f64() * 1e3);
            p99.push(quantile(&l, 0.99).as_secs_f64() * 1e3);
            rate.push(l.len() as f64 / r.elapsed.as_secs_f64());
        }
        println!(
            "| {label} (median of {} iterations) | {:.2} ms | {:.2} ms | {:.0} |",
            kept.len(),
            median(p50),
            median(p99),
            median(rate)
        );
    }
}
