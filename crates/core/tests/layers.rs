//! The layers stay apart (issue 14, "Layers you can see"): the edges that once made a circle of
//! the core's modules, and the adapters that once lived in the front ends, must not come back.
//! Reads the sources; comments are skipped, so prose may still mention any module.

use std::path::{Path, PathBuf};

fn core_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `path` (or `path` itself).
fn rust_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())) {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The lines of code (not comments) of the files under `path` that name `needle` as a path
/// segment (`needle` not preceded by a letter, digit or `_`), as "file:line: text".
fn naming(path: &Path, needle: &str) -> Vec<String> {
    let mut hits = Vec::new();
    for file in rust_files(path) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            let named = code.match_indices(needle).any(|(i, _)| {
                !code[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            if named {
                hits.push(format!("{}:{}: {}", file.display(), n + 1, code));
            }
        }
    }
    hits
}

fn assert_none(path: &str, needles: &[&str], why: &str) {
    let root = if path.starts_with("src-tauri") || path.starts_with("crates/cli") {
        workspace().join(path)
    } else {
        core_src().join(path)
    };
    for needle in needles {
        let hits = naming(&root, needle);
        assert!(
            hits.is_empty(),
            "{path} names `{needle}`: {why}\n{}",
            hits.join("\n")
        );
    }
}

#[test]
fn errors_name_the_sheets_problem_not_the_catalogue() {
    assert_none(
        "error.rs",
        &["catalog::"],
        "an import problem is the sheets' (sheets::Problem)",
    );
    assert_none(
        "catalog",
        &["struct Problem"],
        "the problem type lives in sheets.rs",
    );
}

#[test]
fn paths_and_store_do_not_import_each_other() {
    assert_none(
        "paths.rs",
        &["store::"],
        "database addresses are address.rs's",
    );
    assert_none(
        "store",
        &["paths::"],
        "the store opens an address::Database",
    );
    assert_none(
        "address.rs",
        &["store::", "paths::"],
        "address.rs is below both",
    );
}

#[test]
fn towns_are_resolved_in_one_place() {
    assert_none(
        "catalog",
        &["fn resolve_town"],
        "town resolution lives in town.rs",
    );
    // The check finds what is there.
    assert!(!naming(&core_src().join("catalog"), "town::resolve_town").is_empty());
    for dir in ["", "../../cli/src", "../../../src-tauri/src"] {
        let root = core_src().join(dir);
        let hits = naming(&root, "service::resolve_town");
        assert!(
            hits.is_empty(),
            "use town::resolve_town:\n{}",
            hits.join("\n")
        );
    }
}

#[test]
fn accounts_and_the_store_take_audit_entries_from_audit_rs() {
    for path in ["accounts", "store", "forms"] {
        assert_none(
            path,
            &[
                "request::record::AuditEntry",
                "record::{AuditEntry",
                "request::os_user",
            ],
            "AuditEntry and os_user live in audit.rs",
        );
    }
    assert_none(
        "accounts",
        &["request::record", "record::AuditEntry"],
        "accounts need no request records",
    );
    assert_none(
        "audit.rs",
        &["request::", "accounts::", "store::"],
        "audit entries are plain values",
    );
}

#[test]
fn printing_is_the_print_module_s_and_backups_the_core_s() {
    assert_none(
        "src-tauri/src/commands",
        &[
            "std::process",
            "Command::new",
            "pdftoppm\"",
            "\"lp\"",
            "\"lpstat\"",
        ],
        "CUPS and poppler are src-tauri/src/print/'s",
    );
    for front_end in ["src-tauri/src/commands", "crates/cli/src"] {
        assert_none(
            front_end,
            &["backup_to(", "backup::restore(", "add_audit("],
            "backup and restore with their audit are backup_service's",
        );
    }
}

/// ARCHITECTURE.md's "Where each rule lives" names only paths that exist, so that a newcomer
/// finds every rule in one hop.
#[test]
fn every_path_in_the_rule_table_exists() {
    let text = std::fs::read_to_string(workspace().join("ARCHITECTURE.md")).unwrap();
    let table = text
        .split("## Where each rule lives")
        .nth(1)
        .expect("ARCHITECTURE.md has a section \"Where each rule lives\"");
    let mut named = 0;
    for row in table.lines().filter(|l| l.starts_with("| ")) {
        for (i, span) in row.split('`').enumerate() {
            if i % 2 == 1 && span.contains('/') {
                let path = workspace().join(span);
                assert!(
                    path.exists(),
                    "ARCHITECTURE.md names {span}, which does not exist"
                );
                named += 1;
            }
        }
    }
    assert!(named >= 20, "only {named} paths in the rule table");
}
