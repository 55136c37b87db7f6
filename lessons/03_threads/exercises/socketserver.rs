#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! socketserver: 重做 004 「socketserver实现并发」 (127.0.0.1:8080), 用本课的
//! `socketserver` 模块 (Python 同名模块的一个小小的 Rust 对应物, 在 `src/socketserver.rs`)。
//! 练习 (学生版): 原文的调用换成了 `todo!("第 N 步: …")`; 按步骤的顺序写出来, 程序运行时停在第一个没写的步骤。
//! 练习 (学生版): 另一端: `cargo grade peer socketserver` (现成的客户端: 发 hello 和 你好, 收大写的回复), 或原文 「socketserver实现并发」 客户端的 Python 程序。
//! 练习 (学生版): 检查: `cargo grade socketserver`; 卡住时看提示: `cargo grade hint socketserver`。
//!
//! 运行两端:
//!   终端 1: cargo run -p lesson03 --bin socketserver
//!   终端 2: cargo run -p lesson01 --bin upper_client -- --socketserver
//!   (另一端也可以是原文 「socketserver实现并发」 客户端的 Python 程序)
//! 每个连接在自己的线程里有一个自己的 `MyServer` 处理器; 它把每条消息转成大写发回
//! (只转 ASCII 字母, 和 Python 的 `bytes.upper()` 一样)。
//!
//! 读法: 和原文一样, 先是处理器 `MyServer` (它的 `handle` 就是通信循环, 第 1、2 步),
//! 然后是 `main` (创建服务器、`serve_forever`, 第 3、4 步); 命令行参数在文件末尾。
//!
//! 服务器打印的行和原文一样: `收到客户端的消息是 b'hello'`。原文 print 的是 bytes 对象
//! 本身, 没有解码, 所以这里也像 Python 那样显示字节 (`b'\xe4\xbd\xa0'`, `b"it's"`)。
//!
//! 和原文不同之处: `--backlog N` 对应 Python 的 `request_queue_size`, 最多多少个连接排队
//! 等 accept (见本课 README 的 「深入」); accept 失败 (例如文件描述符用完) 时稍停再试。
//!
//! English: redoes 004's socketserver example on this lesson's counterpart module:
//! the handler first (steps 1-2), then `main` (steps 3-4), as in the text. Each
//! connection's handler sends every message back upper-cased and logs it as Python
//! prints bytes.

use lesson03::py_bytes;
use lesson03::socketserver::{BaseRequestHandler, Request, ThreadingTCPServer};
use std::io::{self, Read, Write};
use support::{announce, bind_failed, Cli};

/// 原文的 `MyServer`: 它的 `handle` 就是通信循环。
struct MyServer;

impl BaseRequestHandler for MyServer {
    fn handle(&mut self, req: &mut Request) -> io::Result<()> {
        // 通信循环 (原文用 try/except 防止客户端断开时报错: 这里出错用 ? 交给模块, 它记一行日志)
        let mut data = [0u8; 1024];
        loop {
            // 1. 收消息 recv(1024); 读到 0 字节表示客户端离开 (原文的 if not data: break)
            let n: usize = todo!("第 1 步: 在 req.request 上 read 一次, 放进 data; 读到 0 个字节时从 handle 返回 Ok; 原文 handle 里的 recv(1024) 和 if not data");
            // 原文 print 的是 bytes 对象: py_bytes 像 Python 的 repr 那样写出 b'...'
            println!("收到客户端的消息是 {}", py_bytes(&data[..n]));
            // 2. 发消息: sendall 对应 write_all; upper() 对应 to_ascii_uppercase
            todo!("第 2 步: 把收到的 n 个字节用 to_ascii_uppercase 转成大写, 用 write_all 发回; 原文 handle 里的 sendall 和 upper");
        }
    }
}

fn main() {
    // 原文把地址写死成 ("127.0.0.1", 8080); 我们从参数读 (见文件末尾的 args)
    let Args {
        host,
        port,
        backlog,
    } = args();

    // 3. 创建多线程 TCP 服务器 (绑定并监听), 每个连接一个新的 MyServer
    let s: ThreadingTCPServer = todo!("第 3 步: 用 ThreadingTCPServer::new 在 host 和 port 上建服务器, 第二个参数是每次造一个新 MyServer 的闭包; 失败时交给 bind_failed; 原文创建 ThreadingTCPServer 的那一行");
    if let Some(size) = backlog {
        // Python 的 request_queue_size; 不支持的系统上只打印一行警告
        lesson03::backlog::report(s.set_request_queue_size(size), size);
    }
    announce("tcp", s.server_address());
    // 4. serve_forever 就是连接循环: accept, 为每个连接开一个线程, 在里面调用 handle
    todo!("第 4 步: 调用 serve_forever; 原文最后一行的 serve_forever");
}

// ---------------------------------------------------------------------------
// 以下是原文没有的部分: 命令行参数。Beyond the text: the flags.
// ---------------------------------------------------------------------------

const HELP: &str = "
socketserver: ThreadingTCPServer 的 Rust 版本; 每个连接一个线程, 把收到的消息转成大写发回。
socketserver: a ThreadingTCPServer counterpart; a thread per connection replies upper-cased.

用法 usage: socketserver [--host H] [--port P] [--backlog N]
  默认 default 127.0.0.1:8080
  --backlog N  request_queue_size (默认 default: std 的 128, Python 的是 5; Windows 上不能改)
";

/// 命令行给出的设置; 不给时是原文的值。
struct Args {
    host: String,
    port: u16,
    backlog: Option<u32>,
}

fn args() -> Args {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8080);
    let backlog = cli.value("--backlog").map(|v| {
        v.parse()
            .unwrap_or_else(|_| support::fail(format_args!("--backlog 要一个正整数, 而不是 `{v}`")))
    });
    cli.done();
    Args {
        host,
        port,
        backlog,
    }
}
