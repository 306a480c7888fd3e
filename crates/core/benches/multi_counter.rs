//! Intake throughput of a hall with ten counters taking in requests at once, each counter with its
//! own store (its own SQLite connection to the same file, or its own PostgreSQL connection to the
//! same database), like ten PCs: SQLite against PostgreSQL in one run, side by side.
//!
//! `scripts/bench-multi-counter.sh` starts a throwaway PostgreSQL server with fsync and
//! synchronous_commit on (SQLite commits with `synchronous = FULL`), runs this bench against it
//! and stops it. By hand: `BIANMIN_BENCH_PG=postgres://user@host:port/db cargo bench -p
//! bianmin-core --bench multi_counter`; the role must be allowed to create databases. Without
//! `BIANMIN_BENCH_PG` only SQLite runs. `BIANMIN_BENCH_EACH=K` changes the requests per counter
//! and iteration (default 30).
//!
//! Every iteration starts from a fresh copy of a database holding the demo (a file copy, or a
//! PostgreSQL database created from a template), opens the ten stores, and times from the moment
//! a barrier lets the ten counters go until the last one has taken in its K-th request. The
//! copy, the connections and the check afterwards (every number given out once, every request
//! kept, the audit chain whole) are not timed.

#[path = "support/pg.rs"]
mod pg;
use pg::{admin, require_durable, with_dbname};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Barrier;
use std::time::{Duration, Instant};

use bianmin_core::address::Database;
use bianmin_core::demo;
use bianmin_core::request::{self, NewRequest, State};
use bianmin_core::staff::Role;
use bianmin_core::store::{AnyStore, PgStore, SqliteStore, Store};
use chrono::NaiveDate;
use criterion::{Criterion, SamplingMode, Throughput};

const NOW: chrono::NaiveDateTime = chrono::NaiveDate::from_ymd_opt(2026, 11, 28)
    .unwrap()
    .and_hms_opt(10, 0, 0)
    .unwrap();
/// The counters taking in requests at once.
const CLIENTS: usize = 10;
/// The clerk the intake bench uses; the counters are in this clerk's town.
const FIRST_CLERK: &str = "DF0013";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn each() -> usize {
    std::env::var("BIANMIN_BENCH_EACH")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&k| k > 0)
        .unwrap_or(30)
}

fn intake(clerk: &str, counter: usize, k: usize) -> NewRequest {
    NewRequest {
        staff: clerk.into(),
        item: "MZ-001".into(),
        name: "李玥".into(),
        id: Some(bianmin_core::identity::with_check_char(&format!(
            "5202031985{:02}{:02}{:03}",
            1 + counter % 12,
            1 + k % 28,
            k % 1000
        ))),
        credit_code: None,
        phone: Some("13812345678".into()),
        materials: None,
        remark: None,
        agent_name: None,
        agent_id: None,
        agent_relation: None,
        examine_later: false,
        pledge: None,
        idempotency_key: None,
    }
}

/// Where each iteration's fresh database comes from.
enum Backend {
    /// A demo database file, copied for each iteration.
    Sqlite { dir: PathBuf, template: PathBuf },
    /// A demo database on the server, the template of each iteration's database.
    Postgres { url: String, template: String },
}

/// One iteration's database, removed when dropped.
struct Fresh<'a> {
    backend: &'a Backend,
    db: Database,
    name: String,
}

static RUN: AtomicUsize = AtomicUsize::new(0);

impl Backend {
    fn sqlite() -> Backend {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/bench-data")
            .join(format!("multi-counter-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let template = dir.join("template.db");
        let mut store = SqliteStore::open(&template).unwrap();
        assert_eq!(
            store.pragma("synchronous").unwrap(),
            "2",
            "SQLite must commit with synchronous = FULL"
        );
        demo::load(&mut store, today()).unwrap();
        drop(store); // the last connection checkpoints the WAL into the file
        Backend::Sqlite { dir, template }
    }

    fn postgres(url: &str) -> Backend {
        let mut c = admin(url);
        require_durable(&mut c);
        let template = format!("bianmin_bench_tpl_{}", std::process::id());
        // Two statements: a batch would run them as one transaction, which neither may be in.
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {template}"))
            .unwrap();
        c.batch_execute(&format!(
            "CREATE DATABASE {template} TEMPLATE template0 ENCODING 'UTF8'"
        ))
        .unwrap();
        let mut store = PgStore::connect(&with_dbname(url, &template)).unwrap();
        demo::load(&mut store, today()).unwrap();
        drop(store);
        Backend::Postgres {
            url: url.to_string(),
            template,
        }
    }

    fn fresh(&self) -> Fresh<'_> {
        let n = RUN.fetch_add(1, Ordering::SeqCst);
        match self {
            Backend::Sqlite { dir, template } => {
                let name = format!("run-{n}.db");
                let path = dir.join(&name);
                std::fs::copy(template, &path).unwrap();
                Fresh {
                    backend: self,
                    db: Database::File(path),
                    name,
                }
            }
            Backend::Postgres { url, template } => {
                let name = format!("bianmin_bench_{}_{n}", std::process::id());
                // The template's last connection may take a moment to leave the server; CREATE
                // DATABASE waits for it.
                admin(url)
                    .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                    .unwrap();
                Fresh {
                    backend: self,
                    db: Database::Server(with_dbname(url, &name).into()),
                    name,
                }
            }
        }
    }
}

fn remove_sqlite(path: &Path) {
    for suffix in ["", "-wal", "-shm", ".numbers"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

impl Drop for Fresh<'_> {
    fn drop(&mut self) {
        match (self.backend, &self.db) {
            (Backend::Sqlite { .. }, Database::File(path)) => remove_sqlite(path),
            (Backend::Postgres { url, .. }, _) => {
                let _ = admin(url).batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ));
            }
            _ => unreachable!(),
        }
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        match self {
            Backend::Sqlite { dir, .. } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Backend::Postgres { url, template } => {
                let _ = admin(url)
                    .batch_execute(&format!("DROP DATABASE IF EXISTS {template} WITH (FORCE)"));
            }
        }
    }
}

/// The clerks of `FIRST_CLERK`'s town who may take in the bench's item on the day, each checked
/// by one intake on a scratch copy.
fn clerks(backend: &Backend) -> Vec<String> {
    let fresh = backend.fresh();
    let mut store = AnyStore::open_existing(&fresh.db).unwrap();
    let town = store
        .read(|q| q.staff_town(FIRST_CLERK))
        .unwrap()
        .expect("the demo's clerk");
    let mut candidates: Vec<String> = store
        .read(|q| q.staff_profiles(town))
        .unwrap()
        .into_iter()
        .filter(|p| p.has_role(&[Role::Clerk]))
        .map(|p| p.no)
        .collect();
    candidates.sort();
    let clerks: Vec<String> = candidates
        .into_iter()
        .filter(|no| {
            request::new_request(&mut store, &intake(no, 0, 0), NOW)
                .is_ok_and(|d| d.view.state == State::Accepted)
        })
        .collect();
    assert!(
        clerks.iter().any(|c| c == FIRST_CLERK),
        "{FIRST_CLERK} cannot take in MZ-001"
    );
    clerks
}

/// One iteration: a fresh database, ten counters behind a barrier, `each` intakes apiece. Returns
/// the time from the barrier to the last counter's last intake; checks the result untimed.
fn run(backend: &Backend, clerks: &[String], each: usize) -> Duration {
    let fresh = backend.fresh();
    let barrier = Barrier::new(CLIENTS + 1);
    let (elapsed, numbers) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|counter| {
                let (db, barrier) = (&fresh.db, &barrier);
                let clerk = clerks[counter % clerks.len()].as_str();
                scope.spawn(move || {
                    let mut store = AnyStore::open_existing(db).unwrap();
                    barrier.wait();
                    let numbers: Vec<String> = (0..each)
                        .map(|k| {
                            request::new_request(&mut store, &intake(clerk, counter, k), NOW)
                                .unwrap()
                                .view
                                .number
                        })
                        .collect();
                    (Instant::now(), numbers)
                })
            })
            .collect();
        barrier.wait();
        let start = Instant::now();
        let mut end = start;
        let mut numbers = Vec::with_capacity(CLIENTS * each);
        for h in handles {
            let (done, n) = h.join().unwrap();
            end = end.max(done);
            numbers.extend(n);
        }
        (end - start, numbers)
    });

    // Not timed: every number given out once, every request kept, the audit chain whole.
    let distinct: std::collections::BTreeSet<&String> = numbers.iter().collect();
    assert_eq!(numbers.len(), CLIENTS * each);
    assert_eq!(
        distinct.len(),
        numbers.len(),
        "a number was given out twice"
    );
    let mut store = AnyStore::open_existing(&fresh.db).unwrap();
    for n in &numbers {
        assert!(store.read(|q| q.request(n)).unwrap().is_some(), "{n} lost");
    }
    let v = store.verify_audit().unwrap();
    assert!(v.ok && v.records >= numbers.len(), "{v:?}");
    elapsed
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn main() {
    let each = each();
    let mut backends = vec![("sqlite", Backend::sqlite())];
    match std::env::var("BIANMIN_BENCH_PG") {
        Ok(url) if !url.trim().is_empty() => backends.push(("postgres", Backend::postgres(&url))),
        _ => eprintln!(
            "\nnote: BIANMIN_BENCH_PG is not set, so only SQLite runs. \
             `bash scripts/bench-multi-counter.sh` runs both, against a throwaway PostgreSQL \
             server with fsync on.\n"
        ),
    }
    let clerks = clerks(&backends[0].1);
    eprintln!(
        "{CLIENTS} counters × {each} intakes per iteration; clerks of {FIRST_CLERK}'s town \
         who may take in MZ-001: {} ({})",
        clerks.len(),
        clerks.join(", ")
    );

    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(10))
        .configure_from_args();
    let mut group = c.benchmark_group(format!("intake_{CLIENTS}_clients"));
    group
        .sampling_mode(SamplingMode::Flat)
        .throughput(Throughput::Elements((CLIENTS * each) as u64));
    let mut timed: Vec<(&str, Vec<Duration>)> = Vec::new();
    for (label, backend) in &backends {
        let mut times = Vec::new();
        group.bench_function(*label, |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        let t = run(backend, &clerks, each);
                        times.push(t);
                        t
                    })
                    .sum()
            })
        });
        timed.push((label, times));
    }
    group.finish();
    c.final_summary();

    println!(
        "\n{CLIENTS} counters × {each} intakes, every timed iteration (warm-up included):\n\
         {:<10} {:>6} {:>14} {:>16}",
        "backend", "runs", "median time", "median req/s"
    );
    for (label, times) in &mut timed {
        if times.is_empty() {
            continue;
        }
        let m = median(times);
        println!(
            "{label:<10} {:>6} {:>14.1?} {:>16.0}",
            times.len(),
            m,
            (CLIENTS * each) as f64 / m.as_secs_f64()
        );
    }
}
