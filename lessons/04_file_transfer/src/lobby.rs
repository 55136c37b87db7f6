//! 等候室 (waiting room): 客户端的请求到齐了, 才给它一个服务的位置。
//!
//! 原文的服务器 accept 之后马上 recv, 一次只服务一个客户端。我们每个客户端一个线程,
//! 同时最多 `--max-clients` 个 (一个位置 = 一个线程 + 一块发送缓冲区)。如果刚连上、
//! 还什么都没说的连接也占一个位置, 几百个只连接不说话的连接就把位置占满了,
//! 正常的客户端连都连不进来。所以分成两步:
//!
//! 1. **等请求**: accept 得到的连接先交给等候室 ([`Lobby::admit`])。等候室只有**一个**
//!    线程, 把所有等着的连接设成非阻塞, 每隔几毫秒用 `peek` 看一眼每个连接收到了
//!    什么 (`peek` 只看不取, 字节还留在系统的缓冲区里)。一个连接不占线程, 只占一个
//!    文件描述符, 所以上限 (`--max-waiting`, 默认 512) 可以很大。
//! 2. **服务**: 请求完整了 (见 [`Request`]), 或者对方已经关闭 (让服务的代码去发现它),
//!    而且有空位, 等候室才把连接和一个 [`Slot`] 交给服务器的函数; 服务器照原文那样
//!    `read` 请求, 这时字节已经在缓冲区里了, 马上就读到。
//!
//! 限制:
//! * `--request-timeout` 秒 (默认 5) 内请求还没到齐, 连接被关闭;
//! * 等候的连接满了, 关掉**最久**没发请求的那个, 给新来的让位 (一个不停地开新连接的
//!   客户端因此挤不掉发了请求的正常客户端); 全都是已经到齐、在等位置的连接时, 新来的
//!   被马上关闭;
//! * 这些都记在 stderr 上, 每种情况每 5 秒最多一行 (带次数), 不会刷屏。
//!
//! 为什么是一个线程轮询, 而不是每个连接一个小线程: 几百个连接就是几百个线程, 攻击者
//! 开得越多, 服务器的线程越多; 一个线程轮询的代价是 CPU: 每次扫描每个连接一次系统
//! 调用, 扫描间隔随连接数变长 (每个连接约 20 微秒, 至少 1 毫秒, 没动静时最多 50 毫秒),
//! 500 个空等的连接大约占一个核的百分之几。真正的服务器用事件循环 (Linux 的 epoll,
//! macOS 的 kqueue, Windows 的 IOCP; Rust 里是 mio/tokio): 系统直接告诉你哪些连接有了
//! 数据, 不用挨个问; 还会按来源地址限制连接数, 一个地址占不满所有位置。std 没有这些,
//! 这里用最简单的办法把"等请求"和"服务"分开。
//!
//! 一个限制: `peek` 分不清"请求还没发完"和"发了一半就关闭了", 后者要等到
//! `--request-timeout` 才被关闭。
//!
//! The waiting room: one thread polls the accepted connections (nonblocking `peek`,
//! nothing consumed) until each one's request has fully arrived, and only then hands it,
//! with a [`Slot`], to the server's code, which reads the request as the text does.
//! Idle connections cost a descriptor, not a thread; over `--max-waiting` the oldest
//! idle one is closed; `--request-timeout` closes the slow ones; each kind of closing is
//! logged at most once per 5 s. Production servers use an event loop and per-address
//! limits instead.

use std::collections::VecDeque;
use std::io::{ErrorKind, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// 请求最长多少字节 (原文的 `recv(1024)`), 不算帧的长度前缀和换行。
pub const MAX_REQUEST: usize = 1024;

/// 同一种事情 (超时、挤掉、拒绝) 每隔多久最多记一行。
pub const LOG_EVERY: Duration = Duration::from_secs(5);

/// 一个完整的请求是什么样子。What a whole request looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    /// 至少一个字节: 原文的一次 `recv(1024)` 拿到什么就是什么 (下载的文件名,
    /// `--text-format` 的上传头)。At least one byte: the text's single read.
    Bytes,
    /// 一直到换行 (默认格式的上传头), 或者 1025 字节还没有换行 (服务器会拒绝它)。
    /// Up to a newline, or 1025 bytes without one.
    Line,
    /// 一整帧: 8 字节长度 + 那么多字节 (`--framed` 的文件名); 长度超过 1024 也算
    /// 到齐 (服务器会拒绝它)。A whole length-prefixed frame.
    Frame,
}

impl Request {
    /// `peeked` (连接里已经到了的开头几个字节) 是不是一个完整的请求。
    pub fn complete(self, peeked: &[u8]) -> bool {
        match self {
            Request::Bytes => !peeked.is_empty(),
            Request::Line => peeked.contains(&b'\n') || peeked.len() > MAX_REQUEST,
            Request::Frame => {
                let prefix = crate::framing::PREFIX;
                let Some(len) = peeked.get(..prefix) else {
                    return false;
                };
                let len = u64::from_be_bytes(len.try_into().expect("8 bytes"));
                len > MAX_REQUEST as u64 || (peeked.len() - prefix) as u64 >= len
            }
        }
    }
}

/// 等候室和服务的上限, 来自命令行。Limits, from the flags.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// 同时服务几个客户端 (`--max-clients`, 默认 128)。
    pub max_clients: usize,
    /// 最多几个连接同时在等它的请求 (`--max-waiting`, 默认 512)。
    pub max_waiting: usize,
    /// 请求要在多少秒内到齐 (`--request-timeout`, 默认 5 秒)。
    pub request_timeout: Duration,
}

impl Limits {
    /// 读 `--max-clients`、`--max-waiting`、`--request-timeout`。
    pub fn from_cli(cli: &mut support::Cli) -> Limits {
        Limits {
            max_clients: cli.parsed("--max-clients", 128usize).max(1),
            max_waiting: cli.parsed("--max-waiting", 512usize).max(1),
            request_timeout: cli.positive_seconds("--request-timeout", 5.0),
        }
    }
}

/// 一个正在被服务的客户端占的位置; drop 时让出来 (并叫醒等候室)。
/// A serving slot; dropping it frees it and wakes the waiting room.
pub struct Slot {
    busy: Arc<AtomicUsize>,
    wake: Sender<Msg>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.busy.fetch_sub(1, Ordering::SeqCst);
        let _ = self.wake.send(Msg::Freed);
    }
}

enum Msg {
    Arrived(TcpStream, SocketAddr),
    Freed,
}

/// 等候室: [`Lobby::start`] 启动它的线程, accept 循环把每个新连接交给 [`Lobby::admit`]。
/// The waiting room; the accept loop hands it every new connection.
pub struct Lobby {
    tx: Sender<Msg>,
}

impl Lobby {
    /// 启动等候室的线程。请求到齐、又有空位的连接交给 `serve(连接, 地址, 位置)`;
    /// `serve` 在等候室的线程里被调用, 所以要马上返回 (服务器在里面开一个线程)。
    pub fn start<F>(request: Request, limits: Limits, serve: F) -> Lobby
    where
        F: FnMut(TcpStream, SocketAddr, Slot) + Send + 'static,
    {
        let (tx, rx) = mpsc::channel();
        let wake = tx.clone();
        let room = Room {
            request,
            limits,
            waiting: VecDeque::new(),
            ready: VecDeque::new(),
            busy: Arc::new(AtomicUsize::new(0)),
            wake,
            timed_out: Tally::new(),
            evicted: Tally::new(),
            turned_away: Tally::new(),
        };
        std::thread::Builder::new()
            .name("lobby".into())
            .spawn(move || room.run(rx, serve))
            .unwrap_or_else(|e| support::io_fail("启动等候室的线程", &e));
        Lobby { tx }
    }

    /// 把一个刚 accept 的连接交给等候室 (马上返回)。
    pub fn admit(&self, conn: TcpStream, addr: SocketAddr) {
        let _ = self.tx.send(Msg::Arrived(conn, addr));
    }
}

struct Waiting {
    conn: TcpStream,
    addr: SocketAddr,
    since: Instant,
}

/// 某一种关闭的次数, 每 [`LOG_EVERY`] 最多记一行。
struct Tally {
    count: u64,
    last_addr: Option<SocketAddr>,
    last_log: Option<Instant>,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            count: 0,
            last_addr: None,
            last_log: None,
        }
    }

    fn add(&mut self, addr: SocketAddr) {
        self.count += 1;
        self.last_addr = Some(addr);
    }

    /// 有没记的次数, 而且离上一行已经过了 [`LOG_EVERY`] (或者从没记过): 记一行。
    fn log_if_due(&mut self, line: impl FnOnce(u64, SocketAddr) -> String) {
        let due = self.last_log.is_none_or(|t| t.elapsed() >= LOG_EVERY);
        if let (true, Some(addr)) = (due && self.count > 0, self.last_addr) {
            // 拼成一整行一次写出, 别的线程的输出插不进来
            let text = format!("{}\n", line(self.count, addr));
            let _ = std::io::stderr().write_all(text.as_bytes());
            self.count = 0;
            self.last_log = Some(Instant::now());
        }
    }
}

/// 等候室线程的全部状态。
struct Room {
    request: Request,
    limits: Limits,
    /// 还在等请求的连接, 最早来的在前面。
    waiting: VecDeque<Waiting>,
    /// 请求到齐了、在等空位的连接。
    ready: VecDeque<(TcpStream, SocketAddr)>,
    busy: Arc<AtomicUsize>,
    wake: Sender<Msg>,
    timed_out: Tally,
    evicted: Tally,
    turned_away: Tally,
}

/// 两次扫描之间最短、最长隔多久; 每个等着的连接再加多少 (扫描一次的代价随连接数涨)。
const MIN_TICK: Duration = Duration::from_millis(1);
const MAX_TICK: Duration = Duration::from_millis(50);
const TICK_PER_CONN: Duration = Duration::from_micros(20);

impl Room {
    fn run<F: FnMut(TcpStream, SocketAddr, Slot)>(mut self, rx: Receiver<Msg>, mut serve: F) {
        let mut tick = MIN_TICK;
        let mut last_sweep = Instant::now();
        loop {
            self.hand_over(&mut serve);
            // 没有要等的连接: 一直睡到有新连接或有位置空出来
            let first = if self.waiting.is_empty() {
                rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
            } else {
                rx.recv_timeout(tick.saturating_sub(last_sweep.elapsed()))
            };
            let mut next = Some(first);
            while let Some(msg) = next.take() {
                match msg {
                    Ok(Msg::Arrived(conn, addr)) => {
                        self.arrive(conn, addr);
                        tick = MIN_TICK; // 新来的连接: 它的请求多半马上就到, 很快再看一次
                    }
                    Ok(Msg::Freed) | Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
                // 一次把排着的消息都取完, 一批新连接只扫描一次
                next = rx.try_recv().ok().map(Ok);
            }
            let floor = MIN_TICK.max(TICK_PER_CONN * self.waiting.len() as u32);
            if last_sweep.elapsed() >= tick.max(floor) {
                let moved = self.sweep();
                last_sweep = Instant::now();
                // 有连接的请求到齐了: 很快再看; 一直没动静: 间隔加倍
                tick = if moved { MIN_TICK } else { tick * 2 };
                tick = tick.clamp(floor, MAX_TICK.max(floor));
            }
            self.log();
        }
    }

    /// 请求到齐的连接, 按到齐的顺序, 有空位就交出去。
    fn hand_over<F: FnMut(TcpStream, SocketAddr, Slot)>(&mut self, serve: &mut F) {
        while self.busy.load(Ordering::SeqCst) < self.limits.max_clients {
            let Some((conn, addr)) = self.ready.pop_front() else {
                return;
            };
            self.busy.fetch_add(1, Ordering::SeqCst);
            let slot = Slot {
                busy: Arc::clone(&self.busy),
                wake: self.wake.clone(),
            };
            serve(conn, addr, slot);
        }
    }

    /// 一个新连接: 满了先让位, 再看一眼它的请求是不是已经到了。
    fn arrive(&mut self, conn: TcpStream, addr: SocketAddr) {
        if self.waiting.len() + self.ready.len() >= self.limits.max_waiting {
            match self.waiting.pop_front() {
                // 关掉等得最久、还没发完请求的那个 (drop 就是关闭)
                Some(oldest) => self.evicted.add(oldest.addr),
                None => {
                    self.turned_away.add(addr);
                    return; // 都在等位置: 新来的马上被关闭
                }
            }
        }
        if conn.set_nonblocking(true).is_err() {
            return;
        }
        let mut one = VecDeque::from([Waiting {
            conn,
            addr,
            since: Instant::now(),
        }]);
        self.look(&mut one);
        self.waiting.extend(one);
    }

    /// 看一遍所有等着的连接。有连接的请求到齐了就返回 true。
    fn sweep(&mut self) -> bool {
        let mut all = std::mem::take(&mut self.waiting);
        let before = self.ready.len();
        self.look(&mut all);
        self.waiting = all;
        self.ready.len() > before
    }

    /// `peek` 每个连接: 请求到齐了 (或对方关闭了、出错了) 就移到 `ready`;
    /// 超时了就关闭; 其余的留下, 顺序不变。
    fn look(&mut self, conns: &mut VecDeque<Waiting>) {
        let mut buf = [0u8; crate::framing::PREFIX + MAX_REQUEST + 1];
        let timeout = self.limits.request_timeout;
        let mut kept = VecDeque::with_capacity(conns.len());
        for w in conns.drain(..) {
            let done = match w.conn.peek(&mut buf) {
                Ok(0) => true, // 对方关闭了: 让服务的代码读到它, 像原文那样处理
                Ok(n) => self.request.complete(&buf[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted) => {
                    false
                }
                Err(_) => true, // 连接出错: 服务的代码 read 时会看到并记录
            };
            if done {
                if w.conn.set_nonblocking(false).is_ok() {
                    self.ready.push_back((w.conn, w.addr));
                }
            } else if w.since.elapsed() >= timeout {
                self.timed_out.add(w.addr); // w 在这里被 drop: 连接关闭
            } else {
                kept.push_back(w);
            }
        }
        *conns = kept;
    }

    fn log(&mut self) {
        let secs = self.limits.request_timeout.as_secs_f64();
        let max = self.limits.max_waiting;
        self.timed_out.log_if_due(|n, addr| {
            format!("等候室: {n} 个连接 {secs} 秒内没有发来完整的请求, 已关闭 (最近一个: {addr}) timed out waiting for a request")
        });
        self.evicted.log_if_due(|n, addr| {
            format!("等候室满了 (--max-waiting {max}): 关闭了 {n} 个等得最久、还没发完请求的连接 (最近一个: {addr}) evicted the oldest idle")
        });
        self.turned_away.log_if_due(|n, addr| {
            format!("等候室满了 (--max-waiting {max}), 都在等空位: 马上关闭了 {n} 个新连接 (最近一个: {addr}) turned away")
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_need_one_byte() {
        assert!(!Request::Bytes.complete(b""));
        assert!(Request::Bytes.complete(b"a"));
    }

    #[test]
    fn a_line_needs_its_newline_or_1025_bytes() {
        assert!(!Request::Line.complete(b"post|5|a"));
        assert!(Request::Line.complete(b"post|5|a\nhello"));
        assert!(!Request::Line.complete(&[b'x'; 1024]));
        assert!(Request::Line.complete(&[b'x'; 1025]));
    }

    #[test]
    fn a_frame_needs_its_prefix_and_body() {
        let mut frame = Vec::new();
        crate::framing::write_frame(&mut frame, b"a.txt").unwrap();
        for cut in 0..frame.len() {
            assert!(!Request::Frame.complete(&frame[..cut]), "cut at {cut}");
        }
        assert!(Request::Frame.complete(&frame));
        // A length over the limit is whole at once: the server refuses it.
        assert!(Request::Frame.complete(&2000u64.to_be_bytes()));
    }
}
