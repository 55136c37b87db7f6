//! Helpers shared by the lesson tests.
//!
//! * [`Proc`]: a running binary whose stdout and stderr are collected in the
//!   background; waits are on bytes, with a deadline checked on every round (also
//!   while the program prints without pause), never on a sleep. Only the last
//!   [`KEEP`] bytes of each stream are kept. Typing ([`Proc::type_line`]) and
//!   [`Proc::finish`] are bounded too. The child is killed when the `Proc` is
//!   dropped, also when the test panics.
//! * [`Proc::server`]: starts a server with `--port 0` (added by the test) and waits
//!   for its announcement line, `监听中 listening on tcp://ADDR`; a port given
//!   as `--port P` must be the one announced (a hard-coded port fails).
//! * [`Proc::assert_default_address`]: run with no flags, a server listens where
//!   the text's does (or says that very address is busy).
//! * [`connect`] / [`udp`]: sockets with timeouts, so a broken server fails a test
//!   instead of hanging `cargo test`.
//! * [`expect_bytes`] / [`read_some`] / [`read_n`] / [`read_all`]: reads that fail
//!   in plain words ("10 秒内没有收到服务器的 Welcome!", "连接被对方重置了")
//!   instead of `os error 11`; [`describe`] puts any I/O error into such words.
//! * [`client`]: an `assert_cmd` command with a deadline, for one-shot programs.
//! * [`show_bytes`] / [`assert_bytes`]: bytes in a message as text (`"你好"`,
//!   `b"hi\xff"`), runs collapsed (`\0 × 1020`), bounded; [`readable`] does the
//!   same for a program's output.
//! * [`Proc::expect_line`]: the next line of a program's output, compared
//!   whole as soon as it is complete.
//! * [`recv_datagram`] / [`Proc::recv_datagram`] / [`Ended::recv_datagram`]: a
//!   UDP receive that fails at once when the program it waits for has exited
//!   (UDP has no close to wake the reader).
//!
//! `NO_COLOR` is removed from the children's environment, so a test that sees no
//! colour codes in a pipe proves the terminal check, not the variable.
#![allow(dead_code)] // each test file uses a different part of this module

pub mod peers;

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

/// A test's one-line hint for a student, printed when the test fails.
///
/// Every test starts with `let _hint = common::hint("server", "…");`: the first
/// argument names the binary the test grades (`cargo grade` reads it from this
/// line of the source), the second says in plain Chinese what is most likely
/// wrong. The hint is printed only when the test panics (std's
/// `thread::panicking` in `Drop`), after the failure message.
pub fn hint(program: &'static str, text: &'static str) -> Hint {
    Hint { program, text }
}

/// The guard returned by [`hint`].
pub struct Hint {
    program: &'static str,
    text: &'static str,
}

impl Drop for Hint {
    fn drop(&mut self) {
        if thread::panicking() {
            eprintln!("提示 [{}]: {}", self.program, self.text);
        }
    }
}

/// How long any single wait in a test may take before it fails.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// How much of each output stream a [`Proc`] keeps: the last 64 KiB. A program
/// that prints without pause (a server spinning on a closed socket) cannot fill
/// the test's memory, and a wait still sees every byte as it arrives.
pub const KEEP: usize = 64 * 1024;

const ANNOUNCE: &str = "监听中 listening on ";

/// The last [`KEEP`] bytes of one output stream, and how many came before them.
#[derive(Default)]
struct Tail {
    buf: Vec<u8>,
    /// Bytes dropped from the front (so `dropped + buf.len()` is the total).
    dropped: usize,
    closed: bool,
}

impl Tail {
    fn push(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
        if self.buf.len() > KEEP {
            let cut = self.buf.len() - KEEP;
            self.buf.drain(..cut);
            self.dropped += cut;
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.buf).to_string()
    }

    /// The kept tail for a failure message: the last 4 KiB at most.
    fn shown(&self) -> String {
        const SHOW: usize = 4096;
        let skip = self.buf.len().saturating_sub(SHOW);
        let mut s = String::new();
        if self.dropped + skip > 0 {
            s = format!("(前面省略了 {} 字节)\n", self.dropped + skip);
        }
        s + &readable(&String::from_utf8_lossy(&self.buf[skip..]))
    }
}

#[derive(Default)]
struct Streams {
    out: Tail,
    err: Tail,
}

type Shared = Arc<(Mutex<Streams>, Condvar)>;

fn lock(shared: &Shared) -> MutexGuard<'_, Streams> {
    shared.0.lock().unwrap_or_else(|e| e.into_inner())
}

/// Copies one pipe into its [`Tail`] until the pipe closes.
fn gather(mut pipe: impl Read + Send + 'static, shared: Shared, is_err: bool) {
    thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            let n = match pipe.read(&mut buf) {
                Ok(0) | Err(_) => 0,
                Ok(n) => n,
            };
            let mut s = lock(&shared);
            let tail = if is_err { &mut s.err } else { &mut s.out };
            if n == 0 {
                tail.closed = true;
            } else {
                tail.push(&buf[..n]);
            }
            drop(s);
            shared.1.notify_all();
            if n == 0 {
                break;
            }
        }
    });
}

/// One line for the child's stdin, and where to say whether it was written.
type Line = (Vec<u8>, Sender<io::Result<()>>);

/// A child process with its output gathered as it comes.
pub struct Proc {
    name: String,
    child: Child,
    /// Lines for the writer thread, which owns the child's stdin (so a child
    /// that never reads cannot block the test: [`Proc::type_line`] waits for
    /// the write at most [`DEADLINE`]).
    stdin: Option<Sender<Line>>,
    shared: Shared,
    /// How far [`Proc::wait_out`] has read into stdout (counted from the very
    /// first byte, also past what the tail has dropped).
    cursor: usize,
}

impl Proc {
    /// Starts `bin` with `args`, stdin piped (write with [`Proc::type_line`]).
    pub fn spawn(bin: &str, args: &[&str]) -> Proc {
        Proc::spawn_in(bin, args, None)
    }

    /// Like [`Proc::spawn`], in the working folder `dir`.
    pub fn spawn_in(bin: &str, args: &[&str], dir: Option<&std::path::Path>) -> Proc {
        let mut cmd = Command::new(bin);
        cmd.args(args)
            .env_remove("NO_COLOR")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(dir) = dir {
            cmd.current_dir(dir);
        }
        let name = bin.rsplit(['/', '\\']).next().unwrap_or(bin).to_string();
        let mut child = cmd.spawn().unwrap_or_else(|e| {
            panic!("{name} 启动不了 ({bin}): {e}; 先运行 cargo build 看看有没有编译错误")
        });
        let shared: Shared = Arc::default();
        gather(
            child.stdout.take().expect("stdout is piped"),
            shared.clone(),
            false,
        );
        gather(
            child.stderr.take().expect("stderr is piped"),
            shared.clone(),
            true,
        );
        let mut pipe = child.stdin.take().expect("stdin is piped");
        let (tx, rx) = channel::<Line>();
        thread::spawn(move || {
            for (line, done) in rx {
                let _ = done.send(pipe.write_all(&line).and_then(|()| pipe.flush()));
            }
            // The sender is gone (close_stdin or drop): `pipe` closes here.
        });
        Proc {
            name,
            child,
            stdin: Some(tx),
            shared,
            cursor: 0,
        }
    }

    /// Starts `bin` through `sh -c` with at most `fds` open descriptors, so that
    /// `accept` runs out of them after a few clients.
    #[cfg(unix)]
    pub fn server_with_fd_limit(bin: &str, fds: u32, args: &[&str]) -> (Proc, SocketAddr) {
        let script = format!("ulimit -n {fds} && exec \"$0\" \"$@\"");
        let mut all = vec!["-c", script.as_str(), bin];
        all.extend_from_slice(args);
        Proc::server("sh", &all)
    }

    /// Starts a server and waits for its announcement; returns it with the address.
    pub fn server(bin: &str, args: &[&str]) -> (Proc, SocketAddr) {
        Proc::server_in(bin, args, None)
    }

    /// Like [`Proc::server`], in the working folder `dir`.
    pub fn server_in(
        bin: &str,
        args: &[&str],
        dir: Option<&std::path::Path>,
    ) -> (Proc, SocketAddr) {
        let mut p = Proc::spawn_in(bin, args, dir);
        let addr = p.announced();
        let addr: SocketAddr = addr
            .split("://")
            .nth(1)
            .unwrap_or(&addr)
            .parse()
            .unwrap_or_else(|e| panic!("{}: 宣布的地址 `{addr}` 不是 IP:端口 ({e})", p.name));
        // A port given with --port must be the one announced (a hard-coded port
        // in `bind` would still announce itself, and the test would talk to it).
        let given = args
            .windows(2)
            .find(|w| w[0] == "--port")
            .and_then(|w| w[1].parse::<u16>().ok());
        if let Some(given) = given.filter(|g| *g != 0) {
            assert_eq!(
                addr.port(),
                given,
                "{}: 用 --port {given} 启动, 却监听在 {addr}: bind 的端口是不是写死了?",
                p.name
            );
        }
        (p, addr)
    }

    /// Waits for the announcement line and returns what follows the prefix
    /// (`tcp://127.0.0.1:4321`).
    pub fn announced(&mut self) -> String {
        self.wait_out(ANNOUNCE, "服务器打印监听地址的那一行");
        let start = self.cursor;
        self.wait_out("\n", "监听地址那一行的结尾");
        let s = lock(&self.shared);
        let from = start.saturating_sub(s.out.dropped);
        let to = (self.cursor - 1).saturating_sub(s.out.dropped);
        String::from_utf8_lossy(&s.out.buf[from.min(to)..to])
            .trim()
            .to_string()
    }

    /// Starts `bin` with `args` (no `--host`/`--port`) and checks it listens
    /// where the text's program does: it either announces `want`
    /// (`0.0.0.0:7788`), or `want` is busy right now (another test, another
    /// program) and its one-line error names that address. Either way the
    /// default is proven without needing the port to be free. The program is
    /// stopped afterwards.
    pub fn assert_default_address(bin: &str, args: &[&str], want: &str) {
        let mut p = Proc::spawn(bin, args);
        let what = format!("监听地址那一行, 或者一行说明 {want} 绑定不了的错误");
        p.wait(&what, |s, _| {
            let announced = Proc::find(&s.out.buf, ANNOUNCE.as_bytes())
                .is_some_and(|i| s.out.buf[i..].contains(&b'\n'));
            announced || (s.out.closed && s.err.closed)
        });
        let s = lock(&p.shared);
        let out = s.out.text();
        let err = s.err.text();
        let transcript = Proc::transcript_of(&s);
        drop(s);
        if let Some(line) = out.lines().find(|l| l.contains(ANNOUNCE)) {
            let addr = line.split("://").nth(1).unwrap_or(line).trim();
            assert_eq!(
                addr, want,
                "{}: 不加参数时应该像原文一样监听 {want}, 它却监听在 {addr}: 默认的地址或端口写错了?",
                p.name
            );
        } else {
            assert!(
                err.contains(want),
                "{}: 不加参数时应该监听 {want}; 它没有宣布地址, 错误里也没有提到 {want}: 默认的地址或端口写错了?\n{transcript}",
                p.name
            );
        }
    }

    fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
        hay.windows(needle.len().max(1)).position(|w| w == needle)
    }

    /// Gathers output until `found` says yes; panics with `what` and the tail of
    /// what the program printed when the deadline passes or the program has
    /// closed both outputs. The deadline is checked on every round, also while
    /// the program prints without pause.
    fn wait(&mut self, what: &str, mut found: impl FnMut(&Streams, &mut usize) -> bool) {
        let until = Instant::now() + DEADLINE;
        // When the process itself has ended but a child of its own still holds
        // its pipes open: what it printed is in by then, or within a second.
        let mut ended_at: Option<Instant> = None;
        let mut s = lock(&self.shared);
        loop {
            if found(&s, &mut self.cursor) {
                return;
            }
            let now = Instant::now();
            if ended_at.is_none() && matches!(self.child.try_wait(), Ok(Some(_))) {
                ended_at = Some(now);
            }
            let exited = (s.out.closed && s.err.closed)
                || ended_at.is_some_and(|t| now >= t + Duration::from_secs(1));
            if exited || now >= until {
                let transcript = Proc::transcript_of(&s);
                drop(s);
                let why = if exited {
                    // Its pipes are closed, so it is exiting: wait briefly for the code.
                    let mut code = None;
                    for _ in 0..50 {
                        if let Ok(Some(status)) = self.child.try_wait() {
                            code = Some(status);
                            break;
                        }
                        thread::sleep(Duration::from_millis(10));
                    }
                    match code.and_then(|c| c.code()) {
                        Some(101) => {
                            "程序已经退出, 退出码 101: 它 panic 了 (还有 todo!() 没完成?)".into()
                        }
                        Some(c) => format!("程序已经退出, 退出码 {c}"),
                        None => "程序已经退出".to_string(),
                    }
                } else {
                    format!("{} 秒内没有等到", DEADLINE.as_secs())
                };
                panic!("{}: 在等 {what}, {why}\n{transcript}", self.name);
            }
            // Output wakes this at once; the exit itself has no event, so look
            // again within 100 ms.
            let nap = (until - now).min(Duration::from_millis(100));
            s = self
                .shared
                .1
                .wait_timeout(s, nap)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Waits until stdout, after what earlier waits consumed, contains `needle`,
    /// and moves past it.
    pub fn wait_out(&mut self, needle: &str, what: &str) {
        let what = format!("{what} (标准输出里的 {needle:?})");
        let needle = needle.as_bytes();
        self.wait(&what, |s, cursor| {
            // Bytes the tail dropped before anyone looked are not searched: only
            // a program that printed more than KEEP bytes unread loses them.
            let from = cursor.saturating_sub(s.out.dropped);
            match Proc::find(&s.out.buf[from..], needle) {
                Some(i) => {
                    *cursor = s.out.dropped + from + i + needle.len();
                    true
                }
                None => {
                    // Next round, search only what could still hold a match.
                    let seen = s
                        .out
                        .buf
                        .len()
                        .saturating_sub(needle.len().saturating_sub(1));
                    *cursor = (*cursor).max(s.out.dropped + seen);
                    false
                }
            }
        });
    }

    /// Waits for the next whole line of stdout (after what earlier waits
    /// consumed) and checks it is `want` (a `\r` before the `\n` ignored).
    /// Fails as soon as that line is complete and differs, showing both,
    /// instead of waiting the deadline for a line that will not come.
    pub fn expect_line(&mut self, want: &str, what: &str) {
        let start = self.cursor;
        self.wait_out("\n", &format!("{what} ({want:?} 那一行)"));
        let got = {
            let s = lock(&self.shared);
            let from = start.saturating_sub(s.out.dropped);
            let to = (self.cursor - 1).saturating_sub(s.out.dropped);
            s.out.buf[from.min(to)..to].to_vec()
        };
        let got = got.strip_suffix(b"\r").unwrap_or(&got);
        if got != want.as_bytes() {
            panic!(
                "{}: {what}不对: 期望这一行是 {}, 它打印的是 {}\n{}",
                self.name,
                show_bytes(want.as_bytes()),
                show_bytes(got),
                self.transcript()
            );
        }
    }

    /// Waits until stderr contains `needle` (anywhere in the kept tail).
    pub fn wait_err(&mut self, needle: &str, what: &str) {
        let what = format!("{what} (标准错误里的 {needle:?})");
        self.wait(&what, |s, _| {
            Proc::find(&s.err.buf, needle.as_bytes()).is_some()
        });
    }

    /// Types one line on the program's stdin. Panics in plain words when the
    /// program has exited or does not take the line within [`DEADLINE`].
    pub fn type_line(&mut self, line: &str) {
        let Some(stdin) = self.stdin.as_ref() else {
            panic!("{}: 输入已经关闭, 不能再输入 {line:?}", self.name);
        };
        let (done, result) = channel();
        let sent = stdin.send((format!("{line}\n").into_bytes(), done)).is_ok();
        let why = match result.recv_timeout(DEADLINE) {
            Ok(Ok(())) if sent => return,
            Ok(Err(e)) => format!("程序已经退出或关闭了输入 ({})", describe(&e)),
            Err(RecvTimeoutError::Timeout) => {
                format!("{} 秒内程序没有读走输入", DEADLINE.as_secs())
            }
            _ => "程序已经退出".to_string(),
        };
        let transcript = self.transcript();
        panic!("{}: 输入 {line:?} 失败: {why}\n{transcript}", self.name);
    }

    /// Closes the program's stdin (end of input), after the lines typed so far.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits for the process to exit (within the deadline) and gathers all output
    /// (the kept tail of it). A program that does not exit in time is killed and
    /// the test fails, saying so.
    pub fn finish(mut self) -> (ExitStatus, String, String) {
        self.close_stdin();
        let until = Instant::now() + DEADLINE;
        let mut exited_at: Option<Instant> = None;
        loop {
            let status = match self.child.try_wait() {
                Ok(s) => s,
                Err(e) => panic!("{}: 等它结束时出错: {e}", self.name),
            };
            let now = Instant::now();
            if let Some(status) = status {
                let at = *exited_at.get_or_insert(now);
                let s = lock(&self.shared);
                // Once it has exited, its pipes close at once, unless a child of
                // its own still holds them: then take what came within a second.
                if (s.out.closed && s.err.closed) || now >= at + Duration::from_secs(1) {
                    return (status, s.out.text(), s.err.text());
                }
            } else if now >= until {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "{}: {} 秒内没有结束, 已被测试结束\n{}",
                    self.name,
                    DEADLINE.as_secs(),
                    self.transcript()
                );
            }
            // The exit itself has no event to wait on: look again in 20 ms,
            // or as soon as more output arrives.
            let s = lock(&self.shared);
            let _ = self.shared.1.wait_timeout(s, Duration::from_millis(20));
        }
    }

    /// Everything written to stdout so far (the last [`KEEP`] bytes of it).
    pub fn stdout(&mut self) -> String {
        lock(&self.shared).out.text()
    }

    /// Everything written to stderr so far (the last [`KEEP`] bytes of it).
    pub fn stderr(&mut self) -> String {
        lock(&self.shared).err.text()
    }

    fn transcript_of(s: &Streams) -> String {
        let part = |name: &str, t: &Tail| {
            if t.buf.is_empty() && t.dropped == 0 {
                format!("--- {name}: (空) ---")
            } else {
                format!(
                    "--- {name} ---\n{}",
                    t.shown().trim_matches('\n').trim_end()
                )
            }
        };
        format!(
            "{}\n{}",
            part("标准输出 stdout", &s.out),
            part("标准错误 stderr", &s.err)
        )
    }

    /// What the program printed (the last 4 KiB of each stream), for a failure message.
    pub fn transcript(&self) -> String {
        Proc::transcript_of(&lock(&self.shared))
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process has not exited yet.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An I/O error in plain Chinese words, with the OS's own words after it:
/// `10 秒内没有等到 (timed out: Resource temporarily unavailable (os error 11))`.
pub fn describe(e: &io::Error) -> String {
    let words = match e.kind() {
        ErrorKind::WouldBlock | ErrorKind::TimedOut => {
            format!("{} 秒内没有等到", DEADLINE.as_secs())
        }
        ErrorKind::ConnectionReset => "连接被对方重置了 (对方程序是不是已经退出或崩溃了?)".into(),
        ErrorKind::ConnectionAborted => "连接被中止了".into(),
        ErrorKind::ConnectionRefused => "连接被拒绝: 那个端口上没有程序在监听".into(),
        ErrorKind::BrokenPipe => "对方已经关闭了连接, 写不进去了".into(),
        ErrorKind::UnexpectedEof => "还没收完, 对方就关闭了连接".into(),
        ErrorKind::AddrInUse => "端口已被占用".into(),
        ErrorKind::NotFound => "找不到文件".into(),
        _ => "出错了".into(),
    };
    format!("{words} ({e})")
}

/// Reads once (like the text's `recv(1024)`): at most `max` bytes, waiting at most
/// the stream's read timeout. Panics in plain words on a timeout, a reset or an
/// immediate close: `10 秒内没有收到服务器的回复`.
pub fn read_some(s: &mut TcpStream, max: usize, what: &str) -> Vec<u8> {
    let mut v = vec![0; max];
    loop {
        match s.read(&mut v) {
            Ok(0) => panic!("在等{what}, 连接却被关闭了 (读到 0 字节)"),
            Ok(n) => {
                v.truncate(n);
                return v;
            }
            // A signal (a child exiting, under a busy test harness) interrupted the
            // wait: nothing was read, so wait again.
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => panic!("{}", wait_failed(s, &e, what, &[])),
        }
    }
}

/// Reads exactly `want.len()` bytes and checks they are `want`. Panics in plain
/// words: `10 秒内没有收到服务器的 Welcome!`, `连接被对方重置了`, or what came instead.
pub fn expect_bytes(s: &mut TcpStream, want: &[u8], what: &str) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while got.len() < want.len() {
        let n = (want.len() - got.len()).min(buf.len());
        match s.read(&mut buf[..n]) {
            Ok(0) => panic!(
                "在等{what}, 连接却被关闭了; 收到的是 {}, 期望 {}",
                show_bytes(&got),
                show_bytes(want)
            ),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => panic!("{}", wait_failed(s, &e, what, &got)),
        }
        if !want.starts_with(&got) {
            break;
        }
    }
    assert!(
        got == want,
        "收到的不是{what}: 期望 {}, 收到 {}",
        show_bytes(want),
        show_bytes(&got)
    );
}

fn wait_failed(s: &TcpStream, e: &io::Error, what: &str, got: &[u8]) -> String {
    let limit = match s.read_timeout() {
        Ok(Some(t)) if t.subsec_millis() == 0 => format!("{} 秒", t.as_secs()),
        Ok(Some(t)) => format!("{:.1} 秒", t.as_secs_f64()),
        _ => format!("{} 秒", DEADLINE.as_secs()),
    };
    let so_far = if got.is_empty() {
        String::new()
    } else {
        format!("; 已经收到 {}", show_bytes(got))
    };
    match e.kind() {
        ErrorKind::WouldBlock | ErrorKind::TimedOut => {
            format!("{limit}内没有收到{what}{so_far} ({e})")
        }
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => {
            format!("在等{what}时连接被对方重置了{so_far}: 对方程序是不是已经退出或崩溃了? ({e})")
        }
        _ => format!("在等{what}时出错: {}{so_far}", describe(e)),
    }
}

/// A TCP connection to `addr` with 10 s read and write timeouts.
pub fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect_timeout(&addr, DEADLINE)
        .unwrap_or_else(|e| panic!("连不上 {addr}: {}", describe(&e)));
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    s.set_write_timeout(Some(DEADLINE)).unwrap();
    s
}

/// How a client program that a test runs beside its own server ended; empty
/// while it runs. Shared with the server thread, whose [`accept_from`] gives up
/// at once when the program has ended without connecting.
#[derive(Clone, Default)]
pub struct Ended(Arc<Mutex<Option<String>>>);

impl Ended {
    /// Records how the program ended (its exit status and the tail of its stderr).
    pub fn record(&self, status: ExitStatus, stderr: &[u8]) {
        let code = match status.code() {
            Some(101) => "退出码 101: panic, 还有 todo!() 没完成?".to_string(),
            Some(c) => format!("退出码 {c}"),
            None => "被信号结束".to_string(),
        };
        let err = String::from_utf8_lossy(stderr);
        let lines: Vec<&str> = err.trim_end().lines().collect();
        // A panic: its message (the todo!'s hint), not the backtrace after it.
        let tail = match lines.iter().rposition(|l| l.contains("panicked at")) {
            Some(at) => lines[at..]
                .iter()
                .take_while(|l| !l.starts_with("stack backtrace:") && !l.starts_with("note: "))
                .take(6)
                .copied()
                .collect::<Vec<_>>()
                .join("\n"),
            None => lines[lines.len().saturating_sub(6)..].join("\n"),
        };
        let tail = if tail.is_empty() {
            "(空)".to_string()
        } else {
            tail
        };
        let words = format!(
            "程序已经退出了 ({code}), 没有连上来\n--- 它的标准错误 (stderr) 最后几行 ---\n{tail}"
        );
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(words);
    }

    fn get(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// A test's own server thread, beside a client program. [`Beside::join`] first
/// records how the client ended, so the thread's [`accept_from`] stops waiting
/// for a client that has already exited.
pub struct Beside<T> {
    handle: thread::JoinHandle<T>,
    ended: Ended,
}

impl<T: Send + 'static> Beside<T> {
    /// Runs `serve` in a thread; it gets the [`Ended`] to pass to [`accept_from`].
    pub fn spawn(serve: impl FnOnce(Ended) -> T + Send + 'static) -> Beside<T> {
        let ended = Ended::default();
        let given = ended.clone();
        Beside {
            handle: thread::spawn(move || serve(given)),
            ended,
        }
    }

    /// After the client program has ended: records how (from assert_cmd's
    /// output), then waits for the thread; its panic becomes the test's failure.
    pub fn join(self, client: &std::process::Output) -> T {
        self.join_status(client.status, &client.stderr)
    }

    /// Like [`Beside::join`], from an exit status and stderr (e.g. [`Proc::finish`]).
    pub fn join_status(self, status: ExitStatus, stderr: &[u8]) -> T {
        self.ended.record(status, stderr);
        match self.handle.join() {
            Ok(v) => v,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

/// The test's own `accept` for a client program (`who`, e.g. "客户端"): polls
/// until a connection comes, the deadline passes, or the program has ended
/// without connecting (as [`Ended`] says), and fails in plain words then.
/// The returned stream has [`DEADLINE`] read and write timeouts.
pub fn accept_from(listener: &std::net::TcpListener, ended: &Ended, who: &str) -> TcpStream {
    listener.set_nonblocking(true).unwrap();
    let until = Instant::now() + DEADLINE;
    // A connect made before the program exited is queued by then; a short grace
    // after the exit is seen covers the kernel finishing the handshake.
    let mut gone_since: Option<Instant> = None;
    loop {
        let gone = ended.get();
        match listener.accept() {
            Ok((s, _)) => {
                s.set_nonblocking(false).unwrap();
                s.set_read_timeout(Some(DEADLINE)).unwrap();
                s.set_write_timeout(Some(DEADLINE)).unwrap();
                return s;
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                let now = Instant::now();
                if let Some(words) = gone {
                    if now >= *gone_since.get_or_insert(now) + Duration::from_millis(100) {
                        panic!("{who}{words}");
                    }
                } else if now >= until {
                    panic!(
                        "{} 秒内{who}没有连上来: 它有没有调用 TcpStream::connect_timeout?",
                        DEADLINE.as_secs()
                    );
                }
                thread::sleep(Duration::from_millis(5)); // a bounded poll
            }
            Err(e) => panic!("accept 出错: {}", describe(&e)),
        }
    }
}

/// Opens `n` connections that say nothing; waits until the server says it ran out
/// of descriptors; checks it did not flood its log; closes them and checks that
/// `works` succeeds afterwards.
#[cfg(unix)]
pub fn out_of_descriptors_then_recovers(
    server: &mut Proc,
    addr: SocketAddr,
    works: impl FnOnce(&mut Proc),
) {
    let idle: Vec<TcpStream> = (0..40).map(|_| connect(addr)).collect();
    server.wait_err(
        "文件描述符",
        "文件描述符用完时服务器应当记录一次 (support::accept_failed)",
    );
    let lines = server.stderr().lines().count();
    assert!(
        lines < 20,
        "文件描述符用完后服务器的错误记录刷屏了 ({lines} 行): accept 失败时要调用 support::accept_failed, 它会稍等再试"
    );
    drop(idle);
    works(server);
}

/// A loopback TCP port that nobody listens on (bound, then released).
pub fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The most [`read_all`] takes: a peer that sends forever fails the test at this
/// size instead of filling the memory.
pub const READ_ALL_MAX: usize = 256 * 1024 * 1024;

/// Reads until the peer closes: each read bounded by the stream's read timeout,
/// the whole at most twice [`DEADLINE`] and [`READ_ALL_MAX`] bytes.
pub fn read_all(s: &mut TcpStream) -> Vec<u8> {
    let until = Instant::now() + 2 * DEADLINE;
    let mut v = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return v,
            Ok(n) => v.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => panic!(
                "在等对方发完并关闭连接, {} 秒内没有等到 (已收到 {} 字节): 对方是不是忘了关闭连接? ({e})",
                DEADLINE.as_secs(),
                v.len()
            ),
            Err(e) => panic!(
                "在等对方发完并关闭连接: {} (已收到 {} 字节)",
                describe(&e),
                v.len()
            ),
        }
        if Instant::now() >= until || v.len() > READ_ALL_MAX {
            panic!(
                "对方一直在发送, 不关闭连接 (已收到 {} 字节, {} 秒): 是不是在循环里重复发送?",
                v.len(),
                (2 * DEADLINE).as_secs()
            );
        }
    }
}

/// Reads exactly `n` bytes.
pub fn read_n(s: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut v = vec![0; n];
    let mut got = 0;
    while got < n {
        match s.read(&mut v[got..]) {
            Ok(0) => panic!(
                "在等 {n} 字节, 收到 {got} 字节后连接就被关闭了: {}",
                show_bytes(&v[..got])
            ),
            Ok(k) => got += k,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => panic!("{}", wait_failed(s, &e, &format!(" {n} 字节"), &v[..got])),
        }
    }
    v
}

/// A UDP socket on a free loopback port, with a 10 s read timeout.
pub fn udp() -> UdpSocket {
    let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    s
}

/// A one-shot program run with `assert_cmd`, killed at the deadline.
pub fn client(bin: &str) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(bin);
    cmd.timeout(DEADLINE).env_remove("NO_COLOR");
    cmd
}

/// A fresh empty folder under the target dir, removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "workbook-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes `n` bytes of a pattern that is not periodic in 1024 (so a shifted or
/// repeated chunk would be noticed).
pub fn pattern(n: usize) -> Vec<u8> {
    let mut x: u32 = 0x1234_5678;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

/// A cheap 64-bit FNV-1a digest, to compare large files by hash.
pub fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The longest line of program output or bytes a message shows (characters).
pub const SHOW_LINE: usize = 300;

/// Bytes for a message: `"你好"` when they are UTF-8, else `b"hi\xff"`; runs
/// of one byte collapsed (`\0 × 1020`), at most [`SHOW_LINE`] characters.
pub fn show_bytes(b: &[u8]) -> String {
    let body = match std::str::from_utf8(b) {
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
    };
    cap_line(&collapse_runs(&body))
}

/// Checks that `got` is `want`; the message shows both as text, and where
/// they first differ.
pub fn assert_bytes(got: &[u8], want: &[u8], what: &str) {
    if got == want {
        return;
    }
    let at = got
        .iter()
        .zip(want)
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(want.len()));
    panic!(
        "{what}不对: 期望 {} ({} 字节), 收到 {} ({} 字节); 从第 {} 个字节起不同",
        show_bytes(want),
        want.len(),
        show_bytes(got),
        got.len(),
        at + 1
    );
}

/// A program's output made readable for a message: control characters
/// escaped, runs of one character collapsed (`\0 × 1020`), each line at
/// most [`SHOW_LINE`] characters.
pub fn readable(text: &str) -> String {
    text.lines()
        .map(|l| {
            let escaped: String = l
                .chars()
                .map(|c| {
                    if c.is_control() && c != '\t' {
                        c.escape_debug().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            cap_line(&collapse_runs(&escaped))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs of one token (a character, or an escape such as `\0`, `\x00`,
/// `\u{0}`) of at least 8 (32 for letters and digits) as `X × N`.
fn collapse_runs(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut tokens: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let len = if chars[i] == '\\' && i + 1 < chars.len() {
            let rest: String = chars[i + 1..].iter().take(8).collect();
            if rest.starts_with('x') && rest.chars().count() >= 3 {
                4
            } else if let Some(end) = rest.strip_prefix("u{").and_then(|r| r.find('}')) {
                end + 4
            } else {
                2
            }
        } else {
            1
        };
        let end = (i + len).min(chars.len());
        tokens.push(chars[i..end].iter().collect());
        i = end;
    }
    let mut out = String::new();
    let mut k = 0;
    while k < tokens.len() {
        let mut e = k + 1;
        while e < tokens.len() && tokens[e] == tokens[k] {
            e += 1;
        }
        let word = tokens[k].chars().all(char::is_alphanumeric);
        let min = if word { 32 } else { 8 };
        if e - k >= min && tokens[k] != " " {
            out.push_str(&format!("{} × {} ", tokens[k], e - k));
        } else {
            tokens[k..e].iter().for_each(|t| out.push_str(t));
        }
        k = e;
    }
    out
}

fn cap_line(line: &str) -> String {
    let n = line.chars().count();
    if n <= SHOW_LINE {
        return line.to_string();
    }
    let kept: String = line.chars().take(SHOW_LINE).collect();
    format!("{kept} … (这一行还有 {} 个字符)", n - SHOW_LINE)
}

/// Receives one datagram on `sock` (at most 64 KiB), waiting at most
/// [`DEADLINE`]; `gone` is asked every 50 ms whether the program that should
/// send it has ended (its words), and then the wait fails at once, saying so.
pub fn recv_datagram(
    sock: &UdpSocket,
    what: &str,
    mut gone: impl FnMut() -> Option<String>,
) -> (Vec<u8>, SocketAddr) {
    let old = sock.read_timeout().ok().flatten();
    sock.set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let until = Instant::now() + DEADLINE;
    let mut buf = vec![0u8; 65536];
    let mut gone_since: Option<(Instant, String)> = None;
    let result = loop {
        match sock.recv_from(&mut buf) {
            Ok((n, from)) => break Ok((buf[..n].to_vec(), from)),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                let now = Instant::now();
                if let Some((since, words)) = &gone_since {
                    // A datagram sent just before the exit is queued by now.
                    if now >= *since + Duration::from_millis(100) {
                        break Err(format!("在等{what}, {words}"));
                    }
                } else if let Some(words) = gone() {
                    gone_since = Some((now, words));
                } else if now >= until {
                    break Err(format!("{} 秒内没有收到{what}", DEADLINE.as_secs()));
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => break Err(format!("在等{what}时出错: {}", describe(&e))),
        }
    };
    let _ = sock.set_read_timeout(old);
    result.unwrap_or_else(|e| panic!("{e}"))
}

impl Proc {
    /// [`recv_datagram`] from this program: fails as soon as it has exited.
    pub fn recv_datagram(&mut self, sock: &UdpSocket, what: &str) -> (Vec<u8>, SocketAddr) {
        let name = self.name.clone();
        recv_datagram(sock, what, || match self.child.try_wait() {
            Ok(Some(status)) => {
                let code = match status.code() {
                    Some(101) => "退出码 101: 它 panic 了 (还有 todo!() 没完成?)".to_string(),
                    Some(c) => format!("退出码 {c}"),
                    None => "被信号结束".to_string(),
                };
                Some(format!(
                    "{name} 已经退出了 ({code})\n{}",
                    Proc::transcript_of(&lock(&self.shared))
                ))
            }
            _ => None,
        })
    }
}

impl Ended {
    /// [`recv_datagram`] from the client program this records: fails as soon
    /// as it has ended.
    pub fn recv_datagram(&self, sock: &UdpSocket, what: &str) -> (Vec<u8>, SocketAddr) {
        recv_datagram(sock, what, || self.get())
    }
}

/// Every file (not folder) anywhere below `dir`, as paths relative to it, sorted:
/// a temporary file left in a hidden subfolder shows up here.
pub fn files_under(dir: &std::path::Path) -> Vec<String> {
    fn walk(base: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut v = Vec::new();
    walk(dir, dir, &mut v);
    v.sort();
    v
}
