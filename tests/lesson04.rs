//! 第 4 课 文件传输的测试: 大文件按哈希比较, 每一种被拒绝的名字, 中途断开的传输,
//! 粘在一起的上传头 (粘包), 以及服务器在不友好的客户端面前的表现。
//! Lesson 04: whole files compared by hash, every refused name, cut transfers, the
//! glued upload header (粘包), and the servers under hostile or unlucky clients.

mod common;

use common::{client, connect, fnv, pattern, read_all, Proc, TempDir, DEADLINE};
use lesson04::framing::{read_frame, write_frame};
use predicates::str::contains;
use std::fs;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

const DOWNLOAD_SERVER: &str = env!("CARGO_BIN_EXE_download_server");
const DOWNLOAD_CLIENT: &str = env!("CARGO_BIN_EXE_download_client");
const UPLOAD_SERVER: &str = env!("CARGO_BIN_EXE_upload_server");
const UPLOAD_CLIENT: &str = env!("CARGO_BIN_EXE_upload_client");
const STICKY: &str = env!("CARGO_BIN_EXE_sticky");

const FIVE_MB: usize = 5_000_000;

/// A download server over `root`, on loopback, with extra flags.
fn download_server(root: &Path, extra: &[&str]) -> (Proc, SocketAddr) {
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

/// Runs the download client in `cwd` for `name`.
fn download(
    cwd: &Path,
    addr: SocketAddr,
    name: &str,
    extra: &[&str],
) -> assert_cmd::assert::Assert {
    client(DOWNLOAD_CLIENT)
        .current_dir(cwd)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &addr.port().to_string(),
            "--name",
            name,
        ])
        .args(extra)
        .assert()
}

/// The names in `dir` (files and folders), sorted.
fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Every file (not folder) anywhere below `dir`, as paths relative to it, sorted:
/// a temporary file left in a hidden subfolder shows up here.
fn files_under(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut v = Vec::new();
    walk(dir, dir, &mut v);
    v.sort();
    v
}

/// Accepts one connection on `listener` within the deadline, or fails the test
/// with `what` (the accept runs in a thread, so a client that never connects
/// cannot hang the test).
fn accept_within(listener: TcpListener, what: &str) -> TcpStream {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        if let Ok((s, _)) = listener.accept() {
            let _ = tx.send(s);
        }
    });
    let s = rx
        .recv_timeout(DEADLINE)
        .unwrap_or_else(|_| panic!("{} 秒内没有等到连接: {what}", DEADLINE.as_secs()));
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    s
}

// ---------------------------------------------------------------------------
// 下载 downloads
// ---------------------------------------------------------------------------

#[test]
fn download_client_saves_whole_file_larger_than_1024_byte_identical() {
    #[rustfmt::skip]
    let _hint = common::hint("download_client", "只 read 了一次 1024 字节? 要一直读到 read 返回 0 (服务器关闭) 为止, 每次读到的都写进文件; 这个测试同时运行你的 download_server 和 download_client: 两端都要完成");
    let (root, cwd) = (TempDir::new("dl-root"), TempDir::new("dl-cwd"));
    let data = pattern(FIVE_MB);
    fs::write(root.path().join("big.bin"), &data).unwrap();
    let (mut server, addr) = download_server(root.path(), &[]);
    download(cwd.path(), addr, "big.bin", &[])
        .success()
        .stdout(contains("已保存 [新]big.bin, 5000000 字节"));
    let saved = fs::read(cwd.path().join("[新]big.bin"))
        .expect("客户端没有保存 [新]big.bin (文件名要是 [新] 加上原来的名字)");
    assert_eq!(
        (saved.len(), fnv(&saved)),
        (data.len(), fnv(&data)),
        "保存的文件和服务器上的不一样 (长度, 哈希)"
    );
    server.wait_out("需要下载文件是：big.bin", "服务器记录收到的文件名");
    server.wait_out(": 5000000 字节", "服务器记录一共发送了多少字节");
}

#[test]
fn download_client_asks_like_000_and_like_004() {
    let _hint = common::hint("download_client", "提示语和保存的名字要和原文一致: 000 问 ip、port、文件名, 存为 [新]x; 004 只问 请输入文件名称：, 存为 新x; 这个测试同时运行你的 download_server 和 download_client: 两端都要完成");
    let (root, cwd) = (TempDir::new("dl-root"), TempDir::new("dl-cwd"));
    fs::write(root.path().join("a.txt"), b"from 000").unwrap();
    let (_server, addr) = download_server(root.path(), &[]);
    client(DOWNLOAD_CLIENT)
        .current_dir(cwd.path())
        .write_stdin(format!("127.0.0.1\n{}\na.txt\n", addr.port()))
        .assert()
        .success()
        .stdout(contains("请输入下载服务器的ip:"))
        .stdout(contains("请输入下载服务器的port:"))
        .stdout(contains("请输入要下载的文件名字："));
    assert_eq!(fs::read(cwd.path().join("[新]a.txt")).unwrap(), b"from 000");

    // 004's client asks only for the name (its address is fixed; --port points it at ours).
    client(DOWNLOAD_CLIENT)
        .current_dir(cwd.path())
        .args(["--section", "004", "--port", &addr.port().to_string()])
        .write_stdin("a.txt\n")
        .assert()
        .success()
        .stdout(contains("请输入文件名称："));
    assert_eq!(fs::read(cwd.path().join("新a.txt")).unwrap(), b"from 000");
}

#[test]
fn download_client_single_read_keeps_the_texts_cut() {
    #[rustfmt::skip]
    let _hint = common::hint("download_client", "--single-read 是原文的做法: 只 read 一次 (最多 1024 字节) 就保存; 这个测试同时运行你的 download_server 和 download_client: 两端都要完成");
    let (root, cwd) = (TempDir::new("dl-root"), TempDir::new("dl-cwd"));
    let data = pattern(100_000);
    fs::write(root.path().join("cut.bin"), &data).unwrap();
    let (_server, addr) = download_server(root.path(), &[]);
    download(cwd.path(), addr, "cut.bin", &["--single-read"]).success();
    let saved = fs::read(cwd.path().join("[新]cut.bin")).unwrap();
    assert!(
        !saved.is_empty() && saved.len() <= 1024,
        "只读一次应当得到 1 到 1024 字节, 实际保存了 {} 字节",
        saved.len()
    );
    assert_eq!(
        saved,
        data[..saved.len()],
        "保存的应当是文件的开头, 不多不少"
    );
}

#[test]
fn download_server_refuses_every_hostile_name_and_goes_on_serving() {
    let _hint = common::hint(
        "download_server",
        "文件名要先检查 (safepath::resolve) 再打开; 一个客户端出错后 accept 循环要继续",
    );
    let top = TempDir::new("dl-hostile");
    let root = top.path().join("root");
    fs::create_dir_all(root.join("sub")).unwrap();
    fs::write(top.path().join("secret.txt"), b"TOP SECRET").unwrap();
    fs::write(root.join("ok.txt"), b"fine").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(top.path().join("secret.txt"), root.join("link.txt")).unwrap();
    let (mut server, addr) = download_server(&root, &[]);

    let absolute = top.path().join("secret.txt");
    let mut names: Vec<Vec<u8>> = vec![
        b"../secret.txt".to_vec(),
        absolute.to_str().unwrap().as_bytes().to_vec(),
        b"sub/../../secret.txt".to_vec(),
        b"ok.txt\0../secret.txt".to_vec(),
        b"\xff\xfe.txt".to_vec(),
        Vec::new(), // an empty name: the client sends nothing and closes its side
    ];
    if cfg!(unix) {
        names.push(b"link.txt".to_vec());
    }
    for name in &names {
        let mut s = connect(addr);
        s.write_all(name).unwrap();
        s.shutdown(Shutdown::Write).unwrap();
        assert_eq!(
            read_all(&mut s),
            b"",
            "服务器不应当为 {:?} 发送任何字节",
            String::from_utf8_lossy(name)
        );
        server.wait_out("拒绝 refused", "服务器记录拒绝的原因");
    }
    let mut s = connect(addr);
    s.write_all(b"ok.txt").unwrap();
    assert_eq!(
        read_all(&mut s),
        b"fine",
        "拒绝之后服务器应当照常提供 ok.txt"
    );
}

#[test]
fn download_of_a_missing_file_logs_it_and_the_client_writes_nothing() {
    #[rustfmt::skip]
    let _hint = common::hint("download_client", "打不开文件时打印原文的 没有要下载的文件(名字), 不发数据, 关闭连接; 这个测试同时运行你的 download_server 和 download_client: 两端都要完成");
    let (root, cwd) = (TempDir::new("dl-root"), TempDir::new("dl-cwd"));
    let (mut server, addr) = download_server(root.path(), &[]);
    download(cwd.path(), addr, "nope.txt", &[])
        .code(1)
        .stderr(contains("没有收到数据"));
    server.wait_out("没有要下载的文件(nope.txt)", "原文的提示");
    assert!(
        files_in(cwd.path()).is_empty(),
        "没有收到数据时客户端不应当写文件: {:?}",
        files_in(cwd.path())
    );
}

#[test]
fn download_server_section_004_logs_its_message_and_serves_once() {
    let _hint = common::hint(
        "download_server",
        "004 的服务器只服务一个客户端就退出, 文件不存在时打印 <名字>文件不存在",
    );
    let root = TempDir::new("dl-root");
    let (server, addr) = download_server(root.path(), &["--section", "004"]);
    let mut s = connect(addr);
    s.write_all(b"nope.txt").unwrap();
    assert_eq!(read_all(&mut s), b"", "文件不存在时不发任何数据");
    let (status, out, _) = server.finish();
    assert!(
        out.contains("nope.txt文件不存在"),
        "没有 004 的提示:\n{out}"
    );
    assert!(status.success(), "服务一次后应当正常退出: {status}");
}

#[test]
fn framed_download_tells_missing_from_present() {
    #[rustfmt::skip]
    let _hint = common::hint("download_client", "--framed: 先用 framing::write_frame 回 OK <大小> 或 ERR <原因>, 再发数据; 这个测试同时运行你的 download_server 和 download_client: 两端都要完成");
    let (root, cwd) = (TempDir::new("dl-root"), TempDir::new("dl-cwd"));
    fs::write(root.path().join("empty.txt"), b"").unwrap();
    fs::write(root.path().join("a.txt"), b"framed!").unwrap();
    let (_server, addr) = download_server(root.path(), &["--framed"]);
    download(cwd.path(), addr, "nope.txt", &["--framed"])
        .code(1)
        .stderr(contains("服务器拒绝: 没有这个文件"));
    assert!(files_in(cwd.path()).is_empty());
    download(cwd.path(), addr, "empty.txt", &["--framed"])
        .success()
        .stdout(contains("0 字节"));
    download(cwd.path(), addr, "a.txt", &["--framed"]).success();
    assert_eq!(fs::read(cwd.path().join("[新]a.txt")).unwrap(), b"framed!");
    assert_eq!(fs::read(cwd.path().join("[新]empty.txt")).unwrap(), b"");
}

#[test]
fn framed_download_server_reads_the_whole_name_frame() {
    let _hint = common::hint(
        "download_server",
        "--framed 时文件名也是一帧: 用 framing::read_frame 读满, 不要只 read 一次",
    );
    let root = TempDir::new("dl-root");
    fs::write(root.path().join("a.txt"), b"framed!").unwrap();
    let (_server, addr) = download_server(root.path(), &["--framed"]);
    let mut frame = Vec::new();
    write_frame(&mut frame, b"a.txt").unwrap();
    let cut = lesson04::framing::PREFIX + 2; // the length and `a.`
    let mut s = connect(addr);
    s.set_nodelay(true).unwrap();
    s.write_all(&frame[..cut]).unwrap();
    // Half a name has arrived: the server must go on waiting, not answer. (A broken
    // server that is slower than this pause is let through; correct code never fails.)
    s.set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    match s.read(&mut [0u8; 64]) {
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
        other => panic!(
            "服务器只收到半个文件名 (`a.`) 就回答或关闭了 ({other:?}); \
             --framed 时要读满一整帧再找文件"
        ),
    }
    s.write_all(&frame[cut..]).unwrap();
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    let header = read_frame(&mut s, 1024).expect("读服务器的头");
    assert_eq!(
        header.as_deref(),
        Some(&b"OK 7"[..]),
        "名字分两次到达, 服务器也应当找到 a.txt, 回答 OK 7"
    );
    assert_eq!(read_all(&mut s), b"framed!", "头后面应当是文件的内容");
}

#[test]
fn framed_download_cut_short_leaves_no_file_behind() {
    let _hint = common::hint(
        "download_client",
        "--framed 时要数收到的字节: 少于头里说的大小就报错, 删掉临时文件",
    );
    let cwd = TempDir::new("dl-cwd");
    // The test plays a server that promises 1000 bytes and sends 10.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let ended = common::Ended::default();
    let gone = ended.clone();
    let running = thread::spawn(move || {
        let assert = download(cwd.path(), addr, "big.bin", &["--framed"]);
        gone.record(assert.get_output().status, &assert.get_output().stderr);
        assert.code(1).stderr(contains("只收到 10 / 1000 字节"));
        files_in(cwd.path())
    });
    let mut c = common::accept_from(&listener, &ended, "下载客户端");
    let name = read_frame(&mut c, 1024).unwrap_or_else(|e| {
        panic!("--framed 的客户端应当把文件名作为一帧发出 (8 字节长度 + 名字): {e}")
    });
    assert_eq!(
        name.as_deref(),
        Some(&b"big.bin"[..]),
        "--framed 的客户端应当用 framing::write_frame 发文件名"
    );
    write_frame(&mut c, b"OK 1000").unwrap();
    c.write_all(&[7u8; 10]).unwrap();
    drop(c);
    let left = running.join().unwrap();
    assert!(left.is_empty(), "传输被截断后不应当留下文件: {left:?}");
}

/// Peak resident memory of a process, in KiB (Linux).
#[cfg(target_os = "linux")]
fn peak_rss_kib(pid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn download_server_memory_does_not_grow_with_the_file() {
    #[rustfmt::skip]
    let _hint = common::hint("download_client", "不要把整个文件读进内存 (read_to_end / fs::read): 用一个固定大小的缓冲区, 读一块发一块; 这个测试同时运行你的 download_server 和 download_client: 两端都要完成");
    let (root, cwd) = (TempDir::new("dl-root"), TempDir::new("dl-cwd"));
    fs::write(root.path().join("small.bin"), pattern(1000)).unwrap();
    fs::write(root.path().join("large.bin"), vec![1u8; 64 << 20]).unwrap();
    let (server, addr) = download_server(root.path(), &[]);
    download(cwd.path(), addr, "small.bin", &[]).success();
    let after_small = peak_rss_kib(server.pid());
    download(cwd.path(), addr, "large.bin", &[]).success();
    let after_large = peak_rss_kib(server.pid());
    assert_eq!(
        fs::metadata(cwd.path().join("[新]large.bin"))
            .unwrap()
            .len(),
        64 << 20
    );
    // Reading the 64 MiB file whole would add 64 MiB to the peak.
    assert!(
        after_large < after_small + 8 * 1024,
        "下载 64 MiB 后服务器的内存峰值从 {after_small} KiB 涨到了 {after_large} KiB"
    );
}

/// Connects and asks for `name`, without ever reading the answer.
fn ask_and_never_read(addr: SocketAddr, name: &str) -> TcpStream {
    let mut s = connect(addr);
    s.write_all(name.as_bytes()).unwrap();
    s
}

#[cfg(target_os = "linux")]
#[test]
fn clients_that_never_read_time_out_and_cost_little_memory_each() {
    let _hint = common::hint(
        "download_server",
        "发送要有超时 (set_write_timeout), 每个客户端的缓冲区要小 (lesson04::SEND_CHUNK)",
    );
    let root = TempDir::new("dl-silent");
    fs::write(root.path().join("big.bin"), vec![3u8; 32 << 20]).unwrap();
    fs::write(root.path().join("small.bin"), pattern(1000)).unwrap();
    let (mut server, addr) = download_server(root.path(), &["--write-timeout", "2"]);
    let mut s = connect(addr);
    s.write_all(b"small.bin").unwrap();
    assert_eq!(read_all(&mut s).len(), 1000);
    let before = peak_rss_kib(server.pid());
    // 16 clients ask for 32 MiB each and never read: each send blocks, then times out.
    let silent: Vec<TcpStream> = (0..16)
        .map(|_| ask_and_never_read(addr, "big.bin"))
        .collect();
    for s in &silent {
        let me = s.local_addr().unwrap();
        server.wait_err(
            &format!("客户端 {me} 出错"),
            "不读数据的客户端应当在 --write-timeout 之后被断开",
        );
    }
    let after = peak_rss_kib(server.pid());
    assert!(
        after < before + 8 * 1024,
        "16 个不读的客户端让服务器的内存峰值从 {before} KiB 涨到了 {after} KiB (每个客户端的缓冲区太大?)"
    );
}

#[test]
fn clients_over_max_clients_wait_until_one_leaves() {
    let _hint = common::hint(
        "download_server",
        "accept 之前先等一个空位 (lesson04::Slots), 线程结束时让出位置",
    );
    let root = TempDir::new("dl-bound");
    fs::write(root.path().join("big.bin"), vec![3u8; 32 << 20]).unwrap();
    fs::write(root.path().join("small.txt"), b"small").unwrap();
    let (mut server, addr) = download_server(root.path(), &["--max-clients", "2"]);
    let a = ask_and_never_read(addr, "big.bin");
    let _b = ask_and_never_read(addr, "big.bin");
    server.wait_out("需要下载文件是：big.bin", "第一个客户端的请求");
    server.wait_out("需要下载文件是：big.bin", "第二个客户端的请求");

    // The third waits in the queue: not one byte while both slots are taken.
    let mut c = connect(addr);
    c.write_all(b"small.txt").unwrap();
    c.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut buf = [0u8; 16];
    match c.read(&mut buf) {
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
        other => panic!("已经有 2 个客户端 (--max-clients 2), 第三个却马上得到了回应: {other:?}"),
    }
    // One leaves: the third is served.
    drop(a);
    c.set_read_timeout(Some(DEADLINE)).unwrap();
    assert_eq!(
        read_all(&mut c),
        b"small",
        "有客户端离开后, 排队的客户端应当被服务"
    );
}

// ---------------------------------------------------------------------------
// 上传 uploads
// ---------------------------------------------------------------------------

/// An upload server saving into `dir`.
fn upload_server(dir: &Path, extra: &[&str]) -> (Proc, SocketAddr) {
    let mut args = vec!["--port", "0", "--dir", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    Proc::server(UPLOAD_SERVER, &args)
}

#[test]
fn upload_of_5mb_arrives_byte_identical_with_no_temporary_file_left() {
    #[rustfmt::skip]
    let _hint = common::hint("upload_client", "先发头 post|大小|文件名 和换行, 再把文件分块发完 (write_all), 发够头里说的字节数; 这个测试同时运行你的 upload_server 和 upload_client: 两端都要完成");
    let (src, dest) = (TempDir::new("up-src"), TempDir::new("up-dest"));
    let data = pattern(FIVE_MB);
    fs::write(src.path().join("big.bin"), &data).unwrap();
    fs::write(src.path().join("small.txt"), b"second file").unwrap();
    let (mut server, addr) = upload_server(dest.path(), &[]);
    client(UPLOAD_CLIENT)
        .current_dir(src.path())
        .args(["--port", &addr.port().to_string()])
        .write_stdin("post|big.bin\nhello\npost|small.txt\n\n")
        .assert()
        .success()
        .stdout(contains("please input:"))
        .stdout(contains("上传成功 big.bin, 5000000 字节"))
        .stdout(contains("请输入 post|<文件路径>"));
    server.wait_out("ending: 已保存 small.txt", "两个文件都保存了");
    let saved = fs::read(dest.path().join("big.bin")).unwrap();
    assert_eq!(
        (saved.len(), fnv(&saved)),
        (data.len(), fnv(&data)),
        "上传的 big.bin 和原文件不一样 (长度, 哈希)"
    );
    assert_eq!(
        fs::read(dest.path().join("small.txt")).unwrap(),
        b"second file"
    );
    assert_eq!(files_under(dest.path()), ["big.bin", "small.txt"]);
}

#[test]
fn a_client_vanishing_mid_upload_leaves_nothing_behind() {
    let _hint = common::hint(
        "upload_server",
        "先写临时文件, 收齐了才改名; 收不齐 (read 返回 0) 就报错并删掉临时文件",
    );
    let dest = TempDir::new("up-cut");
    let (mut server, addr) = upload_server(dest.path(), &[]);
    let mut s = connect(addr);
    s.write_all(b"post|1000|cut.bin\n").unwrap();
    s.write_all(&[1u8; 10]).unwrap();
    drop(s);
    server.wait_err("上传不完整: 只收到 10 / 1000 字节", "中途断开的上传的记录");
    assert!(
        files_under(dest.path()).is_empty(),
        "中途断开的上传不应当留下文件: {:?}",
        files_under(dest.path())
    );
}

#[test]
fn hostile_upload_headers_are_refused_and_the_server_goes_on() {
    let _hint = common::hint(
        "upload_server",
        "文件名要在写任何文件之前检查 (safepath::upload_name); 拒绝后服务器继续 accept",
    );
    // The server's folder sits inside a test-owned folder, so a name that escapes
    // (`../evil`) lands where the test sees it and is removed with it.
    let top = TempDir::new("up-bad");
    let dest = top.path().join("dest");
    let (mut server, addr) = upload_server(&dest, &[]);
    let longest_line = format!("post|5|{}\n", "x".repeat(1024 - 7)); // 1024 bytes and \n
    let no_newline = format!("post|5|{}", "x".repeat(2000));
    let cases: [(&str, &str); 14] = [
        ("post|5|../evil\n", "不能带目录"),
        ("post|5|a/b\n", "不能带目录"),
        ("post|5|..\n", "不能是 . 或 .."),
        ("post|5|C:evil.txt\n", "不能有 :"),
        ("post|5|CON\n", "Windows 的保留设备名"),
        ("post|5|nul.txt\n", "Windows 的保留设备名"),
        ("post|5|.uploading\n", "这是放临时文件的目录"),
        ("post|-1|a\n", "大小不是非负整数"),
        ("post|abc|a\n", "大小不是非负整数"),
        ("get|5|a\n", "不是 post|大小|文件名"),
        ("post|5|\n", "空文件名"),
        ("\n", "不是 post|大小|文件名"),
        (&longest_line, "文件名太长"),
        (&no_newline, "头太长或没有换行"),
    ];
    for (header, why) in cases {
        let mut s = connect(addr);
        let me = s.local_addr().unwrap();
        s.write_all(header.as_bytes()).unwrap();
        server.wait_err(
            &format!("refused {me}: {why}"),
            &format!("服务器应当拒绝 {:.30}, 原因里说 {why}", header.trim_end()),
        );
        // The server says it is done at once (it shuts down its sending side), so
        // a client waiting for an answer is not left hanging...
        let mut buf = [0u8; 16];
        match s.read(&mut buf) {
            Ok(0) => {}
            other => panic!(
                "拒绝之后服务器应当马上关闭它的发送方向 (shutdown(Write)), 客户端读到的却是 {other:?}"
            ),
        }
        // ...and what the client still sends is read and dropped, so it sees a
        // clean end of the connection, not a reset.
        let reset = "服务器关闭前没有读掉客户端发来的数据, 连接被重置 (RST)";
        if let Err(e) = s.write_all(b"hello") {
            panic!("{reset}: {e}");
        }
        if let Err(e) = s.shutdown(Shutdown::Write) {
            panic!("{reset}: {e}");
        }
        let mut rest = Vec::new();
        if let Err(e) = s.read_to_end(&mut rest) {
            panic!("被拒绝的客户端应当读到正常的关闭, 却得到: {e} (服务器关闭前没有读掉客户端发来的数据?)");
        }
        assert_eq!(rest, b"", "拒绝时服务器不应当回任何数据");
    }
    assert_eq!(files_in(top.path()), ["dest"], "有文件写到了 --dir 外面");
    assert!(
        files_under(&dest).is_empty(),
        "被拒绝的上传留下了文件: {:?}",
        files_under(&dest)
    );
    let mut s = connect(addr);
    s.write_all(b"post|2|ok.txt\nok").unwrap();
    drop(s);
    server.wait_out("已保存 ok.txt", "拒绝之后的正常上传");
}

#[test]
fn uploads_over_max_clients_wait_until_one_leaves() {
    let _hint = common::hint(
        "upload_server",
        "accept 之前先等一个空位 (lesson04::Slots), 线程结束时让出位置",
    );
    let dest = TempDir::new("up-bound");
    let (mut server, addr) = upload_server(dest.path(), &["--max-clients", "1"]);
    // The first client starts an upload and pauses in the middle.
    let mut first = connect(addr);
    let me = first.local_addr().unwrap();
    first.write_all(b"post|10|a.txt\nAAAAA").unwrap();
    server.wait_out(&format!("{me}: post 10 字节 → a.txt"), "第一个上传开始了");
    // The second is not served while the first holds the only slot.
    let mut second = connect(addr);
    second.write_all(b"post|2|b.txt\nok").unwrap();
    second.shutdown(Shutdown::Write).unwrap();
    second
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    match second.read(&mut [0u8; 16]) {
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
        other => panic!("--max-clients 1 时第二个客户端应当排队等, 它却被服务了: {other:?}"),
    }
    assert!(
        !dest.path().join("b.txt").exists(),
        "第二个上传不应当已经保存"
    );
    // The first finishes: the second is served.
    first.write_all(b"BBBBB").unwrap();
    drop(first);
    server.wait_out("已保存 a.txt", "第一个上传完成");
    server.wait_out("已保存 b.txt", "排队的第二个上传在第一个离开后完成");
    assert_eq!(fs::read(dest.path().join("b.txt")).unwrap(), b"ok");
}

#[test]
fn an_upload_named_like_an_existing_folder_leaves_no_temporary_file() {
    let _hint = common::hint(
        "upload_server",
        "改名失败时也要删掉临时文件 (PartFile 在 drop 时删除)",
    );
    let dest = TempDir::new("up-folder");
    fs::create_dir(dest.path().join("sub")).unwrap();
    let (mut server, addr) = upload_server(dest.path(), &[]);
    let mut s = connect(addr);
    let me = s.local_addr().unwrap();
    s.write_all(b"post|5|sub\nhello").unwrap();
    s.shutdown(Shutdown::Write).unwrap();
    server.wait_err(&format!("客户端 {me} 出错"), "改名失败的记录");
    assert!(
        files_under(dest.path()).is_empty(),
        "改名失败后留下了临时文件: {:?}",
        files_under(dest.path())
    );
}

#[test]
fn another_upload_cannot_replace_a_file_being_received() {
    let _hint = common::hint(
        "upload_server",
        "临时文件要放在客户端起不了的名字下 (--dir/.uploading/), 用 create_new 创建",
    );
    let dest = TempDir::new("up-race");
    let (mut server, addr) = upload_server(dest.path(), &[]);
    // The victim sends half its file and pauses.
    let mut victim = connect(addr);
    let v = victim.local_addr().unwrap();
    victim.write_all(b"post|10|victim.txt\nAAAAA").unwrap();
    server.wait_out(
        &format!("{v}: post 10 字节 → victim.txt"),
        "受害者的上传开始了",
    );
    // The server creates the temporary file around the time it logs the header;
    // wait (bounded) until it is there, so the attacker below can see its name.
    let until = std::time::Instant::now() + DEADLINE;
    while files_under(dest.path()).is_empty() {
        assert!(
            std::time::Instant::now() < until,
            "上传开始后 {} 秒内没有出现临时文件",
            DEADLINE.as_secs()
        );
        thread::sleep(Duration::from_millis(10));
    }
    // The attacker uploads a file under every name it can see in the folder.
    for name in files_in(dest.path()) {
        let mut a = connect(addr);
        a.write_all(format!("post|4|{name}\nEVIL").as_bytes())
            .unwrap();
        a.shutdown(Shutdown::Write).unwrap();
        let _ = a.read_to_end(&mut Vec::new());
    }
    victim.write_all(b"BBBBB").unwrap();
    victim.shutdown(Shutdown::Write).unwrap();
    let _ = victim.read_to_end(&mut Vec::new());
    server.wait_out("已保存 victim.txt", "受害者的上传完成了");
    assert_eq!(
        fs::read(dest.path().join("victim.txt")).unwrap(),
        b"AAAAABBBBB",
        "victim.txt 的内容不是它的客户端发的: 别的客户端替换了临时文件"
    );
}

#[test]
fn names_of_242_to_255_bytes_upload_fine() {
    let _hint = common::hint(
        "upload_server",
        "临时文件名不能随客户端的文件名变长 (文件名最多 255 字节)",
    );
    let dest = TempDir::new("up-long");
    let (mut server, addr) = upload_server(dest.path(), &[]);
    for len in [242, 250, 255] {
        let name = format!("{}.txt", "n".repeat(len - 4));
        let mut s = connect(addr);
        s.write_all(format!("post|3|{name}\nabc").as_bytes())
            .unwrap();
        drop(s);
        server.wait_out(&format!("已保存 {name}"), &format!("{len} 字节的文件名"));
        assert_eq!(fs::read(dest.path().join(&name)).unwrap(), b"abc");
    }
}

#[test]
fn glued_header_and_data_misparse_in_the_texts_format_but_not_in_ours() {
    let _hint = common::hint(
        "upload_server",
        "默认的头读到换行为止 (read_until), 换行后面的字节是文件数据",
    );
    // Header and data in ONE write, so they arrive in one read: 粘包 every time.
    let text_dir = TempDir::new("up-glue-text");
    let (mut text_server, addr) = upload_server(text_dir.path(), &["--text-format"]);
    let mut s = connect(addr);
    s.write_all(b"post|5|a.txthello").unwrap();
    drop(s);
    text_server.wait_out("post 5 字节 → a.txthello", "原文格式把数据当成了文件名");
    text_server.wait_err("上传不完整", "永远等不到的数据");
    assert!(files_under(text_dir.path()).is_empty());

    let line_dir = TempDir::new("up-glue-line");
    let (mut line_server, addr) = upload_server(line_dir.path(), &[]);
    let mut s = connect(addr);
    s.write_all(b"post|5|a.txt\nhello").unwrap();
    drop(s);
    line_server.wait_out("已保存 a.txt", "以换行结束的头");
    assert_eq!(fs::read(line_dir.path().join("a.txt")).unwrap(), b"hello");
}

#[test]
fn upload_client_text_format_speaks_the_texts_header() {
    let _hint = common::hint(
        "upload_client",
        "--text-format 发原文的头 post|大小|文件名, 不加换行, 后面紧跟文件内容",
    );
    let src = TempDir::new("up-src");
    fs::write(src.path().join("t.txt"), b"abc").unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let ended = common::Ended::default();
    let gone = ended.clone();
    let running = thread::spawn(move || {
        let assert = client(UPLOAD_CLIENT)
            .current_dir(src.path())
            .args(["--port", &port.to_string(), "--text-format"])
            .write_stdin("post|t.txt\n")
            .assert();
        gone.record(assert.get_output().status, &assert.get_output().stderr);
        assert.success();
    });
    let mut conn = common::accept_from(&listener, &ended, "上传客户端");
    assert_eq!(read_all(&mut conn), b"post|3|t.txtabc");
    running.join().unwrap();
}

#[test]
fn upload_client_quits_at_an_empty_line() {
    let _hint = common::hint("upload_client", "空行 (或输入结束) 时退出循环, 关闭连接");
    let src = TempDir::new("up-src");
    fs::write(src.path().join("t.txt"), b"abc").unwrap();
    fs::write(src.path().join("u.txt"), b"never").unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let ended = common::Ended::default();
    let gone = ended.clone();
    let running = thread::spawn(move || {
        let assert = client(UPLOAD_CLIENT)
            .current_dir(src.path())
            .args(["--port", &port.to_string()])
            .write_stdin("post|t.txt\n\npost|u.txt\n")
            .assert();
        gone.record(assert.get_output().status, &assert.get_output().stderr);
        assert.success();
    });
    let mut conn = common::accept_from(&listener, &ended, "上传客户端");
    assert_eq!(
        read_all(&mut conn),
        b"post|3|t.txt\nabc",
        "空行之后不应当再上传 u.txt"
    );
    running.join().unwrap();
}

// ---------------------------------------------------------------------------
// 粘包 and framing
// ---------------------------------------------------------------------------

#[test]
fn framing_round_trips_0_1_1024_and_1mib_over_tcp_and_rejects_a_truncated_frame() {
    let _hint = common::hint(
        "sticky",
        "长度前缀: 先 read_exact 8 字节的长度, 再 read_exact 那么多字节",
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let sizes = [0usize, 1, 1024, 1 << 20];
    let writer = thread::spawn(move || {
        let mut s = connect(addr);
        for n in sizes {
            write_frame(&mut s, &pattern(n)).unwrap();
        }
        // Then a frame that promises 100 bytes and brings 3.
        s.write_all(&100u64.to_be_bytes()).unwrap();
        s.write_all(b"abc").unwrap();
    });
    let mut r = accept_within(listener, "写帧的一端应当连接");
    for n in sizes {
        assert_eq!(read_frame(&mut r, 1 << 20).unwrap().unwrap(), pattern(n));
    }
    writer.join().unwrap();
    let err = read_frame(&mut r, 1 << 20).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedEof);
}

#[test]
fn sticky_shows_two_sends_read_as_one_and_the_cures() {
    let _hint = common::hint(
        "sticky",
        "两次 write 之后一次 read 应当读到 helloworld; 三种解法各打印一行",
    );
    client(STICKY)
        .assert()
        .success()
        .stdout(contains("一次 read 得到 \"helloworld\""))
        .stdout(contains("\"hello\" 和 \"world\""))
        .stdout(contains("[\"hello\", \"world\"]"))
        .stdout(contains("\"hello\" 和 \"world\\nwith newline\""));
}

#[cfg(unix)]
#[test]
fn download_server_survives_running_out_of_descriptors() {
    let _hint = common::hint(
        "download_server",
        "accept 出错时调用 support::accept_failed(&e) 再 continue: 描述符用完时它会稍等, 不会空转刷屏",
    );
    let root = TempDir::new("dl-emfile");
    fs::write(root.path().join("ok.txt"), b"fine").unwrap();
    let r = root.path().to_str().unwrap();
    let (mut server, addr) = Proc::server_with_fd_limit(
        DOWNLOAD_SERVER,
        24,
        &["--host", "127.0.0.1", "--port", "0", "--root", r],
    );
    common::out_of_descriptors_then_recovers(&mut server, addr, |_| {
        let mut s = connect(addr);
        s.write_all(b"ok.txt").unwrap();
        assert_eq!(
            read_all(&mut s),
            b"fine",
            "描述符空出来以后服务器应当照常服务"
        );
    });
}

#[cfg(unix)]
#[test]
fn upload_server_survives_running_out_of_descriptors() {
    let _hint = common::hint(
        "upload_server",
        "accept 出错时调用 support::accept_failed(&e) 再 continue: 描述符用完时它会稍等, 不会空转刷屏",
    );
    let dest = TempDir::new("up-emfile");
    let d = dest.path().to_str().unwrap();
    let (mut server, addr) =
        Proc::server_with_fd_limit(UPLOAD_SERVER, 24, &["--port", "0", "--dir", d]);
    common::out_of_descriptors_then_recovers(&mut server, addr, |_| {
        let mut s = connect(addr);
        s.write_all(b"post|2|ok.txt\nok").unwrap();
        s.shutdown(Shutdown::Write).unwrap();
        let _ = read_all(&mut s);
        assert_eq!(
            fs::read(dest.path().join("ok.txt")).unwrap(),
            b"ok",
            "描述符空出来以后服务器应当照常接收上传"
        );
    });
}
