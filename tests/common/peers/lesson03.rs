//! 第 3 课练习的对端 (见 `mod.rs`)。Peers for lesson 03's exercises.
//!
//! 每个对端照原文的协议写: 003 「1.2.2服务器」 的服务端和客户端, 004 「多线程并发」 和
//! 「socketserver实现并发」 的客户端。假服务器每个连接一个线程, 永远服务; 假客户端做完原文的
//! 一次交流就退出。测试直接调用这里的 `serve_hello` / `talk_…` 函数, 拿到收发的字节再比较。
//!
//! Fakes written from the texts' protocols, std only. Tests call `serve_hello` and the
//! `talk_…` functions; a fake client returns what it received, or one Chinese line.

use super::Peer;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::thread;
use std::time::Duration;

/// 这一课有对端的练习。
pub const PEERS: &[Peer] = &[
    Peer {
        program: "client",
        about: "003 「1.2.2服务器」 的服务端: 先发 Welcome!, 对每条消息回 Hello, <消息>!, 收到 exit 就结束这个连接",
        host: "127.0.0.1",
        port: 9999,
        run: run_client_peer,
    },
    Peer {
        program: "server",
        about: "003 「1.2.2服务器」 的客户端: 收 Welcome!, 发 Michael、Tracy、Sarah 并打印每个回复, 最后发 exit",
        host: "127.0.0.1",
        port: 9999,
        run: run_server_peer,
    },
    Peer {
        program: "echo_server",
        about: "004 「多线程并发」 的客户端: 发 hello 和 你好, 打印服务端发回的 (应该原样不变)",
        host: "127.0.0.1",
        port: 8000,
        run: run_echo_server_peer,
    },
    Peer {
        program: "socketserver",
        about: "004 「socketserver实现并发」 的客户端: 发 hello 和 你好 abc, 打印服务端发回的 (应该是大写)",
        host: "127.0.0.1",
        port: 8080,
        run: run_socketserver_peer,
    },
];

/// 每次等待最多这么久: 对方不说话时给出一行错误, 而不是永远等。
const WAIT: Duration = Duration::from_secs(10);

/// 003 的名字, 原文客户端的 for 循环发的就是这三个。
pub const NAMES: [&str; 3] = ["Michael", "Tracy", "Sarah"];

/// 字节的样子: 是 UTF-8 就显示文字 (`"Hello"`), 否则像 Rust 的字节串 (`b"\xff"`)。
pub fn shown(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => format!("{text:?}"),
        Err(_) => format!("b\"{}\"", bytes.escape_ascii()),
    }
}

// ---------------------------------------------------------------------------
// 假服务器: 003 的服务端 (client 的对端)
// ---------------------------------------------------------------------------

fn run_client_peer(host: &str, port: u16) -> Result<(), String> {
    let listener = TcpListener::bind((host, port))
        .map_err(|e| format!("绑定 {host}:{port} 失败: {e} (端口被占用? 换一个 --port)"))?;
    announce(&listener)?;
    serve_hello(listener);
    Ok(())
}

/// 像我们的服务器那样宣布地址: `监听中 listening on tcp://ADDR`, 立刻 flush。
fn announce(listener: &TcpListener) -> Result<(), String> {
    let addr = listener
        .local_addr()
        .map_err(|e| format!("读取监听地址: {e}"))?;
    println!("监听中 listening on tcp://{addr}");
    io::stdout().flush().map_err(|e| format!("写标准输出: {e}"))
}

/// 永远接受连接, 每个连接一个线程, 说 003 的对话 (没有原文的 1 秒停顿)。
pub fn serve_hello(listener: TcpListener) {
    for conn in listener.incoming() {
        let conn = match conn {
            Ok(conn) => conn,
            Err(e) => {
                eprintln!("accept 出错: {e}");
                thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        let peer = conn.peer_addr().map(|a| a.to_string()).unwrap_or_default();
        let started = thread::Builder::new().spawn(move || {
            if let Err(e) = hello_conversation(conn) {
                eprintln!("客户端 {peer}: {e}");
            }
        });
        if let Err(e) = started {
            eprintln!("开不出线程: {e}");
        }
    }
}

/// 003 服务端和一个客户端的对话: `Welcome!`, 然后每收到一次就回 `Hello, <消息>!`,
/// 读到 0 字节或正好收到 `exit` 时结束。收到的每条消息打印一行。
fn hello_conversation(mut conn: TcpStream) -> io::Result<()> {
    conn.write_all("Welcome!".as_bytes())?;
    let mut chunk = vec![0u8; 1024];
    loop {
        let got = match conn.read(&mut chunk)? {
            0 => None,
            k => Some(&chunk[..k]),
        };
        match got {
            None => {
                println!("连接关闭, 对话结束");
                return Ok(());
            }
            Some(b"exit") => {
                println!("收到 exit, 对话结束");
                return Ok(());
            }
            Some(msg) => {
                println!("收到 {}", shown(msg));
                let mut answer = b"Hello, ".to_vec();
                answer.extend_from_slice(String::from_utf8_lossy(msg).as_bytes());
                answer.push(b'!');
                conn.write_all(&answer)?;
            }
        }
    }
}

// ---------------------------------------------------------------------------
// 假客户端: 003 的客户端 (server 的对端), 004 的两个客户端
// ---------------------------------------------------------------------------

fn run_server_peer(host: &str, port: u16) -> Result<(), String> {
    let mut s = connect(host, port)?;
    for line in talk_hello(&mut s, &NAMES)? {
        println!("{line}");
    }
    Ok(())
}

fn run_echo_server_peer(host: &str, port: u16) -> Result<(), String> {
    let mut s = connect(host, port)?;
    let msgs: [&[u8]; 2] = [b"hello", "你好".as_bytes()];
    let replies = talk_each(&mut s, &msgs, |m| m.to_vec())?;
    for (sent, got) in msgs.iter().zip(replies) {
        println!("发送 {}, 服务端发来的消息 {}", shown(sent), shown(&got));
    }
    Ok(())
}

fn run_socketserver_peer(host: &str, port: u16) -> Result<(), String> {
    let mut s = connect(host, port)?;
    let msgs: [&[u8]; 2] = [b"hello", "你好 abc".as_bytes()];
    let replies = talk_each(&mut s, &msgs, |m| m.to_ascii_uppercase())?;
    for (sent, got) in msgs.iter().zip(replies) {
        println!(
            "发送 {}, 收到服务端发来的消息: {}",
            shown(sent),
            shown(&got)
        );
    }
    Ok(())
}

/// 连上 host:port (最多等 [`WAIT`]), 读写也最多等这么久。
pub fn connect(host: &str, port: u16) -> Result<TcpStream, String> {
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("查找地址 {host}:{port}: {e}"))?
        .collect();
    let mut last = format!("{host}:{port} 没有对应的地址");
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, WAIT) {
            Ok(s) => {
                s.set_read_timeout(Some(WAIT)).map_err(|e| e.to_string())?;
                s.set_write_timeout(Some(WAIT)).map_err(|e| e.to_string())?;
                return Ok(s);
            }
            Err(e) => last = format!("连接 {addr} 失败: {e} (服务器启动了吗? 端口对吗?)"),
        }
    }
    Err(last)
}

/// 003 客户端的一次交流: 收 `Welcome!`, 每个名字发一次、收一次 `Hello, <名字>!`,
/// 最后发 `exit`, 关闭。返回收到的每一段 (解码后的文字, 像原文 print 的那样)。
/// 收到的字节和原文的不一样时, 返回一行说明。
pub fn talk_hello(s: &mut TcpStream, names: &[&str]) -> Result<Vec<String>, String> {
    let mut lines = vec![receive(s, b"Welcome!", "服务器的欢迎语")?];
    for name in names {
        send(s, name.as_bytes())?;
        let want = format!("Hello, {name}!");
        let what = format!("对 {} 的回复", shown(name.as_bytes()));
        lines.push(receive(s, want.as_bytes(), &what)?);
    }
    send(s, b"exit")?;
    Ok(lines)
}

/// 每条消息发一次, 收一次回复; `reply` 给出原文的服务器对这条消息该回的字节。
/// 返回收到的每个回复。
pub fn talk_each(
    s: &mut TcpStream,
    msgs: &[&[u8]],
    reply: impl Fn(&[u8]) -> Vec<u8>,
) -> Result<Vec<Vec<u8>>, String> {
    let mut out = Vec::new();
    for msg in msgs {
        send(s, msg)?;
        let want = reply(msg);
        receive(s, &want, &format!("对 {} 的回复", shown(msg)))?;
        out.push(want);
    }
    Ok(out)
}

fn send(s: &mut TcpStream, bytes: &[u8]) -> Result<(), String> {
    s.write_all(bytes)
        .map_err(|e| format!("发送 {} 失败: {e}", shown(bytes)))
}

/// 收 `want.len()` 个字节并和 `want` 比较; 收到的开头已经对不上时马上停下。
/// 对得上时返回解码后的文字。
fn receive(s: &mut TcpStream, want: &[u8], what: &str) -> Result<String, String> {
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    while got.len() < want.len() && want.starts_with(&got) {
        let room = (want.len() - got.len()).min(buf.len());
        match s.read(&mut buf[..room]) {
            Ok(0) => {
                return Err(format!(
                    "等待{what} {} 时服务器关闭了连接 (已收到 {})",
                    shown(want),
                    shown(&got)
                ))
            }
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::TimedOut => {
                return Err(format!(
                    "{} 秒内没有收到{what} {} (已收到 {})",
                    WAIT.as_secs(),
                    shown(want),
                    shown(&got)
                ))
            }
            Err(e) => return Err(format!("等待{what}时出错: {e}")),
        }
    }
    if got == want {
        Ok(String::from_utf8_lossy(&got).into_owned())
    } else {
        Err(format!(
            "期待{what} {}, 收到的却是 {}",
            shown(want),
            shown(&got)
        ))
    }
}
