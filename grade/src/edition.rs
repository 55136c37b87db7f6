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

#[cfg(test)]
mod tests {
    use super::*;

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
