//! The upload header of 003 「文件上传」: `post|<size>|<filename>`.
//!
//! The text writes the header and then the file's bytes, and the server reads the
//! header with one `recv(1024)`. Nothing marks where the header ends, so when the
//! header and the first bytes of the file arrive in the same read (粘包), the file
//! name swallows the data. Two formats:
//!
//! * [`Format::Text`], `post|5|a.txt`: the text's, kept for pairing with its
//!   Python programs; its failure is shown in a test;
//! * [`Format::Line`], `post|5|a.txt\n` (the default): the header ends at the
//!   first newline, so the reader knows exactly where the data starts.

use std::io::{self, BufRead, ErrorKind, Read};

/// Longest header either format accepts (the text's `recv(1024)`).
pub const MAX_HEADER: usize = 1024;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Format {
    Text,
    Line,
}

/// A parsed header.
#[derive(Debug, PartialEq)]
pub struct Header {
    pub size: u64,
    pub filename: String,
}

/// The bytes of a header in `format`.
pub fn encode(format: Format, size: u64, filename: &str) -> Vec<u8> {
    let mut h = format!("post|{size}|{filename}").into_bytes();
    if format == Format::Line {
        h.push(b'\n');
    }
    h
}

fn invalid(why: String) -> io::Error {
    io::Error::new(ErrorKind::InvalidData, why)
}

/// Parses `post|<size>|<filename>` and checks the name is a plain file name.
pub fn parse(raw: &[u8]) -> io::Result<Header> {
    let text = std::str::from_utf8(raw).map_err(|_| invalid("header is not UTF-8".into()))?;
    let mut parts = text.splitn(3, '|');
    let (Some("post"), Some(size), Some(filename)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid(format!("not a `post|size|name` header: {text:?}")));
    };
    let size: u64 = size
        .parse()
        .map_err(|_| invalid(format!("size `{size}` is not a non-negative number")))?;
    if filename.is_empty()
        || filename == "."
        || filename == ".."
        || filename.contains(['/', '\\', '\0'])
    {
        return Err(invalid(format!(
            "file name {filename:?} is not a plain name"
        )));
    }
    Ok(Header {
        size,
        filename: filename.to_string(),
    })
}

/// Reads one header. `Ok(None)` when the client closed before sending one.
///
/// `Text`: one read of at most 1024 bytes, exactly like the text's server: if data
/// came glued to the header, it ends up in the file name. `Line`: up to the first
/// newline, never past it; no newline within 1024 bytes is an error.
pub fn read_header(r: &mut impl BufRead, format: Format) -> io::Result<Option<Header>> {
    let raw = match format {
        Format::Text => {
            let mut buf = [0u8; MAX_HEADER];
            let n = r.read(&mut buf)?;
            buf[..n].to_vec()
        }
        Format::Line => {
            let mut line = Vec::new();
            r.take(MAX_HEADER as u64 + 1).read_until(b'\n', &mut line)?;
            if line.is_empty() {
                return Ok(None);
            }
            if line.pop() != Some(b'\n') {
                return Err(invalid(format!(
                    "no end of header within {MAX_HEADER} bytes"
                )));
            }
            line
        }
    };
    if raw.is_empty() {
        return Ok(None);
    }
    parse(&raw).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_format_stops_at_the_newline_even_when_data_is_glued() {
        let mut wire = encode(Format::Line, 5, "a.txt");
        wire.extend_from_slice(b"hello");
        let mut r = io::BufReader::new(&wire[..]);
        let h = read_header(&mut r, Format::Line).unwrap().unwrap();
        assert_eq!(
            h,
            Header {
                size: 5,
                filename: "a.txt".into()
            }
        );
        let mut rest = Vec::new();
        r.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, b"hello");
    }

    #[test]
    fn text_format_swallows_glued_data_into_the_name() {
        let mut wire = encode(Format::Text, 5, "a.txt");
        wire.extend_from_slice(b"hello");
        let h = read_header(&mut io::BufReader::new(&wire[..]), Format::Text)
            .unwrap()
            .unwrap();
        assert_eq!(h.filename, "a.txthello");
    }

    #[test]
    fn bad_headers_are_refused() {
        for bad in [
            &b"post|-1|a"[..],
            b"post|abc|a",
            b"post|5|../a",
            b"post|5|a/b",
            b"post|5|",
            b"get|5|a",
            b"post|5",
            b"post|5|a\\b",
            b"post|5|..",
        ] {
            assert!(parse(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        let long = vec![b'x'; 2000];
        let err = read_header(&mut io::BufReader::new(&long[..]), Format::Line).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidData);
    }

    /// A `Line` header may be as long as the text's `recv(1024)` could take, not one
    /// byte more: 1024 bytes before the newline pass, 1025 are refused.
    #[test]
    fn line_header_of_exactly_max_header_bytes_passes_one_more_is_refused() {
        let name_for = |len: usize| "n".repeat(len - "post|5|".len());
        let wire = encode(Format::Line, 5, &name_for(MAX_HEADER));
        assert_eq!(wire.len(), MAX_HEADER + 1, "1024 字节的头加一个换行");
        let h = read_header(&mut io::BufReader::new(&wire[..]), Format::Line)
            .unwrap()
            .expect("1024 字节的头应该被接受");
        assert_eq!(h.filename, name_for(MAX_HEADER));
        let long = encode(Format::Line, 5, &name_for(MAX_HEADER + 1));
        let err = read_header(&mut io::BufReader::new(&long[..]), Format::Line).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidData);
    }
}
