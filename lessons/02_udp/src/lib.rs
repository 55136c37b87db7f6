//! 第 2 课 UDP: `src/bin/` 里各个程序背后的库 (the library behind the binaries).
//!
//! * [`timefmt`]: 001 「时间服务器」 需要的 `strftime` (std 没有日历);
//! * [`qq_line`]: 两个 qq 程序打印的那一行, 只在终端上着色;
//! * [`py_addr`]: 像 Python 那样打印地址元组 `('127.0.0.1', 9000)`。

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
