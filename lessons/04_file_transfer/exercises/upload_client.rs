#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 文件上传客户端: 重做 003 「文件上传」的客户端 (连 127.0.0.1:8898)。
//! Redoes the client of 003 「文件上传」.
//! 练习 (学生版): 原文的调用换成了 `todo!`, 每一个写着是第几步、要做什么; 按步骤的顺序写出来, 程序运行时停在第一个没写的步骤。
//! 练习 (学生版): 另一端: `cargo grade peer upload_client` (现成的服务器, 收下上传的文件并打印), 或原文 003 「文件上传」的服务器 的 Python 程序。
//! 练习 (学生版): 检查: `cargo grade upload_client`; 卡住时看提示: `cargo grade hint upload_client`。
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
    let mut sk: TcpStream = todo!("第 1 步: 对 resolve 给出的每个地址试 TcpStream::connect_timeout (最多等 timeout), 连上一个就停; 都连不上时用 or_exit 报错退出; 见原文 003「文件上传」");
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
        let file_obj: File = todo!("第 3 步: 用 File::open 打开 path; 打不开时在 stderr 说明原因, 再 continue 等下一条命令; 见原文 003「文件上传」");
        let file_byte_size = file_obj.metadata().or_exit("读取文件大小").len();
        let file_name: String = todo!("第 3 步: 用 Path 的 file_name 取出不带目录的文件名, 变成 String; 见原文 003「文件上传」");
        // (原文之外) 终端上显示进度: Meter 数着从文件读出的字节 (lesson04::progress)
        let mut file_obj = Meter::new(file_obj, "上传", 0, Some(file_byte_size));

        // 4. 发头 post|大小|文件名 (原文的 sendall)。原文之外: 默认再加一个换行, 标出头在哪里结束
        todo!("第 4 步: 拼出头 post|大小|文件名 (不是 --text-format 时末尾加一个换行), 用 write_all 发给 sk, 出错用 or_exit; 见原文 003「文件上传」");

        // 5. 像原文一样按 1024 字节一块读文件、发出去、数发了多少, 直到发完
        let has_sent: u64 = todo!("第 5 步: 循环: 从 file_obj read 最多 1024 字节 (不多于还没发的), write_all 发给 sk, 数一共发了多少, 直到发够 file_byte_size; 见原文 003「文件上传」");
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
