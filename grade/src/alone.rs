//! `cargo grade check --alone [program…]`: each exercise can be finished and
//! graded alone. For each exercise (or those named), in a fresh student
//! edition (`target/grade-check/alone`), put the reference's version of that
//! one program in place, grade that program's tests, and expect all its
//! points, with every other exercise left untouched; then put the exercise
//! back. Slow (a build of the lesson per exercise), so not part of the
//! plain `check`.

use crate::export;
use crate::manifest;
use crate::progress;
use crate::run::{self, Options, Status};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

pub fn run(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let wanted: BTreeSet<String> = args
        .iter()
        .filter(|a| !a.starts_with('-') && *a != "check")
        .cloned()
        .collect();
    let exercised: BTreeSet<String> = manifest::from_folders(root)
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    if exercised.is_empty() {
        return Err("这里没有练习 (lessons/*/exercises/): --alone 要在参考答案里运行".into());
    }
    if let Some(p) = wanted.iter().find(|p| !exercised.contains(*p)) {
        return Err(format!("{p} 不是有练习的程序"));
    }
    let scratch = root.join("target").join("grade-check");
    let edition = scratch.join("alone");
    let _ = std::fs::remove_dir_all(&edition);
    export::export(root, &edition)?;
    let opts = Options {
        timeout: Duration::from_secs(20),
        jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
        target_dir: Some(scratch.join("alone-target")),
        rustflags: None,
        show_build: false,
    };
    let mut failed = Vec::new();
    let programs: Vec<progress::Program> = progress::programs(root)
        .into_iter()
        .filter(|p| exercised.contains(&p.name))
        .filter(|p| wanted.is_empty() || wanted.contains(&p.name))
        .collect();
    for p in &programs {
        let file = edition.join(&p.file);
        let handed_out = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        std::fs::copy(root.join(&p.file), &file).map_err(|e| format!("{}: {e}", file.display()))?;
        let lessons: Vec<run::Lesson> = run::lessons(&edition)
            .into_iter()
            .filter(|l| l.name == p.lesson)
            .collect();
        let mut results = run::grade_where(&edition, &lessons, &opts, &|s| {
            s.program.as_deref() == Some(p.name.as_str())
        });
        run::mark_exercises(&mut results, Some(&exercised));
        std::fs::write(&file, handed_out).map_err(|e| format!("{}: {e}", file.display()))?;
        let tests = results.len();
        let passed = results
            .iter()
            .filter(|o| o.status == Status::Passed)
            .count();
        let ok = tests > 0 && passed == tests;
        println!(
            "{} {:<18} {passed}/{tests}{}",
            if ok { "✓" } else { "✗" },
            p.name,
            if ok {
                ""
            } else {
                "  ← 只完成这一个练习拿不到全部分数"
            }
        );
        if !ok {
            for o in results.iter().filter(|o| o.status != Status::Passed) {
                let first = o.message.lines().next().unwrap_or("");
                println!("    {} ({}): {first}", o.name, o.status.chinese());
            }
            failed.push(p.name.clone());
        }
    }
    if failed.is_empty() {
        println!(
            "--alone 通过: {} 个练习, 每个单独完成 (其余练习原样) 都拿到它的全部分数",
            programs.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "--alone 失败: {} 个练习单独完成拿不到全部分数: {}",
            failed.len(),
            failed.join(" ")
        );
        Ok(ExitCode::FAILURE)
    }
}
