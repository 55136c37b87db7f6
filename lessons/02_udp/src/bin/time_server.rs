//! 时间服务器: redoes 001 「时间服务器」 (UDP, 127.0.0.1:9000).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson02 --bin time_server
//!   terminal 2: cargo run -p lesson02 --bin time_client -- '%Y年%m月%d日 %X'
//! An empty datagram asks for `%Y-%m-%d %X`; any other datagram is the format
//! itself. The answer is the current time in that format.
//!
//! Differences from the text:
//! * The text does not even run: a comma is missing in its address tuple.
//! * Python's `strftime` uses the machine's zone; std has no calendar and no zone
//!   database, so `lesson02::timefmt` formats UTC, or a fixed `--utc-offset`
//!   (+08:00 for Beijing). The `chrono`/`jiff` crates do real zones.
//! * A format that is not UTF-8 makes the text's server crash; ours answers with
//!   an error message and goes on.
//! * The text sets SO_REUSEADDR by hand; std's bind already does on Unix.

use lesson02::timefmt::{now_unix, parse_offset, strftime};
use std::net::UdpSocket;
use support::{announce, bind_failed, fail, log_client_error, show, Cli, OrExit};

const HELP: &str = "
time_server: 空数据报 → 按 %Y-%m-%d %X 回复当前时间; 其他数据报就是时间格式。
time_server: an empty datagram gets the time as %Y-%m-%d %X; any other is the format.

用法 usage: time_server [--host H] [--port P] [--utc-offset +08:00]
  默认 default 127.0.0.1:9000, UTC
  支持 supports: %Y %m %d %H %M %S %X %x %y %j %a %A %b %B %p %%
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(9000);
    let offset = cli.value("--utc-offset").map_or(0, |o| {
        parse_offset(&o)
            .unwrap_or_else(|| fail(format_args!("--utc-offset `{o}` 无效, 例如 +08:00")))
    });
    cli.done();

    // 1. 创建 UDP 套接字并绑定
    let server =
        UdpSocket::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    announce("udp", server.local_addr().or_exit("读取本地地址"));

    let mut buf = [0u8; 1024];
    loop {
        // 2. 收一个数据报: 它就是格式 (最多 1024 字节, 更长的部分被丢掉)
        let (n, addr) = match server.recv_from(&mut buf) {
            Ok(pair) => pair,
            Err(e) => {
                log_client_error("(recv_from)", &e);
                continue;
            }
        };
        let msg = &buf[..n];
        println!("===> {} 字节 bytes: {}", n, show(msg));

        // 3. 空数据报用默认格式; 不是 UTF-8 就回一条错误而不是崩溃
        let back_msg = match std::str::from_utf8(msg) {
            Ok("") => strftime("%Y-%m-%d %X", now_unix(), offset),
            Ok(time_fmt) => strftime(time_fmt, now_unix(), offset),
            Err(_) => "错误: 格式不是 UTF-8 (error: the format is not UTF-8)".to_string(),
        };

        // 4. 把时间发回给对方
        if let Err(e) = server.send_to(back_msg.as_bytes(), addr) {
            log_client_error(addr, &e);
        }
    }
}
