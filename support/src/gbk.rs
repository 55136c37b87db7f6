//! GBK 编解码 (std only): 原文 000 的 TCP 程序用 `encode("gbk")` / `decode('gbk')`,
//! 003 「编码」 在 Windows 上用 gbk 解码命令输出; 第 1 课和第 5 课都用这里的这一份。
//!
//! GBK is the Chinese Windows code page (936's core): ASCII stays one byte, every
//! other character is two bytes, a lead byte 0x81..=0xFE and a trail byte
//! 0x40..=0xFE (except 0x7F). `你好` is `c4 e3 ba c3` in GBK and `e4 bd a0 e5 a5 bd`
//! in UTF-8: a receiver must decode with the sender's encoding, or it prints
//! garbage (`浣犲ソ`, `���`).
//!
//! The table `support/gbk/gbk.bin` was generated once from Python's own `gbk`
//! codec by `support/gbk/gen_table.py` (the layout is described there) and is
//! compiled in with `include_bytes!`. Checked once against Python itself: `encode`
//! agrees with `chr(c).encode('gbk')` on every code point of the BMP, and `decode`
//! with `b.decode('gbk', 'replace')` on 200 000 random bytes. A production program would use the
//! `encoding_rs` crate, which knows every code page of the web; the workbook is std only.

use std::fmt;
use std::sync::OnceLock;

/// 126 lead bytes × 190 trail bytes, one little-endian u16 code point each (0 = none).
static TABLE: &[u8; 47_880] = include_bytes!("../gbk/gbk.bin");

const TRAILS: usize = 190;

/// The slot of a two-byte sequence in [`TABLE`], if both bytes are in GBK's ranges.
fn slot(lead: u8, trail: u8) -> Option<usize> {
    if !(0x81..=0xFE).contains(&lead) || !(0x40..=0xFE).contains(&trail) || trail == 0x7F {
        return None;
    }
    // Trail bytes skip 0x7F, so those above it move down by one.
    let t = usize::from(trail - 0x40) - usize::from(trail > 0x7F);
    Some(usize::from(lead - 0x81) * TRAILS + t)
}

/// The character of a two-byte GBK sequence, if GBK has one there.
fn lookup(lead: u8, trail: u8) -> Option<char> {
    let i = slot(lead, trail)?;
    let cp = u16::from_le_bytes([TABLE[2 * i], TABLE[2 * i + 1]]);
    if cp == 0 {
        None
    } else {
        char::from_u32(u32::from(cp))
    }
}

/// Decodes GBK bytes, like Python's `bytes.decode('gbk', 'replace')`: a byte that
/// does not start a valid character becomes U+FFFD and decoding goes on with the
/// next byte. Never fails, never panics.
pub fn decode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            out.push(char::from(b));
            i += 1;
        } else if let Some(c) = bytes.get(i + 1).and_then(|&t| lookup(b, t)) {
            out.push(c);
            i += 2;
        } else {
            out.push(char::REPLACEMENT_CHARACTER);
            i += 1;
        }
    }
    out
}

/// A character that GBK cannot write (an emoji, most non-Chinese scripts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError {
    /// The character GBK has no bytes for.
    pub ch: char,
    /// Its position in the text, counted in characters from 0 (as Python counts).
    pub position: usize,
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "第 {} 个字符 '{}' (U+{:04X}) 在 GBK 里没有编码, 请去掉它或改用 --encoding utf-8",
            self.position + 1,
            self.ch,
            u32::from(self.ch)
        )
    }
}

impl std::error::Error for EncodeError {}

/// The reverse table, code point → GBK bytes, sorted for a binary search; built on
/// first use from [`TABLE`].
fn reverse() -> &'static [(u16, [u8; 2])] {
    static REVERSE: OnceLock<Vec<(u16, [u8; 2])>> = OnceLock::new();
    REVERSE.get_or_init(|| {
        let mut v = Vec::with_capacity(21_791);
        for lead in 0x81..=0xFEu8 {
            for trail in (0x40..=0xFEu8).filter(|&t| t != 0x7F) {
                if let Some(c) = lookup(lead, trail) {
                    v.push((c as u16, [lead, trail]));
                }
            }
        }
        v.sort_unstable();
        v
    })
}

/// Encodes text as GBK, like Python's `str.encode('gbk')`: a character GBK has no
/// bytes for is refused with an error naming it, never replaced silently.
pub fn encode(text: &str) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(text.len());
    for (position, ch) in text.chars().enumerate() {
        if ch.is_ascii() {
            out.push(ch as u8);
            continue;
        }
        let found = u16::try_from(u32::from(ch))
            .ok()
            .and_then(|cp| reverse().binary_search_by_key(&cp, |e| e.0).ok());
        match found {
            Some(i) => out.extend_from_slice(&reverse()[i].1),
            None => return Err(EncodeError { ch, position }),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nihao_is_c4_e3_ba_c3_both_ways() {
        assert_eq!(encode("你好").unwrap(), [0xc4, 0xe3, 0xba, 0xc3]);
        assert_eq!(decode(&[0xc4, 0xe3, 0xba, 0xc3]), "你好");
        assert_eq!(encode("thank you !").unwrap(), b"thank you !");
        // A few more known pairs: the ideographic comma, the full-width colon, 中.
        assert_eq!(
            encode("、：中").unwrap(),
            [0xa1, 0xa2, 0xa3, 0xba, 0xd6, 0xd0]
        );
    }

    #[test]
    fn every_entry_of_the_table_round_trips() {
        let mut count = 0;
        for lead in 0x81..=0xFEu8 {
            for trail in 0x40..=0xFEu8 {
                let Some(c) = lookup(lead, trail) else {
                    continue;
                };
                count += 1;
                let bytes = [lead, trail];
                assert_eq!(decode(&bytes), c.to_string(), "{bytes:02x?}");
                assert_eq!(encode(&c.to_string()).unwrap(), bytes, "{c}");
            }
        }
        assert_eq!(
            count, 21_791,
            "Python's gbk codec has 21791 two-byte characters"
        );
    }

    #[test]
    fn bad_bytes_become_u_fffd_like_pythons_replace() {
        // Checked against Python: b'...'.decode('gbk', 'replace').
        assert_eq!(decode(b"\x80"), "\u{fffd}");
        assert_eq!(decode(b"\xff"), "\u{fffd}");
        assert_eq!(decode(b"\x81"), "\u{fffd}"); // cut after the lead byte
        assert_eq!(decode(b"\xa1\x40"), "\u{fffd}@");
        assert_eq!(decode(b"\x81\x7f"), "\u{fffd}\x7f");
        assert_eq!(decode(b"\xa2\xa0A"), "\u{fffd}\u{71d7}"); // a0 41 is a pair
                                                              // UTF-8 bytes of 你好 read as GBK: the mojibake of the issue.
        assert_eq!(decode("你好".as_bytes()), "浣犲ソ");
    }

    #[test]
    fn unmappable_characters_are_refused_with_their_position() {
        let err = encode("ab😀").unwrap_err();
        assert_eq!(
            err,
            EncodeError {
                ch: '😀',
                position: 2
            }
        );
        assert!(err.to_string().contains("U+1F600"), "{err}");
        assert!(err.to_string().starts_with("第 3 个字符"), "{err}");
        assert_eq!(encode("é").unwrap(), [0xa8, 0xa6]); // pinyin letters are in GBK
        assert_eq!(encode("\u{fffd}").unwrap_err().position, 0);
    }
}
