//! UDP 发送数据: redoes 000 「UDP 协议代码实现方式」 (发送数据, 接收数据) and 002
//! 「UDP网络程序-发送数据」.
//!
//! Run both ends:
//!   terminal 1: cargo run -p lesson02 --bin time_server -- --port 8080
//!   terminal 2: cargo run -p lesson02 --bin udp_send -- --reply
//! Asks for a message and sends it as one datagram to 127.0.0.1:8080 (the texts
//! use a LAN address; `--host` sets one). With `--reply` it then waits for one
//! answer and prints it and the sender, as 000's receiving version does.
//!
//! Differences from the text: the text waits forever for the answer; we wait
//! `--timeout` seconds (default 5) and then say so. 002's version passes a `str`
//! to `sendto`, which Python 3 refuses; we send the UTF-8 bytes.

use std::net::UdpSocket;
use support::{ask, show, Cli, OrExit};

const HELP: &str = "
udp_send: 发送一个 UDP 数据报; 加 --reply 时再等一个回复并打印。
udp_send: send one UDP datagram; with --reply, wait for one answer and print it.

用法 usage: udp_send [--host H] [--port P] [--message TEXT] [--reply] [--timeout SECS]
  默认 default 127.0.0.1:8080; 没有 --message 时提问 asks when --message is missing
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8080);
    let message = cli.value("--message");
    let wait_reply = cli.switch("--reply");
    let timeout = cli.timeout(5.0);
    cli.done();

    // 1. 创建 UDP 套接字 (绑定到任意空闲端口, 系统会自动做)
    let udp_socket = UdpSocket::bind("0.0.0.0:0").or_exit("创建 UDP 套接字");

    // 2. 接收方的地址, 3. 从键盘获取数据
    let dest_addr = (host.as_str(), port);
    let send_data = message.unwrap_or_else(|| ask("请输入要发送的数据:"));

    // 4. 发送数据到指定电脑上的指定程序 (一次 send_to 就是一个数据报)
    udp_socket
        .send_to(send_data.as_bytes(), dest_addr)
        .or_exit(format_args!("发送到 {host}:{port}"));

    if wait_reply {
        // 5. 等待对方的数据, 最多 1024 字节, 最多等 timeout
        udp_socket
            .set_read_timeout(Some(timeout))
            .or_exit("设置超时");
        let mut buf = [0u8; 1024];
        let (n, from) = udp_socket.recv_from(&mut buf).or_exit("等待回复");
        // 6. 显示数据和对方的 (ip, port)
        println!("{}", show(&buf[..n]));
        println!("{}", lesson02::py_addr(from));
    }
    // 7. 关闭套接字 (离开作用域时)
}
