//! A small Rust counterpart of Python's `socketserver`, as 004 「socketserver实现并发」
//! uses it: a handler with `setup` / `handle` / `finish`, and a threading TCP server
//! with `server_address()`, `serve_forever()` and `shutdown()`.
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
//! What differs from Python, and why:
//! * Python passes a class and builds one handler per connection; we pass a closure
//!   that builds one (`|| MyServer`), which may also capture shared state.
//! * `allow_reuse_address` is not a choice: std's `TcpListener::bind` creates,
//!   binds and listens in one call, so no option can be set in between. On Unix it
//!   always sets SO_REUSEADDR (Python's `ThreadingTCPServer` sets it too, via
//!   `allow_reuse_address = True`); on Windows it never does. The `socket2` crate
//!   gives that control back when a program needs it.
//! * `request_queue_size` is a method,
//!   [`set_request_queue_size`](ThreadingTCPServer::set_request_queue_size), called after
//!   the constructor: std has already called `listen(128)` by then (Python's
//!   default is 5), and Unix lets a second `listen` change the queue (see
//!   [`crate::backlog`]).
//! * `shutdown()` must wake a thread blocked in `accept`, which std cannot
//!   interrupt; so it raises a flag and connects to the server itself. Python polls
//!   with `select` every half second instead. Production servers use non-blocking
//!   sockets and an event loop (mio, tokio) where stopping is just another event.
//! * One thread per connection, like `ThreadingMixIn`: simple, and fine for
//!   hundreds of clients; a pool or async I/O serves many thousands.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};

/// What a handler gets for one connection: Python's `self.request` and
/// `self.client_address`.
pub struct Request {
    pub request: TcpStream,
    pub client_address: SocketAddr,
}

/// Python's `BaseRequestHandler`: `setup`, then `handle`, then `finish`, which
/// runs even when `handle` fails (Python calls it in a `finally`).
pub trait BaseRequestHandler: Send + 'static {
    fn setup(&mut self, _req: &mut Request) -> io::Result<()> {
        Ok(())
    }
    fn handle(&mut self, req: &mut Request) -> io::Result<()>;
    fn finish(&mut self, _req: &mut Request) {}
}

/// Python's `socketserver.ThreadingTCPServer`: one thread per connection.
pub struct ThreadingTCPServer<F> {
    listener: TcpListener,
    address: SocketAddr,
    make_handler: Arc<F>,
    stop: AtomicBool,
    /// Whether `serve_forever` is running, and a signal for when it stops.
    serving: Mutex<bool>,
    stopped: Condvar,
}

impl<F, H> ThreadingTCPServer<F>
where
    F: Fn() -> H + Send + Sync + 'static,
    H: BaseRequestHandler,
{
    /// Binds and listens at once, like Python's constructor does by default.
    pub fn new(address: impl ToSocketAddrs, make_handler: F) -> io::Result<Self> {
        let listener = TcpListener::bind(address)?;
        let address = listener.local_addr()?;
        Ok(ThreadingTCPServer {
            listener,
            address,
            make_handler: Arc::new(make_handler),
            stop: AtomicBool::new(false),
            serving: Mutex::new(false),
            stopped: Condvar::new(),
        })
    }

    /// Python's `request_queue_size`: how many connections may wait for `accept`.
    /// Call it before `serve_forever` when bursts of clients are expected.
    pub fn set_request_queue_size(&self, size: u32) -> io::Result<()> {
        crate::backlog::set_backlog(&self.listener, size)
    }

    /// The address really bound: after port 0, the port the system chose.
    pub fn server_address(&self) -> SocketAddr {
        self.address
    }

    /// Accepts connections until [`shutdown`](Self::shutdown), handling each in a
    /// thread of its own. A failed accept or spawn is logged; the loop goes on.
    pub fn serve_forever(&self) {
        *self.serving.lock().unwrap_or_else(|e| e.into_inner()) = true;
        while !self.stop.load(Ordering::SeqCst) {
            let (stream, client_address) = match self.listener.accept() {
                Ok(pair) => pair,
                Err(e) => {
                    support::log_client_error("(accept)", &e);
                    continue;
                }
            };
            if self.stop.load(Ordering::SeqCst) {
                break; // the connection was shutdown()'s wake-up call
            }
            let make_handler = Arc::clone(&self.make_handler);
            let spawned = crate::spawn_named(format!("client {client_address}"), move || {
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
                // The connection is dropped (closed); the server keeps going.
                support::log_client_error(client_address, &e);
            }
        }
        *self.serving.lock().unwrap_or_else(|e| e.into_inner()) = false;
        self.stopped.notify_all();
    }

    /// Stops `serve_forever` and waits until it has returned. Connections already
    /// being handled finish in their own threads. Drop the server to free the port.
    pub fn shutdown(&self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept() that may be blocked: connect to ourselves. A server
        // bound to 0.0.0.0 is reached through loopback.
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
