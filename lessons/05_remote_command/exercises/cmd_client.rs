#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 远程执行命令客户端: 重做 003 「远程执行命令」 的 client 端 (连 127.0.0.1:8879)。
//!
//! 练习 (exercise): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个
//! 没做完的步骤, 并打印它的提示。检查: `cargo grade cmd_client`; 更长的提示: `cargo grade hint cmd_client`。
//! 另一端: `cargo grade peer cmd_client` (一个现成的服务器), 或者原文的 Python 服务器。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo run -p lesson05 --bin cmd_server   (或者原文的 Python 服务器)
//!   终端 2: cargo run -p lesson05 --bin cmd_client
//! 在 `cmd:>>>` 后输入命令 (原文的提示符写成了 `cdm:>>>`, 是笔误); 空行跳过, `q` 退出,
//! `exit` 发出去、打印回答以后退出。每个回答和原文一样只读 **一次**, 最多 1024 字节,
//! 打印出来, 再打印 `receive data size` 和它的大小。
//!
//! 这一次读就是这一课要讲的 粘包 问题: 超过 1024 字节的回答有一部分留在套接字里, 下一条命令
//! 打印的是上一条剩下的内容, 而不是自己的回答。两端都加 `--framed` 时, 回答带长度前缀, 每个
//! 输出都完整、按顺序到达, 还带着命令的 stderr 和退出码 (见 `lesson05::framed`)。
//!
//! 和原文的不同:
//! * 连接和每次读最多等 `--timeout` 秒 (默认 60), 服务器不回答时报错而不是一直等;
//! * 服务器关闭了连接 (读到 0 字节) 时报一行错误退出; 原文会打印一个空回答, 接着问下一条;
//! * 原文用 gbk 解码 (中文 Windows 控制台的编码); 我们按 UTF-8 显示 (我们的服务器在 Windows
//!   上已经转成了 UTF-8), 坏字节变成 U+FFFD (�)。
//!
//! English: redoes 003's remote command client: one read of at most 1024 bytes per answer,
//! like the text, which is the 粘包 bug; `--framed` (both ends) reads whole answers.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use support::{ask_line, fail, Cli, OrExit};

const HELP: &str = "
cmd_client: 在 cmd:>>> 后输入命令, 打印服务器上的执行结果; q 退出。
cmd_client: type commands at cmd:>>>, print what they output on the server; q quits.

用法 usage: cmd_client [--host H] [--port P] [--framed] [--timeout SECS]
  默认 default 127.0.0.1:8879
  --framed  长度前缀协议 (服务器也要加 --framed) length-prefixed (server needs --framed too)
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8879);
    let framed = cli.switch("--framed");
    let timeout = cli.timeout(60.0);
    cli.done();

    // 1. 连接服务器 (connect): 名字先查成地址, 逐个试, 每个最多等 timeout
    let mut connected: io::Result<TcpStream> = Err(io::Error::from(io::ErrorKind::NotFound));
    for addr in support::resolve(&host, port) {
        connected = todo!("第 1 步: 用 TcpStream::connect_timeout 连接这个地址, 最多等 timeout, 见原文「远程执行命令」");
        if connected.is_ok() {
            break;
        }
    }
    let mut sk: TcpStream = todo!("第 1 步: 都连不上时用 or_exit 报一行中文错误, 连上了就得到 sk, 见原文「远程执行命令」");
    // 读也最多等 timeout (原文没有): 服务器不回答时报错, 而不是永远等下去
    todo!("第 1 步: 用 set_read_timeout 给 sk 设置读超时 timeout, 失败时 or_exit (原文没有这一句), 见原文「远程执行命令」");
    println!("客户端启动：");

    // 2. 读一行命令 (input('cdm:>>>').strip()), 输入结束 (Ctrl-D) 时也退出
    while let Some(inp) = ask_line("cmd:>>>") {
        let inp = inp.trim();
        // 3. 空行跳过, q 退出
        todo!("第 3 步: 空行用 continue 跳过, q 用 break 退出循环, 见原文「远程执行命令」");
        if framed {
            // --framed (两端都加, 原文没有): 发一帧命令, 收三帧回答并打印
            lesson05::framed::ask(&mut sk, inp);
        } else {
            // 4. 发送命令 (sendall)
            todo!("第 4 步: 用 write_all 发出命令的字节 (原文 sendall), 失败时 or_exit, 见原文「远程执行命令」");
            // 5. 只 recv(1024) 一次: 最多读 1024 字节 (原文的做法, 也是它 粘包 的来源)
            let mut server_response = [0u8; 1024];
            let n: usize = todo!("第 5 步: 用 read 读一次到 server_response (原文 recv(1024)), 失败时 or_exit, 见原文「远程执行命令」");
            // 读到 0 字节: 服务器关闭了连接 (原文会打印一个空回答, 接着问下一条)
            if n == 0 {
                fail("服务器关闭了连接");
            }
            // 6. 解码并打印, 再打印大小。from_utf8_lossy 相当于 decode('utf-8', errors='replace'):
            //    坏字节显示成 U+FFFD, 不会出错 (原文按 gbk 解码, 那是中文 Windows 控制台的编码)
            todo!("第 6 步: 用 String::from_utf8_lossy 解码读到的字节并打印, 再打印 receive data size 和大小, 见原文「远程执行命令」");
        }
        // 7. 输入的是 exit 时, 打印完回答就退出
        todo!("第 7 步: 输入的是 exit 时用 break 退出循环, 见原文「远程执行命令」");
    }
    // 8. 关闭套接字 (sk.close()): sk 在 main 结束时离开作用域, drop 时关闭
}
