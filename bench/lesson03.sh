#!/usr/bin/env bash
# lesson03 benchmark: thread-per-client vs one-at-a-time vs pool, 2000 held
# connections, and round trips of socketserver vs a minimal std server vs Python.
# Loopback only; every run is bounded. Usage: bash bench/lesson03.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p lesson03
ulimit -n 16384 2>/dev/null || true
bin=target/release

# Starts "$@" in the background on a fixed free port, waits until it listens.
start() {
  local port=$1; shift
  echo "# server: ${*#$bin/}"
  "$@" > /dev/null 2>&1 &
  pid=$!
  for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && return; sleep 0.05; done
  echo "server on $port did not start"; exit 1
}
stop() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
load() { echo "\$ load $*"; $bin/load "$@" | sed 's/^/    /' || true; }  # a run with failures still reports

echo "== 1. the text's 1 s pause, one message per client =="
start 19001 $bin/server --port 19001;                        load --port 19001 --clients 1000 --messages 1; stop
start 19001 $bin/server --port 19001 --backlog 4096;         load --port 19001 --clients 1000 --messages 1; stop
start 19002 $bin/pool_server --port 19002 --threads 8;       load --port 19002 --clients 100 --messages 1;  stop
start 19002 $bin/pool_server --port 19002 --threads 1000 --backlog 4096
                                                             load --port 19002 --clients 1000 --messages 1; stop
start 19003 $bin/server --port 19003 --one-at-a-time;        load --port 19003 --clients 10 --messages 1;   stop

echo "== 2. 2000 connections held at once (server, no pause) =="
start 19004 $bin/server --port 19004 --pause 0;                load --port 19004 --clients 2000 --messages 1 --hold; stop
start 19004 $bin/server --port 19004 --pause 0 --backlog 4096; load --port 19004 --clients 2000 --messages 1 --hold; stop

echo "== 3. round trips, 64-byte messages; std's backlog, three runs each =="
for target in socketserver baseline_server; do
  start 19005 $bin/$target --port 19005
  for run in 1 2 3; do
    load --port 19005 --proto echo --clients 1 --messages 20000
    load --port 19005 --proto echo --clients 100 --messages 500
    load --port 19005 --proto echo --clients 1000 --messages 20 --hold
  done
  stop
done
start 19005 $bin/socketserver --port 19005 --backlog 4096
load --port 19005 --proto echo --clients 1000 --messages 20 --hold
stop

echo "== 4. Python's socketserver.ThreadingTCPServer, the text's handler =="
start 19006 python3 bench/py_socketserver.py 19006          # request_queue_size 5
load --port 19006 --proto echo --clients 1 --messages 20000
load --port 19006 --proto echo --clients 100 --messages 500
load --port 19006 --proto echo --clients 1000 --messages 20 --hold
stop
start 19006 python3 bench/py_socketserver.py 19006 4096     # the queue widened
load --port 19006 --proto echo --clients 100 --messages 500
load --port 19006 --proto echo --clients 1000 --messages 20 --hold
stop
