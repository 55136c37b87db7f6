#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 聊天客户端: 重写 003 「socket，可聊天应用」 的客户端 (127.0.0.1:8888)。
//! 练习 (学生版): 原文的调用换成了 `todo!("第 N 步: …")`; 按步骤的顺序写出来, 程序运行时停在第一个没写的步骤。
//! 练习 (学生版): 另一端: `cargo grade peer chat_client` (现成的服务器, 在 >>> 后打字回复), 或原文 003 「socket，可聊天应用」 的 Python 服务器。
//! 练习 (学生版): 检查: `cargo grade chat_client`; 卡住时看提示: `cargo grade hint chat_client`。
//!
//! 两端的运行方法:
//!   终端 1: cargo run -p lesson01 --bin chat_server
//!   终端 2: cargo run -p lesson01 --bin chat_client
//! 在 `>>>` 后输入; `exit` (或输入结束) 退出。
//!
//! 和原文不同之处: 空行不发送。原文会发出 0 字节, 服务器根本收不到, 然后两边互相等。
//! 连接和读取有超时 (`--timeout`, 默认 600 秒, 因为对方要打字)。
//!
//! English: redoes 003's chat client; an empty line is skipped (the text would
//! send nothing and both sides would wait for each other).

use std::io::{self, Read, Write};
use std::net::TcpStream;
use support::{ask_line, fail, resolve, Cli, OrExit};

fn main() {
    // 命令行参数: 原文把地址写在程序里, 我们让它可以改 (说明见文件末尾的 HELP)
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8888);
    let timeout = cli.timeout(600.0);
    cli.done();

    // 1. 创建套接字并连接, 最多等 timeout 秒 (名字的每个地址逐个试)
    //    连上后读取也最多等 timeout 秒: 对方是人在打字, 等久一点, 但不永远等
    let mut s: TcpStream = todo!(
        "第 1 步: 对 resolve 给出的每个地址试 TcpStream::connect_timeout, 连上就停, 连不上用 or_exit 报错; 再用 set_read_timeout 设读取超时; 见原文 003 「socket，可聊天应用」"
    );
    // 原文在连接前 print(s), 显示套接字对象; Rust 的套接字连上才存在, 这里打印它的样子
    println!("{s:?}");

    let mut buf = [0u8; 1024];
    loop {
        // 2. 读一行; exit 或输入结束就退出, 空行跳过
        let inp = match ask_line(">>>") {
            None => break,
            Some(line) if line == "exit" => break,
            Some(line) if line.is_empty() => continue,
            Some(line) => line,
        };
        // 3. 发送 (bytes(inp,'utf8'): Rust 的字符串本来就是 UTF-8), 再等对方的回复
        let n: usize = todo!(
            "第 3 步: 用 write_all 发出这一行的 UTF-8 字节 (原文 bytes(inp,'utf8')), 再 read 一次等回复"
        );
        // 读到 0 字节: 服务器关闭了连接 (原文不判断, 会打印空消息)
        if n == 0 {
            fail("服务器已关闭连接");
        }
        // 原文 str(data,'utf8') 遇到坏字节会抛异常; from_utf8_lossy 相当于 errors='replace', 坏字节变成 U+FFFD
        todo!("第 3 步: 用 String::from_utf8_lossy 解码回复的 n 个字节并打印");
    }
    // 4. 关闭套接字
}

// 帮助文字 (原文没有命令行参数)。The help text.
const HELP: &str = "
chat_client: 在 >>> 后输入消息, 打印服务器用户的回复; exit 退出。
chat_client: type at >>>, print the server user's reply; `exit` quits.

用法 usage: chat_client [--host H] [--port P] [--timeout SECS]
  默认 default 127.0.0.1:8888; --timeout 默认 600 秒 (对方要打字)
";
