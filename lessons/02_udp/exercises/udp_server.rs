#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! UDP 服务器: 重做 001 「基于UDP协议的socket」 的 server 端 (127.0.0.1:9000)。
//! 练习 (学生版): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个没做完的步骤。
//! 练习 (学生版): 检查: `cargo grade udp_server`; 分层提示: `cargo grade hint udp_server`。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo run -p lesson02 --bin udp_server
//!   终端 2: cargo grade peer udp_server   (现成的假客户端; 也可以用原文的 Python 客户端)
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

    // 1. 创建 UDP 套接字并绑定 (socket + bind); 不需要 listen
    let udp_sk: UdpSocket = todo!("第 1 步: 用 UdpSocket::bind 绑定 host 和 port, 绑定失败交给 bind_failed; 见原文「基于UDP协议的socket」的 server 端");
    announce("udp", udp_sk.local_addr().or_exit("读取本地地址"));

    // 64 KiB 而不是 1024: Windows 上数据报比缓冲区大时 recv_from 报错 (WSAEMSGSIZE), 不截断
    let mut buf = vec![0u8; 65_536];
    loop {
        // 2. 收一个数据报和发送方的地址 (recvfrom(1024))
        let received: std::io::Result<(usize, std::net::SocketAddr)> = todo!("第 2 步: 用 recv_from 把一个数据报收进 buf, 得到字节数和发送方的地址; 见原文「基于UDP协议的socket」");
        let Some((n, addr)) = lesson02::ok_or_log(received) else {
            continue; // 收失败: 记一行, 接着收 (原文在这里抛异常退出)
        };
        let n = n.min(1024); // 原文的 1024: 只用前 1024 字节, 多出来的丢掉

        // 3. 解码并打印: from_utf8_lossy 相当于 decode('utf-8', errors='replace'), 坏字节变成 �
        //    (原文 print(msg) 打印 b'hello'; 我们打印字节数、发送方和文字)
        let msg: std::borrow::Cow<str> = todo!("第 3 步: 用 String::from_utf8_lossy 解码收到的那 n 个字节; 见原文「基于UDP协议的socket」");
        println!("收到 {n} 字节, 来自 {addr}: {msg}");

        // 4. 回复 hi 给这个发送方 (sendto)
        let sent: std::io::Result<usize> = todo!("第 4 步: 用 send_to 把 hi 发回给这个数据报的发送方; 见原文「基于UDP协议的socket」");
        if let Err(e) = sent {
            log_client_error(addr, &e);
        }
        if !forever {
            break; // 5. 原文只服务一次就关闭套接字 (close: udp_sk 在 main 结束时关闭)
        }
    }
}
