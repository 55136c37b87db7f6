#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! QQ 聊天客户端: 重做 001 「qq聊天」 的 client 端 (UDP)。
//! 练习 (学生版): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个没做完的步骤。
//! 练习 (学生版): 检查: `cargo grade qq_client`; 分层提示: `cargo grade hint qq_client`。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo grade peer qq_client   (现成的假服务器; 也可以用原文的 Python 服务器)
//!   终端 2: cargo run -p lesson02 --bin qq_client
//! 在 `请选择聊天对象: ` 后选一个联系人, 然后输入消息; `q` 回到选择联系人, 输入结束就退出。
//! 通讯录是原文的四个名字, 都指向服务器的地址 (`--host`/`--port`, 默认 127.0.0.1:8081);
//! `--contact 名字=ip:port` 可以再加。回复和服务器一样打印成蓝底粗体 (只在终端上)。
//!
//! 和原文的不同:
//! * 不认识的联系人会说一声并重新问 (原文对它发的每条消息都悄悄忽略);
//! * 回复最多等 `--timeout` 秒 (默认 30), 而不是永远; 没等到就说对方没有回复, 接着聊。
//!
//! English: redoes 001's qq chat client: choose a contact, send lines, `q` goes back to
//! choosing; an unknown contact is said so, an answer is awaited at most `--timeout` seconds.

use std::collections::BTreeMap;
use std::net::{SocketAddr, UdpSocket};
use support::{ask_line, fail, Cli, OrExit};

const HELP: &str = "
qq_client: 选择联系人, 给他发消息, 打印回复; q 返回选择联系人。
qq_client: choose a contact, send messages, print answers; `q` goes back to choosing.

用法 usage: qq_client [--host H] [--port P] [--contact 名字=ip:port ...] [--timeout SECS]
  默认 default: 金老板 哪吒 egg yuan, 都在 all at 127.0.0.1:8081
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8081);
    let extra = cli.values("--contact");
    let timeout = cli.timeout(30.0);
    cli.done();
    let server: SocketAddr = support::resolve(&host, port)[0];
    let colour = lesson02::colour_wanted(); // 原文总是上色; 我们只在终端上 (见 colour_wanted)

    // 1. 创建 UDP 套接字 (原文叫它 udp_client_socket)。Rust 创建时就要绑定本机地址: 端口 0
    //    让系统挑 (Python 第一次 sendto 时自动做); 发往本机时只绑 127.0.0.1 (见 lesson02::local_for)
    let udp_client_socket: UdpSocket = todo!("第 1 步: 用 UdpSocket::bind 创建套接字, 绑定 lesson02::local_for 为服务器选的本机地址; 见原文「qq聊天」的 client 端");
    udp_client_socket
        .set_read_timeout(Some(timeout))
        .or_exit("设置超时"); // 原文一直等

    // 2. 通讯录 (qq_name_dic): 原文的四个名字都指向服务器, 再加上 --contact 给的
    let mut qq_name_dic: BTreeMap<String, SocketAddr> = ["金老板", "哪吒", "egg", "yuan"]
        .into_iter()
        .map(|name| (name.to_string(), server))
        .collect();
    qq_name_dic.extend(extra.iter().map(|entry| contact(entry)));

    // 64 KiB 而不是 1024: Windows 上数据报比缓冲区大时 recv_from 报错 (WSAEMSGSIZE), 不截断
    let mut buf = vec![0u8; 65_536];
    // 3. 外层循环: 选择聊天对象 (input(..).strip()); 输入结束就退出
    while let Some(qq_name) = ask_line("请选择聊天对象: ") {
        let qq_name = qq_name.trim();
        let Some(&dest) = qq_name_dic.get(qq_name) else {
            unknown_contact(qq_name, &qq_name_dic); // 原文悄悄忽略; 我们说一声, 重新问
            continue;
        };
        // 4. 内层循环: 读一条消息; q 结束和他的聊天, 空消息跳过
        while let Some(msg) = ask_line("请输入消息,回车发送,输入q结束和他的聊天: ")
        {
            let msg = msg.trim();
            if msg == "q" {
                break;
            }
            if msg.is_empty() {
                continue;
            }
            // 5. 编码后发给这个联系人 (sendto)
            todo!("第 5 步: 用 send_to 把 msg 的字节发给选中的联系人 dest, 出错时 or_exit; 见原文「qq聊天」");

            // 6. 收回复和回复者的地址 (recvfrom(BUFSIZE)); 没等到就说一声, 接着聊 (原文一直等)
            let received: std::io::Result<(usize, std::net::SocketAddr)> = todo!("第 6 步: 用 recv_from 收回复和回复者的地址; 见原文「qq聊天」");
            let (n, addr) = match received {
                Ok(got) => got,
                Err(e) => {
                    eprintln!("{qq_name}: {}", lesson02::no_answer(dest, &e));
                    continue;
                }
            };
            let n = n.min(1024); // 原文的 BUFSIZE = 1024: 只用前 1024 字节

            // 7. 解码: from_utf8_lossy 相当于 decode('utf-8', errors='replace'), 坏字节变成 �
            //    (原文的 decode('utf-8') 遇到坏字节会抛异常); 再像服务器一样打印成蓝底粗体
            let back_msg: std::borrow::Cow<str> = todo!("第 7 步: 用 String::from_utf8_lossy 解码那 n 个字节; 见原文「qq聊天」");
            todo!("第 7 步: 用 println 打印和服务器一样的那一行: 回复者的 ip 和端口, 再是消息; colour 为真时消息用蓝底粗体 (ANSI 1;44); 见原文「qq聊天」");
        }
    }
    // 8. 关闭套接字 (close: udp_client_socket 在 main 结束时关闭)
}

/// `--contact 名字=ip:port` 的一项 (原文以外: 通讯录里再加一个人)。
fn contact(entry: &str) -> (String, SocketAddr) {
    let Some((name, addr)) = entry.split_once('=') else {
        fail(format_args!(
            "--contact 的格式是 名字=ip:port, 而不是 `{entry}`"
        ));
    };
    let addr: SocketAddr = addr
        .parse()
        .unwrap_or_else(|_| fail(format_args!("`{addr}` 不是 ip:port 地址")));
    (name.to_string(), addr)
}

/// 通讯录里没有这个名字: 说一声, 列出可选的名字。
fn unknown_contact(qq_name: &str, qq_name_dic: &BTreeMap<String, SocketAddr>) {
    let names: Vec<&str> = qq_name_dic.keys().map(String::as_str).collect();
    println!(
        "没有这个联系人: `{qq_name}`; 可选 choose from: {}",
        names.join(", ")
    );
}
