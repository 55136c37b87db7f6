#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 多线程回声服务器: 重做 004 「多线程并发」 (端口 8000, 本机所有地址)。
//!
//! 练习 (学生版): 原文的套接字调用换成了 `todo!("第 N 步: …")`。按顺序完成每一步;
//! 运行时会 panic, 显示第一个还没完成的步骤。用 `cargo grade lesson03` 检查自己的程序。
//!
//! 运行两端:
//!   终端 1: cargo run -p lesson03 --bin echo_server
//!   终端 2: cargo run -p lesson01 --bin upper_client      (任何连 8000 端口的客户端都行)
//! 每个客户端一个线程, 收到什么就发回什么。60 秒不说话的客户端 (原文的 `settimeout(60)`,
//! `--idle` 可改) 被断开。
//!
//! 和原文一样绑定 0.0.0.0 (原文的 `''`): 同一局域网的其他机器也能连进来; 所以
//! Windows 和 macOS 第一次运行时会弹出防火墙提示。只在本机试验时用 `--host 127.0.0.1`。
//!
//! 和原文不同之处: 原文的处理函数捕获所有异常, 关闭套接字后又回到循环开头, 所以客户端
//! 一离开, 线程就对着关闭的套接字无限空转 (每个离开的客户端占满一个 CPU 核)。这里客户端
//! 离开、超时或出错时, 线程就结束。accept 失败 (例如文件描述符用完) 时稍停再试。
//!
//! English: redoes 004's threaded echo server on 0.0.0.0:8000 (the text binds all
//! addresses; a firewall prompt on Windows/macOS). The text's handler spins on a
//! closed socket after its client leaves; ours ends the thread.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;
use support::{accept_failed, announce, bind_failed, log_client_error, Cli, OrExit};

const HELP: &str = "
echo_server: 每个客户端一个线程, 原样发回收到的字节; 空闲太久的客户端被断开。
echo_server: a thread per client echoes the bytes back; idle clients are dropped.

用法 usage: echo_server [--host H] [--port P] [--idle SECS]
  --host H      默认 default 0.0.0.0
  --port P      默认 default 8000
  --idle SECS   空闲超时 idle timeout (默认 default 60, 原文的 settimeout(60))
";

/// 原文的 `handleClientRequest`: 每个客户端的线程做的事, 回声, 直到客户端离开或太久不说话。
fn handle_client_request(
    mut client: TcpStream,
    address: SocketAddr,
    idle: Duration,
) -> io::Result<()> {
    let mut buf = [0u8; 1024];
    loop {
        // 4. recv(1024): 一次 read, 最多 1024 字节
        let n: usize = todo!("第 4 步: 对 client 的 read 的结果用 match 分情况: 读到 0 字节是客户端离开, break; 超时 (ErrorKind::WouldBlock 或 TimedOut) 时打印 客户端 <地址> 空闲超过 <秒数> 秒, 断开 (秒数用 idle.as_secs_f64()), 再 break; 别的错误 return 出去, 见原文「多线程并发」里的 handleClientRequest; 注意: 原文读到空数据后还在 while True 里空转, 这里一定要 break");
        // 5. 原样发回。原文用 send: send 可能只发出一部分, write_all 会发完 (相当于 sendall)
        todo!("第 5 步: 用 write_all 把收到的字节原样发回, 出错用 ? 交给调用者, 见原文「多线程并发」; 注意: 只发 buf 的前 n 个字节");
    }
    Ok(())
}

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("0.0.0.0");
    let port = cli.port(8000);
    let idle = cli.positive_seconds("--idle", 60.0);
    cli.done();

    // 1. 创建套接字并绑定 (std 已在 Unix 上设置 SO_REUSEADDR, 原文是手动设置的);
    //    bind 同时 listen, std 的队列长度是 128 (原文 listen(5))
    let sock: TcpListener = todo!("第 1 步: 用 TcpListener::bind 绑定 host 和 port, 失败时交给 bind_failed 报错退出, 见原文「多线程并发」里的 __init__ 和 listen; 注意: 默认地址 0.0.0.0:8000 已经由 --host 和 --port 给出, 不要写死");
    announce("tcp", sock.local_addr().or_exit("读取监听地址"));

    // 2. 监听循环: accept 一个客户端, 设好超时, 交给一个新线程
    loop {
        let (client, address): (TcpStream, SocketAddr) = todo!("第 2 步: 调用 sock 的 accept, 得到 client 和 address; 出错时交给 accept_failed, 再 continue, 见原文「多线程并发」里的 accept; 注意: 这个 loop 就是原文的 while True, 每个客户端都要回到这里, 出错也不能退出");
        println!("客户端 {address} 已连接");
        // 原文的 client.settimeout(60): 之后这个客户端的每次 read 最多等这么久
        todo!("第 2 步 (续): 用 set_read_timeout 给 client 设上 idle 这么长的读超时, 出错时交给 log_client_error, 再 continue, 见原文「多线程并发」里的 settimeout; 注意: 要在开线程之前设好");
        // 3. 原文的 threading.Thread(target=handleClientRequest, ...).start()
        let spawned: io::Result<thread::JoinHandle<()>> = todo!("第 3 步: 用 thread::Builder 开一个新线程 (用 name 起名 echo <地址>), spawn 一个 move 闭包: 调用 handle_client_request, 它返回的错误交给 log_client_error, 最后打印 客户端 <地址> 的线程结束; spawn 的结果就是 spawned, 见原文「多线程并发」里的 threading.Thread; 注意: 不要 join 等线程结束, 主线程要马上回去 accept");
        if let Err(e) = spawned {
            log_client_error(address, &e);
        }
    }
}
