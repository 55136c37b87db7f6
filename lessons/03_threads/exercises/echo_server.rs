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
        let n: usize = todo!("第 4 步: match client.read(&mut buf): Ok(0) 客户端离开就 break; 超时 (ErrorKind::WouldBlock 或 TimedOut) 时打印 客户端 {{address}} 空闲超过 {{秒}} 秒, 断开 再 break; 别的错误 return Err(e), 见原文「多线程并发」的 handleClientRequest; 注意: 原文读到空数据后还在 while True 里空转, 这里一定要 break");
        // 5. 原样发回。原文用 send: send 可能只发出一部分, write_all 会发完 (相当于 sendall)
        todo!("第 5 步: client.write_all(&buf[..n])? 原样发回, 见原文「多线程并发」的 client.send(data); 注意: 只发前 n 个字节");
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
    let sock: TcpListener = todo!("第 1 步: TcpListener::bind((host.as_str(), port)), 失败时 bind_failed(&host, port, e), 见原文「多线程并发」的 ThreadSocket.__init__ 和 listen; 注意: 默认地址是 0.0.0.0:8000, 来自 --host 和 --port");
    announce("tcp", sock.local_addr().or_exit("读取监听地址"));

    // 2. 监听循环: accept 一个客户端, 设好超时, 交给一个新线程
    loop {
        let (client, address): (TcpStream, SocketAddr) = todo!("第 2 步: match sock.accept(), 出错时 accept_failed(&e) 再 continue, 见原文「多线程并发」的 self.sock.accept(); 注意: accept 在 loop 里, 每个客户端都回到这里");
        println!("客户端 {address} 已连接");
        // 原文的 client.settimeout(60): 之后这个客户端的每次 read 最多等这么久
        todo!("第 2 步 (续): client.set_read_timeout(Some(idle)), 出错时 log_client_error 再 continue, 见原文「多线程并发」的 client.settimeout(60); 注意: 要在开线程之前设好");
        // 3. 原文的 threading.Thread(target=handleClientRequest, ...).start()
        let spawned: io::Result<thread::JoinHandle<()>> = todo!("第 3 步: thread::Builder::new().name(format!(\"echo {{address}}\")).spawn(move || ...) 里调用 handle_client_request, 出错时 log_client_error, 最后打印 客户端 {{address}} 的线程结束, 见原文「多线程并发」的 threading.Thread(...).start(); 注意: 不要等线程结束, 主线程马上回去 accept");
        if let Err(e) = spawned {
            log_client_error(address, &e);
        }
    }
}
