//! A set of outputs replaced together or not at all, and the sweep of the
//! temporaries killed runs leave behind.
//!
//! A commit has three steps. *Stage*: every file's bytes go to a temporary
//! beside its target, synced (a folder replaced as a whole is built as a
//! temporary folder). *Move*: each target's old file is kept as a hard link
//! (or, where the file system has none, and for folders, renamed aside),
//! then the temporary is renamed onto the target. *Finish*: the folders are
//! synced and the old copies removed. A failure while staging removes the
//! temporaries; a failure while moving also puts every old file back.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};

/// How every temporary kehou makes starts: files being written, folders
/// being built, old files kept until a set is in place.
pub const TMP_PREFIX: &str = ".kehou-tmp-";

/// A temporary older than this was left by a killed run and is swept; a
/// younger one may belong to a run in progress and is left alone.
pub const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// Outputs replaced as a set: after [`OutputSet::commit`] either every
/// file holds its new bytes, or (on an error) every old file is as it was
/// and no temporary is left.
///
/// ```no_run
/// # fn main() -> kehou::Result<()> {
/// use kehou::outputs::files::OutputSet;
/// let mut set = OutputSet::new();
/// set.add("out/roster-2026-12-07.html", "<html>…</html>");
/// set.add_dir("out/ics-2026-12-07");
/// set.add("out/ics-2026-12-07/T001.ics", "BEGIN:VCALENDAR…");
/// set.commit()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Default)]
pub struct OutputSet {
    files: Files,
    dirs: Vec<PathBuf>,
}

impl OutputSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// `path` is to hold `bytes` (its folder is created when missing).
    pub fn add(&mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> &mut Self {
        self.files.push((path.into(), bytes.into()));
        self
    }

    /// The folder `dir` is to be replaced as a whole: after the commit it
    /// holds exactly the files added under it (none if none were), and what
    /// it held before is gone. Such folders must not nest.
    pub fn add_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.dirs.push(dir.into());
        self
    }

    /// Writes the set: all of it, or (with an error naming the path that
    /// failed) none of it.
    pub fn commit(self) -> Result<()> {
        self.commit_with(&mut |from, to| fs::rename(from, to))
    }

    /// The commit, with the rename that moves a temporary onto its target
    /// given (tests make it fail).
    fn commit_with(self, place: &mut dyn FnMut(&Path, &Path) -> io::Result<()>) -> Result<()> {
        let items = self.items()?;
        let staged = stage_all(&items)?;
        let moved = move_all(staged, place)?;
        finish(moved)
    }

    /// The files grouped into their replaced folders; refuses a path given
    /// twice, nested folders and names that would leave their folder.
    fn items(self) -> Result<Vec<Item>> {
        let refuse = |path: &Path, what: &str| {
            write_err(path, io::Error::new(io::ErrorKind::InvalidInput, what))
        };
        for (i, d) in self.dirs.iter().enumerate() {
            if self.dirs[..i]
                .iter()
                .any(|e| d.starts_with(e) || e.starts_with(d))
            {
                return Err(refuse(d, "output folders nest"));
            }
        }
        let mut dirs: Vec<(PathBuf, Files)> =
            self.dirs.into_iter().map(|d| (d, Vec::new())).collect();
        let mut seen = BTreeSet::new();
        let mut items = Vec::new();
        for (path, bytes) in self.files {
            if !seen.insert(path.clone()) {
                return Err(refuse(&path, "two outputs for one file"));
            }
            let Some((dir, files)) = dirs.iter_mut().find(|(d, _)| path.starts_with(d)) else {
                items.push(Item::File {
                    target: path,
                    bytes,
                });
                continue;
            };
            let rel = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
            let plain = rel.components().all(|c| matches!(c, Component::Normal(_)));
            if rel.as_os_str().is_empty() || !plain {
                return Err(refuse(&path, "not a plain file name inside its folder"));
            }
            files.push((rel, bytes));
        }
        items.extend(
            dirs.into_iter()
                .map(|(target, files)| Item::Dir { target, files }),
        );
        Ok(items)
    }
}

/// Paths with the bytes they are to hold.
type Files = Vec<(PathBuf, Vec<u8>)>;

/// One thing moved into place: a file, or a folder replaced as a whole
/// (its files by path relative to it).
enum Item {
    File { target: PathBuf, bytes: Vec<u8> },
    Dir { target: PathBuf, files: Files },
}

impl Item {
    fn target(&self) -> &Path {
        match self {
            Item::File { target, .. } | Item::Dir { target, .. } => target,
        }
    }
}

/// A temporary (file or folder) removed when dropped, unless it was moved
/// into place or must be kept.
struct Scratch {
    path: PathBuf,
    live: bool,
}

impl Scratch {
    fn new(path: PathBuf) -> Scratch {
        Scratch { path, live: true }
    }
    /// No longer removed: it was moved into place (or must stay).
    fn keep(mut self) {
        self.live = false;
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.live {
            let _ = remove_any(&self.path);
        }
    }
}

/// Removes a file, a symbolic link (not what it points to) or a folder.
fn remove_any(p: &Path) -> io::Result<()> {
    if fs::symlink_metadata(p)?.is_dir() {
        fs::remove_dir_all(p)
    } else {
        fs::remove_file(p)
    }
}

fn write_err(path: &Path, source: io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// The folder a target is written in.
fn parent(p: &Path) -> &Path {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// `.kehou-tmp-<unix seconds>-<tag>`: a temporary's name says when it was
/// made, since a hard link or a folder renamed aside keeps its old mtime
/// and would otherwise look stale to another run's sweep.
fn tmp_prefix(tag: &str) -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("{TMP_PREFIX}{secs}-{tag}")
}

/// A builder for temporaries kehou removes itself. On Unix they are
/// created with `mode`, which the umask narrows like any new file's.
fn builder(prefix: &str, mode: u32) -> tempfile::Builder<'_, 'static> {
    let mut b = tempfile::Builder::new();
    b.prefix(prefix).disable_cleanup(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    b
}

/// A temporary written and synced, waiting to be moved onto its target.
struct Staged {
    target: PathBuf,
    tmp: Scratch,
    dir: bool,
}

/// Every item written to its temporary, after each folder is created and
/// swept; on an error the temporaries made so far are removed.
fn stage_all(items: &[Item]) -> Result<Vec<Staged>> {
    let parents: BTreeSet<&Path> = items.iter().map(|i| parent(i.target())).collect();
    for d in parents {
        fs::create_dir_all(d).map_err(|e| write_err(d, e))?;
        sweep(d);
    }
    items
        .iter()
        .map(|item| match item {
            Item::File { target, bytes } => stage_file(target, bytes),
            Item::Dir { target, files } => stage_dir(target, files),
        })
        .collect()
}

fn stage_file(target: &Path, bytes: &[u8]) -> Result<Staged> {
    let err = |e| write_err(target, e);
    if fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) {
        return Err(err(io::ErrorKind::IsADirectory.into()));
    }
    let prefix = tmp_prefix("");
    let mut f = builder(&prefix, 0o666)
        .tempfile_in(parent(target))
        .map_err(err)?;
    let tmp = Scratch::new(f.path().to_path_buf());
    f.write_all(bytes).map_err(err)?;
    f.as_file().sync_all().map_err(err)?;
    Ok(Staged {
        target: target.to_path_buf(),
        tmp,
        dir: false,
    })
}

/// A folder's replacement built beside it, each file created new (on a
/// file system that ignores case, two names differing only in case are an
/// error rather than one file).
fn stage_dir(target: &Path, files: &Files) -> Result<Staged> {
    if fs::symlink_metadata(target).is_ok_and(|m| m.is_file()) {
        return Err(write_err(target, io::ErrorKind::NotADirectory.into()));
    }
    let prefix = tmp_prefix("");
    let t = builder(&prefix, 0o777)
        .tempdir_in(parent(target))
        .map_err(|e| write_err(target, e))?;
    let tmp = Scratch::new(t.keep());
    for (rel, bytes) in files {
        let shown = target.join(rel);
        let err = |e| write_err(&shown, e);
        let path = tmp.path.join(rel);
        fs::create_dir_all(parent(&path)).map_err(err)?;
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(err)?;
        f.write_all(bytes).map_err(err)?;
        f.sync_all().map_err(err)?;
    }
    sync_dir(&tmp.path).map_err(|e| write_err(target, e))?;
    Ok(Staged {
        target: target.to_path_buf(),
        tmp,
        dir: true,
    })
}

/// The old output at a target, kept until the set is in place.
enum Backup {
    /// There was none.
    None,
    /// A hard link to the old file, which stays at the target meanwhile.
    Link(Scratch),
    /// The old file or folder, renamed aside: the target is empty until
    /// the new one is moved in.
    Aside(Scratch),
}

/// A target whose new output is in place, with its old one kept.
struct Moved {
    target: PathBuf,
    backup: Backup,
}

/// Each temporary moved onto its target, the old one kept first; on an
/// error every target done so far gets its old output back, and the
/// temporaries not yet moved are removed.
fn move_all(
    staged: Vec<Staged>,
    place: &mut dyn FnMut(&Path, &Path) -> io::Result<()>,
) -> Result<Vec<Moved>> {
    let mut moved: Vec<Moved> = Vec::with_capacity(staged.len());
    for s in staged {
        let backup = match back_up(&s.target, s.dir) {
            Ok(b) => b,
            Err(e) => {
                roll_back(moved);
                return Err(write_err(&s.target, e));
            }
        };
        if let Err(e) = place(&s.tmp.path, &s.target) {
            restore(&s.target, backup, false);
            roll_back(moved);
            return Err(write_err(&s.target, e));
        }
        s.tmp.keep();
        moved.push(Moved {
            target: s.target,
            backup,
        });
    }
    Ok(moved)
}

/// Keeps the old output at `target`: a hard link to a file (the target
/// stays in place), or, for a folder or on a file system without hard
/// links, the old one renamed aside.
fn back_up(target: &Path, dir: bool) -> io::Result<Backup> {
    let meta = match fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Backup::None),
        Err(e) => return Err(e),
    };
    // What staging refused may have appeared since; it is not ours to move.
    if (!dir && meta.is_dir()) || (dir && meta.is_file()) {
        return Err(if dir {
            io::ErrorKind::NotADirectory.into()
        } else {
            io::ErrorKind::IsADirectory.into()
        });
    }
    let prefix = tmp_prefix("old-");
    let b = builder(&prefix, 0o666);
    if !dir {
        if let Ok(t) = b.make_in(parent(target), |p| fs::hard_link(target, p)) {
            return Ok(Backup::Link(Scratch::new(t.path().to_path_buf())));
        }
    }
    let t = b.make_in(parent(target), |p| fs::rename(target, p))?;
    Ok(Backup::Aside(Scratch::new(t.path().to_path_buf())))
}

/// Puts the old output back at `target` (removing the new one when it was
/// `placed`). When even that fails, the old output stays beside the target
/// under its temporary name rather than being removed.
fn restore(target: &Path, backup: Backup, placed: bool) {
    match backup {
        Backup::None => {
            if placed {
                let _ = remove_any(target);
            }
        }
        // Unplaced, the old file never left: dropping the link is enough.
        Backup::Link(old) if !placed => drop(old),
        Backup::Link(old) => put_back(old, target),
        Backup::Aside(old) => {
            if placed {
                let _ = remove_any(target);
            }
            put_back(old, target);
        }
    }
}

fn put_back(old: Scratch, target: &Path) {
    // Kept either way: moved back, or left for the user to find.
    let _ = fs::rename(&old.path, target);
    old.keep();
}

fn roll_back(moved: Vec<Moved>) {
    for m in moved.into_iter().rev() {
        restore(&m.target, m.backup, true);
    }
}

/// The renames made durable (each folder synced), then the old outputs
/// removed (when dropped).
fn finish(moved: Vec<Moved>) -> Result<()> {
    let parents: BTreeSet<&Path> = moved.iter().map(|m| parent(&m.target)).collect();
    for d in parents {
        sync_dir(d).map_err(|e| write_err(d, e))?;
    }
    Ok(())
}

/// Flushes a folder's entries (the renames in it) to disk. Where the
/// platform cannot (no folder handles outside Unix, file systems that
/// refuse fsync on a folder, a folder that may be written but not read)
/// there is nothing more to do.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    let f = match fs::File::open(dir) {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => return Ok(()),
        r => r?,
    };
    match f.sync_all() {
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported
            ) =>
        {
            Ok(())
        }
        r => r,
    }
}

#[cfg(not(unix))]
fn sync_dir(_: &Path) -> io::Result<()> {
    Ok(())
}

/// Removes from `dir` the temporaries (`.kehou-tmp-…`, files or folders)
/// that are older than [`STALE_AFTER`]: left by a killed run, not in use
/// by one in progress. Nothing without that prefix is touched. Errors are
/// ignored (what cannot be removed now is tried next time). Returns how
/// many were removed.
pub fn sweep(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let now = SystemTime::now();
    entries
        .flatten()
        .filter(|e| {
            let path = e.path();
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(TMP_PREFIX) && stale(&path, n, now))
                && remove_any(&path).is_ok()
        })
        .count()
}

/// Whether a temporary is older than [`STALE_AFTER`], by the later of its
/// mtime and the time in its name.
fn stale(path: &Path, name: &str, now: SystemTime) -> bool {
    let Ok(modified) = fs::symlink_metadata(path).and_then(|m| m.modified()) else {
        return false;
    };
    let named = name[TMP_PREFIX.len()..]
        .split('-')
        .next()
        .and_then(|s| s.parse::<u64>().ok())
        .and_then(|s| UNIX_EPOCH.checked_add(Duration::from_secs(s)));
    let newest = named.map_or(modified, |n| n.max(modified));
    now.duration_since(newest)
        .is_ok_and(|age| age > STALE_AFTER)
}

#[cfg(test)]
mod tests;
