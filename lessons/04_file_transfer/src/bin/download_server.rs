//! 文件下载服务器: 重做 000 「文件下载器」的服务器 (端口 7890, 一直服务) 和
//! 004 「文件下载」的服务器 (127.0.0.1:8081, 只服务一次: `--section 004`)。
//! Redoes the servers of 000 「文件下载器」 and 004 「文件下载」.
//!
//! 两端这样运行 (`$REPO` 是代码仓库的路径; 客户端在一个空的临时目录里运行, 免得
//! `[新]…` 留在仓库里; 详见 README):
//!   终端 1 (在仓库里): cargo run -p lesson04 --bin download_server -- --root .
//!   终端 2 (临时目录): cargo run -q --manifest-path $REPO/Cargo.toml -p lesson04 --bin download_client
//! 另一端也可以是现成的假客户端 `cargo grade peer download_server`, 或者原文的 Python 客户端。
//! 读文件名 (一次 read, 最多 1024 字节, UTF-8), 发送整个文件, 关闭。
//!
//! 读的顺序和原文一样: 先是为一个客户端服务的 `send_file_to_client` (第 1-4 步),
//! 再是 `main` (第 5-8 步: 绑定、accept、调用它、关闭)。
//!
//! 两端都加 `--framed` (原文之外) 时, 请求和回答都带 8 字节的长度前缀
//! (`lesson04::framing`): 客户端发来的文件名是一帧, 服务器读满这一帧, 名字分几次到达也不怕;
//! 服务器先回一帧头 `OK <大小>` 或 `ERR <原因>`, 客户端就能分清"没有这个文件"和"空文件",
//! 也能发现传输被截断。不加 `--framed` 时和原文一字节不差, 原文的 Python 客户端照样能用。
//!
//! 默认监听 0.0.0.0 (所有网卡), 和 000 一样: 这样别的电脑也能来下载, 这正是原文的
//! 目的。Windows 和 macOS 第一次运行时会弹出防火墙提示; 只在本机试用就加
//! `--host 127.0.0.1`, 不用放行。
//!
//! 和原文不同之处:
//! * 只提供 `--root` 下面的文件。原文拿到什么名字就打开什么, 服务器能读的任何文件
//!   (`/etc/passwd`、`../secret`) 谁要都给。
//! * 文件分块发送, 每次 256 KiB (`lesson04::SEND_CHUNK`), 不像原文的 `f.read()` 那样整个读进
//!   内存: 1 GiB 的文件和 1 KiB 的文件占的内存一样多。
//! * 每个客户端一个线程, 慢的客户端不耽误别人 (原文一次只服务一个); 同时最多
//!   `--max-clients` 个 (默认 128)。连上了还没发文件名的连接先在等候室里等
//!   (`lesson04::lobby`, 不占线程), 文件名到齐了才占一个位置; `--request-timeout` 秒
//!   (默认 5) 内没发来的被关闭。几百个只连接不说话的连接挤不掉正常的客户端。
//! * 发送有超时 (`--write-timeout`, 默认 60 秒): 一个只要文件却从来不读的客户端,
//!   到时间就被断开, 不会永远占着一个线程。
//!
//! Differences from the text: only files below `--root`; the file is streamed in
//! 256 KiB pieces; a thread per client, at most `--max-clients` at once, taken only
//! once the name has arrived (until then a connection waits in `lesson04::lobby`, with
//! no thread, for `--request-timeout` seconds); sends time out after `--write-timeout`
//! seconds. With `--framed` the request (the name) and
//! the answer's header are length-prefixed frames; without it the bytes are the text's.

use lesson04::lobby::{Limits, Lobby, Request};
use lesson04::safepath::{resolve, Refusal};
use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use support::{announce, bind_failed, log_client_error, serve_in_thread, Cli, OrExit};

const HELP: &str = "
download_server: 读文件名, 发送整个文件, 关闭; 只提供 --root 目录里的文件。
download_server: read a file name, send the whole file, close; only files below --root.

用法 usage: download_server [--host H] [--port P] [--root DIR] [--section 000|004] [--once]
                            [--framed] [--max-clients N] [--write-timeout SECS]
                            [--max-waiting N] [--request-timeout SECS]
  --host H            默认 default 0.0.0.0 (000; 004 是 127.0.0.1)
  --port P            默认 default 7890 (000; 004 是 8081)
  --root DIR          只提供这个目录下的文件 serve only below DIR (默认 default .)
  --section 004       照 004 「文件下载」: 127.0.0.1:8081, 只服务一个客户端, 它的提示语
                      like 004: 127.0.0.1:8081, one client, its message
  --once              只服务一个客户端就退出 serve one client, then exit
  --framed            文件名和回答都带长度前缀; 先回一个头: OK <大小> 或 ERR <原因>
                      framed name and a header first (the client needs --framed too)
  --max-clients N     同时最多服务 N 个客户端, 其余的排队等 (默认 128)
  --max-waiting N     最多 N 个连接等着发来文件名, 满了关掉等得最久的 (默认 512)
  --request-timeout S 文件名 S 秒内没到齐就关闭连接 (默认 5)
  --write-timeout S   发送卡住 S 秒就断开这个客户端 (默认 60)
";

/// 服务器的设置 (原文写死在程序里: 端口 7890, 当前目录), 每个客户端的线程都要用。
struct Settings {
    host: String,
    port: u16,
    root: std::path::PathBuf,
    framed: bool,
    section_004: bool,
    once: bool,
    write_timeout: Duration,
}

/// 为一个客户端服务 (原文的 `send_file_to_client`, 和原文一样写在 `main` 上面):
/// 收文件名, 打开文件, 发送。
fn send_file_to_client(
    mut new_client_socket: TcpStream,
    client_addr: SocketAddr,
    settings: &Settings,
) -> io::Result<()> {
    // 原文之外: 文件名最多等 10 秒 (原文一直等)
    new_client_socket.set_read_timeout(Some(Duration::from_secs(10)))?;
    // 1. 接收客户端要下载的文件名 (原文的 recv(1024)): 一次 read, 最多 1024 字节。
    //    --framed (原文之外) 时文件名是一帧, 读满为止, 名字分几次到达也收得全
    let mut buf = [0u8; 1024];
    let n = if settings.framed {
        lesson04::framing::read_frame_into(&mut new_client_socket, &mut buf)?
    } else {
        new_client_socket.read(&mut buf)?
    };
    let name = &buf[..n];
    // 2. 解码并打印 (原文的 decode("utf-8") 遇到不是 UTF-8 的字节会抛出异常, 整个服务器就停了;
    //    from_utf8_lossy 相当于 decode("utf-8", errors="replace"): 坏字节变成 �, 不会出错,
    //    这样的名字下一步会被拒绝)
    let file_name = String::from_utf8_lossy(name);
    println!("客户端({client_addr})需要下载文件是：{file_name}");

    // 3. 打开这个文件 (原文的 open(file_name, "rb"))。原文之外: 先检查名字 (resolve),
    //    只提供 --root 下面的文件; 打不开时打印原文的提示, 什么也不发就关闭
    let opened =
        resolve(&settings.root, name).and_then(|p| File::open(p).map_err(|_| Refusal::Missing));
    let f = match opened {
        Ok(f) => f,
        Err(why) => {
            match why {
                Refusal::Missing if settings.section_004 => println!("{file_name}文件不存在"),
                Refusal::Missing => println!("没有要下载的文件({file_name})"),
                _ => println!("拒绝 refused ({file_name}): {why}"),
            }
            return answer_framed(&mut new_client_socket, settings, &format!("ERR {why}"));
        }
    };

    // 4. 发送文件的数据。原文用 f.read() 把整个文件读进内存, 再一次 send; 我们一块一块地
    //    读、一块一块地发 (每块 SEND_CHUNK 字节), 内存不随文件变大
    new_client_socket.set_write_timeout(Some(settings.write_timeout))?; // 原文之外: 对方不读时最多等这么久
    let size = f.metadata()?.len();
    // 原文之外: --framed 时先回一帧头 `OK <大小>`; 不加 --framed 时什么也不发, 和原文一样
    answer_framed(&mut new_client_socket, settings, &format!("OK {size}"))?;
    // 只发 size 字节: 发送时文件变长了, 也和 --framed 的头里说的大小一致
    let mut f = f.take(size);
    let mut file_content = vec![0u8; lesson04::SEND_CHUNK];
    let mut sent = 0u64;
    loop {
        let n = f.read(&mut file_content)?;
        if n == 0 {
            break; // 文件读完了
        }
        new_client_socket.write_all(&file_content[..n])?;
        sent += n as u64;
    }
    println!("发送给 {client_addr}: {sent} 字节");
    // 文件 (原文的 f.close()) 和连接在函数返回时 drop, 也就关闭了
    Ok(())
}

/// `--framed` (原文之外): 先回一帧头, `OK <大小>` 或 `ERR <原因>`; 不加 `--framed` 时什么也不发,
/// 和原文一样。
fn answer_framed(sock: &mut TcpStream, settings: &Settings, answer: &str) -> io::Result<()> {
    if settings.framed {
        lesson04::framing::write_frame(sock, answer.as_bytes())?;
    }
    Ok(())
}

fn main() {
    let (settings, limits) = settings();
    let settings = Arc::new(settings);
    let (host, port) = (settings.host.as_str(), settings.port);

    // 5. 创建套接字, 绑定本地信息, 监听 (原文 main 的第 1-3 步: socket、bind、listen;
    //    std 的 bind 一步做完这三件事)
    let tcp_server_socket =
        TcpListener::bind((host, port)).unwrap_or_else(|e| bind_failed(host, port, e));
    announce(
        "tcp",
        tcp_server_socket.local_addr().or_exit("读取监听地址"),
    );
    println!("提供目录 serving {}", settings.root.display());

    // 原文之外: 等候室 (lesson04::lobby)。accept 到的连接先在这里等文件名, 不占线程;
    // 文件名到齐、又有空位时, 在它自己的线程里为它服务 (第 7 步, send_file_to_client)
    let waiting_room = {
        let settings = Arc::clone(&settings);
        let request = if settings.framed {
            Request::Frame
        } else {
            Request::Bytes
        };
        Lobby::start(
            request,
            limits,
            move |new_client_socket, client_addr, slot| {
                let settings = Arc::clone(&settings);
                serve_in_thread(client_addr, move || {
                    let _slot = slot; // 线程结束时让出位置
                    send_file_to_client(new_client_socket, client_addr, &settings)
                });
            },
        )
    };

    loop {
        // 6. 等待客户端的连接
        let (new_client_socket, client_addr) = match tcp_server_socket.accept() {
            Ok(pair) => pair,
            Err(e) => {
                support::accept_failed(&e); // 原文在这里出错退出; 我们记录下来, 接着等
                continue;
            }
        };
        // 7. 为客户端服务; 8. 关闭它的套接字 (send_file_to_client 返回时 drop)。
        //    原文直接调用, 一次只服务一个; 004 (和 --once) 这样服务一个就退出
        if settings.once {
            if let Err(e) = send_file_to_client(new_client_socket, client_addr, &settings) {
                log_client_error(client_addr, &e);
            }
            return;
        }
        // 000 的服务器一直服务: 我们先让它在等候室里等文件名, 到齐了再在它自己的线程里
        // 为它服务 (第 3 课讲过线程), 慢的客户端不耽误别人
        waiting_room.admit(new_client_socket, client_addr);
    }
}

/// 读命令行参数, 找到 `--root` (原文之外); 等候室的限制另外返回。
fn settings() -> (Settings, Limits) {
    let mut cli = Cli::new(HELP);
    let section_004 = match cli.value("--section").as_deref() {
        None | Some("000") => false,
        Some("004") => true,
        Some(other) => support::fail(format_args!(
            "--section 只能是 000 或 004, 而不是 `{other}`"
        )),
    };
    let host = cli.host(if section_004 { "127.0.0.1" } else { "0.0.0.0" });
    let port = cli.port(if section_004 { 8081 } else { 7890 });
    let root = cli.value("--root").unwrap_or_else(|| ".".into());
    let once = cli.switch("--once") || section_004;
    let framed = cli.switch("--framed");
    let limits = Limits::from_cli(&mut cli); // --max-clients, --max-waiting, --request-timeout
    let write_timeout = cli.positive_seconds("--write-timeout", 60.0);
    cli.done();
    let root = Path::new(&root)
        .canonicalize()
        .or_exit(format_args!("打开根目录 {root}"));
    let settings = Settings {
        host,
        port,
        root,
        framed,
        section_004,
        once,
        write_timeout,
    };
    (settings, limits)
}
