//! 聊天服务器: 重写 003 「socket，可聊天应用」 的服务器 (127.0.0.1:8888)。
//!
//! 两端的运行方法:
//!   终端 1: cargo run -p lesson01 --bin chat_server
//!   终端 2: cargo run -p lesson01 --bin chat_client
//! 客户端先说; 服务器打印这一行, 再把自己的用户在 `>>>` 后输入的一行发回去。
//! 客户端离开后, 服务器等下一个。
//!
//! 一次只和一个客户端聊 (原文的设计): 一个客户端连着不说话, 后面的客户端都在监听队列里
//! 一直等。第 3 课 (lesson03) 用每个客户端一个线程解决这个问题。
//!
//! 和原文不同之处: 原文的内层循环只在异常时退出, 客户端正常关闭后 `recv` 一直返回 b'',
//! 服务器空转并不停打印空行。我们把空读当作 "客户端离开了"。
//!
//! English: redoes 003's chat server; one client at a time (an idle client stalls
//! the others, lesson03 fixes it); an empty read means the client left.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use support::{
    accept_failed, announce, ask_line, bind_failed, fail, log_client_error, Cli, OrExit,
};

fn main() {
    // 命令行参数: 原文把地址写在程序里, 我们让它可以改 (说明见文件末尾的 HELP)
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8888);
    cli.done();

    // 1. 创建套接字, 绑定, 监听
    let s =
        TcpListener::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    announce("tcp", s.local_addr().or_exit("读取监听地址"));

    // 2. 连接循环: 一个客户端离开后, 再等下一个
    loop {
        // accept 出错时原文会崩溃; 我们记一行日志, 接着等下一个
        let Ok((mut conn, addr)) = s.accept().inspect_err(accept_failed) else {
            continue;
        };
        println!("{addr}");
        // 3. 通信循环 (见下面的 chat); 出错只结束这个客户端, 相当于原文的 try/except
        match chat(&mut conn) {
            Ok(true) => println!("客户端 {addr} 已离开"),
            Ok(false) => fail("标准输入已结束, 服务器退出"),
            Err(e) => log_client_error(addr, &e),
        }
    }
}

/// 通信循环: 收一行, 打印, 读自己用户的回复, 发回。Ok(false) 表示我们的输入结束了。
fn chat(conn: &mut TcpStream) -> io::Result<bool> {
    let mut buf = [0u8; 1024];
    loop {
        // 4. 收消息: 一次 read, 最多 1024 字节; 读到 0 字节表示对方离开了
        //    (原文不判断, 客户端走后 recv 一直返回 b'', 服务器空转)
        let n = conn.read(&mut buf)?;
        if n == 0 {
            return Ok(true);
        }
        // 5. 打印收到的一行。原文 str(data,'utf8') 遇到坏字节会抛异常;
        //    from_utf8_lossy 相当于 errors='replace', 坏字节变成 U+FFFD
        println!("....... {}", String::from_utf8_lossy(&buf[..n]));
        // 6. 读自己用户输入的一行 (原文 input('>>>')), 发回去
        let Some(reply) = ask_line(">>>") else {
            return Ok(false);
        };
        // bytes(inp,'utf8'): Rust 的字符串本来就是 UTF-8
        conn.write_all(reply.as_bytes())?;
    }
}

// 帮助文字 (原文没有命令行参数)。The help text.
const HELP: &str = "
chat_server: 和一个客户端轮流说话; 客户端离开后等下一个。
chat_server: take turns talking with one client; wait for the next when it leaves.

用法 usage: chat_server [--host H] [--port P]
  默认 default 127.0.0.1:8888
";
