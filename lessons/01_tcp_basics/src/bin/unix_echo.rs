//! Unix 域套接字回声: 001、002、004 提到的 AF_UNIX 家族, 用 `std::os::unix::net` (只在 Unix 上)。
//!
//! 两端的运行方法:
//!   终端 1: cargo run -p lesson01 --bin unix_echo
//!   终端 2: cargo run -p lesson01 --bin unix_echo -- --send 你好
//! 服务器监听一个文件 (默认 `./lesson01.sock`) 而不是 ip 和端口, 把每条消息原样发回。
//! 上次死掉的服务器留下的套接字文件会先被删除; 还有服务器在用的文件, 或者不是套接字的文件,
//! 不会动。
//!
//! 一次只服务一个客户端: 一个客户端连着不说话, 其他客户端都要等。第 3 课 (lesson03) 的
//! 每个客户端一个线程的做法同样适用于 `UnixListener`。
//!
//! English: the same echo over a Unix domain socket file; one client at a time (an
//! idle client stalls the others; lesson03's thread per client fixes that).

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
    use support::{accept_failed, announce, fail, io_fail, log_client_error, Cli, OrExit};

    const HELP: &str = "
unix_echo: 通过 Unix 域套接字文件回声; 加 --send 时作为客户端发送一条消息。
unix_echo: echo over a Unix domain socket file; with --send, act as the client.

用法 usage: unix_echo [--path FILE]              (服务器 server)
           unix_echo [--path FILE] --send TEXT  (客户端 client)
  --path FILE  默认 default ./lesson01.sock
";

    /// 删除没有服务器在用的旧套接字文件; 不是套接字的文件、还有服务器在用的文件, 都不动。
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

    /// 和一个客户端的回声循环: 收到什么就发回什么, 直到对方关闭。
    fn echo(conn: &mut UnixStream) -> io::Result<()> {
        let mut buf = [0u8; 1024];
        loop {
            let n = conn.read(&mut buf)?;
            if n == 0 {
                return Ok(());
            }
            // from_utf8_lossy: 当作 UTF-8 显示, 坏字节变成 U+FFFD (Python 的 errors='replace')
            println!("收到: {}", String::from_utf8_lossy(&buf[..n]));
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
            println!("{}", String::from_utf8_lossy(&reply));
            return;
        }

        // 1. 清理上次留下的套接字文件
        remove_stale(path);
        // 2. 绑定到文件 (同时监听)
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
                Err(e) => accept_failed(&e),
            }
        }
    }
}
