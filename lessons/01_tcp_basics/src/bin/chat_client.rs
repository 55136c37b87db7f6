//! 聊天客户端: redoes 003 「socket，可聊天应用」, the client (127.0.0.1:8888).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson01 --bin chat_server
//!   terminal 2: cargo run -p lesson01 --bin chat_client
//! Type at `>>>`; `exit` (or end of input) quits.
//!
//! Difference from the text: an empty line is skipped. The text would send zero
//! bytes, which the server never sees, and then both sides wait for each other.

use std::io::{Read, Write};
use support::{ask_line, connect, fail, show, Cli, OrExit};

const HELP: &str = "
chat_client: 在 >>> 后输入消息, 打印服务器用户的回复; exit 退出。
chat_client: type at >>>, print the server user's reply; `exit` quits.

用法 usage: chat_client [--host H] [--port P] [--timeout SECS]
  默认 default 127.0.0.1:8888; --timeout 默认 600 秒 (对方要打字)
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8888);
    // The other side is a person typing: wait long, but not forever.
    let timeout = cli.timeout(600.0);
    cli.done();

    // 1. 创建套接字并连接
    let mut s = connect(&host, port, timeout);

    let mut buf = [0u8; 1024];
    loop {
        // 2. 读一行; exit 或输入结束就退出, 空行跳过
        let inp = match ask_line(">>>") {
            None => break,
            Some(line) if line == "exit" => break,
            Some(line) if line.is_empty() => continue,
            Some(line) => line,
        };
        // 3. 发送, 再等对方的回复
        s.write_all(inp.as_bytes()).or_exit("发送消息");
        let n = s.read(&mut buf).or_exit("接收回复");
        if n == 0 {
            fail("服务器已关闭连接");
        }
        println!("{}", show(&buf[..n]));
    }
    // 4. 关闭套接字
}
