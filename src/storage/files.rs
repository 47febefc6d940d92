//! Files that hold the shop's data are readable by their owner only (0600),
//! whatever the umask: the SQLite database, its WAL and shared-memory index,
//! backups and the generated secrets key.

use std::{
    fs::{self, OpenOptions},
    io::{self, Write},
    os::unix::fs::{OpenOptionsExt, PermissionsExt},
    path::{Path, PathBuf},
};

const PRIVATE: u32 = 0o600;

/// Creates `path` empty with mode 0600 if it does not exist (an existing
/// file is left as it is, for `make_private`).
pub fn create_private(path: &Path) -> io::Result<()> {
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(PRIVATE)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates the database file private if missing, and narrows the modes of
/// it and its companions (`-wal`, `-shm`) that exist.
pub fn make_private(db_file: &Path) -> io::Result<()> {
    create_private(db_file)?;
    for path in [
        db_file.to_path_buf(),
        with_suffix(db_file, "-wal"),
        with_suffix(db_file, "-shm"),
    ] {
        match fs::set_permissions(&path, fs::Permissions::from_mode(PRIVATE)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// Writes a new file with `contents`, mode 0600; fails if it exists.
pub fn write_private(path: &Path, contents: &str) -> io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(PRIVATE)
        .open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_end_up_private_whatever_their_mode_was() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("shop.db");
        fs::write(&db, "x").unwrap();
        fs::write(with_suffix(&db, "-wal"), "x").unwrap();
        fs::set_permissions(&db, fs::Permissions::from_mode(0o644)).unwrap();
        make_private(&db).unwrap();
        for p in [db.clone(), with_suffix(&db, "-wal")] {
            let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", p.display());
        }
        let fresh = dir.path().join("new.db");
        make_private(&fresh).unwrap();
        assert_eq!(
            fs::metadata(&fresh).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}
