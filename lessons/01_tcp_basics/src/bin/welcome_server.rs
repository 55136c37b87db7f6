//! 欢迎服务器: redoes 002 「简单实例」, the server (this host's name, port 9999).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson01 --bin welcome_server
//!   terminal 2: cargo run -p lesson01 --bin welcome_client
//! Every client gets `欢迎访问！\r\n` in UTF-8 and is closed; the server loops.
//!
//! Differences from the text: std has no `gethostname`, so we ask the C library
//! (see `lesson01::sockopt::hostname`). A name that does not resolve to an address
//! of this machine is a clear error suggesting `--host 127.0.0.1`.

use std::io::Write;
use std::net::TcpListener;
use support::{announce, bind_failed, log_client_error, Cli, OrExit};

const HELP: &str = "
welcome_server: 对每个连接发送 `欢迎访问！\\r\\n` 然后关闭。
welcome_server: send `欢迎访问！\\r\\n` to every client, then close it.

用法 usage: welcome_server [--host H] [--port P]
  --host H   默认是本机的主机名 default: this machine's host name
  --port P   默认 default 9999
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.value("--host");
    let port = cli.port(9999);
    cli.done();

    // 1. 获取本地主机名 (Python 的 socket.gethostname())
    let host = host.unwrap_or_else(|| lesson01::sockopt::hostname().or_exit("读取主机名"));

    // 2. 创建套接字并绑定主机名和端口 (std 的 bind 同时开始监听)
    let listener =
        TcpListener::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    announce("tcp", listener.local_addr().or_exit("读取监听地址"));

    // 3. 永远循环: 接受连接, 打印地址, 发欢迎语, 关闭
    for conn in listener.incoming() {
        let mut client = match conn {
            Ok(c) => c,
            Err(e) => {
                log_client_error("(accept)", &e);
                continue;
            }
        };
        let addr = client
            .peer_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        println!("连接地址: {addr}");
        if let Err(e) = client.write_all("欢迎访问！\r\n".as_bytes()) {
            log_client_error(&addr, &e);
        }
        // client 在这里被 drop, 连接随之关闭
    }
}
