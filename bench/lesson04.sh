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
. bench/download_setup.sh
# Median time and speed of a kind's runs.
median() {
  awk -v s="$(median_secs "$1")" -v m="$size_mib" 'BEGIN {printf "%.3f s, %.0f MiB/s", s, m / s}'
}

# The long-lived servers: ours, ours framed, and the text's way in Python.
$bin/download_server --host 127.0.0.1 --port 19102 --root "$work/root" > /dev/null 2>&1 &
ours=$!
$bin/download_server --host 127.0.0.1 --port 19103 --root "$work/root" --framed > /dev/null 2>&1 &
framed=$!
(cd "$work/root" && exec python3 "$repo/bench/py_download_server.py" 19104) > /dev/null 2>&1 &
python=$!
wait_port 19102; wait_port 19103; wait_port 19104
echo "servers' peak KiB after start: ours $(hwm $ours), framed $(hwm $framed), python $(hwm $python)"

# The kinds take turns in every run, so a slow moment of the machine (or the
# disk's writeback) does not fall on one kind only.
for r in $(seq "$runs"); do
  echo "-- run $r"
  # raw: socat serves the file to one connection, another socat saves it.
  socat -b 1048576 -u OPEN:"$work/root/big",rdonly TCP-LISTEN:19101,reuseaddr > /dev/null 2>&1 &
  spid=$!
  wait_port 19101
  fetch raw "$work/out/raw" socat -b 1048576 -u TCP:127.0.0.1:19101 OPEN:"$work/out/raw",creat,trunc
  echo
  wait $spid 2>/dev/null || true
  fetch ours "$work/out/[新]big" $bin/download_client --host 127.0.0.1 --port 19102 --name big
  echo ", server peak KiB $(hwm $ours)"
  fetch framed "$work/out/[新]big" $bin/download_client --host 127.0.0.1 --port 19103 --name big --framed
  echo ", server peak KiB $(hwm $framed)"
  fetch python "$work/out/[新]big" $bin/download_client --host 127.0.0.1 --port 19104 --name big
  echo ", server peak KiB $(hwm $python)"
done

echo "== medians of $runs runs =="
echo "  raw     socat -b 1048576, file -> loopback -> file   $(median raw)"
echo "  ours    download_server + download_client          $(median ours)"
echo "  framed  the same with --framed on both ends        $(median framed)"
echo "  python  bench/py_download_server.py + our client   $(median python)"
