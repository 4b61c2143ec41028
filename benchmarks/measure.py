"""Run one command and print its wall time, CPU time and peak RSS as JSON: usage `measure.py OUTPUT_FILE COMMAND…`.

A child process's peak RSS on Linux starts at its parent's peak when it was spawned, so a big parent (the runner after
building a demo database) would be counted in every child. This small parent, standard library only, spawns the
measured command instead, so the figure is the command's own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def measure(output_path: str, command: list[str]) -> dict[str, float | int]:
    """Wall seconds from spawn to exit, user+system CPU seconds, peak RSS in MB, exit code."""
    with open(output_path, "wb") as output:
        began = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - began
    scale = 1024**2 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, kilobytes on Linux
    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / scale,
        "returncode": os.waitstatus_to_exitcode(status),
    }


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], sys.argv[2:])))
