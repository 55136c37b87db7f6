#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 套接字方法表: 在本机回环上逐行走一遍 002 的套接字方法表。
//!
//! 【练习】这是练习版: 原文的套接字调用被换成了 `todo!("第 N 步: ...")`, 按顺序把它们写出来。
//! 复制到 `src/bin/socket_api.rs` 后运行, 会在第一个没完成的步骤处停下并显示提示; 用
//! `cargo grade lesson01` (或 `cargo test -p lesson01`) 检查。
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

const HELP: &str = "
socket_api: 在本机回环上逐行演示 002 的套接字方法表, Python 方法旁边是 std 的做法。
socket_api: walk 002's socket method table over loopback, std beside each Python call.

用法 usage: socket_api
";

/// The sockets the walk builds up as it goes.
struct Walk {
    listener: TcpListener,
    client: TcpStream,
    server_side: TcpStream,
    udp_a: UdpSocket,
    udp_b: UdpSocket,
}

/// Runs the std call of one row and says what happened.
fn demo(python: &str, w: &mut Walk) -> io::Result<String> {
    let name = python
        .trim_start_matches("s.")
        .split('(')
        .next()
        .unwrap_or("");
    // 收数据用的缓冲区, 和原文的 recv(1024) 一样大
    let mut buf = [0u8; 1024];
    Ok(match name {
        "bind" => todo!("第 2 步 (s.bind): w.listener.local_addr() (bind 已在 main 里做了), 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "listen" => todo!("第 2 步 (s.listen): 说明: std 的 bind 里已经 listen 了 (backlog 128), 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "accept" => todo!("第 2 步 (s.accept): w.listener.accept(), 接受排队的第二个客户端, 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "connect" => todo!("第 2 步 (s.connect): w.client.local_addr() 和 peer_addr(), 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "connect_ex" => todo!("第 2 步 (s.connect_ex): TcpStream::connect 一个没人监听的端口, 看 Err 的 kind() 和 raw_os_error(), 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "recv" => todo!("第 2 步 (s.recv): w.client.write_all(b\"ping\"), 再 w.server_side.read(&mut buf), 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "send" => todo!("第 2 步 (s.send): w.server_side.write(b\"pong\"), 返回写出的字节数, 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "sendall" => todo!("第 2 步 (s.sendall): w.server_side.write_all(&[b'x'; 10_000]), 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "recvfrom" => todo!("第 2 步 (s.recvfrom): w.udp_a.send_to(b\"hello\", ..), w.udp_b.recv_from(&mut buf), 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "sendto" => todo!("第 2 步 (s.sendto): w.udp_b.send_to(b\"hi\", ..), w.udp_a.recv_from(&mut buf), 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "close" => todo!("第 2 步 (s.close): w.client.shutdown(Shutdown::Write), 对方 read_to_end 读到 EOF, 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "getpeername" => todo!("第 2 步 (s.getpeername): w.server_side.peer_addr(), 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "getsockname" => todo!("第 2 步 (s.getsockname): w.server_side.local_addr(), 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "setsockopt" => todo!("第 2 步 (s.setsockopt): w.client.set_nodelay(true), set_ttl(32), 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "getsockopt" => todo!("第 2 步 (s.getsockopt): reuse_line(w): nodelay(), ttl(), sockopt::reuse_addr, 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "settimeout" => todo!("第 2 步 (s.settimeout): w.udp_a.set_read_timeout(Some(50ms)), 再 recv_from 等到超时, 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "gettimeout" => todo!("第 2 步 (s.gettimeout): w.udp_a.read_timeout(), 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "fileno" => todo!("第 2 步 (s.fileno): fileno_line(w): as_raw_fd(), 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "setblocking" => todo!("第 2 步 (s.setblocking): w.udp_b.set_nonblocking(true), recv_from 立刻返回 WouldBlock, 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        "makefile" => todo!("第 2 步 (s.makefile): pair(), BufReader::new(b).read_line(..), 见原文 002 的套接字方法表; 注意: 出错用 ? 交回, 打印真实的返回值"),
        _ => "?".into(),
    })
}

/// getsockopt: typed getters, plus SO_REUSEADDR read through the FFI module.
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

/// A connected pair of TCP streams over loopback.
fn pair() -> io::Result<(TcpStream, TcpStream)> {
    let l = TcpListener::bind("127.0.0.1:0")?;
    let a = TcpStream::connect(l.local_addr()?)?;
    let (b, _) = l.accept()?;
    Ok((a, b))
}

fn main() {
    Cli::new(HELP).done();
    // 1. 准备要演示的套接字: 监听 (bind), 连接 (connect), 接受 (accept), 两个 UDP 套接字
    let (listener, client, server_side): (TcpListener, TcpStream, TcpStream) = todo!(
        "第 1 步: TcpListener::bind(\"127.0.0.1:0\"), TcpStream::connect(listener.local_addr()), listener.accept(), 见原文 002 的方法表; 注意: 端口 0 让系统挑一个空闲端口"
    );
    // A second client waits in the listen queue for the `accept` row.
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
