#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! UDP 客户端: 重做 003 「1.3UDP编程」 的 1.3.2客户端 (发往 127.0.0.1:9999)。
//!
//! 练习 (exercise): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个
//! 没做完的步骤, 并打印它的提示。做完后检查: `cargo grade lesson02` (或 `cargo test -p lesson02`)。
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
use support::{fail, Cli, OrExit};

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
    let given = cli.rest();
    let names = if given.is_empty() {
        vec!["Michael".into(), "Tracy".into(), "Sarah".into()]
    } else {
        given
    };

    let server_addr = support::resolve(&host, port)[0];

    // 1. 创建 UDP 套接字。Rust 创建时就要绑定本机地址: 端口 0 让系统挑 (Python 第一次
    //    sendto 时自动做); 发往本机时只绑 127.0.0.1, 不会弹防火墙对话框 (见 lesson02::local_for)
    let s: UdpSocket = todo!("第 1 步: 用 UdpSocket::bind 创建套接字, 本机地址用 lesson02::local_for 按 server_addr 选出来, 失败时 or_exit 报一行中文错误, 见原文「1.3UDP编程」; 注意: Rust 创建 UDP 套接字时就要绑定本机地址, 端口 0 让系统挑");
    todo!("第 1 步: 用 set_read_timeout 给 s 设置读超时, 最多等 timeout, 失败时 or_exit 报错, 见原文「1.3UDP编程」; 注意: 原文没有超时, 服务器不回答时会永远等下去");

    // 收回复的缓冲区: 装得下最大的数据报, 收到后自己截到 1024 (见 lesson02::MAX_DATAGRAM)
    let mut buf = vec![0u8; lesson02::MAX_DATAGRAM];
    for data in &names {
        // 2. 发送数据 (sendto)
        todo!("第 2 步: 用 send_to 把这个名字的字节发给服务器, 失败时 or_exit 报错, 见原文「1.3UDP编程」1.3.2客户端; 注意: 每个名字一个数据报");
        // 3. 接收数据 (recv: 不关心是谁发来的), 解码后打印。from_utf8_lossy 是 Rust 版的
        //    .decode('utf-8'): 从不出错, 坏字节显示成 U+FFFD
        let n: usize = todo!("第 3 步: 用 recv 把一个回复收进 buf; 失败时用 fail 和 lesson02::no_answer 报一行中文错误, 见原文「1.3UDP编程」; 注意: 每发一个就收一个, 再发下一个");
        let n = n.min(lesson02::BUFSIZE);
        let text: std::borrow::Cow<str> = todo!("第 3 步: 用 String::from_utf8_lossy 解码收到的字节 (原文 .decode('utf-8')), 见原文「1.3UDP编程」; 注意: 只解码收到的 n 个字节");
        println!("{text}");
    }
}
