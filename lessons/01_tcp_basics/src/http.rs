//! 003 「1.2.1客户端」 的 HTTP 部分: 原文发送的请求, 以及在第一个空行处把响应分成头和正文。
//!
//! The HTTP pieces of 003 「1.2.1客户端」: the request the text sends, and the split
//! of the response into header and body at the first blank line.

/// The text's request, byte for byte. `host` goes in the Host header; the text
/// always talks to port 80, and HTTP wants the port written when it is another one.
pub fn request(host: &str, port: u16, path: &str) -> Vec<u8> {
    let host_header = if port == 80 {
        host.to_string()
    } else {
        format!("{host}:{port}")
    };
    format!("GET {path} HTTP/1.1\r\nHost: {host_header}\r\nConnection: close\r\n\r\n").into_bytes()
}

/// Splits a whole response at the first `\r\n\r\n`. The text's
/// `data.split(b'\r\n\r\n', 1)` raises when there is no blank line; we return
/// `None` and the caller says so in one line.
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
