//! UDP 会丢包 (原文之外): 让 000 「UDP 协议与 TCP 协议的区别」 里 "UDP 的消息可能丢失"
//! 在一台机器上看得见。
//!
//! 运行 (一个程序, 两端都在里面):
//!   cargo run -p lesson02 --bin udp_loss
//!   cargo run -p lesson02 --bin udp_loss -- --count 5000 --delay-us 500
//! 发送方向一个处理很慢的接收方 (每收一个就停一下) 连发 N 个编了号的数据报。内核只保留接收方
//! 缓冲区装得下的部分, 其余的直接丢掉, 谁也不通知。同样 N 条消息走 TCP 全部到达: TCP 的流量
//! 控制让发送方等着。只用回环地址; 接收方安静半秒后停止。
//!
//! English (beyond the texts): blasts N datagrams at a slow receiver and prints sent vs
//! received; the same over TCP all arrive, because TCP's flow control makes the sender wait.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::thread;
use std::time::{Duration, Instant};
use support::{fail, Cli, OrExit};

const HELP: &str = "
udp_loss: 向一个处理很慢的接收方连发 N 个数据报, 打印发出和收到的数量; 再用 TCP 发同样多。
udp_loss: blast N datagrams at a slow receiver, print sent vs received; then the same over TCP.

用法 usage: udp_loss [--count N] [--size BYTES] [--delay-us MICROS]
  默认 default: 2000 个 of 1000 字节 bytes, 接收方每个停顿 receiver pauses 200 µs
";

fn report(proto: &str, sent: usize, received: usize, took: Duration) {
    let lost = sent - received;
    println!(
        "{proto}: 发出 sent {sent}, 收到 received {received}, 丢失 lost {lost} ({:.1}%), 用时 {:.2} s",
        100.0 * lost as f64 / sent as f64,
        took.as_secs_f64()
    );
}

fn main() {
    let mut cli = Cli::new(HELP);
    let count: usize = cli.parsed("--count", 2000);
    let size: usize = cli.parsed("--size", 1000);
    let delay = Duration::from_micros(cli.parsed("--delay-us", 200));
    cli.done();
    if count == 0 || !(4..=65_000).contains(&size) {
        fail("--count 至少为 1, --size 在 4 到 65000 之间");
    }

    // UDP: 接收方每收一个就停顿一下, 收不过来的由内核丢掉
    let start = Instant::now();
    let receiver = UdpSocket::bind("127.0.0.1:0").or_exit("绑定 UDP 接收方");
    let to = receiver.local_addr().or_exit("读取地址");
    receiver
        .set_read_timeout(Some(Duration::from_millis(500)))
        .or_exit("设置超时");
    let reader = thread::spawn(move || {
        let mut buf = vec![0u8; size];
        let mut received = 0;
        // 安静了半秒就停: 那时发送方早就发完了
        while receiver.recv(&mut buf).is_ok() {
            received += 1;
            thread::sleep(delay); // 慢慢处理
        }
        received
    });
    let sender = UdpSocket::bind("127.0.0.1:0").or_exit("绑定 UDP 发送方");
    let mut datagram = vec![b'u'; size];
    let mut sent = 0;
    for seq in 0..count as u32 {
        datagram[..4].copy_from_slice(&seq.to_be_bytes());
        match sender.send_to(&datagram, to) {
            Ok(_) => sent += 1,
            // 本机的发送队列可能一时满了: 这个数据报也算丢了
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            Err(e) => support::io_fail("发送 UDP 数据报", &e),
        }
    }
    let received = reader.join().unwrap_or(0);
    report("UDP", count, received.min(sent), start.elapsed());

    // TCP: 同样多的消息, 同样慢的接收方; 发送方会被流量控制挡住, 一条不丢
    let start = Instant::now();
    let listener = TcpListener::bind("127.0.0.1:0").or_exit("绑定 TCP");
    let addr = listener.local_addr().or_exit("读取地址");
    let reader = thread::spawn(move || {
        let (mut conn, _) = listener.accept()?;
        let mut buf = vec![0u8; size];
        let mut received = 0;
        // 字节流没有消息边界: 按固定长度切分
        while conn.read_exact(&mut buf).is_ok() {
            received += 1;
            thread::sleep(delay);
        }
        Ok::<usize, std::io::Error>(received)
    });
    let mut stream = TcpStream::connect(addr).or_exit("连接 TCP");
    let message = vec![b't'; size];
    for _ in 0..count {
        stream.write_all(&message).or_exit("发送 TCP 数据");
    }
    drop(stream);
    let received = reader.join().ok().and_then(Result::ok).unwrap_or(0);
    report("TCP", count, received, start.elapsed());
}
