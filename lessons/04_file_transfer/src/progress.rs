//! 进度行 (原文之外): 像 curl、scp 那样, 传输时在终端上显示一行进度。
//!
//! [`Meter`] 套在一个 `Read` 外面 (下载时是套接字, 上传时是要发送的文件), 数经过的
//! 字节, 每秒最多重画 5 次同一行 (行首的 `\r` 让光标回到行首): 已经传了多少、一共
//! 多少 (知道的话)、现在多快。结束时 (读到总数、读到结尾或 `Meter` 被 drop) 画最后一行:
//! 一共多少字节、用了多久、平均多快, 然后换行。
//!
//! 只有 stderr 是终端 (`std::io::IsTerminal`)、没有设置 `NO_COLOR`、也没有 `--quiet`
//! ([`quiet`]) 时才画; 输出被重定向到文件或管道 (测试、脚本) 时一个字节也不写。进度只
//! 写 stderr, 程序的 stdout (原文打印的那些行) 不变。
//!
//! A progress line on stderr, redrawn at most 5 times a second, only on a terminal and
//! unless `NO_COLOR` or `--quiet` say no; the last line gives the total and the average
//! rate. Nothing at all in a pipe.

use std::io::{self, IsTerminal, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// 两次重画之间至少隔多久 (每秒最多 5 次: 看得清, 又不让终端忙不过来)。
pub const REDRAW: Duration = Duration::from_millis(200);

static QUIET: AtomicBool = AtomicBool::new(false);

/// `--quiet`: 这个进程不画进度行。The `--quiet` flag: no progress line.
pub fn quiet(yes: bool) {
    QUIET.store(yes, Ordering::Relaxed);
}

/// 要不要画: stderr 是终端, `NO_COLOR` 没有设置 (空值算没有设置), 没有 `--quiet`。
pub fn wanted() -> bool {
    decide(
        io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
        QUIET.load(Ordering::Relaxed),
    )
}

/// [`wanted`] 的判断本身, 不看真正的 stderr 和环境 (单元测试用)。
pub fn decide(stderr_is_terminal: bool, no_color: Option<&std::ffi::OsStr>, quiet: bool) -> bool {
    stderr_is_terminal && no_color.is_none_or(|v| v.is_empty()) && !quiet
}

/// 数着经过的字节、在终端上画进度的 `Read`。
/// A `Read` that counts what passes through it and draws the progress line.
pub struct Meter<R> {
    inner: R,
    verb: &'static str,
    so_far: u64,
    total: Option<u64>,
    /// 不画的时候是 `None` (管道、测试、NO_COLOR、--quiet)。
    line: Option<Line>,
}

struct Line {
    start: Instant,
    last_draw: Instant,
    bytes_at_last_draw: u64,
    /// 上一次画的行有多宽 (终端的列数): 新的行短一些时用空格盖住旧的尾巴。
    width: usize,
    done: bool,
}

impl<R> Meter<R> {
    /// `verb` 是"下载"或"上传"; `so_far`: 已经传了的字节 (比如第一次 read 收到的);
    /// `total`: 一共多少, 不知道就是 `None`。
    pub fn new(inner: R, verb: &'static str, so_far: u64, total: Option<u64>) -> Meter<R> {
        let now = Instant::now();
        let mut meter = Meter {
            inner,
            verb,
            so_far,
            total,
            line: wanted().then_some(Line {
                start: now,
                last_draw: now,
                bytes_at_last_draw: so_far,
                width: 0,
                done: false,
            }),
        };
        if total.is_some_and(|t| so_far >= t) {
            meter.finish(); // 0 字节的文件: 已经传完了
        }
        meter
    }

    /// 画最后一行 (只画一次): 一共多少、用了多久、平均多快。
    pub fn finish(&mut self) {
        let so_far = self.so_far;
        let verb = self.verb;
        if let Some(line) = self.line.as_mut().filter(|l| !l.done) {
            line.done = true;
            let secs = line.start.elapsed().as_secs_f64();
            let text = format!(
                "{verb}完成 用时 {secs:.1} 秒, 共 {} ({so_far} 字节), 平均 {}/s",
                size(so_far),
                size(rate(so_far, secs))
            );
            line.draw(&text, "\n");
        }
    }

    fn progressed(&mut self, n: usize) {
        self.so_far += n as u64;
        if n == 0 || self.total.is_some_and(|t| self.so_far >= t) {
            self.finish(); // 读到结尾, 或者收齐了
            return;
        }
        let (so_far, total, verb) = (self.so_far, self.total, self.verb);
        let Some(line) = self.line.as_mut().filter(|l| !l.done) else {
            return;
        };
        let since = line.last_draw.elapsed();
        if since < REDRAW {
            return;
        }
        let now_rate = rate(so_far - line.bytes_at_last_draw, since.as_secs_f64());
        let text = match total {
            Some(t) => format!(
                "{verb} {} / {} ({}%), {}/s",
                size(so_far),
                size(t),
                so_far * 100 / t.max(1),
                size(now_rate)
            ),
            None => format!("{verb} {}, {}/s", size(so_far), size(now_rate)),
        };
        line.draw(&text, "");
        line.last_draw = Instant::now();
        line.bytes_at_last_draw = so_far;
    }
}

impl Line {
    /// 回到行首, 写 `text`, 用空格盖住上一行更长的部分, 再写 `end`; 一次写出。
    fn draw(&mut self, text: &str, end: &str) {
        // 汉字在终端上占两列
        let width: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
        let pad = " ".repeat(self.width.saturating_sub(width));
        self.width = width;
        let _ = io::stderr().write_all(format!("\r{text}{pad}{end}").as_bytes());
    }
}

impl<R: Read> Read for Meter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progressed(n);
        Ok(n)
    }
}

impl<R> Drop for Meter<R> {
    /// 传输中途出错时也画完最后一行, 错误信息从新的一行开始。
    fn drop(&mut self) {
        self.finish();
    }
}

/// 每秒多少字节 (时间太短时按 1 毫秒算, 不除以 0)。
fn rate(bytes: u64, secs: f64) -> u64 {
    (bytes as f64 / secs.max(0.001)) as u64
}

/// 给人看的大小: `512 B`、`1.5 KiB`、`4.8 MiB`、`1.2 GiB`。
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn drawn_only_on_a_terminal_without_no_color_or_quiet() {
        assert!(decide(true, None, false));
        assert!(decide(true, Some(OsStr::new("")), false));
        assert!(!decide(false, None, false));
        assert!(!decide(true, Some(OsStr::new("1")), false));
        assert!(!decide(true, None, true));
    }

    #[test]
    fn sizes_read_like_a_person_writes_them() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(1023), "1023 B");
        assert_eq!(size(1536), "1.5 KiB");
        assert_eq!(size(5_000_000), "4.8 MiB");
        assert_eq!(size(3 << 30), "3.0 GiB");
    }

    #[test]
    fn a_meter_counts_and_passes_the_bytes_through() {
        let mut m = Meter::new(&b"hello world"[..], "下载", 0, None);
        let mut out = Vec::new();
        m.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"hello world");
        assert_eq!(m.so_far, 11);
    }
}
