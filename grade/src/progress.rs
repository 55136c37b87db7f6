//! One exercise at a time: `cargo grade <program>`, `cargo grade <lesson>
//! <program>` and `cargo grade progress`.
//!
//! A program is a binary of a lesson (`lessons/NN_x/src/bin/<program>.rs`);
//! names are unique across the workspace, so a program names its lesson too.
//! The book's order is the lesson's, then the order in which the programs
//! first appear in the table of the lesson's README (the table of text section
//! → program); programs the table does not name come after, by name.
//!
//! **Not started** (未开始): the program passes none of its tests and its file
//! still holds as many `todo!(` as it was handed out with (counted from the
//! reference's `exercises/<program>.rs`, or, in the student edition, from
//! [`HANDED_OUT`], which `cargo grade export` writes). A student who has
//! replaced one `todo!` has started, even before a test passes.

use crate::run::{self, Lesson, Outcome, Status};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// In the student edition: each exercise and its number of `todo!(` when
/// handed out, one `program count` a line (written by `cargo grade export`).
pub const HANDED_OUT: &str = "grade/handed-out.txt";

/// One program of the workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    pub name: String,
    /// The lesson package (`lesson03`).
    pub lesson: String,
    /// The file the student edits, relative to the root (`lessons/03_threads/src/bin/server.rs`).
    pub file: PathBuf,
}

/// Every program (binary) of the workspace, in the book's order.
pub fn programs(root: &Path) -> Vec<Program> {
    let mut out = Vec::new();
    for l in run::lessons(root) {
        let mut names: Vec<String> = std::fs::read_dir(l.dir.join("src").join("bin"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let p = e.path();
                (p.extension()? == "rs")
                    .then(|| p.file_stem().map(|s| s.to_string_lossy().into()))?
            })
            .collect();
        names.sort();
        let table = std::fs::read_to_string(l.dir.join("README.md")).unwrap_or_default();
        let order = table_order(&table);
        names.sort_by_key(|n| order.iter().position(|o| o == n).unwrap_or(usize::MAX));
        let rel = l.dir.strip_prefix(root).unwrap_or(&l.dir).to_path_buf();
        for name in names {
            out.push(Program {
                file: rel.join("src").join("bin").join(format!("{name}.rs")),
                lesson: l.name.clone(),
                name,
            });
        }
    }
    out
}

/// The `` `names` `` in the order they first appear in the table rows
/// (lines starting with `|`) of a README.
pub fn table_order(readme: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in readme.lines().filter(|l| l.trim_start().starts_with('|')) {
        let mut parts = line.split('`');
        parts.next();
        while let Some(code) = parts.next() {
            let word = code.split_whitespace().next().unwrap_or("");
            if !word.is_empty()
                && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !out.iter().any(|o| o == word)
            {
                out.push(word.to_string());
            }
            parts.next();
        }
    }
    out
}

/// The command line's words split into lessons and programs: `lesson03`,
/// `03`, `3` name a lesson; a binary's name names a program. Returns the
/// lessons to build (a program's own lesson when no lesson is named) and the
/// programs whose tests to run (empty: all).
pub fn split_words(
    root: &Path,
    words: &[String],
) -> Result<(Vec<Lesson>, BTreeSet<String>), String> {
    let all = run::lessons(root);
    let progs = programs(root);
    let mut lessons: Vec<Lesson> = Vec::new();
    let mut chosen = BTreeSet::new();
    for w in words {
        let digits = w.trim_start_matches("lesson");
        let lesson_name = match digits.parse::<u32>() {
            Ok(n) => format!("lesson{n:02}"),
            Err(_) => w.clone(),
        };
        if let Some(l) = all.iter().find(|l| l.name == lesson_name) {
            if !lessons.iter().any(|x| x.name == l.name) {
                lessons.push(l.clone());
            }
        } else if progs.iter().any(|p| p.name == *w) {
            chosen.insert(w.clone());
        } else {
            let lnames: Vec<&str> = all.iter().map(|l| l.name.as_str()).collect();
            return Err(format!(
                "没有这一课, 也没有这个程序: {w} (课: {}; 程序: cargo grade progress 列出所有练习)",
                lnames.join(" ")
            ));
        }
    }
    for p in &chosen {
        let prog = progs.iter().find(|x| x.name == *p).expect("found above");
        if lessons.is_empty() || words.iter().all(|w| progs.iter().any(|x| x.name == *w)) {
            // Only programs named: build just their lessons.
            if !lessons.iter().any(|l| l.name == prog.lesson) {
                if let Some(l) = all.iter().find(|l| l.name == prog.lesson) {
                    lessons.push(l.clone());
                }
            }
        } else if !lessons.iter().any(|l| l.name == prog.lesson) {
            return Err(format!(
                "{p} 不在 {} 里, 而在 {}",
                names(&lessons),
                prog.lesson
            ));
        }
    }
    if lessons.is_empty() {
        lessons = all;
    }
    Ok((lessons, chosen))
}

fn names(lessons: &[Lesson]) -> String {
    lessons
        .iter()
        .map(|l| l.name.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where one exercise stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    Done,
    /// Some of its tests pass (or its file has changed).
    Partly,
    NotStarted,
    /// Its lesson does not compile.
    NotBuilt,
}

/// One exercise's figures: its scored tests, how many pass.
#[derive(Clone, Debug)]
pub struct ProgramScore {
    pub program: Program,
    pub passed: u32,
    pub tests: u32,
    pub state: State,
}

/// The number of `todo!(` in the code of `text` (not in comments).
pub fn todo_count(text: &str) -> usize {
    crate::hint::code_todos(text).len()
}

/// How many `todo!(` each exercise was handed out with: from the reference's
/// `exercises/` folders, else from [`HANDED_OUT`].
pub fn handed_out(root: &Path) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (program, bin) in crate::manifest::from_folders(root) {
        // lessons/NN_x/src/bin/P.rs → lessons/NN_x/exercises/P.rs
        let Some(lesson) = bin.parent().and_then(Path::parent).and_then(Path::parent) else {
            continue;
        };
        let ex = root
            .join(lesson)
            .join("exercises")
            .join(format!("{program}.rs"));
        let text = std::fs::read_to_string(ex).unwrap_or_default();
        out.insert(program, todo_count(&text));
    }
    if out.is_empty() {
        let text = std::fs::read_to_string(root.join(HANDED_OUT)).unwrap_or_default();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut w = line.split_whitespace();
            if let (Some(p), Some(Ok(n))) = (w.next(), w.next().map(str::parse)) {
                out.insert(p.to_string(), n);
            }
        }
    }
    out
}

/// The text of [`HANDED_OUT`] for the exercises `(program, todo count)`.
pub fn render_handed_out(counts: &[(String, usize)]) -> String {
    let mut s = String::from(
        "# 每个练习发下来时有几个 todo!( (cargo grade export 写的; cargo grade progress 用它判断「未开始」)\n",
    );
    for (p, n) in counts {
        s.push_str(&format!("{p} {n}\n"));
    }
    s
}

/// Per-program figures of `results` for the exercised programs, in the book's order.
pub fn per_program(
    root: &Path,
    results: &[Outcome],
    exercised: &BTreeSet<String>,
) -> Vec<ProgramScore> {
    let counts = handed_out(root);
    programs(root)
        .into_iter()
        .filter(|p| exercised.contains(&p.name))
        .map(|program| {
            let rows: Vec<&Outcome> = results
                .iter()
                .filter(|o| o.exercise && o.program.as_deref() == Some(program.name.as_str()))
                .collect();
            let tests = rows.len() as u32;
            let passed = rows.iter().filter(|o| o.status == Status::Passed).count() as u32;
            let not_built = rows.iter().any(|o| o.status == Status::NotBuilt);
            let now = std::fs::read_to_string(root.join(&program.file))
                .map(|t| todo_count(&t))
                .unwrap_or(0);
            let untouched = counts
                .get(&program.name)
                .is_some_and(|&n| n > 0 && now >= n);
            let state = if tests > 0 && passed == tests {
                State::Done
            } else if passed == 0 && untouched {
                State::NotStarted
            } else if not_built {
                State::NotBuilt
            } else {
                State::Partly
            };
            ProgramScore {
                program,
                passed,
                tests,
                state,
            }
        })
        .collect()
}

/// One line for a program: `✓ 7/7`, `3/7 个测试通过`, `未开始`.
pub fn describe(s: &ProgramScore) -> String {
    match s.state {
        State::Done => format!("✓ {}/{}", s.passed, s.tests),
        State::Partly => format!("{}/{} 个测试通过", s.passed, s.tests),
        State::NotStarted => format!("未开始 (0/{})", s.tests),
        State::NotBuilt => format!(
            "未编译 (0/{}; 先修好编译错误: cargo build -p {})",
            s.tests, s.program.lesson
        ),
    }
}

/// The next exercise: the first in the book's order that is not done.
pub fn next(scores: &[ProgramScore]) -> Option<&ProgramScore> {
    scores.iter().find(|s| s.state != State::Done)
}

/// The `下一个: …` line.
pub fn next_line(scores: &[ProgramScore]) -> String {
    match next(scores) {
        Some(s) => format!(
            "下一个: {} ({})",
            s.program.name,
            s.program.file.to_string_lossy().replace('\\', "/")
        ),
        None => "下一个: 没有了, 全部练习都完成了!".to_string(),
    }
}

impl State {
    /// The word for JSON: `done`, `partly`, `not_started`, `not_built`.
    pub fn json(&self) -> &'static str {
        match self {
            State::Done => "done",
            State::Partly => "partly",
            State::NotStarted => "not_started",
            State::NotBuilt => "not_built",
        }
    }
}

/// The per-program figures as a JSON array, for the lead to join into
/// `report::json` as `"programs": […]` (that format belongs to the class
/// grading work): `[{"program": "server", "lesson": "lesson03", "file": "…",
/// "passed": 3, "tests": 11, "state": "partly"}]`.
#[allow(dead_code)] // joined into the JSON report at merge time
pub fn programs_json(scores: &[ProgramScore]) -> String {
    use crate::source::json_escape;
    let rows: Vec<String> = scores
        .iter()
        .map(|s| {
            format!(
                "{{\"program\": {}, \"lesson\": {}, \"file\": {}, \"passed\": {}, \"tests\": {}, \"state\": \"{}\"}}",
                json_escape(&s.program.name),
                json_escape(&s.program.lesson),
                json_escape(&s.program.file.to_string_lossy().replace('\\', "/")),
                s.passed,
                s.tests,
                s.state.json()
            )
        })
        .collect();
    format!("[{}]", rows.join(", "))
}

/// Prints the progress table and the next exercise.
pub fn print(scores: &[ProgramScore]) {
    println!("进度 (按书的顺序, 只算计分的测试):");
    let width = scores
        .iter()
        .map(|s| s.program.name.len())
        .max()
        .unwrap_or(8);
    for s in scores {
        println!(
            "  {}  {:<width$}  {}",
            s.program.lesson,
            s.program.name,
            describe(s)
        );
    }
    let done = scores.iter().filter(|s| s.state == State::Done).count();
    let (got, max) = scores
        .iter()
        .fold((0, 0), |(g, m), s| (g + s.passed, m + s.tests));
    println!();
    println!(
        "完成 {done}/{} 个练习, 通过 {got}/{max} 个计分的测试",
        scores.len()
    );
    println!("{}", next_line(scores));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_order_is_first_appearance_in_table_rows() {
        let readme = "# x\n`zzz` not a row\n| a | b |\n|---|---|\n| 000 | `tcp_server` `tcp_client` |\n| 004 | `upper_server --flag` `tcp_server` |\n";
        assert_eq!(
            table_order(readme),
            ["tcp_server", "tcp_client", "upper_server"]
        );
    }

    #[test]
    fn the_reference_lists_lesson01_first_and_tcp_server_before_tcp_client() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let p = programs(root);
        let pos = |n: &str| p.iter().position(|x| x.name == n).unwrap();
        assert!(pos("tcp_server") < pos("tcp_client"));
        assert!(pos("tcp_client") < pos("udp_send"));
        assert!(pos("udp_send") < pos("server"));
        assert_eq!(
            p[pos("server")].file,
            Path::new("lessons/03_threads/src/bin/server.rs")
        );
        let (lessons, chosen) = split_words(root, &["server".into()]).unwrap();
        assert_eq!(names(&lessons), "lesson03");
        assert!(chosen.contains("server"));
        let (lessons, _) = split_words(root, &["lesson03".into(), "client".into()]).unwrap();
        assert_eq!(names(&lessons), "lesson03");
        assert!(split_words(root, &["lesson01".into(), "client".into()]).is_err());
        assert!(split_words(root, &["no_such".into()]).is_err());
    }

    fn score(name: &str, passed: u32, tests: u32, state: State) -> ProgramScore {
        ProgramScore {
            program: Program {
                name: name.into(),
                lesson: "lesson01".into(),
                file: PathBuf::from(format!("lessons/01_tcp_basics/src/bin/{name}.rs")),
            },
            passed,
            tests,
            state,
        }
    }

    #[test]
    fn next_is_the_first_exercise_not_done() {
        let s = vec![
            score("tcp_server", 7, 7, State::Done),
            score("tcp_client", 3, 7, State::Partly),
            score("upper_server", 0, 9, State::NotStarted),
        ];
        assert_eq!(
            next_line(&s),
            "下一个: tcp_client (lessons/01_tcp_basics/src/bin/tcp_client.rs)"
        );
        assert_eq!(describe(&s[0]), "✓ 7/7");
        assert_eq!(describe(&s[1]), "3/7 个测试通过");
        assert_eq!(describe(&s[2]), "未开始 (0/9)");
        assert!(next_line(&s[..1]).contains("全部练习都完成了"));
        assert_eq!(
            programs_json(&s[..1]),
            "[{\"program\": \"tcp_server\", \"lesson\": \"lesson01\", \"file\": \"lessons/01_tcp_basics/src/bin/tcp_server.rs\", \"passed\": 7, \"tests\": 7, \"state\": \"done\"}]"
        );
        let counts = render_handed_out(&[("tcp_server".into(), 3)]);
        assert!(counts.ends_with("tcp_server 3\n"));
    }
}
