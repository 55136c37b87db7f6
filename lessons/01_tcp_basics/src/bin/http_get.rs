//! 访问网页: redoes 003 「1.2.1客户端」 (GET / from www.baidu.com:80).
//!
//! Run it:
//!   cargo run -p lesson01 --bin http_get                 (the text's target; needs the internet)
//!   cargo run -p lesson01 --bin http_get -- --host 127.0.0.1 --port 8080 --out page.html
//! It sends the text's request, reads until the server closes, prints the header
//! and saves the body (`baidu.html` by default).
//!
//! Differences from the text: a response with no blank line makes the text's
//! `split` raise; here it is one clear error line. The connect and each read have
//! a timeout. A real program would use an HTTP client crate (ureq, reqwest), which
//! also handles chunked bodies and redirects; the point here is the raw socket.

use std::io::{Read, Write};
use support::{connect, fail, show, Cli, OrExit};

const HELP: &str = "
http_get: 发送 HTTP GET, 读到连接关闭, 打印响应头, 把正文存入文件。
http_get: send an HTTP GET, read until EOF, print the header, save the body.

用法 usage: http_get [--host H] [--port P] [--path /] [--out FILE] [--timeout SECS]
  默认 default: www.baidu.com 80 / baidu.html
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("www.baidu.com");
    let port = cli.port(80);
    let path = cli.value("--path").unwrap_or_else(|| "/".into());
    let out = cli.value("--out").unwrap_or_else(|| "baidu.html".into());
    let timeout = cli.timeout(30.0);
    cli.done();

    // 1. 创建套接字并连接 (主机名会先被解析成 IP)
    let mut s = connect(&host, port, timeout);

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
    println!("{}", show(header));
    std::fs::write(&out, body).or_exit(format_args!("写入文件 {out}"));
    println!("正文 {} 字节已保存到 {out}", body.len());
}
