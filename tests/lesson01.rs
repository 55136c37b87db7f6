//! Lesson 01, TCP 基础: expected bytes written as the texts have them.
//!
//! Every test starts with a hint guard naming the program it grades. A scored test
//! runs that one program against the test itself or a ready peer
//! (`tests/common/peers/lesson01.rs`), so each exercise can be finished alone;
//! tests that pair two of our programs, or a peer with a reference program, are
//! named `pairing_…` and not scored. Failure messages say in plain Chinese what
//! was awaited and what came instead, bytes shown as text.

mod common;

use common::peers::lesson01 as peers;
use common::{accept_from, client, connect, read_all, Beside, Proc};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

const TCP_SERVER: &str = env!("CARGO_BIN_EXE_tcp_server");
const TCP_CLIENT: &str = env!("CARGO_BIN_EXE_tcp_client");
const UPPER_SERVER: &str = env!("CARGO_BIN_EXE_upper_server");
const UPPER_CLIENT: &str = env!("CARGO_BIN_EXE_upper_client");
const WELCOME_SERVER: &str = env!("CARGO_BIN_EXE_welcome_server");
const WELCOME_CLIENT: &str = env!("CARGO_BIN_EXE_welcome_client");
const HTTP_GET: &str = env!("CARGO_BIN_EXE_http_get");
const CHAT_SERVER: &str = env!("CARGO_BIN_EXE_chat_server");
const CHAT_CLIENT: &str = env!("CARGO_BIN_EXE_chat_client");
const IPADDR: &str = env!("CARGO_BIN_EXE_ipaddr");
const SOCKET_API: &str = env!("CARGO_BIN_EXE_socket_api");

/// `你好` in GBK, as 000's client sends it (`"你好".encode("gbk")`).
const NIHAO_GBK: &[u8] = b"\xc4\xe3\xba\xc3";

/// Whatever a one-shot program printed on stdout, as text.
fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

/// Whatever a one-shot program printed on stderr, as text.
fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

// ---------------------------------------------------------------------------
// tcp_server / tcp_client: 000 「服务器」「客户端」 (GBK), 001 (port 8898, `hi`)
// ---------------------------------------------------------------------------

#[test]
fn tcp_server_decodes_gbk_like_000_and_replies_thank_you() {
    let _hint = common::hint(
        "tcp_server",
        "按原文 000 用 gbk 解码 (support::gbk::decode), 打印 `接收到的数据为: ...`, 再回复 thank you !",
    );
    let (server, addr) = Proc::server(TCP_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    let mut s = connect(addr);
    s.write_all(NIHAO_GBK).unwrap();
    let reply = tcp_server_reply(&mut s);
    assert_bytes(
        &reply,
        b"thank you !",
        "服务器应该回复 `thank you !` 然后关闭连接",
    );
    let (status, out, err) = server.finish();
    assert!(
        status.success(),
        "服务器服务完一个客户端后应该正常退出: {err}"
    );
    // The whole line, so that a decode of all 1024 bytes (a thousand NULs after
    // the text) is seen.
    assert_printed_line(
        &out,
        "接收到的数据为:",
        "接收到的数据为: 你好",
        "服务器收到 GBK 字节 c4 e3 ba c3",
    );
}

/// tcp_server's reply, read to the end. Its first byte (or the close) must come
/// within a few seconds: the server reads once and answers at once, so a server
/// still silent then is waiting for something the client never does (to close
/// its side: `read_to_end` or a read loop), and the test says so at once instead
/// of waiting out the whole deadline.
fn tcp_server_reply(s: &mut TcpStream) -> Vec<u8> {
    const FIRST: Duration = Duration::from_secs(3);
    s.set_read_timeout(Some(FIRST)).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return got,
            Ok(n) => {
                got.extend_from_slice(&buf[..n]);
                break;
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => panic!(
                "客户端发出消息后 {} 秒, 服务器既没有回复也没有关闭连接: 它多半在等客户端关闭连接 \
                 (read_to_end, 或一直 read 到 0), 而原文的服务器只 recv 一次。第 3 步在 client 上只 read 一次, 读到多少就处理多少",
                FIRST.as_secs()
            ),
            // A reset is a close too: no reply.
            Err(e) if matches!(e.kind(), ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted) => {
                return got
            }
            Err(e) => panic!("在等服务器的回复时读取出错: {e}"),
        }
    }
    s.set_read_timeout(Some(common::DEADLINE)).unwrap();
    got.extend(read_all(s));
    got
}

/// Compares bytes and, when they differ, shows both as Python shows bytes and as
/// text (`b'hi\n'` / `"hi\n"`), never as lists of numbers.
fn assert_bytes(got: &[u8], want: &[u8], what: &str) {
    assert!(
        got == want,
        "{what}: 期望 {} ({:?}), 收到 {} ({})",
        peers::py_bytes(want),
        String::from_utf8_lossy(want),
        shown(&peers::py_bytes(got)),
        shown(&read_as(got))
    );
}

/// The same for GBK bytes: the expected ones shown read as GBK (`b'\xd0\xbb\xd0\xbb'`
/// is 谢谢 in GBK, not the UTF-8 "лл"), what came read both ways where it can be.
fn assert_gbk_bytes(got: &[u8], want: &[u8], what: &str) {
    assert!(
        got == want,
        "{what}: 期望 {} (按 GBK 读是 {:?}), 收到 {} ({})",
        peers::py_bytes(want),
        support::gbk::decode(want),
        shown(&peers::py_bytes(got)),
        shown(&read_as(got))
    );
}

/// Bytes read as text the ways they can be: as UTF-8 if they are valid UTF-8, as
/// GBK if they are valid GBK; `无法当作文字读` if neither.
fn read_as(bytes: &[u8]) -> String {
    let mut ways = Vec::new();
    if let Ok(text) = std::str::from_utf8(bytes) {
        ways.push(format!("按 UTF-8 读是 {text:?}"));
    }
    let gbk = support::gbk::decode(bytes);
    if !gbk.contains('\u{FFFD}') && !bytes.is_ascii() {
        ways.push(format!("按 GBK 读是 {gbk:?}"));
    }
    if ways.is_empty() {
        "无法当作文字读".to_string()
    } else {
        ways.join("; ")
    }
}

/// Lines as a student would see them: a run of NULs collapsed (`\0 × 1020`),
/// other control characters escaped, each line cut at 200 characters.
fn shown(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\0' {
            let mut run = 1;
            while chars.peek() == Some(&'\0') {
                chars.next();
                run += 1;
            }
            out.push_str(&format!("\\0 × {run}"));
        } else if c.is_control() && c != '\n' {
            out.push_str(&c.escape_default().to_string());
        } else {
            out.push(c);
        }
    }
    out.lines()
        .map(|l| match l.char_indices().nth(200) {
            Some((at, _)) => format!("{} …", &l[..at]),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks that the line of `out` starting with `start` is exactly `want`: the
/// text's program prints that line and nothing more on it.
fn assert_printed_line(out: &str, start: &str, want: &str, after: &str) {
    let Some(line) = out.lines().find(|l| l.starts_with(start)) else {
        panic!(
            "{after}, 应该打印 `{want}`; 它没有打印以 `{start}` 开头的行:\n{}",
            shown(out)
        );
    };
    let nuls = line.chars().filter(|&c| c == '\0').count();
    let why = if nuls > 0 {
        format!(" (多了 {nuls} 个 NUL 字符: 只能解码读到的那 n 个字节, 不是整个 1024 字节的缓冲区)")
    } else {
        String::new()
    };
    assert!(
        line == want,
        "{after}, 应该打印 `{want}`, 实际打印了 `{}`{why}",
        shown(line)
    );
}

#[test]
fn tcp_server_encodes_its_reply_in_gbk() {
    let _hint = common::hint(
        "tcp_server",
        "回复要先用 gbk 编码 (原文 \"thank you !\".encode('gbk')), 不是直接发 UTF-8 字节",
    );
    let args = ["--host", "127.0.0.1", "--port", "0", "--reply", "谢谢"];
    let (_server, addr) = Proc::server(TCP_SERVER, &args);
    let mut s = connect(addr);
    s.write_all(b"hi").unwrap();
    let reply = tcp_server_reply(&mut s);
    assert_gbk_bytes(
        &reply,
        b"\xd0\xbb\xd0\xbb",
        "回复应该是 `谢谢` 的 GBK 字节 (原文 encode('gbk'))",
    );
}

#[test]
fn tcp_server_refuses_a_reply_gbk_cannot_write() {
    let _hint = common::hint(
        "tcp_server",
        "回复用 gbk::encode 编码, 写不出的字符用 fail 报一行错误, 不要 unwrap",
    );
    let args = ["--host", "127.0.0.1", "--port", "0", "--reply", "ok 😀"];
    let (server, addr) = Proc::server(TCP_SERVER, &args);
    let mut s = connect(addr);
    s.write_all(b"hi").unwrap();
    let got = tcp_server_reply(&mut s); // end of file, or a reset: either way no reply
    assert!(
        got.is_empty(),
        "编码失败时不应该发出任何字节, 实际发了 {}",
        peers::py_bytes(&got)
    );
    let (status, _, err) = server.finish();
    assert_eq!(status.code(), Some(1), "应该以退出码 1 结束: {err}");
    assert!(err.contains("U+1F600"), "应该说明哪个字符写不出: {err}");
    assert!(!err.contains("panicked"), "不应该 panic: {err}");
}

#[test]
fn tcp_server_encoding_utf8_uses_utf8_both_ways() {
    let _hint = common::hint(
        "tcp_server",
        "--encoding utf-8 时收到的字节按 UTF-8 解码 (String::from_utf8_lossy), 回复也用 UTF-8",
    );
    let args = ["--host", "127.0.0.1", "--port", "0"];
    let (server, addr) = Proc::server(
        TCP_SERVER,
        &[&args[..], &["--encoding", "utf-8", "--reply", "谢谢"]].concat(),
    );
    let mut s = connect(addr);
    s.write_all("你好".as_bytes()).unwrap();
    let reply = tcp_server_reply(&mut s);
    assert_bytes(&reply, "谢谢".as_bytes(), "回复应该是 `谢谢` 的 UTF-8 字节");
    let (_, out, _) = server.finish();
    assert_printed_line(
        &out,
        "接收到的数据为:",
        "接收到的数据为: 你好",
        "用 --encoding utf-8 收到 你好 的 UTF-8 字节",
    );
}

#[test]
fn tcp_server_prints_only_the_bytes_it_received() {
    let _hint = common::hint(
        "tcp_server",
        "read 返回读到的字节数 n: 只解码 buf[..n], 不是整个 1024 字节的缓冲区 (后面全是 0)",
    );
    let args = ["--host", "127.0.0.1", "--port", "0", "--encoding", "utf-8"];
    let (server, addr) = Proc::server(TCP_SERVER, &args);
    let mut s = connect(addr);
    s.write_all(b"hi").unwrap();
    assert_bytes(
        &tcp_server_reply(&mut s),
        b"thank you !",
        "服务器应该回复 `thank you !`",
    );
    let (_, out, _) = server.finish();
    assert_printed_line(
        &out,
        "接收到的数据为:",
        "接收到的数据为: hi",
        "收到 2 个字节 hi",
    );
}

#[test]
fn tcp_server_survives_bytes_that_are_not_utf8_or_gbk() {
    let _hint = common::hint(
        "tcp_server",
        "解码不能失败: 用 String::from_utf8_lossy 或 gbk::decode (坏字节变成 U+FFFD), 不要 from_utf8 再 unwrap",
    );
    for (encoding, sent, want) in [
        (
            "utf-8",
            &b"ok\xff\xfe"[..],
            "接收到的数据为: ok\u{FFFD}\u{FFFD}",
        ),
        ("gbk", &b"ok\xff"[..], "接收到的数据为: ok\u{FFFD}"),
    ] {
        let args = ["--host", "127.0.0.1", "--port", "0", "--encoding", encoding];
        let (server, addr) = Proc::server(TCP_SERVER, &args);
        let mut s = connect(addr);
        s.write_all(sent).unwrap();
        let reply = tcp_server_reply(&mut s);
        let (status, out, err) = server.finish();
        assert!(
            !err.contains("panicked"),
            "收到 {} 编码里无效的字节时服务器 panic 了:\n{err}",
            encoding
        );
        assert_eq!(
            String::from_utf8_lossy(&reply),
            "thank you !",
            "收到无效的字节也应该照常回复 `thank you !` ({encoding}); 服务器: {err}"
        );
        assert!(status.success(), "应该正常退出: {err}");
        assert_printed_line(
            &out,
            "接收到的数据为:",
            want,
            &format!(
                "用 --encoding {encoding} 收到坏字节 {}",
                lesson01::py_bytes(sent)
            ),
        );
    }
}

#[test]
fn tcp_server_a_client_that_leaves_without_a_word_is_no_panic() {
    let _hint = common::hint(
        "tcp_server",
        "客户端什么也没发就走了: read 返回 0, 打印空的一行, 回复失败时 or_exit 报一行错误; 不要 unwrap",
    );
    let (server, addr) = Proc::server(TCP_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    drop(connect(addr));
    let (_, out, err) = server.finish();
    assert!(
        !err.contains("panicked"),
        "客户端一言不发就离开时服务器 panic 了:\n{err}"
    );
    assert!(
        err.trim().lines().count() <= 1,
        "出错时只应该有一行说明:\n{err}"
    );
    assert_printed_line(
        &out,
        "接收到的数据为:",
        "接收到的数据为: ",
        "客户端什么也没发 (read 返回 0)",
    );
}

#[test]
fn tcp_server_reply_flag_reproduces_001s_hi() {
    let _hint = common::hint(
        "tcp_server",
        "--reply 的内容要原样发给客户端 (001 的服务器回复 b'hi')",
    );
    let args = ["--host", "127.0.0.1", "--port", "0", "--reply", "hi"];
    let (server, addr) = Proc::server(TCP_SERVER, &args);
    let mut s = connect(addr);
    s.write_all(b"hello!").unwrap();
    assert_bytes(&tcp_server_reply(&mut s), b"hi", "001 的服务器回复 `hi`");
    let (_, out, _) = server.finish();
    assert!(
        out.contains("接收到的数据为: hello!"),
        "应该打印收到的 hello!:\n{out}"
    );
}

/// The test plays the server: it checks what the client sends and answers `reply`.
/// It fails as soon as the bytes that came cannot be the start of `expect`.
fn one_shot_server(expect: &'static [u8], reply: &'static [u8]) -> (u16, Beside<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = Beside::spawn(move |ended| {
        let mut c = accept_from(&listener, &ended, "客户端");
        let mut got = Vec::new();
        let mut buf = [0u8; 256];
        while got.len() < expect.len() && expect.starts_with(&got) {
            // A whole buffer, so that bytes sent beyond `expect` in the same
            // write (an added newline) are seen too.
            match c.read(&mut buf) {
                Ok(0) => panic!(
                    "客户端发来 {} 之后就关闭了连接, 期望 {}",
                    peers::py_bytes(&got),
                    peers::py_bytes(expect)
                ),
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) => panic!(
                    "在等客户端发来的 {}: {} (已收到 {})",
                    peers::py_bytes(expect),
                    common::describe(&e),
                    peers::py_bytes(&got)
                ),
            }
        }
        assert!(
            got == expect,
            "客户端发来的字节不对: 期望 {} ({}), 实际 {} ({})",
            peers::py_bytes(expect),
            read_as(expect),
            peers::py_bytes(&got),
            read_as(&got)
        );
        c.write_all(reply).unwrap();
    });
    (port, handle)
}

#[test]
fn tcp_client_sends_gbk_like_000_and_decodes_the_reply_as_utf8() {
    let _hint = common::hint(
        "tcp_client",
        "原文 000 的客户端用 gbk 编码发送 (support::gbk::encode), 回复按 UTF-8 解码 (String::from_utf8_lossy)",
    );
    let (port, server) = one_shot_server(NIHAO_GBK, "谢谢".as_bytes());
    // The reply comes as soon as the message is in: a client that never sends
    // it (a BufWriter not flushed) gives up after 3 s, and the test fails then.
    let assert = client(TCP_CLIENT)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--message", "你好", "--timeout", "3"])
        .assert();
    let out = stdout_of(&assert);
    server.join(assert.get_output());
    assert_printed_line(
        &out,
        "接收到的数据为:",
        "接收到的数据为: 谢谢",
        "服务器回复 `谢谢` 的 UTF-8 字节",
    );
    assert.success();
}

#[test]
fn tcp_client_against_the_ready_000_server_prints_thank_you() {
    let _hint = common::hint(
        "tcp_client",
        "连上服务器, 发送 gbk 编码的消息, read 一次, 打印 `接收到的数据为: thank you !`",
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let server = Beside::spawn(move |ended| {
        let c = accept_from(&listener, &ended, "客户端");
        peers::serve_tcp_client(c).unwrap_or_else(|e| panic!("{}", common::describe(&e)))
    });
    let assert = client(TCP_CLIENT)
        .args(["--host", "127.0.0.1", "--port", &port, "--message", "你好"])
        .assert();
    let got = server.join(assert.get_output());
    assert_gbk_bytes(
        &got,
        b"\xc4\xe3\xba\xc3",
        "客户端应该发出 你好 的 gbk 字节 (000 用 encode(\"gbk\")), 不多不少",
    );
    let out = stdout_of(&assert);
    assert_printed_line(
        &out,
        "接收到的数据为:",
        "接收到的数据为: thank you !",
        "服务器回复 `thank you !`",
    );
    assert.success();
}

#[test]
fn tcp_client_encoding_utf8_sends_utf8() {
    let _hint = common::hint(
        "tcp_client",
        "--encoding utf-8 时消息直接发它的 UTF-8 字节, 不用 gbk 编码",
    );
    let (port, server) = one_shot_server("你好".as_bytes(), b"hi");
    let assert = client(TCP_CLIENT)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--message", "你好", "--encoding", "utf-8"])
        .assert();
    server.join(assert.get_output());
    assert.success().stdout(contains("接收到的数据为: hi"));
}

#[test]
fn tcp_client_refuses_a_character_gbk_cannot_write_and_sends_nothing() {
    let _hint = common::hint(
        "tcp_client",
        "GBK 写不出的字符 (表情符号) 要报一行错误退出, 不能发出去, 也不能 panic",
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let assert = client(TCP_CLIENT)
        .args(["--host", "127.0.0.1", "--port", &port, "--message", "hi😀"])
        .assert()
        .code(1)
        .stderr(contains("U+1F600"))
        .stderr(contains("GBK"));
    assert!(!stderr_of(&assert).contains("panicked"), "不应该 panic");
    // The client did connect (step 2) but sent nothing before it gave up.
    let ended = common::Ended::default();
    ended.record(assert.get_output().status, &assert.get_output().stderr);
    let mut c = accept_from(&listener, &ended, "客户端");
    assert_bytes(&read_all(&mut c), b"", "编码失败时不应该发出任何字节");
}

#[test]
fn tcp_client_asks_like_the_text_when_flags_are_missing() {
    let _hint = common::hint(
        "tcp_client",
        "缺少参数时像原文一样提问, 提示要立刻显示出来 (print! 之后 flush), 再读一行回答",
    );
    let (port, server) = one_shot_server(b"\xd6\xd0\xce\xc4", b"thank you !"); // 中文 in GBK
    let mut p = Proc::spawn(TCP_CLIENT, &[]);
    // Each prompt must be on the screen before the answer is typed.
    p.wait_out("请输入服务器ip:", "原文的第一个提问");
    p.type_line("127.0.0.1");
    p.wait_out("请输入服务器port:", "原文的第二个提问");
    p.type_line(&port.to_string());
    p.wait_out("请输入要发送的数据：", "原文的第三个提问");
    p.type_line("中文");
    p.wait_out("接收到的数据为: thank you !", "服务器的回复");
    let (status, _, err) = p.finish();
    server.join_status(status, err.as_bytes());
}

#[test]
fn pairing_tcp_client_against_tcp_server_end_to_end_in_gbk() {
    #[rustfmt::skip]
    let _hint = common::hint("pairing", "两个程序都按原文 000 的编码: 客户端 gbk 发送, 服务器 gbk 解码并回复 thank you !; 这个测试同时运行你的 tcp_server 和 tcp_client: 两端都要完成");
    let (server, addr) = Proc::server(TCP_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    client(TCP_CLIENT)
        .args(["--host", "127.0.0.1", "--port", &addr.port().to_string()])
        .args(["--message", "你好"])
        .assert()
        .success()
        .stdout(contains("接收到的数据为: thank you !"));
    let (_, out, _) = server.finish();
    assert!(
        out.contains("接收到的数据为: 你好"),
        "服务器应该打印 你好:\n{out}"
    );
}

/// A loopback port where nobody listens and that no other program can take
/// meanwhile: the local port of a connected client socket (kept alive by the
/// returned pair). A port freed by closing a listener could be reused at once by
/// another test on this shared machine.
fn port_nobody_listens_on() -> ((TcpListener, TcpStream), u16) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let port = client.local_addr().unwrap().port();
    ((listener, client), port)
}

#[test]
fn refused_connection_is_one_clear_line_and_exit_1() {
    let _hint = common::hint(
        "tcp_client",
        "连接失败时用 or_exit 报一行中文错误并退出 1, 不要 unwrap (会 panic)",
    );
    let (_keep, port) = port_nobody_listens_on();
    let port = port.to_string();
    let assert = client(TCP_CLIENT)
        .args(["--host", "127.0.0.1", "--port", &port, "--message", "x"])
        .assert()
        .code(1)
        .stderr(contains("连接被拒绝"))
        .stderr(contains(format!("127.0.0.1:{port}")));
    let err = stderr_of(&assert);
    assert!(!err.contains("panicked"), "不应该 panic: {err}");
    assert_eq!(err.trim().lines().count(), 1, "错误只应该有一行: {err}");
}

#[test]
fn a_silent_server_is_a_timeout_not_a_hang() {
    let _hint = common::hint(
        "tcp_client",
        "连接后要 set_read_timeout, 否则服务器不回答时客户端会一直等",
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    // The listener never answers: the connection waits in its queue. The client
    // should give up after 0.3 s; it is killed (and the test fails) after 3 s.
    client(TCP_CLIENT)
        .args(["--host", "127.0.0.1", "--port", &port, "--message", "x"])
        .args(["--timeout", "0.3"])
        .timeout(std::time::Duration::from_secs(3))
        .assert()
        .code(1)
        .stderr(contains("等待超时"));
    drop(listener);
}

#[test]
fn bad_ports_and_flags_are_clear_errors_not_panics() {
    // Plumbing (support's Cli), the same in every program: graded as `support`.
    let _hint = common::hint("support", "端口和参数的检查在 support::Cli 里, 不要改它");
    for bad in ["abc", "70000", "-1"] {
        let assert = client(TCP_SERVER)
            .args(["--port", bad])
            .assert()
            .code(1)
            .stderr(contains("端口必须是 0 到 65535 之间的整数"));
        assert!(!stderr_of(&assert).contains("panicked"), "不应该 panic");
        // The same through the client's prompt.
        client(TCP_CLIENT)
            .write_stdin(format!("127.0.0.1\n{bad}\n"))
            .assert()
            .code(1)
            .stderr(contains(format!("`{bad}`")));
    }
    client(TCP_CLIENT)
        .write_stdin("")
        .assert()
        .code(1)
        .stderr(contains("没有读到输入 (请输入服务器ip:)"));
    client(TCP_CLIENT)
        .args(["--bogus", "1"])
        .assert()
        .code(1)
        .stderr(contains("不认识的参数 `--bogus`"));
    client(TCP_CLIENT)
        .args(["--timeout", "0", "--host", "127.0.0.1"])
        .assert()
        .code(1)
        .stderr(contains("--timeout 必须是大于 0 的秒数"));
    client(TCP_SERVER)
        .args(["--encoding", "latin1"])
        .assert()
        .code(1)
        .stderr(contains("--encoding 只能是 gbk 或 utf-8"));
    client(TCP_SERVER)
        .arg("--help")
        .assert()
        .success()
        .stdout(contains("用法 usage: tcp_server"));
}

#[test]
fn port_in_use_names_the_port_and_how_to_find_its_holder() {
    let _hint = common::hint(
        "tcp_server",
        "bind 失败时交给 support::bind_failed, 它会说端口被谁占用、怎么找",
    );
    let holder = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port().to_string();
    let assert = client(TCP_SERVER)
        .args(["--host", "127.0.0.1", "--port", &port])
        .assert()
        .code(1)
        .stderr(contains(format!("端口 {port} 已被占用")))
        .stderr(contains("正在监听"));
    let err = stderr_of(&assert);
    let find = if cfg!(windows) {
        format!("netstat -ano | findstr :{port}")
    } else {
        format!("lsof -i:{port}")
    };
    assert!(
        err.contains(&find),
        "应该告诉学生用 `{find}` 找到占用者: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !err.contains("TIME_WAIT"),
        "有程序在监听, 不是 TIME_WAIT: {err}"
    );
}

/// Linux refuses a bind while a connection of a socket WITHOUT SO_REUSEADDR
/// (like the text's Python server, or any client) still holds the port after an
/// active close (FIN_WAIT_2, then TIME_WAIT); nobody listens there.
#[cfg(target_os = "linux")]
#[test]
fn port_held_only_by_time_wait_says_wait_or_use_so_reuseaddr() {
    let _hint = common::hint(
        "tcp_server",
        "bind 失败时交给 support::bind_failed: 没人监听时它会说明 TIME_WAIT",
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    // std's connect sets no SO_REUSEADDR on the client socket.
    let early = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let port = early.local_addr().unwrap().port();
    let (mut served, _) = listener.accept().unwrap();
    drop(early); // the client closes first: its end lingers, holding `port`
    served.set_read_timeout(Some(common::DEADLINE)).unwrap();
    assert_bytes(
        &read_all(&mut served),
        b"",
        "准备: 客户端关闭后, 服务器这一端应该读到结束",
    );
    drop(served);
    drop(listener);

    let port = port.to_string();
    let assert = client(TCP_SERVER)
        .args(["--host", "127.0.0.1", "--port", &port])
        .assert()
        .code(1)
        .stderr(contains(format!("端口 {port} 暂时不能用")))
        .stderr(contains("TIME_WAIT"))
        .stderr(contains("SO_REUSEADDR"));
    let err = stderr_of(&assert);
    assert!(
        !err.contains("lsof"),
        "没有程序在监听, 不该让学生去找它: {err}"
    );
}

#[test]
fn restart_on_the_same_port_right_after_a_served_client_binds_at_once() {
    let _hint = common::hint(
        "tcp_server",
        "服务器要在回复后关闭连接并退出; std 的 bind 已经设置了 SO_REUSEADDR, 重启能立刻绑定",
    );
    // The server closes the connection first, so its side stays in TIME_WAIT.
    // Without SO_REUSEADDR (001 「端口已被占用」) the second bind would fail.
    let (server, addr) = Proc::server(TCP_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    let mut s = connect(addr);
    s.write_all(b"first").unwrap();
    assert_bytes(
        &read_all(&mut s),
        b"thank you !",
        "第一次运行应该回复 thank you !",
    );
    drop(s);
    let (status, _, err) = server.finish();
    assert!(status.success(), "服务完一个客户端后应该正常退出: {err}");

    let port = addr.port().to_string();
    let (_again, addr2) = Proc::server(TCP_SERVER, &["--host", "127.0.0.1", "--port", &port]);
    assert_eq!(addr2, addr, "重启后应该监听同一个地址");
    let mut s = connect(addr2);
    s.write_all(b"second").unwrap();
    assert_bytes(&read_all(&mut s), b"thank you !", "重启后应该照常回复");
}

// ---------------------------------------------------------------------------
// upper_server / upper_client: 004 「实例」「多次交互」「socketserver实现并发」
// ---------------------------------------------------------------------------

/// Sends `msg` and reads the reply with one read, as the text's client does.
/// Sends `msg` and reads one reply. When none comes (a close, a reset, a
/// timeout) it fails saying so, followed by `if_none`, the likely mistake then.
/// Then compares the reply with `want`, showing both as text when they differ.
fn round_trip(s: &mut TcpStream, msg: &[u8], want: &[u8], if_none: &str) {
    let shown = String::from_utf8_lossy(msg);
    if let Err(e) = s.write_all(msg) {
        panic!("发送 {shown:?} 失败: {}。{if_none}", common::describe(&e));
    }
    let mut buf = [0u8; 1024];
    match s.read(&mut buf) {
        Ok(0) => panic!("发出 {shown:?} 后服务器关闭了连接, 没有回复。{if_none}"),
        Ok(n) => assert!(
            buf[..n] == *want,
            "对 {shown:?} 的回复应该是 {:?}, 收到的却是 {:?}",
            String::from_utf8_lossy(want),
            String::from_utf8_lossy(&buf[..n])
        ),
        Err(e) => panic!(
            "没有收到对 {shown:?} 的回复: {}。{if_none}",
            common::describe(&e)
        ),
    }
}

#[test]
fn upper_server_upper_cases_survives_a_reset_and_serves_the_next_client() {
    let _hint = common::hint(
        "upper_server",
        "两层循环: 外层 accept, 内层 read/write; 读到 0 或出错只结束这个客户端, 外层接着 accept",
    );
    let (mut server, addr) = Proc::server(UPPER_SERVER, &["--port", "0"]);

    let mut first = connect(addr);
    let reply = "连上后服务器要循环: read 一次, 转成大写 (只有 ASCII 字母变), write_all 发回";
    round_trip(&mut first, b"hello", b"HELLO", reply);
    round_trip(
        &mut first,
        "abc 你好".as_bytes(),
        "ABC 你好".as_bytes(),
        reply,
    );
    server.wait_out("客户端发来的消息是： hello", "服务器打印收到的消息");

    // Closing with unread bytes in the receive buffer makes the kernel send a
    // reset (RST) instead of a normal close.
    // `peek` waits until the reply is in our buffer without reading it.
    first.write_all(b"unread").unwrap();
    let mut buf = [0u8; 16];
    assert!(first.peek(&mut buf).unwrap() > 0);
    drop(first);
    // Under Wine the unread bytes may already sit in Wine's own buffer, so the
    // close is a normal one; there the next client being served is the check.
    if cfg!(unix) {
        server.wait_err("连接被对方重置", "服务器记下连接被重置, 然后继续");
    }

    let mut second = connect(addr);
    let only_one = "服务器只服务了一个客户端就不再回答了? accept 要写在外层循环里";
    round_trip(&mut second, b"next one", b"NEXT ONE", only_one);
    drop(second);
    server.wait_out("已断开", "第二个客户端正常离开");

    let mut third = connect(addr);
    round_trip(&mut third, b"third", b"THIRD", only_one);
    assert!(server.is_running(), "服务器不应该退出");
}

#[test]
fn upper_server_once_serves_one_message_then_exits() {
    let _hint = common::hint(
        "upper_server",
        "--once 是 004 「实例」: accept 一个客户端, 收一次, 回大写, 打印 b'...' 形式的字节, 退出",
    );
    let (server, addr) = Proc::server(UPPER_SERVER, &["--port", "0", "--once"]);
    let mut s = connect(addr);
    s.write_all("only 你".as_bytes()).unwrap();
    assert_bytes(&read_all(&mut s), "ONLY 你".as_bytes(), "回复不对");
    let (status, out, _) = server.finish();
    assert!(status.success(), "服务完一个客户端后应该正常退出");
    assert!(
        out.contains(r"客户端发来的消息是： b'only \xe4\xbd\xa0'"),
        "原文 「实例」 直接打印字节对象: {out}"
    );
}

#[test]
fn upper_client_prints_each_reply_and_stops_at_an_empty_line() {
    let _hint = common::hint(
        "upper_client",
        "循环: 在 >>: 后读一行, 空行就退出, 否则发送, read 一次, 打印 `服务端发来的消息 ...`",
    );
    let (port, server) = ready_upper_server();
    let assert = client(UPPER_CLIENT)
        .args(["--port", &port])
        .write_stdin("hello\nworld\n\nnever sent\n")
        .assert();
    let got = server.join(assert.get_output());
    let sent: Vec<String> = got.iter().map(|m| peers::py_bytes(m)).collect();
    assert_eq!(
        sent,
        ["b'hello'", "b'world'"],
        "客户端应该逐行发出 hello 和 world (不带换行), 空行之后就关闭连接"
    );
    assert
        .success()
        .stdout(contains(">>:"))
        .stdout(contains("服务端发来的消息 HELLO\n"))
        .stdout(contains("服务端发来的消息 WORLD\n"))
        .stdout(contains(">>: ").not()) // 「多次交互」 has no space; the socketserver section does
        .stdout(contains("收到").not())
        .stdout(contains("NEVER").not());
}

/// The ready 004 server (the peer of upper_client) on a free port, serving one
/// client; joined, it gives what the client sent, one entry per read.
fn ready_upper_server() -> (String, Beside<Vec<Vec<u8>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let server = Beside::spawn(move |ended| {
        let c = accept_from(&listener, &ended, "客户端");
        peers::serve_upper_client(c).unwrap_or_else(|e| panic!("{}", common::describe(&e)))
    });
    (port, server)
}

#[test]
fn upper_client_once_sends_nihao_and_prints_the_bytes_like_004() {
    let _hint = common::hint(
        "upper_client",
        "--once 是 004 「实例」: 发一次 你好 (UTF-8), read 一次, 打印 b'...' 形式的字节",
    );
    let (port, server) = one_shot_server("你好".as_bytes(), "你好".as_bytes());
    let assert = client(UPPER_CLIENT)
        .args(["--port", &port.to_string(), "--once"])
        .assert();
    server.join(assert.get_output());
    assert
        .success()
        .stdout(contains(r"服务端发来的消息 b'\xe4\xbd\xa0\xe5\xa5\xbd'"));
}

#[test]
fn upper_client_socketserver_mode_speaks_like_that_section() {
    let _hint = common::hint(
        "upper_client",
        "--socketserver: 提示 `>>: `, 去掉首尾空白, 打印 `收到服务端发来的消息： ...`",
    );
    let (port, server) = ready_upper_server();
    let assert = client(UPPER_CLIENT)
        .args(["--port", &port, "--socketserver"])
        .write_stdin("  hello  \n   \nnever\n")
        .assert();
    let got = server.join(assert.get_output());
    assert_eq!(
        got.iter().map(|m| peers::py_bytes(m)).collect::<Vec<_>>(),
        ["b'hello'"],
        "去掉首尾空白后只发出 hello"
    );
    assert
        .success()
        .stdout(contains(">>: "))
        .stdout(contains("收到服务端发来的消息： HELLO"))
        .stdout(contains("NEVER").not());
}

// ---------------------------------------------------------------------------
// welcome_server / welcome_client: 002 「简单实例」
// ---------------------------------------------------------------------------

#[test]
fn welcome_server_greets_three_clients_in_a_row() {
    let _hint = common::hint(
        "welcome_server",
        "永远循环: accept, 打印 `连接地址: ...`, 发 `欢迎访问！\\r\\n` (UTF-8), 关闭这个连接",
    );
    let (mut server, addr) = Proc::server(WELCOME_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    for i in 1..=3 {
        let mut s = connect(addr);
        let got = read_all(&mut s);
        assert_bytes(
            &got,
            "欢迎访问！\r\n".as_bytes(),
            &format!("第 {i} 个客户端应该收到 `欢迎访问！\\r\\n` 然后连接关闭"),
        );
        server.wait_out("连接地址: 127.0.0.1:", "服务器打印客户端的地址");
    }
}

#[test]
fn welcome_server_binds_this_hosts_name_by_default() {
    let _hint = common::hint(
        "welcome_server",
        "不给 --host 时绑定本机主机名 (lesson01::sockopt::hostname, 即 socket.gethostname())",
    );
    // 002 binds `socket.gethostname()`; with --port 0 we check it binds, announces
    // and greets a client there.
    let (_server, addr) = Proc::server(WELCOME_SERVER, &["--port", "0"]);
    let mut s = connect(addr);
    assert_bytes(&read_all(&mut s), "欢迎访问！\r\n".as_bytes(), "回复不对");
}

#[test]
fn welcome_client_prints_what_the_server_sent() {
    let _hint = common::hint(
        "welcome_client",
        "connect_timeout 连上服务器, read 一次, 按 UTF-8 解码后打印",
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let server = Beside::spawn(move |ended| {
        let mut c = accept_from(&listener, &ended, "客户端");
        c.write_all("欢迎访问！\r\n".as_bytes()).unwrap();
    });
    let assert = client(WELCOME_CLIENT)
        .args(["--host", "127.0.0.1", "--port", &port])
        .assert();
    server.join(assert.get_output());
    assert.success().stdout("欢迎访问！\r\n");
}

// ---------------------------------------------------------------------------
// http_get: 003 「1.2.1客户端」
// ---------------------------------------------------------------------------

/// The ready web server (the peer of http_get): reads the request up to its
/// blank line, answers `response` in many small writes, closes.
fn http_responder(response: Vec<u8>) -> (u16, Beside<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = Beside::spawn(move |ended| {
        let c = accept_from(&listener, &ended, "客户端");
        peers::serve_http_get(c, &response).unwrap_or_else(|e| {
            panic!(
                "没有收到完整的请求 (以空行 \\r\\n\\r\\n 结束): {}",
                common::describe(&e)
            )
        })
    });
    (port, handle)
}

#[test]
fn http_get_saves_a_body_over_100k_sent_in_small_writes_byte_identical() {
    let _hint = common::hint(
        "http_get",
        "要循环 read 直到返回 0 (服务器关闭), 只读一次会丢掉大部分正文",
    );
    let body = common::pattern(150_000);
    let mut response =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Test: yes\r\n\r\n".to_vec();
    response.extend_from_slice(&body);
    let (port, server) = http_responder(response);
    let dir = common::TempDir::new("http");
    let out = dir.path().join("page.html");
    let assert = client(HTTP_GET)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--out", out.to_str().unwrap()])
        .assert();
    let request = server.join(assert.get_output());
    assert
        .success()
        .stdout(contains(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Test: yes\n",
        ))
        .stdout(contains("150000"));
    assert_bytes(
        &request,
        format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").as_bytes(),
        "请求要和原文的一字不差",
    );
    let saved = std::fs::read(&out).unwrap();
    assert_eq!(saved.len(), body.len(), "保存的正文长度不对");
    assert_eq!(
        common::fnv(&saved),
        common::fnv(&body),
        "保存的正文内容不对"
    );
}

#[test]
fn http_get_without_a_blank_line_is_a_clear_error() {
    let _hint = common::hint(
        "http_get",
        "响应里找不到 \\r\\n\\r\\n 时报一行错误退出 1, 不要 panic, 也不要写文件",
    );
    let (port, server) = http_responder(b"HTTP/1.1 200 OK\r\nno blank line here".to_vec());
    let dir = common::TempDir::new("http-bad");
    let out = dir.path().join("page.html");
    let assert = client(HTTP_GET)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--out", out.to_str().unwrap()])
        .assert();
    server.join(assert.get_output());
    assert.code(1).stderr(contains("没有空行"));
    assert!(!out.exists(), "出错时不应该留下文件");
}

// ---------------------------------------------------------------------------
// chat_server / chat_client: 003 「socket，可聊天应用」
// ---------------------------------------------------------------------------

#[test]
fn chat_server_answers_with_its_users_lines_and_goes_on_with_the_next_client() {
    let _hint = common::hint(
        "chat_server",
        "内层循环: read, 读到 0 表示客户端离开 (回到 accept), 否则打印 `....... 消息` 再发回自己用户输入的一行",
    );
    let (mut server, addr) = Proc::server(CHAT_SERVER, &["--port", "0"]);
    // The server's user types its answers in advance; they are read in turn.
    server.type_line("pong one");
    server.type_line("pong two");
    server.type_line("to the second client");
    // No more input: a server that keeps reading from a client that has left
    // (no check for 0 bytes) runs out of lines and ends at once, not in 10 s.
    server.close_stdin();
    let mut first = connect(addr);
    let who = format!("{}\n", first.local_addr().unwrap());
    server.wait_out(&who, "服务器打印客户端的地址 (原文的 print(addr))");
    first.write_all(b"ping one").unwrap();
    common::expect_bytes(
        &mut first,
        b"pong one",
        "服务器发回的 pong one (服务器应该发回它的用户输入的 pong one)",
    );
    server.wait_out("....... ping one", "服务器打印收到的消息");
    first.write_all(b"ping two").unwrap();
    common::expect_bytes(&mut first, b"pong two", "服务器发回的 pong two");
    drop(first);
    server.wait_out("已离开", "第一个客户端离开");

    let mut second = connect(addr);
    second.write_all(b"hello again").unwrap();
    common::expect_bytes(
        &mut second,
        b"to the second client",
        "服务器发回的 to the second client (第一个客户端离开后, 服务器应该接着服务第二个)",
    );
    server.wait_out("....... hello again", "第二个客户端的消息");
}

#[test]
fn chat_server_exits_with_one_line_when_its_own_input_ends() {
    let _hint = common::hint(
        "chat_server",
        "服务器自己的输入结束 (ask_line 返回 None) 时说明一句并退出, 不要发空消息",
    );
    let (mut server, addr) = Proc::server(CHAT_SERVER, &["--port", "0"]);
    server.close_stdin();
    let mut s = connect(addr);
    s.write_all(b"anyone?").unwrap();
    server.wait_out("....... anyone?", "服务器打印客户端的消息");
    let (status, _, err) = server.finish();
    assert_eq!(
        status.code(),
        Some(1),
        "输入结束后应该以退出码 1 结束: {err}"
    );
    assert!(err.contains("标准输入已结束"), "{err}");
}

#[test]
fn chat_client_sends_lines_prints_replies_and_quits_on_exit() {
    let _hint = common::hint(
        "chat_client",
        "循环: 读一行, exit 就退出, 空行跳过, 否则发送, read 一次, 打印回复",
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let server = Beside::spawn(move |ended| {
        let mut c = accept_from(&listener, &ended, "客户端");
        common::expect_bytes(
            &mut c,
            b"ping one",
            "客户端发来的 ping one (第一行应该是 ping one)",
        );
        c.write_all(b"pong one").unwrap();
        common::expect_bytes(
            &mut c,
            b"ping two",
            "客户端发来的 ping two (空行应该跳过, 第二条是 ping two)",
        );
        c.write_all(b"pong two").unwrap();
        assert_bytes(
            &read_all(&mut c),
            b"",
            "exit 之后客户端应该关闭连接, 不再发送",
        );
    });
    let assert = client(CHAT_CLIENT)
        .args(["--port", &port])
        .write_stdin("ping one\n\nping two\nexit\nnever\n")
        .assert();
    server.join(assert.get_output());
    assert
        .success()
        .stdout(contains("TcpStream {")) // the text's print(s)
        .stdout(contains(">>>pong one\n"))
        .stdout(contains(">>>pong two\n"))
        .stdout(contains("never").not());
}

#[test]
fn pairing_chat_both_sides_piped_end_to_end() {
    #[rustfmt::skip]
    let _hint = common::hint("pairing", "两端轮流说话: 客户端先发, 服务器打印后回它的用户输入的一行; 这个测试同时运行你的 chat_server 和 chat_client: 两端都要完成");
    let (mut server, addr) = Proc::server(CHAT_SERVER, &["--port", "0"]);
    server.type_line("pong one");
    let port = addr.port().to_string();
    client(CHAT_CLIENT)
        .args(["--port", &port])
        .write_stdin("ping one\nexit\n")
        .assert()
        .success()
        .stdout(contains("pong one"));
    server.wait_out("....... ping one", "服务器打印客户端的消息");
    server.wait_out("已离开", "客户端 exit 后离开");
}

// ---------------------------------------------------------------------------
// ipaddr: 000 「TCP/IP简介」, 001 「ip和端口」
// ---------------------------------------------------------------------------

#[test]
fn ipaddr_shows_the_texts_example_both_ways() {
    let _hint = common::hint(
        "ipaddr",
        "IPv4 地址就是一个 32 位整数: u32 和 Ipv4Addr 可以互相转换 (From)",
    );
    client(IPADDR)
        .arg("100.4.5.6")
        .assert()
        .success()
        .stdout(contains("1677985030"))
        .stdout(contains("01100100.00000100.00000101.00000110"))
        .stdout(contains("0x64040506"));
    client(IPADDR)
        .arg("1677985030")
        .assert()
        .success()
        .stdout(contains("100.4.5.6"));
    client(IPADDR)
        .arg("2001:0db8:85a3:0042:1000:8a2e:0370:7334")
        .assert()
        .success()
        .stdout(contains("42540766452641155290378245947194897204"))
        .stdout(contains("2001:db8:85a3:42:1000:8a2e:370:7334"))
        .stdout(contains("2001:0db8:85a3:0042:1000:8a2e:0370:7334"));
    client(IPADDR)
        .arg("300.1.1.1")
        .assert()
        .code(1)
        .stderr(contains("不是 IP 地址"));
    client(IPADDR)
        .assert()
        .code(1)
        .stderr(contains("请给出至少一个地址或整数"));
}

#[test]
fn ipaddr_names_every_kind_and_its_bounds() {
    let _hint = common::hint(
        "ipaddr",
        "地址类型: 回环、私有、链路本地、100.64/10 共享、广播、组播、文档、公网, IPv6 也一样",
    );
    let cases = [
        ("0.0.0.0", "未指定"),
        ("127.0.0.1", "回环"),
        ("10.0.0.1", "私有"),
        ("192.168.1.103", "私有"),
        ("169.254.1.1", "链路本地"),
        ("100.63.255.255", "公网"),
        ("100.64.0.0", "运营商共享"),
        ("100.127.255.255", "运营商共享"),
        ("100.128.0.0", "公网"),
        ("101.64.0.1", "公网"),
        ("255.255.255.255", "广播"),
        ("224.0.0.1", "组播"),
        ("192.0.2.1", "文档示例"),
        ("8.8.8.8", "公网"),
        ("::", "未指定"),
        ("::1", "回环"),
        ("ff02::1", "组播"),
        ("fe80::1", "链路本地"),
        ("fd00::1", "唯一本地"),
        ("2001:db8::1", "文档示例"),
        ("2001:db9::1", "公网"),
        ("2002:db8::1", "公网"),
        ("::ffff:1.2.3.4", "IPv4 映射"),
        ("2606:4700::1", "公网"),
    ];
    let args: Vec<&str> = cases.iter().map(|c| c.0).collect();
    let assert = client(IPADDR).args(&args).assert().success();
    let out = stdout_of(&assert);
    let blocks: Vec<&str> = out.split("\n\n").collect();
    assert_eq!(
        blocks.len(),
        cases.len(),
        "每个地址一段, 段与段之间空一行 (第一段前面不空行):\n{out}"
    );
    assert!(!out.starts_with('\n'), "第一段前面不应该有空行");
    for ((addr, kind), block) in cases.iter().zip(&blocks) {
        let line = block
            .lines()
            .find(|l| l.starts_with("类型 kind:"))
            .unwrap_or_else(|| panic!("{addr} 的输出里没有 `类型 kind:` 一行:\n{block}"));
        assert!(line.contains(kind), "{addr} 应该是 {kind}, 程序说: {line}");
    }
}

// ---------------------------------------------------------------------------
// socket_api: 002's table of socket methods
// ---------------------------------------------------------------------------

#[test]
fn socket_api_walks_every_method_of_the_table_with_real_values() {
    let _hint = common::hint(
        "socket_api",
        "每一行都要真的调用 std 里对应的方法, 打印它返回的值",
    );
    let assert = client(SOCKET_API).assert().success();
    let out = stdout_of(&assert);
    // Each row is two lines: `s.name(...) → std call`, then what happened.
    let lines: Vec<&str> = out.lines().collect();
    let result = |name: &str| -> String {
        let at = lines
            .iter()
            .position(|l| l.starts_with(&format!("s.{name}(")))
            .unwrap_or_else(|| panic!("方法表里缺少 s.{name}(:\n{out}"));
        lines
            .get(at + 1)
            .map(|l| l.trim().to_string())
            .unwrap_or_default()
    };
    let number_after = |text: &str, before: &str| -> u64 {
        let rest = text
            .split(before)
            .nth(1)
            .unwrap_or_else(|| panic!("`{text}` 里没有 `{before}`"));
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        digits
            .parse()
            .unwrap_or_else(|_| panic!("`{text}` 里 `{before}` 后面没有数字"))
    };
    assert!(!out.contains("失败"), "有一行失败了:\n{out}");

    let bound = number_after(&result("bind"), "绑定到 127.0.0.1:");
    assert!(bound > 0, "绑定的端口应该是系统选的非 0 端口");
    assert!(result("listen").contains("128"), "{}", result("listen"));
    let connect = result("connect");
    let client_port = number_after(&connect, "127.0.0.1:");
    assert!(
        connect.ends_with(&format!("-> 127.0.0.1:{bound}")),
        "connect 应该连到 bind 的端口: {connect}"
    );
    let accepted = number_after(&result("accept"), "接受了 127.0.0.1:");
    assert_ne!(accepted, client_port, "accept 的是排队的第二个客户端");
    assert!(
        result("connect_ex").contains("Err(ConnectionRefused)"),
        "连接没人监听的端口应该得到 ConnectionRefused: {}",
        result("connect_ex")
    );
    assert_eq!(result("recv"), r#"读到 4 字节: "ping""#);
    assert_eq!(result("send"), "write 返回 4 (写出的字节数)");
    assert_eq!(result("sendall"), "write_all 写完了 10000 字节");
    assert!(
        result("recvfrom").starts_with("收到 5 字节, 来自 127.0.0.1:"),
        "recv_from 应该收到 hello 的 5 字节和发送方地址: {}",
        result("recvfrom")
    );
    assert!(result("sendto")
        .starts_with("send_to 发出 2 字节的数据报; 对方 recv_from 收到 2 字节, 来自 127.0.0.1:"));
    assert!(
        result("close").contains("对方 read 返回 0"),
        "{}",
        result("close")
    );
    assert_eq!(
        result("getpeername"),
        format!("对方地址 127.0.0.1:{client_port}")
    );
    assert_eq!(result("getsockname"), format!("本地地址 127.0.0.1:{bound}"));
    assert_eq!(result("setsockopt"), "TCP_NODELAY=true, IP_TTL=32");
    let get = result("getsockopt");
    assert!(get.starts_with("nodelay()=true, ttl()=32"), "{get}");
    #[cfg(unix)]
    {
        assert!(get.contains("SO_REUSEADDR=true"), "{get}");
        let rcvbuf = number_after(&get, "SO_RCVBUF=");
        assert!(
            rcvbuf >= 1024,
            "SO_RCVBUF 应该是内核的接收缓冲区大小: {get}"
        );
        let fd = number_after(&result("fileno"), "描述符是 ");
        assert!(
            fd >= 3,
            "0、1、2 是标准输入输出, 套接字的描述符从 3 起: {fd}"
        );
    }
    assert!(
        result("settimeout").contains("50ms 后 recv_from 返回 Err("),
        "设了超时, 没有数据时 recv_from 应该返回错误: {}",
        result("settimeout")
    );
    let timeout = result("gettimeout");
    assert!(timeout.starts_with("read_timeout() = Some(5"), "{timeout}");
    assert!(timeout.contains("设置的是 50ms"), "{timeout}");
    // The clock-tick note explains a value that came back different, and only then.
    let exact = timeout.starts_with("read_timeout() = Some(50ms) ");
    assert_eq!(
        timeout.contains("jiffy"),
        !exact,
        "读回来的值不是 50ms 时 (而且只有这时) 才该解释内核按时钟节拍 (jiffy) 取整: {timeout}"
    );
    assert_eq!(result("setblocking"), "没有数据时立刻返回 Err(WouldBlock)");
    assert_eq!(
        result("makefile"),
        r#"BufReader::read_line 读到 "line one\n""#
    );
}

// ---------------------------------------------------------------------------
// unix_echo (beyond the texts)
// ---------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn unix_echo_removes_a_stale_socket_file_and_echoes() {
    let _hint = common::hint("unix_echo", "先删除没人监听的旧套接字文件, 再 bind");
    let dir = common::TempDir::new("unix");
    let path = dir.path().join("echo.sock");
    let path = path.to_str().unwrap();
    // A server that died leaves its socket file behind. It is a child killed
    // with SIGKILL and reaped, so no process can still hold its listener (one
    // bound here could be copied for a moment into a concurrent test's fork).
    let mut dead = Proc::spawn(env!("CARGO_BIN_EXE_unix_echo"), &["--path", path]);
    assert_eq!(dead.announced(), format!("unix://{path}"));
    drop(dead); // kill + wait
    assert!(
        std::path::Path::new(path).exists(),
        "准备: 被杀掉的服务器留下的套接字文件应该还在"
    );
    let mut server = Proc::spawn(env!("CARGO_BIN_EXE_unix_echo"), &["--path", path]);
    assert_eq!(server.announced(), format!("unix://{path}"));
    assert!(
        server.stdout().contains("删除了上次留下的套接字文件"),
        "应该说明删除了旧文件"
    );
    client(env!("CARGO_BIN_EXE_unix_echo"))
        .args(["--path", path, "--send", "你好 unix"])
        .assert()
        .success()
        .stdout("你好 unix\n");
    // A second server on the same live file is refused, not allowed to delete it.
    client(env!("CARGO_BIN_EXE_unix_echo"))
        .args(["--path", path])
        .assert()
        .code(1)
        .stderr(contains("已经有服务器在运行"));
    assert!(
        std::path::Path::new(path).exists(),
        "活着的服务器的文件不能删"
    );
}

#[cfg(unix)]
#[test]
fn unix_echo_leaves_a_live_socket_of_another_kind_alone() {
    let _hint = common::hint(
        "unix_echo",
        "只有连接被拒绝 (ConnectionRefused) 才说明是旧文件; 别的错误不许删",
    );
    let dir = common::TempDir::new("unix-dgram");
    let path = dir.path().join("dgram.sock");
    // A live datagram socket: a stream connect to it fails with EPROTOTYPE,
    // not ECONNREFUSED, so only the check of the error kind keeps it.
    let _live = std::os::unix::net::UnixDatagram::bind(&path).unwrap();
    let shown = path.to_str().unwrap();
    client(env!("CARGO_BIN_EXE_unix_echo"))
        .args(["--path", shown])
        .assert()
        .code(1)
        .stderr(contains(format!("检查 {shown}")));
    assert!(path.exists(), "别人正在用的套接字文件被删了");
}

#[cfg(unix)]
#[test]
fn unix_echo_leaves_a_file_that_is_not_a_socket_alone() {
    let _hint = common::hint("unix_echo", "不是套接字的文件绝不能删: 先看文件类型");
    let dir = common::TempDir::new("unix-file");
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, b"keep me").unwrap();
    client(env!("CARGO_BIN_EXE_unix_echo"))
        .args(["--path", path.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(contains("不是套接字文件"));
    assert_bytes(
        &std::fs::read(&path).unwrap(),
        b"keep me",
        "文件被删了或改了",
    );
}

#[cfg(unix)]
#[test]
fn unix_echo_on_a_fresh_path_removes_nothing() {
    let _hint = common::hint("unix_echo", "路径上没有文件时直接 bind, 不要说删除了什么");
    let dir = common::TempDir::new("unix-fresh");
    let path = dir.path().join("fresh.sock");
    let path = path.to_str().unwrap();
    let mut server = Proc::spawn(env!("CARGO_BIN_EXE_unix_echo"), &["--path", path]);
    assert_eq!(server.announced(), format!("unix://{path}"));
    assert!(!server.stdout().contains("删除"), "没有旧文件, 不该删除");
}

#[test]
fn tcp_server_binds_the_port_it_is_given() {
    let _hint = common::hint("tcp_server", "bind 要用 --port 给的端口, 不要写死 7788");
    // `closed_port` was free a moment ago; another process may take it before
    // the server binds. Only then (the server says that very port is busy, or
    // it is busy right now) is it tried again, with a new port.
    for attempt in 1..=5 {
        let port = common::closed_port();
        let given = port.to_string();
        let args = ["--host", "127.0.0.1", "--port", given.as_str()];
        // Proc::server checks that the announced port is the one given.
        let started = std::panic::catch_unwind(|| Proc::server(TCP_SERVER, &args));
        let why = match started {
            Ok((_server, addr)) => {
                // And it is really there: the text's exchange on that port.
                let mut s = connect(addr);
                s.write_all(NIHAO_GBK).unwrap();
                let reply = tcp_server_reply(&mut s);
                assert_bytes(
                    &reply,
                    b"thank you !",
                    &format!("在 --port {port} 上应该收到 `thank you !`"),
                );
                return;
            }
            Err(why) => why,
        };
        let said = why
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| why.downcast_ref::<&str>().copied())
            .unwrap_or("");
        let said_taken =
            said.contains(&format!("端口 {port} ")) && said.contains(&format!("127.0.0.1:{port})"));
        let taken_now = TcpListener::bind(("127.0.0.1", port))
            .is_err_and(|e| e.kind() == std::io::ErrorKind::AddrInUse);
        if attempt == 5 || !(said_taken || taken_now) {
            std::panic::resume_unwind(why);
        }
    }
}

#[test]
fn tcp_server_listens_on_the_texts_port_by_default() {
    let _hint = common::hint("tcp_server", "不加参数时监听原文的 0.0.0.0:7788");
    Proc::assert_default_address(TCP_SERVER, &[], "0.0.0.0:7788");
}

// ---------------------------------------------------------------------------
// Servers against a misbehaving client: bytes that are not UTF-8, a client that
// vanishes. And the ready peers (tests/common/peers/lesson01.rs) against our
// programs, unscored: they show that each peer speaks the text's bytes.
// ---------------------------------------------------------------------------

#[test]
fn upper_server_prints_exactly_what_came_and_survives_bytes_that_are_not_utf8() {
    let _hint = common::hint(
        "upper_server",
        "只解码读到的 n 个字节 (String::from_utf8_lossy, 不会失败), 原样转大写发回; 坏字节不能让服务器 panic",
    );
    let (mut server, addr) = Proc::server(UPPER_SERVER, &["--port", "0"]);
    let mut s = connect(addr);
    round_trip(
        &mut s,
        b"ok\xff",
        b"OK\xff",
        "收到不是 UTF-8 的字节也要回答: 只有 ASCII 字母变大写, 别的字节原样发回",
    );
    drop(s);
    server.wait_out("已断开", "客户端离开");
    let out = server.stdout();
    assert_printed_line(
        &out,
        "客户端发来的消息是：",
        "客户端发来的消息是： ok\u{FFFD}",
        "收到 b'ok\\xff'",
    );
    let mut next = connect(addr);
    round_trip(
        &mut next,
        "hi 你好".as_bytes(),
        "HI 你好".as_bytes(),
        "服务器在坏字节之后不再回答了? (它是不是 panic 了?)",
    );
    // Python's bytes.upper() changes a-z only: ß stays ß (str.upper would make SS).
    round_trip(
        &mut next,
        "straße".as_bytes(),
        "STRAßE".as_bytes(),
        "原文的 upper() 作用在字节上, 只改 ASCII 字母 (to_ascii_uppercase)",
    );
    assert!(
        !server.stderr().contains("panicked"),
        "服务器 panic 了:\n{}",
        server.stderr()
    );
}

#[test]
fn welcome_server_goes_on_after_a_client_that_vanishes_or_sends_garbage() {
    let _hint = common::hint(
        "welcome_server",
        "发送失败只影响这一个客户端: 交给 log_client_error, 不要 or_exit 或 unwrap",
    );
    let (mut server, addr) = Proc::server(WELCOME_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    // One connects and leaves at once; one sends bytes nobody reads.
    drop(connect(addr));
    let mut garbage = connect(addr);
    garbage.write_all(b"\xff\xfe\x00junk").unwrap();
    drop(garbage);
    for i in 1..=2 {
        let mut s = connect(addr);
        let got = read_all(&mut s);
        assert_eq!(
            String::from_utf8_lossy(&got),
            "欢迎访问！\r\n",
            "第 {i} 个正常的客户端应该收到 `欢迎访问！\\r\\n` (前面的客户端一来就走了)"
        );
    }
    assert!(server.is_running(), "服务器不应该退出");
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
    let out = server.stdout();
    let lines: Vec<&str> = out.lines().filter(|l| l.starts_with("连接地址")).collect();
    assert!(
        lines.iter().all(|l| l.starts_with("连接地址: 127.0.0.1:")),
        "每个连接打印 `连接地址: 127.0.0.1:端口`:\n{out}"
    );
}

#[test]
fn chat_server_survives_bytes_that_are_not_utf8() {
    let _hint = common::hint(
        "chat_server",
        "打印时用 String::from_utf8_lossy 解码读到的 n 个字节: 坏字节变成 U+FFFD, 不要 from_utf8 再 unwrap",
    );
    let (mut server, addr) = Proc::server(CHAT_SERVER, &["--port", "0"]);
    server.type_line("still here");
    let mut s = connect(addr);
    s.write_all(b"ok\xff").unwrap();
    common::expect_bytes(
        &mut s,
        b"still here",
        "服务器的用户输入的 still here (收到坏字节后服务器还应该回答)",
    );
    // The prompt comes after the printed line: that line is complete by then.
    server.wait_out(">>>", "服务器打印收到的一行, 再提示它的用户输入");
    let out = server.stdout();
    assert_printed_line(&out, ".......", "....... ok\u{FFFD}", "收到 b'ok\\xff'");
}

#[test]
fn pairing_ready_000_client_against_tcp_server() {
    let _hint = common::hint(
        "pairing",
        "现成的 000 客户端 (peers) 和参考的 tcp_server 说同样的字节",
    );
    let (server, addr) = Proc::server(TCP_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    let reply = peers::talk_tcp_server("127.0.0.1", addr.port(), peers::NIHAO_GBK).unwrap();
    assert_bytes(&reply, b"thank you !", "回复不对");
    let (_, out, _) = server.finish();
    assert_printed_line(
        &out,
        "接收到的数据为:",
        "接收到的数据为: 你好",
        "peer 发 你好",
    );
}

#[test]
fn pairing_ready_004_client_against_upper_server() {
    let _hint = common::hint(
        "pairing",
        "现成的 004 客户端 (peers) 和参考的 upper_server 说同样的字节",
    );
    let (_server, addr) = Proc::server(UPPER_SERVER, &["--port", "0"]);
    let msgs: [&[u8]; 2] = [b"hello", "你好 abc".as_bytes()];
    let replies = peers::talk_upper_server("127.0.0.1", addr.port(), &msgs).unwrap();
    assert_bytes(&replies[0], b"HELLO", "对 hello 的回复");
    assert_bytes(&replies[1], "你好 ABC".as_bytes(), "对 你好 abc 的回复");
}

#[test]
fn pairing_ready_002_client_against_welcome_server() {
    let _hint = common::hint(
        "pairing",
        "现成的 002 客户端 (peers) 和参考的 welcome_server 说同样的字节",
    );
    let (_server, addr) = Proc::server(WELCOME_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    let got = peers::talk_welcome_server("127.0.0.1", addr.port()).unwrap();
    assert_bytes(&got, "欢迎访问！\r\n".as_bytes(), "回复不对");
}

#[test]
fn pairing_welcome_client_against_the_ready_002_server() {
    let _hint = common::hint(
        "pairing",
        "现成的 002 服务器 (peers) 和参考的 welcome_client 说同样的字节",
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let server = Beside::spawn(move |ended| {
        let c = accept_from(&listener, &ended, "客户端");
        peers::serve_welcome_client(c).unwrap();
    });
    let assert = client(WELCOME_CLIENT)
        .args(["--host", "127.0.0.1", "--port", &port])
        .assert();
    server.join(assert.get_output());
    assert.success().stdout("欢迎访问！\r\n");
}

/// Runs a client with no address flags and empty input, and checks it tries the
/// text's address `want`: refused there, its one-line error names it; or
/// something listens there now (another program), then the client connected
/// and ended at the end of its input, and `want` is indeed busy.
fn assert_client_default(bin: &str, want: &str) {
    let assert = client(bin)
        .args(["--timeout", "3"])
        .write_stdin("")
        .assert();
    let out = assert.get_output();
    let err = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        let busy = TcpListener::bind(want).is_err();
        assert!(
            busy,
            "不加参数时应该连接原文的 {want}; 那里没有程序在监听, 它却连上了别处: 默认的地址或端口写错了?"
        );
    } else {
        assert!(
            err.contains(want),
            "不加参数时应该连接原文的 {want}; 连接失败的那一行却没有提到它: 默认的地址或端口写错了?\n{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn upper_client_connects_to_the_texts_address_by_default() {
    let _hint = common::hint("upper_client", "不加参数时连接原文 004 的 127.0.0.1:8000");
    assert_client_default(UPPER_CLIENT, "127.0.0.1:8000");
}

#[test]
fn chat_client_connects_to_the_texts_address_by_default() {
    let _hint = common::hint("chat_client", "不加参数时连接原文 003 的 127.0.0.1:8888");
    assert_client_default(CHAT_CLIENT, "127.0.0.1:8888");
}

#[test]
fn pairing_every_ready_client_runs_against_its_reference_server() {
    let _hint = common::hint(
        "pairing",
        "cargo grade peer 运行的假客户端 (peers 的 run) 和参考的服务器配对, 都应该成功结束",
    );
    for (program, bin, args) in [
        ("tcp_server", TCP_SERVER, &["--host", "127.0.0.1"][..]),
        ("upper_server", UPPER_SERVER, &[][..]),
        (
            "welcome_server",
            WELCOME_SERVER,
            &["--host", "127.0.0.1"][..],
        ),
    ] {
        let peer = common::peers::find(program).expect("这个程序应该有现成的对端");
        assert_eq!(peer.program, program);
        let (_server, addr) = Proc::server(bin, &[args, &["--port", "0"]].concat());
        (peer.run)("127.0.0.1", addr.port())
            .unwrap_or_else(|e| panic!("{program} 的对端失败了: {e}"));
    }
}
