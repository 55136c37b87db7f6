//! 线程池服务器 (原文之外): 003 「1.2.2服务器」 的对话, 由固定数量的线程服务,
//! 就像 Rust 书最后一章的线程池。
//!
//! 运行两端:
//!   终端 1: cargo run -p lesson03 --bin pool_server -- --threads 2
//!   终端 2, 3, 4: cargo run -p lesson03 --bin client
//! 只有 2 个线程时, 第三个客户端马上能连上, 但要等前两个中的一个离开才收到 `Welcome!`:
//! 线程池限制了线程数 (也就限制了内存), 多出来的客户端排队。`load` 量出差别 (见本课 README)。
//!
//! 对话就是 `server.rs` 里的 `tcplink` (用 `#[path]` 把 server.rs 当模块读进来, 不抄第二份):
//! 两个程序只差在 "谁来运行它"。日志里的线程名是线程池的 `worker N`。
//!
//! English: the text's conversation on a fixed pool of threads (the Rust book's last
//! chapter); clients beyond the pool wait in line. The conversation is `server.rs`'s own
//! `tcplink`, read in as a module (`#[path]`), not a copy.

use lesson03::pool::ThreadPool;
use std::net::TcpListener;
use support::{accept_failed, announce, bind_failed, fail, log_client_error, Cli, OrExit};

const HELP: &str = "
pool_server: 和 server 一样的对话, 但只用固定数量的线程。
pool_server: the same conversation as server, on a fixed number of threads.

用法 usage: pool_server [--host H] [--port P] [--threads N] [--pause SECS] [--backlog N]
  默认 default 127.0.0.1:9999, --threads 8, --pause 1, --backlog 128 (std 的 listen 队列)
";

// 对话就是 server.rs 里原文的 `tcplink`, 不抄一份: 把 server.rs 当作一个模块读进来,
// 只换掉 "谁来运行它" (线程池代替每个客户端一个线程)。练习版里这里用的就是学生自己写的
// server.rs, 所以 server 做完之前 pool_server 也不能对话。
#[allow(dead_code)] // server.rs 自己的 main 和 HELP 在这里用不到
#[path = "server.rs"]
mod server;

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
    // 排队等 accept 的连接数: std 固定为 128, 突发的大量连接需要更多 (src/backlog.rs)
    lesson03::backlog::apply(&s, backlog);
    announce("tcp", s.local_addr().or_exit("读取监听地址"));
    println!("线程池有 {threads} 个线程");

    // 3. 每个连接作为一个任务排队, 由空闲的工作线程接手
    loop {
        match s.accept() {
            Ok((sock, addr)) => pool.execute(move || {
                if let Err(e) = server::tcplink(sock, addr, pause) {
                    log_client_error(addr, &e);
                }
            }),
            Err(e) => accept_failed(&e), // 描述符用完时稍停, 不空转
        }
    }
}
