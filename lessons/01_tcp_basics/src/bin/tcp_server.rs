//! TCP 服务器: 重写 000 「服务器」 和 001 「基于TCP协议的socket」 的服务器。
//!
//! 不加参数是 000 的版本: 端口 7788, 用 gbk 解码, 回复 gbk 编码的 `thank you !`。
//! `--host 127.0.0.1 --port 8898 --reply hi` 是 001 的版本 (两边只发 ASCII, 而 ASCII 在
//! gbk 和 UTF-8 里字节相同, 所以发出去的字节和 001 一样; 001 打印字节对象 `b'hello!'`,
//! 我们打印解码后的文字)。
//!
//! 两端的运行方法:
//!   终端 1: cargo run -p lesson01 --bin tcp_server
//!   终端 2: cargo run -p lesson01 --bin tcp_client -- --host 127.0.0.1 --port 7788 --message 你好
//!   (或者运行原文 000 「客户端」 的 Python 程序)
//!
//! 读法: `main` 就是原文的程序, 从上到下第 1 到第 6 步; 参数和帮助在文件末尾。
//!
//! 和原文不同之处:
//! * 解码不会失败: 原文的 `decode('gbk')` 遇到坏字节会抛异常 (UnicodeDecodeError), 服务器
//!   就此崩溃; 我们的 `gbk::decode` 和 `String::from_utf8_lossy` 相当于 Python 的
//!   `decode(..., errors='replace')`, 把坏字节显示成 U+FFFD (�)。
//! * `--encoding utf-8` 改用 UTF-8, 和用 UTF-8 发送的客户端配对: 接收方必须用发送方的编码解码。
//! * 原文 001 要 `setsockopt(SO_REUSEADDR)` 才能立刻重启; std 的 `bind` 在 Unix 上已经替我们
//!   设置了 (见课程 README 的 「深入」)。端口被占用时打印一行中文, 退出码 1。
//!
//! English: redoes 000's server (GBK like the text, `--encoding utf-8` to switch) and,
//! with `--host 127.0.0.1 --port 8898 --reply hi`, 001's server. `main` is the text's
//! program, steps 1-6; the flags are parsed at the end of the file.

use std::io::{Read, Write};
use std::net::TcpListener;
use support::{announce, bind_failed, fail, gbk, Cli, OrExit};

use lesson01::Encoding;

fn main() {
    // 原文把地址写死成 ('', 7788), 回复写死成 "thank you !"; 我们从参数读 (见文件末尾的 args)
    let Args {
        host,
        port,
        reply,
        encoding,
    } = args();

    // 1. 创建套接字、绑定、监听 (原文的三步): std 的 TcpListener::bind 一步做完
    let listener =
        TcpListener::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    announce("tcp", listener.local_addr().or_exit("读取监听地址"));

    // 2. 等待一个客户端: accept 返回专门为它服务的新套接字和它的地址
    let (mut client, client_addr) = listener.accept().or_exit("等待客户端连接");
    println!("客户端 {client_addr} 已连接"); // 原文不打印; 我们打印, 看得出 accept 已经返回

    // 3. 接收: 一次 read, 最多 1024 字节 (原文 recv(1024)); 收到的只是前 n 个字节
    let mut buf = [0u8; 1024];
    let n = client.read(&mut buf).or_exit("接收数据");

    // 4. 解码 buf[..n] 并打印 (原文 decode('gbk')); 两种解码都把坏字节换成 U+FFFD, 不会失败
    let text = match encoding {
        Encoding::Gbk => gbk::decode(&buf[..n]),
        Encoding::Utf8 => String::from_utf8_lossy(&buf[..n]).into_owned(),
    };
    println!("接收到的数据为: {text}");

    // 5. 编码回复再发送 (原文 send("thank you !".encode('gbk')))。GBK 里没有的字符 (如表情符号)
    //    编码失败: 程序打印一行错误后退出, 就像 Python 抛出 UnicodeEncodeError。
    //    send 可能只发出一部分, write_all 会发完
    let data = match encoding {
        Encoding::Gbk => gbk::encode(&reply).unwrap_or_else(|e| fail(format_args!("--reply: {e}"))),
        Encoding::Utf8 => reply.into_bytes(),
    };
    client.write_all(&data).or_exit("发送回复");

    // 6. 关闭为这个客户端服务的套接字 (原文 client_socket.close(); 不写 drop, 离开 main 时也会关闭)
    drop(client);
    // 001 最后还有 sk.close() (关闭监听套接字): listener 在 main 结束时自动关闭
}

// ---------------------------------------------------------------------------
// 以下是原文没有的部分: 命令行参数。Beyond the text: the flags.
// ---------------------------------------------------------------------------

const HELP: &str = "
tcp_server: 接受一个客户端, 读最多 1024 字节, 打印, 回复, 关闭。
tcp_server: accept one client, read up to 1024 bytes, print them, reply, close.

用法 usage: tcp_server [--host H] [--port P] [--reply TEXT] [--encoding gbk|utf-8]
  --host H      监听地址 listen address (默认 default 0.0.0.0)
  --port P      端口, 0 表示由系统选择 port, 0 = any free (默认 default 7788)
  --reply TEXT  回复内容 the reply (默认 default `thank you !`)
  --encoding E  解码收到的字节、编码回复所用的编码 (默认 default gbk, 和原文 000 一样)
";

/// 命令行给出的地址、回复和编码; 不给时是原文 000 的值。
struct Args {
    host: String,
    port: u16,
    reply: String,
    encoding: Encoding,
}

fn args() -> Args {
    let mut cli = Cli::new(HELP);
    let args = Args {
        host: cli.host("0.0.0.0"),
        port: cli.port(7788),
        reply: cli.value("--reply").unwrap_or_else(|| "thank you !".into()),
        encoding: Encoding::from_flag(cli.value("--encoding"), Encoding::Gbk),
    };
    cli.done();
    args
}
