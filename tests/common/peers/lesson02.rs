//! 第 2 课练习的对端 (见 `mod.rs`)。Peers for lesson 02's exercises.
//!
//! 全是 UDP: 假服务器绑定地址后打印 `监听中 listening on udp://ADDR`, 然后一直回答;
//! 假客户端按原文发数据报, 打印收到的回复, 然后结束。每个都照原文的字节写:
//! 001 「基于UDP协议的socket」 (hello / hi), 003 「1.3UDP编程」 (Hello, 名字!),
//! 001 「qq聊天」, 001 「时间服务器」, 000 「UDP 协议代码实现方式」。
//!
//! UDP fakes written from the texts' bytes; std only, nothing else from `tests/common`.

use super::Peer;
use std::io::{ErrorKind, Write};
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// 这一课有对端的练习。
pub const PEERS: &[Peer] = &[
    Peer {
        program: "udp_send",
        about: "假接收方: 打印收到的每个数据报, 回复 hi (000 「接收数据」 等的那个回复)",
        host: "127.0.0.1",
        port: 8080,
        run: run_hi_server,
    },
    Peer {
        program: "udp_client",
        about: "001 的 UDP 服务器: 打印收到的数据报, 回复 hi (一直服务)",
        host: "127.0.0.1",
        port: 9000,
        run: run_hi_server,
    },
    Peer {
        program: "udp_server",
        about: "001 的 UDP 客户端: 发 hello, 打印回复和回复者的地址",
        host: "127.0.0.1",
        port: 9000,
        run: run_hello_client,
    },
    Peer {
        program: "udp_hello_client",
        about: "003 的 UDP 服务器: 每个数据报回复 Hello, <数据>!",
        host: "127.0.0.1",
        port: 9999,
        run: run_hello_name_server,
    },
    Peer {
        program: "udp_hello_server",
        about: "003 的 UDP 客户端: 依次发 Michael、Tracy、Sarah, 打印每个回复",
        host: "127.0.0.1",
        port: 9999,
        run: run_names_client,
    },
    Peer {
        program: "qq_client",
        about: "001 的 qq 服务器 (自动回复): 打印 来自[ip:port]的一条消息:..., 回复 收到: <消息>",
        host: "127.0.0.1",
        port: 8081,
        run: run_qq_server,
    },
    Peer {
        program: "qq_server",
        about: "001 的 qq 客户端: 发 你好, 等服务器的用户输入回复 (最多 60 秒), 打印它",
        host: "127.0.0.1",
        port: 8081,
        run: run_qq_client,
    },
    Peer {
        program: "time_client",
        about: "001 的时间服务器 (UTC): 空数据报按 %Y-%m-%d %X 回复, 否则数据报就是格式",
        host: "127.0.0.1",
        port: 9000,
        run: run_time_server,
    },
    Peer {
        program: "time_server",
        about: "时间客户端: 先发空数据报 (默认格式), 再发 %Y, 打印两个回复",
        host: "127.0.0.1",
        port: 9000,
        run: run_time_client,
    },
];

// ---------------------------------------------------------------------------
// 假服务器 (fake servers)
// ---------------------------------------------------------------------------

/// 绑定 host:port, 打印并 flush 宣布的那一行。Binds and announces like our servers.
pub fn bind_and_announce(host: &str, port: u16) -> Result<UdpSocket, String> {
    let sock = UdpSocket::bind((host, port))
        .map_err(|e| format!("绑定 {host}:{port} 失败: 端口被占用了吗? ({e})"))?;
    let addr = sock
        .local_addr()
        .map_err(|e| format!("读取本地地址: {e}"))?;
    println!("监听中 listening on udp://{addr}");
    let _ = std::io::stdout().flush();
    Ok(sock)
}

/// 假服务器的循环: 每收到一个数据报 (只用前 1024 字节, 和原文的 `recvfrom(1024)` 一样),
/// 打印它, 用 `answer` 算出回复, 发回给发送方。套接字的读超时 (测试设置的) 到了就结束;
/// 没有超时就一直服务。Windows 的 "上一个回复没送到" (10054) 不算错。
/// The loop of every fake server; ends when a read timeout set by a test passes.
pub fn serve(sock: &UdpSocket, answer: fn(&[u8]) -> Vec<u8>) -> Result<(), String> {
    let mut buf = vec![0u8; 65_536];
    loop {
        let (n, from) = match sock.recv_from(&mut buf) {
            Ok(got) => got,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Ok(())
            }
            Err(e) if e.kind() == ErrorKind::ConnectionReset => continue,
            Err(e) => return Err(format!("接收数据报失败: {e}")),
        };
        let data = &buf[..n.min(1024)];
        println!(
            "收到 {} 字节, 来自 {from}: {}",
            data.len(),
            String::from_utf8_lossy(data)
        );
        let _ = std::io::stdout().flush();
        if let Err(e) = sock.send_to(&answer(data), from) {
            println!("回复 {from} 失败: {e}");
        }
    }
}

/// 001 的服务器回复的两个字节。
pub fn answer_hi(_: &[u8]) -> Vec<u8> {
    b"hi".to_vec()
}

/// 003 的服务器: `b'Hello, %s!' % data`, 收到的字节原样放在中间。
pub fn answer_hello(data: &[u8]) -> Vec<u8> {
    let mut reply = b"Hello, ".to_vec();
    reply.extend_from_slice(data);
    reply.push(b'!');
    reply
}

/// 自动回复的 qq 服务器: `收到: <消息>` (原文是服务器的用户输入的一行)。
pub fn answer_qq(data: &[u8]) -> Vec<u8> {
    let mut reply = "收到: ".as_bytes().to_vec();
    reply.extend_from_slice(data);
    reply
}

/// 时间服务器 (UTC): 空数据报用 `%Y-%m-%d %X`, 否则数据报就是格式; 不是 UTF-8 时回一条错误。
pub fn answer_time(data: &[u8]) -> Vec<u8> {
    let fmt = match std::str::from_utf8(data) {
        Ok("") => "%Y-%m-%d %X",
        Ok(fmt) => fmt,
        Err(_) => return "错误: 格式不是 UTF-8".as_bytes().to_vec(),
    };
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc_format(fmt, secs).into_bytes()
}

/// 假时间服务器用的小格式化 (UTC), 认识时间服务器认识的全部指令:
/// `%Y %m %d %H %M %S %X %x %y %j %a %A %b %B %p %%`; 别的指令和结尾单独的 `%` 原样保留。
/// A small UTC formatter for the fake time server, with every directive time_server knows;
/// any other directive is kept as written.
pub fn utc_format(fmt: &str, unix_secs: u64) -> String {
    const WEEKDAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let (mut days, rest) = (unix_secs / 86_400, unix_secs % 86_400);
    // 1970-01-01 是星期四 (从星期一数起是 3)。1970-01-01 was a Thursday.
    let weekday = ((unix_secs / 86_400 + 3) % 7) as usize;
    let mut year = 1970;
    loop {
        let len = if is_leap(year) { 366 } else { 365 };
        if days < len {
            break;
        }
        days -= len;
        year += 1;
    }
    let yday = days + 1;
    let mut month = 1;
    for len in month_lengths(year) {
        if days < len {
            break;
        }
        days -= len;
        month += 1;
    }
    let (day, h, m, s) = (days + 1, rest / 3600, rest % 3600 / 60, rest % 60);
    let (month_name, weekday_name) = (MONTHS[month - 1], WEEKDAYS[weekday]);
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out += &year.to_string(),
            Some('m') => out += &format!("{month:02}"),
            Some('d') => out += &format!("{day:02}"),
            Some('H') => out += &format!("{h:02}"),
            Some('M') => out += &format!("{m:02}"),
            Some('S') => out += &format!("{s:02}"),
            Some('X') => out += &format!("{h:02}:{m:02}:{s:02}"),
            Some('x') => out += &format!("{month:02}/{day:02}/{:02}", year % 100),
            Some('y') => out += &format!("{:02}", year % 100),
            Some('j') => out += &format!("{yday:03}"),
            Some('a') => out += &weekday_name[..3],
            Some('A') => out += weekday_name,
            Some('b') => out += &month_name[..3],
            Some('B') => out += month_name,
            Some('p') => out += if h < 12 { "AM" } else { "PM" },
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

fn is_leap(y: u64) -> bool {
    y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400))
}

fn month_lengths(y: u64) -> [u64; 12] {
    let feb = if is_leap(y) { 29 } else { 28 };
    [31, feb, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
}

fn run_hi_server(host: &str, port: u16) -> Result<(), String> {
    serve(&bind_and_announce(host, port)?, answer_hi)
}

fn run_hello_name_server(host: &str, port: u16) -> Result<(), String> {
    serve(&bind_and_announce(host, port)?, answer_hello)
}

fn run_qq_server(host: &str, port: u16) -> Result<(), String> {
    let sock = bind_and_announce(host, port)?;
    let mut buf = vec![0u8; 65_536];
    loop {
        let (n, from) = match sock.recv_from(&mut buf) {
            Ok(got) => got,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => continue,
            Err(e) => return Err(format!("接收数据报失败: {e}")),
        };
        let data = &buf[..n.min(1024)];
        println!(
            "来自[{}:{}]的一条消息:{}",
            from.ip(),
            from.port(),
            String::from_utf8_lossy(data)
        );
        let reply = answer_qq(data);
        println!("回复消息: {}", String::from_utf8_lossy(&reply));
        let _ = std::io::stdout().flush();
        if let Err(e) = sock.send_to(&reply, from) {
            println!("回复 {from} 失败: {e}");
        }
    }
}

fn run_time_server(host: &str, port: u16) -> Result<(), String> {
    serve(&bind_and_announce(host, port)?, answer_time)
}

// ---------------------------------------------------------------------------
// 假客户端 (fake clients)
// ---------------------------------------------------------------------------

/// 假客户端的一问一答: 把 `msg` 发给 host:port, 等一个回复 (最多 `wait`), 返回回复的字节
/// (前 1024 个) 和回复者的地址。失败时是一行中文。
/// One question and its answer, with a bounded wait; errors as one Chinese line.
pub fn exchange(
    sock: &UdpSocket,
    to: SocketAddr,
    msg: &[u8],
    wait: Duration,
) -> Result<(Vec<u8>, SocketAddr), String> {
    sock.send_to(msg, to)
        .map_err(|e| format!("发送到 {to} 失败: {e}"))?;
    sock.set_read_timeout(Some(wait))
        .map_err(|e| format!("设置超时: {e}"))?;
    let mut buf = vec![0u8; 65_536];
    let (n, from) = sock.recv_from(&mut buf).map_err(|e| match e.kind() {
        ErrorKind::WouldBlock | ErrorKind::TimedOut => format!(
            "{} 秒内没有收到 {to} 的回复: 服务器启动了吗? 它有没有用 sendto 回复到 recvfrom 得到的地址? ({e})",
            wait.as_secs()
        ),
        _ => format!("等待 {to} 的回复: 那个端口上没有服务器在回应 ({e})"),
    })?;
    buf.truncate(n.min(1024));
    Ok((buf, from))
}

/// 连向 host:port 的假客户端套接字 (绑定回环或所有地址, 端口由系统挑)。
pub fn client_socket(host: &str, port: u16) -> Result<(UdpSocket, SocketAddr), String> {
    use std::net::ToSocketAddrs;
    let to = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("找不到 {host}: {e}"))?
        .next()
        .ok_or_else(|| format!("找不到 {host}"))?;
    let local = match (to.is_ipv4(), to.ip().is_loopback()) {
        (true, true) => "127.0.0.1:0",
        (true, false) => "0.0.0.0:0",
        (false, true) => "[::1]:0",
        (false, false) => "[::]:0",
    };
    let sock = UdpSocket::bind(local).map_err(|e| format!("创建 UDP 套接字: {e}"))?;
    Ok((sock, to))
}

/// Python 打印地址元组的样子: `('127.0.0.1', 9000)`。
fn py_addr(addr: SocketAddr) -> String {
    format!("('{}', {})", addr.ip(), addr.port())
}

const WAIT: Duration = Duration::from_secs(10);

fn run_hello_client(host: &str, port: u16) -> Result<(), String> {
    let (sock, to) = client_socket(host, port)?;
    let (back, from) = exchange(&sock, to, b"hello", WAIT)?;
    println!("{} {}", String::from_utf8_lossy(&back), py_addr(from));
    Ok(())
}

fn run_names_client(host: &str, port: u16) -> Result<(), String> {
    let (sock, to) = client_socket(host, port)?;
    for name in ["Michael", "Tracy", "Sarah"] {
        let (back, _) = exchange(&sock, to, name.as_bytes(), WAIT)?;
        println!("{}", String::from_utf8_lossy(&back));
    }
    Ok(())
}

fn run_qq_client(host: &str, port: u16) -> Result<(), String> {
    let (sock, to) = client_socket(host, port)?;
    println!("发送 你好, 等服务器那边的人输入回复 (最多 60 秒) …");
    let _ = std::io::stdout().flush();
    let (back, from) = exchange(&sock, to, "你好".as_bytes(), Duration::from_secs(60))?;
    println!(
        "来自[{}:{}]的一条消息:{}",
        from.ip(),
        from.port(),
        String::from_utf8_lossy(&back)
    );
    Ok(())
}

fn run_time_client(host: &str, port: u16) -> Result<(), String> {
    let (sock, to) = client_socket(host, port)?;
    for fmt in ["", "%Y"] {
        let (back, _) = exchange(&sock, to, fmt.as_bytes(), WAIT)?;
        println!("{fmt:?} → {}", String::from_utf8_lossy(&back));
    }
    Ok(())
}
