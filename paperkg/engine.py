"""`paperkg build --engine dask`: extraction as Dask tasks over input shards, then one merge.

The driver (this process) reads the inputs, merges repeats and collects rejects exactly as the one-process
build does, and cuts the distinct papers into shards (`paperkg.shards`). Each shard is one task: a worker runs
the pipeline, loaded once per worker process, over the shard's papers and sends back its result file's bytes,
which the driver writes atomically into the work dir. Only a bounded number of shards is in flight, so the
input streams; a task that fails is retried (`retries`), and a task lost with a killed worker is recomputed by
the scheduler. A shard whose result file exists is not submitted again, so a re-run after a crash resumes. The
merge then writes every shard's paper graphs, in input order, to any store and resolves entities corpus-wide:
the same graph as the one-process build.

Workers need no shared file system: papers travel with the task and results come back to the driver.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from pydantic import BaseModel
from threadpoolctl import threadpool_limits
from tqdm import tqdm

from paperkg.build import WRITE_BATCH, BuildSummary, paper_graph_of, report_rejects
from paperkg.graph.cypher.neo4j_admin import Neo4jAdminExport
from paperkg.graph.resolution import ResolutionSummary, apply_resolution
from paperkg.graph.schema import Paper, PaperGraph, Reject
from paperkg.graph.store import GraphStore
from paperkg.parallel import batched, map_batch
from paperkg.shards import (
    Shard,
    encode_shard,
    pipeline_fingerprint,
    plan_shards,
    read_shard,
    shard_path,
    write_atomically,
)
from paperkg.sources import ReadStats, read_papers
from paperkg.sources.files import DEFAULT_MAX_RECORD_CHARS

DEFAULT_SHARD_SIZE = 500
DEFAULT_RETRIES = 2
TASKS_PER_WORKER_THREAD = 2
SCHEDULER_TIMEOUT_S = 10
INSTALL_HINT = "the dask engine needs Dask distributed: pip install 'paperkg[distributed]'"


class ShardRun(BaseModel):
    """What the engine did with the shards of one build."""

    shards: int
    computed: int
    reused: int
    work_dir: str

    def line(self) -> str:
        return (
            f"dask engine: {self.shards} shards, {self.computed} extracted, "
            f"{self.reused} already done in {self.work_dir}"
        )


class MergeResult(BaseModel):
    """What the merge wrote: paper graphs, mentions, extraction rejects and what resolution did."""

    papers: int
    mentions: int
    rejects: list[Reject]
    resolution: ResolutionSummary | None


# --- in the worker ------------------------------------------------------------------------------------------
_pipeline = None
_pipeline_lock = threading.Lock()


def worker_pipeline():
    """The paperkg pipeline of this worker process, loaded on its first use and kept for the next tasks."""
    global _pipeline
    if _pipeline is None:
        import paperkg

        _pipeline = paperkg.load()
    return _pipeline


def extract_shard(shard: Shard) -> bytes:
    """A Dask task: the shard's result file, as bytes (see `paperkg.shards.encode_shard`). The lock keeps a
    worker with several threads from running the pipeline on two shards at once (it is not thread-safe)."""
    with _pipeline_lock, threadpool_limits(limits=1):
        graphs, rejects = extract_or_reject(worker_pipeline(), shard.papers)
    return encode_shard(graphs, rejects)


def extract_or_reject(nlp, papers: tuple[Paper, ...]) -> tuple[list[PaperGraph], list[Reject]]:
    """Each paper's graph; when the batch fails, paper by paper, a paper that fails alone becoming a reject
    with its file and line (so one bad record costs one record, not the shard)."""
    try:
        return list(map_batch(nlp, paper_graph_of, papers, len(papers))), []
    except Exception:  # noqa: BLE001 - narrowed below, paper by paper
        pass
    graphs, rejects = [], []
    for paper in papers:
        try:
            graphs.extend(map_batch(nlp, paper_graph_of, [paper], 1))
        except Exception as err:  # noqa: BLE001 - any pipeline error on one paper is that paper's reject
            reason = f"extraction failed: {type(err).__name__}: {err}"
            rejects.append(Reject(source=paper.source, line=paper.line, reason=reason, record=paper.title))
    return graphs, rejects


# --- in the driver ------------------------------------------------------------------------------------------
@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator:
    """A Dask client of the scheduler at `scheduler`, else of a local cluster of `workers` worker processes
    with one thread each; closed (with the local cluster) when the block ends."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise ValueError(INSTALL_HINT) from err
    if scheduler:
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT_S)
        except OSError as err:
            raise ConnectionError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from err
        with client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def run_shards(
    client,
    shards: Iterable[Shard],
    work_dir: Path,
    *,
    retries: int = DEFAULT_RETRIES,
    max_in_flight: int | None = None,
    on_shard_done: Callable[[Shard], None] | None = None,
    progress: bool = True,
) -> tuple[list[str], ShardRun]:
    """Extract every shard whose result is not in `work_dir` yet, at most `max_in_flight` at a time (default:
    two per worker thread); returns all shard ids in input order and what was done."""
    from distributed import as_completed

    if max_in_flight is None:
        threads = sum(client.nthreads().values()) or 1
        max_in_flight = TASKS_PER_WORKER_THREAD * threads
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    order: list[str] = []
    reused = computed = 0
    pending = as_completed()
    by_key: dict[str, Shard] = {}

    def finish(future) -> None:
        nonlocal computed
        shard = by_key.pop(future.key)
        write_atomically(shard_path(work_dir, shard.id), future.result())
        future.release()
        computed += 1
        bar.update(len(shard.papers))
        if on_shard_done is not None:
            on_shard_done(shard)

    with tqdm(desc="papers", unit=" papers", disable=not progress) as bar:
        for shard in shards:
            order.append(shard.id)
            if shard_path(work_dir, shard.id).exists():
                reused += 1
                bar.update(len(shard.papers))
                continue
            future = client.submit(
                extract_shard, shard, key=f"paperkg-shard-{shard.id}", retries=retries, pure=False
            )
            by_key[future.key] = shard
            pending.add(future)
            while pending.count() >= max_in_flight:
                finish(next(pending))
        for future in pending:
            finish(future)
    run = ShardRun(shards=len(order), computed=computed, reused=reused, work_dir=str(work_dir))
    return order, run


def shard_graphs(
    work_dir: Path, shard_ids: Iterable[str], rejects: list[Reject]
) -> Iterator[tuple[PaperGraph, int]]:
    """Each paper graph of the shards, in order, with its count of mentions; the shards' rejects are appended
    to `rejects`."""
    for shard_id in shard_ids:
        for line in read_shard(shard_path(work_dir, shard_id)):
            if line.reject is not None:
                rejects.append(line.reject)
            elif line.graph is not None:
                yield line.graph, line.mentions


def merge_shards(
    work_dir: Path, shard_ids: Iterable[str], store: GraphStore, *, batch_size: int = WRITE_BATCH
) -> MergeResult:
    """Write the shards' paper graphs to `store` in input order, then resolve entities corpus-wide (on a store
    that can merge them), as the one-process build does."""
    rejects: list[Reject] = []
    papers = mentions = 0
    for batch in batched(shard_graphs(Path(work_dir), shard_ids, rejects), batch_size):
        store.write(graph for graph, _ in batch)
        papers += len(batch)
        mentions += sum(count for _, count in batch)
    resolution = apply_resolution(store) if hasattr(store, "merge_entities") else None
    return MergeResult(papers=papers, mentions=mentions, rejects=rejects, resolution=resolution)


def export_shards(
    work_dir: Path, shard_ids: list[str], directory: Path
) -> tuple[MergeResult, Neo4jAdminExport]:
    """Resolve the shards' paper graphs corpus-wide holding only their entities, and write them as neo4j-admin
    CSV files into `directory` (`paperkg.graph.cypher.neo4j_admin_stream`): the rows of `merge_shards` into a
    NetworkX store and its export, for corpora too large to hold."""
    from paperkg.graph.cypher.neo4j_admin_stream import export_paper_graphs

    rejects: list[Reject] = []
    tally = {"papers": 0, "mentions": 0}

    def graphs() -> Iterator[PaperGraph]:  # one read of the shards; the counts are those of the last read
        rejects.clear()
        tally.update(papers=0, mentions=0)
        for graph, mentions in shard_graphs(Path(work_dir), shard_ids, rejects):
            tally["papers"] += 1
            tally["mentions"] += mentions
            yield graph

    export, resolution = export_paper_graphs(graphs, directory)
    merged = MergeResult(
        papers=tally["papers"], mentions=tally["mentions"], rejects=rejects, resolution=resolution
    )
    return merged, export


def build_with_dask(
    paths: Iterable[str | Path],
    store: GraphStore | None,
    *,
    work_dir: Path,
    client=None,
    scheduler: str | None = None,
    workers: int = 2,
    shard_size: int = DEFAULT_SHARD_SIZE,
    strict: bool = False,
    retries: int = DEFAULT_RETRIES,
    max_in_flight: int | None = None,
    rejects_path: Path | None = None,
    progress: bool = True,
    on_shard_done: Callable[[Shard], None] | None = None,
    max_record_chars: int = DEFAULT_MAX_RECORD_CHARS,
    neo4j_admin: Path | None = None,
) -> tuple[BuildSummary, ShardRun]:
    """Read, extract on Dask (`client`, else a client of `scheduler`, else a local cluster of `workers`
    processes), merge into `store` and resolve; the summary is the one-process build's. With `neo4j_admin` (a
    folder; `store` None) the merge writes neo4j-admin CSV files there instead (`export_shards`)."""
    started = time.perf_counter()
    stats = ReadStats()
    papers = read_papers(paths, strict=strict, stats=stats, max_record_chars=max_record_chars)
    shards = plan_shards(papers, shard_size, pipeline_fingerprint())
    with nullcontext(client) if client is not None else dask_client(scheduler, workers) as dask:
        shard_ids, run = run_shards(
            dask,
            shards,
            Path(work_dir),
            retries=retries,
            max_in_flight=max_in_flight,
            on_shard_done=on_shard_done,
            progress=progress,
        )
    if neo4j_admin is not None:
        merged, export = export_shards(Path(work_dir), shard_ids, Path(neo4j_admin))
        graph = export.graph
    else:
        merged = merge_shards(Path(work_dir), shard_ids, store)
        graph = store.counts()
    stats.rejects.extend(merged.rejects)  # records the pipeline failed on, reported with the unreadable ones
    stats.rejected += len(merged.rejects)
    report, note = report_rejects(stats, rejects_path or Path("rejects.jsonl"))
    summary = BuildSummary(
        read=stats.read,
        built=merged.papers,
        rejected=stats.rejected,
        duplicates=stats.duplicates,
        mentions=merged.mentions,
        merged_entities=merged.resolution.merged if merged.resolution else 0,
        variant_links=merged.resolution.variants if merged.resolution else 0,
        seconds=time.perf_counter() - started,
        graph=graph,
        rejects_report=report,
        report_note=note,
        skipped_files=stats.skipped_files,
    )
    return summary, run
