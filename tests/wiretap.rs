//! The `wiretap` tool (lesson04, beyond the texts): it relays byte for byte in
//! both directions, forwards a half-close, draws every chunk in order with its
//! size (terminal and SVG), really splits (`--split`) and really glues
//! (`--coalesce`), relays UDP datagrams and routes the replies back, and
//! survives a server that is not there.
//!
//! None of these runs an exercise (`download_server` and the others): the far
//! ends are the test itself, or the ready-made peers of `tests/common/peers`,
//! so a student's unfinished server cannot make a wiretap test fail.
//!
//! The framed command client of lesson05 through the tap is tested in
//! `tests/wiretap_cmd.rs`, a test of lesson05: only a test of lesson05 can name
//! lesson05's binaries.

mod common;

use common::peers::lesson04 as peers;
use common::{client, connect, pattern, read_all, read_n, udp, Proc, TempDir, DEADLINE};
use lesson04::framing::{read_frame, write_frame};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use std::fs;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener};
use std::thread;
use std::time::{Duration, Instant};

const WIRETAP: &str = env!("CARGO_BIN_EXE_wiretap");

/// A tap on a free loopback port, relaying to `to`.
fn tap(to: SocketAddr, extra: &[&str]) -> (Proc, SocketAddr) {
    let to = to.to_string();
    let mut args = vec!["--host", "127.0.0.1", "--port", "0", "--to", &to];
    args.extend_from_slice(extra);
    Proc::server(WIRETAP, &args)
}

/// A framed download server played by the test, as `download_server --framed`
/// answers (with `lesson04::framing`, not an exercise): one connection, the name
/// as a frame, then `OK <size>` as a frame and the bytes of `data`. Returns its
/// address and the name it got.
fn framed_file_server(data: Vec<u8>) -> (SocketAddr, thread::JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = thread::spawn(move || {
        let (mut c, _) = listener.accept().unwrap();
        c.set_read_timeout(Some(DEADLINE)).unwrap();
        c.set_write_timeout(Some(DEADLINE)).unwrap();
        let name = read_frame(&mut c, 1024).unwrap().expect("a name frame");
        write_frame(&mut c, format!("OK {}", data.len()).as_bytes()).unwrap();
        c.write_all(&data).unwrap();
        name
    });
    (addr, handle)
}

/// A framed download through `port`, played by the test as `download_client
/// --framed` asks: the name as a frame, then the header frame and the data.
fn framed_fetch(port: u16, name: &str) -> Vec<u8> {
    let mut s = connect(SocketAddr::from(([127, 0, 0, 1], port)));
    write_frame(&mut s, name.as_bytes()).unwrap();
    let header = read_frame(&mut s, 1024)
        .unwrap()
        .expect("the server's header");
    let header = String::from_utf8_lossy(&header).into_owned();
    let size: usize = header
        .strip_prefix("OK ")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("经过 tap 的头应当是 OK <大小>, 却是 {header:?}"));
    let data = read_n(&mut s, size);
    assert_eq!(text(&read_all(&mut s)), "", "数据之后不应当还有字节");
    data
}

#[test]
fn framed_download_through_split_1_arrives_byte_for_byte() {
    let _hint = common::hint(
        "wiretap",
        "--split 拆出的小块要按顺序、一个不少地转发; 带长度前缀的下载不怕被拆开",
    );
    let data = pattern(1200); // over 1024, yet quick to send one byte at a time
    let (server_addr, server) = framed_file_server(data.clone());
    // Both directions: the framed download frames the file name too, so the
    // server reads the whole `a.bin` even when it comes one byte at a time.
    let (mut tap, tap_addr) = tap(server_addr, &["--split", "1"]);
    let saved = framed_fetch(tap_addr.port(), "a.bin");
    assert_eq!(
        text(&server.join().unwrap()),
        "a.bin",
        "名字被拆开后也应当完整地到达"
    );
    assert!(
        saved == data,
        "经过 --split 1 后文件内容变了 ({} 字节)",
        saved.len()
    );
    // The client's frame may reach the tap as one piece or as length + name
    // (write_frame writes twice), so only the name's note is looked for.
    tap.wait_out(
        "a.bin\"  (拆成 ",
        "图上注明客户端发的文件名 a.bin 也被拆开了",
    );
    tap.wait_out("次写, 每次 ≤1 字节", "图上注明一块被拆成了一个个字节");
}

#[test]
fn framed_download_through_coalesce_50_arrives_byte_for_byte() {
    let _hint = common::hint(
        "wiretap",
        "--coalesce 收集的字节要全部、按顺序一次写出; 对方关闭时先写出手里的字节再转发关闭",
    );
    let data = pattern(3_000_000);
    let (server_addr, server) = framed_file_server(data.clone());
    let (mut tap, tap_addr) = tap(server_addr, &["--coalesce", "50"]);
    let saved = framed_fetch(tap_addr.port(), "b.bin");
    assert_eq!(text(&server.join().unwrap()), "b.bin");
    assert!(
        saved == data,
        "经过 --coalesce 50 后文件内容变了 ({} 字节)",
        saved.len()
    );
    tap.wait_out("结束 closed", "the connection's last line");
}

/// A server played by the test: one connection, `reply` written once, and
/// every read's size returned.
fn one_shot_server(reply: &'static [u8]) -> (SocketAddr, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = thread::spawn(move || {
        let (mut c, _) = listener.accept().unwrap();
        c.write_all(reply).unwrap();
        c.set_read_timeout(Some(DEADLINE)).unwrap();
        let _ = c.read(&mut [0u8; 16]); // until the client leaves
    });
    (addr, handle)
}

#[test]
fn split_writes_pieces_that_arrive_as_separate_reads() {
    let _hint = common::hint(
        "wiretap",
        "--split N: 每个小块单独 write, 之后停 --pause 毫秒 (还要 set_nodelay, 否则小块会被攒在一起)",
    );
    let (server_addr, server) = one_shot_server(b"abcdef");
    let (mut tap, tap_addr) = tap(server_addr, &["--split", "2", "--pause", "300"]);
    let mut s = connect(tap_addr);
    let mut reads = Vec::new();
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    while got.len() < 6 {
        let n = s.read(&mut buf).expect("读 tap 转来的字节");
        assert!(n > 0, "tap 提前关闭了连接, 只收到 {got:?}");
        got.extend_from_slice(&buf[..n]);
        reads.push(String::from_utf8_lossy(&buf[..n]).into_owned());
    }
    assert_eq!(text(&got), "abcdef");
    // Pieces 300 ms apart: the first read cannot hold all six bytes, and no
    // read ends inside a piece.
    assert!(
        reads.len() > 1,
        "一次 write 的 6 字节应该被拆成 3 次 write, 却一次就读到了: {reads:?}"
    );
    assert!(
        reads.iter().all(|r| r.len() % 2 == 0),
        "读到的块不在 2 字节的边界上: {reads:?}"
    );
    drop(s);
    server.join().unwrap();
    tap.wait_out(
        "拆成 3 次写, 每次 ≤2 字节",
        "the diagram's note on the split",
    );
}

#[test]
fn coalesce_forwards_two_writes_as_one() {
    let _hint = common::hint(
        "wiretap",
        "--coalesce MS: 第一块到达后继续收 MS 毫秒 (set_read_timeout), 再一次 write 出去",
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server_addr = listener.local_addr().unwrap();
    let server = thread::spawn(move || {
        let (mut c, _) = listener.accept().unwrap();
        c.set_nodelay(true).unwrap();
        c.write_all(b"hello").unwrap();
        // A gap that keeps the two apart without the tap; the tap holds 1000 ms.
        thread::sleep(Duration::from_millis(20));
        c.write_all(b"world").unwrap();
        c.set_read_timeout(Some(DEADLINE)).unwrap();
        let _ = c.read(&mut [0u8; 16]);
    });
    let (mut tap, tap_addr) = tap(server_addr, &["--coalesce", "1000"]);
    let mut s = connect(tap_addr);
    let mut buf = [0u8; 1024];
    let n = s.read(&mut buf).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&buf[..n]),
        "helloworld",
        "两次 write 应该被 tap 合并成一次, 一次 read 全部读到"
    );
    drop(s);
    server.join().unwrap();
    tap.wait_out("10 字节", "one arrow of 10 bytes");
}

/// Plays lesson03's exchange through a tap started with `extra`: the server
/// sends `Welcome!`, answers `Michael` with `Hello, Michael!`, sees the client's
/// half-close, and still sends `bye` before it closes.
fn welcome_exchange(extra: &[&str]) -> Proc {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server_addr = listener.local_addr().unwrap();
    let server = thread::spawn(move || {
        let (mut c, _) = listener.accept().unwrap();
        c.set_read_timeout(Some(DEADLINE)).unwrap();
        c.write_all(b"Welcome!").unwrap();
        let mut buf = [0u8; 1024];
        let n = c.read(&mut buf).unwrap();
        let name = buf[..n].to_vec();
        c.write_all(&[b"Hello, ", &name[..], b"!"].concat())
            .unwrap();
        let after_half_close = c.read(&mut buf).unwrap();
        c.write_all(b"bye").unwrap();
        (name, after_half_close)
    });
    let (mut tap, tap_addr) = tap(server_addr, extra);
    let mut s = connect(tap_addr);
    assert_eq!(
        text(&read_n(&mut s, 8)),
        "Welcome!",
        "经过 tap 没有收到服务器的 Welcome!"
    );
    s.write_all(b"Michael").unwrap();
    assert_eq!(text(&read_n(&mut s, 15)), "Hello, Michael!");
    s.shutdown(Shutdown::Write).unwrap();
    assert_eq!(
        text(&read_all(&mut s)),
        "bye",
        "客户端只关闭了发送方向 (半关闭), 还应该收到服务器之后发的 bye"
    );
    let (name, after) = server.join().unwrap();
    assert_eq!(text(&name), "Michael");
    assert_eq!(after, 0, "服务器应该看到客户端的半关闭 (read 返回 0)");
    tap.wait_out("结束 closed", "the connection's last line");
    tap
}

/// The arrows of a diagram, in order: (to the server?, bytes, text).
fn arrows(picture: &str) -> Vec<(bool, usize, String)> {
    picture
        .lines()
        .filter(|l| l.contains(" 字节 ") && (l.contains("▶ │") || l.contains("│ ◀")))
        .map(|l| {
            let up = l.contains("▶ │");
            let before = &l[..l.find(" 字节 ").unwrap()];
            let size = before.rsplit(' ').next().unwrap().parse().unwrap();
            let text = l.rsplit("│  ").next().unwrap().to_string();
            (up, size, text)
        })
        .collect()
}

#[test]
fn diagram_lists_welcome_michael_hello_in_order_with_sizes() {
    let _hint = common::hint(
        "wiretap",
        "每块先画再转发, 箭头上是字节数, 后面是可读的内容; 管道里不要颜色",
    );
    let mut tap = welcome_exchange(&[]);
    let out = tap.stdout();
    let got = arrows(&out);
    let want = [
        (false, 8, "\"Welcome!\""),
        (true, 7, "\"Michael\""),
        (false, 15, "\"Hello, Michael!\""),
        (false, 3, "\"bye\""),
    ];
    let want: Vec<(bool, usize, String)> = want
        .iter()
        .map(|&(u, n, t)| (u, n, t.to_string()))
        .collect();
    assert_eq!(got, want, "图上的箭头不对:\n{out}");
    assert!(out.contains("FIN"), "半关闭应该画出来:\n{out}");
    assert!(
        !out.contains('\x1b'),
        "stdout 不是终端, 不应该有颜色代码:\n{out}"
    );
    assert!(
        out.lines()
            .all(|l| l.starts_with("#1 ") || !l.starts_with('#')),
        "{out}"
    );
}

#[test]
fn hex_shows_a_dump_under_each_chunk() {
    let _hint = common::hint("wiretap", "--hex: 每块下面每行 16 字节的十六进制");
    let mut tap = welcome_exchange(&["--hex"]);
    let out = tap.stdout();
    assert!(
        out.contains("0000  57 65 6c 63 6f 6d 65 21") && out.contains("|Welcome!|"),
        "{out}"
    );
}

/// Checks that `doc` is well-formed XML as far as a diagram needs: one root,
/// every tag closed in order, quoted attributes, only known entities.
fn check_well_formed(doc: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    let mut rest = doc;
    let check_text = |t: &str| -> Result<(), String> {
        for (i, _) in t.match_indices('&') {
            let entity = &t[i..t[i..].find(';').map_or(t.len(), |e| i + e + 1)];
            if !["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(&entity) {
                return Err(format!("unknown entity {entity:.10}"));
            }
        }
        Ok(())
    };
    while let Some(open) = rest.find('<') {
        check_text(&rest[..open])?;
        if !stack.is_empty() || rest[..open].trim().is_empty() {
        } else {
            return Err(format!("text outside the root: {:.20}", &rest[..open]));
        }
        let tag_and_more = &rest[open..];
        let close = tag_and_more.find('>').ok_or("a tag never ends")?;
        let tag = &tag_and_more[1..close];
        if tag.starts_with('?') || tag.starts_with('!') {
            // the XML declaration, a comment
        } else if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(open) if open == name.trim() => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
        } else {
            if !tag.matches('"').count().is_multiple_of(2) {
                return Err(format!("unbalanced quotes in <{tag:.30}>"));
            }
            check_text(tag)?;
            let name = tag.split_whitespace().next().ok_or("an empty tag")?;
            let name = name.trim_end_matches('/').to_string();
            if stack.is_empty() {
                roots += 1;
            }
            if !tag.ends_with('/') {
                stack.push(name);
            }
        }
        rest = &tag_and_more[close + 1..];
    }
    check_text(rest)?;
    match (stack.is_empty(), roots) {
        (true, 1) => Ok(()),
        (false, _) => Err(format!("never closed: {stack:?}")),
        (_, n) => Err(format!("{n} root elements")),
    }
}

#[test]
fn svg_is_well_formed_and_names_every_chunk() {
    let _hint = common::hint(
        "wiretap",
        "SVG 里的文字要转义 (& < > \"), 每个标签都要关闭; 连接结束时先写好文件再打印结束行",
    );
    let dir = TempDir::new("tap-svg");
    let file = dir.path().join("talk.svg");
    welcome_exchange(&["--svg", file.to_str().unwrap()]);
    let doc = fs::read_to_string(&file).expect("the SVG file");
    if let Err(why) = check_well_formed(&doc) {
        panic!("SVG 格式不对: {why}\n{doc}");
    }
    assert!(doc.starts_with("<?xml") && doc.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    let mut at = 0;
    for chunk in [
        "8 字节 &quot;Welcome!&quot;",
        "7 字节 &quot;Michael&quot;",
        "15 字节 &quot;Hello, Michael!&quot;",
        "3 字节 &quot;bye&quot;",
    ] {
        match doc[at..].find(chunk) {
            Some(i) => at += i + chunk.len(),
            None => panic!("SVG 里 (按顺序) 找不到 `{chunk}`:\n{doc}"),
        }
    }
}

#[test]
fn a_server_that_refuses_or_vanishes_closes_the_client_and_the_tap_lives_on() {
    let _hint = common::hint(
        "wiretap",
        "连不上服务器时打印一行原因, 关掉这个客户端, 接着 accept 下一个; 不能 panic 或退出",
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server_addr = listener.local_addr().unwrap();
    let (mut tap, tap_addr) = tap(server_addr, &[]);
    // While the server is there, the tap relays.
    let mut s = connect(tap_addr);
    let (mut c, _) = listener.accept().unwrap();
    c.write_all(b"hi").unwrap();
    assert_eq!(text(&read_n(&mut s, 2)), "hi");
    // The server vanishes: its port now refuses.
    drop((c, listener));
    assert_eq!(
        text(&read_all(&mut s)),
        "",
        "服务器关闭后, tap 也应该关闭客户端的连接"
    );
    for _ in 0..2 {
        let mut s = connect(tap_addr);
        assert_eq!(
            text(&read_all(&mut s)),
            "",
            "连不上服务器时, 客户端的连接应该被关闭"
        );
    }
    tap.wait_err("连不上服务器", "the line about the refusing server");
    tap.wait_err("#3 ", "the line about the third client");
    assert!(tap.is_running(), "tap 不应该因为服务器不在就退出");
    let err = tap.stderr();
    // One line per refused client. (Not an exact count of all lines: on a shared
    // machine a stranger's probe may land on the tap's port too.)
    for n in ["#2 ", "#3 "] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(n) && l.contains("连不上服务器")),
            "每个连不上服务器的客户端都应该有一行 ({n}):\n{err}"
        );
    }
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_tap_that_cannot_bind_says_why() {
    let _hint = common::hint(
        "wiretap",
        "bind 失败时用 support::bind_failed 说明原因, 不要 unwrap",
    );
    let held = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port().to_string();
    client(WIRETAP)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--to",
            "127.0.0.1:9",
        ])
        .assert()
        .code(1)
        .stderr(contains("已被占用"))
        .stderr(contains("panicked").not());
}

#[test]
fn upload_header_glues_to_the_data_through_coalesce_in_the_texts_format_only() {
    let _hint = common::hint(
        "wiretap",
        "--coalesce 把上传头和文件数据合成一次 write: 原文的头没有结束标记, 服务器把数据当成了文件名",
    );
    // The text's header (no end marker) and our newline-ended one, each sent by
    // the ready-made upload client as two writes (the header, then the data),
    // glued by the tap into one.
    for newline in [false, true] {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let server_addr = listener.local_addr().unwrap();
        let server = thread::spawn(move || {
            let (mut c, _) = listener.accept().unwrap();
            c.set_read_timeout(Some(DEADLINE)).unwrap();
            if newline {
                Err(peers::receive_uploads(c))
            } else {
                // The text's server: one recv(1024) for the header.
                let mut buf = [0u8; 1024];
                let n = c.read(&mut buf).unwrap();
                Ok(buf[..n].to_vec())
            }
        });
        let (_tap, tap_addr) = tap(server_addr, &["--coalesce", "1000"]);
        let mut s = connect(tap_addr);
        peers::upload(&mut s, "t.txt", b"hello", newline).unwrap();
        s.shutdown(Shutdown::Write).unwrap();
        match server.join().unwrap() {
            Ok(first_read) => assert_eq!(
                String::from_utf8_lossy(&first_read),
                "post|5|t.txthello",
                "原文的头和数据应当在一次 read 里一起到达: 文件名成了 t.txthello"
            ),
            Err(uploads) => assert_eq!(
                uploads.unwrap(),
                [peers::Upload {
                    header: b"post|5|t.txt".to_vec(),
                    data: b"hello".to_vec()
                }],
                "以换行结束的头, 粘在一起也能分开"
            ),
        }
    }
}

/// A datagram the test's UDP server received, and its sender.
type Received = (Vec<u8>, SocketAddr);

/// A UDP server played by the test: answers `Hello, <data>!` to each datagram and
/// returns, in order, what it received and from where.
fn hello_udp_server(count: usize) -> (SocketAddr, thread::JoinHandle<Vec<Received>>) {
    let sock = udp();
    let addr = sock.local_addr().unwrap();
    let handle = thread::spawn(move || {
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        while seen.len() < count {
            let Ok((n, from)) = sock.recv_from(&mut buf) else {
                break; // the deadline: the test reports what is missing
            };
            let data = buf[..n].to_vec();
            sock.send_to(&[b"Hello, ", &data[..], b"!"].concat(), from)
                .unwrap();
            seen.push((data, from));
        }
        seen
    });
    (addr, handle)
}

fn recv_text(sock: &std::net::UdpSocket, what: &str) -> String {
    let mut buf = [0u8; 4096];
    let (n, _) = sock
        .recv_from(&mut buf)
        .unwrap_or_else(|e| panic!("10 秒内没有收到 {what} ({e})"));
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[test]
fn udp_mode_relays_two_clients_and_routes_each_reply_back() {
    let _hint = common::hint(
        "wiretap",
        "--udp: 每个客户端要有自己通向服务器的套接字, 回答从哪个套接字回来就送回哪个客户端",
    );
    let (server_addr, server) = hello_udp_server(4);
    let (mut tap, tap_addr) = tap(server_addr, &["--udp"]);
    let (a, b) = (udp(), udp());
    a.send_to(b"Michael", tap_addr).unwrap();
    b.send_to(b"Tracy", tap_addr).unwrap();
    assert_eq!(
        recv_text(&b, "Tracy 的回答"),
        "Hello, Tracy!",
        "回答送错了客户端"
    );
    assert_eq!(
        recv_text(&a, "Michael 的回答"),
        "Hello, Michael!",
        "回答送错了客户端"
    );
    // Two datagrams back to back stay two: UDP keeps the boundaries.
    a.send_to(b"hello", tap_addr).unwrap();
    a.send_to(b"world", tap_addr).unwrap();
    assert_eq!(recv_text(&a, "hello 的回答"), "Hello, hello!");
    assert_eq!(recv_text(&a, "world 的回答"), "Hello, world!");
    let seen = server.join().unwrap();
    let data: Vec<&[u8]> = seen.iter().map(|(d, _)| &d[..]).collect();
    assert_eq!(data, [&b"Michael"[..], b"Tracy", b"hello", b"world"]);
    assert_ne!(
        seen[0].1, seen[1].1,
        "两个客户端在服务器看来应该是两个不同的地址"
    );
    assert_eq!(seen[0].1, seen[2].1, "同一个客户端一直用同一个套接字");
    tap.wait_out("数据报 5 字节", "the datagram's arrow");
}

#[test]
fn udp_datagram_larger_than_the_receivers_buffer_is_cut() {
    let _hint = common::hint(
        "wiretap",
        "--udp-buf N: 像 recvfrom(N) 一样只留下前 N 字节, 其余丢掉, 并在图上说出来",
    );
    let (server_addr, server) = hello_udp_server(1);
    let (mut tap, tap_addr) = tap(server_addr, &["--udp", "--udp-buf", "1024"]);
    let a = udp();
    let big = pattern(3000);
    a.send_to(&big, tap_addr).unwrap();
    let reply = recv_text(&a, "服务器的回答");
    assert!(reply.starts_with("Hello, "), "{reply:.40}");
    let seen = server.join().unwrap();
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0].0 == big[..1024],
        "服务器应该只收到前 1024 字节, 收到 {}",
        seen[0].0.len()
    );
    tap.wait_out("截断 cut: 3000 → 1024 字节", "the note on the cut datagram");
}

#[test]
fn quiet_draws_nothing_but_still_relays() {
    let _hint = common::hint("wiretap", "--quiet: 不画图, 但照样转发");
    let (server_addr, server) = one_shot_server(b"quiet please");
    let (mut tap, tap_addr) = tap(server_addr, &["--quiet"]);
    let mut s = connect(tap_addr);
    assert_eq!(text(&read_n(&mut s, 12)), "quiet please");
    drop(s);
    server.join().unwrap();
    // Nothing to wait for in a quiet tap: poll its output briefly for a stray line.
    let until = Instant::now() + Duration::from_millis(200);
    while Instant::now() < until {
        let out = tap.stdout();
        assert!(!out.contains("字节"), "--quiet 时不应该画图:\n{out}");
        thread::sleep(Duration::from_millis(10));
    }
}

/// Bytes as text for a failure message (`"hi!"`, not `[104, 105, 33]`).
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
