//! UDP 客户端: redoes 003 「1.3UDP编程」 1.3.2客户端 (to 127.0.0.1:9999).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson02 --bin udp_hello_server
//!   terminal 2: cargo run -p lesson02 --bin udp_hello_client
//! Sends `Michael`, `Tracy`, `Sarah` (or the names given), printing each answer.
//! Waits at most `--timeout` seconds (default 5) for each, instead of forever.

use std::net::UdpSocket;
use support::{show, Cli, OrExit};

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

    // 1. 创建 UDP 套接字
    let s = UdpSocket::bind("0.0.0.0:0").or_exit("创建 UDP 套接字");
    s.set_read_timeout(Some(timeout)).or_exit("设置超时");

    let mut buf = [0u8; 1024];
    for data in &names {
        // 2. 发送数据, 3. 接收数据 (recv 不关心是谁发来的)
        s.send_to(data.as_bytes(), (host.as_str(), port))
            .or_exit(format_args!("发送到 {host}:{port}"));
        let n = s
            .recv(&mut buf)
            .or_exit(format_args!("等待 {host}:{port} 的回复"));
        println!("{}", show(&buf[..n]));
    }
}
