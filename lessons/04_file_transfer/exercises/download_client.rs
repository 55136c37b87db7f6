#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 文件下载客户端: 重做 000 「文件下载器」的客户端, 和 004 「文件下载」的 (`--section 004`)。
//! Redoes the clients of 000 「文件下载器」 and 004 「文件下载」.
//! 练习 (学生版): 原文的调用换成了 `todo!`, 每一个写着是第几步、要做什么; 按步骤的顺序写出来, 程序运行时停在第一个没写的步骤。
//! 练习 (学生版): 另一端: `cargo grade peer download_client` (现成的服务器, 提供它所在目录里的文件), 或原文 000 「文件下载器」的服务端 的 Python 程序。
//! 练习 (学生版): 检查: `cargo grade download_client`; 卡住时看提示: `cargo grade hint download_client`。
//!
//! 两端这样运行 (`$REPO` 是代码仓库的路径; 客户端在一个空的临时目录里运行, 免得
//! `[新]…` 留在仓库里; 详见 README):
//!   终端 1 (在仓库里): cargo run -p lesson04 --bin download_server -- --root .
//!   终端 2 (临时目录): cargo run -q --manifest-path $REPO/Cargo.toml -p lesson04 --bin download_client
//! 另一端也可以是现成的假服务器 `cargo grade peer download_client`, 或者原文的 Python 服务器。
//! 默认照 000: 像原文一样问服务器的 ip、port 和文件名 (也可以用 `--host`、`--port`、
//! `--name` 给出), 收到的数据存为 `[新]<文件名>`。`--section 004` 照 004: 连
//! 127.0.0.1:8081, 提示 `请输入文件名称：`, 存为 `新<文件名>`。
//!
//! 和原文不同之处:
//! * 原文只读一次 1024 字节, 超过 1 KiB 的文件都被截断。我们一直读到服务器关闭为止。
//!   `--single-read` 保留原文的做法, 可以亲眼看看截断。
//! * 什么也没收到 (文件不存在或是空文件: 原文的协议分不清) 时会说出来, 退出码 1,
//!   不写文件。传输中途出错时删掉写了一半的文件。
//! * `--framed` (原文之外, 服务器也要加 `--framed`): 文件名带 8 字节的长度前缀发出
//!   (`lesson04::framing`), 服务器分几次收到也能收全; 再先读服务器回的一帧头: 文件不存在时
//!   显示服务器给的原因, 传输被截断也能发现; 数据先写进临时文件, 收齐了才改名为
//!   `[新]<文件名>`。不加 `--framed` 时发出的字节和原文一样, 能和原文的 Python 服务器配对。
//! * 连接和读取都有超时 (`--timeout`, 默认 30 秒), 服务器不回应时不会一直等。
//! * 在终端上运行时, stderr 上有一行进度 (收到多少、多快; `lesson04::progress`),
//!   结束时是总数和平均速度; 输出到管道、设置了 `NO_COLOR` 或加 `--quiet` 时没有。
//!
//! Differences from the text: reads until the server closes (`--single-read` keeps
//! the text's single 1024-byte read); writes no file when nothing came; `--framed`
//! sends the name as a length-prefixed frame and reads a header first; connect and
//! reads time out; a progress line on stderr when it is a terminal (not `--quiet`).

use lesson04::progress::{self, Meter};
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use support::{ask, fail, parse_port, resolve, Cli, OrExit};

const HELP: &str = "
download_client: 发送文件名, 把收到的数据存为 [新]<文件名>。
download_client: send a file name, save what arrives as [新]<name>.

用法 usage: download_client [--host H] [--port P] [--name FILE] [--section 000|004]
                            [--single-read] [--framed] [--timeout SECS] [--quiet]
  缺少的值会提问 missing values are asked for
  --section 004  照 004 「文件下载」: 连 127.0.0.1:8081, 存为 新<文件名>
                 like 004: connect to 127.0.0.1:8081, save as 新<name>
  --single-read  原文的做法: 只读一次 1024 字节 the text's single 1024-byte read
  --framed       文件名带长度前缀, 先读服务器的头 (服务器也要加 --framed)
                 frame the name, read the server's header first (server needs --framed)
  --quiet        终端上也不显示进度行 no progress line, even on a terminal
";

/// 写文件时的缓冲区: 1 MiB。收到的数据先攒满 1 MiB 再写一次文件,
/// 写文件的系统调用少, 下载快 (README 「测量」一节有数字)。
const WRITE_BUFFER: usize = 1 << 20;

/// 命令行给出的设置 (原文没有参数, 都是提问): 给了的值就不再问。
struct Settings {
    section_004: bool,
    host: Option<String>,
    port: Option<u16>,
    name: Option<String>,
    single_read: bool,
    framed: bool,
    timeout: std::time::Duration,
}

fn main() {
    let Settings {
        section_004,
        host,
        port,
        name,
        single_read,
        framed,
        timeout,
    } = settings();

    // 1. 创建套接字 (std 在连接时一起创建)
    // 2. 获取服务器的 ip 和 port
    let dest_ip = host.unwrap_or_else(|| ask("请输入下载服务器的ip:"));
    let dest_port = port.unwrap_or_else(|| parse_port(&ask("请输入下载服务器的port:")));

    // 3. 连接服务器: 名字可能对应好几个地址, 一个一个试; 每次最多等 timeout
    let mut tcp_socket: TcpStream = todo!("第 3 步: 对 resolve 给出的每个地址试 TcpStream::connect_timeout (最多等 timeout), 连上一个就停; 都连不上时用 or_exit 报错退出; 见原文 000「文件下载器」");
    // 读也有超时: 服务器不说话时不会永远等下去
    tcp_socket
        .set_read_timeout(Some(timeout))
        .or_exit("设置读超时");

    // 4. 获取要下载的文件名
    let download_file_name = name.unwrap_or_else(|| {
        ask(if section_004 {
            "请输入文件名称："
        } else {
            "请输入要下载的文件名字："
        })
    });
    // 5. 把文件名发送给服务器 (encode('utf-8'): Rust 的字符串本来就是 UTF-8 字节)
    if framed {
        // --framed: 文件名也带长度前缀, 服务器读满这一帧; 名字被拆成几块到达也收得全
        lesson04::framing::write_frame(&mut tcp_socket, download_file_name.as_bytes())
            .or_exit("发送文件名");
    } else {
        todo!("第 5 步: 用 write_all 把文件名的 UTF-8 字节 (as_bytes) 发给服务器, 出错用 or_exit 报错退出; 见原文 000「文件下载器」");
    }
    // 保存的名字: `[新]` (004 是 `新`) 加上不带目录的文件名 (原文直接拼, `a/b` 会写进子目录)
    let new_name = save_name(&download_file_name, section_004);

    if framed {
        return receive_framed(&mut tcp_socket, &new_name); // 原文之外: 先读头, 再收正好那么多字节
    }

    // 6. 接收文件中的数据: 先读一次 (最多 1024 字节, 原文就只读这一次)
    let mut recv_data = [0u8; 1024];
    let n: usize = todo!("第 6 步: 用 read 从 tcp_socket 收一次, 放进 recv_data, 得到收到的字节数; 出错用 or_exit; 见原文 000「文件下载器」");
    if n == 0 {
        fail(format_args!(
            "没有收到数据: 服务器上没有 `{download_file_name}`, 或者它是空文件; 没有保存文件"
        ));
    }

    // 7. 有数据才保存: 新建 [新]<文件名> (原文的 open(.., "wb")), 写进收到的这一块 (原文的 f.write)。
    //    BufWriter 先把数据攒在 1 MiB 的缓冲区里, 攒满才真正写一次文件 (见 WRITE_BUFFER)
    let f: File = todo!("第 7 步: 用 File::create 新建 new_name, 出错用 or_exit; 见原文 000「文件下载器」");
    let mut f = BufWriter::with_capacity(WRITE_BUFFER, f);
    todo!("第 7 步: 用 write_all 把收到的那 n 个字节写进 f, 出错交给 cut_short; 见原文 000「文件下载器」");
    //    原文之外: 再把其余的一直读到服务器关闭 (read 返回 0) 为止, 不在 1024 字节处截断。
    //    io::copy 就是 "read 一块, write 这一块, 直到 read 返回 0" 的循环; 往 BufWriter 里拷贝时
    //    它直接读进 BufWriter 的缓冲区, 不多拷贝一次。终端上 (原文之外) 让 progress::Meter 套住
    //    套接字, 数着读到的字节画进度行; 不画时直接读 tcp_socket: io::copy 认得 TcpStream,
    //    比隔着一层 Meter 快约两成 (README「测量」)
    let mut total = n as u64;
    if !single_read {
        let copied: u64 = todo!("第 7 步: 用 io::copy 把其余的数据一直拷进 f, 直到服务器关闭, 得到拷了多少字节; progress::wanted 为真时从套着 tcp_socket 的 Meter 读, 否则直接从 tcp_socket 读; 出错交给 cut_short");
        total += copied;
    }
    //    关闭文件 (原文 with 块结束时): 先把缓冲区里剩下的写出去, 出错也要知道
    f.flush().unwrap_or_else(|e| cut_short(&new_name, &e));
    println!("已保存 {new_name}, {total} 字节");
    // 8. 关闭套接字 (原文的 tcp_socket.close(); main 结束时 drop)
}

/// 保存用的名字: `[新]<文件名>` (004 是 `新<文件名>`), 只用文件名本身, 不带目录;
/// 没有文件名 (比如 `..`) 时报错退出。
fn save_name(download_file_name: &str, section_004: bool) -> String {
    let base = Path::new(download_file_name)
        .file_name()
        .map(|b| b.to_string_lossy().into_owned())
        .unwrap_or_else(|| fail("文件名无效"));
    if section_004 {
        format!("新{base}")
    } else {
        format!("[新]{base}")
    }
}

/// 传输中途出错 (连接被重置、磁盘满了): 删掉写了一半的文件, 报错退出。
fn cut_short(new_name: &str, e: &io::Error) -> ! {
    let _ = fs::remove_file(new_name);
    support::io_fail("接收或保存数据 (传输被中断, 删除了不完整的文件)", e);
}

/// `--framed` (原文之外): 先读头 `OK <大小>` 或 `ERR <原因>`, 再收正好那么多字节,
/// 收齐了才把临时文件改名为 `new_name`。
fn receive_framed(tcp_socket: &mut TcpStream, new_name: &str) {
    // 读头
    let header = lesson04::framing::read_frame(tcp_socket, 1024)
        .or_exit("接收头")
        .unwrap_or_else(|| fail("服务器没有回应就关闭了连接"));
    let header = String::from_utf8_lossy(&header);
    let Some(size) = header
        .strip_prefix("OK ")
        .and_then(|s| s.parse::<u64>().ok())
    else {
        fail(format_args!(
            "服务器拒绝: {}",
            header.trim_start_matches("ERR ")
        ));
    };
    // 写进临时文件, 收齐了才改名; 收不齐就删掉
    let part = format!("{new_name}.part");
    let result = (|| {
        let mut out = BufWriter::with_capacity(WRITE_BUFFER, File::create(&part)?);
        // 终端上经过 Meter 画进度; 不画时直接读套接字 (更快, 见第 7 步)
        let got = if progress::wanted() {
            io::copy(
                &mut Meter::new(tcp_socket.take(size), "下载", 0, Some(size)),
                &mut out,
            )?
        } else {
            io::copy(&mut tcp_socket.take(size), &mut out)?
        };
        if got < size {
            let why = format!("只收到 {got} / {size} 字节");
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, why));
        }
        // 写到盘上再改名: 断电也不会留下一个名字对、内容不全的文件
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        fs::rename(&part, new_name)?;
        Ok(got)
    })();
    match result {
        Ok(got) => println!("已保存 {new_name}, {got} 字节"),
        Err(e) => {
            let _ = fs::remove_file(&part);
            support::io_fail("接收文件 (传输被中断, 没有留下文件)", &e);
        }
    }
}

/// 读命令行参数 (原文之外)。
fn settings() -> Settings {
    let mut cli = Cli::new(HELP);
    let section_004 = match cli.value("--section").as_deref() {
        None | Some("000") => false,
        Some("004") => true,
        Some(other) => fail(format_args!(
            "--section 只能是 000 或 004, 而不是 `{other}`"
        )),
    };
    let mut host = cli.value("--host");
    let mut port = cli.port_opt();
    if section_004 {
        // 004 的客户端不问地址, 直接连 127.0.0.1:8081
        host = host.or(Some("127.0.0.1".into()));
        port = port.or(Some(8081));
    }
    let name = cli.value("--name");
    let single_read = cli.switch("--single-read");
    let framed = cli.switch("--framed");
    let timeout = cli.timeout(30.0);
    lesson04::progress::quiet(cli.switch("--quiet"));
    cli.done();
    Settings {
        section_004,
        host,
        port,
        name,
        single_read,
        framed,
        timeout,
    }
}
