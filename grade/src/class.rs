//! Grading submissions: one (`cargo grade --in SUB`) or a whole class
//! (`cargo grade class SUBMISSIONS --out RESULTS`).
//!
//! Each submission is graded on a fresh grading tree (`tree.rs`: the
//! instructor's pristine edition plus only the submission's exercise files),
//! built and tested in the sandbox (`sandbox.rs`). The pristine edition is
//! built once into a cached `target/` (`GRADE_WORK/cache`); a submission's
//! build starts from a copy of it, so it costs only its own exercise files.
//!
//! An exercise that does not compile costs only its own points: its
//! compiler errors are kept (once, under that exercise), the handed-out
//! version is put in its place, and the rest is built again. The maximum
//! comes from the pristine edition's tests (listed once from the pristine
//! build), so it is the same for every student whatever builds.

use crate::points::{self, Weights};
use crate::report;
use crate::run::{self, Job, Lesson, Options, Outcome, Status};
use crate::sandbox::{self, Sandbox};
use crate::source::{self, TestSource};
use crate::tree::{self, Pristine, Taken};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// The longest a submission's build may take.
const BUILD_TIMEOUT: Duration = Duration::from_secs(900);

/// One test of the pristine edition, as the grader knows it before grading.
#[derive(Clone, Debug)]
pub struct Canon {
    pub lesson: String,
    pub suite: String,
    pub name: String,
    pub source: TestSource,
    /// Its program has an exercise: the test counts.
    pub scored: bool,
    /// Its points (0 when not scored).
    pub weight: f64,
}

/// Everything prepared once for grading submissions.
pub struct Setup {
    pub sandbox: Sandbox,
    pub pristine: Pristine,
    /// The chosen lessons of the pristine edition (paths relative to the tree).
    pub lessons: Vec<Lesson>,
    pub canon: Vec<Canon>,
    pub opts: Options,
    /// The grading tree (rebuilt for each submission).
    tree: PathBuf,
    /// The pristine build's `target/`.
    cache: PathBuf,
    /// The pristine build's test executables.
    exes: BTreeMap<String, PathBuf>,
    /// Held while this grader uses the work folder.
    _lock: std::fs::File,
}

/// Per exercise: what it earned.
#[derive(Clone, Debug)]
pub struct ExerciseResult {
    pub program: String,
    pub lesson: String,
    pub points: f64,
    pub max: f64,
    /// `built`, `not_built` or `timed_out`.
    pub status: &'static str,
    pub tests: usize,
    pub passed: usize,
    /// Its compiler errors, once (when not built).
    pub errors: Option<String>,
}

/// Per lesson.
#[derive(Clone, Debug)]
pub struct LessonResult {
    pub lesson: String,
    pub points: f64,
    pub max: f64,
    pub status: &'static str,
    pub tests: usize,
    pub passed: usize,
    pub errors: Option<String>,
}

/// One graded test: the outcome with its points.
#[derive(Clone, Debug)]
pub struct Scored {
    pub outcome: Outcome,
    pub points: f64,
    pub max: f64,
}

/// A graded submission (or workspace).
#[derive(Clone, Debug, Default)]
pub struct Graded {
    pub student: Option<String>,
    pub commit: Option<String>,
    pub exercise_hash: Option<String>,
    pub edition: Option<String>,
    /// Seconds since 1970 and the same as ISO 8601 UTC.
    pub time: (u64, String),
    /// `bwrap`, `none` (`--unsandboxed`), or `None` (own workspace, no sandbox needed).
    pub sandbox: Option<&'static str>,
    pub ignored: Vec<(String, String)>,
    pub tests_replaced: Vec<String>,
    pub tests: Vec<Scored>,
    pub exercises: Vec<ExerciseResult>,
    pub lessons: Vec<LessonResult>,
    pub score: f64,
    pub max: f64,
    pub seconds: f64,
}

impl Graded {
    /// The graded view of plain results (grading the workspace one stands in):
    /// one point a test that counts.
    pub fn from_outcomes(results: &[Outcome], tests_replaced: &[String]) -> Graded {
        let tests: Vec<Scored> = results
            .iter()
            .map(|o| Scored {
                outcome: o.clone(),
                points: f64::from(o.points),
                max: f64::from(o.max_points),
            })
            .collect();
        let mut g = Graded {
            time: now(),
            tests_replaced: tests_replaced.to_vec(),
            tests,
            ..Graded::default()
        };
        g.summarize(&BTreeMap::new(), &BTreeMap::new(), &BTreeSet::new());
        g
    }

    /// Fills `exercises`, `lessons`, `score` and `max` from `tests`.
    fn summarize(
        &mut self,
        broken: &BTreeMap<String, String>,
        lesson_errors: &BTreeMap<String, String>,
        build_timed_out: &BTreeSet<String>,
    ) {
        let mut programs: Vec<(String, String)> = Vec::new();
        let mut lessons: Vec<String> = Vec::new();
        for t in &self.tests {
            let o = &t.outcome;
            if !lessons.contains(&o.lesson) {
                lessons.push(o.lesson.clone());
            }
            if let (true, Some(p)) = (o.exercise, &o.program) {
                if !programs.iter().any(|(q, _)| q == p) {
                    programs.push((p.clone(), o.lesson.clone()));
                }
            }
        }
        self.exercises = programs
            .into_iter()
            .map(|(program, lesson)| {
                let rows: Vec<&Scored> = self
                    .tests
                    .iter()
                    .filter(|t| {
                        t.outcome.exercise && t.outcome.program.as_deref() == Some(&program)
                    })
                    .collect();
                let status = if broken.contains_key(&program)
                    || rows.iter().all(|t| t.outcome.status == Status::NotBuilt)
                {
                    "not_built"
                } else if rows.iter().any(|t| t.outcome.status == Status::TimedOut) {
                    "timed_out"
                } else {
                    "built"
                };
                ExerciseResult {
                    points: points::round2(rows.iter().map(|t| t.points).sum()),
                    max: points::round2(rows.iter().map(|t| t.max).sum()),
                    tests: rows.len(),
                    passed: rows
                        .iter()
                        .filter(|t| t.outcome.status == Status::Passed)
                        .count(),
                    errors: broken.get(&program).cloned(),
                    status,
                    program,
                    lesson,
                }
            })
            .collect();
        self.lessons = lessons
            .into_iter()
            .map(|lesson| {
                let rows: Vec<&Scored> = self
                    .tests
                    .iter()
                    .filter(|t| t.outcome.lesson == lesson)
                    .collect();
                let status = if build_timed_out.contains(&lesson) {
                    "timed_out"
                } else if lesson_errors.contains_key(&lesson) {
                    "not_built"
                } else {
                    "built"
                };
                LessonResult {
                    points: points::round2(rows.iter().map(|t| t.points).sum()),
                    max: points::round2(rows.iter().map(|t| t.max).sum()),
                    tests: rows.len(),
                    passed: rows
                        .iter()
                        .filter(|t| t.outcome.status == Status::Passed)
                        .count(),
                    errors: lesson_errors.get(&lesson).cloned(),
                    status,
                    lesson,
                }
            })
            .collect();
        self.score = points::round2(self.tests.iter().map(|t| t.points).sum());
        self.max = points::round2(self.tests.iter().map(|t| t.max).sum());
    }
}

/// Now, as seconds and ISO 8601 UTC.
pub fn now() -> (u64, String) {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    (secs, iso(secs))
}

/// `2026-12-03T13:30:33Z`.
pub fn iso(secs: u64) -> String {
    let days = (secs / 86400) as i64;
    let rem = secs % 86400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Every string value of `key` in a JSON line.
fn json_strings(line: &str, key: &str) -> Vec<String> {
    let pat = format!("\"{key}\":");
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find(&pat) {
        rest = &rest[at + pat.len()..];
        if let Some(v) = source::json_string(&format!("{pat}{rest}"), key) {
            out.push(v);
        }
    }
    out
}

/// What one cargo build said.
#[derive(Default)]
struct BuildOut {
    ok: bool,
    timed_out: bool,
    /// Test target name → its executable (as seen by the code that runs).
    exes: BTreeMap<String, PathBuf>,
    /// Error messages: (files of its spans, the target's src_path, its lesson, rendered).
    errors: Vec<(Vec<String>, String, String, String)>,
    /// Cargo's stderr (its own errors).
    stderr: String,
}

impl Setup {
    /// Exports the pristine edition of `root` into `work`, builds it once in
    /// the sandbox (reusing the cached build when the edition has not
    /// changed), and lists its tests.
    pub fn prepare(
        root: &Path,
        work: &Path,
        sandbox: Sandbox,
        words: &[String],
        opts: &Options,
    ) -> Result<Setup, String> {
        std::fs::create_dir_all(work).map_err(|e| format!("{}: {e}", work.display()))?;
        // One grader at a time on a work folder (its tree and cache are shared).
        let lock = std::fs::File::create(work.join("lock"))
            .map_err(|e| format!("{}: {e}", work.display()))?;
        if lock.try_lock().is_err() {
            return Err(format!(
                "另一个 cargo grade 正在用 {} (评作业一次只能运行一个): 等它结束再试",
                work.display()
            ));
        }
        let pristine = tree::pristine(root, &work.join("pristine"))?;
        let all = run::lessons(&pristine.dir);
        let mut lessons = Vec::new();
        for l in &all {
            let want = words.is_empty()
                || words.iter().any(|w| {
                    let digits = w.trim_start_matches("lesson");
                    match digits.parse::<u32>() {
                        Ok(n) => l.name == format!("lesson{n:02}"),
                        Err(_) => l.name == *w,
                    }
                });
            if want {
                let dir = l
                    .dir
                    .strip_prefix(&pristine.dir)
                    .unwrap_or(&l.dir)
                    .to_path_buf();
                let suites = l
                    .suites
                    .iter()
                    .map(|s| run::Suite {
                        name: s.name.clone(),
                        file: s.file.clone(),
                    })
                    .collect();
                lessons.push(Lesson {
                    name: l.name.clone(),
                    dir,
                    suites,
                });
            }
        }
        if lessons.is_empty() {
            let names: Vec<&str> = all.iter().map(|l| l.name.as_str()).collect();
            return Err(format!(
                "没有这些课: {} (有: {})",
                words.join(" "),
                names.join(" ")
            ));
        }
        let weights = Weights::load(root)?;
        let mut setup = Setup {
            sandbox,
            pristine,
            lessons,
            canon: Vec::new(),
            opts: opts.clone(),
            tree: work.join("ws"),
            cache: work.join("cache"),
            exes: BTreeMap::new(),
            _lock: lock,
        };
        let stamp_path = work.join("cache.stamp");
        let stamp = format!(
            "{} {} {}",
            setup.pristine.hash,
            setup.sandbox.name(),
            setup.sandbox.tools().sysroot.display()
        );
        let fresh =
            std::fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp) && setup.cache.is_dir();
        let p = setup.pristine.clone();
        std::fs::create_dir_all(&setup.tree)
            .map_err(|e| format!("{}: {e}", setup.tree.display()))?;
        tree::build_tree(&p, &p.dir, &setup.tree)?;
        if !fresh {
            eprintln!("构建发下去的练习版 (只在练习版变了时做一次) …");
            let _ = std::fs::remove_file(&stamp_path);
            let _ = std::fs::remove_dir_all(&setup.cache);
            let target = setup.tree.join("target");
            let _ = std::fs::remove_dir_all(&target);
            std::fs::create_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
            let b = setup.build(&target, None);
            if !b.ok {
                let errs: Vec<String> = b.errors.iter().map(|e| e.3.clone()).collect();
                return Err(format!(
                    "发下去的练习版本身构建不了:\n{}\n{}",
                    errs.join("\n"),
                    b.stderr
                ));
            }
            std::fs::rename(&target, &setup.cache)
                .map_err(|e| format!("{}: {e}", setup.cache.display()))?;
            std::fs::write(&stamp_path, &stamp)
                .map_err(|e| format!("{}: {e}", stamp_path.display()))?;
        }
        // The tests of the pristine edition: the same list (and so the same
        // maximum) for every student.
        let b = setup.build(&setup.cache.clone(), None);
        if !b.ok {
            return Err(format!(
                "缓存的构建不能用了, 删掉 {} 再试: {}",
                work.display(),
                b.stderr
            ));
        }
        let exercised: BTreeSet<String> = setup
            .pristine
            .exercises
            .iter()
            .map(|e| e.program.clone())
            .collect();
        let mut canon = Vec::new();
        for l in &setup.lessons {
            for s in &l.suites {
                let Some(exe) = b.exes.get(&s.name) else {
                    return Err(format!("练习版的测试程序 {} 没有构建出来", s.name));
                };
                let srcs = run::sources(s);
                let out = setup
                    .sandbox
                    .command(&setup.tree, Some(&setup.cache), true, &l.dir, &[], exe)
                    .args(["--list", "--format", "terse"])
                    .stdin(Stdio::null())
                    .stderr(Stdio::null())
                    .output()
                    .map_err(|e| format!("{}: {e}", exe.display()))?;
                for name in String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .filter_map(|l| l.strip_suffix(": test"))
                {
                    let source = srcs.get(name).cloned().unwrap_or_default();
                    let scored = source
                        .program
                        .as_ref()
                        .is_some_and(|p| exercised.contains(p));
                    canon.push(Canon {
                        lesson: l.name.clone(),
                        suite: s.name.clone(),
                        name: name.to_string(),
                        source,
                        scored,
                        weight: 0.0,
                    });
                }
            }
        }
        let mut count: BTreeMap<String, usize> = BTreeMap::new();
        for c in canon.iter().filter(|c| c.scored) {
            *count
                .entry(c.source.program.clone().unwrap_or_default())
                .or_default() += 1;
        }
        for c in &mut canon {
            if c.scored {
                let p = c.source.program.clone().unwrap_or_default();
                c.weight = weights.per_test(&p, count[&p]);
            }
        }
        if canon.iter().all(|c| !c.scored) {
            return Err("练习版里没有计分的测试".into());
        }
        setup.canon = canon;
        setup.exes = b.exes;
        Ok(setup)
    }

    /// The maximum score (the same for every student).
    pub fn max(&self) -> f64 {
        points::round2(self.canon.iter().map(|c| c.weight).sum())
    }

    /// `cargo build` of the chosen lessons' test targets, in the sandbox, on
    /// the grading tree with `target`; killed at `BUILD_TIMEOUT` (or `limit`).
    fn build(&self, target: &Path, limit: Option<Duration>) -> BuildOut {
        let mut args = vec![
            "build",
            "--offline",
            "--keep-going",
            "--message-format=json",
        ];
        for l in &self.lessons {
            args.extend(["-p", l.name.as_str()]);
            for s in &l.suites {
                args.extend(["--test", s.name.as_str()]);
            }
        }
        let mut cmd = self.sandbox.cargo(&self.tree, target, &args);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let mut out = BuildOut::default();
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                out.stderr = format!("cargo 启动不了: {e}");
                return out;
            }
        };
        let so = collect(child.stdout.take().expect("piped"));
        let se = collect(child.stderr.take().expect("piped"));
        let start = Instant::now();
        let limit = limit.unwrap_or(BUILD_TIMEOUT);
        let status = loop {
            match child.try_wait() {
                Ok(Some(s)) => break Some(s),
                Ok(None) if start.elapsed() >= limit => break None,
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                Err(_) => break None,
            }
        };
        if status.is_none() {
            out.timed_out = true;
            #[cfg(unix)]
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
        }
        let _ = child.wait();
        let stdout = so.join().unwrap_or_default();
        out.stderr = se.join().unwrap_or_default();
        out.ok = status.is_some_and(|s| s.success());
        let seen = self.sandbox.seen(&self.tree);
        let prefix = format!("{}/", seen.display());
        for line in stdout.lines() {
            if line.contains("\"reason\":\"compiler-artifact\"")
                && line.contains("\"kind\":[\"test\"]")
            {
                if let (Some(name), Some(exe)) = (
                    source::json_string(line, "name"),
                    source::json_string(line, "executable"),
                ) {
                    out.exes.insert(name, PathBuf::from(exe));
                }
            } else if line.contains("\"reason\":\"compiler-message\"")
                && line.contains("\"level\":\"error\"")
            {
                let src = source::json_string(line, "src_path").unwrap_or_default();
                let src = src.strip_prefix(&prefix).unwrap_or(&src).to_string();
                let files: Vec<String> = json_strings(line, "file_name")
                    .into_iter()
                    .map(|f| f.strip_prefix(&prefix).map(str::to_string).unwrap_or(f))
                    .collect();
                let lesson = self
                    .lessons
                    .iter()
                    .find(|l| Path::new(&src).starts_with(&l.dir))
                    .map(|l| l.name.clone())
                    .unwrap_or_default();
                let rendered = source::json_string(line, "rendered").unwrap_or_default();
                out.errors.push((files, src, lesson, rendered));
            }
        }
        out
    }

    /// Grades one submission folder.
    pub fn grade(&self, sub: &Path, student: &str) -> Result<Graded, String> {
        let start = Instant::now();
        let taken: Taken = tree::build_tree(&self.pristine, sub, &self.tree)?;
        let changed: BTreeSet<&str> = taken.changed.iter().map(String::as_str).collect();
        let target = self.tree.join("target");
        let _ = std::fs::remove_dir_all(&target);
        let mut broken: BTreeMap<String, String> = BTreeMap::new();
        let mut lesson_errors: BTreeMap<String, String> = BTreeMap::new();
        let mut timed_out_build = BTreeSet::new();
        let exes;
        let used_target;
        if changed.is_empty() {
            // Nothing handed in differs from the edition: the pristine build is it.
            used_target = self.cache.clone();
            exes = self.exes.clone();
        } else {
            let cp = Command::new("cp")
                .args(["-a", "--reflink=auto"])
                .arg(&self.cache)
                .arg(&target)
                .status()
                .map_err(|e| format!("cp: {e}"))?;
            if !cp.success() {
                return Err(format!("复制不了缓存的构建到 {}", target.display()));
            }
            used_target = target.clone();
            let mut last;
            let mut rounds = 0;
            loop {
                rounds += 1;
                last = self.build(&target, None);
                if last.timed_out {
                    for l in &self.lessons {
                        timed_out_build.insert(l.name.clone());
                        lesson_errors.insert(
                            l.name.clone(),
                            format!("构建超过 {} 秒, 已被结束", BUILD_TIMEOUT.as_secs()),
                        );
                    }
                    break;
                }
                if last.ok {
                    break;
                }
                // Blame the exercises whose files the errors point at (or whose
                // binary they are in); put the handed-out version back; again.
                let mut blamed: BTreeMap<String, Vec<String>> = BTreeMap::new();
                for (files, src, _, rendered) in &last.errors {
                    let mut whose: Vec<&tree::Exercise> = self
                        .pristine
                        .exercises
                        .iter()
                        .filter(|e| files.iter().any(|f| Path::new(f) == e.file))
                        .collect();
                    if whose.is_empty() {
                        whose = self
                            .pristine
                            .exercises
                            .iter()
                            .filter(|e| Path::new(src) == e.file)
                            .collect();
                    }
                    for e in whose {
                        if changed.contains(e.program.as_str()) && !broken.contains_key(&e.program)
                        {
                            let v = blamed.entry(e.program.clone()).or_default();
                            if !v.contains(rendered) {
                                v.push(rendered.clone());
                            }
                        }
                    }
                }
                if blamed.is_empty() || rounds > 6 {
                    break;
                }
                for (program, errs) in blamed {
                    let e = self
                        .pristine
                        .exercises
                        .iter()
                        .find(|e| e.program == program)
                        .expect("blamed an exercise");
                    let to = self.tree.join(&e.file);
                    std::fs::copy(self.pristine.dir.join(&e.file), &to)
                        .map_err(|err| format!("{}: {err}", to.display()))?;
                    if let Ok(f) = std::fs::File::options().write(true).open(&to) {
                        let _ = f.set_modified(SystemTime::now());
                    }
                    broken.insert(program, sandbox::visible(&errs.join("\n")));
                }
            }
            if !last.ok && !last.timed_out {
                for l in &self.lessons {
                    if l.suites.iter().any(|s| !last.exes.contains_key(&s.name)) {
                        let errs: Vec<String> = last
                            .errors
                            .iter()
                            .filter(|e| e.2 == l.name)
                            .map(|e| e.3.clone())
                            .collect();
                        let text = if errs.is_empty() {
                            last.stderr.clone()
                        } else {
                            errs.join("\n")
                        };
                        lesson_errors.insert(l.name.clone(), sandbox::visible(&text));
                    }
                }
            }
            exes = last.exes;
        }
        // The tests: the pristine list, each run (or not) in the sandbox.
        let mut jobs = Vec::new();
        let mut fixed: Vec<(usize, Outcome)> = Vec::new();
        let scored: Vec<&Canon> = self.canon.iter().filter(|c| c.scored).collect();
        for (i, c) in scored.iter().enumerate() {
            let program = c.source.program.clone().unwrap_or_default();
            let lesson = self
                .lessons
                .iter()
                .find(|l| l.name == c.lesson)
                .expect("chosen lesson");
            let not_run = |status: Status, message: String| Outcome {
                lesson: c.lesson.clone(),
                suite: c.suite.clone(),
                name: c.name.clone(),
                program: c.source.program.clone(),
                status,
                points: 0,
                max_points: 1,
                seconds: 0.0,
                hint: c.source.hint.clone(),
                message,
                hint_printed: false,
                exercise: true,
            };
            if let Some(e) = lesson_errors.get(&c.lesson) {
                let status = if timed_out_build.contains(&c.lesson) {
                    Status::TimedOut
                } else {
                    Status::NotBuilt
                };
                fixed.push((i, not_run(status, first_line(e))));
            } else if broken.contains_key(&program) {
                fixed.push((
                    i,
                    not_run(
                        Status::NotBuilt,
                        format!("练习 {program} 没有编译通过 (编译错误记在这个练习下面, 只记一次)"),
                    ),
                ));
            } else if !changed.contains(program.as_str()) {
                fixed.push((
                    i,
                    not_run(
                        Status::Failed,
                        format!(
                            "没有交练习 {program} (和发下去的版本相同), 它的测试不运行, 记 0 分"
                        ),
                    ),
                ));
            } else if let Some(exe) = exes.get(&c.suite) {
                jobs.push((
                    i,
                    Job {
                        lesson: lesson.clone(),
                        suite: c.suite.clone(),
                        exe: exe.clone(),
                        name: c.name.clone(),
                        source: c.source.clone(),
                    },
                ));
            } else {
                fixed.push((i, not_run(Status::NotBuilt, "测试程序没有构建出来".into())));
            }
        }
        let sb = self.sandbox.clone();
        let tree_dir = self.tree.clone();
        let tgt = used_target.clone();
        let make: run::MakeCommand = Arc::new(move |job: &Job| {
            let seen = sb.seen(&tree_dir).join(&job.lesson.dir);
            let env = [
                ("RUST_BACKTRACE", "0".to_string()),
                ("CARGO_MANIFEST_DIR", seen.to_string_lossy().to_string()),
            ];
            let mut cmd = sb.command(&tree_dir, Some(&tgt), true, &job.lesson.dir, &env, &job.exe);
            cmd.args([job.name.as_str(), "--exact", "--test-threads", "1"]);
            cmd
        });
        let (idx, jobs): (Vec<usize>, Vec<Job>) = jobs.into_iter().unzip();
        let ran = run::run_all_with(jobs, &self.opts, make);
        let mut all: Vec<(usize, Outcome)> = idx.into_iter().zip(ran).collect();
        all.extend(fixed);
        all.sort_by_key(|(i, _)| *i);
        let tests: Vec<Scored> = all
            .into_iter()
            .map(|(i, mut o)| {
                o.message = sandbox::visible(&o.message);
                o.hint = o.hint.map(|h| sandbox::visible(&h));
                let w = scored[i].weight;
                let points = if o.status == Status::Passed { w } else { 0.0 };
                o.points = u32::from(o.status == Status::Passed);
                o.max_points = 1;
                Scored {
                    outcome: o,
                    points,
                    max: w,
                }
            })
            .collect();
        let mut g = Graded {
            student: Some(student.to_string()),
            commit: git_commit(sub),
            exercise_hash: Some(taken.hash.clone()),
            edition: Some(self.pristine.hash[..16].to_string()),
            time: now(),
            sandbox: Some(self.sandbox.name()),
            ignored: taken
                .ignored
                .iter()
                .map(|(p, w)| (sandbox::visible(p), w.clone()))
                .collect(),
            tests,
            ..Graded::default()
        };
        g.summarize(&broken, &lesson_errors, &timed_out_build);
        // Exercises of the edition with no test in the chosen lessons do not appear.
        g.seconds = start.elapsed().as_secs_f64();
        let _ = std::fs::remove_dir_all(&target);
        Ok(g)
    }
}

fn first_line(s: &str) -> String {
    s.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .to_string()
}

fn collect(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = pipe.read_to_end(&mut v);
        String::from_utf8_lossy(&v).to_string()
    })
}

/// The submission's commit when it is a git repository, read from its files
/// (git itself is not run on a submission: its config could run commands).
pub fn git_commit(sub: &Path) -> Option<String> {
    let git = sub.join(".git");
    let head = std::fs::read_to_string(git.join("HEAD")).ok()?;
    let head = head.trim();
    let hash = match head.strip_prefix("ref: ") {
        None => head.to_string(),
        Some(r) => {
            if r.contains("..") {
                return None;
            }
            match std::fs::read_to_string(git.join(r)) {
                Ok(h) => h.trim().to_string(),
                Err(_) => std::fs::read_to_string(git.join("packed-refs"))
                    .ok()?
                    .lines()
                    .find_map(|l| l.strip_suffix(r).map(|h| h.trim().to_string()))?,
            }
        }
    };
    (hash.len() == 40 && hash.chars().all(|c| c.is_ascii_hexdigit())).then_some(hash)
}

/// Writes `text` to `path` atomically: a temporary file beside it, then rename.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), String> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, text).map_err(|e| format!("写不了 {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("写不了 {}: {e}", path.display()))
}

/// A student's name as a file name: no path separators, no control characters.
pub fn file_name(student: &str) -> String {
    let s: String = student
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let s = s.trim_start_matches('.').to_string();
    if s.is_empty() {
        "_".into()
    } else {
        s
    }
}

/// One CSV field, quoted when needed; a leading `= + - @` is defused for
/// spreadsheets.
fn csv_field(s: &str) -> String {
    let mut s = s.to_string();
    if s.starts_with(['=', '+', '-', '@']) {
        s.insert(0, '\'');
    }
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The CSV header: fixed columns, one a lesson, one an exercise, then flags.
pub fn csv_header(setup: &Setup) -> (String, Vec<String>, Vec<String>) {
    let lessons: Vec<String> = setup.lessons.iter().map(|l| l.name.clone()).collect();
    let mut programs: Vec<String> = Vec::new();
    for c in setup.canon.iter().filter(|c| c.scored) {
        let p = c.source.program.clone().unwrap_or_default();
        if !programs.contains(&p) {
            programs.push(p);
        }
    }
    let mut cols = vec!["student".to_string(), "score".into(), "max_score".into()];
    cols.extend(lessons.iter().cloned());
    cols.extend(programs.iter().cloned());
    cols.extend([
        "not_built".into(),
        "timed_out".into(),
        "ignored_files".into(),
        "unsandboxed".into(),
        "error".into(),
    ]);
    (cols.join(","), lessons, programs)
}

/// One CSV row for a graded submission (or one that could not be graded).
pub fn csv_row(
    student: &str,
    g: Option<&Graded>,
    error: Option<&str>,
    setup: &Setup,
    lessons: &[String],
    programs: &[String],
) -> String {
    let mut f = vec![csv_field(student)];
    match g {
        Some(g) => {
            f.push(points::show(g.score));
            f.push(points::show(g.max));
            for l in lessons {
                f.push(
                    g.lessons
                        .iter()
                        .find(|x| &x.lesson == l)
                        .map_or("0".into(), |x| points::show(x.points)),
                );
            }
            for p in programs {
                f.push(
                    g.exercises
                        .iter()
                        .find(|x| &x.program == p)
                        .map_or("0".into(), |x| points::show(x.points)),
                );
            }
            let mut nb: Vec<String> = g
                .lessons
                .iter()
                .filter(|l| l.status == "not_built")
                .map(|l| l.lesson.clone())
                .collect();
            nb.extend(
                g.exercises
                    .iter()
                    .filter(|e| e.status == "not_built" && e.errors.is_some())
                    .map(|e| e.program.clone()),
            );
            f.push(csv_field(&nb.join(" ")));
            let to = g
                .tests
                .iter()
                .filter(|t| t.outcome.status == Status::TimedOut)
                .count();
            f.push(to.to_string());
            f.push(g.ignored.len().to_string());
            f.push(
                if g.sandbox == Some("none") {
                    "yes"
                } else {
                    "no"
                }
                .into(),
            );
            f.push(String::new());
        }
        None => {
            f.push("0".into());
            f.push(points::show(setup.max()));
            for _ in lessons.iter().chain(programs) {
                f.push("0".into());
            }
            f.push(String::new());
            f.push("0".into());
            f.push("0".into());
            f.push(
                if setup.sandbox.name() == "none" {
                    "yes"
                } else {
                    "no"
                }
                .into(),
            );
            f.push(csv_field(
                &sandbox::visible(error.unwrap_or("")).replace('\n', " "),
            ));
        }
    }
    f.join(",")
}

/// `cargo grade class SUBMISSIONS --out RESULTS [lessons…]`.
pub fn class(setup: &Setup, submissions: &Path, out: &Path) -> Result<usize, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let results = out.canonicalize().ok();
    // Every folder (not a symlink, not hidden like `.git`, not the results);
    // anything else there is named, so that no student goes missing unseen.
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(submissions)
        .map_err(|e| format!("{}: {e}", submissions.display()))?
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter(|e| e.path().canonicalize().ok() != results)
        .collect();
    let (folders, others): (Vec<_>, Vec<_>) = entries
        .into_iter()
        .partition(|e| e.file_type().is_ok_and(|t| t.is_dir()));
    let mut skipped: Vec<String> = others
        .iter()
        .map(|e| sandbox::visible(&e.file_name().to_string_lossy()))
        .collect();
    if !skipped.is_empty() {
        skipped.sort();
        eprintln!(
            "跳过 (不是目录, 没有评; 压缩包先解压成一个目录, 符号链接换成目录本身): {}",
            skipped.join(", ")
        );
    }
    let mut subs: Vec<PathBuf> = folders.iter().map(|e| e.path()).collect();
    subs.sort();
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let (header, lessons, programs) = csv_header(setup);
    let mut rows = vec![header];
    let start = Instant::now();
    let tty = std::io::stderr().is_terminal();
    let total = subs.len();
    for (n, sub) in subs.iter().enumerate() {
        let student = sandbox::visible(&sub.file_name().unwrap_or_default().to_string_lossy())
            .replace('\n', " ");
        let line = format!(
            "[{}/{total}] {student} (已用 {})",
            n + 1,
            clock(start.elapsed())
        );
        if tty {
            eprint!("\r\x1b[2K{line}");
            let _ = std::io::stderr().flush();
        } else {
            eprintln!("{line}");
        }
        let graded = setup.grade(sub, &student);
        let row = match &graded {
            Ok(g) => {
                let path = out.join(format!("{}.json", file_name(&student)));
                write_atomic(&path, &report::submission_json(g))?;
                csv_row(&student, Some(g), None, setup, &lessons, &programs)
            }
            Err(e) => csv_row(&student, None, Some(e), setup, &lessons, &programs),
        };
        rows.push(row);
        // After every submission, so a stopped run leaves what it graded.
        write_atomic(&out.join("grades.csv"), &(rows.join("\n") + "\n"))?;
    }
    // Also for an empty folder: the gradebook file exists, with its header.
    write_atomic(&out.join("grades.csv"), &(rows.join("\n") + "\n"))?;
    if tty {
        eprintln!();
    }
    eprintln!(
        "评完 {total} 份作业, 用时 {} (每份平均 {:.1} 秒); 结果在 {}",
        clock(start.elapsed()),
        start.elapsed().as_secs_f64() / total.max(1) as f64,
        out.join("grades.csv").display()
    );
    Ok(total)
}

fn clock(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}m{:02}s", s / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(program: &str, status: Status, w: f64) -> Scored {
        Scored {
            outcome: Outcome {
                lesson: "lesson03".into(),
                suite: "lesson03".into(),
                name: format!("{program}_{status:?}"),
                program: Some(program.into()),
                status,
                points: u32::from(status == Status::Passed),
                max_points: 1,
                seconds: 0.1,
                hint: None,
                message: String::new(),
                hint_printed: false,
                exercise: true,
            },
            points: if status == Status::Passed { w } else { 0.0 },
            max: w,
        }
    }

    #[test]
    fn a_broken_exercise_costs_only_its_points_and_the_maximum_stays() {
        let w = Weights(BTreeMap::from([("server".to_string(), 10.0)]));
        let per = w.per_test("server", 4);
        let mut g = Graded {
            tests: vec![
                scored("server", Status::Passed, per),
                scored("server", Status::Passed, per),
                scored("server", Status::Failed, per),
                scored("server", Status::TimedOut, per),
                scored("client", Status::NotBuilt, w.per_test("client", 2)),
                scored("client", Status::NotBuilt, w.per_test("client", 2)),
            ],
            ..Graded::default()
        };
        let broken = BTreeMap::from([("client".to_string(), "error[E0308]".to_string())]);
        g.summarize(&broken, &BTreeMap::new(), &BTreeSet::new());
        assert_eq!((g.score, g.max), (5.0, 12.0));
        let server = &g.exercises[0];
        assert_eq!(
            (
                server.program.as_str(),
                server.points,
                server.max,
                server.status
            ),
            ("server", 5.0, 10.0, "timed_out")
        );
        let client = &g.exercises[1];
        assert_eq!(
            (client.points, client.max, client.status),
            (0.0, 2.0, "not_built")
        );
        assert_eq!(client.errors.as_deref(), Some("error[E0308]"));
        assert_eq!(
            (g.lessons[0].points, g.lessons[0].max, g.lessons[0].status),
            (5.0, 12.0, "built")
        );
        let json = report::submission_json(&g);
        assert!(
            json.contains("\"score\": 5,\n  \"max_score\": 12,"),
            "{json}"
        );
        assert!(
            json.contains("\"points\": 2.5, \"max_points\": 2.5"),
            "{json}"
        );
    }

    #[test]
    fn iso_dates_are_utc() {
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso(1_796_304_633), "2026-12-03T13:30:33Z");
        assert_eq!(iso(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("张三"), "张三");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("=cmd()"), "'=cmd()");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("x\"y,"), "\"x\"\"y,\"");
    }

    #[test]
    fn student_names_make_safe_file_names() {
        assert_eq!(file_name("../x"), "_x".trim_start_matches('.'));
        assert_eq!(file_name("a/b\u{1b}"), "a_b_");
        assert_eq!(file_name(".."), "_");
    }

    #[test]
    fn a_commit_is_read_from_the_git_files() {
        let d = std::env::temp_dir().join(format!("grade-git-{}", std::process::id()));
        let h = "0123456789abcdef0123456789abcdef01234567";
        std::fs::create_dir_all(d.join(".git/refs/heads")).unwrap();
        std::fs::write(d.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(d.join(".git/refs/heads/main"), format!("{h}\n")).unwrap();
        let c = git_commit(&d);
        let _ = std::fs::remove_dir_all(&d);
        assert_eq!(c.as_deref(), Some(h));
    }
}
