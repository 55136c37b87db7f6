//! 第 4 课练习的对端 (见 `mod.rs`)。Peers for lesson 04's exercises.
//!
//! 照原文的协议写的假对端, 不是参考答案:
//! * 000 「文件下载器」: 客户端发文件名 (UTF-8 字节, 不带换行); 服务器发回那个文件的全部字节,
//!   然后关闭连接; 没有这个文件时什么也不发就关闭。
//! * 003 「文件上传」: 客户端发头 `post|<大小>|<文件名>` (文件名不带目录), 然后正好 `<大小>` 字节;
//!   原文的头没有结束标记, 我们的程序默认在头后面加一个换行 (`--text-format` 时不加)。
//!
//! Fakes written from the texts' protocol: the download asks with a bare name and
//! gets the file's bytes then a close; an upload is `post|<size>|<name>` (a newline
//! after it in our programs' default format) and exactly `<size>` bytes.

use super::Peer;
use std::io::{self, BufRead, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// 这一课有对端的练习。
pub const PEERS: &[Peer] = &[
    Peer {
        program: "download_client",
        about: "000 「文件下载器」的服务器: 收到文件名, 发回当前目录里那个文件的全部字节再关闭; 没有这个文件就什么也不发",
        host: "127.0.0.1",
        port: 7890,
        run: run_download_server,
    },
    Peer {
        program: "download_server",
        about: "000 「文件下载器」的客户端: 问你文件名, 发给服务器, 一直收到服务器关闭, 说收到了多少字节",
        host: "127.0.0.1",
        port: 7890,
        run: run_download_client,
    },
    Peer {
        program: "upload_client",
        about: "003 「文件上传」的服务器: 收头 post|大小|文件名 和正好那么多字节, 打印收到了什么 (不保存)",
        host: "127.0.0.1",
        port: 8898,
        run: run_upload_server,
    },
    Peer {
        program: "upload_server",
        about: "003 「文件上传」的客户端: 在 please input: 后输入 post|路径, 发头 (以换行结束) 和文件内容",
        host: "127.0.0.1",
        port: 8898,
        run: run_upload_client,
    },
];

/// 每次等对方最多多久。How long any wait of a peer may take.
pub const WAIT: Duration = Duration::from_secs(10);

/// 收到的字节显示成一小段文字 (最多 60 个字符, 不是 UTF-8 的字节变成 �)。
pub fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut s: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        s.push('…');
    }
    format!("{s:?}")
}

/// 一个 I/O 错误, 用一行中文说: "连接 127.0.0.1:7890: 连接被拒绝 (…)"。
fn words(doing: &str, e: &io::Error) -> String {
    let what = match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => "等了 10 秒也没有等到",
        io::ErrorKind::ConnectionRefused => "连接被拒绝: 那个端口上没有程序在监听",
        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => {
            "连接被对方重置了 (对方程序是不是退出或崩溃了?)"
        }
        io::ErrorKind::BrokenPipe => "对方已经关闭了连接",
        io::ErrorKind::UnexpectedEof => "还没收完, 对方就关闭了连接",
        _ => "出错了",
    };
    format!("{doing}: {what} ({e})")
}

/// 连接 `host:port`, 读写各最多等 [`WAIT`]。
fn connect(host: &str, port: u16) -> Result<TcpStream, String> {
    let doing = format!("连接 {host}:{port}");
    let addrs = (host, port)
        .to_socket_addrs()
        .map_err(|e| words(&doing, &e))?;
    let mut last = io::Error::new(io::ErrorKind::NotFound, "这个名字没有对应的地址");
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, WAIT) {
            Ok(s) => {
                let _ = s.set_read_timeout(Some(WAIT));
                let _ = s.set_write_timeout(Some(WAIT));
                return Ok(s);
            }
            Err(e) => last = e,
        }
    }
    Err(words(&doing, &last))
}

/// 绑定 `host:port`, 像我们的服务器一样宣布地址 (并 flush)。
fn listen(host: &str, port: u16) -> Result<TcpListener, String> {
    let listener = TcpListener::bind((host, port))
        .map_err(|e| words(&format!("绑定 {host}:{port} (端口被占用?)"), &e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| words("读取监听地址", &e))?;
    println!("监听中 listening on tcp://{addr}");
    let _ = io::stdout().flush();
    Ok(listener)
}

/// 从标准输入读一行 (不带换行); 输入结束时 `None`。
fn ask(prompt: &str) -> Option<String> {
    print!("{prompt}");
    let _ = io::stdout().flush();
    let mut line = String::new();
    match io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim_end_matches(['\r', '\n']).to_string()),
    }
}

// ---------------------------------------------------------------------------
// 000 「文件下载器」
// ---------------------------------------------------------------------------

/// 假下载服务器, 服务一个连接: 收一次 (最多 1024 字节, 原文的 recv(1024)) 当文件名,
/// `content` 给出这个名字的文件内容 (`None`: 没有这个文件), 有就全部发出, 然后关闭。
/// 返回收到的文件名 (原样的字节)。
/// A fake download server for one connection; returns the name as received.
pub fn serve_download(
    mut conn: TcpStream,
    content: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<Vec<u8>, String> {
    let who = conn
        .peer_addr()
        .map_or_else(|_| "?".to_string(), |a| a.to_string());
    let _ = conn.set_read_timeout(Some(WAIT));
    let _ = conn.set_write_timeout(Some(WAIT));
    let mut name = [0u8; 1024];
    let got = conn.read(&mut name).map_err(|e| words("收文件名", &e))?;
    let name = name[..got].to_vec();
    let text = String::from_utf8_lossy(&name);
    println!("客户端({who})需要下载文件是：{text}");
    match content(&text) {
        Some(bytes) => {
            conn.write_all(&bytes).map_err(|e| words("发送文件", &e))?;
            println!("发送了 {} 字节", bytes.len());
        }
        None => println!("没有要下载的文件({text})"),
    }
    Ok(name)
}

/// 当前目录里的文件 (只认不带目录的名字, 别的目录里的文件不给)。
fn file_here(name: &str) -> Option<Vec<u8>> {
    if name.is_empty() || name.contains(['/', '\\', ':']) || name == ".." {
        return None;
    }
    std::fs::read(name).ok()
}

fn run_download_server(host: &str, port: u16) -> Result<(), String> {
    let listener = listen(host, port)?;
    println!("提供当前目录里的文件 (不带目录的名字)");
    // 原文 000 的服务器一个接一个地服务, 一直不停
    for conn in listener.incoming() {
        let served = conn
            .map_err(|e| words("accept", &e))
            .and_then(|c| serve_download(c, &file_here));
        if let Err(why) = served {
            eprintln!("{why}");
        }
    }
    Ok(())
}

/// 假下载客户端: 连接 `addr`, 原样发出 `name` (不加换行), 一直收到服务器关闭, 返回收到的字节。
/// A fake download client: sends `name` as it is, reads until the server closes.
pub fn download(addr: SocketAddr, name: &[u8]) -> Result<Vec<u8>, String> {
    let mut conn = connect(&addr.ip().to_string(), addr.port())?;
    conn.write_all(name).map_err(|e| words("发送文件名", &e))?;
    let mut got = Vec::new();
    conn.read_to_end(&mut got)
        .map_err(|e| words("接收文件", &e))?;
    Ok(got)
}

fn run_download_client(host: &str, port: u16) -> Result<(), String> {
    let name = ask("请输入要下载的文件名字：").ok_or("没有读到文件名")?;
    let addr = (host, port)
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| format!("找不到地址 {host}:{port}"))?;
    println!("发送文件名 {}", shown(name.as_bytes()));
    let got = download(addr, name.as_bytes())?;
    if got.is_empty() {
        println!("没有收到数据: 服务器上没有这个文件, 或者它是空文件 (原文的协议分不清)");
    } else {
        println!("收到 {} 字节, 开头是 {}", got.len(), shown(&got));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// 003 「文件上传」
// ---------------------------------------------------------------------------

/// 一次上传: 头 (不含结束的换行) 和之后的数据。One upload: its header and data.
#[derive(PartialEq)]
pub struct Upload {
    pub header: Vec<u8>,
    pub data: Vec<u8>,
}

/// 显示成文字 (`"post|5|t.txt"` 和数据的开头), 不是一串数字。
impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (n, data) = (self.data.len(), shown(&self.data));
        write!(f, "上传 {} + {n} 字节 {data}", shown(&self.header))
    }
}

/// 假上传服务器, 服务一个连接, 直到客户端关闭: 每次上传像原文一样收一次 (最多 1024 字节) 当头;
/// 里面有换行 (我们的程序的默认格式) 就在换行处分开, 换行后面的已经是数据; 再收够头里说的大小。
/// 返回按顺序收到的上传; 头不是 `post|<数字>|<名字>` 或数据不够时返回一行中文的错误。
/// A fake upload server for one connection; returns the uploads in order.
pub fn receive_uploads(mut conn: TcpStream) -> Result<Vec<Upload>, String> {
    let _ = conn.set_read_timeout(Some(WAIT));
    let mut uploads = Vec::new();
    let mut rest: Vec<u8> = Vec::new();
    loop {
        let mut first = rest.clone();
        if first.is_empty() {
            let mut buf = [0u8; 1024];
            let n = conn.read(&mut buf).map_err(|e| words("收头", &e))?;
            if n == 0 {
                return Ok(uploads); // 客户端关闭了连接
            }
            first.extend_from_slice(&buf[..n]);
        }
        let (header, mut data) = match first.iter().position(|&b| b == b'\n') {
            Some(at) => (first[..at].to_vec(), first[at + 1..].to_vec()),
            None => (first, Vec::new()),
        };
        let text = String::from_utf8_lossy(&header).into_owned();
        let mut parts = text.splitn(3, '|');
        let size = match (parts.next(), parts.next(), parts.next()) {
            (Some("post"), Some(size), Some(_)) => size.parse::<usize>().ok(),
            _ => None,
        }
        .ok_or_else(|| format!("头不是 post|大小|文件名: {}", shown(&header)))?;
        println!("收到头 {}", shown(&header));
        while data.len() < size {
            let mut buf = vec![0u8; 64 << 10];
            let got = conn.read(&mut buf).map_err(|e| words("收文件数据", &e))?;
            if got == 0 {
                return Err(format!(
                    "上传不完整: 头里说 {size} 字节, 只收到 {} 字节就关闭了",
                    data.len()
                ));
            }
            data.extend_from_slice(&buf[..got]);
        }
        rest = data.split_off(size);
        println!("收到 {} 字节的数据, 开头是 {}", data.len(), shown(&data));
        uploads.push(Upload { header, data });
    }
}

fn run_upload_server(host: &str, port: u16) -> Result<(), String> {
    let listener = listen(host, port)?;
    loop {
        println!("waiting connect");
        let _ = io::stdout().flush();
        let received = listener
            .accept()
            .map_err(|e| words("accept", &e))
            .and_then(|(conn, _)| receive_uploads(conn));
        match received {
            Ok(all) => println!("客户端关闭了连接, 收到 {} 个文件", all.len()),
            Err(why) => eprintln!("{why}"),
        }
    }
}

/// 假上传客户端: 在 `conn` 上传一个文件: 头 `post|<大小>|<name>` (`newline` 时后面加一个换行),
/// 再发 `data`。A fake upload: the header, then the data.
pub fn upload(conn: &mut TcpStream, name: &str, data: &[u8], newline: bool) -> Result<(), String> {
    let mut header = format!("post|{}|{name}", data.len()).into_bytes();
    if newline {
        header.push(b'\n');
    }
    conn.write_all(&header).map_err(|e| words("发送头", &e))?;
    conn.write_all(data).map_err(|e| words("发送文件数据", &e))
}

fn run_upload_client(host: &str, port: u16) -> Result<(), String> {
    let mut conn = connect(host, port)?;
    println!("客户端启动....");
    while let Some(line) = ask("please input:") {
        let Some(path) = line.trim().strip_prefix("post|") else {
            if line.trim().is_empty() {
                break;
            }
            println!("请输入 post|<文件路径>");
            continue;
        };
        let data = match std::fs::read(path) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{}", words(&format!("读取 {path}"), &e));
                continue;
            }
        };
        // 原文只发文件名 (os.path.basename), 不发目录
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path).to_string();
        upload(&mut conn, &name, &data, true)?;
        println!("上传成功 {name}, {} 字节", data.len());
    }
    Ok(())
}
