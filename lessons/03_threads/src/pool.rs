//! A fixed-size thread pool, after the last chapter of the Rust book: N workers
//! take jobs from one channel. A pool bounds the number of threads (and so the
//! memory) however many clients come; the price is that client N+1 waits until a
//! worker is free, exactly like the one-at-a-time server, only N times later.
//!
//! Production code would use a crate (rayon's pool, or an async runtime); this
//! one is here to be read.

use std::io;
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

type Job = Box<dyn FnOnce() + Send + 'static>;

pub struct ThreadPool {
    sender: Option<Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

impl ThreadPool {
    /// Starts `size` workers (at least one). Fails if the OS refuses a thread.
    pub fn new(size: usize) -> io::Result<ThreadPool> {
        let (sender, receiver) = channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let mut workers = Vec::with_capacity(size.max(1));
        for id in 0..size.max(1) {
            let receiver = Arc::clone(&receiver);
            workers.push(crate::spawn_named(format!("worker {id}"), move || loop {
                // Hold the lock only while taking a job, not while running it.
                let job = receiver.lock().unwrap_or_else(|e| e.into_inner()).recv();
                match job {
                    Ok(job) => job(),
                    Err(_) => break, // the pool was dropped: no more jobs
                }
            })?);
        }
        Ok(ThreadPool {
            sender: Some(sender),
            workers,
        })
    }

    /// Queues a job for the next free worker.
    pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
        if let Some(sender) = &self.sender {
            // Fails only when every worker is gone; then the job is dropped.
            let _ = sender.send(Box::new(job));
        }
    }
}

impl Drop for ThreadPool {
    /// Closes the queue and waits for the workers to finish what they hold.
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
