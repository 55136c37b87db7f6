//! UDP 客户端: 重做 003 「1.3UDP编程」 的 1.3.2客户端 (发往 127.0.0.1:9999)。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo run -p lesson02 --bin udp_hello_server
//!   终端 2: cargo run -p lesson02 --bin udp_hello_client
//! 依次发送 `Michael`, `Tracy`, `Sarah` (或命令行给的名字), 每发一个就打印一个回复。
//!
//! 和原文的不同: 原文一直等回复; 我们每个回复最多等 `--timeout` 秒 (默认 5)。
//!
//! English: redoes 003's UDP client: send each name, print each answer, waiting at most
//! `--timeout` seconds for each.

use std::net::UdpSocket;
use support::{Cli, OrExit};

const HELP: &str = "
udp_hello_client: 依次发送名字, 打印每个回复。
udp_hello_client: send each name, print each answer.

用法 usage: udp_hello_client [--host H] [--port P] [--timeout SECS] [NAME ...]
  默认 default 127.0.0.1:9999, Michael Tracy Sarah
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(9999);
    let timeout = cli.timeout(5.0);
    let mut names = cli.rest();
    if names.is_empty() {
        names = vec!["Michael".into(), "Tracy".into(), "Sarah".into()];
    }

    // 1. 创建 UDP 套接字 (Rust 创建时就要绑定: 端口 0 让系统挑, 和 Python 第一次 sendto 时一样)
    let s = UdpSocket::bind("0.0.0.0:0").or_exit("创建 UDP 套接字");
    s.set_read_timeout(Some(timeout)).or_exit("设置超时");

    let mut buf = [0u8; 1024];
    for data in &names {
        // 2. 发送数据 (sendto)
        s.send_to(data.as_bytes(), (host.as_str(), port))
            .or_exit(format_args!("发送到 {host}:{port}"));
        // 3. 接收数据 (recv: 不关心是谁发来的), 解码后打印。from_utf8_lossy 是 Rust 版的
        //    .decode('utf-8'): 从不出错, 坏字节显示成 U+FFFD
        let n = s
            .recv(&mut buf)
            .or_exit(format_args!("等待 {host}:{port} 的回复"));
        println!("{}", String::from_utf8_lossy(&buf[..n]));
    }
}
