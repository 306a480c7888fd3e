//! "The bench refuses a server without" fsync and synchronous_commit: the check the PostgreSQL
//! benches run first (`benches/support/pg.rs`), against the test command's throwaway server,
//! which runs with fsync off. A session that also turns synchronous_commit off is refused for
//! both; so each setting is checked, not only the first.

#[allow(dead_code)]
#[path = "../benches/support/pg.rs"]
mod pg;

#[test]
fn the_benches_refuse_a_server_whose_commits_are_not_durable() {
    let Some(url) = bianmin_core::store::test_server_url() else {
        return;
    };
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let fsync: String = c.query_one("SHOW fsync", &[]).unwrap().get(0);
    assert_eq!(
        fsync, "off",
        "the test server is expected to run without fsync"
    );
    assert_eq!(pg::not_durable(&mut c), ["fsync = off"]);
    c.batch_execute("SET synchronous_commit = off").unwrap();
    assert_eq!(
        pg::not_durable(&mut c),
        ["fsync = off", "synchronous_commit = off"]
    );
    let refused =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pg::require_durable(&mut c)));
    let message = refused.expect_err("the bench ran on a server without fsync");
    let message = message.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("fsync = off, synchronous_commit = off"),
        "{message}"
    );
    assert!(message.contains("--durable"), "{message}");
}
