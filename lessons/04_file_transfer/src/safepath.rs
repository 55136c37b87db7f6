//! Which file a download server may serve: only regular files below its root.
//!
//! The text's server does `open(file_name)` with whatever the client sent, so
//! `/etc/passwd` or `../../secret` would be sent to anyone who asks. We refuse,
//! before touching the file system: an empty name, a NUL byte, bytes that are not
//! UTF-8, an absolute path, and any `..`; and after resolving links, anything that
//! is not inside the root (a symlink pointing out of it).

use std::fmt;
use std::path::{Component, Path, PathBuf};

/// Why a name was not served.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// The name is not acceptable as written (the reason says why).
    Bad(&'static str),
    /// No such file below the root (the text's "没有要下载的文件").
    Missing,
    /// The name is fine, but after links it lands outside the root.
    Escapes,
    /// It exists but is not a regular file (a folder, say).
    NotAFile,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Bad(why) => write!(f, "文件名不允许: {why}"),
            Refusal::Missing => write!(f, "没有这个文件"),
            Refusal::Escapes => write!(f, "路径通过链接指向了根目录之外"),
            Refusal::NotAFile => write!(f, "不是普通文件"),
        }
    }
}

/// Checks a received name (raw bytes) against `root` (already canonical) and
/// returns the path to open.
pub fn resolve(root: &Path, raw: &[u8]) -> Result<PathBuf, Refusal> {
    if raw.is_empty() {
        return Err(Refusal::Bad("空文件名 empty name"));
    }
    if raw.contains(&0) {
        return Err(Refusal::Bad("含有 NUL 字节 contains NUL"));
    }
    let name = std::str::from_utf8(raw).map_err(|_| Refusal::Bad("不是 UTF-8 not UTF-8"))?;
    let relative = Path::new(name);
    for part in relative.components() {
        match part {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => return Err(Refusal::Bad("含有 .. contains ..")),
            Component::RootDir | Component::Prefix(_) => {
                return Err(Refusal::Bad("绝对路径 absolute path"))
            }
        }
    }
    // Links are resolved by canonicalize; what comes out must still be under root.
    let real = root
        .join(relative)
        .canonicalize()
        .map_err(|_| Refusal::Missing)?;
    if !real.starts_with(root) {
        return Err(Refusal::Escapes);
    }
    if !real.is_file() {
        return Err(Refusal::NotAFile);
    }
    Ok(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("safepath-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("sub/a.txt"), b"a").unwrap();
        dir.canonicalize().unwrap()
    }

    #[test]
    fn names_below_the_root_are_served() {
        let r = root();
        assert_eq!(resolve(&r, b"sub/a.txt").unwrap(), r.join("sub/a.txt"));
        assert_eq!(resolve(&r, b"./sub/a.txt").unwrap(), r.join("sub/a.txt"));
    }

    #[test]
    fn hostile_names_are_refused() {
        let r = root();
        for bad in [
            &b""[..],
            b"../x",
            b"/etc/passwd",
            b"sub/../../x",
            b"a\0b",
            b"\xff\xfe",
        ] {
            assert!(matches!(resolve(&r, bad), Err(Refusal::Bad(_))), "{bad:?}");
        }
        assert_eq!(resolve(&r, b"nope.txt"), Err(Refusal::Missing));
        assert_eq!(resolve(&r, b"sub"), Err(Refusal::NotAFile));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_root_is_refused() {
        let r = root();
        let _ = std::fs::remove_file(r.join("out"));
        std::os::unix::fs::symlink("/etc/hostname", r.join("out")).unwrap();
        assert_eq!(resolve(&r, b"out"), Err(Refusal::Escapes));
    }
}
