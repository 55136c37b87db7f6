#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 远程执行命令服务器: 重做 003 「远程执行命令」 的 server 端 (127.0.0.1:8879)。
//!
//! 练习 (exercise): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个
//! 没做完的步骤, 并打印它的提示。做完后检查: `cargo grade lesson05` (或 `cargo test -p lesson05`)。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo run -p lesson05 --bin cmd_server
//!   终端 2: cargo run -p lesson05 --bin cmd_client
//! 收到的每条消息都是一条命令: 去掉两边空白, 交给 shell 执行 (`sh -c`; Windows 上是
//! `cmd /C`), 输出用一次 `write_all` (原文的 `sendall`) 发回; 没有输出时发 `no output!`。
//! 两端都加 `--framed` 时, 每个回答带长度前缀, 还带上命令的 stderr 和退出码。
//!
//! 这个程序会执行任何连上来的人输入的任何命令。所以和原文不同:
//! * 只监听回环地址 (127.0.0.1); 别的地址要加 `--allow-remote`, 还会大声警告 (没有密码,
//!   没有加密; 真正的远程登录用 ssh);
//! * 运行超过 `--limit` 秒 (默认 10) 的命令连同它的子进程被杀掉, 并告诉客户端;
//! * 输出最多保留 16 MiB, 多出来的部分截掉并附一句说明;
//! * 日志里每条命令前面加上客户端的地址, 每个回答后面一行星号 (原文三行), 多个客户端同时
//!   在线时分得清;
//! * 每个客户端一个线程 (第 3 课讲过的做法), 原文是一个接一个地服务; 客户端中途离开只结束
//!   它自己的线程。
//!
//! English: redoes 003's remote command server: run each message through the shell and send
//! back its output (or `no output!`); loopback only, a time limit, an output cap.

use std::io::{self, Read};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::time::Duration;
use support::{accept_failed, announce, bind_failed, fail, serve_in_thread, Cli, OrExit};

use lesson05::framing::{read_frame, write_frame};

const HELP: &str = "
cmd_server: 把收到的每条消息当作命令在 shell 里执行, 把输出发回 (没有输出时发 no output!)。
cmd_server: run each message as a shell command and send back its output (or `no output!`).

用法 usage: cmd_server [--host H] [--port P] [--limit SECS] [--framed] [--allow-remote]
  --host H          默认 default 127.0.0.1 (只允许回环地址 loopback only)
  --port P          默认 default 8879
  --limit SECS      命令最长运行时间 time limit per command (默认 default 10)
  --framed          长度前缀协议, 也发回 stderr 和退出码 length-prefixed, with stderr and status
  --allow-remote    允许监听非回环地址 (危险!) allow a non-loopback address (dangerous!)
";

/// The text's answer: stdout, or `no output!`, plus a note when cut or killed.
fn plain_answer(o: &lesson05::Outcome, limit: Duration) -> Vec<u8> {
    let mut answer = o.stdout.clone();
    if o.truncated {
        answer.extend_from_slice(
            "\n[输出超过 16 MiB, 后面的部分被截断 output cut at 16 MiB]\n".as_bytes(),
        );
    }
    if o.timed_out {
        answer.extend_from_slice(format!("\n[{}]\n", o.status_line(limit)).as_bytes());
    }
    if answer.is_empty() {
        answer = b"no output!".to_vec();
    }
    answer
}

/// The longest command frame the framed server accepts (a command line is short;
/// a longer length is a mistake or an attack, and must not make us allocate it).
const MAX_COMMAND: u64 = 64 * 1024;

/// 一个客户端的通信循环 (原文内层的 `while True`)。
fn serve(mut conn: TcpStream, addr: SocketAddr, limit: Duration, framed: bool) -> io::Result<()> {
    let mut client_data = [0u8; 1024];
    loop {
        // 3. 收命令 (recv): 原文一次 read 最多 1024 字节; framed 时读一帧
        let raw = if framed {
            match read_frame(&mut conn, MAX_COMMAND)? {
                Some(frame) => frame,
                None => break,
            }
        } else {
            let n: usize = todo!("第 3 步: 用 read 读一次命令, 读进 client_data, 出错用 ? 交给调用者 (原文 recv(1024)), 见原文「远程执行命令」; 注意: 读到 0 字节表示客户端走了, 要结束循环, 不要空转");
            if n == 0 {
                break;
            }
            client_data[..n].to_vec()
        };
        // 4. 解码 (str(client_data, "utf8")) 并打印。from_utf8_lossy 是 Rust 版的 decode:
        //    从不出错, 坏字节变成 U+FFFD
        let text: std::borrow::Cow<str> = todo!("第 4 步: 用 String::from_utf8_lossy 解码 raw (原文 str(client_data, \"utf8\")), 见原文「远程执行命令」; 注意: 坏字节不能让服务器出错");
        println!("{addr}: {text}");
        println!("waiting...");
        // 5. 去掉两边空白, 交给 shell 执行 (subprocess.Popen(cmd, shell=True)), 读完它的输出
        let cmd = text.trim();
        let outcome: lesson05::Outcome = todo!("第 5 步: 用 lesson05::run 在 shell 里执行 cmd 并读完输出 (最多 limit 秒) (原文 subprocess.Popen(cmd, shell=True, stdout=PIPE)), 见原文「远程执行命令」; 注意: 命令是去掉两边空白的 cmd");

        // 6. 发回结果: 原文用一次 sendall; framed 时三帧: stdout, stderr, 状态
        let size = if framed {
            write_frame(&mut conn, &outcome.stdout)?;
            write_frame(&mut conn, &outcome.stderr)?;
            let mut status = outcome.status_line(limit);
            if outcome.truncated {
                status.push_str("; 输出超过 16 MiB 被截断 output cut at 16 MiB");
            }
            write_frame(&mut conn, status.as_bytes())?;
            outcome.stdout.len()
        } else {
            let answer = plain_answer(&outcome, limit);
            todo!("第 6 步: 用 write_all 把 answer 一次发完 (原文 sendall), 见原文「远程执行命令」; 注意: 没有输出时 plain_answer 已经给了 no output!, 不能什么都不发");
            answer.len()
        };
        println!("send data size {size} ({})", outcome.status_line(limit));
        println!("******************");
    }
    println!("客户端 {addr} 已离开");
    Ok(())
}

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8879);
    let limit = cli.positive_seconds("--limit", 10.0);
    let framed = cli.switch("--framed");
    let allow_remote = cli.switch("--allow-remote");
    cli.done();

    // 0. 远程 shell 只能给本机用, 除非明确允许
    let ips: Vec<IpAddr> = (host.as_str(), port)
        .to_socket_addrs()
        .or_exit(format_args!("解析 {host}"))
        .map(|a| a.ip())
        .collect();
    if ips.iter().any(|ip| !ip.is_loopback()) {
        if !allow_remote {
            fail(format_args!(
                "拒绝在 {host} 上监听: 任何能连上的人都可以在这台机器上执行命令。只用回环地址 (127.0.0.1), \
                 或者明白风险后加 --allow-remote"
            ));
        }
        eprintln!("!!! 警告 WARNING: 远程 shell 正在监听 {host}, 没有密码也没有加密, 同一网络上的任何人都能执行命令 !!!");
    }

    // 1. 创建套接字, 绑定 (bind), 监听 (listen)
    let sk: TcpListener = todo!("第 1 步: 用 TcpListener::bind 绑定 host 和 port, 失败时交给 bind_failed 报错退出, 见原文「远程执行命令」; 注意: std 的 bind 一步做完 socket + bind + listen");
    announce("tcp", sk.local_addr().or_exit("读取监听地址"));
    println!("服务端启动...");

    // 2. 连接循环 (accept): 每个客户端一个线程
    loop {
        let accepted: io::Result<(TcpStream, SocketAddr)> = todo!("第 2 步: 用 accept 等下一个客户端, 见原文「远程执行命令」; 注意: 之后的收发都用 accept 返回的 conn, 不是 sk");
        let (conn, addr) = match accepted {
            Ok(pair) => pair,
            Err(e) => {
                accept_failed(&e);
                continue;
            }
        };
        serve_in_thread(addr, move || serve(conn, addr, limit, framed));
    }
}
