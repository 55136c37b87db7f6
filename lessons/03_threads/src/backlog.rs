//! listen 队列 (backlog): 服务器还没来得及 `accept` 的连接, 由内核替它排队保存; 这里调它的长度。
//!
//! 原文调用 `listen(5)`; std 的 `TcpListener::bind` 固定用 128, 不让你选。上千个客户端在同一
//! 瞬间连进来时 128 不够, 有的连接要晚 1 秒才建立, 有的会一直卡住 (本课 README 的 「深入」 和
//! "突发连接" 里有解释和测量的数字)。
//!
//! 办法是把队列调长。在 Unix 上, 对已经在监听的套接字再调用一次 `listen` 就只是改它的
//! 队列长度, 所以 [`set_backlog`] 就这么做: 用一行 `extern "C"` 声明 C 库的 `listen`
//! (不用 libc crate)。系统会把值截到它允许的上限 (新的 Linux 上是 4096, macOS 默认 128)。
//! Windows 会忽略第二次 `listen`, 所以那里只能用 std 的 128: [`apply`] 打印一行警告,
//! 服务器照常运行。正式的程序用 `socket2` crate, 在第一次 `listen` 之前就设置好, 各个系统都行。
//!
//! English: std always listens with a backlog of 128. On Unix a second `listen`
//! changes the queue length (capped by the system: 4096 on Linux, 128 by default on
//! macOS); Windows ignores it, so `--backlog` there warns and keeps 128. The
//! production way is the socket2 crate, which sets the backlog before `listen`.

use std::io;
use std::net::TcpListener;

/// std 的 `TcpListener::bind` 传给 `listen` 的队列长度 (每个系统都是 128)。
pub const STD_BACKLOG: u32 = 128;

/// 各服务器 `--backlog N` 的实现: 和 std 的 128 不同时, 调大 (或调小) 队列。
/// 不支持的系统 (Windows) 上打印一行警告, 保持 128, 继续运行; 系统拒绝时一行错误, 退出码 1。
pub fn apply(listener: &TcpListener, backlog: u32) {
    if backlog != STD_BACKLOG {
        report(set_backlog(listener, backlog), backlog);
    }
}

/// [`apply`] 对 [`set_backlog`] 结果的处理, 也给 `socketserver --backlog` 用。
pub fn report(result: io::Result<()>, backlog: u32) {
    match result {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::Unsupported => eprintln!(
            "警告: 这个系统上 std 不能在监听之后改 listen 队列 (--backlog {backlog} 无效), \
             继续用 std 的 {STD_BACKLOG}; 正式的程序用 socket2 crate 在 listen 之前设置"
        ),
        Err(e) => support::io_fail("设置 listen backlog", &e),
    }
}

/// 改一个已经在监听的套接字的队列长度 (只在 Unix 上)。
#[cfg(unix)]
#[allow(unsafe_code)] // the one listen call, see SAFETY below
pub fn set_backlog(listener: &TcpListener, backlog: u32) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    use std::os::raw::c_int;
    extern "C" {
        // int listen(int fd, int backlog);
        fn listen(fd: c_int, backlog: c_int) -> c_int;
    }
    let backlog = c_int::try_from(backlog).unwrap_or(c_int::MAX);
    // SAFETY: `listen` only reads its two integer arguments; the descriptor is
    // borrowed from a live listener, and a bad one only makes the call fail.
    if unsafe { listen(listener.as_raw_fd(), backlog) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// 非 Unix 系统 (Windows): 第二次 `listen` 会被忽略, 所以直接说不支持。
#[cfg(not(unix))]
pub fn set_backlog(_listener: &TcpListener, _backlog: u32) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "changing the backlog after listen needs Unix",
    ))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::net::TcpStream;
    use std::time::Duration;

    /// Connects without ever accepting, one client at a time, until `want` are
    /// queued or a connect times out. Returns how many the accept queue holds.
    fn queued(listener: &TcpListener, want: usize) -> usize {
        let addr = listener.local_addr().unwrap();
        let mut clients = Vec::new();
        for _ in 0..want {
            // On loopback a queued connect completes at once; a full queue drops
            // the SYN, and the retry comes only after 1 s.
            match TcpStream::connect_timeout(&addr, Duration::from_millis(500)) {
                Ok(c) => clients.push(c),
                Err(_) => break,
            }
        }
        listener.set_nonblocking(true).unwrap();
        let mut accepted = 0;
        while listener.accept().is_ok() {
            accepted += 1;
        }
        accepted
    }

    #[test]
    fn a_wider_backlog_queues_more_than_std_s_128() {
        let somaxconn: usize = std::fs::read_to_string("/proc/sys/net/core/somaxconn")
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        assert!(
            somaxconn >= 300,
            "net.core.somaxconn {somaxconn} < 300: cannot test"
        );

        // Without the call: std's backlog. Linux keeps backlog + 1 in the queue.
        let plain = TcpListener::bind("127.0.0.1:0").unwrap();
        let n = queued(&plain, 300);
        assert!(n <= 129, "std's listener queued {n}, more than 128 + 1");

        // With it, every one of the 300 handshakes waits in the queue.
        let wide = TcpListener::bind("127.0.0.1:0").unwrap();
        set_backlog(&wide, 1024).unwrap();
        assert_eq!(queued(&wide, 300), 300);
    }

    /// Runs this test binary's test `name` again in a child with `BACKLOG_CHILD=name`
    /// (the code under test may end the process); stderr and exit code, killed after 10 s.
    fn in_child(name: &str) -> (Option<i32>, String) {
        use std::process::{Command, Stdio};
        use std::time::Instant;
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([name, "--exact", "--nocapture", "--test-threads=1"])
            .env("BACKLOG_CHILD", name)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let until = Instant::now() + Duration::from_secs(10);
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > until {
                let _ = child.kill();
                panic!("{name}: 子进程 10 秒内没有结束");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let out = child.wait_with_output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// `--backlog` where the system cannot change it: one warning, and the server goes
    /// on; where the system refuses: one error line and exit 1.
    #[test]
    fn report_warns_on_unsupported_and_fails_on_a_refusal() {
        let name = "backlog::tests::report_warns_on_unsupported_and_fails_on_a_refusal";
        match std::env::var("BACKLOG_CHILD").as_deref() {
            Ok(n) if n == name => {
                let unsupported = io::Error::from(io::ErrorKind::Unsupported);
                report(Err(unsupported), 4096);
                eprintln!("[还在运行]");
                report(Err(io::Error::from(io::ErrorKind::PermissionDenied)), 4096);
                std::process::exit(0); // reached only when a refusal was let pass
            }
            _ => {}
        }
        let (code, err) = in_child(name);
        assert!(
            err.contains("警告: 这个系统上 std 不能在监听之后改 listen 队列"),
            "{err}"
        );
        assert!(err.contains("--backlog 4096 无效"), "{err}");
        assert!(
            err.contains("[还在运行]"),
            "不支持只是警告, 程序继续: {err}"
        );
        assert_eq!(code, Some(1), "系统拒绝时退出码 1: {err}");
        assert!(err.contains("设置 listen backlog"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
