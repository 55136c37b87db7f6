//! Lesson 05, 远程执行命令: running a command for a remote client, with the limits
//! a remote shell needs (time, output size), and the framed protocol that cures
//! the text's 粘包. The binaries are in `src/bin/`.

use std::io::{self, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

#[cfg(windows)]
pub mod codepage;
#[cfg(windows)]
mod job;

pub use lesson04::framing;

/// Output kept per stream; beyond it the rest is read and thrown away, so a
/// chatty command can neither fill our memory nor block on a full pipe.
pub const OUTPUT_CAP: usize = 16 << 20;

/// What running one command gave.
#[derive(Debug, Default)]
pub struct Outcome {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// The exit code; `None` when killed (or ended by a signal).
    pub code: Option<i32>,
    pub timed_out: bool,
    pub truncated: bool,
}

impl Outcome {
    /// One line about how it ended, for the client and the log.
    pub fn status_line(&self, limit: Duration) -> String {
        match (self.timed_out, self.code) {
            (true, _) => format!(
                "命令运行超过 {} 秒, 已被终止 (killed after the time limit)",
                limit.as_secs_f64()
            ),
            (false, Some(code)) => format!("退出码 exit status {code}"),
            (false, None) => "被信号终止 ended by a signal".to_string(),
        }
    }
}

/// The shell the text's `shell=True` means: `sh -c` on Unix, `cmd /C` on Windows.
fn shell(cmd: &str) -> Command {
    #[cfg(windows)]
    let c = {
        use std::os::windows::process::CommandExt;
        let mut c = Command::new("cmd");
        // cmd.exe splits its command line its own way, not the way of C programs
        // that `Command::arg` quotes for (`echo "a b"` would print `\"a b\"`). So
        // the line goes in as typed, wrapped in quotes like Python's
        // subprocess does for shell=True; cmd removes the outer pair.
        c.raw_arg(format!("/C \"{cmd}\""));
        c
    };
    #[cfg(not(windows))]
    let c = {
        let mut c = Command::new("sh");
        c.args(["-c", cmd]);
        // Its own process group, so at the limit we can stop the shell and
        // everything it started (`sleep 1000 &` included) in one go.
        std::os::unix::process::CommandExt::process_group(&mut c, 0);
        c
    };
    c
}

/// What a pipe-reading thread reports: a piece of output, or the end of its pipe.
enum Piece {
    /// (0 = stdout, 1 = stderr, bytes)
    Data(usize, Vec<u8>),
    /// The pipe ended; whether bytes past `OUTPUT_CAP` were thrown away.
    End(bool),
}

/// Reads a pipe to its end in a thread, passing on at most `OUTPUT_CAP` bytes.
///
/// The thread ends at the end of the pipe, or as soon as nobody listens any more
/// (a background program that escaped the kill may hold the pipe for hours; we
/// do not wait for it, and the thread stops at its next piece of output).
fn drain(which: usize, mut pipe: impl Read + Send + 'static, tx: mpsc::Sender<Piece>) {
    thread::spawn(move || {
        let mut passed = 0;
        let mut truncated = false;
        let mut buf = [0u8; 64 * 1024];
        while let Ok(n @ 1..) = pipe.read(&mut buf) {
            let keep = n.min(OUTPUT_CAP - passed);
            truncated |= keep < n;
            passed += keep;
            if keep > 0 && tx.send(Piece::Data(which, buf[..keep].to_vec())).is_err() {
                return;
            }
        }
        let _ = tx.send(Piece::End(truncated));
    });
}

/// Everything a command started, so that the limit can stop all of it: on Unix
/// the shell's process group, on Windows a Job Object holding cmd.exe.
struct Group {
    #[cfg(unix)]
    pgid: u32,
    #[cfg(windows)]
    job: Option<job::Job>,
}

impl Group {
    fn of(child: &Child) -> Group {
        Group {
            // `shell` made the shell the leader of a new group: its id is the pid.
            #[cfg(unix)]
            pgid: child.id(),
            // Windows has no process groups. Should the Job Object fail (it
            // cannot on Windows 8 and later), the limit still kills cmd.exe.
            #[cfg(windows)]
            job: job::Job::contain(child).ok(),
        }
    }

    /// Kills the child and everything it started.
    fn kill(&self, child: &mut Child) {
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
        if let Some(job) = &self.job {
            let _ = job.terminate();
        }
        let _ = child.kill();
    }
}

/// The output gathered so far from the two reading threads.
#[derive(Default)]
struct Gathered {
    /// [stdout, stderr]
    kept: [Vec<u8>; 2],
    truncated: bool,
    /// Pipes whose end has been seen.
    ended: usize,
}

impl Gathered {
    fn take(&mut self, piece: Piece) {
        match piece {
            Piece::Data(which, bytes) => self.kept[which].extend_from_slice(&bytes),
            Piece::End(truncated) => {
                self.truncated |= truncated;
                self.ended += 1;
            }
        }
    }

    fn open(&self) -> bool {
        self.ended < 2
    }
}

/// Runs `cmd` through the shell. `limit` covers the whole command, reading its
/// output included: a program left running in the background still holds the
/// pipes after the shell has exited (`sleep 1000 &`), and at the limit it is
/// killed with the shell, and the client gets what came so far.
pub fn run(cmd: &str, limit: Duration) -> io::Result<Outcome> {
    let deadline = Instant::now() + limit;
    let mut child = shell(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let group = Group::of(&child);
    let (tx, rx) = mpsc::channel();
    // Both pipes were requested just above, so `take` cannot return None here.
    drain(0, child.stdout.take().expect("stdout is piped"), tx.clone());
    drain(1, child.stderr.take().expect("stderr is piped"), tx);

    // First both pipes to their end, then the exit status, all before the deadline.
    let mut got = Gathered::default();
    let status = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break None;
        }
        if got.open() {
            match rx.recv_timeout(left) {
                Ok(piece) => got.take(piece),
                Err(RecvTimeoutError::Timeout) => {}
                // A reading thread died without saying so: nothing more will come.
                Err(RecvTimeoutError::Disconnected) => got.ended = 2,
            }
        } else if let Some(status) = child.try_wait()? {
            break Some(status);
        } else {
            // The pipes are closed but the shell still runs (`exec >&-; sleep 9`).
            // A short poll keeps this simple; an event loop would wait on a timer.
            thread::sleep(left.min(Duration::from_millis(5)));
        }
    };
    let timed_out = status.is_none();
    let status = match status {
        Some(status) => status,
        None => {
            group.kill(&mut child);
            // What the killed programs wrote is still in the pipes: collect it,
            // but do not wait for a program that escaped the kill.
            let grace = Instant::now() + Duration::from_millis(500);
            while got.open() {
                match rx.recv_timeout(grace.saturating_duration_since(Instant::now())) {
                    Ok(piece) => got.take(piece),
                    Err(_) => break,
                }
            }
            child.wait()?
        }
    };
    let [stdout, stderr] = got.kept;
    Ok(Outcome {
        stdout: decode_output(stdout),
        stderr: decode_output(stderr),
        code: status.code(),
        timed_out,
        truncated: got.truncated,
    })
}

/// The command's output as UTF-8, which is what the clients show.
///
/// On Unix it is passed on as it came. cmd.exe writes in the console's code page
/// (936, i.e. GBK, on a Chinese Windows; the text's client decodes `gbk` for this
/// reason), so on Windows output that is not already UTF-8 is decoded from that
/// code page; see [`codepage`].
fn decode_output(bytes: Vec<u8>) -> Vec<u8> {
    #[cfg(windows)]
    return codepage::to_utf8(bytes);
    #[cfg(not(windows))]
    bytes
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn output_status_and_stderr() {
        let o = run("echo hello; echo oops >&2; exit 3", Duration::from_secs(5)).unwrap();
        assert_eq!(o.stdout, b"hello\n");
        assert_eq!(o.stderr, b"oops\n");
        assert_eq!(o.code, Some(3));
        assert!(!o.timed_out && !o.truncated);
    }

    #[test]
    fn a_slow_command_and_its_children_are_killed() {
        let start = Instant::now();
        let o = run("sleep 30; echo never", Duration::from_millis(200)).unwrap();
        assert!(o.timed_out);
        assert!(o.stdout.is_empty());
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
        let o = run("sleep 30 & echo $!", Duration::from_millis(500)).unwrap();
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the answer waited for the background sleep: {:?}",
            start.elapsed()
        );
        assert!(o.timed_out);
        let pid = String::from_utf8_lossy(&o.stdout).trim().to_string();
        assert!(pid.parse::<u32>().is_ok(), "{pid:?}");
        let deadline = Instant::now() + Duration::from_secs(5);
        while !gone(&pid) {
            assert!(Instant::now() < deadline, "sleep {pid} still runs");
            thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn a_shell_that_closed_its_output_is_still_held_to_the_limit() {
        let start = Instant::now();
        let o = run(
            "echo early; exec >&- 2>&-; sleep 30",
            Duration::from_millis(500),
        )
        .unwrap();
        assert!(start.elapsed() < Duration::from_secs(10));
        assert!(o.timed_out);
        assert_eq!(o.stdout, b"early\n");
    }

    #[test]
    fn output_past_the_cap_is_cut_and_said_so() {
        // 17 MiB of zeros, one more than the cap.
        let o = run("head -c 17825792 /dev/zero", Duration::from_secs(30)).unwrap();
        assert_eq!(o.stdout.len(), OUTPUT_CAP);
        assert!(o.truncated && !o.timed_out);
        assert_eq!(o.code, Some(0));
    }
}
