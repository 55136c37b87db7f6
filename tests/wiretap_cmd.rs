//! lesson05's programs through lesson04's wiretap relay: the framed client and
//! the framed server keep working when the tap splits or glues their bytes
//! (scored: each checks one program, the test playing the other end), and the
//! text's pair shows the stale remainder (`pairing_…`, not scored).
//!
//! This is a test of lesson05, because only a test of lesson05 can name
//! `cmd_server` and `cmd_client` (`CARGO_BIN_EXE_*` covers one package's
//! binaries). The tap runs inside the test, from `lesson04::wiretap` (the same
//! relay the `wiretap` binary runs; lesson05 depends on lesson04 already), and
//! its picture goes to a buffer the test reads.
#![cfg(unix)] // the commands below are sh commands

mod common;

use common::{client, connect, Proc};
use lesson04::wiretap::{Buffer, Options, Tap};
use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::thread;
use std::time::Duration;

const CMD_SERVER: &str = env!("CARGO_BIN_EXE_cmd_server");
const CMD_CLIENT: &str = env!("CARGO_BIN_EXE_cmd_client");

/// Where the tap's error lines go: through `eprint!`, which the test harness
/// captures (also in the tap's own threads) and shows only when a test fails.
/// `std::io::stderr()` would bypass the capture and print into `cargo test`'s
/// output (a client's reset is expected in these tests).
struct Captured;

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        eprint!("{}", String::from_utf8_lossy(buf));
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Starts a tap towards `to` on a free loopback port; returns its address and
/// the buffer its picture goes to. Its thread ends with the test process.
fn tap(to: SocketAddr, set: impl FnOnce(&mut Options)) -> (SocketAddr, Buffer) {
    let mut opts = Options::new(vec![to]);
    set(&mut opts);
    let picture = Buffer::default();
    let tap = Tap::new(opts, Box::new(picture.clone()), Box::new(Captured));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || tap.serve_tcp(listener));
    (addr, picture)
}

/// Runs the command client through `port` with `stdin`; returns its stdout.
fn run_client(port: u16, extra: &[&str], stdin: &str) -> String {
    let assert = client(CMD_CLIENT)
        .args(["--port", &port.to_string()])
        .args(extra)
        .write_stdin(stdin.to_string())
        .assert()
        .success();
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

/// The test's framed server (the ready-made peer): answers `seq 1 N` with the
/// numbers 1 to N, one a line, anything else with itself and a newline.
fn framed_server() -> SocketAddr {
    fn answer(cmd: &str) -> [Vec<u8>; 3] {
        let out = match cmd.strip_prefix("seq 1 ") {
            Some(n) => {
                let n: usize = n.parse().unwrap_or(0);
                (1..=n).map(|i| format!("{i}\n")).collect::<String>()
            }
            None => cmd.strip_prefix("echo ").unwrap_or(cmd).to_string() + "\n",
        };
        [out.into_bytes(), Vec::new(), "退出码 exit status 0".into()]
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || common::peers::lesson05::serve_framed(listener, answer));
    addr
}

/// Checks the framed client's answers to `seq 1 N` and `echo second`.
fn check_framed_answers(out: &str, n: usize, size: usize) {
    let all: String = (1..=n).map(|i| format!("{i}\n")).collect();
    assert!(out.contains(&all), "`seq 1 {n}` 的输出应该完整:\n{out}");
    assert!(
        out.contains(&format!("receive data size {size}\n")),
        "{out}"
    );
    let second = out.find("second\n").expect("第二条命令的回答");
    assert!(
        second > out.find(&format!("\n{n}\n")).unwrap(),
        "回答要按顺序:\n{out}"
    );
}

#[test]
fn framed_command_client_works_through_split_1() {
    let _hint = common::hint(
        "cmd_client --framed",
        "--framed 时先读 8 字节长度再读内容 (read_exact), 不能假设一次 read 就是一条消息",
    );
    let server_addr = framed_server();
    let (tap_addr, picture) = tap(server_addr, |o| o.split = Some(1));
    // `seq 1 300` prints 1092 bytes: over 1024, and quick one byte at a time.
    let out = run_client(
        tap_addr.port(),
        &["--framed"],
        "seq 1 300\necho second\nq\n",
    );
    check_framed_answers(&out, 300, 1092);
    assert!(
        picture.text().contains("每次 ≤1 字节"),
        "{}",
        picture.text()
    );
}

#[test]
fn framed_command_client_works_through_coalesce_50() {
    let _hint = common::hint(
        "cmd_client --framed",
        "--framed 时三帧回答可能一次全部到达: 一帧一帧地读, 多出来的留给下一帧",
    );
    let server_addr = framed_server();
    let (tap_addr, _picture) = tap(server_addr, |o| {
        o.coalesce = Some(Duration::from_millis(50))
    });
    let out = run_client(
        tap_addr.port(),
        &["--framed"],
        "seq 1 2000\necho second\nq\n",
    );
    check_framed_answers(&out, 2000, 8893);
}

#[test]
fn pairing_text_client_through_coalesce_shows_the_stale_remainder() {
    let _hint = common::hint(
        "pairing",
        "cmd_server 和 cmd_client 一起: 原文的客户端每条命令只读一次 1024 字节, 8893 字节的输出剩下的部分成了下一条命令的回答",
    );
    let (_server, server_addr) = Proc::server(CMD_SERVER, &["--port", "0"]);
    let (tap_addr, picture) = tap(server_addr, |o| {
        o.coalesce = Some(Duration::from_millis(50))
    });
    let out = run_client(tap_addr.port(), &[], "seq 1 2000\necho second\nq\n");
    assert!(out.starts_with("客户端启动：\ncmd:>>>1\n2\n3\n"), "{out}");
    assert!(
        !out.contains("second"),
        "第二条命令读到的应该是第一条的剩余:\n{out}"
    );
    assert!(
        !out.contains("\n2000\n"),
        "第一条的大部分输出没有显示:\n{out}"
    );
    // The tap saw the server answer 8893 bytes at once; the client took 1024.
    let picture = picture.text();
    assert!(
        picture.contains("│ ◀") && picture.contains(" 8893 字节 "),
        "{picture}"
    );
}

#[test]
fn framed_command_server_works_through_split_1() {
    let _hint = common::hint(
        "cmd_server --framed",
        "--framed 时服务器先读满 8 字节长度再读满命令 (read_exact): 命令被拆成一个个字节到达也一样",
    );
    let (_server, server_addr) = Proc::server(CMD_SERVER, &["--port", "0", "--framed"]);
    let (tap_addr, picture) = tap(server_addr, |o| o.split = Some(1));
    let mut s = connect(tap_addr);
    let cmd = b"echo split";
    let mut msg = (cmd.len() as u64).to_be_bytes().to_vec();
    msg.extend_from_slice(cmd);
    s.write_all(&msg).unwrap();
    // Three frames: "split\n", nothing, the status line.
    let status = "退出码 exit status 0".as_bytes();
    let mut want = 6u64.to_be_bytes().to_vec();
    want.extend_from_slice(b"split\n");
    want.extend_from_slice(&0u64.to_be_bytes());
    want.extend_from_slice(&(status.len() as u64).to_be_bytes());
    want.extend_from_slice(status);
    let got = common::read_n(&mut s, want.len());
    assert!(
        got == want,
        "经过 --split 1 的 tap, 回答应该是 3 帧 (split\\n, 空的 stderr, 状态), 收到 {:?}",
        String::from_utf8_lossy(&got)
    );
    assert!(
        picture.text().contains("每次 ≤1 字节"),
        "{}",
        picture.text()
    );
}
