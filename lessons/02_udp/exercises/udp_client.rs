#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! UDP 客户端: 重做 001 「基于UDP协议的socket」 的 client 端 (发往 127.0.0.1:9000)。
//!
//! 练习 (exercise): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个
//! 没做完的步骤, 并打印它的提示。做完后检查: `cargo grade lesson02` (或 `cargo test -p lesson02`)。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo run -p lesson02 --bin udp_server
//!   终端 2: cargo run -p lesson02 --bin udp_client
//! 发送 `hello` (或 `--message` 给的文字), 打印回复和回复者的地址, 和原文一样是
//! `hi ('127.0.0.1', 9000)`。
//!
//! 和原文的不同: 原文一直等回复; 我们最多等 `--timeout` 秒 (默认 5)。UDP 的发送方不会
//! 被告知 "没人在听": 数据报就这样没了, 超时是唯一能发现的办法。
//!
//! English: redoes 001's UDP client: send `hello`, print the answer and its sender; wait at
//! most `--timeout` seconds instead of forever.

use std::net::UdpSocket;
use support::{fail, Cli, OrExit};

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

    let ip_port = support::resolve(&host, port)[0];

    // 1. 创建 UDP 套接字。Rust 创建时就要绑定本机地址: 端口 0 让系统挑 (Python 第一次
    //    sendto 时自动做); 发往本机时只绑 127.0.0.1, 不会弹防火墙对话框 (见 lesson02::local_for)
    let udp_sk: UdpSocket = todo!("第 1 步: 用 UdpSocket::bind 创建套接字, 本机地址用 lesson02::local_for 按 ip_port 选出来, 失败时 or_exit 报一行中文错误, 见原文「基于UDP协议的socket」; 注意: Rust 创建 UDP 套接字时就要绑定本机地址, 端口 0 让系统挑");
    todo!("第 1 步: 用 set_read_timeout 给 udp_sk 设置读超时, 最多等 timeout, 失败时 or_exit 报错, 见原文「基于UDP协议的socket」; 注意: 原文没有超时, 服务器不回答时会永远等下去");

    // 2. 发送到服务器的 (ip, port) (sendto)
    todo!("第 2 步: 用 send_to 把 message 的字节发给 ip_port, 失败时 or_exit 报错, 见原文「基于UDP协议的socket」; 注意: as_bytes() 就是 Python 的 encode('utf-8')");

    // 3. 收回复 (recvfrom): 数据和发送方地址, 最多用 1024 字节
    //    (缓冲区装得下最大的数据报, 见 lesson02::MAX_DATAGRAM)
    let mut buf = vec![0u8; lesson02::MAX_DATAGRAM];
    let (n, addr): (usize, std::net::SocketAddr) = todo!("第 3 步: 用 recv_from 把回复收进 buf, 得到字节数和发送方地址; 失败时用 fail 和 lesson02::no_answer 报一行中文错误, 见原文「基于UDP协议的socket」; 注意: 没有回复时要报错退出, 不能 unwrap 出 panic");
    let n = n.min(lesson02::BUFSIZE);
    // 4. 解码并打印: from_utf8_lossy 是 Rust 版的 .decode('utf-8'), 从不出错, 坏字节变成 U+FFFD
    let back_msg: std::borrow::Cow<str> = todo!("第 4 步: 用 String::from_utf8_lossy 解码收到的字节 (原文 back_msg.decode('utf-8')), 见原文「基于UDP协议的socket」; 注意: 只解码收到的 n 个字节");
    println!("{back_msg} {}", lesson02::py_addr(addr));
}
