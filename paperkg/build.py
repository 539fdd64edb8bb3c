"""The main job: papers from files → extraction → graph store, with a summary of what happened."""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from pydantic import BaseModel
from threadpoolctl import threadpool_limits
from tqdm import tqdm

from paperkg.graph.assemble import assemble_paper_graph
from paperkg.graph.resolution import apply_resolution
from paperkg.graph.schema import Paper, PaperGraph
from paperkg.graph.store import GraphCounts, GraphStore
from paperkg.sources import ReadStats, read_papers, write_rejects_report

WRITE_BATCH = 500


class BuildSummary(BaseModel):
    """What a build read, built, rejected and merged, and what the graph holds afterwards."""

    read: int
    built: int
    rejected: int
    duplicates: int
    mentions: int
    merged_entities: int = 0
    variant_links: int = 0
    seconds: float
    graph: GraphCounts
    rejects_report: str | None = None

    @property
    def papers_per_second(self) -> float:
        return self.built / self.seconds if self.seconds else 0.0

    def lines(self) -> list[str]:
        nodes = ", ".join(f"{k} {v}" for k, v in self.graph.nodes.items())
        edges = ", ".join(f"{k} {v}" for k, v in self.graph.relationships.items())
        out = [
            (
                f"read {self.read} records: {self.built} papers built, {self.rejected} rejected, "
                f"{self.duplicates} duplicates merged"
            ),
            (
                f"{self.mentions} entity mentions in {self.seconds:.1f} s ({self.papers_per_second:.0f} papers/s); "
                f"resolution merged {self.merged_entities} entities, linked {self.variant_links} variants"
            ),
            (
                f"graph: {self.graph.total_nodes} nodes ({nodes}); "
                f"{self.graph.total_relationships} relationships ({edges})"
            ),
        ]
        if self.rejects_report:
            out.append(f"rejects report: {self.rejects_report}")
        return out


def extract_paper_graphs(
    papers: Iterable[Paper], nlp, *, batch_size: int = 64, n_process: int = 1
) -> Iterator[PaperGraph]:
    """Run the spaCy pipeline over papers (streaming) and assemble each paper's graph piece, in input order.

    With `n_process` > 1, worker processes (forked, so they share the loaded pipeline) each run `nlp.pipe`
    over batches of papers and send back the assembled `PaperGraph`s, not the `Doc`s: sending Docs (spaCy's
    own `n_process`) costs the parent more per paper than the whole pipeline. At most two batches per worker
    are in flight, so a large input still streams. Each worker multiplies on one BLAS thread, since the
    workers already fill the cores."""
    if n_process <= 1:
        yield from graphs_of_batch_in(nlp, papers, batch_size)
        return
    context = multiprocessing.get_context("fork")
    with (
        threadpool_limits(limits=1),
        ProcessPoolExecutor(
            n_process, mp_context=context, initializer=_start_worker, initargs=(nlp,)
        ) as pool,
    ):
        in_flight: deque = deque()
        for batch in batched(papers, batch_size):
            in_flight.append(pool.submit(_graphs_of_batch, batch))
            if len(in_flight) >= 2 * n_process:
                yield from in_flight.popleft().result()
        while in_flight:
            yield from in_flight.popleft().result()


def graphs_of_batch_in(nlp, papers: Iterable[Paper], batch_size: int) -> Iterator[PaperGraph]:
    """Each paper's graph piece: mentions and typed relations of its processed text."""
    from paperkg.extract.mentions import mentions_of
    from paperkg.extract.relations import relations_of

    docs = nlp.pipe(((p.text, p) for p in papers), as_tuples=True, batch_size=batch_size)
    for doc, paper in docs:
        yield assemble_paper_graph(paper, mentions_of(paper, doc), relations_of(paper, doc))


_worker_nlp = None  # the pipeline of a build worker process, set once when the worker starts


def _start_worker(nlp) -> None:
    global _worker_nlp
    _worker_nlp = nlp


def _graphs_of_batch(papers: list[Paper]) -> list[PaperGraph]:
    return list(graphs_of_batch_in(_worker_nlp, papers, len(papers)))


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def build_graph(
    paths: Iterable[str | Path],
    store: GraphStore,
    *,
    nlp=None,
    strict: bool = False,
    n_process: int = 1,
    batch_size: int = 64,
    rejects_path: Path | None = None,
    progress: bool = True,
) -> BuildSummary:
    """Read every input, extract, and write papers with their entities and edges to `store`."""
    if nlp is None:
        import paperkg

        nlp = paperkg.load()
    stats = ReadStats()
    started = time.perf_counter()
    papers = read_papers(paths, strict=strict, stats=stats)
    graphs = extract_paper_graphs(papers, nlp, batch_size=batch_size, n_process=n_process)
    mentions = 0
    with tqdm(desc="papers", unit=" papers", disable=not progress) as bar:
        for batch in batched(graphs, WRITE_BATCH):
            store.write(batch)
            mentions += sum(len(g.mentions) for g in batch)
            bar.update(len(batch))
    resolution = apply_resolution(store) if hasattr(store, "merge_entities") else None
    report = None
    if stats.rejects:
        report_path = rejects_path or Path("rejects.jsonl")
        write_rejects_report(stats.rejects, report_path)
        report = str(report_path)
    return BuildSummary(
        read=stats.read,
        built=stats.built,
        rejected=stats.rejected,
        duplicates=stats.duplicates,
        mentions=mentions,
        merged_entities=resolution.merged if resolution else 0,
        variant_links=resolution.variants if resolution else 0,
        seconds=time.perf_counter() - started,
        graph=store.counts(),
        rejects_report=report,
    )
