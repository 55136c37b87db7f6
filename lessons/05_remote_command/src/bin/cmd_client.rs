//! 远程执行命令客户端: redoes 003 「远程执行命令」's client (to 127.0.0.1:8879).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson05 --bin cmd_server
//!   terminal 2: cargo run -p lesson05 --bin cmd_client
//! Type a command at `cmd:>>>` (the text's prompt says `cdm:>>>`, a typo); an empty
//! line is skipped, `q` quits. Each answer is read with ONE read of at most 1024
//! bytes, like the text, and printed with its size.
//!
//! That single read is the 粘包 bug this lesson is about: an answer longer than
//! 1024 bytes stays partly in the socket, and the next command prints that stale
//! remainder instead of its own answer. `--framed` (with a `--framed` server)
//! reads length-prefixed answers, so every output arrives whole and in order,
//! with the command's stderr and exit status.
//!
//! Output is shown as UTF-8, invalid bytes replaced by U+FFFD (the text decodes
//! gbk, the code page of a Chinese Windows console).

use std::io::{Read, Write};
use support::{ask_line, connect, fail, show, Cli, OrExit};

use lesson05::framing::{read_frame, write_frame};

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

    // 1. 连接服务器
    let mut sk = connect(&host, port, timeout);
    println!("客户端启动：");

    // 2. 读命令 (输入结束就退出): 空行跳过, q 退出
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
                let frame = read_frame(&mut sk, lesson05::OUTPUT_CAP as u64 + 1024)
                    .or_exit("接收结果")
                    .unwrap_or_else(|| fail("服务器关闭了连接"));
                frames.push(frame);
            }
            print!("{}", show(&frames[0]));
            if !frames[1].is_empty() {
                print!("[stderr] {}", show(&frames[1]));
            }
            println!("[{}]", show(&frames[2]));
            println!("receive data size {}", frames[0].len());
        } else {
            // 3. 发送命令, 再一次 read 最多 1024 字节 (原文的做法, 也是它的 bug)
            sk.write_all(inp.as_bytes()).or_exit("发送命令");
            let mut server_response = [0u8; 1024];
            let n = sk.read(&mut server_response).or_exit("接收结果");
            if n == 0 {
                fail("服务器关闭了连接");
            }
            println!("{}", show(&server_response[..n]));
            println!("receive data size {n}");
        }
        if inp == "exit" {
            break;
        }
    }
    // 4. 关闭套接字
}
