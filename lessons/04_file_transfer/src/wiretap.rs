//! `wiretap` 的内部: 把经过的字节画成时序图, 并故意打破消息边界。
//! The inside of the `wiretap` tool (see `src/bin/wiretap.rs`).
//!
//! * 画图 (rendering): [`readable`] shows a chunk as text, [`hex_dump`] as hex,
//!   [`arrow`] draws one line of the terminal diagram, [`svg`] the same diagram
//!   as an SVG file;
//! * 打破边界 (breaking boundaries): [`pieces`] cuts a chunk for `--split`,
//!   [`read_held`] gathers what arrives for `--coalesce`;
//! * 转发 (the relay): [`Tap::serve_tcp`] and [`Tap::serve_udp`]. They live here,
//!   not in the binary, so that lesson05's tests can put the tap between its own
//!   `cmd_client` and `cmd_server` (a test can only name the binaries of its own
//!   package).
//!
//! Every line of the picture is built whole and written with one locked
//! `write_all`, so the lines of two connections never mix mid-line.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// 每个箭头上最多显示一块的多少个字符, 其余的截掉并注明。
/// Characters of a chunk shown on its arrow; the rest is cut with a count.
pub const SHOWN: usize = 48;
/// `--hex` 每块最多显示几行十六进制 (每行 16 字节)。
/// Lines of a `--hex` dump per chunk (16 bytes a line).
pub const HEX_LINES: usize = 8;
/// `--coalesce` 最多攒多少字节, 超过就先转发出去 (内存有上限)。
/// The most `--coalesce` holds before it forwards anyway, so memory stays bounded.
pub const HOLD_CAP: usize = 16 << 20;
/// SVG 里每个连接最多记多少件事, 以及最多记多少个连接。
/// Events kept per connection for the SVG, and connections kept in it.
pub const SVG_EVENTS: usize = 400;
/// SVG 里最多记多少个连接 (见上)。
pub const SVG_CONNS: usize = 200;
/// 一个 UDP 客户端这么久没发东西, 就忘掉它 (关掉它通向服务器的套接字)。
/// A UDP client that sent nothing for this long is forgotten.
pub const UDP_IDLE: Duration = Duration::from_secs(60);
/// 最大的 UDP 数据报 (IPv4): tap 自己从不截断 (除非 `--udp-buf`)。
/// The largest UDP payload (IPv4): the tap itself never cuts a datagram.
pub const UDP_MAX: usize = 65_536;

// ---------------------------------------------------------------------------
// Showing bytes.
// ---------------------------------------------------------------------------

/// A chunk as readable text in quotes: printable text as is (Chinese too), `\n`,
/// `\r`, `\t`, `\\`, `\"` escaped, every other byte as `\xNN`. At most `max`
/// characters are shown; a longer chunk ends with `…(+N 字节)`. Only the start
/// of the chunk is looked at, so a 1 MiB chunk costs no more than a short one.
pub fn readable(bytes: &[u8], max: usize) -> String {
    let mut out = String::from("\"");
    let mut shown = 0;
    let mut i = 0;
    while i < bytes.len() && shown < max {
        let (text, used) = match first_char(&bytes[i..]) {
            Some(c) => (escape_char(c), c.len_utf8()),
            None => (format!("\\x{:02x}", bytes[i]), 1),
        };
        shown += text.chars().count();
        out.push_str(&text);
        i += used;
    }
    out.push('"');
    if i < bytes.len() {
        let _ = write!(out, "…(+{} 字节)", bytes.len() - i);
    }
    out
}

/// The first character of `b` if it starts with valid UTF-8.
fn first_char(b: &[u8]) -> Option<char> {
    let head = &b[..b.len().min(4)];
    let valid = match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
    };
    valid.chars().next()
}

fn escape_char(c: char) -> String {
    match c {
        '\n' => "\\n".into(),
        '\r' => "\\r".into(),
        '\t' => "\\t".into(),
        '\\' => "\\\\".into(),
        '"' => "\\\"".into(),
        c if c.is_ascii_control() => format!("\\x{:02x}", c as u32),
        // C1 controls, and the two non-characters XML refuses.
        c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {
            format!("\\u{{{:x}}}", c as u32)
        }
        c => c.to_string(),
    }
}

/// 一块字节的十六进制, 每行 16 字节, 最多 `max_lines` 行。
/// A hex dump, 16 bytes a line: offset, hex, and the printable ASCII beside it.
/// At most `max_lines` lines, then one line saying how many bytes are left.
pub fn hex_dump(bytes: &[u8], max_lines: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for (n, row) in bytes.chunks(16).take(max_lines).enumerate() {
        let mut line = format!("{:04x}  ", n * 16);
        for k in 0..16 {
            match row.get(k) {
                Some(b) => {
                    let _ = write!(line, "{b:02x} ");
                }
                None => line.push_str("   "),
            }
        }
        line.push_str(" |");
        line.extend(row.iter().map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '.'
            }
        }));
        line.push('|');
        lines.push(line);
    }
    let left = bytes.len().saturating_sub(max_lines * 16);
    if left > 0 {
        lines.push(format!("… 还有 {left} 字节 ({left} more bytes)"));
    }
    lines
}

/// 一段文字在终端里占几列 (汉字占两列)。
/// Columns a string takes in a terminal: CJK characters take two.
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115f
            | 0x2e80..=0xa4cf
            | 0xac00..=0xd7a3
            | 0xf900..=0xfaff
            | 0xfe30..=0xfe4f
            | 0xff00..=0xff60
            | 0xffe0..=0xffe6 => 2,
            _ => 1,
        })
        .sum()
}

// ---------------------------------------------------------------------------
// The terminal diagram.
// ---------------------------------------------------------------------------

/// 字节往哪个方向走: 客户端到服务器 (Up), 或者反过来 (Down)。
/// Which way a chunk went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    /// 客户端 → 服务器 (client to server).
    Up,
    /// 服务器 → 客户端 (server to client).
    Down,
}

impl Dir {
    fn sender(self) -> &'static str {
        match self {
            Dir::Up => "客户端",
            Dir::Down => "服务器",
        }
    }
    fn receiver(self) -> &'static str {
        match self {
            Dir::Up => "服务器",
            Dir::Down => "客户端",
        }
    }
}

/// 两条竖线之间有多少列。
/// Columns between the two lifelines.
pub const ARROW: usize = 30;

const CYAN: &str = "\x1b[36m";
const YELLOW: &str = "\x1b[33m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const RESET: &str = "\x1b[0m";

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("{code}{text}{RESET}")
    } else {
        text.to_string()
    }
}

/// 要不要上色: 只在终端里, 而且没有设置 NO_COLOR。
/// Whether to colour the picture: only on a terminal, and never when `NO_COLOR`
/// is set to something (<https://no-color.org>; an empty value counts as unset).
pub fn wants_color(stdout_is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    stdout_is_terminal && no_color.is_none_or(|v| v.is_empty())
}

/// 每行的开头: 连接的编号和距连接建立的时间。
/// The start of every line of connection `conn`: its number and the time since
/// it opened, e.g. `#3   0.012s`.
pub fn stamp(conn: usize, at: Duration) -> String {
    format!("#{conn:<3} {:>8.3}s", at.as_secs_f64())
}

/// 两条竖线的标题 (客户端, 服务器), 每个连接打印一次。
/// The two lifelines' heads, printed once per connection under its first line.
pub fn heads(conn: usize) -> String {
    let left = "客户端 client";
    let right = "服务器 server";
    let gap = (ARROW + 4).saturating_sub(width(left) / 2 + width(right) / 2);
    format!(
        "#{conn:<3} {:>9}  {left}{}{right}",
        "",
        " ".repeat(gap.max(2))
    )
}

/// One arrow of the diagram: `│ ──── 7 字节 ───▶ │  "Michael"` for a chunk from
/// the client, `│ ◀─── 8 字节 ──── │  "Welcome!"` for one from the server.
/// `label` goes on the arrow, `after` behind the right lifeline.
pub fn arrow(conn: usize, at: Duration, dir: Dir, label: &str, after: &str, color: bool) -> String {
    let label = format!(" {label} ");
    let room = ARROW.saturating_sub(width(&label) + 1);
    let (near, far) = (room / 3, room - room / 3);
    let body = match dir {
        Dir::Up => format!("{}{label}{}▶", "─".repeat(near), "─".repeat(far)),
        Dir::Down => format!("◀{}{label}{}", "─".repeat(far), "─".repeat(near)),
    };
    let code = if dir == Dir::Up { CYAN } else { YELLOW };
    let mut line = format!("{}  │ {} │", stamp(conn, at), paint(color, code, &body));
    if !after.is_empty() {
        line.push_str("  ");
        line.push_str(after);
    }
    line
}

/// 关于连接本身的一行 (建立、关闭、出错)。
/// A line about the connection itself (opened, closed, an error), dimmed or red.
pub fn note(conn: usize, at: Duration, text: &str, color: bool, error: bool) -> String {
    let code = if error { RED } else { DIM };
    format!("{}  {}", stamp(conn, at), paint(color, code, text))
}

// ---------------------------------------------------------------------------
// Breaking boundaries.
// ---------------------------------------------------------------------------

/// `--split N`: 一块被拆成的小块, 每块最多 N 字节。
/// `--split N`: the pieces a chunk is written in, each at most `n` bytes
/// (`n` = 0 is taken as 1).
pub fn pieces(chunk: &[u8], n: usize) -> std::slice::Chunks<'_, u8> {
    chunk.chunks(n.max(1))
}

/// `read_held` 攒下的东西。
/// What [`read_held`] gathered.
#[derive(Debug, Default)]
pub struct Held {
    /// 攒下的字节是分几次读到的。
    /// How many reads the held bytes came in.
    pub reads: usize,
    /// 发送的一方是不是已经关闭了它的发送方向。
    /// Whether the sender closed its side (the held bytes still go first).
    pub eof: bool,
    /// 读的时候出的错 (先转发攒下的字节, 再算这个错)。
    /// A read that failed after some bytes were held (a reset): the held bytes
    /// still go first, then the error counts.
    pub error: Option<io::Error>,
}

/// `--coalesce`: 第一个字节到达后再等一会儿, 把这段时间到达的都攒起来, 一次转发。
/// `--coalesce`: waits for the first bytes, then keeps reading for `hold` more
/// (or until [`HOLD_CAP`] bytes), and returns everything in `held`, to be
/// forwarded in one write. `chunk` is the read buffer.
pub fn read_held(
    src: &mut TcpStream,
    chunk: &mut [u8],
    held: &mut Vec<u8>,
    hold: Duration,
) -> io::Result<Held> {
    held.clear();
    let n = loop {
        match src.read(chunk) {
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            other => break other?,
        }
    };
    if n == 0 {
        return Ok(Held {
            eof: true,
            ..Held::default()
        });
    }
    held.extend_from_slice(&chunk[..n]);
    let mut got = Held {
        reads: 1,
        ..Held::default()
    };
    let until = Instant::now() + hold;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || held.len() >= HOLD_CAP {
            break;
        }
        if let Err(e) = src.set_read_timeout(Some(left)) {
            got.error = Some(e);
            break;
        }
        match src.read(chunk) {
            Ok(0) => {
                got.eof = true;
                break;
            }
            Ok(n) => {
                held.extend_from_slice(&chunk[..n]);
                got.reads += 1;
            }
            // The time is up (Unix says WouldBlock, Windows TimedOut).
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => {
                got.error = Some(e);
                break;
            }
        }
    }
    // A socket that failed may refuse the option too; it no longer matters then.
    let restored = src.set_read_timeout(None);
    if got.error.is_none() {
        restored?;
    }
    Ok(got)
}

// ---------------------------------------------------------------------------
// The SVG.
// ---------------------------------------------------------------------------

/// 一个连接上发生的一件事 (一块数据、一边关闭、出错)。
/// One thing that happened on a connection, as the SVG draws it.
#[derive(Clone, Debug)]
pub enum Event {
    /// 一块数据: 方向, 字节数, 能读的文字, 和一句说明 (被拆开、被扣住、被截断)。
    /// A chunk: its direction, size, readable text and a note (split, held, cut).
    Data {
        dir: Dir,
        len: usize,
        text: String,
        note: String,
    },
    /// 一方关闭了自己发送的那一半: 不再发送, 但还能接收 (README 「深入」 里的 FIN)。
    /// A side closed its sending half (FIN).
    Fin(Dir),
    /// 其他事情 (出错, 连接结束)。
    /// Anything else (an error, the connection's end).
    Note(String),
}

/// 一个连接的时序图: 给 SVG 用的记录。
/// One connection's diagram.
#[derive(Clone, Debug, Default)]
pub struct Record {
    /// 连接的编号。
    pub conn: usize,
    /// 图的标题 (谁和谁)。
    pub title: String,
    /// 按时间顺序发生的事。
    pub events: Vec<(Duration, Event)>,
    /// 超过上限没有记下的事有几件。
    /// Events not kept beyond [`SVG_EVENTS`].
    pub dropped: usize,
}

impl Record {
    /// 记下一件事, 最多记那么多件。
    /// Adds an event, keeping at most [`SVG_EVENTS`].
    pub fn push(&mut self, at: Duration, event: Event) {
        if self.events.len() < SVG_EVENTS {
            self.events.push((at, event));
        } else {
            self.dropped += 1;
        }
    }
}

/// 把文字转成 XML 里安全的写法。
/// Text made safe for XML.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

const SVG_W: usize = 1000;
const LEFT_X: usize = 170;
const RIGHT_X: usize = 530;
const ROW: usize = 26;
const UP_COLOR: &str = "#1f77b4";
const DOWN_COLOR: &str = "#d62728";

/// 把记录画成一张 SVG 时序图。
/// The diagrams of `records` as one SVG document (std formatting only): a block
/// per connection with its title, two lifelines, and one labelled arrow per
/// chunk, the time on the left.
pub fn svg(records: &[Record]) -> String {
    let mut body = String::new();
    let mut y = 20;
    for rec in records {
        y += ROW;
        let _ = writeln!(
            body,
            r#"<text x="10" y="{y}" font-weight="bold">#{} {}</text>"#,
            rec.conn,
            xml_escape(&rec.title)
        );
        y += ROW;
        let top = y - 14;
        let _ = writeln!(
            body,
            r#"<text x="{LEFT_X}" y="{y}" text-anchor="middle">客户端 client</text><text x="{RIGHT_X}" y="{y}" text-anchor="middle">服务器 server</text>"#
        );
        for (at, event) in &rec.events {
            y += ROW;
            let time = format!("{:.3}s", at.as_secs_f64());
            let _ = writeln!(body, r##"<text x="10" y="{y}" fill="#888">{time}</text>"##);
            match event {
                Event::Data {
                    dir,
                    len,
                    text,
                    note,
                } => {
                    let label = if note.is_empty() {
                        format!("{len} 字节 {text}")
                    } else {
                        format!("{len} 字节 {text} ({note})")
                    };
                    svg_arrow(&mut body, y, *dir, &label);
                }
                Event::Fin(dir) => {
                    let label = format!("FIN: {}不再发送", dir.sender());
                    svg_arrow(&mut body, y, *dir, &label);
                }
                Event::Note(text) => {
                    let _ = writeln!(
                        body,
                        r##"<text x="{}" y="{y}" fill="#555" font-style="italic">{}</text>"##,
                        LEFT_X + 10,
                        xml_escape(text)
                    );
                }
            }
        }
        if rec.dropped > 0 {
            y += ROW;
            let _ = writeln!(
                body,
                r##"<text x="{}" y="{y}" fill="#555">… 另有 {} 个事件没有画出 ({} more events)</text>"##,
                LEFT_X + 10,
                rec.dropped,
                rec.dropped
            );
        }
        let bottom = y + 8;
        for x in [LEFT_X, RIGHT_X] {
            let _ = writeln!(
                body,
                r##"<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="#999" stroke-dasharray="4 3"/>"##
            );
        }
        y += 10;
    }
    let height = y + 20;
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{SVG_W}" height="{height}" viewBox="0 0 {SVG_W} {height}" font-family="monospace" font-size="13">
<defs>
<marker id="up" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{UP_COLOR}"/></marker>
<marker id="down" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{DOWN_COLOR}"/></marker>
</defs>
<rect width="100%" height="100%" fill="white"/>
{body}</svg>
"##
    )
}

fn svg_arrow(body: &mut String, y: usize, dir: Dir, label: &str) {
    let (x1, x2, color, head) = match dir {
        Dir::Up => (LEFT_X, RIGHT_X, UP_COLOR, "up"),
        Dir::Down => (RIGHT_X, LEFT_X, DOWN_COLOR, "down"),
    };
    let _ = writeln!(
        body,
        r#"<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{color}" stroke-width="1.5" marker-end="url(#{head})"/>"#
    );
    let _ = writeln!(
        body,
        // Left-aligned from the client's lifeline: a long label runs to the right,
        // never over the time column.
        r#"<text x="{}" y="{}" fill="{color}">{}</text>"#,
        LEFT_X + 12,
        y - 5,
        xml_escape(label)
    );
}

// ---------------------------------------------------------------------------
// The relay.
// ---------------------------------------------------------------------------

/// tap 的设置, 来自命令行参数。
/// What the tap does, from its flags.
#[derive(Clone, Debug)]
pub struct Options {
    /// 真正的服务器的地址 (每个连接按顺序试)。
    /// The server's addresses (tried in order for each connection).
    pub to: Vec<SocketAddr>,
    /// `--split N`: 每次最多写 N 字节。
    /// `--split N`: write in pieces of at most N bytes.
    pub split: Option<usize>,
    /// `--split` 每个小块之后停多久。
    /// The pause after each piece of `--split`.
    pub pause: Duration,
    /// `--coalesce MS`: 攒这么久再一次写出。
    /// `--coalesce MS`: hold what arrives this long, then write it at once.
    pub coalesce: Option<Duration>,
    /// `--from client|server`: 只拆或只攒这一边发出的字节。
    /// `--from client|server`: split or hold only what this side sends.
    pub only: Option<Dir>,
    /// `--hex`: 每个箭头下面加十六进制。
    /// `--hex`: a hex dump under every arrow.
    pub hex: bool,
    /// `--quiet`: 不画图 (错误照样记录)。
    /// `--quiet`: no picture (errors are still logged).
    pub quiet: bool,
    /// 图上色 (只在终端里, 没有 NO_COLOR 时)。
    /// Colour the picture (only on a terminal without `NO_COLOR`).
    pub color: bool,
    /// 连服务器最多等多久。
    /// How long connecting to the server may take.
    pub connect_timeout: Duration,
    /// `--udp-buf N`: 扮演缓冲区只有 N 字节的接收方。
    /// `--udp-buf N`: play a receiver whose buffer is N bytes: longer datagrams are cut.
    pub udp_buf: Option<usize>,
    /// `--svg FILE`: 每个连接结束时重写这个文件。
    /// `--svg FILE`: rewritten whenever a connection ends.
    pub svg: Option<PathBuf>,
}

impl Options {
    /// 转发到 `to` 的默认设置: 不拆、不攒、不画十六进制。
    /// Defaults for a relay to `to`: no splitting, no holding, no colour.
    pub fn new(to: Vec<SocketAddr>) -> Options {
        Options {
            to,
            split: None,
            pause: Duration::from_millis(1),
            coalesce: None,
            only: None,
            hex: false,
            quiet: false,
            color: false,
            connect_timeout: Duration::from_secs(5),
            udp_buf: None,
            svg: None,
        }
    }
}

/// 图和错误记录写到哪里 (终端, 或者测试里的缓冲区)。
/// Where the picture and the log lines go (stdout and stderr in the binary, a
/// buffer in tests).
pub type Sink = Box<dyn Write + Send>;

/// 一个可以共享的缓冲区, 当作 `Sink` 用 (测试读它)。
/// A shared buffer that can serve as a [`Sink`] (for tests).
#[derive(Clone, Default)]
pub struct Buffer(pub Arc<Mutex<Vec<u8>>>);

impl Buffer {
    /// 到现在为止写进来的全部, 当作文字。
    /// Everything written so far, as text.
    pub fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(|e| e.into_inner());
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut bytes = self.0.lock().unwrap_or_else(|e| e.into_inner());
        bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// 中继本身: 每个连接的线程共用它。
/// The relay: shared by every connection's threads.
pub struct Tap {
    opts: Options,
    out: Mutex<Sink>,
    err: Mutex<Sink>,
    next: AtomicUsize,
    records: Mutex<Vec<Record>>,
}

/// One TCP connection through the tap, shared by its two directions.
struct Conn {
    no: usize,
    opened: Instant,
    record: Mutex<Record>,
}

impl Tap {
    /// 用这些设置建一个 tap, 图写到 `out`, 错误写到 `err`。
    /// A tap with these options, writing its picture to `out` and errors to `err`.
    pub fn new(opts: Options, out: Sink, err: Sink) -> Arc<Tap> {
        Arc::new(Tap {
            opts,
            out: Mutex::new(out),
            err: Mutex::new(err),
            next: AtomicUsize::new(1),
            records: Mutex::new(Vec::new()),
        })
    }

    /// 它的设置。
    /// The options it runs with.
    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// One piece of the picture (one or more whole lines), in one locked write.
    fn picture(&self, text: &str) {
        if self.opts.quiet {
            return;
        }
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        let _ = out.write_all(format!("{text}\n").as_bytes());
        let _ = out.flush();
    }

    /// One error line, always written (also with `--quiet`).
    fn log(&self, text: &str) {
        let mut err = self.err.lock().unwrap_or_else(|e| e.into_inner());
        let _ = err.write_all(format!("{text}\n").as_bytes());
        let _ = err.flush();
    }

    fn server_name(&self) -> String {
        match self.opts.to.first() {
            Some(a) => a.to_string(),
            None => "(no address)".into(),
        }
    }

    /// 把 SVG 写到 `--svg` 给的文件 (先写临时名字再改名)。
    /// Writes the SVG file, if one was asked for, with every finished connection.
    /// Written to a temporary name and renamed, so a reader never sees half a file.
    pub fn write_svg(&self) -> io::Result<()> {
        let Some(path) = &self.opts.svg else {
            return Ok(());
        };
        let text = {
            let records = self.records.lock().unwrap_or_else(|e| e.into_inner());
            svg(&records)
        };
        let mut tmp = path.clone().into_os_string();
        tmp.push(".part");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)
    }

    fn keep_record(&self, record: Record) {
        if self.opts.svg.is_none() {
            return;
        }
        {
            let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
            if records.len() >= SVG_CONNS {
                return;
            }
            records.push(record);
        }
        if let Err(e) = self.write_svg() {
            self.log(&format!(
                "写 SVG 文件失败: {} (系统: {e})",
                support::advice(&e)
            ));
        }
    }

    /// 接受客户端, 为每个客户端连服务器, 两个方向各一个线程转发。
    /// Accepts clients forever; each gets a connection to the server and two
    /// threads, one per direction.
    pub fn serve_tcp(self: &Arc<Self>, listener: TcpListener) {
        loop {
            let (client, peer) = match listener.accept() {
                Ok(pair) => pair,
                Err(e) => {
                    support::accept_failed(&e);
                    continue;
                }
            };
            let no = self.next.fetch_add(1, Ordering::Relaxed);
            let tap = Arc::clone(self);
            let spawned = thread::Builder::new().spawn(move || tap.connection(no, client, peer));
            if let Err(e) = spawned {
                self.log(&format!(
                    "#{no} 无法为 {peer} 启动线程, 关闭它的连接 (系统: {e})"
                ));
            }
        }
    }

    /// Connects to the server, the first address that answers.
    fn connect_server(&self) -> io::Result<TcpStream> {
        let mut last = io::Error::new(ErrorKind::NotFound, "no address");
        for addr in &self.opts.to {
            match TcpStream::connect_timeout(addr, self.opts.connect_timeout) {
                Ok(s) => return Ok(s),
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    fn connection(self: Arc<Self>, no: usize, client: TcpStream, peer: SocketAddr) {
        let opened = Instant::now();
        let color = self.opts.color;
        let title = format!("客户端 {peer} ⇄ 服务器 {}", self.server_name());
        let mut record = Record {
            conn: no,
            title: title.clone(),
            ..Record::default()
        };
        let server = match self.connect_server() {
            Ok(s) => s,
            Err(e) => {
                let text = format!(
                    "连不上服务器 {}: {} (系统: {e}); 关闭客户端 {peer} 的连接, tap 继续等下一个",
                    self.server_name(),
                    support::advice(&e)
                );
                self.log(&note(no, opened.elapsed(), &text, false, true));
                record.push(opened.elapsed(), Event::Note(text));
                self.keep_record(record);
                return; // dropping `client` closes it
            }
        };
        // The tap must not add its own delay (Nagle) or glue `--split`'s pieces.
        let _ = client.set_nodelay(true);
        let _ = server.set_nodelay(true);
        self.picture(&format!(
            "{}\n{}",
            note(no, Duration::ZERO, &format!("新连接 {title}"), color, false),
            heads(no)
        ));
        let conn = Arc::new(Conn {
            no,
            opened,
            record: Mutex::new(record),
        });
        let clones = client
            .try_clone()
            .and_then(|c| Ok((c, server.try_clone()?)));
        let (client2, server2) = match clones {
            Ok(pair) => pair,
            Err(e) => {
                self.log(&format!("#{no} 复制套接字失败, 关闭连接 (系统: {e})"));
                return;
            }
        };
        let tap = Arc::clone(&self);
        let conn2 = Arc::clone(&conn);
        let down =
            thread::Builder::new().spawn(move || tap.pump(&conn2, Dir::Down, server2, client2));
        let down = match down {
            Ok(handle) => handle,
            Err(e) => {
                self.log(&format!("#{no} 无法启动线程, 关闭连接 (系统: {e})"));
                return;
            }
        };
        let (up_bytes, up_chunks) = self.pump(&conn, Dir::Up, client, server);
        let (down_bytes, down_chunks) = down.join().unwrap_or((0, 0));
        let at = opened.elapsed();
        let text = format!(
            "结束 closed: 客户端→服务器 {up_bytes} 字节 {up_chunks} 块, 服务器→客户端 {down_bytes} 字节 {down_chunks} 块"
        );
        let record = {
            let mut r = conn.record.lock().unwrap_or_else(|e| e.into_inner());
            r.push(at, Event::Note(text.clone()));
            std::mem::take(&mut *r)
        };
        // The SVG first: a reader who sees the closing line finds the file written.
        self.keep_record(record);
        self.picture(&note(no, at, &text, color, false));
    }

    /// Draws one chunk (before it is forwarded, so a reply is never drawn before
    /// the request that caused it).
    fn draw(&self, conn: &Conn, dir: Dir, data: &[u8], note_text: &str) {
        let at = conn.opened.elapsed();
        let text = readable(data, SHOWN);
        if self.opts.svg.is_some() {
            let mut r = conn.record.lock().unwrap_or_else(|e| e.into_inner());
            r.push(
                at,
                Event::Data {
                    dir,
                    len: data.len(),
                    text: text.clone(),
                    note: note_text.to_string(),
                },
            );
        }
        if self.opts.quiet {
            return;
        }
        let label = format!("{} 字节", data.len());
        let after = if self.opts.hex {
            note_text.to_string()
        } else if note_text.is_empty() {
            text
        } else {
            format!("{text}  ({note_text})")
        };
        let mut block = arrow(conn.no, at, dir, &label, &after, self.opts.color);
        if self.opts.hex {
            for line in hex_dump(data, HEX_LINES) {
                let _ = write!(block, "\n#{:<3} {:>9}      {line}", conn.no, "");
            }
        }
        self.picture(&block);
    }

    fn event(&self, conn: &Conn, event: Event, error: bool) {
        let at = conn.opened.elapsed();
        let line = match &event {
            Event::Fin(dir) => arrow(
                conn.no,
                at,
                *dir,
                "FIN",
                &format!(
                    "{}不再发送 (半关闭 half-close, 已转给{})",
                    dir.sender(),
                    dir.receiver()
                ),
                self.opts.color,
            ),
            Event::Note(text) => note(conn.no, at, text, self.opts.color && !error, error),
            Event::Data { .. } => String::new(),
        };
        // An error goes to stderr (also with --quiet), stamped like the picture.
        if error {
            self.log(&line);
        } else {
            self.picture(&line);
        }
        if self.opts.svg.is_some() {
            let mut r = conn.record.lock().unwrap_or_else(|e| e.into_inner());
            r.push(at, event);
        }
    }

    /// Copies one direction until its sender closes, drawing every chunk.
    /// Returns the bytes and chunks forwarded.
    fn pump(&self, conn: &Conn, dir: Dir, mut src: TcpStream, mut dst: TcpStream) -> (u64, u64) {
        let mut buf = vec![0u8; crate::CHUNK];
        let mut held = Vec::new();
        let (mut bytes, mut chunks) = (0u64, 0u64);
        let mine = self.opts.only.is_none_or(|d| d == dir);
        let (split, coalesce) = if mine {
            (self.opts.split, self.opts.coalesce)
        } else {
            (None, None)
        };
        loop {
            // 1. 读一块 (或者 --coalesce: 收集一段时间内到达的所有字节)
            let mut failed = None;
            let (data, note_text, eof): (&[u8], String, bool) = match coalesce {
                Some(hold) => match read_held(&mut src, &mut buf, &mut held, hold) {
                    Ok(h) => {
                        let n = if h.reads > 1 {
                            format!("合并了 {} 次读 held {} ms", h.reads, hold.as_millis())
                        } else {
                            String::new()
                        };
                        failed = h.error;
                        (&held[..], n, h.eof)
                    }
                    Err(e) => {
                        self.broken(conn, dir, "读", &e, &src, &dst);
                        break;
                    }
                },
                None => match src.read(&mut buf) {
                    Ok(n) => (&buf[..n], String::new(), n == 0),
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.broken(conn, dir, "读", &e, &src, &dst);
                        break;
                    }
                },
            };
            // 2. 画出来, 再转发 (--split: 分成小块, 每块一次 write, 中间停一下)
            if !data.is_empty() {
                let note_text = match split {
                    Some(n) if data.len() > n => {
                        let count = data.len().div_ceil(n);
                        format!("拆成 {count} 次写, 每次 ≤{n} 字节 split")
                    }
                    _ => note_text,
                };
                self.draw(conn, dir, data, &note_text);
                let sent = match split {
                    Some(n) => pieces(data, n).try_for_each(|piece| {
                        dst.write_all(piece)?;
                        thread::sleep(self.opts.pause);
                        Ok(())
                    }),
                    None => dst.write_all(data),
                };
                if let Err(e) = sent {
                    self.broken(conn, dir, "写", &e, &src, &dst);
                    break;
                }
                bytes += data.len() as u64;
                chunks += 1;
            }
            if let Some(e) = failed {
                self.broken(conn, dir, "读", &e, &src, &dst);
                break;
            }
            // 3. 对方关闭了发送方向: 把半关闭转给另一端 (shutdown Write), 这个方向结束
            if eof {
                self.event(conn, Event::Fin(dir), false);
                let _ = dst.shutdown(Shutdown::Write);
                break;
            }
        }
        (bytes, chunks)
    }

    /// A read or write failed: say so once. A failed read (the sender reset the
    /// connection) closes both sockets, which also ends the other direction. A
    /// failed write (the receiver is gone) ends only this direction: what the
    /// receiver sent before it left still goes the other way.
    fn broken(
        &self,
        conn: &Conn,
        dir: Dir,
        doing: &str,
        e: &io::Error,
        src: &TcpStream,
        dst: &TcpStream,
    ) {
        let whom = match (doing, dir) {
            ("读", Dir::Up) | ("写", Dir::Down) => "客户端",
            _ => "服务器",
        };
        let text = format!("{doing}{whom}出错: {} (系统: {e})", support::advice(e));
        self.event(conn, Event::Note(text), true);
        if doing == "读" {
            let _ = src.shutdown(Shutdown::Both);
            let _ = dst.shutdown(Shutdown::Both);
        } else {
            let _ = src.shutdown(Shutdown::Read);
        }
    }

    /// 转发 UDP 数据报, 每个客户端一个通向服务器的套接字, 回答送回对的客户端。
    /// Relays datagrams forever: each client address gets a socket of its own
    /// towards the server, so the server's replies can be routed back to it.
    pub fn serve_udp(self: &Arc<Self>, sock: UdpSocket) {
        let sock = Arc::new(sock);
        let clients: Arc<Mutex<HashMap<SocketAddr, UdpClient>>> = Arc::default();
        let mut buf = vec![0u8; UDP_MAX];
        loop {
            let (n, from) = match sock.recv_from(&mut buf) {
                Ok(pair) => pair,
                // Linux reports an ICMP error of an earlier send_to (a client that
                // went away) on the next receive; Windows says ConnectionReset.
                Err(e) => {
                    if !matches!(
                        e.kind(),
                        ErrorKind::Interrupted
                            | ErrorKind::ConnectionReset
                            | ErrorKind::ConnectionRefused
                    ) {
                        self.log(&format!(
                            "UDP 接收出错: {} (系统: {e})",
                            support::advice(&e)
                        ));
                        thread::sleep(Duration::from_millis(10));
                    }
                    continue;
                }
            };
            let existing = {
                let mut map = clients.lock().unwrap_or_else(|e| e.into_inner());
                map.get_mut(&from).map(|c| {
                    c.last = Instant::now();
                    (c.no, c.opened, Arc::clone(&c.up))
                })
            };
            let (no, opened, up) = match existing {
                Some(found) => found,
                None => match self.new_udp_client(from, &sock, &clients) {
                    Ok(made) => made,
                    Err(e) => {
                        self.log(&format!(
                            "为 UDP 客户端 {from} 准备套接字失败, 丢掉这个数据报 (系统: {e})"
                        ));
                        continue;
                    }
                },
            };
            let data = self.udp_draw(no, opened, Dir::Up, &buf[..n]);
            if let Err(e) = up.send(data) {
                self.log(&format!(
                    "#{no} 发给服务器 {} 失败: {} (系统: {e})",
                    self.server_name(),
                    support::advice(&e)
                ));
            }
        }
    }

    /// Draws a datagram and returns what is forwarded: all of it, or with
    /// `--udp-buf N` only what a receiver with an N-byte buffer would get.
    fn udp_draw<'a>(&self, no: usize, opened: Instant, dir: Dir, data: &'a [u8]) -> &'a [u8] {
        let at = opened.elapsed();
        let (kept, note_text) = match self.opts.udp_buf {
            Some(k) if data.len() > k => (
                &data[..k],
                format!(
                    "截断 cut: {} → {k} 字节, 其余丢失 (recvfrom({k}))",
                    data.len()
                ),
            ),
            None if data.len() > 1024 => (
                data,
                "大于 1024: 用 recvfrom(1024) 的接收方只拿到前 1024 字节 (--udp-buf 1024 看效果)"
                    .to_string(),
            ),
            _ => (data, String::new()),
        };
        if !self.opts.quiet {
            let label = format!("数据报 {} 字节", data.len());
            let text = readable(kept, SHOWN);
            let after = if note_text.is_empty() {
                text
            } else {
                format!("{text}  ({note_text})")
            };
            let mut block = arrow(no, at, dir, &label, &after, self.opts.color);
            if self.opts.hex {
                for line in hex_dump(kept, HEX_LINES) {
                    let _ = write!(block, "\n#{no:<3} {:>9}      {line}", "");
                }
            }
            self.picture(&block);
        }
        kept
    }

    fn new_udp_client(
        self: &Arc<Self>,
        from: SocketAddr,
        sock: &Arc<UdpSocket>,
        clients: &Arc<Mutex<HashMap<SocketAddr, UdpClient>>>,
    ) -> io::Result<(usize, Instant, Arc<UdpSocket>)> {
        let server = *self
            .opts
            .to
            .first()
            .ok_or_else(|| io::Error::new(ErrorKind::NotFound, "no address"))?;
        let local: SocketAddr = if server.is_ipv4() {
            ([0, 0, 0, 0], 0).into()
        } else {
            (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
        };
        let up = UdpSocket::bind(local)?;
        up.connect(server)?;
        up.set_read_timeout(Some(UDP_IDLE))?;
        let up = Arc::new(up);
        let no = self.next.fetch_add(1, Ordering::Relaxed);
        let opened = Instant::now();
        clients.lock().unwrap_or_else(|e| e.into_inner()).insert(
            from,
            UdpClient {
                no,
                opened,
                last: opened,
                up: Arc::clone(&up),
            },
        );
        self.picture(&format!(
            "{}\n{}",
            note(
                no,
                Duration::ZERO,
                &format!(
                    "新的 UDP 客户端 {from} → 服务器 {server} (tap 为它开了一个套接字 {})",
                    up.local_addr()?
                ),
                self.opts.color,
                false
            ),
            heads(no)
        ));
        let (tap, sock, clients, up2) = (
            Arc::clone(self),
            Arc::clone(sock),
            Arc::clone(clients),
            Arc::clone(&up),
        );
        thread::Builder::new()
            .spawn(move || tap.udp_replies(no, opened, from, &up2, &sock, &clients))?;
        Ok((no, opened, up))
    }

    /// Carries the server's replies for one client back to it, until the client
    /// has been idle for [`UDP_IDLE`].
    fn udp_replies(
        &self,
        no: usize,
        opened: Instant,
        client: SocketAddr,
        up: &UdpSocket,
        sock: &UdpSocket,
        clients: &Mutex<HashMap<SocketAddr, UdpClient>>,
    ) {
        let mut buf = vec![0u8; UDP_MAX];
        loop {
            match up.recv(&mut buf) {
                Ok(n) => {
                    let data = self.udp_draw(no, opened, Dir::Down, &buf[..n]);
                    if let Err(e) = sock.send_to(data, client) {
                        self.log(&format!("#{no} 转给客户端 {client} 失败 (系统: {e})"));
                    }
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    let mut map = clients.lock().unwrap_or_else(|e| e.into_inner());
                    let idle = map
                        .get(&client)
                        .is_none_or(|c| c.last.elapsed() >= UDP_IDLE);
                    if idle {
                        map.remove(&client);
                        drop(map);
                        self.picture(&note(
                            no,
                            opened.elapsed(),
                            "客户端空闲 60 秒, 不再为它转发回答",
                            self.opts.color,
                            false,
                        ));
                        return;
                    }
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                // ICMP "port unreachable": nobody listens at the server's address.
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::ConnectionRefused | ErrorKind::ConnectionReset
                    ) =>
                {
                    let text = format!(
                        "服务器 {} 没有收下数据报: {} (系统: {e}); 数据报丢了, tap 继续",
                        self.server_name(),
                        support::advice(&e)
                    );
                    self.log(&note(no, opened.elapsed(), &text, false, true));
                }
                // Anything else would likely repeat at once: forget this client
                // (its next datagram gets a fresh socket) instead of spinning.
                Err(e) => {
                    clients
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .remove(&client);
                    let text =
                        format!("接收服务器的回答出错, 不再为这个客户端转发回答 (系统: {e})");
                    self.log(&note(no, opened.elapsed(), &text, false, true));
                    return;
                }
            }
        }
    }
}

/// A UDP client the tap has seen: its number, its socket towards the server.
struct UdpClient {
    no: usize,
    opened: Instant,
    last: Instant,
    up: Arc<UdpSocket>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_escapes_and_cuts() {
        assert_eq!(readable(b"Welcome!", 48), "\"Welcome!\"");
        assert_eq!(readable(b"a\nb\r\t\\\"", 48), r#""a\nb\r\t\\\"""#);
        assert_eq!(readable(b"\x00\xff", 48), r#""\x00\xff""#);
        assert_eq!(
            readable("欢迎访问！\r\n".as_bytes(), 48),
            "\"欢迎访问！\\r\\n\""
        );
        assert_eq!(readable(b"abcdefgh", 3), "\"abc\"…(+5 字节)");
        // A character cut at the end of the chunk is shown as bytes.
        assert_eq!(readable(&"好".as_bytes()[..2], 48), r#""\xe5\xa5""#);
    }

    #[test]
    fn readable_of_a_huge_chunk_looks_only_at_its_start() {
        let big = vec![b'x'; 10 << 20];
        let shown = readable(&big, SHOWN);
        assert!(
            shown.ends_with(&format!("…(+{} 字节)", (10 << 20) - SHOWN)),
            "{shown}"
        );
    }

    #[test]
    fn hex_dump_lines_and_the_rest() {
        let lines = hex_dump(b"Welcome!", 8);
        assert_eq!(
            lines,
            ["0000  57 65 6c 63 6f 6d 65 21                          |Welcome!|"]
        );
        let lines = hex_dump(&[0u8; 100], 2);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[2], "… 还有 68 字节 (68 more bytes)");
    }

    #[test]
    fn arrows_point_the_right_way_and_have_the_same_width() {
        let up = arrow(
            1,
            Duration::from_millis(12),
            Dir::Up,
            "7 字节",
            "\"Michael\"",
            false,
        );
        let down = arrow(
            1,
            Duration::ZERO,
            Dir::Down,
            "15 字节",
            "\"Hello, Michael!\"",
            false,
        );
        assert!(
            up.contains("▶ │") && up.contains(" 7 字节 ") && up.ends_with("\"Michael\""),
            "{up}"
        );
        assert!(down.contains("│ ◀") && down.contains(" 15 字节 "), "{down}");
        assert!(up.starts_with("#1      0.012s"), "{up}");
        let cut = |s: &str| width(&s[..s.rfind('│').unwrap()]);
        assert_eq!(cut(&up), cut(&down), "\n{up}\n{down}");
        let colored = arrow(1, Duration::ZERO, Dir::Up, "1 字节", "", true);
        assert!(colored.contains("\x1b[36m") && colored.contains("\x1b[0m"));
        assert!(!up.contains('\x1b'));
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        use std::ffi::OsStr;
        assert!(wants_color(true, None));
        assert!(wants_color(true, Some(OsStr::new(""))));
        assert!(!wants_color(true, Some(OsStr::new("1"))));
        assert!(!wants_color(false, None));
    }

    #[test]
    fn pieces_are_at_most_n_bytes_and_keep_every_byte() {
        let data = b"abcdefg";
        let got: Vec<&[u8]> = pieces(data, 3).collect();
        assert_eq!(got, [&b"abc"[..], b"def", b"g"]);
        assert_eq!(pieces(data, 0).count(), 7);
    }

    #[test]
    fn read_held_gathers_two_writes_and_sees_the_end() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut tx = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let (mut rx, _) = l.accept().unwrap();
        tx.write_all(b"hello").unwrap();
        let writer = thread::spawn(move || {
            thread::sleep(Duration::from_millis(20));
            tx.write_all(b"world").unwrap();
        }); // tx is dropped here: the end of the stream
        let (mut chunk, mut held) = (vec![0u8; 1024], Vec::new());
        let got = read_held(&mut rx, &mut chunk, &mut held, Duration::from_secs(5)).unwrap();
        writer.join().unwrap();
        assert_eq!(held, b"helloworld");
        assert!(got.eof && got.reads >= 1, "{got:?}");
        assert_eq!(rx.read_timeout().unwrap(), None, "the timeout is restored");
    }

    #[test]
    fn read_held_keeps_the_bytes_that_came_before_a_reset() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut tx = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let (mut rx, _) = l.accept().unwrap();
        rx.write_all(b"never read").unwrap();
        let writer = thread::spawn(move || {
            tx.write_all(b"hello").unwrap();
            thread::sleep(Duration::from_millis(20));
            // Closing with unread bytes makes the system send a reset (RST).
        });
        let (mut chunk, mut held) = (vec![0u8; 1024], Vec::new());
        let got = read_held(&mut rx, &mut chunk, &mut held, Duration::from_secs(5)).unwrap();
        writer.join().unwrap();
        assert_eq!(held, b"hello", "the bytes before the reset are kept");
        let kind = got.error.as_ref().map(|e| e.kind());
        assert_eq!(kind, Some(ErrorKind::ConnectionReset), "{got:?}");
    }

    #[test]
    fn svg_escapes_and_balances() {
        let rec = Record {
            conn: 1,
            title: "a <b> & c".into(),
            events: vec![
                (
                    Duration::ZERO,
                    Event::Data {
                        dir: Dir::Down,
                        len: 8,
                        text: readable(b"<&\"'>", 48),
                        note: String::new(),
                    },
                ),
                (Duration::ZERO, Event::Fin(Dir::Up)),
            ],
            dropped: 0,
        };
        let doc = svg(&[rec]);
        assert!(doc.contains("a &lt;b&gt; &amp; c"));
        assert!(
            doc.contains("&quot;&lt;&amp;\\&quot;&apos;&gt;&quot;"),
            "{doc}"
        );
        assert_eq!(doc.matches("<text").count(), doc.matches("</text>").count());
        assert!(doc.trim_end().ends_with("</svg>"));
    }

    #[test]
    fn xml_escape_removes_control_characters() {
        assert_eq!(xml_escape("a\u{1}b"), "a\\x01b");
    }
}
