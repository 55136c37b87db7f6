//! QQ 聊天服务器: redoes 001 「qq聊天」's server (UDP, 127.0.0.1:8081).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson02 --bin qq_server
//!   terminal 2: cargo run -p lesson02 --bin qq_client
//! Prints each message with its sender (the text in bold on blue, as in the text,
//! when stdout is a terminal and NO_COLOR is unset) and sends back what its own
//! user types at `回复消息: `.
//!
//! Any number of clients can talk to it: with UDP every message carries its
//! sender's address, and the reply goes to exactly that address.

use std::net::UdpSocket;
use support::{announce, ask_line, bind_failed, log_client_error, show, Cli, OrExit};

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

    // 1. 创建 UDP 套接字, 绑定
    let udp_server_sock =
        UdpSocket::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    announce("udp", udp_server_sock.local_addr().or_exit("读取本地地址"));

    loop {
        // 2. 收一条消息和发送者的地址
        let mut buf = [0u8; 1024];
        let (n, addr) = match udp_server_sock.recv_from(&mut buf) {
            Ok(pair) => pair,
            Err(e) => {
                log_client_error("(recv_from)", &e);
                continue;
            }
        };
        println!("{}", lesson02::qq_line(addr, &show(&buf[..n])));

        // 3. 读自己的回复 (去掉两边空白), 发回给这个地址; 输入结束就退出
        let Some(back_msg) = ask_line("回复消息: ") else {
            println!();
            return;
        };
        if let Err(e) = udp_server_sock.send_to(back_msg.trim().as_bytes(), addr) {
            log_client_error(addr, &e);
        }
    }
}
