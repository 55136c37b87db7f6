#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! TCP 服务器: 重写 000 「服务器」 和 001 「基于TCP协议的socket」 的服务器。
//!
//! 【练习】这是练习版: 原文的套接字调用被换成了 `todo!("第 N 步: ...")`, 按顺序把它们写出来。
//! 复制到 `src/bin/tcp_server.rs` 后运行, 会在第一个没完成的步骤处停下并显示提示; 用
//! `cargo grade lesson01` (或 `cargo test -p lesson01`) 检查。
//!
//! 不加参数是 000 的版本: 端口 7788, 用 gbk 解码, 回复 gbk 编码的 `thank you !`。
//! 加参数是 001 的版本 (127.0.0.1:8898, 回复 `hi`)。
//!
//! 两端的运行方法:
//!   终端 1: cargo run -p lesson01 --bin tcp_server
//!   终端 2: cargo run -p lesson01 --bin tcp_client -- --host 127.0.0.1 --port 7788 --message 你好
//! 001 的版本: `tcp_server --host 127.0.0.1 --port 8898 --reply hi` (两边只发 ASCII 字节,
//! gbk 和 UTF-8 里 ASCII 的字节相同, 所以线路上和 001 逐字节一样; 001 打印的是字节对象
//! `b'hello!'`, 我们打印解码后的文字)。
//!
//! 和原文不同之处:
//! * 编码和原文一样默认是 gbk (`support::gbk`, 解码不会抛异常: 坏字节显示成 U+FFFD);
//!   `--encoding utf-8` 改用 UTF-8, 和用 UTF-8 发送的客户端配对。接收方必须用发送方的编码解码。
//! * 原文要 `setsockopt(SO_REUSEADDR)` 才能立刻重启 (001 「端口已被占用」); std 的 `bind`
//!   在 Unix 上已经设置了它 (见 `sockopt`)。
//! * 端口被占用时打印一行中文并以退出码 1 结束, 而不是一大段 traceback。
//!
//! English: redoes 000's server (GBK like the text, `--encoding utf-8` to switch) and,
//! with `--host 127.0.0.1 --port 8898 --reply hi`, 001's server.

use std::io::{Read, Write};
use std::net::TcpListener;
use support::{announce, bind_failed, fail, gbk, Cli, OrExit};

use lesson01::Encoding;

const HELP: &str = "
tcp_server: 接受一个客户端, 读最多 1024 字节, 打印, 回复, 关闭。
tcp_server: accept one client, read up to 1024 bytes, print them, reply, close.

用法 usage: tcp_server [--host H] [--port P] [--reply TEXT] [--encoding gbk|utf-8]
  --host H      监听地址 listen address (默认 default 0.0.0.0)
  --port P      端口, 0 表示由系统选择 port, 0 = any free (默认 default 7788)
  --reply TEXT  回复内容 the reply (默认 default `thank you !`)
  --encoding E  解码收到的字节、编码回复所用的编码 (默认 default gbk, 和原文 000 一样)
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("0.0.0.0");
    let port = cli.port(7788);
    let reply = cli.value("--reply").unwrap_or_else(|| "thank you !".into());
    let encoding = Encoding::from_flag(cli.value("--encoding"), Encoding::Gbk);
    cli.done();

    // 1-3. 创建套接字、绑定、监听: std 的 bind 一步做完 socket + bind + listen
    let listener: TcpListener = todo!(
        "第 1-3 步: TcpListener::bind((host.as_str(), port)), 失败时交给 bind_failed(&host, port, e), 见原文 000「服务器」; 注意: std 的 bind 一步做完 socket + bind + listen"
    );
    announce("tcp", listener.local_addr().or_exit("读取监听地址"));

    // 4. 等待一个客户端: accept 返回专门为它服务的新套接字和它的地址
    let (mut client, client_addr): (std::net::TcpStream, std::net::SocketAddr) = todo!(
        "第 4 步: listener.accept(), 见原文 000「服务器」; 注意: accept 返回一个新的套接字, 之后的收发都用它, 不是 listener"
    );
    println!("客户端 {client_addr} 已连接");

    // 5. 接收: 一次 read, 最多 1024 字节 (对应 recv(1024)), 再解码
    let mut buf = [0u8; 1024];
    let n: usize = todo!(
        "第 5 步: client.read(&mut buf) 一次, 见原文 000「服务器」 的 recv(1024); 注意: 只用 buf[..n], 后面的字节是没用的 0"
    );
    let text: String = todo!(
        "第 5 步: 按 encoding 解码 buf[..n]: gbk 用 gbk::decode, utf-8 用 String::from_utf8_lossy, 见原文 000 的 decode('gbk'); 注意: 接收方必须用发送方的编码"
    );
    println!("接收到的数据为: {text}");

    // 6. 回复: 先编码 (原文 "thank you !".encode('gbk'); GBK 写不出的字符是一行错误),
    //    再发送: 原文用 send, send 可能只发出一部分, write_all 会发完
    todo!(
        "第 6 步: 按 encoding 编码 reply (gbk::encode 或 into_bytes), 再 client.write_all(..), 见原文 000 的 send(\"thank you !\".encode('gbk')); 注意: write 可能只写出一部分, 用 write_all"
    );

    // 7. 关闭为这个客户端服务的套接字 (离开作用域时 drop 也会关闭)
    drop(client);
}
