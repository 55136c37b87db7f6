//! Lesson 01, TCP 基础: the library behind the binaries in `src/bin/`.
//!
//! The binaries keep the socket calls; what two of them or the tests need lives
//! here once: address arithmetic for `ipaddr`, the HTTP split for `http_get`, the
//! socket method table for `socket_api`, and the small socket-option FFI.

pub mod api;
pub mod http;
pub mod ipaddr;
pub mod sockopt;
