//! "Nothing in Bianmin removes records" from the audit log. The triggers that refuse UPDATE and
//! DELETE are tested on both engines (`the_audit_log_is_chained_and_append_only`), and a restore
//! keeps the database it replaces beside the file, records and all
//! (`backup_and_restore_leave_one_audit_record_each_saying_who`). What remains is Bianmin's own
//! SQL: no statement outside the tests deletes, updates (but the one that fills the hashes of
//! records older than the chain) or truncates the log, drops a column of it, or drops a trigger. This reads every SQL text the programs carry (the Rust sources of the
//! core, the CLI and the app up to their test modules, and the migrations).

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("rs" | "sql")
        ) {
            out.push(path);
        }
    }
}

/// A file's text outside its tests, lowercased, with every run of whitespace one space.
fn program_text(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    if name == "tests.rs" || name == "suite.rs" || name.ends_with("_tests.rs") {
        return None;
    }
    let text = std::fs::read_to_string(path).unwrap();
    let program = text.split("#[cfg(test)]").next().unwrap();
    Some(
        program
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

#[test]
fn no_statement_of_bianmin_removes_audit_records() {
    let root = workspace();
    let mut files = Vec::new();
    for dir in ["crates/core/src", "crates/cli/src", "src-tauri/src"] {
        walk(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "{} files", files.len());
    let forbidden = [
        "delete from audit_log",
        "update audit_log",
        "truncate audit_log",
        "truncate table audit_log",
        "drop table audit_log",
        "drop table if exists audit_log",
        "alter table audit_log drop",
        "alter table audit_log rename",
        "drop trigger",
    ];
    // The one update there is: migration 6 chains the records written before it, filling the
    // hash they lack; its trigger lets nothing else through (`chain_unhashed`).
    let allowed = ["update audit_log set prev_hash = ?1, hash = ?2 where id = ?3"];
    let mut read = 0;
    let mut found = Vec::new();
    for f in &files {
        let Some(text) = program_text(f) else {
            continue;
        };
        read += 1;
        let text = allowed.iter().fold(text, |t, a| t.replace(a, ""));
        for pattern in forbidden {
            if text.contains(pattern) {
                found.push(format!(
                    "{}: {pattern}",
                    f.strip_prefix(&root).unwrap().display()
                ));
            }
        }
    }
    assert!(read > 40, "{read} files read");
    assert!(
        found.is_empty(),
        "statements that remove audit records: {found:#?}"
    );
}

/// The scan would see a statement if one were written: the triggers' own definitions name the
/// log, and the tests that try to delete from it are where the scan does not look.
#[test]
fn the_scan_sees_the_log_where_it_is_named() {
    let migrations = workspace().join("crates/core/src/store/migrations");
    let mut files = Vec::new();
    walk(&migrations, &mut files);
    let all: String = files.iter().filter_map(|f| program_text(f)).collect();
    assert!(
        all.contains("before delete on audit_log"),
        "the delete trigger moved"
    );
    let suite =
        std::fs::read_to_string(workspace().join("crates/core/src/store/suite.rs")).unwrap();
    assert!(suite.to_lowercase().contains("delete from audit_log"));
}
