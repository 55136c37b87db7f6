#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 文件上传服务器: 重做 003 「文件上传」的服务器 (127.0.0.1:8898)。
//! Redoes the server of 003 「文件上传」.
//!
//! 这是练习: 原文的套接字调用换成了 `todo!("第 N 步: …")`, 按提示一步一步补上。
//! 检查自己: `cargo grade lesson04` (或 `cargo test -p lesson04`)。
//!
//! 两端这样运行 (`$REPO` 是代码仓库的路径; 都在一个空的临时目录里运行, 免得 `yuan/`
//! 留在仓库里; 详见 README):
//!   终端 1: cargo run -q --manifest-path $REPO/Cargo.toml -p lesson04 --bin upload_server -- --dir yuan
//!   终端 2: cargo run -q --manifest-path $REPO/Cargo.toml -p lesson04 --bin upload_client
//!           然后输入 post|某个文件
//! 每次上传是一个头 `post|<大小>|<文件名>`, 后面正好 `<大小>` 字节; 文件存进
//! `--dir` (原文的 `yuan/`)。一个连接可以一个接一个地上传好几个文件。
//!
//! 和原文不同之处:
//! * 头默认以换行结束。原文的头没有结束标记: 头和数据在一次读里一起到达
//!   (粘包) 时, 原文的服务器把数据当成了文件名的一部分。`--text-format` 保留原文的
//!   头 (一次读最多 1024 字节), 用来和原文的 Python 客户端配对, 粘包也照样会发生
//!   (有一个测试专门演示)。
//! * 数据先写进 `--dir/.uploading/` 里的临时文件, 收齐了才改名 (`lesson04::PartFile`):
//!   客户端中途消失, 既不留下半个文件, 也不留下临时文件。原文会留下截断的文件,
//!   或者在对方关闭后一直空转。
//! * 文件名带路径 (`../x`)、Windows 不接受的名字 (`C:x`、`CON`)、大小不是数字、
//!   太长的头都被拒绝并记录; 服务器继续服务下一个客户端。被拒绝的客户端: 服务器
//!   先关闭自己的发送方向, 再读掉它已经发来的数据 (最多 64 KiB) 才关闭, 这样它读到的
//!   是正常的结束, 不是"连接被重置" (关闭时还有没读的数据, 系统会发 RST)。
//! * 每个连接一个线程 (原文一次只服务一个), 同时最多 `--max-clients` 个 (默认 128)。
//!   连上了还没发完头的连接先在等候室里等 (`lesson04::lobby`, 不占线程), 头到齐了才占
//!   一个位置; `--request-timeout` 秒 (默认 5) 内没发完头的被关闭。服务中一分钟不说话
//!   的客户端被断开。
//!
//! Differences from the text: the header ends with a newline by default
//! (`--text-format` keeps the text's, glue and all); data goes to a temporary file
//! renamed when complete; hostile names (and names that are not UTF-8) are refused;
//! a thread per client, at most `--max-clients` at once, taken only once the first
//! header has arrived (until then a connection waits in `lesson04::lobby`, no thread).

use lesson04::lobby::{Limits, Lobby, Request};
use lesson04::{safepath, PartFile};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::{announce, bind_failed, serve_in_thread, Cli, OrExit};

const HELP: &str = "
upload_server: 接收 post|<大小>|<文件名> 头和文件数据, 存到 --dir 目录。
upload_server: receive a post|<size>|<name> header and the data, save into --dir.

用法 usage: upload_server [--host H] [--port P] [--dir DIR] [--text-format] [--max-clients N]
                          [--max-waiting N] [--request-timeout SECS]
  默认 default 127.0.0.1:8898, --dir yuan
  --text-format    原文的头 (没有结束标记), 用于和原文的 Python 客户端配对
                   the text's header (no end marker), to pair with its Python client
  --max-clients N  同时最多服务 N 个客户端, 其余的排队等 (默认 128)
                   serve at most N clients at once, the rest wait (default 128)
  --max-waiting N  最多 N 个连接等着发完头, 满了关掉等得最久的 (默认 512)
                   at most N connections waiting for a header; the oldest goes
  --request-timeout S  头 S 秒内没到齐就关闭连接 (默认 5)
                   close a connection whose header is not whole within S seconds
";

/// 头最长多少字节 (原文的 `recv(1024)`)。
const MAX_HEADER: usize = 1024;

/// 一个被拒绝的客户端: 记录原因, 关闭发送方向, 读掉它已经发来的数据再关闭。
///
/// 直接关闭的话, 如果对方发来的数据还没被读, 系统会发 RST (连接被重置) 而不是
/// 正常的 FIN, 对方可能读不到我们的关闭, 只看到一个错误。读多少有上限
/// (64 KiB, 每次最多等连接的读超时), 一个不停发送的客户端占不住线程。
fn refuse(conn: BufReader<TcpStream>, addr: SocketAddr, why: &str) -> io::Result<()> {
    // 先拼成一整行, 一次写出: stderr 不带缓冲, 分几次写的话别的线程的输出可能插进来
    let line = format!("拒绝上传 refused {addr}: {why}\n");
    let _ = io::stderr().write_all(line.as_bytes());
    conn.get_ref().shutdown(Shutdown::Write)?;
    let _ = io::copy(&mut conn.take(64 << 10), &mut io::sink());
    Ok(())
}

/// 一个连接: 一个接一个地接收文件, 直到客户端关闭。
fn serve(conn: TcpStream, addr: SocketAddr, dir: &Path, text_format: bool) -> io::Result<()> {
    // 一分钟不说话的客户端被断开 (它的临时文件也被删掉)
    conn.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut conn = BufReader::new(conn);
    loop {
        // 1. 接收头: 原文一次 recv(1024); 默认格式读到换行为止 (也最多 1024 字节)
        let mut client_bytes: Vec<u8> = Vec::new();
        let n: usize = todo!("第 1 步: 把头读进 client_bytes, 返回读到的字节数: --text-format 时 conn.read 一次 (最多 1024 字节, 原文的 recv(1024)); 默认用 (&mut conn).take(1025) 再 read_until 读到换行为止, 见原文 003「文件上传」; 注意: 默认格式不能多读, 换行后面的字节已经是文件数据了");
        if n == 0 {
            return Ok(()); // 客户端关闭了连接, 没有更多的文件
        }
        // 默认格式: 去掉结尾的换行 (它不是头的一部分); 没有换行就是头太长
        if !text_format && client_bytes.pop() != Some(b'\n') {
            let why = format!("头太长或没有换行: {MAX_HEADER} 字节之内没有换行");
            return refuse(conn, addr, &why);
        }

        // 2. 解码, 按 | 拆成三段: post, 大小, 文件名
        // (from_utf8 是 Rust 里的 decode('utf-8'): 坏字节是错误。原文会抛出异常;
        // 我们拒绝这个上传, 不把坏字节换成 U+FFFD 拼出一个对方没发过的名字)
        let (file_byte_size, filename): (u64, &str) = todo!("第 2 步: std::str::from_utf8(&client_bytes) 解码 (不是 UTF-8 时 return refuse(conn, addr, &safepath::not_utf8(&client_bytes, e))), splitn(3, '|') 拆成 post、大小、文件名, 大小用 parse::<u64>(), 见原文 003「文件上传」; 注意: 格式不对或大小不是数字时 return refuse(conn, addr, \"不是 post|大小|文件名\" 或 \"大小不是非负整数\"), 不要 unwrap (一个坏客户端会让线程 panic)");
        // 3. 检查文件名 (原文直接拼进路径, `../x` 就写到了 yuan/ 外面)
        if let Err(why) = safepath::upload_name(filename) {
            return refuse(conn, addr, &format!("{why}: 文件名 {filename:?}"));
        }

        // 4. 打开 (临时) 文件, 接收正好 file_byte_size 字节写进去
        let mut part = PartFile::create(dir)?;
        println!("{addr}: post {file_byte_size} 字节 → {filename}");
        let has_received: u64 = todo!("第 4 步: io::copy(&mut (&mut conn).take(file_byte_size), part.file()) 正好收 file_byte_size 字节写进临时文件, 见原文 003「文件上传」; 注意: 不用 take 就会一直读到连接关闭, 把下一个文件的头也写进这个文件");
        if has_received < file_byte_size {
            // part 在这里被 drop, 临时文件随之删除
            let why = format!("上传不完整: 只收到 {has_received} / {file_byte_size} 字节");
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, why));
        }
        // 5. 收齐了: 写到盘上, 改成真正的名字 (原文的 f.close())
        todo!("第 5 步: part.finish(&dir.join(filename))? 写到盘上并改成真正的名字, 见原文 003「文件上传」; 注意: 只有收齐了才改名, 收不齐时 part 被 drop, 临时文件自动删除");
        println!("ending: 已保存 {filename}");
    }
}

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8898);
    let dir = cli.value("--dir").unwrap_or_else(|| "yuan".into());
    let text_format = cli.switch("--text-format");
    let limits = Limits::from_cli(&mut cli); // --max-clients, --max-waiting, --request-timeout
    cli.done();
    std::fs::create_dir_all(Path::new(&dir).join(lesson04::PART_DIR))
        .or_exit(format_args!("创建目录 {dir}"));
    let dir = PathBuf::from(dir);

    // 1. 创建套接字, 绑定, 监听 (std 的 bind 一步做完这三件事)
    let sk: TcpListener = todo!("第 1 步 (main): TcpListener::bind((host.as_str(), port)), 失败时 unwrap_or_else(|e| bind_failed(&host, port, e)), 见原文 003「文件上传」; 注意: 用 --host/--port 给的地址 (测试用 --port 0)");
    announce("tcp", sk.local_addr().or_exit("读取监听地址"));

    // 头到齐、又有空位的客户端, 每个一个线程 (第 3 课讲过), 出错只影响它自己
    let request = if text_format {
        Request::Bytes
    } else {
        Request::Line
    };
    let waiting_room = Lobby::start(request, limits, move |conn, addr, slot| {
        let dir = dir.clone();
        serve_in_thread(addr, move || {
            let _slot = slot; // 线程结束时让出位置
            serve(conn, addr, &dir, text_format)
        });
    });

    loop {
        println!("waiting connect");
        support::flush();
        // 2. 等待一个客户端连接
        let (conn, addr): (TcpStream, SocketAddr) = todo!("第 2 步 (main): sk.accept() 等一个客户端, 见原文 003「文件上传」; 注意: 出错时调用 support::accept_failed(&e) 然后 continue, 不要退出");
        // 3. 接收它上传的文件: 原文接着就收; 我们先让它在等候室里等头 (不占线程),
        //    到齐了再在它自己的线程里收 (见上面的 waiting_room)
        waiting_room.admit(conn, addr);
    }
}
