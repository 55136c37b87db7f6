//! The score table, the failures with their hints, and the JSON file.

use crate::class::Graded;
use crate::run::{Outcome, Status};
use crate::source::json_escape;

/// How many lines of a failure message the table's notes show.
const MESSAGE_LINES: usize = 8;

/// What the table says after the program of a test that does not count (a tool
/// beyond the text or a library: no exercise); the total line explains it.
const NOT_SCORED: &str = "不计分";

/// Prints one table per lesson, the total, then each failing test's hint and
/// the first lines of its message.
pub fn print(results: &[Outcome], quiet: bool) {
    print_tests(results, quiet);
    print_total(results);
}

/// The tables and the failures, without the total (`cargo grade <program>`
/// ends on the program's own line instead).
pub fn print_tests(results: &[Outcome], quiet: bool) {
    let mut lessons: Vec<&str> = Vec::new();
    for o in results {
        if !lessons.contains(&o.lesson.as_str()) {
            lessons.push(&o.lesson);
        }
    }
    for lesson in &lessons {
        let rows: Vec<&Outcome> = results.iter().filter(|o| o.lesson == *lesson).collect();
        let (got, max) = score(rows.iter().copied());
        let extra = rows.iter().filter(|o| !o.exercise).count();
        let extra_passed = rows
            .iter()
            .filter(|o| !o.exercise && o.status == Status::Passed)
            .count();
        let others = if extra > 0 {
            format!(" (另有 {extra} 个不计分的测试, 通过 {extra_passed} 个)")
        } else {
            String::new()
        };
        println!();
        println!("{lesson}: {got}/{max} 分{others}");
        if quiet {
            continue;
        }
        println!("  结果  分数  秒     测试 (程序)");
        for o in &rows {
            let points = if o.exercise {
                format!("{}/{}", o.points, o.max_points)
            } else {
                " - ".to_string()
            };
            let program = o.program.as_deref().unwrap_or("?");
            let program = if o.exercise {
                program.to_string()
            } else {
                format!("{program}, {NOT_SCORED}")
            };
            println!(
                "  {}  {points}   {:>5.1}  {} ({program})",
                o.status.chinese(),
                o.seconds,
                id(o),
            );
        }
    }
    let failing: Vec<&Outcome> = results
        .iter()
        .filter(|o| o.status != Status::Passed)
        .collect();
    if !failing.is_empty() {
        println!();
        println!("没有通过的测试 ({} 个):", failing.len());
        let mut compile_errors_shown: Vec<&str> = Vec::new();
        for o in &failing {
            if o.status == Status::NotBuilt {
                // A lesson's compile error: once, not once per test.
                if compile_errors_shown.contains(&o.lesson.as_str()) {
                    continue;
                }
                compile_errors_shown.push(&o.lesson);
                let n = failing
                    .iter()
                    .filter(|x| x.lesson == o.lesson && x.status == Status::NotBuilt)
                    .count();
                println!();
                let place = crate::lastgood::broken_file(&o.message)
                    .map_or(String::new(), |(_, p)| format!(": {p}"));
                println!(
                    "■ {} 没有编译通过{place} ({n} 个测试没能运行; 先修好它, 例如 cargo build -p {})",
                    o.lesson, o.lesson
                );
                for l in o.message.lines().take(12) {
                    println!("  | {l}");
                }
                continue;
            }
            println!();
            println!(
                "■ {}::{} [{}] ({}{})",
                o.lesson,
                id(o),
                o.status.chinese(),
                o.program.as_deref().unwrap_or("?"),
                if o.exercise {
                    String::new()
                } else {
                    format!(", {NOT_SCORED}")
                }
            );
            if let Some(h) = &o.hint {
                println!("  提示: {h}");
            }
            let lines: Vec<&str> = o.message.lines().collect();
            for l in lines.iter().take(MESSAGE_LINES) {
                println!("  | {l}");
            }
            if lines.len() > MESSAGE_LINES {
                println!(
                    "  | … (还有 {} 行; 看全部: cargo test -p {} --test {} -- --exact {})",
                    lines.len() - MESSAGE_LINES,
                    o.lesson,
                    o.suite,
                    o.name
                );
            }
        }
    }
}

/// The total line and the notes under it.
pub fn print_total(results: &[Outcome]) {
    let failing = results
        .iter()
        .filter(|o| o.status != Status::Passed)
        .count();
    let (got, max) = score(results.iter());
    let percent = (got * 100).checked_div(max).unwrap_or(0);
    let extra = results.iter().filter(|o| !o.exercise).count();
    let extra_passed = results
        .iter()
        .filter(|o| !o.exercise && o.status == Status::Passed)
        .count();
    println!();
    println!("总分: {got}/{max} ({percent}%) (只计有练习的程序的测试)");
    if extra > 0 {
        println!("不计分的测试 (原文以外的工具和库, 和要两个练习都做完的配对测试 pairing_…): 通过 {extra_passed}/{extra}");
    }
    if failing == 0 {
        println!("全部 {} 个测试都通过了", results.len());
    } else if got == max && max > 0 {
        println!("计分的测试全部通过, 但有 {failing} 个不计分的测试没通过 (退出码 1)");
    }
}

/// A test's name, with its suite when that is not the lesson's main one.
fn id(o: &Outcome) -> String {
    if o.suite == o.lesson {
        o.name.clone()
    } else {
        format!("{}::{}", o.suite, o.name)
    }
}

fn score<'a>(rows: impl Iterator<Item = &'a Outcome>) -> (u32, u32) {
    rows.fold((0, 0), |(g, m), o| (g + o.points, m + o.max_points))
}

/// The JSON of grading the workspace one stands in (`--json FILE` without
/// `--in`): the same format as a submission's, with no student.
pub fn json(results: &[Outcome], tests_replaced: &[String]) -> String {
    submission_json(&Graded::from_outcomes(results, tests_replaced))
}

/// The version of the JSON format (README, 「评分结果的 JSON」).
pub const FORMAT: &str = "workbook-grade/3";

fn opt(s: &Option<String>) -> String {
    s.as_deref().map_or("null".to_string(), json_escape)
}

fn num(v: f64) -> String {
    crate::points::show(v)
}

/// A graded submission as JSON (format `workbook-grade/3`, in the README):
///
/// ```json
/// {"format": "workbook-grade/3", "student": "张三", "commit": "…40 hex…",
///  "exercise_files_sha256": "…", "grader_version": "0.1.0", "edition_version": "…16 hex…",
///  "time": "2026-12-03T13:30:33Z", "unix_time": 1796304633, "sandbox": "bwrap",
///  "score": 40, "max_score": 117, "all_passed": false,
///  "passed": 40, "failed": 70, "timed_out": 1, "not_built": 6, "not_scored": 0,
///  "ignored_files": [{"path": "lessons/03_threads/build.rs", "why": "多出的文件"}],
///  "tests_replaced": [],
///  "lessons": [{"lesson": "lesson03", "score": 10, "max_score": 26, "status": "built",
///               "tests": 26, "passed": 10, "errors": null}],
///  "exercises": [{"program": "server", "lesson": "lesson03", "score": 3, "max_score": 11,
///                 "status": "built", "tests": 11, "passed": 3, "errors": null}],
///  "tests": [{"name": "…", "lesson": "lesson03", "suite": "lesson03", "program": "server",
///             "exercise": true, "status": "passed", "points": 1, "max_points": 1,
///             "seconds": 0.21, "hint": "…", "message": ""}]}
/// ```
pub fn submission_json(g: &Graded) -> String {
    let count = |s: Status| g.tests.iter().filter(|t| t.outcome.status == s).count();
    let all_passed = !g.tests.is_empty() && count(Status::Passed) == g.tests.len();
    let mut s = String::from("{\n");
    s.push_str(&format!("  \"format\": {},\n", json_escape(FORMAT)));
    s.push_str(&format!("  \"student\": {},\n", opt(&g.student)));
    s.push_str(&format!("  \"commit\": {},\n", opt(&g.commit)));
    s.push_str(&format!(
        "  \"exercise_files_sha256\": {},\n",
        opt(&g.exercise_hash)
    ));
    s.push_str(&format!(
        "  \"grader_version\": {},\n  \"edition_version\": {},\n",
        json_escape(env!("CARGO_PKG_VERSION")),
        opt(&g.edition)
    ));
    s.push_str(&format!(
        "  \"time\": {},\n  \"unix_time\": {},\n  \"grading_seconds\": {:.1},\n  \"sandbox\": {},\n",
        json_escape(&g.time.1),
        g.time.0,
        g.seconds,
        g.sandbox.map_or("null".to_string(), json_escape)
    ));
    s.push_str(&format!(
        "  \"score\": {},\n  \"max_score\": {},\n  \"all_passed\": {all_passed},\n",
        num(g.score),
        num(g.max)
    ));
    s.push_str(&format!(
        "  \"passed\": {},\n  \"failed\": {},\n  \"timed_out\": {},\n  \"not_built\": {},\n  \"not_scored\": {},\n",
        count(Status::Passed),
        count(Status::Failed),
        count(Status::TimedOut),
        count(Status::NotBuilt),
        g.tests.iter().filter(|t| !t.outcome.exercise).count()
    ));
    let ignored: Vec<String> = g
        .ignored
        .iter()
        .map(|(p, w)| {
            format!(
                "{{\"path\": {}, \"why\": {}}}",
                json_escape(p),
                json_escape(w)
            )
        })
        .collect();
    s.push_str(&format!("  \"ignored_files\": [{}],\n", ignored.join(", ")));
    let replaced: Vec<String> = g.tests_replaced.iter().map(|f| json_escape(f)).collect();
    s.push_str(&format!(
        "  \"tests_replaced\": [{}],\n",
        replaced.join(", ")
    ));
    s.push_str("  \"lessons\": [");
    for (i, l) in g.lessons.iter().enumerate() {
        s.push_str(if i == 0 { "\n" } else { ",\n" });
        s.push_str(&format!(
            "    {{\"lesson\": {}, \"score\": {}, \"max_score\": {}, \"status\": {}, \"tests\": {}, \"passed\": {}, \"errors\": {}}}",
            json_escape(&l.lesson),
            num(l.points),
            num(l.max),
            json_escape(l.status),
            l.tests,
            l.passed,
            opt(&l.errors)
        ));
    }
    s.push_str("\n  ],\n  \"exercises\": [");
    for (i, e) in g.exercises.iter().enumerate() {
        s.push_str(if i == 0 { "\n" } else { ",\n" });
        s.push_str(&format!(
            "    {{\"program\": {}, \"lesson\": {}, \"score\": {}, \"max_score\": {}, \"status\": {}, \"tests\": {}, \"passed\": {}, \"errors\": {}}}",
            json_escape(&e.program),
            json_escape(&e.lesson),
            num(e.points),
            num(e.max),
            json_escape(e.status),
            e.tests,
            e.passed,
            opt(&e.errors)
        ));
    }
    s.push_str("\n  ],\n  \"tests\": [");
    for (i, t) in g.tests.iter().enumerate() {
        let o = &t.outcome;
        s.push_str(if i == 0 { "\n" } else { ",\n" });
        s.push_str(&format!(
            "    {{\"name\": {}, \"lesson\": {}, \"suite\": {}, \"program\": {}, \"exercise\": {}, \"status\": {}, \"points\": {}, \"max_points\": {}, \"seconds\": {:.3}, \"hint\": {}, \"message\": {}}}",
            json_escape(&o.name),
            json_escape(&o.lesson),
            json_escape(&o.suite),
            o.program.as_deref().map_or("null".to_string(), json_escape),
            o.exercise,
            json_escape(o.status.json()),
            num(t.points),
            num(t.max),
            o.seconds,
            o.hint.as_deref().map_or("null".to_string(), json_escape),
            json_escape(&o.message)
        ));
    }
    s.push_str("\n  ]\n}\n");
    s
}

/// What grading a submission adds to the table: the files ignored, the
/// exercises that did not compile (their errors once), the score by
/// exercise and the total (with the instructor's points).
pub fn print_submission(g: &Graded) {
    let outcomes: Vec<Outcome> = g.tests.iter().map(|t| t.outcome.clone()).collect();
    print(&outcomes, false);
    println!();
    if let Some(s) = &g.student {
        println!("学生: {s}");
    }
    match g.sandbox {
        Some("none") => println!("沙箱: 没有 (--unsandboxed: 学生的代码以你的身份运行过)"),
        Some(s) => println!("沙箱: {s}"),
        None => {}
    }
    if !g.ignored.is_empty() {
        println!("忽略 (只取练习文件, 这些不算数):");
        for (p, w) in &g.ignored {
            println!("  忽略: {p} ({w})");
        }
    }
    for l in g.lessons.iter().filter(|l| l.errors.is_some()) {
        println!("{} 没有构建出来:", l.lesson);
        for line in l.errors.as_deref().unwrap_or("").lines().take(20) {
            println!("  | {line}");
        }
    }
    for e in &g.exercises {
        println!(
            "  练习 {:<16} {:>6}/{:<6} {}",
            e.program,
            num(e.points),
            num(e.max),
            match e.status {
                "not_built" => "未编译",
                "timed_out" => "有超时",
                _ => "",
            }
        );
        if let Some(errs) = &e.errors {
            for line in errs.lines().take(30) {
                println!("    | {line}");
            }
        }
    }
    println!(
        "成绩 (按老师的分值, 只计练习文件): {}/{}",
        num(g.score),
        num(g.max)
    );
}
