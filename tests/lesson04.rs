//! Lesson 04, 文件传输: whole files compared by hash, every refused name, cut
//! transfers, and the glued upload header (粘包).

mod common;

use common::{client, connect, fnv, pattern, read_all, Proc, TempDir};
use lesson04::framing::{read_frame, write_frame};
use predicates::str::contains;
use std::fs;
use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::thread;

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

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn download_client_saves_whole_file_larger_than_1024_byte_identical() {
    let (root, cwd) = (TempDir::new("dl-root"), TempDir::new("dl-cwd"));
    let data = pattern(FIVE_MB);
    fs::write(root.path().join("big.bin"), &data).unwrap();
    let (mut server, addr) = download_server(root.path(), &[]);
    download(cwd.path(), addr, "big.bin", &[])
        .success()
        .stdout(contains("已保存 [新]big.bin, 5000000 字节"));
    let saved = fs::read(cwd.path().join("[新]big.bin")).unwrap();
    assert_eq!((saved.len(), fnv(&saved)), (data.len(), fnv(&data)));
    server.wait_out("需要下载文件是：big.bin", "the request log");
}

#[test]
fn download_client_single_read_keeps_the_texts_cut() {
    let (root, cwd) = (TempDir::new("dl-root"), TempDir::new("dl-cwd"));
    let data = pattern(100_000);
    fs::write(root.path().join("cut.bin"), &data).unwrap();
    let (_server, addr) = download_server(root.path(), &[]);
    download(cwd.path(), addr, "cut.bin", &["--single-read"]).success();
    let saved = fs::read(cwd.path().join("[新]cut.bin")).unwrap();
    assert!(
        !saved.is_empty() && saved.len() <= 1024,
        "one read: {} bytes",
        saved.len()
    );
    assert_eq!(
        saved,
        data[..saved.len()],
        "the start of the file, and nothing more"
    );
}

#[test]
fn download_server_refuses_every_hostile_name_and_goes_on_serving() {
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
        s.shutdown(std::net::Shutdown::Write).unwrap();
        assert_eq!(
            read_all(&mut s),
            b"",
            "not one byte for {:?}",
            String::from_utf8_lossy(name)
        );
        server.wait_out("拒绝 refused", "the refusal log");
    }
    let mut s = connect(addr);
    s.write_all(b"ok.txt").unwrap();
    assert_eq!(read_all(&mut s), b"fine", "still serving");
}

#[test]
fn download_of_a_missing_file_logs_it_and_the_client_writes_nothing() {
    let (root, cwd) = (TempDir::new("dl-root"), TempDir::new("dl-cwd"));
    let (mut server, addr) = download_server(root.path(), &[]);
    download(cwd.path(), addr, "nope.txt", &[])
        .code(1)
        .stderr(contains("没有收到数据"));
    server.wait_out("没有要下载的文件(nope.txt)", "the text's message");
    assert!(files_in(cwd.path()).is_empty());
}

#[test]
fn framed_download_tells_missing_from_present() {
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
fn framed_download_cut_short_leaves_no_file_behind() {
    let cwd = TempDir::new("dl-cwd");
    // The test plays a server that promises 1000 bytes and sends 10.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = thread::spawn(move || {
        let (mut c, _) = listener.accept().unwrap();
        let mut buf = [0u8; 1024];
        let _ = std::io::Read::read(&mut c, &mut buf).unwrap();
        write_frame(&mut c, b"OK 1000").unwrap();
        c.write_all(&[7u8; 10]).unwrap();
    });
    download(cwd.path(), addr, "big.bin", &["--framed"])
        .code(1)
        .stderr(contains("只收到 10 / 1000 字节"));
    server.join().unwrap();
    assert!(
        files_in(cwd.path()).is_empty(),
        "{:?}",
        files_in(cwd.path())
    );
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
        "peak grew from {after_small} KiB to {after_large} KiB"
    );
}

/// An upload server saving into `dir`.
fn upload_server(dir: &Path, extra: &[&str]) -> (Proc, SocketAddr) {
    let mut args = vec!["--port", "0", "--dir", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    Proc::server(UPLOAD_SERVER, &args)
}

#[test]
fn upload_of_5mb_arrives_byte_identical_with_no_temporary_file_left() {
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
    server.wait_out("ending: 已保存 small.txt", "both uploads saved");
    let saved = fs::read(dest.path().join("big.bin")).unwrap();
    assert_eq!((saved.len(), fnv(&saved)), (data.len(), fnv(&data)));
    assert_eq!(
        fs::read(dest.path().join("small.txt")).unwrap(),
        b"second file"
    );
    assert_eq!(files_in(dest.path()), ["big.bin", "small.txt"]);
}

#[test]
fn a_client_vanishing_mid_upload_leaves_nothing_behind() {
    let dest = TempDir::new("up-cut");
    let (mut server, addr) = upload_server(dest.path(), &[]);
    let mut s = connect(addr);
    s.write_all(b"post|1000|cut.bin\n").unwrap();
    s.write_all(&[1u8; 10]).unwrap();
    drop(s);
    server.wait_err("上传不完整: 只收到 10 / 1000 字节", "the cut upload's log");
    assert!(
        files_in(dest.path()).is_empty(),
        "{:?}",
        files_in(dest.path())
    );
}

#[test]
fn hostile_upload_headers_are_refused_and_the_server_goes_on() {
    let dest = TempDir::new("up-bad");
    let (mut server, addr) = upload_server(dest.path(), &[]);
    let long = format!("post|5|{}", "x".repeat(2000));
    for header in [
        "post|5|../evil\n",
        "post|5|a/b\n",
        "post|-1|a\n",
        "post|abc|a\n",
        long.as_str(),
    ] {
        let mut s = connect(addr);
        s.write_all(header.as_bytes()).unwrap();
        s.write_all(b"hello").unwrap();
        assert_eq!(
            read_all(&mut s),
            b"",
            "the server closes after {header:.20}"
        );
        server.wait_err("出错", "the refusal log");
    }
    assert!(files_in(dest.path()).is_empty());
    assert!(!dest.path().parent().unwrap().join("evil").exists());
    let mut s = connect(addr);
    s.write_all(b"post|2|ok.txt\nok").unwrap();
    drop(s);
    server.wait_out("已保存 ok.txt", "a good upload after the bad ones");
}

#[test]
fn glued_header_and_data_misparse_in_the_texts_format_but_not_in_ours() {
    // Header and data in ONE write, so they arrive in one read: 粘包 every time.
    let text_dir = TempDir::new("up-glue-text");
    let (mut text_server, addr) = upload_server(text_dir.path(), &["--text-format"]);
    let mut s = connect(addr);
    s.write_all(b"post|5|a.txthello").unwrap();
    drop(s);
    text_server.wait_out("post 5 字节 → a.txthello", "the misparsed header");
    text_server.wait_err("上传不完整", "the data that never comes");
    assert!(files_in(text_dir.path()).is_empty());

    let line_dir = TempDir::new("up-glue-line");
    let (mut line_server, addr) = upload_server(line_dir.path(), &[]);
    let mut s = connect(addr);
    s.write_all(b"post|5|a.txt\nhello").unwrap();
    drop(s);
    line_server.wait_out("已保存 a.txt", "the delimited upload");
    assert_eq!(fs::read(line_dir.path().join("a.txt")).unwrap(), b"hello");
}

#[test]
fn upload_client_text_format_speaks_the_texts_header() {
    let src = TempDir::new("up-src");
    fs::write(src.path().join("t.txt"), b"abc").unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = thread::spawn(move || read_all(&mut listener.accept().unwrap().0));
    client(UPLOAD_CLIENT)
        .current_dir(src.path())
        .args(["--port", &port.to_string(), "--text-format"])
        .write_stdin("post|t.txt\n")
        .assert()
        .success();
    assert_eq!(server.join().unwrap(), b"post|3|t.txtabc");
}

#[test]
fn framing_round_trips_0_1_1024_and_1mib_over_tcp_and_rejects_a_truncated_frame() {
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
    let (mut r, _) = listener.accept().unwrap();
    r.set_read_timeout(Some(common::DEADLINE)).unwrap();
    for n in sizes {
        assert_eq!(read_frame(&mut r, 1 << 20).unwrap().unwrap(), pattern(n));
    }
    writer.join().unwrap();
    let err = read_frame(&mut r, 1 << 20).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof);
}

#[test]
fn sticky_shows_two_sends_read_as_one_and_the_cures() {
    client(STICKY)
        .assert()
        .success()
        .stdout(contains("一次 read 得到 \"helloworld\""))
        .stdout(contains("\"hello\" 和 \"world\""))
        .stdout(contains("[\"hello\", \"world\"]"))
        .stdout(contains("\"hello\" 和 \"world\\nwith newline\""));
}
