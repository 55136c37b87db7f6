//! Points per exercise, set by the instructor in [`POINTS`] of the
//! instructor's own workspace (never read from a submission):
//!
//! ```text
//! # program points
//! server 10
//! welcome_client 2
//! ```
//!
//! An exercise's points are split evenly over its tests; an exercise not in
//! the file is worth one point a test (the default, as without the file).

use std::collections::BTreeMap;
use std::path::Path;

/// The file, relative to the instructor's workspace root.
pub const POINTS: &str = "grade/points.txt";

/// Points set per program.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Weights(pub BTreeMap<String, f64>);

impl Weights {
    /// Reads [`POINTS`] of `root`; no file, no weights.
    pub fn load(root: &Path) -> Result<Weights, String> {
        match std::fs::read_to_string(root.join(POINTS)) {
            Ok(t) => parse(&t).map_err(|e| format!("{POINTS}: {e}")),
            Err(_) => Ok(Weights::default()),
        }
    }

    /// The points of one test of `program`, which has `tests` tests.
    pub fn per_test(&self, program: &str, tests: usize) -> f64 {
        match self.0.get(program) {
            Some(p) if tests > 0 => p / tests as f64,
            _ => 1.0,
        }
    }
}

/// Parses the file's text: `program points` lines, `#` comments.
pub fn parse(text: &str) -> Result<Weights, String> {
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let l = line.split('#').next().unwrap_or("").trim();
        if l.is_empty() {
            continue;
        }
        let mut words = l.split_whitespace();
        let (Some(p), Some(v), None) = (words.next(), words.next(), words.next()) else {
            return Err(format!("第 {} 行应当是「程序 分数」: {line}", n + 1));
        };
        let v: f64 = v
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| format!("第 {} 行的分数不是非负的数: {line}", n + 1))?;
        out.insert(p.to_string(), v);
    }
    Ok(Weights(out))
}

/// A number of points as shown: at most two decimals, no trailing zeros.
pub fn show(v: f64) -> String {
    let s = format!("{:.2}", round2(v));
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Rounded to two decimals (what the JSON, CSV and platforms carry).
pub fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_split_evenly_and_default_to_one_a_test() {
        let w = parse("# comment\nserver 10\nwelcome_client 2 # two\n").unwrap();
        assert_eq!(w.per_test("server", 4), 2.5);
        assert_eq!(w.per_test("welcome_client", 1), 2.0);
        assert_eq!(w.per_test("client", 7), 1.0);
        assert!(parse("server ten\n").is_err());
        assert!(parse("server 1 2\n").is_err());
        assert_eq!(show(10.0 / 3.0), "3.33");
        assert_eq!(show(2.0), "2");
        assert_eq!(show(2.5), "2.5");
    }
}
