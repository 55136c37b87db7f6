#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! QQ 聊天客户端: 重做 001 「qq聊天」 的 client 端 (UDP)。
//!
//! 练习 (exercise): 把每个 `todo!(..)` 换成原文那一步的调用, 按步骤的顺序做; 运行时程序停在第一个
//! 没做完的步骤, 并打印它的提示。做完后检查: `cargo grade lesson02` (或 `cargo test -p lesson02`)。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo run -p lesson02 --bin qq_server
//!   终端 2: cargo run -p lesson02 --bin qq_client
//! 在 `请选择聊天对象: ` 后选一个联系人, 然后输入消息; `q` 回到选择联系人, 输入结束就退出。
//! 通讯录是原文的四个名字, 都指向服务器的地址 (`--host`/`--port`, 默认 127.0.0.1:8081);
//! `--contact 名字=ip:port` 可以再加。
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

    // 1. 通讯录 (qq_name_dic): 原文的四个名字都指向服务器
    let server: SocketAddr = support::resolve(&host, port)[0];
    let mut qq_name_dic: BTreeMap<String, SocketAddr> = ["金老板", "哪吒", "egg", "yuan"]
        .into_iter()
        .map(|name| (name.to_string(), server))
        .collect();
    for entry in extra {
        let Some((name, addr)) = entry.split_once('=') else {
            fail(format_args!(
                "--contact 的格式是 名字=ip:port, 而不是 `{entry}`"
            ));
        };
        let addr: SocketAddr = addr
            .parse()
            .unwrap_or_else(|_| fail(format_args!("`{addr}` 不是 ip:port 地址")));
        qq_name_dic.insert(name.to_string(), addr);
    }

    // 2. 创建 UDP 套接字。Rust 创建时就要绑定本机地址: 端口 0 让系统挑 (Python 第一次
    //    sendto 时自动做); 发往本机时只绑 127.0.0.1, 不会弹防火墙对话框 (见 lesson02::local_for)
    // (原文叫它 udp_client_socket)
    let udp_socket: UdpSocket = todo!("第 2 步: 用 UdpSocket::bind 创建套接字, 本机地址用 lesson02::local_for 按 server 选出来, 失败时 or_exit 报一行中文错误, 见原文「qq聊天」; 注意: Rust 创建 UDP 套接字时就要绑定本机地址, 端口 0 让系统挑");
    todo!("第 2 步: 用 set_read_timeout 给 udp_socket 设置读超时, 最多等 timeout, 失败时 or_exit 报错, 见原文「qq聊天」; 注意: 原文没有超时, 服务器不回答时会永远等下去");

    // 3. 外层循环: 选择聊天对象
    while let Some(qq_name) = ask_line("请选择聊天对象: ") {
        let qq_name = qq_name.trim();
        let Some(&dest) = qq_name_dic.get(qq_name) else {
            let names: Vec<&str> = qq_name_dic.keys().map(String::as_str).collect();
            println!(
                "没有这个联系人: `{qq_name}`; 可选 choose from: {}",
                names.join(", ")
            );
            continue;
        };
        // 4. 内层循环: 发消息, 收回复; q 结束和他的聊天
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
            todo!("第 5 步: 用 send_to 把 msg 的字节发给选中的联系人 dest, 失败时 or_exit 报错, 见原文「qq聊天」; 注意: 地址来自通讯录 qq_name_dic");
            // 6. 收回复 (recvfrom), 解码后打印。from_utf8_lossy 是 Rust 版的
            //    .decode('utf-8'): 从不出错, 坏字节显示成 U+FFFD
            //    (缓冲区装得下最大的数据报, 收到后自己截到 1024, 见 lesson02::MAX_DATAGRAM)
            let mut buf = vec![0u8; lesson02::MAX_DATAGRAM];
            let received: std::io::Result<(usize, SocketAddr)> = todo!("第 6 步: 用 recv_from 把回复收进 buf, 得到字节数和发送方地址, 见原文「qq聊天」; 注意: 没等到回复 (超时) 时说一声, 接着聊, 不要退出");
            match received {
                Ok((n, addr)) => {
                    let n = n.min(lesson02::BUFSIZE);
                    let back_msg: std::borrow::Cow<str> = todo!("第 6 步: 用 String::from_utf8_lossy 解码收到的字节 (原文 back_msg.decode('utf-8')), 见原文「qq聊天」; 注意: 只解码收到的 n 个字节");
                    println!("{}", lesson02::qq_line(addr, &back_msg));
                }
                // 没有回复: 是对方 (服务器) 没回答, 说一声, 继续聊
                Err(e) => eprintln!("{qq_name}: {}", lesson02::no_answer(dest, &e)),
            }
        }
    }
}
