//! Lesson 05, 远程执行命令: running a command for a remote client, with the limits
//! a remote shell needs (time, output size), and the framed protocol that cures
//! the text's 粘包. The binaries are in `src/bin/`.

use std::io::{self, Read};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

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
    let mut c = if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", cmd]);
        c
    } else {
        let mut c = Command::new("sh");
        c.args(["-c", cmd]);
        c
    };
    // Its own process group, so a timeout can stop the shell and its children.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut c, 0);
    c
}

/// Reads a pipe to its end, keeping at most `OUTPUT_CAP` bytes.
fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<(Vec<u8>, bool)> {
    thread::spawn(move || {
        let mut kept = Vec::new();
        let mut truncated = false;
        let mut buf = [0u8; 64 * 1024];
        while let Ok(n @ 1..) = pipe.read(&mut buf) {
            let room = OUTPUT_CAP - kept.len();
            kept.extend_from_slice(&buf[..n.min(room)]);
            truncated |= n > room;
        }
        (kept, truncated)
    })
}

/// Kills the child and, on Unix, everything in its process group.
fn kill_all(child: &mut Child) {
    #[cfg(unix)]
    {
        // std has no killpg; the `kill` program does it with a negative pid,
        // which must come after `--` (procps reads `-1234` as an option otherwise).
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
}

/// Runs `cmd` through the shell, killing it after `limit`.
pub fn run(cmd: &str, limit: Duration) -> io::Result<Outcome> {
    let mut child = shell(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Both pipes were requested just above, so `take` cannot return None here.
    let out = drain(child.stdout.take().expect("stdout is piped"));
    let err = drain(child.stderr.take().expect("stderr is piped"));
    let deadline = Instant::now() + limit;
    let mut outcome = Outcome::default();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            kill_all(&mut child);
            outcome.timed_out = true;
            break child.wait()?;
        }
        // A short poll keeps this simple; an event loop would wait on the pipes
        // and a timer instead.
        thread::sleep(Duration::from_millis(5));
    };
    outcome.code = status.code();
    let ((stdout, t1), (stderr, t2)) = (
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    );
    outcome.stdout = stdout;
    outcome.stderr = stderr;
    outcome.truncated = t1 || t2;
    Ok(outcome)
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
}
