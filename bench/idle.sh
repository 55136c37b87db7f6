#!/usr/bin/env bash
# lesson04 under hostile clients: while 500 (then 1000) connections that say nothing, or 64 (then
# 128) clients that stall mid-transfer, are held against download_server and
# upload_server (default flags), time normal downloads and uploads (bench/idle.py).
# Loopback only; at most 2 x 1000 connections, under a minute in all.
# Usage: bash bench/idle.sh [RUNS]; BIN=DIR takes the binaries from DIR instead of
# building them (e.g. an older build, for a before/after).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
if [ -z "${BIN:-}" ]; then cargo build --release -q -p lesson04; fi
bin=${BIN:-$PWD/target/release}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir "$work/root" "$work/up"
echo "small file" > "$work/root/small.txt"
head -c $((16 << 20)) /dev/zero > "$work/root/big.bin"
echo "machine: $(nproc) cores, $(uname -r); $runs normal transfers of each kind per scenario"

# Waits until something listens on port $1 (ss, so no probe connection is served).
wait_port() {
  for _ in $(seq 200); do [ -n "$(ss -Hltn "sport = :$1")" ] && return; sleep 0.05; done
  echo "nothing listens on $1"; exit 1
}

# Fresh servers for every scenario, so one scenario's leftovers do not blur the next.
scenario() {
  $bin/download_server --host 127.0.0.1 --port 19111 --root "$work/root" > "$work/dl.log" 2>&1 &
  local dl=$!
  $bin/upload_server --host 127.0.0.1 --port 19112 --dir "$work/up" > "$work/up.log" 2>&1 &
  local up=$!
  wait_port 19111; wait_port 19112
  echo "-- $1 $2 per server"
  python3 bench/idle.py 19111 19112 "$1" "$2" "$runs" $dl $up
  kill $dl $up; wait $dl $up 2>/dev/null || true
  echo "    waiting-room log lines: download_server $(grep -c '等候室' < "$work/dl.log"), upload_server $(grep -c '等候室' < "$work/up.log")"
}

scenario idle 500
scenario idle 1000   # over --max-waiting (512): the oldest idle ones are closed
scenario stall 64
scenario stall 128   # every slot taken (--max-clients 128): the limit shows
