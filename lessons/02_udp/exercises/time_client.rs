#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 时间客户端: 向 001 「时间服务器」 要时间 (原文没有给客户端, 这是我们补的)。
//!
//! 练习 (exercise): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个
//! 没做完的步骤, 并打印它的提示。做完后检查: `cargo grade lesson02` (或 `cargo test -p lesson02`)。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo run -p lesson02 --bin time_server
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
    let sock: UdpSocket = todo!("第 1 步: 用 UdpSocket::bind 创建套接字, 本机地址用 lesson02::local_for 按 server_addr 选出来, 失败时 or_exit 报一行中文错误, 见原文「时间服务器」; 注意: Rust 创建 UDP 套接字时就要绑定本机地址, 端口 0 让系统挑");
    todo!("第 1 步: 用 set_read_timeout 给 sock 设置读超时, 最多等 timeout, 失败时 or_exit 报错, 见原文「时间服务器」; 注意: 原文没有超时, 服务器不回答时会永远等下去");

    // 2. 把格式发给服务器 (sendto)
    todo!("第 2 步: 用 send_to 把 format 的字节发给服务器, 失败时 or_exit 报错, 见原文「时间服务器」; 注意: 没有格式时发一个空数据报, 服务器就用默认格式");

    // 3. 等回复 (recv), 解码后打印。from_utf8_lossy 是 Rust 版的 .decode('utf-8'):
    //    从不出错, 坏字节显示成 U+FFFD
    //    (缓冲区装得下最大的数据报, 收到后自己截到 1024, 见 lesson02::MAX_DATAGRAM)
    let mut buf = vec![0u8; lesson02::MAX_DATAGRAM];
    let n: usize = todo!("第 3 步: 用 recv 把回复收进 buf; 失败时用 fail 和 lesson02::no_answer 报一行中文错误, 见原文「时间服务器」; 注意: 没有回复时报错退出, 不要 panic");
    let n = n.min(lesson02::BUFSIZE);
    let text: std::borrow::Cow<str> = todo!("第 3 步: 用 String::from_utf8_lossy 解码回复, 见原文「时间服务器」; 注意: 只解码收到的 n 个字节");
    println!("{text}");
}
