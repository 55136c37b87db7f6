#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! QQ 聊天服务器: 重做 001 「qq聊天」 的 server 端 (UDP, 127.0.0.1:8081)。
//!
//! 练习 (exercise): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个
//! 没做完的步骤, 并打印它的提示。做完后检查: `cargo grade lesson02` (或 `cargo test -p lesson02`)。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo run -p lesson02 --bin qq_server
//!   终端 2: cargo run -p lesson02 --bin qq_client
//! 打印每条消息和它的发送者 (`来自[ip:port]的一条消息:`, 文字是原文的蓝底粗体), 然后在
//! `回复消息: ` 后读自己用户输入的一行, 发回给那个发送者。
//!
//! 可以有任意多个客户端和它聊: UDP 的每条消息都带着发送者的地址, 回复就发到那个地址。
//!
//! 和原文的不同: 颜色只在 stdout 是终端、且没有设置 `NO_COLOR` 时才加, 管道和日志里没有
//! 转义码; 输入结束 (Ctrl-D) 时退出, 而不是报错。
//!
//! English: redoes 001's qq chat server: print each message and its sender (coloured only on
//! a terminal), answer with the line typed at `回复消息: `.

use std::net::UdpSocket;
use support::{announce, ask_line, bind_failed, log_client_error, Cli, OrExit};

const HELP: &str = "
qq_server: 打印收到的消息和发送者, 回复自己输入的一行。
qq_server: print each message and its sender, answer with a line typed here.

用法 usage: qq_server [--host H] [--port P]   默认 default 127.0.0.1:8081
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8081);
    cli.done();

    // 1. 创建 UDP 套接字, 绑定 (bind)
    let udp_server_sock: UdpSocket = todo!("第 1 步: 用 UdpSocket::bind 绑定 host 和 port, 失败时交给 bind_failed 报错退出, 见原文「qq聊天」; 注意: UDP 不需要 listen");
    announce("udp", udp_server_sock.local_addr().or_exit("读取本地地址"));

    // 收数据报的缓冲区: 装得下最大的数据报, 收到后自己截到原文的 1024 字节。Windows 上
    // 数据报比缓冲区长时 recv_from 报错而不是截断 (见 lesson02::MAX_DATAGRAM)
    let mut buf = vec![0u8; lesson02::MAX_DATAGRAM];
    loop {
        // 2. 收一条消息和发送者的地址 (recvfrom), 最多用 1024 字节
        let received: std::io::Result<(usize, std::net::SocketAddr)> = todo!("第 2 步: 调用 udp_server_sock 的 recv_from, 把一个数据报收进 buf, 得到字节数和发送方的地址, 见原文「qq聊天」; 注意: 返回的 n 是收到的字节数, 只有 buf[..n] 是数据");
        let (n, addr) = match received {
            Ok((n, addr)) => (n.min(lesson02::BUFSIZE), addr),
            Err(e) => {
                eprintln!("{}", lesson02::server_recv_failed(&e));
                continue;
            }
        };
        // 3. 解码并打印。from_utf8_lossy 是 Rust 版的 .decode('utf-8'): 从不出错,
        //    坏字节显示成 U+FFFD (原文遇到坏字节会抛异常退出)
        let qq_msg: std::borrow::Cow<str> = todo!("第 3 步: 用 String::from_utf8_lossy 解码收到的字节 (原文 qq_msg.decode('utf-8')), 见原文「qq聊天」; 注意: 坏字节不能让服务器退出");
        println!("{}", lesson02::qq_line(addr, &qq_msg));

        // 4. 读自己的回复 (去掉两边空白), 编码后发回给这个地址 (sendto); 输入结束就退出
        let Some(back_msg) = ask_line("回复消息: ") else {
            println!();
            return;
        };
        let sent: std::io::Result<usize> = todo!("第 4 步: 用 send_to 把输入的回复 (去掉两边空白) 发回去, 见原文「qq聊天」; 注意: 回给这条消息的发送方 addr, 原文还去掉了两边空白");
        if let Err(e) = sent {
            log_client_error(addr, &e);
        }
    }
}
