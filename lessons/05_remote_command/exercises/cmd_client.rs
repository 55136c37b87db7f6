#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 远程执行命令客户端: 重做 003 「远程执行命令」 的 client 端 (连 127.0.0.1:8879)。
//!
//! 练习 (exercise): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个
//! 没做完的步骤, 并打印它的提示。做完后检查: `cargo grade lesson05` (或 `cargo test -p lesson05`)。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo run -p lesson05 --bin cmd_server
//!   终端 2: cargo run -p lesson05 --bin cmd_client
//! 在 `cmd:>>>` 后输入命令 (原文的提示符写成了 `cdm:>>>`, 是笔误); 空行跳过, `q` 退出。
//! 每个回答和原文一样只读 **一次**, 最多 1024 字节, 打印出来, 再打印它的大小。
//!
//! 这一次读就是这一课要讲的 粘包 问题: 超过 1024 字节的回答有一部分留在套接字里, 下一条命令
//! 打印的是上一条剩下的内容, 而不是自己的回答。两端都加 `--framed` 时, 回答带长度前缀, 每个
//! 输出都完整、按顺序到达, 还带着命令的 stderr 和退出码。
//!
//! 和原文的不同:
//! * 连接和每次读最多等 `--timeout` 秒 (默认 60), 服务器不回答时报错而不是一直等;
//! * 原文用 gbk 解码 (中文 Windows 控制台的代码页); 我们按 UTF-8 显示, 坏字节变成 U+FFFD。
//!
//! English: redoes 003's remote command client: one read of at most 1024 bytes per answer,
//! like the text, which is the 粘包 bug; `--framed` (both ends) reads whole answers.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use support::{ask_line, fail, Cli, OrExit};

use lesson05::framing::{read_frame, write_frame};

const HELP: &str = "
cmd_client: 在 cmd:>>> 后输入命令, 打印服务器上的执行结果; q 退出。
cmd_client: type commands at cmd:>>>, print what they output on the server; q quits.

用法 usage: cmd_client [--host H] [--port P] [--framed] [--timeout SECS]
  默认 default 127.0.0.1:8879
  --framed  长度前缀协议 (服务器也要加 --framed) length-prefixed (server needs --framed too)
";

/// The longest frame the framed client accepts: the server keeps at most
/// `OUTPUT_CAP` bytes of output, plus room for a note; a longer length is a lie.
const MAX_FRAME: u64 = lesson05::OUTPUT_CAP as u64 + 1024;

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
        connected = todo!("第 1 步: 用 TcpStream::connect_timeout 连接这个地址, 最多等 timeout, 见原文「远程执行命令」的 sk.connect(ip_port); 注意: 一个地址连不上就试下一个, 都不行时 .or_exit(..) 报一行中文错误");
        if connected.is_ok() {
            break;
        }
    }
    let mut sk = connected.or_exit(format_args!("连接 {host}:{port}"));
    // 读也最多等 timeout: 服务器不回答时报错, 而不是永远等下去
    todo!("第 1 步: 连上以后用 set_read_timeout 设置读超时, 最多等 timeout, 失败时 or_exit 报错, 见原文「远程执行命令」; 注意: 原文没有超时, 服务器不回答时会永远等下去");
    println!("客户端启动：");

    // 2. 读命令 (输入结束就退出): 去掉两边空白, 空行跳过, q 退出
    while let Some(inp) = ask_line("cmd:>>>") {
        let inp = inp.trim();
        if inp.is_empty() {
            continue;
        }
        if inp == "q" {
            break;
        }
        if framed {
            // 3a. 一帧命令, 三帧回答: stdout, stderr, 状态
            write_frame(&mut sk, inp.as_bytes()).or_exit("发送命令");
            let mut frames = Vec::new();
            for _ in 0..3 {
                let frame = read_frame(&mut sk, MAX_FRAME)
                    .or_exit("接收结果")
                    .unwrap_or_else(|| fail("服务器关闭了连接"));
                frames.push(frame);
            }
            // from_utf8_lossy 是 Rust 版的 decode: 从不出错, 坏字节显示成 U+FFFD
            print!("{}", String::from_utf8_lossy(&frames[0]));
            if !frames[1].is_empty() {
                print!("[stderr] {}", String::from_utf8_lossy(&frames[1]));
            }
            println!("[{}]", String::from_utf8_lossy(&frames[2]));
            println!("receive data size {}", frames[0].len());
        } else {
            // 3. 发送命令 (sendall), 再一次 recv 最多 1024 字节 (原文的做法, 也是它的 bug)
            todo!("第 3 步: 用 write_all 把命令 inp 的字节全部发出 (原文 sendall), 失败时 or_exit 报错, 见原文「远程执行命令」; 注意: write 可能只写出一部分, 用 write_all");
            let mut server_response = [0u8; 1024];
            let n: usize = todo!("第 3 步: 用 read 读一次, 读进 server_response (原文 recv(1024)), 失败时 or_exit 报错, 见原文「远程执行命令」; 注意: 只读一次, 这正是原文粘包的来源");
            if n == 0 {
                fail("服务器关闭了连接");
            }
            // 4. 解码并打印。from_utf8_lossy 是 Rust 版的 decode: 从不出错, 坏字节显示成
            //    U+FFFD (原文用 gbk 解码, 那是中文 Windows 控制台的编码)
            let text: std::borrow::Cow<str> = todo!("第 4 步: 用 String::from_utf8_lossy 解码读到的字节 (原文 str(server_response, \"gbk\")), 见原文「远程执行命令」; 注意: 只解码读到的 n 个字节");
            println!("{text}");
            println!("receive data size {n}");
        }
        if inp == "exit" {
            break;
        }
    }
    // 5. 关闭套接字 (sk 离开作用域时自动关闭)
}
