#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 多线程服务器的客户端: 重做 003 「1.2.2服务器」 的客户端 (127.0.0.1:9999)。
//! 练习 (学生版): 原文的调用换成了 `todo!("第 N 步: …")`; 按步骤的顺序写出来, 程序运行时停在第一个没写的步骤。
//! 练习 (学生版): 另一端: `cargo grade peer client` (现成的服务器: 先发 Welcome!, 再对每个名字回 Hello, 名字!), 或原文 「1.2.2服务器」 服务端的 Python 程序。
//! 练习 (学生版): 检查: `cargo grade client`; 卡住时看提示: `cargo grade hint client`。
//!
//! 运行两端:
//!   终端 1: cargo run -p lesson03 --bin server
//!   终端 2: cargo run -p lesson03 --bin client
//!   (另一端也可以是原文 「1.2.2服务器」 服务端的 Python 程序)
//! 打印欢迎语, 依次发送 `Michael`、`Tracy`、`Sarah` (或命令行给的名字), 打印每个回复,
//! 最后发送 `exit`。
//!
//! 读法: `main` 就是原文的程序, 第 1 到 4 步; 命令行参数在文件末尾。
//!
//! 和原文一样, 每个回复用一次最多 1024 字节的 read 读取。这只因为服务器回复之后才发下一个
//! 名字才安全: 第 4 课演示两条消息一起到达时流里会发生什么 (粘包)。
//!
//! 和原文不同之处:
//! * connect 和每次 read 最多等 `--timeout` 秒 (默认 30), 服务器没有反应时得到一行错误,
//!   而不是永远卡住;
//! * 原文的 `decode('utf-8')` 遇到不合法的字节会抛异常; 我们用 `String::from_utf8_lossy`,
//!   相当于 `decode('utf-8', errors='replace')`: 坏字节显示成 U+FFFD (�)。
//!
//! English: redoes 003's client: print the welcome, send each name and print the
//! reply, then `exit`. Connect and reads have a timeout instead of waiting forever;
//! bad UTF-8 is shown as U+FFFD (Python's errors='replace').

use std::io::{self, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::Duration;
use support::{fail, resolve, Cli, OrExit};

fn main() {
    // 原文把地址写死成 ('127.0.0.1', 9999), 名字写死成三个; 我们从参数读 (见文件末尾的 args)
    let Args {
        host,
        port,
        timeout,
        names,
    } = args();

    // 1. 建立连接 (connect), 最多等 timeout 秒。一个名字可能有几个地址
    //    (localhost 有 ::1 和 127.0.0.1), 逐个试, 直到连上一个。
    //    之后每次 read 也最多等 timeout 秒, 服务器不回答时不会永远卡住
    let mut s: TcpStream = todo!("第 1 步: 对 resolve 给出的每个地址试 TcpStream::connect_timeout, 连上一个就停, 都失败时 or_exit (说明写 连接 主机:端口, 测试在错误里找这个地址); 再用 set_read_timeout 设好读超时; 原文的 connect");

    // 2. 接收欢迎消息 (recv(1024): 一次 read, 最多 1024 字节), 解码后打印。
    //    解码: from_utf8_lossy 即 decode('utf-8', errors='replace'), 坏字节变成 U+FFFD (�)
    let mut buf = [0u8; 1024];
    todo!("第 2 步: 在 s 上 read 一次 (读到 0 个字节时用 fail 说服务器关闭了连接), 用 String::from_utf8_lossy 解码收到的 n 个字节, 打印成一行; 原文的 recv(1024)、decode 和 print");

    // 3. 逐个发送名字, 每次等一个回复。原文用 send: send 可能只发出一部分,
    //    write_all 会把整条消息发完
    for name in &names {
        todo!("第 3 步: 用 write_all 发出这个名字, 然后像第 2 步一样 read 一次回复、解码、打印; 原文 for 循环里的 send、recv 和 print");
    }

    // 4. 告诉服务器结束, 然后关闭套接字 (s 在 main 结束时被 drop, 就是 close)
    todo!("第 4 步: 用 write_all 发出 exit; 原文最后的 send");
}

// ---------------------------------------------------------------------------
// 以下是原文没有的部分: 命令行参数。Beyond the text: the flags.
// ---------------------------------------------------------------------------

const HELP: &str = "
client: 打印欢迎语, 依次发送名字并打印回复, 最后发送 exit。
client: print the welcome, send each name and print the reply, then send exit.

用法 usage: client [--host H] [--port P] [--timeout SECS] [NAME ...]
  默认 default 127.0.0.1:9999, 名字 names: Michael Tracy Sarah
";

/// 命令行给出的设置; 不给时是原文的值。
struct Args {
    host: String,
    port: u16,
    timeout: Duration,
    names: Vec<String>,
}

fn args() -> Args {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(9999);
    let timeout = cli.timeout(30.0);
    let given = cli.rest();
    let names = if given.is_empty() {
        vec!["Michael".into(), "Tracy".into(), "Sarah".into()]
    } else {
        given
    };
    Args {
        host,
        port,
        timeout,
        names,
    }
}
