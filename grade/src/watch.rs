//! The student's loop: `cargo grade progress`, `cargo grade watch [program]`,
//! and the dispatch of the commands of the loop (`peer`, `hint`, `progress`,
//! `watch`, `check --quick`, `check --alone`) that have options of their own.
//!
//! `watch` polls the modification times of the workspace's sources
//! (`lessons/**`, `tests/**`, `support/**`, `grade/hints/**` and every
//! `Cargo.toml`, never `target/`) every half second; when one changes it
//! grades again (one program, or every exercise) and redraws: the screen is
//! cleared only when stdout is a terminal (on Windows a rule is drawn instead,
//! since its old console does not take escape codes). It runs until Ctrl-C;
//! `--max-rounds N` stops after N gradings (for tests and scripts).

use crate::manifest;
use crate::progress::{self, ProgramScore, State};
use crate::run::{self, Options, Outcome, Status};
use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

/// Handles the loop's commands; `None` when `args` is another command.
pub fn dispatch(args: &[String]) -> Option<Result<ExitCode, String>> {
    let (first, rest) = args.split_first()?;
    let root = || -> Result<PathBuf, String> {
        let here = std::env::current_dir().map_err(|e| format!("当前目录读不了: {e}"))?;
        let here = std::path::absolute(&here).map_err(|e| format!("{}: {e}", here.display()))?;
        run::find_root(&here).ok_or_else(|| format!("{} 不在一个 Cargo 工作区里", here.display()))
    };
    Some(match first.as_str() {
        "peer" => crate::peer::run(rest),
        "hint" => root().and_then(|r| crate::hint::run(&r, rest)),
        "progress" => root().and_then(|r| progress_cmd(&r, rest)),
        "watch" => root().and_then(|r| watch_cmd(&r, rest)),
        "check" if rest.iter().any(|a| a == "--quick" || a == "--alone") => root().and_then(|r| {
            if crate::edition::is_student_edition(&r) {
                Err(crate::edition::only_in_reference("check"))
            } else if rest.iter().any(|a| a == "--alone") {
                crate::alone::run(&r, rest)
            } else {
                crate::drift::quick(&r)
            }
        }),
        _ => return None,
    })
}

/// Options shared by `progress` and `watch`: `--timeout S`, `--jobs N`,
/// `--max-rounds N`; the other words are returned.
struct LoopArgs {
    opts: Options,
    rounds: Option<u32>,
    words: Vec<String>,
}

fn loop_args(args: &[String]) -> Result<LoopArgs, String> {
    let mut a = LoopArgs {
        opts: Options {
            timeout: Duration::from_secs(20),
            jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            target_dir: None,
            rustflags: None,
            show_build: false,
        },
        rounds: None,
        words: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(w) = it.next() {
        let mut num = |flag: &str| -> Result<f64, String> {
            let v = it.next().ok_or(format!("{flag} 后面缺少值"))?;
            v.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x > 0.0)
                .ok_or(format!("{flag} 要一个正数, 收到 {v:?}"))
        };
        match w.as_str() {
            "--timeout" => a.opts.timeout = Duration::from_secs_f64(num("--timeout")?),
            "--jobs" | "-j" => a.opts.jobs = num("--jobs")? as usize,
            "--max-rounds" => a.rounds = Some(num("--max-rounds")? as u32),
            "-h" | "--help" => {
                println!("用法: cargo grade progress | cargo grade watch [程序] [--max-rounds N] [--timeout S] [--jobs N]");
                std::process::exit(0);
            }
            s if s.starts_with('-') => return Err(format!("不认识的选项 {s}")),
            s => a.words.push(s.to_string()),
        }
    }
    Ok(a)
}

/// The exercised programs of `root` (its exercises, or the edition's list).
fn exercised(root: &Path) -> BTreeSet<String> {
    manifest::exercised(root)
        .map(|(s, _)| s)
        .unwrap_or_default()
}

/// Grades the scored tests of `programs` (every exercise when empty).
fn grade_scored(
    root: &Path,
    words: &[String],
    opts: &Options,
) -> Result<(Vec<Outcome>, Vec<ProgramScore>), String> {
    let (lessons, chosen) = progress::split_words(root, words)?;
    let ex = exercised(root);
    let keep = |s: &crate::source::TestSource| {
        s.program
            .as_ref()
            .is_some_and(|p| ex.contains(p) && (chosen.is_empty() || chosen.contains(p)))
    };
    let mut results = run::grade_where(root, &lessons, opts, &keep);
    run::mark_exercises(&mut results, Some(&ex));
    let lesson_names: BTreeSet<&str> = lessons.iter().map(|l| l.name.as_str()).collect();
    let scores: Vec<ProgramScore> = progress::per_program(root, &results, &ex)
        .into_iter()
        .filter(|s| lesson_names.contains(s.program.lesson.as_str()))
        .filter(|s| chosen.is_empty() || chosen.contains(&s.program.name))
        .collect();
    progress::remember(root, &scores);
    Ok((results, scores))
}

fn progress_cmd(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let a = loop_args(args)?;
    if exercised(root).is_empty() {
        return Err(
            "这个工作区没有练习 (没有 lessons/*/exercises/, 也没有 grade/exercises.txt)".into(),
        );
    }
    let (_, scores) = grade_scored(root, &a.words, &a.opts)?;
    progress::print(&scores);
    Ok(if scores.iter().all(|s| s.state == State::Done) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Modification time and size of every watched file.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, (Option<SystemTime>, u64)> {
    let mut out = BTreeMap::new();
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, (Option<SystemTime>, u64)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            if name == "target" || name.to_string_lossy().starts_with('.') {
                continue;
            }
            let p = e.path();
            match e.metadata() {
                Ok(m) if m.is_dir() => walk(&p, out),
                Ok(m) => {
                    out.insert(p, (m.modified().ok(), m.len()));
                }
                Err(_) => {}
            }
        }
    }
    for d in ["lessons", "tests", "support", "grade/hints"] {
        walk(&root.join(d), &mut out);
    }
    for f in ["Cargo.toml", "Cargo.lock", "grade/Cargo.toml"] {
        if let Ok(m) = std::fs::metadata(root.join(f)) {
            out.insert(root.join(f), (m.modified().ok(), m.len()));
        }
    }
    out
}

/// The failure to show first: of the exercise whose file does not compile
/// (its compile error, once), else of the first unfinished exercise in the
/// book's order; within one exercise the most telling (see [`telling`]).
fn first_failure<'a>(results: &'a [Outcome], scores: &[ProgramScore]) -> Option<&'a Outcome> {
    // A blocked exercise's rows hold the compile error of the file that blocks it.
    let broken = scores
        .iter()
        .filter(|s| matches!(s.state, State::NotBuilt(_) | State::Blocked { .. }));
    let open = scores
        .iter()
        .filter(|s| !s.state.done() && !matches!(s.state, State::Blocked { .. }));
    broken.chain(open).find_map(|s| {
        let failing = results.iter().filter(|o| {
            o.exercise
                && o.status != Status::Passed
                && o.program.as_deref() == Some(s.program.name.as_str())
        });
        // The first of the most telling: results come in the tests' source order.
        failing.min_by_key(|o| std::cmp::Reverse(telling(o)))
    })
}

/// How telling a failure is, to choose the one shown first. A program that
/// stopped (a `todo!` it reached, a panic: the excerpt leads with it) says
/// most; then every other failure alike, in the order the tests are written
/// in the source, which is the teaching order: a program's first tests check
/// the text's exchange, the later ones a flag or an edge (`--backlog`, running
/// out of descriptors) whose hint may name a line that was handed out
/// written. A compile error is what it is.
pub fn telling(o: &Outcome) -> u8 {
    let first = o.message.lines().next().unwrap_or("");
    if o.status == Status::NotBuilt {
        3
    } else if first.starts_with("not yet implemented") || first.starts_with("程序 panic 了") {
        2
    } else {
        1
    }
}

/// The screen of one round; `next` is the `下一个: …` line.
pub fn screen(results: &[Outcome], scores: &[ProgramScore], next: &str) -> String {
    let mut s = String::new();
    for p in scores {
        s.push_str(&format!(
            "  {}  {}  {}\n",
            p.program.lesson,
            p.program.name,
            progress::describe(p)
        ));
    }
    match first_failure(results, scores) {
        Some(o) if o.status == Status::NotBuilt => {
            // Once, not once per test: the error, where it is, what to do.
            let place = crate::lastgood::broken_file(&o.message)
                .map_or(format!("{} 这一课", o.lesson), |(_, p)| p);
            s.push_str(&format!(
                "\n编译错误: {place} (修好它, 这一课的测试才能运行)\n"
            ));
            for l in o.message.lines().take(12) {
                s.push_str(&format!("  | {l}\n"));
            }
        }
        Some(o) => {
            s.push_str(&format!(
                "\n第一个没通过的测试: {} ({}, {})\n",
                o.name,
                o.program.as_deref().unwrap_or("?"),
                o.status.chinese()
            ));
            if let Some(h) = &o.hint {
                s.push_str(&format!("  提示: {h}\n"));
            }
            for l in o.message.lines().take(10) {
                s.push_str(&format!("  | {l}\n"));
            }
            if let Some(p) = &o.program {
                s.push_str(&format!("  (更多提示: cargo grade hint {p})\n"));
            }
        }
        None if scores.is_empty() => s.push_str("\n(没有计分的测试)\n"),
        None => s.push_str("\n全部通过 ✓\n"),
    }
    s.push_str(&format!("\n{next}\n"));
    s
}

fn watch_cmd(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let a = loop_args(args)?;
    if a.words.len() > 1 {
        return Err("watch 最多要一个程序: cargo grade watch [程序]".into());
    }
    let terminal = std::io::stdout().is_terminal();
    let mut round = 0;
    let last_ok = loop {
        let before = snapshot(root);
        let (results, scores) = grade_scored(root, &a.words, &a.opts)?;
        round += 1;
        if terminal && cfg!(unix) {
            print!("\x1b[2J\x1b[H");
        } else if terminal {
            // Windows' old console shows escape codes as text: a rule instead.
            println!("\n{}", "─".repeat(60));
        }
        let what = a
            .words
            .first()
            .map_or("全部练习".to_string(), |p| p.clone());
        println!("cargo grade watch: {what} (第 {round} 次评分; 保存文件就重新评分, Ctrl-C 结束)");
        // One program graded: the next exercise is the book's, as
        // `progress` would name it (the others from their last grading).
        let next = if a.words.is_empty() {
            progress::next_line(&scores)
        } else {
            progress::next_line(&progress::overall(root, &exercised(root), &scores))
        };
        print!("{}", screen(&results, &scores, &next));
        let ok = !scores.is_empty() && scores.iter().all(|s| s.state == State::Done);
        if a.rounds.is_some_and(|n| round >= n) {
            break ok;
        }
        loop {
            std::thread::sleep(Duration::from_millis(500));
            if snapshot(root) != before {
                break;
            }
        }
    };
    Ok(if last_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Program;

    fn outcome(name: &str, program: &str, status: Status) -> Outcome {
        Outcome {
            lesson: "lesson03".into(),
            suite: "lesson03".into(),
            name: name.into(),
            program: Some(program.into()),
            status,
            points: u32::from(status == Status::Passed),
            max_points: 1,
            seconds: 0.1,
            hint: Some("服务器是不是只 accept 了一次?".into()),
            message: "10 秒内没有收到服务器的 Welcome!".into(),
            hint_printed: true,
            exercise: true,
        }
    }

    #[test]
    fn the_screen_shows_the_first_failure_of_the_first_unfinished_program() {
        let results = vec![
            outcome("a", "server", Status::Passed),
            outcome("b", "client", Status::Failed),
        ];
        let prog = |n: &str| Program {
            name: n.into(),
            lesson: "lesson03".into(),
            file: PathBuf::from(format!("lessons/03_threads/src/bin/{n}.rs")),
        };
        let scores = vec![
            ProgramScore {
                program: prog("server"),
                passed: 1,
                tests: 1,
                state: State::Done,
            },
            ProgramScore {
                program: prog("client"),
                passed: 0,
                tests: 1,
                state: State::Partly,
            },
        ];
        let s = screen(&results, &scores, &progress::next_line(&scores));
        assert!(s.contains("第一个没通过的测试: b (client, 失败)"), "{s}");
        assert!(s.contains("提示: 服务器是不是只 accept 了一次?"), "{s}");
        assert!(s.contains("| 10 秒内没有收到服务器的 Welcome!"), "{s}");
        assert!(s.contains("cargo grade hint client"), "{s}");
        assert!(
            s.ends_with("下一个: client (lessons/03_threads/src/bin/client.rs)\n"),
            "{s}"
        );
    }

    #[test]
    fn a_change_under_lessons_changes_the_snapshot_and_target_does_not() {
        let root = std::env::temp_dir().join(format!("grade-watch-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("lessons/01/src")).unwrap();
        std::fs::create_dir_all(root.join("lessons/01/target")).unwrap();
        std::fs::write(root.join("lessons/01/src/a.rs"), "a").unwrap();
        let first = snapshot(&root);
        std::fs::write(root.join("lessons/01/target/x"), "x").unwrap();
        assert_eq!(snapshot(&root), first);
        std::fs::write(root.join("lessons/01/src/a.rs"), "ab").unwrap();
        assert_ne!(snapshot(&root), first);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_program_that_stopped_leads_then_the_source_order_and_a_compile_error_is_shown_once() {
        let prog = Program {
            name: "server".into(),
            lesson: "lesson03".into(),
            file: PathBuf::from("lessons/03_threads/src/bin/server.rs"),
        };
        let scores = vec![ProgramScore {
            program: prog,
            passed: 0,
            tests: 3,
            state: State::Partly,
        }];
        let mut a = outcome("two_clients_at_once", "server", Status::Failed);
        a.message = "第二个客户端没有收到 Welcome!".into();
        let mut b = outcome("server_backlog", "server", Status::Failed);
        b.message = "backlog".into();
        let results = vec![a.clone(), b.clone()];
        assert_eq!(
            first_failure(&results, &scores).unwrap().name,
            "two_clients_at_once"
        );
        b.message =
            "not yet implemented: 第 6 步 (lessons/03_threads/src/bin/server.rs:9:9)".into();
        let results = vec![a, b];
        assert_eq!(
            first_failure(&results, &scores).unwrap().name,
            "server_backlog"
        );

        let err = "error: expected `;`\n --> lessons/03_threads/src/bin/server.rs:9:9\n";
        let mut c = outcome("x", "server", Status::NotBuilt);
        c.message = err.into();
        let mut d = outcome("y", "server", Status::NotBuilt);
        d.message = err.into();
        let mut broken = scores.clone();
        broken[0].state = State::NotBuilt(Some("lessons/03_threads/src/bin/server.rs:9:9".into()));
        let s = screen(&[c, d], &broken, "下一个: server");
        assert_eq!(s.matches("expected `;`").count(), 1, "{s}");
        assert!(
            s.contains("编译错误: lessons/03_threads/src/bin/server.rs:9:9"),
            "{s}"
        );
    }
}
