//! What makes the student edition the students' own: its README (from the
//! template `grade/STUDENT_README.md`, with the table of exercises filled in
//! at export), the instructor's material left out, tools that repeat an
//! exercise's answer replaced by a stub, and one clear line for the commands
//! that only work in the reference.

use crate::progress;
use std::path::Path;

/// The template of the edition's README.md; `{{练习表}}` becomes the table of
/// exercises in the book's order.
pub const TEMPLATE: &str = "grade/STUDENT_README.md";
const TABLE_MARK: &str = "{{练习表}}";

/// Tools beyond the texts that repeat (part of) an exercise's answer: in the
/// edition each is a `main` that says so in one line and exits 2.
/// (path, the exercise whose answer it repeats, what it shows)
pub const STUBBED: &[(&str, &str, &str)] = &[
    (
        "lessons/03_threads/src/bin/baseline_server.rs",
        "echo_server",
        "它几乎就是 echo_server 的整个答案 (bind、accept 循环、开线程、读写循环)",
    ),
    (
        "lessons/03_threads/src/bin/pool_server.rs",
        "server",
        "它写出了 server 的 accept 循环",
    ),
];

/// Whether a file of the reference stays out of the student edition (besides
/// the exercises themselves, the mistake catalogue and CI, see `export.rs`):
/// the benchmarks, mutation testing and their notes (which quote answers),
/// the hints' authoring notes, the README
/// template (it becomes the README) and the reviewed giveaway exceptions
/// (they quote blanked statements).
pub fn left_out(rel: &str) -> bool {
    rel.starts_with("bench/")
        || rel == ".cargo/mutants.toml"
        || rel == "grade/hints/README.md"
        || rel == TEMPLATE
        || rel == crate::drift::REVIEWED
}

/// The stub that replaces a tool of [`STUBBED`].
pub fn stub(rel: &str) -> Option<String> {
    let (path, exercise, why) = STUBBED.iter().find(|(p, _, _)| *p == rel)?;
    let name = Path::new(path).file_stem()?.to_string_lossy().to_string();
    Some(format!(
        "//! 学生版里没有 {name}: {why}。先完成练习 {exercise}, 或者向老师要这个工具。\n\
         //! (The student edition leaves this tool out: it repeats the answer of exercise {exercise}.)\n\
         \n\
         fn main() {{\n    \
         eprintln!(\"学生版里没有 {name}: 它重复了练习 {exercise} 的答案; 先完成 {exercise}, 或者向老师要这个工具\");\n    \
         std::process::exit(2);\n\
         }}\n"
    ))
}

/// The first line of a block of a lesson README that only the reference
/// keeps (the commands of `bench/`, which the edition leaves out).
pub const REFERENCE_ONLY: &str = "<!-- 只在参考答案里";
/// The last line of such a block.
pub const REFERENCE_ONLY_END: &str = "<!-- /只在参考答案里 -->";

/// A lesson README as the students get it: every block between
/// [`REFERENCE_ONLY`] and [`REFERENCE_ONLY_END`] (markers included) left out.
pub fn for_students(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with(REFERENCE_ONLY) {
            inside = true;
        } else if t == REFERENCE_ONLY_END {
            inside = false;
        } else if !inside {
            out.push_str(line);
        }
    }
    out
}

/// The edition's README: the template with the table of exercises.
pub fn readme(root: &Path, exercised: &[String]) -> Result<String, String> {
    let template = std::fs::read_to_string(root.join(TEMPLATE))
        .map_err(|e| format!("读不了学生版 README 的模板 {TEMPLATE}: {e}"))?;
    Ok(template.replace(TABLE_MARK, &table(root, exercised)))
}

/// The table of exercises: lesson, program, file, the other end.
fn table(root: &Path, exercised: &[String]) -> String {
    let mut s = String::from("| 课 | 练习 | 文件 | 另一端 (第二个终端) |\n|---|---|---|---|\n");
    for p in progress::programs(root)
        .into_iter()
        .filter(|p| exercised.contains(&p.name))
    {
        let other = match crate::peers::find(&p.name) {
            Some(peer) => format!("`cargo grade peer {}`", peer.program),
            None => "—".to_string(),
        };
        s.push_str(&format!(
            "| {} | `{}` | `{}` | {other} |\n",
            p.lesson,
            p.name,
            p.file.to_string_lossy().replace('\\', "/")
        ));
    }
    s
}

/// Whether the workspace at `root` is a student edition: it has the list of
/// exercised programs that export writes, and no exercise folders.
pub fn is_student_edition(root: &Path) -> bool {
    root.join(crate::manifest::MANIFEST).is_file() && crate::manifest::from_folders(root).is_empty()
}

/// The one line for a command that only works in the reference.
pub fn only_in_reference(command: &str) -> String {
    format!(
        "cargo grade {command} 是老师用的, 只在参考答案里能用; 学生版里用 cargo grade progress、cargo grade <程序>、watch、hint、peer"
    )
}

/// In the student edition, takes out of `results` the tests that run a tool
/// of [`STUBBED`] (the tool's name in the test's body: its own tests and the
/// load runs against it): they cannot pass there and finishing an exercise
/// does not change that. Returns the tools and how many tests went, for one
/// line; in the reference nothing is taken out.
pub fn drop_stubbed(
    root: &Path,
    lessons: &[crate::run::Lesson],
    results: &mut Vec<crate::run::Outcome>,
) -> (Vec<String>, usize) {
    if !is_student_edition(root) {
        return (Vec::new(), 0);
    }
    let tools: Vec<String> = STUBBED
        .iter()
        .filter_map(|(p, _, _)| Some(Path::new(p).file_stem()?.to_string_lossy().to_string()))
        .collect();
    let mut gone = std::collections::BTreeSet::new();
    let mut tools_hit = std::collections::BTreeSet::new();
    for l in lessons {
        for suite in &l.suites {
            let text = std::fs::read_to_string(&suite.file).unwrap_or_default();
            for (name, body) in crate::source::test_bodies(&text) {
                let body = body.to_lowercase();
                for t in tools.iter().filter(|t| body.contains(t.as_str())) {
                    tools_hit.insert(t.clone());
                    gone.insert((l.name.clone(), suite.name.clone(), name.clone()));
                }
            }
        }
    }
    let before = results.len();
    results.retain(|o| !gone.contains(&(o.lesson.clone(), o.suite.clone(), o.name.clone())));
    let n = before - results.len();
    if n == 0 {
        return (Vec::new(), 0);
    }
    (tools_hit.into_iter().collect(), n)
}

/// The one line for the tests [`drop_stubbed`] took out.
pub fn stubbed_line(tools: &[String], n: usize) -> String {
    format!(
        "学生版里没有这个工具: {} ({n} 个用到它们的测试没有列出; 不计分, 不影响退出码)",
        tools.join("、")
    )
}

/// `cargo grade --help` in the student edition: the student's commands only.
pub const STUDENT_USAGE: &str = "\
用法 (usage):
  cargo grade progress               每个练习的进度 (按书的顺序) 和下一个练习
  cargo grade <程序>                 只评一个练习 (例如 cargo grade server; 也可以 cargo grade lesson03 server)
  cargo grade watch [程序]           保存文件就重新评分, 显示第一个没通过的测试和提示 (Ctrl-C 结束)
  cargo grade hint <程序> [步]       分层提示: 每次多显示一层 (--reset 从头再看)
  cargo grade peer <程序> [--host H] [--port P]   运行这个练习的现成对端 (第二个终端用)
  cargo grade [lesson03 …]           评一课或 (不加参数) 全部课程
  cargo grade help                   显示这段说明

选项 (options):
  --timeout S    每个测试最多 S 秒 (默认 20)
  --jobs N       同时运行 N 个测试 (默认: CPU 核数)
  -q, --quiet    只打印总分和失败的测试
  -h, --help     显示这段说明

详见 README.md 的「做练习的循环」和「命令一览」两节。
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_student_usage_names_only_the_students_commands_and_real_sections() {
        for word in ["export", "check", "mistakes", "--tests", "--in", "--json"] {
            assert!(!STUDENT_USAGE.contains(word), "{word}");
        }
        let t = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("STUDENT_README.md"),
        );
        if let Ok(t) = t {
            for section in ["## 做练习的循环", "## 命令一览"] {
                assert!(t.contains(section), "{section}");
            }
        }
    }

    #[test]
    fn reference_only_blocks_leave_the_students_readme() {
        let text = "a\n<!-- 只在参考答案里 (学生版里没有这几行) -->\n`bash bench/x.sh`\n<!-- /只在参考答案里 -->\nb\n";
        assert_eq!(for_students(text), "a\nb\n");
        assert_eq!(for_students("no markers\n"), "no markers\n");
    }

    #[test]
    fn the_stub_names_the_exercise_and_has_no_socket_call() {
        let s = stub("lessons/03_threads/src/bin/baseline_server.rs").unwrap();
        assert!(s.contains("echo_server"), "{s}");
        assert!(s.contains("std::process::exit(2)"));
        assert!(!s.contains("TcpListener") && !s.contains("accept("));
        assert!(stub("lessons/03_threads/src/bin/load.rs").is_none());
    }

    #[test]
    fn the_template_has_the_table_mark_and_no_instructor_commands() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        if is_student_edition(root) {
            return; // the edition has its README, not the template
        }
        let t = std::fs::read_to_string(root.join(TEMPLATE)).unwrap();
        assert!(t.contains(TABLE_MARK));
        for word in [
            "cargo grade mistakes",
            "cargo grade check",
            "cargo grade export",
            ".ci/",
            "bench/",
            "老师: 如何评分",
        ] {
            assert!(!t.contains(word), "{word}");
        }
        let r = readme(root, &["server".to_string(), "tcp_server".to_string()]).unwrap();
        assert!(
            r.contains("| lesson03 | `server` | `lessons/03_threads/src/bin/server.rs` |"),
            "{r}"
        );
        assert!(!r.contains("`client`"));
    }
}
