//! Lesson 02, UDP: the library behind the binaries in `src/bin/`.
//!
//! * [`timefmt`]: the `strftime` that 001 「时间服务器」 needs (std has no calendar);
//! * [`qq_line`]: the line both qq programs print, coloured only for a terminal;
//! * [`show_from`]: a datagram and its sender, as the texts print them.

pub mod timefmt;

use std::io::IsTerminal;
use std::net::SocketAddr;

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

/// Python prints a received `bytes` object as `b'hello'`; we print the text.
pub fn show_from(data: &[u8], from: SocketAddr) -> String {
    format!("{} {}", String::from_utf8_lossy(data), py_addr(from))
}
