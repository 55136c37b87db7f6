//! TCP 客户端: redoes 000 「客户端」 and 001's client.
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson01 --bin tcp_server
//!   terminal 2: cargo run -p lesson01 --bin tcp_client
//! With no flags it asks for the ip, the port and the message like the text does;
//! `--host`, `--port`, `--message` answer in advance (handy in scripts and tests).
//!
//! Differences from the text: the text encodes with gbk and decodes with utf-8 (a
//! mismatch for Chinese on a Windows console); we use UTF-8 both ways. The connect
//! and the read have a timeout (`--timeout`), so a dead server is an error, not a hang.

use std::io::{Read, Write};
use support::{ask, connect, parse_port, show, Cli, OrExit};

const HELP: &str = "
tcp_client: 连接服务器, 发送一条消息, 打印回复。
tcp_client: connect, send one message, print the reply.

用法 usage: tcp_client [--host H] [--port P] [--message TEXT] [--timeout SECS]
  缺少的值会像原文一样提问 (请输入服务器ip: ...)。
  Missing values are asked for on stdin, like the text does.
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.value("--host");
    let port = cli.port_opt();
    let message = cli.value("--message");
    let timeout = cli.timeout(30.0);
    cli.done();

    // 1. 目的信息: 没给参数时像原文一样提问
    let host = host.unwrap_or_else(|| ask("请输入服务器ip:"));
    let port = port.unwrap_or_else(|| parse_port(&ask("请输入服务器port:")));

    // 2. 创建套接字并连接服务器 (socket + connect)
    let mut stream = connect(&host, port, timeout);

    // 3. 提示用户输入数据, 然后发送
    let message = message.unwrap_or_else(|| ask("请输入要发送的数据："));
    stream.write_all(message.as_bytes()).or_exit("发送数据");

    // 4. 接收回复: 一次 read, 最多 1024 字节
    let mut buf = [0u8; 1024];
    let n = stream.read(&mut buf).or_exit("接收回复");
    println!("接收到的数据为: {}", show(&buf[..n]));

    // 5. 关闭套接字: stream 在这里离开作用域
}
