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
    let (n, from) = sock.recv_from(&mut buf).unwrap_or_else(|e| {
        panic!(
            "10 秒内没有收到 {to} 的回复: 服务器收到数据报了吗? 有没有用 send_to 回给 recv_from 得到的地址? ({e})"
        )
    });
    assert_eq!(from, to, "回复应该从服务器绑定的地址发出");
    buf.truncate(n);
    buf
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

/// A UDP port with nobody behind it.
fn silent_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn udp_server_answers_hi_once_and_exits() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_server", "收一个数据报 (recv_from), 打印, 用 send_to 把 hi 回给发送方的地址, 然后退出");
    let (server, addr) = Proc::server(UDP_SERVER, &["--port", "0"]);
    let sock = udp();
    let me = sock.local_addr().unwrap();
    assert_eq!(ask(&sock, addr, b"hello"), b"hi", "服务器应该回复 hi");
    let (status, out, _) = server.finish();
    assert!(
        status.success(),
        "原文的服务器收一个数据报就退出, 退出码应为 0"
    );
    assert!(
        out.contains(&format!("收到 5 字节, 来自 {me}: hello")),
        "服务器应该打印收到的字节数、发送方和文字: {out}"
    );
}

#[test]
fn udp_client_sends_hello_and_prints_reply_and_sender() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_client", "send_to 把 hello 发到服务器, recv_from 收回复, 打印解码后的文字和对方地址");
    let (port, seen) = play_server(1, |_| b"hi".to_vec());
    client(UDP_CLIENT)
        .args(["--port", &port.to_string()])
        .assert()
        .success()
        .stdout(format!("hi ('127.0.0.1', {port})\n"));
    assert_eq!(
        seen.join().unwrap(),
        [b"hello".to_vec()],
        "客户端应该发送 hello"
    );
}

#[test]
fn udp_server_and_client_pair_up() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_client", "两端一起跑: 服务器回复 hi, 客户端打印 hi 和服务器地址; 这个测试同时运行你的 udp_server 和 udp_client: 两端都要完成");
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

#[test]
fn udp_server_truncates_a_datagram_longer_than_1024_bytes() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_server", "只用数据报的前 1024 字节; 缓冲区要装得下 65536 字节 (Windows 上小缓冲区会报错)");
    let (server, addr) = Proc::server(UDP_SERVER, &["--port", "0"]);
    let sock = udp();
    assert_eq!(
        ask(&sock, addr, &[b'x'; 2000]),
        b"hi",
        "长数据报也要回复 hi"
    );
    let (_, out, _) = server.finish();
    assert!(
        out.contains("收到 1024 字节"),
        "2000 字节的数据报只应该用前 1024 字节: {out}"
    );
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
        .stdout(contains("请输入要发送的数据:"));
    let mut buf = [0u8; 1024];
    let (n, _) = sock
        .recv_from(&mut buf)
        .expect("10 秒内没有收到 udp_send 发来的数据报");
    assert_eq!(
        &buf[..n],
        "你好 udp".as_bytes(),
        "数据报应该正好是输入的文字"
    );

    // With --reply: the test answers `pong`.
    let answer = thread::spawn(move || {
        let mut buf = [0u8; 1024];
        let (n, from) = sock
            .recv_from(&mut buf)
            .expect("10 秒内没有收到 udp_send 发来的数据报");
        assert_eq!(&buf[..n], b"ping", "--message 给的文字应该原样发出");
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
fn udp_hello_server_answers_three_names_sent_at_once() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_hello_server", "每个数据报开一个线程, 用 send_to 回复 Hello, <数据>! 给 recv_from 得到的地址");
    let (mut server, addr) = Proc::server(HELLO_SERVER, &["--port", "0"]);
    server.wait_out("Bind UDP on ", "原文的 Bind UDP on ... 一行");
    let sock = udp();
    for name in ["Michael", "Tracy", "Sarah"] {
        sock.send_to(name.as_bytes(), addr).unwrap();
    }
    let mut got = BTreeSet::new();
    let mut buf = [0u8; 1024];
    for i in 0..3 {
        let n = sock.recv(&mut buf).unwrap_or_else(|e| {
            panic!("10 秒内只收到 {i} 个回复, 应该有 3 个: 服务器是不是只回复了第一个? ({e})")
        });
        got.insert(String::from_utf8_lossy(&buf[..n]).to_string());
    }
    let want: BTreeSet<String> = ["Hello, Michael!", "Hello, Tracy!", "Hello, Sarah!"]
        .map(String::from)
        .into();
    assert_eq!(got, want);
    server.wait_out(
        "Received from 127.0.0.1:",
        "每个数据报的 Received from 日志",
    );
}

#[test]
fn udp_hello_client_sends_each_name_and_prints_each_answer() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_hello_client", "对每个名字: send_to 发出, recv 收一个回复, 解码后打印一行");
    let (port, seen) = play_server(3, |name| [b"re:", name].concat());
    client(HELLO_CLIENT)
        .args(["--port", &port.to_string()])
        .assert()
        .success()
        .stdout("re:Michael\nre:Tracy\nre:Sarah\n");
    assert_eq!(
        seen.join().unwrap(),
        [b"Michael".to_vec(), b"Tracy".to_vec(), b"Sarah".to_vec()]
    );
}

#[test]
fn udp_hello_server_and_client_pair_up() {
    #[rustfmt::skip]
    let _hint = common::hint("udp_hello_client", "两端一起跑: 客户端应该依次打印三个 Hello, <名字>!; 这个测试同时运行你的 udp_hello_server 和 udp_hello_client: 两端都要完成");
    let (_server, addr) = Proc::server(HELLO_SERVER, &["--port", "0"]);
    client(HELLO_CLIENT)
        .args(["--port", &addr.port().to_string()])
        .assert()
        .success()
        .stdout("Hello, Michael!\nHello, Tracy!\nHello, Sarah!\n");
}

#[test]
fn qq_server_replies_with_what_its_stdin_types_and_writes_no_escape_codes_to_a_pipe() {
    #[rustfmt::skip]
    let _hint = common::hint("qq_server", "recv_from 收消息, 打印 来自[ip:port]的一条消息:..., 读一行回复, send_to 发回给这个地址");
    let (mut server, addr) = Proc::server(QQ_SERVER, &["--port", "0"]);
    server.type_line("  收到了, 你好  ");
    let sock = udp();
    let me = sock.local_addr().unwrap();
    assert_eq!(
        ask(&sock, addr, "你好 qq".as_bytes()),
        "收到了, 你好".as_bytes(),
        "回复应该是服务器输入的那一行, 去掉两边空白"
    );
    server.wait_out(
        &format!("来自[127.0.0.1:{}]的一条消息:你好 qq", me.port()),
        "原文格式的消息行",
    );
    // Not UTF-8: shown lossily, and the server goes on.
    server.type_line("second");
    assert_eq!(
        ask(&sock, addr, b"\xff\xfe"),
        b"second",
        "不是 UTF-8 的消息也要显示 (from_utf8_lossy), 服务器不能退出"
    );
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
    assert_eq!(ask(&sock, addr, &long), b"ok", "长消息也要等用户输入回复");
    server.wait_out(
        &format!("的一条消息:{}\n", "a".repeat(1024)),
        "截到 1024 字节的消息",
    );
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
    #[rustfmt::skip]
    let _hint = common::hint("time_server", "空数据报用 %Y-%m-%d %X, 否则把数据报解码成格式; 只用前 1024 字节; 坏的 UTF-8 回一条错误, 不要退出");
    let (mut server, addr) = Proc::server(TIME_SERVER, &["--port", "0"]);
    let sock = udp();
    let year = utc_year_now().to_string();

    let default = String::from_utf8(ask(&sock, addr, b"")).unwrap();
    assert!(
        looks_like_default_format(&default),
        "空数据报应该得到 年-月-日 时:分:秒: {default:?}"
    );
    assert!(default.starts_with(&year), "应该是今年 {year}: {default:?}");

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

    assert_eq!(
        ask(&sock, addr, b"%Y"),
        year.as_bytes(),
        "收到长数据报之后服务器应该继续服务"
    );
}

/// Seconds since 1970, now, from the test's own clock.
fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn time_server_applies_a_positive_and_a_negative_utc_offset() {
    #[rustfmt::skip]
    let _hint = common::hint("time_server", "--utc-offset 的时差要加到 UTC 时间上: +08:00 是加 8 小时, -05:30 是减 5 小时 30 分");
    for (flag, offset) in [("+08:00", 8 * 3600), ("-05:30", -(5 * 3600 + 30 * 60))] {
        let (_server, addr) = Proc::server(TIME_SERVER, &["--port", "0", "--utc-offset", flag]);
        let sock = udp();
        // The answer is checked against the minute before and after asking, so a
        // minute that turns while the datagram travels cannot fail the test.
        let before = unix_now() + offset;
        let got = String::from_utf8(ask(&sock, addr, b"%H:%M")).unwrap();
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
    let _hint = common::hint("time_client", "把格式 (没有就发空数据报) 用 send_to 发给服务器, recv 收回复, 解码后打印");
    let (port, seen) = play_server(2, |fmt| [b"time:", fmt].concat());
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
    assert_eq!(seen.join().unwrap(), [b"".to_vec(), b"%A %j".to_vec()]);
}

#[test]
fn time_server_and_client_pair_up() {
    #[rustfmt::skip]
    let _hint = common::hint("time_client", "两端一起跑: 客户端应该打印服务器回复的时间; 这个测试同时运行你的 time_server 和 time_client: 两端都要完成");
    let (_server, addr) = Proc::server(TIME_SERVER, &["--port", "0", "--utc-offset", "+08:00"]);
    let port = addr.port().to_string();
    let assert = client(TIME_CLIENT)
        .args(["--port", &port])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout)
        .trim()
        .to_string();
    assert!(
        looks_like_default_format(&out),
        "应该是 年-月-日 时:分:秒: {out:?}"
    );
    client(TIME_CLIENT)
        .args(["--port", &port, "%p"])
        .assert()
        .success()
        .stdout(contains("AM").or(contains("PM")));
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
