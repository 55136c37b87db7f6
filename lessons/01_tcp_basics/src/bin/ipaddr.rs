//! IP 地址与整数: the arithmetic of 000 「TCP/IP简介」 and 001 「ip和端口」.
//!
//! Run it:
//!   cargo run -p lesson01 --bin ipaddr -- 100.4.5.6
//!   cargo run -p lesson01 --bin ipaddr -- 1677985030
//!   cargo run -p lesson01 --bin ipaddr -- 2001:0db8:85a3:0042:1000:8a2e:0370:7334
//! Prints the address as an integer, in binary groups (IPv4) or in full and short
//! forms (IPv6), and what kind of address it is. No network is used.

use support::{fail, Cli};

const HELP: &str = "
ipaddr: 显示 IP 地址的整数、二进制和类型; 也可以从整数反查地址。
ipaddr: show an IP address as an integer, in binary, and its kind; or the reverse.

用法 usage: ipaddr ADDRESS|INTEGER ...
  例 e.g. ipaddr 100.4.5.6    ipaddr 1677985030    ipaddr ::1
";

fn main() {
    let args = Cli::new(HELP).rest();
    if args.is_empty() {
        fail("请给出至少一个地址或整数, 例如 `ipaddr 100.4.5.6` (用 --help 查看用法)");
    }
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            println!();
        }
        let addr = lesson01::ipaddr::parse(arg).unwrap_or_else(|e| fail(e));
        for line in lesson01::ipaddr::describe(addr) {
            println!("{line}");
        }
    }
}
