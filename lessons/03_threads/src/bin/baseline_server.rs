//! 对照服务器 (benchmark baseline, beyond the texts): the smallest thread-per-client
//! upper-casing server std allows, with no logging and no abstraction. The lesson
//! README compares `socketserver` against it with `load`, to show what the
//! `socketserver` module costs.
//!
//! Run: cargo run --release -p lesson03 --bin baseline_server -- --port 8090

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread;
use support::{announce, bind_failed, Cli, OrExit};

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
    for mut stream in listener.incoming().flatten() {
        // Errors end only that client's thread; a refused spawn drops the client.
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
