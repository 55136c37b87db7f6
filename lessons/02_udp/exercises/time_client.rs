#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 时间客户端: 向 001 「时间服务器」 要时间 (原文没有给客户端, 这是我们补的)。
//! 练习 (学生版): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个没做完的步骤。
//! 练习 (学生版): 检查: `cargo grade time_client`; 分层提示: `cargo grade hint time_client`。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo grade peer time_client   (现成的假时间服务器; 也可以用原文的 Python 服务器)
//!   终端 2: cargo run -p lesson02 --bin time_client               (默认格式)
//!           cargo run -p lesson02 --bin time_client -- '%A %j'
//! 把格式发过去 (没给格式就发一个空数据报), 打印回复。回复最多等 `--timeout` 秒 (默认 5)。
//!
//! English: asks 001's time server for the time: send the format (an empty datagram when
//! none is given), print the answer.

use std::net::UdpSocket;
use support::{fail, Cli, OrExit};

const HELP: &str = "
time_client: 把时间格式发给时间服务器 (不给就发空数据报), 打印回复。
time_client: send a time format (an empty datagram when none), print the answer.

用法 usage: time_client [--host H] [--port P] [--timeout SECS] [FORMAT]
  默认 default 127.0.0.1:9000
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(9000);
    let timeout = cli.timeout(5.0);
    let format = cli.rest().join(" ");

    let server_addr = support::resolve(&host, port)[0];

    // 1. 创建 UDP 套接字。Rust 创建时就要绑定本机地址: 端口 0 让系统挑 (Python 第一次
    //    sendto 时自动做); 发往本机时只绑 127.0.0.1, 不会弹防火墙对话框 (见 lesson02::local_for)
    let sock: UdpSocket = todo!("第 1 步: 用 UdpSocket::bind 创建套接字, 绑定 lesson02::local_for 为服务器选的本机地址; 见原文「时间服务器」");
    sock.set_read_timeout(Some(timeout)).or_exit("设置超时");

    // 2. 把格式编码后发给服务器 (sendto); 没给格式就是一个空数据报
    todo!("第 2 步: 用 send_to 把 format 的字节 (可以是空的) 发到 server_addr, 出错时 or_exit; 见原文「时间服务器」");

    // 3. 等回复 (recv(1024))
    // 64 KiB 而不是 1024: Windows 上数据报比缓冲区大时 recv_from 报错 (WSAEMSGSIZE), 不截断
    let mut buf = vec![0u8; 65_536];
    let n: usize = todo!("第 3 步: 用 recv 收回复; 等不到时用 fail 报出 lesson02::no_answer 的那一行; 见原文「时间服务器」");
    let n = n.min(1024); // 和服务器一样只用前 1024 字节

    // 4. 解码后打印: from_utf8_lossy 相当于 decode('utf-8', errors='replace'), 坏字节变成 �
    let back_msg: std::borrow::Cow<str> = todo!("第 4 步: 用 String::from_utf8_lossy 解码收到的那 n 个字节; 见原文「时间服务器」");
    println!("{back_msg}");
}
