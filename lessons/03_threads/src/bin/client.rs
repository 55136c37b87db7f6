//! 多线程服务器的客户端: redoes 003 「1.2.2服务器」's client (127.0.0.1:9999).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson03 --bin server
//!   terminal 2: cargo run -p lesson03 --bin client
//! Prints the welcome, sends `Michael`, `Tracy`, `Sarah` (or the names given as
//! arguments), prints each reply, and says `exit`.
//!
//! Like the text, each reply is read with one read of at most 1024 bytes. That is
//! only safe because the server answers before the next name is sent: lesson04
//! shows what happens to a stream when two messages do arrive together (粘包).

use std::io::{Read, Write};
use support::{connect, fail, show, Cli, OrExit};

const HELP: &str = "
client: 打印欢迎语, 依次发送名字并打印回复, 最后发送 exit。
client: print the welcome, send each name and print the reply, then send exit.

用法 usage: client [--host H] [--port P] [--timeout SECS] [NAME ...]
  默认 default 127.0.0.1:9999, 名字 names: Michael Tracy Sarah
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(9999);
    let timeout = cli.timeout(30.0);
    let mut names = cli.rest();
    if names.is_empty() {
        names = vec!["Michael".into(), "Tracy".into(), "Sarah".into()];
    }

    // 1. 建立连接
    let mut s = connect(&host, port, timeout);

    // 2. 接收欢迎消息 (一次 read, 最多 1024 字节)
    let mut buf = [0u8; 1024];
    let n = s.read(&mut buf).or_exit("接收欢迎消息");
    if n == 0 {
        fail("服务器没有发欢迎消息就关闭了连接");
    }
    println!("{}", show(&buf[..n]));

    // 3. 逐个发送名字, 每次等一个回复
    for name in &names {
        s.write_all(name.as_bytes()).or_exit("发送数据");
        let n = s.read(&mut buf).or_exit("接收回复");
        if n == 0 {
            fail("服务器关闭了连接");
        }
        println!("{}", show(&buf[..n]));
    }

    // 4. 告诉服务器结束, 关闭套接字
    s.write_all(b"exit").or_exit("发送 exit");
}
