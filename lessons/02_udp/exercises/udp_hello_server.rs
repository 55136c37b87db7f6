#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! UDP 多线程服务器: 重做 003 「1.3UDP编程」 的 1.3.1服务器 (127.0.0.1:9999)。
//!
//! 练习 (exercise): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个
//! 没做完的步骤, 并打印它的提示。做完后检查: `cargo grade lesson02` (或 `cargo test -p lesson02`)。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo run -p lesson02 --bin udp_hello_server
//!   终端 2: cargo run -p lesson02 --bin udp_hello_client
//! 每收到一个数据报就开一个线程, 回复 `Hello, <数据>!`。所有线程都用同一个套接字发送:
//! `send_to` 只需要 `&self`, 所以用 `Arc` 共享就够了。
//!
//! 和原文的不同: 一个数据报开一个线程是照原文做的; 真正的程序不会这样浪费, 回复可以直接在
//! 循环里发, 耗时的工作交给线程池。
//!
//! English: redoes 003's UDP server: every datagram is answered `Hello, <data>!` from a
//! thread of its own, all sending through the one shared socket (`Arc<UdpSocket>`).

use std::net::UdpSocket;
use std::sync::Arc;
use std::thread;
use support::{announce, bind_failed, log_client_error, Cli, OrExit};

const HELP: &str = "
udp_hello_server: 对每个数据报开一个线程, 回复 Hello, <数据>!
udp_hello_server: answer every datagram with `Hello, <data>!` from a thread of its own.

用法 usage: udp_hello_server [--host H] [--port P]   默认 default 127.0.0.1:9999
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(9999);
    cli.done();

    // 1. 创建 UDP 套接字并绑定端口 (bind); 不需要 listen
    let s: UdpSocket = todo!("第 1 步: 用 UdpSocket::bind 绑定 host 和 port, 失败时交给 bind_failed 报错退出, 见原文「1.3UDP编程」1.3.1服务器; 注意: 不需要 listen");
    announce("udp", s.local_addr().or_exit("读取本地地址"));
    println!(
        "Bind UDP on {}...",
        s.local_addr().or_exit("读取本地地址").port()
    );
    let s = Arc::new(s);

    // 收数据报的缓冲区: 装得下最大的数据报, 收到后自己截到原文的 1024 字节。Windows 上
    // 数据报比缓冲区长时 recv_from 报错而不是截断 (见 lesson02::MAX_DATAGRAM)
    let mut buf = vec![0u8; lesson02::MAX_DATAGRAM];
    loop {
        // 2. recv_from 返回数据和客户端的地址 (最多用 1024 字节)
        let received: std::io::Result<(usize, std::net::SocketAddr)> = todo!("第 2 步: 调用 s 的 recv_from, 把一个数据报收进 buf, 得到字节数和发送方的地址, 见原文「1.3UDP编程」; 注意: 返回的 n 是收到的字节数, 只有 buf[..n] 是数据");
        let (n, addr) = match received {
            Ok((n, addr)) => (n.min(lesson02::BUFSIZE), addr),
            Err(e) => {
                eprintln!("{}", lesson02::server_recv_failed(&e));
                continue;
            }
        };
        let data = buf[..n].to_vec();
        let s = Arc::clone(&s);
        // 3. 每个数据报一个线程 (threading.Thread): 打印来源, 用 send_to 回复
        let reply_in_thread = move || {
            println!("Received from {}:{}.", addr.ip(), addr.port());
            let mut reply = b"Hello, ".to_vec();
            reply.extend_from_slice(&data); // 原样放回字节, 和原文的 b'Hello, %s!' 一样
            reply.push(b'!');
            let sent: std::io::Result<usize> = todo!("第 3 步: 在线程里用 send_to 把 reply 发给 addr, 见原文「1.3UDP编程」; 注意: 回给 recv_from 得到的 addr");
            if let Err(e) = sent {
                log_client_error(addr, &e);
            }
        };
        let spawned: std::io::Result<thread::JoinHandle<()>> = todo!("第 3 步: 用 thread::Builder 的 spawn 为这个数据报开一个线程, 运行上面的 reply_in_thread (原文 threading.Thread(..).start()), 见原文「1.3UDP编程」; 注意: 线程要 move 进 data 和 Arc 的一份 s");
        if let Err(e) = spawned {
            log_client_error(addr, &e);
        }
    }
}
