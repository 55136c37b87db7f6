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
. bench/download_setup.sh

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
  fetch raw "$work/out/raw" socat -b 1048576 -u TCP:127.0.0.1:19201 OPEN:"$work/out/raw",creat,trunc; echo
  wait $spid 2>/dev/null || true
  fetch direct "$work/out/[新]big" $bin/download_client --host 127.0.0.1 --port 19202 --name big; echo
  fetch tap "$work/out/[新]big" $bin/download_client --host 127.0.0.1 --port 19203 --name big; echo
  fetch quiet "$work/out/[新]big" $bin/download_client --host 127.0.0.1 --port 19204 --name big; echo
done

echo "== medians of $runs runs =="
for kind in raw direct tap quiet; do
  m=$(median_secs $kind)
  awk -v k="$kind" -v s="$m" -v m="$size_mib" -v d="$(median_secs direct)" -v r="$(median_secs raw)" \
    'BEGIN {printf "  %-7s %.3f s, %4.0f MiB/s, %3.0f %% of direct, %3.0f %% of raw\n", k, s, m / s, 100 * d / s, 100 * r / s}'
done
echo "tap peak KiB: picture $(hwm $tap), quiet $(hwm $quiet)"
