//! 第 5 课练习的对端 (见 `mod.rs`), 照 003 「远程执行命令」 的协议写: 客户端发一条命令
//! (UTF-8, 不带换行), 服务器在 shell 里执行, 把 stdout 原样发回, 没有输出时发 `no output!`。
//! Peers for lesson 05's exercises, written from the text's protocol.

use super::Peer;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;

/// 这一课有对端的练习。
pub const PEERS: &[Peer] = &[
    Peer {
        program: "cmd_client",
        about: "远程执行命令的服务器: 每次读一次 (最多 1024 字节) 当作命令, 交给 shell 执行, \
                把输出一次发回, 没有输出时发 no output!",
        host: "127.0.0.1",
        port: 8879,
        run: run_server,
    },
    Peer {
        program: "cmd_server",
        about: "远程执行命令的客户端: 依次发 echo hello、一条没有输出的命令和 echo bye, \
                像原文那样打印每个回答和它的大小, 并检查回答的每个字节",
        host: "127.0.0.1",
        port: 8879,
        run: run_client,
    },
];

/// The peer runs any command it is sent: like cmd_server, only on loopback.
fn loopback(host: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("解析 {host} 出错: {e}"))?
        .collect();
    if addrs.is_empty() || addrs.iter().any(|a| !a.ip().is_loopback()) {
        return Err(format!(
            "{host} 不是回环地址: 这个对端会执行收到的任何命令, 只在 127.0.0.1 上运行"
        ));
    }
    Ok(addrs)
}

/// 假服务器: 绑定、宣布地址, 然后一直服务 (每个客户端一个线程)。
fn run_server(host: &str, port: u16) -> Result<(), String> {
    let addrs = loopback(host, port)?;
    let listener = TcpListener::bind(&addrs[..])
        .map_err(|e| format!("绑定 {host}:{port} 失败: {e} (端口被占用了? 换一个: --port)"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("读取监听地址出错: {e}"))?;
    println!("监听中 listening on tcp://{addr}");
    let _ = std::io::stdout().flush();
    serve(listener, shell_answer);
    Ok(())
}

/// 一直接受客户端, 每个一个线程: 每次读一次 (最多 1024 字节), 打印收到的命令, 把
/// `answer(命令)` 一次发回; 读到 0 字节或出错就结束这个客户端。测试可以给自己的 `answer`。
/// Serves forever: one read per command, `answer` written back in one go.
pub fn serve(listener: TcpListener, answer: fn(&str) -> Vec<u8>) {
    for conn in listener.incoming() {
        let Ok(mut conn) = conn else { continue };
        thread::spawn(move || {
            let mut buf = [0u8; 1024];
            loop {
                let n = match conn.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                let cmd = String::from_utf8_lossy(&buf[..n]);
                println!("{cmd}");
                println!("waiting...");
                let reply = answer(cmd.trim());
                if conn.write_all(&reply).is_err() {
                    return;
                }
                println!("send data size {}", reply.len());
            }
        });
    }
}

/// 原文服务器的回答: 在 shell 里执行 `cmd` (`sh -c`, Windows 上 `cmd /C`), stdout 读到结束;
/// 没有输出时是 `no output!`。命令出错时回答一行说明。
pub fn shell_answer(cmd: &str) -> Vec<u8> {
    #[cfg(windows)]
    let mut shell = {
        // cmd.exe splits its command line its own way: hand it over as typed.
        let mut c = Command::new("cmd");
        std::os::windows::process::CommandExt::raw_arg(&mut c, format!("/C \"{cmd}\""));
        c
    };
    #[cfg(not(windows))]
    let mut shell = {
        let mut c = Command::new("sh");
        c.args(["-c", cmd]);
        c
    };
    let out = shell
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output();
    match out {
        Ok(o) if o.stdout.is_empty() => b"no output!".to_vec(),
        Ok(o) => o.stdout,
        Err(e) => format!("命令启动不了: {e}").into_bytes(),
    }
}

/// 假客户端发的命令和它期望的回答 (原文的服务器会这样回答)。
pub fn script() -> Vec<(&'static str, &'static [u8])> {
    if cfg!(windows) {
        vec![
            ("echo hello", b"hello\r\n"),
            ("rem nothing", b"no output!"),
            ("echo bye", b"bye\r\n"),
        ]
    } else {
        vec![
            ("echo hello", b"hello\n"),
            ("true", b"no output!"),
            ("echo bye", b"bye\n"),
        ]
    }
}

/// 假客户端: 连上, 像原文的客户端那样打印 `客户端启动：`, 依次发 [`script`] 的命令, 读到
/// 期望的回答为止 (读多少要看期望多长, 所以长短不对也看得出), 打印它和大小, 最后关闭。
fn run_client(host: &str, port: u16) -> Result<(), String> {
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("解析 {host} 出错: {e}"))?
        .collect();
    let mut sk = addrs
        .iter()
        .find_map(|a| TcpStream::connect_timeout(a, Duration::from_secs(10)).ok())
        .ok_or_else(|| format!("连不上 {host}:{port}: 服务器启动了吗?"))?;
    let _ = sk.set_read_timeout(Some(Duration::from_secs(10)));
    println!("客户端启动：");
    for (cmd, want) in script() {
        println!("cmd:>>>{cmd}");
        sk.write_all(cmd.as_bytes())
            .map_err(|e| format!("发送命令 {cmd} 出错: {e}"))?;
        let got = read_answer(&mut sk, want).map_err(|why| format!("命令 {cmd}: {why}"))?;
        println!("{}", String::from_utf8_lossy(&got));
        println!("receive data size {}", got.len());
    }
    Ok(())
}

/// 读回答, 直到和 `want` 一样长, 或者已经看得出不一样。
fn read_answer(sk: &mut TcpStream, want: &[u8]) -> Result<Vec<u8>, String> {
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    while got.len() < want.len() && want.starts_with(&got) {
        match sk.read(&mut buf) {
            Ok(0) => {
                return Err(format!(
                    "回答还没收完服务器就关闭了连接, 收到 {:?}",
                    String::from_utf8_lossy(&got)
                ))
            }
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => {
                return Err(format!(
                    "10 秒内没有收到回答 {:?} ({e}); 收到 {:?}",
                    String::from_utf8_lossy(want),
                    String::from_utf8_lossy(&got)
                ))
            }
        }
    }
    if got != want {
        return Err(format!(
            "回答应该是 {:?}, 收到的是 {:?}",
            String::from_utf8_lossy(want),
            String::from_utf8_lossy(&got)
        ));
    }
    Ok(got)
}

/// 用给定的主机和端口运行假客户端 (测试用)。Runs the fake client (for tests).
pub fn client(addr: SocketAddr) -> Result<(), String> {
    run_client(&addr.ip().to_string(), addr.port())
}

/// `--framed` 的假服务器 (两端都加 `--framed` 时的协议, 原文没有): 每个客户端一个线程,
/// 读一帧命令 (8 字节大端长度, 然后命令), 回三帧: `answer(命令)` 给出的 stdout、stderr、状态。
/// 测试用它检查 `cmd_client --framed`。A fake framed server for `cmd_client --framed`.
pub fn serve_framed(listener: TcpListener, answer: fn(&str) -> [Vec<u8>; 3]) {
    for conn in listener.incoming() {
        let Ok(mut conn) = conn else { continue };
        thread::spawn(move || loop {
            let mut len = [0u8; 8];
            if conn.read_exact(&mut len).is_err() {
                return;
            }
            let len = u64::from_be_bytes(len);
            if len > 64 * 1024 {
                return;
            }
            let mut cmd = vec![0u8; len as usize];
            if conn.read_exact(&mut cmd).is_err() {
                return;
            }
            let mut reply = Vec::new();
            for frame in answer(&String::from_utf8_lossy(&cmd)) {
                reply.extend_from_slice(&(frame.len() as u64).to_be_bytes());
                reply.extend_from_slice(&frame);
            }
            if conn.write_all(&reply).is_err() {
                return;
            }
        });
    }
}
