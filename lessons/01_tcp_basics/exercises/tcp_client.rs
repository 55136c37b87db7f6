#![allow(unreachable_code, unused_variables, unused_imports, unused_mut, dead_code)] // 练习: 全部完成后删掉这一行
//! TCP 客户端: 重写 000 「客户端」 (用 gbk 编码发送, 用 UTF-8 解码回复, 和原文一样) 和 001 的客户端。
//! 练习 (学生版): 原文的调用换成了 `todo!("第 N 步: …")`; 按步骤的顺序写出来, 程序运行时停在第一个没写的步骤。
//! 练习 (学生版): 另一端: `cargo grade peer tcp_client` (现成的服务器, 回复 `thank you !`), 或原文 000 「服务器」 的 Python 程序。
//! 练习 (学生版): 检查: `cargo grade tcp_client`; 卡住时看提示: `cargo grade hint tcp_client`。
//!
//! 两端的运行方法:
//!   终端 1: cargo run -p lesson01 --bin tcp_server
//!   终端 2: cargo run -p lesson01 --bin tcp_client
//! 不加参数时像原文一样依次提问 ip、端口和消息; `--host`、`--port`、`--message` 可以
//! 预先给出答案 (脚本和测试里方便)。
//!
//! 和原文不同之处:
//! * 编码和原文一样: 消息用 gbk 编码发送, 回复按 UTF-8 解码。原文这里两种编码混用:
//!   服务器的回复若有中文 (gbk 字节), 按 UTF-8 解码就成了乱码; 原文的回复 `thank you !`
//!   是纯 ASCII, 所以看不出来。`--encoding utf-8` 让两个方向都用 UTF-8。
//!   GBK 里没有的字符 (例如表情符号) 会报一行错误, 一个字节也不发, 就像 Python 抛出 UnicodeEncodeError。
//! * 连接和读取都有超时 (`--timeout`), 服务器不在时报错而不是一直等。
//!
//! English: redoes 000's client (sends GBK, decodes the reply as UTF-8, like the text)
//! and 001's; `--encoding utf-8` uses UTF-8 both ways.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use support::{ask, fail, gbk, parse_port, resolve, Cli, OrExit};

use lesson01::Encoding;

fn main() {
    // 命令行参数: 原文把地址写在程序里, 我们让它可以改 (说明见文件末尾的 HELP)
    let mut cli = Cli::new(HELP);
    let host = cli.value("--host");
    let port = cli.port_opt();
    let message = cli.value("--message");
    let timeout = cli.timeout(30.0);
    let encoding = Encoding::from_flag(cli.value("--encoding"), Encoding::Gbk);
    cli.done();

    // 1. 目的信息: 没给参数时像原文一样提问
    let host = host.unwrap_or_else(|| ask("请输入服务器ip:"));
    let port = port.unwrap_or_else(|| parse_port(&ask("请输入服务器port:")));

    // 2. 创建套接字并连接服务器 (socket + connect), 最多等 timeout 秒。一个名字可能有几个
    //    地址 (localhost 是 ::1 和 127.0.0.1), 逐个试, 像 Python 的 create_connection
    //    连上后读取也最多等 timeout 秒, 服务器不回答时报错而不是永远等下去
    let mut stream: TcpStream = todo!(
        "第 2 步: 对 resolve 给出的每个地址试 TcpStream::connect_timeout, 连上就停, 连不上用 or_exit 报错; 再用 set_read_timeout 设读取超时; 见原文 000 「客户端」"
    );

    // 3. 提示用户输入数据, 编码, 然后发送 (原文: send_data.encode("gbk"))
    let message = message.unwrap_or_else(|| ask("请输入要发送的数据："));
    let data: Vec<u8> = todo!(
        "第 3 步: 按 encoding 编码 message (gbk::encode, 编码失败时用 fail 报错; 或 into_bytes); 原文的 encode(\"gbk\")"
    );
    todo!("第 3 步: 用 write_all 把 data 发给服务器; 原文的 send");

    // 4. 接收回复: 一次 read, 最多 1024 字节; 原文按 UTF-8 解码 (recvData.decode('utf-8'))。
    //    原文的 decode 遇到坏字节会抛异常; from_utf8_lossy 相当于 errors='replace', 坏字节变成 U+FFFD
    let mut buf = [0u8; 1024];
    let n: usize = todo!("第 4 步: 在 stream 上 read 一次, 放进 buf; 原文的 recv(1024)");
    todo!("第 4 步: 把收到的 n 个字节按 UTF-8 解码 (String::from_utf8_lossy), 照原文打印 `接收到的数据为: ` 一行");

    // 5. 关闭套接字: stream 在这里离开作用域
}

// 帮助文字 (原文没有命令行参数)。The help text.
const HELP: &str = "
tcp_client: 连接服务器, 发送一条消息, 打印回复。
tcp_client: connect, send one message, print the reply.

用法 usage: tcp_client [--host H] [--port P] [--message TEXT] [--timeout SECS] [--encoding gbk|utf-8]
  缺少的值会像原文一样提问 (请输入服务器ip: ...)。
  Missing values are asked for on stdin, like the text does.
  --encoding E  发送消息所用的编码 (默认 default gbk, 和原文 000 一样; 回复按 UTF-8 解码)
";
