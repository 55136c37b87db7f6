//! 欢迎客户端: 重写 002 「简单实例」 的客户端 (本机主机名, 端口 9999)。
//!
//! 两端的运行方法:
//!   终端 1: cargo run -p lesson01 --bin welcome_server
//!   终端 2: cargo run -p lesson01 --bin welcome_client
//! 连接本机主机名的 9999 端口 (参数可改), 读一次, 关闭, 打印收到的内容。
//!
//! 和原文不同之处: 连接和读取有超时 (`--timeout`); std 没有 `gethostname`, 用
//! `lesson01::sockopt::hostname` 向 C 库要。
//!
//! English: redoes 002's client: connect to this host's name, read once, print.

use std::io::{self, Read};
use std::net::TcpStream;
use support::{resolve, Cli, OrExit};

fn main() {
    // 命令行参数: 原文把地址写在程序里, 我们让它可以改 (说明见文件末尾的 HELP)
    let mut cli = Cli::new(HELP);
    let host = cli.value("--host");
    let port = cli.port(9999);
    let timeout = cli.timeout(30.0);
    cli.done();

    // 1. 获取本地主机名 (Python 的 socket.gethostname())
    let host = host.unwrap_or_else(|| lesson01::sockopt::hostname().or_exit("读取主机名"));

    // 2. 创建套接字, 连接服务 (主机名, 端口), 最多等 timeout 秒 (名字的每个地址逐个试)
    //    连上后读取也最多等 timeout 秒, 服务器不回答时报错而不是永远等下去
    let mut connected = Err(io::Error::other("没有地址"));
    for addr in resolve(&host, port) {
        connected = TcpStream::connect_timeout(&addr, timeout);
        if connected.is_ok() {
            break;
        }
    }
    let mut s = connected.or_exit(format_args!("连接 {host}:{port}"));
    s.set_read_timeout(Some(timeout)).or_exit("设置读取超时");

    // 3. 接收小于 1024 字节的数据, 关闭, 解码后打印
    let mut buf = [0u8; 1024];
    let n = s.read(&mut buf).or_exit("接收数据");
    drop(s);
    // 原文 msg.decode('utf-8') 遇到坏字节会抛异常; from_utf8_lossy 相当于 errors='replace', 坏字节变成 U+FFFD
    print!("{}", String::from_utf8_lossy(&buf[..n]));
}

// 帮助文字 (原文没有命令行参数)。The help text.
const HELP: &str = "
welcome_client: 连接服务器, 读一次 (最多 1024 字节) 并打印。
welcome_client: connect, read once (up to 1024 bytes), print.

用法 usage: welcome_client [--host H] [--port P] [--timeout SECS]
  默认 default: 本机主机名 this host's name, 9999
";
