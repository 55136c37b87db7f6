#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 多线程服务器的客户端: 重做 003 「1.2.2服务器」 的客户端 (127.0.0.1:9999)。
//!
//! 练习 (学生版): 原文的套接字调用换成了 `todo!("第 N 步: …")`。按顺序完成每一步;
//! 运行时会 panic, 显示第一个还没完成的步骤。用 `cargo grade lesson03` 检查自己的程序。
//!
//! 运行两端:
//!   终端 1: cargo run -p lesson03 --bin server
//!   终端 2: cargo run -p lesson03 --bin client
//! 打印欢迎语, 依次发送 `Michael`、`Tracy`、`Sarah` (或命令行给的名字), 打印每个回复,
//! 最后发送 `exit`。
//!
//! 和原文一样, 每个回复用一次最多 1024 字节的 read 读取。这只因为服务器回复之后才发下一个
//! 名字才安全: 第 4 课演示两条消息一起到达时流里会发生什么 (粘包)。
//!
//! 和原文不同之处: connect 和每次 read 最多等 `--timeout` 秒 (默认 30), 服务器没有反应时
//! 得到一行错误, 而不是永远卡住。
//!
//! English: redoes 003's client: print the welcome, send each name and print the
//! reply, then `exit`. Connect and reads have a timeout instead of waiting forever.

use std::io::{self, ErrorKind, Read, Write};
use std::net::TcpStream;
use support::{fail, resolve, Cli, OrExit};

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
    let given = cli.rest();
    let names: Vec<String> = if given.is_empty() {
        vec!["Michael".into(), "Tracy".into(), "Sarah".into()]
    } else {
        given
    };

    // 1. 建立连接 (connect), 最多等 timeout 秒。一个名字可能有几个地址
    //    (localhost 有 ::1 和 127.0.0.1), 逐个试, 直到连上一个
    let mut s: TcpStream = todo!("第 1 步: 对 resolve(&host, port) 的每个地址试 TcpStream::connect_timeout(&addr, timeout), 都失败时 or_exit(\"连接 ...\"), 见原文「1.2.2服务器」客户端的 s.connect; 注意: 连上以后用 set_read_timeout 设好读超时 (timeout 秒), 否则服务器不说话时永远等");

    // 2. 接收欢迎消息 (recv(1024): 一次 read, 最多 1024 字节)
    let mut buf = [0u8; 1024];
    todo!("第 2 步: s.read(&mut buf) 一次, 读到 0 字节就 fail, 再 println! 出 String::from_utf8_lossy(&buf[..n]), 见原文「1.2.2服务器」客户端的 recv(1024).decode('utf-8'); 注意: 只打印前 n 个字节");

    // 3. 逐个发送名字, 每次等一个回复。原文用 send: send 可能只发出一部分,
    //    write_all 会把整条消息发完
    for name in &names {
        todo!("第 3 步: s.write_all(name.as_bytes()), 然后 read 一次回复并打印 (同第 2 步), 见原文「1.2.2服务器」客户端的 for 循环; 注意: 每发一个名字就等它的回复, 不要一口气全发完");
    }

    // 4. 告诉服务器结束, 然后关闭套接字 (s 在 main 结束时被 drop, 就是 close)
    todo!("第 4 步: s.write_all(b\"exit\") 告诉服务器结束, 见原文「1.2.2服务器」客户端的 s.send(b'exit'); 注意: 之后 s 在 main 结束时被 drop, 连接就关闭了");
}
