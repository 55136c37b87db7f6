//! 现成的对端 (ready-made peers): 每个练习的 "另一端", 按原文的字节说话。
//!
//! 测试用它们给一个程序配一个可靠的对端 (计分的测试只检查一个程序), 学生用
//! `cargo grade peer <程序>` 在第二个终端里运行它, 代替还没写完的另一个练习。
//! 它们是照着原文的协议写的假对端 (fakes), 不是参考答案: 只用标准库, 不依赖
//! `tests/common` 的其余部分, 所以 `grade` 也能用 `#[path]` 把这个文件夹编译进去。
//!
//! Ready-made peers: for each exercise, a fake other end that speaks the text's bytes.
//! Tests use them so a scored test checks one program; `cargo grade peer <program>`
//! runs one in a terminal. std only, independent of the rest of `tests/common`.
#![allow(dead_code)] // each test file (and grade) uses a different part

pub mod lesson01;
pub mod lesson02;
pub mod lesson03;
pub mod lesson04;
pub mod lesson05;

/// 一个练习的对端。One exercise's peer.
pub struct Peer {
    /// 学生的程序 (练习) 的名字, 例如 `client`: 这个对端陪它说话。
    /// The student's program this peer talks to (e.g. `client`).
    pub program: &'static str,
    /// 一行中文: 这个对端是什么、做什么, 例如 "第 3 课的服务器: 先发 Welcome!, 再回 Hello, 名字!"。
    pub about: &'static str,
    /// 默认地址: 学生的程序不加参数时用的那个 (服务器的对端连向它, 客户端的对端在那里监听)。
    pub host: &'static str,
    pub port: u16,
    /// 运行对端, 直到做完 (假客户端) 或被 Ctrl-C 结束 (假服务器)。失败时返回一行中文。
    /// 假服务器绑定后立刻打印并 flush `监听中 listening on tcp://ADDR` (UDP 是 udp://)。
    /// Runs the peer; a fake server announces its address as our servers do.
    pub run: fn(host: &str, port: u16) -> Result<(), String>,
}

/// 所有对端, 按课的顺序。All peers, in the book's order.
pub fn all() -> Vec<&'static Peer> {
    [
        lesson01::PEERS,
        lesson02::PEERS,
        lesson03::PEERS,
        lesson04::PEERS,
        lesson05::PEERS,
    ]
    .iter()
    .flat_map(|l| l.iter())
    .collect()
}

/// 给程序 `program` 的对端。The peer for `program`, if it has one.
pub fn find(program: &str) -> Option<&'static Peer> {
    all().into_iter().find(|p| p.program == program)
}
