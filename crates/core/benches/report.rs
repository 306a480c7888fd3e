//! The performance report on a generated county year (issue 20): 40 towns of 50 staff with a
//! year of weekly rotas ([`generate::fill_county`]) and a million requests over that year's
//! working days, each with its timeline and audit records ([`generate::fill_county_year`]).
//! A town's month and the county's year, each beside the naive way in the same run: every
//! request of the range read whole ([`report::report_by_rows`], the reference the tallied
//! report is tested against; the bench checks both agree on this database first).
//!
//! `cargo bench -p bianmin-core --bench report`. The first run generates the database
//! (`target/bench-data/county-year-1000000-g1.db`, some minutes); later runs reuse it.
//! `BIANMIN_BENCH_REQUESTS=N` changes the size.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use bianmin_core::generate;
use bianmin_core::report::{self, ReportAsk};
use bianmin_core::store::SqliteStore;
use chrono::NaiveDate;
use criterion::Criterion;

/// Bumped whenever the generators write something else.
const GENERATION: &str = "g1";

fn end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn database(n: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("county-year-{n}-{GENERATION}.db"));
    let ready = dir.join(format!("county-year-{n}-{GENERATION}.ready"));
    if !ready.exists() {
        let _ = std::fs::remove_file(&path);
        eprintln!(
            "generating a county year of {n} requests into {} ...",
            path.display()
        );
        let t = Instant::now();
        let mut store = SqliteStore::open(&path).unwrap();
        generate::fill_county(&mut store, 40, 50, end()).unwrap();
        generate::fill_county_year(&mut store, n, end()).unwrap();
        drop(store);
        std::fs::write(&ready, b"").unwrap();
        eprintln!("generated in {:.0?}", t.elapsed());
    }
    path
}

fn town_month() -> ReportAsk {
    ReportAsk::new(
        Some("县属第07镇".into()),
        NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
        end(),
    )
    .unwrap()
}

fn county_year() -> ReportAsk {
    ReportAsk::new(None, end() - chrono::Duration::days(364), end(), end()).unwrap()
}

fn main() {
    let n: usize = std::env::var("BIANMIN_BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let path = database(n);
    let mut store = SqliteStore::open(&path).unwrap();
    // The tallied report and the naive one answer alike on this database; each is timed once
    // here too, the first after opening (cold caches).
    for ask in [town_month(), county_year()] {
        let t = Instant::now();
        let lean = report::report(&mut store, &ask).unwrap();
        let first = t.elapsed();
        let t = Instant::now();
        let whole = report::report_by_rows(&mut store, &ask).unwrap();
        let naive = t.elapsed();
        assert_eq!(lean, whole, "the tallied report differs from the naive one");
        eprintln!(
            "{}: {} received, {} completed, {} forwarded, {} overdue now; first answer {first:.0?}, naive {naive:.0?}",
            lean.town,
            lean.counts.received,
            lean.counts.completed,
            lean.counts.forwarded,
            lean.counts.overdue_now
        );
    }
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    let mut g = c.benchmark_group("report");
    g.bench_function("town month", |b| {
        let ask = town_month();
        b.iter(|| report::report(&mut store, &ask).unwrap())
    });
    g.bench_function("town month, naive", |b| {
        let ask = town_month();
        b.iter(|| report::report_by_rows(&mut store, &ask).unwrap())
    });
    g.bench_function("county year", |b| {
        let ask = county_year();
        b.iter(|| report::report(&mut store, &ask).unwrap())
    });
    g.bench_function("county year, naive", |b| {
        let ask = county_year();
        b.iter(|| report::report_by_rows(&mut store, &ask).unwrap())
    });
    g.finish();
    c.final_summary();
}
