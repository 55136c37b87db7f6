//! 窃听器 wiretap: 站在客户端和服务器中间, 把每个连接画成时序图, 还能故意制造粘包。
//! 原文之外的工具 (beyond the texts): 它让 003 「粘包现象」 讲的事情看得见。
//!
//! 运行 (以 lesson04 的下载为例, 三个终端):
//!   终端 1: cargo run -p lesson04 --bin download_server -- --root .
//!   终端 2: cargo run -p lesson04 --bin wiretap -- --port 9000 --to 127.0.0.1:7890
//!   终端 3: cargo run -p lesson04 --bin download_client -- --host 127.0.0.1 --port 9000 --name Cargo.toml
//! 客户端连 tap, tap 再连服务器, 两个方向的字节原样转发, 直到两边都关闭; 一边只关闭
//! 发送方向 (半关闭 half-close, `shutdown(Write)`) 时, tap 也只对另一边做半关闭。
//!
//! 画出来的是 tap 每次 `read` 得到、再 `write` 给另一边的一块 (chunk): 距连接建立的时间,
//! 字节数, 可读的内容 (可打印的原样, `\n` 等转义, 太长的截断并注明还剩多少字节);
//! `--hex` 加十六进制; `--svg FILE` 把同样的图写成 SVG (每个连接结束时重写)。
//!
//! 故意打破边界:
//! * `--split N`: 每块拆成最多 N 字节的小块, 每小块单独一次 write, 中间停 `--pause` 毫秒;
//!   只读一次就以为收到整条消息的程序 (原文的服务器) 会只拿到一部分。
//! * `--coalesce MS`: 第一个字节到达后再等 MS 毫秒, 把这段时间到达的全部一次 write 出去;
//!   原文的上传头和文件数据就一定粘在一起。
//! * `--from client` / `--from server`: 只拆 (或合并) 这一边发出的字节, 另一个方向原样转发。
//! * `--udp`: 转发数据报, 每个数据报一个箭头: 边界一直都在; 每个客户端在 tap 上有自己的
//!   套接字通向服务器, 回答因此能送回对的客户端。`--udp-buf N` 扮演一个缓冲区只有 N 字节的
//!   接收方: 更长的数据报被截断, 多出的部分丢失 (像 `recvfrom(N)`)。
//!
//! 连不上服务器 (拒绝或消失) 时, tap 打印一行原因, 关闭这个客户端的连接, 继续等下一个。
//! 转发的代码在 `lesson04::wiretap` 里, lesson05 的测试也用它。生产环境里做这件事的是
//! Wireshark / tcpdump (看) 和 toxiproxy (制造故障)。
//!
//! English: a relay between a client and a server that draws every connection as a
//! sequence diagram (terminal, `--svg`), and breaks message boundaries on purpose
//! (`--split`, `--coalesce`) so that 粘包 happens every time instead of by luck.

use lesson04::wiretap::{self, Dir, Options, Tap};
use std::io::{self, IsTerminal};
use std::net::{TcpListener, UdpSocket};
use std::path::PathBuf;
use std::time::Duration;
use support::{announce, bind_failed, fail, parse_port, Cli, OrExit};

const HELP: &str = "
wiretap: 在客户端和服务器之间转发, 把每个连接画成时序图; 可以故意拆开或合并数据。
wiretap: relay between a client and a server, drawing each connection as a sequence diagram.

用法 usage: wiretap [--host H] [--port P] [--to HOST:PORT] [--split N [--pause MS] | --coalesce MS]
                    [--from client|server] [--hex] [--svg FILE] [--quiet] [--udp [--udp-buf N]] [--timeout SECS]
  --host H         tap 监听的地址 listen on (默认 default 127.0.0.1)
  --port P         tap 监听的端口 (默认 default 9000; 0 由系统选)
  --to HOST:PORT   真正的服务器 the real server (默认 default 127.0.0.1:7890)
  --split N        拆成最多 N 字节的小块, 每块一次 write forward in pieces of at most N bytes
  --pause MS       --split 每块之后停多久 pause after each piece (默认 default 1)
  --coalesce MS    收集 MS 毫秒内到达的字节, 一次 write 出去 hold MS ms, forward in one write
  --from SIDE      只拆/合并 client 或 server 发出的字节 split or hold only what SIDE sends
  --hex            每块下面加十六进制 a hex dump under every chunk
  --svg FILE       把时序图写成 SVG write the diagram as SVG
  --quiet          不画图 (错误照样报告) no picture, errors still reported
  --udp            转发 UDP 数据报 relay UDP datagrams
  --udp-buf N      扮演缓冲区只有 N 字节的接收方: 更长的数据报被截断 cut longer datagrams to N
  --timeout SECS   连接服务器最多等多久 connecting to the server (默认 default 5)
颜色只在终端里出现, 设置了 NO_COLOR 时没有颜色。 Colour only on a terminal, never with NO_COLOR.
";

/// `HOST:PORT` (an IPv6 host in brackets: `[::1]:7890`) split in two.
fn host_port(text: &str) -> (String, u16) {
    let Some((host, port)) = text.rsplit_once(':') else {
        fail(format_args!(
            "--to 要写成 HOST:PORT, 例如 127.0.0.1:7890, 而不是 `{text}`"
        ));
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    (host.to_string(), parse_port(port))
}

/// A positive whole number for `flag`, or one clear line.
fn positive(flag: &str, text: Option<String>) -> Option<usize> {
    text.map(|t| match t.trim().parse::<usize>() {
        Ok(n) if n > 0 => n,
        _ => fail(format_args!("{flag} 必须是大于 0 的整数, 而不是 `{t}`")),
    })
}

/// Milliseconds for `flag` (0 allowed), or one clear line.
fn millis(flag: &str, text: Option<String>) -> Option<Duration> {
    text.map(|t| match t.trim().parse::<u64>() {
        Ok(ms) => Duration::from_millis(ms),
        Err(_) => fail(format_args!(
            "{flag} 必须是毫秒数 (不小于 0 的整数), 而不是 `{t}`"
        )),
    })
}

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(9000);
    let to = cli.value("--to").unwrap_or_else(|| "127.0.0.1:7890".into());
    let split = positive("--split", cli.value("--split"));
    let pause = millis("--pause", cli.value("--pause"));
    let coalesce = millis("--coalesce", cli.value("--coalesce"));
    let only = cli.value("--from").map(|side| match side.as_str() {
        "client" => Dir::Up,
        "server" => Dir::Down,
        _ => fail(format_args!(
            "--from 只能是 client 或 server, 而不是 `{side}`"
        )),
    });
    let hex = cli.switch("--hex");
    let svg = cli.value("--svg").map(PathBuf::from);
    let quiet = cli.switch("--quiet");
    let udp = cli.switch("--udp");
    let udp_buf = positive("--udp-buf", cli.value("--udp-buf"));
    let timeout = cli.timeout(5.0);
    cli.done();
    if split.is_some() && coalesce.is_some() {
        fail("--split 和 --coalesce 只能选一个 (choose one)");
    }
    if udp && (split.is_some() || coalesce.is_some()) {
        fail("--split 和 --coalesce 只用于 TCP: UDP 的数据报不能拆也不能合并");
    }
    if udp_buf.is_some() && !udp {
        fail("--udp-buf 只用于 --udp");
    }

    let (to_host, to_port) = host_port(&to);
    let mut opts = Options::new(support::resolve(&to_host, to_port));
    opts.split = split;
    opts.pause = pause.unwrap_or(opts.pause);
    opts.coalesce = coalesce;
    opts.only = only;
    opts.hex = hex;
    opts.svg = svg;
    opts.quiet = quiet;
    opts.udp_buf = udp_buf;
    opts.connect_timeout = timeout;
    // 颜色: 只在终端里, 而且没有设置 NO_COLOR (https://no-color.org)
    opts.color = wiretap::wants_color(
        io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    let tap = Tap::new(opts, Box::new(io::stdout()), Box::new(io::stderr()));
    // 先写一个空图: 写不了的路径现在就报错, 而不是等第一个连接结束
    if let Some(path) = &tap.options().svg {
        tap.write_svg()
            .or_exit(format_args!("写 SVG 文件 {}", path.display()));
    }

    if udp {
        // --udp: 创建 UDP 套接字并绑定 (bind)
        let sock =
            UdpSocket::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
        announce("udp", sock.local_addr().or_exit("读取监听地址"));
        println!("转发到 relaying to udp://{to}");
        // 收数据报, 转给服务器; 服务器的回答送回原来的客户端
        tap.serve_udp(sock);
    } else {
        // TCP: 创建套接字, 绑定, 监听 (std 的 bind 一步完成)
        let listener = TcpListener::bind((host.as_str(), port))
            .unwrap_or_else(|e| bind_failed(&host, port, e));
        announce("tcp", listener.local_addr().or_exit("读取监听地址"));
        println!("转发到 relaying to tcp://{to}");
        // 接受客户端, 为每个客户端连接服务器, 两个方向各一个线程转发
        tap.serve_tcp(listener);
    }
}
