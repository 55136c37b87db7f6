//! Lesson 04, 文件传输: the library behind the binaries in `src/bin/`.
//!
//! * [`framing`]: length-prefixed messages, the cure for 粘包 (lesson05 uses it too);
//! * [`safepath`]: which file names a download server may serve;
//! * [`upload`]: the upload header, in the text's format and in ours.

pub mod framing;
pub mod safepath;
pub mod upload;

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

/// How much one read from the socket may fetch when saving a file. `io::copy`
/// alone reads 8 KiB at a time; a 1 MiB buffer makes 128 times fewer read and
/// write calls for the same bytes (the lesson README has the measurement).
pub const RECEIVE_BUFFER: usize = 1 << 20;

/// Copies everything `from` gives into `to` through a [`RECEIVE_BUFFER`]-sized
/// buffer and flushes it. (`io::copy` reads straight into a `BufWriter`'s buffer,
/// so there is no second copy.) Memory stays at one buffer whatever the size.
pub fn receive(from: &mut impl Read, to: &mut File) -> io::Result<u64> {
    let mut out = BufWriter::with_capacity(RECEIVE_BUFFER, to);
    let got = io::copy(from, &mut out)?;
    out.flush()?;
    Ok(got)
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
