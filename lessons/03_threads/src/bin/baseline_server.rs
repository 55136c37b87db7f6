//! 对照服务器 (原文之外, 测性能用): 用 std 能写出的最简单的每连接一线程大写回声服务器,
//! 没有日志, 没有抽象。本课 README 用 `load` 拿 `socketserver` 和它比, 看
//! `socketserver` 模块花了多少代价。
//!
//! 运行: cargo run --release -p lesson03 --bin baseline_server -- --port 8090
//!
//! English: the plainest thread-per-client upper-casing server, a benchmark baseline.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread;
use support::{accept_failed, announce, bind_failed, Cli, OrExit};

const HELP: &str = "
baseline_server: 最简单的每连接一线程大写回声服务器 (性能对照用)。
baseline_server: the plainest thread-per-client upper-casing server (a benchmark baseline).

用法 usage: baseline_server [--host H] [--port P]   默认 default 127.0.0.1:8090
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8090);
    cli.done();
    let listener =
        TcpListener::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    announce("tcp", listener.local_addr().or_exit("读取监听地址"));
    loop {
        let mut stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(e) => {
                accept_failed(&e); // 描述符用完时稍停, 不空转
                continue;
            }
        };
        // 出错只结束这个客户端的线程; 开不出线程就放弃这个客户端
        let _ = thread::Builder::new().spawn(move || {
            let mut buf = [0u8; 1024];
            while let Ok(n @ 1..) = stream.read(&mut buf) {
                if stream.write_all(&buf[..n].to_ascii_uppercase()).is_err() {
                    break;
                }
            }
        });
    }
}
