//! 欢迎服务器: 重写 002 「简单实例」 的服务器 (本机主机名, 端口 9999)。
//!
//! 两端的运行方法:
//!   终端 1: cargo run -p lesson01 --bin welcome_server
//!   终端 2: cargo run -p lesson01 --bin welcome_client
//! 每个客户端收到 UTF-8 编码的 `欢迎访问！\r\n`, 然后连接被关闭; 服务器一直循环。
//!
//! 和原文不同之处: std 没有 `gethostname`, 我们向 C 库要 (见 `lesson01::sockopt::hostname`)。
//! 主机名解析不到本机地址时, 程序打印一行错误后退出; 这时可以改用 `--host 127.0.0.1`。
//!
//! English: redoes 002's server: greet every client in UTF-8 and close it.

use std::io::Write;
use std::net::TcpListener;
use support::{accept_failed, announce, bind_failed, log_client_error, Cli, OrExit};

fn main() {
    // 命令行参数: 原文把地址写在程序里, 我们让它可以改 (说明见文件末尾的 HELP)
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
        // accept 出错时原文会崩溃; 我们记一行日志, 接着等下一个
        let Ok(mut client) = conn.inspect_err(accept_failed) else {
            continue;
        };
        let addr = client
            .peer_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        println!("连接地址: {addr}");
        // 原文 msg.encode('utf-8'): Rust 的字符串本来就是 UTF-8, as_bytes 就是编码
        if let Err(e) = client.write_all("欢迎访问！\r\n".as_bytes()) {
            log_client_error(&addr, &e);
        }
        // client 在这里被 drop, 连接随之关闭
    }
}

// 帮助文字 (原文没有命令行参数)。The help text.
const HELP: &str = "
welcome_server: 对每个连接发送 `欢迎访问！\\r\\n` 然后关闭。
welcome_server: send `欢迎访问！\\r\\n` to every client, then close it.

用法 usage: welcome_server [--host H] [--port P]
  --host H   默认是本机的主机名 default: this machine's host name
  --port P   默认 default 9999
";
