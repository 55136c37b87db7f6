//! Lesson 04, 文件传输: the library behind the binaries in `src/bin/`.
//!
//! * [`framing`]: length-prefixed messages, the cure for 粘包 (lesson05 uses it too);
//! * [`safepath`]: which file names a download server may serve;
//! * [`upload`]: the upload header, in the text's format and in ours.

pub mod framing;
pub mod safepath;
pub mod upload;

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;

/// Saves exactly `size` bytes from `from` into the file `part` and flushes it
/// to disk. A stream that ends early is an `UnexpectedEof` error, and on any
/// error `part` is removed: callers rename it only after success, so a cut
/// transfer leaves nothing behind. Streams through a small buffer (`io::copy`),
/// so memory does not grow with `size`.
pub fn save_exact(from: &mut impl Read, part: &Path, size: u64) -> io::Result<u64> {
    let result = (|| {
        let mut out = File::create(part)?;
        let got = io::copy(&mut from.take(size), &mut out)?;
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
