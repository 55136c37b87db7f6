//! `cargo grade peer <program> [--host H] [--port P]`: runs the ready-made
//! other end of an exercise (`tests/common/peers/`, the tests' own fakes,
//! written from the text's protocol, not from the reference) in this terminal,
//! for the two-terminal demo while the student's other program is not done.

use crate::peers::{self, Peer};
use std::process::ExitCode;

/// The programs that have a peer, in the book's order, as one line.
fn available(list: &[&Peer]) -> String {
    if list.is_empty() {
        return "(还没有任何对端)".into();
    }
    list.iter().map(|p| p.program).collect::<Vec<_>>().join(" ")
}

/// Parses `<program> [--host H] [--port P]` and runs the peer.
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    run_with(args, &peers::all())
}

/// The same, over a given list of peers (tests use their own).
pub fn run_with(args: &[String], list: &[&'static Peer]) -> Result<ExitCode, String> {
    let mut program = None;
    let mut host = None;
    let mut port = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-h" | "--help" => {
                println!(
                    "用法: cargo grade peer <程序> [--host H] [--port P]\n  运行这个练习的现成对端 (另一端), 不加参数时用练习的默认地址。\n  有对端的练习: {}",
                    available(list)
                );
                return Ok(ExitCode::SUCCESS);
            }
            "--host" => host = Some(it.next().ok_or("--host 后面缺少地址")?.clone()),
            "--port" => {
                let v = it.next().ok_or("--port 后面缺少端口")?;
                port = Some(
                    v.parse::<u16>()
                        .map_err(|_| format!("--port 要一个 0 到 65535 的整数, 收到 {v:?}"))?,
                );
            }
            s if s.starts_with('-') => return Err(format!("peer: 不认识的选项 {s}")),
            s if program.is_none() => program = Some(s.to_string()),
            s => return Err(format!("peer 只要一个程序名, 多了 {s}")),
        }
    }
    let Some(program) = program else {
        return Err(format!(
            "peer 要一个程序名: cargo grade peer <程序> (有对端的: {})",
            available(list)
        ));
    };
    let Some(peer) = list.iter().find(|p| p.program == program) else {
        return Err(format!(
            "{program} 没有现成的对端 (有对端的练习: {})",
            available(list)
        ));
    };
    let host = host.unwrap_or_else(|| peer.host.to_string());
    let port = port.unwrap_or(peer.port);
    eprintln!(
        "对端 [{}]: {} ({host}:{port}; Ctrl-C 结束)",
        peer.program, peer.about
    );
    match (peer.run)(&host, port) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("对端 [{}]: {e}", peer.program);
            Ok(ExitCode::FAILURE)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    static SEEN: Mutex<Option<(String, u16)>> = Mutex::new(None);

    fn record(host: &str, port: u16) -> Result<(), String> {
        *SEEN.lock().unwrap() = Some((host.to_string(), port));
        if port == 1 {
            Err("连不上".into())
        } else {
            Ok(())
        }
    }

    static FAKE: Peer = Peer {
        program: "fake_client",
        about: "测试用的对端",
        host: "127.0.0.1",
        port: 9999,
        run: record,
    };

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn runs_the_peer_with_its_defaults_or_the_given_address() {
        let list = [&FAKE];
        assert_eq!(
            run_with(&args(&["fake_client"]), &list).unwrap(),
            ExitCode::SUCCESS
        );
        assert_eq!(
            SEEN.lock().unwrap().clone(),
            Some(("127.0.0.1".into(), 9999))
        );
        run_with(
            &args(&["fake_client", "--host", "::1", "--port", "5"]),
            &list,
        )
        .unwrap();
        assert_eq!(SEEN.lock().unwrap().clone(), Some(("::1".into(), 5)));
        assert_eq!(
            run_with(&args(&["fake_client", "--port", "1"]), &list).unwrap(),
            ExitCode::FAILURE
        );
    }

    #[test]
    fn an_unknown_program_gets_one_line_listing_the_peers() {
        let e = run_with(&args(&["nope"]), &[&FAKE]).unwrap_err();
        assert_eq!(e, "nope 没有现成的对端 (有对端的练习: fake_client)");
        assert!(!e.contains('\n'));
        assert!(run_with(&args(&[]), &[&FAKE]).is_err());
        assert!(run_with(&args(&["fake_client", "--port", "x"]), &[&FAKE]).is_err());
    }
}
