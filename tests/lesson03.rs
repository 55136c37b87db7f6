//! Lesson 03, 多线程并发: concurrency is proven by holding connections open, not
//! assumed. Servers run with `--pause 0` (the text's 1 s pause is the default).
//!
//! Every wait is bounded: reads and connects by [`common::DEADLINE`], the tests'
//! own `accept` by [`accept_within`] (by [`accept_from`] when it waits for a
//! client program: that one also stops when the program has exited), calls into the `socketserver` module by
//! [`within`]. A failure says in plain Chinese what was awaited and what the
//! likely mistake is; the hint guard at the top of each test names the program.

mod common;

use common::peers::lesson03 as peers;
use common::{accept_from, client, connect, Beside, Proc, DEADLINE};
use lesson03::socketserver::{BaseRequestHandler, Request, ThreadingTCPServer};
use predicates::str::contains;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::channel;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

const SERVER: &str = env!("CARGO_BIN_EXE_server");
const CLIENT: &str = env!("CARGO_BIN_EXE_client");
const ECHO_SERVER: &str = env!("CARGO_BIN_EXE_echo_server");
const SOCKETSERVER: &str = env!("CARGO_BIN_EXE_socketserver");
const POOL_SERVER: &str = env!("CARGO_BIN_EXE_pool_server");
const LOAD: &str = env!("CARGO_BIN_EXE_load");
const BASELINE_SERVER: &str = env!("CARGO_BIN_EXE_baseline_server");

/// How long a client must see nothing to count as "kept waiting". Only used to
/// show an absence; the presence that follows is awaited with the full deadline.
const QUIET: Duration = Duration::from_millis(400);

/// The likely mistake when the first client is not greeted.
const WELCOME: &str = "连上以后服务器要先发出 Welcome! (tcplink 的第一件事)";
/// The likely mistake when a second client finds the server gone.
const ONLY_ONE: &str = "服务器只服务了一个客户端就关闭了? accept 要写在永久循环 loop 里";
/// The likely mistake when a second client is kept waiting.
const ONE_AT_A_TIME: &str =
    "服务器是不是一个接一个地服务客户端? 每个客户端要开一个新线程, 主线程马上回去 accept";

fn secs() -> u64 {
    DEADLINE.as_secs()
}

fn shown(bytes: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(bytes))
}

/// Why a read failed, in plain words: a timeout (after `waited`), a close or a reset.
fn why_not(r: &io::Result<usize>, waited: Duration) -> String {
    match r {
        Ok(_) => "连接被关闭了".to_string(),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            format!("{} 秒内没有收到", waited.as_secs_f64())
        }
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
            ) =>
        {
            "连接被重置了 (reset)".to_string()
        }
        Err(e) => format!("读取出错 ({e})"),
    }
}

/// The failure when reading stopped early (a timeout, a close or a reset):
/// `likely` (a guess such as [`ONLY_ONE`]) only when nothing at all came; when
/// some bytes came, what they were: then the reply is short, not missing.
fn stopped_early(what: &str, why: &str, n: usize, got: &[u8], likely: &str) -> String {
    if got.is_empty() {
        format!("等待{what}: {why}, 什么也没收到。{likely}")
    } else {
        let head = &got[..got.len().min(200)];
        format!(
            "等待{what}: {why}; 期待 {n} 字节, 只收到 {} 字节 {}: 后面的部分没有发过来",
            got.len(),
            shown(head)
        )
    }
}

/// Reads exactly `n` bytes; on a timeout, a close or a reset panics with what
/// was awaited (`what`, e.g. "服务器的 Welcome!"), what came, and `likely`.
fn receive(s: &mut TcpStream, n: usize, what: &str, likely: &str) -> Vec<u8> {
    let mut got = Vec::with_capacity(n.min(1 << 20));
    let mut buf = vec![0u8; 64 * 1024];
    while got.len() < n {
        let want = (n - got.len()).min(buf.len());
        let r = s.read(&mut buf[..want]);
        match r {
            Ok(k) if k > 0 => got.extend_from_slice(&buf[..k]),
            Err(ref e) if e.kind() == ErrorKind::Interrupted => {}
            _ => panic!(
                "{}",
                stopped_early(what, &why_not(&r, DEADLINE), n, &got, likely)
            ),
        }
    }
    got
}

/// How long something that follows at once may take on a loaded machine: a
/// close after a 0.3 s idle timeout, a log line after a client left.
const SOON: Duration = Duration::from_secs(3);

/// Waits at most [`SOON`] for `needle` in the server's output (a bounded poll of
/// what [`Proc`] gathered); fails with `what` when it has not come.
fn wait_out_soon(server: &mut Proc, needle: &str, what: &str) {
    let until = Instant::now() + SOON;
    while !server.stdout().contains(needle) {
        if Instant::now() >= until {
            panic!(
                "{} 秒内没有看到{what} `{needle}`。服务器打印的是:\n{}",
                SOON.as_secs(),
                server.stdout()
            );
        }
        thread::sleep(Duration::from_millis(10)); // a bounded poll
    }
}

/// How long the rest of a short reply may take once its first bytes came: a
/// reply written at once arrives at once, so a reply that stops short (the
/// last byte left out) fails after this, not after the whole deadline.
const REST: Duration = Duration::from_secs(3);

/// Reads `want.len()` bytes and compares them with `want`. Fails at once when
/// what came so far cannot be the start of `want` (then it says what came,
/// not the `likely` guess, which is for a reply that never came), and after
/// [`REST`] when the reply began but stopped short.
fn expect(s: &mut TcpStream, want: &[u8], what: &str, likely: &str) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let mut waited = DEADLINE;
    while got.len() < want.len() {
        let room = (want.len() - got.len()).min(buf.len());
        let r = s.read(&mut buf[..room]);
        match r {
            Ok(k) if k > 0 => got.extend_from_slice(&buf[..k]),
            Err(ref e) if e.kind() == ErrorKind::Interrupted => continue,
            _ => {
                let _ = s.set_read_timeout(Some(DEADLINE));
                let what = format!("{what} {}", shown(want));
                panic!(
                    "{}",
                    stopped_early(&what, &why_not(&r, waited), want.len(), &got, likely)
                )
            }
        }
        if !want.starts_with(&got) {
            break;
        }
        if waited != REST && got.len() < want.len() {
            waited = REST;
            s.set_read_timeout(Some(REST)).unwrap();
        }
    }
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    if got == want {
        return;
    }
    // Show the whole wrong reply, not only its first piece: whatever else
    // arrives within a moment (a short wait, for the message only).
    let _ = s.set_read_timeout(Some(Duration::from_millis(200)));
    while got.len() < want.len() + 64 {
        match s.read(&mut buf[..64]) {
            Ok(k) if k > 0 => got.extend_from_slice(&buf[..k]),
            _ => break,
        }
    }
    let _ = s.set_read_timeout(Some(DEADLINE));
    let same = got.iter().zip(want).take_while(|(a, b)| a == b).count();
    let hint = if got.eq_ignore_ascii_case(want) {
        "只差大小写: 是不是忘了转大写 (to_ascii_uppercase), 或者不该转?".to_string()
    } else if same == 0 && (got.starts_with(b"\n") || got.starts_with(b"\r\n")) {
        "开头多了一个换行, 多半是上一个回复的结尾: 回复要正好是原文的字节, 后面不加 \"\\n\""
            .to_string()
    } else {
        format!("从第 {} 个字节起不一样", same + 1)
    };
    panic!(
        "期待{what} {}, 收到的却是 {}: {hint}",
        shown(want),
        shown(&got)
    );
}

/// Sends `msg` and expects `want` back from the server.
fn send_expect(s: &mut TcpStream, msg: &[u8], want: &[u8], likely: &str) {
    s.write_all(msg)
        .unwrap_or_else(|e| panic!("发送 {} 失败: {e}。{likely}", shown(msg)));
    expect(s, want, &format!("对 {} 的回复", shown(msg)), likely);
    // Bytes that already came after the reply (`Hello, Ann!\n` sent in one write):
    // a look without waiting, so a correct server costs nothing here.
    let mut extra = [0u8; 64];
    let _ = s.set_nonblocking(true);
    let more = s.read(&mut extra);
    let _ = s.set_nonblocking(false);
    if let Ok(k @ 1..) = more {
        panic!(
            "对 {} 的回复应该正好是 {}, 它后面却还多了 {}: 回复里只放原文的那几个字节, 不要加 \"\\n\" 或别的。",
            shown(msg),
            shown(want),
            shown(&extra[..k])
        );
    }
}

/// Expects the server to close the connection (end of file) and send nothing more.
fn expect_closed(s: &mut TcpStream, after: &str, likely: &str) {
    let waited = s.read_timeout().ok().flatten().unwrap_or(DEADLINE);
    let mut rest = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) if rest.len() < 1024 => rest.extend_from_slice(&buf[..n]),
            Ok(_) => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            // A reset is a close too, only a rough one.
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
                ) =>
            {
                break
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!(
                    "{after}, {} 秒内服务器没有关闭连接。{likely}",
                    waited.as_secs_f64()
                )
            }
            Err(e) => panic!("{after}, 读取出错: {e}。{likely}"),
        }
    }
    let tail = if rest.starts_with(b"\n") || rest.starts_with(b"\r\n") {
        " 多出来的换行多半是上一个回复的结尾: 回复要正好是原文的字节, 后面不加 \"\\n\"。"
    } else {
        ""
    };
    assert!(
        rest.is_empty(),
        "{after}, 服务器关闭连接前还发来了 {}。{tail}{likely}",
        shown(&rest)
    );
}

/// Asserts that nothing arrives on `s` for [`QUIET`].
fn assert_kept_waiting(s: &mut TcpStream, what: &str) {
    s.set_read_timeout(Some(QUIET)).unwrap();
    let mut buf = [0u8; 16];
    match s.read(&mut buf) {
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
        Ok(n) => panic!("{what}应该还在等, 却收到了 {}", shown(&buf[..n])),
        Err(e) => panic!("{what}应该还在等, 却出错了: {e}"),
    }
    s.set_read_timeout(Some(DEADLINE)).unwrap();
}

/// The test's own `accept`, bounded: polls a non-blocking listener until the
/// deadline, so a program that never connects fails the test instead of hanging it.
fn accept_within(listener: &TcpListener, what: &str) -> TcpStream {
    listener.set_nonblocking(true).unwrap();
    let until = Instant::now() + DEADLINE;
    loop {
        match listener.accept() {
            Ok((s, _)) => {
                s.set_nonblocking(false).unwrap();
                s.set_read_timeout(Some(DEADLINE)).unwrap();
                s.set_write_timeout(Some(DEADLINE)).unwrap();
                return s;
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock && Instant::now() < until => {
                thread::sleep(Duration::from_millis(5)); // a bounded poll
            }
            Err(e) => panic!("{} 秒内{what}没有连上来 ({e})", secs()),
        }
    }
}

/// Runs `f` in a thread and waits for its result at most the deadline: a call
/// that never returns (a `shutdown` that does nothing) fails instead of hanging.
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(DEADLINE)
        .unwrap_or_else(|_| panic!("{} 秒内 {what} 没有返回 (或者出错了)", secs()))
}

/// How long the second client may wait for its first bytes while the first
/// client is connected and silent, before the server counts as one that serves
/// one client at a time: 20 times what the first client's exchange took (a
/// measure of how loaded the machine is), at least 3 s, at most the deadline.
fn second_client_wait(first_took: Duration) -> Duration {
    (first_took * 20).clamp(Duration::from_secs(3), DEADLINE)
}

/// Like [`expect`] for a second client while the first one is connected: fails
/// after [`second_client_wait`] (not the whole deadline) when nothing came,
/// naming the likely mistake, a server that serves one client at a time.
fn expect_beside_first(s: &mut TcpStream, want: &[u8], what: &str, first_took: Duration) {
    let wait = second_client_wait(first_took);
    let until = Instant::now() + wait;
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    while got.len() < want.len() && want.starts_with(&got) {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        s.set_read_timeout(Some(left)).unwrap();
        let room = (want.len() - got.len()).min(buf.len());
        match s.read(&mut buf[..room]) {
            Ok(k) if k > 0 => got.extend_from_slice(&buf[..k]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            _ => break,
        }
    }
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    if got.is_empty() {
        panic!(
            "等待{what} {}: 先连上的客户端还连着, {:.1} 秒内这个客户端什么也没收到。{ONE_AT_A_TIME}",
            shown(want),
            wait.as_secs_f64()
        );
    }
    if got.len() < want.len() && want.starts_with(&got) {
        expect(s, &want[got.len()..], what, ONE_AT_A_TIME);
    } else {
        assert!(
            got == want,
            "期待{what} {}, 收到的却是 {}",
            shown(want),
            shown(&got)
        );
    }
}

// ---------------------------------------------------------------------------
// server (003 「1.2.2服务器」)
// ---------------------------------------------------------------------------

#[test]
fn server_speaks_the_texts_exchange_byte_for_byte() {
    let _hint = common::hint("server", "先发 Welcome!, 每收一次回复 Hello, <消息>!");
    let (mut server, addr) = Proc::server(SERVER, &["--port", "0", "--pause", "0"]);
    let mut s = connect(addr);
    let likely = "tcplink: 先用 write_all 发 Welcome!, 然后循环: read 一次, 回复 Hello, <消息>!";
    expect(&mut s, b"Welcome!", "服务器的", likely);
    send_expect(&mut s, b"Michael", b"Hello, Michael!", likely);
    send_expect(&mut s, b"Tracy", b"Hello, Tracy!", likely);
    send_expect(&mut s, "小明".as_bytes(), "Hello, 小明!".as_bytes(), likely);
    s.write_all(b"exit").unwrap();
    expect_closed(
        &mut s,
        "发了 exit 之后",
        "收到 exit 要 break 出循环, 关闭套接字",
    );
    // The text's three lines, each whole, in the text's order.
    let me = s.local_addr().unwrap();
    let closed = format!("Connection from {me} closed.");
    server.wait_out(&closed, "关闭的日志");
    let want = [
        "Waiting for connection...".to_string(),
        format!("Accept new connection from {me}..."),
        closed,
    ];
    let out = server.stdout();
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| want.iter().any(|w| l.contains(w.as_str())))
        .collect();
    assert_eq!(
        lines,
        want,
        "服务器打印的行要和原文一模一样 (先 Waiting for connection..., 再 Accept new connection from ..., \
         关闭后 Connection from ... closed.)。它打印的是:\n{out}"
    );
}

#[test]
fn server_ends_the_conversation_when_the_client_leaves() {
    let _hint = common::hint("server", "read 返回 0 表示客户端走了: 要 break");
    let (mut server, addr) = Proc::server(SERVER, &["--port", "0", "--pause", "0"]);
    let mut s = connect(addr);
    expect(&mut s, b"Welcome!", "服务器的", "");
    let me = s.local_addr().unwrap();
    drop(s); // leaves without saying exit
    wait_out_soon(
        &mut server,
        &format!("Connection from {me} closed."),
        "客户端不说 exit 就离开后, 服务器关闭连接的日志",
    );
}

#[test]
fn server_answers_invalid_utf8_instead_of_dying() {
    let _hint = common::hint("server", "解码用 String::from_utf8_lossy, 不会出错");
    let (_server, addr) = Proc::server(SERVER, &["--port", "0", "--pause", "0"]);
    let mut s = connect(addr);
    expect(&mut s, b"Welcome!", "服务器的", "");
    let likely = "不是 UTF-8 的字节要用 from_utf8_lossy 显示成 U+FFFD, 不能让线程出错";
    send_expect(&mut s, b"A\xffB", "Hello, A\u{FFFD}B!".as_bytes(), likely);
}

#[test]
fn server_waits_the_texts_second_before_each_reply_by_default() {
    let _hint = common::hint("server", "每次 read 之后 thread::sleep(pause), 默认 1 秒");
    let (_server, addr) = Proc::server(SERVER, &["--port", "0"]);
    let mut s = connect(addr);
    expect(&mut s, b"Welcome!", "服务器的", "");
    let start = Instant::now();
    send_expect(&mut s, b"Ann", b"Hello, Ann!", "");
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(900),
        "没加 --pause 时服务器应该像原文一样停 1 秒再回复, 它却只用了 {took:?}: 忘了 thread::sleep(pause)?"
    );
}

#[test]
fn server_serves_a_second_client_after_the_first_left() {
    let _hint = common::hint("server", "accept 要放在 loop 里: 服务完一个, 回去等下一个");
    let (_server, addr) = Proc::server(SERVER, &["--port", "0", "--pause", "0"]);
    let mut first = connect(addr);
    expect(&mut first, b"Welcome!", "第一个客户端收到的", WELCOME);
    send_expect(
        &mut first,
        b"Ann",
        b"Hello, Ann!",
        "每收到一次消息要回复 Hello, <消息>!",
    );
    first.write_all(b"exit").unwrap();
    expect_closed(
        &mut first,
        "第一个客户端发了 exit 之后",
        "收到 exit 要结束对话",
    );
    let mut second = TcpStream::connect_timeout(&addr, DEADLINE)
        .unwrap_or_else(|e| panic!("第二个客户端连不上 ({e})。{ONLY_ONE}"));
    second.set_read_timeout(Some(DEADLINE)).unwrap();
    expect(&mut second, b"Welcome!", "第二个客户端收到的", ONLY_ONE);
    send_expect(&mut second, b"Bob", b"Hello, Bob!", ONLY_ONE);
}

#[test]
fn two_clients_at_once_the_second_is_welcomed_while_the_first_is_connected() {
    let _hint = common::hint(
        "server",
        "每个客户端开一个线程 (thread::spawn), 不要 join, 主线程马上回去 accept",
    );
    let (_server, addr) = Proc::server(SERVER, &["--port", "0", "--pause", "0"]);
    let start = Instant::now();
    let mut first = connect(addr);
    expect(&mut first, b"Welcome!", "第一个客户端收到的", WELCOME);
    let first_took = start.elapsed();
    let mut second = connect(addr);
    let what = "第一个客户端还连着时, 第二个客户端收到的";
    expect_beside_first(&mut second, b"Welcome!", what, first_took);
    send_expect(&mut second, b"B", b"Hello, B!", ONE_AT_A_TIME);
    send_expect(
        &mut first,
        b"A",
        b"Hello, A!",
        "第一个客户端的线程不该受第二个影响",
    );
}

#[test]
#[cfg(target_os = "linux")] // RUST_MIN_STACK of a petabyte: every new thread is refused
fn server_survives_a_refused_thread_and_says_so_in_one_line() {
    let _hint = common::hint(
        "server",
        "thread::spawn 写在 or_drop_client 的闭包里: 开不出线程时只放弃这个客户端",
    );
    let args = [
        "RUST_MIN_STACK=1125899906842624",
        SERVER,
        "--port",
        "0",
        "--pause",
        "0",
    ];
    let (mut server, addr) = Proc::server("env", &args);
    for round in ["第一个", "第二个"] {
        let mut s = connect(addr);
        expect_closed(
            &mut s,
            &format!("系统开不出线程时, {round}客户端"),
            "开不出线程的客户端要被放弃 (连接关闭), 服务器继续 accept",
        );
    }
    server.wait_err("开不出新线程", "开不出线程的那一行日志");
    assert!(server.is_running(), "系统开不出线程时服务器不该退出");
    let err = server.stderr();
    assert!(
        !err.contains("panicked"),
        "开不出线程时 stderr 只要一行中文, 不要 panic 的英文信息:\n{err}"
    );
}

#[test]
fn server_one_at_a_time_keeps_the_second_client_waiting_until_the_first_leaves() {
    let _hint = common::hint("server", "--one-at-a-time: 不开线程, 直接调 tcplink");
    let args = ["--port", "0", "--pause", "0", "--one-at-a-time"];
    let (_server, addr) = Proc::server(SERVER, &args);
    let mut first = connect(addr);
    expect(&mut first, b"Welcome!", "第一个客户端收到的", "");
    // The connect succeeds (the kernel queues it), but nobody talks to it.
    let mut second = connect(addr);
    assert_kept_waiting(&mut second, "--one-at-a-time 时第二个客户端");
    first.write_all(b"exit").unwrap();
    let likely = "第一个客户端离开后, 服务器要回去 accept 第二个";
    expect(
        &mut second,
        b"Welcome!",
        "第一个离开后第二个客户端收到的",
        likely,
    );
}

#[test]
#[cfg(unix)] // a wider queue needs a second listen (Unix only), and SIGSTOP
fn server_backlog_queues_a_burst_beyond_std_s_128_and_serves_it() {
    let _hint = common::hint("server", "--backlog N 要在 bind 之后调用 backlog::apply");
    let args = ["--port", "0", "--pause", "0", "--backlog", "1024"];
    burst_beyond_128(SERVER, &args, Some(b"Welcome!"), b"Ann", b"Hello, Ann!");
}

#[test]
#[cfg(not(unix))]
fn server_backlog_on_windows_warns_once_and_serves() {
    let _hint = common::hint("server", "Windows 上 --backlog 只打印一行警告, 照常服务");
    // Windows ignores a second listen: one warning line, std's 128, and serving goes on.
    let args = ["--port", "0", "--pause", "0", "--backlog", "1024"];
    let (mut server, addr) = Proc::server(SERVER, &args);
    server.wait_err("警告", "关于 --backlog 的一行警告");
    let mut s = connect(addr);
    expect(
        &mut s,
        b"Welcome!",
        "服务器的",
        "--backlog 不该让服务器退出",
    );
    send_expect(&mut s, b"Ann", b"Hello, Ann!", "");
    assert_eq!(server.stderr().matches("警告").count(), 1, "只要一行警告");
}

#[test]
#[cfg(unix)]
fn server_backs_off_when_descriptors_run_out() {
    let _hint = common::hint("server", "accept 出错时调用 support::accept_failed");
    backs_off_when_descriptors_run_out(
        SERVER,
        &["--port", "0", "--pause", "0"],
        Some(b"Welcome!"),
        b"Ann",
        b"Hello, Ann!",
    );
}

// ---------------------------------------------------------------------------
// client (003 「1.2.2服务器」's client)
// ---------------------------------------------------------------------------

#[test]
fn client_prints_the_welcome_and_the_three_replies() {
    let _hint = common::hint("client", "打印欢迎语, 每个名字发一次读一次, 最后发 exit");
    // The ready-made peer plays 003's server (what `cargo grade peer client` runs).
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || peers::serve_hello(listener));
    client(CLIENT)
        .args(["--port", &port.to_string()])
        .assert()
        .success()
        .stdout("Welcome!\nHello, Michael!\nHello, Tracy!\nHello, Sarah!\n");
}

#[test]
fn client_shows_bad_bytes_as_u_fffd_and_stops_when_the_server_closes() {
    let _hint = common::hint(
        "client",
        "只解码读到的 n 个字节 (from_utf8_lossy); read 返回 0 时报错退出, 不要接着发",
    );
    // The test plays a server that answers the first name with bytes that are not
    // UTF-8, then closes the connection instead of answering the second.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let fake = Beside::spawn(move |ended| {
        let mut s = accept_from(&listener, &ended, "client ");
        s.write_all(b"Welcome!").unwrap();
        expect(&mut s, b"Ann", "client 发来的名字", "每个名字要单独发送");
        s.write_all(b"Hi \xff!").unwrap();
        expect(&mut s, b"Bob", "client 发来的第二个名字", "");
        // Closed here, before any answer to Bob.
    });
    let assert = client(CLIENT)
        .args(["--port", &port.to_string(), "Ann", "Bob", "Cy"])
        .assert();
    fake.join(assert.get_output());
    let out = assert.get_output();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stdout, "Welcome!\nHi \u{FFFD}!\n",
        "坏字节要显示成 U+FFFD (from_utf8_lossy, 只解码读到的 n 个字节); 服务器关闭连接后不能再打印什么"
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "服务器关闭了连接 (read 返回 0), client 要报一行错并以退出码 1 结束:\n{stderr}"
    );
    assert!(
        stderr.contains("服务器关闭了连接") && !stderr.contains("panicked"),
        "服务器关闭连接时要说清楚 (fail), 不要 panic:\n{stderr}"
    );
}

#[test]
fn client_connects_to_the_texts_address_by_default() {
    let _hint = common::hint("client", "不加参数时连接原文的 127.0.0.1:9999");
    // Refused there: the one-line error names it; or something listens there now
    // (another test's server), then the client talked to it and 9999 is busy.
    let want = "127.0.0.1:9999";
    let assert = client(CLIENT).args(["--timeout", "3"]).assert();
    let out = assert.get_output();
    let err = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        assert!(
            TcpListener::bind(want).is_err(),
            "不加参数时应该连接原文的 {want}; 那里没有程序在监听, 它却连上了别处: 默认的地址或端口写错了?"
        );
    } else {
        assert!(
            !err.contains("panicked"),
            "不加参数时 client 连不上应该报一行中文错误, 不是 panic:\n{err}"
        );
        assert!(
            err.contains(want),
            "不加参数时应该连接原文的 {want}; 失败的那一行却没有提到 {want}。默认的地址和端口已经写好了, \
             多半是 or_exit 的说明里少了地址: 要写成 连接 主机:端口 (例如 连接 {want}):\n{err}"
        );
    }
}

#[test]
fn client_sends_each_name_waits_for_its_reply_and_ends_with_exit() {
    let _hint = common::hint("client", "每个名字 write_all 后 read 一次回复; 最后发 exit");
    // The test plays the server, so it sees the exact bytes the client sends, and
    // its replies differ from the real server's: the client must print what came.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let fake = Beside::spawn(move |ended| {
        let mut s = accept_from(&listener, &ended, "client ");
        s.write_all(b"Welcome!").unwrap();
        for (name, reply) in [("Ann", "Hi Ann #1"), ("Bob", "Hi Bob #2")] {
            expect(
                &mut s,
                name.as_bytes(),
                "client 发来的名字",
                "每个名字要单独发送",
            );
            s.write_all(reply.as_bytes()).unwrap();
        }
        expect(&mut s, b"exit", "client 最后发的", "最后要发送 b\"exit\"");
        expect_closed(&mut s, "client 发了 exit 之后", "client 应该关闭连接退出");
    });
    let assert = client(CLIENT)
        .args(["--port", &port.to_string(), "Ann", "Bob"])
        .assert();
    // Every wait of the fake server is bounded, so this join is too; what it
    // found wrong (its panic) is the test's failure, before the client's output.
    fake.join(assert.get_output());
    assert.success().stdout("Welcome!\nHi Ann #1\nHi Bob #2\n");
}

#[test]
fn client_says_clearly_that_no_server_listens() {
    let _hint = common::hint("client", "用 connect_timeout 连接, 失败时 or_exit 说清楚");
    let port = common::closed_port();
    let out = client(CLIENT)
        .args(["--port", &port.to_string()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let want = format!("连接 127.0.0.1:{port}");
    assert_eq!(
        out.status.code(),
        Some(1),
        "没有服务器在听时 client 要报一行错并以退出码 1 结束:\n{err}"
    );
    assert!(
        err.contains(&want),
        "连不上时错误的那一行要说明连的是哪里: 里面要有 {want} (or_exit 的说明写成 连接 主机:端口):\n{err}"
    );
    assert!(
        err.contains("连接被拒绝"),
        "错误的那一行要带上系统给的原因 (连接被拒绝): 把 connect_timeout 的错误交给 or_exit:\n{err}"
    );
}

#[test]
fn client_gives_up_when_the_server_never_greets() {
    let _hint = common::hint("client", "连接后要 set_read_timeout, 不能永远等");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (done_tx, done_rx) = channel::<()>();
    let silent = Beside::spawn(move |ended| {
        let _s = accept_from(&listener, &ended, "client ");
        // Hold the connection, silent, until the client has given up.
        let _ = done_rx.recv_timeout(DEADLINE);
    });
    let assert = client(CLIENT)
        .args(["--port", &port.to_string(), "--timeout", "0.5"])
        .assert();
    let _ = done_tx.send(());
    silent.join(assert.get_output());
    assert.code(1).stderr(contains("等待超时"));
}

// ---------------------------------------------------------------------------
// echo_server (004 「多线程并发」)
// ---------------------------------------------------------------------------

#[test]
fn echo_server_echoes_more_than_a_megabyte_written_in_pieces() {
    let _hint = common::hint("echo_server", "循环 read, 收到 n 字节就 write_all n 字节");
    let (_server, addr) = Proc::server(ECHO_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    let data = common::pattern(1_500_000);
    let mut s = connect(addr);
    let mut writer = s.try_clone().unwrap();
    let sent = data.clone();
    // Write and read at once: otherwise both sides' buffers fill and stall.
    let w = thread::spawn(move || {
        for piece in sent.chunks(10_000) {
            if writer.write_all(piece).is_err() {
                break; // the reading side reports what went wrong
            }
        }
    });
    let likely = "每次 read 到 n 个字节, 就把这 n 个字节 write_all 回去, 直到客户端离开";
    let back = receive(&mut s, data.len(), "发回的 1.5 MB", likely);
    assert!(
        common::fnv(&back) == common::fnv(&data),
        "发回的 1.5 MB 和发出去的不一样。{likely}"
    );
    w.join().unwrap();
}

#[test]
fn echo_server_serves_100_clients_connected_at_once() {
    let _hint = common::hint("echo_server", "每个客户端开一个线程, 主线程马上回去 accept");
    let (_server, addr) = Proc::server(ECHO_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    // One client alone first: a server that echoes nothing fails here, with its own words.
    let start = Instant::now();
    let mut solo = connect(addr);
    send_expect(
        &mut solo,
        b"solo",
        b"solo",
        "收到的字节要原样发回 (write_all)",
    );
    let solo_took = start.elapsed();
    drop(solo);
    // All 100 are connected before any is answered: a one-at-a-time server
    // would answer only the first.
    let mut clients: Vec<TcpStream> = (0..100).map(|_| connect(addr)).collect();
    for (i, c) in clients.iter_mut().enumerate() {
        c.write_all(format!("client {i:03}").as_bytes()).unwrap();
    }
    // The last one first: a server that serves one client at a time is still
    // busy with the first, and the last one hears nothing.
    for (i, c) in clients.iter_mut().enumerate().rev() {
        let msg = format!("client {i:03}");
        let what = format!("第 {i} 个客户端 (100 个同时连着) 收到的回声");
        if i == 99 {
            expect_beside_first(c, msg.as_bytes(), &what, solo_took);
        } else {
            expect(c, msg.as_bytes(), &what, ONE_AT_A_TIME);
        }
    }
}

#[test]
fn echo_server_drops_an_idle_client_and_ends_threads_of_leaving_ones() {
    let _hint = common::hint("echo_server", "accept 后 set_read_timeout, 超时就断开");
    let args = ["--host", "127.0.0.1", "--port", "0", "--idle", "0.3"];
    let (mut server, addr) = Proc::server(ECHO_SERVER, &args);
    let mut idle = connect(addr);
    let me = idle.local_addr().unwrap();
    idle.set_read_timeout(Some(SOON)).unwrap();
    expect_closed(
        &mut idle,
        "客户端 0.3 秒不说话 (--idle 0.3)",
        "原文的 settimeout(60) 就是 set_read_timeout: 超时后断开这个客户端",
    );
    server.wait_out(&format!("客户端 {me} 空闲超过 0.3 秒"), "空闲超时的日志");

    let mut leaving = connect(addr);
    let me = leaving.local_addr().unwrap();
    send_expect(&mut leaving, b"bye", b"bye", "");
    drop(leaving);
    // This client's own line: the idle client's thread ending proves nothing.
    wait_out_soon(
        &mut server,
        &format!("客户端 {me} 的线程结束"),
        "离开的客户端的线程结束的日志 (read 返回 0 时要 break)",
    );
}

#[test]
fn echo_server_ends_the_thread_of_a_client_that_leaves() {
    let _hint = common::hint("echo_server", "read 返回 0 就 break, 不能 continue");
    let (mut server, addr) = Proc::server(ECHO_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    let mut leaving = connect(addr);
    let me = leaving.local_addr().unwrap();
    let likely = "收到什么就原样发回什么, 不要解码";
    send_expect(&mut leaving, b"\xff\xfe bad", b"\xff\xfe bad", likely);
    drop(leaving);
    // This client's own line: another client's thread ending proves nothing.
    wait_out_soon(
        &mut server,
        &format!("客户端 {me} 的线程结束"),
        "客户端离开后它的线程结束的日志 (read 返回 0 时要 break; 原文在这里空转)",
    );
}

#[test]
fn echo_server_tells_a_reset_from_an_idle_timeout() {
    let _hint = common::hint("echo_server", "超时和别的错误要分开处理, 日志不同");
    let (mut server, addr) = Proc::server(ECHO_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    let mut c = connect(addr);
    let me = c.local_addr().unwrap();
    c.write_all(b"x").unwrap();
    // Wait until the echo sits unread in our buffer: closing then sends a reset.
    let mut one = [0u8; 1];
    assert_eq!(c.peek(&mut one).expect("回声"), 1, "回声");
    drop(c);
    // Its thread ends either way; an idle-timeout line for it would be wrong.
    // (Wine has been seen to send a plain close here instead of the reset: then
    // the server logs no error, and there is nothing to mistake for a timeout.)
    server.wait_out(
        &format!("客户端 {me} 的线程结束"),
        "被重置的客户端的线程结束的日志",
    );
    let out = server.stdout();
    assert!(
        !out.contains(&format!("客户端 {me} 空闲超过")),
        "连接被重置, 日志却说空闲超时: 只有 WouldBlock/TimedOut 才是超时, 别的错误要报错\n{out}"
    );
}

#[test]
#[cfg(unix)]
fn echo_server_backs_off_when_descriptors_run_out() {
    let _hint = common::hint("echo_server", "accept 出错时调用 support::accept_failed");
    let args = ["--host", "127.0.0.1", "--port", "0"];
    backs_off_when_descriptors_run_out(ECHO_SERVER, &args, None, b"hi", b"hi");
}

// ---------------------------------------------------------------------------
// socketserver, the binary (004 「socketserver实现并发」)
// ---------------------------------------------------------------------------

#[test]
fn socketserver_binary_upper_cases_for_two_clients_at_once() {
    let _hint = common::hint("socketserver", "handle 里循环 read, 转大写后 write_all");
    let (_server, addr) = Proc::server(SOCKETSERVER, &["--port", "0"]);
    let upper = "回复要是收到的字节转成大写: data[..n].to_ascii_uppercase()";
    // One client alone first: a wrong reply fails here, with its own words.
    let start = Instant::now();
    let mut solo = connect(addr);
    send_expect(&mut solo, b"solo", b"SOLO", upper);
    let solo_took = start.elapsed();
    drop(solo);
    let mut a = connect(addr);
    let mut b = connect(addr);
    // b speaks first while a is connected and silent.
    b.write_all(b"second first").unwrap();
    let what = "第一个客户端还连着时, 第二个客户端收到的回复";
    expect_beside_first(&mut b, b"SECOND FIRST", what, solo_took);
    send_expect(&mut a, b"hello", b"HELLO", upper);
    send_expect(
        &mut a,
        b"again, 1 more",
        b"AGAIN, 1 MORE",
        "handle 要循环, 不是只回复一次",
    );
}

#[test]
fn socketserver_binary_prints_each_message_as_the_texts_print_shows_bytes() {
    let _hint = common::hint("socketserver", "日志: 收到客户端的消息是 b'…' (字节)");
    let (mut server, addr) = Proc::server(SOCKETSERVER, &["--port", "0"]);
    let mut s = connect(addr);
    send_expect(&mut s, b"hello", b"HELLO", "");
    send_expect(&mut s, "你好".as_bytes(), "你好".as_bytes(), "");
    send_expect(&mut s, b"it's", b"IT'S", "");
    send_expect(
        &mut s,
        b"A\xffB",
        b"A\xffB",
        "不是 UTF-8 的字节也要原样 (只转 ASCII 字母) 发回",
    );
    // Python 3 prints each of these with print('收到客户端的消息是', data).
    let want = [
        "收到客户端的消息是 b'hello'",
        "收到客户端的消息是 b'\\xe4\\xbd\\xa0\\xe5\\xa5\\xbd'",
        "收到客户端的消息是 b\"it's\"",
        "收到客户端的消息是 b'A\\xffB'",
    ];
    server.wait_out(want[3], "第四条消息的日志");
    let out = server.stdout();
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("收到客户端的消息是"))
        .collect();
    assert_eq!(
        lines, want,
        "日志要和 Python 的 print 一模一样: 字节像 repr 那样写 (非 ASCII 写成 \\xe4, 含 ' 的用双引号括起来)"
    );
}

#[test]
fn socketserver_binary_ends_a_client_that_leaves_and_serves_the_next() {
    let _hint = common::hint("socketserver", "read 返回 0 时 handle 要结束");
    let (_server, addr) = Proc::server(SOCKETSERVER, &["--port", "0"]);
    let mut first = connect(addr);
    send_expect(&mut first, b"one", b"ONE", "");
    first.shutdown(std::net::Shutdown::Write).unwrap();
    expect_closed(
        &mut first,
        "客户端关闭了写的一方 (空读)",
        "read 返回 0 (原文的 if not data: break) 时 handle 要结束, 连接随之关闭",
    );
    let mut second = connect(addr);
    send_expect(&mut second, b"two", b"TWO", ONLY_ONE);
}

#[test]
#[cfg(unix)] // a wider queue needs a second listen (Unix only), and SIGSTOP
fn socketserver_binary_backlog_queues_a_burst_beyond_std_s_128() {
    let _hint = common::hint("socketserver", "--backlog N 要调用 set_request_queue_size");
    let args = ["--port", "0", "--backlog", "1024"];
    burst_beyond_128(SOCKETSERVER, &args, None, b"hi", b"HI");
}

#[test]
#[cfg(unix)]
fn socketserver_backs_off_when_descriptors_run_out() {
    let _hint = common::hint("socketserver", "accept 出错时调用 accept_failed");
    backs_off_when_descriptors_run_out(SOCKETSERVER, &["--port", "0"], None, b"hi", b"HI");
}

// ---------------------------------------------------------------------------
// the socketserver module (src/socketserver.rs)
// ---------------------------------------------------------------------------

/// A handler whose `handle` fails; it reports each step on a channel.
struct Failing(std::sync::mpsc::Sender<&'static str>);

impl BaseRequestHandler for Failing {
    fn setup(&mut self, _req: &mut Request) -> io::Result<()> {
        let _ = self.0.send("setup");
        Ok(())
    }
    fn handle(&mut self, _req: &mut Request) -> io::Result<()> {
        let _ = self.0.send("handle");
        Err(io::Error::other("handler failed on purpose"))
    }
    fn finish(&mut self, _req: &mut Request) {
        let _ = self.0.send("finish");
    }
}

#[test]
fn socketserver_finish_runs_after_a_failing_handle() {
    let _hint = common::hint("lesson03", "handle 出错后也要调用 finish");
    let (tx, rx) = channel();
    let tx = std::sync::Mutex::new(tx);
    let server =
        ThreadingTCPServer::new("127.0.0.1:0", move || Failing(tx.lock().unwrap().clone()))
            .unwrap();
    let server = Arc::new(server);
    let serving = Arc::clone(&server);
    let (done_tx, done_rx) = channel();
    thread::spawn(move || {
        serving.serve_forever();
        let _ = done_tx.send(());
    });
    let _c = connect(server.server_address());
    let steps: Vec<&str> = (0..3)
        .map(|i| {
            rx.recv_timeout(DEADLINE)
                .unwrap_or_else(|_| panic!("{} 秒内只看到 {i} 个处理步骤", secs()))
        })
        .collect();
    assert_eq!(steps, ["setup", "handle", "finish"]);
    let stopper = Arc::clone(&server);
    within("shutdown()", move || stopper.shutdown());
    done_rx
        .recv_timeout(DEADLINE)
        .expect("shutdown() 之后 serve_forever() 要返回");
}

struct Upper;

impl BaseRequestHandler for Upper {
    fn handle(&mut self, req: &mut Request) -> io::Result<()> {
        let mut buf = [0u8; 1024];
        let n = req.request.read(&mut buf)?;
        req.request.write_all(&buf[..n].to_ascii_uppercase())
    }
}

#[test]
fn socketserver_shutdown_returns_and_frees_the_port() {
    let _hint = common::hint("lesson03", "shutdown 要叫醒 accept, 等循环结束");
    let server = Arc::new(ThreadingTCPServer::new("127.0.0.1:0", || Upper).unwrap());
    let addr = server.server_address();
    assert_ne!(addr.port(), 0, "server_address() 要给出真正的端口");
    let serving = Arc::clone(&server);
    let (done_tx, done_rx) = channel();
    thread::spawn(move || {
        serving.serve_forever();
        drop(serving); // let go of the server before saying so
        let _ = done_tx.send(());
    });
    let mut c = connect(addr);
    send_expect(&mut c, b"abc", b"ABC", "");

    // shutdown() must return (it waits for serve_forever), bounded by a deadline.
    let stopper = Arc::clone(&server);
    within("shutdown()", move || {
        stopper.shutdown();
        drop(stopper);
    });
    done_rx
        .recv_timeout(DEADLINE)
        .expect("shutdown() 之后 serve_forever() 要返回");
    // The test holds the last owner: dropping it closes the listener.
    let server = Arc::try_unwrap(server)
        .ok()
        .expect("已经没有线程还占着服务器");
    drop(server);
    // The port is free: binding it works. Tried again for a bounded while: a
    // process another test is starting at this moment holds a copy of every
    // socket between its fork and its exec (seen under load), and lets go of it
    // at the exec. On a busy machine another test may also have been handed
    // that very port as its own ephemeral one in the meantime, so a bind that
    // still fails is double-checked: nobody may be listening there any more.
    let until = Instant::now() + DEADLINE;
    let mut bound = TcpListener::bind(addr);
    while bound.is_err() && Instant::now() < until {
        thread::sleep(Duration::from_millis(10)); // a bounded retry
        bound = TcpListener::bind(addr);
    }
    if let Err(e) = bound {
        match TcpStream::connect_timeout(&addr, DEADLINE) {
            Err(refused) if refused.kind() == io::ErrorKind::ConnectionRefused => {}
            other => panic!(
                "shutdown 并 drop 之后端口要空出来, 可是 bind 失败 ({e}), 而且还有程序在监听它 ({other:?})"
            ),
        }
    }
}

#[test]
#[cfg(unix)] // a wider queue needs a second listen (Unix only)
fn socketserver_request_queue_size_queues_a_burst_beyond_std_s_128() {
    let _hint = common::hint("lesson03", "要再调用一次 listen");
    struct Silent;
    impl BaseRequestHandler for Silent {
        fn handle(&mut self, _req: &mut Request) -> io::Result<()> {
            Ok(())
        }
    }
    // Not serving yet, so nothing is accepted: the queue alone holds the burst.
    let server = ThreadingTCPServer::new("127.0.0.1:0", || Silent).unwrap();
    server.set_request_queue_size(1024).unwrap();
    let addr = server.server_address();
    let clients: Vec<TcpStream> = (0..300)
        .map(|i| {
            TcpStream::connect_timeout(&addr, Duration::from_millis(500))
                .unwrap_or_else(|e| panic!("没有 accept 时第 {i} 个连接没进队列: {e}"))
        })
        .collect();
    assert_eq!(clients.len(), 300);
}

// ---------------------------------------------------------------------------
// pool_server, baseline_server, load (beyond the texts)
// ---------------------------------------------------------------------------

#[test]
fn pool_serves_more_clients_than_threads_in_turn() {
    let _hint = common::hint("pool_server", "每个连接交给线程池, 空闲的线程接手");
    let args = ["--port", "0", "--pause", "0", "--threads", "2"];
    let (_server, addr) = Proc::server(POOL_SERVER, &args);
    let mut a = connect(addr);
    let mut b = connect(addr);
    expect(&mut a, b"Welcome!", "第一个客户端收到的", "");
    expect(
        &mut b,
        b"Welcome!",
        "第二个客户端收到的",
        "两个线程要同时服务两个客户端",
    );
    let mut c = connect(addr);
    assert_kept_waiting(&mut c, "2 个线程的线程池的第三个客户端");
    send_expect(&mut b, b"Bob", b"Hello, Bob!", "");
    b.write_all(b"exit").unwrap();
    // A worker is free again: the third client is served now.
    let likely = "一个工作线程空出来后, 排队的客户端要被服务";
    expect(&mut c, b"Welcome!", "第三个客户端收到的", likely);
    send_expect(&mut c, b"Cy", b"Hello, Cy!", "");
    send_expect(&mut a, b"Al", b"Hello, Al!", "");
}

#[test]
#[cfg(unix)]
fn pool_server_backs_off_when_descriptors_run_out() {
    let _hint = common::hint("pool_server", "accept 出错时调用 accept_failed");
    let args = ["--port", "0", "--pause", "0", "--threads", "4"];
    backs_off_when_descriptors_run_out(POOL_SERVER, &args, Some(b"Welcome!"), b"Al", b"Hello, Al!");
}

#[test]
#[cfg(unix)]
fn baseline_server_backs_off_when_descriptors_run_out() {
    let _hint = common::hint("baseline_server", "accept 出错时调用 accept_failed");
    backs_off_when_descriptors_run_out(BASELINE_SERVER, &["--port", "0"], None, b"hi", b"HI");
}

#[test]
fn load_reports_no_failure_against_pool_server_and_counts_round_trips() {
    let _hint = common::hint("load", "每个客户端的每次一问一答都算一个 round trip");
    let args = ["--port", "0", "--pause", "0", "--threads", "30"];
    let (_server, addr) = Proc::server(POOL_SERVER, &args);
    client(LOAD)
        .args(["--port", &addr.port().to_string()])
        .args(["--clients", "30", "--messages", "2", "--hold"])
        .assert()
        .success()
        .stdout(contains("clients 30, messages each 2, hold true"))
        .stdout(contains("connected 30, failed connections 0"))
        .stdout(contains("failed exchanges 0"))
        .stdout(contains("round trips 60,"));
}

#[test]
fn load_echo_counts_round_trips_against_baseline_server() {
    let _hint = common::hint("load", "--proto echo: 发 --size 字节, 等同样的字节回来");
    let (_server, addr) = Proc::server(BASELINE_SERVER, &["--port", "0"]);
    client(LOAD)
        .args(["--port", &addr.port().to_string(), "--proto", "echo"])
        .args(["--clients", "3", "--messages", "4", "--size", "100"])
        .assert()
        .success()
        .stdout(contains("connected 3, failed connections 0"))
        .stdout(contains("failed exchanges 0"))
        // A connect on loopback takes far less than 0.9 s unless a SYN was dropped.
        .stdout(contains("connects over 0.9 s (SYN retried) 0"))
        .stdout(contains("round trips 12,"));
}

#[test]
fn load_counts_failed_exchanges_apart_from_failed_connections() {
    let _hint = common::hint("load", "连上了但对话出错的, 算 failed exchanges");
    // The test plays an echo server that answers (upper-cased, which load accepts)
    // every other connection and closes the rest without a word.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let fake = thread::spawn(move || {
        let mut held = Vec::new();
        for i in 0..4 {
            let mut s = accept_within(&listener, &format!(" load 的第 {i} 个客户端"));
            if i % 2 == 0 {
                for _ in 0..2 {
                    let m = receive(&mut s, 5, "load 的消息", "");
                    s.write_all(&m.to_ascii_uppercase()).unwrap();
                }
                held.push(s);
            }
        }
    });
    client(LOAD)
        .args(["--port", &port.to_string(), "--proto", "echo"])
        .args(["--clients", "4", "--messages", "2", "--size", "5"])
        .assert()
        .code(1)
        .stdout(contains("connected 4, failed connections 0"))
        .stdout(contains("failed exchanges 2"))
        .stdout(contains("round trips 4,"))
        .stdout(contains("first failure: "));
    fake.join().expect("扮演服务器的测试线程");
}

#[test]
fn load_echo_notices_a_reply_that_repeats_an_earlier_message() {
    let _hint = common::hint(
        "load",
        "--proto echo 的每条消息要不一样, 才看得出回复是不是旧的",
    );
    // The test plays an echo server that answers every message with the FIRST
    // message of the connection: load's second message must differ from its
    // first, or load cannot tell a stale reply from an echo.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let fake = Beside::spawn(move |ended| {
        let mut s = accept_from(&listener, &ended, "load 的客户端");
        let first = receive(&mut s, 5, "load 的第一条消息", "每条消息 --size 个字节");
        s.write_all(&first).unwrap();
        let second = receive(&mut s, 5, "load 的第二条消息", "每条消息 --size 个字节");
        s.write_all(&first).unwrap();
        (first, second)
    });
    let assert = client(LOAD)
        .args(["--port", &port.to_string(), "--proto", "echo"])
        .args(["--clients", "1", "--messages", "2", "--size", "5"])
        .assert();
    let (first, second) = fake.join(assert.get_output());
    assert_ne!(
        first,
        second,
        "load 的两条消息一样 ({}): 消息内容要随序号 m 变化",
        shown(&first)
    );
    assert
        .code(1)
        .stdout(contains("connected 1, failed connections 0"))
        .stdout(contains("failed exchanges 1"))
        .stdout(contains("round trips 1,"))
        .stdout(contains("first failure: wrong reply"));
}

#[test]
fn load_hello_ends_each_conversation_with_exit() {
    let _hint = common::hint(
        "load",
        "--proto hello: 说完最后一个名字要发 exit, 像 003 的客户端",
    );
    // The test plays the hello server, so it sees every byte load sends.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let fake = Beside::spawn(move |ended| {
        let mut s = accept_from(&listener, &ended, "load 的客户端");
        s.write_all(b"Welcome!").unwrap();
        expect(
            &mut s,
            b"c0m0",
            "load 发来的名字",
            "名字是 c<客户端号>m<消息号>",
        );
        s.write_all(b"Hello, c0m0!").unwrap();
        expect(
            &mut s,
            b"exit",
            "load 最后发的",
            "说完以后要发 exit, 服务器才知道对话结束",
        );
        expect_closed(&mut s, "load 发了 exit 之后", "load 应该关闭连接");
    });
    let assert = client(LOAD)
        .args(["--port", &port.to_string(), "--proto", "hello"])
        .args(["--clients", "1", "--messages", "1"])
        .assert();
    fake.join(assert.get_output());
    assert
        .success()
        .stdout(contains("connected 1, failed connections 0"))
        .stdout(contains("failed exchanges 0"))
        .stdout(contains("round trips 1,"));
}

#[test]
fn load_reports_refused_connections_and_exits_1() {
    let _hint = common::hint("load", "连不上的客户端算 failed connections, 退出码 1");
    let port = common::closed_port();
    client(LOAD)
        .args(["--port", &port.to_string(), "--clients", "3"])
        .assert()
        .code(1)
        .stdout(contains("connected 0, failed connections 3"))
        .stdout(contains("failed exchanges 0"))
        .stdout(contains("round trips 0,"));
}

#[test]
fn load_refuses_a_size_it_cannot_send() {
    let _hint = common::hint("load", "--size 要在 1 到 1024 之间");
    client(LOAD)
        .args(["--size", "0"])
        .assert()
        .code(1)
        .stderr(contains("--size"));
}

// ---------------------------------------------------------------------------
// the ready-made peers (tests/common/peers/lesson03.rs): they speak the text's bytes
// ---------------------------------------------------------------------------

#[test]
fn pairing_peer_hello_server_speaks_the_texts_bytes() {
    let _hint = common::hint(
        "pairing",
        "现成的 003 服务端 (cargo grade peer client) 要说原文的字节",
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || peers::serve_hello(listener));
    let mut s = connect(addr);
    expect(&mut s, b"Welcome!", "现成服务端的", "");
    send_expect(&mut s, b"Michael", b"Hello, Michael!", "");
    send_expect(&mut s, "小明".as_bytes(), "Hello, 小明!".as_bytes(), "");
    s.write_all(b"exit").unwrap();
    expect_closed(&mut s, "发了 exit 之后", "");
}

#[test]
fn pairing_peer_clients_and_our_servers_agree() {
    let _hint = common::hint(
        "pairing",
        "现成的客户端 (cargo grade peer …) 和参考答案的服务器要对得上",
    );
    let (_server, server_addr) = Proc::server(SERVER, &["--port", "0", "--pause", "0"]);
    let mut s = peers::connect("127.0.0.1", server_addr.port()).unwrap();
    let lines = peers::talk_hello(&mut s, &peers::NAMES).unwrap();
    assert_eq!(
        lines,
        [
            "Welcome!",
            "Hello, Michael!",
            "Hello, Tracy!",
            "Hello, Sarah!"
        ]
    );
    expect_closed(&mut s, "现成的客户端发了 exit 之后", "");

    let (_echo, echo_addr) = Proc::server(ECHO_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    let mut s = peers::connect("127.0.0.1", echo_addr.port()).unwrap();
    let msgs: [&[u8]; 2] = [b"hello", "你好".as_bytes()];
    let got = peers::talk_each(&mut s, &msgs, |m| m.to_vec()).unwrap();
    assert_eq!(got[1], "你好".as_bytes());

    let (_upper, addr) = Proc::server(SOCKETSERVER, &["--port", "0"]);
    let mut s = peers::connect("127.0.0.1", addr.port()).unwrap();
    let msgs: [&[u8]; 2] = [b"hello", "你好 abc".as_bytes()];
    let got = peers::talk_each(&mut s, &msgs, |m| m.to_ascii_uppercase()).unwrap();
    assert_eq!(got[0], b"HELLO");
    assert_eq!(got[1], "你好 ABC".as_bytes());

    // What `cargo grade peer <program>` runs: each fake client against our server.
    for (program, addr) in [
        ("server", server_addr),
        ("echo_server", echo_addr),
        ("socketserver", addr),
    ] {
        let peer = peers::PEERS.iter().find(|p| p.program == program).unwrap();
        (peer.run)("127.0.0.1", addr.port())
            .unwrap_or_else(|e| panic!("{program} 的现成对端和参考答案对不上: {e}"));
    }
}

#[test]
fn pairing_peers_are_listed_for_every_exercise_with_another_end() {
    let _hint = common::hint("pairing", "每个有另一端的练习都要有现成的对端");
    let programs: Vec<&str> = peers::PEERS.iter().map(|p| p.program).collect();
    assert_eq!(
        programs,
        ["client", "server", "echo_server", "socketserver"]
    );
    for p in peers::PEERS {
        assert_eq!(p.host, "127.0.0.1", "{}", p.program);
    }
    let ports: Vec<u16> = peers::PEERS.iter().map(|p| p.port).collect();
    assert_eq!(ports, [9999, 9999, 8000, 8080], "练习不加参数时用的端口");
}

// ---------------------------------------------------------------------------
// shared checks
// ---------------------------------------------------------------------------

/// Sends `signal` (e.g. `-STOP`) to the process: a stopped server accepts nothing,
/// which is how a busy accept loop looks from the outside, only reproducible.
#[cfg(unix)]
fn signal(server: &Proc, signal: &str) {
    let status = std::process::Command::new("kill")
        .args([signal, &server.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill {signal} failed");
}

/// Stops the server, connects 300 clients (std's queue holds 128 + 1 on Linux:
/// the 130th connect would see its SYN dropped and miss the 500 ms timeout),
/// lets it run again and checks every queued client is served.
#[cfg(unix)]
fn burst_beyond_128(bin: &str, args: &[&str], greet: Option<&[u8]>, ask: &[u8], answer: &[u8]) {
    let (server, addr) = Proc::server(bin, args);
    signal(&server, "-STOP");
    let mut clients = Vec::new();
    for i in 0..300 {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(500)) {
            Ok(c) => clients.push(c),
            Err(e) => {
                signal(&server, "-CONT");
                panic!("服务器暂停时第 {i} 个连接没进队列 ({e}): --backlog 没有把队列调大?");
            }
        }
    }
    signal(&server, "-CONT");
    // Every queued client is accepted and served once the server runs again.
    for (i, c) in clients.iter_mut().enumerate() {
        c.set_read_timeout(Some(DEADLINE)).unwrap();
        let what = format!("排队的第 {i} 个客户端");
        if let Some(greet) = greet {
            expect(c, greet, &format!("{what}收到的"), "");
        }
        c.write_all(ask).unwrap();
    }
    for (i, c) in clients.iter_mut().enumerate() {
        expect(c, answer, &format!("排队的第 {i} 个客户端收到的回复"), "");
    }
}

/// CPU time (user + system) the process `pid` has used, in clock ticks
/// (1/100 s on Linux), from `/proc/PID/stat`.
#[cfg(target_os = "linux")]
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The name in parentheses may hold spaces: count the fields after it.
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split(' ').collect();
    // Fields 14 and 15 of the whole line (utime, stime) are 12 and 13 here.
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// Starts `bin` with at most 32 open files (`ulimit -n 32` in `sh -c`), connects
/// 50 clients that say nothing, so `accept` runs out of descriptors, and checks
/// for about a second that the server neither floods its stderr nor burns CPU.
/// Then the idle clients leave and a new one must be served: `greet` is what
/// the server sends first (if it speaks first), `ask`/`answer` one exchange.
#[cfg(unix)]
fn backs_off_when_descriptors_run_out(
    bin: &str,
    args: &[&str],
    greet: Option<&[u8]>,
    ask: &[u8],
    answer: &[u8],
) {
    let (mut server, addr) = Proc::server_with_fd_limit(bin, 32, args);
    let idle: Vec<TcpStream> = (0..50)
        .map(|i| {
            TcpStream::connect_timeout(&addr, DEADLINE)
                .unwrap_or_else(|e| panic!("第 {i} 个空闲客户端连不上服务器: {e}"))
        })
        .collect();
    // Both the old "log and retry" loop and the backing-off one say something.
    server.wait_err("accept", "描述符用完后 accept 失败的日志");
    #[cfg(target_os = "linux")]
    let cpu_before = cpu_ticks(server.pid());
    // A measured interval, not a wait for an event: what happens during it counts.
    thread::sleep(Duration::from_secs(1));
    // All of stderr so far (Proc keeps the last 64 KiB): one line per burst is
    // about 150 bytes, a loop that retries at once prints megabytes.
    let printed = server.stderr().len();
    assert!(
        printed < 2000,
        "描述符用完以后服务器在 stderr 打印了 {printed} 字节 (或更多): accept 失败后要稍停再试 \
         (support::accept_failed), 不要马上 continue 空转刷屏"
    );
    #[cfg(target_os = "linux")]
    {
        let used = cpu_ticks(server.pid()) - cpu_before;
        assert!(
            used < 30,
            "描述符用完的 1 秒里服务器用了 {used}/100 秒 CPU: accept 失败后要稍停再试, 不要空转"
        );
    }
    drop(idle);
    let mut fresh = connect(addr);
    let likely = "空闲客户端离开后, 描述符空出来了, 服务器要能服务新客户端";
    if let Some(greet) = greet {
        expect(&mut fresh, greet, "新客户端收到的", likely);
    }
    send_expect(&mut fresh, ask, answer, likely);
}

#[test]
fn server_listens_on_the_texts_address_by_default() {
    let _hint = common::hint("server", "不加参数时监听原文的 127.0.0.1:9999");
    Proc::assert_default_address(SERVER, &["--pause", "0"], "127.0.0.1:9999");
}
