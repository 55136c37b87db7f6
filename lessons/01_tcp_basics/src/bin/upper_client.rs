//! 大写回声客户端: 重写 004 「实例」「多次交互」「socketserver实现并发」 的三个客户端。
//!
//! 每个模式照它那一节的样子说话:
//! * 默认: 「多次交互」 的客户端 (127.0.0.1:8000), 提示 `>>:`, 打印 `服务端发来的消息 HELLO`;
//! * `--once`: 「实例」 的客户端, 发一次 `你好` (或 `--message`), 把回复按原文的样子打印成
//!   字节 `服务端发来的消息 b'...'`, 然后退出;
//! * `--socketserver`: 「socketserver实现并发」 的客户端 (默认端口 8080), 提示 `>>: `,
//!   去掉首尾空白, 打印 `收到服务端发来的消息： HELLO`。
//!
//! 两端的运行方法:
//!   终端 1: cargo run -p lesson01 --bin upper_server
//!   终端 2: cargo run -p lesson01 --bin upper_client
//! socketserver 那一节: 终端 1 `cargo run -p lesson03 --bin socketserver`,
//!   终端 2 `cargo run -p lesson01 --bin upper_client -- --socketserver`。
//! 空行 (或输入结束) 结束客户端。
//!
//! 读法: `main` 是 「多次交互」 的客户端 (第 1-4 步), `--once` 的第一版在文件末尾 (第 5-6 步)。
//!
//! 和原文不同之处: 连接和读取有超时 (`--timeout`); 服务器关闭连接时打印一行说明并退出,
//! 而不是一直打印空消息。
//!
//! English: redoes 004's three clients (「多次交互」 by default, `--once` for 「实例」,
//! `--socketserver` for the socketserver section), each with its own section's strings.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use support::{ask_line, fail, resolve, Cli, OrExit};

fn main() {
    // 命令行参数: 原文把地址写在程序里, 我们让它可以改 (说明见文件末尾的 HELP)
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let once = cli.switch("--once");
    let socketserver = cli.switch("--socketserver");
    let port = cli.port(if socketserver { 8080 } else { 8000 });
    let message = cli.value("--message").unwrap_or_else(|| "你好".into());
    let timeout = cli.timeout(30.0);
    cli.done();

    // 1. 创建套接字, 连接服务端监听的 ip 和端口, 最多等 timeout 秒 (名字的每个地址逐个试)
    //    连上后读取也最多等 timeout 秒, 服务器不回答时报错而不是永远等下去
    let mut connected = Err(io::Error::other("没有地址"));
    for addr in resolve(&host, port) {
        connected = TcpStream::connect_timeout(&addr, timeout);
        if connected.is_ok() {
            break;
        }
    }
    let mut sock_cli = connected.or_exit(format_args!("连接 {host}:{port}"));
    sock_cli
        .set_read_timeout(Some(timeout))
        .or_exit("设置读取超时");

    // 原文 「实例」 的第一版只发一条消息: 见文件末尾的 first_version
    if once {
        return first_version(sock_cli, &message);
    }

    let mut buf = [0u8; 1024];
    let prompt = if socketserver { ">>: " } else { ">>:" };
    loop {
        // 2. 读一行 (socketserver 那一节还会去掉首尾空白); 空行或输入结束就退出
        let msg = match ask_line(prompt) {
            Some(m) if socketserver => m.trim().to_string(),
            Some(m) => m,
            None => break,
        };
        if msg.is_empty() {
            break;
        }
        // 3. 发送 (msg.encode(), 即 UTF-8), 再一次 read 最多 1024 字节
        sock_cli.write_all(msg.as_bytes()).or_exit("发送消息");
        let n = sock_cli.read(&mut buf).or_exit("接收回复");
        // 读到 0 字节: 服务器关闭了连接 (原文不判断, 会打印空消息)
        if n == 0 {
            fail("服务器已关闭连接");
        }
        // 原文 data.decode() 遇到坏字节会抛异常; from_utf8_lossy 相当于 errors='replace', 坏字节变成 U+FFFD
        let data = String::from_utf8_lossy(&buf[..n]);
        if socketserver {
            println!("收到服务端发来的消息： {data}");
        } else {
            println!("服务端发来的消息 {data}");
        }
    }
    // 4. 关闭套接字 (sock_cli 在这里被 drop)
}

/// 004 「实例」 的第一版 (`--once`): 发一次消息, 收一次, 原样打印字节, 关闭。
fn first_version(mut sock_cli: TcpStream, message: &str) {
    // 5. 发一次消息 (原文 bytes("你好", encoding="utf-8"))
    sock_cli.write_all(message.as_bytes()).or_exit("发送消息");
    // 6. 收一次, 最多 1024 字节; 这一版原文直接打印字节对象, 没有解码
    let mut buf = [0u8; 1024];
    let n = sock_cli.read(&mut buf).or_exit("接收回复");
    println!("服务端发来的消息 {}", lesson01::py_bytes(&buf[..n]));
}

// 帮助文字 (原文没有命令行参数)。The help text.
const HELP: &str = "
upper_client: 在 >>: 后输入消息, 打印服务器的回复; 空行结束。
upper_client: type lines at >>:, print each reply; an empty line ends.

用法 usage: upper_client [--host H] [--port P] [--timeout SECS] [--once [--message TEXT]] [--socketserver]
  默认 default 127.0.0.1:8000 (004 「多次交互」)
  --once          004 「实例」: 发一条消息 (默认 你好), 打印回复的字节, 退出
  --socketserver  004 「socketserver实现并发」 的客户端: 默认端口 8080, 提示 `>>: `
";
