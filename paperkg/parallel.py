"""The spaCy pipeline over papers, in this process or in forked workers that send back small results, not Docs.

Sending `Doc`s back (spaCy's own `nlp.pipe(n_process=…)`) costs the parent more per paper than the whole pipeline:
`Doc.from_bytes` took ~13 ms per paper here, mostly srsly looking up its msgpack hooks on every load. So each
worker runs `nlp.pipe` over a batch of papers and returns `per_paper(paper, doc)` for each: a `PaperGraph` for a
build, an entity record for `paperkg extract`.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import TYPE_CHECKING, Any

from threadpoolctl import threadpool_limits

from paperkg.graph.schema import Paper

if TYPE_CHECKING:
    from spacy.tokens import Doc

PerPaper = Callable[[Paper, "Doc"], Any]


def map_papers(
    nlp, papers: Iterable[Paper], per_paper: PerPaper, *, batch_size: int = 64, n_process: int = 1
) -> Iterator[Any]:
    """`per_paper(paper, doc)` for each paper and its processed text, streaming and in input order.

    With `n_process` > 1, forked workers (they share the loaded pipeline) take batches of `batch_size`; at most
    two batches per worker are in flight, so a large input still streams, and an error while reading the input
    surfaces here as it would with one process. Each worker multiplies on one BLAS thread, since the workers
    already fill the cores. `per_paper` must be a module-level function (it is pickled by reference).

    Workers die with this process: killed when it is (Linux: the kernel's parent-death signal, even for
    kill -9), stopped at once when it stops early (an error, Ctrl-C, SIGTERM, the consumer closing the stream)."""
    if n_process <= 1:
        yield from map_batch(nlp, per_paper, papers, batch_size)
        return
    context = multiprocessing.get_context("fork")
    with (
        threadpool_limits(limits=1),
        ProcessPoolExecutor(
            n_process, mp_context=context, initializer=_start_worker, initargs=(nlp, per_paper, os.getpid())
        ) as pool,
    ):
        in_flight: deque = deque()
        try:
            for batch in batched(papers, batch_size):
                in_flight.append(pool.submit(_map_in_worker, batch))
                if len(in_flight) >= 2 * n_process:
                    yield from in_flight.popleft().result()
            while in_flight:
                yield from in_flight.popleft().result()
        except BaseException:
            stop_workers(pool)
            raise


def map_batch(nlp, per_paper: PerPaper, papers: Iterable[Paper], batch_size: int) -> Iterator[Any]:
    """`per_paper(paper, doc)` for each paper, in this process."""
    docs = nlp.pipe(((p.text, p) for p in papers), as_tuples=True, batch_size=batch_size)
    for doc, paper in docs:
        yield per_paper(paper, doc)


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and kill the workers now, rather than let them finish the batches in flight."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # shutdown forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.kill()


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM, for the block, stops the run like Ctrl-C (KeyboardInterrupt): files being written are left as
    they were, workers are stopped. Only in the main thread, where Python can install signal handlers."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent_pid: int) -> None:
    """Have the kernel kill this (worker) process when its parent dies, however it dies (Linux; elsewhere the
    pool's own shutdown is all there is). Exits at once if the parent is already gone."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)


_worker: tuple = ()  # (nlp, per_paper) of a worker process, set once when it starts


def _start_worker(nlp, per_paper: PerPaper, parent_pid: int) -> None:
    global _worker
    die_with_parent(parent_pid)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited through fork
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent decides
    _worker = (nlp, per_paper)


def _map_in_worker(papers: list[Paper]) -> list:
    nlp, per_paper = _worker
    return list(map_batch(nlp, per_paper, papers, len(papers)))
