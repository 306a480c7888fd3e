//! Counter speed on a database holding a million requests: intake (number, request, materials,
//! timeline, audit, in one transaction with a full fsync), search, and the machine's fsync floor
//! measured by the same harness so the ratio shows.
//!
//! `cargo bench -p bianmin-core --bench intake`. The first run generates the database
//! (`target/bench-data/requests-1000000.db`, a few minutes); later runs reuse it.
//! `BIANMIN_BENCH_REQUESTS=N` changes the size.

use std::hint::black_box;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use bianmin_core::request::{self, NewRequest};
use bianmin_core::store::SqliteStore;
use bianmin_core::{demo, generate};
use chrono::NaiveDate;
use criterion::Criterion;

const NOW: chrono::NaiveDateTime = chrono::NaiveDate::from_ymd_opt(2026, 11, 28)
    .unwrap()
    .and_hms_opt(10, 0, 0)
    .unwrap();

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn database() -> (PathBuf, SqliteStore) {
    let n: usize = std::env::var("BIANMIN_BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("requests-{n}.db"));
    let ready = dir.join(format!("requests-{n}.ready"));
    if !ready.exists() {
        let _ = std::fs::remove_file(&path);
        eprintln!("generating {n} requests into {} ...", path.display());
        let t = Instant::now();
        let mut store = SqliteStore::open(&path).unwrap();
        demo::load(&mut store, today()).unwrap();
        generate::fill_requests(&mut store, n, today()).unwrap();
        std::fs::write(&ready, b"").unwrap();
        eprintln!("generated in {:.0?}", t.elapsed());
    }
    let store = SqliteStore::open(&path).unwrap();
    (dir, store)
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
    }
}

/// One 4 KiB write and fdatasync, in the database's folder: the floor any durable commit pays.
fn fsync_once(file: &mut std::fs::File) {
    file.write_all(&[7u8; 4096]).unwrap();
    file.sync_data().unwrap();
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    let idx = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[idx]
}

fn main() {
    let (dir, mut store) = database();
    let mut fsync_file = std::fs::File::create(dir.join("fsync-probe")).unwrap();
    let number = request::new_request(&mut store, &intake(0), NOW)
        .unwrap()
        .view
        .number;

    let mut c = Criterion::default()
        .sample_size(50)
        .measurement_time(Duration::from_secs(8))
        .configure_from_args();
    let mut i = 0;
    c.bench_function(
        "intake: request new on 1M requests (number, materials, timeline, audit)",
        |b| {
            b.iter(|| {
                i += 1;
                request::new_request(&mut store, black_box(&intake(i)), NOW).unwrap()
            })
        },
    );
    c.bench_function("fsync floor: 4 KiB write + fdatasync", |b| {
        b.iter(|| fsync_once(&mut fsync_file))
    });
    let searches = [
        ("search by number", number.clone()),
        ("search by ID last six", "121233".to_string()),
        ("search by name", "李玥".to_string()),
        ("search by pinyin initials", "ly".to_string()),
    ];
    for (label, q) in &searches {
        c.bench_function(label, |b| {
            b.iter(|| {
                request::search(&mut store, None, black_box(q), today())
                    .unwrap()
                    .len()
            })
        });
    }
    c.final_summary();

    // p50 and p99 from individually timed runs, side by side in this one process.
    let runs = 400;
    let mut intake_t = Vec::with_capacity(runs);
    let mut fsync_t = Vec::with_capacity(runs);
    for k in 0..runs {
        let t = Instant::now();
        request::new_request(&mut store, &intake(k), NOW).unwrap();
        intake_t.push(t.elapsed());
        let t = Instant::now();
        fsync_once(&mut fsync_file);
        fsync_t.push(t.elapsed());
    }
    let mut rows = vec![
        ("intake".to_string(), intake_t),
        ("fsync floor".to_string(), fsync_t),
    ];
    for (label, q) in &searches {
        let mut s = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            black_box(request::search(&mut store, None, q, today()).unwrap());
            s.push(t.elapsed());
        }
        rows.push((label.to_string(), s));
    }
    println!(
        "\n{:<28} {:>10} {:>10}   ({runs} timed runs each)",
        "operation", "p50", "p99"
    );
    let mut p99s = Vec::new();
    for (label, samples) in &mut rows {
        let p50 = percentile(samples, 0.50);
        let p99 = percentile(samples, 0.99);
        p99s.push(p99);
        println!("{label:<28} {:>10.3?} {:>10.3?}", p50, p99);
    }
    let ratio = p99s[0].as_secs_f64() / p99s[1].as_secs_f64();
    println!("intake p99 / fsync floor p99 = {ratio:.2}");
    let _ = std::fs::remove_file(dir.join("fsync-probe"));
}
