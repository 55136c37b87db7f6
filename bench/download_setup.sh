# Shared by bench/lesson04.sh and bench/wiretap.sh (sourced, not run): builds
# lesson04, makes a random file of $size_mib MiB in a temporary folder under
# $BENCH_DIR (default /dev/shm, a tmpfs), and defines wait_port, hwm, fetch and
# median_secs. The caller sets size_mib and runs first; the folder is removed at exit.
command -v socat > /dev/null || { echo "$0 needs socat (apt-get install socat)"; exit 1; }
cargo build --release -q -p lesson04
repo=$PWD
bin=$repo/target/release
peak="python3 $repo/bench/peak.py"
work=$(mktemp -d -p "${BENCH_DIR:-/dev/shm}")
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
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
# Runs one download of kind $1 into $2 with "$@" as the client, checks the bytes,
# prints the numbers (no newline: the caller may add to the line) and keeps the
# time for the kind's median.
declare -A times
fetch() {
  local kind=$1 out=$2; shift 2
  rm -f "$out"
  local line
  line=$(cd "$work/out" && $peak "$@")
  [ "$(cksum < "$out")" = "$want" ] || { echo "    WRONG BYTES in $out"; exit 1; }
  rm -f "$out"
  local secs=${line#seconds }; secs=${secs%%,*}
  times[$kind]+="$secs "
  printf '  %-7s %s, %s' "$kind" "$line" "$(awk -v s="$secs" -v m="$size_mib" 'BEGIN {printf "%.0f MiB/s", m / s}')"
}
# The median time of a kind's runs, in seconds.
median_secs() {
  printf '%s\n' ${times[$1]} | sort -n | awk '{t[NR] = $1} END {print t[int((NR + 1) / 2)]}'
}
