#!/usr/bin/env bash
# lesson04 benchmark: download a 1 GiB file over loopback with our pair, beside a
# raw copy of the same file through the same loopback (socat) and beside a Python
# server that does what the text's does. Prints time, MiB/s, and the peak memory
# of both ends. Usage: bash bench/lesson04.sh [SIZE_MIB] [RUNS]
# Needs socat (Debian: apt-get install socat). Loopback only.
# The files live in a temporary folder under $BENCH_DIR (default /dev/shm, a
# tmpfs: about 2 GiB of memory), so disk writeback does not blur the timing;
# BENCH_DIR=/tmp measures with the disk. The folder is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
runs=${2:-5}
command -v socat > /dev/null || { echo "bench/lesson04.sh needs socat (apt-get install socat)"; exit 1; }
cargo build --release -q -p lesson04
repo=$PWD
bin=$repo/target/release
peak="python3 $repo/bench/peak.py"
work=$(mktemp -d -p "${BENCH_DIR:-/dev/shm}")
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
mkdir "$work/root" "$work/out"
head -c $((size_mib * 1048576)) /dev/urandom > "$work/root/big"
cat "$work/root/big" > /dev/null  # into the page cache, so every run reads from memory
want=$(cksum < "$work/root/big")
echo "file: $size_mib MiB in $work, $runs runs each; machine: $(nproc) cores, $(uname -r)"

# Waits until something listens on $1; asks ss, since a probe connection would
# be served (and would use up socat's single connection).
wait_port() {
  for _ in $(seq 200); do [ -n "$(ss -Hltn "sport = :$1")" ] && return; sleep 0.05; done
  echo "nothing listens on $1"; exit 1
}
# Peak resident memory of a live process, in KiB.
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
# Runs one download with "$@" as the client, checks the bytes, prints the numbers.
fetch() {
  local out=$1; shift
  rm -f "$out"
  local line
  line=$(cd "$work/out" && $peak "$@")
  [ "$(cksum < "$out")" = "$want" ] || { echo "    WRONG BYTES in $out"; exit 1; }
  local secs=${line#seconds }; secs=${secs%%,*}
  times+=("$secs")
  echo "    $line, $(awk -v s="$secs" -v m="$size_mib" 'BEGIN {printf "%.0f MiB/s", m / s}')"
}
# Prints the median of the runs since the last call, and forgets them.
times=()
median() {
  printf '%s\n' "${times[@]}" | sort -n | awk -v m="$size_mib" '{t[NR] = $1}
    END {s = t[int((NR + 1) / 2)]; printf "    median %.3f s, %.0f MiB/s\n", s, m / s}'
  times=()
}

echo "== raw copy: socat -b 1048576 file -> loopback -> file =="
for r in $(seq "$runs"); do
  socat -b 1048576 -u OPEN:"$work/root/big",rdonly TCP-LISTEN:19101,reuseaddr > /dev/null 2>&1 &
  spid=$!
  wait_port 19101
  fetch "$work/out/raw" socat -b 1048576 -u TCP:127.0.0.1:19101 OPEN:"$work/out/raw",creat,trunc
  wait $spid 2>/dev/null || true
done
median

echo "== ours: download_server + download_client =="
$bin/download_server --host 127.0.0.1 --port 19102 --root "$work/root" > /dev/null 2>&1 &
spid=$!
wait_port 19102
echo "    server peak KiB after start $(hwm $spid)"
for r in $(seq "$runs"); do
  fetch "$work/out/[新]big" $bin/download_client --host 127.0.0.1 --port 19102 --name big
  echo "    server peak KiB $(hwm $spid)"
done
median
kill $spid; wait $spid 2>/dev/null || true

echo "== ours, framed: download_server --framed + download_client --framed =="
$bin/download_server --host 127.0.0.1 --port 19103 --root "$work/root" --framed > /dev/null 2>&1 &
spid=$!
wait_port 19103
for r in $(seq "$runs"); do
  fetch "$work/out/[新]big" $bin/download_client --host 127.0.0.1 --port 19103 --name big --framed
  echo "    server peak KiB $(hwm $spid)"
done
median
kill $spid; wait $spid 2>/dev/null || true

echo "== the text's way in Python (bench/py_download_server.py) + download_client =="
(cd "$work/root" && exec python3 "$repo/bench/py_download_server.py" 19104) > /dev/null 2>&1 &
spid=$!
wait_port 19104
for r in $(seq "$runs"); do
  fetch "$work/out/[新]big" $bin/download_client --host 127.0.0.1 --port 19104 --name big
  echo "    python server peak KiB $(hwm $spid)"
done
median
kill $spid; wait $spid 2>/dev/null || true
