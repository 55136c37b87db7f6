#!/usr/bin/env bash
# wiretap benchmark: the same download with and without the tap in the middle.
# A file of SIZE_MIB (default 512) is fetched from download_server by
# download_client four ways, taking turns in every run:
#   raw     socat -b 1048576, file -> loopback -> file (no program of ours)
#   direct  download_client -> download_server
#   tap     download_client -> wiretap -> download_server (picture to /dev/null)
#   quiet   the same with wiretap --quiet
# Prints each run and the medians, plus the tap's peak memory.
# Usage: bash bench/wiretap.sh [SIZE_MIB] [RUNS]   Needs socat. Loopback only.
# The files live in a temporary folder under $BENCH_DIR (default /dev/shm),
# removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-512}
runs=${2:-5}
command -v socat > /dev/null || { echo "bench/wiretap.sh needs socat (apt-get install socat)"; exit 1; }
cargo build --release -q -p lesson04
repo=$PWD
bin=$repo/target/release
peak="python3 $repo/bench/peak.py"
work=$(mktemp -d -p "${BENCH_DIR:-/dev/shm}")
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir "$work/root" "$work/out"
head -c $((size_mib * 1048576)) /dev/urandom > "$work/root/big"
want=$(cksum < "$work/root/big")
echo "file: $size_mib MiB in $work, $runs runs each; machine: $(nproc) cores, $(uname -r)"

# Waits until something listens on $1 (ss: a probe connection would be served).
wait_port() {
  for _ in $(seq 200); do [ -n "$(ss -Hltn "sport = :$1")" ] && return; sleep 0.05; done
  echo "nothing listens on $1"; exit 1
}
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
declare -A times
# Runs one download of kind $1 into $2 with "$@" as the client, checks the bytes.
fetch() {
  local kind=$1 out=$2; shift 2
  rm -f "$out"
  local line
  line=$(cd "$work/out" && $peak "$@")
  [ "$(cksum < "$out")" = "$want" ] || { echo "    WRONG BYTES in $out"; exit 1; }
  rm -f "$out"
  local secs=${line#seconds }; secs=${secs%%,*}
  times[$kind]+="$secs "
  printf '  %-7s %s, %s\n' "$kind" "$line" "$(awk -v s="$secs" -v m="$size_mib" 'BEGIN {printf "%.0f MiB/s", m / s}')"
}
median() {
  printf '%s\n' ${times[$1]} | sort -n | awk '{t[NR] = $1} END {print t[int((NR + 1) / 2)]}'
}

$bin/download_server --host 127.0.0.1 --port 19202 --root "$work/root" > /dev/null 2>&1 &
wait_port 19202
$bin/wiretap --port 19203 --to 127.0.0.1:19202 > /dev/null 2>&1 &
tap=$!
$bin/wiretap --port 19204 --to 127.0.0.1:19202 --quiet > /dev/null 2>&1 &
quiet=$!
wait_port 19203; wait_port 19204

for r in $(seq "$runs"); do
  echo "-- run $r"
  socat -b 1048576 -u OPEN:"$work/root/big",rdonly TCP-LISTEN:19201,reuseaddr > /dev/null 2>&1 &
  spid=$!
  wait_port 19201
  fetch raw "$work/out/raw" socat -b 1048576 -u TCP:127.0.0.1:19201 OPEN:"$work/out/raw",creat,trunc
  wait $spid 2>/dev/null || true
  fetch direct "$work/out/[新]big" $bin/download_client --host 127.0.0.1 --port 19202 --name big
  fetch tap "$work/out/[新]big" $bin/download_client --host 127.0.0.1 --port 19203 --name big
  fetch quiet "$work/out/[新]big" $bin/download_client --host 127.0.0.1 --port 19204 --name big
done

echo "== medians of $runs runs =="
for kind in raw direct tap quiet; do
  m=$(median $kind)
  awk -v k="$kind" -v s="$m" -v m="$size_mib" -v d="$(median direct)" -v r="$(median raw)" \
    'BEGIN {printf "  %-7s %.3f s, %4.0f MiB/s, %3.0f %% of direct, %3.0f %% of raw\n", k, s, m / s, 100 * d / s, 100 * r / s}'
done
echo "tap peak KiB: picture $(hwm $tap), quiet $(hwm $quiet)"
