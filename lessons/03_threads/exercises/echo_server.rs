#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 多线程回声服务器: 重做 004 「多线程并发」 (端口 8000, 本机所有地址)。
//! 练习 (学生版): 原文的调用换成了 `todo!("第 N 步: …")`; 按步骤的顺序写出来, 程序运行时停在第一个没写的步骤。
//! 练习 (学生版): 另一端: `cargo grade peer echo_server` (现成的客户端: 发 hello 和 你好, 收回原样的字节), 或原文 「多线程并发」 客户端的 Python 程序。
//! 练习 (学生版): 检查: `cargo grade echo_server`; 卡住时看提示: `cargo grade hint echo_server`。
//!
//! 运行两端:
//!   终端 1: cargo run -p lesson03 --bin echo_server
//!   终端 2: cargo run -p lesson01 --bin upper_client      (任何连 8000 端口的客户端都行)
//!   (另一端也可以是原文 「多线程并发」 客户端的 Python 程序)
//! 每个客户端一个线程, 收到什么就发回什么。60 秒不说话的客户端 (原文的 `settimeout(60)`,
//! `--idle` 可改) 被断开。
//!
//! 读法: 和原文一样, 先是绑定和 accept 循环 (原文的 `__init__` 和 `listen`, 在 `main` 里,
//! 第 1 到 4 步), 然后是每个线程做的 `handle_client_request` (第 5、6 步); 命令行参数在文件末尾。
//!
//! 和原文一样绑定 0.0.0.0 (原文的 `''`): 同一局域网的其他机器也能连进来; 所以
//! Windows 和 macOS 第一次运行时会弹出防火墙提示。只在本机试验时用 `--host 127.0.0.1`。
//!
//! 和原文不同之处: 原文的处理函数捕获所有异常, 关闭套接字后又回到循环开头, 所以客户端
//! 一离开, 线程就对着关闭的套接字无限空转 (每个离开的客户端占满一个 CPU 核)。这里客户端
//! 离开、超时或出错时, 线程就结束。accept 出错 (例如文件描述符用完) 或系统开不出线程时,
//! 记一行日志, 服务器继续。
//!
//! English: redoes 004's threaded echo server on 0.0.0.0:8000 (the text binds all
//! addresses; a firewall prompt on Windows/macOS): `main` (steps 1-4), then the
//! handler (steps 5-6), as in the text. The text's handler spins on a closed socket
//! after its client leaves; ours ends the thread.

use lesson03::{accepted, logged, or_drop_client};
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;
use support::{announce, bind_failed, log_client_error, Cli, OrExit};

fn main() {
    // 原文把地址写死成 ('', 8000); 我们从参数读 (见文件末尾的 args)
    let Args { host, port, idle } = args();

    // 1. 创建套接字、绑定、监听 (原文 __init__ 里的 socket、setsockopt、bind 和 listen(5)):
    //    std 的 TcpListener::bind 一步做完, 原文手动设置的选项它在 Unix 上已经设好 (见 README 「深入」)
    let sock: TcpListener = todo!("第 1 步: 用 TcpListener::bind 在 host 和 port 上监听, 失败时交给 bind_failed; 原文 __init__ 里的 socket 和 bind, 以及 listen");
    announce("tcp", sock.local_addr().or_exit("读取监听地址"));

    loop {
        // 2. 永久循环: accept 一个客户端。出错时 accepted 记一行日志, 然后 continue 等下一个
        let (client, address): (TcpStream, SocketAddr) = todo!("第 2 步: 用 accept 等一个客户端, 结果交给 accepted, 它给出 None 时 continue; 原文 listen 里 while True 循环的 accept");
        // 原文不打印这一行; 我们打印, 看得出 accept 已经返回
        println!("客户端 {address} 已连接");
        // 3. 原文的 client.settimeout(60): 之后这个客户端的每次 read 最多等 idle 这么久
        todo!("第 3 步: 用 set_read_timeout 给 client 设上 idle 这么长的读超时, 出错时交给 log_client_error 再 continue; 原文的 settimeout(60)");
        // 4. 开新线程运行 handle_client_request (原文 threading.Thread(...).start()), 不 join,
        //    主线程马上回去 accept。系统开不出线程时 or_drop_client 只放弃这个客户端
        todo!("第 4 步: 在 or_drop_client 里用 thread::spawn 开一个新线程: 运行 handle_client_request, 结果交给 logged, 最后打印 客户端 <地址> 的线程结束; 原文的 threading.Thread 和 start");
    }
}

/// 原文的 `handleClientRequest`: 每个客户端的线程做的事, 回声, 直到客户端离开或太久不说话。
fn handle_client_request(
    mut client: TcpStream,
    address: SocketAddr,
    idle: Duration,
) -> io::Result<()> {
    let mut buf = [0u8; 1024];
    loop {
        // 5. recv(1024): 一次 read, 最多 1024 字节
        let n: usize = todo!("第 5 步: 在 client 上 read 一次, 用 match 分情况: 0 个字节是客户端离开, 要 break; 超时 (WouldBlock 或 TimedOut) 时打印 客户端 <地址> 空闲超过 <秒数> 秒, 断开, 再 break; 别的错误交出去; 原文 handleClientRequest 的 recv(1024)");
        // 6. 原样发回。原文用 send: send 可能只发出一部分, write_all 会发完 (相当于 sendall)
        todo!("第 6 步: 用 write_all 把收到的 n 个字节原样发回; 原文 handleClientRequest 里的 send");
    }
    // 原文的 client.close(): client 在这个函数结束时被 drop, 连接就关闭了
    Ok(())
}

// ---------------------------------------------------------------------------
// 以下是原文没有的部分: 命令行参数。Beyond the text: the flags.
// ---------------------------------------------------------------------------

const HELP: &str = "
echo_server: 每个客户端一个线程, 原样发回收到的字节; 空闲太久的客户端被断开。
echo_server: a thread per client echoes the bytes back; idle clients are dropped.

用法 usage: echo_server [--host H] [--port P] [--idle SECS]
  --host H      默认 default 0.0.0.0
  --port P      默认 default 8000
  --idle SECS   空闲超时 idle timeout (默认 default 60, 原文的 settimeout(60))
";

/// 命令行给出的设置; 不给时是原文的值。
struct Args {
    host: String,
    port: u16,
    idle: Duration,
}

fn args() -> Args {
    let mut cli = Cli::new(HELP);
    let args = Args {
        host: cli.host("0.0.0.0"),
        port: cli.port(8000),
        idle: cli.positive_seconds("--idle", 60.0),
    };
    cli.done();
    args
}
