//! 第 2 课 UDP: `src/bin/` 里各个程序背后的库 (the library behind the binaries).
//!
//! 这里只放原文以外的东西, 原文的每个调用都写在程序里:
//! * [`timefmt`] 是 001 「时间服务器」 需要的 `strftime` (std 没有日历);
//! * [`colour_wanted`] 决定 qq 程序的那一行要不要上色 (只在终端上, 没有 `NO_COLOR` 时);
//! * [`py_addr`] 像 Python 那样打印地址元组 `('127.0.0.1', 9000)`;
//! * [`local_for`] 决定客户端套接字绑定哪个本机地址;
//! * [`ok_or_log`]、[`no_answer`] 和 [`server_recv_failed`] 写出一次接收失败时给人看的那一行;
//! * [`or_skip_datagram`] 在系统开不出线程时只放弃一个数据报, 服务器继续。
//!
//! 每个程序都用 64 KiB 的缓冲区收数据报, 再只用前 1024 字节 (原文的 `recvfrom(1024)`):
//! Windows 上数据报比缓冲区大时 `recv_from` 报错 (WSAEMSGSIZE), 不像 Linux 和 macOS 那样截断。
//! 详见 README 的 「1024 字节的截断」。
//!
//! English: what the lesson's programs need beyond the text (strftime, colour decision,
//! Python-style addresses, the client's local address, error lines).

pub mod timefmt;

use std::fmt::Display;
use std::io::{self, ErrorKind, IsTerminal};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

/// 客户端套接字绑定的本机地址: 发往回环地址 (127.0.0.1, ::1) 时只绑回环地址, 这样
/// Windows 和 macOS 不会弹出防火墙对话框; 发往别的地址时绑 "所有地址" (0.0.0.0 或 ::),
/// 和 Python 第一次 `sendto` 时自动做的一样。端口 0 让系统挑一个空闲端口。地址族跟着
/// 目的地址走, 所以 `--host ::1` 也能用。
pub fn local_for(dest: SocketAddr) -> SocketAddr {
    let ip = match (dest, dest.ip().is_loopback()) {
        (SocketAddr::V4(_), true) => Ipv4Addr::LOCALHOST.into(),
        (SocketAddr::V4(_), false) => Ipv4Addr::UNSPECIFIED.into(),
        (SocketAddr::V6(_), true) => Ipv6Addr::LOCALHOST.into(),
        (SocketAddr::V6(_), false) => Ipv6Addr::UNSPECIFIED.into(),
    };
    SocketAddr::new(ip, 0)
}

/// 客户端等 `server` 的回复失败时说的那一行。What a client says when its wait failed.
///
/// * 超时: UDP 不会告诉发送方 "没人在听", 数据报就这样没了; Linux 和 macOS 上没有连接的
///   UDP 套接字只能这样发现服务器不在。
/// * 重置 / 拒绝: 服务器所在的机器回了一个 "端口不可达" (ICMP)。Windows 把它报告给下一次
///   `recv_from`, 错误是 WSAECONNRESET (10054), 字面意思 "连接被重置" 在 UDP 里讲不通;
///   Linux 上 `connect` 过的 UDP 套接字得到的是 ECONNREFUSED。两种都是: 那个端口上没有服务器。
pub fn no_answer(server: impl Display, err: &io::Error) -> String {
    match err.kind() {
        ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused => format!(
            "等待 {server} 的回复: 没有服务器在这个端口回应 (对方回了 \"端口不可达\"); \
             先启动服务器, 或检查 --host/--port (系统: {err})"
        ),
        ErrorKind::TimedOut | ErrorKind::WouldBlock => format!(
            "等待 {server} 的回复: 等待超时, 对方没有回应; 服务器启动了吗? 端口对吗? \
             (可用 --timeout 调整等待秒数) (系统: {err})"
        ),
        _ => format!(
            "等待 {server} 的回复: {} (系统: {err})",
            support::advice(err)
        ),
    }
}

/// UDP 服务器的一次 `recv_from` 失败时记下的那一行, 之后服务器继续服务。
///
/// Windows 上, 回复发给一个已经关掉套接字的客户端时, 对方机器回一个 "端口不可达",
/// 服务器的*下一次* `recv_from` 就报 WSAECONNRESET (10054): 服务器没有问题, 只是那个回复丢了。
/// English: the line a server logs for a failed receive before it serves on.
pub fn server_recv_failed(err: &io::Error) -> String {
    match err.kind() {
        ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused => format!(
            "上一个回复没有送到: 那个客户端的端口已经关闭 (Windows 把这件事报告给下一次 \
             recv_from), 继续服务 (系统: {err})"
        ),
        _ => format!(
            "接收数据报 (recv_from) 失败: {}, 继续服务 (系统: {err})",
            support::advice(err)
        ),
    }
}

/// 运行 `spawn` (里面是一次 `thread::spawn`)。系统开不出新线程时 `thread::spawn` 会 panic;
/// 这里接住它, 记一行日志, 只是这个数据报不回复了, 服务器接着收下一个。原文的 `start()`
/// 在这种情况下抛异常, 整个服务器退出。
///
/// 正式的程序用 `thread::Builder::spawn`, 它把失败作为 `Err` 返回; 本课写原文对应的
/// `thread::spawn`, 把失败的处理放在这里 (第 3 课的 `or_drop_client` 也是这样做的)。
///
/// English: runs `spawn` (a `thread::spawn`); when the OS refuses the thread, the
/// panic is caught and logged in one line, that datagram goes unanswered, the server goes on.
pub fn or_skip_datagram<T>(peer: SocketAddr, spawn: impl FnOnce() -> T) {
    if let Err(why) = support::catch_refused_thread(spawn) {
        eprintln!("{peer}: 系统开不出新线程, 这个数据报不回复了, 继续服务 (系统: {why})");
    }
}

/// qq 程序要不要给消息上色 (原文的 ANSI `1;44`, 蓝底粗体): 只有标准输出是终端、并且没有设置
/// `NO_COLOR` (或它是空的) 时才要, 这样管道和日志文件里没有转义码。
/// English: colour only when stdout is a terminal and `NO_COLOR` is unset or empty.
pub fn colour_wanted() -> bool {
    wants_colour(
        io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

/// [`colour_wanted`] 的判断本身 (可以单独测试): 是终端, 并且 `NO_COLOR` 没有设置或是空的。
/// The decision itself, testable without a terminal.
pub fn wants_colour(stdout_is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    stdout_is_terminal && no_color.is_none_or(|v| v.is_empty())
}

/// 服务器的一次 `recv_from`: 成功时给出 (字节数, 发送方); 失败时在标准错误上记一行
/// ([`server_recv_failed`]) 并返回 `None`, 服务器接着收下一个 (原文的程序在这里抛异常退出)。
/// English: a server's receive: the value, or one logged line and `None` (serve on).
pub fn ok_or_log(received: io::Result<(usize, SocketAddr)>) -> Option<(usize, SocketAddr)> {
    match received {
        Ok(got) => Some(got),
        Err(e) => {
            eprintln!("{}", server_recv_failed(&e));
            None
        }
    }
}

/// 像 Python 打印地址元组那样写出发送方: `('127.0.0.1', 9000)`。
/// A sender as Python prints the address tuple.
pub fn py_addr(addr: SocketAddr) -> String {
    format!("('{}', {})", addr.ip(), addr.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        use std::ffi::OsStr;
        assert!(wants_colour(true, None));
        assert!(wants_colour(true, Some(OsStr::new(""))));
        assert!(!wants_colour(true, Some(OsStr::new("1"))));
        assert!(!wants_colour(false, None));
    }

    #[test]
    fn clients_bind_loopback_for_a_loopback_server_and_keep_the_family() {
        let v4: SocketAddr = "127.0.0.1:9000".parse().unwrap();
        let v6: SocketAddr = "[::1]:9000".parse().unwrap();
        let lan: SocketAddr = "192.168.1.103:8080".parse().unwrap();
        assert_eq!(local_for(v4), "127.0.0.1:0".parse().unwrap());
        assert_eq!(local_for(v6), "[::1]:0".parse().unwrap());
        assert_eq!(local_for(lan), "0.0.0.0:0".parse().unwrap());
    }

    /// Linux: a UDP socket `connect`ed to a port nobody listens on gets the ICMP "port
    /// unreachable" as ECONNREFUSED on the next receive. Windows reports the same ICMP
    /// as WSAECONNRESET (10054) even on an unconnected socket, the way our clients are;
    /// both must read "no server answered on that port", never "connection reset".
    #[cfg(target_os = "linux")]
    #[test]
    fn a_dead_port_is_reported_as_no_server_not_as_a_reset() {
        use std::net::UdpSocket;
        use std::time::Duration;
        let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
        let dead = silent.local_addr().unwrap();
        drop(silent);
        let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        sock.connect(dead).unwrap();
        sock.send(b"hello").unwrap();
        let err = sock.recv(&mut [0u8; 16]).expect_err("nobody answers");
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err}");
        assert!(no_answer(dead, &err).contains("没有服务器在这个端口回应"));
        assert!(server_recv_failed(&err).contains("上一个回复没有送到"));
    }

    #[test]
    fn windows_reset_and_a_timeout_read_as_advice() {
        let reset = io::Error::from(ErrorKind::ConnectionReset); // WSAECONNRESET on Windows
        let line = no_answer("127.0.0.1:9000", &reset);
        assert!(line.contains("没有服务器在这个端口回应"), "{line}");
        assert!(!line.contains("重置"), "{line}");
        let timeout = io::Error::from(ErrorKind::WouldBlock);
        assert!(no_answer("127.0.0.1:9000", &timeout).contains("等待超时"));
        // A timeout asks the student the two likely questions, on Linux (WouldBlock)
        // and Windows (TimedOut) alike; the general advice alone would not.
        for kind in [ErrorKind::WouldBlock, ErrorKind::TimedOut] {
            let line = no_answer("127.0.0.1:9000", &io::Error::from(kind));
            assert!(
                line.contains("服务器启动了吗? 端口对吗?"),
                "{kind:?}: {line}"
            );
        }
        assert!(server_recv_failed(&reset).contains("继续服务"));
    }
}
