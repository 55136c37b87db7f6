//! The student's loop, run as a student runs it (`cargo grade progress`,
//! `<program>`, `watch`, `hint`, `peer`), on a tiny workspace of one lesson
//! with one exercise, so that it builds in seconds.

#[cfg(unix)]
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Command;
#[cfg(unix)]
use std::sync::mpsc;
#[cfg(unix)]
use std::time::Duration;

const GRADE: &str = env!("CARGO_BIN_EXE_grade");

const EXERCISE: &str = "#![allow(unreachable_code)] // 练习: 全部完成后删掉这一行\n//! 一个练习。\nfn main() {\n    let n: u32 = todo!(\"第 1 步: 算出 n\");\n    todo!(\"第 2 步: 打印 n\");\n}\n";
#[cfg(unix)]
const DONE: &str = "//! 一个练习。\nfn main() {\n    let n: u32 = 42;\n    println!(\"{n}\");\n}\n";

/// A fresh workspace: lesson01 with the program `prog`, its exercise, a test
/// of it, and hints. `src/bin/prog.rs` starts as the exercise (a student's
/// first day); the reference's `exercises/prog.rs` tells the grader it is one.
fn workspace(tag: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("loop-{tag}"));
    let _ = std::fs::remove_dir_all(&root);
    let lesson = root.join("lessons/01_x");
    for d in ["src/bin", "exercises"] {
        std::fs::create_dir_all(lesson.join(d)).unwrap();
    }
    std::fs::create_dir_all(root.join("tests")).unwrap();
    std::fs::create_dir_all(root.join("grade/hints")).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"lessons/*\"]\n",
    )
    .unwrap();
    std::fs::write(
        lesson.join("Cargo.toml"),
        "[package]\nname = \"lesson01\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[[bin]]\nname = \"prog\"\ntest = false\n\n[[test]]\nname = \"lesson01\"\npath = \"../../tests/lesson01.rs\"\n",
    )
    .unwrap();
    std::fs::write(lesson.join("README.md"), "| 000 | `prog` |\n").unwrap();
    std::fs::write(lesson.join("exercises/prog.rs"), EXERCISE).unwrap();
    std::fs::write(lesson.join("src/bin/prog.rs"), EXERCISE).unwrap();
    std::fs::write(
        root.join("tests/lesson01.rs"),
        "fn hint(_program: &str, _text: &str) {}\n\n#[test]\nfn prog_prints_42() {\n    hint(\"prog\", \"打印 42\");\n    let out = std::process::Command::new(env!(\"CARGO_BIN_EXE_prog\")).output().unwrap();\n    assert_eq!(String::from_utf8_lossy(&out.stdout), \"42\\n\");\n}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("grade/hints/prog.txt"),
        "## 第 1 步\n第一层\n---\n第二层\n## 第 2 步\n只有这一层\n---\n还有这一层\n",
    )
    .unwrap();
    root
}

fn grade(root: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(GRADE)
        .args(args)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// Unix only: it runs cargo from the grader, and under Wine (`.ci/windows`)
/// that would be the Linux cargo started by a Windows program.
#[test]
#[cfg(unix)]
fn progress_program_and_watch_follow_the_student() {
    let root = workspace("progress");
    let (code, out) = grade(&root, &["progress"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("lesson01  prog  未开始 (0/1)"), "{out}");
    assert!(
        out.contains("下一个: prog (lessons/01_x/src/bin/prog.rs)"),
        "{out}"
    );

    // watch: the first round fails; saving the finished file grades again.
    let mut child = Command::new(GRADE)
        .args(["watch", "prog", "--max-rounds", "2"])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut seen = Vec::new();
    let mut wait_for = |needle: &str| loop {
        let line = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("watch 没有打印 {needle:?}:\n{}", seen.join("\n")));
        seen.push(line.clone());
        if line.contains(needle) {
            break;
        }
    };
    wait_for("第一个没通过的测试: prog_prints_42");
    wait_for("下一个: prog");
    std::fs::write(root.join("lessons/01_x/src/bin/prog.rs"), DONE).unwrap();
    wait_for("第 2 次评分");
    wait_for("✓ 1/1");
    let status = child.wait().unwrap();
    assert!(status.success(), "watch 在全部通过时应当以 0 结束");

    let (code, out) = grade(&root, &["prog"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("prog: ✓ 1/1"), "{out}");
    let (code, out) = grade(&root, &["progress"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("全部练习都完成了"), "{out}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn hint_gives_one_level_more_of_the_first_open_step() {
    let root = workspace("hint");
    let (code, out) = grade(&root, &["hint", "prog"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("第 1 步 · 提示 1/2") && out.contains("第一层"),
        "{out}"
    );
    let (_, out) = grade(&root, &["hint", "prog"]);
    assert!(
        out.contains("提示 2/2") && out.contains("这是最后一层提示"),
        "{out}"
    );
    let (_, out) = grade(&root, &["hint", "prog"]);
    assert!(out.contains("这已经是最后一层了"), "{out}");
    let (_, out) = grade(&root, &["hint", "prog", "2"]);
    assert!(out.contains("第 2 步 · 提示 1/2"), "{out}");
    let (code, out) = grade(&root, &["hint", "nope"]);
    assert_eq!(code, 2);
    assert_eq!(out.lines().count(), 1, "{out}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn peer_of_an_unknown_program_is_one_line() {
    let root = workspace("peer");
    let (code, out) = grade(&root, &["peer", "no_such_program"]);
    assert_eq!(code, 2, "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("no_such_program 没有现成的对端"), "{out}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn instructor_commands_say_one_line_in_the_student_edition() {
    let root = workspace("edition");
    // An edition: the list export writes, no exercise folders.
    std::fs::remove_dir_all(root.join("lessons/01_x/exercises")).unwrap();
    std::fs::write(
        root.join("grade/exercises.txt"),
        "prog lessons/01_x/src/bin/prog.rs\n",
    )
    .unwrap();
    for cmd in [
        &["check"][..],
        &["check", "--quick"],
        &["check", "--alone"],
        &["mistakes"],
        &["export", "/tmp/nowhere"],
    ] {
        let (code, out) = grade(&root, cmd);
        assert_eq!(code, 2, "{cmd:?}: {out}");
        assert_eq!(out.lines().count(), 1, "{cmd:?}: {out}");
        assert!(out.contains("只在参考答案里能用"), "{cmd:?}: {out}");
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// A half-typed step in one exercise: the other exercise of its lesson keeps
/// its last figures, the broken file is named once and stays next.
#[test]
#[cfg(unix)]
fn a_compile_error_in_one_exercise_keeps_the_other_and_names_the_file() {
    let root = workspace("broken");
    let lesson = root.join("lessons/01_x");
    let toml = std::fs::read_to_string(lesson.join("Cargo.toml")).unwrap();
    let toml = toml.replace(
        "[[test]]",
        "[[bin]]\nname = \"other\"\ntest = false\n\n[[test]]",
    );
    std::fs::write(lesson.join("Cargo.toml"), toml).unwrap();
    std::fs::write(lesson.join("README.md"), "| 000 | `prog` `other` |\n").unwrap();
    std::fs::write(lesson.join("exercises/other.rs"), EXERCISE).unwrap();
    std::fs::write(lesson.join("src/bin/other.rs"), EXERCISE).unwrap();
    std::fs::write(lesson.join("src/bin/prog.rs"), DONE).unwrap();
    let (code, out) = grade(&root, &["progress"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("prog   ✓ 1/1"), "{out}");
    assert!(out.contains("下一个: other"), "{out}");

    std::fs::write(
        lesson.join("src/bin/other.rs"),
        "fn main() {\n    let n: u32 = 42\n    todo!(\"第 2 步: 打印 n\");\n}\n",
    )
    .unwrap();
    let (_, out) = grade(&root, &["progress"]);
    assert!(out.contains("prog   ✓ 1/1 (上次成功编译时的结果"), "{out}");
    assert!(
        out.contains("other  编译错误: lessons/01_x/src/bin/other.rs:2:"),
        "{out}"
    );
    assert!(
        out.contains("下一个: other (lessons/01_x/src/bin/other.rs)"),
        "{out}"
    );
    let (_, out) = grade(&root, &["prog"]);
    assert_eq!(out.matches("expected `;`").count(), 1, "{out}");
    assert!(out.contains("prog: ✓ 1/1 (上次成功编译时的结果"), "{out}");
    let _ = std::fs::remove_dir_all(&root);
}
