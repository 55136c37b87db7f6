//! Reading the tests' source text: which program each test grades, and its hint.
//!
//! A test's program is the first string literal argument of `common::hint(` (or
//! of a bare `hint(`) in the test function's body; the second is its hint. The
//! body runs from `fn NAME(` to the first line that is the function's closing
//! brace at the same indentation (rustfmt's layout).

use std::collections::BTreeMap;

/// What the source says about one test.
#[derive(Clone, Debug, Default)]
pub struct TestSource {
    /// The program named by the hint guard, if the test has one.
    pub program: Option<String>,
    /// The hint text, if the test has one.
    pub hint: Option<String>,
}

/// Every `#[test]` function of `text`, by name.
pub fn tests_in(text: &str) -> BTreeMap<String, TestSource> {
    test_bodies(text)
        .into_iter()
        .map(|(name, body)| {
            let source = hint_of(&body);
            (name, source)
        })
        .collect()
}

/// Every `#[test]` function of `text` in source order: its name and body
/// (from the `fn` line to its closing brace at the same indentation).
pub fn test_bodies(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "#[test]" {
            i += 1;
            continue;
        }
        // Skip further attributes to the `fn` line.
        let mut j = i + 1;
        while j < lines.len() && lines[j].trim_start().starts_with("#[") {
            j += 1;
        }
        let Some(line) = lines.get(j) else { break };
        let indent = &line[..line.len() - line.trim_start().len()];
        let Some(name) = fn_name(line.trim_start()) else {
            i = j;
            continue;
        };
        let close = format!("{indent}}}");
        let mut k = j;
        while k < lines.len() && lines[k] != close {
            k += 1;
        }
        out.push((name, lines[j..k.min(lines.len())].join("\n")));
        i = k.max(j + 1);
    }
    out
}

fn fn_name(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("pub ")
        .unwrap_or(line)
        .strip_prefix("fn ")?;
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    Some(rest[..end].to_string())
}

/// The program and hint of the first hint guard in `body`.
pub fn hint_of(body: &str) -> TestSource {
    let mut from = 0;
    while let Some(at) = body[from..].find("hint(") {
        let start = from + at;
        from = start + 5;
        // `hint(` must be the function, not part of a longer name.
        let before = body[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &body[from..];
        let Some((program, after)) = string_literal(rest) else {
            continue;
        };
        let hint = after
            .trim_start()
            .strip_prefix(',')
            .and_then(string_literal)
            .map(|(h, _)| h);
        return TestSource {
            program: Some(program),
            hint,
        };
    }
    TestSource::default()
}

/// A `"…"` literal at the start of `s` (after whitespace), unescaped, and the rest.
fn string_literal(s: &str) -> Option<(String, &str)> {
    let s = s.trim_start();
    let mut chars = s.char_indices();
    if chars.next()?.1 != '"' {
        return None;
    }
    let mut out = String::new();
    let mut escaped = false;
    for (i, c) in chars {
        if escaped {
            match c {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                '\n' => {}
                other => out.push(other),
            }
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            return Some((out, &s[i + 1..]));
        } else {
            out.push(c);
        }
    }
    None
}

/// The value of the first `"…"` after `"key":` in a line of cargo's JSON output.
pub fn json_string(line: &str, key: &str) -> Option<String> {
    let pat = format!("\"{key}\":");
    let at = line.find(&pat)? + pat.len();
    let rest = &line[at..];
    let mut chars = rest.trim_start().chars();
    if chars.next()? != '"' {
        return None;
    }
    let mut out = String::new();
    let mut escaped = false;
    for c in chars {
        if escaped {
            out.push(match c {
                'n' => '\n',
                't' => '\t',
                other => other,
            });
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            return Some(out);
        } else {
            out.push(c);
        }
    }
    None
}

/// A string as a JSON string literal (quotes included).
pub fn json_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tests_programs_and_hints() {
        let src = r#"
#[test]
fn a_test() {
    let _hint = common::hint("server", "服务器是不是只 accept 了一次?");
    let x = format!("{}", 1);
}

#[test]
#[cfg(unix)]
fn wrapped() {
    let _hint = common::hint(
        "client",
        "一行 \"提示\"",
    );
}

#[test]
fn no_guard() {
    other_hint("x", "y");
}
"#;
        let t = tests_in(src);
        assert_eq!(t.len(), 3);
        assert_eq!(t["a_test"].program.as_deref(), Some("server"));
        assert_eq!(
            t["a_test"].hint.as_deref(),
            Some("服务器是不是只 accept 了一次?")
        );
        assert_eq!(t["wrapped"].program.as_deref(), Some("client"));
        assert_eq!(t["wrapped"].hint.as_deref(), Some("一行 \"提示\""));
        assert_eq!(t["no_guard"].program, None);
    }

    #[test]
    fn json_round_trip() {
        let line =
            r#"{"reason":"x","target":{"name":"lesson03"},"executable":"C:\\t\\a \"b\".exe"}"#;
        assert_eq!(json_string(line, "name").as_deref(), Some("lesson03"));
        assert_eq!(
            json_string(line, "executable").as_deref(),
            Some("C:\\t\\a \"b\".exe")
        );
        assert_eq!(json_escape("a\"\\\n\u{1}"), "\"a\\\"\\\\\\n\\u0001\"");
    }
}
