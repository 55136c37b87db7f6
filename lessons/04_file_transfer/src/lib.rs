//! 第 4 课 文件传输: `src/bin/` 里那些程序背后, 超出原文的部分。
//! Lesson 04, 文件传输: what the binaries need beyond the text.
//!
//! 原文的调用 (recv、send、open、write) 都写在程序里; 这里只放原文没有的东西:
//!
//! * [`framing`]: 长度前缀, 粘包的标准解法 (lesson05 也用它);
//! * [`safepath`]: 下载服务器可以提供哪些文件, 上传的文件名可以是什么;
//! * [`PartFile`]: 上传先写进一个临时文件, 收齐了才改成真正的名字;
//! * [`refuse`]: 拒绝一个上传客户端, 让它看到正常的关闭;
//! * [`lobby`]: 等候室: 请求到齐了才占一个服务的位置, 只连接不说话的连接不占线程;
//! * [`progress`] 是客户端在终端上显示的进度行;
//! * [`SEND_CHUNK`]: 下载服务器每次读写文件用多大的缓冲区, 以及为什么;
//! * [`wiretap`]: 把每个连接画成时序图的中继 (`wiretap` 工具, 原文之外)。

/// 长度前缀: 粘包的标准解法。Length-prefixed frames.
pub mod framing;
/// 等候室: 请求到齐了才占一个服务的位置。The waiting room before a serving slot.
pub mod lobby;
/// 客户端在终端上的进度行。The clients' progress line on a terminal.
pub mod progress;
/// 文件名的安全检查。Which names may be served or saved.
pub mod safepath;
/// 把每个连接画成时序图的中继。The relay that draws each connection.
pub mod wiretap;

use std::fs::{self, OpenOptions};
use std::io::{self, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// 下载服务器每个客户端一次读多少文件、发多少字节 (256 KiB)。
///
/// 大一点, 读写的系统调用少, 回环上更快; 小一点, 每个客户端占的内存少。
/// 256 KiB 在 `bench/lesson04.sh` 里和 1 MiB 一样快 (README 里有数字), 而
/// 64 个客户端同时下载也只占 16 MiB。
/// Bytes per read and write when the download server streams a file: as fast as
/// 1 MiB in the bench, a quarter of the memory per client.
pub const SEND_CHUNK: usize = 256 << 10;

/// `wiretap` 每个方向转发时一次最多读多少字节 (1 MiB): 一块画一个箭头,
/// 块大, 图就短。The wiretap relay's buffer per direction.
pub const CHUNK: usize = 1 << 20;

/// 上传服务器放临时文件的子目录 (在 `--dir` 里面)。上传的文件名不能是它
/// (见 [`safepath::upload_name`]), 文件名里又不能有 `/`, 所以任何客户端都碰不到
/// 别人正在写的临时文件。
/// The hidden folder inside the upload folder that holds files being received.
pub const PART_DIR: &str = ".uploading";

/// 一个正在接收的上传的临时文件: `<dir>/.uploading/<进程号>-<序号>.part`。
///
/// 上传服务器自己打开它来写 (原文的 `open(path, "wb")`)、关闭它、收齐了再把它改名成
/// 真正的文件名; 这里只负责原文之外的安全:
///
/// * 名字和客户端给的文件名无关: 长名字 (接近 255 字节的上限) 也能上传,
///   别的客户端也猜不到、碰不到它;
/// * [`PartFile::new`] 用 `create_new` 先建一个空文件占住这个名字: 万一同名文件已经存在
///   (上次运行留下的), 换下一个序号, 绝不会打开别人的文件;
/// * `drop` 时删掉这个路径: 没有改名的 (收不齐、出错、改名失败、线程 panic) 就此消失;
///   已经改名的, 这个路径上已经没有文件, 删除什么也不做。
///
/// A file being received: a temporary name no client can reach, reserved with
/// `create_new`; the server opens, closes and renames it; `drop` removes what was
/// not renamed.
pub struct PartFile {
    path: PathBuf,
}

impl PartFile {
    /// 在 `dir` 的临时子目录里新建一个空的临时文件, 占住它的名字。
    /// Creates an empty temporary file in `dir`'s hidden folder.
    pub fn new(dir: &Path) -> io::Result<PartFile> {
        static N: AtomicU64 = AtomicU64::new(0);
        let parts = dir.join(PART_DIR);
        fs::create_dir_all(&parts)?;
        loop {
            let n = N.fetch_add(1, Ordering::Relaxed);
            let path = parts.join(format!("{}-{n}.part", std::process::id()));
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(_) => return Ok(PartFile { path }),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// 临时文件的路径: 打开它来写, 收齐了把它改名。The temporary file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// 拒绝一个上传客户端: 记录原因, 关闭发送方向, 读掉它已经发来的数据再关闭。
///
/// 直接关闭的话, 如果对方发来的数据还没被读, 对方看到的是"连接被重置", 而不是正常的
/// 结束 (README 「深入」一节说明原因)。读多少有上限 (64 KiB, 每次最多等连接的读超时),
/// 一个不停发送的客户端占不住线程。
/// Refuses an upload client: logs why, shuts down our sending side, drains what
/// the client already sent (at most 64 KiB) so that it sees a clean close.
pub fn refuse(conn: BufReader<TcpStream>, addr: SocketAddr, why: &str) -> io::Result<()> {
    // 先拼成一整行, 一次写出: stderr 不带缓冲, 分几次写的话别的线程的输出可能插进来
    let line = format!("拒绝上传 refused {addr}: {why}\n");
    let _ = io::stderr().write_all(line.as_bytes());
    conn.get_ref().shutdown(Shutdown::Write)?;
    let _ = io::copy(&mut conn.take(64 << 10), &mut io::sink());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lesson04-lib-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_part_file_is_removed_unless_finished() {
        let dir = scratch("part");
        let dropped = PartFile::new(&dir).unwrap();
        fs::write(dropped.path(), b"cut").unwrap();
        drop(dropped);
        let done = PartFile::new(&dir).unwrap();
        fs::write(done.path(), b"whole").unwrap();
        fs::rename(done.path(), dir.join("a.txt")).unwrap();
        drop(done);
        assert_eq!(fs::read(dir.join("a.txt")).unwrap(), b"whole");
        assert_eq!(fs::read_dir(dir.join(PART_DIR)).unwrap().count(), 0);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_part_file_never_opens_an_existing_file() {
        let dir = scratch("stale");
        let parts = dir.join(PART_DIR);
        fs::create_dir_all(&parts).unwrap();
        // Files left by an earlier run of a process with our id, under every
        // name the next few part files could take.
        let pid = std::process::id();
        for n in 0..300 {
            fs::write(parts.join(format!("{pid}-{n}.part")), b"old").unwrap();
        }
        for name in ["a", "b", "c"] {
            let part = PartFile::new(&dir).unwrap();
            fs::write(part.path(), b"new").unwrap();
            fs::rename(part.path(), dir.join(name)).unwrap();
            assert_eq!(fs::read(dir.join(name)).unwrap(), b"new");
        }
        for n in 0..300 {
            let old = fs::read(parts.join(format!("{pid}-{n}.part"))).unwrap();
            assert_eq!(old, b"old", "a stale file was opened and overwritten");
        }
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_part_file_that_cannot_be_created_is_an_error_not_a_loop() {
        let mut dir = scratch("long");
        let top = dir.clone();
        // Directories of 200 bytes until `<dir>/.uploading` is just under 4096 bytes:
        // it can be made, a file in it cannot.
        while dir.join(PART_DIR).as_os_str().len() + 201 < 4090 {
            dir.push("d".repeat(200));
        }
        let pad = 4090 - dir.join(PART_DIR).as_os_str().len() - 1;
        dir.push("e".repeat(pad));
        let (tx, rx) = std::sync::mpsc::channel();
        let d = dir.clone();
        std::thread::spawn(move || {
            let _ = tx.send(PartFile::new(&d).map(|_| ()));
        });
        let got = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("10 秒内 PartFile::new 没有返回: 别的错误不能一直重试");
        let _ = fs::remove_dir_all(&top);
        let err = got.expect_err("路径太长, 临时文件建不出来");
        assert_ne!(err.kind(), ErrorKind::AlreadyExists, "{err}");
    }
}
