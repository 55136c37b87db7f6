//! 第 1 课练习的对端 (见 `mod.rs`)。Peers for lesson 01's exercises.
//!
//! 每个对端照原文的协议写: 000 「服务器」「客户端」 (gbk), 002 「简单实例」, 003 「1.2.1客户端」
//! 和 「socket，可聊天应用」, 004 「多次交互」。假服务器永远服务; 假客户端做完原文的一次交流
//! 就退出。测试直接调用这里的 `serve_…` / `talk_…` 函数, 拿到收到的字节再逐字节比较。
//!
//! Fakes written from the texts' protocols, std only. Tests call the `serve_…` and
//! `talk_…` functions and compare the bytes they return.

use super::Peer;
use std::io::{self, BufRead, Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// 这一课有对端的练习。
pub const PEERS: &[Peer] = &[
    Peer {
        program: "tcp_server",
        about: "000 「客户端」: 连上服务器, 发 gbk 编码的 你好, 打印回复 (应该是 thank you !)",
        host: "127.0.0.1",
        port: 7788,
        run: run_tcp_server_peer,
    },
    Peer {
        program: "tcp_client",
        about: "000 「服务器」: 收一条消息 (按 gbk 显示), 回复 thank you !, 关闭连接",
        host: "127.0.0.1",
        port: 7788,
        run: run_tcp_client_peer,
    },
    Peer {
        program: "upper_server",
        about: "004 「多次交互」 的客户端: 发 hello 和 你好 abc, 打印大写的回复",
        host: "127.0.0.1",
        port: 8000,
        run: run_upper_server_peer,
    },
    Peer {
        program: "upper_client",
        about: "004 「多次交互」 的服务器: 把收到的字节转成大写 (只改 ASCII) 发回",
        host: "127.0.0.1",
        port: 8000,
        run: run_upper_client_peer,
    },
    Peer {
        program: "welcome_server",
        about: "002 「简单实例」 的客户端: 读一次, 打印欢迎语 (用 --host 127.0.0.1 启动 welcome_server)",
        host: "127.0.0.1",
        port: 9999,
        run: run_welcome_server_peer,
    },
    Peer {
        program: "welcome_client",
        about: "002 「简单实例」 的服务器: 对每个连接发 欢迎访问！\\r\\n 然后关闭 (用 --host 127.0.0.1 运行 welcome_client)",
        host: "127.0.0.1",
        port: 9999,
        run: run_welcome_client_peer,
    },
    Peer {
        program: "http_get",
        about: "本地的网页服务器: 收到 GET 请求后回一个小网页, 然后关闭 (用 --host 127.0.0.1 --port 8000 运行 http_get)",
        host: "127.0.0.1",
        port: 8000,
        run: run_http_get_peer,
    },
    Peer {
        program: "chat_server",
        about: "003 「socket，可聊天应用」 的客户端: 在 >>> 后打字发出, 打印回复; exit 退出",
        host: "127.0.0.1",
        port: 8888,
        run: run_chat_server_peer,
    },
    Peer {
        program: "chat_client",
        about: "003 「socket，可聊天应用」 的服务器: 打印收到的一行, 把你在 >>> 后打的一行发回",
        host: "127.0.0.1",
        port: 8888,
        run: run_chat_client_peer,
    },
];

/// 等对方最多这么久 (秒)。How long a peer waits for the other side.
const WAIT: Duration = Duration::from_secs(10);

/// `你好` 的 gbk 字节, 000 的客户端发的就是它。
pub const NIHAO_GBK: &[u8] = b"\xc4\xe3\xba\xc3";

fn bind(host: &str, port: u16) -> Result<TcpListener, String> {
    let listener = TcpListener::bind((host, port))
        .map_err(|e| format!("对端绑定不了 {host}:{port}: {e} (端口被占用? 换一个 --port)"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("监听中 listening on tcp://{addr}");
    let _ = io::stdout().flush();
    Ok(listener)
}

fn connect(host: &str, port: u16) -> Result<TcpStream, String> {
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("找不到地址 {host}:{port}: {e}"))?
        .collect();
    let mut last = format!("{host}:{port} 没有地址");
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, WAIT) {
            Ok(s) => {
                s.set_read_timeout(Some(WAIT)).map_err(|e| e.to_string())?;
                return Ok(s);
            }
            Err(e) => last = format!("连不上 {addr}: {e} (你的服务器启动了吗? 端口对吗?)"),
        }
    }
    Err(last)
}

/// 一直读到对方关闭连接 (最多 1 MiB)。Reads until the other side closes.
fn read_to_close(s: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut got = Vec::new();
    s.take(1 << 20).read_to_end(&mut got)?;
    Ok(got)
}

/// 读一次, 最多 1024 字节 (原文的 recv(1024))。One read of up to 1024 bytes.
fn recv(s: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut buf = [0u8; 1024];
    let n = s.read(&mut buf)?;
    Ok(buf[..n].to_vec())
}

/// 字节像 Python 打印 bytes 那样显示: `b'\xc4\xe3'`。Bytes shown as Python shows them.
pub fn py_bytes(bytes: &[u8]) -> String {
    let mut s = String::from("b'");
    for &b in bytes {
        match b {
            b'\\' => s.push_str("\\\\"),
            b'\'' => s.push_str("\\'"),
            b'\r' => s.push_str("\\r"),
            b'\n' => s.push_str("\\n"),
            0x20..=0x7e => s.push(char::from(b)),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s.push('\'');
    s
}

/// 在 stdin 上提示并读一行 (原文的 input); 输入结束时是 None。
fn input(prompt: &str) -> Option<String> {
    print!("{prompt}");
    let _ = io::stdout().flush();
    let mut line = String::new();
    match io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim_end_matches(['\r', '\n']).to_string()),
    }
}

// --- tcp_server 的对端: 000 「客户端」 -------------------------------------------

/// 000 的客户端的一次交流: 发 `message` 的字节, 读到服务器关闭连接, 返回回复。
pub fn talk_tcp_server(host: &str, port: u16, message: &[u8]) -> Result<Vec<u8>, String> {
    let mut s = connect(host, port)?;
    s.write_all(message).map_err(|e| format!("发送失败: {e}"))?;
    read_to_close(&mut s).map_err(|e| format!("等服务器的回复时出错: {e}"))
}

fn run_tcp_server_peer(host: &str, port: u16) -> Result<(), String> {
    println!("发送 你好 的 gbk 字节 {}", py_bytes(NIHAO_GBK));
    let reply = talk_tcp_server(host, port, NIHAO_GBK)?;
    println!("接收到的数据为: {}", String::from_utf8_lossy(&reply));
    Ok(())
}

// --- tcp_client 的对端: 000 「服务器」 -------------------------------------------

/// 000 的服务器对一个客户端: 收一次 (最多 1024 字节), 回 gbk 的 `thank you !`
/// (ASCII, 字节和 UTF-8 一样), 关闭。返回收到的字节。
pub fn serve_tcp_client(mut conn: TcpStream) -> io::Result<Vec<u8>> {
    conn.set_read_timeout(Some(WAIT))?;
    let got = recv(&mut conn)?;
    match std::str::from_utf8(&got) {
        Ok(text) if text.is_ascii() => println!("接收到的数据为: {text}"),
        _ => println!("接收到的数据为 (gbk 字节): {}", py_bytes(&got)),
    }
    conn.write_all(b"thank you !")?;
    Ok(got)
}

fn run_tcp_client_peer(host: &str, port: u16) -> Result<(), String> {
    let listener = bind(host, port)?;
    for conn in listener.incoming().flatten() {
        if let Err(e) = serve_tcp_client(conn) {
            eprintln!("这个客户端出错了: {e}");
        }
    }
    Ok(())
}

// --- upper_server 的对端: 004 「多次交互」 的客户端 --------------------------------

/// 004 的客户端: 依次发出每条消息, 每条读一次回复; 返回所有回复。
pub fn talk_upper_server(
    host: &str,
    port: u16,
    messages: &[&[u8]],
) -> Result<Vec<Vec<u8>>, String> {
    let mut s = connect(host, port)?;
    let mut replies = Vec::new();
    for msg in messages {
        s.write_all(msg).map_err(|e| format!("发送失败: {e}"))?;
        let reply = recv(&mut s).map_err(|e| format!("没有收到回复: {e}"))?;
        if reply.is_empty() {
            return Err(format!("发出 {} 后服务器关闭了连接", py_bytes(msg)));
        }
        println!("服务端发来的消息 {}", String::from_utf8_lossy(&reply));
        replies.push(reply);
    }
    Ok(replies)
}

fn run_upper_server_peer(host: &str, port: u16) -> Result<(), String> {
    let msgs: [&[u8]; 2] = [b"hello", "你好 abc".as_bytes()];
    let replies = talk_upper_server(host, port, &msgs)?;
    if replies[0] != b"HELLO" || replies[1] != "你好 ABC".as_bytes() {
        return Err("回复不是原文的大写: 应该是 HELLO 和 你好 ABC".into());
    }
    Ok(())
}

// --- upper_client 的对端: 004 「多次交互」 的服务器 --------------------------------

/// 004 的服务器对一个客户端: 每收到一次就回大写 (只改 ASCII), 对方关闭时结束。
/// 返回收到的每一次的字节。
pub fn serve_upper_client(mut conn: TcpStream) -> io::Result<Vec<Vec<u8>>> {
    conn.set_read_timeout(Some(WAIT))?;
    let mut got = Vec::new();
    loop {
        let msg = recv(&mut conn)?;
        if msg.is_empty() {
            return Ok(got);
        }
        println!("客户端发来的消息是： {}", String::from_utf8_lossy(&msg));
        conn.write_all(&msg.to_ascii_uppercase())?;
        got.push(msg);
    }
}

fn run_upper_client_peer(host: &str, port: u16) -> Result<(), String> {
    let listener = bind(host, port)?;
    for conn in listener.incoming().flatten() {
        if let Err(e) = serve_upper_client(conn) {
            eprintln!("这个客户端出错了: {e}");
        }
    }
    Ok(())
}

// --- welcome_server / welcome_client 的对端: 002 「简单实例」 ----------------------

/// 002 的客户端: 连上, 读到服务器关闭连接, 返回收到的字节。
pub fn talk_welcome_server(host: &str, port: u16) -> Result<Vec<u8>, String> {
    let mut s = connect(host, port)?;
    read_to_close(&mut s).map_err(|e| format!("等欢迎语时出错: {e}"))
}

fn run_welcome_server_peer(host: &str, port: u16) -> Result<(), String> {
    let got = talk_welcome_server(host, port)?;
    print!("{}", String::from_utf8_lossy(&got));
    Ok(())
}

/// 002 的服务器对一个客户端: 发 `欢迎访问！\r\n` (UTF-8), 关闭。
pub fn serve_welcome_client(mut conn: TcpStream) -> io::Result<()> {
    if let Ok(addr) = conn.peer_addr() {
        println!("连接地址: {addr}");
    }
    conn.write_all("欢迎访问！\r\n".as_bytes())
}

fn run_welcome_client_peer(host: &str, port: u16) -> Result<(), String> {
    let listener = bind(host, port)?;
    for conn in listener.incoming().flatten() {
        if let Err(e) = serve_welcome_client(conn) {
            eprintln!("这个客户端出错了: {e}");
        }
    }
    Ok(())
}

// --- http_get 的对端: 一个本地网页服务器 ------------------------------------------

/// 收一个 HTTP 请求 (读到空行 `\r\n\r\n`), 回 `response`, 分几次写, 关闭。返回请求的字节。
pub fn serve_http_get(mut conn: TcpStream, response: &[u8]) -> io::Result<Vec<u8>> {
    conn.set_read_timeout(Some(WAIT))?;
    let mut request = Vec::new();
    while !request.ends_with(b"\r\n\r\n") {
        let got = recv(&mut conn)?;
        if got.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "客户端在请求的空行之前关闭了连接",
            ));
        }
        request.extend_from_slice(&got);
    }
    if let Some(line) = request.split(|&b| b == b'\r').next() {
        println!("收到请求: {}", String::from_utf8_lossy(line));
    }
    for piece in response.chunks(700) {
        conn.write_all(piece)?;
    }
    Ok(request)
}

fn run_http_get_peer(host: &str, port: u16) -> Result<(), String> {
    let listener = bind(host, port)?;
    let page =
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n\r\n\
                <html><body><h1>你好, http_get!</h1></body></html>\n";
    for conn in listener.incoming().flatten() {
        if let Err(e) = serve_http_get(conn, page.as_bytes()) {
            eprintln!("这个客户端出错了: {e}");
        }
    }
    Ok(())
}

// --- chat_server / chat_client 的对端: 003 「socket，可聊天应用」 -------------------

fn run_chat_server_peer(host: &str, port: u16) -> Result<(), String> {
    let mut s = connect(host, port)?;
    // 对方是人在打字: 等久一点
    s.set_read_timeout(Some(Duration::from_secs(600)))
        .map_err(|e| e.to_string())?;
    while let Some(line) = input(">>>") {
        if line == "exit" {
            break;
        }
        if line.is_empty() {
            continue; // 原文会发出 0 字节, 两边互相等
        }
        s.write_all(line.as_bytes())
            .map_err(|e| format!("发送失败: {e}"))?;
        let reply = recv(&mut s).map_err(|e| format!("没有收到回复: {e}"))?;
        if reply.is_empty() {
            return Err("服务器关闭了连接".into());
        }
        println!("{}", String::from_utf8_lossy(&reply));
    }
    Ok(())
}

fn run_chat_client_peer(host: &str, port: u16) -> Result<(), String> {
    let listener = bind(host, port)?;
    for conn in listener.incoming().flatten() {
        let mut conn = conn;
        if let Ok(addr) = conn.peer_addr() {
            println!("{addr}");
        }
        loop {
            let msg = match recv(&mut conn) {
                Ok(m) if !m.is_empty() => m,
                _ => break, // 客户端离开 (或出错): 等下一个
            };
            println!("....... {}", String::from_utf8_lossy(&msg));
            let Some(reply) = input(">>>") else {
                return Ok(());
            };
            if conn.write_all(reply.as_bytes()).is_err() {
                break;
            }
        }
    }
    Ok(())
}
