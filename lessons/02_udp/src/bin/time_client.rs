//! 时间客户端: asks 001 「时间服务器」 for the time (the text gives no client).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson02 --bin time_server
//!   terminal 2: cargo run -p lesson02 --bin time_client            (default format)
//!               cargo run -p lesson02 --bin time_client -- '%A %j'
//! Sends the format (nothing, when none is given) and prints the answer.

use std::net::UdpSocket;
use support::{show, Cli, OrExit};

const HELP: &str = "
time_client: 把时间格式发给时间服务器 (不给就发空数据报), 打印回复。
time_client: send a time format (an empty datagram when none), print the answer.

用法 usage: time_client [--host H] [--port P] [--timeout SECS] [FORMAT]
  默认 default 127.0.0.1:9000
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(9000);
    let timeout = cli.timeout(5.0);
    let format = cli.rest().join(" ");

    // 1. 创建 UDP 套接字, 2. 发送格式, 3. 等回复
    let sock = UdpSocket::bind("0.0.0.0:0").or_exit("创建 UDP 套接字");
    sock.set_read_timeout(Some(timeout)).or_exit("设置超时");
    sock.send_to(format.as_bytes(), (host.as_str(), port))
        .or_exit(format_args!("发送到 {host}:{port}"));
    let mut buf = [0u8; 1024];
    let n = sock
        .recv(&mut buf)
        .or_exit(format_args!("等待 {host}:{port} 的回复"));
    println!("{}", show(&buf[..n]));
}
