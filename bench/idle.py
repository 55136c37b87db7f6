"""Hostile clients against lesson04's file servers, on loopback (run by bench/idle.sh).

usage: idle.py DOWNLOAD_PORT UPLOAD_PORT SCENARIO COUNT RUNS [DOWNLOAD_PID UPLOAD_PID]
  SCENARIO idle:  COUNT connections to each server that connect and say nothing;
           stall: COUNT clients per server that stall mid-transfer (a download that is
                  never read, an upload that stops after 64 KiB).
While they are held, times RUNS normal downloads (small.txt) and RUNS normal uploads,
each from connect to the server's close, capped at CAP seconds. Prints one line per
kind: median and worst in ms, or how many hit the cap; with the servers' pids, also
their threads and peak memory while the hostile clients are held (Linux /proc).
"""
import os
import resource
import socket
import sys
import time

CAP = 3.0  # seconds: a normal transfer slower than this is counted as locked out
HOST = "127.0.0.1"


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, 8192) if hard != resource.RLIM_INFINITY else 8192
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def dial(port, rcvbuf=None, timeout=CAP):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(timeout)
    s.connect((HOST, port))
    return s


def until_closed(s):
    got = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return got
        got += chunk


def normal_download(port):
    start = time.perf_counter()
    try:
        s = dial(port)
        s.sendall(b"small.txt")
        data = until_closed(s)
        s.close()
    except OSError:
        return None
    if data != b"small file\n":
        raise SystemExit(f"download: wrong bytes {data[:40]!r}")
    return time.perf_counter() - start


def normal_upload(port, n):
    body = b"u" * 1000
    start = time.perf_counter()
    try:
        s = dial(port)
        s.sendall(b"post|%d|normal-%d.bin\n" % (len(body), n) + body)
        s.shutdown(socket.SHUT_WR)
        until_closed(s)  # the server closes after saving and finding no next header
        s.close()
    except OSError:
        return None
    return time.perf_counter() - start


def hold(scenario, count, dport, uport):
    """Opens the hostile connections. A server whose listen queue is full stops
    completing connects: then the rest of that server's are not tried (reported)."""
    held = []
    full = {}
    for i in range(count):
        for port in (dport, uport):
            if port in full:
                continue
            try:
                if scenario == "idle":
                    held.append(dial(port, timeout=1.0))
                elif port == dport:
                    d = dial(port, rcvbuf=4096, timeout=1.0)  # asks for the big file, never reads
                    d.sendall(b"big.bin")
                    held.append(d)
                else:
                    u = dial(port, timeout=1.0)  # promises 100 MB, sends 64 KiB, then nothing
                    u.sendall(b"post|104857600|stall-%d.bin\n" % i + b"s" * 65536)
                    held.append(u)
            except OSError:
                full[port] = i
    for port, i in full.items():
        print(f"    port {port}: only {i} of {count} hostile connections got through connect (listen queue full)")
    return held


def timed(transfer, runs):
    """Times `runs` transfers; after the first that is locked out, stops (the rest would be too)."""
    times = []
    for n in range(runs):
        times.append(transfer(n))
        if times[-1] is None:
            break
    return times


def report(kind, times):
    done = sorted(t for t in times if t is not None)
    capped = len(times) - len(done)
    if done:
        median = done[len(done) // 2] * 1000
        worst = done[-1] * 1000
        line = f"median {median:.1f} ms, worst {worst:.1f} ms"
    else:
        line = "none completed"
    if capped:
        line += f", not done within {CAP:.0f} s (locked out)"
    print(f"    normal {kind:8} {line}")


def status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.split()[0] if value.split() else ""
    return f"{fields['Threads']} threads, peak {int(fields['VmHWM']) // 1024} MiB"


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks


def cpu_share(pids, secs=2.0):
    """Each process's CPU use over `secs`, in percent of one core."""
    hz = os.sysconf("SC_CLK_TCK")
    before = [cpu_ticks(p) for p in pids]
    time.sleep(secs)
    after = [cpu_ticks(p) for p in pids]
    return [100.0 * (a - b) / hz / secs for a, b in zip(after, before)]


def main():
    dport, uport, scenario, count, runs = sys.argv[1:6]
    pids = sys.argv[6:8]
    dport, uport, count, runs = int(dport), int(uport), int(count), int(runs)
    raise_fd_limit()
    started = time.perf_counter()
    held = hold(scenario, count, dport, uport)
    time.sleep(0.5)  # let the servers accept them all before the first timing
    for s in held:
        s.settimeout(CAP)
    downloads = timed(lambda n: normal_download(dport), runs)
    uploads = timed(lambda n: normal_upload(uport, n), runs)
    report("download", downloads)
    report("upload", uploads)
    if pids:
        print(f"    while held: download_server {status(pids[0])}; upload_server {status(pids[1])}")
        d, u = cpu_share(pids)
        print(f"    CPU while held, over 2 s: download_server {d:.1f}%, upload_server {u:.1f}% of a core")
    if scenario == "idle":
        # Past the servers' --request-timeout (5 s): how many did they close?
        time.sleep(max(0.0, 6.0 - (time.perf_counter() - started)))
        closed = 0
        for s in held:
            s.settimeout(0.5)
            try:
                closed += s.recv(1) == b""
            except OSError:
                pass
        print(f"    after 6 s: {closed} of {len(held)} idle connections closed by the servers")
    for s in held:
        s.close()


main()
