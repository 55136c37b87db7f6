//! IP 地址与整数 (000 「TCP/IP简介」, 001 「ip和端口」): `ipaddr` 用的格式化和分类。
//!
//! IP addresses as numbers (000 「TCP/IP简介」, 001 「ip和端口」).
//!
//! Both texts say it: an IPv4 address is a 32-bit integer written as four 8-bit
//! groups, and an IPv6 address is a 128-bit integer. `std::net` already knows this:
//! `u32::from(Ipv4Addr)` and `Ipv4Addr::from(u32)` convert, and `Display` prints
//! the short IPv6 form. Here we only format the numbers the way the texts show them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// IPv4 地址写成四组 8 位二进制, 用点隔开: `100.4.5.6` → `01100100.00000100.00000101.00000110`。
pub fn binary_groups(addr: Ipv4Addr) -> String {
    let groups: Vec<String> = addr.octets().iter().map(|o| format!("{o:08b}")).collect();
    groups.join(".")
}

/// IPv6 地址的完整形式: 每组都写满 4 个十六进制数字, 如 `2001:0db8:0000:...`。
/// The IPv6 form with every group written in full.
pub fn full_v6(addr: Ipv6Addr) -> String {
    let groups: Vec<String> = addr.segments().iter().map(|g| format!("{g:04x}")).collect();
    groups.join(":")
}

/// 地址的类型 (回环、私有、组播、公网……), 中文在前, 英文在后。
/// What kind of address this is, in Chinese and English.
pub fn kind(addr: IpAddr) -> &'static str {
    match addr {
        IpAddr::V4(a) => {
            let [o1, o2, ..] = a.octets();
            if a.is_unspecified() {
                "未指定 unspecified (0.0.0.0: 服务器用它表示本机所有地址)"
            } else if a.is_loopback() {
                "回环 loopback (本机, 127.0.0.0/8)"
            } else if a.is_private() {
                "私有 private (局域网, 10/8 172.16/12 192.168/16)"
            } else if a.is_link_local() {
                "链路本地 link-local (169.254/16)"
            } else if o1 == 100 && (64..128).contains(&o2) {
                "运营商共享 shared (100.64/10, 运营商级 NAT)"
            } else if a.is_broadcast() {
                "广播 broadcast (255.255.255.255)"
            } else if a.is_multicast() {
                "组播 multicast (224/4)"
            } else if a.is_documentation() {
                "文档示例 documentation (只用于书和例子)"
            } else {
                "公网 global (互联网上可路由)"
            }
        }
        IpAddr::V6(a) => {
            if a.is_unspecified() {
                "未指定 unspecified (::)"
            } else if a.is_loopback() {
                "回环 loopback (::1)"
            } else if a.is_multicast() {
                "组播 multicast (ff00::/8)"
            } else if a.is_unicast_link_local() {
                "链路本地 link-local (fe80::/10)"
            } else if a.is_unique_local() {
                "唯一本地 unique local (fc00::/7, 相当于 IPv4 的私有地址)"
            } else if a.segments()[0] == 0x2001 && a.segments()[1] == 0x0db8 {
                "文档示例 documentation (2001:db8::/32)"
            } else if a.to_ipv4_mapped().is_some() {
                "IPv4 映射 IPv4-mapped (::ffff:a.b.c.d)"
            } else {
                "公网 global (互联网上可路由)"
            }
        }
    }
}

/// 读入用户输入的地址: 点分十进制的 IPv4、IPv6, 或一个整数 (放得进 32 位就是 IPv4,
/// 否则是 IPv6)。读不懂时返回一行中文说明。
/// Parses dotted IPv4, IPv6, or a plain integer (IPv4 when it fits 32 bits).
pub fn parse(text: &str) -> Result<IpAddr, String> {
    let text = text.trim();
    if let Ok(addr) = text.parse::<IpAddr>() {
        return Ok(addr);
    }
    match text.parse::<u128>() {
        Ok(n) => Ok(match u32::try_from(n) {
            Ok(n) => IpAddr::V4(Ipv4Addr::from(n)),
            Err(_) => IpAddr::V6(Ipv6Addr::from(n)),
        }),
        Err(_) => Err(format!(
            "`{text}` 不是 IP 地址: 请写点分十进制 (100.4.5.6)、IPv6 (2001:db8::1) 或一个整数 (1677985030)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_texts_example_in_both_directions() {
        let a: Ipv4Addr = "100.4.5.6".parse().unwrap();
        assert_eq!(u32::from(a), 1_677_985_030);
        assert_eq!(binary_groups(a), "01100100.00000100.00000101.00000110");
        assert_eq!(parse("1677985030").unwrap(), IpAddr::V4(a));
        assert_eq!(
            parse(" 100.4.5.6\n").unwrap(),
            IpAddr::V4(a),
            "spaces around are fine"
        );
    }

    #[test]
    fn ipv6_full_and_short_forms() {
        let a: Ipv6Addr = "2001:0db8:85a3:0042:1000:8a2e:0370:7334".parse().unwrap();
        assert_eq!(full_v6(a), "2001:0db8:85a3:0042:1000:8a2e:0370:7334");
        assert_eq!(a.to_string(), "2001:db8:85a3:42:1000:8a2e:370:7334");
        let short: Ipv6Addr = "2001:db8::1".parse().unwrap();
        assert_eq!(full_v6(short), "2001:0db8:0000:0000:0000:0000:0000:0001");
        // One past the largest IPv4 number becomes IPv6.
        assert_eq!(parse("4294967296").unwrap().to_string(), "::1:0:0");
    }

    #[test]
    fn kinds() {
        let k = |s: &str| kind(s.parse().unwrap());
        assert!(k("127.0.0.1").starts_with("回环"));
        assert!(k("192.168.1.103").starts_with("私有"));
        assert!(k("100.4.5.6").starts_with("公网"));
        assert!(k("100.64.0.1").starts_with("运营商"));
        assert!(k("::1").starts_with("回环"));
        assert!(k("fd00::1").starts_with("唯一本地"));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(parse("256.1.1.1").is_err());
        assert!(parse("abc").is_err());
        assert!(parse("").is_err());
    }
}
