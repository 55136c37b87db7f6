#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! UDP 发送数据: 重做 000 「UDP 协议代码实现方式」 (发送数据, 接收数据) 和 002
//! 「UDP网络程序-发送数据」。
//! 练习 (学生版): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个没做完的步骤。
//! 练习 (学生版): 检查: `cargo grade udp_send`; 分层提示: `cargo grade hint udp_send`。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo grade peer udp_send   (现成的假接收方, 在 127.0.0.1:8080 收数据并回复)
//!   终端 2: cargo run -p lesson02 --bin udp_send -- --reply
//! 问一句 `请输入要发送的数据:` (000 的提示; 002 写的是 `发送的数据:`), 把回答作为一个数据报
//! 发到 127.0.0.1:8080。加 `--reply` 时再等一个回复, 打印它和发送方的 (ip, port), 就是 000
//! 「接收数据」 那一版。`udp_server -- --port 8080` 也可以当接收方 (它回复 `hi`)。
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

    // 1. 准备接收方的地址 (原文的第 2 步: Rust 要先知道它, 才能选下一步绑定的本机地址)
    let dest_addr = support::resolve(&host, port)[0];

    // 2. 创建 UDP 套接字。Rust 创建时就要绑定本机地址: 端口 0 让系统挑 (Python 第一次
    //    sendto 时自动做); 发往本机时只绑 127.0.0.1, 不会弹防火墙对话框 (见 lesson02::local_for)
    let udp_socket: UdpSocket = todo!("第 2 步: 用 UdpSocket::bind 创建套接字, 绑定 lesson02::local_for 为接收方选的本机地址; 见原文「UDP 协议代码实现方式」");

    // 3. 从键盘获取数据 (input); 给了 --message 就不问
    let send_data: String = todo!("第 3 步: 没有 --message 时用 ask 向用户要数据 (原文 input 的提示语); 见原文「UDP 协议代码实现方式」");

    // 4. 编码成 UTF-8 字节 (encode('utf-8') 就是 as_bytes), 发到指定电脑上的指定程序 (sendto)
    todo!("第 4 步: 用 send_to 把 send_data 的 UTF-8 字节发到 dest_addr, 出错时 or_exit; 见原文「UDP 协议代码实现方式」");

    if wait_reply {
        // 5. 等待对方的数据 (recvfrom(1024)), 最多等 timeout 秒 (原文一直等)
        udp_socket
            .set_read_timeout(Some(timeout))
            .or_exit("设置超时");
        // 64 KiB 而不是 1024: Windows 上数据报比缓冲区大时 recv_from 报错 (WSAEMSGSIZE), 不截断
        let mut buf = vec![0u8; 65_536];
        let (n, from): (usize, std::net::SocketAddr) = todo!("第 5 步: 用 recv_from 等对方的回复, 得到字节数和对方的地址; 等不到时用 fail 报出 lesson02::no_answer 的那一行; 见原文「UDP 协议代码实现方式」的接收数据");
        let n = n.min(1024); // 原文的 1024: 只用前 1024 字节

        // 6. 显示数据和对方的 (ip, port)。from_utf8_lossy 相当于 decode('utf-8', errors='replace'):
        //    坏字节变成 � (原文的 decode('utf-8') 会抛异常)
        let recv_msg: std::borrow::Cow<str> = todo!("第 6 步: 用 String::from_utf8_lossy 解码收到的那 n 个字节; 见原文「UDP 协议代码实现方式」的接收数据");
        println!("{recv_msg}");
        println!("{}", lesson02::py_addr(from));
    }
    // 7. 关闭套接字 (close: udp_socket 离开作用域时自动关闭)
}
