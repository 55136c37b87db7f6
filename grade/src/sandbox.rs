//! Running a submission's code (its build and its tests) in a sandbox.
//!
//! On Linux the sandbox is bubblewrap (`bwrap`): new user, PID, IPC, UTS and
//! network namespaces (the network namespace has only loopback), no
//! capabilities, a new session (no terminal to write into), a seccomp filter
//! against `ptrace` and `process_vm_writev` and a read-only `/proc` (a program
//! cannot take over the test process that started it), the system and
//! the toolchain read-only, a private `/tmp`, the cargo registry read-only,
//! and the grading tree the only writable place, mounted at the fixed path
//! [`INSIDE`] (the same path every time, so that cargo's fingerprints of the
//! pristine build stay valid for every submission). While tests run, the
//! tree's `target/` is mounted read-only over it. `--die-with-parent` and the
//! PID namespace mean that when the sandbox's first process ends, everything
//! it started ends with it. The instructor's home, clone and results are not
//! mounted, so nothing inside can read or write them.
//!
//! Where bwrap is missing or cannot make namespaces, [`Sandbox::probe`] says
//! why and what to do; `--unsandboxed` runs the same commands directly (each
//! test in a process group of its own, killed when it ends), and the report
//! and the JSON say so.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where the grading tree appears inside the sandbox.
pub const INSIDE: &str = "/grading/ws";

/// How foreign code is run.
#[derive(Clone, Debug)]
pub enum Sandbox {
    /// In bubblewrap.
    Bwrap(Toolchain),
    /// Directly, as the instructor (`--unsandboxed`).
    None(Toolchain),
}

/// What a build inside the sandbox needs from the machine.
#[derive(Clone, Debug)]
pub struct Toolchain {
    /// `rustc --print sysroot`: its `bin/cargo` and `bin/rustc` are used directly
    /// (not rustup's proxies, which live in the instructor's home).
    pub sysroot: PathBuf,
    /// The instructor's cargo registry (`$CARGO_HOME/registry`), mounted read-only.
    pub registry: Option<PathBuf>,
    /// The seccomp filter for bwrap (x86_64 only; see [`seccomp_filter`]).
    pub seccomp: Option<PathBuf>,
}

/// A classic-BPF seccomp program that refuses `ptrace` and `process_vm_writev`
/// (EPERM), x32 system calls and any other architecture's, and allows the rest:
/// a program under test cannot take over the test process that started it
/// (this machine may have no Yama to stop a process tracing its parent).
pub fn seccomp_filter() -> Vec<u8> {
    const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
    let prog: [(u16, u8, u8, u32); 8] = [
        (0x20, 0, 0, 4),                 // load the architecture
        (0x15, 0, 5, AUDIT_ARCH_X86_64), // not x86_64: refuse
        (0x20, 0, 0, 0),                 // load the system call number
        (0x35, 3, 0, 0x4000_0000),       // x32 calls: refuse
        (0x15, 2, 0, 101),               // ptrace: refuse
        (0x15, 1, 0, 311),               // process_vm_writev: refuse
        (0x06, 0, 0, 0x7fff_0000),       // allow
        (0x06, 0, 0, 0x0005_0001),       // refuse with EPERM
    ];
    let mut out = Vec::new();
    for (code, jt, jf, k) in prog {
        out.extend_from_slice(&code.to_le_bytes());
        out.push(jt);
        out.push(jf);
        out.extend_from_slice(&k.to_le_bytes());
    }
    out
}

impl Toolchain {
    pub fn find() -> Result<Toolchain, String> {
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        let out = Command::new(&rustc)
            .args(["--print", "sysroot"])
            .output()
            .map_err(|e| format!("rustc 启动不了: {e}"))?;
        let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if !sysroot.join("bin").join("cargo").is_file() {
            return Err(format!(
                "工具链 {} 里没有 bin/cargo (用 rustup 装的工具链才有)",
                sysroot.display()
            ));
        }
        let home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
        let registry = home.map(|h| h.join("registry")).filter(|r| r.is_dir());
        let seccomp = if cfg!(all(target_os = "linux", target_arch = "x86_64")) {
            // One file for every run (its bytes never change), written whole
            // under a temporary name and renamed, so a concurrent reader never
            // sees half of it.
            let dir = std::env::temp_dir();
            let p = dir.join("cargo-grade-seccomp-1.bpf");
            let tmp = dir.join(format!("cargo-grade-seccomp-1.{}", std::process::id()));
            std::fs::write(&tmp, seccomp_filter())
                .and_then(|()| std::fs::rename(&tmp, &p))
                .map_err(|e| format!("{}: {e}", p.display()))?;
            Some(p)
        } else {
            None
        };
        Ok(Toolchain {
            sysroot,
            registry,
            seccomp,
        })
    }
}

/// What the refusal says when there is no working sandbox.
pub const WHAT_TO_DO: &str = "\
不在沙箱里运行学生的代码 (它的构建和测试会以你的身份运行, 能读写你的文件、看到网络):
  - 装上 bubblewrap: Debian/Ubuntu `sudo apt-get install bubblewrap`, Fedora `sudo dnf install bubblewrap`,
    Arch `sudo pacman -S bubblewrap`; 在容器里还要允许非特权用户命名空间 (docker 加 --privileged 或
    --security-opt seccomp=unconfined);
  - 或者用 GitHub Classroom / Gradescope 评分 (README「老师: 如何评分」), 那里每份作业有自己的机器;
  - 或者加 --unsandboxed, 明知风险照样运行 (报告和 JSON 会记下 \"sandbox\": \"none\")。";

impl Sandbox {
    /// The sandbox to use: bwrap when it works here, else an error saying why
    /// and what to do; with `unsandboxed`, none.
    pub fn probe(unsandboxed: bool) -> Result<Sandbox, String> {
        let tools = Toolchain::find()?;
        if unsandboxed {
            return Ok(Sandbox::None(tools));
        }
        if cfg!(not(target_os = "linux")) {
            return Err(format!(
                "这台机器不是 Linux, 没有 bubblewrap 沙箱。\n{WHAT_TO_DO}"
            ));
        }
        let sb = Sandbox::Bwrap(tools);
        let tmp = std::env::temp_dir().join(format!("grade-probe-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&tmp);
        let out = sb
            .command(&tmp, None, false, Path::new(""), &[], Path::new("/bin/sh"))
            .args(["-c", "exit 0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output();
        let _ = std::fs::remove_dir_all(&tmp);
        match out {
            Ok(o) if o.status.success() => Ok(sb),
            Ok(o) if o.status.code() == Some(127) => {
                Err(format!("找不到 bwrap (bubblewrap)。\n{WHAT_TO_DO}"))
            }
            Ok(o) => Err(format!(
                "bwrap 建不了沙箱: {}\n{WHAT_TO_DO}",
                String::from_utf8_lossy(&o.stderr).trim()
            )),
            Err(e) => Err(format!("找不到 bwrap ({e})。\n{WHAT_TO_DO}")),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Sandbox::Bwrap(_) => "bwrap",
            Sandbox::None(_) => "none",
        }
    }

    pub fn tools(&self) -> &Toolchain {
        match self {
            Sandbox::Bwrap(t) | Sandbox::None(t) => t,
        }
    }

    /// Where `tree` is seen by the code that runs (inside the sandbox, [`INSIDE`]).
    pub fn seen(&self, tree: &Path) -> PathBuf {
        match self {
            Sandbox::Bwrap(_) => PathBuf::from(INSIDE),
            Sandbox::None(_) => tree.to_path_buf(),
        }
    }

    /// A command that runs `program` (a path as seen inside) with `tree` as the
    /// grading tree and `target` as its `target/` (read-only when `ro_target`).
    /// Environment: cargo offline, the toolchain's cargo and rustc, nothing of
    /// the instructor's environment but `PATH`, `LANG`, `LC_ALL`.
    pub fn command(
        &self,
        tree: &Path,
        target: Option<&Path>,
        ro_target: bool,
        cwd: &Path,
        extra: &[(&str, String)],
        program: &Path,
    ) -> Command {
        let tools = self.tools();
        let bin = tools.sysroot.join("bin");
        let path = format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display());
        let rustc = bin.join("rustc").to_string_lossy().to_string();
        let mut env: Vec<(&str, String)> = vec![
            ("PATH", path.clone()),
            ("CARGO_NET_OFFLINE", "true".into()),
            ("RUSTC", rustc),
            ("LANG", "C.UTF-8".into()),
        ];
        env.extend(extra.iter().cloned());
        let mut cmd;
        match self {
            Sandbox::Bwrap(_) => {
                env.extend([
                    ("HOME", "/tmp".to_string()),
                    ("CARGO_HOME", "/cargo-home".into()),
                    ("TMPDIR", "/tmp".into()),
                ]);
                // The seccomp filter reaches bwrap as descriptor 9 (std opens
                // files close-on-exec, so a shell opens it for bwrap).
                cmd = Command::new("sh");
                cmd.env_clear().env("PATH", &path);
                match &tools.seccomp {
                    Some(f) => {
                        cmd.args(["-c", "exec bwrap \"$@\" 9<\"$0\""]).arg(f);
                        cmd.args(["--seccomp", "9"]);
                    }
                    None => {
                        cmd.args(["-c", "exec bwrap \"$@\"", "sh"]);
                    }
                }
                cmd.args([
                    "--unshare-user",
                    "--unshare-pid",
                    "--unshare-ipc",
                    "--unshare-net",
                    "--unshare-uts",
                    "--unshare-cgroup-try",
                    "--cap-drop",
                    "ALL",
                    "--die-with-parent",
                    "--new-session",
                    "--clearenv",
                ]);
                cmd.args(["--ro-bind", "/usr", "/usr"]);
                for l in ["bin", "lib", "lib64", "sbin", "lib32", "libx32"] {
                    let p = Path::new("/").join(l);
                    match std::fs::read_link(&p) {
                        Ok(to) => {
                            cmd.arg("--symlink").arg(to).arg(&p);
                        }
                        Err(_) if p.is_dir() => {
                            cmd.arg("--ro-bind").arg(&p).arg(&p);
                        }
                        Err(_) => {}
                    }
                }
                // Only what a build and a loopback test need from /etc (not
                // /etc/shadow and the like).
                for f in [
                    "hosts",
                    "nsswitch.conf",
                    "ld.so.cache",
                    "ld.so.conf",
                    "ld.so.conf.d",
                    "alternatives",
                    "passwd",
                    "group",
                    "localtime",
                ] {
                    let p = Path::new("/etc").join(f);
                    if p.exists() {
                        cmd.arg("--ro-bind").arg(&p).arg(&p);
                    }
                }
                // /proc read-only: no writing another process's memory.
                cmd.args(["--proc", "/proc", "--remount-ro", "/proc"]);
                cmd.args(["--dev", "/dev", "--tmpfs", "/tmp"]);
                cmd.arg("--ro-bind").arg(&tools.sysroot).arg(&tools.sysroot);
                cmd.args(["--dir", "/cargo-home"]);
                if let Some(r) = &tools.registry {
                    cmd.arg("--ro-bind").arg(r).arg("/cargo-home/registry");
                }
                cmd.arg("--bind").arg(tree).arg(INSIDE);
                if let Some(t) = target {
                    let flag = if ro_target { "--ro-bind" } else { "--bind" };
                    cmd.arg(flag).arg(t).arg(format!("{INSIDE}/target"));
                }
                cmd.arg("--chdir").arg(Path::new(INSIDE).join(cwd));
                for (k, v) in &env {
                    cmd.args(["--setenv", k, v]);
                }
                cmd.arg("--").arg(program);
            }
            Sandbox::None(_) => {
                cmd = Command::new(program);
                cmd.current_dir(tree.join(cwd));
                for (k, v) in &env {
                    cmd.env(k, v);
                }
                for k in [
                    "RUSTC_WRAPPER",
                    "RUSTC_WORKSPACE_WRAPPER",
                    "RUSTFLAGS",
                    "CARGO_BUILD_RUSTFLAGS",
                    "CARGO_ENCODED_RUSTFLAGS",
                    "CARGO_TARGET_DIR",
                ] {
                    cmd.env_remove(k);
                }
                if let Some(t) = target {
                    cmd.env("CARGO_TARGET_DIR", t);
                }
            }
        }
        cmd
    }

    /// `cargo` with `args`, in the sandbox, on `tree` with `target`.
    pub fn cargo(&self, tree: &Path, target: &Path, args: &[&str]) -> Command {
        let cargo = self.tools().sysroot.join("bin").join("cargo");
        let mut cmd = self.command(tree, Some(target), false, Path::new(""), &[], &cargo);
        cmd.args(args);
        cmd
    }
}

/// Output of foreign code made safe to show: control characters and escape
/// sequences made visible (`\x1b[2J`), each line at most `LINE` characters,
/// at most `LINES` lines.
pub fn visible(text: &str) -> String {
    const LINE: usize = 300;
    const LINES: usize = 200;
    let mut out = String::new();
    for (n, line) in text.lines().enumerate() {
        if n == LINES {
            out.push_str("… (后面的行省略)\n");
            break;
        }
        let mut shown = String::new();
        for (count, c) in line.chars().enumerate() {
            if count >= LINE {
                shown.push_str(" …");
                break;
            }
            if c == '\t' {
                shown.push(c);
            } else if c.is_control()
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            {
                let code = c as u32;
                if code < 0x100 {
                    shown.push_str(&format!("\\x{code:02x}"));
                } else {
                    shown.push_str(&format!("\\u{{{code:x}}}"));
                }
            } else {
                shown.push(c);
            }
        }
        out.push_str(&shown);
        out.push('\n');
    }
    if !text.ends_with('\n') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seccomp_filter_is_eight_instructions_ending_in_allow_and_eperm() {
        let f = seccomp_filter();
        assert_eq!(f.len(), 64);
        assert_eq!(&f[48..56], &[6, 0, 0, 0, 0, 0, 0xff, 0x7f]);
        assert_eq!(&f[56..64], &[6, 0, 0, 0, 1, 0, 5, 0]);
    }

    #[test]
    fn escapes_become_visible_and_lines_are_capped() {
        assert_eq!(visible("a\x1b[2Jb\rc\n"), "a\\x1b[2Jb\\x0dc\n");
        assert_eq!(visible("\u{7}总分: 26/26"), "\\x07总分: 26/26");
        assert_eq!(visible("x\u{202e}y"), "x\\u{202e}y");
        let long = "好".repeat(1000);
        let v = visible(&long);
        assert!(v.chars().count() < 310, "{}", v.chars().count());
        let many = "l\n".repeat(1000);
        assert!(visible(&many).lines().count() <= 201);
    }
}
