//! Lesson 04, 文件传输: the library behind the binaries in `src/bin/`.
//!
//! * [`framing`]: length-prefixed messages, the cure for 粘包 (lesson05 uses it too);
//! * [`safepath`]: which file names a download server may serve;
//! * [`upload`]: the upload header, in the text's format and in ours.
//! * [`wiretap`]: the relay that draws each connection (the `wiretap` tool).

pub mod framing;
pub mod safepath;
pub mod upload;
pub mod wiretap;

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

/// How much one read may fetch when a file crosses the socket, either way.
/// `io::copy` alone reads 8 KiB at a time; a 1 MiB buffer makes 128 times fewer
/// read and write calls for the same bytes (the lesson README has the numbers).
pub const CHUNK: usize = 1 << 20;

/// Copies everything `from` gives into `to` through a [`CHUNK`]-sized buffer
/// and flushes it. (`io::copy` reads straight into a `BufWriter`'s buffer,
/// so there is no second copy.) Memory stays at one buffer whatever the size.
pub fn receive(from: &mut impl Read, to: &mut File) -> io::Result<u64> {
    let mut out = BufWriter::with_capacity(CHUNK, to);
    let got = io::copy(from, &mut out)?;
    out.flush()?;
    Ok(got)
}

/// Sends at most `size` bytes of `from` (a file) to `to` (a socket) through one
/// [`CHUNK`]-sized buffer; returns how many were sent, fewer only if the
/// file got shorter meanwhile.
///
/// Why not `io::copy`: on Linux it sends a file with `sendfile`, which copies
/// nothing through our memory but goes through the kernel in 64 KiB pieces. Over
/// loopback, 1 MiB reads and writes measured faster (the lesson README has the
/// numbers), and the buffer is still a fixed 1 MiB whatever the file's size.
pub fn send(from: &mut impl Read, to: &mut impl Write, size: u64) -> io::Result<u64> {
    let mut buf = vec![0u8; CHUNK];
    let mut sent = 0u64;
    while sent < size {
        let want = (size - sent).min(buf.len() as u64) as usize;
        let n = from.read(&mut buf[..want])?;
        if n == 0 {
            break;
        }
        to.write_all(&buf[..n])?;
        sent += n as u64;
    }
    Ok(sent)
}

/// Saves exactly `size` bytes from `from` into the file `part` and flushes it
/// to disk. A stream that ends early is an `UnexpectedEof` error, and on any
/// error `part` is removed: callers rename it only after success, so a cut
/// transfer leaves nothing behind. Streams through one buffer ([`receive`]), so
/// memory does not grow with `size`.
pub fn save_exact(from: &mut impl Read, part: &Path, size: u64) -> io::Result<u64> {
    let result = (|| {
        let mut out = File::create(part)?;
        let got = receive(&mut from.take(size), &mut out)?;
        if got < size {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("只收到 {got} / {size} 字节"),
            ));
        }
        out.sync_all()?;
        Ok(got)
    })();
    if result.is_err() {
        let _ = fs::remove_file(part);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_stops_at_size_and_at_the_end_of_the_file() {
        let data: Vec<u8> = (0..3 * CHUNK + 5).map(|i| (i % 251) as u8).collect();
        let mut out = Vec::new();
        assert_eq!(
            send(&mut &data[..], &mut out, data.len() as u64).unwrap(),
            data.len() as u64
        );
        assert_eq!(out, data, "every byte, across several buffers");

        out.clear();
        let cut = CHUNK as u64 + 7;
        assert_eq!(send(&mut &data[..], &mut out, cut).unwrap(), cut);
        assert_eq!(out, &data[..cut as usize], "no byte past size");

        out.clear();
        let shorter = &data[..10];
        assert_eq!(send(&mut { shorter }, &mut out, 1000).unwrap(), 10);
        assert_eq!(out, shorter, "a file that got shorter sends what it has");
    }
}
