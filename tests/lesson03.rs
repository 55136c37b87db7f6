//! Lesson 03, 多线程并发: concurrency is proven by holding connections open, not
//! assumed. Servers run with `--pause 0` (the text's 1 s pause is the default).

mod common;

use common::{client, connect, read_all, read_n, Proc};
use lesson03::socketserver::{BaseRequestHandler, Request, ThreadingTCPServer};
use predicates::str::contains;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::channel;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

const SERVER: &str = env!("CARGO_BIN_EXE_server");
const CLIENT: &str = env!("CARGO_BIN_EXE_client");
const ECHO_SERVER: &str = env!("CARGO_BIN_EXE_echo_server");
const SOCKETSERVER: &str = env!("CARGO_BIN_EXE_socketserver");
const POOL_SERVER: &str = env!("CARGO_BIN_EXE_pool_server");
const LOAD: &str = env!("CARGO_BIN_EXE_load");
#[cfg(unix)]
const BASELINE_SERVER: &str = env!("CARGO_BIN_EXE_baseline_server");

/// How long a client must see nothing to count as "kept waiting". Only used to
/// show an absence; the presence that follows is awaited with the full deadline.
const QUIET: Duration = Duration::from_millis(400);

fn send_expect(s: &mut TcpStream, msg: &[u8], want: &[u8]) {
    s.write_all(msg).unwrap();
    assert_eq!(read_n(s, want.len()), want);
}

/// Asserts that nothing arrives on `s` for [`QUIET`].
fn assert_kept_waiting(s: &mut TcpStream, what: &str) {
    s.set_read_timeout(Some(QUIET)).unwrap();
    let mut buf = [0u8; 16];
    match s.read(&mut buf) {
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
        other => panic!("{what}: expected to be kept waiting, got {other:?}"),
    }
    s.set_read_timeout(Some(common::DEADLINE)).unwrap();
}

#[test]
fn server_speaks_the_texts_exchange_byte_for_byte() {
    let (mut server, addr) = Proc::server(SERVER, &["--port", "0", "--pause", "0"]);
    let mut s = connect(addr);
    assert_eq!(read_n(&mut s, 8), b"Welcome!");
    send_expect(&mut s, b"Michael", b"Hello, Michael!");
    send_expect(&mut s, b"Tracy", b"Hello, Tracy!");
    send_expect(&mut s, "小明".as_bytes(), "Hello, 小明!".as_bytes());
    s.write_all(b"exit").unwrap();
    assert_eq!(read_all(&mut s), b"", "the server closes after exit");
    server.wait_out("Accept new connection from 127.0.0.1:", "the accept log");
    server.wait_out("Connection from 127.0.0.1:", "the close log");
    server.wait_out("closed.", "the close log's end");
}

#[test]
fn client_prints_the_welcome_and_the_three_replies() {
    let (_server, addr) = Proc::server(SERVER, &["--port", "0", "--pause", "0"]);
    client(CLIENT)
        .args(["--port", &addr.port().to_string()])
        .assert()
        .success()
        .stdout("Welcome!\nHello, Michael!\nHello, Tracy!\nHello, Sarah!\n");
}

#[test]
fn client_against_the_default_one_second_pause_still_works() {
    // The text's pause is the default: one message, so about a second.
    let (_server, addr) = Proc::server(SERVER, &["--port", "0"]);
    client(CLIENT)
        .args(["--port", &addr.port().to_string(), "Ann"])
        .assert()
        .success()
        .stdout("Welcome!\nHello, Ann!\n");
}

#[test]
fn two_clients_at_once_the_second_is_welcomed_while_the_first_is_connected() {
    let (mut server, addr) = Proc::server(SERVER, &["--port", "0", "--pause", "0"]);
    let mut first = connect(addr);
    assert_eq!(read_n(&mut first, 8), b"Welcome!");
    let mut second = connect(addr);
    assert_eq!(read_n(&mut second, 8), b"Welcome!");
    send_expect(&mut second, b"B", b"Hello, B!");
    send_expect(&mut first, b"A", b"Hello, A!");
    server.wait_out("[线程-", "the log naming the serving thread");
}

#[test]
fn one_at_a_time_the_second_client_hangs_until_the_first_leaves() {
    let args = ["--port", "0", "--pause", "0", "--one-at-a-time"];
    let (_server, addr) = Proc::server(SERVER, &args);
    let mut first = connect(addr);
    assert_eq!(read_n(&mut first, 8), b"Welcome!");
    // The connect succeeds (the kernel queues it), but nobody talks to it.
    let mut second = connect(addr);
    assert_kept_waiting(&mut second, "second client under --one-at-a-time");
    first.write_all(b"exit").unwrap();
    assert_eq!(read_n(&mut second, 8), b"Welcome!");
}

#[test]
fn echo_server_echoes_more_than_a_megabyte_written_in_pieces() {
    let (_server, addr) = Proc::server(ECHO_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    let data = common::pattern(1_500_000);
    let mut s = connect(addr);
    let mut writer = s.try_clone().unwrap();
    let sent = data.clone();
    // Write and read at once: otherwise both sides' buffers fill and stall.
    let w = thread::spawn(move || {
        for piece in sent.chunks(10_000) {
            writer.write_all(piece).unwrap();
        }
    });
    let back = read_n(&mut s, data.len());
    w.join().unwrap();
    assert_eq!(common::fnv(&back), common::fnv(&data));
}

#[test]
fn echo_server_serves_100_clients_connected_at_once() {
    let (_server, addr) = Proc::server(ECHO_SERVER, &["--host", "127.0.0.1", "--port", "0"]);
    // All 100 are connected before any is answered: a one-at-a-time server
    // would answer only the first.
    let mut clients: Vec<TcpStream> = (0..100).map(|_| connect(addr)).collect();
    for (i, c) in clients.iter_mut().enumerate() {
        c.write_all(format!("client {i:03}").as_bytes()).unwrap();
    }
    for (i, c) in clients.iter_mut().enumerate().rev() {
        assert_eq!(read_n(c, 10), format!("client {i:03}").as_bytes());
    }
}

#[test]
fn echo_server_drops_an_idle_client_and_ends_threads_of_leaving_ones() {
    let args = ["--host", "127.0.0.1", "--port", "0", "--idle", "0.3"];
    let (mut server, addr) = Proc::server(ECHO_SERVER, &args);
    let mut idle = connect(addr);
    assert_eq!(read_all(&mut idle), b"", "the server closes an idle client");
    server.wait_out("空闲超过 0.3 秒", "the idle log");

    let mut leaving = connect(addr);
    send_expect(&mut leaving, b"bye", b"bye");
    drop(leaving);
    server.wait_out("的线程结束", "the thread of a departed client ending");
}

#[test]
fn socketserver_binary_upper_cases_for_two_clients_at_once() {
    let (mut server, addr) = Proc::server(SOCKETSERVER, &["--port", "0"]);
    let mut a = connect(addr);
    let mut b = connect(addr);
    send_expect(&mut b, b"second first", b"SECOND FIRST");
    send_expect(&mut a, b"hello", b"HELLO");
    server.wait_out("收到客户端的消息是", "the handler's log");
}

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
    let (tx, rx) = channel();
    let tx = std::sync::Mutex::new(tx);
    let server =
        ThreadingTCPServer::new("127.0.0.1:0", move || Failing(tx.lock().unwrap().clone()))
            .unwrap();
    let server = Arc::new(server);
    let serving = Arc::clone(&server);
    let loop_thread = thread::spawn(move || serving.serve_forever());
    let _c = connect(server.server_address());
    let steps: Vec<&str> = (0..3)
        .map(|_| rx.recv_timeout(common::DEADLINE).expect("a handler step"))
        .collect();
    assert_eq!(steps, ["setup", "handle", "finish"]);
    server.shutdown();
    loop_thread.join().unwrap();
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
    let server = Arc::new(ThreadingTCPServer::new("127.0.0.1:0", || Upper).unwrap());
    let addr = server.server_address();
    assert_ne!(addr.port(), 0, "server_address() is the real port");
    let serving = Arc::clone(&server);
    let (done_tx, done_rx) = channel();
    thread::spawn(move || {
        serving.serve_forever();
        drop(serving); // let go of the server before saying so
        done_tx.send(()).unwrap();
    });
    let mut c = connect(addr);
    send_expect(&mut c, b"abc", b"ABC");

    // shutdown() must return (it waits for serve_forever), bounded by a deadline.
    let (shut_tx, shut_rx) = channel();
    let stopper = Arc::clone(&server);
    thread::spawn(move || {
        stopper.shutdown();
        drop(stopper);
        shut_tx.send(()).unwrap();
    });
    shut_rx
        .recv_timeout(common::DEADLINE)
        .expect("shutdown() returns");
    done_rx
        .recv_timeout(common::DEADLINE)
        .expect("serve_forever() returns");
    // The test holds the last owner: dropping it closes the listener.
    let server = Arc::try_unwrap(server)
        .ok()
        .expect("no thread still holds the server");
    drop(server);
    TcpListener::bind(addr).expect("the port is free after shutdown and drop");
}

#[test]
fn pool_serves_more_clients_than_threads_in_turn() {
    let args = ["--port", "0", "--pause", "0", "--threads", "2"];
    let (_server, addr) = Proc::server(POOL_SERVER, &args);
    let mut a = connect(addr);
    let mut b = connect(addr);
    assert_eq!(read_n(&mut a, 8), b"Welcome!");
    assert_eq!(read_n(&mut b, 8), b"Welcome!");
    let mut c = connect(addr);
    assert_kept_waiting(&mut c, "third client of a 2-thread pool");
    send_expect(&mut b, b"Bob", b"Hello, Bob!");
    b.write_all(b"exit").unwrap();
    // A worker is free again: the third client is served now.
    assert_eq!(read_n(&mut c, 8), b"Welcome!");
    send_expect(&mut c, b"Cy", b"Hello, Cy!");
    send_expect(&mut a, b"Al", b"Hello, Al!");
}

#[test]
fn load_reports_no_failure_against_server_and_counts_round_trips() {
    let (_server, addr) = Proc::server(SERVER, &["--port", "0", "--pause", "0"]);
    client(LOAD)
        .args([
            "--port",
            &addr.port().to_string(),
            "--clients",
            "30",
            "--messages",
            "2",
            "--hold",
        ])
        .assert()
        .success()
        .stdout(contains("connected 30, failed connections 0"))
        .stdout(contains("failed exchanges 0"))
        .stdout(contains("round trips 60,"));
}

#[test]
fn load_reports_refused_connections_and_exits_1() {
    let port = common::closed_port();
    client(LOAD)
        .args(["--port", &port.to_string(), "--clients", "3"])
        .assert()
        .code(1)
        .stdout(contains("failed connections 3"));
}

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

#[test]
#[cfg(unix)] // a wider queue needs a second listen (Unix only), and SIGSTOP
fn server_backlog_queues_a_burst_beyond_std_s_128_and_serves_it() {
    // std's queue holds 128 (+1 on Linux): with the server not accepting, the
    // 130th connect would see its SYN dropped and miss the 500 ms timeout.
    let (server, addr) = Proc::server(
        SERVER,
        &["--port", "0", "--pause", "0", "--backlog", "1024"],
    );
    signal(&server, "-STOP");
    let mut clients = Vec::new();
    for i in 0..300 {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(500)) {
            Ok(c) => clients.push(c),
            Err(e) => {
                signal(&server, "-CONT");
                panic!("connect {i} while the server was stopped: {e}");
            }
        }
    }
    signal(&server, "-CONT");
    // Every queued client is accepted and greeted once the server runs again.
    for (i, c) in clients.iter_mut().enumerate() {
        c.set_read_timeout(Some(common::DEADLINE)).unwrap();
        assert_eq!(read_n(c, 8), b"Welcome!", "client {i}");
    }
}

#[test]
#[cfg(unix)] // a wider queue needs a second listen (Unix only)
fn socketserver_request_queue_size_queues_a_burst_beyond_std_s_128() {
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
                .unwrap_or_else(|e| panic!("connect {i} while nothing accepts: {e}"))
        })
        .collect();
    assert_eq!(clients.len(), 300);
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
    let mut sh_args = vec!["-c", "ulimit -n 32 && exec \"$0\" \"$@\"", bin];
    sh_args.extend_from_slice(args);
    let (mut server, addr) = Proc::server("sh", &sh_args);
    let idle: Vec<TcpStream> = (0..50)
        .map(|i| {
            TcpStream::connect_timeout(&addr, common::DEADLINE)
                .unwrap_or_else(|e| panic!("第 {i} 个空闲客户端连不上服务器: {e}"))
        })
        .collect();
    // Both the old "log and retry" loop and the backing-off one say something.
    server.wait_err("accept", "描述符用完后 accept 失败的日志");
    let err_before = server.stderr().len();
    #[cfg(target_os = "linux")]
    let cpu_before = cpu_ticks(server.pid());
    // A measured interval, not a wait for an event: what happens during it counts.
    thread::sleep(Duration::from_secs(1));
    let printed = server.stderr().len() - err_before;
    assert!(
        printed < 2000,
        "描述符用完的 1 秒里服务器在 stderr 打印了 {printed} 字节: accept 失败后要稍停再试 \
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
    if let Some(greet) = greet {
        assert_eq!(
            read_n(&mut fresh, greet.len()),
            greet,
            "空闲客户端离开后, 新客户端要能被服务"
        );
    }
    send_expect(&mut fresh, ask, answer);
}

#[test]
#[cfg(unix)]
fn server_backs_off_when_descriptors_run_out() {
    backs_off_when_descriptors_run_out(
        SERVER,
        &["--port", "0", "--pause", "0"],
        Some(b"Welcome!"),
        b"Ann",
        b"Hello, Ann!",
    );
}

#[test]
#[cfg(unix)]
fn echo_server_backs_off_when_descriptors_run_out() {
    let args = ["--host", "127.0.0.1", "--port", "0"];
    backs_off_when_descriptors_run_out(ECHO_SERVER, &args, None, b"hi", b"hi");
}

#[test]
#[cfg(unix)]
fn socketserver_backs_off_when_descriptors_run_out() {
    backs_off_when_descriptors_run_out(SOCKETSERVER, &["--port", "0"], None, b"hi", b"HI");
}

#[test]
#[cfg(unix)]
fn pool_server_backs_off_when_descriptors_run_out() {
    let args = ["--port", "0", "--pause", "0", "--threads", "4"];
    backs_off_when_descriptors_run_out(POOL_SERVER, &args, Some(b"Welcome!"), b"Al", b"Hello, Al!");
}

#[test]
#[cfg(unix)]
fn baseline_server_backs_off_when_descriptors_run_out() {
    backs_off_when_descriptors_run_out(BASELINE_SERVER, &["--port", "0"], None, b"hi", b"HI");
}

#[test]
#[cfg(not(unix))]
fn server_backlog_on_windows_warns_once_and_serves() {
    // Windows ignores a second listen: one warning line, std's 128, and serving goes on.
    let args = ["--port", "0", "--pause", "0", "--backlog", "1024"];
    let (mut server, addr) = Proc::server(SERVER, &args);
    server.wait_err("警告", "the one warning line about --backlog");
    let mut s = connect(addr);
    assert_eq!(read_n(&mut s, 8), b"Welcome!");
    send_expect(&mut s, b"Ann", b"Hello, Ann!");
    assert_eq!(
        server.stderr().matches("警告").count(),
        1,
        "one warning line"
    );
}
