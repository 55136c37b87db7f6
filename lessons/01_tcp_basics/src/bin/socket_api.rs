//! 套接字方法表: 在本机回环上逐行走一遍 002 的套接字方法表。
//!
//! 运行方法:
//!   cargo run -p lesson01 --bin socket_api
//! 对表里的每个 Python 方法, 在真实的回环套接字上运行 std 里对应的调用, 打印发生了什么。
//! 表本身在 `lesson01::api` 里, 课程 README 里也有一份文字版。
//!
//! English: walks 002's socket method table over loopback, running the std call
//! beside each Python method and printing what happened.

use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream, UdpSocket};
use std::time::Duration;
use support::{Cli, OrExit};

fn main() {
    Cli::new(HELP).done();
    // 1. 准备要演示的套接字: 监听 (bind), 连接 (connect), 接受 (accept), 两个 UDP 套接字
    let listener = TcpListener::bind("127.0.0.1:0").or_exit("绑定 127.0.0.1:0");
    let client = TcpStream::connect(listener.local_addr().or_exit("读取地址")).or_exit("连接");
    let (server_side, _) = listener.accept().or_exit("接受连接");
    // 第二个客户端留在监听队列里, 给表里 `accept` 那一行去接受
    let _queued = TcpStream::connect(listener.local_addr().or_exit("读取地址")).or_exit("连接");
    let mut w = Walk {
        listener,
        client,
        server_side,
        udp_a: UdpSocket::bind("127.0.0.1:0").or_exit("绑定 UDP"),
        udp_b: UdpSocket::bind("127.0.0.1:0").or_exit("绑定 UDP"),
    };
    // 2. 按 002 的表逐行运行 std 里对应的调用 (见 demo), 打印结果
    for row in lesson01::api::TABLE {
        let what = demo(row.python, &mut w).unwrap_or_else(|e| format!("失败: {e}"));
        println!("{:<22} → {}", row.python, row.std);
        println!("{:<22}   {what}", "");
    }
}

/// 演示一路要用到的套接字。The sockets the walk uses.
struct Walk {
    listener: TcpListener,
    client: TcpStream,
    server_side: TcpStream,
    udp_a: UdpSocket,
    udp_b: UdpSocket,
}

/// 运行表里一行对应的 std 调用, 说出发生了什么。Runs one row's std call.
fn demo(python: &str, w: &mut Walk) -> io::Result<String> {
    let name = python
        .trim_start_matches("s.")
        .split('(')
        .next()
        .unwrap_or("");
    // 收数据用的缓冲区, 和原文的 recv(1024) 一样大
    let mut buf = [0u8; 1024];
    Ok(match name {
        "bind" => format!("绑定到 {}", w.listener.local_addr()?),
        "listen" => "bind 返回时已经在监听 (std 用的 backlog 是 128; lesson03 的 --backlog 再调用一次 listen 来改它)".into(),
        "accept" => {
            let (_, peer) = w.listener.accept()?; // 队列里等着的是 main 里第二次 connect 的客户端
            format!("接受了 {peer} 的连接")
        }
        "connect" => format!("{} -> {}", w.client.local_addr()?, w.client.peer_addr()?),
        "connect_ex" => {
            // 一个没人监听的端口: 先占一个空闲端口, 再马上关掉它
            let closed = TcpListener::bind("127.0.0.1:0")?.local_addr()?;
            match TcpStream::connect(closed) {
                Ok(_) => "意外地连上了".into(),
                Err(e) => format!(
                    "连接 {closed} 得到 Err({:?}), os 错误码 {:?}",
                    e.kind(),
                    e.raw_os_error()
                ),
            }
        }
        "recv" => {
            w.client.write_all(b"ping")?;
            let n = w.server_side.read(&mut buf)?;
            // from_utf8_lossy 相当于 Python 的 decode('utf-8', errors='replace'): 坏字节变成 U+FFFD
            format!("读到 {n} 字节: {:?}", String::from_utf8_lossy(&buf[..n]))
        }
        "send" => format!(
            "write 返回 {} (写出的字节数)",
            w.server_side.write(b"pong")?
        ),
        "sendall" => {
            w.server_side.write_all(&[b'x'; 10_000])?;
            "write_all 写完了 10000 字节".into()
        }
        "recvfrom" => {
            w.udp_a.send_to(b"hello", w.udp_b.local_addr()?)?;
            let (n, from) = w.udp_b.recv_from(&mut buf)?;
            format!("收到 {n} 字节, 来自 {from}")
        }
        "sendto" => {
            let sent = w.udp_b.send_to(b"hi", w.udp_a.local_addr()?)?;
            let (n, from) = w.udp_a.recv_from(&mut buf)?;
            format!("send_to 发出 {sent} 字节的数据报; 对方 recv_from 收到 {n} 字节, 来自 {from}")
        }
        "close" => {
            w.client.shutdown(Shutdown::Write)?;
            let mut rest = Vec::new();
            w.server_side.read_to_end(&mut rest)?;
            "shutdown(Write) 后对方 read 返回 0; drop 关闭描述符".into()
        }
        "getpeername" => format!("对方地址 {}", w.server_side.peer_addr()?),
        "getsockname" => format!("本地地址 {}", w.server_side.local_addr()?),
        "setsockopt" => {
            w.client.set_nodelay(true)?;
            w.client.set_ttl(32)?;
            "TCP_NODELAY=true, IP_TTL=32".into()
        }
        "getsockopt" => reuse_line(w)?,
        "settimeout" => {
            w.udp_a.set_read_timeout(Some(Duration::from_millis(50)))?;
            match w.udp_a.recv_from(&mut buf) {
                Err(e) => format!("没有数据, 50ms 后 recv_from 返回 Err({:?})", e.kind()),
                Ok((n, _)) => format!("意外地收到了 {n} 字节"),
            }
        }
        "gettimeout" => {
            let back = w.udp_a.read_timeout()?;
            let mut line = format!("read_timeout() = {back:?} (设置的是 50ms)");
            if back != Some(Duration::from_millis(50)) {
                // Linux 按时钟节拍 (jiffies) 保存读超时: 250 Hz 时 50 ms 是 12.5 拍,
                // 向上取整成 13 拍, 读回来就是 52 ms
                line.push_str(
                    "; 内核按时钟节拍 (jiffy, 常见每拍 4ms) 保存超时并向上取整, 所以读回来的值略大",
                );
            }
            line
        }
        "fileno" => fileno_line(w),
        "setblocking" => {
            w.udp_b.set_nonblocking(true)?;
            match w.udp_b.recv_from(&mut buf) {
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    "没有数据时立刻返回 Err(WouldBlock)".into()
                }
                other => format!("{other:?}"),
            }
        }
        "makefile" => {
            let (mut a, b) = pair()?;
            a.write_all(b"line one\nline two\n")?;
            let mut line = String::new();
            BufReader::new(b).read_line(&mut line)?;
            format!("BufReader::read_line 读到 {line:?}")
        }
        _ => "?".into(),
    })
}

/// getsockopt 那一行: std 自带的读取方法 (`nodelay()`、`ttl()`), 再加上 `lesson01::sockopt` 用一个
/// `extern "C"` 声明读回的 SO_REUSEADDR 和接收缓冲区大小。
#[cfg(unix)]
fn reuse_line(w: &Walk) -> io::Result<String> {
    Ok(format!(
        "nodelay()={}, ttl()={}, 监听套接字的 SO_REUSEADDR={} (std 在 bind 前已设置), SO_RCVBUF={}",
        w.client.nodelay()?,
        w.client.ttl()?,
        lesson01::sockopt::reuse_addr(&w.listener)?,
        lesson01::sockopt::recv_buffer(&w.client)?
    ))
}

#[cfg(not(unix))]
fn reuse_line(w: &Walk) -> io::Result<String> {
    Ok(format!(
        "nodelay()={}, ttl()={}",
        w.client.nodelay()?,
        w.client.ttl()?
    ))
}

#[cfg(unix)]
fn fileno_line(w: &Walk) -> String {
    use std::os::fd::AsRawFd;
    format!("监听套接字的描述符是 {}", w.listener.as_raw_fd())
}

#[cfg(not(unix))]
fn fileno_line(w: &Walk) -> String {
    use std::os::windows::io::AsRawSocket;
    format!("监听套接字的句柄是 {}", w.listener.as_raw_socket())
}

/// 回环上一对连好的 TCP 连接 (客户端那一端, 服务器那一端)。A connected loopback pair.
fn pair() -> io::Result<(TcpStream, TcpStream)> {
    let l = TcpListener::bind("127.0.0.1:0")?;
    let a = TcpStream::connect(l.local_addr()?)?;
    let (b, _) = l.accept()?;
    Ok((a, b))
}

// 帮助文字 (原文没有命令行参数)。The help text.
const HELP: &str = "
socket_api: 在本机回环上逐行演示 002 的套接字方法表, Python 方法旁边是 std 的做法。
socket_api: walk 002's socket method table over loopback, std beside each Python call.

用法 usage: socket_api
";
