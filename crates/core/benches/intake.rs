//! Counter speed on a database holding a million requests (residents with realistic names who
//! come back, each request with its timeline and audit records): intake (number, request,
//! materials, timeline, audit, in one transaction with a full fsync) and search, each beside its
//! baseline measured by the same harness in the same run: the machine's fsync floor for intake,
//! a `LIKE '%…%'` scan giving the same answer for name and initials search.
//!
//! `cargo bench -p bianmin-core --bench intake` (SQLite only), or `scripts/bench-intake.sh`,
//! which also starts a durable throwaway PostgreSQL server and runs the same on it. The first
//! run generates the database (`target/bench-data/requests-1000000-g3.db`, some minutes); later
//! runs reuse it. `BIANMIN_BENCH_REQUESTS=N` changes the size, `BIANMIN_BENCH_CALLS=K` the
//! 1,000 timed calls per run; `BIANMIN_BENCH_CHECKPOINT=inline` measures SQLite without the
//! background checkpointer (its automatic checkpoint inside commits), to compare.
//!
//! Output: criterion's medians, then three timed runs of every operation (p50 and p99 of each
//! run, and their min/median/max over the runs), then each operation against its baseline. The
//! timed intakes are taken two ways, each beside the fsync floor taken the same way: after a
//! pause of [`PAUSE`] each, as a counter's come (there is always more than that between two
//! intakes of a hall), so that the store's background checkpointer finds the pause it waits
//! for; and back to back, where checkpoints must run beside the intakes.

use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bianmin_core::request::{self, NewRequest};
use bianmin_core::store::checkpoint::IDLE;
use bianmin_core::store::{PgStore, SqliteStore, Store};
use bianmin_core::{demo, generate};
use chrono::NaiveDate;
use criterion::Criterion;

#[path = "support/pg.rs"]
mod pg;
use pg::{admin, require_durable, with_dbname};

/// Bumped whenever `generate::fill_requests` writes something else, so that a database from an
/// older generator is not measured by mistake.
const GENERATION: &str = "g3";

/// The pause before each timed intake: the checkpointer's idle time and a little more.
const PAUSE: Duration = IDLE.saturating_add(Duration::from_millis(10));

const NOW: chrono::NaiveDateTime = chrono::NaiveDate::from_ymd_opt(2026, 11, 28)
    .unwrap()
    .and_hms_opt(10, 0, 0)
    .unwrap();

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn database(n: usize) -> (PathBuf, PathBuf) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("requests-{n}-{GENERATION}.db"));
    let ready = dir.join(format!("requests-{n}-{GENERATION}.ready"));
    if !ready.exists() {
        let _ = std::fs::remove_file(&path);
        eprintln!("generating {n} requests into {} ...", path.display());
        let t = Instant::now();
        let mut store = SqliteStore::open(&path).unwrap();
        demo::load(&mut store, today()).unwrap();
        generate::fill_requests(&mut store, n, today()).unwrap();
        drop(store);
        std::fs::write(&ready, b"").unwrap();
        eprintln!("generated in {:.0?}", t.elapsed());
    }
    (dir, path)
}

fn intake(i: usize) -> NewRequest {
    NewRequest {
        staff: "DF0013".into(),
        item: "MZ-001".into(),
        name: "李玥".into(),
        id: Some(bianmin_core::identity::with_check_char(&format!(
            "52020319850312{:03}",
            i % 1000
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

/// One 4 KiB append and fdatasync, in the database's folder: the floor any durable commit pays.
fn fsync_once(file: &mut std::fs::File) {
    file.write_all(&[7u8; 4096]).unwrap();
    file.sync_data().unwrap();
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    let idx = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[idx]
}

/// What the searches look for: a resident from the middle of the generated years with a
/// three-character name, found by number, last six, whole name, the two characters of the
/// given name (part of the name), and the name's initials.
struct Probe {
    number: String,
    last6: String,
    name: String,
    part: String,
    initials: String,
}

fn probe(path: &Path, n: usize) -> Probe {
    let c = rusqlite::Connection::open(path).unwrap();
    c.query_row(
        "SELECT number, id_last6, applicant_name, name_initials FROM request
         WHERE id >= ?1 AND length(applicant_name) = 3 ORDER BY id LIMIT 1",
        [i64::try_from(n / 2).unwrap()],
        |r| {
            let name: String = r.get(2)?;
            Ok(Probe {
                number: r.get(0)?,
                last6: r.get(1)?,
                part: name.chars().skip(1).collect(),
                name,
                initials: r.get(3)?,
            })
        },
    )
    .unwrap()
}

/// The baseline of a search: the same answer without the index, as a system without one would
/// find it (newest first, at most 50, like the search).
enum Scan {
    /// `applicant_name LIKE '%part%'`.
    Name(String),
    /// `name_initials || '' = initials`: the same exact match, the expression keeping both
    /// engines from the initials index.
    Initials(String),
}

impl Scan {
    fn sql(&self) -> (&'static str, String) {
        match self {
            Scan::Name(q) => (
                "SELECT id FROM request WHERE applicant_name LIKE ?1 ORDER BY id DESC LIMIT 50",
                format!("%{q}%"),
            ),
            Scan::Initials(q) => (
                "SELECT id FROM request WHERE name_initials || '' = ?1 ORDER BY id DESC LIMIT 50",
                q.clone(),
            ),
        }
    }
}

/// A connection the scans run on, beside the store.
enum Raw {
    Sqlite(rusqlite::Connection),
    Postgres(Box<postgres::Client>),
}

impl Raw {
    fn scan(&mut self, scan: &Scan) -> usize {
        let (sql, value) = scan.sql();
        match self {
            Raw::Sqlite(c) => {
                let mut st = c.prepare_cached(sql).unwrap();
                let rows = st.query_map([&value], |r| r.get::<_, i64>(0)).unwrap();
                rows.count()
            }
            Raw::Postgres(c) => c.query(&sql.replace("?1", "$1"), &[&value]).unwrap().len(),
        }
    }
}

/// One backend's store, its scan connection, and how to name it.
struct Bench<S: Store> {
    label: &'static str,
    store: S,
    raw: Raw,
}

/// Min, median and max of three (or more) figures.
fn spread(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort_unstable();
    (v[0], v[v.len() / 2], v[v.len() - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn run_backend<S: Store>(b: &mut Bench<S>, probe: &Probe, dir: &Path, calls: usize) {
    let label = b.label;
    let mut fsync_file = std::fs::File::create(dir.join("fsync-probe")).unwrap();
    let searches: Vec<(&str, String)> = vec![
        ("search by number", probe.number.clone()),
        ("search by ID last six", probe.last6.clone()),
        ("search by whole name", probe.name.clone()),
        ("search by part of a name", probe.part.clone()),
        ("search by pinyin initials", probe.initials.clone()),
    ];
    let scans: Vec<(&str, Scan)> = vec![
        ("scan: whole name", Scan::Name(probe.name.clone())),
        ("scan: part of a name", Scan::Name(probe.part.clone())),
        (
            "scan: pinyin initials",
            Scan::Initials(probe.initials.clone()),
        ),
    ];
    // The index finds exactly what the scan finds.
    for ((label_s, q), (_, scan)) in searches[2..].iter().zip(&scans) {
        let found = request::search(&mut b.store, None, q, today())
            .unwrap()
            .len();
        let scanned = b.raw.scan(scan);
        assert_eq!(found, scanned, "{label_s} {q}: search and scan disagree");
        println!("{label}: {label_s} “{q}” finds {found} (at most 50 shown)");
    }

    let mut c = Criterion::default()
        .sample_size(30)
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let mut i = 0;
    c.bench_function(&format!("{label}/intake (request new, fsync)"), |bch| {
        bch.iter(|| {
            i += 1;
            request::new_request(&mut b.store, black_box(&intake(i)), NOW).unwrap()
        })
    });
    c.bench_function(&format!("{label}/fsync floor (4 KiB + fdatasync)"), |bch| {
        bch.iter(|| fsync_once(&mut fsync_file))
    });
    for (what, q) in &searches {
        c.bench_function(&format!("{label}/{what}"), |bch| {
            bch.iter(|| {
                request::search(&mut b.store, None, black_box(q), today())
                    .unwrap()
                    .len()
            })
        });
    }
    let mut slow = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    for (what, scan) in &scans {
        slow.bench_function(&format!("{label}/{what}"), |bch| {
            bch.iter(|| b.raw.scan(black_box(scan)))
        });
    }

    // Three timed runs: p50 and p99 of each operation in each run.
    let mut table: Vec<(String, Vec<Duration>, Vec<Duration>)> = Vec::new();
    let mut record = |name: &str, mut samples: Vec<Duration>| {
        let p50 = percentile(&mut samples, 0.50);
        let p99 = percentile(&mut samples, 0.99);
        match table.iter_mut().find(|(n, _, _)| n == name) {
            Some((_, a, b)) => {
                a.push(p50);
                b.push(p99);
            }
            None => table.push((name.to_string(), vec![p50], vec![p99])),
        }
    };
    let scan_calls = 20;
    for run in 1..=3 {
        eprintln!("{label}: timed run {run} of 3 ...");
        // After a pause, each: the intake as at a counter, the floor under the same conditions.
        let mut intake_t = Vec::with_capacity(calls);
        let mut fsync_t = Vec::with_capacity(calls);
        for k in 0..calls {
            std::thread::sleep(PAUSE);
            let t = Instant::now();
            request::new_request(&mut b.store, &intake(k), NOW).unwrap();
            intake_t.push(t.elapsed());
            std::thread::sleep(PAUSE);
            let t = Instant::now();
            fsync_once(&mut fsync_file);
            fsync_t.push(t.elapsed());
        }
        record("intake (after a pause)", intake_t);
        record("fsync floor (after a pause)", fsync_t);
        // Back to back: checkpoints (SQLite) must run beside the intakes.
        let burst: Vec<Duration> = (0..calls)
            .map(|k| {
                let t = Instant::now();
                request::new_request(&mut b.store, &intake(k), NOW).unwrap();
                t.elapsed()
            })
            .collect();
        record("intake (back to back)", burst);
        let burst: Vec<Duration> = (0..calls)
            .map(|_| {
                let t = Instant::now();
                fsync_once(&mut fsync_file);
                t.elapsed()
            })
            .collect();
        record("fsync floor (back to back)", burst);
        for (what, q) in &searches {
            let s: Vec<Duration> = (0..calls)
                .map(|_| {
                    let t = Instant::now();
                    black_box(request::search(&mut b.store, None, q, today()).unwrap());
                    t.elapsed()
                })
                .collect();
            record(what, s);
        }
        for (what, scan) in &scans {
            let s: Vec<Duration> = (0..scan_calls)
                .map(|_| {
                    let t = Instant::now();
                    black_box(b.raw.scan(scan));
                    t.elapsed()
                })
                .collect();
            record(what, s);
        }
    }

    println!(
        "\n{label}: {calls} timed calls per run ({scan_calls} per scan), three runs; \
         min / median / max over the runs"
    );
    println!("{:<34} {:>32}   {:>32}", "operation", "p50", "p99");
    for (name, p50s, p99s) in &table {
        let (a, m, z) = spread(p50s.clone());
        let (a9, m9, z9) = spread(p99s.clone());
        println!(
            "{name:<34} {:>10} {:>10} {:>10}   {:>10} {:>10} {:>10}",
            ms(a),
            ms(m),
            ms(z),
            ms(a9),
            ms(m9),
            ms(z9)
        );
    }
    let med = |name: &str, p99: bool| {
        let (_, a, b) = table.iter().find(|(n, _, _)| n == name).unwrap();
        spread(if p99 { b.clone() } else { a.clone() }).1
    };
    let ratio = |x: Duration, y: Duration| x.as_secs_f64() / y.as_secs_f64();
    println!("\n{label}: against the baselines (medians over the three runs)");
    for way in ["after a pause", "back to back"] {
        let (i, f) = (format!("intake ({way})"), format!("fsync floor ({way})"));
        println!(
            "{way}: intake p50 / fsync p50 = {:.2} (goal ≤ 2); intake p99 / fsync p99 = {:.2} \
             (goal ≤ 3)",
            ratio(med(&i, false), med(&f, false)),
            ratio(med(&i, true), med(&f, true))
        );
    }
    for (search, scan) in [
        ("search by whole name", "scan: whole name"),
        ("search by part of a name", "scan: part of a name"),
        ("search by pinyin initials", "scan: pinyin initials"),
    ] {
        println!(
            "{scan} p50 / {search} p50 = {:.0}x (goal ≥ 100); {search} p99 = {}",
            ratio(med(scan, false), med(search, false)),
            ms(med(search, true))
        );
    }
    let _ = std::fs::remove_file(dir.join("fsync-probe"));
}

/// A database on the PostgreSQL server at `url` holding the generated requests, copied from the
/// SQLite file by `migrate-to` (which checks every row).
fn postgres_copy(url: &str, source: &Path, n: usize) -> String {
    let mut c = admin(url);
    require_durable(&mut c);
    let name = format!("bianmin_bench_requests_{n}_{GENERATION}");
    let target = with_dbname(url, &name);
    let exists = c
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .unwrap()
        .is_some();
    if !exists {
        c.batch_execute(&format!(
            "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"
        ))
        .unwrap();
        eprintln!("copying the generated database to PostgreSQL ({name}) ...");
        let t = Instant::now();
        bianmin_core::store::migrate::to_postgres(source, &target, &mut |table, rows| {
            eprintln!("  {table}: {rows} rows");
        })
        .unwrap();
        admin(&target).batch_execute("VACUUM ANALYZE").unwrap();
        eprintln!("copied in {:.0?}", t.elapsed());
    }
    target
}

fn main() {
    let n = env_usize("BIANMIN_BENCH_REQUESTS", 1_000_000);
    let calls = env_usize("BIANMIN_BENCH_CALLS", 1_000);
    let (dir, path) = database(n);
    let probe = probe(&path, n);
    println!(
        "probe: {} ({} / {} / {})",
        probe.number, probe.name, probe.part, probe.initials
    );

    // The copy for PostgreSQL is taken before any intake is measured, so both start alike.
    let pg = std::env::var("BIANMIN_BENCH_PG")
        .ok()
        .map(|url| postgres_copy(&url, &path, n));

    // Each run measures on a copy, so that every run starts from the same database.
    let work = dir.join(format!("requests-{n}-{GENERATION}-work.db"));
    for ext in ["", "-wal", "-shm", ".numbers"] {
        let _ = std::fs::remove_file(format!("{}{ext}", work.display()));
    }
    std::fs::copy(&path, &work).unwrap();
    let mut store = SqliteStore::open(&work).unwrap();
    // BIANMIN_BENCH_CHECKPOINT=inline leaves SQLite's own automatic checkpoint inside the
    // commits, for the side-by-side comparison in the README.
    let inline = std::env::var("BIANMIN_BENCH_CHECKPOINT").is_ok_and(|v| v == "inline");
    if inline {
        println!("SQLite: checkpoints inline (SQLite's automatic checkpoint at 1,000 pages)");
    } else {
        store.checkpoint_in_background().unwrap();
    }
    let raw = rusqlite::Connection::open(&work).unwrap();
    let mut sqlite = Bench {
        label: "SQLite",
        store,
        raw: Raw::Sqlite(raw),
    };
    run_backend(&mut sqlite, &probe, &dir, calls);
    println!(
        "SQLite: background checkpoints completed: {}; pages in the log after the last commit: {}",
        sqlite.store.background_checkpoints(),
        sqlite.store.log_pages()
    );
    drop(sqlite);
    for ext in ["", "-wal", "-shm", ".numbers"] {
        let _ = std::fs::remove_file(format!("{}{ext}", work.display()));
    }

    match pg {
        Some(url) => {
            let store = PgStore::connect(&url).unwrap();
            let raw = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            let mut pg = Bench {
                label: "PostgreSQL",
                store,
                raw: Raw::Postgres(Box::new(raw)),
            };
            run_backend(&mut pg, &probe, &dir, calls);
        }
        None => println!(
            "\nnote: BIANMIN_BENCH_PG is not set, so only SQLite ran (scripts/bench-intake.sh \
             runs both)"
        ),
    }
}
