//! 粘包现象: 在本机回环上演示 003 「粘包现象」, 再演示三种解决办法。
//! Shows 003 「粘包现象」 over loopback, then the three cures.
//!
//! 运行: cargo run -p lesson04 --bin sticky
//! 1. 两次发送, 一次读到: 紧接着发送的 `hello` 和 `world` 一起到达。
//! 2. 原文的办法: 两次发送之间等对方回一句。
//! 3. 分隔符: 每条消息以 `\n` 结束, 一行一行地读。
//! 4. 长度前缀 (`lesson04::framing`): 先说多长, 再发内容。
//!
//! 第 1 步里, 读的一方先用 `peek` 等到 10 个字节都到了才 read, 所以每次运行都能看到粘包;
//! 真实的程序里它只是"有时"发生, 这正是它难查的原因。
//! (原文之外的演示程序, 不是练习。)

use lesson04::framing::{read_frame, write_frame};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use support::{Cli, OrExit};

/// 收到的字节显示成文字: from_utf8_lossy 相当于 Python 的 decode('utf-8', errors='replace'),
/// 不会出错, 坏字节变成 U+FFFD (不加 errors 的 decode 遇到坏字节会抛出异常)。
fn show(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

const HELP: &str = "
sticky: 在本机演示粘包 (两次发送被一次读到) 和三种解决办法。
sticky: show two sends read as one (粘包) over loopback, and three cures.

用法 usage: sticky
";

/// 在本机回环上连好的一对套接字: (发送的一方, 接收的一方)。
/// A connected pair over loopback: (sender, receiver).
fn pair() -> io::Result<(TcpStream, TcpStream)> {
    let l = TcpListener::bind("127.0.0.1:0")?;
    let a = TcpStream::connect(l.local_addr()?)?;
    Ok((a, l.accept()?.0))
}

fn run() -> io::Result<()> {
    let mut buf = [0u8; 1024];

    // 1. 粘包: 连续两次发送
    let (mut tx, mut rx) = pair()?;
    tx.write_all(b"hello")?;
    tx.write_all(b"world")?;
    // 等两条都到了再读。在回环上两次 write 返回时数据通常已经到了, 所以即使不等,
    // 一般也能看到粘包; 这个等待是为了在很忙的机器上也每次都能看到 (测试看不出它的差别)。
    while rx.peek(&mut buf)? < 10 {}
    let n = rx.read(&mut buf)?;
    println!(
        "1. 粘包 glued:      发送 \"hello\" + \"world\", 一次 read 得到 {:?}",
        show(&buf[..n])
    );

    // 2. 原文的办法: 两次发送之间等对方回一句
    let (mut tx, mut rx) = pair()?;
    tx.write_all(b"hello")?;
    let n = rx.read(&mut buf)?;
    let first = show(&buf[..n]).into_owned();
    rx.write_all(b"ok")?;
    let _ = tx.read(&mut buf)?; // 等到回复才发第二条
    tx.write_all(b"world")?;
    let n = rx.read(&mut buf)?;
    println!(
        "2. 等回复 wait:     {first:?} 和 {:?} (多一次往返)",
        show(&buf[..n])
    );

    // 3. 分隔符: 每条消息以换行结束, 按行读
    let (mut tx, rx) = pair()?;
    tx.write_all(b"hello\nworld\n")?;
    let lines: Vec<String> = BufReader::new(rx)
        .lines()
        .take(2)
        .collect::<io::Result<_>>()?;
    println!("3. 分隔符 newline:  {lines:?} (消息里不能有换行)");

    // 4. 长度前缀: 先发 8 字节长度, 再发内容
    let (mut tx, mut rx) = pair()?;
    write_frame(&mut tx, b"hello")?;
    write_frame(&mut tx, b"world\nwith newline")?;
    let a = read_frame(&mut rx, 1024)?.unwrap_or_default();
    let b = read_frame(&mut rx, 1024)?.unwrap_or_default();
    println!(
        "4. 长度前缀 length: {:?} 和 {:?} (任何字节都可以)",
        show(&a),
        show(&b)
    );
    Ok(())
}

fn main() {
    Cli::new(HELP).done();
    run().or_exit("演示");
}
