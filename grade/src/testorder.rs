//! The tests in the order their source file has them (bodies read by `source::test_bodies`).
//!
//! libtest lists a suite's tests by name (alphabetically), which puts
//! `server_backlog_…` before `two_clients_at_once_…`. The test files are
//! written in teaching order instead: a program's first tests check the text's
//! exchange, the later ones a flag or an edge. Results are shown in that order
//! (and `watch` shows the first failure in it), so the failure a student reads
//! first is about the step they are writing, not about a line that was handed
//! out written (see `watch::telling`).

use crate::run::{Lesson, Outcome};

/// Sorts `results` by lesson (in the order of `lessons`), then suite, then
/// the place of the test in its source file. Stable: a test the source does
/// not show keeps its place after the others of its suite.
pub fn sort_by_source(lessons: &[Lesson], results: &mut [Outcome]) {
    let mut place = std::collections::BTreeMap::new();
    for (li, l) in lessons.iter().enumerate() {
        for (si, suite) in l.suites.iter().enumerate() {
            let text = std::fs::read_to_string(&suite.file).unwrap_or_default();
            for (ti, (name, _)) in crate::source::test_bodies(&text).into_iter().enumerate() {
                place.insert((l.name.clone(), suite.name.clone(), name), (li, si, ti));
            }
        }
    }
    results.sort_by_key(|o| {
        let li = lessons
            .iter()
            .position(|l| l.name == o.lesson)
            .unwrap_or(usize::MAX);
        place
            .get(&(o.lesson.clone(), o.suite.clone(), o.name.clone()))
            .copied()
            .unwrap_or((li, usize::MAX, usize::MAX))
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn bodies_come_in_source_order_with_their_text() {
        let text = "fn helper() {}\n\n#[test]\nfn zeta() {\n    hint(\"server\", \"a\");\n}\n\n#[test]\n#[cfg(unix)]\nfn alpha() {\n    let _ = POOL_SERVER;\n}\n\nmod m {\n    #[test]\n    fn inner() {\n        x();\n    }\n}\n";
        let b = crate::source::test_bodies(text);
        let names: Vec<&str> = b.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["zeta", "alpha", "inner"]);
        assert!(b[1].1.contains("POOL_SERVER"));
        assert!(!b[0].1.contains("POOL_SERVER"));
    }

    #[test]
    fn lesson03s_exchange_test_comes_before_its_backlog_test() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        let text = std::fs::read_to_string(root.join("tests/lesson03.rs")).unwrap();
        let b = crate::source::test_bodies(&text);
        let pos = |n: &str| b.iter().position(|(x, _)| x.starts_with(n));
        let two = pos("two_clients_at_once").expect("the test is there");
        let backlog = pos("server_backlog_queues").expect("the test is there");
        assert!(two < backlog);
    }
}
