//! 压力测试 (原文之外): 同时开 N 个客户端去连本课的一个服务器, 打印总用时、
//! 每秒往返次数和失败的数量。
//!
//! 在另一个终端先启动服务器, 例如
//!   cargo run --release -p lesson03 --bin server -- --port 9999
//!   cargo run --release -p lesson03 --bin load -- --port 9999 --clients 1000 --messages 1
//! 协议:
//!   --proto hello  003 的对话 (`server`, `pool_server`): 读 `Welcome!`, 发 M 个名字,
//!                  每个都等 `Hello, <名字>!`, 最后发 `exit`;
//!   --proto echo   发 M 条 --size 字节的消息, 等它们原样 (大小写不论) 回来
//!                  (`echo_server`, `socketserver`, `baseline_server`, Python 的服务器)。
//! `--hold`: 每个客户端先连上, 等所有客户端都连上以后才开始说话, 这样服务器真的同时
//! 拿着 N 个连接。
//!
//! 打印的数: `connected` 连上的客户端数, `failed connections` 没连上的, `failed exchanges`
//! 连上了但对话出错 (超时、断开、回复不对) 的, `round trips` 完成的一问一答次数。
//! 只该用来测本机回环或自己机器的地址。每个客户端是一个线程: 几千个没问题, 本课就测这么多。
//!
//! English: N clients at once against one of this lesson's servers; prints connected
//! and failed counts, round trips and the elapsed time. Loopback only.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};
use support::{fail, resolve, Cli};

const HELP: &str = "
load: 同时启动 N 个客户端, 打印总用时、每秒往返次数和失败的连接数。
load: run N clients at once; print elapsed time, round trips per second and failures.

用法 usage: load [--host H] [--port P] [--clients N] [--messages M] [--size BYTES]
            [--proto hello|echo] [--hold] [--timeout SECS]
  默认 default 127.0.0.1:9999, 100 clients, 3 messages, 64 bytes, hello, 60 s
";

#[derive(Clone, Copy, PartialEq)]
enum Proto {
    Hello,
    Echo,
}

/// 一个客户端做成了什么。
#[derive(Default)]
struct Outcome {
    connected: bool,
    connect_time: Duration,
    round_trips: u64,
    error: Option<String>,
}

/// 读回恰好和期待的回复一样长的字节, 比较 (不论大小写)。
fn expect(s: &mut TcpStream, want: &[u8]) -> io::Result<()> {
    let mut got = vec![0u8; want.len()];
    s.read_exact(&mut got)?;
    if got.eq_ignore_ascii_case(want) {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("wrong reply {:?}", String::from_utf8_lossy(&got)),
        ))
    }
}

fn talk(
    s: &mut TcpStream,
    id: usize,
    proto: Proto,
    messages: usize,
    size: usize,
    out: &mut Outcome,
) -> io::Result<()> {
    if proto == Proto::Hello {
        expect(s, b"Welcome!")?;
    }
    for m in 0..messages {
        match proto {
            Proto::Hello => {
                let name = format!("c{id}m{m}");
                s.write_all(name.as_bytes())?;
                expect(s, format!("Hello, {name}!").as_bytes())?;
            }
            Proto::Echo => {
                let msg: Vec<u8> = (0..size)
                    .map(|i| b'a' + ((id + m + i) % 26) as u8)
                    .collect();
                s.write_all(&msg)?;
                expect(s, &msg)?;
            }
        }
        out.round_trips += 1;
    }
    if proto == Proto::Hello {
        s.write_all(b"exit")?;
    }
    Ok(())
}

fn client(
    addr: SocketAddr,
    id: usize,
    proto: Proto,
    messages: usize,
    size: usize,
    timeout: Duration,
    hold: Option<Arc<Barrier>>,
) -> Outcome {
    let mut out = Outcome::default();
    let start = Instant::now();
    let stream = TcpStream::connect_timeout(&addr, timeout);
    out.connect_time = start.elapsed();
    if let Some(barrier) = hold {
        barrier.wait(); // every client waits here, connected or not
    }
    let mut s = match stream {
        Ok(s) => s,
        Err(e) => {
            out.error = Some(format!("connect: {e}"));
            return out;
        }
    };
    out.connected = true;
    let _ = s.set_read_timeout(Some(timeout));
    let _ = s.set_nodelay(true);
    if let Err(e) = talk(&mut s, id, proto, messages, size, &mut out) {
        out.error = Some(e.to_string());
    }
    out
}

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(9999);
    let clients: usize = cli.parsed("--clients", 100);
    let messages: usize = cli.parsed("--messages", 3);
    let size: usize = cli.parsed("--size", 64);
    let proto = match cli.value("--proto").as_deref() {
        None | Some("hello") => Proto::Hello,
        Some("echo") => Proto::Echo,
        Some(other) => fail(format_args!(
            "--proto 只能是 hello 或 echo, 而不是 `{other}`"
        )),
    };
    let hold = cli.switch("--hold");
    let timeout = cli.timeout(60.0);
    cli.done();
    if clients == 0 || !(1..=1024).contains(&size) {
        fail("--clients 至少为 1, --size 在 1 到 1024 之间");
    }
    // 第一个地址; 测 localhost 时写 --host 127.0.0.1 更清楚
    let addr = resolve(&host, port)[0];

    let barrier = hold.then(|| Arc::new(Barrier::new(clients)));
    let start = Instant::now();
    let mut handles = Vec::with_capacity(clients);
    for id in 0..clients {
        let barrier = barrier.clone();
        let spawned = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || client(addr, id, proto, messages, size, timeout, barrier));
        match spawned {
            Ok(h) => handles.push(h),
            Err(e) => fail(format_args!("第 {id} 个客户端线程开不出来: {e}")),
        }
    }
    let outcomes: Vec<Outcome> = handles.into_iter().filter_map(|h| h.join().ok()).collect();
    let elapsed = start.elapsed();

    let connected = outcomes.iter().filter(|o| o.connected).count();
    let failed: Vec<&String> = outcomes.iter().filter_map(|o| o.error.as_ref()).collect();
    let round_trips: u64 = outcomes.iter().map(|o| o.round_trips).sum();
    let slowest_connect = outcomes
        .iter()
        .map(|o| o.connect_time)
        .max()
        .unwrap_or_default();
    let slow_connects = outcomes
        .iter()
        .filter(|o| o.connect_time >= Duration::from_millis(900))
        .count();
    println!("clients {clients}, messages each {messages}, hold {hold}");
    println!(
        "connected {connected}, failed connections {}",
        clients - connected
    );
    println!("failed exchanges {}", failed.len() - (clients - connected));
    println!(
        "slowest connect {:.3} s, connects over 0.9 s (SYN retried) {slow_connects}",
        slowest_connect.as_secs_f64()
    );
    println!("elapsed {:.3} s", elapsed.as_secs_f64());
    println!(
        "round trips {round_trips}, per second {:.0}",
        round_trips as f64 / elapsed.as_secs_f64()
    );
    if let Some(first) = failed.first() {
        println!("first failure: {first}");
    }
    if !failed.is_empty() {
        std::process::exit(1);
    }
}
