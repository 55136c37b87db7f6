//! 文件下载客户端: redoes 000 「文件下载器」's client and 004 「文件下载」's.
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson04 --bin download_server -- --root .
//!   terminal 2: cargo run -p lesson04 --bin download_client
//! Asks for the server's ip, port and the file name like the text (or takes
//! `--host`, `--port`, `--name`), and saves what arrives as `[新]<name>`.
//!
//! Differences from the text:
//! * The text reads once, 1024 bytes, so every file over 1 KiB arrives cut. We read
//!   until the server closes. `--single-read` keeps the text's behaviour, to see it.
//! * Nothing arrived (missing or empty file: the plain protocol cannot tell which)
//!   is said, with exit code 1, and no file is written.
//! * `--framed` (with a `--framed` server) reads a header first: a missing file is
//!   reported with the server's reason, and a transfer cut short is detected; the
//!   data goes to a temporary file that becomes `[新]<name>` only when complete.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::Path;
use support::{ask, connect, fail, parse_port, show, Cli, OrExit};

const HELP: &str = "
download_client: 发送文件名, 把收到的数据存为 [新]<文件名>。
download_client: send a file name, save what arrives as [新]<name>.

用法 usage: download_client [--host H] [--port P] [--name FILE] [--single-read] [--framed] [--timeout SECS]
  缺少的值会提问 missing values are asked for
  --single-read  原文的做法: 只读一次 1024 字节 the text's single 1024-byte read
  --framed       先读服务器的头 (服务器也要加 --framed) read the server's header first
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.value("--host");
    let port = cli.port_opt();
    let name = cli.value("--name");
    let single_read = cli.switch("--single-read");
    let framed = cli.switch("--framed");
    let timeout = cli.timeout(30.0);
    cli.done();

    // 1-2. 获取服务器的 ip 和 port, 3. 连接服务器
    let host = host.unwrap_or_else(|| ask("请输入下载服务器的ip:"));
    let port = port.unwrap_or_else(|| parse_port(&ask("请输入下载服务器的port:")));
    let mut tcp_socket = connect(&host, port, timeout);

    // 4. 获取要下载的文件名, 5. 发送给服务器
    let download_file_name = name.unwrap_or_else(|| ask("请输入要下载的文件名字："));
    tcp_socket
        .write_all(download_file_name.as_bytes())
        .or_exit("发送文件名");
    // 保存时只用文件名本身, 不带目录
    let base = Path::new(&download_file_name)
        .file_name()
        .map(|b| b.to_string_lossy().into_owned())
        .unwrap_or_else(|| fail("文件名无效"));
    let target = format!("[新]{base}");

    if framed {
        // 6a. 先读头: OK <大小> 或 ERR <原因>
        let header = lesson04::framing::read_frame(&mut tcp_socket, 1024)
            .or_exit("接收头")
            .unwrap_or_else(|| fail("服务器没有回应就关闭了连接"));
        let header = show(&header).into_owned();
        let Some(size) = header
            .strip_prefix("OK ")
            .and_then(|s| s.parse::<u64>().ok())
        else {
            fail(format_args!(
                "服务器拒绝: {}",
                header.trim_start_matches("ERR ")
            ));
        };
        // 7a. 写进临时文件, 收齐了才改名; 收不齐就删掉
        let part = format!("{target}.part");
        let got = lesson04::save_exact(&mut tcp_socket, Path::new(&part), size)
            .or_exit("接收文件 (传输被中断, 没有留下文件)");
        fs::rename(&part, &target).or_exit(format_args!("改名为 {target}"));
        println!("已保存 {target}, {got} 字节");
        return;
    }

    // 6. 接收文件的数据: 默认读到服务器关闭为止; --single-read 只读一次 1024 字节
    let mut first = [0u8; 1024];
    let n = tcp_socket.read(&mut first).or_exit("接收数据");
    if n == 0 {
        fail(format_args!(
            "没有收到数据: 服务器上没有 `{download_file_name}`, 或者它是空文件; 没有保存文件"
        ));
    }
    // 7. 有数据才保存: 先到的这一块, 默认再加上直到服务器关闭的其余部分
    //    (先到的一块和后面的一起经过同一个缓冲区, 写文件时每次都是整 1 MiB)
    let mut f = File::create(&target).or_exit(format_args!("创建 {target}"));
    let first = &first[..n];
    let saved = if single_read {
        lesson04::receive(&mut { first }, &mut f)
    } else {
        lesson04::receive(&mut first.chain(&mut tcp_socket), &mut f)
    };
    let total = match saved {
        Ok(total) => total,
        Err(e) => {
            drop(f);
            let _ = fs::remove_file(&target);
            support::io_fail("接收或保存数据 (传输被中断, 删除了不完整的文件)", &e);
        }
    };
    println!("已保存 {target}, {total} 字节");
    // 8. 关闭套接字
}
