//! 线程池服务器 (原文之外): 003 「1.2.2服务器」 的对话, 由固定数量的线程服务,
//! 就像 Rust 书最后一章的线程池。
//!
//! 运行两端:
//!   终端 1: cargo run -p lesson03 --bin pool_server -- --threads 2
//!   终端 2, 3, 4: cargo run -p lesson03 --bin client
//! 只有 2 个线程时, 第三个客户端马上能连上, 但要等前两个中的一个离开才收到 `Welcome!`:
//! 线程池限制了线程数 (也就限制了内存), 多出来的客户端排队。`load` 量出差别 (见本课 README)。
//!
//! 对话 (`conversation`) 和 `server` 的 `tcplink` 说的字节一样, 但不是从 server.rs 读进来的:
//! 学生版里 server.rs 是练习, 这个工具不该跟着它一起坏。两份对话由同样的测试检查
//! (`pool_…` 测试用原文的字节)。
//!
//! English: the text's conversation on a fixed pool of threads (the Rust book's last
//! chapter); clients beyond the pool wait in line. The conversation speaks the same
//! bytes as `server`'s `tcplink` but is this tool's own, so the tool does not depend on
//! the student's exercise.

use lesson03::pool::ThreadPool;
use lesson03::{accepted, logged};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;
use support::{announce, bind_failed, fail, Cli, OrExit};

const HELP: &str = "
pool_server: 和 server 一样的对话, 但只用固定数量的线程。
pool_server: the same conversation as server, on a fixed number of threads.

用法 usage: pool_server [--host H] [--port P] [--threads N] [--pause SECS] [--backlog N]
  默认 default 127.0.0.1:9999, --threads 8, --pause 1, --backlog 128 (std 的 listen 队列)
";

/// 003 的对话: `Welcome!`, 然后每条消息回复 `Hello, <消息>!`, 直到 `exit` 或对方离开。
fn conversation(mut sock: TcpStream, addr: SocketAddr, pause: Duration) -> io::Result<()> {
    let worker = thread::current().name().unwrap_or("?").to_string();
    println!("[{worker}] Accept new connection from {addr}...");
    sock.write_all(b"Welcome!")?;
    let mut buf = [0u8; 1024];
    loop {
        let n = sock.read(&mut buf)?;
        thread::sleep(pause);
        if n == 0 || &buf[..n] == b"exit" {
            break;
        }
        let reply = format!("Hello, {}!", String::from_utf8_lossy(&buf[..n]));
        sock.write_all(reply.as_bytes())?;
    }
    drop(sock);
    println!("[{worker}] Connection from {addr} closed.");
    Ok(())
}

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(9999);
    let threads: usize = cli.parsed("--threads", 8);
    let pause = cli.seconds("--pause", 1.0);
    let backlog = cli.parsed("--backlog", lesson03::backlog::STD_BACKLOG);
    cli.done();
    if threads == 0 {
        fail("--threads 至少为 1");
    }

    // 1. 先开好固定数量的工作线程
    let pool = ThreadPool::new(threads).or_exit("创建线程池");

    // 2. 绑定并监听
    let s =
        TcpListener::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    lesson03::backlog::apply(&s, backlog); // 最多多少个连接排队等 accept
    announce("tcp", s.local_addr().or_exit("读取监听地址"));
    println!("线程池有 {threads} 个线程");

    // 3. 每个连接作为一个任务排队, 由空闲的工作线程接手
    loop {
        let Some((sock, addr)) = accepted(s.accept()) else {
            continue; // 已记一行日志; 描述符用完时稍停, 不空转
        };
        pool.execute(move || logged(addr, conversation(sock, addr, pause)));
    }
}
