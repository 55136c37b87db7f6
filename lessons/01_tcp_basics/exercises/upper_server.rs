#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! 大写回声服务器: 重写 004 「实例」 和 「多次交互」 的服务器 (127.0.0.1:8000)。
//! 练习 (学生版): 原文的调用换成了 `todo!("第 N 步: …")`; 按步骤的顺序写出来, 程序运行时停在第一个没写的步骤。
//! 练习 (学生版): 另一端: `cargo grade peer upper_server` (现成的客户端, 发 hello 和 你好), 或原文 004 「多次交互」 的 Python 客户端。
//! 练习 (学生版): 检查: `cargo grade upper_server`; 卡住时看提示: `cargo grade hint upper_server`。
//!
//! 两端的运行方法:
//!   终端 1: cargo run -p lesson01 --bin upper_server
//!   终端 2: cargo run -p lesson01 --bin upper_client  (或者原文 004 「多次交互」 的 Python 客户端)
//!
//! 读法: `main` 是原文的两层循环 (第 1-3 步), 通信循环在它下面的 `serve` 里 (第 4-6 步, 原文
//! 的 try/except 变成了 `?`), `--once` 的第一版在文件末尾 (第 7-9 步)。
//!
//! 默认是 「多次交互」 最后那个加了异常处理的服务器: 一个接一个地服务客户端, 一个客户端
//! 离开 (读到 0 字节) 或出错 (连接被重置) 只结束它自己的对话, 服务器接着服务下一个。
//! `--once` 是 「实例」 的第一版: 一个客户端、一条消息, 打印收到的字节 (像原文一样是
//! `b'...'` 的样子, 不解码), 然后退出。
//!
//! 一次只服务一个客户端 (原文的设计): 一个客户端连着不说话, 后面所有客户端都在监听队列里
//! 等着, 它们的 connect 成功了, 却得不到回答。第 3 课 (lesson03) 用每个客户端一个线程解决
//! 这个问题 (原文 「多线程并发」, `cargo run -p lesson03 --bin echo_server`)。
//! Python 的 `bytes.upper()` 只改 ASCII 字母, `to_ascii_uppercase` 也一样, 所以 `你好` 原样返回。
//!
//! English: 004's upper-casing server; one client at a time, so one idle client
//! stalls everyone behind it (the text's design; lesson03 fixes it with threads).

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use support::{accept_failed, announce, bind_failed, log_client_error, Cli, OrExit};

fn main() {
    // 命令行参数: 原文把地址写在程序里, 我们让它可以改 (说明见文件末尾的 HELP)
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8000);
    let once = cli.switch("--once");
    cli.done();

    // 1. 创建套接字, 绑定 ip 和端口, 监听 (std 的 bind 一步做完)
    let listener: TcpListener = todo!(
        "第 1 步: 用 TcpListener::bind 在 host 和 port 上监听, 失败时交给 bind_failed; 见原文 004 「多次交互」"
    );
    announce("tcp", listener.local_addr().or_exit("读取监听地址"));

    // 原文 「实例」 的第一版只服务一条消息: 见文件末尾的 first_version
    if once {
        return first_version(&listener);
    }

    // 2. 连接循环: 一个客户端结束后再接受下一个。accept 出错时原文会崩溃, 我们记一行日志接着等
    loop {
        let (mut client, addr): (TcpStream, std::net::SocketAddr) = todo!(
            "第 2 步: 用 accept 等下一个客户端; 出错时交给 accept_failed 记一行, 再 continue 接着等"
        );
        println!("客户端 {addr} 已连接");
        // 3. 通信循环 (serve); 出错 (例如对方重置连接) 只结束这个客户端, 相当于原文的 try/except
        match serve(&mut client) {
            Ok(()) => println!("客户端 {addr} 已断开"),
            Err(e) => log_client_error(addr, &e),
        }
        // 原文 conn.close(): client 在这里离开作用域, 连接随之关闭
    }
}

/// 通信循环: 和一个客户端一直对话, 直到它离开。出错时把错误交给调用者 (`?`)。
fn serve(client: &mut TcpStream) -> io::Result<()> {
    let mut buf = [0u8; 1024];
    loop {
        // 4. 收消息: 一次 read, 最多 1024 字节; 读到 0 字节表示对方关闭了连接
        let n: usize = todo!(
            "第 4 步: read 一次, 出错用 ? 交给调用者; 读到 0 个字节就返回 Ok, 表示客户端走了"
        );
        // 5. 解码并打印。原文 msg.decode() 遇到坏字节会抛异常 (而原文的 except 会断开这个
        //    客户端); from_utf8_lossy 相当于 errors='replace', 坏字节变成 U+FFFD
        todo!("第 5 步: 用 String::from_utf8_lossy 解码收到的 n 个字节, 照原文打印 `客户端发来的消息是： ` 一行");
        // 6. 转成大写发回 (原文 msg.upper() 只改 ASCII 字母, to_ascii_uppercase 也一样)
        todo!("第 6 步: 把收到的字节用 to_ascii_uppercase 转成大写, 用 write_all 发回; 原文的 msg.upper()");
    }
}

/// 004 「实例」 的第一版 (`--once`): 接受一个客户端, 收一条, 回一条, 关闭, 退出。
fn first_version(listener: &TcpListener) {
    // 7. 等一个客户端
    let (mut client, _): (TcpStream, std::net::SocketAddr) = todo!(
        "第 7 步: 用 accept 等一个客户端; 见原文 004 「实例」"
    );
    // 8. 收一次; 这一版原文直接打印字节对象, 没有解码
    let mut buf = [0u8; 1024];
    let n: usize = todo!("第 8 步: read 一次; 再照原文打印字节对象的样子 (lesson01::py_bytes)");
    // 9. 转成大写发回。原文最后的 conn.close() 和 sock_ser.close(): client 在函数结束时、
    //    listener 在 main 结束时自动关闭
    todo!("第 9 步: 转成大写 (to_ascii_uppercase), 用 write_all 发回");
}

// 帮助文字 (原文没有命令行参数)。The help text.
const HELP: &str = "
upper_server: 把收到的字节转成大写 (ASCII) 发回; 一个接一个地服务客户端。
upper_server: reply each message upper-cased (ASCII); serve clients one after another.

用法 usage: upper_server [--host H] [--port P] [--once]
  --host H   默认 default 127.0.0.1
  --port P   默认 default 8000, 0 = any free port
  --once     原文第一版: 只服务一个客户端的一条消息 (004 「实例」)
";
