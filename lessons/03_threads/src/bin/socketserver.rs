//! socketserver: redoes 004 「socketserver实现并发」 (127.0.0.1:8080) on this lesson's
//! `socketserver` module, a small counterpart of Python's.
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson03 --bin socketserver
//!   terminal 2: cargo run -p lesson01 --bin upper_client -- --port 8080
//! Each connection gets its own `MyServer` handler in its own thread; it sends back
//! every message upper-cased (ASCII, like Python's `bytes.upper()`).

use lesson03::socketserver::{BaseRequestHandler, Request, ThreadingTCPServer};
use std::io::{self, Read, Write};
use support::{announce, bind_failed, show, Cli, OrExit};

const HELP: &str = "
socketserver: ThreadingTCPServer 的 Rust 版本; 每个连接一个线程, 把收到的消息转成大写发回。
socketserver: a ThreadingTCPServer counterpart; a thread per connection replies upper-cased.

用法 usage: socketserver [--host H] [--port P] [--backlog N]
  默认 default 127.0.0.1:8080
  --backlog N  request_queue_size (默认 default std 的 128; Python 是 is 5)
";

/// The text's `MyServer`: its `handle` is the conversation loop.
struct MyServer;

impl BaseRequestHandler for MyServer {
    fn handle(&mut self, req: &mut Request) -> io::Result<()> {
        let mut data = [0u8; 1024];
        loop {
            // 收消息; 空读表示客户端离开
            let n = req.request.read(&mut data)?;
            if n == 0 {
                return Ok(());
            }
            println!("收到客户端的消息是 {}", show(&data[..n]));
            // 发消息: sendall 对应 write_all
            req.request.write_all(&data[..n].to_ascii_uppercase())?;
        }
    }
}

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8080);
    let backlog = cli.parsed("--backlog", lesson03::backlog::STD_BACKLOG);
    cli.done();

    // 1. 创建多线程 TCP 服务器 (绑定并监听), 2. serve_forever 就是连接循环
    let s = ThreadingTCPServer::new((host.as_str(), port), || MyServer)
        .unwrap_or_else(|e| bind_failed(&host, port, e));
    if backlog != lesson03::backlog::STD_BACKLOG {
        s.set_request_queue_size(backlog)
            .or_exit("设置 request_queue_size");
    }
    announce("tcp", s.server_address());
    s.serve_forever();
}
