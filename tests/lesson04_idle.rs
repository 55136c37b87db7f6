//! 第 4 课: 只连接不说话的客户端挤不掉正常的客户端 (等候室 `lesson04::lobby`), 不是 UTF-8
//! 的上传文件名被拒绝, 以及客户端在终端上的进度行 (`lesson04::progress`)。
//! Lesson 04: idle connections do not lock the file servers out, a non-UTF-8 upload
//! name is refused, and the clients' progress line (on a terminal only).

mod common;

use common::{client, connect, files_under, read_all, Proc, TempDir, DEADLINE};
use std::fs;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

const DOWNLOAD_SERVER: &str = env!("CARGO_BIN_EXE_download_server");
const DOWNLOAD_CLIENT: &str = env!("CARGO_BIN_EXE_download_client");
const UPLOAD_SERVER: &str = env!("CARGO_BIN_EXE_upload_server");
const UPLOAD_CLIENT: &str = env!("CARGO_BIN_EXE_upload_client");

/// A download server on loopback over `root` (holding `ok.txt` = `fine`), with extra flags.
fn download_server(root: &Path, extra: &[&str]) -> (Proc, SocketAddr) {
    fs::write(root.join("ok.txt"), b"fine").unwrap();
    let mut args = vec![
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--root",
        root.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    Proc::server(DOWNLOAD_SERVER, &args)
}

/// An upload server saving into `dir`, with extra flags.
fn upload_server(dir: &Path, extra: &[&str]) -> (Proc, SocketAddr) {
    let mut args = vec!["--port", "0", "--dir", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    Proc::server(UPLOAD_SERVER, &args)
}

/// A normal download of `ok.txt`: it must arrive whole.
fn normal_download(addr: SocketAddr, what: &str) {
    let mut s = connect(addr);
    s.write_all(b"ok.txt").unwrap();
    assert_eq!(read_all(&mut s), b"fine", "{what}");
}

/// Connections that connect and never say anything.
fn idle(addr: SocketAddr, n: usize) -> Vec<TcpStream> {
    (0..n).map(|_| connect(addr)).collect()
}

/// The server has not closed `s`: a short read times out (nothing came, no end).
fn still_open(s: &mut TcpStream, what: &str) {
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    match s.read(&mut [0u8; 16]) {
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
        other => panic!("{what}: 连接应当还开着, 却读到 {other:?}"),
    }
    s.set_read_timeout(Some(DEADLINE)).unwrap();
}

/// The server closes `s` within the deadline: a read sees the end (0 bytes).
fn closed_by_server(s: &mut TcpStream, what: &str) {
    match s.read(&mut [0u8; 16]) {
        Ok(0) => {}
        Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
        other => panic!(
            "{what}: {} 秒内服务器应当关闭这个连接, 却读到 {other:?}",
            DEADLINE.as_secs()
        ),
    }
}

// ---------------------------------------------------------------------------
// 等候室 the waiting room
// ---------------------------------------------------------------------------

#[test]
fn download_server_serves_while_idle_connections_wait_for_their_name() {
    let _hint = common::hint(
        "download_server",
        "accept 之后把连接交给等候室 (lesson04::lobby::Lobby::admit), 文件名到齐了才占位置; 不要在 accept 之前先等一个位置",
    );
    let root = TempDir::new("idle-dl");
    // Two slots, a request deadline far beyond the test's: only the waiting room
    // can let the normal client through.
    let (_server, addr) = download_server(
        root.path(),
        &["--max-clients", "2", "--request-timeout", "60"],
    );
    let mut silent = idle(addr, 6);
    normal_download(
        addr,
        "6 个连接什么也不说 (--max-clients 2), 正常的下载也应当马上完成: 没发文件名的连接不该占位置",
    );
    for s in &mut silent {
        still_open(s, "还没到 --request-timeout, 不说话的连接不该被关闭");
    }
}

/// Threads of a running process (Linux).
#[cfg(target_os = "linux")]
fn threads(pid: u32) -> usize {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("Threads:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn download_server_keeps_a_few_threads_with_100_idle_connections() {
    let _hint = common::hint(
        "download_server",
        "等文件名的连接不占线程: 交给等候室 (lesson04::lobby), 文件名到齐了才开线程",
    );
    let root = TempDir::new("idle-threads");
    let (server, addr) = download_server(root.path(), &["--request-timeout", "60"]);
    let _silent = idle(addr, 100);
    // The accept queue is first come first served: once this download is done,
    // the server has accepted all 100 idle connections before it.
    normal_download(addr, "100 个不说话的连接之后, 正常的下载也应当完成");
    let n = threads(server.pid());
    assert!(
        n <= 8,
        "100 个不说话的连接, 服务器却有 {n} 个线程: 每个等文件名的连接一个线程? (应当只有几个)"
    );
}

#[test]
fn download_server_closes_a_connection_that_sends_no_name_in_time() {
    let _hint = common::hint(
        "download_server",
        "等候室要有期限 (--request-timeout): 到时间还没发来文件名的连接被关闭, 并记一行",
    );
    let root = TempDir::new("idle-deadline");
    let (mut server, addr) = download_server(root.path(), &["--request-timeout", "1"]);
    let mut silent = connect(addr);
    closed_by_server(&mut silent, "1 秒 (--request-timeout 1) 内什么也没发");
    server.wait_err("没有发来完整的请求", "服务器记录超时关闭的连接");
    normal_download(addr, "超时关闭一个连接以后, 服务器照常服务");
}

#[test]
fn download_server_over_max_waiting_closes_the_oldest_idle_and_logs_once() {
    let _hint = common::hint(
        "download_server",
        "等候室满了 (--max-waiting) 就关掉等得最久的连接, 给新来的让位; 每 5 秒最多记一行",
    );
    let started = Instant::now();
    let root = TempDir::new("idle-full");
    let (mut server, addr) = download_server(
        root.path(),
        &["--max-waiting", "3", "--request-timeout", "60"],
    );
    // 13 idle connections, room for 3: the 10 oldest are closed, the last 3 stay.
    let mut all = idle(addr, 13);
    for (i, s) in all.iter_mut().enumerate().take(10) {
        closed_by_server(
            s,
            &format!("等候室只有 3 个位置, 第 {} 个 (最早来的之一)", i + 1),
        );
    }
    for s in &mut all[10..] {
        still_open(s, "最后来的 3 个连接");
    }
    server.wait_err("等候室满了", "服务器记录等候室满了");
    let lines = server.stderr().matches("等候室满了").count();
    let allowed = 1 + started.elapsed().as_secs() as usize / 5;
    assert!(
        lines <= allowed,
        "关掉 10 个连接, 服务器记了 {lines} 行: 应当每 5 秒最多一行, 不要每个连接一行"
    );
    // A newcomer with a request still gets in: it pushes out the oldest idle one.
    normal_download(addr, "等候室满了, 带着文件名来的新连接也应当被服务");
}

#[test]
fn upload_server_serves_while_idle_and_half_header_connections_wait() {
    let _hint = common::hint(
        "upload_server",
        "accept 之后把连接交给等候室 (lesson04::lobby::Lobby::admit), 头到齐了 (读到换行) 才占位置",
    );
    let dest = TempDir::new("idle-up");
    let (mut server, addr) = upload_server(
        dest.path(),
        &["--max-clients", "1", "--request-timeout", "60"],
    );
    let mut silent = idle(addr, 3);
    let mut half = connect(addr);
    half.write_all(b"post|5|a").unwrap(); // a header without its newline
    let mut s = connect(addr);
    s.write_all(b"post|2|ok.txt\nok").unwrap();
    s.shutdown(Shutdown::Write).unwrap();
    assert_eq!(read_all(&mut s), b"", "上传服务器不回任何数据");
    server.wait_out(
        "已保存 ok.txt",
        "3 个不说话的连接和 1 个只发了半个头的连接 (--max-clients 1), 正常的上传也应当完成",
    );
    assert_eq!(fs::read(dest.path().join("ok.txt")).unwrap(), b"ok");
    still_open(&mut half, "只发了半个头的连接还没到 --request-timeout");
    for s in &mut silent {
        still_open(s, "不说话的连接还没到 --request-timeout");
    }
}

#[test]
fn upload_server_closes_a_half_header_that_never_ends_and_saves_nothing() {
    let _hint = common::hint(
        "upload_server",
        "等候室要有期限 (--request-timeout): 头一直没到齐的连接被关闭, 不留下任何文件",
    );
    let dest = TempDir::new("idle-up-deadline");
    let (mut server, addr) = upload_server(dest.path(), &["--request-timeout", "1"]);
    let mut half = connect(addr);
    half.write_all(b"post|5|a").unwrap();
    closed_by_server(&mut half, "1 秒内头没有发完 (没有换行)");
    server.wait_err("没有发来完整的请求", "服务器记录超时关闭的连接");
    assert!(
        files_under(dest.path()).is_empty(),
        "{:?}",
        files_under(dest.path())
    );
}

#[test]
fn upload_server_refuses_a_name_that_is_not_utf8_and_leaves_nothing() {
    let _hint = common::hint(
        "upload_server",
        "文件名要是有效的 UTF-8: 用 std::str::from_utf8 解码, 出错就拒绝 (safepath::not_utf8 说明原因); 不要用 from_utf8_lossy 把坏字节换成 U+FFFD 再存",
    );
    let dest = TempDir::new("up-utf8");
    let (mut server, addr) = upload_server(dest.path(), &[]);
    let mut s = connect(addr);
    let me = s.local_addr().unwrap();
    s.write_all(b"post|5|\xff\xfe\nhello").unwrap();
    s.shutdown(Shutdown::Write).unwrap();
    // Refused or saved, the server is done with this connection once it closes it.
    assert_eq!(read_all(&mut s), b"", "拒绝时不回任何数据");
    assert!(
        files_under(dest.path()).is_empty(),
        "不是 UTF-8 的文件名应当被拒绝, 不留下任何文件 (from_utf8_lossy 会把它存成 \u{fffd}\u{fffd}): {:?}",
        files_under(dest.path())
    );
    server.wait_err(
        &format!("refused {me}: 文件名不是有效的 UTF-8"),
        "服务器拒绝不是 UTF-8 的文件名, 一行里说出原因",
    );
    let lines = server.stderr().matches(&me.to_string()).count();
    assert_eq!(lines, 1, "一个被拒绝的上传只记一行:\n{}", server.stderr());
    let mut ok = connect(addr);
    ok.write_all(b"post|2|ok.txt\nok").unwrap();
    drop(ok);
    server.wait_out("已保存 ok.txt", "拒绝之后服务器照常接收上传");
}

// ---------------------------------------------------------------------------
// 进度行 the progress line
// ---------------------------------------------------------------------------

/// A fake download server for one client: reads the name, sends `pieces` pieces of
/// `piece` bytes with `pause` between them, closes.
fn slow_file_server(pieces: usize, piece: usize, pause: Duration) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        let Ok((mut s, _)) = listener.accept() else {
            return;
        };
        let _ = s.read(&mut [0u8; 1024]);
        for i in 0..pieces {
            if i > 0 {
                thread::sleep(pause); // a slow link, so that the line is redrawn
            }
            if s.write_all(&vec![b'x'; piece]).is_err() {
                return;
            }
        }
    });
    addr
}

/// A fake upload server for one client: takes `post|<size>|<name>\n` and the bytes,
/// and sends what it received (the header's size) back on `done`.
fn upload_sink() -> (SocketAddr, mpsc::Receiver<u64>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let Ok((mut s, _)) = listener.accept() else {
            return;
        };
        let mut all = Vec::new();
        let _ = s.read_to_end(&mut all);
        let _ = tx.send(all.len() as u64);
    });
    (addr, rx)
}

fn download_args(addr: SocketAddr) -> Vec<String> {
    ["--host", "127.0.0.1", "--port", &addr.port().to_string()]
        .iter()
        .map(|s| s.to_string())
        .chain(["--name".into(), "slow.bin".into()])
        .collect()
}

#[cfg(target_os = "linux")]
mod pty {
    //! A pseudo-terminal for the program's stderr, so that `IsTerminal` says yes.
    use std::ffi::{c_char, c_int};
    use std::fs::{File, OpenOptions};
    use std::io;
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;

    extern "C" {
        fn unlockpt(fd: c_int) -> c_int;
        fn ptsname_r(fd: c_int, buf: *mut c_char, len: usize) -> c_int;
    }

    /// O_NOCTTY: opening the terminal must not make it the test's own.
    const O_NOCTTY: i32 = 0o400;

    /// Unlocks the new master's other end (glibc's `unlockpt`).
    #[allow(unsafe_code)]
    fn unlock(master: &File) -> io::Result<()> {
        match unsafe { unlockpt(master.as_raw_fd()) } {
            0 => Ok(()),
            _ => Err(io::Error::last_os_error()),
        }
    }

    /// The path of the master's other end (glibc's `ptsname_r`).
    #[allow(unsafe_code)]
    fn name(master: &File) -> io::Result<String> {
        let mut buf = [0 as c_char; 128];
        match unsafe { ptsname_r(master.as_raw_fd(), buf.as_mut_ptr(), buf.len()) } {
            0 => {}
            e => return Err(io::Error::from_raw_os_error(e)),
        }
        let bytes: Vec<u8> = buf
            .iter()
            .take_while(|&&c| c != 0)
            .map(|&c| c as u8)
            .collect();
        String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    /// A master and its terminal end.
    pub fn open() -> io::Result<(File, File)> {
        let rw = |path: &str| {
            OpenOptions::new()
                .read(true)
                .write(true)
                .custom_flags(O_NOCTTY)
                .open(path)
        };
        let master = rw("/dev/ptmx")?;
        unlock(&master)?;
        let slave = rw(&name(&master)?)?;
        Ok((master, slave))
    }
}

/// Runs `bin` with its stderr on a terminal (a pty) and its stdout in a pipe.
/// Returns (success, stdout, what the terminal showed). Killed at the deadline.
#[cfg(target_os = "linux")]
fn on_a_terminal(
    bin: &str,
    args: &[String],
    cwd: &Path,
    stdin: &[u8],
    no_color: Option<&str>,
) -> (bool, String, String) {
    use std::process::{Command, Stdio};
    let (mut master, slave) =
        pty::open().unwrap_or_else(|e| panic!("打开伪终端 (/dev/ptmx) 失败: {e}"));
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(slave))
        .env_remove("NO_COLOR");
    if let Some(v) = no_color {
        cmd.env("NO_COLOR", v);
    }
    let mut child = cmd.spawn().expect("启动程序");
    drop(cmd); // our copy of the terminal end: the master sees the end when the child exits
    let _ = child.stdin.take().unwrap().write_all(stdin);
    let mut out = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let tx2 = tx.clone();
    thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        let _ = tx.send((true, v));
    });
    thread::spawn(move || {
        // Linux: EIO once the last terminal end is closed.
        let mut v = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = master.read(&mut buf) {
            v.extend_from_slice(&buf[..n]);
        }
        let _ = tx2.send((false, v));
    });
    let until = Instant::now() + DEADLINE;
    let (mut stdout, mut term) = (None, None);
    while stdout.is_none() || term.is_none() {
        let left = until.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((true, v)) => stdout = Some(v),
            Ok((false, v)) => term = Some(v),
            Err(_) => {
                let _ = child.kill();
                panic!("{} 秒内程序没有结束", DEADLINE.as_secs());
            }
        }
    }
    let status = child.wait().unwrap();
    let text = |v: Option<Vec<u8>>| String::from_utf8_lossy(&v.unwrap()).into_owned();
    (status.success(), text(stdout), text(term))
}

#[cfg(target_os = "linux")]
#[test]
fn download_client_draws_progress_on_a_terminal_ending_with_total_and_rate() {
    let _hint = common::hint(
        "download_client",
        "终端上要有进度行: 接收时经过 lesson04::progress::Meter (io::copy 从它读), 读到结尾时画最后一行",
    );
    let cwd = TempDir::new("progress-dl");
    // 5 pieces of 60000 bytes, 300 ms apart: a redraw after each of the last four.
    let addr = slow_file_server(5, 60_000, Duration::from_millis(300));
    let (ok, stdout, term) =
        on_a_terminal(DOWNLOAD_CLIENT, &download_args(addr), cwd.path(), b"", None);
    assert!(ok, "下载应当成功:\n{stdout}\n{term}");
    assert!(
        stdout.contains("已保存 [新]slow.bin, 300000 字节") && !stdout.contains('\r'),
        "标准输出和原来一样, 没有进度行: {stdout:?}"
    );
    let redraws = term.matches("\r下载 ").count();
    assert!(
        redraws >= 2,
        "传了 1 秒多, 进度行应当至少重画两次 (每秒几次), 终端上却是: {term:?}"
    );
    let last = term[term.rfind("\r下载完成").unwrap_or(0)..].trim_end();
    assert!(
        last.contains("共 293.0 KiB (300000 字节)")
            && last.contains("平均")
            && last.ends_with("/s"),
        "最后一行应当以总数和平均速度结束, 终端上却是: {term:?} (最后一行 {last:?})"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn upload_client_draws_progress_on_a_terminal_ending_with_total_and_rate() {
    let _hint = common::hint(
        "upload_client",
        "终端上要有进度行: 发送的文件经过 lesson04::progress::Meter, 发够了画最后一行",
    );
    let cwd = TempDir::new("progress-up");
    fs::write(cwd.path().join("a.bin"), vec![b'y'; 200_000]).unwrap();
    let (addr, got) = upload_sink();
    let args: Vec<String> = ["--port", &addr.port().to_string()]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let (ok, stdout, term) =
        on_a_terminal(UPLOAD_CLIENT, &args, cwd.path(), b"post|a.bin\n\n", None);
    assert!(ok, "上传应当成功:\n{stdout}\n{term}");
    assert_eq!(
        got.recv_timeout(DEADLINE).ok(),
        Some(200_000 + "post|200000|a.bin\n".len() as u64),
        "服务器收到的应当是头和 200000 字节, 一个不多"
    );
    assert!(
        stdout.contains("上传成功 a.bin, 200000 字节") && !stdout.contains('\r'),
        "标准输出和原来一样, 没有进度行: {stdout:?}"
    );
    let last = term[term.rfind("\r上传完成").unwrap_or(0)..].trim_end();
    assert!(
        last.contains("共 195.3 KiB (200000 字节)")
            && last.contains("平均")
            && last.ends_with("/s"),
        "最后一行应当以总数和平均速度结束, 终端上却是: {term:?}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn download_client_draws_nothing_with_no_color_or_quiet() {
    let _hint = common::hint(
        "download_client",
        "NO_COLOR 或 --quiet 时终端上也不画进度行 (lesson04::progress::quiet)",
    );
    let cwd = TempDir::new("progress-quiet");
    let addr = slow_file_server(1, 5000, Duration::ZERO);
    let (ok, stdout, term) = on_a_terminal(
        DOWNLOAD_CLIENT,
        &download_args(addr),
        cwd.path(),
        b"",
        Some("1"),
    );
    assert!(
        ok && stdout.contains("5000 字节"),
        "服务器发了 5000 字节, 客户端应当全部收下并打印 5000 字节 (只收了一部分? 要读到连接关闭):\n{stdout}\n{term}"
    );
    assert!(
        !term.contains("下载"),
        "设置了 NO_COLOR, 终端上却有进度: {term:?}"
    );
    let addr = slow_file_server(1, 5000, Duration::ZERO);
    let mut args = download_args(addr);
    args.push("--quiet".into());
    let (ok, stdout, term) = on_a_terminal(DOWNLOAD_CLIENT, &args, cwd.path(), b"", None);
    assert!(
        ok && stdout.contains("5000 字节"),
        "--quiet 应当是一个选项, 5000 字节应当全部收下:\n{stdout}\n{term}"
    );
    assert!(
        !term.contains("下载"),
        "加了 --quiet, 终端上却有进度: {term:?}"
    );
}

#[test]
fn download_client_draws_no_progress_in_a_pipe() {
    let _hint = common::hint(
        "download_client",
        "只有 stderr 是终端时才画进度行 (std::io::IsTerminal); 输出到管道时一个字节也不写",
    );
    let cwd = TempDir::new("progress-pipe");
    let addr = slow_file_server(3, 50_000, Duration::from_millis(250));
    let out = client(DOWNLOAD_CLIENT)
        .current_dir(cwd.path())
        .args(download_args(addr))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.is_empty(),
        "stderr 是管道, 不应当有进度行: {stderr:?}"
    );
}

#[test]
fn upload_client_draws_no_progress_in_a_pipe() {
    let _hint = common::hint(
        "upload_client",
        "只有 stderr 是终端时才画进度行 (std::io::IsTerminal); 输出到管道时一个字节也不写",
    );
    let cwd = TempDir::new("progress-up-pipe");
    fs::write(cwd.path().join("a.bin"), vec![b'y'; 100_000]).unwrap();
    let (addr, got) = upload_sink();
    let out = client(UPLOAD_CLIENT)
        .current_dir(cwd.path())
        .args(["--port", &addr.port().to_string()])
        .write_stdin("post|a.bin\n\n")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(got.recv_timeout(DEADLINE).is_ok(), "服务器没有收到上传");
    assert!(
        stderr.is_empty(),
        "stderr 是管道, 不应当有进度行: {stderr:?}"
    );
}
