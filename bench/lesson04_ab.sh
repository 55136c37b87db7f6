#!/usr/bin/env bash
# lesson04 A/B: two builds of the file-transfer programs take turns (download and upload of the
# same random file over loopback, checked with cksum); prints every time and the medians.
# Usage: bash bench/lesson04_ab.sh DIR_A DIR_B [SIZE_MIB] [RUNS]
#   DIR_A, DIR_B: folders with release builds of download_server, download_client,
#   upload_server and upload_client (e.g. target/release of two checkouts).
# Loopback only; the file lives in /dev/shm and is removed at the end.
set -euo pipefail
A=$1; B=$2; size=${3:-256}; runs=${4:-7}
work=$(mktemp -d -p /dev/shm)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p $work/root $work/outA $work/outB $work/srcs $work/destA $work/destB
head -c $((size*1048576)) /dev/urandom > $work/root/big; cp $work/root/big $work/srcs/big
want=$(cksum < $work/root/big)
waitp(){ for i in $(seq 200); do [ -n "$(ss -Hltn "sport = :$1")" ] && return; sleep 0.05; done; echo "no $1"; exit 1; }
$A/download_server --host 127.0.0.1 --port 19401 --root $work/root >/dev/null 2>&1 &
$B/download_server --host 127.0.0.1 --port 19402 --root $work/root >/dev/null 2>&1 &
$A/upload_server --port 19403 --dir $work/destA >/dev/null 2>&1 &
$B/upload_server --port 19404 --dir $work/destB >/dev/null 2>&1 &
waitp 19401; waitp 19402; waitp 19403; waitp 19404
now(){ date +%s.%N; }
declare -A t
for r in $(seq $runs); do
  for k in A B; do
    bin=${!k}; port=$([ $k = A ] && echo 19401 || echo 19402)
    rm -f "$work/out$k/[新]big"; s=$(now)
    (cd $work/out$k && $bin/download_client --host 127.0.0.1 --port $port --name big >/dev/null)
    e=$(now); [ "$(cksum < "$work/out$k/[新]big")" = "$want" ] || { echo WRONG; exit 1; }
    t[dl$k]+="$(awk -v s=$s -v e=$e 'BEGIN{printf "%.3f", e-s}') "
    port=$([ $k = A ] && echo 19403 || echo 19404); dest=$work/dest$k
    rm -f $dest/big; s=$(now)
    (cd $work/srcs && printf 'post|big\n' | $bin/upload_client --port $port >/dev/null)
    for i in $(seq 4000); do [ -f $dest/big ] && break; sleep 0.002; done
    e=$(now); [ "$(cksum < $dest/big)" = "$want" ] || { echo WRONG UP; exit 1; }
    t[up$k]+="$(awk -v s=$s -v e=$e 'BEGIN{printf "%.3f", e-s}') "
  done
done
med(){ printf '%s\n' $1 | sort -n | awk -v m=$size '{t[NR]=$1} END {s=t[int((NR+1)/2)]; printf "median %.3f s (%.0f MiB/s)", s, m/s}'; }
for k in dlA dlB upA upB; do echo "$k: ${t[$k]}-> $(med "${t[$k]}")"; done
