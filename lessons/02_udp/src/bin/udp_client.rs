//! UDP 客户端: redoes 001 「基于UDP协议的socket」's client (to 127.0.0.1:9000).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson02 --bin udp_server
//!   terminal 2: cargo run -p lesson02 --bin udp_client
//! Sends `hello` (or `--message`), prints the answer and who sent it.
//!
//! Difference from the text: it waits `--timeout` seconds (default 5) for the
//! answer instead of forever. Nothing tells a UDP sender that nobody listens: the
//! datagram is simply gone, so the timeout is the only way to notice.

use std::net::UdpSocket;
use support::{Cli, OrExit};

const HELP: &str = "
udp_client: 发送 hello, 打印回复和回复者的地址。
udp_client: send `hello`, print the answer and its sender.

用法 usage: udp_client [--host H] [--port P] [--message TEXT] [--timeout SECS]
  默认 default 127.0.0.1:9000, hello, 5 s
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(9000);
    let message = cli.value("--message").unwrap_or_else(|| "hello".into());
    let timeout = cli.timeout(5.0);
    cli.done();

    // 1. 创建 UDP 套接字
    let udp_sk = UdpSocket::bind("0.0.0.0:0").or_exit("创建 UDP 套接字");
    udp_sk.set_read_timeout(Some(timeout)).or_exit("设置超时");

    // 2. 发送到服务器的 (ip, port)
    udp_sk
        .send_to(message.as_bytes(), (host.as_str(), port))
        .or_exit(format_args!("发送到 {host}:{port}"));

    // 3. 收回复: 数据和发送方地址
    let mut buf = [0u8; 1024];
    let (n, addr) = udp_sk
        .recv_from(&mut buf)
        .or_exit(format_args!("等待 {host}:{port} 的回复"));
    println!("{}", lesson02::show_from(&buf[..n], addr));
}
