//! TESTING.md stays honest: every row of its claims table names a test file that exists and a
//! test that file holds. A renamed or deleted test, or a row pointing at the wrong file, fails
//! here, naming the row.
//!
//! The claims table is every table row (a line starting with `|`) in the section "## Claims and
//! the tests that hold them", up to the next `## ` heading; its subsections each repeat the header
//! `| Claim (README) | Test | Where |`, which is skipped, as are separator rows. In a row, the
//! Test cell is one backticked test name and the Where cell one backticked path from the
//! repository root. A Rust file must hold `fn <name>(` under `#[test]` (possibly inside
//! `proptest!`); a `.mjs`, `.js` or `.ts` file must hold `test(` or `it(` whose first argument is
//! the name as a string literal.

use std::path::{Path, PathBuf};

/// Fewer rows than this means the table was cut, not merely edited.
const MIN_ROWS: usize = 170;

const SECTION: &str = "## Claims and the tests that hold them";
const HEADER: [&str; 3] = ["Claim (README)", "Test", "Where"];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One row of the claims table.
#[derive(Debug)]
struct Row {
    /// Line number in TESTING.md, from 1.
    line: usize,
    text: String,
    cells: Vec<String>,
}

/// The table rows of the claims section, header and separator rows left out.
fn claim_rows(markdown: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut inside = false;
    for (n, line) in markdown.lines().enumerate() {
        if line.starts_with("## ") {
            inside = line.trim_end() == SECTION;
            continue;
        }
        if !inside || !line.starts_with('|') {
            continue;
        }
        let cells = cells(line);
        let is_separator = cells
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')));
        if is_separator || cells == HEADER {
            continue;
        }
        rows.push(Row {
            line: n + 1,
            text: line.to_string(),
            cells,
        });
    }
    rows
}

/// The cells of a table line `| a | b | c |`, trimmed.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

/// The text of a cell that is exactly one backticked span.
fn code_span(cell: &str) -> Option<&str> {
    let inner = cell.strip_prefix('`')?.strip_suffix('`')?;
    (!inner.is_empty() && !inner.contains('`')).then_some(inner)
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether Rust source holds `fn name(` as a test: `#[test]` among the attribute, comment and
/// blank lines just above it.
fn rust_has_test(source: &str, name: &str) -> bool {
    let lines: Vec<&str> = source.lines().collect();
    let needle = format!("fn {name}(");
    lines.iter().enumerate().any(|(i, line)| {
        let found = line
            .match_indices(&needle)
            .any(|(at, _)| !line[..at].chars().next_back().is_some_and(is_ident_char));
        found
            && lines[..i]
                .iter()
                .rev()
                .map(|l| l.trim())
                .take_while(|l| l.is_empty() || l.starts_with("#[") || l.starts_with("//"))
                .any(|l| l == "#[test]" || l.starts_with("#[test]"))
    })
}

/// The string literal at the start of `text` (after blanks): quoted with ', " or `, with its
/// escapes undone. None when `text` does not start with one.
fn string_literal(text: &str) -> Option<String> {
    let mut chars = text.trim_start().chars();
    let quote = chars.next().filter(|q| matches!(q, '\'' | '"' | '`'))?;
    let mut out = String::new();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                other => out.push(other),
            },
            c if c == quote => return Some(out),
            c => out.push(c),
        }
    }
    None
}

/// The names given to `test(` and `it(` calls in JavaScript or TypeScript source.
fn js_test_names(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    for call in ["test(", "it("] {
        for (at, _) in source.match_indices(call) {
            let before = source[..at].chars().next_back();
            if before.is_some_and(|c| is_ident_char(c) || c == '.' || c == '$') {
                continue;
            }
            if let Some(name) = string_literal(&source[at + call.len()..]) {
                names.push(name);
            }
        }
    }
    names
}

/// Why a row does not hold, or None when it does.
fn check_row(root: &Path, row: &Row) -> Option<String> {
    if row.cells.len() != 3 {
        return Some(format!(
            "has {} cells, not 3 (a `|` inside a cell?)",
            row.cells.len()
        ));
    }
    if row.cells[0].is_empty() {
        return Some("names no claim".into());
    }
    let Some(name) = code_span(&row.cells[1]) else {
        return Some("the Test cell is not one `backticked` test name".into());
    };
    let Some(path) = code_span(&row.cells[2]) else {
        return Some("the Where cell is not one `backticked` path".into());
    };
    let file = root.join(path);
    if !file.is_file() {
        return Some(format!("{path} does not exist"));
    }
    let source = match std::fs::read_to_string(&file) {
        Ok(s) => s,
        Err(e) => return Some(format!("{path} cannot be read: {e}")),
    };
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let found = match ext {
        "rs" => rust_has_test(&source, name),
        "mjs" | "js" | "ts" => js_test_names(&source).iter().any(|n| n == name),
        other => return Some(format!("{path}: no rule for .{other} files")),
    };
    (!found).then(|| match ext {
        "rs" => format!("{path} has no #[test] fn {name}("),
        _ => format!("{path} has no test(…) or it(…) named {name:?}"),
    })
}

#[test]
fn every_row_of_the_claims_table_names_a_test_that_exists() {
    let root = workspace();
    let markdown = std::fs::read_to_string(root.join("TESTING.md"))
        .expect("TESTING.md at the repository root");
    assert!(
        markdown.lines().any(|l| l.trim_end() == SECTION),
        "TESTING.md has no section {SECTION:?}"
    );
    let rows = claim_rows(&markdown);
    let problems: Vec<String> = rows
        .iter()
        .filter_map(|row| {
            check_row(&root, row)
                .map(|why| format!("TESTING.md:{}: {why}\n  {}", row.line, row.text))
        })
        .collect();
    assert!(
        problems.is_empty(),
        "{} of {} rows of the claims table do not hold:\n{}",
        problems.len(),
        rows.len(),
        problems.join("\n")
    );
    assert!(
        rows.len() >= MIN_ROWS,
        "the claims table has only {} rows (at least {MIN_ROWS} expected)",
        rows.len()
    );
    for heading in ["## Claims without a test yet", "## Mutation testing"] {
        assert!(
            markdown.lines().any(|l| l.trim_end() == heading),
            "TESTING.md has no section {heading:?}"
        );
    }
}

/// The checker itself: what it takes and what it refuses.
#[test]
fn the_checker_finds_rust_and_js_tests_and_refuses_near_misses() {
    let rust = "#[cfg(test)]\nmod tests {\n    /// Doc.\n    #[test]\n    fn real_one() {}\n\n    fn helper_one() {}\n\n    proptest! {\n        #[test]\n        fn a_property(x in 0..3) {}\n    }\n}\n";
    assert!(rust_has_test(rust, "real_one"));
    assert!(rust_has_test(rust, "a_property"));
    assert!(!rust_has_test(rust, "helper_one"), "a helper is no test");
    assert!(!rust_has_test(rust, "one"), "a suffix is no name");
    assert!(!rust_has_test(rust, "real"));

    let js = "test('plain name', async () => {});\n  it(\"double\", () => {});\nit(`tick`, () => {});\ntest('it\\'s escaped', { skip: true }, async () => {});\nassert.ok(!/authorized\\(/.test(body));\nconst x = split('no');\n";
    let names = js_test_names(js);
    for want in ["plain name", "double", "tick", "it's escaped"] {
        assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
    }
    assert!(!names.iter().any(|n| n == "no"), "{names:?}");

    let md = format!(
        "## Other\n| a | `x` | `y` |\n{SECTION}\n\n### Part\n\n| Claim (README) | Test | Where |\n| --- | --- | --- |\n| c | `t` | `p` |\n## Next\n| d | `u` | `q` |\n"
    );
    let rows = claim_rows(&md);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].cells, ["c", "`t`", "`p`"]);
    assert_eq!(rows[0].line, 9);
}
