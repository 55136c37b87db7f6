//! 多线程服务器: redoes 003 「1.2.2服务器」 (127.0.0.1:9999), one thread per client.
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson03 --bin server
//!   terminal 2: cargo run -p lesson03 --bin client
//! Start a second client while the first is still talking: both are served at once,
//! each by its own thread (the log names the thread). With `--one-at-a-time` the
//! server does 004's 「多次交互」 instead: the second client connects but hangs until
//! the first has left.
//!
//! The conversation itself (`Welcome!`, then `Hello, <name>!`, `exit` ends) is the
//! text's `tcplink`, in `src/lib.rs` because `pool_server` serves it too.
//!
//! Differences from the text: the text's 1 s pause per message is `--pause` (0 in
//! tests); invalid UTF-8 is shown lossily instead of killing the thread; a thread
//! the OS refuses to start is logged, not a crash; `--backlog` widens std's listen
//! queue of 128 for bursts (see `src/backlog.rs`). A thread per client is the
//! simplest concurrent server; `pool_server` bounds the threads, and async I/O
//! (tokio) serves tens of thousands of clients on a few threads.

use std::net::TcpListener;
use support::{announce, bind_failed, log_client_error, Cli, OrExit};

const HELP: &str = "
server: 每个客户端一个线程: 先发 Welcome!, 然后对每条消息回复 Hello, <消息>!, 收到 exit 结束。
server: a thread per client: send Welcome!, answer each message with Hello, <message>!, exit ends.

用法 usage: server [--host H] [--port P] [--pause SECS] [--one-at-a-time] [--backlog N]
  --host H           默认 default 127.0.0.1
  --port P           默认 default 9999, 0 = any free port
  --pause SECS       每条消息后停顿 (原文的 time.sleep(1)) pause after each message (默认 default 1)
  --one-at-a-time    不开线程, 一次只服务一个客户端 (004 的问题) serve one client at a time
  --backlog N        等待 accept 的队列长度 listen queue length (默认 default std 的 128;
                     上千个客户端同时连接时用 4096 for bursts of thousands)
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(9999);
    let pause = cli.seconds("--pause", 1.0);
    let backlog = cli.parsed("--backlog", lesson03::backlog::STD_BACKLOG);
    let one_at_a_time = cli.switch("--one-at-a-time");
    cli.done();

    // 1. 创建基于 IPv4 和 TCP 的套接字, 2. 绑定端口并开始监听
    let s =
        TcpListener::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    // 排队等 accept 的连接数: std 固定为 128, 突发的大量连接需要更多 (src/backlog.rs)
    lesson03::backlog::apply(&s, backlog);
    announce("tcp", s.local_addr().or_exit("读取监听地址"));
    println!("Waiting for connection...");

    // 3. 永久循环: accept 等待并返回一个新连接
    let mut count = 0u64;
    loop {
        let (sock, addr) = match s.accept() {
            Ok(pair) => pair,
            Err(e) => {
                log_client_error("(accept)", &e);
                continue;
            }
        };
        count += 1;
        if one_at_a_time {
            // 004 的问题: 在这里服务完这个客户端之前, 不会再 accept 下一个
            if let Err(e) = lesson03::tcplink(sock, addr, pause) {
                log_client_error(addr, &e);
            }
            continue;
        }
        // 4. 创建新线程来处理这个连接, 主线程马上回去 accept
        let spawned = lesson03::spawn_named(format!("线程-{count}"), move || {
            if let Err(e) = lesson03::tcplink(sock, addr, pause) {
                log_client_error(addr, &e);
            }
        });
        if let Err(e) = spawned {
            log_client_error(addr, &e); // 线程开不出来: 只放弃这个客户端
        }
    }
}
