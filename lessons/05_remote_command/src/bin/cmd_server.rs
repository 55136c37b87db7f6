//! 远程执行命令服务器: 重做 003 「远程执行命令」 的 server 端 (127.0.0.1:8879)。
//!
//! 运行两端 (run both ends):
//!   终端 1: cargo run -p lesson05 --bin cmd_server
//!   终端 2: cargo run -p lesson05 --bin cmd_client   (或者原文的 Python 客户端)
//! 收到的每条消息都是一条命令: 去掉两边空白, 交给 shell 执行 (`sh -c`; Windows 上是
//! `cmd /C`), 读完它的输出, 用一次 `write_all` (原文的 `sendall`) 发回; 没有输出时发
//! `no output!`。
//!
//! 文件的顺序就是原文的顺序: `main` 里是第 1、2 步 (绑定, 接受连接), 下面的 `serve` 是原文
//! 内层的 `while True` (第 3-9 步), 最后的 `shell` 是原文的 `shell=True`。原文没有的部分
//! 各是一行调用, 注释里写着原文在那里怎么做:
//! * 只监听回环地址 (127.0.0.1); 别的地址要加 `--allow-remote`, 并且会打印警告 (没有密码,
//!   没有加密; 真正的远程登录用 ssh);
//! * 命令最多运行 `--limit` 秒 (默认 10), 到时间连同它启动的程序一起被杀掉, 并告诉客户端;
//!   输出最多保留 16 MiB, 多出来的截掉并附一句说明;
//! * 每个客户端一个线程 (第 3 课讲过的做法), 原文是一个接一个地服务; 客户端中途离开只结束
//!   它自己的线程; 读到 0 字节 (客户端走了) 就结束这个客户端; 日志里多了客户端连上和离开的
//!   两行 (带它的地址), 其余的行和原文一样;
//! * 两端都加 `--framed` 时换成长度前缀的协议 (见 `lesson05::framed`), 回答还带上命令的
//!   stderr 和退出码。
//!
//! English: redoes 003's remote command server: run each message through the shell and send
//! back its output (or `no output!`); loopback only, a time limit, an output cap.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;
use support::{accept_failed, announce, bind_failed, serve_in_thread, Cli, OrExit};

const HELP: &str = "
cmd_server: 把收到的每条消息当作命令在 shell 里执行, 把输出发回 (没有输出时发 no output!)。
cmd_server: run each message as a shell command and send back its output (or `no output!`).

用法 usage: cmd_server [--host H] [--port P] [--limit SECS] [--framed] [--allow-remote]
  --host H          默认 default 127.0.0.1 (只允许回环地址 loopback only)
  --port P          默认 default 8879
  --limit SECS      命令最长运行时间 time limit per command (默认 default 10)
  --framed          长度前缀协议, 也发回 stderr 和退出码 length-prefixed, with stderr and status
  --allow-remote    允许监听非回环地址 (危险!) allow a non-loopback address (dangerous!)
";

fn main() {
    let mut cli = Cli::new(HELP);
    let host = cli.host("127.0.0.1");
    let port = cli.port(8879);
    let limit = cli.positive_seconds("--limit", 10.0);
    let framed = cli.switch("--framed");
    let allow_remote = cli.switch("--allow-remote");
    cli.done();
    // 远程 shell 只给本机用 (原文直接绑定 127.0.0.1): 别的地址要 --allow-remote
    lesson05::loopback_only(&host, port, allow_remote);

    // 1. 创建套接字, 绑定 (bind), 监听 (listen): std 的 bind 一步做完这三件事
    let sk =
        TcpListener::bind((host.as_str(), port)).unwrap_or_else(|e| bind_failed(&host, port, e));
    announce("tcp", sk.local_addr().or_exit("读取监听地址"));
    println!("服务端启动...");

    // 2. 连接循环: accept 等下一个客户端, 交给它自己的线程 (原文在这里直接进入内层循环,
    //    一个接一个地服务)
    loop {
        let (conn, addr) = match sk.accept() {
            Ok(pair) => pair,
            Err(e) => {
                accept_failed(&e);
                continue;
            }
        };
        serve_in_thread(addr, move || serve(conn, addr, limit, framed));
    }
}

/// 一个客户端的通信循环 (原文内层的 `while True`)。
fn serve(mut conn: TcpStream, addr: SocketAddr, limit: Duration, framed: bool) -> io::Result<()> {
    println!("客户端 {addr} 已连接");
    // --framed (两端都加, 原文没有): 整个循环换成长度前缀的协议
    if framed {
        return lesson05::framed::serve(conn, addr, limit, shell);
    }
    let mut client_data = [0u8; 1024];
    loop {
        // 3. 收命令 (recv(1024)): 一次 read, 最多 1024 字节; 读出错时 `?` 结束这个客户端
        //    (原文的 try/except: break)
        let n = conn.read(&mut client_data)?;
        // 读到 0 字节: 客户端走了 (原文没有判断: 它把空命令拿去执行, 再往断开的连接里发
        // no output!, 直到发送出错, 整个服务器停下)
        if n == 0 {
            break;
        }
        // 4. 解码 (str(client_data, "utf8")) 并打印。from_utf8_lossy 相当于
        //    decode('utf-8', errors='replace'): 坏字节变成 U+FFFD (�), 不会出错;
        //    原文的解码遇到坏字节会抛出异常, 整个服务器就停了
        let text = String::from_utf8_lossy(&client_data[..n]);
        println!("{text}");
        println!("waiting...");
        // 5. 去掉两边空白, 交给 shell 执行, stdout 接到一根管道上
        //    (subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE))
        let cmd = text.trim();
        let mut cmd_call = shell(cmd).stdout(Stdio::piped()).spawn()?;
        // 时间上限 (原文没有): 超过 limit 秒就杀掉命令和它启动的所有程序
        let watch = lesson05::kill_after(&cmd_call, limit)?;
        // 6. 读完它的输出 (cmd_call.stdout.read()): 读到管道关闭为止。最多读 16 MiB 多一个
        //    字节 (多的那一个说明超过了上限); 原文不设上限
        let mut cmd_result = Vec::new();
        let stdout = cmd_call
            .stdout
            .take()
            .expect("第 5 步把 stdout 接到了管道上");
        stdout
            .take(lesson05::OUTPUT_CAP as u64 + 1)
            .read_to_end(&mut cmd_result)?;
        // 原文到这里就去发送了。我们还要: 等命令结束 (不留下僵尸进程), Windows 上把控制台
        // 编码转成 UTF-8, 超时或超长时在输出后面加一句说明
        watch.finish(&mut cmd_call, &mut cmd_result)?;
        // 7. 没有输出时发 no output!
        if cmd_result.is_empty() {
            cmd_result = b"no output!".to_vec();
        }
        // 8. 一次发完 (sendall), 再打印大小和三行星号
        conn.write_all(&cmd_result)?;
        println!("send data size {}", cmd_result.len());
        println!("******************");
        println!("******************");
        println!("******************");
    }
    // 9. 关闭连接 (conn.close()): conn 在函数结束时离开作用域, drop 时关闭
    println!("客户端 {addr} 已离开");
    Ok(())
}

/// 原文的 `shell=True`: 命令行交给 shell 解释执行。Linux/macOS 上是 `sh -c 命令`,
/// Windows 上是 `cmd /C 命令`。
/// The text's `shell=True`: `sh -c` on Unix, `cmd /C` on Windows.
fn shell(cmd: &str) -> Command {
    #[cfg(not(windows))]
    let mut shell = Command::new("sh");
    #[cfg(not(windows))]
    shell.arg("-c").arg(cmd);
    #[cfg(windows)]
    let mut shell = Command::new("cmd");
    // cmd.exe 按自己的规则切分命令行, 不是 `arg` 为 C 程序加引号的那种 (`echo "a b"` 会变成
    // `\"a b\"`)。所以命令原样交给它, 外面加一对引号, 和 Python 的 shell=True 一样;
    // cmd 会去掉外面那对引号。
    #[cfg(windows)]
    std::os::windows::process::CommandExt::raw_arg(&mut shell, format!("/C \"{cmd}\""));
    // 命令不读服务器终端的输入 (原文的命令和服务器共用一个终端)
    shell.stdin(Stdio::null());
    // 命令自成一组, 超时时能连同它启动的程序一起杀掉 (原文没有)
    lesson05::own_group(&mut shell);
    shell
}
