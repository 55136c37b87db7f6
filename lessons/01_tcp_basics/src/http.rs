//! 003 「1.2.1客户端」 的 HTTP 部分: 原文发送的请求, 以及在第一个空行处把响应分成头和正文。
//!
//! The HTTP pieces of 003 「1.2.1客户端」: the request the text sends, and the split
//! of the response into header and body at the first blank line.

/// 原文发送的请求, 一个字节都不差: `GET 路径 HTTP/1.1`, Host 头, `Connection: close`,
/// 最后一个空行。端口不是 80 时, HTTP 要求把端口写进 Host 头。
/// The text's request, byte for byte; the port goes in the Host header when it is not 80.
pub fn request(host: &str, port: u16, path: &str) -> Vec<u8> {
    let host_header = if port == 80 {
        host.to_string()
    } else {
        format!("{host}:{port}")
    };
    format!("GET {path} HTTP/1.1\r\nHost: {host_header}\r\nConnection: close\r\n\r\n").into_bytes()
}

/// 在第一个空行 (`\r\n\r\n`) 处把响应分成响应头和正文。原文的
/// `data.split(b'\r\n\r\n', 1)` 找不到空行时会抛异常; 这里返回 `None`, 由调用者说一行错误。
/// Splits a response at the first blank line; `None` when there is none.
pub fn split(response: &[u8]) -> Option<(&[u8], &[u8])> {
    let at = response.windows(4).position(|w| w == b"\r\n\r\n")?;
    Some((&response[..at], &response[at + 4..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_matches_the_text_for_port_80() {
        assert_eq!(
            request("www.baidu.com", 80, "/"),
            b"GET / HTTP/1.1\r\nHost: www.baidu.com\r\nConnection: close\r\n\r\n"
        );
    }

    #[test]
    fn split_at_the_first_blank_line_only() {
        let (h, b) = split(b"HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody\r\n\r\nmore").unwrap();
        assert_eq!(h, b"HTTP/1.1 200 OK\r\nA: b");
        assert_eq!(b, b"body\r\n\r\nmore");
        assert!(split(b"HTTP/1.1 200 OK\r\n").is_none());
    }
}
