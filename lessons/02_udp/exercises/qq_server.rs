#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! QQ 聊天服务器: 重做 001 「qq聊天」 的 server 端 (UDP, 127.0.0.1:8081)。
//! 练习 (学生版): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个没做完的步骤。
//! 练习 (学生版): 检查: `cargo grade qq_server`; 分层提示: `cargo grade hint qq_server`。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo run -p lesson02 --bin qq_server
//!   终端 2: cargo grade peer qq_server   (现成的假客户端; 也可以用原文的 Python 客户端)
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

    // 1. 创建 UDP 套接字并绑定 ip_port (socket + bind)
    let udp_server_sock: UdpSocket = todo!("第 1 步: 用 UdpSocket::bind 绑定 host 和 port, 绑定失败交给 bind_failed; 见原文「qq聊天」的 server 端");
    announce("udp", udp_server_sock.local_addr().or_exit("读取本地地址"));
    let colour = lesson02::colour_wanted(); // 原文总是上色; 我们只在终端上 (见 colour_wanted)

    // 64 KiB 而不是 1024: Windows 上数据报比缓冲区大时 recv_from 报错 (WSAEMSGSIZE), 不截断
    let mut buf = vec![0u8; 65_536];
    loop {
        // 2. 收一条消息和发送者的地址 (recvfrom(1024))
        let received: std::io::Result<(usize, std::net::SocketAddr)> = todo!("第 2 步: 用 recv_from 收一条消息和发送者的地址; 见原文「qq聊天」");
        let Some((n, addr)) = lesson02::ok_or_log(received) else {
            continue; // 收失败: 记一行, 接着收 (原文在这里抛异常退出)
        };
        let n = n.min(1024); // 原文的 1024: 只用前 1024 字节

        // 3. 解码: from_utf8_lossy 相当于 decode('utf-8', errors='replace'), 坏字节变成 �
        //    (原文的 decode('utf-8') 遇到坏字节会抛异常, 服务器就退出了)
        let qq_msg: std::borrow::Cow<str> = todo!("第 3 步: 用 String::from_utf8_lossy 解码收到的那 n 个字节; 见原文「qq聊天」");

        // 4. 打印发送者和消息, 消息是蓝底粗体: \x1b[1;44m 开始上色, \x1b[0m 恢复 (原文的 \033)
        todo!("第 4 步: 用 println 打印原文的那一行: 发送者的 ip 和端口, 再是消息; colour 为真时消息用原文的蓝底粗体 (ANSI 1;44), 否则不加颜色; 见原文「qq聊天」");

        // 5. 读自己的回复 (input(..).strip()); 输入结束就退出
        let Some(back_msg) = ask_line("回复消息: ") else {
            println!();
            return;
        };
        let back_msg = back_msg.trim();

        // 6. 编码后发回给这个发送者 (sendto)
        let sent: std::io::Result<usize> = todo!("第 6 步: 用 send_to 把 back_msg 的字节发回给这条消息的发送者; 见原文「qq聊天」");
        if let Err(e) = sent {
            log_client_error(addr, &e);
        }
    }
}
