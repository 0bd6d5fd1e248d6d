"""Small measuring helpers shared by the benchmark processes."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "max": max(ms) if ms else float("nan"),
        "mean": sum(ms) / len(ms) if ms else float("nan"),
    }


def peak_rss_mb() -> float:
    """High-water resident set of this process (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def reset_peak_rss() -> bool:
    """Reset the kernel's high-water mark (Linux ≥ 4.0: write 5 to clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def vm_hwm_mb() -> float:
    """VmHWM from /proc (resettable with reset_peak_rss, unlike ru_maxrss)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return peak_rss_mb()


def _tree_cpu_s() -> float:
    """CPU seconds of this process and every descendant, alive or reaped.

    The tokenising pool's workers are forkserver grandchildren: while alive
    they are read directly, once reaped their time is in the forkserver's
    children_* fields.
    """
    import psutil

    me = psutil.Process()
    t = me.cpu_times()
    total = t.user + t.system + t.children_user + t.children_system
    for child in me.children(recursive=True):
        try:
            c = child.cpu_times()
            total += c.user + c.system + c.children_user + c.children_system
        except psutil.Error:
            pass
    return total


def _system_busy_s() -> float:
    with open("/proc/stat") as f:
        fields = [float(x) for x in f.readline().split()[1:]]
    busy = sum(fields[:8]) - fields[3] - fields[4]  # minus idle, iowait; guest is in user
    return busy / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """Average cores busy over an interval: ours (process tree) and everyone's."""

    def __init__(self) -> None:
        self._own = _tree_cpu_s()
        self._sys = _system_busy_s()
        self._t = time.perf_counter()
        self._load = os.getloadavg()[0]

    def read(self, settle: float = 0.05) -> dict[str, float]:
        wall = time.perf_counter() - self._t
        time.sleep(settle)  # let the forkserver reap finished workers
        span = wall + settle
        own = (_tree_cpu_s() - self._own) / span if span > 0 else 0.0
        system = (_system_busy_s() - self._sys) / span if span > 0 else 0.0
        return {"own": own, "others": max(0.0, system - own), "loadavg": self._load}

    def cores(self) -> float:
        return self.read()["own"]


def dir_bytes(*paths: Path) -> int:
    return sum(p.stat().st_size for p in paths if p.exists())


def write_json(path: str | Path, data: Any) -> None:
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str))


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


def run_main(main, *args):  # type: ignore[no-untyped-def]
    """asyncio.run(main(*args)); on failure print the traceback and exit at once
    (an aiosqlite connection left open would otherwise keep the process alive)."""
    import asyncio
    import traceback

    try:
        return asyncio.run(main(*args))
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)


class RssSampler:
    """Peak resident memory of this process and of its largest descendant
    (a build child, a tokenising worker), sampled every `interval` seconds
    in a thread while the `with` block runs."""

    def __init__(self, interval: float = 0.1) -> None:
        import threading

        self.interval = interval
        self.own_mb = 0.0
        self.child_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while True:
            self.own_mb = max(self.own_mb, me.memory_info().rss / 2**20)
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):  # it may have just ended
                    self.child_mb = max(self.child_mb, child.memory_info().rss / 2**20)
            if self._stop.wait(self.interval):
                return
