"""Percentiles of repeated timings, in milliseconds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable


def time_each(function: Callable, arguments: Iterable) -> list[float]:
    """Milliseconds for `function(argument)` for each argument."""
    timings = []
    for argument in arguments:
        start = time.perf_counter()
        function(argument)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def summary(label: str, timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{label:34} n={len(ordered):5}  p50={statistics.median(ordered):9.3f} ms  p95={p95:9.3f} ms"
