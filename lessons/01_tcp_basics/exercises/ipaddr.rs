#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! IP 地址与整数: 000 「TCP/IP简介」 和 001 「ip和端口」 里的地址运算。
//! 练习 (学生版): 原文的调用换成了 `todo!("第 N 步: …")`; 按步骤的顺序写出来, 程序运行时停在第一个没写的步骤。
//! 练习 (学生版): 另一端: 不需要另一端: 直接运行 `cargo run -p lesson01 --bin ipaddr -- 100.4.5.6`。
//! 练习 (学生版): 检查: `cargo grade ipaddr`; 卡住时看提示: `cargo grade hint ipaddr`。
//!
//! 运行方法 (不用网络):
//!   cargo run -p lesson01 --bin ipaddr -- 100.4.5.6
//!   cargo run -p lesson01 --bin ipaddr -- 1677985030
//!   cargo run -p lesson01 --bin ipaddr -- 2001:0db8:85a3:0042:1000:8a2e:0370:7334
//! 两篇原文都说: IPv4 地址是一个 32 位整数, 写成四组 8 位; IPv6 地址是一个 128 位整数。
//! 程序把地址显示成整数、二进制分组 (IPv4) 或完整/简写形式 (IPv6), 并说出它是哪一类地址。
//! 原文只有文字, 没有程序; 这个程序让学生亲手验证原文的例子。
//!
//! English: shows an address as an integer, in binary groups (IPv4) or full and
//! short forms (IPv6), and its kind; or the reverse, from an integer.

use std::net::IpAddr;
use support::{fail, Cli};

fn main() {
    let args = Cli::new(HELP).rest();
    if args.is_empty() {
        fail("请给出至少一个地址或整数, 例如 `ipaddr 100.4.5.6` (用 --help 查看用法)");
    }
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            println!();
        }
        // 1. 读入: 点分十进制 (100.4.5.6)、IPv6, 或一个整数 (够 32 位是 IPv4, 否则 IPv6)
        let addr: IpAddr = todo!(
            "第 1 步: 用 lesson01::ipaddr::parse 读入这个参数, 出错时用 fail 报一行错误; 见原文 001 「ip和端口」"
        );
        match addr {
            IpAddr::V4(a) => {
                // 2. IPv4 地址就是一个 32 位整数 (四组 8 位): u32::from 把四个字节拼起来
                let n: u32 = todo!("第 2 步: 用 u32::from 把 IPv4 地址变成 32 位整数; 见原文 000 「TCP/IP简介」");
                println!("IPv4 地址 address:   {a}");
                println!("32 位整数 integer:   {n}");
                // 3. 每 8 位一组, 写成二进制 (原文 100.4.5.6 的例子)
                println!(
                    "二进制 binary:       {}",
                    lesson01::ipaddr::binary_groups(a)
                );
                println!("十六进制 hex:        0x{n:08x}");
            }
            IpAddr::V6(a) => {
                // 4. IPv6 地址是一个 128 位整数: u128::from
                println!("IPv6 地址 address:   {a}");
                todo!("第 4 步: 用 u128::from 把 IPv6 地址变成 128 位整数, 照上面的样子打印 `128 位整数 integer:` 一行");
                // 5. 完整形式 (每组 4 个十六进制数字) 和简写形式 (Display 会省略前导 0 和连续的 0 组)
                println!("完整形式 full:       {}", lesson01::ipaddr::full_v6(a));
                println!("简写形式 short:      {a}");
            }
        }
        // 6. 地址的类型: 回环、私有、组播……
        println!("类型 kind:           {}", lesson01::ipaddr::kind(addr));
    }
}

// 帮助文字 (原文没有命令行参数)。The help text.
const HELP: &str = "
ipaddr: 显示 IP 地址的整数、二进制和类型; 也可以从整数反查地址。
ipaddr: show an IP address as an integer, in binary, and its kind; or the reverse.

用法 usage: ipaddr ADDRESS|INTEGER ...
  例 e.g. ipaddr 100.4.5.6    ipaddr 1677985030    ipaddr ::1
";
