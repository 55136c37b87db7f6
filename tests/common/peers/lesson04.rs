//! 第 4 课练习的对端 (见 `mod.rs`)。Peers for lesson 04's exercises.

use super::Peer;

/// 这一课有对端的练习。
pub const PEERS: &[Peer] = &[];
