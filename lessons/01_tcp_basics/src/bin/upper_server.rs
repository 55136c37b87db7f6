//! 大写回声服务器: redoes 004 「实例」 and 「多次交互」 (port 8000).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson01 --bin upper_server
//!   terminal 2: cargo run -p lesson01 --bin upper_client
//!
//! By default this is 004's last server of 「多次交互」: clients are served one after
//! another, and a client that leaves (an empty read) or breaks (a reset) ends only
//! its own conversation; the server goes on with the next. `--once` keeps 004's
//! first version: one client, one message, then the server exits.
//!
//! While one client is connected the next one waits in the listen queue: that is
//! the problem 「多线程并发」 solves (lesson03). Python's `bytes.upper()` only
//! changes ASCII letters; so does `to_ascii_uppercase`, so `你好` comes back as is.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use support::{announce, bind_failed, log_client_error, show, Cli, OrExit};

const HELP: &str = "
upper_server: 把收到的字节转成大写 (ASCII) 发回; 一个接一个地服务客户端。
upper_server: reply each message upper-cased (ASCII); serve clients one after another.

用法 usage: upper_server [--host H] [--port P] [--once]
  --host H   默认 default 127.0.0.1
  --port P   默认 default 8000, 0 = any free port
  --once     原文第一版: 只服务一个客户端的一条消息 (004 「实例」)
";

/// 通信循环: one client, until it leaves. Errors go back to the caller.
fn serve(client: &mut TcpStream) -> io::Result<()> {
    let mut buf = [0u8; 1024];
    loop {
        // 收消息: 一次 read, 最多 1024 字节
        let n = client.read(&mut buf)?;
        if n == 0 {
            return Ok(()); // 空读 = 对方关闭了连接
        }
        println!("客户端发来的消息是: {}", show(&buf[..n]));
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

    // 1-3. 创建套接字, 绑定 ip 和端口, 监听
    let listener =
        TcpListener::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    announce("tcp", listener.local_addr().or_exit("读取监听地址"));

    if once {
        // 004 「实例」: 接受一个客户端, 收一条, 回一条, 关闭, 退出
        let (mut client, _) = listener.accept().or_exit("等待客户端连接");
        let mut buf = [0u8; 1024];
        let n = client.read(&mut buf).or_exit("接收数据");
        println!("客户端发来的消息是: {}", show(&buf[..n]));
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
                log_client_error("(accept)", &e);
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
