//! The county summary: 40 generated towns, 2,000 staff, a year of weekly rotas, read from SQLite
//! and summarised for one date. Run with `cargo bench -p bianmin-core --bench staffing`.

use std::hint::black_box;

use bianmin_core::generate::fill_county;
use bianmin_core::staffing::staffing_report;
use bianmin_core::store::SqliteStore;
use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};

fn county(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut store = SqliteStore::open(&dir.path().join("county.db")).expect("a database");
    let end = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    fill_county(&mut store, 40, 50, end).expect("the county");
    let report = staffing_report(&mut store, None, end).unwrap();
    let staff: u32 = report
        .towns
        .iter()
        .map(|t| t.figures.on_roll + t.figures.seconded_in)
        .sum();
    let hall: u32 = report.towns.iter().map(|t| t.figures.hall_staff).sum();
    eprintln!(
        "county: {} towns, {staff} people at work or on roll, {hall} at the hall",
        report.towns.len()
    );
    assert_eq!(report.towns.len(), 40);

    let mut g = c.benchmark_group("staffing");
    g.bench_function(
        "county summary (40 towns, 2,000 staff, a year of rota)",
        |b| b.iter(|| black_box(staffing_report(&mut store, None, black_box(end)).unwrap())),
    );
    let mid = NaiveDate::from_ymd_opt(2026, 5, 15).unwrap();
    g.bench_function("county summary on a past date", |b| {
        b.iter(|| black_box(staffing_report(&mut store, None, black_box(mid)).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, county);
criterion_main!(benches);
