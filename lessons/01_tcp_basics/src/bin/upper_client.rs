//! 大写回声客户端: redoes 004's client of 「多次交互」 (port 8000).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson01 --bin upper_server
//!   terminal 2: cargo run -p lesson01 --bin upper_client
//! Type a line at `>>:`; an empty line (or end of input) ends the client.

use std::io::{Read, Write};
use support::{ask_line, connect, show, Cli, OrExit};

const HELP: &str = "
upper_client: 在 >>: 后输入消息, 打印服务器的回复; 空行结束。
upper_client: type lines at >>:, print each reply; an empty line ends.

用法 usage: upper_client [--host H] [--port P] [--timeout SECS]
  默认 default 127.0.0.1:8000
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8000);
    let timeout = cli.timeout(30.0);
    cli.done();

    // 1. 创建套接字, 连接服务端
    let mut stream = connect(&host, port, timeout);

    let mut buf = [0u8; 1024];
    loop {
        // 2. 读一行; 空行或输入结束就退出
        let msg = match ask_line(">>:") {
            Some(m) if !m.is_empty() => m,
            _ => break,
        };
        // 3. 发送, 再一次 read 最多 1024 字节
        stream.write_all(msg.as_bytes()).or_exit("发送消息");
        let n = stream.read(&mut buf).or_exit("接收回复");
        if n == 0 {
            support::fail("服务器已关闭连接");
        }
        println!("服务端发来的消息 {}", show(&buf[..n]));
    }
    // 4. 关闭套接字
}
