//! 002 的套接字方法表, 每行配上做同一件事的 std 调用。
//!
//! 002's table of socket methods, with the std call that does the same job.
//!
//! `socket_api` walks this table over loopback and prints, row by row, what the
//! std call did; the lesson README holds the same table as text.

/// 表的一行: Python 的方法, std 里对应的调用, 和我们自己写的一句说明。
/// One row: the Python method, its std counterpart, and a note in our own words.
pub struct Row {
    /// Python 的写法, 如 `s.recv(bufsize)`。
    pub python: &'static str,
    /// std 里做同一件事的调用。
    pub std: &'static str,
    /// 一句说明: 两边有什么不同。
    pub note: &'static str,
}

const fn row(python: &'static str, std: &'static str, note: &'static str) -> Row {
    Row { python, std, note }
}

/// 按 002 的顺序排的整张表: 先是服务器的方法, 再是客户端的, 最后是两边都用的。
/// The table in 002's order: server calls, client calls, then the common ones.
pub const TABLE: &[Row] = &[
    row(
        "s.bind(addr)",
        "TcpListener::bind(addr)",
        "std 一次完成 socket+bind+listen",
    ),
    row(
        "s.listen(backlog)",
        "(包含在 TcpListener::bind 里)",
        "std 在 bind 里用 backlog 128; 要改就在同一个套接字上再 listen 一次 (lesson03 的 --backlog)",
    ),
    row(
        "s.accept()",
        "listener.accept()",
        "阻塞, 返回 (TcpStream, SocketAddr)",
    ),
    row(
        "s.connect(addr)",
        "TcpStream::connect(addr)",
        "失败时返回 Err, 不抛异常",
    ),
    row(
        "s.connect_ex(addr)",
        "TcpStream::connect(addr) 的 Err",
        "std 没有错误码版本: Result 本身就是",
    ),
    row(
        "s.recv(1024)",
        "stream.read(&mut [0; 1024])",
        "返回读到的字节数, 0 表示对方已关闭",
    ),
    row(
        "s.send(data)",
        "stream.write(data)",
        "可能只写出一部分, 返回写出的字节数",
    ),
    row(
        "s.sendall(data)",
        "stream.write_all(data)",
        "循环直到全部写出或出错",
    ),
    row(
        "s.recvfrom(1024)",
        "udp.recv_from(&mut [0; 1024])",
        "返回 (字节数, 发送方地址)",
    ),
    row(
        "s.sendto(data, addr)",
        "udp.send_to(data, addr)",
        "一次调用就是一个数据报",
    ),
    row(
        "s.close()",
        "drop(stream) / stream.shutdown(Both)",
        "离开作用域自动关闭",
    ),
    row("s.getpeername()", "stream.peer_addr()", "对方的 (ip, port)"),
    row(
        "s.getsockname()",
        "stream.local_addr()",
        "自己的 (ip, port), 端口 0 时可知系统选的端口",
    ),
    row(
        "s.setsockopt(...)",
        "set_nodelay / set_ttl / set_broadcast ...",
        "std 只提供有类型的常用选项; 其余用 socket2",
    ),
    row(
        "s.getsockopt(...)",
        "nodelay() / ttl() ...; 其余见 sockopt 模块",
        "sockopt 模块用 extern \"C\" 读 SO_REUSEADDR",
    ),
    row(
        "s.settimeout(t)",
        "set_read_timeout / set_write_timeout",
        "超时后 read 返回 WouldBlock 或 TimedOut",
    ),
    row(
        "s.gettimeout()",
        "read_timeout() / write_timeout()",
        "None 表示一直等待",
    ),
    row(
        "s.fileno()",
        "stream.as_raw_fd() (Unix) / as_raw_socket() (Windows)",
        "操作系统的描述符编号",
    ),
    row(
        "s.setblocking(False)",
        "stream.set_nonblocking(true)",
        "没有数据时 read 返回 WouldBlock",
    ),
    row(
        "s.makefile()",
        "BufReader::new(stream) / BufWriter::new(stream)",
        "TcpStream 本身就实现 Read 和 Write",
    ),
];

#[cfg(test)]
mod tests {
    #[test]
    fn every_method_of_the_texts_table_is_there_once() {
        let names = [
            "bind",
            "listen",
            "accept",
            "connect",
            "connect_ex",
            "recv",
            "send",
            "sendall",
            "recvfrom",
            "sendto",
            "close",
            "getpeername",
            "getsockname",
            "setsockopt",
            "getsockopt",
            "settimeout",
            "gettimeout",
            "fileno",
            "setblocking",
            "makefile",
        ];
        assert_eq!(super::TABLE.len(), names.len());
        for (row, name) in super::TABLE.iter().zip(names) {
            assert!(
                row.python.starts_with(&format!("s.{name}(")),
                "{}",
                row.python
            );
        }
    }
}
