#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 时间服务器: 重做 001 「时间服务器」 (UDP, 127.0.0.1:9000)。
//!
//! 练习 (exercise): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个
//! 没做完的步骤, 并打印它的提示。做完后检查: `cargo grade lesson02` (或 `cargo test -p lesson02`)。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo run -p lesson02 --bin time_server
//!   终端 2: cargo run -p lesson02 --bin time_client -- '%Y年%m月%d日 %X'
//! 空数据报表示要默认格式 `%Y-%m-%d %X`; 别的数据报本身就是格式。回复是按这个格式写出的当前时间。
//!
//! 和原文的不同:
//! * 原文根本运行不了: 地址元组里少了一个逗号。
//! * Python 的 `strftime` 用本机时区; std 没有日历也没有时区数据库, 所以 `lesson02::timefmt`
//!   只写 UTC, 或者 `--utc-offset` 给的固定时差 (北京是 +08:00)。真正的时区用 `chrono` 或
//!   `jiff` 这样的 crate。
//! * 格式不是 UTF-8 时原文的服务器会崩溃; 我们回一条错误信息, 继续服务。
//! * 原文手动设置 SO_REUSEADDR; std 的 bind 在 Unix 上已经设置了。
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

    // 1. 创建 UDP 套接字并绑定
    let server: UdpSocket = todo!("第 1 步: 用 UdpSocket::bind 绑定 host 和 port, 失败时交给 bind_failed 报错退出, 见原文「时间服务器」; 注意: 原文的地址元组少一个逗号, 照抄会出错");
    announce("udp", server.local_addr().or_exit("读取本地地址"));

    // 收数据报的缓冲区: 装得下最大的数据报, 收到后自己截到原文的 1024 字节。Windows 上
    // 数据报比缓冲区长时 recv_from 报错而不是截断 (见 lesson02::MAX_DATAGRAM)
    let mut buf = vec![0u8; lesson02::MAX_DATAGRAM];
    loop {
        // 2. 收一个数据报 (recvfrom): 它就是格式 (最多用 1024 字节, 更长的部分被丢掉)
        let received: std::io::Result<(usize, std::net::SocketAddr)> = todo!("第 2 步: 调用 server 的 recv_from, 把一个数据报收进 buf, 得到字节数和发送方的地址, 见原文「时间服务器」; 注意: 返回的 n 是收到的字节数, 只有 buf[..n] 是数据");
        let (n, addr) = match received {
            Ok((n, addr)) => (n.min(lesson02::BUFSIZE), addr),
            Err(e) => {
                eprintln!("{}", lesson02::server_recv_failed(&e));
                continue;
            }
        };
        let msg = &buf[..n];
        // 打印时用 from_utf8_lossy: 从不出错, 坏字节显示成 U+FFFD
        println!("===> {} 字节 bytes: {}", n, String::from_utf8_lossy(msg));

        // 3. 空数据报用默认格式; 否则解码 (.decode('utf-8')) 得到格式。这里用严格的
        //    from_utf8: 坏字节不能当格式, 就回一条错误而不是崩溃
        let decoded: Result<&str, std::str::Utf8Error> = todo!("第 3 步: 用严格的 std::str::from_utf8 把数据报解码成格式 (原文 msg.decode('utf-8')), 见原文「时间服务器」; 注意: 空数据报用默认格式, 坏的 UTF-8 回一条错误, 不能退出");
        let back_msg = match decoded {
            Ok("") => strftime("%Y-%m-%d %X", now_unix(), offset),
            Ok(time_fmt) => strftime(time_fmt, now_unix(), offset),
            Err(_) => "错误: 格式不是 UTF-8 (error: the format is not UTF-8)".to_string(),
        };

        // 4. 编码后把时间发回给对方 (sendto)
        let sent: std::io::Result<usize> = todo!("第 4 步: 用 send_to 把 back_msg 的字节发回给 addr, 见原文「时间服务器」; 注意: 回给发送方 addr");
        if let Err(e) = sent {
            log_client_error(addr, &e);
        }
    }
}
