#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! UDP 客户端: 重做 001 「基于UDP协议的socket」 的 client 端 (发往 127.0.0.1:9000)。
//! 练习 (学生版): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个没做完的步骤。
//! 练习 (学生版): 检查: `cargo grade udp_client`; 分层提示: `cargo grade hint udp_client`。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo grade peer udp_client   (现成的假服务器; 也可以用原文的 Python 服务器)
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

    // 1. 服务器的地址 (ip_port)
    let ip_port = support::resolve(&host, port)[0];

    // 2. 创建 UDP 套接字。Rust 创建时就要绑定本机地址: 端口 0 让系统挑 (Python 第一次
    //    sendto 时自动做); 发往本机时只绑 127.0.0.1, 不会弹防火墙对话框 (见 lesson02::local_for)
    let udp_sk: UdpSocket = todo!("第 2 步: 用 UdpSocket::bind 创建套接字, 绑定 lesson02::local_for 为服务器选的本机地址; 见原文「基于UDP协议的socket」的 client 端");
    udp_sk.set_read_timeout(Some(timeout)).or_exit("设置超时"); // 原文一直等

    // 3. 把 hello 发给服务器 (sendto)
    todo!("第 3 步: 用 send_to 把 message 的字节发到服务器的地址 ip_port, 出错时 or_exit; 见原文「基于UDP协议的socket」");

    // 4. 收回复和回复者的地址 (recvfrom(1024))
    // 64 KiB 而不是 1024: Windows 上数据报比缓冲区大时 recv_from 报错 (WSAEMSGSIZE), 不截断
    let mut buf = vec![0u8; 65_536];
    let (n, addr): (usize, std::net::SocketAddr) = todo!("第 4 步: 用 recv_from 收回复, 得到字节数和回复者的地址; 等不到时用 fail 报出 lesson02::no_answer 的那一行; 见原文「基于UDP协议的socket」");
    let n = n.min(1024); // 原文的 1024: 只用前 1024 字节

    // 5. 解码并打印回复和地址: from_utf8_lossy 相当于 decode('utf-8', errors='replace'),
    //    坏字节变成 � (原文的 decode('utf-8') 遇到坏字节会抛异常)
    let back_msg: std::borrow::Cow<str> = todo!("第 5 步: 用 String::from_utf8_lossy 解码收到的那 n 个字节; 见原文「基于UDP协议的socket」");
    println!("{back_msg} {}", lesson02::py_addr(addr));
}
