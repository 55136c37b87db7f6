//! UDP 多线程服务器: 重做 003 「1.3UDP编程」 的 1.3.1服务器 (127.0.0.1:9999)。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo run -p lesson02 --bin udp_hello_server
//!   终端 2: cargo grade peer udp_hello_server   (现成的假客户端; 也可以用原文的 Python 客户端)
//! 每收到一个数据报就开一个线程, 回复 `Hello, <数据>!`。线程里运行的 `tcplink` 写在 `main`
//! 的上面 (原文在 bind 之后、接收循环之前定义它; Rust 的函数写在 `main` 外面), 步骤的编号
//! 按文件从上到下排。所有线程都用同一个套接字发送:
//! `send_to` 只需要 `&self`, 所以用 `Arc` 共享就够了。
//!
//! 和原文的不同: 系统开不出线程时, 只是那个数据报不回复, 服务器继续 (原文会抛异常退出)。
//! 一个数据报开一个线程是照原文做的; 真正的程序不会这样浪费: 回复可以直接在循环里发,
//! 耗时的工作交给线程池。
//!
//! English: redoes 003's UDP server: every datagram is answered `Hello, <data>!` from a
//! thread of its own (`tcplink`, above `main`: a Rust fn lives outside it), all sending through the one
//! shared socket (`Arc<UdpSocket>`).

use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::thread;
use support::{announce, bind_failed, log_client_error, Cli, OrExit};

const HELP: &str = "
udp_hello_server: 对每个数据报开一个线程, 回复 Hello, <数据>!
udp_hello_server: answer every datagram with `Hello, <data>!` from a thread of its own.

用法 usage: udp_hello_server [--host H] [--port P]   默认 default 127.0.0.1:9999
";

/// 原文的 `tcplink(data, addr)`: 在自己的线程里打印来源, 回复 `Hello, <data>!`。
fn tcplink(s: &UdpSocket, data: &[u8], addr: SocketAddr) {
    // 1. 打印是谁发来的
    println!("Received from {}:{}.", addr.ip(), addr.port());
    // 2. 回复 b'Hello, %s!' % data: 收到的字节原样放在中间 (不解码), 发回给 addr (sendto)
    let reply = [b"Hello, ".as_slice(), data, b"!"].concat();
    let sent = s.send_to(&reply, addr);
    if let Err(e) = sent {
        log_client_error(addr, &e);
    }
}

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(9999);
    cli.done();

    // 3. 创建 UDP 套接字并绑定端口 (socket + bind); 不需要 listen
    let s = UdpSocket::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    let bound = s.local_addr().or_exit("读取本地地址");
    announce("udp", bound);
    // 4. 原文的 print('Bind UDP on 9999...')
    println!("Bind UDP on {}...", bound.port());
    let s = Arc::new(s); // 所有线程共用这一个套接字

    // 64 KiB 而不是 1024: Windows 上数据报比缓冲区大时 recv_from 报错 (WSAEMSGSIZE), 不截断
    let mut buf = vec![0u8; 65_536];
    loop {
        // 5. 收数据和客户端的地址 (recvfrom(1024))
        let received = s.recv_from(&mut buf);
        let Some((n, addr)) = lesson02::ok_or_log(received) else {
            continue; // 收失败: 记一行, 接着收 (原文在这里抛异常退出)
        };
        let data = buf[..n.min(1024)].to_vec(); // 原文的 1024: 只用前 1024 字节

        // 6. 为这个数据报开一个线程运行 tcplink (threading.Thread(...).start()), 不等它结束。
        //    系统开不出线程时 thread::spawn 会 panic, or_skip_datagram 接住它, 只是这个数据报不回复了
        let s = Arc::clone(&s);
        lesson02::or_skip_datagram(addr, || thread::spawn(move || tcplink(&s, &data, addr)));
    }
}
