//! `--framed` (两端都加): 原文没有的长度前缀协议, 治好原文的 粘包。
//!
//! 原文的客户端每条命令只 `recv(1024)` 一次, 长的输出剩下的部分成了下一条命令的 "回答"。
//! 这里每条消息都是 lesson04 的一帧 (8 字节大端长度, 然后正好那么多字节, 见 [`crate::framing`]):
//! 客户端发一帧命令, 服务器回三帧: stdout、stderr、一行状态 (退出码, 或者超时被杀掉)。
//! 读的一方用 `read_exact` 凑齐每一帧, 不管字节被拆成几块、和别的粘在一起, 都一样。
//!
//! `--framed`: the length-prefixed protocol that cures 粘包. One frame of command;
//! three frames of answer: stdout, stderr, a status line.

use std::io;
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;
use support::{fail, OrExit};

use crate::framing::{read_frame, write_frame};
use crate::{kill_after, read_capped, to_utf8, OUTPUT_CAP};

/// 服务器收的一帧命令最长 64 KiB: 命令行都很短, 更长的长度是写错了或者恶意的,
/// 不能让我们照着它分配内存。The longest command frame the server takes.
pub const MAX_COMMAND: u64 = 64 * 1024;

/// 客户端收的一帧回答最长 [`OUTPUT_CAP`] 加 1024 字节 (服务器最多保留这么多输出, 再加一句
/// 说明的位置); 更长的长度是对方在说谎。The longest answer frame the client takes.
pub const MAX_ANSWER: u64 = OUTPUT_CAP as u64 + 1024;

/// 服务器一端, 一个客户端的整个循环: 收一帧命令, 解码、去掉两边空白, 用 `shell` 交给 shell
/// 执行 (stdout 和 stderr 都接管道, 时间上限 `limit`), 回三帧。日志和原文的服务器一样打印
/// 命令、`waiting...` 和 `send data size`; 客户端 `addr` 正常关闭时记一行, 返回 `Ok`。
/// The framed server's loop for one client.
pub fn serve(
    mut conn: TcpStream,
    addr: SocketAddr,
    limit: Duration,
    shell: fn(&str) -> Command,
) -> io::Result<()> {
    while let Some(raw) = read_frame(&mut conn, MAX_COMMAND)? {
        let text = String::from_utf8_lossy(&raw);
        println!("{text}");
        println!("waiting...");
        let mut child = shell(text.trim())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let watch = kill_after(&child, limit)?;
        // Both pipes at once: read one after the other, a command that fills the
        // stderr pipe while we wait on stdout would stall until the limit.
        let stderr = child.stderr.take().expect("stderr is piped");
        let err_reader = thread::Builder::new().spawn(move || read_capped(stderr))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let (mut out, out_cut) = read_capped(stdout)?;
        let (mut err, err_cut) = err_reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("reading stderr failed")))?;
        let ended = watch.wait(&mut child)?;
        to_utf8(&mut out);
        to_utf8(&mut err);
        let mut status = ended.status_line();
        if out_cut || err_cut {
            status.push_str("; 输出超过 16 MiB 被截断 output cut at 16 MiB");
        }
        write_frame(&mut conn, &out)?;
        write_frame(&mut conn, &err)?;
        write_frame(&mut conn, status.as_bytes())?;
        println!("send data size {} ({status})", out.len());
        println!("******************");
        println!("******************");
        println!("******************");
    }
    println!("客户端 {addr} 已离开");
    Ok(())
}

/// 客户端一端, 一条命令的问答: 发一帧命令 `cmd`, 收三帧回答, 打印 stdout、`[stderr] …`
/// (有的话)、`[状态]` 和 `receive data size N`。出错或服务器关闭了连接时报一行错误退出。
/// The framed client's exchange for one command; exits with one line on an error.
pub fn ask(sk: &mut TcpStream, cmd: &str) {
    write_frame(sk, cmd.as_bytes()).or_exit("发送命令");
    let mut frames = Vec::new();
    for _ in 0..3 {
        let frame = read_frame(sk, MAX_ANSWER)
            .or_exit("接收结果")
            .unwrap_or_else(|| fail("服务器关闭了连接"));
        frames.push(frame);
    }
    // from_utf8_lossy: like decode('utf-8', errors='replace'), bad bytes show as U+FFFD.
    print!("{}", String::from_utf8_lossy(&frames[0]));
    if !frames[1].is_empty() {
        print!("[stderr] {}", String::from_utf8_lossy(&frames[1]));
    }
    println!("[{}]", String::from_utf8_lossy(&frames[2]));
    println!("receive data size {}", frames[0].len());
}
