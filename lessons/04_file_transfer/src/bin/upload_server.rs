//! 文件上传服务器: redoes 003 「文件上传」's server (127.0.0.1:8898).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson04 --bin upload_server -- --dir yuan
//!   terminal 2: cargo run -p lesson04 --bin upload_client      then type  post|Cargo.toml
//! Each upload is a header `post|<size>|<filename>` and exactly `<size>` bytes;
//! the file is saved in `--dir` (the text's `yuan/`). One connection may upload
//! several files, one after another.
//!
//! Differences from the text:
//! * The header ends with a newline by default, because the text's has no end
//!   marker: when header and data arrive in one read (粘包), the text's server puts
//!   the data into the file name. `--text-format` keeps the text's header for its
//!   Python client, glue and all (a test shows the misparse).
//! * The data goes to a temporary file in the same folder, renamed when every
//!   byte has arrived: a client that vanishes leaves neither a partial file nor
//!   the temporary one. The text leaves a truncated file, or spins forever.
//! * A name with a path in it, a size that is not a number and an over-long
//!   header are refused and logged; the server goes on with the next client.
//! * Each connection has a thread (the text serves one at a time).

use lesson04::upload::{read_header, Format};
use std::fs;
use std::io::{self, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use support::{announce, bind_failed, log_client_error, serve_in_thread, Cli, OrExit};

const HELP: &str = "
upload_server: 接收 post|<大小>|<文件名> 头和文件数据, 存到 --dir 目录。
upload_server: receive a post|<size>|<name> header and the data, save into --dir.

用法 usage: upload_server [--host H] [--port P] [--dir DIR] [--text-format]
  默认 default 127.0.0.1:8898, --dir yuan
  --text-format  原文的头 (没有结束标记), 用于和原文的 Python 客户端配对
";

/// A temporary name no other upload uses at the same time.
fn temp_name(dir: &Path, filename: &str) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    dir.join(format!(".{filename}.{}-{n}.part", std::process::id()))
}

/// 一个连接: 一个接一个地接收文件, 直到客户端关闭。
fn serve(conn: TcpStream, addr: SocketAddr, dir: &Path, format: Format) -> io::Result<()> {
    // A client silent for a minute is dropped (and its temporary file removed).
    conn.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut conn = BufReader::new(conn);
    // 1. 读头; 客户端关闭了就结束
    while let Some(header) = read_header(&mut conn, format)? {
        println!("{addr}: post {} 字节 → {}", header.size, header.filename);
        // 2. 先写临时文件, 收齐了才改成真正的名字
        let part = temp_name(dir, &header.filename);
        if let Err(e) = lesson04::save_exact(&mut conn, &part, header.size) {
            return Err(io::Error::new(e.kind(), format!("上传不完整: {e}")));
        }
        fs::rename(&part, dir.join(&header.filename))?;
        println!("ending: 已保存 {}", header.filename);
    }
    Ok(())
}

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8898);
    let dir = cli.value("--dir").unwrap_or_else(|| "yuan".into());
    let format = if cli.switch("--text-format") {
        Format::Text
    } else {
        Format::Line
    };
    cli.done();
    fs::create_dir_all(&dir).or_exit(format_args!("创建目录 {dir}"));
    let dir = PathBuf::from(dir);

    // 1. 创建套接字, 绑定, 监听
    let sk =
        TcpListener::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    announce("tcp", sk.local_addr().or_exit("读取监听地址"));

    loop {
        println!("waiting connect");
        // 2. 接受一个客户端, 3. 接收它上传的文件; 出错只影响这一个客户端
        let (conn, addr) = match sk.accept() {
            Ok(pair) => pair,
            Err(e) => {
                log_client_error("(accept)", &e);
                continue;
            }
        };
        // A thread per client, so one slow upload does not hold up the others.
        let dir = dir.clone();
        serve_in_thread(addr, move || serve(conn, addr, &dir, format));
    }
}
