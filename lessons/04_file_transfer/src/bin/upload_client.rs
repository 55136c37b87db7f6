//! 文件上传客户端: 重做 003 「文件上传」的客户端 (连 127.0.0.1:8898)。
//! Redoes the client of 003 「文件上传」.
//!
//! 两端这样运行 (`$REPO` 是代码仓库的路径; 都在一个空的临时目录里运行, 免得 `yuan/`
//! 留在仓库里; 详见 README):
//!   终端 1: cargo run -q --manifest-path $REPO/Cargo.toml -p lesson04 --bin upload_server -- --dir yuan
//!   终端 2: cargo run -q --manifest-path $REPO/Cargo.toml -p lesson04 --bin upload_client
//! 另一端也可以是现成的假服务器 `cargo grade peer upload_client`, 或者原文的 Python 服务器
//! (这时两端都照原文的头: 客户端加 `--text-format`)。
//! 在 `please input:` 后面输入 `post|<本地路径>`: 先发头, 再像原文一样每次 1024 字节
//! 地发文件内容。空行或输入结束 (Ctrl-D) 退出。
//!
//! 和原文不同之处:
//! * 头默认以换行结束 (见 upload_server); `--text-format` 发原文的头, 没有结束标记,
//!   用来和原文的 Python 服务器配对。
//! * 路径相对于当前目录 (原文相对于脚本所在的目录)。打不开的文件只报错, 不退出。
//! * 连接和读取有超时 (`--timeout`, 默认 30 秒)。
//! * 在终端上运行时, stderr 上有一行进度 (发了多少、一共多少、多快; `lesson04::progress`),
//!   结束时是总数和平均速度; 输出到管道、设置了 `NO_COLOR` 或加 `--quiet` 时没有。
//!
//! Differences from the text: the header ends with a newline unless
//! `--text-format`; paths are relative to the working folder; an empty line quits;
//! a progress line on stderr when it is a terminal (not `--quiet`).

use lesson04::progress::Meter;
use std::fs::File;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;
use support::{ask_line, resolve, Cli, OrExit};

const HELP: &str = "
upload_client: 在 please input: 后输入 post|<本地路径> 上传文件; 空行退出。
upload_client: type post|<local path> at `please input:` to upload; an empty line quits.

用法 usage: upload_client [--host H] [--port P] [--text-format] [--timeout SECS] [--quiet]
  默认 default 127.0.0.1:8898
  --text-format  原文的头 (没有结束标记), 用于和原文的 Python 服务器配对
  --quiet        终端上也不显示进度行 no progress line, even on a terminal
";

fn main() {
    let (host, port, text_format, timeout) = settings();

    // 1. 创建套接字并连接服务器 (名字可能对应好几个地址, 一个一个试)
    let mut connected = Err(io::Error::new(io::ErrorKind::NotFound, "没有地址"));
    for addr in resolve(&host, port) {
        connected = TcpStream::connect_timeout(&addr, timeout);
        if connected.is_ok() {
            break;
        }
    }
    let mut sk = connected.or_exit(format_args!("连接 {host}:{port}"));
    // 原文之外: 读也最多等 timeout (原文一直等)
    sk.set_read_timeout(Some(timeout))
        .or_exit("设置读超时 (--timeout)");
    println!("客户端启动....");

    loop {
        // 2. 读一条命令: post|路径; 空行或输入结束就退出
        let inp = match ask_line("please input:") {
            Some(line) if !line.trim().is_empty() => line,
            _ => break,
        };
        let Some(local_path) = inp.trim().strip_prefix("post|") else {
            // 原文对不是 post 开头的输入什么也不说, 直接再问; 我们提示一下格式
            println!("请输入 post|<文件路径>, 例如 post|Cargo.toml");
            continue;
        };
        // 3. 打开文件, 得到它的大小和文件名 (不带目录: 原文的 os.path.basename)。
        //    原文先发头再打开文件; 我们先打开: 打不开时还没发头, 服务器不会白等
        let path = Path::new(local_path);
        let file_obj = match File::open(path) {
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
        // (原文之外) 终端上显示进度: Meter 数着从文件读出的字节 (lesson04::progress)
        let mut file_obj = Meter::new(file_obj, "上传", 0, Some(file_byte_size));

        // 4. 发头 post|大小|文件名 (原文的 sendall)。原文之外: 默认再加一个换行, 标出头在哪里结束
        let mut post_info = format!("post|{file_byte_size}|{file_name}");
        if !text_format {
            post_info.push('\n');
        }
        sk.write_all(post_info.as_bytes()).or_exit("发送头");

        // 5. 像原文一样按 1024 字节一块读文件、发出去、数发了多少, 直到发完
        let mut has_sent = 0u64;
        let mut data = [0u8; 1024];
        while has_sent < file_byte_size {
            // 不多于还没发的字节: 文件在上传时变长了, 也和头里说的大小一致
            let want = (file_byte_size - has_sent).min(1024) as usize;
            let n = file_obj.read(&mut data[..want]).or_exit("读取文件");
            if n == 0 {
                support::fail("文件在上传时变短了");
            }
            sk.write_all(&data[..n]).or_exit("发送文件数据");
            has_sent += n as u64;
        }
        println!("上传成功 {file_name}, {has_sent} 字节");
        // file_obj 在这一轮结束时 drop, 文件就关闭了 (原文的 file_obj.close())
    }
}

/// 读命令行参数 (原文之外: 原文的地址写死在程序里): 主机, 端口, `--text-format`, 超时。
fn settings() -> (String, u16, bool, Duration) {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8898);
    let text_format = cli.switch("--text-format");
    let timeout = cli.timeout(30.0);
    lesson04::progress::quiet(cli.switch("--quiet"));
    cli.done();
    (host, port, text_format, timeout)
}
