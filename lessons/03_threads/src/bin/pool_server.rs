//! 线程池服务器 (beyond the texts): 003 「1.2.2服务器」's conversation served by a
//! fixed number of threads, as in the last chapter of the Rust book.
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson03 --bin pool_server -- --threads 2
//!   terminals 2, 3, 4: cargo run -p lesson03 --bin client
//! With 2 threads, the third client connects at once but gets `Welcome!` only when
//! one of the first two has left: the pool bounds threads (and memory), and clients
//! beyond it queue. `load` measures the difference (see the lesson README).

use lesson03::pool::ThreadPool;
use std::net::TcpListener;
use support::{announce, bind_failed, fail, log_client_error, Cli, OrExit};

const HELP: &str = "
pool_server: 和 server 一样的对话, 但只用固定数量的线程。
pool_server: the same conversation as server, on a fixed number of threads.

用法 usage: pool_server [--host H] [--port P] [--threads N] [--pause SECS] [--backlog N]
  默认 default 127.0.0.1:9999, --threads 8, --pause 1, --backlog 128 (std 的 listen 队列)
";

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
                if let Err(e) = lesson03::tcplink(sock, addr, pause) {
                    log_client_error(addr, &e);
                }
            }),
            Err(e) => log_client_error("(accept)", &e),
        }
    }
}
