"""What a long build will cost, told as it goes: the papers counted before it starts, an estimate of the time
from its first papers, and a progress bar with the time left (tqdm, on stderr).

Counting reads the inputs once more with the same readers, streaming (a record at a time, nothing kept but the
ids that find repeats), so the bar's total is the number of papers the build will make; it costs about 1/500 of
the build itself (`benchmarks/profile_pipeline.py`: reading is 0.05 of ~25 ms per abstract).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Self, TextIO, TypeVar

from tqdm import tqdm

from paperkg.english import plural

T = TypeVar("T")
WARM_UP_PAPERS = 128  # the estimate is measured over these papers (a quarter of a smaller build) once the
WARM_UP_SECONDS = 20.0  # first one is out, or over this much time, whichever comes first


def progress_wanted(quiet: bool, forced: bool, stream: TextIO | None = None) -> bool:
    """Progress output on stderr: never with --quiet, always with --progress, else when stderr is a terminal."""
    if quiet:
        return False
    stream = stream or sys.stderr
    return forced or stream.isatty()


def count_papers(paths: Iterable[str | Path], *, strict: bool, max_record_chars: int) -> int:
    """How many papers reading `paths` gives (rejects and repeats left out), streaming."""
    from paperkg.sources import ReadStats, read_papers

    return sum(
        1 for _ in read_papers(paths, strict=strict, stats=ReadStats(), max_record_chars=max_record_chars)
    )


def duration(seconds: float) -> str:
    """`duration(4000)` → "1 h 7 min"; `duration(75)` → "1 min 15 s"; `duration(8.24)` → "8.2 s"."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


class BuildProgress:
    """The papers counted, then a bar with the time left, and one line estimating the whole run after the
    warm-up; everything on `stream` (stderr), nothing at all when not `enabled`."""

    def __init__(self, enabled: bool, stream: TextIO | None = None) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.total: int | None = None
        self.done = 0
        self._bar: tqdm | None = None
        self._first_out: float | None = None  # when the first paper came out of the pipeline
        self._first_done = 0  # papers out by then (the warm-up's rate is measured from there)
        self._estimated = False

    def count(self, paths: Iterable[str | Path], *, strict: bool, max_record_chars: int) -> None:
        """Count the papers of `paths` first (only when enabled: it is a second reading of the inputs)."""
        if not self.enabled:
            return
        started = time.perf_counter()
        self.total = count_papers(paths, strict=strict, max_record_chars=max_record_chars)
        self._say(
            f"{plural(self.total, 'paper')} to build (counted in {duration(time.perf_counter() - started)})"
        )

    def __enter__(self) -> Self:
        self._bar = tqdm(
            total=self.total,
            desc="papers",
            unit=" papers",
            file=self.stream,
            disable=not self.enabled,
            mininterval=0.5,
            smoothing=0.1,
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()

    def track(self, items: Iterable[T]) -> Iterator[T]:
        """`items`, advancing the bar by one for each."""
        for item in items:
            self.advance()
            yield item

    def advance(self, papers: int = 1) -> None:
        now = time.perf_counter()
        if self._first_out is None:
            self._first_out, self._first_done = now, self.done + papers
        self.done += papers
        if self._bar is not None:
            self._bar.update(papers)
        if not self._estimated and self.total:
            warmed = self.done - self._first_done
            enough = min(WARM_UP_PAPERS, max(self.total // 4, 1))
            if warmed >= enough or (warmed > 0 and now - self._first_out >= WARM_UP_SECONDS):
                self._estimate(warmed / (now - self._first_out))

    def _estimate(self, rate: float) -> None:
        self._estimated = True
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        self._say(
            f"estimate: {rate:.0f} papers/s over the first {plural(self.done, 'paper')}; "
            f"about {duration(left)} left for the other {self.total - self.done:,}"
        )

    def _say(self, line: str) -> None:
        if not self.enabled:
            return
        if self._bar is not None and not self._bar.disable:
            self._bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream, flush=True)
