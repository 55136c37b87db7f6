//! The grading tree of a submission: the instructor's pristine student edition
//! plus, from the submission, only the exercise files the instructor listed.
//!
//! An exercise file is taken only when it is a regular file (not a symlink,
//! device or folder), UTF-8 and at most [`MAX_EXERCISE`] bytes. Every other
//! file of the submission that differs from the edition is ignored and listed,
//! so the instructor sees the attempt. The submission folder is only read.

use crate::export;
use crate::manifest;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The largest exercise file taken from a submission.
pub const MAX_EXERCISE: u64 = 256 * 1024;

/// How many ignored files are listed at most (the rest are counted).
const MAX_LISTED: usize = 200;

/// One exercise of the edition.
#[derive(Clone, Debug)]
pub struct Exercise {
    /// The program (`server`).
    pub program: String,
    /// Its file, relative to the root (`lessons/03_threads/src/bin/server.rs`).
    pub file: PathBuf,
}

/// The instructor's pristine student edition, on disk.
#[derive(Clone, Debug)]
pub struct Pristine {
    pub dir: PathBuf,
    pub exercises: Vec<Exercise>,
    /// sha256 over the edition's files (its version).
    pub hash: String,
}

/// Writes the pristine edition of the instructor's workspace `root` into
/// `dest` (emptied first): exported afresh when `root` is the reference (has
/// `lessons/*/exercises/`), copied when it is itself an edition (has
/// [`manifest::MANIFEST`], as in a Gradescope autograder).
pub fn pristine(root: &Path, dest: &Path) -> Result<Pristine, String> {
    let _ = std::fs::remove_dir_all(dest);
    if !manifest::from_folders(root).is_empty() {
        export::export(root, dest)?;
    } else if root.join(manifest::MANIFEST).is_file() {
        // A walk, not git: an autograder folder may sit inside some repository.
        for rel in files_of(root) {
            let to = dest.join(&rel);
            if let Some(d) = to.parent() {
                std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
            }
            std::fs::copy(root.join(&rel), &to).map_err(|e| format!("{}: {e}", rel.display()))?;
        }
    } else {
        return Err(format!(
            "{} 既不是参考答案 (没有 lessons/*/exercises/) 也不是练习版 (没有 {}): 在老师自己的工作区里运行",
            root.display(),
            manifest::MANIFEST
        ));
    }
    let text = std::fs::read_to_string(dest.join(manifest::MANIFEST))
        .map_err(|e| format!("{}: {e}", manifest::MANIFEST))?;
    let exercises = parse_list(&text);
    // Every file's mtime the same fixed time: copies of this tree keep it, so
    // cargo finds the cached pristine build fresh for every file not replaced.
    let files = files_of(dest);
    let mut all = Vec::new();
    for rel in &files {
        let bytes = std::fs::read(dest.join(rel)).unwrap_or_default();
        all.extend_from_slice(rel.to_string_lossy().as_bytes());
        all.push(0);
        all.extend_from_slice(&sha256(&bytes));
        set_mtime(&dest.join(rel), fixed_time());
    }
    Ok(Pristine {
        dir: dest.to_path_buf(),
        exercises,
        hash: hex(&sha256(&all)),
    })
}

fn fixed_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000)
}

fn set_mtime(path: &Path, t: SystemTime) {
    if let Ok(f) = std::fs::File::options().write(true).open(path) {
        let _ = f.set_modified(t);
    }
}

/// The exercises of an edition's list (`program path` lines).
pub fn parse_list(text: &str) -> Vec<Exercise> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (program, file) = l.split_once(' ')?;
            let file = PathBuf::from(file.trim());
            Some(Exercise {
                program: program.to_string(),
                file,
            })
        })
        .collect()
}

/// The files under `dir` (no `.git`, no `target`), sorted, relative.
pub fn files_of(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, Path::new(""), &mut out, &mut Vec::new());
    out.sort();
    out
}

/// Walks `root/rel`: regular files into `files`, anything else (symlinks,
/// devices, sockets) into `odd`. `.git` and the top-level `target` are skipped.
fn walk(root: &Path, rel: &Path, files: &mut Vec<PathBuf>, odd: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        if name == ".git" || (rel.as_os_str().is_empty() && name == "target") {
            continue;
        }
        let r = rel.join(&name);
        match e.file_type() {
            Ok(t) if t.is_dir() => walk(root, &r, files, odd),
            Ok(t) if t.is_file() => files.push(r),
            _ => odd.push(r),
        }
    }
}

/// What was taken from a submission.
#[derive(Clone, Debug, Default)]
pub struct Taken {
    /// Programs whose file was taken and differs from the handed-out one.
    pub changed: Vec<String>,
    /// Files ignored: (path, why).
    pub ignored: Vec<(String, String)>,
    /// sha256 over the exercise files taken (path and content).
    pub hash: String,
}

/// Copies the pristine edition to `tree` (emptied first, keeping the
/// edition's mtimes; `keep` names a subfolder of `tree` left alone, the
/// cached `target`) and puts in the submission's exercise files.
pub fn build_tree(p: &Pristine, sub: &Path, tree: &Path) -> Result<Taken, String> {
    let (sub, layout) = layout_of(sub);
    let sub = sub.as_path();
    if let Ok(entries) = std::fs::read_dir(tree) {
        for e in entries.flatten() {
            if e.file_name() == "target" {
                continue;
            }
            let path = e.path();
            let _ = if e.file_type().is_ok_and(|t| t.is_dir()) {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        }
    }
    for rel in files_of(&p.dir) {
        let to = tree.join(&rel);
        if let Some(d) = to.parent() {
            std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
        }
        std::fs::copy(p.dir.join(&rel), &to).map_err(|e| format!("{}: {e}", to.display()))?;
        set_mtime(&to, fixed_time());
    }
    let mut taken = Taken::default();
    let exercise_files: BTreeMap<&Path, &Exercise> =
        p.exercises.iter().map(|e| (e.file.as_path(), e)).collect();
    let mut hashed = Vec::new();
    let mut loose_taken = std::collections::BTreeSet::new();
    for ex in &p.exercises {
        let mut from = sub.join(&ex.file);
        let mut shown = ex.file.to_string_lossy().to_string();
        // Files uploaded loose (Gradescope's "upload files"): `server.rs` at the
        // top is the exercise of that name (program names are unique).
        let loose = format!("{}.rs", ex.program);
        if std::fs::symlink_metadata(&from).is_err() && sub.join(&loose).exists() {
            from = sub.join(&loose);
            loose_taken.insert(PathBuf::from(&loose));
            shown = loose;
        }
        let meta = match std::fs::symlink_metadata(&from) {
            Ok(m) => m,
            Err(_) => continue, // not handed in: the handed-out version stays
        };
        let why = if through_link(sub, &ex.file) {
            Some("练习文件所在的目录是符号链接, 不取".to_string())
        } else if meta.file_type().is_symlink() {
            Some("练习文件是符号链接, 不取".to_string())
        } else if !meta.is_file() {
            Some("练习文件不是普通文件, 不取".to_string())
        } else if meta.len() > MAX_EXERCISE {
            Some(format!("练习文件超过 {} KiB, 不取", MAX_EXERCISE / 1024))
        } else {
            None
        };
        if let Some(why) = why {
            taken.ignored.push((shown, why));
            continue;
        }
        let bytes = std::fs::read(&from).map_err(|e| format!("{}: {e}", from.display()))?;
        let Ok(text) = String::from_utf8(bytes) else {
            taken
                .ignored
                .push((shown, "练习文件不是 UTF-8 文本, 不取".into()));
            continue;
        };
        hashed.extend_from_slice(shown.as_bytes());
        hashed.push(0);
        hashed.extend_from_slice(&sha256(text.as_bytes()));
        let to = tree.join(&ex.file);
        let old = std::fs::read(&to).unwrap_or_default();
        if old != text.as_bytes() {
            std::fs::write(&to, text.as_bytes()).map_err(|e| format!("{}: {e}", to.display()))?;
            taken.changed.push(ex.program.clone());
        }
    }
    taken.hash = hex(&sha256(&hashed));
    if let Some(note) = layout {
        taken.ignored.push(note);
    }
    // Everything else that differs from the edition: listed, not used.
    let mut files = Vec::new();
    let mut odd = Vec::new();
    walk(sub, Path::new(""), &mut files, &mut odd);
    let mut ignored = Vec::new();
    if sub.join("target").exists() {
        ignored.push(("target/".to_string(), "作业里的 target/ 不使用".to_string()));
    }
    for rel in odd {
        if !exercise_files.contains_key(rel.as_path()) {
            ignored.push((slash(&rel), "符号链接或特殊文件".into()));
        }
    }
    for rel in files {
        if exercise_files.contains_key(rel.as_path()) || loose_taken.contains(&rel) {
            continue;
        }
        let ours = p.dir.join(&rel);
        let why = match std::fs::read(&ours) {
            Err(_) => "多出的文件",
            Ok(a) => match std::fs::read(sub.join(&rel)) {
                Ok(b) if same_text(&a, &b) => continue,
                _ => "和发下去的版本不同",
            },
        };
        ignored.push((slash(&rel), why.into()));
    }
    ignored.sort();
    if ignored.len() > MAX_LISTED {
        let more = ignored.len() - MAX_LISTED;
        ignored.truncate(MAX_LISTED);
        ignored.push(("…".into(), format!("还有 {more} 个")));
    }
    taken.ignored.extend(ignored);
    Ok(taken)
}

/// Whether a folder on the way from `sub` to the file `rel` is a symbolic
/// link: `symlink_metadata` of the file itself follows the folders above it,
/// so `lessons/01_tcp_basics/src/bin -> /the/reference/…/bin` would otherwise
/// hand in the reference's files as plain files.
fn through_link(sub: &Path, rel: &Path) -> bool {
    let mut at = sub.to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return true;
        }
    }
    false
}

fn same_text(a: &[u8], b: &[u8]) -> bool {
    a == b
        || String::from_utf8_lossy(a).replace("\r\n", "\n")
            == String::from_utf8_lossy(b).replace("\r\n", "\n")
}

fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Where the submission's workspace really is. A zipped or cloned folder often
/// adds one level (`张三/myrepo/lessons/…`): when the submission has no
/// `lessons/` but exactly one visible subfolder, which has it, that subfolder is
/// taken, and a note says so (the report lists it with the ignored files).
fn layout_of(sub: &Path) -> (PathBuf, Option<(String, String)>) {
    if sub.join("lessons").is_dir() {
        return (sub.to_path_buf(), None);
    }
    let dirs: Vec<PathBuf> = std::fs::read_dir(sub)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    match dirs.as_slice() {
        [one] if one.join("lessons").is_dir() => {
            let name = one
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let note = (
                format!("{name}/"),
                format!("作业多了一层目录: 练习从 {name}/ 里取"),
            );
            (one.clone(), Some(note))
        }
        _ => (sub.to_path_buf(), None),
    }
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 (FIPS 180-4), for the hashes in the JSON and the export's checksums.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([
                block[4 * i],
                block[4 * i + 1],
                block[4 * i + 2],
                block[4 * i + 3],
            ]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (i, v) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&v.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_submission_one_folder_down_or_as_loose_files_is_found_and_noted() {
        let base = std::env::temp_dir().join(format!("grade-tree-layout-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let ed = base.join("ed");
        let bin = "lessons/03_threads/src/bin";
        std::fs::create_dir_all(ed.join(bin)).unwrap();
        std::fs::create_dir_all(ed.join("grade")).unwrap();
        std::fs::write(ed.join("Cargo.toml"), "[workspace]\n").unwrap();
        std::fs::write(
            ed.join(manifest::MANIFEST),
            format!("server {bin}/server.rs\nclient {bin}/client.rs\n"),
        )
        .unwrap();
        for f in ["server", "client"] {
            std::fs::write(ed.join(bin).join(format!("{f}.rs")), "todo!()\n").unwrap();
        }
        let p = pristine(&ed, &base.join("pristine")).unwrap();
        // One folder down, as an unpacked archive or a clone inside the student's folder.
        let deep = base.join("deep");
        std::fs::create_dir_all(deep.join("myrepo").join(bin)).unwrap();
        std::fs::write(
            deep.join("myrepo").join(bin).join("server.rs"),
            "fn main() {}\n",
        )
        .unwrap();
        let t = build_tree(&p, &deep, &base.join("tree1")).unwrap();
        assert_eq!(t.changed, ["server"]);
        assert!(
            t.ignored
                .iter()
                .any(|(p, why)| p == "myrepo/" && why.contains("多了一层")),
            "{:?}",
            t.ignored
        );
        // Loose files, as uploaded to Gradescope one by one.
        let loose = base.join("loose");
        std::fs::create_dir_all(&loose).unwrap();
        std::fs::write(loose.join("client.rs"), "fn main() {}\n").unwrap();
        let t = build_tree(&p, &loose, &base.join("tree2")).unwrap();
        let client = std::fs::read_to_string(base.join("tree2").join(bin).join("client.rs"));
        let _ = std::fs::remove_dir_all(&base);
        assert_eq!(t.changed, ["client"]);
        assert!(t.ignored.is_empty(), "{:?}", t.ignored);
        assert_eq!(client.unwrap(), "fn main() {}\n");
    }

    #[test]
    fn sha256_matches_the_standard_vectors() {
        assert_eq!(
            hex(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(
            hex(&sha256(long)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_small_utf8_exercise_files_are_taken_and_the_rest_is_listed() {
        let base = std::env::temp_dir().join(format!("grade-tree-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let (ed, sub, tree) = (base.join("ed"), base.join("sub"), base.join("tree"));
        let bin = "lessons/03_threads/src/bin";
        for d in [&ed, &sub] {
            std::fs::create_dir_all(d.join(bin)).unwrap();
            std::fs::create_dir_all(d.join("grade")).unwrap();
            std::fs::write(d.join("Cargo.toml"), "[workspace]\n").unwrap();
        }
        std::fs::write(
            ed.join(manifest::MANIFEST),
            format!("# list\nserver {bin}/server.rs\nclient {bin}/client.rs\necho_server {bin}/echo_server.rs\nbig {bin}/big.rs\n"),
        )
        .unwrap();
        for f in ["server", "client", "echo_server", "big"] {
            std::fs::write(ed.join(bin).join(format!("{f}.rs")), "todo!()\n").unwrap();
        }
        std::fs::write(sub.join(manifest::MANIFEST), "nothing\n").unwrap();
        std::fs::write(sub.join(bin).join("server.rs"), "fn main() {}\n").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", sub.join(bin).join("client.rs")).unwrap();
        std::fs::write(sub.join(bin).join("echo_server.rs"), [0xff, 0xfe]).unwrap();
        std::fs::write(sub.join(bin).join("big.rs"), vec![b'a'; 300 * 1024]).unwrap();
        std::fs::write(sub.join("lessons/03_threads/build.rs"), "fn main() {}\n").unwrap();
        std::fs::create_dir_all(sub.join("target")).unwrap();
        let p = pristine(&ed, &base.join("pristine")).unwrap();
        assert_eq!(p.exercises.len(), 4);
        assert_eq!(p.exercises[0].program, "server");
        let t = build_tree(&p, &sub, &tree).unwrap();
        let server = std::fs::read_to_string(tree.join(bin).join("server.rs")).unwrap();
        let client = std::fs::read_to_string(tree.join(bin).join("client.rs")).unwrap();
        let listed = std::fs::read_to_string(tree.join(manifest::MANIFEST)).unwrap();
        let _ = std::fs::remove_dir_all(&base);
        assert_eq!(server, "fn main() {}\n");
        assert_eq!(client, "todo!()\n");
        assert!(listed.contains("server "), "{listed}");
        assert_eq!(t.changed, ["server"]);
        let paths: Vec<&str> = t.ignored.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "lessons/03_threads/src/bin/client.rs",
                "lessons/03_threads/src/bin/echo_server.rs",
                "lessons/03_threads/src/bin/big.rs",
                "grade/exercises.txt",
                "lessons/03_threads/build.rs",
                "target/",
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_exercise_under_a_symlinked_folder_is_not_taken() {
        let base = std::env::temp_dir().join(format!("grade-tree-link-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let (ed, sub, tree) = (base.join("ed"), base.join("sub"), base.join("tree"));
        let (src, bin) = ("lessons/03_threads/src", "lessons/03_threads/src/bin");
        let answers = base.join("answers");
        std::fs::create_dir_all(&answers).unwrap();
        std::fs::write(answers.join("server.rs"), "fn main() {} // the reference\n").unwrap();
        std::fs::create_dir_all(ed.join(bin)).unwrap();
        std::fs::create_dir_all(ed.join("grade")).unwrap();
        std::fs::create_dir_all(sub.join(src)).unwrap();
        std::fs::write(ed.join("Cargo.toml"), "[workspace]\n").unwrap();
        std::fs::write(
            ed.join(manifest::MANIFEST),
            format!("server {bin}/server.rs\n"),
        )
        .unwrap();
        std::fs::write(ed.join(bin).join("server.rs"), "todo!()\n").unwrap();
        std::os::unix::fs::symlink(&answers, sub.join(bin)).unwrap();
        let p = pristine(&ed, &base.join("pristine")).unwrap();
        let t = build_tree(&p, &sub, &tree).unwrap();
        let server = std::fs::read_to_string(tree.join(bin).join("server.rs")).unwrap();
        let _ = std::fs::remove_dir_all(&base);
        assert_eq!(server, "todo!()\n");
        assert!(t.changed.is_empty(), "{:?}", t.changed);
        assert!(
            t.ignored
                .iter()
                .any(|(p, why)| p == &format!("{bin}/server.rs") && why.contains("目录是符号链接")),
            "{:?}",
            t.ignored
        );
    }
}
