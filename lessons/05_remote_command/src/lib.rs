//! 第 5 课 远程执行命令: 原文之外的部分。原文的程序在 `src/bin/` 里, 这里是它们一行调用的
//! 额外保护和 `--framed` 协议:
//!
//! * [`loopback_only`], 远程 shell 只监听本机地址, 除非明确允许;
//! * [`kill_after`] / [`Watch`]: 命令的时间上限, 到时间连同它启动的所有程序一起杀掉
//!   (Linux/macOS 上是进程组, Windows 上是 Job Object);
//! * [`OUTPUT_CAP`], 一个回答最多保留多少字节;
//! * [`framed`], 两端都加 `--framed` 时的长度前缀协议 (治好原文的 粘包)。
//!
//! Lesson 05 beyond the text: the loopback check, the time limit that kills a command's
//! whole process group (a Job Object on Windows), the output cap and the framed protocol.

use std::io::{self, Read};
use std::net::{IpAddr, ToSocketAddrs};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};
use support::{fail, OrExit};

#[cfg(windows)]
pub mod codepage;
pub mod framed;
#[cfg(windows)]
mod job;

pub use lesson04::framing;

/// 一个回答最多保留的输出字节数 (16 MiB); 原文不设上限, 一条 `yes` 就能占满内存。
/// 超过时后面的部分被截掉, 回答里附一句说明。
/// Output kept per answer; the rest is cut and the answer says so.
pub const OUTPUT_CAP: usize = 16 << 20;

/// 远程 shell 只给本机用: `host` 解析出的地址里有不是回环地址的 (例如 `0.0.0.0`), 就报一行错误
/// 退出; 加了 `--allow-remote` (`allow_remote`) 时照样监听, 但在 stderr 上警告。原文直接绑定
/// 127.0.0.1, 没有这个检查。
/// Refuses a non-loopback `host` unless `allow_remote`, which only warns.
pub fn loopback_only(host: &str, port: u16, allow_remote: bool) {
    let ips: Vec<IpAddr> = (host, port)
        .to_socket_addrs()
        .or_exit(format_args!("解析 {host}"))
        .map(|a| a.ip())
        .collect();
    if ips.iter().all(|ip| ip.is_loopback()) {
        return;
    }
    if !allow_remote {
        fail(format_args!(
            "拒绝在 {host} 上监听: 任何能连上的人都可以在这台机器上执行命令。只用回环地址 (127.0.0.1), \
             或者明白风险后加 --allow-remote"
        ));
    }
    eprintln!(
        "!!! 警告 WARNING: 远程 shell 正在监听 {host}, 没有密码也没有加密, 同一网络上的任何人都能执行命令 !!!"
    );
}

/// 让 `shell` 启动的命令自成一组, 到时间时 [`kill_after`] 能把它和它启动的所有程序一起杀掉:
/// Linux/macOS 上 shell 成为一个新进程组的组长; Windows 上什么也不做 (那里在启动之后用
/// Job Object)。要在 `spawn` 之前调用。
/// Puts the command in a process group of its own (Unix), before `spawn`.
pub fn own_group(shell: &mut Command) -> &mut Command {
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(shell, 0);
    shell
}

/// 命令启动的所有程序, 到时间时一起杀掉: Unix 上是 shell 的进程组, Windows 上是装着
/// cmd.exe 的 Job Object。Everything a command started.
struct Group {
    #[cfg(unix)]
    pgid: u32,
    #[cfg(windows)]
    pid: u32,
    #[cfg(windows)]
    job: Option<job::Job>,
}

impl Group {
    fn of(child: &Child) -> Group {
        Group {
            // own_group made the shell the leader of a new group: its id is the pid.
            #[cfg(unix)]
            pgid: child.id(),
            #[cfg(windows)]
            pid: child.id(),
            // Windows has no process groups. Should the Job Object fail (it
            // cannot on Windows 8 and later), `taskkill /T` is the fallback.
            #[cfg(windows)]
            job: job::Job::contain(child).ok(),
        }
    }

    /// 杀掉命令和它启动的所有程序。Kills the command and everything it started.
    fn kill(&self) {
        #[cfg(unix)]
        {
            // std has no killpg; the `kill` program does it with a negative pid,
            // which must come after `--` (procps reads `-1234` as an option otherwise).
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.pgid)])
                .stderr(Stdio::null())
                .status();
        }
        #[cfg(windows)]
        {
            let ended = self.job.as_ref().is_some_and(|job| job.terminate().is_ok());
            if !ended {
                let _ = Command::new("taskkill")
                    .args(["/F", "/T", "/PID", &self.pid.to_string()])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
            }
        }
    }
}

/// 一条命令的计时器 (原文没有): [`kill_after`] 启动它, [`Watch::finish`] 或 [`Watch::wait`]
/// 结束它。到时间时它杀掉命令的整个进程组, 于是输出的管道关闭, 正在读输出的 `read_to_end`
/// 返回。还没结束就被丢掉时 (读输出出错, 提前返回) 也会杀掉命令, 不留下在后台跑的程序。
/// A command's timer; kills the command's whole group at the limit, or when dropped unfinished.
pub struct Watch {
    group: Arc<Group>,
    /// Dropping it tells the timer thread to stop.
    cancel: Option<mpsc::Sender<()>>,
    fired: Arc<AtomicBool>,
    deadline: Instant,
    limit: Duration,
}

/// 给刚启动的命令 `child` 计时: 超过 `limit` 就杀掉它和它启动的所有程序 (一个计时线程)。
/// 命令要由 [`own_group`] 准备过。线程启动不了时立刻杀掉命令并返回错误。
/// Starts the time limit of `child`: at `limit` its whole group is killed.
pub fn kill_after(child: &Child, limit: Duration) -> io::Result<Watch> {
    let group = Arc::new(Group::of(child));
    let fired = Arc::new(AtomicBool::new(false));
    let (cancel, stop) = mpsc::channel::<()>();
    let (g, f) = (group.clone(), fired.clone());
    let timer = thread::Builder::new().spawn(move || {
        if let Err(RecvTimeoutError::Timeout) = stop.recv_timeout(limit) {
            f.store(true, Ordering::SeqCst);
            g.kill();
        }
    });
    if let Err(e) = timer {
        group.kill();
        return Err(e);
    }
    Ok(Watch {
        group,
        cancel: Some(cancel),
        fired,
        deadline: Instant::now() + limit,
        limit,
    })
}

/// 命令是怎么结束的。How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ended {
    /// 退出码; 被杀掉 (或被信号结束) 时是 `None`。The exit code, `None` when killed.
    pub code: Option<i32>,
    /// 是否因为超过时间上限被杀掉。Whether the limit killed it.
    pub timed_out: bool,
    /// 时间上限。The limit.
    pub limit: Duration,
}

impl Ended {
    /// 一行说明命令怎么结束, 给客户端和日志看。One line about how it ended.
    pub fn status_line(&self) -> String {
        match (self.timed_out, self.code) {
            (true, _) => format!(
                "命令运行超过 {} 秒, 已被终止 (killed after the time limit)",
                self.limit.as_secs_f64()
            ),
            (false, Some(code)) => format!("退出码 exit status {code}"),
            (false, None) => "被信号终止 ended by a signal".to_string(),
        }
    }
}

impl Watch {
    /// 输出读完以后: 等命令结束 (最多等到时间上限, 到时间就杀掉), 停下计时器, 返回它怎么
    /// 结束的。被杀掉时在日志里记一行。原文不等命令结束; 不等的话, 结束了的命令会一直留在
    /// 进程表里 (僵尸进程), 直到服务器退出。
    /// After the output is read: waits for the command until the limit, stops the timer.
    pub fn wait(mut self, child: &mut Child) -> io::Result<Ended> {
        // The timer stops here; from now on this loop keeps the deadline, so the
        // timer can never kill a group whose leader this loop has already reaped.
        drop(self.cancel.take());
        let status: ExitStatus = loop {
            if let Some(status) = child.try_wait()? {
                break status;
            }
            if self.fired.load(Ordering::SeqCst) || Instant::now() >= self.deadline {
                self.fired.store(true, Ordering::SeqCst);
                self.group.kill();
                let _ = child.kill();
                break child.wait()?;
            }
            // The output is closed but the command still runs (`exec >&-; sleep 9`).
            // A short poll keeps this simple; an event loop would wait on a timer.
            let left = self.deadline.saturating_duration_since(Instant::now());
            thread::sleep(left.min(Duration::from_millis(5)));
        };
        let ended = Ended {
            code: status.code(),
            timed_out: self.fired.load(Ordering::SeqCst),
            limit: self.limit,
        };
        if ended.timed_out {
            println!("{}", ended.status_line());
        }
        Ok(ended)
    }

    /// 原文的做法之外的收尾, 一行调用: [`Watch::wait`] 等命令结束; Windows 上把控制台代码页的
    /// 输出转成 UTF-8 (见 [`codepage`]); 输出超过 [`OUTPUT_CAP`] 时截断; 截断或超时时在输出
    /// 后面附一句说明, 让客户端知道。`output` 是读到的输出 (最多 `OUTPUT_CAP + 1` 字节,
    /// 多读的那一个字节说明超过了上限)。
    /// The text's path plus: wait, code page to UTF-8 on Windows, cut at the cap, notes.
    pub fn finish(self, child: &mut Child, output: &mut Vec<u8>) -> io::Result<Ended> {
        let ended = self.wait(child)?;
        let truncated = cut(output);
        to_utf8(output);
        if truncated {
            output.extend_from_slice(
                "\n[输出超过 16 MiB, 后面的部分被截断 output cut at 16 MiB]\n".as_bytes(),
            );
        }
        if ended.timed_out {
            output.extend_from_slice(format!("\n[{}]\n", ended.status_line()).as_bytes());
        }
        Ok(ended)
    }

    /// 不用等命令了 (它的输出已经读不了): 杀掉它。Kills the command now.
    fn abandon(&mut self) {
        if self.cancel.take().is_some() {
            self.group.kill();
        }
    }
}

impl Drop for Watch {
    /// 没有走到 [`Watch::wait`] 就被丢掉 (提前返回的错误): 杀掉命令, 不留下后台程序。
    fn drop(&mut self) {
        self.abandon();
    }
}

/// `output` 超过 [`OUTPUT_CAP`] 时截到这么长, 返回是否截过。Cuts at the cap.
fn cut(output: &mut Vec<u8>) -> bool {
    let over = output.len() > OUTPUT_CAP;
    output.truncate(OUTPUT_CAP);
    over
}

/// 读一根管道到它关闭为止, 最多 [`OUTPUT_CAP`] 字节; 返回内容和是否被截断。
/// 多出来的不再读: 管道随后被关闭, 还在写的程序收到 "管道已断" (SIGPIPE) 而结束,
/// 或者被时间上限杀掉。Reads a pipe to its end, at most `OUTPUT_CAP` bytes.
pub fn read_capped(pipe: impl Read) -> io::Result<(Vec<u8>, bool)> {
    let mut bytes = Vec::new();
    pipe.take(OUTPUT_CAP as u64 + 1).read_to_end(&mut bytes)?;
    let truncated = cut(&mut bytes);
    Ok((bytes, truncated))
}

/// 命令的输出转成 UTF-8, 客户端按 UTF-8 显示。Linux/macOS 上原样不动。cmd.exe 按控制台代码页
/// 输出 (中文 Windows 是 936, 即 GBK; 原文的客户端因此用 gbk 解码), 所以 Windows 上不是 UTF-8
/// 的输出按那个代码页解码, 见 [`codepage`]。
/// The output as UTF-8: unchanged on Unix, decoded from the console code page on Windows.
pub fn to_utf8(output: &mut Vec<u8>) {
    #[cfg(windows)]
    {
        *output = codepage::to_utf8(std::mem::take(output));
    }
    #[cfg(not(windows))]
    let _ = output;
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// What the binaries do: `sh -c`, in its own group, stdout (and stderr) piped.
    fn start(cmd: &str) -> Child {
        own_group(Command::new("sh").arg("-c").arg(cmd))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// Runs `cmd` as cmd_server's text path does; returns the answer and how it ended.
    fn run(cmd: &str, limit: Duration) -> (Vec<u8>, Ended) {
        let mut child = start(cmd);
        let watch = kill_after(&child, limit).unwrap();
        let mut out = Vec::new();
        let stdout = child.stdout.take().unwrap();
        stdout
            .take(OUTPUT_CAP as u64 + 1)
            .read_to_end(&mut out)
            .unwrap();
        let ended = watch.finish(&mut child, &mut out).unwrap();
        (out, ended)
    }

    #[test]
    fn output_and_status() {
        let (out, ended) = run("echo hello; echo oops >&2; exit 3", Duration::from_secs(5));
        assert_eq!(out, b"hello\n");
        assert_eq!(ended.code, Some(3));
        assert!(!ended.timed_out);
    }

    #[test]
    fn a_slow_command_and_its_children_are_killed() {
        let start = Instant::now();
        let (out, ended) = run("sleep 30; echo never", Duration::from_millis(200));
        assert!(ended.timed_out);
        let text = String::from_utf8_lossy(&out);
        assert!(text.starts_with("\n[命令运行超过 0.2 秒"), "{text}");
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the pipes closed: sleep was killed too"
        );
    }

    /// Whether process `pid` is gone (or a zombie waiting to be reaped).
    fn gone(pid: &str) -> bool {
        let ps = Command::new("ps")
            .args(["-o", "stat=", "-p", pid])
            .output()
            .unwrap();
        let stat = String::from_utf8_lossy(&ps.stdout);
        stat.trim().is_empty() || stat.trim_start().starts_with('Z')
    }

    #[test]
    fn a_background_child_holding_the_pipe_is_killed_at_the_limit() {
        // The shell exits at once; `sleep` keeps its copy of the pipe for 30 s.
        let start = Instant::now();
        let (out, ended) = run("sleep 30 & echo $!", Duration::from_millis(500));
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the answer waited for the background sleep: {:?}",
            start.elapsed()
        );
        assert!(ended.timed_out);
        let text = String::from_utf8_lossy(&out);
        let pid = text.lines().next().unwrap_or("").trim().to_string();
        assert!(pid.parse::<u32>().is_ok(), "{text:?}");
        let deadline = Instant::now() + Duration::from_secs(5);
        while !gone(&pid) {
            assert!(Instant::now() < deadline, "sleep {pid} still runs");
            thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn a_shell_that_closed_its_output_is_still_held_to_the_limit() {
        let start = Instant::now();
        let (out, ended) = run(
            "echo early; exec >&- 2>&-; sleep 30",
            Duration::from_millis(500),
        );
        assert!(start.elapsed() < Duration::from_secs(10));
        assert!(ended.timed_out);
        assert!(out.starts_with(b"early\n"), "{out:?}");
    }

    #[test]
    fn a_dropped_watch_kills_the_command() {
        let mut child = start("sleep 30");
        let watch = kill_after(&child, Duration::from_secs(60)).unwrap();
        drop(watch);
        let deadline = Instant::now() + Duration::from_secs(5);
        while child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "sleep still runs");
            thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn output_past_the_cap_is_cut_and_said_so() {
        // 17 MiB of zeros, one more than the cap.
        let (out, ended) = run("head -c 17825792 /dev/zero", Duration::from_secs(30));
        assert!(out[..OUTPUT_CAP].iter().all(|&b| b == 0));
        assert_eq!(
            String::from_utf8_lossy(&out[OUTPUT_CAP..]),
            "\n[输出超过 16 MiB, 后面的部分被截断 output cut at 16 MiB]\n"
        );
        assert!(!ended.timed_out);
    }

    #[test]
    fn read_capped_keeps_at_most_the_cap() {
        let (bytes, truncated) = read_capped(&b"abc"[..]).unwrap();
        assert_eq!((bytes.as_slice(), truncated), (&b"abc"[..], false));
        let big = vec![7u8; OUTPUT_CAP + 5];
        let (bytes, truncated) = read_capped(&big[..]).unwrap();
        assert_eq!((bytes.len(), truncated), (OUTPUT_CAP, true));
    }
}
