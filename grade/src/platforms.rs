//! The commands of issue 19 (`--in`, `class`, `gradescope`, `selftest`,
//! `--format`) and the platforms instructors already use: GitHub Classroom
//! (a workflow written by `export`, checksums of what was handed out, and
//! the JSON its autograding reporter reads) and Gradescope (an autograder
//! folder and its `results.json`).

use crate::class::{self, Graded, Setup};
use crate::points;
use crate::run::{self, Options, Status};
use crate::sandbox::{self, Sandbox};
use crate::source::json_escape;
use crate::tree;
use crate::{manifest, report, Cli};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The checksums of the handed-out files, in the student edition
/// (`sha256sum -c` reads it).
pub const CHECKSUMS: &str = "grade/checksums.txt";

/// The GitHub Classroom workflow, in the student edition.
pub const WORKFLOW: &str = ".github/workflows/classroom.yml";

const WORKFLOW_TEXT: &str = r#"# GitHub Classroom: 每次 push 都在 GitHub 的机器上构建并评分这个仓库 (cargo grade export 写的)。
# The runner is the sandbox; the handed-out tests and manifests are checked against
# grade/checksums.txt first, and a changed one is reported as an error, not a score.
name: Autograding
on: [push, workflow_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - uses: actions/checkout@v4
      - name: grade
        id: grade
        run: |
          rustup toolchain install stable --profile minimal
          cargo grade --format github-classroom > grade-result.json || true
          cat grade-result.json
          echo "result=$(base64 -w0 grade-result.json)" >> "$GITHUB_OUTPUT"
      - uses: classroom-resources/autograding-grading-reporter@v1
        env:
          GRADE_RESULTS: "${{ steps.grade.outputs.result }}"
        with:
          runners: grade
"#;

/// Whether a file of the edition is one the checksums cover: everything
/// handed out but the exercises, the READMEs, the workflow and the list itself.
fn checksummed(rel: &str, exercises: &[tree::Exercise]) -> bool {
    !(rel == CHECKSUMS
        || rel.starts_with(".github/")
        || rel.ends_with(".md")
        || exercises.iter().any(|e| e.file == Path::new(rel)))
}

/// Names that change a build when added anywhere: not allowed beyond the list.
fn build_changing(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    matches!(
        name,
        "build.rs" | "Cargo.toml" | "Cargo.lock" | "rust-toolchain" | "rust-toolchain.toml"
    ) || rel.contains(".cargo/")
}

/// Writes the workflow and the checksums into the edition at `dest`.
pub fn classroom_files(dest: &Path) -> Result<(), String> {
    let list = std::fs::read_to_string(dest.join(manifest::MANIFEST)).unwrap_or_default();
    let exercises = tree::parse_list(&list);
    let wf = dest.join(WORKFLOW);
    if let Some(d) = wf.parent() {
        std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
    }
    std::fs::write(&wf, WORKFLOW_TEXT).map_err(|e| format!("{}: {e}", wf.display()))?;
    let mut text = String::new();
    for rel in tree::files_of(dest) {
        let r = rel.to_string_lossy().replace('\\', "/");
        if !checksummed(&r, &exercises) {
            continue;
        }
        let bytes = std::fs::read(dest.join(&rel)).map_err(|e| format!("{r}: {e}"))?;
        text.push_str(&format!("{}  {r}\n", tree::hex(&tree::sha256(&bytes))));
    }
    std::fs::write(dest.join(CHECKSUMS), text).map_err(|e| format!("{CHECKSUMS}: {e}"))
}

/// The handed-out files of `root` that were changed, removed or added
/// (against [`CHECKSUMS`]); empty when all is as handed out.
pub fn verify_checksums(root: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(root.join(CHECKSUMS))
        .map_err(|e| format!("{CHECKSUMS} 读不了: {e}"))?;
    let mut bad = Vec::new();
    let mut listed = std::collections::BTreeSet::new();
    for line in text.lines() {
        let Some((hash, rel)) = line.split_once("  ") else {
            continue;
        };
        listed.insert(rel.to_string());
        let p = root.join(rel);
        let ok = std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_file())
            && std::fs::read(&p).is_ok_and(|b| tree::hex(&tree::sha256(&b)) == hash);
        if !ok {
            bad.push(format!("改过或缺少: {rel}"));
        }
    }
    for rel in tree::files_of(root) {
        let r = rel.to_string_lossy().replace('\\', "/");
        if build_changing(&r) && !listed.contains(&r) {
            bad.push(format!("多出: {r}"));
        }
    }
    Ok(bad)
}

/// GitHub Classroom's autograding reporter's JSON for `g` (`error` with
/// `problem` set: a changed handed-out file, no score).
pub fn github_classroom(g: &Graded, problem: Option<&str>) -> String {
    let scored: Vec<&class::Scored> = g.tests.iter().filter(|t| t.outcome.exercise).collect();
    let status = match problem {
        Some(_) => "error",
        None if scored.iter().all(|t| t.outcome.status == Status::Passed) && !scored.is_empty() => {
            "pass"
        }
        None => "fail",
    };
    let mut tests = Vec::new();
    if let Some(p) = problem {
        tests.push(format!(
            "{{\"name\": \"发下去的文件被改过\", \"status\": \"error\", \"score\": 0, \"max_score\": {}, \"message\": {}, \"test_code\": \"\", \"filename\": \"\", \"line_no\": 0, \"duration\": 0}}",
            points::show(g.max),
            json_escape(p)
        ));
    } else {
        for t in &scored {
            let o = &t.outcome;
            let st = match o.status {
                Status::Passed => "pass",
                Status::Failed => "fail",
                Status::TimedOut | Status::NotBuilt => "error",
            };
            tests.push(format!(
                "{{\"name\": {}, \"status\": \"{st}\", \"score\": {}, \"max_score\": {}, \"message\": {}, \"test_code\": \"\", \"filename\": \"\", \"line_no\": 0, \"duration\": {}}}",
                json_escape(&format!("{}::{} ({})", o.lesson, o.name, o.program.as_deref().unwrap_or("?"))),
                points::show(t.points),
                points::show(t.max),
                json_escape(&o.message),
                (o.seconds * 1000.0).round() as u64
            ));
        }
    }
    format!(
        "{{\"version\": 1, \"status\": \"{status}\", \"max_score\": {}, \"tests\": [{}]}}\n",
        points::show(g.max),
        tests.join(", ")
    )
}

/// Gradescope's `results.json` for `g`.
pub fn gradescope(g: &Graded) -> String {
    let mut tests = Vec::new();
    for t in g.tests.iter().filter(|t| t.outcome.exercise) {
        let o = &t.outcome;
        let mut output = o.status.chinese().to_string();
        if let Some(h) = &o.hint {
            if o.status != Status::Passed {
                output.push_str(&format!("\n提示: {h}"));
            }
        }
        if !o.message.is_empty() {
            output.push_str(&format!("\n{}", o.message));
        }
        tests.push(format!(
            "{{\"name\": {}, \"score\": {}, \"max_score\": {}, \"status\": \"{}\", \"output\": {}, \"visibility\": \"visible\"}}",
            json_escape(&format!("{}::{} ({})", o.lesson, o.name, o.program.as_deref().unwrap_or("?"))),
            points::show(t.points),
            points::show(t.max),
            if o.status == Status::Passed { "passed" } else { "failed" },
            json_escape(&output)
        ));
    }
    let mut output = format!("成绩 {}/{}", points::show(g.score), points::show(g.max));
    for e in &g.exercises {
        if let Some(errs) = &e.errors {
            output.push_str(&format!("\n\n练习 {} 没有编译通过:\n{errs}", e.program));
        }
    }
    if !g.ignored.is_empty() {
        output.push_str("\n\n忽略 (只取练习文件):");
        for (p, w) in &g.ignored {
            output.push_str(&format!("\n  {p} ({w})"));
        }
    }
    format!(
        "{{\"score\": {}, \"output\": {}, \"visibility\": \"visible\", \"stdout_visibility\": \"hidden\", \"tests\": [{}]}}\n",
        points::show(g.score),
        json_escape(&output),
        tests.join(", ")
    )
}

fn instructor_root() -> Result<PathBuf, String> {
    let here = std::env::current_dir().map_err(|e| format!("当前目录读不了: {e}"))?;
    run::find_root(&here).ok_or_else(|| format!("{} 不在一个 Cargo 工作区里", here.display()))
}

fn options(cli: &Cli) -> Options {
    Options {
        timeout: cli.timeout,
        jobs: cli.jobs,
        target_dir: None,
        rustflags: None,
        show_build: false,
    }
}

/// Runs the commands of issue 19; `None` for the others.
pub fn dispatch(cli: &Cli) -> Result<Option<ExitCode>, String> {
    match (cli.command.as_deref(), &cli.dir) {
        (Some("class"), _) => class_command(cli).map(Some),
        (Some("gradescope"), _) => gradescope_command(cli).map(Some),
        (Some("selftest"), _) => crate::selftest::run(cli).map(Some),
        (None, Some(sub)) => submission_command(cli, sub).map(Some),
        (None, None) if cli.format.is_some() => own_workspace_format(cli).map(Some),
        _ => Ok(None),
    }
}

fn setup(cli: &Cli, root: &Path, words: &[String]) -> Result<Setup, String> {
    let sb = Sandbox::probe(cli.unsandboxed)?;
    if let Sandbox::None(_) = sb {
        eprintln!("警告: --unsandboxed: 学生的代码以你的身份运行, 没有沙箱 (报告和 JSON 里记下 \"sandbox\": \"none\")");
    }
    // One folder per kind of sandbox: their cached builds differ (paths).
    let work = root.join("target").join("grade-work").join(sb.name());
    Setup::prepare(root, &work, sb, words, &options(cli))
}

fn submission_command(cli: &Cli, sub: &Path) -> Result<ExitCode, String> {
    if cli.tests.is_some() {
        eprintln!("注意: --tests 不再需要: --in 总是用老师这里新导出的练习版 (测试、清单都是原版), 只取作业的练习文件");
    }
    let sub = std::path::absolute(sub).map_err(|e| format!("{}: {e}", sub.display()))?;
    if !sub.is_dir() {
        return Err(format!("--in {}: 不是一个目录", sub.display()));
    }
    let root = instructor_root()?;
    let student = cli.student.clone().unwrap_or_else(|| {
        sandbox::visible(&sub.file_name().unwrap_or_default().to_string_lossy())
    });
    let setup = setup(cli, &root, &cli.words)?;
    let g = setup.grade(&sub, &student)?;
    let text = match cli.format.as_deref() {
        Some("github-classroom") => github_classroom(&g, None),
        Some("gradescope") => gradescope(&g),
        _ => report::submission_json(&g),
    };
    match (&cli.json, cli.format.is_some()) {
        (Some(path), _) => class::write_atomic(path, &text)?,
        (None, true) => print!("{text}"),
        (None, false) => {}
    }
    if cli.format.is_none() {
        report::print_submission(&g);
    }
    Ok(if g.score == g.max {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn class_command(cli: &Cli) -> Result<ExitCode, String> {
    let Some((subs, words)) = cli.words.split_first() else {
        return Err(
            "class 要一个作业目录: cargo grade class 作业目录 --out 结果目录 [lesson03 …]".into(),
        );
    };
    let Some(out) = &cli.out else {
        return Err("class 要 --out 结果目录".into());
    };
    let root = instructor_root()?;
    let setup = setup(cli, &root, words)?;
    class::class(&setup, Path::new(subs), out)?;
    Ok(ExitCode::SUCCESS)
}

/// `--format …` in one's own workspace (a GitHub Classroom runner): the
/// handed-out files are checked first; the JSON goes to stdout.
fn own_workspace_format(cli: &Cli) -> Result<ExitCode, String> {
    let root = instructor_root()?;
    let problem = if root.join(CHECKSUMS).is_file() {
        let bad = verify_checksums(&root)?;
        (!bad.is_empty())
            .then(|| format!("这些发下去的文件和导出时不同, 不评分: {}", bad.join("; ")))
    } else {
        None
    };
    let lessons: Vec<run::Lesson> = run::lessons(&root)
        .into_iter()
        .filter(|l| {
            cli.words.is_empty()
                || cli
                    .words
                    .iter()
                    .any(|w| l.name == *w || l.name.ends_with(w.trim_start_matches("lesson")))
        })
        .collect();
    let mut g = if problem.is_some() {
        Graded::default()
    } else {
        let mut results = run::grade(&root, &lessons, &options(cli));
        let exercised = manifest::exercised(&root).map(|(s, _)| s);
        run::mark_exercises(&mut results, exercised.as_ref());
        for o in &mut results {
            o.message = sandbox::visible(&o.message);
        }
        Graded::from_outcomes(&results, &[])
    };
    if problem.is_some() {
        g.max = 0.0;
    }
    let text = match cli.format.as_deref() {
        Some("gradescope") => gradescope(&g),
        _ => github_classroom(&g, problem.as_deref()),
    };
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}

const SETUP_SH: &str = r#"#!/usr/bin/env bash
# Gradescope: runs once when the autograder image is built (cargo grade gradescope wrote it).
set -euo pipefail
apt-get update
apt-get install -y build-essential curl ca-certificates bubblewrap
curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
. "$HOME/.cargo/env"
cd /autograder/source/edition
cargo fetch
# Build the pristine edition once (into target/grade-work), so each submission
# costs only its own exercise files.
# (the same sandbox choice as run_autograder: the cache is kept per kind of sandbox).
SANDBOX=()
bwrap --unshare-all --ro-bind / / true 2>/dev/null || SANDBOX=(--unsandboxed)
cargo grade --in /autograder/source/edition "${SANDBOX[@]}" --json /tmp/warm.json > /dev/null || true
"#;

const RUN_AUTOGRADER: &str = r#"#!/usr/bin/env bash
# Gradescope: runs for each submission (cargo grade gradescope wrote it).
# Only the exercise files of the submission are taken into the pristine edition.
# The paths come from the environment, with Gradescope's as defaults, so it can
# be tried anywhere: AUTOGRADER_ROOT=/tmp/ag SUBMISSION_DIR=… RESULTS_DIR=… ./run_autograder
set -uo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="${AUTOGRADER_SOURCE:-$ROOT/source}"
SUBMISSION="${SUBMISSION_DIR:-$ROOT/submission}"
RESULTS="${RESULTS_DIR:-$ROOT/results}"
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
mkdir -p "$RESULTS"
cd "$SOURCE/edition" || exit 1
# Gradescope's container is the sandbox; bubblewrap is used too where it works there.
SANDBOX=()
bwrap --unshare-all --ro-bind / / true 2>/dev/null || SANDBOX=(--unsandboxed)
if ! cargo grade --in "$SUBMISSION" --student submission --format gradescope "${SANDBOX[@]}" \
        --json "$RESULTS/results.json" ${GRADE_ARGS:-}; then
    [ -s "$RESULTS/results.json" ] || printf '{"score": 0, "output": "评分程序出错, 请联系老师", "tests": []}\n' > "$RESULTS/results.json"
fi
exit 0
"#;

fn gradescope_command(cli: &Cli) -> Result<ExitCode, String> {
    let [dir] = cli.words.as_slice() else {
        return Err("gradescope 要一个目标目录: cargo grade gradescope DIR".into());
    };
    let dir = Path::new(dir);
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(format!("{} 已经存在且不是空的: 换一个目录", dir.display()));
    }
    let root = instructor_root()?;
    write_gradescope(&root, dir)?;
    println!(
        "Gradescope 的 autograder 写到了 {}; 上传用: (cd {} && zip -r ../autograder.zip setup.sh run_autograder edition)",
        dir.display(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes the autograder folder: `setup.sh`, `run_autograder`, `edition/`.
pub fn write_gradescope(root: &Path, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let ed = dir.join("edition");
    tree::pristine(root, &ed)?;
    // The grading tree's fixed mtimes are for its cached build; this folder is
    // handed on, and a build of it must see its files as new.
    let now = std::time::SystemTime::now();
    for rel in tree::files_of(&ed) {
        if let Ok(f) = std::fs::File::options().write(true).open(ed.join(rel)) {
            let _ = f.set_modified(now);
        }
    }
    for (name, text) in [("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)] {
        let p = dir.join(name);
        std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755))
                .map_err(|e| format!("{}: {e}", p.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::Outcome;

    fn outcome(name: &str, program: &str, status: Status) -> Outcome {
        Outcome {
            lesson: "lesson03".into(),
            suite: "lesson03".into(),
            name: name.into(),
            program: Some(program.into()),
            status,
            points: u32::from(status == Status::Passed),
            max_points: 1,
            seconds: 0.5,
            hint: Some("提示".into()),
            message: if status == Status::Passed {
                String::new()
            } else {
                "失败了".into()
            },
            hint_printed: false,
            exercise: true,
        }
    }

    #[test]
    fn classroom_and_gradescope_json_parse_back_field_by_field() {
        use crate::json::{parse, Value};
        let g = Graded::from_outcomes(
            &[
                outcome("a", "server", Status::Passed),
                outcome("b", "server", Status::Failed),
                outcome("c", "client", Status::NotBuilt),
            ],
            &[],
        );
        let gc = parse(&github_classroom(&g, None)).expect("GitHub Classroom JSON");
        assert_eq!(gc.keys(), ["version", "status", "max_score", "tests"]);
        assert_eq!(gc.num("version"), Some(1.0));
        assert_eq!(gc.str("status"), Some("fail"));
        assert_eq!(gc.num("max_score"), Some(3.0));
        let tests = gc.arr("tests");
        assert_eq!(tests.len(), 3);
        let want = [
            ("lesson03::a (server)", "pass", 1.0, ""),
            ("lesson03::b (server)", "fail", 0.0, "失败了"),
            ("lesson03::c (client)", "error", 0.0, "失败了"),
        ];
        for (t, (name, status, score, message)) in tests.iter().zip(want) {
            assert_eq!(t.str("name"), Some(name));
            assert_eq!(t.str("status"), Some(status));
            assert_eq!(t.num("score"), Some(score));
            assert_eq!(t.num("max_score"), Some(1.0));
            assert_eq!(t.str("message"), Some(message));
            assert_eq!(t.num("duration"), Some(500.0));
        }
        let err = parse(&github_classroom(&g, Some("改过: tests/lesson03.rs"))).unwrap();
        assert_eq!(err.str("status"), Some("error"));
        assert_eq!(err.arr("tests")[0].str("status"), Some("error"));
        assert!(err.arr("tests")[0]
            .str("message")
            .unwrap()
            .contains("tests/lesson03.rs"));

        let gs = parse(&gradescope(&g)).expect("Gradescope JSON");
        assert_eq!(gs.num("score"), Some(1.0));
        assert_eq!(gs.str("output"), Some("成绩 1/3"));
        assert_eq!(gs.str("visibility"), Some("visible"));
        let tests = gs.arr("tests");
        assert_eq!(tests.len(), 3);
        let want = [
            ("lesson03::a (server)", 1.0, "passed", "通过"),
            (
                "lesson03::b (server)",
                0.0,
                "failed",
                "失败\n提示: 提示\n失败了",
            ),
            (
                "lesson03::c (client)",
                0.0,
                "failed",
                "未编译\n提示: 提示\n失败了",
            ),
        ];
        for (t, (name, score, status, output)) in tests.iter().zip(want) {
            assert_eq!(t.str("name"), Some(name));
            assert_eq!(t.num("score"), Some(score));
            assert_eq!(t.num("max_score"), Some(1.0));
            assert_eq!(t.str("status"), Some(status));
            assert_eq!(t.str("output"), Some(output));
            assert_eq!(t.str("visibility"), Some("visible"));
        }
        // The submission JSON agrees on every number.
        let sj = parse(&report::submission_json(&g)).unwrap();
        assert_eq!(sj.num("score"), gs.num("score"));
        assert_eq!(sj.num("max_score"), gc.num("max_score"));
        let ex: Vec<(&str, f64, f64)> = sj
            .arr("exercises")
            .iter()
            .map(|e| {
                (
                    e.str("program").unwrap(),
                    e.num("score").unwrap(),
                    e.num("max_score").unwrap(),
                )
            })
            .collect();
        assert_eq!(ex, [("server", 1.0, 2.0), ("client", 0.0, 1.0)]);
        assert!(matches!(sj.get("student"), Some(Value::Null)));
    }

    #[test]
    fn in_given_twice_is_refused_pointing_to_class() {
        let args: Vec<String> = ["--in", "a", "--in", "b"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let err = crate::parse(&args).err().expect("refused");
        assert!(
            err.contains("--in 只能给一次") && err.contains("cargo grade class"),
            "{err}"
        );
        let one: Vec<String> = ["--in", "a", "--unsandboxed"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let cli = crate::parse(&one).expect("one --in is fine");
        assert!(cli.unsandboxed && cli.dir.is_some());
    }

    #[test]
    fn checksums_catch_a_changed_test_and_an_added_build_script() {
        let d = std::env::temp_dir().join(format!("grade-sums-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("tests")).unwrap();
        std::fs::create_dir_all(d.join("grade")).unwrap();
        std::fs::create_dir_all(d.join("lessons/03_threads/src/bin")).unwrap();
        std::fs::write(
            d.join(manifest::MANIFEST),
            "server lessons/03_threads/src/bin/server.rs\n",
        )
        .unwrap();
        std::fs::write(d.join("tests/lesson03.rs"), "assert!(x)\n").unwrap();
        std::fs::write(d.join("lessons/03_threads/src/bin/server.rs"), "todo!()\n").unwrap();
        classroom_files(&d).unwrap();
        let sums = std::fs::read_to_string(d.join(CHECKSUMS)).unwrap();
        let clean = verify_checksums(&d).unwrap();
        std::fs::write(
            d.join("lessons/03_threads/src/bin/server.rs"),
            "fn main() {}\n",
        )
        .unwrap();
        let exercise_done = verify_checksums(&d).unwrap();
        std::fs::write(d.join("tests/lesson03.rs"), "\n").unwrap();
        std::fs::write(d.join("lessons/03_threads/build.rs"), "fn main() {}\n").unwrap();
        let bad = verify_checksums(&d).unwrap();
        let wf = d.join(WORKFLOW).is_file();
        let _ = std::fs::remove_dir_all(&d);
        assert!(wf);
        assert!(
            sums.contains("  tests/lesson03.rs\n") && !sums.contains("server.rs"),
            "{sums}"
        );
        assert!(
            clean.is_empty() && exercise_done.is_empty(),
            "{clean:?} {exercise_done:?}"
        );
        assert_eq!(
            bad,
            [
                "改过或缺少: tests/lesson03.rs",
                "多出: lessons/03_threads/build.rs"
            ]
        );
    }
}
