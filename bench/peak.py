# Runs a command, then prints its wall time and its peak resident memory.
# Usage: python3 peak.py CMD ARGS...   (prints "seconds S, peak KiB K, exit C")
#
# The peak is the process's own VmHWM, read from /proc every 5 ms while it runs.
# getrusage's ru_maxrss would be simpler but is wrong here: Linux carries the
# forking Python's own memory across exec into it, so every command would seem
# to need at least Python's ~14 MiB.
import subprocess
import sys
import time


def hwm_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


start = time.monotonic()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
peak_kib = 0
while child.poll() is None:
    peak_kib = max(peak_kib, hwm_kib(child.pid))
    time.sleep(0.005)
seconds = time.monotonic() - start
print(f"seconds {seconds:.3f}, peak KiB {peak_kib}, exit {child.returncode}")
sys.exit(child.returncode)
