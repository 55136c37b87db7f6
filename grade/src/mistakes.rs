//! `cargo grade mistakes`: the catalogue of typical student mistakes.
//!
//! Each mistake is one file `grade/mistakes/NN_name.txt`:
//!
//! ```text
//! about: 一行中文: 学生会怎样写错
//! lesson: lesson03
//! test: two_clients_at_once_the_second_is_welcomed_while_the_first_is_connected
//! file: lessons/03_threads/src/bin/server.rs
//! <<<<<<< search
//! (lines of the reference, exactly as they are)
//! =======
//! (the same place, written wrong)
//! >>>>>>> replace
//! ```
//!
//! A file may hold several search/replace blocks (all in `file`). A mistake no
//! behaviour test can see has `test: -` and a `why:` line instead of blocks.
//!
//! The runner copies the workspace to `target/grade-mistakes/ws` once; for each
//! mistake it applies the edit, grades that lesson (`--timeout 30`), checks the
//! named test did not pass, and puts the file back.

use crate::run::{self, Options, Status};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// One entry of the catalogue.
#[derive(Debug, Default)]
pub struct Mistake {
    pub id: String,
    pub about: String,
    pub lesson: String,
    pub test: String,
    pub file: String,
    pub why: String,
    pub edits: Vec<(String, String)>,
}

/// Parses one catalogue file.
pub fn parse(id: &str, text: &str) -> Result<Mistake, String> {
    let mut m = Mistake {
        id: id.to_string(),
        ..Mistake::default()
    };
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line == "<<<<<<< search" {
            let mut search = Vec::new();
            let mut replace = Vec::new();
            let mut in_replace = false;
            loop {
                let Some(l) = lines.next() else {
                    return Err(format!("{id}: 缺少 >>>>>>> replace"));
                };
                match l {
                    "=======" if !in_replace => in_replace = true,
                    ">>>>>>> replace" if in_replace => break,
                    _ if in_replace => replace.push(l),
                    _ => search.push(l),
                }
            }
            let join = |v: Vec<&str>| {
                if v.is_empty() {
                    String::new()
                } else {
                    v.join("\n") + "\n"
                }
            };
            m.edits.push((join(search), join(replace)));
        } else if let Some((k, v)) = line.split_once(": ") {
            let v = v.trim().to_string();
            match k {
                "about" => m.about = v,
                "lesson" => m.lesson = v,
                "test" => m.test = v,
                "file" => m.file = v,
                "why" => m.why = v,
                _ => {}
            }
        }
    }
    if m.about.is_empty() || m.lesson.is_empty() || m.test.is_empty() {
        return Err(format!("{id}: about/lesson/test 不能缺"));
    }
    if m.test == "-" {
        if m.why.is_empty() {
            return Err(format!(
                "{id}: test: - 的错误要有 why: 说明为什么没有测试能看到"
            ));
        }
    } else if m.file.is_empty() || m.edits.is_empty() {
        return Err(format!("{id}: 要有 file: 和至少一个 search/replace 块"));
    }
    Ok(m)
}

/// The catalogue, sorted by file name.
pub fn catalogue(root: &Path) -> Result<Vec<Mistake>, String> {
    let dir = root.join("grade").join("mistakes");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e} (学生版里没有错误目录)", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let id = p
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            parse(&id, &text)
        })
        .collect()
}

/// Applies the edits of `m` to `text`; each search must occur exactly once.
pub fn apply(m: &Mistake, text: &str) -> Result<String, String> {
    let mut out = text.to_string();
    for (search, replace) in &m.edits {
        // A one-line block may be part of a line: then it is matched without
        // its line end.
        let (search, replace) = if search.lines().count() == 1 {
            (
                search.trim_end_matches('\n'),
                replace.trim_end_matches('\n'),
            )
        } else {
            (search.as_str(), replace.as_str())
        };
        match out.matches(search).count() {
            1 => out = out.replacen(search, replace, 1),
            0 => {
                return Err(format!(
                    "{}: 在 {} 里找不到要替换的行 (参考答案改过了? 更新目录):\n{search}",
                    m.id, m.file
                ))
            }
            n => return Err(format!("{}: 要替换的行在 {} 里出现了 {n} 次", m.id, m.file)),
        }
    }
    Ok(out)
}

/// A scratch copy of the workspace's files (the same list `export` copies).
fn copy_workspace(root: &Path, dest: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dest);
    for rel in crate::export::workspace_files(root) {
        let to = dest.join(&rel);
        if let Some(d) = to.parent() {
            std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
        }
        std::fs::copy(root.join(&rel), &to).map_err(|e| format!("{}: {e}", rel.display()))?;
    }
    Ok(())
}

/// Runs the catalogue (or the entries named in `names`).
pub fn run(root: &Path, names: &[String], opts: &Options) -> Result<ExitCode, String> {
    let all = catalogue(root)?;
    let chosen: Vec<&Mistake> = all
        .iter()
        .filter(|m| names.is_empty() || names.iter().any(|n| m.id.contains(n.as_str())))
        .collect();
    let scratch = root.join("target").join("grade-mistakes");
    let ws = scratch.join("ws");
    copy_workspace(root, &ws)?;
    let opts = Options {
        timeout: Duration::from_secs(30),
        target_dir: Some(scratch.join("target")),
        show_build: false,
        ..opts.clone()
    };
    let lessons = run::lessons(&ws);
    let mut bad = Vec::new();
    let mut caught = 0;
    let mut unseen = 0;
    for m in chosen {
        if m.test == "-" {
            println!("--  {}: {} (没有测试能看到: {})", m.id, m.about, m.why);
            unseen += 1;
            continue;
        }
        let Some(lesson) = lessons.iter().find(|l| l.name == m.lesson) else {
            bad.push(format!("{}: 没有这一课 {}", m.id, m.lesson));
            continue;
        };
        let path = ws.join(&m.file);
        let original = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", m.file))?;
        let edited = match apply(m, &original) {
            Ok(t) => t,
            Err(e) => {
                println!("??  {}", e.lines().next().unwrap_or(""));
                bad.push(e);
                continue;
            }
        };
        std::fs::write(&path, edited).map_err(|e| format!("{}: {e}", m.file))?;
        let start = Instant::now();
        let results = run::grade(&ws, std::slice::from_ref(lesson), &opts);
        let took = start.elapsed().as_secs_f64();
        std::fs::write(&path, original).map_err(|e| format!("{}: {e}", m.file))?;
        let named = results.iter().find(|o| o.name == m.test);
        let verdict = match named {
            None if results.iter().any(|o| o.status == Status::NotBuilt) => {
                Err("改过的代码编译不了 (目录里的错误必须能编译)".to_string())
            }
            None => Err(format!("没有测试叫 {} (还没写?)", m.test)),
            Some(o) if o.status == Status::Passed => Err(format!("{} 通过了: 没抓到", m.test)),
            Some(o) if o.seconds > 30.0 => Err(format!("{} 用了 {:.0} 秒", m.test, o.seconds)),
            Some(o) => Ok(o),
        };
        match verdict {
            Ok(o) => {
                caught += 1;
                println!(
                    "ok  {}: {} → {} {} ({:.1} 秒; 本课 {:.1} 秒)",
                    m.id,
                    m.about,
                    m.test,
                    o.status.chinese(),
                    o.seconds,
                    took
                );
            }
            Err(e) => {
                println!("NO  {}: {} → {e}", m.id, m.about);
                bad.push(format!("{}: {e}", m.id));
            }
        }
    }
    println!();
    println!(
        "错误目录: {caught} 个被指定的测试抓到, {unseen} 个没有测试能看到 (已说明原因), {} 个有问题",
        bad.len()
    );
    for b in &bad {
        println!("  {b}");
    }
    Ok(if bad.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_applies_a_mistake() {
        let text = "about: 少了循环\nlesson: lesson03\ntest: t\nfile: f.rs\n<<<<<<< search\n    loop {\n        a();\n=======\n    {\n        a();\n>>>>>>> replace\n";
        let m = parse("01_x", text).unwrap();
        assert_eq!(m.edits.len(), 1);
        let out = apply(&m, "fn main() {\n    loop {\n        a();\n    }\n}\n").unwrap();
        assert_eq!(out, "fn main() {\n    {\n        a();\n    }\n}\n");
        assert!(apply(&m, "nothing").is_err());
    }
}
