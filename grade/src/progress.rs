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
    /// Its own file does not compile (where: `file:line:col`), or its lesson
    /// does not compile for a reason outside every program's file.
    NotBuilt(Option<String>),
    /// Another exercise of its lesson does not compile (`by`: that file's
    /// `file:line:col`), so its tests could not run; `last`: its figures from
    /// the last grading whose build succeeded (see `lastgood.rs`).
    Blocked {
        by: String,
        last: Option<crate::lastgood::Known>,
    },
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
///
/// When a lesson does not compile, the program whose file holds the first
/// compile error is [`State::NotBuilt`] with that place; the others of the
/// lesson are [`State::NotStarted`] when untouched, else [`State::Blocked`]
/// with their last known figures.
pub fn per_program(
    root: &Path,
    results: &[Outcome],
    exercised: &BTreeSet<String>,
) -> Vec<ProgramScore> {
    let counts = handed_out(root);
    let known = crate::lastgood::load(root);
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
            let not_built = rows.iter().find(|o| o.status == Status::NotBuilt);
            let now = std::fs::read_to_string(root.join(&program.file))
                .map(|t| todo_count(&t))
                .unwrap_or(0);
            let untouched = counts
                .get(&program.name)
                .is_some_and(|&n| n > 0 && now >= n);
            let mut score = ProgramScore {
                program,
                passed,
                tests,
                state: State::Partly,
            };
            // The lesson's compile error, from any of its tests (this program
            // may have none of its own).
            let broken = results
                .iter()
                .find(|o| o.status == Status::NotBuilt && o.lesson == score.program.lesson)
                .and_then(|o| crate::lastgood::broken_file(&o.message));
            score.state = if tests > 0 && passed == tests {
                State::Done
            } else if let Some((_, place)) =
                broken.as_ref().filter(|(f, _)| *f == score.program.file)
            {
                // Its own file does not compile, whatever its todo!s say.
                State::NotBuilt(Some(place.clone()))
            } else if passed == 0 && untouched {
                State::NotStarted
            } else if not_built.is_some() || broken.is_some() {
                match broken {
                    Some((file, place)) if is_program(&file) => {
                        let last = known.get(&score.program.name).copied();
                        if let Some(k) = last {
                            (score.passed, score.tests) = (k.passed, k.tests);
                        }
                        State::Blocked { by: place, last }
                    }
                    Some((_, place)) => State::NotBuilt(Some(place)),
                    None => State::NotBuilt(None),
                }
            } else {
                State::Partly
            };
            score
        })
        .collect()
}

/// Whether `file` (relative to the root) is a program's own file.
fn is_program(file: &Path) -> bool {
    let s = file.to_string_lossy().replace('\\', "/");
    s.starts_with("lessons/") && s.contains("/src/bin/") && s.ends_with(".rs")
}

/// Remembers the figures of the programs whose tests ran this time (see
/// `lastgood.rs`), for the next grading that cannot build their lesson.
pub fn remember(root: &Path, scores: &[ProgramScore]) {
    let fresh: Vec<(String, crate::lastgood::Known)> = scores
        .iter()
        .filter(|s| matches!(s.state, State::Done | State::Partly | State::NotStarted))
        .filter(|s| s.tests > 0)
        .map(|s| {
            (
                s.program.name.clone(),
                crate::lastgood::Known {
                    passed: s.passed,
                    tests: s.tests,
                    hash: crate::lastgood::file_hash(root, &s.program.file),
                },
            )
        })
        .collect();
    crate::lastgood::save(root, &fresh);
}

/// One line for a program: `✓ 7/7`, `3/7 个测试通过`, `未开始`.
pub fn describe(s: &ProgramScore) -> String {
    match &s.state {
        State::Done => format!("✓ {}/{}", s.passed, s.tests),
        State::Partly => format!("{}/{} 个测试通过", s.passed, s.tests),
        State::NotStarted => format!("未开始 (0/{})", s.tests),
        State::NotBuilt(Some(place)) => {
            format!("编译错误: {place} (0/{}; 先修好它, 测试才能运行)", s.tests)
        }
        State::NotBuilt(None) => format!(
            "未编译 (0/{}; 先修好编译错误: cargo build -p {})",
            s.tests, s.program.lesson
        ),
        State::Blocked { by, last } => {
            let file = by.split(':').next().unwrap_or(by);
            let file = file.rsplit('/').next().unwrap_or(file);
            match last {
                Some(k) if k.done() => format!(
                    "✓ {}/{} (上次成功编译时的结果; 现在 {file} 编译不过, 测试没有运行)",
                    k.passed, k.tests
                ),
                Some(k) => format!(
                    "{}/{} 个测试通过 (上次成功编译时的结果; 现在 {file} 编译不过, 测试没有运行)",
                    k.passed, k.tests
                ),
                None => format!("还没有成绩 ({file} 编译不过, 这一课的测试没有运行)"),
            }
        }
    }
}

/// The next exercise: the one whose own file does not compile, else the first
/// in the book's order that is not done (an exercise blocked by another's
/// compile error counts as done when it was done at its last grading).
pub fn next(scores: &[ProgramScore]) -> Option<&ProgramScore> {
    scores
        .iter()
        .find(|s| matches!(s.state, State::NotBuilt(Some(_))))
        .or_else(|| scores.iter().find(|s| !s.state.done()))
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
    /// The word for JSON: `done`, `partly`, `not_started`, `not_built`, `blocked`.
    pub fn json(&self) -> &'static str {
        match self {
            State::Done => "done",
            State::Partly => "partly",
            State::NotStarted => "not_started",
            State::NotBuilt(_) => "not_built",
            State::Blocked { .. } => "blocked",
        }
    }

    /// Done, or done at its last grading and blocked now by another file.
    pub fn done(&self) -> bool {
        match self {
            State::Done => true,
            State::Blocked { last, .. } => last.is_some_and(|k| k.done()),
            _ => false,
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
    let done = scores.iter().filter(|s| s.state.done()).count();
    let (got, max) = scores
        .iter()
        .fold((0, 0), |(g, m), s| (g + s.passed, m + s.tests));
    println!();
    println!(
        "完成 {done}/{} 个练习, 通过 {got}/{max} 个计分的测试",
        scores.len()
    );
    if scores
        .iter()
        .any(|s| matches!(s.state, State::Blocked { last: Some(_), .. }))
    {
        println!("(标着「上次成功编译时的结果」的练习这次没有运行测试: 它们那一课有编译错误)");
    }
    println!("{}", next_line(scores));
}

/// Every exercise's figures, for `下一个` when only some were graded just now
/// (`watch <program>`): those in `graded` as they are; each other one from
/// its last known figures when its file has not changed since (see
/// `lastgood.rs`), else 未开始 when untouched, else not done (0/0). So the
/// next exercise is the one `progress` names, except for a file changed since
/// its last grading, which counts as not done until graded again.
pub fn overall(
    root: &Path,
    exercised: &BTreeSet<String>,
    graded: &[ProgramScore],
) -> Vec<ProgramScore> {
    let counts = handed_out(root);
    let known = crate::lastgood::load(root);
    // The file whose compile error blocks a graded exercise is the next one.
    let broken: Option<String> = graded.iter().find_map(|g| match &g.state {
        State::Blocked { by, .. } => Some(by.clone()),
        _ => None,
    });
    programs(root)
        .into_iter()
        .filter(|p| exercised.contains(&p.name))
        .map(|program| {
            if let Some(g) = graded.iter().find(|g| g.program == program) {
                return g.clone();
            }
            let file = program.file.to_string_lossy().replace('\\', "/");
            if let Some(place) = broken
                .as_ref()
                .filter(|b| b.starts_with(&format!("{file}:")))
            {
                return ProgramScore {
                    program,
                    passed: 0,
                    tests: 0,
                    state: State::NotBuilt(Some(place.clone())),
                };
            }
            let hash = crate::lastgood::file_hash(root, &program.file);
            let now = std::fs::read_to_string(root.join(&program.file))
                .map(|t| todo_count(&t))
                .unwrap_or(0);
            let untouched = counts
                .get(&program.name)
                .is_some_and(|&n| n > 0 && now >= n);
            let (passed, tests, state) = match known.get(&program.name) {
                Some(k) if k.hash == hash => (
                    k.passed,
                    k.tests,
                    if k.done() {
                        State::Done
                    } else if untouched && k.passed == 0 {
                        State::NotStarted
                    } else {
                        State::Partly
                    },
                ),
                _ if untouched => (0, 0, State::NotStarted),
                _ => (0, 0, State::Partly),
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

    /// A lesson `lesson01` with programs `a`, `b`, `c`, each handed out with
    /// two `todo!`s; `a` finished, `b` half-typed, `c` untouched.
    fn three_programs(tag: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("grade-blocked-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let l = root.join("lessons/01_x");
        std::fs::create_dir_all(l.join("src/bin")).unwrap();
        std::fs::create_dir_all(l.join("exercises")).unwrap();
        std::fs::write(l.join("Cargo.toml"), "[package]\nname = \"lesson01\"\n").unwrap();
        std::fs::write(l.join("README.md"), "| 000 | `a` `b` `c` |\n").unwrap();
        let ex = "fn main() {\n    todo!(\"第 1 步\");\n    todo!(\"第 2 步\");\n}\n";
        for p in ["a", "b", "c"] {
            std::fs::write(l.join(format!("exercises/{p}.rs")), ex).unwrap();
            std::fs::write(l.join(format!("src/bin/{p}.rs")), ex).unwrap();
        }
        std::fs::write(l.join("src/bin/a.rs"), "fn main() {}\n").unwrap();
        std::fs::write(
            l.join("src/bin/b.rs"),
            "fn main() {\n    let x = 1\n    todo!(\"第 2 步\");\n}\n",
        )
        .unwrap();
        root
    }

    fn row(program: &str, status: Status, message: &str) -> Outcome {
        Outcome {
            lesson: "lesson01".into(),
            suite: "lesson01".into(),
            name: format!("{program}_test"),
            program: Some(program.into()),
            status,
            points: u32::from(status == Status::Passed),
            max_points: 1,
            seconds: 0.0,
            hint: None,
            message: message.into(),
            hint_printed: false,
            exercise: true,
        }
    }

    #[test]
    fn a_compile_error_names_its_file_keeps_the_others_last_figures_and_stays_next() {
        let root = three_programs("one");
        let ex: BTreeSet<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        // A successful grading first: a done, b and c not.
        let ok = vec![
            row("a", Status::Passed, ""),
            row("b", Status::Failed, "x"),
            row("c", Status::Failed, "x"),
        ];
        let scores = per_program(&root, &ok, &ex);
        assert_eq!(scores[0].state, State::Done);
        assert_eq!(next_line(&scores), "下一个: b (lessons/01_x/src/bin/b.rs)");
        remember(&root, &scores);
        // Then b does not compile: every row of the lesson is not built.
        let err = "error: expected `;`, found `todo`\n --> lessons/01_x/src/bin/b.rs:2:14\n";
        let broken = vec![
            row("a", Status::NotBuilt, err),
            row("b", Status::NotBuilt, err),
            row("c", Status::NotBuilt, err),
        ];
        let scores = per_program(&root, &broken, &ex);
        assert!(
            describe(&scores[0]).starts_with("✓ 1/1 (上次成功编译时的结果; 现在 b.rs 编译不过"),
            "{}",
            describe(&scores[0])
        );
        assert!(scores[0].state.done());
        assert_eq!(
            scores[1].state,
            State::NotBuilt(Some("lessons/01_x/src/bin/b.rs:2:14".into()))
        );
        assert!(describe(&scores[1]).starts_with("编译错误: lessons/01_x/src/bin/b.rs:2:14"));
        assert_eq!(scores[2].state, State::NotStarted, "untouched stays 未开始");
        assert_eq!(next_line(&scores), "下一个: b (lessons/01_x/src/bin/b.rs)");
        // Nothing of this grading replaced the last good figures.
        remember(&root, &scores);
        assert!(crate::lastgood::load(&root)["a"].done());
        // watch a: only a graded (blocked); the next is still b.
        let all = overall(&root, &ex, &scores[..1]);
        assert_eq!(
            all[1].state,
            State::NotBuilt(Some("lessons/01_x/src/bin/b.rs:2:14".into()))
        );
        assert_eq!(next_line(&all), "下一个: b (lessons/01_x/src/bin/b.rs)");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn after_one_program_passes_the_next_is_the_books_next_not_the_end() {
        let root = three_programs("two");
        let ex: BTreeSet<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        std::fs::write(root.join("lessons/01_x/src/bin/b.rs"), "fn main() {}\n").unwrap();
        // progress graded all once: a and b done.
        let all = vec![
            row("a", Status::Passed, ""),
            row("b", Status::Passed, ""),
            row("c", Status::Failed, "x"),
        ];
        remember(&root, &per_program(&root, &all, &ex));
        // watch a: a passes; b done at its last grading, c is next.
        let a_only = per_program(&root, &all[..1], &ex);
        let a_only: Vec<ProgramScore> = a_only
            .into_iter()
            .filter(|s| s.program.name == "a")
            .collect();
        assert!(next_line(&a_only).contains("全部练习都完成了"));
        let books = overall(&root, &ex, &a_only);
        assert_eq!(next_line(&books), "下一个: c (lessons/01_x/src/bin/c.rs)");
        // b changed since its grading: not known done any more.
        std::fs::write(root.join("lessons/01_x/src/bin/b.rs"), "fn main() { }\n").unwrap();
        let books = overall(&root, &ex, &a_only);
        assert_eq!(next_line(&books), "下一个: b (lessons/01_x/src/bin/b.rs)");
        let _ = std::fs::remove_dir_all(&root);
    }
}
