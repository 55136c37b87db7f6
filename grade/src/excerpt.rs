//! The failure message a student reads, useful lines first.
//!
//! A failed test's captured output starts with noise: the test's own
//! `thread 'NAME' (7) panicked at tests/…:` line, and for a test of a one-shot
//! program `assert_cmd`'s `Unexpected return code, failed var == 1` with its
//! `└── var: 101`, `command=…`, `stdout=""`, `stderr=```` lines. The useful
//! lines are deeper: a program's `todo!` hint, a program's panic, the test's own
//! Chinese message. [`lead`] puts those first, in that order, and keeps the
//! rest (the transcript, the command) after them without the noise.

/// A `thread 'T' (id) panicked at LOC:` line: the thread and the location.
fn panic_header(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim_start().strip_prefix("thread '")?;
    let (thread, rest) = rest.split_once('\'')?;
    let (_, loc) = rest.split_once(" panicked at ")?;
    Some((
        thread,
        loc.trim_end().strip_suffix(':').unwrap_or(loc.trim_end()),
    ))
}

/// Whether a panic's location is in the tests (a test's own assertion) rather
/// than in a program under test.
fn in_tests(loc: &str) -> bool {
    let loc = loc.replace('\\', "/");
    loc.starts_with("tests/") || loc.contains("/tests/")
}

/// `assert_cmd`'s first line (and the line after it, which holds the value),
/// in plain Chinese words; `None` when `line` is not one of its headlines.
fn assert_cmd_words(line: &str, next: Option<&str>) -> Option<(String, bool)> {
    let panic_note = |code: &str| {
        if code.trim() == "101" {
            " (101: 程序 panic 了)"
        } else {
            ""
        }
    };
    if let Some(pred) = line.strip_prefix("Unexpected return code, failed ") {
        let actual = next.and_then(|n| n.trim_start().strip_prefix("└── var: "));
        let want = pred.strip_prefix("var == ").unwrap_or(pred);
        return Some(match actual {
            Some(code) => (
                format!("退出码应当是 {want}, 实际是 {code}{}", panic_note(code)),
                true,
            ),
            None => (format!("退出码不符合要求 ({pred})"), false),
        });
    }
    if line == "Unexpected failure." {
        let code = next.and_then(|n| n.strip_prefix("code="));
        return Some(match code {
            Some(code) => (
                format!(
                    "程序应当正常结束 (退出码 0), 实际退出码是 {code}{}",
                    panic_note(code)
                ),
                true,
            ),
            None => ("程序应当正常结束 (退出码 0), 它却失败了".to_string(), false),
        });
    }
    let words = if line == "Unexpected success" {
        "程序应当报错退出 (退出码不是 0), 它却成功结束了".to_string()
    } else if line == "Unexpected completion" {
        "程序应当还在运行, 它却已经结束了".to_string()
    } else if line == "Command interrupted" {
        "程序被信号中断了".to_string()
    } else if let Some(pred) = line.strip_prefix("Unexpected stdout, failed ") {
        format!("标准输出 (stdout) 不符合要求: {pred}")
    } else if let Some(pred) = line.strip_prefix("Unexpected stderr, failed ") {
        format!("标准错误 (stderr) 不符合要求: {pred}")
    } else {
        return None;
    };
    Some((words, false))
}

/// `assert_cmd`'s tree of a text compared with `predicates`' diff, from the
/// line after its headline (`stream`: `stdout` or `stderr`):
///
/// ```text
/// ├── original: Welcome!        (what the test expects, its lines under │)
/// ├── diff:                     (a unified diff: - expected, + actual)
/// │   ---  orig
/// │   +++  var
/// │   @@ -1,0 +2 @@
/// │   +
/// └── var as str: Welcome!      (what came, its lines indented 4)
/// ```
///
/// Returns the words (the diff's hunks, then both texts on one line each,
/// labelled) and the index of the first line after the tree.
fn diff_tree(stream: &str, lines: &[String], from: usize) -> Option<(String, usize)> {
    #[derive(Clone, Copy, PartialEq)]
    enum Part {
        Original,
        Diff,
        Var,
    }
    let mut part = None;
    let (mut original, mut diff, mut var) = (Vec::new(), Vec::new(), Vec::new());
    let mut end = from;
    for (k, raw) in lines.iter().enumerate().skip(from) {
        let (new, value) = if let Some(v) = raw.strip_prefix("├── original:") {
            (Some(Part::Original), Some(v))
        } else if let Some(v) = raw.strip_prefix("├── diff:") {
            (Some(Part::Diff), Some(v))
        } else if let Some(v) = raw
            .strip_prefix("└── var as str:")
            .or_else(|| raw.strip_prefix("├── var as str:"))
            .or_else(|| raw.strip_prefix("└── var:"))
        {
            (Some(Part::Var), Some(v))
        } else if let Some(v) = raw.strip_prefix("│") {
            (None, Some(v.strip_prefix("   ").unwrap_or(v)))
        } else if part == Some(Part::Var) && (raw.starts_with("    ") || raw.trim().is_empty()) {
            if raw.is_empty() {
                end = k;
                break;
            }
            (None, Some(raw.get(4..).unwrap_or("")))
        } else {
            end = k;
            break;
        };
        if new.is_some() {
            part = new;
        }
        let value = value.map(|v| {
            if new.is_some() {
                v.strip_prefix(' ').unwrap_or(v)
            } else {
                v
            }
        });
        let into = match part {
            Some(Part::Original) => &mut original,
            Some(Part::Diff) => &mut diff,
            Some(Part::Var) => &mut var,
            None => return None,
        };
        if let Some(v) = value {
            if !(new.is_some() && v.is_empty() && part == Some(Part::Diff)) {
                into.push(v.to_string());
            }
        }
        end = k + 1;
    }
    part.as_ref()?;
    let name = if stream == "stderr" {
        "标准错误 (stderr) "
    } else {
        "标准输出 (stdout) "
    };
    let mut out = vec![format!(
        "{name}和期望的不一样 (差异里 - 是期望的行, + 是程序打印的行):"
    )];
    for d in diff
        .iter()
        .filter(|d| !d.starts_with("--- ") && !d.starts_with("+++ "))
        .take(12)
    {
        let shown = if d.starts_with('+') || d.starts_with('-') {
            let (sign, text) = d.split_at(1);
            format!("{sign}{}", text.escape_debug())
        } else {
            d.to_string()
        };
        out.push(format!("  {shown}"));
    }
    let one = |v: &[String]| format!("\"{}\"", v.join("\n").escape_debug());
    let (actual, expected) = around_difference(&collapse(&one(&var)), &collapse(&one(&original)));
    out.push(format!("  实际:  {actual}"));
    out.push(format!("  期望:  {expected}"));
    Some((out.join("\n"), end))
}

/// Undoes the escapes of `assert_cmd`'s quoted output (`thread \'main\'`).
fn unescape(line: &str) -> String {
    line.replace("\\'", "'").replace("\\\"", "\"")
}

/// The message of a failed test with the useful lines first: each program's
/// `todo!` hint (`not yet implemented: 第 2 步: …`, with where it panicked),
/// each other panic of a program, then the test's own message (assert_cmd's
/// headline put into words), then the rest of the output without the noise.
pub fn lead(section: &str) -> String {
    let lines: Vec<String> = section.lines().map(unescape).collect();
    let mut used = vec![false; lines.len()];
    let mut todos: Vec<String> = Vec::new();
    let mut program_panics: Vec<String> = Vec::new();
    let mut messages: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end();
        if line.starts_with("note: run with `RUST_BACKTRACE=1`") {
            used[i] = true;
        } else if let Some((_, loc)) = panic_header(line) {
            used[i] = true;
            let loc = loc.to_string();
            // The message: the next line that says something.
            let Some(m) = (i + 1..lines.len()).find(|&j| !lines[j].trim().is_empty()) else {
                i += 1;
                continue;
            };
            let msg = lines[m].trim();
            if in_tests(&loc) {
                let (words, two) = match assert_cmd_words(msg, lines.get(m + 1).map(String::as_str))
                {
                    Some(w) => w,
                    None => (
                        // assert!/assert_eq!'s own words say nothing: keep the test's.
                        msg.strip_prefix("assertion `left == right` failed: ")
                            .or_else(|| msg.strip_prefix("assertion failed: "))
                            .unwrap_or(msg)
                            .to_string(),
                        false,
                    ),
                };
                let stream = msg
                    .strip_prefix("Unexpected ")
                    .and_then(|r| r.strip_suffix(", failed diff original var"));
                if let Some((words, end)) = stream.and_then(|s| diff_tree(s, &lines, m + 1)) {
                    // predicates' diff: the differing lines and both texts,
                    // ahead of whatever the peer logged before the panic.
                    for u in &mut used[m..end] {
                        *u = true;
                    }
                    messages.push(words);
                    i = end;
                    continue;
                }
                if !msg.starts_with("called `Result::unwrap()` on an `Err` value: Any") {
                    used[m] = true;
                    if two {
                        used[m + 1] = true;
                    }
                    if !messages.contains(&words) {
                        messages.push(words);
                    }
                }
            } else {
                used[m] = true;
                let shown = if msg.starts_with("not yet implemented") {
                    &mut todos
                } else {
                    &mut program_panics
                };
                let text = if msg.starts_with("not yet implemented") {
                    format!("{msg} ({loc})")
                } else {
                    format!("程序 panic 了: {msg} ({loc})")
                };
                if !shown.contains(&text) {
                    shown.push(text);
                }
            }
            i = m;
        } else if line.contains("not yet implemented") {
            // A todo! hint without its header (cut off by a tail).
            used[i] = true;
            let text = line.trim().to_string();
            if !todos.contains(&text) {
                todos.push(text);
            }
        }
        i += 1;
    }
    let rest: Vec<&str> = lines
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(l, _)| l.trim_end())
        .collect();
    let rest = tidy(&rest);
    let mut out: Vec<String> = todos;
    out.extend(program_panics);
    out.extend(messages);
    if !rest.is_empty() {
        out.push(rest);
    }
    bound(out.join("\n").trim_matches('\n'))
}

/// The longest line shown (characters; a `todo!` hint with its location fits);
/// the rest of a line is counted, not shown.
pub const LINE_CHARS: usize = 300;
/// The most lines an excerpt keeps.
pub const MAX_LINES: usize = 60;
/// A run of the same character at least this long is shown as `X × N`.
const RUN: usize = 8;

/// Each line readable and bounded: byte lists (`[104, 105, 33]`) shown as
/// text, runs of one character collapsed (`\0 × 1020`), control characters
/// escaped, the line capped at [`LINE_CHARS`]; at most [`MAX_LINES`] lines.
pub fn bound(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len().min(MAX_LINES) {
        // assert_eq!'s pair: labelled, and the part where they differ shown.
        if let (Some(l), Some(r)) = (
            side(lines[i], "left"),
            lines.get(i + 1).and_then(|n| side(n, "right")),
        ) {
            let (l, r) = around_difference(&collapse(&l), &collapse(&r));
            out.push(cap(&format!("  实际 (left):  {l}")));
            out.push(cap(&format!("  期望 (right): {r}")));
            i += 2;
            continue;
        }
        out.push(cap(&collapse(&bytes_as_text(lines[i]))));
        i += 1;
    }
    if lines.len() > MAX_LINES {
        out.push(format!("… (还有 {} 行)", lines.len() - MAX_LINES));
    }
    out.join("\n")
}

/// The value of an `assert_eq!` line `  left: X` (`label` `left` or
/// `right`), bytes shown as text. The workbook's tests write
/// `assert_eq!(what came, what is expected)`, so left is the actual value
/// and right the expected one.
fn side(line: &str, label: &str) -> Option<String> {
    let t = line.trim_start();
    t.strip_prefix(label)?.strip_prefix(": ")?;
    let shown = bytes_as_text(t);
    Some(shown.trim_start()[label.len() + 2..].to_string())
}

/// Two long values cut to the part where they first differ (with some
/// context before it), so a cap does not hide the difference; short values
/// as they are.
pub fn around_difference(a: &str, b: &str) -> (String, String) {
    const BEFORE: usize = 40;
    let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if ac.len().max(bc.len()) <= LINE_CHARS - 20 {
        return (a.to_string(), b.to_string());
    }
    let same = ac.iter().zip(&bc).take_while(|(x, y)| x == y).count();
    if same <= BEFORE {
        return (a.to_string(), b.to_string());
    }
    let from = same - BEFORE;
    let cut = |c: &[char]| {
        format!(
            "…(前 {from} 个字符两边相同) {}",
            c[from..].iter().collect::<String>()
        )
    };
    (cut(&ac), cut(&bc))
}

/// `left: [104, 105, 33]` → `left: b"hi!"` (or `"你好"` when it is UTF-8):
/// a list of numbers 0–255 after an optional `left:`/`right:` label.
pub fn bytes_as_text(line: &str) -> String {
    let t = line.trim_start();
    let indent = &line[..line.len() - t.len()];
    let (label, list) = match t.split_once(": [") {
        Some((label, rest)) if matches!(label, "left" | "right") => (format!("{label}: "), rest),
        _ => match t.strip_prefix('[') {
            Some(rest) => (String::new(), rest),
            None => return line.to_string(),
        },
    };
    let Some(list) = list.strip_suffix(']') else {
        return line.to_string();
    };
    let bytes: Option<Vec<u8>> = if list.trim().is_empty() {
        Some(Vec::new())
    } else {
        list.split(',')
            .map(|n| n.trim().parse::<u8>().ok())
            .collect()
    };
    match bytes {
        Some(b) if !b.is_empty() || !label.is_empty() => {
            format!("{indent}{label}{}", show_bytes(&b))
        }
        _ => line.to_string(),
    }
}

/// Bytes as a literal: `"你好"` when they are UTF-8, else `b"hi\xff"`;
/// runs collapsed.
pub fn show_bytes(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => format!("\"{}\"", s.escape_debug()),
        Err(_) => {
            let mut s = String::from("b\"");
            for &c in b {
                match c {
                    b'"' => s.push_str("\\\""),
                    b'\\' => s.push_str("\\\\"),
                    b'\n' => s.push_str("\\n"),
                    b'\r' => s.push_str("\\r"),
                    b'\t' => s.push_str("\\t"),
                    0 => s.push_str("\\0"),
                    0x20..=0x7e => s.push(c as char),
                    _ => s.push_str(&format!("\\x{c:02x}")),
                }
            }
            s.push('"');
            s
        }
    }
}

/// Runs of one character (at least [`RUN`], or of an escape such as `\0`)
/// as `X × N`; control characters escaped.
pub fn collapse(line: &str) -> String {
    // Work on tokens: an escape written out (`\0`, `\x00`, `\u{0}`) counts as one.
    let mut tokens: Vec<String> = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let tok = if c == '\\' && i + 1 < chars.len() {
            let rest: String = chars[i + 1..].iter().take(8).collect();
            let len = if rest.starts_with('x') && rest.len() >= 3 {
                3
            } else if let Some(end) = rest.strip_prefix("u{").and_then(|r| r.find('}')) {
                end + 3
            } else {
                1
            };
            let t: String = chars[i..=i + len.min(chars.len() - i - 1)].iter().collect();
            i += t.chars().count();
            tokens.push(t);
            continue;
        } else if c.is_control() && c != '\t' {
            i += 1;
            c.escape_debug().to_string()
        } else {
            i += 1;
            c.to_string()
        };
        tokens.push(tok);
    }
    let mut out = String::new();
    let mut k = 0;
    while k < tokens.len() {
        let mut e = k + 1;
        while e < tokens.len() && tokens[e] == tokens[k] {
            e += 1;
        }
        let n = e - k;
        // Digits and letters repeat in numbers and words: only long runs fold.
        let word = tokens[k].chars().all(|c| c.is_alphanumeric());
        if n >= if word { 4 * RUN } else { RUN } && tokens[k] != " " {
            out.push_str(&format!("{} × {n} ", tokens[k]));
        } else {
            for t in &tokens[k..e] {
                out.push_str(t);
            }
        }
        k = e;
    }
    out
}

/// A line cut at [`LINE_CHARS`], saying how much was left out.
pub fn cap(line: &str) -> String {
    let n = line.chars().count();
    if n <= LINE_CHARS {
        return line.to_string();
    }
    let kept: String = line.chars().take(LINE_CHARS).collect();
    format!("{kept} … (这一行还有 {} 个字符)", n - LINE_CHARS)
}

/// The lines left: `assert_cmd`'s empty fields and fences dropped, runs of
/// blank lines folded into one.
fn tidy(lines: &[&str]) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for l in lines {
        let t = l.trim();
        let empty_field = t == "stdout=\"\""
            || t == "stderr=\"\""
            || (t.starts_with("std") && t.ends_with("=``````"));
        if empty_field {
            continue;
        }
        // A fence closing a block that has become empty goes with its opener.
        if t == "```" {
            let mut k = kept.len();
            while k > 0 && kept[k - 1].trim().is_empty() {
                k -= 1;
            }
            if k > 0 && kept[k - 1].trim().ends_with("=```") {
                kept.truncate(k - 1);
                continue;
            }
            if k == 0 || !kept[..k].iter().any(|l| l.contains("```")) {
                continue;
            }
        }
        if t.is_empty() && kept.last().is_none_or(|p| p.trim().is_empty()) {
            continue;
        }
        kept.push(l);
    }
    // A transcript's section header left without its lines (they came first).
    while kept
        .last()
        .is_some_and(|l| matches!(l.trim(), "--- stderr ---" | "--- stdout ---" | ""))
    {
        kept.pop();
    }
    kept.join("\n").trim_matches('\n').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A test of a one-shot program whose program stopped at a `todo!`, as
    /// libtest prints it (captured from the student edition).
    const ASSERT_CMD_TODO: &str = r#"
thread 'a_silent_server_is_a_timeout_not_a_hang' (9608) panicked at lessons/01_tcp_basics/../../tests/lesson01.rs:347:10:
Unexpected return code, failed var == 1
└── var: 101

command=`env -u NO_COLOR "/w/target/debug/tcp_client" "--host" "127.0.0.1" "--port" "33973" "--message" "x" "--timeout" "0.3"`
code=101
stdout=""
stderr=```

thread \'main\' (9609) panicked at lessons/01_tcp_basics/src/bin/tcp_client.rs:55:33:
not yet implemented: 第 2 步: 对 resolve 给出的每个地址试 TcpStream::connect_timeout, 见原文「000 客户端」; 注意: 失败用 .or_exit(..) 报一行中文错误, 不要 unwrap
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
```


note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
"#;

    #[test]
    fn a_programs_todo_hint_comes_first_then_the_exit_code_in_words() {
        let m = lead(ASSERT_CMD_TODO);
        let lines: Vec<&str> = m.lines().collect();
        assert_eq!(
            lines[0],
            "not yet implemented: 第 2 步: 对 resolve 给出的每个地址试 TcpStream::connect_timeout, 见原文「000 客户端」; 注意: 失败用 .or_exit(..) 报一行中文错误, 不要 unwrap (lessons/01_tcp_basics/src/bin/tcp_client.rs:55:33)"
        );
        assert_eq!(lines[1], "退出码应当是 1, 实际是 101 (101: 程序 panic 了)");
        assert!(lines[2].starts_with("command=`env -u NO_COLOR"), "{m}");
        assert_eq!(lines[3], "code=101", "{m}");
        assert_eq!(lines.len(), 4, "{m}");
        for noise in [
            "Unexpected",
            "thread '",
            "└──",
            "stdout=\"\"",
            "```",
            "RUST_BACKTRACE",
        ] {
            assert!(!m.contains(noise), "{noise:?} in\n{m}");
        }
    }

    /// A server test whose server stopped at a `todo!` (Proc's transcript).
    const PROC_TODO: &str = "
thread 'tcp_server_encodes_its_reply_in_gbk' (3416) panicked at lessons/01_tcp_basics/../../tests/common/mod.rs:330:21:
tcp_server: 在等 the announcement line (监听地址那一行) (\"监听中 listening on \" in stdout), 程序已经退出, 退出码 101: 它 panic 了 (还有 todo!() 没完成?)
--- stdout: (空) ---
--- stderr ---
thread 'main' (3417) panicked at lessons/01_tcp_basics/src/bin/tcp_server.rs:54:33:
not yet implemented: 第 1-3 步: 用 TcpListener::bind 绑定 host 和 port, 见原文 000「服务器」
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
";

    #[test]
    fn a_servers_todo_hint_comes_before_the_tests_message() {
        let m = lead(PROC_TODO);
        let lines: Vec<&str> = m.lines().collect();
        assert_eq!(
            lines[0],
            "not yet implemented: 第 1-3 步: 用 TcpListener::bind 绑定 host 和 port, 见原文 000「服务器」 (lessons/01_tcp_basics/src/bin/tcp_server.rs:54:33)"
        );
        assert!(
            lines[1].starts_with("tcp_server: 在等 the announcement line"),
            "{m}"
        );
        assert_eq!(lines[2..], ["--- stdout: (空) ---"], "{m}");
    }

    #[test]
    fn a_tests_own_message_comes_first_without_the_thread_line() {
        let section = "\nthread 'welcome_client_prints' (9618) panicked at lessons/01_tcp_basics/../../tests/lesson01.rs:186:17:\n10 秒内客户端没有连上来: 它有没有调用 TcpStream::connect_timeout?\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        assert_eq!(
            lead(section),
            "10 秒内客户端没有连上来: 它有没有调用 TcpStream::connect_timeout?"
        );
        let eq = "thread 't' (1) panicked at tests/lesson01.rs:9:5:\nassertion `left == right` failed: tcp_server: 用 --port 5 启动, 却监听在 127.0.0.1:7788: bind 的端口是不是写死了?\n  left: 7788\n right: 5\n";
        let m = lead(eq);
        assert!(
            m.starts_with("tcp_server: 用 --port 5 启动, 却监听在 127.0.0.1:7788"),
            "{m}"
        );
        assert!(
            m.ends_with("  实际 (left):  7788\n  期望 (right): 5"),
            "{m}"
        );
    }

    #[test]
    fn bytes_are_shown_as_text_and_runs_and_long_lines_are_bounded() {
        assert_eq!(bytes_as_text("  left: [104, 105, 33]"), "  left: \"hi!\"");
        assert_eq!(bytes_as_text(" right: [104, 105]"), " right: \"hi\"");
        assert_eq!(
            bytes_as_text("left: [228, 189, 160, 229, 165, 189]"),
            "left: \"你好\""
        );
        assert_eq!(
            bytes_as_text("right: [255, 0, 104]"),
            "right: b\"\\xff\\0h\""
        );
        assert_eq!(bytes_as_text("[1, 2] 不是"), "[1, 2] 不是");
        assert_eq!(bytes_as_text("left: [300]"), "left: [300]");
        let nuls = format!("收到 \"hi{}\"", "\\0".repeat(1020));
        assert_eq!(collapse(&nuls), "收到 \"hi\\0 × 1020 \"");
        let raw = format!("hi{}!", "\0".repeat(50));
        assert_eq!(collapse(&raw), "hi\\0 × 50 !");
        assert_eq!(collapse("a  b ====="), "a  b =====");
        assert_eq!(collapse("1000000000 字节"), "1000000000 字节");
        let long = "x".repeat(65_601);
        let m = lead(&format!(
            "thread 't' (1) panicked at tests/a.rs:1:1:\n收到 {long}\n"
        ));
        assert_eq!(m, "收到 x × 65601 ");
        let wide: String = (0..600)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let m = bound(&wide);
        assert!(
            m.chars().count() < 340 && m.ends_with("(这一行还有 300 个字符)"),
            "{m}"
        );
        let many = "a\n".repeat(100);
        let m = bound(&many);
        assert_eq!(m.lines().count(), MAX_LINES + 1);
        assert!(m.ends_with("… (还有 40 行)"));
    }

    #[test]
    fn a_programs_other_panic_and_assert_cmds_headlines_are_put_into_words() {
        let section = "thread 't' (1) panicked at tests/lesson02.rs:9:5:\nUnexpected failure.\ncode=101\nstderr=``````\n\nthread \\'main\\' (2) panicked at lessons/02_udp/src/bin/udp_send.rs:40:10:\ncalled `Result::unwrap()` on an `Err` value: Os { code: 98 }\n```\n```\n";
        let m = lead(section);
        let lines: Vec<&str> = m.lines().collect();
        assert_eq!(
            lines,
            [
                "程序 panic 了: called `Result::unwrap()` on an `Err` value: Os { code: 98 } (lessons/02_udp/src/bin/udp_send.rs:40:10)",
                "程序应当正常结束 (退出码 0), 实际退出码是 101 (101: 程序 panic 了)",
            ],
            "{m}"
        );
        let success = lead("thread 't' (1) panicked at tests/x.rs:1:1:\nUnexpected success\ncommand=`x`\ncode=0\nstdout=\"hi\\n\"\n");
        assert!(
            success.starts_with("程序应当报错退出 (退出码不是 0), 它却成功结束了\ncommand=`x`"),
            "{success}"
        );
    }

    #[test]
    fn a_long_pair_is_shown_where_it_differs_with_bytes_as_text() {
        let same = "cmd:>>>".repeat(300);
        let section = format!(
            "thread 't' (1) panicked at tests/lesson05.rs:9:5:\nassertion `left == right` failed: cmd_client 打印的不对\n  left: \"{same}receive data size: 6\\n\"\n right: \"{same}receive data size 6\\n\"\n"
        );
        let m = lead(&section);
        let lines: Vec<&str> = m.lines().collect();
        assert_eq!(lines[0], "cmd_client 打印的不对");
        assert!(lines[1].starts_with("  实际 (left):  …(前 "), "{m}");
        assert!(lines[1].contains("receive data size: 6"), "{m}");
        assert!(lines[2].starts_with("  期望 (right): …(前 "), "{m}");
        assert!(lines[2].contains("receive data size 6"), "{m}");
        assert!(!m.contains("这一行还有"), "{m}");
        let m = bound("  left: [104, 105, 33]\n right: [104, 105]");
        assert_eq!(m, "  实际 (left):  \"hi!\"\n  期望 (right): \"hi\"");
    }

    #[test]
    fn a_predicates_diff_leads_with_its_lines_before_the_peers_log() {
        let section = "收到 \"Michael\"\n收到 exit, 对话结束\n\nthread 't' (1) panicked at lessons/03_threads/../../tests/lesson03.rs:563:10:\nUnexpected stdout, failed diff original var\n├── original: Welcome!\n│   Hello, Michael!\n├── diff: \n│   --- \torig\n│   +++ \tvar\n│   @@ -1,0 +2 @@\n│   +\n└── var as str: Welcome!\n    \n    Hello, Michael!\n\ncommand=`client`\ncode=0\nstdout=```\nWelcome!\n\nHello, Michael!\n```\n\nstderr=\"\"\n";
        let m = lead(section);
        let lines: Vec<&str> = m.lines().collect();
        assert_eq!(
            lines[..5],
            [
                "标准输出 (stdout) 和期望的不一样 (差异里 - 是期望的行, + 是程序打印的行):",
                "  @@ -1,0 +2 @@",
                "  +",
                "  实际:  \"Welcome!\\n\\nHello, Michael!\"",
                "  期望:  \"Welcome!\\nHello, Michael!\"",
            ],
            "{m}"
        );
        assert!(lines[5].starts_with("收到 \"Michael\""), "{m}");
        assert!(!m.contains("├──") && !m.contains("orig"), "{m}");
    }
}
