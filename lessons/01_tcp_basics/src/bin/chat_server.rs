//! 聊天服务器: redoes 003 「socket，可聊天应用」, the server (127.0.0.1:8888).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson01 --bin chat_server
//!   terminal 2: cargo run -p lesson01 --bin chat_client
//! The client speaks first; the server prints the line and answers with the line
//! its own user types at `>>>`. When the client leaves, the server waits for the next.
//!
//! Difference from the text: the text's inner loop breaks only on an exception, so
//! when a client closes normally `recv` returns b'' forever and the server spins,
//! printing empty lines. We treat an empty read as "the client left".

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use support::{announce, ask_line, bind_failed, fail, log_client_error, show, Cli, OrExit};

const HELP: &str = "
chat_server: 和一个客户端轮流说话; 客户端离开后等下一个。
chat_server: take turns talking with one client; wait for the next when it leaves.

用法 usage: chat_server [--host H] [--port P]
  默认 default 127.0.0.1:8888
";

/// 通信循环: 收一行, 打印, 读自己用户的回复, 发回。Ok(false) 表示我们的输入结束了。
fn chat(conn: &mut TcpStream) -> io::Result<bool> {
    let mut buf = [0u8; 1024];
    loop {
        let n = conn.read(&mut buf)?;
        if n == 0 {
            return Ok(true); // 对方离开
        }
        println!("....... {}", show(&buf[..n]));
        let Some(reply) = ask_line(">>>") else {
            return Ok(false);
        };
        conn.write_all(reply.as_bytes())?;
    }
}

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8888);
    cli.done();

    // 1. 创建套接字, 绑定, 监听
    let s =
        TcpListener::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    announce("tcp", s.local_addr().or_exit("读取监听地址"));

    // 2. 连接循环
    loop {
        let (mut conn, addr) = s.accept().or_exit("等待客户端连接");
        println!("{addr}");
        // 3. 通信循环; 出错只结束这个客户端
        match chat(&mut conn) {
            Ok(true) => println!("客户端 {addr} 已离开"),
            Ok(false) => fail("标准输入已结束, 服务器退出"),
            Err(e) => log_client_error(addr, &e),
        }
    }
}
