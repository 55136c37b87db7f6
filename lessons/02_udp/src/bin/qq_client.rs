//! QQ 聊天客户端: redoes 001 「qq聊天」's client (UDP).
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson02 --bin qq_server
//!   terminal 2: cargo run -p lesson02 --bin qq_client
//! Choose a contact at `请选择聊天对象: `, then type messages; `q` goes back to
//! choosing, end of input quits. The contact book holds the text's four names, all
//! at the server's address (`--host`/`--port`, default 127.0.0.1:8081);
//! `--contact 名字=ip:port` adds more.
//!
//! Differences from the text: an unknown contact is said so and asked again (the
//! text silently ignores every message typed to it); the answer is awaited at most
//! `--timeout` seconds (default 30) instead of forever.

use std::collections::BTreeMap;
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use support::{ask_line, fail, log_client_error, show, Cli, OrExit};

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

    // 1. 通讯录: 原文的四个名字都指向服务器
    let server: SocketAddr = (host.as_str(), port)
        .to_socket_addrs()
        .or_exit(format_args!("解析 {host}:{port}"))
        .next()
        .unwrap_or_else(|| fail(format_args!("{host}:{port} 没有可用的地址")));
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

    // 2. 创建 UDP 套接字
    let udp_client_socket = UdpSocket::bind("0.0.0.0:0").or_exit("创建 UDP 套接字");
    udp_client_socket
        .set_read_timeout(Some(timeout))
        .or_exit("设置超时");

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
            udp_client_socket
                .send_to(msg.as_bytes(), dest)
                .or_exit(format_args!("发送到 {dest}"));
            let mut buf = [0u8; 1024];
            match udp_client_socket.recv_from(&mut buf) {
                Ok((n, addr)) => println!("{}", lesson02::qq_line(addr, &show(&buf[..n]))),
                Err(e) => log_client_error(dest, &e), // 没有回复: 说一声, 继续聊
            }
        }
    }
}
