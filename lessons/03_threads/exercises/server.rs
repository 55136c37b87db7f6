#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 多线程服务器: 重做 003 「1.2.2服务器」 (127.0.0.1:9999), 每个客户端一个线程。
//!
//! 练习 (学生版): 原文的套接字调用换成了 `todo!("第 N 步: …")`。按顺序完成每一步;
//! 运行时会 panic, 显示第一个还没完成的步骤。用 `cargo grade lesson03` 检查自己的程序。
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
    todo!("第 5 步: 用 write_all 把欢迎语 Welcome! 的字节发给这个客户端, 出错用 ? 交给调用者, 见原文「1.2.2服务器」里 tcplink 的第一句; 注意: 原文的 send 可能只发出一部分, write_all 才保证全部发完");
    let mut buf = [0u8; 1024];
    loop {
        // 6. recv(1024): 一次 read, 最多 1024 字节; 然后像原文一样停一会儿
        let n: usize = todo!("第 6 步: 调用 sock 的 read, 把这一次收到的字节放进 buf, 得到字节数 n (原文的 recv(1024)), 然后用 thread::sleep 停 pause 这么久, 见原文「1.2.2服务器」; 注意: 只 read 一次; 之后只有 buf 的前 n 个字节是这次收到的");
        // 7. 空读 (对方关闭) 或 `exit` 结束对话
        if todo!("第 7 步: 写出结束对话的条件: 读到 0 字节 (对方关闭了连接), 或者收到的正好是 exit 这四个字节, 见原文「1.2.2服务器」里 tcplink 跳出循环的那个 if; 注意: 少了 0 字节这个条件, 客户端走后线程会对着关闭的连接一直空转") {
            break;
        }
        // 8. 回复 Hello, <消息>! (decode, 再 encode 后 send)。decode('utf-8') 的 Rust 写法
        //    是 String::from_utf8_lossy: 它不会抛异常, 不合法的字节变成 U+FFFD (�)
        todo!("第 8 步: 用 String::from_utf8_lossy 解码收到的前 n 个字节, 用 format! 拼成原文的回复 (Hello、逗号、空格、消息、感叹号), 再用 write_all 发回, 见原文「1.2.2服务器」; 注意: 回复要一个字节都不差, 少了逗号后的空格或感叹号测试就不认");
    }
    // 9. 关闭套接字 (close 就是 drop), 然后说一声
    todo!("第 9 步: 关闭这个连接: Rust 里原文的 close 就是 drop 掉 sock, 见原文「1.2.2服务器」; 注意: 先关闭, 再打印下面 closed 那一行");
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
    let s: TcpListener = todo!("第 1、2 步: 用 TcpListener::bind 绑定 host 和 port (Rust 一步做完原文的创建套接字、bind 和 listen), 失败时交给 bind_failed 报错退出, 见原文「1.2.2服务器」; 注意: 地址来自 --host 和 --port, 不要把 9999 写死");
    // 排队等 accept 的连接数: std 固定为 128, 突发的大量连接需要更多 (src/backlog.rs)
    lesson03::backlog::apply(&s, backlog);
    announce("tcp", s.local_addr().or_exit("读取监听地址"));
    println!("Waiting for connection...");

    // 3. 永久循环: accept 等待并返回一个新连接
    let mut count = 0u64;
    loop {
        let (sock, addr): (TcpStream, SocketAddr) = todo!("第 3 步: 调用 s 的 accept, 得到新连接 sock 和对方地址 addr; 出错时交给 accept_failed, 再 continue, 见原文「1.2.2服务器」; 注意: 这个 loop 就是原文的 while True, accept 在循环里, 服务完一个客户端要回来接下一个, 出错也不能退出");
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
        let spawned: io::Result<thread::JoinHandle<()>> = todo!("第 4 步: 用 thread::Builder 开一个新线程, 用 name 起名 线程-1、线程-2 … (编号用 count), spawn 一个 move 闭包, 里面调用 tcplink, 它返回的错误交给 log_client_error; spawn 的结果就是 spawned, 见原文「1.2.2服务器」里的 threading.Thread; 注意: 不要 join 等线程结束, 主线程要马上回去 accept");
        if let Err(e) = spawned {
            log_client_error(addr, &e); // 线程开不出来: 只放弃这个客户端
        }
    }
}
