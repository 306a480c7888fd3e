//! What the benches that reach a PostgreSQL server share (included with `#[path]`).

/// `url` naming the database `name` instead of the one it names.
pub fn with_dbname(url: &str, name: &str) -> String {
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[scheme_end..];
    let query = rest.find('?').map_or("", |i| &rest[i..]);
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    format!("{}/{name}{query}", &url[..scheme_end + authority_end])
}

/// A connection to the server `BIANMIN_BENCH_PG` names.
pub fn admin(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls)
        .unwrap_or_else(|e| panic!("BIANMIN_BENCH_PG: cannot connect: {e}"))
}

/// The settings that make a server's commits less durable than SQLite's `synchronous = FULL`,
/// as `setting = value`; empty for a durable server.
pub fn not_durable(c: &mut postgres::Client) -> Vec<String> {
    let mut out = Vec::new();
    for (setting, want) in [("fsync", "on"), ("synchronous_commit", "on")] {
        let got: String = c.query_one(&format!("SHOW {setting}"), &[]).unwrap().get(0);
        if got != want {
            out.push(format!("{setting} = {got}"));
        }
    }
    out
}

/// Refuses a server whose commits are less durable than SQLite's `synchronous = FULL`.
pub fn require_durable(c: &mut postgres::Client) {
    let problems = not_durable(c);
    assert!(
        problems.is_empty(),
        "the PostgreSQL server runs with {}: its commits would not be as durable as SQLite's \
         (synchronous = FULL). Start it with `scripts/pg-test-server.sh start --durable`",
        problems.join(", ")
    );
}
