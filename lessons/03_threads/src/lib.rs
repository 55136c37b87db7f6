//! 第 3 课 多线程并发: `src/bin/` 里的程序用到的、超出原文的部分。
//!
//! * [`socketserver`]: Python `socketserver` 模块的一个小小的 Rust 对应物 (004);
//! * [`pool`]: 固定大小的线程池, 和 Rust 书最后一章一样;
//! * [`backlog`]: 比 std 的 128 更长的 listen 队列, 应付突发的大量连接。
//!
//! 原文的调用 (bind, listen, accept, recv, send, 开线程) 都写在各个程序里, 不在这里。
//!
//! English: what the binaries need beyond the text: a `socketserver` counterpart, a
//! thread pool, and a wider listen backlog. The text's own calls stay in the binaries.

pub mod backlog;
pub mod pool;
pub mod socketserver;
