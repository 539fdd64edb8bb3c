"""The main job: papers from files → extraction → graph store, with a summary of what happened."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel

from paperkg.english import plural
from paperkg.graph.assemble import assemble_paper_graph
from paperkg.graph.resolution import apply_resolution
from paperkg.graph.schema import Paper, PaperGraph
from paperkg.graph.store import GraphCounts, GraphStore
from paperkg.parallel import batched, map_papers
from paperkg.progress import BuildProgress
from paperkg.sources import ReadStats, read_papers, write_rejects_report
from paperkg.sources.files import DEFAULT_MAX_RECORD_CHARS

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
    report_note: str = ""
    skipped_files: list[str] = []

    @property
    def papers_per_second(self) -> float:
        return self.built / self.seconds if self.seconds else 0.0

    def lines(self) -> list[str]:
        nodes = ", ".join(f"{k} {v}" for k, v in self.graph.nodes.items())
        edges = ", ".join(f"{k} {v}" for k, v in self.graph.relationships.items())
        read = f"read {plural(self.read, 'record')}: {plural(self.built, 'paper')} built, {self.rejected} rejected"
        if self.duplicates:
            read += f", {plural(self.duplicates, 'repeated paper')} not built (the first kept, each reported)"
        out = [
            read,
            (
                f"{plural(self.mentions, 'entity mention')} in {self.seconds:.1f} s "
                f"({self.papers_per_second:.0f} papers/s); resolution merged "
                f"{plural(self.merged_entities, 'entity', 'entities')}, linked "
                f"{plural(self.variant_links, 'variant')}"
            ),
            (
                f"graph: {plural(self.graph.total_nodes, 'node')} ({nodes}); "
                f"{plural(self.graph.total_relationships, 'relationship')} ({edges})"
            ),
        ]
        if self.skipped_files:
            shown = ", ".join(self.skipped_files[:5]) + (", …" if len(self.skipped_files) > 5 else "")
            out.append(
                f"skipped {plural(len(self.skipped_files), 'file')} in the input folders that "
                f"{'is' if len(self.skipped_files) == 1 else 'are'} no paper source (by extension): {shown}"
            )
        if self.rejects_report:
            out.append(f"rejects report: {self.rejects_report}{self.report_note}")
        return out


def report_rejects(stats: ReadStats, path: Path) -> tuple[str | None, str]:
    """Write the rejects and repeated records of a run to `path`; returns the report's path (None when there
    was nothing to report) and a note for the summary when a report of an earlier run was there: it is
    replaced, or emptied when this run has nothing to report, so no stale report is taken for this run's."""
    earlier = path.exists()
    if not (stats.rejects or stats.repeats):
        if not earlier:
            return None, ""
        write_rejects_report([], path)
        return str(path), " (emptied: it held an earlier run's rejects; this run has none)"
    write_rejects_report(stats.rejects, path, stats.repeats)
    return str(path), " (replaced an earlier run's report)" if earlier else ""


def paper_graph_of(paper: Paper, doc) -> PaperGraph:
    """One paper's graph piece: the mentions, typed relations and results of its processed text."""
    from paperkg.extract.mentions import mentions_of
    from paperkg.extract.relations import relations_of
    from paperkg.extract.results import doc_results

    mentions = mentions_of(paper, doc)
    return assemble_paper_graph(paper, mentions, relations_of(paper, doc, mentions), doc_results(doc))


def extract_paper_graphs(
    papers: Iterable[Paper], nlp, *, batch_size: int = 64, n_process: int = 1
) -> Iterator[PaperGraph]:
    """Each paper's graph piece, streaming and in input order; `n_process` > 1 runs the pipeline and the
    assembly in worker processes (`paperkg.parallel.map_papers`)."""
    return map_papers(nlp, papers, paper_graph_of, batch_size=batch_size, n_process=n_process)


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
    max_record_chars: int = DEFAULT_MAX_RECORD_CHARS,
) -> BuildSummary:
    """Read every input, extract, and write papers with their entities and edges to `store`; records over
    `max_record_chars` characters are rejects. With `progress`, the papers are counted first, and a bar with
    the time left and an estimate after the first papers go to stderr (`paperkg.progress`)."""
    if nlp is None:
        import paperkg

        nlp = paperkg.load()
    paths = list(paths)
    shown = BuildProgress(progress)
    shown.count(paths, strict=strict, max_record_chars=max_record_chars)
    stats = ReadStats()
    started = time.perf_counter()
    papers = read_papers(paths, strict=strict, stats=stats, max_record_chars=max_record_chars)
    graphs = extract_paper_graphs(papers, nlp, batch_size=batch_size, n_process=n_process)
    mentions = 0
    with shown:
        for batch in batched(shown.track(graphs), WRITE_BATCH):
            store.write(batch)
            mentions += sum(len(g.mentions) for g in batch)
    resolution = apply_resolution(store) if hasattr(store, "merge_entities") else None
    report, note = report_rejects(stats, rejects_path or Path("rejects.jsonl"))
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
        report_note=note,
        skipped_files=stats.skipped_files,
    )
