//! 访问网页: 重写 003 「1.2.1客户端」 (向 www.baidu.com:80 发 GET /)。
//!
//! 运行方法 (两个终端, 不需要上网):
//!   终端 1: python3 -m http.server 8000 --bind 127.0.0.1
//!   终端 2: cargo run -p lesson01 --bin http_get -- --host 127.0.0.1 --port 8000 --out page.html
//! 原文的目标 (需要上网): cargo run -p lesson01 --bin http_get
//! 它发送原文的请求, 一直读到服务器关闭连接, 打印响应头, 把正文存进文件 (默认 `baidu.html`)。
//!
//! 和原文不同之处: 响应里没有空行时, 原文的 `split` 会抛异常; 我们打印一行说明后退出。
//! 连接和每次读取都有超时。真正的程序会用 HTTP 客户端 crate (ureq、reqwest), 它们还会处理
//! 分块传输和重定向; 这里要学的是原始的套接字。
//!
//! English: redoes 003's web client: send the text's GET, read until EOF, print the
//! header, save the body. Try it against `python3 -m http.server 8000 --bind 127.0.0.1`.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use support::{fail, resolve, Cli, OrExit};

fn main() {
    // 命令行参数: 原文把地址写在程序里, 我们让它可以改 (说明见文件末尾的 HELP)
    let mut cli = Cli::new(HELP);
    let host = cli.host("www.baidu.com");
    let port = cli.port(80);
    let path = cli.value("--path").unwrap_or_else(|| "/".into());
    let out = cli.value("--out").unwrap_or_else(|| "baidu.html".into());
    let timeout = cli.timeout(30.0);
    cli.done();

    // 1. 创建套接字并连接: 主机名先被解析成地址 (可能有几个, 逐个试), 最多等 timeout 秒
    //    连上后每次读取最多等 timeout 秒, 服务器不说话时报错而不是永远等下去
    let mut connected = Err(io::Error::other("没有地址"));
    for addr in resolve(&host, port) {
        connected = TcpStream::connect_timeout(&addr, timeout);
        if connected.is_ok() {
            break;
        }
    }
    let mut s = connected.or_exit(format_args!("连接 {host}:{port}"));
    s.set_read_timeout(Some(timeout)).or_exit("设置读取超时");

    // 2. 发送数据: 请求的格式必须符合 HTTP 标准
    s.write_all(&lesson01::http::request(&host, port, &path))
        .or_exit("发送请求");

    // 3. 循环接收, 每次最多 1024 字节, 直到 read 返回 0 (服务器关闭了连接)
    let mut data = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        let n = s.read(&mut buf).or_exit("接收响应");
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
    }

    // 4. 关闭连接
    drop(s);

    // 5. 在第一个空行处分开响应头和正文, 打印头, 正文存文件
    let Some((header, body)) = lesson01::http::split(&data) else {
        fail(format_args!(
            "响应里没有空行 (\\r\\n\\r\\n), 分不出响应头和正文 (共收到 {} 字节)",
            data.len()
        ));
    };
    // 原文 header.decode('utf-8') 遇到坏字节会抛异常; from_utf8_lossy 相当于 errors='replace', 坏字节变成 U+FFFD
    println!("{}", String::from_utf8_lossy(header));
    std::fs::write(&out, body).or_exit(format_args!("写入文件 {out}"));
    println!("正文 {} 字节已保存到 {out}", body.len());
}

// 帮助文字 (原文没有命令行参数)。The help text.
const HELP: &str = "
http_get: 发送 HTTP GET, 读到连接关闭, 打印响应头, 把正文存入文件。
http_get: send an HTTP GET, read until EOF, print the header, save the body.

用法 usage: http_get [--host H] [--port P] [--path /] [--out FILE] [--timeout SECS]
  默认 default: www.baidu.com 80 / baidu.html
";
