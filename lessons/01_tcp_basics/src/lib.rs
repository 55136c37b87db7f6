//! 第 1 课 TCP 基础: `src/bin/` 里各程序背后的库。
//!
//! 套接字调用都留在程序文件里; 这里只放两个以上程序或测试需要的东西: `ipaddr` 的地址
//! 运算, `http_get` 的 HTTP 切分, `socket_api` 的方法表, 一点套接字选项的 FFI, 还有
//! `--encoding` 参数和 Python 风格的字节显示。
//!
//! Lesson 01's library: what two binaries or the tests need, once.

pub mod api;
pub mod http;
pub mod ipaddr;
pub mod sockopt;

/// 文本和字节之间用哪种编码: 原文 000 用 gbk (中文 Windows 控制台的编码), 其余用 UTF-8。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// GBK, 见 `support::gbk`。
    Gbk,
    /// UTF-8, Rust 字符串本来的编码。
    Utf8,
}

impl Encoding {
    /// `--encoding` 的值: 不给时用 `default`; `gbk` 或 `utf-8` (也认 `utf8`), 其他值报错退出。
    pub fn from_flag(value: Option<String>, default: Encoding) -> Encoding {
        match value.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None => default,
            Some("gbk") => Encoding::Gbk,
            Some("utf-8" | "utf8") => Encoding::Utf8,
            Some(other) => support::fail(format_args!(
                "--encoding 只能是 gbk 或 utf-8, 而不是 `{other}`"
            )),
        }
    }
}

/// 字节按 Python 打印 `bytes` 的样子显示, 如 `b'\xe4\xbd\xa0'`: 原文 004 「实例」
/// 直接 `print` 收到的字节, 没有 decode。
pub fn py_bytes(bytes: &[u8]) -> String {
    // Python uses double quotes when the bytes hold a ' and no ".
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut s = format!("b{quote}");
    for &b in bytes {
        match b {
            b'\\' => s.push_str("\\\\"),
            b'\t' => s.push_str("\\t"),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            _ if char::from(b) == quote => {
                s.push('\\');
                s.push(quote);
            }
            0x20..=0x7e => s.push(char::from(b)),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s.push(quote);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_shown_like_python() {
        // Checked against Python 3: print(repr(...)).
        assert_eq!(py_bytes("你好".as_bytes()), r"b'\xe4\xbd\xa0\xe5\xa5\xbd'");
        assert_eq!(py_bytes(b"hello!"), "b'hello!'");
        assert_eq!(py_bytes(b"it's"), r#"b"it's""#);
        assert_eq!(py_bytes(b"'\""), r#"b'\'"'"#);
        assert_eq!(py_bytes(b"a\\b\t\r\n\x00\x7f"), r"b'a\\b\t\r\n\x00\x7f'");
    }

    #[test]
    fn encoding_flag_values() {
        assert_eq!(Encoding::from_flag(None, Encoding::Gbk), Encoding::Gbk);
        assert_eq!(Encoding::from_flag(None, Encoding::Utf8), Encoding::Utf8);
        let utf8 = Encoding::from_flag(Some("UTF-8".into()), Encoding::Gbk);
        assert_eq!(utf8, Encoding::Utf8);
        let gbk = Encoding::from_flag(Some("gbk".into()), Encoding::Utf8);
        assert_eq!(gbk, Encoding::Gbk);
    }
}
