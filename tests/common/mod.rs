//! Helpers shared by the lesson tests.
//!
//! * [`Proc`]: a running binary whose stdout and stderr are collected in the
//!   background; waits are on bytes, with a deadline, never on a sleep. The child
//!   is killed when the `Proc` is dropped, also when the test panics.
//! * [`Proc::server`]: starts a server with `--port 0` (added by the test) and waits
//!   for its announcement line, `监听中 listening on tcp://ADDR`.
//! * [`connect`] / [`udp`]: sockets with timeouts, so a broken server fails a test
//!   instead of hanging `cargo test`.
//! * [`client`]: an `assert_cmd` command with a deadline, for one-shot programs.
//!
//! `NO_COLOR` is removed from the children's environment, so a test that sees no
//! colour codes in a pipe proves the terminal check, not the variable.
#![allow(dead_code)] // each test file uses a different part of this module

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
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

const ANNOUNCE: &str = "监听中 listening on ";

enum Chunk {
    Out(Vec<u8>),
    Err(Vec<u8>),
    OutClosed,
    ErrClosed,
}

/// A child process with its output gathered as it comes.
pub struct Proc {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    chunks: Receiver<Chunk>,
    out: Vec<u8>,
    err: Vec<u8>,
    out_open: bool,
    err_open: bool,
    /// How far [`Proc::wait_out`] has read into stdout.
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
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
        let (tx, chunks) = channel();
        let mut stdout = child.stdout.take().expect("stdout is piped");
        let tx_out = tx.clone();
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 || tx_out.send(Chunk::Out(buf[..n].to_vec())).is_err() {
                    break;
                }
            }
            let _ = tx_out.send(Chunk::OutClosed);
        });
        let mut stderr = child.stderr.take().expect("stderr is piped");
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 || tx.send(Chunk::Err(buf[..n].to_vec())).is_err() {
                    break;
                }
            }
            let _ = tx.send(Chunk::ErrClosed);
        });
        let name = bin.rsplit('/').next().unwrap_or(bin).to_string();
        Proc {
            name,
            stdin: child.stdin.take(),
            child,
            chunks,
            out: Vec::new(),
            err: Vec::new(),
            out_open: true,
            err_open: true,
            cursor: 0,
        }
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
        let addr = addr
            .split("://")
            .nth(1)
            .unwrap_or(&addr)
            .parse()
            .unwrap_or_else(|e| {
                panic!("{}: announced address `{addr}` does not parse: {e}", p.name)
            });
        (p, addr)
    }

    /// Waits for the announcement line and returns what follows the prefix
    /// (`tcp://127.0.0.1:4321`).
    pub fn announced(&mut self) -> String {
        self.wait_out(ANNOUNCE, "the announcement line");
        let rest = String::from_utf8_lossy(&self.out[self.cursor..]).to_string();
        match rest.split_once('\n') {
            Some((line, _)) => line.trim().to_string(),
            None => {
                // The line's end has not arrived yet: wait for it.
                self.wait_out("\n", "the end of the announcement line");
                rest.trim().to_string()
            }
        }
    }

    fn pump(&mut self, until: Instant) -> bool {
        let left = until.saturating_duration_since(Instant::now());
        match self.chunks.recv_timeout(left) {
            Ok(Chunk::Out(b)) => self.out.extend_from_slice(&b),
            Ok(Chunk::Err(b)) => self.err.extend_from_slice(&b),
            Ok(Chunk::OutClosed) => self.out_open = false,
            Ok(Chunk::ErrClosed) => self.err_open = false,
            Err(RecvTimeoutError::Timeout) => return false,
            Err(RecvTimeoutError::Disconnected) => return false,
        }
        true
    }

    fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
        hay.windows(needle.len().max(1)).position(|w| w == needle)
    }

    /// Gathers output until `found` says yes; panics with `what` and everything
    /// the program printed when the deadline passes or the program has exited.
    fn wait(&mut self, what: &str, mut found: impl FnMut(&mut Proc) -> bool) {
        let until = Instant::now() + DEADLINE;
        while !found(self) {
            let exited = !self.out_open && !self.err_open;
            if exited || !self.pump(until) {
                let why = if exited {
                    "the program exited"
                } else {
                    "deadline passed"
                };
                panic!(
                    "{}: waited for {what}, {why}\n{}",
                    self.name,
                    self.transcript()
                );
            }
        }
    }

    /// Waits until stdout, after what earlier waits consumed, contains `needle`,
    /// and moves past it.
    pub fn wait_out(&mut self, needle: &str, what: &str) {
        let what = format!("{what} ({needle:?} in stdout)");
        self.wait(&what, |p| {
            match Proc::find(&p.out[p.cursor..], needle.as_bytes()) {
                Some(i) => {
                    p.cursor += i + needle.len();
                    true
                }
                None => false,
            }
        });
    }

    /// Waits until stderr contains `needle` (anywhere).
    pub fn wait_err(&mut self, needle: &str, what: &str) {
        let what = format!("{what} ({needle:?} in stderr)");
        self.wait(&what, |p| Proc::find(&p.err, needle.as_bytes()).is_some());
    }

    /// Types one line on the program's stdin.
    pub fn type_line(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        writeln!(stdin, "{line}").expect("write to child's stdin");
        stdin.flush().expect("flush child's stdin");
    }

    /// Closes the program's stdin (end of input).
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits for the process to exit (within the deadline) and gathers all output.
    pub fn finish(mut self) -> (ExitStatus, String, String) {
        self.close_stdin();
        let until = Instant::now() + DEADLINE;
        while self.out_open || self.err_open {
            if !self.pump(until) && Instant::now() >= until {
                panic!("{}: did not exit in time\n{}", self.name, self.transcript());
            }
        }
        // Both pipes are closed, so the process is exiting: this wait is short.
        let status = self.child.wait().expect("wait");
        (status, self.stdout(), self.stderr())
    }

    /// Everything written to stdout so far (gathers what has arrived).
    pub fn stdout(&mut self) -> String {
        while self.pump(Instant::now()) {}
        String::from_utf8_lossy(&self.out).to_string()
    }

    /// Everything written to stderr so far.
    pub fn stderr(&mut self) -> String {
        while self.pump(Instant::now()) {}
        String::from_utf8_lossy(&self.err).to_string()
    }

    fn transcript(&self) -> String {
        format!(
            "--- stdout ---\n{}\n--- stderr ---\n{}",
            String::from_utf8_lossy(&self.out),
            String::from_utf8_lossy(&self.err)
        )
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

/// A TCP connection to `addr` with 10 s read and write timeouts.
pub fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect_timeout(&addr, DEADLINE)
        .unwrap_or_else(|e| panic!("connect to {addr}: {e}"));
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    s.set_write_timeout(Some(DEADLINE)).unwrap();
    s
}

/// A loopback TCP port that nobody listens on (bound, then released).
pub fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Reads until the peer closes (bounded by the stream's read timeout).
pub fn read_all(s: &mut TcpStream) -> Vec<u8> {
    let mut v = Vec::new();
    s.read_to_end(&mut v)
        .unwrap_or_else(|e| panic!("read until EOF: {e} (got {} bytes)", v.len()));
    v
}

/// Reads exactly `n` bytes.
pub fn read_n(s: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut v = vec![0; n];
    s.read_exact(&mut v)
        .unwrap_or_else(|e| panic!("read {n} bytes: {e}"));
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
