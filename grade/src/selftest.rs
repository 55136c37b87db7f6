//! `cargo grade selftest` (run by `.ci/run`): a class of crafted submissions
//! graded in the sandbox, lesson01 only, each checked row by row.
//!
//! Every attack submission is the honest work of one exercise (`tcp_server`)
//! plus one attack: each must score exactly what the honest work earns, with
//! the same maximum, and be reported (`ignored_files`, a compile error under
//! the exercise, or the attack's own "SAFE:" lines in the messages). The
//! attacks are real: they run, and if the sandbox let them through they
//! would raise the score, reach the instructor's files or outlive the test.

use crate::class::{self, Setup};
use crate::platforms;
use crate::run::{self, Options};
use crate::sandbox::Sandbox;
use crate::{export, Cli};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

const L01: &str = "lessons/01_tcp_basics";

/// The evil exercise: under test it tries every runtime attack, then panics
/// with what it found (`SAFE:x` held, `LEAK:x` got through).
fn evil_program(root: &Path, results: &Path) -> String {
    format!(
        r####"// An attack, not an exercise: see grade/src/selftest.rs.
#![allow(unsafe_code)]
use std::io::Write;
extern "C" {{
    fn ptrace(request: i64, pid: i32, addr: usize, data: usize) -> i64;
    fn getppid() -> i32;
}}
use std::process::{{Command, Stdio}};
fn main() {{
    let mut r: Vec<&str> = Vec::new();
    // 1. Replace the test executable.
    let me = std::env::current_exe().unwrap_or_default();
    let deps = me.parent().map(|p| p.join("deps")).unwrap_or_default();
    let mut replaced = false;
    for e in std::fs::read_dir(&deps).into_iter().flatten().flatten() {{
        let n = e.file_name().to_string_lossy().to_string();
        if n.starts_with("lesson01-") && !n.contains('.') {{
            if std::fs::OpenOptions::new().append(true).open(e.path()).is_ok() {{
                replaced = true;
            }}
        }}
    }}
    r.push(if replaced {{ "LEAK:exe" }} else {{ "SAFE:exe" }});
    // 2. Kill the grader (any process running the grade binary).
    let mut seen = false;
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {{
        let cmd = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
        let cmd = String::from_utf8_lossy(&cmd).to_string();
        if cmd.contains("debug/grade\0") && cmd.contains("class") {{
            seen = true;
            let _ = Command::new("kill").arg("-9").arg(e.file_name()).status();
        }}
    }}
    r.push(if seen {{ "LEAK:kill" }} else {{ "SAFE:kill" }});
    // 3. Leave 36 processes, one of them a daemon that rewrites the results.
    for _ in 0..35 {{
        let _ = Command::new("sh").args(["-c", "exec sleep 987"]).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn();
    }}
    let daemon = "sleep 4; for f in {results}/*.json {results}/grades.csv; do echo '{{\"score\": 999}}' > \"$f\"; done; echo HACKED > {results}/hacked; exec sleep 987";
    let _ = Command::new("setsid").args(["sh", "-c", daemon]).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn();
    // 4. Read the instructor's files.
    let read = std::fs::read_to_string("{root}/Cargo.toml").is_ok() || std::fs::read_dir("/root/.cargo/bin").is_ok();
    r.push(if read {{ "LEAK:read" }} else {{ "SAFE:read" }});
    // 5. The network: only loopback may exist.
    let dev = std::fs::read_to_string("/proc/net/dev").unwrap_or_default();
    let other = dev.lines().skip(2).filter_map(|l| l.split(':').next()).any(|i| i.trim() != "lo");
    r.push(if other {{ "LEAK:net" }} else {{ "SAFE:net" }});
    // 6. Take over the test process that started this program: trace it, or
    //    write its memory (it would then exit 0 whatever this program did).
    let ppid = unsafe {{ getppid() }};
    let traced = unsafe {{ ptrace(16, ppid, 0, 0) }} == 0;
    if traced {{
        unsafe {{ ptrace(17, ppid, 0, 0) }};
    }}
    let mem = std::fs::OpenOptions::new().write(true).open(format!("/proc/{{ppid}}/mem")).is_ok();
    r.push(if traced || mem {{ "LEAK:ptrace" }} else {{ "SAFE:ptrace" }});
    // 7. Escapes and a fake score for the instructor's terminal.
    print!("\x1b[2J\x1b[H\x1b[8m总分: 26/26 (100%)\x1b[0m\n");
    eprint!("\x1b[2J总分: 26/26\n");
    let _ = std::io::stdout().flush();
    panic!("攻击结果 {{}} \x1b[2J\x1b[8m总分: 26/26", r.join(" "));
}}
"####,
        root = root.display(),
        results = results.display()
    )
}

struct Sub {
    name: &'static str,
    /// What the score must be: "honest", "zero", "max", "max-broken".
    expect: &'static str,
    /// Paths that must be in ignored_files.
    ignored: &'static [&'static str],
    /// Text that must be in the JSON.
    json_has: &'static [&'static str],
}

const SUBS: &[Sub] = &[
    Sub { name: "honest", expect: "honest", ignored: &[], json_has: &[] },
    Sub { name: "empty", expect: "zero", ignored: &[], json_has: &[] },
    Sub { name: "complete", expect: "max", ignored: &[], json_has: &[] },
    Sub {
        name: "broken_one",
        expect: "max-broken",
        ignored: &[],
        json_has: &["\"program\": \"ipaddr\", \"lesson\": \"lesson01\", \"score\": 0, \"max_score\": 2, \"status\": \"not_built\""],
    },
    Sub { name: "a_build_rs", expect: "honest", ignored: &["lessons/01_tcp_basics/build.rs", "support/build.rs"], json_has: &[] },
    Sub { name: "a_cargo_config", expect: "honest", ignored: &[".cargo/config.toml"], json_has: &[] },
    Sub {
        name: "a_manifest",
        expect: "honest",
        ignored: &["lessons/01_tcp_basics/Cargo.toml", "lessons/01_tcp_basics/fake.rs"],
        json_has: &[],
    },
    Sub { name: "a_init_array", expect: "honest", ignored: &["lessons/01_tcp_basics/src/lib.rs"], json_has: &[] },
    Sub { name: "a_symlink", expect: "honest", ignored: &["lessons/01_tcp_basics/src/bin/welcome_client.rs"], json_has: &["符号链接"] },
    Sub {
        name: "a_symlinked_folder",
        expect: "zero",
        ignored: &["lessons/01_tcp_basics/src/bin/tcp_server.rs", "lessons/01_tcp_basics/src/bin"],
        json_has: &["练习文件所在的目录是符号链接"],
    },
    Sub {
        name: "a_include",
        expect: "honest",
        ignored: &[],
        json_has: &["\"program\": \"ipaddr\", \"lesson\": \"lesson01\", \"score\": 0, \"max_score\": 2, \"status\": \"not_built\""],
    },
    Sub { name: "a_tests", expect: "honest", ignored: &["tests/lesson01.rs"], json_has: &[] },
    Sub {
        name: "a_runtime",
        expect: "honest",
        ignored: &[],
        json_has: &["SAFE:exe SAFE:kill SAFE:read SAFE:net SAFE:ptrace"],
    },
    Sub { name: "timeout", expect: "honest", ignored: &[], json_has: &["\"status\": \"timeout\""] },
];

fn write(p: &Path, text: &str) -> Result<(), String> {
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
    }
    std::fs::write(p, text).map_err(|e| format!("{}: {e}", p.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    let ok = std::process::Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        Ok(())
    } else {
        Err(format!("cp -a {} {} 失败", from.display(), to.display()))
    }
}

fn reference(root: &Path, dest: &Path, program: &str) -> Result<(), String> {
    let rel = format!("{L01}/src/bin/{program}.rs");
    std::fs::copy(root.join(&rel), dest.join(&rel)).map_err(|e| format!("{rel}: {e}"))?;
    Ok(())
}

/// Makes the submissions under `subs` from the edition `ed` and the reference `root`.
fn make(root: &Path, ed: &Path, subs: &Path, results: &Path) -> Result<(), String> {
    let programs: Vec<String> = crate::manifest::from_folders(root)
        .into_iter()
        .filter(|(_, b)| b.starts_with(L01))
        .map(|(p, _)| p)
        .collect();
    for s in SUBS {
        let d = subs.join(s.name);
        copy_dir(ed, &d)?;
        if s.name != "empty" {
            reference(root, &d, "tcp_server")?;
        }
        let bin = |p: &str| d.join(format!("{L01}/src/bin/{p}.rs"));
        match s.name {
            "complete" | "broken_one" => {
                for p in &programs {
                    reference(root, &d, p)?;
                }
                if s.name == "broken_one" {
                    // ipaddr: no other program's test runs it (tcp_server's
                    // pairing test in tests/lesson01.rs would, see the report).
                    let mut t = std::fs::read_to_string(bin("ipaddr")).unwrap_or_default();
                    t.push_str("\nfn broken( {\n");
                    write(&bin("ipaddr"), &t)?;
                }
            }
            "a_build_rs" => {
                let evil = "fn main() {\n    let t = std::path::Path::new(env!(\"CARGO_MANIFEST_DIR\")).join(\"../../tests/lesson01.rs\");\n    let _ = std::fs::write(t, \"#[test]\\nfn all_pass() {}\\n\");\n    // and copy the instructor's answers if the clone can be found\n    let _ = std::process::Command::new(\"sh\").args([\"-c\", \"cp -r /work/*/lessons/01_tcp_basics/src/bin/* src/bin/ 2>/dev/null\"]).status();\n}\n";
                write(&d.join(L01).join("build.rs"), evil)?;
                write(&d.join("support/build.rs"), evil)?;
            }
            "a_cargo_config" => {
                write(&d.join("evil-rustc.sh"), "#!/bin/sh\nexec \"$@\"\n")?;
                write(
                    &d.join(".cargo/config.toml"),
                    "[alias]\ngrade = \"run -q -p grade --\"\n[build]\nrustc-wrapper = \"evil-rustc.sh\"\ntarget-dir = \"/tmp/evil-target\"\n",
                )?;
            }
            "a_manifest" => {
                let p = d.join(L01).join("Cargo.toml");
                let t = std::fs::read_to_string(&p).unwrap_or_default();
                let t = t
                    .replace("[[test]]", "[[ test ]]")
                    .replace("path = \"../../tests/lesson01.rs\"", "path = \"fake.rs\" # \"../../tests/lesson01.rs\"");
                write(&p, &t)?;
                write(&d.join(L01).join("fake.rs"), "#[test]\nfn all_pass() {}\n")?;
            }
            "a_init_array" => {
                let p = d.join(L01).join("src/lib.rs");
                let mut t = std::fs::read_to_string(&p).unwrap_or_default();
                t.push_str("\n#[allow(unsafe_code)]\n#[used]\n#[link_section = \".init_array\"]\nstatic PASS: extern \"C\" fn() = {\n    extern \"C\" fn pass() {\n        std::process::exit(0)\n    }\n    pass\n};\n");
                write(&p, &t)?;
            }
            "a_symlink" => {
                let b = bin("welcome_client");
                let _ = std::fs::remove_file(&b);
                #[cfg(unix)]
                std::os::unix::fs::symlink(root.join(format!("{L01}/src/bin/welcome_client.rs")), &b)
                    .map_err(|e| format!("symlink: {e}"))?;
            }
            "a_symlinked_folder" => {
                // The whole folder of lesson 1's programs is the instructor's.
                let b = d.join(format!("{L01}/src/bin"));
                let _ = std::fs::remove_dir_all(&b);
                #[cfg(unix)]
                std::os::unix::fs::symlink(root.join(format!("{L01}/src/bin")), &b)
                    .map_err(|e| format!("symlink: {e}"))?;
            }
            "a_include" => {
                let src = format!(
                    "include!(\"{}\");\n",
                    root.join(format!("{L01}/src/bin/ipaddr.rs")).display()
                );
                write(&bin("ipaddr"), &src)?;
            }
            "a_tests" => {
                write(&d.join("tests/lesson01.rs"), "#[test]\nfn all_pass() {}\n")?;
            }
            "a_runtime" => write(&bin("http_get"), &evil_program(root, results))?,
            "timeout" => write(
                &bin("welcome_client"),
                "fn main() {\n    loop {\n        std::thread::sleep(std::time::Duration::from_secs(1));\n    }\n}\n",
            )?,
            _ => {}
        }
    }
    Ok(())
}

/// Processes whose command line contains `needle`.
fn processes_with(needle: &str) -> usize {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            std::fs::read(e.path().join("cmdline")).is_ok_and(|c| {
                String::from_utf8_lossy(&c)
                    .replace('\0', " ")
                    .contains(needle)
            })
        })
        .count()
}

pub fn run(cli: &Cli) -> Result<ExitCode, String> {
    let here = std::env::current_dir().map_err(|e| e.to_string())?;
    let root = run::find_root(&here).ok_or("不在工作区里")?;
    if crate::manifest::from_folders(&root).is_empty() {
        return Err("selftest 要在参考答案 (老师的工作区) 里运行".into());
    }
    let sb = Sandbox::probe(cli.unsandboxed)?;
    if let Sandbox::None(_) = sb {
        return Err("selftest 只在沙箱里运行 (攻击是真的)".into());
    }
    let base = root.join("target").join("grade-selftest");
    let subs = base.join("submissions");
    let results = base.join("results");
    let _ = std::fs::remove_dir_all(&subs);
    let _ = std::fs::remove_dir_all(&results);
    let _ = std::fs::remove_dir_all(base.join("edition"));
    export::export(&root, &base.join("edition"))?;
    std::fs::create_dir_all(&subs).map_err(|e| format!("{}: {e}", subs.display()))?;
    make(&root, &base.join("edition"), &subs, &results)?;
    let opts = Options {
        timeout: Duration::from_secs(8),
        jobs: cli.jobs,
        target_dir: None,
        rustflags: None,
        show_build: false,
    };
    let setup = Setup::prepare(&root, &base.join("work"), sb, &["lesson01".into()], &opts)?;
    let max = setup.max();
    let weight_of = |p: &str| -> f64 {
        setup
            .canon
            .iter()
            .filter(|c| c.source.program.as_deref() == Some(p))
            .map(|c| c.weight)
            .sum()
    };
    let tcp_server = weight_of("tcp_server");
    let ipaddr = weight_of("ipaddr");
    class::class(&setup, &subs, &results)?;
    // The daemon of a_runtime would act 4 s after it started.
    std::thread::sleep(Duration::from_secs(6));
    let mut errors = Vec::new();
    if results.join("hacked").exists() {
        errors.push("a_runtime 的守护进程写进了结果目录".to_string());
    }
    let left = processes_with("sleep 987");
    if left > 0 {
        errors.push(format!(
            "测试结束后还有 {left} 个作业留下的进程 (sleep 987)"
        ));
    }
    let csv = std::fs::read_to_string(results.join("grades.csv"))
        .map_err(|e| format!("grades.csv: {e}"))?;
    let rows: Vec<Vec<String>> = csv.lines().map(parse_csv).collect();
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name);
    let expected_cols = [
        "student",
        "score",
        "max_score",
        "lesson01",
        "tcp_server",
        "not_built",
        "timed_out",
        "ignored_files",
        "unsandboxed",
        "error",
    ];
    for c in expected_cols {
        if col(c).is_none() {
            errors.push(format!("grades.csv 没有列 {c}: {header:?}"));
        }
    }
    if rows.len() != SUBS.len() + 1 {
        errors.push(format!(
            "grades.csv 有 {} 行, 应当是 {}",
            rows.len() - 1,
            SUBS.len()
        ));
    }
    let get =
        |row: &Vec<String>, c: &str| col(c).and_then(|i| row.get(i).cloned()).unwrap_or_default();
    for s in SUBS {
        let Some(row) = rows
            .iter()
            .find(|r| r.first().map(String::as_str) == Some(s.name))
        else {
            errors.push(format!("{}: grades.csv 里没有这一行", s.name));
            continue;
        };
        let want = match s.expect {
            "honest" => tcp_server,
            "zero" => 0.0,
            "max" => max,
            _ => max - ipaddr,
        };
        let score: f64 = get(row, "score").parse().unwrap_or(-1.0);
        let row_max: f64 = get(row, "max_score").parse().unwrap_or(-1.0);
        if (score - want).abs() > 0.001 || (row_max - max).abs() > 0.001 {
            errors.push(format!(
                "{}: 得分 {score}/{row_max}, 应当是 {want}/{max}",
                s.name
            ));
        }
        if get(row, "lesson01") != get(row, "score") {
            errors.push(format!("{}: lesson01 列和 score 不一致", s.name));
        }
        if get(row, "unsandboxed") != "no" || !get(row, "error").is_empty() {
            errors.push(format!("{}: unsandboxed/error 列不对: {row:?}", s.name));
        }
        let json =
            std::fs::read_to_string(results.join(format!("{}.json", s.name))).unwrap_or_default();
        for needle in [
            format!("\"student\": \"{}\"", s.name),
            "\"format\": \"workbook-grade/3\"".to_string(),
            "\"sandbox\": \"bwrap\"".to_string(),
            format!("\"score\": {}", crate::points::show(score)),
            format!("\"max_score\": {}", crate::points::show(max)),
        ] {
            if !json.contains(&needle) {
                errors.push(format!("{}.json 里没有 {needle}", s.name));
            }
        }
        // The JSON, parsed back, agrees with the CSV row on every number.
        match crate::json::parse(&json) {
            Err(e) => errors.push(format!("{}.json 不是 JSON: {e}", s.name)),
            Ok(v) => {
                let keys = v.keys();
                for k in [
                    "format",
                    "student",
                    "commit",
                    "exercise_files_sha256",
                    "grader_version",
                    "edition_version",
                    "time",
                    "sandbox",
                    "score",
                    "max_score",
                    "ignored_files",
                    "lessons",
                    "exercises",
                    "tests",
                ] {
                    if !keys.contains(&k) {
                        errors.push(format!("{}.json 没有字段 {k}", s.name));
                    }
                }
                let mut from_json: Vec<(String, f64)> = vec![
                    ("score".into(), v.num("score").unwrap_or(-1.0)),
                    ("max_score".into(), v.num("max_score").unwrap_or(-1.0)),
                ];
                for l in v.arr("lessons") {
                    from_json.push((
                        l.str("lesson").unwrap_or("").into(),
                        l.num("score").unwrap_or(-1.0),
                    ));
                }
                for e in v.arr("exercises") {
                    from_json.push((
                        e.str("program").unwrap_or("").into(),
                        e.num("score").unwrap_or(-1.0),
                    ));
                }
                for (c, n) in &from_json {
                    let cell: f64 = get(row, c).parse().unwrap_or(-2.0);
                    if (cell - n).abs() > 0.001 {
                        errors.push(format!("{}: CSV 的 {c} 是 {cell}, JSON 里是 {n}", s.name));
                    }
                }
                let sum: f64 = v.arr("tests").iter().filter_map(|t| t.num("points")).sum();
                if (sum - score).abs() > 0.001 {
                    errors.push(format!("{}: 测试的分加起来是 {sum}, 不是 {score}", s.name));
                }
            }
        }
        if json.contains("LEAK:") || json.contains("\\u001b") || json.contains('\u{1b}') {
            errors.push(format!("{}.json: 攻击漏了出来或有原样的转义序列", s.name));
        }
        for p in s.ignored {
            if !json.contains(&format!("{{\"path\": \"{p}\"")) {
                errors.push(format!("{}: ignored_files 里没有 {p}", s.name));
            }
        }
        for needle in s.json_has {
            if !json.contains(needle) {
                errors.push(format!("{}.json 里没有 {needle}", s.name));
            }
        }
        if s.name == "timeout" && get(row, "timed_out") == "0" {
            errors.push("timeout: timed_out 列是 0".into());
        }
        // The program's escape must be there as visible text: the grader writes
        // `\x1b[2J`, a test that prints the output with `{:?}` `\u{1b}[2J`
        // (a raw one is refused above).
        if s.name == "a_runtime" && !json.contains("\\\\x1b[2J") && !json.contains("\\\\u{1b}[2J") {
            errors.push("a_runtime.json 里没有看得见的 \\x1b[2J".into());
        }
        if s.name == "a_include" && !get(row, "not_built").contains("ipaddr") {
            errors.push("a_include: not_built 列没有 ipaddr".into());
        }
        if s.ignored.is_empty() && s.name != "a_runtime" && !json.contains("\"ignored_files\": []")
        {
            errors.push(format!("{}: 诚实的作业不该有忽略的文件", s.name));
        }
    }
    // Gradescope: run_autograder in a temporary root on the honest submission.
    match gradescope_round_trip(&root, &base, &subs.join("honest")) {
        Ok(text) => {
            let honest = std::fs::read_to_string(results.join("honest.json")).unwrap_or_default();
            match (crate::json::parse(&text), crate::json::parse(&honest)) {
                (Ok(gs), Ok(h)) => {
                    if gs.num("score") != Some(tcp_server) || gs.num("score") != h.num("score") {
                        errors.push(format!(
                            "Gradescope score {:?}, 应当是 {tcp_server}",
                            gs.num("score")
                        ));
                    }
                    let scored: Vec<&crate::json::Value> = h
                        .arr("tests")
                        .iter()
                        .filter(|t| t.get("exercise") == Some(&crate::json::Value::Bool(true)))
                        .collect();
                    if gs.arr("tests").len() != scored.len() {
                        errors.push(format!(
                            "Gradescope 有 {} 个测试, JSON 里计分的有 {}",
                            gs.arr("tests").len(),
                            scored.len()
                        ));
                    }
                    for (a, b) in gs.arr("tests").iter().zip(&scored) {
                        let name = format!(
                            "{}::{} ({})",
                            b.str("lesson").unwrap_or(""),
                            b.str("name").unwrap_or(""),
                            b.str("program").unwrap_or("?")
                        );
                        if a.str("name") != Some(name.as_str())
                            || a.num("score") != b.num("points")
                            || a.num("max_score") != b.num("max_points")
                            || a.str("visibility") != Some("visible")
                        {
                            errors.push(format!(
                                "Gradescope 的测试 {:?} 和 JSON 的 {name} 不一致",
                                a.str("name")
                            ));
                        }
                    }
                }
                (Err(e), _) | (_, Err(e)) => errors.push(format!(
                    "Gradescope results.json 或 honest.json 读不了: {e}"
                )),
            }
        }
        Err(e) => errors.push(format!("Gradescope: {e}")),
    }
    if errors.is_empty() {
        println!(
            "selftest 通过: {} 份作业 (攻击 {} 种), 每份都是诚实的分数, 都被报告; 满分 {}",
            SUBS.len(),
            SUBS.iter().filter(|s| s.name.starts_with("a_")).count(),
            crate::points::show(max)
        );
        Ok(ExitCode::SUCCESS)
    } else {
        for e in &errors {
            println!("错误: {e}");
        }
        println!(
            "selftest 失败: {} 个错误 (结果在 {})",
            errors.len(),
            results.display()
        );
        Ok(ExitCode::FAILURE)
    }
}

/// Writes the Gradescope folder, runs its `run_autograder` with the paths in
/// a temporary root, returns `results.json`.
fn gradescope_round_trip(root: &Path, base: &Path, sub: &Path) -> Result<String, String> {
    let ag = base.join("gradescope");
    let _ = std::fs::remove_dir_all(&ag);
    let source = ag.join("source");
    platforms::write_gradescope(root, &source)?;
    // Reuse the selftest's grader build and work folder: only the paths differ.
    let res = ag.join("results");
    let out = std::process::Command::new(source.join("run_autograder"))
        .env("AUTOGRADER_ROOT", &ag)
        .env("SUBMISSION_DIR", sub)
        .env("RESULTS_DIR", &res)
        .env("GRADE_ARGS", "lesson01")
        .env(
            "CARGO_TARGET_DIR",
            root.join("target").join("grade-gradescope"),
        )
        .output()
        .map_err(|e| format!("run_autograder: {e}"))?;
    std::fs::read_to_string(res.join("results.json")).map_err(|e| {
        format!(
            "没有 results.json ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// One CSV line split into fields (quotes as `csv_field` writes them).
pub fn parse_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_lines_parse_back_field_by_field() {
        assert_eq!(
            super::parse_csv("张三,10,34,\"a,b\",\"say \"\"hi\"\"\",,no"),
            ["张三", "10", "34", "a,b", "say \"hi\"", "", "no"]
        );
    }
}
