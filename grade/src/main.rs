//! `cargo grade`: 给练习册评分 (grades the workbook with its own tests).
//!
//! ```text
//! cargo grade [lesson03 …] [--timeout 20] [--jobs N] [--json FILE] [--tests DIR] [--in DIR]
//! cargo grade export DIR        学生版 (the student edition)
//! cargo grade check             练习都是 0 分、参考答案 100 分 (CI)
//! cargo grade mistakes [NAME…]  常见错误目录: 每个错误都被它指定的测试抓到
//! cargo grade --in SUB          一份作业: 只取练习文件, 在沙箱里评 (class.rs, sandbox.rs)
//! cargo grade class SUBS --out RESULTS   全班; gradescope DIR; selftest (platforms.rs)
//! ```
//!
//! Each integration test runs in a process (group) of its own with a hard
//! timeout, so one hanging test costs at most its timeout and cannot stop the
//! others. A test's program is the first string literal argument of
//! `common::hint(` in its body (see `source.rs`). A test whose program has an
//! exercise is worth 1 point; the others (tools beyond the text, libraries) run
//! and are shown but do not count (see `manifest.rs`). The exit code is 0 only
//! when every test passed.
//!
//! std only, like the rest of the workbook.

mod alone;
mod class;
mod drift;
mod edition;
mod excerpt;
mod export;
mod hint;
mod json;
mod lastgood;
mod manifest;
mod mistakes;
mod peer;
#[path = "../../tests/common/peers/mod.rs"]
mod peers;
mod platforms;
mod points;
mod progress;
mod report;
mod run;
mod sandbox;
mod selftest;
mod source;
mod testorder;
mod tree;
mod watch;

use run::{Lesson, Options};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "\
用法 (usage):
  cargo grade [lesson03 …] [选项]    构建并运行测试, 每个测试一个进程, 打分
  cargo grade <程序>                 只评一个练习 (例如 cargo grade server; 也可以 cargo grade lesson03 server)
  cargo grade progress               每个练习的进度 (按书的顺序) 和下一个练习
  cargo grade watch [程序]           保存文件就重新评分, 显示第一个没通过的测试和提示 (Ctrl-C 结束)
  cargo grade hint <程序> [步]       分层提示: 每次多显示一层
  cargo grade peer <程序> [--host H] [--port P]   运行这个练习的现成对端 (第二个终端用)
  cargo grade export DIR             写出学生版 (练习代替参考答案) 到 DIR
  cargo grade check                  检查: 学生版编译无警告、练习 0 分、参考答案满分,
                                     练习没有偏离参考答案, 提示和学生版里没有被挖掉的代码
  cargo grade check --quick          只做不用构建的检查 (偏离、提示、学生版的文字)
  cargo grade check --alone [程序 …]  每个练习单独完成 (其余不动) 都拿到它的全部分数 (慢)
  cargo grade mistakes [名字 …]       常见错误目录: 逐个放进参考答案, 看指定的测试是否抓到

选项 (options):
  --timeout S    每个测试最多 S 秒, 超时就结束它的整个进程组 (默认 20)
  --jobs N       同时运行 N 个测试 (默认: CPU 核数)
  --json FILE    把每个测试的结果写成 JSON (格式见 README 的「评分结果的 JSON」一节)
  --tests DIR    评分前先用 DIR 里的原版测试替换 tests/ (学生改测试也不会加分;
                 先列出和原版不同的测试文件, JSON 里记在 tests_replaced)
  --in DIR       评一个学生的作业 DIR: 只取老师清单里的练习文件, 放进新导出的练习版,
                 在沙箱 (bubblewrap) 里构建和测试; 作业目录只读不写。评多份用 class
  --student 名字  JSON 里的学生名 (默认: 作业目录的名字)
  --unsandboxed  没有能用的 bubblewrap 时照样运行学生的代码 (明知风险; 报告和 JSON 记下)
  --out DIR      class 的结果目录
  --format F     github-classroom 或 gradescope: 只在标准输出打印那个平台读的 JSON
  -q, --quiet    只打印总分和失败的测试
  -h, --help     显示这段说明
";

fn main() -> ExitCode {
    // `cargo grade | head`: std's println! panics once the reader has gone;
    // end quietly instead, with the shell's code for SIGPIPE.
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if info
            .payload_as_str()
            .is_some_and(|m| m.starts_with("failed printing to stdout"))
        {
            std::process::exit(141);
        }
        default(info);
    }));
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo grade help` is `cargo grade --help`.
    if args.first().is_some_and(|a| a == "help") {
        args[0] = "--help".into();
    }
    // The student's loop (peer, hint, progress, watch) has options of its own.
    let result = watch::dispatch(&args).unwrap_or_else(|| real_main(&args));
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cargo grade: {e}");
            ExitCode::from(2)
        }
    }
}

/// The usage for the workspace the grader runs in: the student edition's
/// shows only the student's commands.
fn usage() -> &'static str {
    if in_student_edition() {
        edition::STUDENT_USAGE
    } else {
        USAGE
    }
}

/// Whether the workspace around the current folder is a student edition.
fn in_student_edition() -> bool {
    std::env::current_dir()
        .ok()
        .and_then(|d| std::path::absolute(d).ok())
        .and_then(|d| run::find_root(&d))
        .is_some_and(|r| edition::is_student_edition(&r))
}

/// Parsed command line.
pub(crate) struct Cli {
    pub(crate) command: Option<String>,
    pub(crate) words: Vec<String>,
    pub(crate) timeout: Duration,
    pub(crate) jobs: usize,
    pub(crate) json: Option<PathBuf>,
    pub(crate) tests: Option<PathBuf>,
    pub(crate) dir: Option<PathBuf>,
    pub(crate) quiet: bool,
    pub(crate) unsandboxed: bool,
    pub(crate) out: Option<PathBuf>,
    pub(crate) student: Option<String>,
    pub(crate) format: Option<String>,
}

pub(crate) fn parse(args: &[String]) -> Result<Cli, String> {
    let mut cli = Cli {
        command: None,
        words: Vec::new(),
        timeout: Duration::from_secs(20),
        jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
        json: None,
        tests: None,
        dir: None,
        quiet: false,
        unsandboxed: false,
        out: None,
        student: None,
        format: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} 后面缺少值\n\n{}", usage()))
        };
        match a.as_str() {
            "-h" | "--help" => {
                print!("{}", usage());
                std::process::exit(0);
            }
            "-q" | "--quiet" => cli.quiet = true,
            "--timeout" => {
                let v = value("--timeout")?;
                let s: f64 = v
                    .parse()
                    .ok()
                    .filter(|s: &f64| s.is_finite() && *s > 0.0 && *s < 86400.0)
                    .ok_or_else(|| format!("--timeout 要一个正的秒数, 收到 {v:?}"))?;
                cli.timeout = Duration::from_secs_f64(s);
            }
            "--jobs" | "-j" => {
                let v = value("--jobs")?;
                cli.jobs = v
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("--jobs 要一个正整数, 收到 {v:?}"))?;
            }
            "--json" => cli.json = Some(value("--json")?.into()),
            "--tests" => cli.tests = Some(value("--tests")?.into()),
            "--in" => {
                let v = value("--in")?;
                if cli.dir.is_some() {
                    return Err(format!(
                        "--in 只能给一次 (评多份作业用: cargo grade class 作业目录 --out 结果目录)\n\n{}",
                        usage()
                    ));
                }
                cli.dir = Some(v.into());
            }
            "--unsandboxed" => cli.unsandboxed = true,
            "--out" => cli.out = Some(value("--out")?.into()),
            "--student" => cli.student = Some(value("--student")?),
            "--format" => {
                let v = value("--format")?;
                if !matches!(v.as_str(), "github-classroom" | "gradescope") {
                    return Err(format!(
                        "--format 只认 github-classroom 和 gradescope, 收到 {v:?}"
                    ));
                }
                cli.format = Some(v);
            }
            s if s.starts_with('-') => return Err(format!("不认识的选项 {s}\n\n{}", usage())),
            s if cli.command.is_none()
                && cli.words.is_empty()
                && matches!(
                    s,
                    "export" | "check" | "mistakes" | "class" | "gradescope" | "selftest"
                ) =>
            {
                cli.command = Some(s.to_string())
            }
            s => cli.words.push(s.to_string()),
        }
    }
    Ok(cli)
}

fn real_main(args: &[String]) -> Result<ExitCode, String> {
    let cli = parse(args)?;
    // The instructor's commands say one line in the student edition.
    if let Some(c) = cli.command.as_deref() {
        if in_student_edition() {
            return Err(edition::only_in_reference(c));
        }
    }
    if let Some(code) = platforms::dispatch(&cli)? {
        return Ok(code);
    }
    let here = match &cli.dir {
        Some(d) => d.clone(),
        None => std::env::current_dir().map_err(|e| format!("当前目录读不了: {e}"))?,
    };
    // Absolute, so `lessons/x/../../tests` folds correctly also under `--in ../dir`.
    let here = std::path::absolute(&here).map_err(|e| format!("{}: {e}", here.display()))?;
    let root = run::find_root(&here).ok_or_else(|| {
        format!(
            "{} 不在一个 Cargo 工作区里 (找不到带 [workspace] 的 Cargo.toml)",
            here.display()
        )
    })?;
    let opts = Options {
        timeout: cli.timeout,
        jobs: cli.jobs,
        target_dir: None,
        rustflags: None,
        show_build: true,
    };
    match cli.command.as_deref() {
        Some("export") => {
            let [dir] = cli.words.as_slice() else {
                return Err(format!("export 要一个目标目录\n\n{}", usage()));
            };
            if edition::is_student_edition(&root) {
                return Err(edition::only_in_reference("export"));
            }
            let report = export::export(&root, Path::new(dir))?;
            for w in &report.warnings {
                println!("注意: {w}");
            }
            println!(
                "学生版已写到 {} ({} 个练习代替了参考答案)",
                dir,
                report.exercises.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(c @ ("check" | "mistakes")) if edition::is_student_edition(&root) => {
            Err(edition::only_in_reference(c))
        }
        Some("check") => export::check(&root, &opts),
        Some("mistakes") => mistakes::run(&root, &cli.words, &opts),
        _ => grade(&root, &cli, &opts),
    }
}

/// The lessons named on the command line (`lesson03`, `03`, `3`), or all.
fn choose(root: &Path, words: &[String]) -> Result<Vec<Lesson>, String> {
    let all = run::lessons(root);
    if all.is_empty() {
        return Err(format!(
            "{} 下没有课程 (lessons/*/Cargo.toml)",
            root.display()
        ));
    }
    if words.is_empty() {
        return Ok(all);
    }
    let mut chosen = Vec::new();
    for w in words {
        let digits = w.trim_start_matches("lesson");
        let want = match digits.parse::<u32>() {
            Ok(n) => format!("lesson{n:02}"),
            Err(_) => w.clone(),
        };
        let l = all.iter().find(|l| l.name == want).ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|l| l.name.as_str()).collect();
            format!("没有这一课: {w} (有: {})", names.join(" "))
        })?;
        chosen.push(l.clone());
    }
    Ok(chosen)
}

fn grade(root: &Path, cli: &Cli, opts: &Options) -> Result<ExitCode, String> {
    let reference = reference_root(root, cli);
    let mut tests_replaced = Vec::new();
    if let Some(tests) = &cli.tests {
        tests_replaced = export::put_tests_in_place(tests, root)?
            .into_iter()
            .map(|(path, _)| path)
            .collect();
    } else if let Some(reference) = &reference {
        // Grading a submission with its own tests: say whether they are ours.
        let changed = export::tests_diff(&reference.join("tests"), &root.join("tests"));
        if !changed.is_empty() {
            println!(
                "注意: 被评分的 tests/ 和 {} 里的原版不同, 这次按它自己的测试评分 (加 --tests {} 换回原版):",
                reference.display(),
                reference.join("tests").display()
            );
            for (path, how) in &changed {
                println!("  {how}: {path}");
            }
        }
    }
    // Lessons (`lesson03`) and programs (`server`): a program's tests only.
    let (lessons, programs) = match choose(root, &cli.words) {
        Ok(l) => (l, BTreeSet::new()),
        Err(_) => progress::split_words(root, &cli.words)?,
    };
    let exercised = exercised_for(root, reference.as_deref());
    // One program, or the student edition: a lesson's compile error is shown
    // once, in the report (with its file and line), not also as cargo prints it.
    let opts = &Options {
        show_build: opts.show_build && programs.is_empty() && !edition::is_student_edition(root),
        ..opts.clone()
    };
    let mut results = run::grade_where(root, &lessons, opts, &|s| {
        programs.is_empty() || s.program.as_ref().is_some_and(|p| programs.contains(p))
    });
    run::mark_exercises(&mut results, exercised.as_ref().map(|(set, _)| set));
    let (stubbed, n_stubbed) = edition::drop_stubbed(root, &lessons, &mut results);
    if programs.is_empty() {
        report::print(&results, cli.quiet);
    } else {
        report::print_tests(&results, cli.quiet);
        println!();
    }
    if n_stubbed > 0 {
        println!("{}", edition::stubbed_line(&stubbed, n_stubbed));
    }
    if let Some((set, _)) = &exercised {
        let lesson_names: BTreeSet<&str> = lessons.iter().map(|l| l.name.as_str()).collect();
        let scores: Vec<progress::ProgramScore> = progress::per_program(root, &results, set)
            .into_iter()
            .filter(|s| lesson_names.contains(s.program.lesson.as_str()))
            .filter(|s| programs.is_empty() || programs.contains(&s.program.name))
            .collect();
        progress::remember(root, &scores);
        for s in scores.iter().filter(|s| programs.contains(&s.program.name)) {
            // One exercise's own figures, not a total of the book.
            let line = match s.state {
                progress::State::Done => format!("✓ {}/{} 个测试通过", s.passed, s.tests),
                _ => progress::describe(s),
            };
            println!("{}: {line}", s.program.name);
        }
    }
    if !tests_replaced.is_empty() {
        println!(
            "(评分前换回了原版的测试: {}; 学生对它们的改动不算数)",
            tests_replaced.join(" ")
        );
    }
    if let Some(path) = &cli.json {
        std::fs::write(path, report::json(&results, &tests_replaced))
            .map_err(|e| format!("写不了 {}: {e}", path.display()))?;
    }
    let all_passed = !results.is_empty() && results.iter().all(|o| o.status == run::Status::Passed);
    Ok(if all_passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The instructor's reference when grading another workspace (`--in`): the
/// workspace of `--tests DIR`, else the one the grader runs in, if it is not
/// the graded one and has exercises (`lessons/*/exercises/`).
fn reference_root(root: &Path, cli: &Cli) -> Option<PathBuf> {
    cli.dir.as_ref()?;
    let mut places = Vec::new();
    if let Some(t) = &cli.tests {
        places.extend(std::path::absolute(t).ok());
    }
    places.extend(std::env::current_dir().ok());
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    places
        .iter()
        .filter_map(|p| run::find_root(p))
        .find(|r| !same(r, root) && !manifest::from_folders(r).is_empty())
}

/// Which programs count towards the score (see `manifest.rs`). Grading another
/// workspace, the instructor's `reference` decides, so a student who edits the
/// edition's list changes nothing; otherwise the graded workspace's own list.
fn exercised_for(
    root: &Path,
    reference: Option<&Path>,
) -> Option<(BTreeSet<String>, manifest::Origin)> {
    let own = manifest::exercised(root);
    if let Some(reference) = reference {
        let set: BTreeSet<String> = manifest::from_folders(reference)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        if let Some((theirs, origin)) = &own {
            if *theirs != set {
                println!(
                    "注意: {} 列出的有练习的程序和参考答案的不同 (被改过?): 按参考答案 {} 计分",
                    origin.describe(),
                    reference.display()
                );
            }
        }
        return Some((set, manifest::Origin::Folders(reference.to_path_buf())));
    }
    if own.is_none() {
        println!(
            "注意: {} 没有练习 (lessons/*/exercises/) 也没有 {}: 每个测试都计分",
            root.display(),
            manifest::MANIFEST
        );
    }
    own
}
