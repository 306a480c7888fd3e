//! The request numbers' high-water mark, kept beside a SQLite database in a file of its own
//! (`bianmin.db.numbers`), where restoring an older copy of the database does not roll it back.
//!
//! A number printed on a receipt must never be given to another person (issue 22). The day's
//! counter lives in the database (`request_counter`), so restoring a backup taken before some
//! intakes would give their numbers out again. Before a transaction issues a number above the
//! mark kept here, the mark is moved [`BLOCK`] numbers ahead and the file is replaced durably
//! (written, synced, renamed, the folder synced); so the file is written about once per town per
//! day, not per intake. A restore then lifts every counter to the mark (`sql::requests::lift_counters`): the
//! next number follows every number that may have been issued, at the cost of skipping at most
//! [`BLOCK`] of them.
//!
//! Writers are serialised by the database's write lock, which is held whenever a number is
//! issued, so two processes on one database never write the file at once; each reads the file
//! again before raising a mark, and marks only grow.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::ids::TownId;
use crate::{Error, Result};

/// How far ahead of the number being issued a mark is set.
pub const BLOCK: u32 = 1_000;

/// Days kept per town before its newest day: numbers carry today's date, so only a day that is
/// still today can have its numbers issued again; a month covers a clock set back.
const KEEP_DAYS: i64 = 31;

const HEADER: &str = "# 便民：已发出的办件编号上限（镇 id、日期、上限），恢复备份后编号从此之后继续。请勿修改或删除。";

/// The marks of one database: for each town and day, a number no issued number exceeds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Marks(BTreeMap<(i64, NaiveDate), u32>);

/// Where the marks of the database at `db` are kept.
pub fn file_beside(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".numbers");
    PathBuf::from(name)
}

fn damaged(path: &Path, detail: &str) -> Error {
    Error::invalid(
        "db",
        format!(
            "办件编号记录文件“{}”已损坏（{detail}）；为免重复发号，已停止受理。请联系管理员：核对后删除该文件再重试。",
            path.display()
        ),
    )
}

impl Marks {
    /// Reads the marks kept at `path`; none when there is no file yet.
    pub fn load(path: &Path) -> Result<Marks> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Marks::default()),
            Err(e) => return Err(damaged(path, &e.to_string())),
        };
        let mut marks = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let bad = || damaged(path, &format!("第 {} 行“{line}”", n + 1));
            let mut parts = line.split('\t');
            let (Some(town), Some(day), Some(mark), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return Err(bad());
            };
            let town: i64 = town.parse().map_err(|_| bad())?;
            let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| bad())?;
            let mark: u32 = mark.parse().map_err(|_| bad())?;
            let slot = marks.entry((town, day)).or_insert(0);
            *slot = (*slot).max(mark);
        }
        Ok(Marks(marks))
    }

    /// The mark of a town's day (0 when none).
    pub fn get(&self, town: TownId, day: NaiveDate) -> u32 {
        self.0.get(&(town.0, day)).copied().unwrap_or(0)
    }

    /// Every mark, oldest day first per town.
    pub fn iter(&self) -> impl Iterator<Item = (TownId, NaiveDate, u32)> + '_ {
        self.0.iter().map(|(&(t, d), &m)| (TownId(t), d, m))
    }

    /// Raises a mark (never lowers it) and forgets days long before each town's newest.
    fn raise(&mut self, town: TownId, day: NaiveDate, mark: u32) {
        let slot = self.0.entry((town.0, day)).or_insert(0);
        *slot = (*slot).max(mark);
        let newest: BTreeMap<i64, NaiveDate> =
            self.0.keys().fold(BTreeMap::new(), |mut m, &(t, d)| {
                let e = m.entry(t).or_insert(d);
                *e = (*e).max(d);
                m
            });
        self.0
            .retain(|(t, d), _| (newest[t] - *d).num_days() <= KEEP_DAYS);
    }

    /// Replaces the file at `path` by these marks: a crash leaves the old file or the new one.
    fn save(&self, path: &Path) -> Result<()> {
        let mut text = String::from(HEADER);
        text.push('\n');
        for ((town, day), mark) in &self.0 {
            text.push_str(&format!("{town}\t{day}\t{mark}\n"));
        }
        let fail = |e: std::io::Error| {
            Error::invalid(
                "db",
                format!("无法写入办件编号记录文件“{}”：{e}", path.display()),
            )
        };
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        let mut file = crate::files::create(&tmp).map_err(fail)?;
        file.write_all(text.as_bytes()).map_err(fail)?;
        file.sync_all().map_err(fail)?;
        drop(file);
        std::fs::rename(&tmp, path).map_err(fail)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The rename itself is durable once the folder is synced.
            std::fs::File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(fail)?;
        }
        Ok(())
    }
}

/// The marks of one open database, as its connection keeps them.
#[derive(Debug)]
pub(crate) struct Keeper {
    path: PathBuf,
    marks: Marks,
}

impl Keeper {
    /// The keeper of the database at `db`, with the marks read from beside it.
    pub(crate) fn beside(db: &Path) -> Result<Keeper> {
        let path = file_beside(db);
        let marks = Marks::load(&path)?;
        Ok(Keeper { path, marks })
    }

    /// Called inside the transaction that issues `seq`, before it commits: when `seq` passes the
    /// mark, the mark moves [`BLOCK`] ahead, durably, before the number can be given out.
    pub(crate) fn issuing(&mut self, town: TownId, day: NaiveDate, seq: u32) -> Result<()> {
        if seq <= self.marks.get(town, day) {
            return Ok(());
        }
        // Another process on the same database may have raised other marks meanwhile.
        let mut marks = Marks::load(&self.path)?;
        marks.raise(town, day, seq.saturating_add(BLOCK));
        marks.save(&self.path)?;
        self.marks = marks;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn a_mark_moves_a_block_ahead_only_when_passed_and_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bianmin.db");
        let mut k = Keeper::beside(&db).unwrap();
        assert_eq!(k.marks, Marks::default());
        k.issuing(TownId(1), day(5), 1).unwrap();
        assert_eq!(k.marks.get(TownId(1), day(5)), 1 + BLOCK);
        // Within the block nothing is written.
        std::fs::remove_file(file_beside(&db)).unwrap();
        k.issuing(TownId(1), day(5), BLOCK).unwrap();
        assert!(!file_beside(&db).exists());
        // Past it, the mark moves and the file is written again, with what was in memory.
        k.issuing(TownId(1), day(5), BLOCK + 2).unwrap();
        k.issuing(TownId(2), day(5), 7).unwrap();
        let again = Keeper::beside(&db).unwrap();
        assert_eq!(again.marks.get(TownId(1), day(5)), 2 * BLOCK + 2);
        assert_eq!(again.marks.get(TownId(2), day(5)), 7 + BLOCK);
        assert_eq!(again.marks.get(TownId(3), day(5)), 0);
    }

    #[test]
    fn two_keepers_of_one_database_keep_each_others_marks() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bianmin.db");
        let mut app = Keeper::beside(&db).unwrap();
        let mut cli = Keeper::beside(&db).unwrap();
        app.issuing(TownId(1), day(5), 1).unwrap();
        cli.issuing(TownId(2), day(5), 1).unwrap();
        let marks = Marks::load(&file_beside(&db)).unwrap();
        assert_eq!(marks.get(TownId(1), day(5)), 1 + BLOCK);
        assert_eq!(marks.get(TownId(2), day(5)), 1 + BLOCK);
    }

    #[test]
    fn days_long_before_the_newest_are_forgotten_per_town() {
        let mut m = Marks::default();
        m.raise(TownId(1), NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(), 5);
        m.raise(TownId(2), NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(), 5);
        m.raise(TownId(1), day(5), 3);
        assert_eq!(
            m.get(TownId(1), NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()),
            0
        );
        assert_eq!(
            m.get(TownId(2), NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()),
            5
        );
        // A mark never goes down.
        m.raise(TownId(1), day(5), 2);
        assert_eq!(m.get(TownId(1), day(5)), 3);
    }

    #[test]
    fn a_damaged_file_is_refused_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("bianmin.db");
        for text in [
            "1\t2026-12-05\n",
            "x\t2026-12-05\t3\n",
            "1\t2026-13-05\t3\n",
            "1\t2026-12-05\t3\t4\n",
        ] {
            std::fs::write(file_beside(&db), text).unwrap();
            let e = Keeper::beside(&db).unwrap_err().to_string();
            assert!(
                e.contains("bianmin.db.numbers") && e.contains("已损坏"),
                "{e}"
            );
        }
    }
}
