//! 多线程回声服务器: redoes 004 「多线程并发」 (port 8000, every address).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson03 --bin echo_server
//!   terminal 2: cargo run -p lesson01 --bin upper_client      (any client of port 8000)
//! Every client gets a thread that sends back what it receives. A client silent for
//! 60 s (the text's `settimeout(60)`, `--idle` to change) is dropped.
//!
//! Difference from the text: its handler catches every error, closes the socket and
//! loops again, so once a client leaves the thread spins forever on a closed socket
//! (one core at 100% per departed client). Here the thread ends when its client
//! leaves, times out or breaks.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;
use support::{announce, bind_failed, log_client_error, Cli, OrExit};

const HELP: &str = "
echo_server: 每个客户端一个线程, 原样发回收到的字节; 空闲太久的客户端被断开。
echo_server: a thread per client echoes the bytes back; idle clients are dropped.

用法 usage: echo_server [--host H] [--port P] [--idle SECS]
  --host H      默认 default 0.0.0.0
  --port P      默认 default 8000
  --idle SECS   空闲超时 idle timeout (默认 default 60, 原文的 settimeout(60))
";

/// The per-client thread's work: echo until the client leaves or falls silent.
fn handle_client_request(
    mut client: TcpStream,
    address: SocketAddr,
    idle: Duration,
) -> io::Result<()> {
    // 原文的 client.settimeout(60): 每次 read 最多等这么久
    client.set_read_timeout(Some(idle))?;
    let mut buf = [0u8; 1024];
    loop {
        let n = match client.read(&mut buf) {
            Ok(0) => break, // 客户端离开: 线程结束, 不会空转
            Ok(n) => n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                println!("客户端 {address} 空闲超过 {} 秒, 断开", idle.as_secs_f64());
                break;
            }
            Err(e) => return Err(e),
        };
        client.write_all(&buf[..n])?;
    }
    println!("客户端 {address} 的线程结束");
    Ok(())
}

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("0.0.0.0");
    let port = cli.port(8000);
    let idle = cli.positive_seconds("--idle", 60.0);
    cli.done();

    // 1. 创建套接字并绑定 (std 已在 Unix 上设置 SO_REUSEADDR, 原文是手动设置的)
    let sock =
        TcpListener::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    announce("tcp", sock.local_addr().or_exit("读取监听地址"));

    // 2. 监听循环: 每个客户端交给一个新线程
    loop {
        let (client, address) = match sock.accept() {
            Ok(pair) => pair,
            Err(e) => {
                log_client_error("(accept)", &e);
                continue;
            }
        };
        println!("客户端 {address} 已连接");
        let spawned = lesson03::spawn_named(format!("echo {address}"), move || {
            if let Err(e) = handle_client_request(client, address, idle) {
                log_client_error(address, &e);
            }
        });
        if let Err(e) = spawned {
            log_client_error(address, &e);
        }
    }
}
