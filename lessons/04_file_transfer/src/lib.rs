//! Lesson 04, 文件传输: the library behind the binaries in `src/bin/`.
//!
//! * [`framing`]: length-prefixed messages, the cure for 粘包 (lesson05 uses it too);
//! * [`safepath`]: which file names a download server may serve;
//! * [`upload`]: the upload header, in the text's format and in ours.

pub mod framing;
pub mod safepath;
pub mod upload;
