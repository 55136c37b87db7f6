//! Python `socketserver` 模块的一个小小的 Rust 对应物, 够 004 「socketserver实现并发」 用:
//! 有 `setup` / `handle` / `finish` 的处理器, 和一个多线程 TCP 服务器, 带
//! `server_address()`、`serve_forever()` 和 `shutdown()`。
//!
//! ```no_run
//! use lesson03::socketserver::{BaseRequestHandler, Request, ThreadingTCPServer};
//! use std::io::{self, Read, Write};
//!
//! struct MyServer;
//! impl BaseRequestHandler for MyServer {
//!     fn handle(&mut self, req: &mut Request) -> io::Result<()> {
//!         let mut buf = [0u8; 1024];
//!         let n = req.request.read(&mut buf)?;
//!         req.request.write_all(&buf[..n].to_ascii_uppercase())
//!     }
//! }
//! let server = ThreadingTCPServer::new("127.0.0.1:8080", || MyServer).unwrap();
//! server.serve_forever();
//! ```
//!
//! 和 Python 不同之处, 以及原因:
//! * Python 传一个类, 每个连接造一个处理对象; 这里传一个造处理对象的闭包
//!   (`|| MyServer`), 闭包还可以带上共享的状态。
//! * `allow_reuse_address` 不能选: std 的 `TcpListener::bind` 一步完成创建、绑定和监听,
//!   中间没有机会设置选项 (在 Unix 上 std 总是打开它, 和 Python 的 `ThreadingTCPServer` 一样;
//!   为什么, 见本课 README 的 「深入」)。需要控制时用 `socket2` crate。
//! * `request_queue_size` (最多多少个连接排队等 accept) 是一个方法
//!   [`set_request_queue_size`](ThreadingTCPServer::set_request_queue_size), 在构造之后调用:
//!   那时 std 已经定好了 128 (Python 默认是 5), 而 Unix 允许再改一次 (见 [`crate::backlog`]);
//!   Windows 不允许。
//! * `shutdown()` 要叫醒阻塞在 `accept` 里的线程, std 没法打断它; 所以它先立一个标志,
//!   再自己连一下服务器。Python 则用 `select` 每半秒看一次。正式的服务器用非阻塞套接字和
//!   事件循环 (mio, tokio), 停止只是又一个事件。
//! * 每个连接一个线程, 和 `ThreadingMixIn` 一样: 简单, 几百个客户端没问题; 几万个要用
//!   线程池或异步 I/O。
//!
//! English: Python's names where Rust allows; a closure builds the handler;
//! `allow_reuse_address` cannot be chosen with std; `set_request_queue_size` re-listens
//! (Unix only); `shutdown` wakes the blocked `accept` by connecting to itself.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

/// 处理器拿到的一个连接: Python 的 `self.request` 和 `self.client_address`。
pub struct Request {
    /// 和这个客户端的连接 (Python 的 `self.request`)。
    pub request: TcpStream,
    /// 客户端的地址 (Python 的 `self.client_address`)。
    pub client_address: SocketAddr,
}

/// Python 的 `BaseRequestHandler`: 先 `setup`, 再 `handle`, 最后 `finish`;
/// `handle` 出错时 `finish` 照样运行 (Python 在 `finally` 里调用它)。
pub trait BaseRequestHandler: Send + 'static {
    /// `handle` 之前调用一次; 默认什么也不做。出错时不再调用 `handle` 和 `finish`。
    fn setup(&mut self, _req: &mut Request) -> io::Result<()> {
        Ok(())
    }
    /// 和这个客户端的整段对话 (原文的 `handle`)。出错时模块记一行日志。
    fn handle(&mut self, req: &mut Request) -> io::Result<()>;
    /// `handle` 之后调用一次, 不管 `handle` 成功与否; 默认什么也不做。
    fn finish(&mut self, _req: &mut Request) {}
}

/// Python 的 `socketserver.ThreadingTCPServer`: 每个连接一个线程。
pub struct ThreadingTCPServer {
    listener: TcpListener,
    address: SocketAddr,
    /// 为每个连接造一个处理器; 装进 Box 后服务器的类型里就没有闭包的类型,
    /// 可以直接写成 `ThreadingTCPServer`。
    make_handler: Arc<MakeHandler>,
    stop: AtomicBool,
    /// `serve_forever` 是否在运行, 以及它停下时的通知。
    serving: Mutex<bool>,
    stopped: Condvar,
}

/// 造处理器的函数, 装在 Box 里 (类型擦除)。
type MakeHandler = dyn Fn() -> Box<dyn BaseRequestHandler> + Send + Sync;

impl ThreadingTCPServer {
    /// 绑定并开始监听, 和 Python 的构造函数默认做的一样。
    pub fn new<F, H>(address: impl ToSocketAddrs, make_handler: F) -> io::Result<Self>
    where
        F: Fn() -> H + Send + Sync + 'static,
        H: BaseRequestHandler,
    {
        let listener = TcpListener::bind(address)?;
        let address = listener.local_addr()?;
        Ok(ThreadingTCPServer {
            listener,
            address,
            make_handler: Arc::new(move || Box::new(make_handler()) as Box<dyn BaseRequestHandler>),
            stop: AtomicBool::new(false),
            serving: Mutex::new(false),
            stopped: Condvar::new(),
        })
    }

    /// Python 的 `request_queue_size`: 最多有多少个连接可以排队等 `accept`。
    /// 预计会有突发的大量客户端时, 在 `serve_forever` 之前调用。只在 Unix 上有效,
    /// 其他系统返回 `ErrorKind::Unsupported`。
    pub fn set_request_queue_size(&self, size: u32) -> io::Result<()> {
        crate::backlog::set_backlog(&self.listener, size)
    }

    /// 真正绑定的地址: 用端口 0 时, 就是系统选的端口。
    pub fn server_address(&self) -> SocketAddr {
        self.address
    }

    /// 接受连接, 直到 [`shutdown`](Self::shutdown); 每个连接在自己的线程里处理。
    /// accept 或开线程失败时记一行日志, 循环继续 (描述符用完时先稍停)。
    pub fn serve_forever(&self) {
        *self.serving.lock().unwrap_or_else(|e| e.into_inner()) = true;
        while !self.stop.load(Ordering::SeqCst) {
            let (stream, client_address) = match self.listener.accept() {
                Ok(pair) => pair,
                Err(e) => {
                    support::accept_failed(&e);
                    continue;
                }
            };
            if self.stop.load(Ordering::SeqCst) {
                break; // 这个连接是 shutdown() 叫醒 accept 用的
            }
            let make_handler = Arc::clone(&self.make_handler);
            let spawned = thread::Builder::new()
                .name(format!("client {client_address}"))
                .spawn(move || {
                    let mut req = Request {
                        request: stream,
                        client_address,
                    };
                    let mut handler = make_handler();
                    if let Err(e) = handler.setup(&mut req) {
                        support::log_client_error(client_address, &e);
                        return;
                    }
                    if let Err(e) = handler.handle(&mut req) {
                        support::log_client_error(client_address, &e);
                    }
                    handler.finish(&mut req);
                });
            if let Err(e) = spawned {
                // 这个连接被丢掉 (关闭); 服务器继续
                support::log_client_error(client_address, &e);
            }
        }
        *self.serving.lock().unwrap_or_else(|e| e.into_inner()) = false;
        self.stopped.notify_all();
    }

    /// 让 `serve_forever` 停下, 并等它返回。正在处理的连接在各自的线程里做完。
    /// drop 服务器才会释放端口。
    pub fn shutdown(&self) {
        self.stop.store(true, Ordering::SeqCst);
        // 叫醒可能阻塞着的 accept(): 自己连自己。绑定 0.0.0.0 的服务器从回环地址连
        let mut wake = self.address;
        if wake.ip().is_unspecified() {
            wake.set_ip(if wake.is_ipv4() {
                [127, 0, 0, 1].into()
            } else {
                std::net::Ipv6Addr::LOCALHOST.into()
            });
        }
        let _ = TcpStream::connect(wake);
        let mut serving = self.serving.lock().unwrap_or_else(|e| e.into_inner());
        while *serving {
            serving = self
                .stopped
                .wait(serving)
                .unwrap_or_else(|e| e.into_inner());
        }
    }
}
