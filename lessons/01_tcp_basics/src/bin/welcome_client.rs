//! 欢迎客户端: redoes 002 「简单实例」, the client.
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson01 --bin welcome_server
//!   terminal 2: cargo run -p lesson01 --bin welcome_client
//! Connects to this host's name on port 9999 (flags to change), reads once and
//! prints what came.

use std::io::Read;
use support::{connect, show, Cli, OrExit};

const HELP: &str = "
welcome_client: 连接服务器, 读一次 (最多 1024 字节) 并打印。
welcome_client: connect, read once (up to 1024 bytes), print.

用法 usage: welcome_client [--host H] [--port P] [--timeout SECS]
  默认 default: 本机主机名 this host's name, 9999
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.value("--host");
    let port = cli.port(9999);
    let timeout = cli.timeout(30.0);
    cli.done();

    // 1. 获取本地主机名, 连接服务 (主机名, 端口)
    let host = host.unwrap_or_else(|| lesson01::sockopt::hostname().or_exit("读取主机名"));
    let mut stream = connect(&host, port, timeout);

    // 2. 接收小于 1024 字节的数据, 关闭, 打印
    let mut buf = [0u8; 1024];
    let n = stream.read(&mut buf).or_exit("接收数据");
    drop(stream);
    print!("{}", show(&buf[..n]));
}
