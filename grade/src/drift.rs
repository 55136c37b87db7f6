//! The static checks of `cargo grade check` (also alone: `cargo grade check --quick`):
//!
//! * **drift** (contract A): each exercise, without its header (the `#![allow]`
//!   line and the `//! 练习 …` lines in the first doc comment) is its
//!   reference with the blanked steps replaced by `todo!(…)`: in a line diff
//!   (LCS), every hunk has on the exercise's side only lines of a `todo!(…)`,
//!   and at least one.
//! * **giveaway in the hints**: no `todo!` text and no `grade/hints/*.txt`
//!   holds the code of a blanked statement: a call with its arguments
//!   (`read(&mut buf)`) or a chain of two calls (`bind(..).unwrap_or_else(..)`),
//!   whitespace ignored; every `todo!` step has a hints section of at least
//!   2 levels.
//! * **the edition's prose** ([`edition_errors`]): no file tells to use an
//!   `exercises/` folder or to copy into `src/bin`, and no Markdown file
//!   states a score total (`117 分`) other than the one computed from the
//!   tests of the exercised programs.
//! * **giveaway anywhere in the edition** ([`edition_errors`]): no blanked
//!   statement (whole, or the right side of a `let`, at least
//!   [`MIN_STATEMENT`] characters without whitespace) appears in any file of the
//!   edition, except files listed with a reason in [`REVIEWED`].

use crate::export;
use crate::hint;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Files of the edition whose matches with a blanked statement were reviewed:
/// `path reason…` a line, `#` comments.
pub const REVIEWED: &str = "grade/giveaway-reviewed.txt";

/// The shortest blanked statement the edition-wide search looks for
/// (characters, whitespace removed): shorter ones (`drop(sock);`) are shared
/// plumbing that gives nothing away.
pub const MIN_STATEMENT: usize = 24;

/// A hunk of a line diff: reference lines `a.0..a.1`, exercise lines `b.0..b.1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hunk {
    pub a: (usize, usize),
    pub b: (usize, usize),
}

/// The hunks of an LCS line diff of `a` and `b`.
pub fn diff(a: &[&str], b: &[&str]) -> Vec<Hunk> {
    let (n, m) = (a.len(), b.len());
    // Common prefix and suffix first: the table covers only the middle.
    let mut pre = 0;
    while pre < n && pre < m && a[pre] == b[pre] {
        pre += 1;
    }
    let mut suf = 0;
    while suf < n - pre && suf < m - pre && a[n - 1 - suf] == b[m - 1 - suf] {
        suf += 1;
    }
    let (a2, b2) = (&a[pre..n - suf], &b[pre..m - suf]);
    let (n2, m2) = (a2.len(), b2.len());
    let mut t = vec![0u32; (n2 + 1) * (m2 + 1)];
    let at = |i: usize, j: usize| i * (m2 + 1) + j;
    for i in (0..n2).rev() {
        for j in (0..m2).rev() {
            t[at(i, j)] = if a2[i] == b2[j] {
                t[at(i + 1, j + 1)] + 1
            } else {
                t[at(i + 1, j)].max(t[at(i, j + 1)])
            };
        }
    }
    let mut hunks = Vec::new();
    let (mut i, mut j) = (0, 0);
    let mut open: Option<(usize, usize)> = None;
    while i < n2 || j < m2 {
        if i < n2 && j < m2 && a2[i] == b2[j] {
            if let Some((si, sj)) = open.take() {
                hunks.push(Hunk {
                    a: (pre + si, pre + i),
                    b: (pre + sj, pre + j),
                });
            }
            i += 1;
            j += 1;
        } else {
            open.get_or_insert((i, j));
            if j < m2 && (i == n2 || t[at(i, j + 1)] >= t[at(i + 1, j)]) {
                j += 1;
            } else {
                i += 1;
            }
        }
    }
    if let Some((si, sj)) = open {
        hunks.push(Hunk {
            a: (pre + si, pre + n2),
            b: (pre + sj, pre + m2),
        });
    }
    hunks
}

/// For each line of `text`, whether it belongs to a `todo!(…)` (from the line
/// of `todo!(` to the line of its closing parenthesis).
pub fn todo_lines(text: &str) -> Vec<bool> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |byte: usize| starts.partition_point(|&s| s <= byte) - 1;
    let mut marks = vec![false; text.lines().count()];
    for at in hint::code_todos(text) {
        let end = closing(text, at + 5).unwrap_or(text.len().saturating_sub(1));
        for m in marks.iter_mut().take(line_of(end) + 1).skip(line_of(at)) {
            *m = true;
        }
    }
    marks
}

/// The byte index of the `)` closing the `(` at `open`, skipping string
/// literals and char literals of one character.
fn closing(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'\'' if i + 2 < bytes.len() && bytes[i + 2] == b'\'' => i += 2,
            b'\'' if i + 3 < bytes.len() && bytes[i + 1] == b'\\' && bytes[i + 3] == b'\'' => {
                i += 3
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// What the diff of one exercise found: drift errors, and the reference lines
/// the exercise blanked.
pub struct Compared {
    pub errors: Vec<String>,
    pub blanked: Vec<String>,
}

/// Compares an exercise with its reference (contract A).
pub fn compare(reference: &str, exercise: &str, ex_name: &str) -> Compared {
    let a: Vec<&str> = reference.lines().map(str::trim_end).collect();
    let all_b: Vec<&str> = exercise.lines().map(str::trim_end).collect();
    let marks = todo_lines(exercise);
    let mut errors = Vec::new();
    let skip = usize::from(all_b.first().is_some_and(|l| l.starts_with("#![allow(")));
    if skip == 0 {
        errors.push(format!(
            "{ex_name}:1: 练习的第一行应当是 #![allow(unreachable_code, …)] // 练习: 全部完成后删掉这一行"
        ));
    }
    let b = &all_b[skip..];
    // The leading doc comment of the exercise (where the 练习 lines go).
    let doc_end = b
        .iter()
        .position(|l| !l.starts_with("//!"))
        .unwrap_or(b.len());
    let mut blanked = Vec::new();
    for h in diff(&a, b) {
        let ex_lines = h.b.0..h.b.1;
        let line_no = h.b.0 + skip + 1;
        if h.a.0 == h.a.1
            && h.b.1 <= doc_end
            && b[h.b.0..h.b.1].iter().any(|l| l.contains("练习"))
            && b[h.b.0..h.b.1].iter().all(|l| l.starts_with("//!"))
        {
            continue; // the header
        }
        let is_todo = |k: usize| marks.get(k + skip).copied().unwrap_or(false);
        if let Some(k) = ex_lines.clone().find(|&k| !is_todo(k)) {
            errors.push(format!(
                "{ex_name}:{}: 这一行和参考答案不同, 又不属于 todo!(…): {}",
                k + skip + 1,
                b[k].trim()
            ));
        } else if ex_lines.is_empty() {
            errors.push(format!(
                "{ex_name}:{line_no}: 参考答案在这里的 {} 行 (第 {} 行起: {}) 练习里没有, 也没有 todo! 代替",
                h.a.1 - h.a.0,
                h.a.0 + 1,
                a[h.a.0].trim()
            ));
        } else {
            blanked.extend(a[h.a.0..h.a.1].iter().map(|s| s.to_string()));
            // A todo! placed where the reference had nothing: fine only if it
            // replaces something.
            if h.a.0 == h.a.1 {
                errors.push(format!(
                    "{ex_name}:{line_no}: 这个 todo! 没有代替参考答案的任何一行 (练习 = 参考答案挖掉几步)"
                ));
            }
        }
    }
    Compared { errors, blanked }
}

/// `s` without any whitespace.
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The code fragments of a statement that must not appear in a hint: each call
/// with its arguments (`read(&mut buf)`), each chain of two calls
/// (`bind(..).unwrap_or_else(..)`); whitespace removed.
pub fn fragments(stmt: &str) -> BTreeSet<String> {
    let s = stmt;
    let bytes = s.as_bytes();
    let skip_ws = |mut k: usize| {
        while bytes.get(k).is_some_and(|b| b.is_ascii_whitespace()) {
            k += 1;
        }
        k
    };
    let mut out = BTreeSet::new();
    for (open, _) in s.match_indices('(') {
        let start = s[..open]
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':' || c == '!'))
            .map_or(0, |i| i + 1);
        let name = &s[start..open];
        if name.is_empty() || matches!(name, "Ok" | "Err" | "Some" | "if" | "while" | "match") {
            continue;
        }
        let Some(close) = closing(s, open) else {
            continue;
        };
        if !s[open + 1..close].trim().is_empty() {
            let call = squeeze(&s[start..=close]);
            if call.chars().count() >= 6 {
                out.insert(call);
            }
        }
        // A chain: `.name(…)` right after (also after `?`).
        let mut k = skip_ws(close + 1);
        if bytes.get(k) == Some(&b'?') {
            k = skip_ws(k + 1);
        }
        if bytes.get(k) == Some(&b'.') {
            let from = skip_ws(k + 1);
            let rest = &s[from..];
            let len = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if len > 0 && rest[len..].starts_with('(') {
                if let Some(c2) = closing(s, from + len) {
                    out.insert(squeeze(&s[start..=c2]));
                }
            }
        }
    }
    out
}

/// The whole statements of blanked lines, as searched for in the edition:
/// each statement [`worth_searching`] and the right side of a `let`,
/// whitespace removed, at least [`MIN_STATEMENT`] characters.
pub fn statements_of(blanked: &[String]) -> BTreeSet<String> {
    let text = blanked.join("\n");
    let mut out = BTreeSet::new();
    for st in export::statements(&text) {
        let sq = squeeze(&st);
        let rhs = st
            .strip_prefix("let ")
            .and_then(|r| r.split_once(" = "))
            .map(|(_, r)| squeeze(r));
        if !worth_searching(&st) {
            continue;
        }
        for c in std::iter::once(sq).chain(rhs) {
            if c.chars().count() >= MIN_STATEMENT {
                out.insert(c);
            }
        }
    }
    out
}

/// The text of every `todo!(…)` of a file, with its line number.
fn todo_texts(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for at in hint::code_todos(text) {
        let end = closing(text, at + 5).unwrap_or(text.len());
        let line = text[..at].matches('\n').count() + 1;
        out.push((line, text[at..end.min(text.len())].to_string()));
    }
    out
}

/// One exercise with its reference, read from the reference workspace.
pub struct Pair {
    pub program: String,
    pub exercise: PathBuf,
    pub bin: PathBuf,
    pub compared: Compared,
    pub exercise_text: String,
}

/// Every exercise of `root`, compared with its reference.
pub fn pairs(root: &Path) -> Vec<Pair> {
    export::exercises(root)
        .into_iter()
        .map(|(ex, bin)| {
            let reference = std::fs::read_to_string(root.join(&bin)).unwrap_or_default();
            let exercise_text = std::fs::read_to_string(root.join(&ex)).unwrap_or_default();
            let name = ex.to_string_lossy().replace('\\', "/");
            Pair {
                program: bin
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_default(),
                compared: compare(&reference, &exercise_text, &name),
                exercise: ex,
                bin,
                exercise_text,
            }
        })
        .collect()
}

/// Drift, hint giveaways and missing hints of the reference at `root`.
pub fn reference_errors(root: &Path, pairs: &[Pair]) -> Vec<String> {
    let mut errors = Vec::new();
    for p in pairs {
        errors.extend(p.compared.errors.iter().cloned());
        let ex_name = p.exercise.to_string_lossy().replace('\\', "/");
        let frags: BTreeSet<String> = export::statements(&p.compared.blanked.join("\n"))
            .iter()
            .flat_map(|s| fragments(s))
            .collect();
        for (line, t) in todo_texts(&p.exercise_text) {
            let head: String = t
                .trim_start_matches("todo!(")
                .trim_start()
                .chars()
                .take(40)
                .collect();
            if !head.starts_with('"') || hint::step_label(&head).is_none() {
                errors.push(format!(
                    "{ex_name}:{line}: todo! 的文字要以「第 N 步: 」开头 (cargo grade hint 按它找提示)"
                ));
            }
            let sq = squeeze(&t);
            for f in frags.iter().filter(|f| sq.contains(f.as_str())) {
                errors.push(format!(
                    "{ex_name}:{line}: todo! 的文字写出了被挖掉的代码 `{f}`: 用文字说 (只写调用的名字), 不要写语句"
                ));
            }
        }
        let hints_rel = format!("grade/hints/{}.txt", p.program);
        let hints = std::fs::read_to_string(root.join(&hints_rel)).ok();
        if let Some(h) = &hints {
            for (i, line) in h.lines().enumerate() {
                let sq = squeeze(line);
                for f in frags.iter().filter(|f| sq.contains(f.as_str())) {
                    errors.push(format!(
                        "{hints_rel}:{}: 提示写出了被挖掉的代码 `{f}` ({}): 描述它, 不要写语句",
                        i + 1,
                        p.bin.display()
                    ));
                }
            }
        }
        let sections = hints.as_deref().map(hint::parse).unwrap_or_default();
        for step in hint::todo_steps(&p.exercise_text) {
            match sections.iter().find(|s| s.step == step) {
                None => errors.push(format!(
                    "{hints_rel}: 没有第 {step} 步的提示 (## 第 {step} 步, 至少 2 层, 层之间用 --- 分开)"
                )),
                Some(s) if s.levels.len() < 2 => errors.push(format!(
                    "{hints_rel}: 第 {step} 步只有 {} 层提示, 至少要 2 层",
                    s.levels.len()
                )),
                Some(_) => {}
            }
        }
    }
    errors
}

/// One reviewed exception of [`REVIEWED`]: a file of the edition, a blanked
/// statement (whitespace ignored; `*`: any), and why it may stay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reviewed {
    pub path: String,
    pub statement: String,
    pub reason: String,
}

/// The exceptions of [`REVIEWED`]: lines `path | statement | reason`, `#` comments.
pub fn reviewed(root: &Path) -> Vec<Reviewed> {
    parse_reviewed(&std::fs::read_to_string(root.join(REVIEWED)).unwrap_or_default())
}

fn parse_reviewed(text: &str) -> Vec<Reviewed> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.splitn(3, " | ");
            Some(Reviewed {
                path: parts.next()?.trim().to_string(),
                statement: squeeze(parts.next()?),
                reason: parts.next()?.trim().to_string(),
            })
        })
        .filter(|r| !r.reason.is_empty())
        .collect()
}

/// Calls that are plumbing shared by every program (support's error exits
/// and logging): a statement made only of them gives no step away.
const PLUMBING: &[&str] = &[
    "log_client_error",
    "accept_failed",
    "bind_failed",
    "announce",
    "or_exit",
    "fail",
    "refuse",
    "eprintln!",
    "format_args!",
];

/// Whether a blanked statement is searched for in the whole edition: it has a
/// call that is not plumbing, and it is not a bare match arm (`Ok(x) => x,`).
pub fn worth_searching(st: &str) -> bool {
    !st.contains("=>")
        && fragments(st).iter().any(|f| {
            let callee = f.split('(').next().unwrap_or("");
            let last = callee.rsplit(['.', ':']).next().unwrap_or(callee);
            !PLUMBING.contains(&last)
        })
}

/// Every `N 分` (N > 1) of a Markdown text that is not `total`.
fn stated_totals(text: &str, total: u32) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut k = 0;
        while k < chars.len() {
            if chars[k].is_ascii_digit() && (k == 0 || !chars[k - 1].is_ascii_digit()) {
                let mut e = k;
                while e < chars.len() && chars[e].is_ascii_digit() {
                    e += 1;
                }
                let num: String = chars[k..e].iter().collect();
                let mut f = e;
                while f < chars.len() && chars[f] == ' ' {
                    f += 1;
                }
                let slash = chars.get(k.wrapping_sub(1)) == Some(&'/');
                let minutes = chars.get(f + 1) == Some(&'钟');
                if chars.get(f) == Some(&'分') && !slash && !minutes {
                    let n: u32 = num.parse().unwrap_or(0);
                    if n > 1 && n != total {
                        out.push((i + 1, format!("{num} 分")));
                    }
                }
                k = e;
            } else {
                k += 1;
            }
        }
    }
    out
}

/// The checks of the edition at `edition`, exported from `root`: (c) its
/// prose, (d) no blanked statement anywhere. `total` is the computed score
/// total (the scored tests of the exercised programs).
pub fn edition_errors(root: &Path, edition: &Path, pairs: &[Pair], total: u32) -> Vec<String> {
    let mut errors = Vec::new();
    let reviewed = reviewed(root);
    // Each searched statement with the programs that blank it.
    let mut searched: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    for p in pairs {
        for st in statements_of(&p.compared.blanked) {
            searched.entry(st).or_default().insert(p.program.clone());
        }
    }
    for rel in export::workspace_files_walk(edition) {
        let name = rel.to_string_lossy().replace('\\', "/");
        let Ok(text) = std::fs::read_to_string(edition.join(&rel)) else {
            continue;
        };
        // The grader's own source and tests must know the reference's layout.
        let grader = name.starts_with("grade/") && !name.starts_with("grade/hints/");
        if !grader {
            for (i, line) in text.lines().enumerate() {
                let l = line.to_lowercase();
                let cp = l.starts_with("cp ") || l.contains(" cp ") || l.contains("`cp ");
                let copy =
                    l.contains("src/bin") && (l.contains("复制") || cp || l.contains("copy"));
                if l.contains("exercises/") || copy {
                    errors.push(format!(
                        "{name}:{}: 学生版里没有 exercises/, 练习就在 src/bin/ 里: {}",
                        i + 1,
                        line.trim()
                    ));
                }
            }
            if name.ends_with(".md") {
                for (i, line) in text.lines().enumerate() {
                    if let Some(word) = REFERENCE_ONLY.iter().find(|w| line.contains(*w)) {
                        errors.push(format!(
                            "{name}:{}: 学生版里用不了 {word} (老师的材料或只在参考答案里能用的命令): {}",
                            i + 1,
                            line.trim()
                        ));
                    }
                }
                for (line, what) in stated_totals(&text, total) {
                    errors.push(format!(
                        "{name}:{line}: 写着总分 {what}, 算出来的是 {total} 分: 不要在发给学生的文字里写总分 (或在导出时算出来)"
                    ));
                }
            }
        }
        let sq = squeeze(&text);
        for (st, programs) in &searched {
            let excused = reviewed
                .iter()
                .any(|r| r.path == name && (r.statement == "*" || r.statement == *st));
            if !excused && sq.contains(st.as_str()) {
                let programs: Vec<&str> = programs.iter().map(String::as_str).collect();
                errors.push(format!(
                    "{name}: 有练习 {} 挖掉的一句: {st} (把这个文件换成一行说明, 或者审过后写进 {REVIEWED} 并说明原因)",
                    programs.join("、")
                ));
            }
        }
    }
    errors
}

/// Words of the instructor's material that a Markdown file of the edition
/// must not use: commands that only work in the reference, and folders the
/// edition leaves out.
const REFERENCE_ONLY: &[&str] = &[
    "cargo grade mistakes",
    "cargo grade check",
    "cargo grade export",
    ".ci/",
    "grade/mistakes",
    "mutants",
];

/// Errors in the edition: Markdown files that point to `bench/`, which the
/// edition leaves out (a command that only works in the reference). A lesson
/// README keeps its measurement commands between the markers of
/// `edition::REFERENCE_ONLY`, which export leaves out.
pub fn edition_bench_errors(edition: &Path) -> Vec<String> {
    let mut files = BTreeSet::new();
    for rel in export::workspace_files_walk(edition) {
        let name = rel.to_string_lossy().replace('\\', "/");
        if !name.ends_with(".md") {
            continue;
        }
        let text = std::fs::read_to_string(edition.join(&rel)).unwrap_or_default();
        if text.contains("bench/") {
            files.insert(name);
        }
    }
    files
        .into_iter()
        .map(|f| {
            format!(
                "{f} 提到 bench/ (测量的命令), 学生版里没有这个文件夹: 把这几行放进 \
                 「<!-- 只在参考答案里 … -->」和「<!-- /只在参考答案里 -->」之间"
            )
        })
        .collect()
}

/// `cargo grade check --quick`: the static checks, with an edition exported
/// to `target/grade-check/edition` but nothing built or run.
pub fn quick(root: &Path) -> Result<ExitCode, String> {
    let pairs = pairs(root);
    let mut errors = reference_errors(root, &pairs);
    let edition = root.join("target").join("grade-check").join("edition");
    let _ = std::fs::remove_dir_all(&edition);
    let report = export::export(root, &edition)?;
    let total = static_total(root, &report);
    errors.extend(edition_errors(root, &edition, &pairs, total));
    errors.extend(edition_bench_errors(&edition));
    print_errors(&errors, &format!("{} 个练习", pairs.len()))
}

/// The score total from the tests' source: the tests whose program has an exercise.
pub fn static_total(root: &Path, report: &export::ExportReport) -> u32 {
    let exercised: BTreeSet<String> = report
        .exercises
        .iter()
        .filter_map(|b| b.file_stem().map(|s| s.to_string_lossy().to_string()))
        .collect();
    crate::run::lessons(root)
        .iter()
        .flat_map(|l| l.suites.iter())
        .flat_map(|s| crate::run::sources(s).into_values())
        .filter(|s| s.program.as_ref().is_some_and(|p| exercised.contains(p)))
        .count() as u32
}

fn print_errors(errors: &[String], what: &str) -> Result<ExitCode, String> {
    if errors.is_empty() {
        println!("静态检查通过 ({what}): 练习没有偏离参考答案, 提示和学生版里没有被挖掉的代码");
        return Ok(ExitCode::SUCCESS);
    }
    for e in errors {
        println!("错误: {e}");
    }
    println!("静态检查失败: {} 个错误", errors.len());
    Ok(ExitCode::FAILURE)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFERENCE: &str = "//! 服务器。\n//!\n//! 运行。\nfn main() {\n    let s = Listener::open((h.as_str(), p))\n        .unwrap_or_else(|e| open_failed(&h, p, e));\n    loop {\n        let n = peer.take(&mut bytes)?;\n        println!(\"{n}\");\n    }\n}\n";

    fn exercise(body: &str) -> String {
        format!("#![allow(unreachable_code)] // 练习: 全部完成后删掉这一行\n//! 服务器。\n//!\n//! 练习 (学生版): 换成了 todo!。\n//!\n//! 运行。\nfn main() {{\n{body}}}\n")
    }

    #[test]
    fn an_exercise_that_only_blanks_steps_passes_and_gives_its_blanked_lines() {
        let ex = exercise("    let s: TcpListener = todo!(\"第 1 步: 用 TcpListener::bind\");\n    loop {\n        let n: usize = todo!(\n            \"第 2 步: read\"\n        );\n        println!(\"{n}\");\n    }\n");
        let c = compare(REFERENCE, &ex, "ex.rs");
        assert_eq!(c.errors, Vec::<String>::new());
        assert_eq!(c.blanked.len(), 3);
        assert!(c.blanked[2].contains("peer.take(&mut bytes)"));
    }

    #[test]
    fn a_changed_kept_line_is_drift_with_its_line() {
        let ex = exercise("    let s: TcpListener = todo!(\"第 1 步\");\n    loop {\n        let n: usize = todo!(\"第 2 步\");\n        println!(\"{n} bytes\");\n    }\n");
        let c = compare(REFERENCE, &ex, "ex.rs");
        assert_eq!(c.errors.len(), 1, "{:?}", c.errors);
        assert!(c.errors[0].starts_with("ex.rs:11: "), "{:?}", c.errors);
        // A line of the reference that vanished without a todo!.
        let ex = exercise("    let s: TcpListener = todo!(\"第 1 步\");\n    loop {\n        println!(\"{n}\");\n    }\n");
        let c = compare(REFERENCE, &ex, "ex.rs");
        assert_eq!(c.errors.len(), 1, "{:?}", c.errors);
        assert!(c.errors[0].contains("练习里没有"), "{:?}", c.errors);
    }

    #[test]
    fn fragments_are_calls_with_arguments_and_chains() {
        let f = fragments(
            "let s = Listener::open((h.as_str(), p))\n    .unwrap_or_else(|e| open_failed(&h, p, e));",
        );
        assert!(f.contains("Listener::open((h.as_str(),p))"), "{f:?}");
        assert!(f.contains("open_failed(&h,p,e)"), "{f:?}");
        assert!(
            f.iter()
                .any(|x| x.starts_with("Listener::open((h.as_str(),p)).unwrap_or_else(")),
            "{f:?}"
        );
        assert!(!f.iter().any(|x| x == "as_str()"), "{f:?}");
        let g = fragments("let n = peer.take(&mut bytes)?;");
        assert!(g.contains("take(&mutbytes)"), "{g:?}");
        let hint = squeeze("先 peer.take(&mut bytes), 再看 n");
        assert!(g.iter().any(|x| hint.contains(x.as_str())));
        assert!(!g
            .iter()
            .any(|x| squeeze("调用 peer 的 take 读进 bytes").contains(x.as_str())));
        assert!(fragments("return decline(c, a, &w);").contains("decline(c,a,&w)"));
    }

    #[test]
    fn totals_other_than_the_computed_one_are_found() {
        let t = "刚拿到时是 0 分, 每个测试 1 分, 满分 117 分; 118 分; 3/5 分; 约 8 分钟";
        assert_eq!(stated_totals(t, 118), [(1, "117 分".to_string())]);
    }

    #[test]
    fn reviewed_exceptions_and_plumbing() {
        let r = parse_reviewed(
            "# c\nlessons/x.rs | a ( b ) | 原因\nlessons/y.rs | * | 整个文件\nno | reason-less |\n",
        );
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].statement, "a(b)");
        assert_eq!(r[1].statement, "*");
        assert!(!worth_searching("Ok(pair) => pair, Err(e) => {"));
        assert!(!worth_searching("log_client_error(addr, &e);"));
        assert!(!worth_searching("return fail(x, &y);"));
        assert!(worth_searching("let n = peer.take(&mut bytes)?;"));
    }

    #[test]
    fn statements_searched_in_the_edition() {
        let s = statements_of(&[
            "    drop(sock);".into(),
            "    let started = Worker::new()".into(),
            "        .label(format!(\"工人-{count}\"))".into(),
            "        .start(move || {".into(),
        ]);
        assert!(
            s.contains("Worker::new().label(format!(\"工人-{count}\")).start(move||{"),
            "{s:?}"
        );
        assert!(!s.iter().any(|x| x.contains("drop")), "short: {s:?}");
    }
}
