//! Every file and folder Bianmin writes is its OS user's alone (issue 17, point 1): the database
//! and its `-wal`/`-shm`, the numbers file, backups, the copies a restore keeps, settings and
//! every export (forms, workbooks, catalogue files) are created 0600, folders Bianmin creates
//! 0700. A database made by an older version is narrowed when it is next opened
//! ([`restrict_database`]). Other OS users of the PC then read no resident's ID number.
//!
//! SQLite creates its `-wal` and `-shm` files with the mode of the database file, so a database
//! file created here 0600 keeps its companions 0600 too.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The mode of every file Bianmin writes.
pub const FILE_MODE: u32 = 0o600;
/// The mode of every folder Bianmin creates.
pub const DIR_MODE: u32 = 0o700;

/// Creates `dir` and its missing parents, each new one 0700; existing folders keep their mode
/// (a folder the user chose, such as a USB stick's, is not ours to change).
pub fn create_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIR_MODE);
    builder.create(dir)
}

/// Narrows a folder that is Bianmin's own (the app's data folder) to 0700.
pub fn restrict_dir(dir: &Path) -> io::Result<()> {
    set_mode(dir, DIR_MODE)
}

/// Narrows `path` to 0600 if it exists.
pub fn restrict(path: &Path) -> io::Result<()> {
    set_mode(path, FILE_MODE)
}

fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::metadata(path) {
            Ok(m) if m.permissions().mode() & 0o777 != mode => {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            }
            Ok(_) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

/// Opens `path` for writing, created 0600 (truncated if it exists, then narrowed).
pub fn create(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    let file = options.open(path)?;
    restrict(path)?;
    Ok(file)
}

/// Creates an empty `path` 0600 if nothing is there yet (SQLite then opens it as a new
/// database and gives its `-wal` and `-shm` the same mode).
pub fn touch(path: &Path) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// `path` with `suffix` appended to its file name (`bianmin.db` → `bianmin.db-wal`).
pub fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Narrows a SQLite database and every file SQLite and Bianmin keep beside it.
pub fn restrict_database(db: &Path) -> io::Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal", ".numbers"] {
        restrict(&beside(db, suffix))?;
    }
    Ok(())
}

/// Writes `bytes` to `path.part` (0600, synced) and returns that path, to be renamed into place
/// once all is well; a failed write removes the part.
pub fn write_aside(path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let part = beside(path, ".part");
    let written = create(&part).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    match written {
        Ok(()) => Ok(part),
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            Err(e)
        }
    }
}

/// Writes `bytes` to `path` whole: aside first, then renamed into place (0600).
pub fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let part = write_aside(path, bytes)?;
    std::fs::rename(&part, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&part);
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn files_are_the_owners_and_new_folders_too_but_a_chosen_folder_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let deep = dir.path().join("a/b");
        create_dir(&deep).unwrap();
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        assert_eq!(mode(&deep), 0o700);
        assert_eq!(
            mode(dir.path()),
            0o755,
            "an existing folder is left as it was"
        );

        let f = deep.join("x.pdf");
        write_whole(&f, b"pdf").unwrap();
        assert_eq!(
            (mode(&f), std::fs::read(&f).unwrap()),
            (0o600, b"pdf".to_vec())
        );
        assert!(!beside(&f, ".part").exists());

        // A file an older version left world-readable is narrowed.
        let old = deep.join("old.db");
        std::fs::write(&old, b"").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::write(beside(&old, "-wal"), b"").unwrap();
        std::fs::set_permissions(beside(&old, "-wal"), std::fs::Permissions::from_mode(0o644))
            .unwrap();
        restrict_database(&old).unwrap();
        assert_eq!((mode(&old), mode(&beside(&old, "-wal"))), (0o600, 0o600));
    }
}
