#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! UDP 客户端: 重做 003 「1.3UDP编程」 的 1.3.2客户端 (发往 127.0.0.1:9999)。
//! 练习 (学生版): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个没做完的步骤。
//! 练习 (学生版): 检查: `cargo grade udp_hello_client`; 分层提示: `cargo grade hint udp_hello_client`。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo grade peer udp_hello_client   (现成的假服务器; 也可以用原文的 Python 服务器)
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
    let s: UdpSocket = todo!("第 1 步: 用 UdpSocket::bind 创建套接字, 绑定 lesson02::local_for 为服务器选的本机地址; 见原文「1.3UDP编程」的 1.3.2客户端");
    s.set_read_timeout(Some(timeout)).or_exit("设置超时"); // 原文一直等

    // 64 KiB 而不是 1024: Windows 上数据报比缓冲区大时 recv_from 报错 (WSAEMSGSIZE), 不截断
    let mut buf = vec![0u8; 65_536];
    for data in &names {
        // 2. 发送数据 (sendto)
        todo!("第 2 步: 用 send_to 把这个名字的字节发到 server_addr, 出错时 or_exit; 见原文「1.3UDP编程」");
        // 3. 接收数据 (recv(1024): 不关心是谁发来的)
        let n: usize = todo!("第 3 步: 用 recv 收一个回复 (原文不关心是谁发来的); 等不到时用 fail 报出 lesson02::no_answer 的那一行; 见原文「1.3UDP编程」");
        let n = n.min(1024); // 原文的 1024: 只用前 1024 字节

        // 4. 解码后打印: from_utf8_lossy 相当于 decode('utf-8', errors='replace'), 坏字节变成 �
        let back_msg: std::borrow::Cow<str> = todo!("第 4 步: 用 String::from_utf8_lossy 解码收到的那 n 个字节; 见原文「1.3UDP编程」");
        println!("{back_msg}");
    }
    // 5. 关闭套接字 (close: s 在 main 结束时关闭)
}
