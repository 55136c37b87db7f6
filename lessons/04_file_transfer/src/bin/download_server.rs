//! 文件下载服务器: redoes 000 「文件下载器」's server (port 7890, serves forever) and
//! 004 「文件下载」's (port 8081, serves once: `--port 8081 --once`).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson04 --bin download_server -- --root .
//!   terminal 2: cargo run -p lesson04 --bin download_client
//! Reads a file name (one read of at most 1024 bytes, UTF-8), sends the whole file
//! and closes. With `--framed` (both ends) it first answers a header, so the client
//! can tell "missing" from "empty" and notice a cut transfer.
//!
//! Differences from the text:
//! * Only files below `--root` are served. The text opens whatever name arrives,
//!   so any file the server can read (`/etc/passwd`, `../secret`) is given away.
//! * The file is streamed 1 MiB at a time (`lesson04::send`), never read whole
//!   into memory as the text's `f.read()` does: a 1 GiB file costs no more
//!   memory than a 1 KiB one.
//! * Each client gets a thread, so a slow one does not hold up the rest. The text
//!   serves one client at a time.

use lesson04::safepath::{resolve, Refusal};
use std::fs::File;
use std::io::{self, Read};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use support::{announce, bind_failed, log_client_error, serve_in_thread, show, Cli, OrExit};

const HELP: &str = "
download_server: 读文件名, 发送整个文件, 关闭; 只提供 --root 目录里的文件。
download_server: read a file name, send the whole file, close; only files below --root.

用法 usage: download_server [--host H] [--port P] [--root DIR] [--once] [--framed]
  --host H    默认 default 0.0.0.0
  --port P    默认 default 7890 (000); 004 用 uses 8081
  --root DIR  只提供这个目录下的文件 serve only below DIR (默认 default .)
  --once      只服务一个客户端 (004) serve one client, then exit
  --framed    先回一个头: OK <大小> 或 ERR <原因> answer a header first
";

/// 为一个客户端服务: 收文件名, 检查, 发送。
fn send_file_to_client(
    mut client: TcpStream,
    addr: SocketAddr,
    root: &Path,
    framed: bool,
) -> io::Result<()> {
    // 1. 接收要下载的文件名 (一次 read, 最多 1024 字节; 最多等 10 秒)
    client.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut buf = [0u8; 1024];
    let n = client.read(&mut buf)?;
    let raw = &buf[..n];
    println!("客户端({addr})需要下载文件是：{}", show(raw));

    // 2. 检查文件名并打开文件; 不能提供时记录原因, 关闭连接 (framed 时先告诉对方)
    let opened = resolve(root, raw).and_then(|path| File::open(path).map_err(|_| Refusal::Missing));
    let mut file = match opened {
        Ok(f) => f,
        Err(why) => {
            match why {
                Refusal::Missing => println!("没有要下载的文件({})", show(raw)),
                _ => println!("拒绝 refused ({}): {why}", show(raw)),
            }
            if framed {
                lesson04::framing::write_frame(&mut client, format!("ERR {why}").as_bytes())?;
            }
            return Ok(());
        }
    };

    // 3. 发送文件的数据: 分块流式发送, 不整个读进内存
    let size = file.metadata()?.len();
    if framed {
        lesson04::framing::write_frame(&mut client, format!("OK {size}").as_bytes())?;
    }
    let sent = lesson04::send(&mut file, &mut client, size)?;
    println!("发送给 {addr}: {sent} 字节");
    Ok(())
}

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("0.0.0.0");
    let port = cli.port(7890);
    let root = cli.value("--root").unwrap_or_else(|| ".".into());
    let once = cli.switch("--once");
    let framed = cli.switch("--framed");
    cli.done();
    let root = Arc::new(
        Path::new(&root)
            .canonicalize()
            .or_exit(format_args!("打开根目录 {root}")),
    );

    // 1. 创建套接字, 2. 绑定本地信息, 3. 监听 (std 的 bind 一步完成)
    let listener =
        TcpListener::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    announce("tcp", listener.local_addr().or_exit("读取监听地址"));
    println!("提供目录 serving {}", root.display());

    loop {
        // 4. 等待客户端的连接
        let (client, addr) = match listener.accept() {
            Ok(pair) => pair,
            Err(e) => {
                log_client_error("(accept)", &e);
                continue;
            }
        };
        // 5. 为客户端服务; 6. 关闭它的套接字 (drop)
        if once {
            if let Err(e) = send_file_to_client(client, addr, &root, framed) {
                log_client_error(addr, &e);
            }
            return;
        }
        let root = Arc::clone(&root);
        serve_in_thread(addr, move || {
            send_file_to_client(client, addr, &root, framed)
        });
    }
}
