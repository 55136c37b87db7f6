//! 第 3 课 多线程并发: `src/bin/` 里的程序用到的、超出原文的部分。
//!
//! * [`socketserver`]: Python `socketserver` 模块的一个小小的 Rust 对应物 (004);
//! * [`pool`]: 固定大小的线程池, 和 Rust 书最后一章一样;
//! * [`backlog`]: 比 std 的 128 更长的等待队列, 应付一下子涌来的大量连接;
//! * 几个一行就能调用的小帮手: [`accepted`] (accept 出错时), [`logged`] (一个客户端出错时),
//!   [`or_drop_client`] (系统开不出线程时), [`py_bytes`] (像 Python 那样显示 bytes)。
//!
//! 原文的调用 (bind, listen, accept, recv, send, 开线程) 都写在各个程序里, 不在这里。
//!
//! English: what the binaries need beyond the text: a `socketserver` counterpart, a
//! thread pool, a wider listen backlog, and one-line helpers for a failed accept, a
//! failed client, a refused thread and Python's bytes repr. The text's own calls stay
//! in the binaries.

pub mod backlog;
pub mod pool;
pub mod socketserver;

use std::io;
use std::net::{SocketAddr, TcpStream};

/// accept 的结果: 成功时给出 (连接, 对方地址); 失败时记一行日志 (描述符用完时先稍停,
/// 见 `support::accept_failed`), 返回 `None`, 调用的循环 `continue` 再等下一个。
/// 原文的 accept 出错会抛异常, 整个服务器就退出了。
///
/// English: the accepted pair, or `None` after logging the error (and a short pause
/// when descriptors ran out), so the accept loop goes on.
pub fn accepted(result: io::Result<(TcpStream, SocketAddr)>) -> Option<(TcpStream, SocketAddr)> {
    result.map_err(|e| support::accept_failed(&e)).ok()
}

/// 和一个客户端的对话结束了: 出错时 (对方重置、超时…) 在 stderr 记一行, 服务器照常运行。
/// 原文的线程遇到异常会打印一大段 traceback。
///
/// English: logs a client's error in one line; the server goes on.
pub fn logged(peer: SocketAddr, result: io::Result<()>) {
    if let Err(e) = result {
        support::log_client_error(peer, &e);
    }
}

/// 运行 `spawn` (里面是一次 `thread::spawn`)。系统开不出新线程时 `thread::spawn` 会 panic;
/// 这里接住它, 记一行日志, 只放弃这个客户端 (连接随闭包一起被 drop, 也就关闭了),
/// 服务器继续 accept。原文的 `start()` 在这种情况下抛异常, 整个服务器退出。
///
/// 正式的程序用 `thread::Builder::spawn`, 它把失败作为 `Err` 返回; 本课写原文对应的
/// `thread::spawn`, 把失败的处理放在这里。
///
/// English: runs `spawn` (a `thread::spawn`); when the OS refuses the thread, the
/// panic is caught and logged in one line, the client is dropped and the server goes on.
pub fn or_drop_client<T>(peer: SocketAddr, spawn: impl FnOnce() -> T) {
    if let Err(why) = support::catch_refused_thread(spawn) {
        eprintln!("客户端 {peer}: 系统开不出新线程, 只好放弃这个客户端 (系统: {why})");
    }
}

/// 像 Python 的 `repr(bytes)` 那样显示字节, 例如 `b'hello'`、`b"it's"`、`b'\xe4\xbd\xa0'`:
/// 原文 `print('收到客户端的消息是', data)` 打印的就是这个。
///
/// Python 的规则: 字节里有 `'` 而没有 `"` 时用双引号括起来, 否则用单引号 (这时 `'` 写成
/// `\'`); `\\`、`\t`、`\n`、`\r` 写成转义; 其余 32 到 126 的字节原样; 别的写成 `\xhh`
/// (两位小写十六进制)。Rust 的 `escape_ascii` 规则不同 (它总是转义引号), 所以自己写。
///
/// English: Python's `repr(bytes)`: double quotes when the bytes hold `'` but no `"`,
/// else single quotes with `\'`; `\\ \t \n \r`; printable ASCII as is; `\xhh` otherwise.
pub fn py_bytes(bytes: &[u8]) -> String {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(bytes.len() + 3);
    out.push('b');
    out.push(quote);
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\'' if quote == '\'' => out.push_str("\\'"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::py_bytes;

    /// 每一行右边都是 Python 3 里 `repr(左边的 bytes)` 打印出来的样子。
    #[test]
    fn py_bytes_prints_what_python_s_repr_prints() {
        let cases: &[(&[u8], &str)] = &[
            (b"hello", "b'hello'"),
            (b"", "b''"),
            (b"it's", "b\"it's\""),
            (b"say \"hi\"", "b'say \"hi\"'"),
            (b"it's \"x\"", "b'it\\'s \"x\"'"),
            (b"a\\b", "b'a\\\\b'"),
            (b"\t\n\r", "b'\\t\\n\\r'"),
            (b"\x00\x7f\x1b", "b'\\x00\\x7f\\x1b'"),
            ("你好".as_bytes(), "b'\\xe4\\xbd\\xa0\\xe5\\xa5\\xbd'"),
            (b"~ !", "b'~ !'"),
        ];
        for (bytes, python) in cases {
            assert_eq!(
                &py_bytes(bytes),
                python,
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
}
