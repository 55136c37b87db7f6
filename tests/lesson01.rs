//! Lesson 01, TCP 基础: both ends real, expected bytes written as the texts have them.

mod common;

use common::{client, connect, read_all, Proc};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

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

#[test]
fn tcp_server_replies_thank_you_and_prints_what_it_received() {
    let (server, addr) = Proc::server(TCP_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    let mut s = connect(addr);
    s.write_all("你好, server".as_bytes()).unwrap();
    assert_eq!(read_all(&mut s), b"thank you !");
    let (status, out, _) = server.finish();
    assert!(status.success());
    assert!(out.contains("接收到的数据为: 你好, server"), "{out}");
}

#[test]
fn tcp_server_reply_flag_reproduces_001s_hi() {
    let args = ["--host", "127.0.0.1", "--port", "0", "--reply", "hi"];
    let (_server, addr) = Proc::server(TCP_SERVER, &args);
    let mut s = connect(addr);
    s.write_all(b"hello!").unwrap();
    assert_eq!(read_all(&mut s), b"hi");
}

/// The test plays the server: it checks what the client sends and answers `hi`.
fn one_shot_server(expect: &'static [u8], reply: &'static [u8]) -> (u16, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = thread::spawn(move || {
        let (mut c, _) = listener.accept().unwrap();
        c.set_read_timeout(Some(common::DEADLINE)).unwrap();
        let mut buf = vec![0; expect.len()];
        c.read_exact(&mut buf).unwrap();
        assert_eq!(buf, expect);
        c.write_all(reply).unwrap();
    });
    (port, handle)
}

#[test]
fn tcp_client_sends_the_message_and_prints_the_reply() {
    let (port, server) = one_shot_server(b"hello!", b"hi");
    client(TCP_CLIENT)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--message",
            "hello!",
        ])
        .assert()
        .success()
        .stdout(contains("接收到的数据为: hi"));
    server.join().unwrap();
}

#[test]
fn tcp_client_asks_like_the_text_when_flags_are_missing() {
    let (port, server) = one_shot_server("中文".as_bytes(), "thank you !".as_bytes());
    client(TCP_CLIENT)
        .write_stdin(format!("127.0.0.1\n{port}\n中文\n"))
        .assert()
        .success()
        .stdout(contains("请输入服务器ip:"))
        .stdout(contains("请输入服务器port:"))
        .stdout(contains("请输入要发送的数据："))
        .stdout(contains("接收到的数据为: thank you !"));
    server.join().unwrap();
}

#[test]
fn tcp_client_against_tcp_server_end_to_end() {
    let (_server, addr) = Proc::server(TCP_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    client(TCP_CLIENT)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &addr.port().to_string(),
            "--message",
            "x",
        ])
        .assert()
        .success()
        .stdout(contains("接收到的数据为: thank you !"));
}

#[test]
fn refused_connection_is_one_clear_line_and_exit_1() {
    let port = common::closed_port().to_string();
    let assert = client(TCP_CLIENT)
        .args(["--host", "127.0.0.1", "--port", &port, "--message", "x"])
        .assert()
        .code(1)
        .stderr(contains("连接被拒绝"))
        .stderr(contains(format!("127.0.0.1:{port}")));
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
}

#[test]
fn bad_ports_are_clear_errors_not_panics() {
    for bad in ["abc", "70000", "-1"] {
        let out = client(TCP_SERVER)
            .args(["--port", bad])
            .assert()
            .code(1)
            .stderr(contains("端口必须是 0 到 65535 之间的整数"))
            .get_output()
            .clone();
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
        // The same through the client's prompt.
        client(TCP_CLIENT)
            .write_stdin(format!("127.0.0.1\n{bad}\n"))
            .assert()
            .code(1)
            .stderr(contains(format!("`{bad}`")));
    }
}

#[test]
fn port_in_use_names_the_port_and_how_to_find_its_holder() {
    let holder = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port().to_string();
    let assert = client(TCP_SERVER)
        .args(["--host", "127.0.0.1", "--port", &port])
        .assert()
        .code(1)
        .stderr(contains(format!("端口 {port} 已被占用")))
        .stderr(contains(format!("lsof -i:{port}")));
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn restart_on_the_same_port_right_after_a_served_client_binds_at_once() {
    // The server closes the connection first, so its side stays in TIME_WAIT.
    // Without SO_REUSEADDR (001 「端口已被占用」) the second bind would fail.
    let (server, addr) = Proc::server(TCP_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    let mut s = connect(addr);
    s.write_all(b"first").unwrap();
    assert_eq!(read_all(&mut s), b"thank you !");
    drop(s);
    let (status, _, _) = server.finish();
    assert!(status.success());

    let port = addr.port().to_string();
    let (_again, addr2) = Proc::server(TCP_SERVER, &["--host", "127.0.0.1", "--port", &port]);
    assert_eq!(addr2, addr);
    let mut s = connect(addr2);
    s.write_all(b"second").unwrap();
    assert_eq!(read_all(&mut s), b"thank you !");
}

/// Sends `msg` and reads the reply with one read, as the text's client does.
fn round_trip(s: &mut TcpStream, msg: &[u8]) -> Vec<u8> {
    s.write_all(msg).unwrap();
    let mut buf = [0u8; 1024];
    let n = s.read(&mut buf).unwrap();
    buf[..n].to_vec()
}

#[test]
fn upper_server_upper_cases_survives_a_reset_and_serves_the_next_client() {
    let (mut server, addr) = Proc::server(UPPER_SERVER, &["--port", "0"]);

    let mut first = connect(addr);
    assert_eq!(round_trip(&mut first, b"hello"), b"HELLO");
    assert_eq!(
        round_trip(&mut first, "abc 你好".as_bytes()),
        "ABC 你好".as_bytes()
    );

    // Closing with unread bytes in the receive buffer makes the kernel send a
    // reset (RST) instead of a normal close.
    // `peek` waits until the reply is in our buffer without reading it.
    first.write_all(b"unread").unwrap();
    let mut buf = [0u8; 16];
    assert!(first.peek(&mut buf).unwrap() > 0);
    drop(first);
    server.wait_err("连接被对方重置", "the reset being logged");

    let mut second = connect(addr);
    assert_eq!(round_trip(&mut second, b"next one"), b"NEXT ONE");
    drop(second);
    server.wait_out("已断开", "the second client's normal close");

    let mut third = connect(addr);
    assert_eq!(round_trip(&mut third, b"third"), b"THIRD");
    assert!(server.is_running());
}

#[test]
fn upper_server_once_serves_one_message_then_exits() {
    let (server, addr) = Proc::server(UPPER_SERVER, &["--port", "0", "--once"]);
    let mut s = connect(addr);
    s.write_all(b"only once").unwrap();
    assert_eq!(read_all(&mut s), b"ONLY ONCE");
    let (status, out, _) = server.finish();
    assert!(status.success());
    assert!(out.contains("客户端发来的消息是: only once"));
}

#[test]
fn upper_client_prints_each_reply_and_stops_at_an_empty_line() {
    let (_server, addr) = Proc::server(UPPER_SERVER, &["--port", "0"]);
    client(UPPER_CLIENT)
        .args(["--port", &addr.port().to_string()])
        .write_stdin("hello\nworld\n\nnever sent\n")
        .assert()
        .success()
        .stdout(contains("服务端发来的消息 HELLO"))
        .stdout(contains("服务端发来的消息 WORLD"))
        .stdout(contains("NEVER").not());
}

#[test]
fn welcome_server_greets_three_clients_in_a_row() {
    let (mut server, addr) = Proc::server(WELCOME_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    for _ in 0..3 {
        let mut s = connect(addr);
        assert_eq!(read_all(&mut s), "欢迎访问！\r\n".as_bytes());
        server.wait_out("连接地址: 127.0.0.1:", "the client's address being printed");
    }
    client(WELCOME_CLIENT)
        .args(["--host", "127.0.0.1", "--port", &addr.port().to_string()])
        .assert()
        .success()
        .stdout("欢迎访问！\r\n");
}

#[test]
fn welcome_server_binds_this_hosts_name_by_default() {
    // 002 binds `socket.gethostname()`; with --port 0 we only check it binds and
    // announces. (A machine whose name does not resolve gets a clear error.)
    let mut p = Proc::spawn(WELCOME_SERVER, &["--port", "0"]);
    let line = p.announced();
    assert!(line.starts_with("tcp://"), "{line}");
}

/// A local HTTP responder: checks the request, answers in many small writes.
fn http_responder(response: Vec<u8>) -> (u16, thread::JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = thread::spawn(move || {
        let (mut c, _) = listener.accept().unwrap();
        c.set_read_timeout(Some(common::DEADLINE)).unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        while !request.ends_with(b"\r\n\r\n") {
            let n = c.read(&mut buf).unwrap();
            assert!(n > 0, "client closed before the end of its request");
            request.extend_from_slice(&buf[..n]);
        }
        for piece in response.chunks(700) {
            c.write_all(piece).unwrap();
        }
        request
    });
    (port, handle)
}

#[test]
fn http_get_saves_a_body_over_100k_sent_in_small_writes_byte_identical() {
    let body = common::pattern(150_000);
    let mut response =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Test: yes\r\n\r\n".to_vec();
    response.extend_from_slice(&body);
    let (port, server) = http_responder(response);
    let dir = common::TempDir::new("http");
    let out = dir.path().join("page.html");
    client(HTTP_GET)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--out", out.to_str().unwrap()])
        .assert()
        .success()
        .stdout(contains(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Test: yes\n",
        ))
        .stdout(contains("150000"));
    let request = server.join().unwrap();
    assert_eq!(
        request,
        format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").as_bytes()
    );
    let saved = std::fs::read(&out).unwrap();
    assert_eq!(saved.len(), body.len());
    assert_eq!(common::fnv(&saved), common::fnv(&body));
}

#[test]
fn http_get_without_a_blank_line_is_a_clear_error() {
    let (port, server) = http_responder(b"HTTP/1.1 200 OK\r\nno blank line here".to_vec());
    let dir = common::TempDir::new("http-bad");
    let out = dir.path().join("page.html");
    client(HTTP_GET)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--out", out.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(contains("没有空行"));
    server.join().unwrap();
    assert!(!out.exists());
}

#[test]
fn chat_both_sides_piped_and_the_server_goes_on_with_the_next_client() {
    let (mut server, addr) = Proc::server(CHAT_SERVER, &["--port", "0"]);
    // The server's user types its answers in advance; they are read in turn.
    server.type_line("pong one");
    server.type_line("pong two");
    server.type_line("to the second client");
    let port = addr.port().to_string();
    client(CHAT_CLIENT)
        .args(["--port", &port])
        .write_stdin("ping one\n\nping two\nexit\nnever\n")
        .assert()
        .success()
        .stdout(contains("pong one"))
        .stdout(contains("pong two"))
        .stdout(contains("never").not());
    server.wait_out("....... ping one", "the first message");
    server.wait_out("....... ping two", "the second message");
    server.wait_out("已离开", "the first client leaving");

    client(CHAT_CLIENT)
        .args(["--port", &port])
        .write_stdin("hello again\nexit\n")
        .assert()
        .success()
        .stdout(contains("to the second client"));
    server.wait_out("....... hello again", "the second client's message");
}

#[test]
fn ipaddr_shows_the_texts_example_both_ways() {
    client(IPADDR)
        .arg("100.4.5.6")
        .assert()
        .success()
        .stdout(contains("1677985030"))
        .stdout(contains("01100100.00000100.00000101.00000110"));
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
        .stdout(contains("2001:db8:85a3:42:1000:8a2e:370:7334"));
    client(IPADDR)
        .arg("300.1.1.1")
        .assert()
        .code(1)
        .stderr(contains("不是 IP 地址"));
}

#[test]
fn socket_api_walks_every_method_of_the_table() {
    let assert = client(SOCKET_API).assert().success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    for name in [
        "bind",
        "listen",
        "accept",
        "connect",
        "connect_ex",
        "recv",
        "send",
        "sendall",
        "recvfrom",
        "sendto",
        "close",
        "getpeername",
        "getsockname",
        "setsockopt",
        "getsockopt",
        "settimeout",
        "gettimeout",
        "fileno",
        "setblocking",
        "makefile",
    ] {
        assert!(
            out.contains(&format!("s.{name}(")),
            "missing {name}:\n{out}"
        );
    }
    assert!(!out.contains("失败"), "{out}");
    assert!(out.contains("ConnectionRefused"), "{out}");
    #[cfg(unix)]
    assert!(out.contains("SO_REUSEADDR=true"), "{out}");
}

#[cfg(unix)]
#[test]
fn unix_echo_removes_a_stale_socket_file_and_echoes() {
    let dir = common::TempDir::new("unix");
    let path = dir.path().join("echo.sock");
    // A server that died leaves its socket file behind.
    drop(std::os::unix::net::UnixListener::bind(&path).unwrap());
    assert!(path.exists());
    let path = path.to_str().unwrap();
    let mut server = Proc::spawn(env!("CARGO_BIN_EXE_unix_echo"), &["--path", path]);
    assert_eq!(server.announced(), format!("unix://{path}"));
    assert!(server.stdout().contains("删除了上次留下的套接字文件"));
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
}
