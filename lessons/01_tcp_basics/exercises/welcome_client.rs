#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 欢迎客户端: 重写 002 「简单实例」 的客户端 (本机主机名, 端口 9999)。
//! 练习 (学生版): 原文的调用换成了 `todo!("第 N 步: …")`; 按步骤的顺序写出来, 程序运行时停在第一个没写的步骤。
//! 练习 (学生版): 另一端: `cargo grade peer welcome_client` (现成的服务器), 或原文 002 「简单实例」 的 Python 服务器。
//! 练习 (学生版): 检查: `cargo grade welcome_client`; 卡住时看提示: `cargo grade hint welcome_client`。
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
    let mut s: TcpStream = todo!(
        "第 2 步: 对 resolve 给出的每个地址试 TcpStream::connect_timeout, 连上就停, 连不上用 or_exit 报错; 再用 set_read_timeout 设读取超时; 见原文 002 「简单实例」"
    );

    // 3. 接收小于 1024 字节的数据, 关闭, 解码后打印
    let mut buf = [0u8; 1024];
    let n: usize = todo!("第 3 步: read 一次 (原文 recv(1024)), 出错用 or_exit");
    drop(s);
    // 原文 msg.decode('utf-8') 遇到坏字节会抛异常; from_utf8_lossy 相当于 errors='replace', 坏字节变成 U+FFFD
    todo!("第 3 步: 用 String::from_utf8_lossy 解码收到的 n 个字节并打印; 欢迎语自己带着换行");
}

// 帮助文字 (原文没有命令行参数)。The help text.
const HELP: &str = "
welcome_client: 连接服务器, 读一次 (最多 1024 字节) 并打印。
welcome_client: connect, read once (up to 1024 bytes), print.

用法 usage: welcome_client [--host H] [--port P] [--timeout SECS]
  默认 default: 本机主机名 this host's name, 9999
";
