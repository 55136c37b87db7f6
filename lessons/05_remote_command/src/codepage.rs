//! Windows 的代码页: 把 cmd.exe 的输出转成 UTF-8。cmd.exe 按控制台的代码页写字 (中文 Windows 是
//! 936, 即 GBK), 不是 UTF-8, 所以原文的客户端用 gbk 解码; 我们的服务器在这里转换, 客户端一律按
//! UTF-8 显示。本来就是 UTF-8 的输出原样不动。
//!
//! Windows code pages: cmd.exe's output as UTF-8.
//!
//! cmd.exe and most console programs write text in the console's code page, not
//! UTF-8: 936 (GBK) on a Chinese Windows, 437 or 850 on many others, 65001
//! (UTF-8) after `chcp 65001`. That is why the text's client decodes `gbk`. Our
//! clients show UTF-8, so the server converts here, with Windows' own
//! `MultiByteToWideChar` (it knows every code page; the workbook's GBK codec
//! knows only 936) and std's `String::from_utf16_lossy`.
//!
//! Output that already is valid UTF-8 is passed on unchanged: Rust programs (the
//! workbook's own, run through the remote shell) write UTF-8 to a pipe whatever
//! the code page, and GBK text is almost never valid UTF-8 by accident.

/// `bytes` 转成 UTF-8: 已经是 UTF-8 的原样返回, 否则按控制台的代码页解码, 读不懂的字符变成 U+FFFD。
/// `bytes` as UTF-8: unchanged when they already are, else decoded from the
/// console's code page, characters it cannot read replaced by U+FFFD.
pub fn to_utf8(bytes: Vec<u8>) -> Vec<u8> {
    match String::from_utf8(bytes) {
        Ok(text) => text.into_bytes(),
        Err(e) => decode(console_code_page(), e.as_bytes()).into_bytes(),
    }
}

/// cmd.exe 输出用的代码页: 和我们共用的那个控制台的代码页 (`chcp` 可以改), 没有控制台时是系统的
/// OEM 代码页。
/// The code page cmd.exe writes in: the one of the console we share with it
/// (`chcp` changes it), or the system's OEM code page when we have no console,
/// since Windows then gives cmd.exe a new console with that code page.
#[allow(unsafe_code)] // GetConsoleOutputCP and GetOEMCP, see SAFETY below
pub fn console_code_page() -> u32 {
    #[link(name = "kernel32")]
    extern "system" {
        // UINT GetConsoleOutputCP(void); 0 when the process has no console.
        fn GetConsoleOutputCP() -> u32;
        // UINT GetOEMCP(void);
        fn GetOEMCP() -> u32;
    }
    // SAFETY: neither takes arguments; they only read the process's and the
    // system's settings.
    match unsafe { GetConsoleOutputCP() } {
        0 => unsafe { GetOEMCP() },
        cp => cp,
    }
}

/// 按代码页 `cp` 解码 `bytes`。`bytes` in code page `cp`, as a String.
#[allow(unsafe_code)] // MultiByteToWideChar, see SAFETY below
pub fn decode(cp: u32, bytes: &[u8]) -> String {
    #[link(name = "kernel32")]
    extern "system" {
        // int MultiByteToWideChar(UINT cp, DWORD flags, LPCCH src, int src_len, LPWSTR dst, int dst_len);
        fn MultiByteToWideChar(
            cp: u32,
            flags: u32,
            src: *const u8,
            n: i32,
            dst: *mut u16,
            m: i32,
        ) -> i32;
    }
    let Ok(n) = i32::try_from(bytes.len()) else {
        return String::from_utf8_lossy(bytes).into_owned();
    };
    if n == 0 {
        return String::new();
    }
    // One byte never makes more than one UTF-16 unit, so `n` units are enough.
    let mut wide = vec![0u16; bytes.len()];
    // SAFETY: `bytes` is valid for `n` bytes and `wide` for `n` units, the
    // lengths we pass; the function writes at most that many and returns how many.
    let m = unsafe { MultiByteToWideChar(cp, 0, bytes.as_ptr(), n, wide.as_mut_ptr(), n) };
    if m <= 0 {
        // An unknown code page: show what we can rather than nothing.
        return String::from_utf8_lossy(bytes).into_owned();
    }
    wide.truncate(m as usize);
    String::from_utf16_lossy(&wide)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_bytes_of_code_page_936_become_chinese() {
        // 你好 in GBK, as cmd.exe writes it on a Chinese Windows.
        assert_eq!(decode(936, b"\xc4\xe3\xba\xc3\r\n"), "你好\r\n");
        assert_eq!(decode(437, b"caf\x82"), "café");
        assert_eq!(decode(936, b""), "");
    }

    #[test]
    fn utf8_passes_unchanged_and_the_rest_is_decoded() {
        assert_eq!(to_utf8("你好".as_bytes().to_vec()), "你好".as_bytes());
        // Not UTF-8: decoded from the console's code page, never lost outright.
        let text = String::from_utf8(to_utf8(b"ok \xff".to_vec())).unwrap();
        assert!(text.starts_with("ok "), "{text:?}");
    }
}
