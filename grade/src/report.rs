//! The score table, the failures with their hints, and the JSON file.

use crate::run::{Outcome, Status};
use crate::source::json_escape;

/// How many lines of a failure message the table's notes show.
const MESSAGE_LINES: usize = 8;

/// Prints one table per lesson, the total, then each failing test's hint and
/// the first lines of its message.
pub fn print(results: &[Outcome], quiet: bool) {
    let mut lessons: Vec<&str> = Vec::new();
    for o in results {
        if !lessons.contains(&o.lesson.as_str()) {
            lessons.push(&o.lesson);
        }
    }
    for lesson in &lessons {
        let rows: Vec<&Outcome> = results.iter().filter(|o| o.lesson == *lesson).collect();
        let (got, max) = score(rows.iter().copied());
        if !quiet {
            println!();
            println!("{lesson}: {got}/{max} 分");
            println!("  结果  分数  秒     测试 (程序)");
            for o in &rows {
                println!(
                    "  {}  {}/{}   {:>5.1}  {} ({})",
                    o.status.chinese(),
                    o.points,
                    o.max_points,
                    o.seconds,
                    id(o),
                    o.program.as_deref().unwrap_or("?")
                );
            }
        } else {
            println!("{lesson}: {got}/{max} 分");
        }
    }
    let failing: Vec<&Outcome> = results
        .iter()
        .filter(|o| o.status != Status::Passed)
        .collect();
    if !failing.is_empty() {
        println!();
        println!("没有通过的测试 ({} 个):", failing.len());
        for o in failing {
            println!();
            println!(
                "■ {}::{} [{}] ({})",
                o.lesson,
                id(o),
                o.status.chinese(),
                o.program.as_deref().unwrap_or("?")
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
    let (got, max) = score(results.iter());
    let percent = (got * 100).checked_div(max).unwrap_or(0);
    println!();
    println!("总分: {got}/{max} ({percent}%)");
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
/// {"format": "workbook-grade/1", "score": 40, "max_score": 53,
///  "passed": 40, "failed": 12, "timed_out": 1, "not_built": 0,
///  "lessons": [{"lesson": "lesson01", "score": 10, "max_score": 12}],
///  "tests": [{"name": "…", "lesson": "lesson01", "suite": "lesson01", "program": "tcp_server",
///             "status": "passed", "points": 1, "max_points": 1,
///             "seconds": 0.21, "hint": "…", "message": ""}]}
/// ```
pub fn json(results: &[Outcome]) -> String {
    let count = |s: Status| results.iter().filter(|o| o.status == s).count();
    let (got, max) = score(results.iter());
    let mut lessons: Vec<&str> = Vec::new();
    for o in results {
        if !lessons.contains(&o.lesson.as_str()) {
            lessons.push(&o.lesson);
        }
    }
    let mut s = String::new();
    s.push_str("{\n");
    s.push_str("  \"format\": \"workbook-grade/1\",\n");
    s.push_str(&format!("  \"score\": {got},\n  \"max_score\": {max},\n"));
    s.push_str(&format!(
        "  \"passed\": {},\n  \"failed\": {},\n  \"timed_out\": {},\n  \"not_built\": {},\n",
        count(Status::Passed),
        count(Status::Failed),
        count(Status::TimedOut),
        count(Status::NotBuilt)
    ));
    s.push_str("  \"lessons\": [");
    for (i, l) in lessons.iter().enumerate() {
        let (g, m) = score(results.iter().filter(|o| o.lesson == *l));
        s.push_str(if i == 0 { "\n" } else { ",\n" });
        s.push_str(&format!(
            "    {{\"lesson\": {}, \"score\": {g}, \"max_score\": {m}}}",
            json_escape(l)
        ));
    }
    s.push_str("\n  ],\n  \"tests\": [");
    for (i, o) in results.iter().enumerate() {
        s.push_str(if i == 0 { "\n" } else { ",\n" });
        s.push_str(&format!(
            "    {{\"name\": {}, \"lesson\": {}, \"suite\": {}, \"program\": {}, \"status\": {}, \"points\": {}, \"max_points\": {}, \"seconds\": {:.3}, \"hint\": {}, \"message\": {}}}",
            json_escape(&o.name),
            json_escape(&o.lesson),
            json_escape(&o.suite),
            o.program.as_deref().map_or("null".to_string(), json_escape),
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
