//! 读取 std 没有提供的套接字选项 (SO_REUSEADDR、SO_RCVBUF) 和主机名: 用一个很小的
//! `extern "C"` 声明调用 C 库自己的函数, 不用 libc crate。生产程序用 `socket2` crate。
//!
//! Reading socket options that std does not expose, through a tiny `extern "C"`
//! declaration of the C library's own functions (no libc crate). This and
//! lesson03's `backlog.rs` (which calls `listen` again) are the only `unsafe` code
//! in the workbook.
//!
//! Why it exists: 001 「端口已被占用」 fixes "address already in use" on restart
//! with `setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)` before `bind`. std gives no way to
//! set an option between `socket()` and `bind()`, because `TcpListener::bind` does
//! all three steps (socket, bind, listen) in one call. It does not need to: on Unix,
//! std already sets SO_REUSEADDR inside `bind` (and never on Windows, where that
//! option means something else: it lets a second program steal a port in use).
//! [`reuse_addr`] reads the option back, so the student can see it for themselves.
//!
//! The production alternative is the `socket2` crate, which exposes every option
//! with a safe API; the workbook is std only.

use std::io;

#[cfg(unix)]
mod sys {
    use std::os::raw::{c_char, c_int, c_void};

    extern "C" {
        // int getsockopt(int fd, int level, int name, void *value, socklen_t *len);
        pub fn getsockopt(
            fd: c_int,
            level: c_int,
            name: c_int,
            value: *mut c_void,
            len: *mut u32,
        ) -> c_int;
        // int gethostname(char *name, size_t len);
        pub fn gethostname(name: *mut c_char, len: usize) -> c_int;
    }

    // The option numbers differ between systems; these are Linux's and the BSDs'
    // (macOS included).
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub const SOL_SOCKET: c_int = 1;
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub const SO_REUSEADDR: c_int = 2;
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub const SO_RCVBUF: c_int = 8;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    pub const SOL_SOCKET: c_int = 0xffff;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    pub const SO_REUSEADDR: c_int = 0x0004;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    pub const SO_RCVBUF: c_int = 0x1002;
}

/// Reads an integer socket option of the socket behind `fd`.
#[cfg(unix)]
#[allow(unsafe_code)] // the one getsockopt call, see SAFETY below
fn get_int(fd: std::os::fd::RawFd, name: std::os::raw::c_int) -> io::Result<i32> {
    let mut value: i32 = 0;
    let mut len = std::mem::size_of::<i32>() as u32;
    // SAFETY: `value` and `len` are valid for writes of the sizes given; a bad `fd`
    // only makes the call fail with EBADF, which we return as an error.
    let rc = unsafe {
        sys::getsockopt(
            fd,
            sys::SOL_SOCKET,
            name,
            (&mut value as *mut i32).cast(),
            &mut len,
        )
    };
    if rc == 0 {
        Ok(value)
    } else {
        Err(io::Error::last_os_error())
    }
}

/// 读回套接字的 SO_REUSEADDR 选项 (Python 的 `getsockopt(SOL_SOCKET, SO_REUSEADDR)`):
/// 打开了就是 true。只在 Unix 上有。
/// Whether SO_REUSEADDR is set on `socket`.
#[cfg(unix)]
pub fn reuse_addr(socket: &impl std::os::fd::AsRawFd) -> io::Result<bool> {
    get_int(socket.as_raw_fd(), sys::SO_REUSEADDR).map(|v| v != 0)
}

/// 内核为这个套接字准备的接收缓冲区有多大, 单位字节 (SO_RCVBUF)。只在 Unix 上有。
/// The kernel's receive buffer size for `socket`, in bytes.
#[cfg(unix)]
pub fn recv_buffer(socket: &impl std::os::fd::AsRawFd) -> io::Result<i32> {
    get_int(socket.as_raw_fd(), sys::SO_RCVBUF)
}

/// 本机的主机名 (Python 的 `socket.gethostname()`; std 没有这个函数)。
/// This machine's host name.
#[cfg(unix)]
#[allow(unsafe_code)] // the one gethostname call, see SAFETY below
pub fn hostname() -> io::Result<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for `buf.len()` bytes; we keep the last byte as
    // a terminator ourselves, since POSIX allows a truncated name without one.
    let rc = unsafe { sys::gethostname(buf.as_mut_ptr().cast(), buf.len() - 1) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    Ok(String::from_utf8_lossy(&buf[..end]).into_owned())
}

/// 本机的主机名: Windows 上从环境变量 COMPUTERNAME 读, 对课程够用了。
/// On Windows the host name is in the environment; good enough for a lesson.
#[cfg(not(unix))]
pub fn hostname() -> io::Result<String> {
    std::env::var("COMPUTERNAME").map_err(|e| io::Error::new(io::ErrorKind::NotFound, e))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::net::{TcpListener, TcpStream};

    #[test]
    fn std_sets_reuseaddr_on_listeners_but_not_on_clients() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        assert!(reuse_addr(&listener).unwrap());
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        assert!(!reuse_addr(&client).unwrap());
    }

    #[test]
    fn receive_buffer_is_positive_and_hostname_is_not_empty() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        assert!(recv_buffer(&listener).unwrap() >= 1024);
        assert!(!hostname().unwrap().is_empty());
    }

    /// On Linux both values can be read another way: a new TCP socket's receive
    /// buffer is the middle number of `tcp_rmem`, and the kernel keeps the name.
    #[cfg(target_os = "linux")]
    #[test]
    fn receive_buffer_and_hostname_agree_with_the_kernel() {
        let rmem = std::fs::read_to_string("/proc/sys/net/ipv4/tcp_rmem").unwrap();
        let default: i32 = rmem.split_whitespace().nth(1).unwrap().parse().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        assert_eq!(recv_buffer(&listener).unwrap(), default);
        let name = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
        assert_eq!(hostname().unwrap(), name.trim_end());
    }

    #[test]
    fn a_closed_descriptor_is_an_error_not_a_value() {
        // A descriptor number far above any open one: getsockopt fails with EBADF.
        struct Closed;
        impl std::os::fd::AsRawFd for Closed {
            fn as_raw_fd(&self) -> std::os::fd::RawFd {
                1 << 20
            }
        }
        assert!(reuse_addr(&Closed).is_err());
        assert!(recv_buffer(&Closed).is_err());
    }
}
