#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! socketserver: 重做 004 「socketserver实现并发」 (127.0.0.1:8080), 用本课的
//!
//! 练习 (学生版): 原文的套接字调用换成了 `todo!("第 N 步: …")`。按顺序完成每一步;
//! 运行时会 panic, 显示第一个还没完成的步骤。用 `cargo grade lesson03` 检查自己的程序。
//! `socketserver` 模块 (Python 同名模块的一个小小的 Rust 对应物, 在 `src/socketserver.rs`)。
//!
//! 运行两端:
//!   终端 1: cargo run -p lesson03 --bin socketserver
//!   终端 2: cargo run -p lesson01 --bin upper_client -- --socketserver
//! 每个连接在自己的线程里有一个自己的 `MyServer` 处理器; 它把每条消息转成大写发回
//! (只转 ASCII 字母, 和 Python 的 `bytes.upper()` 一样)。
//!
//! 服务器打印的行和原文一样: `收到客户端的消息是 b'hello'`。原文 print 的是 bytes 对象
//! 本身, 没有 decode, 所以这里也按 Python 的写法显示字节 (`b'\xe4\xbd\xa0'`), 不解码。
//!
//! 和原文不同之处: `--backlog N` 对应 Python 的 `request_queue_size` (Python 默认 5,
//! std 是 128); accept 失败 (例如文件描述符用完) 时稍停再试。
//!
//! English: redoes 004's socketserver example on this lesson's counterpart module;
//! each connection's handler sends every message back upper-cased and logs it as
//! Python prints bytes.

use lesson03::socketserver::{BaseRequestHandler, Request, ThreadingTCPServer};
use std::io::{self, Read, Write};
use support::{announce, bind_failed, Cli};

const HELP: &str = "
socketserver: ThreadingTCPServer 的 Rust 版本; 每个连接一个线程, 把收到的消息转成大写发回。
socketserver: a ThreadingTCPServer counterpart; a thread per connection replies upper-cased.

用法 usage: socketserver [--host H] [--port P] [--backlog N]
  默认 default 127.0.0.1:8080
  --backlog N  request_queue_size (默认 default std 的 128; Python 是 is 5; Windows 上不能改)
";

/// 原文的 `MyServer`: 它的 `handle` 就是通信循环。
struct MyServer;

impl BaseRequestHandler for MyServer {
    fn handle(&mut self, req: &mut Request) -> io::Result<()> {
        // 通信循环
        let mut data = [0u8; 1024];
        loop {
            // 3. 收消息 recv(1024); 空读表示客户端离开 (原文的 if not data: break)
            let n: usize = todo!("第 3 步: req.request.read(&mut data)?, 读到 0 字节 (客户端离开) 就 return Ok(()), 见原文「socketserver实现并发」的 self.request.recv(1024); 注意: 不判断 0 的话会对着关闭的连接空转");
            // 原文 print 的是 bytes 对象: escape_ascii 写出和 Python 一样的 \xe4 转义
            println!("收到客户端的消息是 b'{}'", data[..n].escape_ascii());
            // 4. 发消息: sendall 对应 write_all; upper() 对应 to_ascii_uppercase
            todo!("第 4 步: req.request.write_all(&data[..n].to_ascii_uppercase())?, 见原文「socketserver实现并发」的 self.request.sendall(data.upper()); 注意: 发回的是转成大写的字节");
        }
    }
}

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8080);
    let backlog: Option<u32> = cli.value("--backlog").map(|v| {
        v.parse()
            .unwrap_or_else(|_| support::fail(format_args!("--backlog 要一个正整数, 而不是 `{v}`")))
    });
    cli.done();

    // 1. 创建多线程 TCP 服务器 (绑定并监听), 每个连接一个 MyServer
    let s: ThreadingTCPServer = todo!("第 1 步: ThreadingTCPServer::new((host.as_str(), port), || MyServer), 失败时 bind_failed(&host, port, e), 见原文「socketserver实现并发」的 socketserver.ThreadingTCPServer((\"127.0.0.1\", 8080), MyServer); 注意: 传的是造 MyServer 的闭包, 每个连接一个新的处理器");
    if let Some(size) = backlog {
        // Python 的 request_queue_size; 不支持的系统上是一行警告
        lesson03::backlog::report(s.set_request_queue_size(size), size);
    }
    announce("tcp", s.server_address());
    // 2. serve_forever 就是连接循环
    todo!("第 2 步: s.serve_forever(), 见原文「socketserver实现并发」; 注意: 它就是连接循环, 不会返回, 每个连接在自己的线程里调用 handle");
}
