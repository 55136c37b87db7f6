//! `cargo grade export DIR` (the student edition), `--tests DIR` (the
//! instructor's pristine tests) and `cargo grade check` (exercises score 0, the
//! reference scores 100%).

use crate::manifest;
use crate::run::{self, Options, Status};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// What an export wrote.
pub struct ExportReport {
    /// Each exercise: (path of the binary it replaced, relative to the root).
    pub exercises: Vec<PathBuf>,
    /// Files that are not exercises and share a line with a replaced step (a
    /// tool beyond the text, handed out whole on purpose, or a lesson's lib).
    pub shared: BTreeSet<PathBuf>,
    /// Statements one exercise blanks and another keeps.
    pub warnings: Vec<String>,
}

/// Files of the workspace: git's tracked and unignored files when git can
/// list them, else a walk that skips `.git` and `target`.
pub fn workspace_files(root: &Path) -> Vec<PathBuf> {
    let git = Command::new("git")
        .current_dir(root)
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output();
    if let Ok(o) = git {
        if o.status.success() {
            let mut files: Vec<PathBuf> = String::from_utf8_lossy(&o.stdout)
                .split('\0')
                .filter(|s| !s.is_empty())
                .map(PathBuf::from)
                .filter(|p| root.join(p).is_file())
                .collect();
            files.sort();
            files.dedup();
            return files;
        }
    }
    let mut files = Vec::new();
    walk(root, Path::new(""), &mut files);
    files.sort();
    files
}

fn walk(root: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        if name == ".git" || name == "target" {
            continue;
        }
        let rel = rel.join(&name);
        match e.file_type() {
            Ok(t) if t.is_dir() => walk(root, &rel, out),
            Ok(t) if t.is_file() => out.push(rel),
            _ => {}
        }
    }
}

/// Whether a workspace file stays out of the student edition: the exercises
/// (they take the binaries' place), the mistake catalogue (it holds reference
/// lines) and CI (it runs `cargo grade check`, which needs the reference).
fn left_out(rel: &Path) -> bool {
    let s = rel.to_string_lossy().replace('\\', "/");
    s.contains("/exercises/")
        || s.starts_with("grade/mistakes")
        || s.starts_with(".ci/")
        || crate::edition::left_out(&s)
}

/// `lessons/NN_x/exercises/BIN.rs` → `lessons/NN_x/src/bin/BIN.rs`.
fn exercise_target(rel: &Path) -> Option<PathBuf> {
    let s = rel.to_string_lossy().replace('\\', "/");
    let (lesson, file) = s.split_once("/exercises/")?;
    if !lesson.starts_with("lessons/") || file.contains('/') || !file.ends_with(".rs") {
        return None;
    }
    Some(PathBuf::from(format!("{lesson}/src/bin/{file}")))
}

/// The exercises of the workspace: exercise path → the binary it replaces.
pub fn exercises(root: &Path) -> BTreeMap<PathBuf, PathBuf> {
    workspace_files(root)
        .into_iter()
        .filter_map(|f| exercise_target(&f).map(|t| (f, t)))
        .collect()
}

/// The statements of a Rust file: trimmed lines, with rustfmt's continuation
/// lines (`.method(..)`, `?`, `)`, and lines after an open `(`, `,` or `=`)
/// joined to the line they continue. Comment lines are left out.
pub fn statements(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        let continues = line.starts_with('.') || line.starts_with('?') || line.starts_with(')');
        match out.last_mut() {
            Some(last) if continues => last.push_str(line),
            Some(last) if open => {
                last.push(' ');
                last.push_str(line);
            }
            _ => out.push(line.to_string()),
        }
        open = line.ends_with('(') || line.ends_with(',') || line.ends_with('=');
    }
    out
}

/// The statements of a reference binary that its exercise replaced: at least
/// 12 characters, not in the exercise.
fn replaced_lines(reference: &str, exercise: &str) -> BTreeSet<String> {
    let kept: BTreeSet<String> = statements(exercise).into_iter().collect();
    statements(reference)
        .into_iter()
        .filter(|l| l.chars().count() >= 12 && !kept.contains(l))
        .collect()
}

/// The exercised programs' names.
fn programs_of(exercises: &BTreeMap<PathBuf, PathBuf>) -> Vec<String> {
    exercises
        .values()
        .filter_map(|b| Some(b.file_stem()?.to_string_lossy().to_string()))
        .collect()
}

/// Writes the student edition of `root` into `dest` (which must be new or empty).
pub fn export(root: &Path, dest: &Path) -> Result<ExportReport, String> {
    if dest.exists()
        && std::fs::read_dir(dest)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(format!("{} 已经存在且不是空的: 换一个目录", dest.display()));
    }
    let exercises = exercises(root);
    if exercises.is_empty() {
        return Err("工作区里没有练习 (lessons/*/exercises/*.rs): 这已经是学生版了吗?".into());
    }
    let replaced: BTreeMap<&PathBuf, &PathBuf> = exercises.iter().map(|(e, b)| (b, e)).collect();
    for (ex, bin) in &exercises {
        if !root.join(bin).is_file() {
            return Err(format!(
                "练习 {} 没有对应的参考程序 {}",
                ex.display(),
                bin.display()
            ));
        }
    }
    for rel in workspace_files(root) {
        if left_out(&rel) {
            continue;
        }
        let from = match replaced.get(&rel) {
            Some(ex) => root.join(ex),
            None => root.join(&rel),
        };
        let to = dest.join(&rel);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("建不了 {}: {e}", dir.display()))?;
        }
        let rel_name = rel.to_string_lossy().replace('\\', "/");
        if rel == Path::new("README.md") {
            // The students' own README (grade/STUDENT_README.md), not the instructor's.
            std::fs::write(&to, crate::edition::readme(root, &programs_of(&exercises))?)
        } else if rel_name.starts_with("lessons/") && rel_name.ends_with("/README.md") {
            // Without the blocks only the reference keeps (the bench/ commands).
            std::fs::read_to_string(&from)
                .and_then(|t| std::fs::write(&to, crate::edition::for_students(&t)))
        } else if let Some(stub) = crate::edition::stub(&rel_name) {
            // A tool that repeats an exercise's answer.
            std::fs::write(&to, stub)
        } else {
            std::fs::copy(&from, &to).map(|_| ())
        }
        .map_err(|e| format!("复制 {} 失败: {e}", rel.display()))?;
    }
    // The list of exercised programs: in the edition the exercises are the
    // binaries, so the grader reads from here which tests count.
    let programs: Vec<(String, PathBuf)> = exercises
        .values()
        .filter_map(|bin| Some((bin.file_stem()?.to_string_lossy().to_string(), bin.clone())))
        .collect();
    let list = dest.join(manifest::MANIFEST);
    if let Some(dir) = list.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("建不了 {}: {e}", dir.display()))?;
    }
    std::fs::write(&list, manifest::render(&programs))
        .map_err(|e| format!("写不了 {}: {e}", list.display()))?;
    // How many todo!s each exercise is handed out with (`cargo grade progress`: 未开始).
    let counts: Vec<(String, usize)> = exercises
        .iter()
        .filter_map(|(ex, bin)| {
            let text = std::fs::read_to_string(root.join(ex)).ok()?;
            let name = bin.file_stem()?.to_string_lossy().to_string();
            Some((name, crate::progress::todo_count(&text)))
        })
        .collect();
    let handed = dest.join(crate::progress::HANDED_OUT);
    std::fs::write(&handed, crate::progress::render_handed_out(&counts))
        .map_err(|e| format!("写不了 {}: {e}", handed.display()))?;
    // The check: no line that an exercise replaced appears anywhere in the
    // edition, except where the same file of the reference has it too (a tool
    // beyond the text that shares a line; it is handed out whole on purpose).
    let mut leaks = Vec::new();
    let mut warnings = Vec::new();
    let mut shared = BTreeSet::new();
    let edition: Vec<(PathBuf, String, BTreeSet<String>)> = workspace_files_walk(dest)
        .into_iter()
        .filter_map(|rel| {
            let text = std::fs::read_to_string(dest.join(&rel)).ok()?;
            let stmts = statements(&text).into_iter().collect();
            Some((rel, text, stmts))
        })
        .collect();
    for (ex, bin) in &exercises {
        let reference = std::fs::read_to_string(root.join(bin)).unwrap_or_default();
        let exercise = std::fs::read_to_string(root.join(ex)).unwrap_or_default();
        for line in replaced_lines(&reference, &exercise) {
            for (rel, text, stmts) in &edition {
                if !stmts.contains(&line) && !text.contains(&line) {
                    continue;
                }
                let is_rust = rel.extension().is_some_and(|x| x == "rs");
                if rel == bin || !is_rust {
                    // The exercise itself (a hint quoting the whole statement), or
                    // a README or other text quoting it: the answer is handed out.
                    leaks.push(format!(
                        "{}: 参考答案 {} 被挖掉的一句出现在学生版里: {line}",
                        rel.display(),
                        bin.display()
                    ));
                } else if line.chars().count() < 30 || !line.contains('(') {
                    // Short structure (`Ok(pair) => pair, Err(e) => {`, `accept_failed(&e);`)
                    // shared by many programs gives nothing away.
                    continue;
                } else if replaced.contains_key(rel) {
                    // Another exercise keeps, as plumbing, what this one blanks.
                    warnings.push(format!(
                        "{} 保留了 {} 挖掉的一句 (两个练习对它是不是一步看法不同): {line}",
                        rel.display(),
                        bin.display()
                    ));
                } else {
                    // A tool beyond the text or a lesson's lib, handed out whole.
                    shared.insert(rel.clone());
                }
            }
        }
    }
    if !leaks.is_empty() {
        return Err(format!("学生版里有参考答案:\n{}", leaks.join("\n")));
    }
    // GitHub Classroom's workflow and the checksums it checks (issue 19).
    crate::platforms::classroom_files(dest)?;
    Ok(ExportReport {
        exercises: exercises.values().cloned().collect(),
        shared,
        warnings,
    })
}

pub fn workspace_files_walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    walk(dir, Path::new(""), &mut files);
    files
}

/// The files of two `tests/` folders that differ: each as `tests/REL` with
/// what the graded one did to it (改过 changed, 多出 added, 缺少 missing).
/// Line ends do not count (a checkout on Windows may have CRLF).
pub fn tests_diff(pristine: &Path, graded: &Path) -> Vec<(String, &'static str)> {
    let files = |dir: &Path| {
        let mut v = Vec::new();
        walk(dir, Path::new(""), &mut v);
        v.into_iter().collect::<BTreeSet<PathBuf>>()
    };
    let read =
        |p: &Path| std::fs::read(p).map(|b| String::from_utf8_lossy(&b).replace("\r\n", "\n"));
    let ours = files(pristine);
    let theirs = files(graded);
    let name = |rel: &Path| format!("tests/{}", rel.to_string_lossy().replace('\\', "/"));
    let mut out = Vec::new();
    for rel in ours.union(&theirs) {
        let how = match (ours.contains(rel), theirs.contains(rel)) {
            (true, true) => match (read(&pristine.join(rel)), read(&graded.join(rel))) {
                (Ok(a), Ok(b)) if a == b => continue,
                _ => "改过",
            },
            (true, false) => "缺少",
            _ => "多出",
        };
        out.push((name(rel), how));
    }
    out
}

/// Replaces `root/tests` by a copy of `src` (the instructor's pristine tests),
/// and checks that each lesson still takes its tests from there. Returns the
/// files of the submission's tests that differ from the pristine ones (and
/// says which, so that an edited test is visible to the instructor).
pub fn put_tests_in_place(src: &Path, root: &Path) -> Result<Vec<(String, &'static str)>, String> {
    let src = src
        .canonicalize()
        .map_err(|e| format!("--tests {}: {e}", src.display()))?;
    let dest = root.join("tests");
    for l in run::lessons(root) {
        for suite in &l.suites {
            // Each suite must still come from a file directly in tests/, so that
            // replacing tests/ replaces what is run.
            let dir = suite
                .file
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let same = match (dir.canonicalize(), dest.canonicalize()) {
                (Ok(a), Ok(b)) => a == b,
                _ => dir == dest,
            };
            if !same {
                return Err(format!(
                    "{} 的测试 {} 不在 {} 里 (而是 {}): Cargo.toml 被改过, 这样评分不算数",
                    l.name,
                    suite.name,
                    dest.display(),
                    suite.file.display()
                ));
            }
        }
    }
    if dest.canonicalize().ok().as_deref() == Some(src.as_path()) {
        return Ok(Vec::new());
    }
    if !src.join("common").is_dir() {
        return Err(format!(
            "--tests {}: 这里没有 common/ (不是 tests 目录?)",
            src.display()
        ));
    }
    let changed = tests_diff(&src, &dest);
    if changed.is_empty() {
        println!("被评分的 tests/ 和 {} 里的原版一致", src.display());
    } else {
        println!(
            "注意: 被评分的 tests/ 和 {} 里的原版不同 ({} 个文件), 评分前换回原版, 这些改动不算数:",
            src.display(),
            changed.len()
        );
        for (path, how) in &changed {
            println!("  {how}: {path}");
        }
    }
    let _ = std::fs::remove_dir_all(&dest);
    let mut files = Vec::new();
    walk(&src, Path::new(""), &mut files);
    for rel in files {
        let to = dest.join(&rel);
        if let Some(d) = to.parent() {
            std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
        }
        std::fs::copy(src.join(&rel), &to).map_err(|e| format!("{}: {e}", to.display()))?;
    }
    println!("已用 {} 里的原版测试替换 tests/", src.display());
    Ok(changed)
}

/// `cargo grade check`: export to a scratch folder, build it with warnings
/// denied, grade it (every test of an exercised program fails), check every
/// test has a hint guard, and grade the reference (everything passes).
pub fn check(root: &Path, opts: &Options) -> Result<ExitCode, String> {
    let scratch = root.join("target").join("grade-check");
    let edition = scratch.join("edition");
    let _ = std::fs::remove_dir_all(&edition);
    let report = export(root, &edition)?;
    println!(
        "学生版: {} 个练习 (写在 {})",
        report.exercises.len(),
        edition.display()
    );
    for w in &report.warnings {
        println!("注意: {w}");
    }
    if !report.shared.is_empty() {
        let names: Vec<String> = report
            .shared
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        println!(
            "注意: 这些不是练习的文件和某个练习被挖掉的行有相同的行 (原文以外的工具或课程的 lib, 整个发给学生): {}",
            names.join(" ")
        );
    }
    let exercised: BTreeSet<String> = report
        .exercises
        .iter()
        .filter_map(|b| b.file_stem().map(|s| s.to_string_lossy().to_string()))
        .collect();
    let mut errors = Vec::new();
    // The static checks: drift, hints that give code away, the edition's prose
    // and blanked statements anywhere in it (see drift.rs).
    let pairs = crate::drift::pairs(root);
    errors.extend(crate::drift::reference_errors(root, &pairs));
    let total = crate::drift::static_total(root, &report);
    errors.extend(crate::drift::edition_errors(root, &edition, &pairs, total));
    errors.extend(crate::drift::edition_bench_errors(&edition));
    // What `cargo grade` reads in the reference must be what export handed out.
    let folders: BTreeSet<String> = manifest::from_folders(root)
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    if folders != exercised {
        errors.push(format!(
            "lessons/*/exercises/ ({folders:?}) 和导出的练习 ({exercised:?}) 不同 (有没有加进 git 的练习?)"
        ));
    }

    let lessons = run::lessons(root);
    // A hint guard names a binary, or a package for a test of plumbing
    // (`support`, `lesson04` for a lib test): never exercised.
    let mut programs: BTreeSet<String> = lessons.iter().map(|l| l.name.clone()).collect();
    programs.insert("support".into());
    let bins: BTreeSet<String> = lessons
        .iter()
        .flat_map(|l| {
            std::fs::read_dir(l.dir.join("src").join("bin"))
                .into_iter()
                .flatten()
        })
        .flatten()
        .filter_map(|e| {
            let p = e.path();
            let stem = p.file_stem()?.to_string_lossy().to_string();
            Some(stem)
        })
        .collect();
    for (l, suite) in lessons
        .iter()
        .flat_map(|l| l.suites.iter().map(move |t| (l, t)))
    {
        for (name, s) in run::sources(suite) {
            match &s.program {
                None => errors.push(format!(
                    "{}::{name}: 没有提示守卫 (let _hint = common::hint(\"程序\", \"提示\");)",
                    l.name
                )),
                Some(p) if !known_guard(p, &bins, &programs) => errors.push(format!(
                    "{}::{name}: 提示守卫里的程序 {p:?} 不是工作区里的程序 (src/bin/{p}.rs) 或包, \
                     也不是 \"pairing\" (两个程序配对的测试, 不计分)",
                    l.name
                )),
                Some(_) => {}
            }
        }
    }

    println!("构建并评分学生版 (RUSTFLAGS=-D warnings) …");
    let student_opts = Options {
        target_dir: Some(scratch.join("target")),
        rustflags: Some("-D warnings".into()),
        ..opts.clone()
    };
    let mut student = run::grade(&edition, &run::lessons(&edition), &student_opts);
    // The edition's list of exercised programs (written by export) is what
    // `cargo grade` reads there: it must be the reference's.
    match manifest::exercised(&edition) {
        Some((set, manifest::Origin::Manifest(_))) if set == exercised => {}
        Some((set, origin)) => errors.push(format!(
            "学生版的练习清单 ({}) 和参考答案的练习不同: {set:?} ≠ {exercised:?}",
            origin.describe()
        )),
        None => errors.push(format!("学生版里没有 {}", manifest::MANIFEST)),
    }
    run::mark_exercises(&mut student, Some(&exercised));
    let mut warned = Vec::new();
    for o in &student {
        let id = format!("{}::{}", o.lesson, o.name);
        let program = o.program.as_deref().unwrap_or("?");
        match o.status {
            Status::NotBuilt => errors.push(format!(
                "{id}: 学生版编译失败 (或有警告): {}",
                first_line(&o.message)
            )),
            Status::Failed if o.program.is_some() && !o.hint_printed => errors.push(format!(
                "{id}: 失败时没有打印提示 (提示守卫 let _hint = common::hint(..) 要放在测试的第一行)"
            )),
            Status::Passed if o.exercise => errors.push(format!(
                "{id}: 测试 {program} 的练习不用做也能通过 (练习必须在它的程序的每个测试上得 0 分)"
            )),
            Status::Failed | Status::TimedOut if !o.exercise => {
                warned.push(format!("{id} ({program}, 没有练习) 在学生版里没通过"))
            }
            _ => {}
        }
    }
    let (got, max) = student
        .iter()
        .fold((0, 0), |(g, m), o| (g + o.points, m + o.max_points));
    let extra = student.iter().filter(|o| !o.exercise).count();
    println!(
        "学生版得分: {got}/{max} (应当是 0/{max}; 另有 {extra} 个不计分的测试: 原文以外的工具和库)"
    );
    if got != 0 {
        errors.push(format!("学生版得了 {got} 分, 应当是 0 分"));
    }
    // Every exercise has tests that grade it.
    for p in &exercised {
        if !student
            .iter()
            .any(|o| o.program.as_deref() == Some(p.as_str()))
        {
            errors.push(format!(
                "练习 {p} 没有测试 (没有一个测试的提示守卫写着 common::hint(\"{p}\", ..))"
            ));
        }
    }

    println!("评分参考答案 …");
    let mut reference = run::grade(root, &lessons, opts);
    run::mark_exercises(&mut reference, Some(&exercised));
    for o in &reference {
        if o.status != Status::Passed {
            errors.push(format!(
                "{}::{}: 参考答案没通过 ({}): {}",
                o.lesson,
                o.name,
                o.status.chinese(),
                first_line(&o.message)
            ));
        }
    }
    let passed = reference
        .iter()
        .filter(|o| o.status == Status::Passed)
        .count();
    let (ref_got, ref_max) = reference
        .iter()
        .fold((0, 0), |(g, m), o| (g + o.points, m + o.max_points));
    println!(
        "参考答案得分: {ref_got}/{ref_max} (应当是 {max}/{max}); 全部测试: {passed}/{} 通过",
        reference.len()
    );
    if reference.is_empty() {
        errors.push("参考答案一个测试都没有跑".into());
    }
    if ref_max != max || ref_got != ref_max || max == 0 {
        errors.push(format!(
            "分数不对: 参考答案 {ref_got}/{ref_max}, 学生版 {got}/{max}; 应当是 N/N 和 0/N (N > 0)"
        ));
    }
    for w in &warned {
        println!("注意: {w}");
    }
    if errors.is_empty() {
        println!(
            "check 通过: 学生版 0/{max} 分, 参考答案 {max}/{max} 分; 每个练习在它的程序的测试上都是 0 分, 每个测试都有提示"
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!();
        for e in &errors {
            println!("错误: {e}");
        }
        println!("check 失败: {} 个错误", errors.len());
        Ok(ExitCode::FAILURE)
    }
}

fn first_line(s: &str) -> &str {
    s.lines().find(|l| !l.trim().is_empty()).unwrap_or("")
}

/// What a test's hint guard may name: a binary or a package; `pairing` (a test
/// that runs two of our programs together, never scored); or a binary with a
/// mode after it (`cmd_client --framed`: a pre-written path of that program,
/// not an exercise, so not scored).
fn known_guard(p: &str, bins: &BTreeSet<String>, packages: &BTreeSet<String>) -> bool {
    if p == "pairing" || packages.contains(p) {
        return true;
    }
    let mut words = p.split_whitespace();
    let first = words.next().unwrap_or("");
    bins.contains(first) && words.all(|w| w.starts_with("--"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hint_guard_names_a_binary_a_package_pairing_or_a_binary_s_mode() {
        let bins: BTreeSet<String> = ["cmd_client".to_string()].into();
        let packages: BTreeSet<String> = ["lesson05".to_string()].into();
        for ok in ["cmd_client", "lesson05", "pairing", "cmd_client --framed"] {
            assert!(known_guard(ok, &bins, &packages), "{ok}");
        }
        for bad in [
            "cmd_clinet",
            "pairings",
            "cmd_client framed",
            "--framed",
            "",
        ] {
            assert!(!known_guard(bad, &bins, &packages), "{bad}");
        }
    }

    #[test]
    fn tests_diff_names_changed_added_and_missing_files() {
        let base = std::env::temp_dir().join(format!("grade-diff-{}", std::process::id()));
        let (ours, theirs) = (base.join("ours"), base.join("theirs"));
        for d in [&ours, &theirs] {
            std::fs::create_dir_all(d.join("common")).unwrap();
            std::fs::write(d.join("common/mod.rs"), "pub fn a() {}\n").unwrap();
        }
        std::fs::write(ours.join("lesson03.rs"), "assert!(x);\n").unwrap();
        std::fs::write(theirs.join("lesson03.rs"), "// assert!(x);\n").unwrap();
        std::fs::write(ours.join("lesson01.rs"), "a\nb\n").unwrap();
        std::fs::write(theirs.join("lesson01.rs"), "a\r\nb\r\n").unwrap();
        std::fs::write(ours.join("lesson05.rs"), "x").unwrap();
        std::fs::write(theirs.join("mine.rs"), "y").unwrap();
        let d = tests_diff(&ours, &theirs);
        let _ = std::fs::remove_dir_all(&base);
        assert_eq!(
            d,
            [
                ("tests/lesson03.rs".to_string(), "改过"),
                ("tests/lesson05.rs".to_string(), "缺少"),
                ("tests/mine.rs".to_string(), "多出"),
            ]
        );
    }

    #[test]
    fn statements_join_rustfmt_continuations() {
        let text = "    let (n, addr) = udp_sk\n        .recv_from(&mut buf)\n        .or_exit(\"接收\");\n    // 注释\n    let x =\n        f(a, b);\n";
        assert_eq!(
            statements(text),
            [
                "let (n, addr) = udp_sk.recv_from(&mut buf).or_exit(\"接收\");",
                "let x = f(a, b);"
            ]
        );
        let exercise = "    let (n, addr) = todo!(\"第 3 步: udp_sk.recv_from(&mut buf)\");\n    let x =\n        f(a, b);\n";
        let gone = replaced_lines(text, exercise);
        assert_eq!(gone.len(), 1);
        assert!(!exercise.contains(gone.iter().next().unwrap().as_str()));
    }
}
