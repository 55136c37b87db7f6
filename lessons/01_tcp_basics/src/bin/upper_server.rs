//! 大写回声服务器: 重写 004 「实例」 和 「多次交互」 的服务器 (127.0.0.1:8000)。
//!
//! 两端的运行方法:
//!   终端 1: cargo run -p lesson01 --bin upper_server
//!   终端 2: cargo run -p lesson01 --bin upper_client
//!
//! 默认是 「多次交互」 最后那个加了异常处理的服务器: 一个接一个地服务客户端, 一个客户端
//! 离开 (读到 0 字节) 或出错 (连接被重置) 只结束它自己的对话, 服务器接着服务下一个。
//! `--once` 是 「实例」 的第一版: 一个客户端、一条消息, 打印收到的字节 (像原文一样是
//! `b'...'` 的样子, 不解码), 然后退出。
//!
//! 一次只服务一个客户端 (原文的设计): 一个客户端连着不说话, 后面所有客户端都在监听队列里
//! 等着, 它们的 connect 成功了, 却得不到回答。第 3 课 (lesson03) 用每个客户端一个线程解决
//! 这个问题 (原文 「多线程并发」, `cargo run -p lesson03 --bin echo_server`)。
//! Python 的 `bytes.upper()` 只改 ASCII 字母, `to_ascii_uppercase` 也一样, 所以 `你好` 原样返回。
//!
//! English: 004's upper-casing server; one client at a time, so one idle client
//! stalls everyone behind it (the text's design; lesson03 fixes it with threads).

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use support::{accept_failed, announce, bind_failed, log_client_error, Cli, OrExit};

const HELP: &str = "
upper_server: 把收到的字节转成大写 (ASCII) 发回; 一个接一个地服务客户端。
upper_server: reply each message upper-cased (ASCII); serve clients one after another.

用法 usage: upper_server [--host H] [--port P] [--once]
  --host H   默认 default 127.0.0.1
  --port P   默认 default 8000, 0 = any free port
  --once     原文第一版: 只服务一个客户端的一条消息 (004 「实例」)
";

/// 通信循环: 和一个客户端一直对话, 直到它离开。出错时把错误交给调用者。
fn serve(client: &mut TcpStream) -> io::Result<()> {
    let mut buf = [0u8; 1024];
    loop {
        // 收消息: 一次 read, 最多 1024 字节
        let n = client.read(&mut buf)?;
        if n == 0 {
            return Ok(()); // 空读 = 对方关闭了连接
        }
        // 原文 msg.decode(); from_utf8_lossy 是 Rust 的写法: 从不出错, 坏字节变成 U+FFFD
        let msg = String::from_utf8_lossy(&buf[..n]);
        println!("客户端发来的消息是： {msg}");
        // 发消息: 转成大写发回
        client.write_all(&buf[..n].to_ascii_uppercase())?;
    }
}

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8000);
    let once = cli.switch("--once");
    cli.done();

    // 1-3. 创建套接字, 绑定 ip 和端口, 监听 (std 的 bind 一步做完)
    let listener =
        TcpListener::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    announce("tcp", listener.local_addr().or_exit("读取监听地址"));

    if once {
        // 004 「实例」: 接受一个客户端, 收一条, 回一条, 关闭, 退出
        let (mut client, _) = listener.accept().or_exit("等待客户端连接");
        let mut buf = [0u8; 1024];
        let n = client.read(&mut buf).or_exit("接收数据");
        // 原文直接打印字节对象, 没有解码
        println!("客户端发来的消息是： {}", lesson01::py_bytes(&buf[..n]));
        client
            .write_all(&buf[..n].to_ascii_uppercase())
            .or_exit("发送回复");
        return;
    }

    // 4. 连接循环: 一个客户端结束后再接受下一个
    loop {
        let (mut client, addr) = match listener.accept() {
            Ok(pair) => pair,
            Err(e) => {
                accept_failed(&e);
                continue;
            }
        };
        println!("客户端 {addr} 已连接");
        // 5. 通信循环; 出错 (例如对方重置连接) 只结束这个客户端, 相当于原文的 try/except
        match serve(&mut client) {
            Ok(()) => println!("客户端 {addr} 已断开"),
            Err(e) => log_client_error(addr, &e),
        }
        // 6. 关闭这个客户端的套接字 (client 在这里被 drop)
    }
}
