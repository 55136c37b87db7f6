//! Lesson 03, 多线程并发: the library behind the binaries in `src/bin/`.
//!
//! * [`tcplink`]: the per-client conversation of 003 「1.2.2服务器」, shared by
//!   `server` (a thread per client, or one at a time) and `pool_server`;
//! * [`socketserver`]: a small counterpart of Python's `socketserver` (004);
//! * [`pool`]: a fixed-size thread pool, as in the last chapter of the Rust book;
//! * [`backlog`]: a wider listen queue than std's 128, for bursts of clients.

pub mod backlog;
pub mod pool;
pub mod socketserver;

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::Duration;

/// 003 「1.2.2服务器」's `tcplink`: greet with `Welcome!`, then answer every message
/// with `Hello, <message>!` until the client sends `exit` or leaves.
///
/// `pause` is the text's `time.sleep(1)` after each read: it stands for slow work,
/// and it is what makes one-client-at-a-time servers visibly slow.
pub fn tcplink(mut sock: TcpStream, addr: SocketAddr, pause: Duration) -> io::Result<()> {
    // Which thread serves whom: `main` when the server takes one client at a time.
    let who = thread::current().name().unwrap_or("main").to_string();
    println!("[{who}] Accept new connection from {addr}...");
    sock.write_all(b"Welcome!")?;
    let mut buf = [0u8; 1024];
    loop {
        // 一次 read, 最多 1024 字节; 然后像原文一样停一会儿
        let n = sock.read(&mut buf)?;
        thread::sleep(pause);
        // 空读 (对方关闭) 或 `exit` 结束对话
        if n == 0 || &buf[..n] == b"exit" {
            break;
        }
        let reply = format!("Hello, {}!", String::from_utf8_lossy(&buf[..n]));
        sock.write_all(reply.as_bytes())?;
    }
    // 关闭套接字 (drop), 然后说一声
    drop(sock);
    println!("[{who}] Connection from {addr} closed.");
    Ok(())
}

/// Spawns a named thread, turning the OS's refusal (too many threads) into an
/// `io::Error` instead of the panic `thread::spawn` would give.
pub fn spawn_named<F>(name: String, f: F) -> io::Result<thread::JoinHandle<()>>
where
    F: FnOnce() + Send + 'static,
{
    thread::Builder::new().name(name).spawn(f)
}
