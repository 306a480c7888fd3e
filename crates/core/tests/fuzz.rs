//! Fuzzing the parsers and readers that take outside input, with proptest (deterministic and
//! time-boxed, so it runs in the test command; cargo-fuzz needs a nightly toolchain a fresh
//! machine may not have). Arbitrary bytes, and valid files with bytes flipped, must be refused
//! with a message or read, never panic. `PROPTEST_CASES=N` runs more.

use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use bianmin_core::catalog::io;
use bianmin_core::hostile;
use bianmin_core::identity::{CreditCode, IdNumber};
use bianmin_core::store::SqliteStore;
use chrono::NaiveDate;
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

/// A valid catalogue workbook, exported from the demo once, to mutate.
fn demo_catalogue() -> Vec<u8> {
    static BOOK: OnceLock<Vec<u8>> = OnceLock::new();
    BOOK.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let mut s = SqliteStore::open_in_memory().unwrap();
        bianmin_core::demo::load(&mut s, today()).unwrap();
        let path = dir.path().join("目录.xlsx");
        io::export(&mut s, &path, Some("东风镇")).unwrap();
        std::fs::read(path).unwrap()
    })
    .clone()
}

/// Reads `bytes` as a catalogue workbook, in at most a few seconds.
fn read_catalogue(dir: &Path, bytes: &[u8]) -> bianmin_core::Result<io::Catalogue> {
    let path = dir.join("hostile.xlsx");
    std::fs::write(&path, bytes).unwrap();
    let started = Instant::now();
    let read = io::read(&path);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    read
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn id_and_credit_code_parsers_take_any_text(text in any::<String>(), bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
        let _ = IdNumber::parse("id", &text, today());
        let _ = CreditCode::parse("credit_code", &text);
        let lossy = String::from_utf8_lossy(&bytes);
        let _ = IdNumber::parse("id", &lossy, today());
        let _ = CreditCode::parse("credit_code", &lossy);
    }

    #[test]
    fn the_catalogue_reader_takes_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let dir = tempfile::tempdir().unwrap();
        let xlsx = dir.path().join("x.xlsx");
        std::fs::write(&xlsx, &bytes).unwrap();
        prop_assert!(io::read(&xlsx).is_err());
        // The same bytes as each CSV file of a folder.
        let folder = dir.path().join("csv");
        std::fs::create_dir(&folder).unwrap();
        for f in ["事项.csv", "材料.csv", "委托书.csv"] {
            std::fs::write(folder.join(f), &bytes).unwrap();
        }
        let _ = io::read(&folder);
    }

    #[test]
    fn the_roster_reader_takes_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("花名册.xlsx");
        std::fs::write(&path, &bytes).unwrap();
        let mut s = SqliteStore::open_in_memory().unwrap();
        bianmin_core::demo::load(&mut s, today()).unwrap();
        prop_assert!(bianmin_core::roster::import(&mut s, &path, None, today()).is_err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 4 + 1))]

    /// A real workbook with a few bytes changed: zip and XML damage in every place.
    #[test]
    fn a_damaged_catalogue_is_refused_or_read_never_a_panic(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = demo_catalogue();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let path = dir.path().join("damaged.xlsx");
        std::fs::write(&path, &bytes).unwrap();
        let _ = io::read(&path);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 8 + 1))]

    /// Issue 17, point 11: hostile workbooks are refused in seconds, never a panic or an
    /// abort. A declared range anywhere (up to past Excel's last cell), a cell anywhere with the
    /// range unchanged, zip bombs with honest and lying headers, and each of them damaged.
    #[test]
    fn hostile_workbooks_are_refused_never_a_panic(
        row in 0u32..3_000_000,
        col in 0u32..40_000,
        megabytes in 101usize..160,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let book = demo_catalogue();
        let beyond = row >= 100_000 || col >= 200;
        let range = hostile::with_dimension(&book, 1, &format!("A1:{}", hostile::cell_name(row, col)));
        let over = beyond || (u64::from(row) + 1) * (u64::from(col) + 1) > 2_000_000;
        prop_assert!(!over || read_catalogue(dir.path(), &range).is_err());
        let cell = hostile::with_rows(&book, 1, &hostile::row_with_cell(&hostile::cell_name(row, col), "x"));
        prop_assert!(!beyond || read_catalogue(dir.path(), &cell).is_err());
        let bomb = hostile::bomb(&book, megabytes);
        prop_assert!(read_catalogue(dir.path(), &bomb).is_err());
        let lying = hostile::lying_bomb(&book, megabytes);
        prop_assert!(read_catalogue(dir.path(), &lying).is_err());
        for mut bytes in [range, cell, bomb, lying] {
            for (at, value) in &flips {
                let i = at.index(bytes.len());
                bytes[i] = *value;
            }
            let _ = read_catalogue(dir.path(), &bytes);
        }
        for (_, bytes) in hostile::damaged(&book) {
            prop_assert!(read_catalogue(dir.path(), &bytes).is_err());
        }
    }
}
