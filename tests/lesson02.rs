//! Lesson 02, UDP: both ends real for every pair, expected bytes written literally.

mod common;

use common::{client, udp, Proc};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use std::collections::BTreeSet;
use std::net::{SocketAddr, UdpSocket};
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

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

/// Sends `msg` to `to` and returns the answer (up to 8 KiB, so truncation is the
/// server's, not ours).
fn ask(sock: &UdpSocket, to: SocketAddr, msg: &[u8]) -> Vec<u8> {
    sock.send_to(msg, to).unwrap();
    let mut buf = vec![0u8; 8192];
    let (n, from) = sock
        .recv_from(&mut buf)
        .expect("an answer within the deadline");
    assert_eq!(from, to, "the answer comes from the server's address");
    buf.truncate(n);
    buf
}

/// A UDP port with nobody behind it.
fn silent_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn udp_server_answers_hi_once_and_the_client_prints_reply_and_sender() {
    let (server, addr) = Proc::server(UDP_SERVER, &["--port", "0"]);
    let port = addr.port();
    client(UDP_CLIENT)
        .args(["--port", &port.to_string()])
        .assert()
        .success()
        .stdout(format!("hi ('127.0.0.1', {port})\n"));
    let (status, out, _) = server.finish();
    assert!(
        status.success(),
        "the text's server exits after one datagram"
    );
    assert!(out.contains("收到 5 字节"), "{out}");
    assert!(out.contains(": hello"), "{out}");
}

#[test]
fn udp_server_truncates_a_datagram_longer_than_1024_bytes() {
    let (server, addr) = Proc::server(UDP_SERVER, &["--port", "0"]);
    let sock = udp();
    assert_eq!(ask(&sock, addr, &[b'x'; 2000]), b"hi");
    let (_, out, _) = server.finish();
    assert!(
        out.contains("收到 1024 字节"),
        "only 1024 of 2000 bytes: {out}"
    );
}

#[test]
fn udp_client_without_a_server_times_out_with_one_clear_line() {
    let assert = client(UDP_CLIENT)
        .args(["--port", &silent_port().to_string(), "--timeout", "0.3"])
        .assert()
        .code(1)
        .stderr(contains("等待超时"));
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn udp_send_sends_one_datagram_and_with_reply_prints_answer_and_sender() {
    let sock = udp();
    let port = sock.local_addr().unwrap().port().to_string();
    // Without --reply: asked on stdin like the text, then one datagram.
    client(UDP_SEND)
        .args(["--port", &port])
        .write_stdin("你好 udp\n")
        .assert()
        .success()
        .stdout(contains("请输入要发送的数据:"));
    let mut buf = [0u8; 1024];
    let (n, _) = sock.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], "你好 udp".as_bytes());

    // With --reply: the test answers `pong`.
    let answer = thread::spawn(move || {
        let mut buf = [0u8; 1024];
        let (n, from) = sock.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"ping");
        sock.send_to(b"pong", from).unwrap();
    });
    client(UDP_SEND)
        .args(["--port", &port, "--message", "ping", "--reply"])
        .assert()
        .success()
        .stdout(format!("pong\n('127.0.0.1', {port})\n"));
    answer.join().unwrap();
}

#[test]
fn udp_send_reply_without_an_answer_times_out() {
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
fn udp_hello_server_answers_three_names_sent_at_once() {
    let (mut server, addr) = Proc::server(HELLO_SERVER, &["--port", "0"]);
    let sock = udp();
    for name in ["Michael", "Tracy", "Sarah"] {
        sock.send_to(name.as_bytes(), addr).unwrap();
    }
    let mut got = BTreeSet::new();
    let mut buf = [0u8; 1024];
    for _ in 0..3 {
        let n = sock.recv(&mut buf).expect("three answers");
        got.insert(String::from_utf8_lossy(&buf[..n]).to_string());
    }
    let want: BTreeSet<String> = ["Hello, Michael!", "Hello, Tracy!", "Hello, Sarah!"]
        .map(String::from)
        .into();
    assert_eq!(got, want);
    server.wait_out("Received from 127.0.0.1:", "the per-datagram log");

    client(HELLO_CLIENT)
        .args(["--port", &addr.port().to_string()])
        .assert()
        .success()
        .stdout("Hello, Michael!\nHello, Tracy!\nHello, Sarah!\n");
}

#[test]
fn qq_server_replies_with_what_its_stdin_types_and_writes_no_escape_codes_to_a_pipe() {
    let (mut server, addr) = Proc::server(QQ_SERVER, &["--port", "0"]);
    server.type_line("  收到了, 你好  ");
    let sock = udp();
    let me = sock.local_addr().unwrap();
    assert_eq!(
        ask(&sock, addr, "你好 qq".as_bytes()),
        "收到了, 你好".as_bytes()
    );
    server.wait_out(
        &format!("来自[127.0.0.1:{}]的一条消息:你好 qq", me.port()),
        "the message line",
    );
    // Not UTF-8: shown lossily, and the server goes on.
    server.type_line("second");
    assert_eq!(ask(&sock, addr, b"\xff\xfe"), b"second");
    let out = server.stdout();
    assert!(!out.contains('\x1b'), "no escape codes in a pipe: {out:?}");
}

#[test]
fn qq_client_chats_goes_back_to_choosing_on_q_and_knows_extra_contacts() {
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
                let (n, from) = sock.recv_from(&mut buf).unwrap();
                let mut reply = b"re:".to_vec();
                reply.extend_from_slice(&buf[..n]);
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
            "来自[127.0.0.1:{s_port}]的一条消息:re:hello"
        )))
        .stdout(contains("没有这个联系人: `nobody`"))
        .stdout(contains(format!(
            "来自[127.0.0.1:{s_port}]的一条消息:re:second"
        )))
        .stdout(contains(format!("来自[{f_addr}]的一条消息:re:hi wang")))
        .stdout(contains('\x1b').not());
    drop(assert);
    assert_eq!(s.join().unwrap(), ["hello", "second"]);
    assert_eq!(f.join().unwrap(), ["hi wang"]);
}

/// The current UTC year, counted independently of the lesson's calendar code.
fn utc_year_now() -> i64 {
    let mut days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 86_400;
    let mut year = 1970;
    loop {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let len = if leap { 366 } else { 365 };
        if days < len {
            return year;
        }
        days -= len;
        year += 1;
    }
}

/// `dddd-dd-dd dd:dd:dd`, digit by digit.
fn looks_like_default_format(s: &str) -> bool {
    let shape = "dddd-dd-dd dd:dd:dd";
    s.len() == shape.len()
        && s.chars().zip(shape.chars()).all(|(c, p)| match p {
            'd' => c.is_ascii_digit(),
            _ => c == p,
        })
}

#[test]
fn time_server_formats_default_year_unknown_and_survives_bad_input() {
    let (mut server, addr) = Proc::server(TIME_SERVER, &["--port", "0"]);
    let sock = udp();
    let year = utc_year_now().to_string();

    let default = String::from_utf8(ask(&sock, addr, b"")).unwrap();
    assert!(looks_like_default_format(&default), "{default:?}");
    assert!(default.starts_with(&year), "{default:?}");

    assert_eq!(ask(&sock, addr, b"%Y"), year.as_bytes());
    assert_eq!(
        ask(&sock, addr, "%Q 年份 %Y%%".as_bytes()),
        format!("%Q 年份 {year}%").as_bytes()
    );

    // Not UTF-8: answered with an error, and the server goes on.
    let bad = String::from_utf8(ask(&sock, addr, b"%Y\xff")).unwrap();
    assert!(bad.contains("不是 UTF-8"), "{bad}");

    // 1000 × "%Y" is 2000 bytes; only the first 1024 arrive: 512 years.
    let long = ask(&sock, addr, "%Y".repeat(1000).as_bytes());
    assert_eq!(long, year.repeat(512).as_bytes());
    server.wait_out("===> 1024 字节", "the truncated datagram's log");

    assert_eq!(ask(&sock, addr, b"%Y"), year.as_bytes(), "still serving");
}

#[test]
fn time_server_with_an_offset_and_the_time_client() {
    let (_server, addr) = Proc::server(TIME_SERVER, &["--port", "0", "--utc-offset", "+08:00"]);
    let port = addr.port().to_string();
    let assert = client(TIME_CLIENT)
        .args(["--port", &port])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout)
        .trim()
        .to_string();
    assert!(looks_like_default_format(&out), "{out:?}");
    client(TIME_CLIENT)
        .args(["--port", &port, "%p"])
        .assert()
        .success()
        .stdout(contains("AM").or(contains("PM")));
}

#[test]
fn time_client_without_a_server_times_out() {
    client(TIME_CLIENT)
        .args(["--port", &silent_port().to_string(), "--timeout", "0.3"])
        .assert()
        .code(1)
        .stderr(contains("等待超时"));
}

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
    let assert = client(UDP_LOSS)
        .args(["--count", "300", "--delay-us", "100"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    let udp_line = out
        .lines()
        .find(|l| l.starts_with("UDP:"))
        .expect("a UDP line");
    let tcp_line = out
        .lines()
        .find(|l| l.starts_with("TCP:"))
        .expect("a TCP line");
    assert_eq!(number_after(udp_line, "sent"), 300);
    assert!(number_after(udp_line, "received") <= 300, "{udp_line}");
    assert_eq!(number_after(tcp_line, "received"), 300, "{tcp_line}");
    assert_eq!(number_after(tcp_line, "lost"), 0, "{tcp_line}");
}

#[test]
fn qq_client_says_the_server_did_not_answer_and_goes_on_chatting() {
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
