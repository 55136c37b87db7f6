#!/usr/bin/env bash
# lesson03 benchmark: thread-per-client vs one-at-a-time vs pool, 2000 held
# connections, and round trips of socketserver vs a minimal std server vs Python.
# Loopback only; every run is bounded (load's 60 s timeout). About 8 minutes.
# Usage: bash bench/lesson03.sh [SECTION...]   (sections 1 to 4; default all)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p lesson03
ulimit -n 16384 2>/dev/null || true
bin=target/release
sections=" ${*:-1 2 3 4} "
want() { [[ $sections == *" $1 "* ]]; }

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

if want 1; then
echo "== 1. the text's 1 s pause, one message per client =="
start 19001 $bin/server --port 19001;                        load --port 19001 --clients 1000 --messages 1; stop
start 19001 $bin/server --port 19001 --backlog 4096;         load --port 19001 --clients 1000 --messages 1; stop
start 19002 $bin/pool_server --port 19002 --threads 8;       load --port 19002 --clients 100 --messages 1;  stop
start 19002 $bin/pool_server --port 19002 --threads 1000 --backlog 4096
                                                             load --port 19002 --clients 1000 --messages 1; stop
start 19003 $bin/server --port 19003 --one-at-a-time;        load --port 19003 --clients 10 --messages 1;   stop
fi

if want 2; then
echo "== 2. 2000 connections held at once (server, no pause) =="
start 19004 $bin/server --port 19004 --pause 0;                load --port 19004 --clients 2000 --messages 1 --hold; stop
start 19004 $bin/server --port 19004 --pause 0 --backlog 4096; load --port 19004 --clients 2000 --messages 1 --hold; stop
fi

if want 3; then
echo "== 3. round trips, 64-byte messages: socketserver vs baseline_server, std's backlog =="
# Both servers run at once and the runs alternate, so a slow moment of the
# machine hits both; the median of 5 runs is what the README reports.
start 19005 $bin/socketserver --port 19005;    ss_pid=$pid
start 19007 $bin/baseline_server --port 19007; base_pid=$pid
# Runs load and keeps its "per second" figure, marked /fN when N clients failed.
rate() {
  { $bin/load "$@" || true; } | awk '/failed connections/ {f += $NF} /failed exchanges/ {f += $NF}
    /per second/ {r = $NF} END {printf "%s%s", r, (f ? "/f" f : "")}'
}
# The middle value of its arguments, however many runs there were.
med() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
for shape in "--clients 1 --messages 20000" "--clients 100 --messages 500" "--clients 1000 --messages 20 --hold"; do
  ours=(); base=()
  for run in 1 2 3 4 5; do
    ours+=("$(rate --port 19005 --proto echo $shape)")
    base+=("$(rate --port 19007 --proto echo $shape)")
  done
  echo "  $shape"
  echo "    socketserver    ${ours[*]}  median $(med "${ours[@]}")"
  echo "    baseline_server ${base[*]}  median $(med "${base[@]}")"
done
kill $ss_pid $base_pid; wait $ss_pid $base_pid 2>/dev/null || true
echo "-- the same 1000 burst with the queue widened"
start 19005 $bin/socketserver --port 19005 --backlog 4096
load --port 19005 --proto echo --clients 1000 --messages 20 --hold
stop
fi

if want 4; then
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
fi
