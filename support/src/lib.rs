//! 练习册的公共管道 (plumbing shared by every lesson).
//!
//! The lesson binaries keep their socket calls in plain sight; everything that is
//! not about sockets lives here, once:
//!
//! * [`Cli`]: `-h/--help`, `--host`, `--port` and each program's own flags;
//! * [`ask`] / [`ask_line`]: asking for a missing value the way the texts do
//!   (`请输入服务器ip:`), from a terminal or from a pipe;
//! * [`announce`]: the one line every server prints as soon as it is bound;
//! * [`fail`], [`OrExit`], [`bind_failed`]: one clear Chinese line on stderr and
//!   exit code 1 instead of a panic;
//! * [`resolve`]: a host name and port as addresses, before a lesson's own `connect`;
//! * [`gbk`]: the GBK codec of the texts' `encode("gbk")` / `decode('gbk')`.

use std::fmt::Display;
use std::io::{self, BufRead, ErrorKind, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process;
use std::str::FromStr;
use std::time::Duration;

pub mod gbk;

/// The announcement every server prints, e.g. `监听中 listening on tcp://127.0.0.1:7788`.
///
/// The form is the same for every server of the workbook: the scheme (`tcp`, `udp`,
/// `unix`) and the real address, including the port the system chose after `--port 0`.
/// Tests wait for this line; students read it as "the server is up".
pub const ANNOUNCE_PREFIX: &str = "监听中 listening on ";

/// Prints the announcement line and flushes it at once (stdout may be a pipe, where
/// Rust would otherwise keep it in a buffer and a waiting test would never see it).
pub fn announce(scheme: &str, addr: impl Display) {
    println!("{ANNOUNCE_PREFIX}{scheme}://{addr}");
    flush();
}

/// Flushes stdout; a closed stdout is not worth dying for, so the error is ignored.
pub fn flush() {
    let _ = io::stdout().flush();
}

// ---------------------------------------------------------------------------
// Errors: one line, in Chinese, with the OS's own words, and exit code 1.
// ---------------------------------------------------------------------------

/// Prints `错误: <message>` on stderr and exits with code 1.
pub fn fail(message: impl Display) -> ! {
    eprintln!("错误: {message}");
    process::exit(1)
}

/// What the user should do about an `io::Error`, worded for its kind.
pub fn advice(err: &io::Error) -> &'static str {
    advice_for(err, cfg!(windows))
}

/// [`advice`] for a chosen platform, so the Windows words are tested on Linux too.
fn advice_for(err: &io::Error, windows: bool) -> &'static str {
    match err.kind() {
        ErrorKind::AddrInUse => "地址已被占用, 换一个端口或先停掉占用它的程序",
        ErrorKind::AddrNotAvailable => "本机没有这个地址, 检查 --host",
        ErrorKind::ConnectionRefused => "连接被拒绝: 对方没有程序在这个端口监听, 请先启动服务器",
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => "连接被对方重置",
        ErrorKind::BrokenPipe => "对方已经关闭了连接",
        ErrorKind::TimedOut | ErrorKind::WouldBlock => {
            "等待超时: 对方没有回应 (可用 --timeout 调整等待秒数)"
        }
        ErrorKind::NotFound => "找不到: 检查名字或路径",
        ErrorKind::PermissionDenied if windows => {
            "权限不足: 在 Windows 上这通常是因为端口落在系统保留的范围里 (Hyper-V、WSL、Docker), \
             用 `netsh interface ipv4 show excludedportrange protocol=tcp` 查看, 换一个范围外的端口"
        }
        ErrorKind::PermissionDenied => "权限不足 (小于 1024 的端口需要管理员权限)",
        ErrorKind::InvalidInput | ErrorKind::InvalidData => "输入无效",
        ErrorKind::UnexpectedEof => "对方提前关闭了连接, 数据不完整",
        _ => "操作失败",
    }
}

/// Turns an `io::Error` into one clear line and exit code 1.
pub fn io_fail(doing: impl Display, err: &io::Error) -> ! {
    fail(format_args!("{doing}: {} (系统: {err})", advice(err)))
}

/// `result.or_exit("连接 127.0.0.1:7788")`: the value, or one clear line and exit 1.
pub trait OrExit<T> {
    fn or_exit(self, doing: impl Display) -> T;
}

impl<T> OrExit<T> for io::Result<T> {
    fn or_exit(self, doing: impl Display) -> T {
        self.unwrap_or_else(|err| io_fail(doing, &err))
    }
}

/// The error exit of a failed `bind` on `host`, `port`.
///
/// A port in use gets the advice of 001 「端口已被占用」, after a quick look at who
/// holds it: when a connect to the port is refused, nobody listens there, and the
/// port is held by connections of an earlier program that linger in TIME_WAIT
/// (Linux refuses the bind unless that program, too, set SO_REUSEADDR).
pub fn bind_failed(host: &str, port: u16, err: io::Error) -> ! {
    let someone_listens = err.kind() == ErrorKind::AddrInUse && listener_answers(host, port);
    fail(bind_message(
        host,
        port,
        &err,
        someone_listens,
        cfg!(windows),
    ))
}

/// Whether a program accepts connections on `host:port` (a wildcard host is
/// tried on loopback). Refused, or no answer within half a second, means no.
fn listener_answers(host: &str, port: u16) -> bool {
    let host = match host {
        "" | "0.0.0.0" => "127.0.0.1",
        "::" => "::1",
        h => h,
    };
    let Ok(addrs) = (host, port).to_socket_addrs() else {
        return false;
    };
    addrs
        .into_iter()
        .any(|a| TcpStream::connect_timeout(&a, Duration::from_millis(500)).is_ok())
}

/// The line [`bind_failed`] prints, chosen from what it found: whether a program
/// listens on the port, and whether this is Windows (where the tools differ).
pub fn bind_message(
    host: &str,
    port: u16,
    err: &io::Error,
    someone_listens: bool,
    windows: bool,
) -> String {
    let (find, see) = if windows {
        (
            format!("`netstat -ano | findstr :{port}` (最后一列是进程号 PID)"),
            format!("`netstat -an | findstr :{port}`"),
        )
    } else {
        (
            format!("`lsof -i:{port}` 或 `ss -ltnp | grep :{port}`"),
            format!("`ss -tan | grep :{port}`"),
        )
    };
    match err.kind() {
        ErrorKind::AddrInUse if someone_listens => format!(
            "端口 {port} 已被占用 ({host}:{port}): 另一个程序正在监听它。\
             用 {find} 找到它, 结束它或换一个 --port (系统: {err})"
        ),
        ErrorKind::AddrInUse => format!(
            "端口 {port} 暂时不能用 ({host}:{port}): 没有程序在监听它, 是之前某个程序的连接还处在 \
             TIME_WAIT 状态 (用 {see} 能看到)。等一分钟左右再试, 或换一个 --port; \
             根治的办法是让那个程序在 bind 前调用原文的 setsockopt(SO_REUSEADDR) (系统: {err})"
        ),
        _ => format!(
            "绑定 {host}:{port}: {} (系统: {err})",
            advice_for(err, windows)
        ),
    }
}
/// 运行 `spawn` (里面是一次 `thread::spawn`), 并接住它的 panic: 系统开不出新线程时,
/// `thread::spawn` 不返回错误而是 panic。成功时返回 `spawn` 的结果; 失败时返回 panic 的信息
/// (一行), 由调用者决定放弃什么 (第 3 课放弃这个客户端, 第 2 课放弃这个数据报)。
/// std 的英文 panic 信息不再打印 (只有开不出线程的那种; 别的 panic 照旧)。
///
/// 正式的程序用 `thread::Builder::spawn`, 它把失败作为 `Err` 返回; 课程里写原文对应的
/// `thread::spawn`, 失败的处理放在这里。
///
/// English: runs `spawn` (a `thread::spawn`) and catches the panic std raises when the
/// OS refuses a thread; returns the panic's text so the caller can log one line.
pub fn catch_refused_thread<T>(spawn: impl FnOnce() -> T) -> Result<T, String> {
    quiet_refused_threads();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(spawn))
        .map_err(|payload| panic_text(payload.as_ref()).to_string())
}

/// `thread::spawn` 的 panic 信息以这句开头。
const REFUSED_THREAD: &str = "failed to spawn thread";

/// panic 的信息 (`&str` 或 `String`), 别的类型给一个占位。
fn panic_text(payload: &(dyn std::any::Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "(未知)"
    }
}

/// 装一次 panic hook: 开不出线程的那种 panic 由 [`catch_refused_thread`] 的调用者记一行中文,
/// 不再打印 std 的英文 panic 信息; 别的 panic 照旧交给原来的 hook。
fn quiet_refused_threads() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !panic_text(info.payload()).starts_with(REFUSED_THREAD) {
                previous(info);
            }
        }));
    });
}

/// Logs one client's failure on stderr and lets the server go on. A server never
/// dies because of one client.
pub fn log_client_error(peer: impl Display, err: &io::Error) {
    eprintln!("客户端 {peer} 出错: {} (系统: {err})", advice(err));
}

/// Serves one client in a thread of its own (the model lesson03 teaches): an
/// error from `work`, or the OS refusing to start the thread, is logged against
/// `peer` and the server goes on. A pool or async I/O scales further.
pub fn serve_in_thread<F>(peer: SocketAddr, work: F)
where
    F: FnOnce() -> io::Result<()> + Send + 'static,
{
    let spawned = std::thread::Builder::new().spawn(move || {
        if let Err(e) = work() {
            log_client_error(peer, &e);
        }
    });
    if let Err(e) = spawned {
        log_client_error(peer, &e); // the connection is dropped, the server lives
    }
}

// ---------------------------------------------------------------------------
// Asking like the texts do: `input("请输入服务器ip:")`.
// ---------------------------------------------------------------------------

/// Prints `prompt` (no newline, flushed) and reads one line from stdin, without its
/// line ending. `None` when stdin is at its end (Ctrl-D, or a pipe that ran dry).
pub fn ask_line(prompt: &str) -> Option<String> {
    print!("{prompt}");
    flush();
    let mut line = String::new();
    match io::stdin().lock().read_line(&mut line) {
        Ok(0) => None,
        Ok(_) => Some(line.trim_end_matches(['\r', '\n']).to_string()),
        Err(err) => io_fail("读取标准输入", &err),
    }
}

/// Like [`ask_line`], but the answer is required: end of input is an error.
pub fn ask(prompt: &str) -> String {
    ask_line(prompt).unwrap_or_else(|| fail(format_args!("没有读到输入 ({prompt})")))
}

/// Parses a port number, with a clear error for `abc` or `70000`.
pub fn parse_port(text: &str) -> u16 {
    text.trim().parse().unwrap_or_else(|_| {
        fail(format_args!(
            "端口必须是 0 到 65535 之间的整数, 而不是 `{}`",
            text.trim()
        ))
    })
}

/// Turns `host`, `port` into socket addresses (a name such as `localhost` or
/// `www.baidu.com` is looked up first), or one clear line and exit 1. This is the
/// plumbing before a `connect`; the connect itself stays in the lesson binary.
pub fn resolve(host: &str, port: u16) -> Vec<SocketAddr> {
    let doing = format!("查找地址 {host}:{port}");
    let addrs: Vec<SocketAddr> = (host, port).to_socket_addrs().or_exit(&doing).collect();
    if addrs.is_empty() {
        fail(format_args!("{doing}: 这个名字没有对应的地址"));
    }
    addrs
}

/// What an accept loop does with a failed `accept`: log it and go on. When the
/// process has run out of file descriptors or memory (EMFILE, ENFILE, ENOBUFS,
/// ENOMEM), `accept` would fail again at once and the loop would spin at full
/// CPU printing the same line: then it pauses briefly and logs once per burst,
/// and serving resumes by itself when clients leave. A production server also
/// caps its connections so that it never gets here.
pub fn accept_failed(err: &io::Error) {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::{SystemTime, UNIX_EPOCH};
    static LAST_LOG: AtomicU64 = AtomicU64::new(0);
    if !out_of_resources(err) {
        log_client_error("(accept)", err);
        return;
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    if should_log(now, LAST_LOG.load(Ordering::Relaxed)) {
        LAST_LOG.store(now, Ordering::Relaxed);
        eprintln!(
            "accept 失败: 进程的文件描述符或内存用完了, 暂停接受新连接, 等已有的客户端离开 (系统: {err})"
        );
    }
    std::thread::sleep(Duration::from_millis(100));
}

/// Whether [`accept_failed`] logs the shortage now (`now_secs`), the last line having
/// been printed at `last_secs` (0: never). One line per burst: at most one every 5 s
/// while the shortage lasts.
fn should_log(now_secs: u64, last_secs: u64) -> bool {
    now_secs >= last_secs + 5
}

/// Whether `err` says the process or system ran out of descriptors or buffers.
fn out_of_resources(err: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    const CODES: [i32; 4] = [24, 23, 105, 12]; // EMFILE ENFILE ENOBUFS ENOMEM
    #[cfg(all(unix, not(target_os = "linux")))]
    const CODES: [i32; 4] = [24, 23, 55, 12]; // the BSDs' and macOS's numbers
    #[cfg(windows)]
    const CODES: [i32; 4] = [10024, 10055, 10024, 10055]; // WSAEMFILE WSAENOBUFS
    #[cfg(not(any(unix, windows)))]
    const CODES: [i32; 0] = [];
    err.kind() == ErrorKind::OutOfMemory || err.raw_os_error().is_some_and(|c| CODES.contains(&c))
}

// ---------------------------------------------------------------------------
// Flags.
// ---------------------------------------------------------------------------

/// A small flag parser: `--name value`, `--name=value`, switches, and positional
/// arguments. Unknown flags are an error, so a typo does not go unnoticed.
pub struct Cli {
    args: Vec<String>,
    help: &'static str,
}

impl Cli {
    /// Reads the process arguments. `-h`/`--help` prints `help` and exits 0.
    pub fn new(help: &'static str) -> Cli {
        Cli::from_args(std::env::args().skip(1).collect(), help)
    }

    /// The same over a given list (for unit tests).
    pub fn from_args(args: Vec<String>, help: &'static str) -> Cli {
        if args.iter().any(|a| a == "-h" || a == "--help") {
            println!("{}", help.trim());
            process::exit(0);
        }
        Cli { args, help }
    }

    fn usage_error(&self, message: impl Display) -> ! {
        eprintln!("{}\n", self.help.trim());
        fail(message)
    }

    /// Every value given to `--name` (the flag may repeat), removed from the list.
    pub fn values(&mut self, name: &str) -> Vec<String> {
        let with_eq = format!("{name}=");
        let mut found = Vec::new();
        let mut kept = Vec::new();
        // One pass over the arguments, no index arithmetic: nothing here can loop forever.
        let mut args = std::mem::take(&mut self.args).into_iter();
        while let Some(arg) = args.next() {
            if arg == name {
                match args.next() {
                    Some(value) => found.push(value),
                    None => self.usage_error(format_args!("{name} 后面缺少值")),
                }
            } else if let Some(value) = arg.strip_prefix(&with_eq) {
                found.push(value.to_string());
            } else {
                kept.push(arg);
            }
        }
        self.args = kept;
        found
    }

    /// The value of `--name`, if given (the last one wins).
    pub fn value(&mut self, name: &str) -> Option<String> {
        self.values(name).pop()
    }

    /// Whether the switch `--name` is present.
    pub fn switch(&mut self, name: &str) -> bool {
        let before = self.args.len();
        self.args.retain(|a| a != name);
        self.args.len() != before
    }

    /// `--name` parsed as `T`, or `default`; a value that does not parse is an error.
    pub fn parsed<T: FromStr>(&mut self, name: &str, default: T) -> T {
        match self.value(name) {
            None => default,
            Some(text) => text
                .parse()
                .unwrap_or_else(|_| self.usage_error(format_args!("{name} 的值 `{text}` 无效"))),
        }
    }

    /// `--host`, or the text's default.
    pub fn host(&mut self, default: &str) -> String {
        self.value("--host").unwrap_or_else(|| default.to_string())
    }

    /// `--port`, or the text's default; `--port 0` lets the system choose.
    pub fn port(&mut self, default: u16) -> u16 {
        self.value("--port").map_or(default, |p| parse_port(&p))
    }

    /// `--port` if given, else `None` (for clients that then ask like the text).
    pub fn port_opt(&mut self) -> Option<u16> {
        self.value("--port").map(|p| parse_port(&p))
    }

    /// `name SECS` (fractions allowed) as a `Duration`, or `default_secs`. A
    /// negative, NaN or too large value is an error, never the panic that
    /// `Duration::from_secs_f64` would give.
    pub fn seconds(&mut self, name: &str, default_secs: f64) -> Duration {
        self.seconds_checked(name, default_secs, true)
    }

    /// Like [`Cli::seconds`], but 0 is an error too (a timeout of 0 means nothing).
    pub fn positive_seconds(&mut self, name: &str, default_secs: f64) -> Duration {
        self.seconds_checked(name, default_secs, false)
    }

    fn seconds_checked(&mut self, name: &str, default_secs: f64, zero_ok: bool) -> Duration {
        let text = self.value(name);
        // Text that is not a number becomes NaN, which try_from_secs_f64 refuses.
        let secs = text
            .as_deref()
            .map_or(default_secs, |t| t.parse().unwrap_or(f64::NAN));
        let typed = text.unwrap_or_else(|| default_secs.to_string());
        match Duration::try_from_secs_f64(secs) {
            Ok(d) if zero_ok || !d.is_zero() => d,
            _ if zero_ok => self.usage_error(format_args!(
                "{name} 必须是不小于 0 的秒数, 而不是 `{typed}`"
            )),
            _ => self.usage_error(format_args!("{name} 必须是大于 0 的秒数, 而不是 `{typed}`")),
        }
    }

    /// `--timeout SECS`, or `default_secs`.
    pub fn timeout(&mut self, default_secs: f64) -> Duration {
        self.positive_seconds("--timeout", default_secs)
    }

    /// Whatever is left: positional arguments. A leftover `--flag` is an error.
    pub fn rest(self) -> Vec<String> {
        if let Some(unknown) = self.args.iter().find(|a| a.starts_with("--")) {
            self.usage_error(format_args!("不认识的参数 `{unknown}`"));
        }
        self.args
    }

    /// Like [`Cli::rest`], for programs that take no positional argument.
    pub fn done(self) {
        let rest = self.rest();
        if let Some(extra) = rest.first() {
            fail(format_args!("多余的参数 `{extra}` (用 --help 查看用法)"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "Too many open files": EMFILE, or WSAEMFILE on Windows.
    const EMFILE: i32 = if cfg!(windows) { 10024 } else { 24 };

    fn cli(args: &[&str]) -> Cli {
        Cli::from_args(args.iter().map(|s| s.to_string()).collect(), "usage")
    }

    #[test]
    fn flags_in_both_forms_and_positionals() {
        let mut c = cli(&["--port", "8898", "--reply=hi", "x", "--once"]);
        assert_eq!(c.port(7788), 8898);
        assert_eq!(c.value("--reply").as_deref(), Some("hi"));
        assert!(c.switch("--once"));
        assert!(!c.switch("--once"));
        assert_eq!(c.rest(), vec!["x".to_string()]);
    }

    #[test]
    fn repeated_values_are_all_kept() {
        let mut c = cli(&["--contact", "a=1", "--contact=b=2"]);
        assert_eq!(c.values("--contact"), vec!["a=1", "b=2"]);
    }

    #[test]
    fn a_flag_at_the_end_and_values_mixed_with_positionals() {
        let mut c = cli(&["a", "--x", "1", "b", "--x=2", "--y"]);
        assert_eq!(c.values("--x"), vec!["1", "2"]);
        assert!(c.switch("--y"));
        assert_eq!(c.rest(), vec!["a".to_string(), "b".to_string()]);
    }

    #[test]
    fn accept_failed_knows_descriptor_exhaustion() {
        assert!(out_of_resources(&io::Error::from_raw_os_error(EMFILE)));
        assert!(!out_of_resources(&io::Error::from(
            ErrorKind::ConnectionAborted
        )));
    }

    #[test]
    fn resolve_finds_loopback() {
        // Exactly the one address: an empty list would pass an `all(..)` check.
        assert_eq!(
            resolve("127.0.0.1", 80),
            vec![SocketAddr::from(([127, 0, 0, 1], 80))]
        );
    }

    #[test]
    fn defaults_apply() {
        let mut c = cli(&[]);
        assert_eq!(c.host("127.0.0.1"), "127.0.0.1");
        assert_eq!(c.port(9999), 9999);
        assert_eq!(c.timeout(2.5), Duration::from_millis(2500));
    }

    #[test]
    fn seconds_accept_zero_and_fractions() {
        let mut c = cli(&["--pause", "0", "--idle", "0.25"]);
        assert_eq!(c.seconds("--pause", 1.0), Duration::ZERO);
        assert_eq!(
            c.positive_seconds("--idle", 60.0),
            Duration::from_millis(250)
        );
    }

    /// Runs the test `name` again in a child copy of this test binary, with
    /// `SUPPORT_CHILD=name`: the code under test ends the process (exit 0 or 1),
    /// which a test cannot watch from inside. Bounded: killed after 10 s.
    fn in_child(name: &str) -> (Option<i32>, String, String) {
        in_child_with(name, "")
    }

    /// [`in_child`], with `SUPPORT_ARG=arg` in the child's environment.
    fn in_child_with(name: &str, arg: &str) -> (Option<i32>, String, String) {
        use std::process::{Command, Stdio};
        use std::time::Instant;
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([name, "--exact", "--nocapture", "--test-threads=1"])
            .env("SUPPORT_CHILD", name)
            .env("SUPPORT_ARG", arg)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let until = Instant::now() + Duration::from_secs(10);
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > until {
                let _ = child.kill();
                panic!("{name}: 子进程 10 秒内没有结束 (did not exit in 10 s)");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let out = child.wait_with_output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Whether this process is the child copy started by [`in_child`] for `name`.
    fn is_child(name: &str) -> bool {
        std::env::var("SUPPORT_CHILD").as_deref() == Ok(name)
    }

    /// Asserts that running `name` in a child ends with exit code 1 and `message` on stderr.
    fn exits_1_with(name: &str, message: &str) {
        let (code, _, err) = in_child(name);
        assert_eq!(code, Some(1), "应该以退出码 1 结束, stderr: {err}");
        assert!(err.contains(message), "stderr 里应该有 `{message}`: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }

    #[test]
    fn done_refuses_an_unknown_flag() {
        if is_child("tests::done_refuses_an_unknown_flag") {
            cli(&["--bogus", "1"]).done();
            process::exit(0); // reached only when done() let the typo pass
        }
        exits_1_with(
            "tests::done_refuses_an_unknown_flag",
            "不认识的参数 `--bogus`",
        );
    }

    #[test]
    fn done_refuses_an_extra_positional() {
        if is_child("tests::done_refuses_an_extra_positional") {
            cli(&["extra"]).done();
            process::exit(0);
        }
        exits_1_with(
            "tests::done_refuses_an_extra_positional",
            "多余的参数 `extra`",
        );
    }

    #[test]
    fn done_accepts_nothing_left() {
        let mut c = cli(&["--port", "1"]);
        assert_eq!(c.port(2), 1);
        c.done(); // returns: nothing is left over
    }

    #[test]
    fn a_flag_without_its_value_is_an_error() {
        if is_child("tests::a_flag_without_its_value_is_an_error") {
            cli(&["--port"]).value("--port");
            process::exit(0);
        }
        exits_1_with(
            "tests::a_flag_without_its_value_is_an_error",
            "--port 后面缺少值",
        );
    }

    #[test]
    fn help_prints_usage_and_exits_0() {
        let name = "tests::help_prints_usage_and_exits_0";
        if is_child(name) {
            cli(&["--port", "1", "-h"]);
            process::exit(3); // reached only when -h was not seen
        }
        let (code, out, _) = in_child(name);
        assert_eq!(code, Some(0), "-h 应该打印用法并以 0 退出: {out}");
        assert!(out.contains("usage"), "{out}");
    }

    #[test]
    fn long_help_prints_usage_and_exits_0() {
        let name = "tests::long_help_prints_usage_and_exits_0";
        if is_child(name) {
            cli(&["--help"]);
            process::exit(3);
        }
        let (code, out, _) = in_child(name);
        assert_eq!(code, Some(0), "--help 应该打印用法并以 0 退出: {out}");
        assert!(out.contains("usage"), "{out}");
    }

    #[test]
    fn help_is_only_the_exact_words() {
        // `-hx` or a value containing -h is not a request for help.
        let mut c = cli(&["--host", "a-h", "-hx"]);
        assert_eq!(c.host("x"), "a-h");
        assert_eq!(c.rest(), vec!["-hx".to_string()]);
    }

    #[test]
    fn a_zero_timeout_is_refused() {
        let name = "tests::a_zero_timeout_is_refused";
        if is_child(name) {
            cli(&["--timeout", "0"]).timeout(5.0);
            process::exit(0);
        }
        exits_1_with(name, "--timeout 必须是大于 0 的秒数, 而不是 `0`");
    }

    #[test]
    fn a_negative_pause_is_refused() {
        let name = "tests::a_negative_pause_is_refused";
        if is_child(name) {
            cli(&["--pause", "-1"]).seconds("--pause", 1.0);
            process::exit(0);
        }
        exits_1_with(name, "--pause 必须是不小于 0 的秒数, 而不是 `-1`");
    }

    #[test]
    fn seconds_that_are_not_a_number_are_refused() {
        let name = "tests::seconds_that_are_not_a_number_are_refused";
        if is_child(name) {
            cli(&["--pause", "abc"]).seconds("--pause", 1.0);
            process::exit(0);
        }
        exits_1_with(name, "--pause 必须是不小于 0 的秒数, 而不是 `abc`");
    }

    #[test]
    fn nonzero_seconds_pass_both_checks() {
        let mut c = cli(&["--timeout", "0.5", "--pause", "2"]);
        assert_eq!(c.timeout(9.0), Duration::from_millis(500));
        assert_eq!(c.seconds("--pause", 0.0), Duration::from_secs(2));
        // Defaults, when the flag is absent: zero allowed for seconds.
        assert_eq!(cli(&[]).seconds("--pause", 0.0), Duration::ZERO);
    }

    #[test]
    fn the_last_value_wins_and_parsed_values_convert() {
        let mut c = cli(&["--x", "1", "--x=2", "--n", "7"]);
        assert_eq!(c.value("--x").as_deref(), Some("2"));
        assert_eq!(c.parsed("--n", 5u32), 7);
        assert_eq!(c.parsed("--n", 5u32), 5, "the flag was used up");
        assert_eq!(c.port_opt(), None);
        assert_eq!(cli(&["--port", "8"]).port_opt(), Some(8));
    }

    #[test]
    fn a_value_that_does_not_parse_is_an_error() {
        let name = "tests::a_value_that_does_not_parse_is_an_error";
        if is_child(name) {
            cli(&["--n", "x"]).parsed("--n", 5u32);
            process::exit(0);
        }
        exits_1_with(name, "--n 的值 `x` 无效");
    }

    #[test]
    fn a_bad_port_is_an_error() {
        let name = "tests::a_bad_port_is_an_error";
        if is_child(name) {
            cli(&["--port", " 70000 "]).port(1);
            process::exit(0);
        }
        exits_1_with(name, "端口必须是 0 到 65535 之间的整数, 而不是 `70000`");
    }

    #[test]
    fn out_of_descriptors_pauses_each_time_and_other_errors_do_not() {
        use std::time::Instant;
        let start = Instant::now();
        accept_failed(&io::Error::from_raw_os_error(EMFILE));
        accept_failed(&io::Error::from_raw_os_error(EMFILE));
        // Two pauses of 100 ms: the accept loop cannot spin.
        assert!(start.elapsed() >= Duration::from_millis(200));
        assert!(out_of_resources(&io::Error::from(ErrorKind::OutOfMemory)));
        assert!(!out_of_resources(&io::Error::from(
            ErrorKind::ConnectionReset
        )));
    }

    #[test]
    fn the_shortage_is_logged_at_most_once_every_5_seconds() {
        let last = 1_700_000_000; // seconds since 1970, as accept_failed counts them
        assert!(!should_log(last, last), "0 s after the last line: quiet");
        assert!(!should_log(last + 4, last), "4 s after: still quiet");
        assert!(should_log(last + 5, last), "5 s after: log again");
        assert!(should_log(last + 60, last));
        assert!(should_log(last, 0), "the first shortage ever is logged");
    }

    /// A burst of EMFILE is logged once, not once per failed accept; any other accept
    /// error is logged each time as a client's error. In a child: the once-per-burst
    /// clock is one per process.
    #[test]
    fn a_burst_of_descriptor_exhaustion_is_logged_once() {
        let name = "tests::a_burst_of_descriptor_exhaustion_is_logged_once";
        if is_child(name) {
            for _ in 0..3 {
                accept_failed(&io::Error::from_raw_os_error(EMFILE));
            }
            accept_failed(&io::Error::from(ErrorKind::ConnectionAborted));
            process::exit(0);
        }
        let (code, _, err) = in_child(name);
        assert_eq!(code, Some(0), "{err}");
        assert_eq!(
            err.matches("accept 失败: 进程的文件描述符").count(),
            1,
            "描述符用完时, 一阵失败只该记一行: {err}"
        );
        assert_eq!(
            err.matches("客户端 (accept) 出错").count(),
            1,
            "其他 accept 错误每次都要记下来: {err}"
        );
    }

    /// The prompt must be on the screen while the program waits for the answer: stdout
    /// keeps a line without its newline in a buffer unless it is flushed, and a student
    /// would stare at an empty terminal. The child asks; the answer is typed only once
    /// the prompt has arrived (bounded wait), like a person would.
    #[test]
    fn the_prompt_is_shown_before_the_answer_is_read() {
        use std::io::Read;
        use std::process::{Command, Stdio};
        use std::sync::mpsc;
        use std::time::Instant;
        let name = "tests::the_prompt_is_shown_before_the_answer_is_read";
        if is_child(name) {
            let got = ask("请输入服务器ip:");
            println!("\n[{got}]");
            process::exit(0);
        }
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([name, "--exact", "--nocapture", "--test-threads=1"])
            .env("SUPPORT_CHILD", name)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 256];
            while let Ok(n @ 1..) = out.read(&mut buf) {
                if tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let mut seen = Vec::new();
        let until = Instant::now() + Duration::from_secs(10);
        let shown = loop {
            if String::from_utf8_lossy(&seen).contains("请输入服务器ip:") {
                break true;
            }
            match rx.recv_timeout(until.saturating_duration_since(Instant::now())) {
                Ok(piece) => seen.extend(piece),
                Err(_) => break false,
            }
        };
        if !shown {
            let _ = child.kill();
            let _ = child.wait();
            panic!("10 秒内没有看到提示 `请输入服务器ip:`: 打印提示后要 flush");
        }
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"127.0.0.1\n")
            .unwrap();
        while let Ok(piece) = rx.recv_timeout(until.saturating_duration_since(Instant::now())) {
            seen.extend(piece);
        }
        let _ = child.kill();
        let _ = child.wait();
        let seen = String::from_utf8_lossy(&seen);
        assert!(
            seen.contains("[127.0.0.1]"),
            "回答应该原样读到 (不带换行): {seen}"
        );
    }

    #[test]
    fn advice_for_every_kind_a_student_meets() {
        let cases = [
            (ErrorKind::AddrInUse, "地址已被占用"),
            (ErrorKind::AddrNotAvailable, "本机没有这个地址"),
            (ErrorKind::ConnectionRefused, "连接被拒绝"),
            (ErrorKind::ConnectionReset, "连接被对方重置"),
            (ErrorKind::ConnectionAborted, "连接被对方重置"),
            (ErrorKind::BrokenPipe, "对方已经关闭了连接"),
            (ErrorKind::TimedOut, "等待超时"),
            (ErrorKind::WouldBlock, "等待超时"),
            (ErrorKind::NotFound, "找不到"),
            (ErrorKind::PermissionDenied, "小于 1024 的端口"),
            (ErrorKind::InvalidInput, "输入无效"),
            (ErrorKind::InvalidData, "输入无效"),
            (ErrorKind::UnexpectedEof, "数据不完整"),
            (ErrorKind::Other, "操作失败"),
        ];
        for (kind, words) in cases {
            let said = advice_for(&io::Error::from(kind), false);
            assert!(said.contains(words), "{kind:?}: {said}");
        }
        let denied = advice_for(&io::Error::from(ErrorKind::PermissionDenied), true);
        assert!(denied.contains("excludedportrange"), "{denied}");
        assert!(!denied.contains("小于 1024"), "{denied}");
        let here = advice(&io::Error::from(ErrorKind::PermissionDenied));
        assert_eq!(here.contains("excludedportrange"), cfg!(windows));
        for kind in [
            ErrorKind::AddrInUse,
            ErrorKind::ConnectionRefused,
            ErrorKind::TimedOut,
        ] {
            let err = io::Error::from(kind);
            assert_eq!(advice(&err), advice_for(&err, cfg!(windows)), "{kind:?}");
        }
    }

    #[test]
    fn port_in_use_with_a_listener_says_how_to_find_it() {
        let err = io::Error::from(ErrorKind::AddrInUse);
        let unix = bind_message("127.0.0.1", 7788, &err, true, false);
        assert!(unix.contains("端口 7788 已被占用"), "{unix}");
        assert!(unix.contains("lsof -i:7788"), "{unix}");
        assert!(!unix.contains("TIME_WAIT"), "{unix}");
        let windows = bind_message("127.0.0.1", 7788, &err, true, true);
        assert!(
            windows.contains("netstat -ano | findstr :7788"),
            "{windows}"
        );
        assert!(!windows.contains("lsof"), "{windows}");
    }

    #[test]
    fn port_in_use_without_a_listener_is_time_wait() {
        let err = io::Error::from(ErrorKind::AddrInUse);
        let unix = bind_message("0.0.0.0", 7788, &err, false, false);
        assert!(unix.contains("TIME_WAIT"), "{unix}");
        assert!(unix.contains("SO_REUSEADDR"), "{unix}");
        assert!(unix.contains("ss -tan | grep :7788"), "{unix}");
        assert!(!unix.contains("lsof"), "{unix}");
        let windows = bind_message("0.0.0.0", 7788, &err, false, true);
        assert!(windows.contains("netstat -an | findstr :7788"), "{windows}");
    }

    #[test]
    fn other_bind_errors_get_the_kinds_advice() {
        let denied = io::Error::from(ErrorKind::PermissionDenied);
        let unix = bind_message("0.0.0.0", 80, &denied, false, false);
        assert!(unix.starts_with("绑定 0.0.0.0:80: 权限不足"), "{unix}");
        let windows = bind_message("0.0.0.0", 80, &denied, false, true);
        assert!(windows.contains("excludedportrange"), "{windows}");
    }

    /// `bind_failed` on a port in use looks whether someone listens there, and only then.
    #[test]
    fn bind_failed_tells_a_listener_from_time_wait() {
        let name = "tests::bind_failed_tells_a_listener_from_time_wait";
        if is_child(name) {
            let port: u16 = std::env::var("SUPPORT_ARG").unwrap().parse().unwrap();
            bind_failed("127.0.0.1", port, io::Error::from(ErrorKind::AddrInUse));
        }
        let run = |port: u16| {
            let (code, _, err) = in_child_with(name, &port.to_string());
            (code, err)
        };
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let (code, err) = run(listener.local_addr().unwrap().port());
        assert_eq!(code, Some(1), "{err}");
        assert!(err.contains("另一个程序正在监听"), "有程序在监听: {err}");
        // A port held by a connected client socket: nobody listens there.
        let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (code, err) = run(client.local_addr().unwrap().port());
        assert_eq!(code, Some(1), "{err}");
        assert!(err.contains("TIME_WAIT"), "没有程序在监听: {err}");
    }

    #[test]
    fn a_quick_connect_tells_a_listener_from_none() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        assert!(listener_answers("127.0.0.1", port));
        assert!(
            listener_answers("0.0.0.0", port),
            "0.0.0.0 is tried on loopback"
        );
        // A port held by a connected client socket: bound, so no other program can
        // take it meanwhile (a freed port could be), but nobody listens there.
        let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let held = client.local_addr().unwrap().port();
        assert!(!listener_answers("127.0.0.1", held));
    }
}
