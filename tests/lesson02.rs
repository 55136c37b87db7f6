//! Lesson 02, UDP. Each scored test checks one program against the test itself or
//! a ready-made peer (`common::peers::lesson02`); `pairing_…` tests run two of our
//! programs together and are not scored. Expected bytes are written literally.

mod common;

use common::peers::lesson02 as peer;
use common::{client, udp, Proc};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use std::collections::BTreeSet;
use std::net::{SocketAddr, UdpSocket};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const UDP_SEND: &str = env!("CARGO_BIN_EXE_udp_send");
const UDP_SERVER: &str = env!("CARGO_BIN_EXE_udp_server");
const UDP_CLIENT: &str = env!("CARGO_BIN_EXE_udp_client");
const HELLO_SERVER: &str = env!("CARGO_BIN_EXE_udp_hello_server");
const HELLO_CLIENT: &str = env!("CARGO_BIN_EXE_udp_hello_client");
const QQ_SERVER: &str = env!("CARGO_BIN_EXE_qq_server");
const QQ_CLIENT: &str = env!("CARGO_BIN_EXE_qq_client");
const TIME_SERVER: &str = env!("CARGO_BIN_EXE_time_server");
const TIME_CLIENT: &str = env!("CARGO_BIN_EXE_time_client");
const UDP_LOSS: &str = env!("CARGO_BIN_EXE_udp_loss");

/// How long a reply may take once the server has printed that it got our datagram:
/// on loopback it follows within microseconds, so a reply still missing after this
/// went somewhere else (a fixed address instead of the sender's).
const AFTER_LOG: Duration = Duration::from_secs(2);

/// Bytes as a reader sees them: `b"hi"`, `b"Hello, \xff!"`; a long run is cut
/// after 120 bytes with its length.
fn shown(bytes: &[u8]) -> String {
    if bytes.len() > 120 {
        format!(
            "b\"{}…\" (共 {} 字节)",
            bytes[..120].escape_ascii(),
            bytes.len()
        )
    } else {
        format!("b\"{}\"", bytes.escape_ascii())
    }
}

/// `got == want`, said with the bytes as text (`b"hi"`), never as numbers.
fn assert_bytes(got: &[u8], want: &[u8], what: &str) {
    assert!(
        got == want,
        "{what}: 应该是 {}, 却是 {}",
        shown(want),
        shown(got)
    );
}

/// The same for the datagrams a test's server received, in order.
fn assert_datagrams(got: &[Vec<u8>], want: &[&[u8]], what: &str) {
    let show = |l: &[&[u8]]| l.iter().map(|d| shown(d)).collect::<Vec<_>>().join(", ");
    let got: Vec<&[u8]> = got.iter().map(Vec::as_slice).collect();
    assert!(
        got == want,
        "{what}: 应该是 [{}], 却是 [{}]",
        show(want),
        show(&got)
    );
}

/// Sends `msg` to a server that answers and exits (udp_server): waits for the
/// answer, but gives up at once when the server has exited without one.
fn ask_one_shot(server: &mut Proc, sock: &UdpSocket, to: SocketAddr, msg: &[u8]) -> Vec<u8> {
    sock.send_to(msg, to).unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let until = Instant::now() + common::DEADLINE;
    let mut buf = vec![0u8; 8192];
    let mut exited = false;
    loop {
        if let Ok((n, from)) = sock.recv_from(&mut buf) {
            assert_eq!(from, to, "回复应该从服务器绑定的地址发出");
            buf.truncate(n);
            return buf;
        }
        if exited || Instant::now() >= until {
            let why = if exited {
                "服务器已经退出, 却没有回复到你的地址"
            } else {
                "10 秒内没有收到服务器的回复"
            };
            panic!(
                "{why}: 有没有用 send_to 回复到 recv_from 得到的地址 (不是写死的地址)?\n{}",
                server.transcript()
            );
        }
        exited = !server.is_running(); // one more look after it exited
    }
}

/// For a server that keeps serving: sends `msg`, waits for the server's own line
/// `log` about it, then at most [`AFTER_LOG`] for the answer, which must come from
/// the server's address.
fn ask_logged(
    server: &mut Proc,
    sock: &UdpSocket,
    to: SocketAddr,
    msg: &[u8],
    log: &str,
) -> Vec<u8> {
    sock.send_to(msg, to).unwrap();
    server.wait_out(log, &format!("服务器收到 {} 后打印的那一行", shown(msg)));
    reply_within(sock, to, AFTER_LOG, &server.transcript())
}

/// The next datagram on `sock`, from `to`, within `wait`; panics in plain words.
fn reply_within(sock: &UdpSocket, to: SocketAddr, wait: Duration, transcript: &str) -> Vec<u8> {
    sock.set_read_timeout(Some(wait)).unwrap();
    let mut buf = vec![0u8; 8192];
    let (n, from) = sock.recv_from(&mut buf).unwrap_or_else(|e| {
        panic!(
            "服务器打印了收到的消息, {} 秒内却没有回复到你的地址: 有没有用 send_to 回复到 recv_from 得到的地址 (不是写死的地址)? ({})\n{transcript}",
            wait.as_secs(),
            common::describe(&e)
        )
    });
    sock.set_read_timeout(Some(common::DEADLINE)).unwrap();
    assert_eq!(from, to, "回复应该从服务器绑定的地址发出");
    buf.truncate(n);
    buf
}

/// A socket that sends `msg` to `to` and is closed before any answer: a client
/// that vanished. The server must go on serving the next one.
fn vanish_after_sending(to: SocketAddr, msg: &[u8]) -> SocketAddr {
    let gone = udp();
    gone.send_to(msg, to).unwrap();
    gone.local_addr().unwrap()
}

/// Plays a UDP server in a thread: for each of `times` datagrams, records it and
/// answers `reply(datagram)` to its sender. Every wait is bounded by the socket's
/// 10 s timeout; the thread's result says what arrived.
fn play_server(
    times: usize,
    reply: fn(&[u8]) -> Vec<u8>,
) -> (u16, thread::JoinHandle<Vec<Vec<u8>>>) {
    let sock = udp();
    let port = sock.local_addr().unwrap().port();
    let handle = thread::spawn(move || {
        let mut seen = Vec::new();
        for i in 0..times {
            let mut buf = vec![0u8; 65_536];
            let (n, from) = sock.recv_from(&mut buf).unwrap_or_else(|e| {
                panic!("10 秒内只收到客户端的 {i} 个数据报, 应该有 {times} 个: 客户端用 send_to 发了吗? ({e})")
            });
            buf.truncate(n);
            sock.send_to(&reply(&buf), from).unwrap();
            seen.push(buf);
        }
        seen
    });
    (port, handle)
}

/// Held by every test that uses a text's fixed address (the servers' defaults and
/// the clients' defaults), so that, say, time_client's default test never reaches
/// udp_server's default test on 127.0.0.1:9000.
static DEFAULTS: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn defaults_lock() -> std::sync::MutexGuard<'static, ()> {
    DEFAULTS.lock().unwrap_or_else(|e| e.into_inner())
}

/// A free loopback UDP port, for a server started with `--port P`: the announced
/// port must be P (`Proc::server` checks it), so a port written into `bind` fails.
fn given_port() -> String {
    silent_port().to_string()
}

/// A UDP port with nobody behind it.
fn silent_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs a client with no `--host`/`--port` and a short timeout, and checks it sent
/// to the text's address `want`: either nobody answers there and its one-line error
/// names `want`, or something there answered and the program printed `shown_as`
/// (`want`'s (ip, port)); `None`: any answer (a client that prints no address).
/// Tests never bind the texts' fixed ports themselves, but another test's server
/// may be listening there right then (`cargo grade` runs tests in processes of
/// their own, side by side): that is why an answer is accepted.
fn assert_client_default(
    bin: &str,
    args: &[&str],
    stdin: &str,
    want: &str,
    shown_as: Option<&str>,
) {
    let _only_one = defaults_lock();
    let out = client(bin)
        .args(args)
        .args(["--timeout", "0.3"])
        .write_stdin(stdin)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        stderr.contains(want)
            || match shown_as {
                Some(shown) => stdout.contains(shown),
                None => out.status.success() && !stdout.trim().is_empty(),
            },
        "不加 --host/--port 时应该像原文一样发到 {want}: 默认的地址或端口写错了?\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
    );
}

// ---------------------------------------------------------------------------
// udp_send: 000 「UDP 协议代码实现方式」, 002 「UDP网络程序-发送数据」
// ---------------------------------------------------------------------------

#[test]
fn udp_send_sends_one_datagram_and_with_reply_prints_answer_and_sender() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_send", "把输入的文字编码成 UTF-8 用 send_to 发出; --reply 时 recv_from 一次, 打印数据和 (ip, port)");
    let sock = udp();
    let port = sock.local_addr().unwrap().port().to_string();
    // Without --reply: asked on stdin like the text, then one datagram.
    client(UDP_SEND)
        .args(["--port", &port])
        .write_stdin("你好 udp\n")
        .assert()
        .success()
        .stdout("请输入要发送的数据:");
    let mut buf = [0u8; 1024];
    let (n, _) = sock
        .recv_from(&mut buf)
        .expect("10 秒内没有收到 udp_send 发来的数据报");
    assert_bytes(
        &buf[..n],
        "你好 udp".as_bytes(),
        "数据报应该正好是输入的文字 (UTF-8, 没有换行)",
    );

    // With --reply: the test answers `pong`, then bytes that are not UTF-8.
    let answer = thread::spawn(move || {
        for reply in [&b"pong"[..], b"po\xffng"] {
            let mut buf = [0u8; 1024];
            let (n, from) = sock
                .recv_from(&mut buf)
                .expect("10 秒内没有收到 udp_send 发来的数据报");
            assert_bytes(&buf[..n], b"ping", "--message 给的文字应该原样发出");
            sock.send_to(reply, from).unwrap();
        }
    });
    for shown_reply in ["pong", "po\u{FFFD}ng"] {
        client(UDP_SEND)
            .args(["--port", &port, "--message", "ping", "--reply"])
            .assert()
            .success()
            .stdout(format!("{shown_reply}\n('127.0.0.1', {port})\n"));
    }
    answer.join().unwrap();
}

#[test]
fn udp_send_reply_without_an_answer_times_out() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_send", "等回复前要 set_read_timeout, 超时后打印一行中文错误并以退出码 1 结束");
    client(UDP_SEND)
        .args([
            "--port",
            &silent_port().to_string(),
            "--message",
            "x",
            "--reply",
            "--timeout",
            "0.3",
        ])
        .assert()
        .code(1)
        .stderr(contains("等待超时"));
}

#[test]
fn udp_send_sends_to_127_0_0_1_8080_by_default() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_send", "不加参数时发到 127.0.0.1:8080 (原文是局域网地址, 我们换成本机, 端口不变)");
    assert_client_default(
        UDP_SEND,
        &["--message", "x", "--reply"],
        "",
        "127.0.0.1:8080",
        Some("('127.0.0.1', 8080)"),
    );
}

// ---------------------------------------------------------------------------
// udp_server / udp_client: 001 「基于UDP协议的socket」
// ---------------------------------------------------------------------------

#[test]
fn udp_server_answers_hi_once_and_exits() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_server", "收一个数据报 (recv_from), 打印, 用 send_to 把 hi 回给发送方的地址, 然后退出");
    let (mut server, addr) = Proc::server(UDP_SERVER, &["--port", &given_port()]);
    let sock = udp();
    let me = sock.local_addr().unwrap();
    let got = ask_one_shot(&mut server, &sock, addr, b"hello");
    assert_bytes(&got, b"hi", "服务器的回复");
    let (status, out, _) = server.finish();
    assert!(
        status.success(),
        "原文的服务器收一个数据报就退出, 退出码应为 0"
    );
    assert_eq!(
        out,
        format!("监听中 listening on udp://{addr}\n收到 5 字节, 来自 {me}: hello\n"),
        "服务器应该只打印宣布的那一行和 收到 5 字节, 来自 发送方: hello"
    );
}

#[test]
fn udp_server_shows_invalid_utf8_and_outlives_a_vanished_client() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_server", "坏的 UTF-8 用 from_utf8_lossy 显示成 �, 不能 panic; 发送方已经关掉也不影响下一个");
    let (mut server, addr) = Proc::server(UDP_SERVER, &["--port", "0", "--forever"]);
    let gone = vanish_after_sending(addr, b"\xff\xfeok");
    server.wait_out(
        &format!("收到 4 字节, 来自 {gone}: \u{FFFD}\u{FFFD}ok\n"),
        "不是 UTF-8 的 4 个字节显示成 ��ok",
    );
    let sock = udp();
    let me = sock.local_addr().unwrap();
    let log = format!("收到 5 字节, 来自 {me}: hello\n");
    let got = ask_logged(&mut server, &sock, addr, b"hello", &log);
    assert_bytes(&got, b"hi", "发送方消失之后, 下一个客户端照样得到 hi");
}

#[test]
fn udp_server_truncates_a_datagram_longer_than_1024_bytes() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_server", "只用数据报的前 1024 字节; 缓冲区要装得下 65536 字节 (Windows 上小缓冲区会报错)");
    let (mut server, addr) = Proc::server(UDP_SERVER, &["--port", "0"]);
    let sock = udp();
    let got = ask_one_shot(&mut server, &sock, addr, &[b'x'; 2000]);
    assert_bytes(&got, b"hi", "长数据报也要回复 hi");
    let (_, out, _) = server.finish();
    assert!(
        out.contains(&format!(": {}\n", "x".repeat(1024))),
        "2000 字节的数据报只应该用 (打印) 前 1024 字节: {out}"
    );
    assert!(
        out.contains("收到 1024 字节"),
        "2000 字节的数据报只应该用前 1024 字节: {out}"
    );
}

#[test]
fn udp_server_listens_on_127_0_0_1_9000_by_default() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_server", "不加参数时像原文一样绑定 127.0.0.1:9000");
    let _only_one = defaults_lock();
    Proc::assert_default_address(UDP_SERVER, &[], "127.0.0.1:9000");
}

#[test]
fn udp_client_sends_hello_and_prints_reply_and_sender() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_client", "send_to 把 hello 发到服务器, recv_from 收回复, 打印解码后的文字和对方地址");
    let (port, seen) = play_server(1, peer::answer_hi);
    client(UDP_CLIENT)
        .args(["--port", &port.to_string()])
        .assert()
        .success()
        .stdout(format!("hi ('127.0.0.1', {port})\n"));
    let seen = seen.join().unwrap();
    assert_datagrams(&seen, &[b"hello"], "客户端发的数据报");
}

#[test]
fn udp_client_shows_an_invalid_utf8_reply_with_replacement_characters() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_client", "回复用 from_utf8_lossy 解码 (像 decode('utf-8', errors='replace')), 坏字节显示成 �, 不能 panic");
    let (port, _seen) = play_server(1, |_| b"h\xffi".to_vec());
    client(UDP_CLIENT)
        .args(["--port", &port.to_string()])
        .assert()
        .success()
        .stdout(format!("h\u{FFFD}i ('127.0.0.1', {port})\n"));
}

#[test]
fn udp_client_cuts_a_long_reply_to_1024_bytes() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_client", "回复也只用前 1024 字节, 和原文的 recvfrom(1024) 一样");
    let (port, _seen) = play_server(1, |_| vec![b'y'; 2000]);
    client(UDP_CLIENT)
        .args(["--port", &port.to_string()])
        .assert()
        .success()
        .stdout(format!("{} ('127.0.0.1', {port})\n", "y".repeat(1024)));
}

#[test]
fn udp_client_without_a_server_times_out_with_one_clear_line() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_client", "recv_from 之前要 set_read_timeout, 超时后打印一行中文错误并以退出码 1 结束");
    let assert = client(UDP_CLIENT)
        .args(["--port", &silent_port().to_string(), "--timeout", "0.3"])
        .assert()
        .code(1)
        .stderr(contains("等待超时"));
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert_eq!(err.trim().lines().count(), 1, "错误只应该有一行: {err}");
}

#[test]
fn udp_client_sends_to_127_0_0_1_9000_by_default() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_client", "不加参数时像原文一样发到 127.0.0.1:9000");
    assert_client_default(
        UDP_CLIENT,
        &[],
        "",
        "127.0.0.1:9000",
        Some("('127.0.0.1', 9000)"),
    );
}

#[test]
fn pairing_udp_server_and_client() {
    #[rustfmt::skip]
    let _hint = common::hint("pairing", "两端一起跑 (不计分): 服务器回复 hi, 客户端打印 hi 和服务器地址");
    let (server, addr) = Proc::server(UDP_SERVER, &["--port", "0"]);
    let port = addr.port();
    client(UDP_CLIENT)
        .args(["--port", &port.to_string(), "--message", "你好"])
        .assert()
        .success()
        .stdout(format!("hi ('127.0.0.1', {port})\n"));
    let (_, out, _) = server.finish();
    assert!(
        out.contains("收到 6 字节"),
        "你好 是 6 个 UTF-8 字节: {out}"
    );
}

// ---------------------------------------------------------------------------
// udp_hello_server / udp_hello_client: 003 「1.3UDP编程」
// ---------------------------------------------------------------------------

#[test]
fn udp_hello_server_answers_three_names_sent_at_once() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_hello_server", "每个数据报开一个线程, 用 send_to 回复 Hello, <数据>! 给 recv_from 得到的地址");
    let (mut server, addr) = Proc::server(HELLO_SERVER, &["--port", &given_port()]);
    server.wait_out(
        &format!("Bind UDP on {}...\n", addr.port()),
        "原文的 Bind UDP on <端口>... 一行",
    );
    let sock = udp();
    let me = sock.local_addr().unwrap();
    for name in ["Michael", "Tracy", "Sarah"] {
        sock.send_to(name.as_bytes(), addr).unwrap();
    }
    // Three threads print in any order: wait for the third line of ours.
    let line = format!("Received from 127.0.0.1:{}.\n", me.port());
    for _ in 0..3 {
        server.wait_out(&line, "每个数据报的 Received from <ip>:<端口>. 日志");
    }
    let mut got = BTreeSet::new();
    for _ in 0..3 {
        let reply = reply_within(&sock, addr, AFTER_LOG, &server.transcript());
        got.insert(String::from_utf8_lossy(&reply).to_string());
    }
    let want: BTreeSet<String> = ["Hello, Michael!", "Hello, Tracy!", "Hello, Sarah!"]
        .map(String::from)
        .into();
    assert_eq!(got, want, "回复应该是 Hello, <名字>! (逗号, 空格, 感叹号)");
}

#[test]
fn udp_hello_server_puts_the_raw_bytes_back_and_outlives_a_vanished_client() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_hello_server", "回复里放的是收到的字节本身 (原文 b'Hello, %s!' % data), 不要先解码再编码; 只用前 1024 字节; 发送方消失后继续服务");
    let (mut server, addr) = Proc::server(HELLO_SERVER, &["--port", "0"]);
    let gone = vanish_after_sending(addr, b"gone");
    server.wait_out(
        &format!("Received from 127.0.0.1:{}.\n", gone.port()),
        "那个已经消失的客户端的 Received from 日志",
    );
    let sock = udp();
    let log = format!(
        "Received from 127.0.0.1:{}.\n",
        sock.local_addr().unwrap().port()
    );
    let got = ask_logged(&mut server, &sock, addr, b"\xff\xfe", &log);
    assert_bytes(
        &got,
        b"Hello, \xff\xfe!",
        "不是 UTF-8 的两个字节应该原样放进回复",
    );
    let got = ask_logged(&mut server, &sock, addr, &[b'z'; 2000], &log);
    let mut want = b"Hello, ".to_vec();
    want.extend_from_slice(&[b'z'; 1024]);
    want.push(b'!');
    assert!(
        got == want,
        "2000 字节的数据报只用前 1024 字节: 回复应该是 {} 字节, 却是 {} 字节",
        want.len(),
        got.len()
    );
}

#[test]
#[cfg(target_os = "linux")] // RUST_MIN_STACK of a petabyte: every new thread is refused
fn udp_hello_server_survives_a_refused_thread_and_says_so_in_one_line() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_hello_server", "thread::spawn 写在 lesson02::or_skip_datagram 的闭包里: 开不出线程时只是这个数据报不回复, 服务器继续");
    let args = [
        "RUST_MIN_STACK=1125899906842624",
        HELLO_SERVER,
        "--port",
        "0",
    ];
    let (mut server, addr) = Proc::server("env", &args);
    let sock = udp();
    for name in ["Michael", "Tracy"] {
        sock.send_to(name.as_bytes(), addr).unwrap();
        server.wait_err(
            "开不出新线程",
            &format!("系统开不出线程时, 数据报 {name} 的那一行日志"),
        );
    }
    assert!(server.is_running(), "系统开不出线程时服务器不该退出");
    let err = server.stderr();
    assert!(
        !err.contains("panicked"),
        "开不出线程时 stderr 只要一行中文, 不要 panic 的英文信息:\n{err}"
    );
}

#[test]
fn udp_hello_server_listens_on_127_0_0_1_9999_by_default() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_hello_server", "不加参数时像原文一样绑定 127.0.0.1:9999");
    let _only_one = defaults_lock();
    Proc::assert_default_address(HELLO_SERVER, &[], "127.0.0.1:9999");
}

#[test]
fn udp_hello_client_sends_each_name_and_prints_each_answer() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_hello_client", "对每个名字: send_to 发出, recv 收一个回复, 用 from_utf8_lossy 解码后打印一行");
    let (port, seen) = play_server(3, |name| match name {
        b"Tracy" => b"re:Tr\xffacy".to_vec(),
        _ => [b"re:", name].concat(),
    });
    client(HELLO_CLIENT)
        .args(["--port", &port.to_string()])
        .assert()
        .success()
        .stdout("re:Michael\nre:Tr\u{FFFD}acy\nre:Sarah\n");
    assert_datagrams(
        &seen.join().unwrap(),
        &[b"Michael", b"Tracy", b"Sarah"],
        "应该依次发送 Michael, Tracy, Sarah (没有换行)",
    );
}

#[test]
fn udp_hello_client_sends_to_127_0_0_1_9999_by_default() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_hello_client", "不加参数时像原文一样发到 127.0.0.1:9999; 等回复要有超时");
    assert_client_default(HELLO_CLIENT, &[], "", "127.0.0.1:9999", Some("Michael"));
}

#[test]
fn pairing_udp_hello_server_and_client() {
    #[rustfmt::skip]
    let _hint = common::hint("pairing", "两端一起跑 (不计分): 客户端应该依次打印三个 Hello, <名字>!");
    let (_server, addr) = Proc::server(HELLO_SERVER, &["--port", "0"]);
    client(HELLO_CLIENT)
        .args(["--port", &addr.port().to_string()])
        .assert()
        .success()
        .stdout("Hello, Michael!\nHello, Tracy!\nHello, Sarah!\n");
}

// ---------------------------------------------------------------------------
// qq_server / qq_client: 001 「qq聊天」
// ---------------------------------------------------------------------------

#[test]
fn qq_server_replies_with_what_its_stdin_types_and_writes_no_escape_codes_to_a_pipe() {
    #[rustfmt::skip]
    let _hint = common::hint("qq_server", "recv_from 收消息, 打印 来自[ip:port]的一条消息:..., 读一行回复, send_to 发回给这个地址");
    let (mut server, addr) = Proc::server(QQ_SERVER, &["--port", &given_port()]);
    server.type_line("  收到了, 你好  ");
    let sock = udp();
    let me = sock.local_addr().unwrap();
    let log = format!("来自[127.0.0.1:{}]的一条消息:你好 qq\n", me.port());
    let got = ask_logged(&mut server, &sock, addr, "你好 qq".as_bytes(), &log);
    server.wait_out("回复消息: ", "原文 input 的提示 回复消息: (在消息行之后)");
    assert_bytes(
        &got,
        "收到了, 你好".as_bytes(),
        "回复应该是服务器输入的那一行, 去掉两边空白",
    );
    // Not UTF-8, from a client that is gone before the answer: shown lossily,
    // and the server goes on with the next.
    server.type_line("for the gone one");
    let gone = vanish_after_sending(addr, b"\xff\xfe");
    server.wait_out(
        &format!(
            "来自[127.0.0.1:{}]的一条消息:\u{FFFD}\u{FFFD}\n",
            gone.port()
        ),
        "不是 UTF-8 的消息显示成 �� (from_utf8_lossy)",
    );
    server.type_line("second");
    let log = format!("来自[127.0.0.1:{}]的一条消息:again\n", me.port());
    let got = ask_logged(&mut server, &sock, addr, b"again", &log);
    assert_bytes(&got, b"second", "服务器不能因为坏消息或消失的客户端退出");
    let out = server.stdout();
    assert!(
        !out.contains('\x1b'),
        "输出到管道时不应该有颜色转义码: {out:?}"
    );
}

#[test]
fn qq_server_uses_only_the_first_1024_bytes() {
    #[rustfmt::skip]
    let _hint = common::hint("qq_server", "只用数据报的前 1024 字节; 缓冲区要装得下 65536 字节 (Windows 上小缓冲区会报错)");
    let (mut server, addr) = Proc::server(QQ_SERVER, &["--port", "0"]);
    server.type_line("ok");
    let sock = udp();
    let mut long = vec![b'a'; 1024];
    long.extend_from_slice(&[b'b'; 1000]);
    let log = format!("的一条消息:{}\n", "a".repeat(1024));
    let got = ask_logged(&mut server, &sock, addr, &long, &log);
    assert_bytes(&got, b"ok", "长消息也要等用户输入回复");
}

#[test]
fn qq_server_listens_on_127_0_0_1_8081_by_default() {
    #[rustfmt::skip]
    let _hint = common::hint("qq_server", "不加参数时像原文一样绑定 127.0.0.1:8081");
    let _only_one = defaults_lock();
    Proc::assert_default_address(QQ_SERVER, &[], "127.0.0.1:8081");
}

/// Runs `bin args` on a pseudo-terminal through util-linux `script`, so that its
/// stdout is a terminal (std alone cannot open one without FFI); `env` sets or
/// clears NO_COLOR. Linux only: macOS's `script` takes other flags.
#[cfg(target_os = "linux")]
fn on_a_terminal(bin: &str, args: &[&str], no_color: Option<&str>) -> (Proc, SocketAddr) {
    let env = match no_color {
        Some(v) => format!("env NO_COLOR='{v}'"),
        None => "env -u NO_COLOR".to_string(),
    };
    let cmd = format!("{env} '{bin}' {}", args.join(" "));
    Proc::server("script", &["-qec", &cmd, "/dev/null"])
}

#[cfg(target_os = "linux")]
#[test]
fn qq_server_colours_the_message_on_a_terminal_unless_no_color() {
    #[rustfmt::skip]
    let _hint = common::hint("qq_server", "在终端上, 消息要像原文一样用 \\x1b[1;44m ... \\x1b[0m 包起来 (蓝底粗体); 设置了 NO_COLOR 时不加");
    for (no_color, coloured) in [(None, true), (Some("1"), false), (Some(""), true)] {
        let (mut server, addr) = on_a_terminal(QQ_SERVER, &["--port", "0"], no_color);
        let sock = udp();
        let port = sock.local_addr().unwrap().port();
        sock.send_to("你好".as_bytes(), addr).unwrap();
        let want = if coloured {
            "\x1b[1;44m你好\x1b[0m"
        } else {
            "你好"
        };
        let what = match no_color {
            None => "终端上, 消息应该是蓝底粗体 (\\x1b[1;44m你好\\x1b[0m)".to_string(),
            Some(v) => format!("NO_COLOR={v:?} 时"),
        };
        let prefix = format!("来自[127.0.0.1:{port}]的一条消息:");
        assert_eq!(
            rest_of_line(&mut server, &prefix),
            want,
            "{what}: 消息行里 {prefix} 后面的部分不对"
        );
    }
}

/// Waits for `prefix` and the end of its line on a terminal (`\r\n`), and returns
/// what stands between them.
#[cfg(target_os = "linux")]
fn rest_of_line(p: &mut Proc, prefix: &str) -> String {
    p.wait_out(prefix, &format!("以 {prefix} 开头的一行"));
    p.wait_out("\r\n", &format!("以 {prefix} 开头的那一行的结尾"));
    let out = p.stdout();
    let at = out.rfind(prefix).unwrap() + prefix.len();
    let end = out[at..].find("\r\n").map_or(out.len(), |e| at + e);
    out[at..end].to_string()
}

#[test]
fn qq_client_chats_goes_back_to_choosing_on_q_and_knows_extra_contacts() {
    #[rustfmt::skip]
    let _hint = common::hint("qq_client", "内层循环: send_to 发给选中的联系人, recv_from 收回复并打印; q 回到选择联系人");
    // Two UDP "friends" played by the test; each answers `re:<message>`.
    let server = udp();
    let friend = udp();
    let (s_port, f_addr) = (
        server.local_addr().unwrap().port(),
        friend.local_addr().unwrap(),
    );
    let answer = |sock: UdpSocket, times: usize| {
        thread::spawn(move || {
            let mut seen = Vec::new();
            for _ in 0..times {
                let mut buf = [0u8; 1024];
                let (n, from) = sock
                    .recv_from(&mut buf)
                    .expect("10 秒内没有收到 qq_client 发来的消息");
                let mut reply = b"re:".to_vec();
                reply.extend_from_slice(&buf[..n]);
                if &buf[..n] == b"second" {
                    reply.push(0xff); // not UTF-8: shown as U+FFFD
                }
                sock.send_to(&reply, from).unwrap();
                seen.push(String::from_utf8_lossy(&buf[..n]).to_string());
            }
            seen
        })
    };
    let (s, f) = (answer(server, 2), answer(friend, 1));
    let assert = client(QQ_CLIENT)
        .args([
            "--port",
            &s_port.to_string(),
            "--contact",
            &format!("老王={f_addr}"),
        ])
        .write_stdin("egg\nhello\n\nq\nnobody\nyuan\nsecond\nq\n老王\nhi wang\n")
        .assert()
        .success()
        .stdout(contains(format!(
            "来自[127.0.0.1:{s_port}]的一条消息:re:hello\n"
        )))
        .stdout(contains("没有这个联系人: `nobody`"))
        .stdout(contains(
            "请选择聊天对象: 请输入消息,回车发送,输入q结束和他的聊天: ",
        ))
        .stdout(contains(format!(
            "来自[127.0.0.1:{s_port}]的一条消息:re:second\u{FFFD}\n"
        )))
        .stdout(contains(format!("来自[{f_addr}]的一条消息:re:hi wang\n")))
        .stdout(contains('\x1b').not());
    drop(assert);
    assert_eq!(
        s.join().unwrap(),
        ["hello", "second"],
        "空消息不发送; q 之后选 yuan, 还是发到服务器"
    );
    assert_eq!(
        f.join().unwrap(),
        ["hi wang"],
        "--contact 加的联系人收到了消息"
    );
}

#[test]
fn qq_client_sends_to_127_0_0_1_8081_by_default() {
    #[rustfmt::skip]
    let _hint = common::hint("qq_client", "原文通讯录里的四个名字都指向 127.0.0.1:8081");
    assert_client_default(
        QQ_CLIENT,
        &[],
        "egg\nhello\nq\n",
        "127.0.0.1:8081",
        Some("来自[127.0.0.1:8081]"),
    );
}

#[test]
fn qq_client_says_the_server_did_not_answer_and_goes_on_chatting() {
    #[rustfmt::skip]
    let _hint = common::hint("qq_client", "recv_from 前设置超时; 没等到回复时说是对方 (服务器) 没有回应, 然后继续聊");
    let assert = client(QQ_CLIENT)
        .args(["--port", &silent_port().to_string(), "--timeout", "0.3"])
        .write_stdin("egg\nhello\nq\n")
        .assert()
        .success();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        err.contains("等待超时") && err.contains("egg"),
        "没有回复时应该说是对方 (服务器) 没有回应: {err}"
    );
    assert!(
        !err.contains("客户端"),
        "没有回复的是服务器, 不是客户端: {err}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn qq_client_colours_the_reply_on_a_terminal() {
    #[rustfmt::skip]
    let _hint = common::hint("qq_client", "在终端上, 回复要像原文一样用 \\x1b[1;44m ... \\x1b[0m 包起来 (蓝底粗体); 管道里不加");
    let (port, _seen) = play_server(1, |_| b"hi".to_vec());
    let mut qq = on_a_terminal_client(QQ_CLIENT, &["--port", &port.to_string()]);
    qq.type_line("egg");
    qq.type_line("hello");
    let prefix = format!("来自[127.0.0.1:{port}]的一条消息:");
    assert_eq!(
        rest_of_line(&mut qq, &prefix),
        "\x1b[1;44mhi\x1b[0m",
        "终端上, 回复应该是蓝底粗体 (\\x1b[1;44mhi\\x1b[0m)"
    );
}

/// Like [`on_a_terminal`], for a client: no announcement to wait for.
#[cfg(target_os = "linux")]
fn on_a_terminal_client(bin: &str, args: &[&str]) -> Proc {
    let cmd = format!("env -u NO_COLOR '{bin}' {}", args.join(" "));
    Proc::spawn("script", &["-qec", &cmd, "/dev/null"])
}

// ---------------------------------------------------------------------------
// time_server / time_client: 001 「时间服务器」
// ---------------------------------------------------------------------------

/// Seconds since 1970, now, from the test's own clock.
fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Asks the time server with `fmt` and checks the answer is `want_fmt` formatted
/// (by the test's own UTC formatter) at some second between asking and answering.
fn assert_time_answer(
    server: &mut Proc,
    sock: &UdpSocket,
    to: SocketAddr,
    fmt: &[u8],
    want_fmt: &str,
) {
    let before = unix_now();
    let log = format!(
        "===> {} 字节 bytes: {}\n",
        fmt.len(),
        String::from_utf8_lossy(fmt)
    );
    let got = ask_logged(server, sock, to, fmt, &log);
    let after = unix_now();
    let got = String::from_utf8_lossy(&got).to_string();
    let candidates: Vec<String> = (before..=after)
        .map(|t| peer::utc_format(want_fmt, t as u64))
        .collect();
    assert!(
        candidates.contains(&got),
        "格式 {} 应该得到 {} (UTC, 照 {want_fmt}), 却是 {got:?}: 年月日时分秒的顺序对吗?",
        shown(fmt),
        candidates[0]
    );
}

#[test]
fn time_server_answers_an_empty_datagram_with_year_month_day_and_time() {
    #[rustfmt::skip]
    let _hint = common::hint("time_server", "空数据报用原文的 %Y-%m-%d %X (年-月-日 时:分:秒, UTC); 收到的格式用 strftime 写出当前时间");
    let (mut server, addr) = Proc::server(TIME_SERVER, &["--port", &given_port()]);
    let sock = udp();
    assert_time_answer(&mut server, &sock, addr, b"", "%Y-%m-%d %H:%M:%S");
    assert_time_answer(&mut server, &sock, addr, b"%d/%m/%Y", "%d/%m/%Y");
    assert_time_answer(
        &mut server,
        &sock,
        addr,
        "%Q 年份 %Y%%".as_bytes(),
        "%Q 年份 %Y%%",
    );
}

#[test]
fn time_server_answers_bad_utf8_and_long_formats_and_outlives_a_vanished_client() {
    #[rustfmt::skip]
    let _hint = common::hint("time_server", "格式不是 UTF-8 时回一条错误, 不能 panic; 只用前 1024 字节; 发送方消失后继续服务");
    let (mut server, addr) = Proc::server(TIME_SERVER, &["--port", "0"]);
    let sock = udp();
    let year = peer::utc_format("%Y", unix_now() as u64);

    // Not UTF-8: answered with an error, and the server goes on.
    let log = "===> 3 字节 bytes: %Y\u{FFFD}\n";
    let bad = String::from_utf8(ask_logged(&mut server, &sock, addr, b"%Y\xff", log)).unwrap();
    assert!(bad.contains("不是 UTF-8"), "{bad}");

    // A client that is gone before the answer.
    vanish_after_sending(addr, b"%H");
    server.wait_out(
        "===> 2 字节 bytes: %H\n",
        "那个已经消失的客户端的 ===> 一行",
    );

    // 1000 × "%Y" is 2000 bytes; only the first 1024 arrive: 512 years.
    let log = format!("===> 1024 字节 bytes: {}\n", "%Y".repeat(512));
    let long = ask_logged(&mut server, &sock, addr, "%Y".repeat(1000).as_bytes(), &log);
    assert!(
        long == year.repeat(512).as_bytes(),
        "2000 字节的格式只用前 1024 字节 (512 个 %Y): 回复有 {} 字节, 应该是 {}",
        long.len(),
        year.len() * 512
    );
    let log = "===> 2 字节 bytes: %Y\n";
    let got = ask_logged(&mut server, &sock, addr, b"%Y", log);
    assert_bytes(
        &got,
        year.as_bytes(),
        "收到坏数据报和长数据报之后服务器应该继续服务",
    );
}

#[test]
fn time_server_listens_on_127_0_0_1_9000_by_default() {
    #[rustfmt::skip]
    let _hint = common::hint("time_server", "不加参数时绑定 127.0.0.1:9000 (原文的地址, 补上它漏掉的逗号)");
    let _only_one = defaults_lock();
    Proc::assert_default_address(TIME_SERVER, &[], "127.0.0.1:9000");
}

#[test]
fn time_server_applies_a_positive_and_a_negative_utc_offset() {
    #[rustfmt::skip]
    let _hint = common::hint("time_server", "--utc-offset 的时差要加到 UTC 时间上: +08:00 是加 8 小时, -05:30 是减 5 小时 30 分");
    for (flag, offset) in [("+08:00", 8 * 3600), ("-05:30", -(5 * 3600 + 30 * 60))] {
        let (mut server, addr) = Proc::server(TIME_SERVER, &["--port", "0", "--utc-offset", flag]);
        let sock = udp();
        // The answer is checked against the minute before and after asking, so a
        // minute that turns while the datagram travels cannot fail the test.
        let before = unix_now() + offset;
        let log = "===> 5 字节 bytes: %H:%M\n";
        let got = String::from_utf8(ask_logged(&mut server, &sock, addr, b"%H:%M", log)).unwrap();
        let after = unix_now() + offset;
        let hm = |t: i64| {
            format!(
                "{:02}:{:02}",
                t.rem_euclid(86_400) / 3600,
                t.rem_euclid(3600) / 60
            )
        };
        assert!(
            got == hm(before) || got == hm(after),
            "--utc-offset {flag}: 应该是 {} 左右, 却是 {got}",
            hm(before)
        );
    }
}

#[test]
fn time_client_sends_the_format_and_prints_the_answer() {
    #[rustfmt::skip]
    let _hint = common::hint("time_client", "把格式 (没有就发空数据报) 用 send_to 发给服务器, recv 收回复, 用 from_utf8_lossy 解码后打印");
    let (port, seen) = play_server(3, |fmt| [b"time:", fmt].concat());
    let port = port.to_string();
    client(TIME_CLIENT)
        .args(["--port", &port])
        .assert()
        .success()
        .stdout("time:\n");
    client(TIME_CLIENT)
        .args(["--port", &port, "%A", "%j"])
        .assert()
        .success()
        .stdout("time:%A %j\n");
    client(TIME_CLIENT)
        .args(["--port", &port, "bad"])
        .assert()
        .success()
        .stdout("time:bad\n");
    assert_datagrams(
        &seen.join().unwrap(),
        &[b"", b"%A %j", b"bad"],
        "没有格式时发空数据报, 有格式时发格式本身",
    );
}

#[test]
fn time_client_shows_an_invalid_utf8_answer_with_replacement_characters() {
    #[rustfmt::skip]
    let _hint = common::hint("time_client", "回复用 from_utf8_lossy 解码, 坏字节显示成 �, 不能 panic");
    let (port, _seen) = play_server(1, |_| b"12\xff34".to_vec());
    client(TIME_CLIENT)
        .args(["--port", &port.to_string()])
        .assert()
        .success()
        .stdout("12\u{FFFD}34\n");
}

#[test]
fn time_client_without_a_server_times_out() {
    #[rustfmt::skip]
    let _hint = common::hint("time_client", "等回复前要 set_read_timeout, 超时后打印一行中文错误并以退出码 1 结束");
    client(TIME_CLIENT)
        .args(["--port", &silent_port().to_string(), "--timeout", "0.3"])
        .assert()
        .code(1)
        .stderr(contains("等待超时"));
}

#[test]
fn time_client_asks_127_0_0_1_9000_by_default() {
    #[rustfmt::skip]
    let _hint = common::hint("time_client", "不加参数时发到时间服务器的 127.0.0.1:9000");
    // Whatever answers there (a time server, or udp_server's hi) is printed without
    // an address; nobody there: the error line names the address.
    assert_client_default(TIME_CLIENT, &[], "", "127.0.0.1:9000", None);
}

#[test]
fn pairing_time_server_and_client() {
    #[rustfmt::skip]
    let _hint = common::hint("pairing", "两端一起跑 (不计分): 客户端应该打印服务器回复的时间");
    let (_server, addr) = Proc::server(TIME_SERVER, &["--port", "0", "--utc-offset", "+08:00"]);
    let port = addr.port().to_string();
    let assert = client(TIME_CLIENT)
        .args(["--port", &port, "%Y-%m-%d"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout)
        .trim()
        .to_string();
    assert_eq!(out.len(), 10, "应该是 年-月-日: {out:?}");
    client(TIME_CLIENT)
        .args(["--port", &port, "%p"])
        .assert()
        .success()
        .stdout(contains("AM").or(contains("PM")));
}

// ---------------------------------------------------------------------------
// The ready-made peers (common::peers::lesson02) speak the texts' bytes
// ---------------------------------------------------------------------------

/// Runs a fake server's answer through [`peer::serve`] on a loopback socket that
/// stops after a second of silence; returns its address.
fn fake_server(answer: fn(&[u8]) -> Vec<u8>) -> SocketAddr {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
    let addr = sock.local_addr().unwrap();
    thread::spawn(move || peer::serve(&sock, answer));
    addr
}

#[test]
fn pairing_peer_servers_answer_with_the_texts_bytes() {
    #[rustfmt::skip]
    let _hint = common::hint("pairing", "现成的假服务器 (cargo grade peer) 要按原文的字节回答");
    let sock = udp();
    let ask = |to: SocketAddr, msg: &[u8]| {
        sock.send_to(msg, to).unwrap();
        reply_within(&sock, to, common::DEADLINE, "(假服务器)")
    };
    let got = ask(fake_server(peer::answer_hi), b"hello");
    assert_bytes(&got, b"hi", "001 的服务器");
    let got = ask(fake_server(peer::answer_hello), b"Mi\xffchael");
    assert_bytes(&got, b"Hello, Mi\xffchael!", "003 的服务器");
    let got = ask(fake_server(peer::answer_qq), "你好".as_bytes());
    assert_bytes(&got, "收到: 你好".as_bytes(), "自动回复的 qq 服务器");
    let time = fake_server(peer::answer_time);
    let got = String::from_utf8(ask(time, b"")).unwrap();
    let shape = "dddd-dd-dd dd:dd:dd";
    assert!(
        got.len() == shape.len()
            && got.chars().zip(shape.chars()).all(|(c, p)| match p {
                'd' => c.is_ascii_digit(),
                _ => c == p,
            }),
        "空数据报应该得到 年-月-日 时:分:秒: {got:?}"
    );
    assert_eq!(
        peer::utc_format("%Y-%m-%d %X %%", 951_782_400),
        "2000-02-29 00:00:00 %"
    );
    assert_eq!(
        peer::utc_format("%d.%m.%Y %H:%M:%S %Q", 1_700_000_000),
        "14.11.2023 22:13:20 %Q"
    );
    // 假服务器要认识时间服务器认识的每个指令 (练习里举的例子 '%A %j' 也在内)。
    let every = "%Y-%m-%d %X|%x|%y|%j|%a %A|%b %B|%p|%%|%Q|%";
    for t in [0, 951_782_400, 1_700_000_000, 1_709_251_199, 4_102_444_799] {
        assert_eq!(
            peer::utc_format(every, t as u64),
            lesson02::timefmt::strftime(every, t, 0),
            "假时间服务器和时间服务器对 {t} 秒的回答不一样"
        );
    }
    assert_eq!(peer::utc_format("%A %j", 1_700_000_000), "Tuesday 318");
}

/// A test's own UDP server for a fake client: records the `times` datagrams that
/// arrive (each within 10 s) and answers each with `answer`.
fn recording_server(
    times: usize,
    answer: fn(&[u8]) -> Vec<u8>,
) -> (SocketAddr, thread::JoinHandle<Vec<Vec<u8>>>) {
    let sock = udp();
    let addr = sock.local_addr().unwrap();
    let handle = thread::spawn(move || {
        let mut seen = Vec::new();
        let mut buf = vec![0u8; 65_536];
        for _ in 0..times {
            let Ok((n, from)) = sock.recv_from(&mut buf) else {
                break; // the peer sent fewer: the comparison says so
            };
            sock.send_to(&answer(&buf[..n]), from).unwrap();
            seen.push(buf[..n].to_vec());
        }
        seen
    });
    (addr, handle)
}

#[test]
fn pairing_peer_clients_send_the_texts_bytes() {
    #[rustfmt::skip]
    let _hint = common::hint("pairing", "现成的假客户端 (cargo grade peer) 要按原文的字节发送");
    let run = |program: &str, times: usize, answer: fn(&[u8]) -> Vec<u8>| {
        let peer = common::peers::find(program).expect("每个服务器练习都有对端");
        let (addr, seen) = recording_server(times, answer);
        (peer.run)("127.0.0.1", addr.port()).unwrap_or_else(|e| panic!("{program} 的对端: {e}"));
        seen.join().unwrap()
    };
    let got = run("udp_server", 1, peer::answer_hi);
    assert_datagrams(&got, &[b"hello"], "udp_server 的对端");
    let got = run("udp_hello_server", 3, peer::answer_hello);
    let names: [&[u8]; 3] = [b"Michael", b"Tracy", b"Sarah"];
    assert_datagrams(&got, &names, "udp_hello_server 的对端");
    let got = run("qq_server", 1, peer::answer_hi);
    assert_datagrams(&got, &["你好".as_bytes()], "qq_server 的对端");
    let got = run("time_server", 2, peer::answer_time);
    assert_datagrams(&got, &[b"", b"%Y"], "time_server 的对端");
    // Fake clients say in one line when nobody answers (a short wait here).
    let (sock, to) = peer::client_socket("127.0.0.1", silent_port()).unwrap();
    let err = peer::exchange(&sock, to, b"hello", Duration::from_millis(300)).unwrap_err();
    assert!(
        err.contains("没有收到") || err.contains("没有服务器"),
        "{err}"
    );
}

#[test]
fn pairing_every_lesson02_exercise_with_another_end_has_a_peer_at_its_default_address() {
    #[rustfmt::skip]
    let _hint = common::hint("pairing", "每个有另一端的练习都要有一个对端, 默认地址和练习的一样");
    let want = [
        ("udp_send", 8080),
        ("udp_client", 9000),
        ("udp_server", 9000),
        ("udp_hello_client", 9999),
        ("udp_hello_server", 9999),
        ("qq_client", 8081),
        ("qq_server", 8081),
        ("time_client", 9000),
        ("time_server", 9000),
    ];
    for (program, port) in want {
        let p = common::peers::find(program).unwrap_or_else(|| panic!("{program} 没有对端"));
        assert_eq!((p.host, p.port), ("127.0.0.1", port), "{program}");
    }
}

// ---------------------------------------------------------------------------
// udp_loss (beyond the texts; no exercise)
// ---------------------------------------------------------------------------

/// The number after `label` in `text` (e.g. `received 300`).
fn number_after(text: &str, label: &str) -> usize {
    let at = text
        .find(label)
        .unwrap_or_else(|| panic!("{label} in {text}"))
        + label.len();
    text[at..]
        .trim_start()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn udp_loss_reports_received_at_most_sent_and_tcp_delivers_all() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_loss", "数一数: 发出的, 收到的, 丢失 = 发出 - 收到");
    let assert = client(UDP_LOSS)
        .args(["--count", "300", "--delay-us", "100"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    let udp_line = out
        .lines()
        .find(|l| l.starts_with("UDP:"))
        .expect("应该有一行以 UDP: 开头的统计");
    let tcp_line = out
        .lines()
        .find(|l| l.starts_with("TCP:"))
        .expect("应该有一行以 TCP: 开头的统计");
    assert_eq!(number_after(udp_line, "sent"), 300, "{udp_line}");
    let received = number_after(udp_line, "received");
    assert!(
        (1..=300).contains(&received),
        "第一个数据报总能放进空的接收缓冲区, 所以收到的在 1 到 300 之间: {udp_line}"
    );
    for line in [udp_line, tcp_line] {
        let (sent, got, lost) = (
            number_after(line, "sent"),
            number_after(line, "received"),
            number_after(line, "lost"),
        );
        assert_eq!(lost, sent - got, "丢失应该等于 发出 - 收到: {line}");
        let percent = format!("({:.1}%)", 100.0 * lost as f64 / sent as f64);
        assert!(line.contains(&percent), "丢失比例应该是 {percent}: {line}");
    }
    assert_eq!(number_after(tcp_line, "sent"), 300, "{tcp_line}");
    assert_eq!(
        number_after(tcp_line, "received"),
        300,
        "TCP 不丢: {tcp_line}"
    );
}

#[test]
fn udp_loss_refuses_a_count_of_zero_and_sizes_out_of_range() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_loss", "--count 至少 1, --size 在 4 到 65000 之间, 否则一行中文错误, 退出码 1");
    for args in [
        ["--count", "0", "--size", "100"],
        ["--count", "1", "--size", "3"],
        ["--count", "1", "--size", "65001"],
    ] {
        client(UDP_LOSS)
            .args(args)
            .assert()
            .code(1)
            .stderr(contains("--count 至少为 1"));
    }
    let assert = client(UDP_LOSS)
        .args(["--count", "1", "--size", "4"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        out.contains("UDP: 发出 sent 1, 收到 received 1, 丢失 lost 0 (0.0%)"),
        "一个 4 字节的数据报发到空的缓冲区, 一定收到: {out}"
    );
}
