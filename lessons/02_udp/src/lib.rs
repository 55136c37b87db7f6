//! 第 2 课 UDP: `src/bin/` 里各个程序背后的库 (the library behind the binaries).
//!
//! * [`timefmt`] 是 001 「时间服务器」 需要的 `strftime` (std 没有日历);
//! * [`qq_line`] 是两个 qq 程序打印的那一行, 只在终端上着色;
//! * [`py_addr`] 像 Python 那样打印地址元组 `('127.0.0.1', 9000)`;
//! * 收数据报的缓冲区 [`MAX_DATAGRAM`] 和原文 `recvfrom(1024)` 的 [`BUFSIZE`];
//! * [`local_for`] 决定客户端套接字绑定哪个本机地址;
//! * [`no_answer`] 和 [`server_recv_failed`] 写出一次接收失败时给人看的那一行。

pub mod timefmt;

use std::fmt::Display;
use std::io::{self, ErrorKind, IsTerminal};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

/// 原文 `recvfrom(1024)` 的 1024: 每个程序只用一个数据报的前 1024 字节。
pub const BUFSIZE: usize = 1024;

/// 最大的 UDP 数据报能装下的缓冲区 (长度字段是 16 位, 所以不到 64 KiB)。
///
/// 比缓冲区长的数据报, Linux 和 macOS 悄悄截断, Windows 却让 `recv_from` 报错
/// (WSAEMSGSIZE, os error 10040), Python 的 `recvfrom(1024)` 在 Windows 上也一样报错。
/// 所以我们用这么大的缓冲区收, 再自己截到 [`BUFSIZE`]: 每个系统上都是同样的截断。
/// English: receive into a buffer any datagram fits, then cut to 1024 ourselves, because
/// Windows fails a receive into a smaller buffer where Unix silently truncates.
pub const MAX_DATAGRAM: usize = 65_536;

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

/// What a client says when waiting for `server`'s answer failed.
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

/// What a UDP server logs when a `recv_from` failed, before it goes on serving.
///
/// On Windows a reply sent to a client that has already closed its socket comes back
/// as an ICMP "port unreachable", and the *next* `recv_from` of the server fails with
/// WSAECONNRESET (10054): nothing is wrong with the server, only that reply was lost.
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

/// `来自[ip:port]的一条消息:<text>`, with the text in the ANSI colour `1;44` (bold
/// on blue) as 001 「qq聊天」 prints it; but only when stdout is a terminal and
/// `NO_COLOR` is unset, so pipes and logs get no escape codes.
pub fn qq_line(from: SocketAddr, text: &str) -> String {
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    if colour {
        format!(
            "来自[{}:{}]的一条消息:\x1b[1;44m{text}\x1b[0m",
            from.ip(),
            from.port()
        )
    } else {
        format!("来自[{}:{}]的一条消息:{text}", from.ip(), from.port())
    }
}

/// A sender as Python prints the address tuple: `('127.0.0.1', 9000)`.
pub fn py_addr(addr: SocketAddr) -> String {
    format!("('{}', {})", addr.ip(), addr.port())
}

#[cfg(test)]
mod tests {
    use super::*;

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
