//! How fast `bianmin migrate-to` copies a large database: generates N requests in a SQLite file,
//! copies it into a new database on a PostgreSQL server (checking every table, as the command
//! does) and prints the time per table. A figure to look at, not a test; run it as
//!
//! ```text
//! cargo run --release -p bianmin-core --example migrate_speed -- postgres://user@host:port/db 100000
//! ```
//!
//! The URL names a server where the user may create databases (`scripts/pg-test-server.sh start`
//! prints one); a database `bianmin_migrate_speed_<pid>` is created on it and dropped after.

use std::time::Instant;

use bianmin_core::store::{migrate, SqliteStore};
use bianmin_core::{demo, generate};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(url), n) = (args.next(), args.next()) else {
        eprintln!("用法：migrate_speed <PostgreSQL 服务器地址> [办件数，默认 100000]");
        std::process::exit(2);
    };
    let n: usize = match n.as_deref().map(str::parse).unwrap_or(Ok(100_000)) {
        Ok(n) if n > 0 => n,
        _ => {
            eprintln!("办件数应为正整数");
            std::process::exit(2);
        }
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("big.db");
    let t = Instant::now();
    {
        let mut s = SqliteStore::open(&path).expect("the SQLite file");
        demo::load(&mut s, today).expect("the demo");
        generate::fill_requests(&mut s, n, today).expect("the requests");
    }
    eprintln!("{n} requests generated in {:.1?}", t.elapsed());

    let name = format!("bianmin_migrate_speed_{}", std::process::id());
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).expect("the server");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("CREATE DATABASE");
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let authority_end = url[scheme_end..]
        .find(['/', '?'])
        .map_or(url.len(), |i| scheme_end + i);
    let target = format!("{}/{name}", &url[..authority_end]);

    let started = Instant::now();
    let result = migrate::to_postgres(&path, &target, &mut |table, rows| {
        eprintln!("{table}: {rows} rows after {:.1?}", started.elapsed())
    });
    let elapsed = started.elapsed();
    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"));
    let report = result.expect("the copy");
    let requests = report
        .tables
        .iter()
        .find(|t| t.table == "request")
        .map_or(0, |t| t.rows);
    assert_eq!(requests as usize, n, "every request copied");
    println!("{n} requests migrated and checked in {elapsed:.1?}");
}
