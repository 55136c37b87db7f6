//! Unix 域套接字回声: the AF_UNIX family that 001, 002 and 004 mention, over
//! `std::os::unix::net` (Unix only).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson01 --bin unix_echo
//!   terminal 2: cargo run -p lesson01 --bin unix_echo -- --send 你好
//! The server listens on a file (`./lesson01.sock` by default) instead of an ip and
//! a port, and echoes every message back. A socket file left by a server that died
//! is removed first; a live one, or a file that is not a socket, is left alone.

#[cfg(unix)]
fn main() {
    unix::main()
}

#[cfg(not(unix))]
fn main() {
    support::fail("Unix 域套接字只在 Unix 系统上可用 (AF_UNIX is Unix only)");
}

#[cfg(unix)]
mod unix {
    use std::io::{self, ErrorKind, Read, Write};
    use std::os::unix::fs::FileTypeExt;
    use std::os::unix::net::{UnixListener, UnixStream};
    use std::path::Path;
    use support::{announce, fail, io_fail, log_client_error, show, Cli, OrExit};

    const HELP: &str = "
unix_echo: 通过 Unix 域套接字文件回声; 加 --send 时作为客户端发送一条消息。
unix_echo: echo over a Unix domain socket file; with --send, act as the client.

用法 usage: unix_echo [--path FILE]              (服务器 server)
           unix_echo [--path FILE] --send TEXT  (客户端 client)
  --path FILE  默认 default ./lesson01.sock
";

    /// Removes a socket file that no server answers on any more.
    fn remove_stale(path: &Path) {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return; // nothing there
        };
        if !meta.file_type().is_socket() {
            fail(format_args!(
                "{} 已存在但不是套接字文件, 不会删除它; 换一个 --path",
                path.display()
            ));
        }
        match UnixStream::connect(path) {
            Ok(_) => fail(format_args!("{} 上已经有服务器在运行", path.display())),
            Err(e) if e.kind() == ErrorKind::ConnectionRefused => {
                std::fs::remove_file(path)
                    .or_exit(format_args!("删除旧的套接字文件 {}", path.display()));
                println!("删除了上次留下的套接字文件 {}", path.display());
            }
            Err(e) => io_fail(format_args!("检查 {}", path.display()), &e),
        }
    }

    fn echo(conn: &mut UnixStream) -> io::Result<()> {
        let mut buf = [0u8; 1024];
        loop {
            let n = conn.read(&mut buf)?;
            if n == 0 {
                return Ok(());
            }
            println!("收到: {}", show(&buf[..n]));
            conn.write_all(&buf[..n])?;
        }
    }

    pub fn main() {
        let mut cli = Cli::new(HELP);
        let path = cli
            .value("--path")
            .unwrap_or_else(|| "./lesson01.sock".into());
        let send = cli.value("--send");
        cli.done();
        let path = Path::new(&path);

        if let Some(message) = send {
            // 客户端: 连接文件, 发送, 关闭写方向, 读回声
            let mut s = UnixStream::connect(path).or_exit(format_args!("连接 {}", path.display()));
            s.write_all(message.as_bytes()).or_exit("发送");
            s.shutdown(std::net::Shutdown::Write).or_exit("关闭写方向");
            let mut reply = Vec::new();
            s.read_to_end(&mut reply).or_exit("接收");
            println!("{}", show(&reply));
            return;
        }

        // 1. 清理旧文件, 2. 绑定到文件 (同时监听)
        remove_stale(path);
        let listener = UnixListener::bind(path).or_exit(format_args!("绑定 {}", path.display()));
        announce("unix", path.display());

        // 3. 连接循环: 一个接一个地回声
        for conn in listener.incoming() {
            match conn {
                Ok(mut c) => {
                    if let Err(e) = echo(&mut c) {
                        log_client_error("(unix)", &e);
                    }
                }
                Err(e) => log_client_error("(accept)", &e),
            }
        }
    }
}
