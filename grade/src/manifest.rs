//! Which programs have an exercise: only their tests count towards the score.
//!
//! In the reference the exercises lie beside the binaries
//! (`lessons/NN_x/exercises/<bin>.rs`), so the list is read from those folders.
//! The student edition has them in place of the binaries (`src/bin/<bin>.rs`),
//! so `cargo grade export` leaves the list in [`MANIFEST`], one program a line:
//!
//! ```text
//! # comment lines start with #
//! tcp_server lessons/01_tcp_basics/src/bin/tcp_server.rs
//! ```
//!
//! The first word of a line is the program (a binary's name, unique across the
//! workspace); the path after it is for the reader.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The list in the student edition, relative to the workspace root.
pub const MANIFEST: &str = "grade/exercises.txt";

/// Where a list of exercised programs came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `lessons/*/exercises/*.rs` of this workspace (the reference).
    Folders(PathBuf),
    /// [`MANIFEST`] of this workspace (a student edition).
    Manifest(PathBuf),
}

impl Origin {
    pub fn describe(&self) -> String {
        match self {
            Origin::Folders(root) => format!("{}/lessons/*/exercises/", root.display()),
            Origin::Manifest(root) => format!("{}/{MANIFEST}", root.display()),
        }
    }
}

/// The programs that have an exercise file in `root/lessons/*/exercises/`,
/// each with the binary it replaces (`lessons/NN_x/src/bin/<bin>.rs`).
pub fn from_folders(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let Ok(lessons) = std::fs::read_dir(root.join("lessons")) else {
        return out;
    };
    for lesson in lessons.flatten() {
        let Ok(files) = std::fs::read_dir(lesson.path().join("exercises")) else {
            continue;
        };
        for f in files.flatten() {
            let p = f.path();
            if p.extension().is_none_or(|x| x != "rs") || !p.is_file() {
                continue;
            }
            let Some(stem) = p.file_stem().map(|s| s.to_string_lossy().to_string()) else {
                continue;
            };
            let bin = Path::new("lessons")
                .join(lesson.file_name())
                .join("src")
                .join("bin")
                .join(format!("{stem}.rs"));
            out.push((stem, bin));
        }
    }
    out.sort();
    out
}

/// The programs listed in `text` (the manifest's format).
pub fn parse(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// The manifest's text for `programs` (program, binary it replaced).
pub fn render(programs: &[(String, PathBuf)]) -> String {
    let mut s = String::from(
        "# 有练习的程序: cargo grade 只给这些程序的测试计分 (cargo grade export 写的, 不要改)。\n\
         # Programs with an exercise: only their tests count towards the score\n\
         # (written by `cargo grade export`; see the README, 「分数的意思」).\n",
    );
    for (program, bin) in programs {
        s.push_str(&format!(
            "{program} {}\n",
            bin.to_string_lossy().replace('\\', "/")
        ));
    }
    s
}

/// The exercised programs of the workspace at `root`: from its exercise
/// folders when it has any, else from its [`MANIFEST`]; `None` when it has
/// neither.
pub fn exercised(root: &Path) -> Option<(BTreeSet<String>, Origin)> {
    let folders = from_folders(root);
    if !folders.is_empty() {
        let set = folders.into_iter().map(|(p, _)| p).collect();
        return Some((set, Origin::Folders(root.to_path_buf())));
    }
    let text = std::fs::read_to_string(root.join(MANIFEST)).ok()?;
    Some((parse(&text), Origin::Manifest(root.to_path_buf())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_then_parse_gives_the_programs_back() {
        let programs = vec![
            (
                "server".to_string(),
                PathBuf::from("lessons/03_threads/src/bin/server.rs"),
            ),
            (
                "tcp_server".to_string(),
                PathBuf::from("lessons/01_tcp_basics/src/bin/tcp_server.rs"),
            ),
        ];
        let text = render(&programs);
        assert!(text.contains("server lessons/03_threads/src/bin/server.rs\n"));
        let set = parse(&text);
        assert_eq!(
            set.into_iter().collect::<Vec<_>>(),
            ["server", "tcp_server"]
        );
        assert!(parse("# only a comment\n\n").is_empty());
    }

    #[test]
    fn the_reference_lists_its_exercise_folders() {
        // The workspace this crate lives in is the reference.
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        if from_folders(root).is_empty() {
            return; // a student edition: `cargo test` there runs this too
        }
        let (set, origin) = exercised(root).expect("the reference has exercises");
        assert_eq!(origin, Origin::Folders(root.to_path_buf()));
        assert!(
            set.contains("tcp_server") && set.contains("server"),
            "{set:?}"
        );
        assert!(!set.contains("load") && !set.contains("pool_server"));
    }
}
