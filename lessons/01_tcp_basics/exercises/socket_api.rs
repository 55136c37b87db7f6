#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 套接字方法表: 在本机回环上逐行走一遍 002 的套接字方法表。
//! 练习 (学生版): 原文的调用换成了 `todo!("第 N 步: …")`; 按步骤的顺序写出来, 程序运行时停在第一个没写的步骤。
//! 练习 (学生版): 另一端: 不需要另一端: 直接运行 `cargo run -p lesson01 --bin socket_api`, 它在本机回环上自己和自己连接。
//! 练习 (学生版): 检查: `cargo grade socket_api`; 卡住时看提示: `cargo grade hint socket_api`。
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
    let (listener, client, server_side): (TcpListener, TcpStream, TcpStream) = todo!(
        "第 1 步: 用 TcpListener::bind 在 127.0.0.1 的 0 号端口监听, 用 TcpStream::connect 连上它, 再 accept 得到服务器这一端"
    );
    // 再连一个客户端, 先不 accept: 它在监听队列里等着, 表里 accept 那一行要用它
    let _queued: TcpStream = todo!("第 1 步: 再 connect 一次, 先不 accept");
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
        "bind" => todo!("第 2 步 (s.bind): 用 local_addr 读出监听套接字绑定到的地址 (bind 在 main 里已经做了)"),
        "listen" => todo!("第 2 步 (s.listen): 说明 std 的 bind 返回时已经在监听 (std 用的 backlog 是 128, 这句话里要有这个数)"),
        "accept" => todo!("第 2 步 (s.accept): 用 accept 接受在队列里等着的第二个客户端, 说出它的地址"),
        "connect" => todo!("第 2 步 (s.connect): 用 local_addr 和 peer_addr 说出 client 从哪里连到了哪里 (用 -> 连起来)"),
        "connect_ex" => todo!("第 2 步 (s.connect_ex): 用 TcpStream::connect 连一个没人监听的端口, 说出 Err 的 kind 和 raw_os_error"),
        "recv" => todo!("第 2 步 (s.recv): client 用 write_all 发 ping, server_side 用 read 收一次, 说出读到几个字节和内容"),
        "send" => todo!("第 2 步 (s.send): server_side 用 write 发 pong, 说出它返回的字节数"),
        "sendall" => todo!("第 2 步 (s.sendall): server_side 用 write_all 发一万个字节"),
        "recvfrom" => todo!("第 2 步 (s.recvfrom): udp_a 用 send_to 给 udp_b 发 hello, udp_b 用 recv_from 收, 说出字节数和发送方"),
        "sendto" => todo!("第 2 步 (s.sendto): udp_b 用 send_to 回 hi 给 udp_a, udp_a 用 recv_from 收, 说出两边的字节数和发送方"),
        "close" => todo!("第 2 步 (s.close): client 用 shutdown 关掉写的方向, server_side 用 read_to_end 读到结束, 说出对方 read 返回 0"),
        "getpeername" => todo!("第 2 步 (s.getpeername): 用 peer_addr 说出 server_side 的对方地址"),
        "getsockname" => todo!("第 2 步 (s.getsockname): 用 local_addr 说出 server_side 的本地地址"),
        "setsockopt" => todo!("第 2 步 (s.setsockopt): 用 set_nodelay 和 set_ttl 设置 client 的两个选项 (true 和 32)"),
        "getsockopt" => todo!("第 2 步 (s.getsockopt): 交给下面的 reuse_line (它用 nodelay、ttl 和 sockopt 读回选项)"),
        "settimeout" => todo!("第 2 步 (s.settimeout): 用 set_read_timeout 给 udp_a 设 50ms, 再 recv_from 等到超时, 说出得到的错误"),
        "gettimeout" => todo!("第 2 步 (s.gettimeout): 用 read_timeout 读回 udp_a 的超时; 读回的值不是 50ms 时解释内核按时钟节拍 (jiffy) 取整"),
        "fileno" => todo!("第 2 步 (s.fileno): 交给下面的 fileno_line (它用 as_raw_fd 或 as_raw_socket)"),
        "setblocking" => todo!("第 2 步 (s.setblocking): 用 set_nonblocking 把 udp_b 设成非阻塞, 再 recv_from, 说出立刻返回的 WouldBlock"),
        "makefile" => todo!("第 2 步 (s.makefile): 用 pair 得到一对连接, 一端写两行, 另一端包进 BufReader 用 read_line 读一行"),
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

// 帮助文字 (原文没有命令行参数)。The help text.
const HELP: &str = "
socket_api: 在本机回环上逐行演示 002 的套接字方法表, Python 方法旁边是 std 的做法。
socket_api: walk 002's socket method table over loopback, std beside each Python call.

用法 usage: socket_api
";
