//! The rules and the types they speak of, with nothing of the store: every function here is
//! pure (facts in, answer out), so each rule is tested by table without a database. Services
//! above (`crate::staffing`, `crate::authority`, `crate::request`, …) load the facts through
//! the store, call these and write what they return.
//!
//! Architecture invariant: nothing under `domain/` names `crate::store` (a test reads the
//! sources to hold it).

pub mod authority;
pub mod calendar;
pub mod catalog;
pub mod counters;
pub mod date;
pub mod demand;
pub mod identity;
pub mod ids;
pub mod report;
pub mod request;
pub mod retirement;
pub mod speaker;
pub mod staff;
pub mod staffing;

#[cfg(test)]
mod tests {
    /// The domain imports no store: every file under `domain/` is read and searched.
    #[test]
    fn the_domain_imports_no_store() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain");
        let mut checked = 0;
        for entry in walk(&dir) {
            let text = std::fs::read_to_string(&entry).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                // Spelt in pieces so that this test does not find itself.
                let needles = [
                    concat!("store", "::"),
                    concat!("rus", "qlite"),
                    concat!("post", "gres::"),
                ];
                assert!(
                    !needles.iter().any(|n| code.contains(n)),
                    "{}:{}: the domain must not reach the store: {line}",
                    entry.display(),
                    n + 1
                );
            }
            checked += 1;
        }
        assert!(
            checked >= 9,
            "only {checked} files read under {}",
            dir.display()
        );
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
        out
    }
}
