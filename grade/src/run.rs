//! Building the lessons' integration tests and running each test in a process
//! (group) of its own, with a hard timeout.

use crate::excerpt;
use crate::source::{self, TestSource};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// One lesson package of the workspace.
#[derive(Clone, Debug)]
pub struct Lesson {
    /// The package name, `lesson03`; also the name of its `[[test]]` target.
    pub name: String,
    /// The package folder, `lessons/03_threads`.
    pub dir: PathBuf,
    /// Its integration test targets (`[[test]]` in its Cargo.toml).
    pub suites: Vec<Suite>,
}

/// One integration test target: `lesson04` from `tests/lesson04.rs`, or a
/// second one of the same lesson such as `wiretap` from `tests/wiretap.rs`.
#[derive(Clone, Debug)]
pub struct Suite {
    pub name: String,
    pub file: PathBuf,
}

/// How a test ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Passed,
    Failed,
    TimedOut,
    /// The lesson did not compile, so the test could not run.
    NotBuilt,
}

impl Status {
    pub fn chinese(self) -> &'static str {
        match self {
            Status::Passed => "通过",
            Status::Failed => "失败",
            Status::TimedOut => "超时",
            Status::NotBuilt => "未编译",
        }
    }

    pub fn json(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::TimedOut => "timeout",
            Status::NotBuilt => "not_built",
        }
    }
}

/// The result of one test.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub lesson: String,
    /// The test target (`lesson04`, `wiretap`).
    pub suite: String,
    pub name: String,
    pub program: Option<String>,
    pub status: Status,
    pub points: u32,
    pub max_points: u32,
    pub seconds: f64,
    /// The hint: the `提示 [prog]: …` line the test printed, else the source's.
    pub hint: Option<String>,
    /// The failure message (empty when passed).
    pub message: String,
    /// Whether the test printed its `提示 [prog]: …` line (a failed test whose
    /// guard ran does).
    pub hint_printed: bool,
    /// Whether the test counts towards the score: its program has an exercise
    /// (see `manifest.rs`). A test that does not count is worth 0 points.
    pub exercise: bool,
}

/// Marks which tests count towards the score: those whose program is in
/// `exercised`. The others keep their status and are worth 0 points. With no
/// list (`None`) every test counts.
pub fn mark_exercises(results: &mut [Outcome], exercised: Option<&BTreeSet<String>>) {
    for o in results {
        o.exercise = match exercised {
            Some(set) => o.program.as_ref().is_some_and(|p| set.contains(p)),
            None => true,
        };
        if !o.exercise {
            o.points = 0;
            o.max_points = 0;
        }
    }
}

/// How to build and run.
#[derive(Clone, Debug)]
pub struct Options {
    pub timeout: Duration,
    pub jobs: usize,
    /// `CARGO_TARGET_DIR` for the build, when not the workspace's own.
    pub target_dir: Option<PathBuf>,
    /// `RUSTFLAGS` for the build (`-D warnings` in `check`).
    pub rustflags: Option<String>,
    /// Print cargo's own output (compile errors) while building.
    pub show_build: bool,
}

/// The workspace root at or above `start`: the first folder whose Cargo.toml
/// has a `[workspace]` table.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        if let Ok(t) = std::fs::read_to_string(d.join("Cargo.toml")) {
            if t.lines().any(|l| l.trim() == "[workspace]") {
                return Some(d.to_path_buf());
            }
        }
        dir = d.parent();
    }
    None
}

/// The lesson packages under `root/lessons/`, sorted by name.
pub fn lessons(root: &Path) -> Vec<Lesson> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(root.join("lessons")) else {
        return out;
    };
    for e in entries.flatten() {
        let dir = e.path();
        let Ok(toml) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
            continue;
        };
        let Some(name) = toml_value(&toml, "package", "name") else {
            continue;
        };
        let suites = toml_tables(&toml, "[test]")
            .into_iter()
            .filter_map(|t| {
                let name = t.get("name")?.clone();
                let file = match t.get("path") {
                    Some(p) => normalize(&dir.join(p)),
                    None => dir.join("tests").join(format!("{name}.rs")),
                };
                Some(Suite { name, file })
            })
            .collect();
        out.push(Lesson { name, dir, suites });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// `a/b/../../c` → `c`, without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Every `[table]` (or `[[table]]`) of a Cargo.toml: its `key = "value"` lines.
pub fn toml_tables(toml: &str, table: &str) -> Vec<BTreeMap<String, String>> {
    let header = format!("[{table}]");
    let mut out: Vec<BTreeMap<String, String>> = Vec::new();
    let mut inside = false;
    for line in toml.lines() {
        let l = &toml_line(line);
        let l = l.as_str();
        if l.starts_with('[') {
            inside = l == header;
            if inside {
                out.push(BTreeMap::new());
            }
            continue;
        }
        if let (true, Some((k, v)), Some(t)) = (inside, l.split_once('='), out.last_mut()) {
            t.insert(k.trim().to_string(), v.trim().trim_matches('"').to_string());
        }
    }
    out
}

/// The string value of `key` in the first `[table]` (or `[[table]]`) of a Cargo.toml.
pub fn toml_value(toml: &str, table: &str, key: &str) -> Option<String> {
    let header = format!("[{table}]");
    let mut inside = false;
    for line in toml.lines() {
        let l = &toml_line(line);
        let l = l.as_str();
        if l.starts_with('[') {
            if inside {
                return None;
            }
            inside = l == header;
            continue;
        }
        if !inside {
            continue;
        }
        let Some((k, v)) = l.split_once('=') else {
            continue;
        };
        if k.trim() == key {
            return Some(v.trim().trim_matches('"').to_string());
        }
    }
    None
}

/// A Cargo.toml line without its `#` comment (outside quotes), trimmed; a
/// table header without spaces (`[[ test ]]` is `[[test]]`).
fn toml_line(line: &str) -> String {
    let mut quoted = false;
    let mut end = line.len();
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let l = line[..end].trim();
    if l.starts_with('[') {
        l.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        l.to_string()
    }
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn cargo_test_command(root: &Path, lessons: &[&Lesson], opts: &Options, json: bool) -> Command {
    let mut cmd = cargo();
    cmd.current_dir(root).args(["test", "--no-run", "-q"]);
    for l in lessons {
        cmd.args(["-p", &l.name]);
    }
    for suite in lessons.iter().flat_map(|l| &l.suites) {
        cmd.args(["--test", &suite.name]);
    }
    if json {
        cmd.arg("--message-format=json");
    }
    if let Some(t) = &opts.target_dir {
        cmd.env("CARGO_TARGET_DIR", t);
    }
    if let Some(f) = &opts.rustflags {
        cmd.env("RUSTFLAGS", f);
    }
    cmd
}

/// Builds the test binaries of `lessons`; returns each built lesson's test
/// executable, and for each lesson that did not compile, cargo's error text.
pub fn build(
    root: &Path,
    lessons: &[Lesson],
    opts: &Options,
) -> (BTreeMap<String, PathBuf>, BTreeMap<String, String>) {
    let all: Vec<&Lesson> = lessons.iter().collect();
    let mut failed = BTreeMap::new();
    let mut ok: Vec<&Lesson> = all.clone();
    let status = cargo_test_command(root, &all, opts, false)
        .stdout(Stdio::null())
        .stderr(if opts.show_build {
            Stdio::inherit()
        } else {
            Stdio::null()
        })
        .status();
    if !matches!(status, Ok(s) if s.success()) {
        // Find out which lessons do not compile, one by one.
        ok.clear();
        for l in &all {
            let out = cargo_test_command(root, &[l], opts, false)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .output();
            match out {
                Ok(o) if o.status.success() => ok.push(l),
                Ok(o) => {
                    failed.insert(l.name.clone(), String::from_utf8_lossy(&o.stderr).into());
                }
                Err(e) => {
                    failed.insert(l.name.clone(), format!("cargo 启动不了: {e}"));
                }
            }
        }
    }
    let mut exes = BTreeMap::new();
    if ok.is_empty() {
        return (exes, failed);
    }
    // Built already: this run only reports where the test executables are.
    let out = cargo_test_command(root, &ok, opts, true)
        .stderr(Stdio::null())
        .output();
    if let Ok(o) = out {
        for line in String::from_utf8_lossy(&o.stdout).lines() {
            if !line.contains("\"reason\":\"compiler-artifact\"")
                || !line.contains("\"kind\":[\"test\"]")
            {
                continue;
            }
            let (Some(name), Some(exe)) = (
                source::json_string(line, "name"),
                source::json_string(line, "executable"),
            ) else {
                continue;
            };
            if ok.iter().flat_map(|l| &l.suites).any(|t| t.name == name) {
                exes.insert(name, PathBuf::from(exe));
            }
        }
    }
    for l in ok {
        if l.suites.iter().any(|t| !exes.contains_key(&t.name)) {
            failed.insert(
                l.name.clone(),
                "找不到测试程序 (cargo 没有报告它的路径)".into(),
            );
        }
    }
    (exes, failed)
}

/// The test names a test executable lists (`NAME: test` lines of `--list`).
pub fn list(exe: &Path) -> Vec<String> {
    let Ok(out) = Command::new(exe)
        .args(["--list", "--format", "terse"])
        .output()
    else {
        return Vec::new();
    };
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect()
}

/// One test to run.
#[derive(Clone, Debug)]
pub struct Job {
    pub lesson: Lesson,
    pub suite: String,
    pub exe: PathBuf,
    pub name: String,
    pub source: TestSource,
}

/// Runs `jobs`, up to `opts.jobs` at a time; results in the order of `jobs`.
pub fn run_all(jobs: Vec<Job>, opts: &Options) -> Vec<Outcome> {
    run_all_with(jobs, opts, Arc::new(command_for))
}

/// How a job's process is made (directly, or in a sandbox: `class.rs`).
pub type MakeCommand = Arc<dyn Fn(&Job) -> Command + Send + Sync>;

/// [`run_all`], each test's process made by `make`.
pub fn run_all_with(jobs: Vec<Job>, opts: &Options, make: MakeCommand) -> Vec<Outcome> {
    let n = jobs.len();
    let queue = Arc::new(Mutex::new(
        jobs.into_iter().enumerate().rev().collect::<Vec<_>>(),
    ));
    let results = Arc::new(Mutex::new(Vec::with_capacity(n)));
    let workers: Vec<_> = (0..opts.jobs.max(1))
        .map(|_| {
            let queue = queue.clone();
            let results = results.clone();
            let timeout = opts.timeout;
            let make = make.clone();
            thread::spawn(move || loop {
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop();
                let Some((i, job)) = next else { break };
                let outcome = run_one_cmd(&job, timeout, make(&job));
                results
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((i, outcome));
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    let mut results = std::mem::take(&mut *results.lock().unwrap_or_else(|e| e.into_inner()));
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, o)| o).collect()
}

/// The last `KEEP` bytes of a pipe, gathered by a thread.
const KEEP: usize = 256 * 1024;

fn gather(mut pipe: impl Read + Send + 'static) -> std::sync::mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || {
        let mut tail = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            tail.extend_from_slice(&buf[..n]);
            if tail.len() > KEEP {
                tail.drain(..tail.len() - KEEP);
            }
        }
        let _ = tx.send(tail);
    });
    rx
}

/// The process of one test, run directly.
fn command_for(job: &Job) -> Command {
    let mut cmd = Command::new(&job.exe);
    cmd.args([job.name.as_str(), "--exact", "--test-threads", "1"])
        .current_dir(&job.lesson.dir)
        .env("RUST_BACKTRACE", "0")
        .env("CARGO_MANIFEST_DIR", &job.lesson.dir);
    cmd
}

/// Runs one test in its own process (group), killed at `timeout`.
#[cfg_attr(not(all(test, unix)), allow(dead_code))]
pub fn run_one(job: &Job, timeout: Duration) -> Outcome {
    run_one_cmd(job, timeout, command_for(job))
}

/// [`run_one`] with the process made by the caller.
pub fn run_one_cmd(job: &Job, timeout: Duration, mut cmd: Command) -> Outcome {
    let start = Instant::now();
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // A group of its own: on a timeout the test and every server it started go.
        cmd.process_group(0);
    }
    let mut outcome = Outcome {
        lesson: job.lesson.name.clone(),
        suite: job.suite.clone(),
        name: job.name.clone(),
        program: job.source.program.clone(),
        status: Status::Failed,
        points: 0,
        max_points: 1,
        seconds: 0.0,
        hint: job.source.hint.clone(),
        message: String::new(),
        hint_printed: false,
        exercise: true,
    };
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            outcome.message = format!("测试程序启动不了: {e}");
            return outcome;
        }
    };
    let out = gather(child.stdout.take().expect("piped"));
    let err = gather(child.stderr.take().expect("piped"));
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if start.elapsed() >= timeout => break None,
            Ok(None) => thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    // Whatever the test left behind (a server it did not stop, a child of a
    // server holding the pipes) goes with the group.
    kill_group(&mut child);
    let _ = child.wait();
    outcome.seconds = start.elapsed().as_secs_f64();
    // The pipes close once the group is gone; a process that left the group and
    // still holds them does not hold up the grade.
    let wait = Duration::from_secs(2);
    let out = String::from_utf8_lossy(&out.recv_timeout(wait).unwrap_or_default()).to_string();
    let err = String::from_utf8_lossy(&err.recv_timeout(wait).unwrap_or_default()).to_string();
    match status {
        Some(s) if s.success() => {
            outcome.status = Status::Passed;
            outcome.points = outcome.max_points;
        }
        Some(_) => {
            outcome.status = Status::Failed;
            let (hint, message) = failure_text(&job.name, &out, &err);
            if hint.is_some() {
                outcome.hint_printed = true;
                outcome.hint = hint;
            }
            outcome.message = message;
        }
        None => {
            outcome.status = Status::TimedOut;
            outcome.message = format!(
                "{} 秒内没有结束, 已被结束。程序是不是卡在一个永远等不到的读取上, 或者陷入了死循环?",
                timeout.as_secs_f64()
            );
        }
    }
    outcome
}

fn kill_group(child: &mut std::process::Child) {
    #[cfg(windows)]
    {
        // The test and the servers it started: the whole process tree.
        let _ = Command::new("taskkill")
            .args(["/T", "/F", "/PID", &child.id().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    #[cfg(unix)]
    {
        let pgid = format!("-{}", child.id());
        let killed = Command::new("kill")
            .args(["-KILL", "--", &pgid])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if matches!(killed, Ok(s) if s.success()) {
            return;
        }
    }
    let _ = child.kill();
}

/// The hint line and the failure message from a failed test's output (libtest
/// prints the captured output in a `---- NAME stdout ----` section).
pub fn failure_text(name: &str, out: &str, err: &str) -> (Option<String>, String) {
    let header = format!("---- {name} stdout ----");
    let section = match out.find(&header) {
        Some(at) => {
            let rest = &out[at + header.len()..];
            let end = rest.find("\nfailures:").unwrap_or(rest.len());
            rest[..end].to_string()
        }
        // No section: the test binary itself crashed (an abort, a signal).
        None => format!("{}\n{}", tail_lines(out, 10), tail_lines(err, 10)),
    };
    let mut hint = None;
    let mut lines = Vec::new();
    for line in section.lines() {
        if let Some(h) = line.strip_prefix("提示 [") {
            let text = h.split_once("]: ").map_or(h, |(_, t)| t);
            hint = Some(text.to_string());
        } else {
            lines.push(line);
        }
    }
    // Useful lines first: a program's todo! hint, its panic, the test's message.
    let message = excerpt::lead(&lines.join("\n"));
    (hint, message)
}

fn tail_lines(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Reads a suite's test source: test name → what the source says.
pub fn sources(suite: &Suite) -> BTreeMap<String, TestSource> {
    std::fs::read_to_string(&suite.file)
        .map(|t| source::tests_in(&t))
        .unwrap_or_default()
}

/// Builds `lessons` and runs all their tests.
pub fn grade(root: &Path, lessons: &[Lesson], opts: &Options) -> Vec<Outcome> {
    grade_where(root, lessons, opts, &|_| true)
}

/// Builds `lessons` and runs the tests that `keep` chooses by their source
/// (e.g. the tests of one program: `cargo grade server`).
pub fn grade_where(
    root: &Path,
    lessons: &[Lesson],
    opts: &Options,
    keep: &dyn Fn(&TestSource) -> bool,
) -> Vec<Outcome> {
    let (exes, failed) = build(root, lessons, opts);
    let mut jobs = Vec::new();
    let mut not_built = Vec::new();
    for l in lessons {
        let why = failed.get(&l.name).map(|e| first_errors(e));
        for suite in &l.suites {
            let srcs = sources(suite);
            match (exes.get(&suite.name), &why) {
                (Some(exe), None) => {
                    for name in list(exe) {
                        let source = srcs.get(&name).cloned().unwrap_or_default();
                        if !keep(&source) {
                            continue;
                        }
                        jobs.push(Job {
                            lesson: l.clone(),
                            suite: suite.name.clone(),
                            exe: exe.clone(),
                            name,
                            source,
                        });
                    }
                }
                _ => {
                    for (name, s) in srcs {
                        if !keep(&s) {
                            continue;
                        }
                        not_built.push(Outcome {
                            lesson: l.name.clone(),
                            suite: suite.name.clone(),
                            name,
                            program: s.program,
                            status: Status::NotBuilt,
                            points: 0,
                            max_points: 1,
                            seconds: 0.0,
                            hint: Some(
                                "这一课没有编译通过: 先运行 cargo build 修好编译错误".into(),
                            ),
                            message: why.clone().unwrap_or_default(),
                            hint_printed: false,
                            exercise: true,
                        });
                    }
                }
            }
        }
    }
    let mut results = run_all(jobs, opts);
    results.extend(not_built);
    // By lesson, then in each test file's order (the teaching order).
    crate::testorder::sort_by_source(lessons, &mut results);
    results
}

/// The first compile error of cargo's output.
fn first_errors(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .skip_while(|l| !l.starts_with("error"))
        .take(12)
        .collect();
    if lines.is_empty() {
        tail_lines(stderr, 12)
    } else {
        lines.join("\n")
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// One test at a time: a script being written while another test forks
    /// could be held open in the child, and exec would fail with ETXTBSY.
    static SERIAL: Mutex<()> = Mutex::new(());

    /// A stand-in for a test executable: a shell script.
    fn script(tag: &str, body: &str) -> Job {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("grade-test-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let exe = dir.join("t.sh");
        std::fs::write(&exe, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        Job {
            lesson: Lesson {
                name: "lesson00".into(),
                dir,
                suites: Vec::new(),
            },
            suite: "lesson00".into(),
            exe,
            name: "a_test".into(),
            source: TestSource {
                program: Some("server".into()),
                hint: Some("源代码里的提示".into()),
            },
        }
    }

    #[test]
    fn a_hanging_test_and_its_children_are_killed_at_the_timeout() {
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let job = script("hang", "sleep 30 &\necho started\nsleep 30");
        let start = Instant::now();
        let o = run_one(&job, Duration::from_millis(300));
        let _ = std::fs::remove_dir_all(&job.lesson.dir);
        assert_eq!(o.status, Status::TimedOut);
        assert_eq!(o.points, 0);
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(o.hint.as_deref(), Some("源代码里的提示"));
    }

    #[test]
    fn a_failure_gives_the_printed_hint_and_the_message() {
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let out = "\nrunning 1 test\ntest a_test ... FAILED\n\nfailures:\n\n---- a_test stdout ----\n\nthread 'a_test' (7) panicked at tests/x.rs:1:1:\n10 秒内没有收到服务器的 Welcome!\n提示 [server]: 服务器是不是只 accept 了一次?\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\nfailures:\n    a_test\n";
        let body = format!("cat <<'EOF'\n{out}\nEOF\nexit 101");
        let job = script("fail", &body);
        let o = run_one(&job, Duration::from_secs(10));
        let _ = std::fs::remove_dir_all(&job.lesson.dir);
        assert_eq!(o.status, Status::Failed);
        assert!(o.hint_printed);
        assert_eq!(o.hint.as_deref(), Some("服务器是不是只 accept 了一次?"));
        assert_eq!(o.message, "10 秒内没有收到服务器的 Welcome!");
    }

    #[test]
    fn toml_comments_and_spaced_headers_are_read_as_cargo_reads_them() {
        let toml = "[package]\nname = \"lesson03\" # the lesson\n[[ test ]]\nname = \"lesson03\"\npath = \"../../tests/lesson03.rs\" # \"x.rs\"\n";
        let t = toml_tables(toml, "[test]");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0]["path"], "../../tests/lesson03.rs");
        assert_eq!(
            toml_value(toml, "package", "name").as_deref(),
            Some("lesson03")
        );
    }

    #[test]
    fn a_pass_scores_its_point() {
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let job = script("pass", "exit 0");
        let o = run_one(&job, Duration::from_secs(10));
        let _ = std::fs::remove_dir_all(&job.lesson.dir);
        assert_eq!((o.status, o.points), (Status::Passed, 1));
    }
}
