//! 时间服务器: 重做 001 「时间服务器」 (UDP, 127.0.0.1:9000)。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo run -p lesson02 --bin time_server
//!   终端 2: cargo grade peer time_server   (现成的假客户端; 原文没有给客户端)
//! 空数据报表示要默认格式 `%Y-%m-%d %X`; 别的数据报本身就是格式。回复是按这个格式写出的当前时间。
//!
//! 和原文的不同:
//! * 原文根本运行不了: 地址元组里少了一个逗号。
//! * Python 的 `strftime` 用本机时区; std 没有日历也没有时区数据库, 所以 `lesson02::timefmt`
//!   只写 UTC, 或者 `--utc-offset` 给的固定时差 (北京是 +08:00)。真正的时区用 `chrono` 或
//!   `jiff` 这样的 crate。
//! * 格式不是 UTF-8 时原文的服务器会崩溃; 我们回一条错误信息, 继续服务。
//! * 原文在 bind 之前用 setsockopt 打开地址重用, 好让重启的服务器马上能再绑定; UDP 用不着它:
//!   UDP 没有连接, 程序一退出端口就空出来 (见 README 「深入」)。
//! * 原文打印 `===> b'...'` (Python 的 bytes 对象); 我们打印字节数和解码后的文字。
//!
//! English: redoes 001's time server: an empty datagram gets `%Y-%m-%d %X`, any other is the
//! format; UTC or a fixed `--utc-offset`, since std has no zone database.

use lesson02::timefmt::{now_unix, parse_offset, strftime};
use std::net::UdpSocket;
use support::{announce, bind_failed, fail, log_client_error, Cli, OrExit};

const HELP: &str = "
time_server: 空数据报 → 按 %Y-%m-%d %X 回复当前时间; 其他数据报就是时间格式。
time_server: an empty datagram gets the time as %Y-%m-%d %X; any other is the format.

用法 usage: time_server [--host H] [--port P] [--utc-offset +08:00]
  默认 default 127.0.0.1:9000, UTC
  支持 supports: %Y %m %d %H %M %S %X %x %y %j %a %A %b %B %p %%
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(9000);
    let offset = cli.value("--utc-offset").map_or(0, |o| {
        parse_offset(&o)
            .unwrap_or_else(|| fail(format_args!("--utc-offset `{o}` 无效, 例如 +08:00")))
    });
    cli.done();

    // 1. 创建 UDP 套接字并绑定 (socket + bind); 原文在 bind 之前的 setsockopt 见上面的说明
    let server =
        UdpSocket::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    announce("udp", server.local_addr().or_exit("读取本地地址"));

    // 64 KiB 而不是 1024: Windows 上数据报比缓冲区大时 recv_from 报错 (WSAEMSGSIZE), 不截断
    let mut buf = vec![0u8; 65_536];
    loop {
        // 2. 收一个数据报 (recvfrom(bufsize)): 它就是时间格式
        let received = server.recv_from(&mut buf);
        let Some((n, addr)) = lesson02::ok_or_log(received) else {
            continue; // 收失败: 记一行, 接着收 (原文在这里抛异常退出)
        };
        let msg = &buf[..n.min(1024)]; // 原文的 bufsize = 1024: 只用前 1024 字节

        // 3. 打印收到的 (原文 print('===>', msg) 打印 b'...'; 我们打印字节数和文字,
        //    from_utf8_lossy 相当于 decode('utf-8', errors='replace'), 坏字节变成 �)
        println!(
            "===> {} 字节 bytes: {}",
            msg.len(),
            String::from_utf8_lossy(msg)
        );

        // 4. 空数据报用默认格式 %Y-%m-%d %X; 否则解码 (decode('utf-8')) 得到格式。这里用严格的
        //    from_utf8, 它和原文的 decode 一样会出错: 坏字节不能当格式
        let time_fmt = if msg.is_empty() {
            Ok("%Y-%m-%d %X")
        } else {
            std::str::from_utf8(msg)
        };

        // 5. 按格式写出现在的时间 (strftime); 格式不是 UTF-8 时回一条错误 (原文在这里崩溃)
        let back_msg = match time_fmt {
            Ok(time_fmt) => strftime(time_fmt, now_unix(), offset),
            Err(_) => "错误: 格式不是 UTF-8 (error: the format is not UTF-8)".to_string(),
        };

        // 6. 编码后把时间发回给对方 (sendto)
        let sent = server.send_to(back_msg.as_bytes(), addr);
        if let Err(e) = sent {
            log_client_error(addr, &e);
        }
    }
}
