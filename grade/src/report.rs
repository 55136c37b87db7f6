//! The score table, the failures with their hints, and the JSON file.

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
        println!("不计分的测试 (原文以外的工具和库, 没有练习): 通过 {extra_passed}/{extra}");
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

/// The results as JSON (format in the README, 「评分结果的 JSON」):
///
/// ```json
/// {"format": "workbook-grade/2", "score": 40, "max_score": 120, "all_passed": false,
///  "passed": 60, "failed": 12, "timed_out": 1, "not_built": 0, "not_scored": 27,
///  "tests_replaced": ["tests/lesson03.rs"],
///  "lessons": [{"lesson": "lesson01", "score": 10, "max_score": 12, "tests": 36, "passed": 30}],
///  "tests": [{"name": "…", "lesson": "lesson01", "suite": "lesson01", "program": "tcp_server",
///             "exercise": true, "status": "passed", "points": 1, "max_points": 1,
///             "seconds": 0.21, "hint": "…", "message": ""}]}
/// ```
///
/// `score`/`max_score` count only the tests with `"exercise": true` (their
/// program has an exercise); the others have `max_points` 0. `passed`,
/// `failed`, … and `all_passed` count every test.
pub fn json(results: &[Outcome], tests_replaced: &[String]) -> String {
    let count = |s: Status| results.iter().filter(|o| o.status == s).count();
    let (got, max) = score(results.iter());
    let mut lessons: Vec<&str> = Vec::new();
    for o in results {
        if !lessons.contains(&o.lesson.as_str()) {
            lessons.push(&o.lesson);
        }
    }
    let all_passed = !results.is_empty() && count(Status::Passed) == results.len();
    let mut s = String::new();
    s.push_str("{\n");
    s.push_str("  \"format\": \"workbook-grade/2\",\n");
    s.push_str(&format!(
        "  \"score\": {got},\n  \"max_score\": {max},\n  \"all_passed\": {all_passed},\n"
    ));
    s.push_str(&format!(
        "  \"passed\": {},\n  \"failed\": {},\n  \"timed_out\": {},\n  \"not_built\": {},\n  \"not_scored\": {},\n",
        count(Status::Passed),
        count(Status::Failed),
        count(Status::TimedOut),
        count(Status::NotBuilt),
        results.iter().filter(|o| !o.exercise).count()
    ));
    let replaced: Vec<String> = tests_replaced.iter().map(|f| json_escape(f)).collect();
    s.push_str(&format!(
        "  \"tests_replaced\": [{}],\n",
        replaced.join(", ")
    ));
    s.push_str("  \"lessons\": [");
    for (i, l) in lessons.iter().enumerate() {
        let rows: Vec<&Outcome> = results.iter().filter(|o| o.lesson == *l).collect();
        let (g, m) = score(rows.iter().copied());
        let passed = rows.iter().filter(|o| o.status == Status::Passed).count();
        s.push_str(if i == 0 { "\n" } else { ",\n" });
        s.push_str(&format!(
            "    {{\"lesson\": {}, \"score\": {g}, \"max_score\": {m}, \"tests\": {}, \"passed\": {passed}}}",
            json_escape(l),
            rows.len()
        ));
    }
    s.push_str("\n  ],\n  \"tests\": [");
    for (i, o) in results.iter().enumerate() {
        s.push_str(if i == 0 { "\n" } else { ",\n" });
        s.push_str(&format!(
            "    {{\"name\": {}, \"lesson\": {}, \"suite\": {}, \"program\": {}, \"exercise\": {}, \"status\": {}, \"points\": {}, \"max_points\": {}, \"seconds\": {:.3}, \"hint\": {}, \"message\": {}}}",
            json_escape(&o.name),
            json_escape(&o.lesson),
            json_escape(&o.suite),
            o.program.as_deref().map_or("null".to_string(), json_escape),
            o.exercise,
            json_escape(o.status.json()),
            o.points,
            o.max_points,
            o.seconds,
            o.hint.as_deref().map_or("null".to_string(), json_escape),
            json_escape(&o.message)
        ));
    }
    s.push_str("\n  ]\n}\n");
    s
}
