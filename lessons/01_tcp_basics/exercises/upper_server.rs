#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 大写回声服务器: 重写 004 「实例」 和 「多次交互」 的服务器 (127.0.0.1:8000)。
//!
//! 【练习】这是练习版: 原文的套接字调用被换成了 `todo!("第 N 步: ...")`, 按顺序把它们写出来。
//! 复制到 `src/bin/upper_server.rs` 后运行, 会在第一个没完成的步骤处停下并显示提示; 用
//! `cargo grade lesson01` (或 `cargo test -p lesson01`) 检查。
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
        todo!(
            "第 5 步: client.read(&mut buf)?, 读到 0 就 return Ok(()), 否则打印 `客户端发来的消息是： ` 加解码后的文字, 再 write_all(&buf[..n].to_ascii_uppercase())?, 见原文 004「多次交互」; 注意: 不判断 0 会永远空转"
        );
    }
}

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8000);
    let once = cli.switch("--once");
    cli.done();

    // 1-3. 创建套接字, 绑定 ip 和端口, 监听 (std 的 bind 一步做完)
    let listener: TcpListener = todo!(
        "第 1-3 步: TcpListener::bind((host.as_str(), port)), 失败时交给 bind_failed(&host, port, e), 见原文 004「实例」; 注意: std 的 bind 一步做完 socket + bind + listen"
    );
    announce("tcp", listener.local_addr().or_exit("读取监听地址"));

    if once {
        // 004 「实例」: 接受一个客户端, 收一条, 回一条, 关闭, 退出
        todo!(
            "--once: accept 一个客户端, read 一次, 打印 `客户端发来的消息是： ` 加 lesson01::py_bytes(&buf[..n]), 回复大写, 见原文 004「实例」; 注意: 这一版不解码, 原样打印字节"
        );
        return;
    }

    // 4. 连接循环: 一个客户端结束后再接受下一个
    loop {
        let accepted: std::io::Result<(TcpStream, std::net::SocketAddr)> = todo!(
            "第 4 步: listener.accept(), 见原文 004「多次交互」 的外层 while True; 注意: 出错交给 accept_failed 再 continue, 一个客户端出错不能让服务器退出"
        );
        let (mut client, addr) = match accepted {
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
