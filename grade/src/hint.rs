//! `cargo grade hint <program> [step]`: the longer hints of
//! `grade/hints/<program>.txt` (format in `grade/hints/README.md`), one level
//! at a time. The `todo!` text is level 0; each call shows the next level not
//! yet seen of one step (by default the first step whose `todo!` is still in
//! the program's file). What was seen is kept in
//! `target/grade-hints/<program>.txt`, one `step level` a line.

use crate::progress;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// One `## 第 N 步` section: its step label (`5`, `1、2`) and its levels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub step: String,
    pub levels: Vec<String>,
}

/// The step label of a `第 N 步` phrase: what lies between 第 and 步, without
/// spaces (`第 1、2 步` → `1、2`).
pub fn step_label(s: &str) -> Option<String> {
    let after = s.split_once('第')?.1;
    let (label, _) = after.split_once('步')?;
    let label: String = label.chars().filter(|c| !c.is_whitespace()).collect();
    (!label.is_empty() && label.chars().count() <= 12).then_some(label)
}

/// Parses a hints file.
pub fn parse(text: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    let mut current = String::new();
    let flush = |out: &mut Vec<Section>, current: &mut String| {
        if let Some(s) = out.last_mut() {
            let level = current.trim().to_string();
            if !level.is_empty() {
                s.levels.push(level);
            }
        }
        current.clear();
    };
    for line in text.lines() {
        let t = line.trim_end();
        if let Some(head) = t.strip_prefix("## ") {
            flush(&mut out, &mut current);
            out.push(Section {
                step: step_label(head).unwrap_or_else(|| head.trim().to_string()),
                levels: Vec::new(),
            });
        } else if t.starts_with('#') && !t.starts_with("##") {
            // A comment line.
        } else if t.trim() == "---" {
            flush(&mut out, &mut current);
        } else if !out.is_empty() {
            current.push_str(line);
            current.push('\n');
        }
    }
    flush(&mut out, &mut current);
    out
}

/// The byte offsets of each `todo!(` of `text` in code (not in a `//` comment,
/// where a doc comment may mention `todo!(..)`).
pub fn code_todos(text: &str) -> Vec<usize> {
    text.match_indices("todo!(")
        .map(|(i, _)| i)
        .filter(|&i| {
            let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
            !text[line_start..i].contains("//")
        })
        .collect()
}

/// The steps of the `todo!("第 N 步: …")` still in `text`, in file order.
pub fn todo_steps(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in code_todos(text) {
        // The text may start on the next line (rustfmt): look at its start.
        let head: String = text[i + 6..].trim_start().chars().take(40).collect();
        if let Some(label) = step_label(&head) {
            if !out.contains(&label) {
                out.push(label);
            }
        }
    }
    out
}

fn seen_file(root: &Path, program: &str) -> PathBuf {
    root.join("target")
        .join("grade-hints")
        .join(format!("{program}.txt"))
}

fn read_seen(path: &Path) -> Vec<(String, usize)> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let (s, n) = l.rsplit_once(' ')?;
            Some((s.to_string(), n.parse().ok()?))
        })
        .collect()
}

/// `cargo grade hint <program> [step] [--reset]`.
pub fn run(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let mut program = None;
    let mut step = None;
    let mut reset = false;
    for a in args {
        match a.as_str() {
            "--reset" => reset = true,
            "-h" | "--help" => {
                println!(
                    "用法: cargo grade hint <程序> [步]   一次多显示一层提示 (--reset: 从头再看)"
                );
                return Ok(ExitCode::SUCCESS);
            }
            s if s.starts_with('-') => return Err(format!("hint: 不认识的选项 {s}")),
            s if program.is_none() => program = Some(s.to_string()),
            s if step.is_none() => {
                step = Some(step_label(&format!("第{s}步")).unwrap_or_else(|| s.to_string()))
            }
            s => return Err(format!("hint 最多要一个程序和一个步骤, 多了 {s}")),
        }
    }
    let Some(program) = program else {
        return Err("hint 要一个程序名: cargo grade hint <程序> [步]".into());
    };
    let hints_path = root
        .join("grade")
        .join("hints")
        .join(format!("{program}.txt"));
    let text = std::fs::read_to_string(&hints_path).map_err(|_| {
        format!("{program} 没有分层提示 (grade/hints/{program}.txt 不存在); 练习里 todo! 的文字就是提示")
    })?;
    let sections = parse(&text);
    let seen_path = seen_file(root, &program);
    if reset {
        let _ = std::fs::remove_file(&seen_path);
        println!("{program}: 看过的提示已清空");
        if step.is_none() {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let file = progress::programs(root)
        .into_iter()
        .find(|p| p.name == program)
        .map(|p| root.join(p.file));
    let open = file
        .as_ref()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .map(|t| todo_steps(&t))
        .unwrap_or_default();
    let step = match step {
        Some(s) => s,
        None => match open.iter().find(|s| sections.iter().any(|x| &x.step == *s)) {
            Some(s) => s.clone(),
            None if open.is_empty() => {
                let steps: Vec<&str> = sections.iter().map(|s| s.step.as_str()).collect();
                println!(
                    "{program} 的文件里已经没有 todo! 了。要看某一步的提示: cargo grade hint {program} <步> (有: {})",
                    steps.join(" ")
                );
                return Ok(ExitCode::SUCCESS);
            }
            None => {
                return Err(format!(
                    "{program} 还没完成的步骤 ({}) 在 grade/hints/{program}.txt 里都没有提示",
                    open.join(" ")
                ))
            }
        },
    };
    let Some(section) = sections.iter().find(|s| s.step == step) else {
        let steps: Vec<&str> = sections.iter().map(|s| s.step.as_str()).collect();
        return Err(format!(
            "{program} 没有第 {step} 步的提示 (有: {})",
            steps.join(" ")
        ));
    };
    if section.levels.is_empty() {
        return Err(format!("grade/hints/{program}.txt 的第 {step} 步是空的"));
    }
    let mut seen = read_seen(&seen_path);
    let before = seen.iter().find(|(s, _)| *s == step).map_or(0, |(_, n)| *n);
    let total = section.levels.len();
    let level = (before + 1).min(total);
    println!("{program} · 第 {step} 步 · 提示 {level}/{total}:");
    println!();
    for l in section.levels[level - 1].lines() {
        println!("  {l}");
    }
    println!();
    if before >= total {
        println!("(这已经是最后一层了; 从头再看: cargo grade hint {program} --reset)");
    } else if level == total {
        println!("(这是最后一层提示)");
    } else {
        println!(
            "(还有 {} 层; 再运行一次 cargo grade hint {program} {step} 看下一层)",
            total - level
        );
    }
    seen.retain(|(s, _)| *s != step);
    seen.push((step, level));
    if let Some(dir) = seen_path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let text: String = seen.iter().map(|(s, n)| format!("{s} {n}\n")).collect();
    let _ = std::fs::write(&seen_path, text);
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HINTS: &str = "# 注释\n## 第 1、2 步\n容易错的地方。\n---\n原文做了什么。\n两行。\n---\nRust 的不同。\n## 第 3 步\n只有一层\n";

    #[test]
    fn parses_sections_and_levels() {
        let s = parse(HINTS);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].step, "1、2");
        assert_eq!(
            s[0].levels,
            ["容易错的地方。", "原文做了什么。\n两行。", "Rust 的不同。"]
        );
        assert_eq!(s[1].step, "3");
        assert_eq!(s[1].levels.len(), 1);
    }

    #[test]
    fn todo_steps_in_file_order() {
        let f = "//! 把每个 `todo!(..)` 换掉\nlet s = todo!(\"第 1、2 步: 用 TcpListener::bind\");\ntodo!(\"第 3 步: x\");\ntodo!(\"第 3 步 (续): y\");\nlet x = todo!(\n    \"第 4 步: z\"\n);\n";
        assert_eq!(todo_steps(f), ["1、2", "3", "4"]);
        assert_eq!(step_label("第 1-3 步: …").as_deref(), Some("1-3"));
    }

    #[test]
    fn shows_one_level_more_each_time_and_says_when_it_is_the_last() {
        let root = std::env::temp_dir().join(format!("grade-hint-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("grade/hints")).unwrap();
        std::fs::write(root.join("grade/hints/p.txt"), HINTS).unwrap();
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        for _ in 0..4 {
            run(&root, &args(&["p", "1、2"])).unwrap();
        }
        let seen = read_seen(&seen_file(&root, "p"));
        assert_eq!(seen, [("1、2".to_string(), 3)]);
        run(&root, &args(&["p", "3"])).unwrap();
        assert_eq!(read_seen(&seen_file(&root, "p")).len(), 2);
        assert!(run(&root, &args(&["p", "9"])).is_err());
        assert!(run(&root, &args(&["q"])).is_err());
        run(&root, &args(&["p", "--reset"])).unwrap();
        assert!(read_seen(&seen_file(&root, "p")).is_empty());
        let _ = std::fs::remove_dir_all(&root);
    }
}
