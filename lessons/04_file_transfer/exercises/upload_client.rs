#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 文件上传客户端: 重做 003 「文件上传」的客户端 (连 127.0.0.1:8898)。
//! Redoes the client of 003 「文件上传」.
//!
//! 这是练习: 原文的套接字调用换成了 `todo!("第 N 步: …")`, 按提示一步一步补上。
//! 检查自己: `cargo grade lesson04` (或 `cargo test -p lesson04`)。
//!
//! 两端这样运行 (`$REPO` 是代码仓库的路径; 都在一个空的临时目录里运行, 免得 `yuan/`
//! 留在仓库里; 详见 README):
//!   终端 1: cargo run -q --manifest-path $REPO/Cargo.toml -p lesson04 --bin upload_server -- --dir yuan
//!   终端 2: cargo run -q --manifest-path $REPO/Cargo.toml -p lesson04 --bin upload_client
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
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8898);
    let text_format = cli.switch("--text-format");
    let timeout = cli.timeout(30.0);
    lesson04::progress::quiet(cli.switch("--quiet"));
    cli.done();

    // 1. 创建套接字并连接服务器 (名字可能对应好几个地址, 一个一个试)
    let mut sk: TcpStream = todo!("第 1 步: 对 resolve(&host, port) 的每个地址试 TcpStream::connect_timeout(&addr, timeout), 连上一个就停; 再 set_read_timeout(Some(timeout)), 见原文 003「文件上传」; 注意: 连不上时用 .or_exit(..) 报错退出, 不要 unwrap");
    println!("客户端启动....");

    loop {
        // 2. 读一条命令: post|路径; 空行或输入结束就退出
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

        // 4. 发头 post|大小|文件名 (默认再加一个换行, 标出头在哪里结束)
        todo!("第 4 步: 拼出头 post|大小|文件名 (不是 --text-format 时末尾加 \\n), 用 sk.write_all 发出去, 见原文 003「文件上传」; 注意: 没有换行的话, 服务器分不清头在哪里结束 (粘包)");

        // 5. 按 1024 字节一块发送文件内容, 直到发完
        let has_sent: u64 = todo!("第 5 步: 循环 file_obj.read 最多 1024 字节、sk.write_all 这一块, 直到发够 file_byte_size 字节, 见原文 003「文件上传」; 注意: 发的字节数必须正好等于头里说的大小, 多了会变成下一个头, 少了服务器会一直等");
        println!("上传成功 {file_name}, {has_sent} 字节");
    }
}
