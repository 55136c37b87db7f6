//! 固定大小的线程池, 照 Rust 书最后一章: N 个工作线程从同一个通道 (channel) 取任务。
//! 不管来多少客户端, 线程数 (也就是内存) 都有上限; 代价是第 N+1 个客户端要等到
//! 有工作线程空出来, 和一次一个的服务器一样, 只是晚 N 倍才发生。
//!
//! 正式的程序用现成的 crate (rayon 的线程池, 或异步运行时); 这个是拿来读的。
//!
//! English: a fixed pool after the Rust book's last chapter: N workers share one
//! channel of jobs; threads are bounded, client N+1 waits for a free worker.

use std::io;
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

type Job = Box<dyn FnOnce() + Send + 'static>;

/// 固定数量的工作线程和一个任务队列。drop 时关闭队列, 等每个工作线程做完手里的任务。
///
/// English: a fixed set of worker threads sharing one queue of jobs.
pub struct ThreadPool {
    sender: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

impl ThreadPool {
    /// 开 `size` 个工作线程 (至少一个); 系统拒绝开线程时返回错误。
    pub fn new(size: usize) -> io::Result<ThreadPool> {
        let (sender, receiver) = channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let mut workers = Vec::with_capacity(size.max(1));
        for id in 0..size.max(1) {
            let receiver = Arc::clone(&receiver);
            let worker = thread::Builder::new()
                .name(format!("worker {id}"))
                .spawn(move || loop {
                    // 只在取任务时拿着锁, 运行任务时不拿
                    let job = receiver.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    match job {
                        Ok(job) => job(),
                        Err(_) => break, // 线程池已被 drop: 没有任务了
                    }
                })?;
            workers.push(worker);
        }
        Ok(ThreadPool {
            sender: Some(sender),
            workers,
        })
    }

    /// 把任务排进队列, 下一个空闲的工作线程会接手。
    pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
        if let Some(sender) = &self.sender {
            // 只有所有工作线程都没了才会失败; 那时任务被丢掉
            let _ = sender.send(Box::new(job));
        }
    }
}

impl Drop for ThreadPool {
    /// 关闭队列, 等工作线程做完手里的任务。
    fn drop(&mut self) {
        drop(self.sender.take());
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn every_job_runs_once_on_a_small_pool() {
        let done = Arc::new(AtomicUsize::new(0));
        {
            let pool = ThreadPool::new(2).unwrap();
            for _ in 0..10 {
                let done = Arc::clone(&done);
                pool.execute(move || {
                    done.fetch_add(1, Ordering::SeqCst);
                });
            }
        } // drop waits for the workers
        assert_eq!(done.load(Ordering::SeqCst), 10);
    }
}
