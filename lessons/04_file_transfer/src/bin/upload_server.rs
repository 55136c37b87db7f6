//! 文件上传服务器: 重做 003 「文件上传」的服务器 (127.0.0.1:8898)。
//! Redoes the server of 003 「文件上传」.
//!
//! 两端这样运行 (`$REPO` 是代码仓库的路径; 都在一个空的临时目录里运行, 免得 `yuan/`
//! 留在仓库里; 详见 README):
//!   终端 1: cargo run -q --manifest-path $REPO/Cargo.toml -p lesson04 --bin upload_server -- --dir yuan
//!   终端 2: cargo run -q --manifest-path $REPO/Cargo.toml -p lesson04 --bin upload_client
//!           然后输入 post|某个文件
//! 另一端也可以是现成的假客户端 `cargo grade peer upload_server`, 或者原文的 Python 客户端
//! (这时两端都照原文的头: 服务器加 `--text-format`)。
//!
//! 每次上传是一个头 `post|<大小>|<文件名>`, 后面正好 `<大小>` 字节; 文件存进
//! `--dir` (原文的 `yuan/`)。一个连接可以一个接一个地上传好几个文件。
//!
//! 读的顺序和原文一样: 先是 `main` (第 1-3 步: 绑定、accept、为客户端服务), 再是
//! `receive_files` (第 4-10 步: 原文 accept 之后的那个循环: 收头、解码、拆开、打开文件、
//! 收数据写进去、关闭)。
//!
//! 和原文不同之处 (每一处在代码里都是一行调用, 注释说原文在那里做什么):
//! * 头默认以换行结束。原文的头没有结束标记: 头和数据在一次读里一起到达
//!   (粘包) 时, 原文的服务器把数据当成了文件名的一部分。`--text-format` 保留原文的
//!   头 (一次读最多 1024 字节), 用来和原文的 Python 客户端配对, 粘包也照样会发生
//!   (有一个测试专门演示)。
//! * 数据先写进 `--dir/.uploading/` 里的临时文件, 收齐了才改名 (`lesson04::PartFile`):
//!   客户端中途消失, 既不留下半个文件, 也不留下临时文件。原文会留下截断的文件,
//!   或者在对方关闭后一直空转。
//! * 头不是 UTF-8、文件名带路径 (`../x`)、Windows 不接受的名字 (`C:x`、`CON`)、大小不是数字、
//!   太长的头都被拒绝并记录 (`lesson04::refuse`), 服务器继续服务下一个客户端。
//! * 每个连接一个线程 (原文一次只服务一个), 同时最多 `--max-clients` 个 (默认 128)。
//!   连上了还没发完头的连接先在等候室里等 (`lesson04::lobby`, 不占线程), 头到齐了才占
//!   一个位置; `--request-timeout` 秒 (默认 5) 内没发完头的被关闭。服务中一分钟不说话
//!   的客户端被断开。
//!
//! Differences from the text: the header ends with a newline by default
//! (`--text-format` keeps the text's, glue and all); data goes to a temporary file
//! renamed when complete; hostile headers (and names that are not UTF-8) are refused;
//! a thread per client, at most `--max-clients` at once, taken only once the first
//! header has arrived (until then a connection waits in `lesson04::lobby`, no thread).

use lesson04::lobby::{Limits, Lobby, Request};
use lesson04::{refuse, safepath, PartFile};
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::{announce, bind_failed, serve_in_thread, Cli, OrExit};

const HELP: &str = "
upload_server: 接收 post|<大小>|<文件名> 头和文件数据, 存到 --dir 目录。
upload_server: receive a post|<size>|<name> header and the data, save into --dir.

用法 usage: upload_server [--host H] [--port P] [--dir DIR] [--text-format] [--max-clients N]
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

/// 收文件数据时一次最多读多少字节: 64 KiB。原文每次 `recv(1024)`; 64 倍大的缓冲区让
/// 每次 read 和 write 搬的字节多 64 倍, 1 GiB 的文件少几十万次系统调用, 而每个客户端
/// 只多占 64 KiB 内存。
const RECV_CHUNK: usize = 64 << 10;

/// 一个客户端多久不说话就断开 (原文一直等)。
const IDLE: Duration = Duration::from_secs(60);

/// 命令行给出的设置 (原文写死在程序里: 127.0.0.1:8898 和脚本旁边的 `yuan/`)。
struct Settings {
    host: String,
    port: u16,
    dir: PathBuf,
    text_format: bool,
    limits: Limits,
}

fn main() {
    let Settings {
        host,
        port,
        dir,
        text_format,
        limits,
    } = settings();

    // 1. 创建套接字, 绑定地址, 开始监听 (原文的 socket、bind、listen: std 的 bind 一步做完)
    let sk =
        TcpListener::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    announce("tcp", sk.local_addr().or_exit("读取监听地址"));

    // 原文之外: 等候室 (lesson04::lobby)。accept 到的连接先在这里等它的头, 不占线程;
    // 头到齐、又有空位时, 在它自己的线程里接收文件 (第 3 步, receive_files)
    let request = if !text_format {
        Request::Line // 默认格式: 头读到换行为止才算到齐
    } else {
        Request::Bytes // 原文的格式: 原文一次 recv 拿到什么就是什么
    };
    let waiting_room = Lobby::start(request, limits, move |conn, addr, slot| {
        let dir = dir.clone();
        serve_in_thread(addr, move || {
            let _slot = slot; // 线程结束时让出位置
            receive_files(conn, addr, &dir, text_format)
        });
    });

    loop {
        println!("waiting connect");
        // 马上显示出来 (输出接到管道时 println! 会先攒着)
        support::flush();
        // 2. 等待一个客户端连接
        let (conn, addr) = match sk.accept() {
            Ok(pair) => pair,
            Err(e) => {
                support::accept_failed(&e); // 原文在这里出错退出; 我们记录下来, 接着等
                continue;
            }
        };
        // 3. 接收它上传的文件。原文就在 accept 循环里收, 一次只服务一个客户端;
        //    我们先让它在等候室里等头, 到齐了再在它自己的线程里收 (第 3 课讲过线程),
        //    一个客户端出错只影响它自己
        waiting_room.admit(conn, addr);
    }
}

/// 一个连接: 原文 accept 之后的 `while flag:` 循环, 一个接一个地接收文件, 直到客户端关闭。
fn receive_files(
    conn: TcpStream,
    addr: SocketAddr,
    dir: &Path,
    text_format: bool,
) -> io::Result<()> {
    // 原文之外: 一分钟不说话就断开 (原文一直等)
    conn.set_read_timeout(Some(IDLE))?;
    // BufReader: 默认格式要"读到换行为止", 它把多读到的字节留着给下一次 read
    let mut conn = BufReader::new(conn);
    loop {
        // 4. 接收头 (原文的 recv(1024))。默认格式 (原文之外) 读到换行为止, 也最多 1024 字节
        //    加一个换行: 换行后面的字节已经是文件数据, 不能读走
        let mut client_bytes = Vec::new();
        if text_format {
            let mut buf = [0u8; 1024];
            let n = conn.read(&mut buf)?;
            client_bytes.extend_from_slice(&buf[..n]);
        } else {
            let mut limited = (&mut conn).take(1025);
            limited.read_until(b'\n', &mut client_bytes)?;
        }
        if client_bytes.is_empty() {
            return Ok(()); // 客户端关闭了连接, 没有更多的文件
        }
        if !text_format && client_bytes.pop() != Some(b'\n') {
            return refuse(conn, addr, "头太长或没有换行: 1024 字节之内没有换行");
        }

        // 5. 解码 (原文的 str(client_bytes, "utf8")): 不是 UTF-8 时原文抛出异常, 我们拒绝
        let client_str = match std::str::from_utf8(&client_bytes) {
            Ok(text) => text,
            Err(e) => return refuse(conn, addr, &safepath::not_utf8(&client_bytes, e)),
        };
        // 6. 按 | 拆成三段: post, 大小, 文件名 (原文的 split("|", 2)); 大小转成整数 (int)
        let mut parts = client_str.splitn(3, '|');
        let (Some("post"), Some(file_byte_size), Some(filename)) =
            (parts.next(), parts.next(), parts.next())
        else {
            let why = format!("不是 post|大小|文件名: {client_str:?}");
            return refuse(conn, addr, &why);
        };
        let Ok(file_byte_size) = file_byte_size.parse::<u64>() else {
            let why = format!("大小不是非负整数: {file_byte_size:?}");
            return refuse(conn, addr, &why);
        };

        // 7. 文件存在哪里: --dir 里的 filename (原文的 os.path.join(BASE_DIR, 'yuan', filename))。
        //    原文之外: 先检查文件名 (原文直接拼, `../x` 就写到了 yuan/ 外面)
        if let Err(why) = safepath::upload_name(filename) {
            return refuse(conn, addr, &format!("{why}: 文件名 {filename:?}"));
        }
        let path = dir.join(filename);

        // 8. 打开文件来写 (原文的 open(path, "wb"))。原文之外: 写的是一个临时文件 (PartFile),
        //    收齐了才改名成 path; 收不齐时 part 被 drop, 临时文件随之删除
        let part = PartFile::new(dir)?;
        let mut f = File::create(part.path())?;
        println!("{addr}: post {file_byte_size} 字节 → {filename}");

        // 9. 收数据写进文件, 数收到了多少, 直到收够 file_byte_size (原文的 while 循环)
        let mut has_received = 0u64;
        let mut data = vec![0u8; RECV_CHUNK];
        while has_received < file_byte_size {
            // 不多读: 这个文件之后的字节是下一个头 (原文的 recv(1024) 会把它也写进文件)
            let want = (file_byte_size - has_received).min(RECV_CHUNK as u64) as usize;
            let n = conn.read(&mut data[..want])?;
            if n == 0 {
                // 客户端没发完就关闭了 (原文在这里空转: recv 一直返回空字节)
                let cut = format!("上传不完整: 只收到 {has_received} / {file_byte_size} 字节");
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, cut));
            }
            f.write_all(&data[..n])?;
            has_received += n as u64;
        }

        // 10. 收齐了: 关闭文件 (原文的 f.close()), 改成真正的名字, 再说 ending。
        //     原文先 print("ending") 再 close; 我们改名成功了才说已保存
        f.sync_all()?; // 原文之外: 等数据真的写到盘上, 断电也不会留下名字对、内容不全的文件
        drop(f); // 关闭文件 (原文的 f.close())
        fs::rename(part.path(), &path)?;
        println!("ending: 已保存 {filename}");
    }
}

/// 读命令行参数, 建好 `--dir` (原文之外)。
fn settings() -> Settings {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8898);
    let dir = cli.value("--dir").unwrap_or_else(|| "yuan".into());
    let text_format = cli.switch("--text-format");
    let limits = Limits::from_cli(&mut cli); // --max-clients, --max-waiting, --request-timeout
    cli.done();
    fs::create_dir_all(Path::new(&dir).join(lesson04::PART_DIR))
        .or_exit(format_args!("创建目录 {dir}"));
    Settings {
        host,
        port,
        dir: PathBuf::from(dir),
        text_format,
        limits,
    }
}
