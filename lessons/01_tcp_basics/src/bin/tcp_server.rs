//! TCP 服务器: redoes 000 「服务器」 (port 7788, replies `thank you !`) and, with
//! flags, 001 「基于TCP协议的socket」 (port 8898, replies `hi`).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson01 --bin tcp_server
//!   terminal 2: cargo run -p lesson01 --bin tcp_client -- --host 127.0.0.1 --port 7788 --message 你好
//! 001's version: `tcp_server --host 127.0.0.1 --port 8898 --reply hi`.
//!
//! Differences from the text:
//! * The text decodes with gbk (a Windows console's code page); we decode UTF-8 and
//!   show invalid bytes as U+FFFD instead of raising.
//! * The text needs `setsockopt(SO_REUSEADDR)` to restart at once (001
//!   「端口已被占用」); std's `bind` already sets it on Unix (see `sockopt`).
//! * A port in use is one clear line and exit code 1, not a traceback.

use std::io::{Read, Write};
use std::net::TcpListener;
use support::{announce, bind_failed, show, Cli, OrExit};

const HELP: &str = "
tcp_server: 接受一个客户端, 读最多 1024 字节, 打印, 回复, 关闭。
tcp_server: accept one client, read up to 1024 bytes, print them, reply, close.

用法 usage: tcp_server [--host H] [--port P] [--reply TEXT]
  --host H      监听地址 listen address (默认 default 0.0.0.0)
  --port P      端口, 0 表示由系统选择 port, 0 = any free (默认 default 7788)
  --reply TEXT  回复内容 the reply (默认 default `thank you !`)
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("0.0.0.0");
    let port = cli.port(7788);
    let reply = cli.value("--reply").unwrap_or_else(|| "thank you !".into());
    cli.done();

    // 1-3. 创建套接字、绑定、监听: std 的 bind 一步做完 socket + bind + listen
    let listener =
        TcpListener::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    announce("tcp", listener.local_addr().or_exit("读取监听地址"));

    // 4. 等待一个客户端: accept 返回专门为它服务的新套接字和它的地址
    let (mut client, client_addr) = listener.accept().or_exit("等待客户端连接");
    println!("客户端 {client_addr} 已连接");

    // 5. 接收: 一次 read, 最多 1024 字节 (对应 recv(1024))
    let mut buf = [0u8; 1024];
    let n = client.read(&mut buf).or_exit("接收数据");
    println!("接收到的数据为: {}", show(&buf[..n]));

    // 6. 回复: 文本用 send; send 可能只发出一部分, write_all 会发完
    client.write_all(reply.as_bytes()).or_exit("发送回复");

    // 7. 关闭为这个客户端服务的套接字 (离开作用域时 drop 也会关闭)
    drop(client);
}
