#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! UDP 发送数据: 重做 000 「UDP 协议代码实现方式」 (发送数据, 接收数据) 和 002
//!
//! 练习 (exercise): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个
//! 没做完的步骤, 并打印它的提示。做完后检查: `cargo grade lesson02` (或 `cargo test -p lesson02`)。
//! 「UDP网络程序-发送数据」。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo run -p lesson02 --bin udp_server -- --port 8080
//!   终端 2: cargo run -p lesson02 --bin udp_send -- --reply
//! 问一句 `请输入要发送的数据:` (000 的提示; 002 写的是 `发送的数据:`), 把回答作为一个数据报
//! 发到 127.0.0.1:8080。终端 1 的 `udp_server` 打印收到的文字并回复 `hi`; 加 `--reply` 时
//! 我们等这一个回复, 打印它和发送方的 (ip, port), 就是 000 「接收数据」 那一版。
//!
//! 和原文的不同:
//! * 原文发到局域网地址 (192.168.x.x); 我们默认发到本机, `--host` 可以改。
//! * 原文一直等回复; 我们最多等 `--timeout` 秒 (默认 5), 然后说清楚。
//! * 002 把 `str` 直接交给 `sendto`, Python 3 会拒绝; 我们发 UTF-8 字节, 和 000 一样。
//!
//! English: redoes 000's send / receive programs and 002's: ask for a message, send it as
//! one datagram; with `--reply`, wait (bounded) for one answer and print it and its sender.

use std::net::UdpSocket;
use support::{ask, fail, Cli, OrExit};

const HELP: &str = "
udp_send: 发送一个 UDP 数据报; 加 --reply 时再等一个回复并打印。
udp_send: send one UDP datagram; with --reply, wait for one answer and print it.

用法 usage: udp_send [--host H] [--port P] [--message TEXT] [--reply] [--timeout SECS]
  默认 default 127.0.0.1:8080; 没有 --message 时提问 asks when --message is missing
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8080);
    let message = cli.value("--message");
    let wait_reply = cli.switch("--reply");
    let timeout = cli.timeout(5.0);
    cli.done();

    // 2. 准备接收方的地址 (Rust 要先知道它, 才能选第 1 步绑定的本机地址)
    let dest_addr = support::resolve(&host, port)[0];

    // 1. 创建 UDP 套接字。Rust 创建时就要绑定本机地址: 端口 0 让系统挑 (Python 第一次
    //    sendto 时自动做); 发往本机时只绑 127.0.0.1, 不会弹防火墙对话框 (见 lesson02::local_for)
    let udp_socket: UdpSocket = todo!("第 1 步: 用 UdpSocket::bind 创建套接字, 本机地址用 lesson02::local_for 按 dest_addr 选出来, 失败时 or_exit 报一行中文错误, 见原文「UDP 协议代码实现方式」; 注意: Rust 创建 UDP 套接字时就要绑定本机地址, 端口 0 让系统挑");

    // 3. 从键盘获取数据
    let send_data = message.unwrap_or_else(|| ask("请输入要发送的数据:"));

    // 4. 发送数据到指定电脑上的指定程序 (sendto; .encode('utf-8') 在 Rust 里就是 as_bytes)
    todo!("第 4 步: 用 send_to 把 send_data 的字节发给 dest_addr, 失败时 or_exit 报错, 见原文「UDP 协议代码实现方式」; 注意: 一次 send_to 就是一个完整的数据报");

    if wait_reply {
        // 5. 等待对方的数据 (recvfrom), 最多 1024 字节, 最多等 timeout
        todo!("第 5 步: 用 set_read_timeout 给 udp_socket 设置读超时, 最多等 timeout, 失败时 or_exit 报错, 见原文「UDP 协议代码实现方式」; 注意: 原文没有超时, 服务器不回答时会永远等下去");
        //    (缓冲区装得下最大的数据报, 收到后自己截到 1024, 见 lesson02::MAX_DATAGRAM)
        let mut buf = vec![0u8; lesson02::MAX_DATAGRAM];
        let (n, from): (usize, std::net::SocketAddr) = todo!("第 5 步: 用 recv_from 等对方的数据, 收进 buf; 失败时用 fail 和 lesson02::no_answer 报一行中文错误, 见原文「UDP 协议代码实现方式」的接收数据; 注意: 先 set_read_timeout, 否则没人回复时会永远等");
        let n = n.min(lesson02::BUFSIZE);
        // 6. 显示数据 (解码) 和对方的 (ip, port)。from_utf8_lossy 是 Rust 版的
        //    .decode('utf-8'): 从不出错, 坏字节显示成 U+FFFD
        let recv_data: std::borrow::Cow<str> = todo!("第 6 步: 用 String::from_utf8_lossy 解码收到的字节 (原文 recv_data[0].decode('utf-8')), 见原文「UDP 协议代码实现方式」; 注意: 只解码收到的 n 个字节");
        println!("{recv_data}");
        println!("{}", lesson02::py_addr(from));
    }
    // 7. 关闭套接字 (离开作用域时自动关闭)
}
