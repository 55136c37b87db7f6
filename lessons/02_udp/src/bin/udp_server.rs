//! UDP 服务器: redoes 001 「基于UDP协议的socket」's server (127.0.0.1:9000).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson02 --bin udp_server
//!   terminal 2: cargo run -p lesson02 --bin udp_client
//! Receives one datagram, prints it, answers `hi` and exits, like the text; with
//! `--forever` it keeps answering.
//!
//! There is no listen and no accept: UDP has no connection. Whoever sends a
//! datagram to the bound port gets it, and `recv_from` says who it was. A datagram
//! longer than the 1024-byte buffer is cut and the rest is lost (the text's
//! `recvfrom(1024)` does the same); the log says how much arrived.

use std::net::UdpSocket;
use support::{announce, bind_failed, log_client_error, show, Cli, OrExit};

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
    let udp_sk =
        UdpSocket::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    announce("udp", udp_sk.local_addr().or_exit("读取本地地址"));

    loop {
        // 2. 收: 最多 1024 字节, 同时得到对方的地址
        let mut buf = [0u8; 1024];
        let (n, addr) = match udp_sk.recv_from(&mut buf) {
            Ok(pair) => pair,
            Err(e) => {
                log_client_error("(recv_from)", &e);
                continue;
            }
        };
        println!("收到 {n} 字节, 来自 {addr}: {}", show(&buf[..n]));

        // 3. 回复 hi 给这个地址
        if let Err(e) = udp_sk.send_to(b"hi", addr) {
            log_client_error(addr, &e);
        }
        if !forever {
            break; // 4. 原文只服务一次, 然后关闭套接字
        }
    }
}
