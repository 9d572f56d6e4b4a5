"""Termination workload for scripts/bench (run with /usr/bin/python3).

usage: workload.py RATE SECONDS FORK_SHARE [KILLERS]

Produces RATE terminations per second for SECONDS, of two real kinds:
- exits: a forking process whose children call _exit(0) at once (one exit_group each), at
  RATE * FORK_SHARE per second; fork costs about 1 ms on a small VM, so it cannot carry it all;
- signals: KILLERS signalling processes (default 2) send SIGUSR1 (default action: terminate; never signal 0) to a
  sink child that ignores it, at the remaining rate. Each kill() is one audited signal row.
Both are paced on the monotonic clock and checked inside every batch, so they never overshoot.
Prints one JSON line: the pids to match rows by, and how many of each were really produced.
"""
import json
import os
import signal
import sys
import time


def paced(rate, seconds, act):
    """Calls act() `rate` times a second for `seconds`; returns how many calls were made."""
    start = time.monotonic()
    n = 0
    while True:
        now = time.monotonic()
        if now - start >= seconds:
            return n
        due = min(int((now - start) * rate) + 1, int(rate * seconds))
        while n < due and time.monotonic() - start < seconds:
            act()
            n += 1
        time.sleep(0.0005)


def fork_exit():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def start_worker(rate, seconds, act):
    """Forks a worker running `act` paced; returns (pid, read end of its result pipe)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.write(w, str(paced(rate, seconds, act) if rate > 0 else 0).encode())
        os._exit(0)
    os.close(w)
    return pid, r


def collect(pid, r):
    count = int(os.read(r, 64) or b"0")
    os.waitpid(pid, 0)
    return count


def main():
    rate, seconds, share = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
    killers = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    sink = os.fork()
    if sink == 0:
        signal.signal(signal.SIGUSR1, signal.SIG_IGN)
        signal.pause()
        os._exit(0)
    time.sleep(0.2)  # the sink must ignore SIGUSR1 before the first one arrives
    t0 = time.monotonic()
    forker, fr = start_worker(rate * share, seconds, fork_exit)
    kill = lambda: os.kill(sink, signal.SIGUSR1)
    kws = [start_worker(rate * (1 - share) / killers, seconds, kill) for _ in range(killers)]
    exits = collect(forker, fr)
    signals = sum(collect(pid, r) for pid, r in kws)
    elapsed = time.monotonic() - t0
    os.kill(sink, signal.SIGKILL)
    os.waitpid(sink, 0)
    out = {"forker": forker, "killers": [pid for pid, _ in kws], "sink": sink, "exits": exits}
    out.update({"signals": signals, "seconds": seconds, "elapsed": elapsed})
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
