"""The tracking benchmark runs as documented and prints both timings and their ratio (bench/README.md)."""

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_tracking_bench_prints_both_ways_and_the_ratio(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "bench/tracking.py", "--sentences", "30", "--documents", "40"],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(r"report: \d+ sentences; matcher: 40 verdicts", done.stdout), done.stdout
    assert re.search(r"one at a time: +[\d.]+ s", done.stdout) and re.search(r"\(batches\): +[\d.]+ s", done.stdout)
    assert re.search(r"ratio: \d+\.\d\dx", done.stdout), done.stdout
