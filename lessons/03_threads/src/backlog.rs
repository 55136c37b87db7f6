//! The listen backlog: how many finished handshakes the kernel keeps for a server
//! that has not called `accept` yet.
//!
//! The texts call `listen(5)`; std's `TcpListener::bind` calls `listen(128)` and
//! offers no way to choose. On a burst (1,000 clients connecting in the same
//! millisecond) the queue of 128 fills faster than the accept loop empties it, and
//! Linux then drops handshake packets (or answers with SYN cookies) instead of
//! refusing: some clients retry their SYN after 1 s, and a client whose last ACK
//! was dropped believes it is connected while the server has never heard of it. In
//! a protocol where the server speaks first (`Welcome!`), that client waits forever.
//! The lesson README shows the numbers.
//!
//! The fix is a bigger queue. On Unix, calling `listen` again on a socket that is
//! already listening just changes its backlog, so [`set_backlog`] does that through
//! a one-line `extern "C"` declaration of the C library's `listen` (no libc crate).
//! The kernel caps the value at `net.core.somaxconn` (4096 on current Linux). The
//! production alternative is the `socket2` crate, which lets you choose the backlog
//! before the first `listen`.

use std::io;
use std::net::TcpListener;

/// The backlog `TcpListener::bind` passes to `listen` on Unix.
pub const STD_BACKLOG: u32 = 128;

/// Widens the queue when `backlog` differs from std's; one clear line and exit 1
/// if the system refuses. Shared by the servers' `--backlog` flag.
pub fn apply(listener: &TcpListener, backlog: u32) {
    if backlog != STD_BACKLOG {
        support::OrExit::or_exit(set_backlog(listener, backlog), "设置 listen backlog");
    }
}

/// Sets the listen backlog of an already listening socket (Unix only).
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

/// Sets the listen backlog of an already listening socket (Unix only).
#[cfg(not(unix))]
pub fn set_backlog(_listener: &TcpListener, _backlog: u32) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "changing the backlog after bind needs Unix",
    ))
}

#[cfg(test)]
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
    #[cfg(target_os = "linux")]
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
}
