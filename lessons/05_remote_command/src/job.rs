//! Windows 的 Job Object: 结束 cmd.exe 和它启动的所有程序的办法 (Windows 没有进程组)。
//!
//! Windows Job Objects: the one way to stop cmd.exe and every program it started.
//!
//! Unix puts the shell in its own process group and kills the group. Windows has
//! no such thing for console programs: killing cmd.exe leaves `ping -t` running,
//! holding our pipe. A Job Object is a kernel object that processes are put
//! into; their children join it by themselves, and `TerminateJobObject` ends
//! them all. std has no API for it, so here are three one-line declarations from
//! kernel32, each used in exactly one function marked `#[allow(unsafe_code)]`.
//!
//! A small gap remains: cmd.exe runs for a moment before it is put in the job,
//! and a program it starts in that moment is outside. A production program
//! creates the process suspended (`CREATE_SUSPENDED`), assigns it, then resumes
//! it, which needs the thread handle std does not expose.

use std::io;
use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle, RawHandle};
use std::process::Child;

/// 一个 Job Object; 丢掉 (drop) 时关闭它的句柄。A Job Object; the handle is closed when dropped.
pub struct Job(OwnedHandle);

impl Job {
    /// 新建一个 Job Object, 把 `child` 放进去。A new Job Object with `child` in it.
    #[allow(unsafe_code)] // CreateJobObjectW and AssignProcessToJobObject, see SAFETY below
    pub fn contain(child: &Child) -> io::Result<Job> {
        #[link(name = "kernel32")]
        extern "system" {
            // HANDLE CreateJobObjectW(LPSECURITY_ATTRIBUTES, LPCWSTR name);
            fn CreateJobObjectW(attributes: *const u8, name: *const u16) -> RawHandle;
            // BOOL AssignProcessToJobObject(HANDLE job, HANDLE process);
            fn AssignProcessToJobObject(job: RawHandle, process: RawHandle) -> i32;
        }
        // SAFETY: null attributes and a null name are documented as allowed (an
        // unnamed job with default security); the call returns a new handle or null.
        let raw = unsafe { CreateJobObjectW(std::ptr::null(), std::ptr::null()) };
        if raw.is_null() {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `raw` is a fresh handle that nothing else owns.
        let job = Job(unsafe { OwnedHandle::from_raw_handle(raw) });
        // SAFETY: both handles are alive for the call: the job just made, the
        // process borrowed from `child`. A bad handle only makes the call fail.
        if unsafe { AssignProcessToJobObject(job.0.as_raw_handle(), child.as_raw_handle()) } == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(job)
    }

    /// 结束 job 里的所有进程 (退出码 1)。Ends every process in the job (exit code 1, like `child.kill()`).
    #[allow(unsafe_code)] // TerminateJobObject, see SAFETY below
    pub fn terminate(&self) -> io::Result<()> {
        #[link(name = "kernel32")]
        extern "system" {
            // BOOL TerminateJobObject(HANDLE job, UINT exit_code);
            fn TerminateJobObject(job: RawHandle, exit_code: u32) -> i32;
        }
        // SAFETY: the handle is owned by `self` and open; the call reads two values.
        if unsafe { TerminateJobObject(self.0.as_raw_handle(), 1) } == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
}
