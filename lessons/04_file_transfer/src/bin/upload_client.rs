//! 文件上传客户端: redoes 003 「文件上传」's client (to 127.0.0.1:8898).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson04 --bin upload_server -- --dir yuan
//!   terminal 2: cargo run -p lesson04 --bin upload_client
//! At `please input:` type `post|<local path>`; the file is sent as a header and
//! its bytes, in 1024-byte pieces like the text. An empty line or end of input quits.
//!
//! `--text-format` sends the text's header with no end marker (to pair with the
//! text's Python server); the default ends it with a newline (see upload_server).
//! Paths are relative to the working folder (the text uses the script's folder).

use lesson04::upload::{encode, Format};
use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use support::{ask_line, connect, Cli, OrExit};

const HELP: &str = "
upload_client: 在 please input: 后输入 post|<本地路径> 上传文件; 空行退出。
upload_client: type post|<local path> at `please input:` to upload; an empty line quits.

用法 usage: upload_client [--host H] [--port P] [--text-format] [--timeout SECS]
  默认 default 127.0.0.1:8898
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8898);
    let format = if cli.switch("--text-format") {
        Format::Text
    } else {
        Format::Line
    };
    let timeout = cli.timeout(30.0);
    cli.done();

    // 1. 创建套接字并连接
    let mut sk = connect(&host, port, timeout);
    println!("客户端启动....");

    loop {
        // 2. 读命令: post|路径
        let inp = match ask_line("please input:") {
            Some(line) if !line.trim().is_empty() => line,
            _ => break,
        };
        let Some(local_path) = inp.trim().strip_prefix("post|") else {
            println!("请输入 post|<文件路径>, 例如 post|Cargo.toml");
            continue;
        };
        // 3. 文件大小和文件名 (不带目录)
        let path = Path::new(local_path);
        let mut file_obj = match File::open(path) {
            Ok(f) => f,
            Err(e) => {
                eprintln!(
                    "错误: 打开 {local_path}: {} (系统: {e})",
                    support::advice(&e)
                );
                continue;
            }
        };
        let file_byte_size = file_obj.metadata().or_exit("读取文件大小").len();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();

        // 4. 发头, 再按 1024 字节一块发送文件内容
        sk.write_all(&encode(format, file_byte_size, &file_name))
            .or_exit("发送头");
        let mut has_sent = 0u64;
        let mut data = [0u8; 1024];
        while has_sent < file_byte_size {
            let n = file_obj.read(&mut data).or_exit("读取文件");
            if n == 0 {
                support::fail("文件在上传时变短了");
            }
            sk.write_all(&data[..n]).or_exit("发送文件数据");
            has_sent += n as u64;
        }
        println!("上传成功 {file_name}, {has_sent} 字节");
    }
}
