//! 长度前缀 (length-prefixed frames): 粘包的标准解法。
//!
//! TCP 传的是字节流, 不是一条条消息: 两次 write 可能被一次 read 读到, 一次 write
//! 也可能分几次到达。一帧先说自己有多长: 8 字节的长度 (大端 `u64`), 然后正好那么多
//! 字节。读的一方先读满 8 字节的长度, 再读满内容, 永远不用猜一条消息在哪里结束。
//!
//! 内容很大时可以先只发长度, 再把内容流式地发出去 ([`write_len`] / [`read_len`]),
//! 什么都不必整个放进内存。
//! The standard cure for 粘包: 8 bytes of big-endian length, then the body.

use std::io::{self, ErrorKind, Read, Write};

/// 长度前缀的字节数。Bytes of the length prefix.
pub const PREFIX: usize = 8;

/// 只写长度前缀 (内容由调用者随后发送)。Writes the length prefix alone.
pub fn write_len(w: &mut impl Write, len: u64) -> io::Result<()> {
    w.write_all(&len.to_be_bytes())
}

/// 读一个长度前缀。在它之前对方就正常关闭了: `Ok(None)`; 读到一半关闭了:
/// `UnexpectedEof`。被信号打断 (`Interrupted`) 的 read 重试, 不算错误。
/// Reads a length prefix; `Ok(None)` at a clean end of stream.
pub fn read_len(r: &mut impl Read) -> io::Result<Option<u64>> {
    let mut prefix = [0u8; PREFIX];
    let mut got = 0;
    while got < PREFIX {
        match r.read(&mut prefix[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => return Err(ErrorKind::UnexpectedEof.into()),
            Ok(n) => got += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Some(u64::from_be_bytes(prefix)))
}

/// 写一整帧: 长度和内容。Writes one whole frame.
pub fn write_frame(w: &mut impl Write, body: &[u8]) -> io::Result<()> {
    write_len(w, body.len() as u64)?;
    w.write_all(body)
}

/// 读一整帧, 最多 `max` 字节。正常结束: `Ok(None)`; 帧被截断: `UnexpectedEof`;
/// 长度超过 `max`: `InvalidData` (说谎或恶意的对方不能让我们无限地分配内存)。
/// Reads one whole frame of at most `max` bytes.
pub fn read_frame(r: &mut impl Read, max: u64) -> io::Result<Option<Vec<u8>>> {
    let Some(len) = read_len(r)? else {
        return Ok(None);
    };
    if len > max {
        return Err(io::Error::new(
            ErrorKind::InvalidData,
            format!("frame of {len} bytes is over the limit of {max}"),
        ));
    }
    let mut body = vec![0u8; len as usize];
    r.read_exact(&mut body)?;
    Ok(Some(body))
}

/// 读一帧放进 `buf` (比如一个文件名), 返回它的长度。帧比 `buf` 长: `InvalidData`;
/// 对方什么也没发就关闭了, 或者帧被截断: `UnexpectedEof`。
/// Reads one frame into `buf` and returns its length (a name, say).
pub fn read_frame_into(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let Some(len) = read_len(r)? else {
        return Err(io::Error::new(
            ErrorKind::UnexpectedEof,
            "对方什么也没发就关闭了 closed before a frame",
        ));
    };
    if len > buf.len() as u64 {
        return Err(io::Error::new(
            ErrorKind::InvalidData,
            format!("frame of {len} bytes is over the limit of {}", buf.len()),
        ));
    }
    let len = len as usize;
    r.read_exact(&mut buf[..len])?;
    Ok(len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn round_trips_0_1_1024_and_1mib_back_to_back() {
        let sizes = [0usize, 1, 1024, 1 << 20];
        let mut wire = Vec::new();
        for &n in &sizes {
            write_frame(&mut wire, &vec![n as u8 ^ 0x5a; n]).unwrap();
        }
        let mut r = Cursor::new(wire);
        for &n in &sizes {
            assert_eq!(
                read_frame(&mut r, 1 << 20).unwrap().unwrap(),
                vec![n as u8 ^ 0x5a; n]
            );
        }
        assert_eq!(read_frame(&mut r, 1 << 20).unwrap(), None, "clean end");
    }

    #[test]
    fn a_truncated_frame_is_an_error_not_a_short_message() {
        let mut wire = Vec::new();
        write_frame(&mut wire, b"hello world").unwrap();
        for cut in [3, PREFIX, PREFIX + 5] {
            let err = read_frame(&mut Cursor::new(&wire[..cut]), 100).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::UnexpectedEof, "cut at {cut}");
        }
    }

    /// A reader that is interrupted by a signal before every piece it gives.
    struct Interrupted<'a> {
        data: &'a [u8],
        interrupt_next: bool,
    }

    impl Read for Interrupted<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.interrupt_next = !self.interrupt_next;
            if !self.interrupt_next {
                return Err(ErrorKind::Interrupted.into());
            }
            let n = buf.len().min(self.data.len()).min(3); // small pieces
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// A reader that plays a script of results, one per `read`, then reports the end.
    struct Script(Vec<io::Result<Vec<u8>>>);

    impl Read for Script {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Ok(0);
            }
            let bytes = self.0.remove(0)?;
            buf[..bytes.len()].copy_from_slice(&bytes);
            Ok(bytes.len())
        }
    }

    #[test]
    fn errors_other_than_an_interrupt_are_passed_up() {
        // A reset connection is an error the caller must see, not a clean end or a retry.
        let mut r = Script(vec![Ok(vec![0, 0]), Err(ErrorKind::ConnectionReset.into())]);
        let err = read_len(&mut r).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionReset, "连接被重置要报出来");
        let mut r = Script(vec![Err(ErrorKind::ConnectionReset.into())]);
        let err = read_len(&mut r).unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::ConnectionReset,
            "第一次读就出错也要报出来"
        );
    }

    #[test]
    fn an_interrupted_read_is_retried_not_an_error() {
        let mut wire = Vec::new();
        write_frame(&mut wire, b"hello").unwrap();
        let mut r = Interrupted {
            data: &wire,
            interrupt_next: true,
        };
        assert_eq!(read_frame(&mut r, 100).unwrap().unwrap(), b"hello");
    }

    #[test]
    fn a_lying_length_is_refused_before_allocating() {
        let wire = u64::MAX.to_be_bytes();
        let err = read_frame(&mut Cursor::new(wire), 1 << 20).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidData);
    }
}
