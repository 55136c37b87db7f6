//! 多线程服务器的客户端: 重做 003 「1.2.2服务器」 的客户端 (127.0.0.1:9999)。
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
    let mut connected = Err(io::Error::from(ErrorKind::NotFound));
    for addr in resolve(&host, port) {
        connected = TcpStream::connect_timeout(&addr, timeout);
        if connected.is_ok() {
            break;
        }
    }
    let mut s = connected.or_exit(format_args!("连接 {host}:{port}"));
    s.set_read_timeout(Some(timeout)).or_exit("设置读超时");

    // 2. 接收欢迎消息 (recv(1024): 一次 read, 最多 1024 字节), 解码后打印。
    //    解码: from_utf8_lossy 即 decode('utf-8', errors='replace'), 坏字节变成 U+FFFD (�)
    let mut buf = [0u8; 1024];
    let n = s.read(&mut buf).or_exit("接收欢迎消息");
    if n == 0 {
        fail("服务器没有发欢迎消息就关闭了连接");
    }
    println!("{}", String::from_utf8_lossy(&buf[..n]));

    // 3. 逐个发送名字, 每次等一个回复。原文用 send: send 可能只发出一部分,
    //    write_all 会把整条消息发完
    for name in &names {
        s.write_all(name.as_bytes()).or_exit("发送数据");
        let n = s.read(&mut buf).or_exit("接收回复");
        if n == 0 {
            fail("服务器关闭了连接");
        }
        println!("{}", String::from_utf8_lossy(&buf[..n]));
    }

    // 4. 告诉服务器结束, 然后关闭套接字 (s 在 main 结束时被 drop, 就是 close)
    s.write_all(b"exit").or_exit("发送 exit");
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
