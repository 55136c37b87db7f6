//! 多线程服务器: 重做 003 「1.2.2服务器」 (127.0.0.1:9999), 每个客户端一个线程。
//!
//! 运行两端:
//!   终端 1: cargo run -p lesson03 --bin server
//!   终端 2: cargo run -p lesson03 --bin client      (第一个还在对话时, 再开一个终端 3)
//!   (另一端也可以是原文 「1.2.2服务器」 客户端的 Python 程序)
//! 两个客户端各由自己的线程服务, 谁也不用等谁。加 `--one-at-a-time` 就成了 004
//! 「多次交互」 的服务器: 第二个客户端能连上, 却要等第一个离开才有回应。
//!
//! 读法: 先是 `tcplink` (和一个客户端的整段对话, 第 1 到 5 步), 然后是 `main` (绑定、监听、
//! accept 循环、开线程, 第 6 到 8 步); 命令行参数在文件末尾。原文先 bind 和 listen, 再定义
//! tcplink, 最后是 accept 循环; Rust 的函数写在 `main` 外面, 所以 tcplink 排到了最前面。
//!
//! 和原文不同之处:
//! * 原文每条消息后的 1 秒停顿是 `--pause` (测试里用 0);
//! * 原文的 `decode('utf-8')` 遇到不合法的字节会抛异常, 这个线程就死了; 我们用
//!   `String::from_utf8_lossy`, 相当于 `decode('utf-8', errors='replace')`: 坏字节变成 U+FFFD (�);
//! * accept 出错 (例如文件描述符用完) 或系统开不出新线程时, 记一行日志, 服务器继续;
//! * `--backlog N`: 同时涌来上千个连接时, 让更多的连接排队等 accept (见本课 README 的 「深入」)。
//!
//! 每连接一线程是最简单的并发服务器; `pool_server` 限制线程数, 正式的程序用异步 I/O
//! (tokio) 在几个线程上服务几万个客户端。
//!
//! English: redoes 003's threaded server: `tcplink` (steps 1-5) comes first (a Rust fn
//! lives outside `main`), then `main` (steps 6-8); the flags are parsed at the end.
//! `--one-at-a-time` shows 004's "the second client hangs". Differences: `--pause`,
//! lossy UTF-8, a failed accept or a refused thread is logged, `--backlog`.

use lesson03::{accepted, logged, or_drop_client};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;
use support::{announce, bind_failed, Cli, OrExit};

/// 原文的 `tcplink`: 和一个客户端的整段对话, 在它自己的线程里运行。
/// 先发 `Welcome!`, 之后每收到一条消息就回复 `Hello, <消息>!`, 直到对方发 `exit` 或离开。
///
/// `pause` 是原文每次 recv 之后的 `time.sleep(1)`: 它代表耗时的工作, 也正是它让
/// "一次只服务一个客户端" 的服务器慢得看得见。
fn tcplink(mut sock: TcpStream, addr: SocketAddr, pause: Duration) -> io::Result<()> {
    println!("Accept new connection from {addr}...");
    // 1. 发送欢迎消息 (原文 send; send 可能只发出一部分, write_all 会发完)
    sock.write_all(b"Welcome!")?;
    let mut buf = [0u8; 1024];
    loop {
        // 2. recv(1024): 一次 read, 最多 1024 字节; 然后像原文一样停一会儿
        let n = sock.read(&mut buf)?;
        thread::sleep(pause);
        // 3. 读到 0 字节 (对方关闭了连接) 或收到 `exit` 就结束对话
        if n == 0 || &buf[..n] == b"exit" {
            break;
        }
        // 4. 回复 Hello, <消息>!: 先解码 (from_utf8_lossy, 即 decode('utf-8', errors='replace')),
        //    拼好再编码成 UTF-8 字节发回
        let reply = format!("Hello, {}!", String::from_utf8_lossy(&buf[..n]));
        sock.write_all(reply.as_bytes())?;
    }
    // 5. 关闭套接字 (原文 sock.close(); Rust 里就是 drop), 然后说一声
    drop(sock);
    println!("Connection from {addr} closed.");
    Ok(())
}

fn main() {
    // 原文把地址写死成 ('127.0.0.1', 9999); 我们从参数读 (见文件末尾的 args)
    let Args {
        host,
        port,
        pause,
        backlog,
        one_at_a_time,
    } = args();

    // 6. 创建套接字、绑定、监听 (原文 socket + bind + listen(5)): std 的 TcpListener::bind 一步做完
    let s =
        TcpListener::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    lesson03::backlog::apply(&s, backlog); // --backlog: 原文 listen(5) 里的那个数 (见 README 「深入」)
    announce("tcp", s.local_addr().or_exit("读取监听地址"));
    println!("Waiting for connection...");

    loop {
        // 7. 永久循环: accept 等待并返回一个新连接。出错时 accepted 记一行日志, 然后
        //    continue 等下一个 (原文的 accept 出错会抛异常, 服务器就退出了)
        let Some((sock, addr)) = accepted(s.accept()) else {
            continue;
        };
        // --one-at-a-time 是 004 「多次交互」 的问题: 不开线程, 在主线程里跑完 tcplink 才回去 accept
        if one_at_a_time {
            logged(addr, tcplink(sock, addr, pause));
            continue;
        }
        // 8. 创建新线程运行 tcplink (原文 threading.Thread(target=tcplink, ...).start()), 不等它
        //    结束 (不 join), 主线程马上回去 accept。线程里的错误由 logged 记一行; 系统开不出
        //    线程时 thread::spawn 会 panic, or_drop_client 接住它, 只放弃这个客户端
        or_drop_client(addr, || {
            thread::spawn(move || logged(addr, tcplink(sock, addr, pause)))
        });
    }
}

// ---------------------------------------------------------------------------
// 以下是原文没有的部分: 命令行参数。Beyond the text: the flags.
// ---------------------------------------------------------------------------

const HELP: &str = "
server: 每个客户端一个线程: 先发 Welcome!, 然后对每条消息回复 Hello, <消息>!, 收到 exit 结束。
server: a thread per client: send Welcome!, answer each message with Hello, <message>!, exit ends.

用法 usage: server [--host H] [--port P] [--pause SECS] [--one-at-a-time] [--backlog N]
  --host H           默认 default 127.0.0.1
  --port P           默认 default 9999, 0 = any free port
  --pause SECS       每条消息后停顿 (原文的 time.sleep(1)) pause after each message (默认 default 1)
  --one-at-a-time    不开线程, 一次只服务一个客户端 (004 的问题) serve one client at a time
  --backlog N        最多多少个连接排队等 accept listen queue length (默认 default std 的 128;
                     上千个客户端同时连接时用 4096 for bursts of thousands; Windows 上不能改)
";

/// 命令行给出的设置; 不给时是原文的值。
struct Args {
    host: String,
    port: u16,
    pause: Duration,
    backlog: u32,
    one_at_a_time: bool,
}

fn args() -> Args {
    let mut cli = Cli::new(HELP);
    let args = Args {
        host: cli.host("127.0.0.1"),
        port: cli.port(9999),
        pause: cli.seconds("--pause", 1.0),
        backlog: cli.parsed("--backlog", lesson03::backlog::STD_BACKLOG),
        one_at_a_time: cli.switch("--one-at-a-time"),
    };
    cli.done();
    args
}
