//! 长度前缀 (length-prefixed frames): the standard cure for 粘包.
//!
//! TCP delivers a stream of bytes, not messages: two writes may arrive in one
//! read, one write in several. A frame says how long it is before it says anything
//! else: 8 bytes of length (big-endian `u64`), then exactly that many bytes. The
//! reader reads the length with `read_exact`, then the body with `read_exact`, and
//! never has to guess where a message ends.
//!
//! For large bodies the length can be sent first and the body streamed after it
//! ([`write_len`] / [`read_len`]), so nothing has to fit in memory.

use std::io::{self, ErrorKind, Read, Write};

/// Bytes of the length prefix.
pub const PREFIX: usize = 8;

/// Writes the length prefix alone (the body follows, streamed by the caller).
pub fn write_len(w: &mut impl Write, len: u64) -> io::Result<()> {
    w.write_all(&len.to_be_bytes())
}

/// Reads a length prefix. `Ok(None)` when the stream ends cleanly before it;
/// `UnexpectedEof` when it ends inside the prefix.
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

/// Writes one whole frame: prefix and body.
pub fn write_frame(w: &mut impl Write, body: &[u8]) -> io::Result<()> {
    write_len(w, body.len() as u64)?;
    w.write_all(body)
}

/// Reads one whole frame of at most `max` bytes. `Ok(None)` at a clean end of
/// stream; `UnexpectedEof` for a frame cut short; `InvalidData` for a length over
/// `max` (a lying or hostile peer must not make us allocate without bound).
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
    fn a_read_interrupted_by_a_signal_is_retried_other_errors_are_not() {
        // EINTR (a signal arrived during the read) is no error of the peer: read again.
        let mut r = Script(vec![
            Ok(vec![0, 0, 0]),
            Err(ErrorKind::Interrupted.into()),
            Ok(vec![0, 0, 0, 0, 5]),
        ]);
        assert_eq!(read_len(&mut r).unwrap(), Some(5), "EINTR 之后应该接着读");
        // A reset connection is an error the caller must see, not a clean end.
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
    fn a_lying_length_is_refused_before_allocating() {
        let wire = u64::MAX.to_be_bytes();
        let err = read_frame(&mut Cursor::new(wire), 1 << 20).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidData);
    }
}
