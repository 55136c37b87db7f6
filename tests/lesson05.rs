//! Lesson 05, 远程执行命令: the round trip, the stale-remainder bug (粘包) with the
//! text's single read, its fix with frames, and the limits a remote shell needs.
#![cfg(unix)] // the commands below are sh commands

mod common;

use common::{client, connect, read_n, Proc};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use std::io::{Read, Write};

const CMD_SERVER: &str = env!("CARGO_BIN_EXE_cmd_server");
const CMD_CLIENT: &str = env!("CARGO_BIN_EXE_cmd_client");

fn run_client(port: u16, extra: &[&str], stdin: &str) -> assert_cmd::assert::Assert {
    client(CMD_CLIENT)
        .args(["--port", &port.to_string()])
        .args(extra)
        .write_stdin(stdin.to_string())
        .assert()
}

#[test]
fn echo_hello_round_trip_and_no_output() {
    let (mut server, addr) = Proc::server(CMD_SERVER, &["--port", "0"]);
    let mut s = connect(addr);
    s.write_all(b"  echo hello  ").unwrap();
    assert_eq!(read_n(&mut s, 6), b"hello\n");
    s.write_all(b"true").unwrap();
    assert_eq!(read_n(&mut s, 10), b"no output!");
    server.wait_out("send data size 6", "the size log");

    run_client(addr.port(), &[], "echo hello\n")
        .success()
        .stdout(contains("cmd:>>>hello\n\nreceive data size 6"));
}

#[test]
fn empty_input_is_skipped_and_q_quits() {
    let (_server, addr) = Proc::server(CMD_SERVER, &["--port", "0"]);
    run_client(addr.port(), &[], "\n   \necho one\nq\necho never\n")
        .success()
        .stdout(contains("one\n"))
        .stdout(contains("receive data size 4"))
        .stdout(contains("never").not());
}

#[test]
fn text_client_prints_the_stale_remainder_of_a_long_output_as_the_next_answer() {
    // `seq 1 2000` prints 8893 bytes; one read takes at most 1024 of them, so
    // the read after `echo second` still finds numbers from the first command.
    let (_server, addr) = Proc::server(CMD_SERVER, &["--port", "0"]);
    let assert = run_client(addr.port(), &[], "seq 1 2000\necho second\nq\n").success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(out.starts_with("客户端启动：\ncmd:>>>1\n2\n3\n"), "{out}");
    assert!(
        !out.contains("second"),
        "the second answer is stale:\n{out}"
    );
    assert!(
        !out.contains("\n2000\n"),
        "most of the first output never shows:\n{out}"
    );
}

#[test]
fn framed_mode_prints_every_output_whole_and_in_order_with_stderr_and_status() {
    let (_server, addr) = Proc::server(CMD_SERVER, &["--port", "0", "--framed"]);
    let stdin = "seq 1 2000\necho second\necho oops >&2; exit 3\nq\n";
    let assert = run_client(addr.port(), &["--framed"], stdin).success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    let all: String = (1..=2000).map(|i| format!("{i}\n")).collect();
    assert!(out.contains(&all), "the whole sequence");
    assert!(out.contains("receive data size 8893"), "{out}");
    let second = out.find("second\n").expect("the second answer");
    assert!(second > out.find("\n2000\n").unwrap(), "in order");
    assert!(out.contains("[stderr] oops\n"), "{out}");
    assert!(out.contains("[退出码 exit status 3]"), "{out}");
}

#[test]
fn a_command_past_the_limit_is_killed_and_the_client_told() {
    let (mut server, addr) = Proc::server(CMD_SERVER, &["--port", "0", "--limit", "0.3"]);
    let mut s = connect(addr);
    s.write_all(b"echo started; sleep 30; echo never").unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    while !String::from_utf8_lossy(&answer).contains("已被终止") {
        let n = s.read(&mut buf).expect("the answer within the deadline");
        assert!(
            n > 0,
            "server closed: {:?}",
            String::from_utf8_lossy(&answer)
        );
        answer.extend_from_slice(&buf[..n]);
    }
    let answer = String::from_utf8_lossy(&answer).to_string();
    assert!(answer.starts_with("started\n"), "{answer}");
    assert!(!answer.contains("never"), "{answer}");
    server.wait_out("killed after the time limit", "the log");
    s.write_all(b"echo still here").unwrap();
    assert_eq!(read_n(&mut s, 11), b"still here\n");
}

#[test]
fn a_public_bind_is_refused_without_the_explicit_flag() {
    client(CMD_SERVER)
        .args(["--host", "0.0.0.0", "--port", "0"])
        .assert()
        .code(1)
        .stderr(contains("拒绝在 0.0.0.0 上监听"))
        .stderr(contains("--allow-remote"));
    let mut p = Proc::spawn(
        CMD_SERVER,
        &["--host", "0.0.0.0", "--port", "0", "--allow-remote"],
    );
    assert!(p.announced().starts_with("tcp://0.0.0.0:"));
    p.wait_err("警告 WARNING", "the loud warning");
}

#[test]
fn the_server_survives_a_client_that_vanishes_mid_output() {
    let (mut server, addr) = Proc::server(CMD_SERVER, &["--port", "0"]);
    let mut s = connect(addr);
    s.write_all(b"seq 1 2000000").unwrap(); // about 15 MB of output
    let mut buf = [0u8; 1024];
    assert!(s.read(&mut buf).unwrap() > 0);
    drop(s); // gone, with megabytes still to come
    server.wait_err("出错", "the failed send being logged");
    let mut again = connect(addr);
    again.write_all(b"echo ok").unwrap();
    assert_eq!(read_n(&mut again, 3), b"ok\n");
}
