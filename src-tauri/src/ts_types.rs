//! The TypeScript types of what the window receives, generated from the Rust types by ts-rs into
//! one checked-in file, `ui/src/api/generated.ts`, which `ui/src/api/types.ts` re-exports.
//!
//! The test `ts_types_are_current` regenerates the file in memory and fails, showing the lines
//! that differ, when the checked-in file is not what the Rust types generate. After changing a
//! type the UI receives, refresh the file with
//!
//! ```text
//! BIANMIN_BLESS=1 cargo test -p bianmin-app ts_types
//! ```
//!
//! and commit it with the change (then `npm run -w ui typecheck` shows what the UI must follow).
//! A new command answer is added to `ROOTS` below; the types it holds follow by themselves.

use std::any::TypeId;
use std::collections::BTreeMap;

use ts_rs::{Config, TypeVisitor, TS};

use crate::commands::{accounts, database, devices, forms};
use crate::error::CommandError;
use crate::print;
use bianmin_core::{authority, catalog, demand, request, staff, staffing};

/// The file, relative to the workspace root.
pub const PATH: &str = "ui/src/api/generated.ts";

const HEADER: &str = "\
// Generated from the Rust types by ts-rs: do not edit by hand.
// Refresh: BIANMIN_BLESS=1 cargo test -p bianmin-app ts_types (see src-tauri/src/ts_types.rs).
";

/// Collects the declaration of every exportable type it is shown, and of the types they hold.
struct Collect<'a> {
    cfg: &'a Config,
    /// TypeScript name → (Rust type, declaration with its doc comment).
    decls: BTreeMap<String, (TypeId, String)>,
}

impl TypeVisitor for Collect<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        // Only derived types have a place to be exported to; primitives, `Option`, `Vec`, dates
        // are written inline.
        if T::output_path().is_none() {
            return;
        }
        let name = T::ident(self.cfg);
        if let Some((id, _)) = self.decls.get(&name) {
            assert!(
                *id == TypeId::of::<T>(),
                "two Rust types are both called {name} in TypeScript: give one a #[ts(rename)]"
            );
            return;
        }
        let mut decl = T::docs().unwrap_or_default();
        decl.push_str("export ");
        decl.push_str(&T::decl(self.cfg));
        self.decls.insert(name, (TypeId::of::<T>(), decl));
        T::visit_dependencies(self);
    }
}

/// Every type a command answers with (its fields' types follow).
macro_rules! roots {
    ($collect:expr, $($t:ty),* $(,)?) => {
        $( $collect.visit::<$t>(); )*
    };
}

/// The whole file, as the Rust types generate it.
pub fn typescript() -> String {
    // serde_json writes i64 and u64 as plain JSON numbers, which JavaScript reads as `number`.
    let cfg = Config::new().with_large_int("number");
    let mut c = Collect {
        cfg: &cfg,
        decls: BTreeMap::new(),
    };
    roots!(
        c,
        CommandError,
        // accounts.rs
        accounts::AuthStatus,
        bianmin_core::store::backup::BackupReport,
        accounts::RestoreCheck,
        bianmin_core::retention::RetentionStatus,
        bianmin_core::retention::RetentionReport,
        bianmin_core::accounts::Account,
        // catalog.rs
        catalog::service::ItemSummary,
        catalog::service::ItemDetail,
        catalog::service::LetterAlert,
        staff::StaffProfile,
        authority::Decision,
        authority::Action,
        // database.rs
        database::DatabaseInfo,
        database::HallProbe,
        // front.rs
        bianmin_core::front::Called,
        bianmin_core::front::TicketView,
        bianmin_core::front::record::TicketState,
        bianmin_core::front::Taken,
        bianmin_core::front::QueueStats,
        bianmin_core::front::RatingView,
        // devices.rs
        bianmin_core::front::device::DeviceView,
        bianmin_core::front::device::Opened,
        devices::FollowupPeriod,
        // forms.rs
        bianmin_core::forms::Form,
        forms::Preview,
        forms::Printed,
        forms::Saved,
        print::Printers,
        bianmin_core::forms::IssueEntry,
        // requests.rs
        request::RequestView,
        request::RequestDetail,
        request::ListPage,
        bianmin_core::identity::IdFacts,
        // staffing.rs
        staffing::StaffingReport,
        staffing::PersonOnDate,
        staffing::RotaWeek,
        demand::DemandReport,
        // report.rs
        bianmin_core::report::Report,
        bianmin_core::report::BehindRow,
    );
    let mut out = String::from(HEADER);
    for (_, decl) in c.decls.values() {
        out.push('\n');
        out.push_str(decl);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// The lines only in `old` (`-`) and only in `new` (`+`), with their line numbers, by the
    /// longest common subsequence: enough to see what drifted.
    fn diff(old: &str, new: &str) -> String {
        let a: Vec<&str> = old.lines().collect();
        let b: Vec<&str> = new.lines().collect();
        let (n, m) = (a.len(), b.len());
        let mut lcs = vec![vec![0u32; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i][j] = if a[i] == b[j] {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        let (mut i, mut j, mut out) = (0, 0, String::new());
        while i < n || j < m {
            if i < n && j < m && a[i] == b[j] {
                i += 1;
                j += 1;
            } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
                out.push_str(&format!("+{:>5} {}\n", j + 1, b[j]));
                j += 1;
            } else {
                out.push_str(&format!("-{:>5} {}\n", i + 1, a[i]));
                i += 1;
            }
        }
        out
    }

    #[test]
    fn diff_shows_changed_lines() {
        assert_eq!(
            diff("a\nb\nc\n", "a\nB\nc\nd\n"),
            "+    2 B\n-    2 b\n+    4 d\n"
        );
    }

    #[test]
    fn ts_types_are_current() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(PATH);
        let generated = typescript();
        if std::env::var_os("BIANMIN_BLESS").is_some() {
            std::fs::write(&path, &generated).unwrap();
            return;
        }
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            checked_in == generated,
            "{PATH} is not what the Rust types generate (- checked in, + generated):\n{}\n\
             Refresh it with: BIANMIN_BLESS=1 cargo test -p bianmin-app ts_types",
            diff(&checked_in, &generated)
        );
    }
}
