//! One exercise that does not compile must not hide the others.
//!
//! Cargo builds a lesson's tests only when every binary of the lesson
//! compiles, so a half-typed step in `tcp_client.rs` stops the tests of the
//! finished `tcp_server` too. Two things keep the student's loop useful then:
//!
//! - [`broken_file`]: the file and line of the first compile error (cargo's
//!   ` --> path:line:col`), so the loop names the broken exercise once and
//!   keeps `下一个` on it;
//! - the last known figures of every exercise ([`CACHE`], under `target/`):
//!   written after each grading for every program whose tests ran, read when
//!   its lesson does not build, and shown marked as from the last successful
//!   build. `watch <program>` also uses them to name the next exercise without
//!   grading the whole book each round.
//!
//! The cache is a plain text file, one `program passed tests hash` a line;
//! `hash` is an FNV-1a hash of the program's file when it was graded, so a
//! figure for a file changed since is known to be old.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the last known figures live, relative to the workspace root.
pub const CACHE: &str = "target/grade-cache/programs.txt";

/// The last known figures of one program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Known {
    pub passed: u32,
    pub tests: u32,
    /// The hash of the program's file when these figures were taken.
    pub hash: u64,
}

impl Known {
    pub fn done(&self) -> bool {
        self.tests > 0 && self.passed == self.tests
    }
}

/// FNV-1a (64 bit) of `bytes`: stable across runs and builds, unlike std's
/// `DefaultHasher`, which is all a cache key needs.
pub fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The hash of the file `rel` of `root` (0 when it cannot be read).
pub fn file_hash(root: &Path, rel: &Path) -> u64 {
    std::fs::read(root.join(rel)).map_or(0, |b| fnv(&b))
}

/// The cache's figures, by program.
pub fn load(root: &Path) -> BTreeMap<String, Known> {
    parse(&std::fs::read_to_string(root.join(CACHE)).unwrap_or_default())
}

/// The cache's text read back.
pub fn parse(text: &str) -> BTreeMap<String, Known> {
    let mut out = BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let w: Vec<&str> = line.split_whitespace().collect();
        if let [p, passed, tests, hash] = w[..] {
            if let (Ok(passed), Ok(tests), Ok(hash)) =
                (passed.parse(), tests.parse(), u64::from_str_radix(hash, 16))
            {
                out.insert(
                    p.to_string(),
                    Known {
                        passed,
                        tests,
                        hash,
                    },
                );
            }
        }
    }
    out
}

/// The cache's text for `known`.
pub fn render(known: &BTreeMap<String, Known>) -> String {
    let mut s = String::from(
        "# cargo grade: 每个练习上次评分的结果 (program passed tests file-hash); 可以删掉\n",
    );
    for (p, k) in known {
        s.push_str(&format!("{p} {} {} {:016x}\n", k.passed, k.tests, k.hash));
    }
    s
}

/// Records the figures of the programs whose tests ran (`fresh`), keeping the
/// others' old figures. Best effort: a cache that cannot be written is no
/// reason to fail a grading.
pub fn save(root: &Path, fresh: &[(String, Known)]) {
    if fresh.is_empty() {
        return;
    }
    let mut known = load(root);
    for (p, k) in fresh {
        known.insert(p.clone(), *k);
    }
    let path = root.join(CACHE);
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::write(path, render(&known));
}

/// The first compile error's place in cargo's output: the file (relative to
/// the workspace, `/` separated) and `file:line:col` as cargo wrote it.
pub fn broken_file(cargo_errors: &str) -> Option<(PathBuf, String)> {
    let mut seen_error = false;
    for line in cargo_errors.lines() {
        let t = line.trim_start();
        if t.starts_with("error") {
            seen_error = true;
        }
        if !seen_error {
            continue;
        }
        if let Some(place) = t.strip_prefix("--> ") {
            let place = place.trim().replace('\\', "/");
            // path:line:col; the path may hold a `:` (a Windows drive).
            let mut parts = place.rsplitn(3, ':');
            let (_col, _line, file) = (parts.next()?, parts.next()?, parts.next()?);
            return Some((PathBuf::from(file), place.clone()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARGO: &str = "warning: unused variable\n  --> lessons/01_tcp_basics/src/bin/tcp_server.rs:3:9\n\nerror: expected `;`, found `}`\n  --> lessons/01_tcp_basics/src/bin/tcp_client.rs:55:10\n   |\n55 |     let x = 1\n   |              ^ help: add `;` here\n\nerror: could not compile `lesson01` (bin \"tcp_client\") due to 1 previous error\n";

    #[test]
    fn the_first_errors_file_and_line_not_a_warnings() {
        let (file, place) = broken_file(CARGO).unwrap();
        assert_eq!(
            file,
            PathBuf::from("lessons/01_tcp_basics/src/bin/tcp_client.rs")
        );
        assert_eq!(place, "lessons/01_tcp_basics/src/bin/tcp_client.rs:55:10");
        assert_eq!(broken_file("error: linker `cc` not found\n"), None);
    }

    #[test]
    fn figures_survive_a_round_trip_and_fresh_ones_replace_old_ones() {
        let mut k = BTreeMap::new();
        k.insert(
            "tcp_server".to_string(),
            Known {
                passed: 13,
                tests: 13,
                hash: fnv(b"fn main() {}"),
            },
        );
        let text = render(&k);
        assert_eq!(parse(&text), k);
        assert!(parse(&text)["tcp_server"].done());

        let root = std::env::temp_dir().join(format!("grade-lastgood-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        save(
            &root,
            &[(
                "a".into(),
                Known {
                    passed: 1,
                    tests: 2,
                    hash: 1,
                },
            )],
        );
        save(
            &root,
            &[(
                "b".into(),
                Known {
                    passed: 3,
                    tests: 3,
                    hash: 2,
                },
            )],
        );
        let known = load(&root);
        assert_eq!((known["a"].passed, known["b"].passed), (1, 3));
        assert!(!known["a"].done());
        let _ = std::fs::remove_dir_all(&root);
    }
}
