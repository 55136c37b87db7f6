#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! UDP 服务器: 重做 001 「基于UDP协议的socket」 的 server 端 (127.0.0.1:9000)。
//!
//! 练习 (exercise): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个
//! 没做完的步骤, 并打印它的提示。做完后检查: `cargo grade lesson02` (或 `cargo test -p lesson02`)。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo run -p lesson02 --bin udp_server
//!   终端 2: cargo run -p lesson02 --bin udp_client
//! 收一个数据报, 打印它, 回复 `hi`, 然后退出, 和原文一样; 加 `--forever` 就一直回复下去。
//!
//! 没有 listen, 也没有 accept: UDP 没有连接。谁往绑定的端口发数据报, 谁的数据报就被收到,
//! `recv_from` 告诉我们是谁发的。
//!
//! 和原文的不同: 原文打印 `bytes` 对象 (`b'hello'`), 我们打印字节数、发送方和解码后的文字;
//! `--forever` 是我们加的, 方便反复试。
//!
//! English: redoes 001's UDP server: receive one datagram, print it, answer `hi`, exit
//! (`--forever` keeps answering). No listen, no accept: UDP has no connection.

use std::net::UdpSocket;
use support::{announce, bind_failed, log_client_error, Cli, OrExit};

const HELP: &str = "
udp_server: 收一个数据报, 打印, 回复 hi。
udp_server: receive one datagram, print it, answer `hi`.

用法 usage: udp_server [--host H] [--port P] [--forever]
  默认 default 127.0.0.1:9000; --forever 一直服务 keep serving
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(9000);
    let forever = cli.switch("--forever");
    cli.done();

    // 1. 创建 UDP 套接字并绑定 (不需要 listen)
    let udp_sk: UdpSocket = todo!("第 1 步: 用 UdpSocket::bind 绑定 host 和 port, 失败时交给 bind_failed 报错退出, 见原文「基于UDP协议的socket」; 注意: UDP 只要 bind, 没有 listen 和 accept");
    announce("udp", udp_sk.local_addr().or_exit("读取本地地址"));

    // 收数据报的缓冲区: 装得下最大的数据报, 收到后自己截到原文的 1024 字节。Windows 上
    // 数据报比缓冲区长时 recv_from 报错而不是截断 (见 lesson02::MAX_DATAGRAM)
    let mut buf = vec![0u8; lesson02::MAX_DATAGRAM];
    loop {
        // 2. 收 (recvfrom): 最多用 1024 字节, 同时得到对方的地址
        let received: std::io::Result<(usize, std::net::SocketAddr)> = todo!("第 2 步: 调用 udp_sk 的 recv_from, 把一个数据报收进 buf, 得到字节数和发送方的地址, 见原文「基于UDP协议的socket」; 注意: 返回的 n 是收到的字节数, 只有 buf[..n] 是数据");
        let (n, addr) = match received {
            Ok((n, addr)) => (n.min(lesson02::BUFSIZE), addr),
            Err(e) => {
                eprintln!("{}", lesson02::server_recv_failed(&e));
                continue;
            }
        };
        // from_utf8_lossy 是 Rust 版的 .decode('utf-8'): 从不出错, 坏字节显示成 U+FFFD
        let msg: std::borrow::Cow<str> = todo!("第 2 步: 用 String::from_utf8_lossy 把收到的字节解码成文字 (原文 print(msg)), 见原文「基于UDP协议的socket」; 注意: 只解码收到的 n 个字节, 不是整个 buf");
        println!("收到 {n} 字节, 来自 {addr}: {msg}");

        // 3. 回复 hi 给这个地址 (sendto)
        let sent: std::io::Result<usize> = todo!("第 3 步: 用 send_to 把 hi 的字节回复给发送方, 见原文「基于UDP协议的socket」; 注意: 要发回 recv_from 得到的地址 addr, 不是固定的地址");
        if let Err(e) = sent {
            log_client_error(addr, &e);
        }
        if !forever {
            break; // 4. 原文只服务一次, 然后关闭套接字
        }
    }
}
