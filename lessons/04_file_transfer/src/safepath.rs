//! 文件名的安全检查: 下载服务器可以提供哪些文件 ([`resolve`]), 上传的文件名
//! 可以是什么 ([`upload_name`])。
//! Which file a download server may serve, and which names an upload may have.
//!
//! 原文的服务器拿到什么名字就 `open` 什么, 所以 `/etc/passwd`、`../../secret`
//! 谁要都给; 上传的 `../x` 会写到 `yuan/` 外面。我们在碰文件系统之前就拒绝:
//! 空名字、NUL 字节、不是 UTF-8、绝对路径、任何 `..`; 下载时再解析链接,
//! 结果不在根目录下面的 (指向外面的符号链接) 也拒绝。

use std::fmt;
use std::path::{Component, Path, PathBuf};

/// 为什么不提供这个名字。Why a name was not served.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// 名字本身就不行 (原因写在里面)。
    Bad(&'static str),
    /// 根目录下没有这个文件 (原文的"没有要下载的文件")。
    Missing,
    /// 名字没问题, 但顺着链接走到了根目录外面。
    Escapes,
    /// 存在, 但不是普通文件 (比如是个目录)。
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

/// 检查收到的名字 (原始字节) 是否在 `root` (已经 canonicalize 过) 下面,
/// 返回要打开的路径。Checks a received name against `root`.
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
    // canonicalize 解析所有链接; 解析出来的路径必须仍在根目录下面
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

/// 上传的文件名最长多少字节 (常见文件系统对一个名字的上限)。
pub const MAX_NAME: usize = 255;

/// Windows 的保留设备名: 不管有没有扩展名 (`con.txt`), 在 Windows 上都不是普通文件。
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// 检查上传的文件名: 只能是一个普通的文件名, 不能带目录。返回拒绝的原因。
///
/// 在所有平台上都拒绝 Windows 不接受的名字 (`C:x` 这样的盘符、`:`、`CON`、
/// `nul.txt` …), 这样从 Linux 上传的文件在 Windows 上也能下载; 也拒绝
/// [`crate::PART_DIR`], 那是放临时文件的地方。
/// Checks an upload's file name: a plain name, valid on every platform.
pub fn upload_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("空文件名 empty name");
    }
    if name == "." || name == ".." {
        return Err("不能是 . 或 .. not . or ..");
    }
    if name.contains(['/', '\\']) {
        return Err("不能带目录 contains a path");
    }
    if name.contains('\0') {
        return Err("含有 NUL 字节 contains NUL");
    }
    if name.contains(':') {
        return Err("不能有 : (Windows 的盘符和流) contains :");
    }
    if name.len() > MAX_NAME {
        return Err("文件名太长 (最多 255 字节) name too long");
    }
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    if RESERVED.iter().any(|r| stem.eq_ignore_ascii_case(r)) {
        return Err("Windows 的保留设备名 a reserved device name");
    }
    if name.eq_ignore_ascii_case(crate::PART_DIR) {
        return Err("这是放临时文件的目录 the temporary folder");
    }
    Ok(())
}

/// 上传头不是有效的 UTF-8 时, 拒绝的原因: 坏字节在文件名里 (第二个 `|` 之后) 还是在
/// 头的前面, 在第几个字节。不用 `from_utf8_lossy` 把坏字节换成 U+FFFD 再存: 那是一个
/// 对方没有发过的名字, 别的坏名字也会变成同一个。
/// Why a header that is not UTF-8 is refused: which part holds the bad byte, and where.
pub fn not_utf8(header: &[u8], err: std::str::Utf8Error) -> String {
    let at = err.valid_up_to();
    let name_starts = header
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'|')
        .nth(1)
        .map(|(i, _)| i + 1);
    let part = match name_starts {
        Some(start) if at >= start => "文件名不是有效的 UTF-8 name is not UTF-8",
        _ => "头不是有效的 UTF-8 header is not UTF-8",
    };
    format!(
        "{part} (第 {} 个字节 0x{:02x}): {:?}",
        at + 1,
        header[at],
        String::from_utf8_lossy(header)
    )
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
    fn not_utf8_says_where_the_bad_byte_is() {
        let name: &[u8] = &[b"post|5|".as_slice(), &[0xff, 0xfe]].concat();
        let why = not_utf8(name, std::str::from_utf8(name).unwrap_err());
        assert!(why.starts_with("文件名不是有效的 UTF-8"), "{why}");
        assert!(why.contains("第 8 个字节 0xff"), "{why}");
        let size: &[u8] = &[b"post|".as_slice(), &[0xff], b"|a"].concat();
        let why = not_utf8(size, std::str::from_utf8(size).unwrap_err());
        assert!(why.starts_with("头不是有效的 UTF-8"), "{why}");
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

    #[test]
    fn upload_names_are_plain_names_valid_everywhere() {
        for ok in [
            "a.txt",
            ".bashrc",
            "x".repeat(255).as_str(),
            "console.txt",
            "com10",
            "新.txt",
        ] {
            assert_eq!(upload_name(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            ".",
            "..",
            "../a",
            "a/b",
            "a\\b",
            "a\0b",
            "C:evil.txt",
            "a:b",
            "CON",
            "con.txt",
            "Nul.tar.gz",
            "com1",
            "LPT9.log",
            "aux ",
            ".uploading",
            ".UPLOADING",
            "x".repeat(256).as_str(),
        ] {
            assert!(upload_name(bad).is_err(), "{bad:?}");
        }
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
