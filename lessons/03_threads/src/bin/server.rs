//! 多线程服务器: 重做 003 「1.2.2服务器」 (127.0.0.1:9999), 每个客户端一个线程。
//!
//! 运行两端:
//!   终端 1: cargo run -p lesson03 --bin server
//!   终端 2: cargo run -p lesson03 --bin client      (第一个还在说话时, 再开一个终端 3)
//! 两个客户端同时被服务, 各由自己的线程负责 (日志里写着线程名)。加 `--one-at-a-time`
//! 就成了 004 「多次交互」 的服务器: 第二个客户端能连上, 却要等第一个离开才有回应。
//!
//! 对话就是原文的 `tcplink` (先发 `Welcome!`, 然后回复 `Hello, <名字>!`, `exit` 结束),
//! 和原文一样写在 accept 循环的正上方。
//!
//! 和原文不同之处:
//! * 原文每条消息后的 1 秒停顿是 `--pause` (测试里用 0);
//! * 收到的字节不是合法 UTF-8 时照样回复 (坏字节变成 U+FFFD), 原文的 decode 会抛异常, 线程就死了;
//! * 系统开不出新线程时记一行日志, 只放弃这个客户端, 不会让整个服务器崩溃;
//! * accept 失败 (例如文件描述符用完) 时稍停再试, 不会满速空转;
//! * `--backlog` 调大 std 固定的 listen 队列 128, 应付突发的大量连接 (见 `src/backlog.rs`)。
//!
//! 每连接一线程是最简单的并发服务器; `pool_server` 限制线程数, 正式的程序用异步 I/O
//! (tokio) 在几个线程上服务几万个客户端。
//!
//! English: redoes 003's threaded server. One thread per client; `--one-at-a-time`
//! shows 004's "the second client hangs". Differences: `--pause`, lossy UTF-8, a
//! refused thread or a failed accept is logged, `--backlog`.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;
use support::{accept_failed, announce, bind_failed, log_client_error, Cli, OrExit};

const HELP: &str = "
server: 每个客户端一个线程: 先发 Welcome!, 然后对每条消息回复 Hello, <消息>!, 收到 exit 结束。
server: a thread per client: send Welcome!, answer each message with Hello, <message>!, exit ends.

用法 usage: server [--host H] [--port P] [--pause SECS] [--one-at-a-time] [--backlog N]
  --host H           默认 default 127.0.0.1
  --port P           默认 default 9999, 0 = any free port
  --pause SECS       每条消息后停顿 (原文的 time.sleep(1)) pause after each message (默认 default 1)
  --one-at-a-time    不开线程, 一次只服务一个客户端 (004 的问题) serve one client at a time
  --backlog N        等待 accept 的队列长度 listen queue length (默认 default std 的 128;
                     上千个客户端同时连接时用 4096 for bursts of thousands; Windows 上不能改)
";

/// 原文的 `tcplink`: 和一个客户端的整段对话, 在它自己的线程里运行。
/// 先发 `Welcome!`, 之后每收到一条消息就回复 `Hello, <消息>!`, 直到对方发 `exit` 或离开。
///
/// `pause` 是原文每次 recv 之后的 `time.sleep(1)`: 它代表耗时的工作, 也正是它让
/// "一次只服务一个客户端" 的服务器慢得看得见。
pub(crate) fn tcplink(mut sock: TcpStream, addr: SocketAddr, pause: Duration) -> io::Result<()> {
    // 哪个线程在服务谁: 一次一个客户端时就是主线程 main
    let who = thread::current().name().unwrap_or("main").to_string();
    println!("[{who}] Accept new connection from {addr}...");
    // 5. 发送欢迎消息 (send)
    sock.write_all(b"Welcome!")?;
    let mut buf = [0u8; 1024];
    loop {
        // 6. recv(1024): 一次 read, 最多 1024 字节; 然后像原文一样停一会儿
        let n = sock.read(&mut buf)?;
        thread::sleep(pause);
        // 7. 空读 (对方关闭) 或 `exit` 结束对话
        if n == 0 || &buf[..n] == b"exit" {
            break;
        }
        // 8. 回复 Hello, <消息>! (decode, 再 encode 后 send)。decode('utf-8') 的 Rust 写法
        //    是 String::from_utf8_lossy: 它不会抛异常, 不合法的字节变成 U+FFFD (�)
        let reply = format!("Hello, {}!", String::from_utf8_lossy(&buf[..n]));
        sock.write_all(reply.as_bytes())?;
    }
    // 9. 关闭套接字 (close 就是 drop), 然后说一声
    drop(sock);
    println!("[{who}] Connection from {addr} closed.");
    Ok(())
}

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(9999);
    let pause = cli.seconds("--pause", 1.0);
    let backlog = cli.parsed("--backlog", lesson03::backlog::STD_BACKLOG);
    let one_at_a_time = cli.switch("--one-at-a-time");
    cli.done();

    // 1. 创建基于 IPv4 和 TCP 的套接字, 2. 绑定端口并开始监听 (bind + listen)
    let s =
        TcpListener::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    // 排队等 accept 的连接数: std 固定为 128, 突发的大量连接需要更多 (src/backlog.rs)
    lesson03::backlog::apply(&s, backlog);
    announce("tcp", s.local_addr().or_exit("读取监听地址"));
    println!("Waiting for connection...");

    // 3. 永久循环: accept 等待并返回一个新连接
    let mut count = 0u64;
    loop {
        let (sock, addr) = match s.accept() {
            Ok(pair) => pair,
            Err(e) => {
                // 记下来; 描述符用完时先停一下, 不要满速空转
                accept_failed(&e);
                continue;
            }
        };
        count += 1;
        if one_at_a_time {
            // 004 的问题: 在这里服务完这个客户端之前, 不会再 accept 下一个
            if let Err(e) = tcplink(sock, addr, pause) {
                log_client_error(addr, &e);
            }
            continue;
        }
        // 4. 创建新线程来处理这个连接 (threading.Thread(...).start()), 主线程马上回去 accept。
        //    Builder 而不是 thread::spawn: 系统开不出线程时得到一个错误, 而不是 panic
        let spawned = thread::Builder::new()
            .name(format!("线程-{count}"))
            .spawn(move || {
                if let Err(e) = tcplink(sock, addr, pause) {
                    log_client_error(addr, &e);
                }
            });
        if let Err(e) = spawned {
            log_client_error(addr, &e); // 线程开不出来: 只放弃这个客户端
        }
    }
}
