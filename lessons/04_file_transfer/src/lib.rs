//! 第 4 课 文件传输: `src/bin/` 里那些程序背后, 超出原文的部分。
//! Lesson 04, 文件传输: what the binaries need beyond the text.
//!
//! 原文的调用 (recv、send、open、write) 都写在程序里; 这里只放原文没有的东西:
//!
//! * [`framing`]: 长度前缀, 粘包的标准解法 (lesson05 也用它);
//! * [`safepath`]: 下载服务器可以提供哪些文件, 上传的文件名可以是什么;
//! * [`PartFile`]: 上传先写进一个临时文件, 收齐了才改成真正的名字;
//! * [`Slots`]: 同时服务的客户端数有上限, 满了就等一个离开;
//! * [`lobby`]: 等候室: 请求到齐了才占一个服务的位置, 只连接不说话的连接不占线程;
//! * [`progress`] 是客户端在终端上显示的进度行;
//! * [`SEND_CHUNK`]: 下载服务器每次读写文件用多大的缓冲区, 以及为什么;
//! * [`wiretap`]: 把每个连接画成时序图的中继 (`wiretap` 工具, 原文之外)。

pub mod framing;
pub mod lobby;
pub mod progress;
pub mod safepath;
pub mod wiretap;

use std::fs::{self, File, OpenOptions};
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};

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

/// 一个正在接收的上传: `<dir>/.uploading/<进程号>-<序号>.part`。
///
/// * 名字和客户端给的文件名无关: 长名字 (接近 255 字节的上限) 也能上传,
///   别的客户端也猜不到、碰不到它;
/// * 用 `create_new` 创建: 万一同名文件已经存在 (上次运行留下的), 换下一个序号,
///   绝不会打开别人的文件;
/// * 只有 [`PartFile::finish`] 会把它改名成真正的文件名; 其余任何情况
///   (收不齐、出错、改名失败、线程 panic) 它在 `drop` 时被删掉。
///
/// An upload in progress: a temporary file whose name no client can reach, renamed
/// by `finish` and removed on every other path (drop).
pub struct PartFile {
    path: PathBuf,
    file: Option<File>,
}

impl PartFile {
    /// 在 `dir` 的临时子目录里新建一个临时文件。
    pub fn create(dir: &Path) -> io::Result<PartFile> {
        static N: AtomicU64 = AtomicU64::new(0);
        let parts = dir.join(PART_DIR);
        fs::create_dir_all(&parts)?;
        loop {
            let n = N.fetch_add(1, Ordering::Relaxed);
            let path = parts.join(format!("{}-{n}.part", std::process::id()));
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    return Ok(PartFile {
                        path,
                        file: Some(file),
                    })
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// 写数据用的文件。
    pub fn file(&mut self) -> &mut File {
        self.file
            .as_mut()
            .expect("the file is open until finish or drop")
    }

    /// 数据收齐了: 写到磁盘上 (`sync_all`), 再改名为 `target`。失败时临时文件
    /// 照样被删掉。
    pub fn finish(mut self, target: &Path) -> io::Result<()> {
        let file = self.file.take().expect("finish is called once");
        file.sync_all()?;
        drop(file);
        fs::rename(&self.path, target)?;
        self.path = PathBuf::new(); // 已经改名, drop 时没有要删的
        Ok(())
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        self.file = None;
        if !self.path.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// 同时服务的客户端数的上限。
///
/// 接受连接之前先 [`Slots::wait`]: 满了就等, 直到有一个客户端结束 (它的
/// [`Slot`] 被 drop)。等的时候新来的连接排在系统的队列 (backlog) 里, 不会被拒绝;
/// 每个客户端又有读写超时, 所以一个位置最终总会空出来。
/// A bound on clients served at once: the accept loop waits for a free slot.
#[derive(Clone)]
pub struct Slots {
    inner: Arc<(Mutex<usize>, Condvar)>,
    max: usize,
}

/// 一个客户端占的位置; drop 时让出来。
pub struct Slot {
    inner: Arc<(Mutex<usize>, Condvar)>,
}

impl Slots {
    /// 最多 `max` 个 (至少 1 个)。
    pub fn new(max: usize) -> Slots {
        Slots {
            inner: Arc::new((Mutex::new(0), Condvar::new())),
            max: max.max(1),
        }
    }

    /// 等到有空位, 占住它。
    pub fn wait(&self) -> Slot {
        let (count, freed) = &*self.inner;
        let mut busy = count.lock().unwrap_or_else(|e| e.into_inner());
        while *busy >= self.max {
            busy = freed.wait(busy).unwrap_or_else(|e| e.into_inner());
        }
        *busy += 1;
        Slot {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let (count, freed) = &*self.inner;
        let mut busy = count.lock().unwrap_or_else(|e| e.into_inner());
        *busy -= 1;
        freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lesson04-lib-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_part_file_is_removed_unless_finished() {
        let dir = scratch("part");
        let mut dropped = PartFile::create(&dir).unwrap();
        dropped.file().write_all(b"cut").unwrap();
        drop(dropped);
        let mut done = PartFile::create(&dir).unwrap();
        done.file().write_all(b"whole").unwrap();
        done.finish(&dir.join("a.txt")).unwrap();
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
            let mut part = PartFile::create(&dir).unwrap();
            part.file().write_all(b"new").unwrap();
            part.finish(&dir.join(name)).unwrap();
            assert_eq!(fs::read(dir.join(name)).unwrap(), b"new");
        }
        for n in 0..300 {
            let old = fs::read(parts.join(format!("{pid}-{n}.part"))).unwrap();
            assert_eq!(old, b"old", "a stale file was opened and overwritten");
        }
        let _ = fs::remove_dir_all(&dir);
    }

    /// `slots.wait()` in a thread, bounded: a broken `wait` fails the test, never hangs it.
    fn wait_within(slots: &Slots, what: &str) -> Slot {
        let (tx, rx) = std::sync::mpsc::channel();
        let s = slots.clone();
        std::thread::spawn(move || {
            let _ = tx.send(s.wait());
        });
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("10 秒内没有拿到{what}: 还有空位时 wait 不该等"))
    }

    #[test]
    fn slots_let_max_in_and_the_next_after_one_leaves() {
        let slots = Slots::new(2);
        let a = wait_within(&slots, "第一个位置");
        let _b = wait_within(&slots, "第二个位置");
        let (tx, rx) = std::sync::mpsc::channel();
        let s = slots.clone();
        std::thread::spawn(move || {
            let _c = s.wait();
            tx.send(()).unwrap();
        });
        assert!(rx
            .recv_timeout(std::time::Duration::from_millis(200))
            .is_err());
        drop(a);
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .expect("a slot frees when a client leaves");
    }

    /// An error other than "the name is taken" is the caller's to see (the upload
    /// gets an error line), never a loop trying the next name for ever. On Linux a
    /// path over PATH_MAX (4096 bytes) is refused with ENAMETOOLONG even for root.
    #[cfg(target_os = "linux")]
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
            let _ = tx.send(PartFile::create(&d).map(|_| ()));
        });
        let got = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("10 秒内 PartFile::create 没有返回: 别的错误不能一直重试");
        let _ = fs::remove_dir_all(&top);
        let err = got.expect_err("路径太长, 临时文件建不出来");
        assert_ne!(err.kind(), ErrorKind::AlreadyExists, "{err}");
    }
}
