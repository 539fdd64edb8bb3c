"""The path a million papers take: Dask extraction → merge + resolution → neo4j-admin export → import.

    python benchmarks/million_path.py [--papers 100000] [--workers 2] [--synthetic-papers 1000000]
                                      [--no-import] [--compare-local] [--work DIR]

(a) `--papers` real-shaped abstracts (seed sentences recombined, benchmarks/recombined_abstracts.py) through
    `paperkg.engine` on a local Dask cluster of `--workers` processes, the merge into a NetworkX store, the
    resolution, the CSV export for neo4j-admin and, when the Neo4j launcher of tests/neo4j builds (Java 17 +
    Maven), neo4j-admin's own `database import full`. `--compare-local` also runs the local process pool
    (`--processes` = workers) on the same input, for abstracts/s side by side.
(b) from the merge on for `--synthetic-papers` synthetic papers (graph/synthetic.py), written as shard files
    first (not timed): merge, resolution, export, import.
(c) the projection: hours for 1M and for the 2.7M arXiv snapshot on 1, 4 and 16 machines like this one.

Each stage prints its wall time and the peak resident memory of the whole process tree (this process and its
children: the Dask scheduler's and workers' processes, the JVM), sampled every 0.1 s.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from paperkg.engine import dask_client, run_shards, shard_graphs, worker_pipeline
from paperkg.graph.cypher.neo4j_admin import export_neo4j_admin, import_command
from paperkg.graph.cypher.neo4j_admin_stream import resolve_paper_graphs, write_resolved
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.resolution import apply_resolution
from paperkg.graph.synthetic import synthetic_paper_graphs
from paperkg.parallel import batched
from paperkg.shards import encode_shard, pipeline_fingerprint, plan_shards, shard_path, write_atomically
from paperkg.sources import read_papers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from recombined_abstracts import write_recombined

ARXIV_SNAPSHOT = 2_700_000
STAGES_FILE = "stages.json"
MACHINES = (1, 4, 16)
GB = 1024**3


class PeakMemory(threading.Thread):
    """Samples the resident memory of this process and all its descendants; `peak` is the largest sum."""

    def __init__(self, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.interval, self.peak, self._done = interval, 0, threading.Event()
        self.root = psutil.Process()

    def tree_rss(self) -> int:
        total = 0
        for process in [self.root, *self.root.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.Error:
                pass
        return total

    def run(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, self.tree_rss())
            self._done.wait(self.interval)

    def stop(self) -> int:
        self._done.set()
        self.join()
        self.peak = max(self.peak, self.tree_rss())
        return self.peak


@dataclass
class Stage:
    name: str
    items: int = 0
    records: int = 0  # nodes + relationships of the graph the stage handles, when it handles a graph
    seconds: float = 0.0
    peak: int = 0
    start_rss: int = 0
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        rate = f"{self.items / self.seconds:10,.0f} papers/s" if self.items and self.seconds else " " * 20
        return (
            f"  {self.name:28} {self.seconds:9.1f} s {rate}  peak {self.peak / GB:6.2f} GB "
            f"(at start {self.start_rss / GB:5.2f} GB){'  ' + '; '.join(self.notes) if self.notes else ''}"
        )


@contextmanager
def stage(name: str, stages: list[Stage], items: int = 0) -> Iterator[Stage]:
    gc.collect()
    meter = PeakMemory()
    current = Stage(name, items, start_rss=meter.tree_rss())
    meter.start()
    started = time.perf_counter()
    try:
        yield current
    finally:
        current.seconds = time.perf_counter() - started
        current.peak = meter.stop()
        stages.append(current)
        print(current.line(), flush=True)


def neo4j_admin_runner():
    """`neo4j_admin(home, *args)` of the test launcher, or None (with why) when Java/Maven are missing."""
    try:
        from tests.neo4j_server import build_launcher, neo4j_admin

        build_launcher()
        return neo4j_admin, ""
    except Exception as err:  # noqa: BLE001 - any reason the launcher is unavailable skips the import stage
        return None, f"{type(err).__name__}: {str(err).splitlines()[0]}"


def merge_export_import(work: Path, shard_ids: list[str], papers: int, stages: list[Stage], do_import: bool):
    """Merge shard files into a NetworkX store, resolve, export CSVs, import them; stages appended."""
    store = NetworkXStore()
    rejects: list = []
    first = len(stages)
    with stage("merge (write to store)", stages, papers):
        for batch in batched(shard_graphs(work, shard_ids, rejects), 500):
            store.write(graph for graph, _ in batch)
    entities = sum(1 for _ in store.entities())
    with stage(f"resolution ({entities:,} entities)", stages, papers) as current:
        resolution = apply_resolution(store)
        current.notes.append(f"merged {resolution.merged}, variants {resolution.variants}")
    counts = store.counts()
    records = counts.total_nodes + counts.total_relationships
    print(
        f"  graph: {counts.total_nodes:,} nodes, {counts.total_relationships:,} relationships "
        f"({records / papers:.1f} records per paper)"
    )
    csv_dir = work / "neo4j-import"
    with stage("export neo4j-admin CSVs", stages, papers) as current:
        export = export_neo4j_admin(store, csv_dir)
        size = sum((csv_dir / name).stat().st_size for name in export.files)
        current.notes.append(f"{export.records:,} records, {size / 1e9:.2f} GB")
    del store
    gc.collect()
    for done_stage in stages[first:]:
        done_stage.records = records
    if do_import:
        import_stage(csv_dir, export, papers, records, stages)


def streamed_export_import(
    work: Path, shard_ids: list[str], papers: int, stages: list[Stage], do_import: bool
):
    """Resolve from the shard files holding only the entities, then write the CSVs straight from them
    (`paperkg.graph.cypher.neo4j_admin_stream`); import them; stages appended."""
    first = len(stages)

    def graphs():
        return (graph for graph, _ in shard_graphs(work, shard_ids, []))

    with stage("resolution, streamed", stages, papers) as current:
        table, resolution = resolve_paper_graphs(graphs)
        current.notes.append(
            f"{len(table.nodes) + resolution.merged:,} entities, merged {resolution.merged}, "
            f"variants {resolution.variants}; two reads of the shards"
        )
    csv_dir = work / "neo4j-import"
    with stage("export neo4j-admin CSVs, streamed", stages, papers) as current:
        export = write_resolved(table, graphs(), csv_dir)
        size = sum((csv_dir / name).stat().st_size for name in export.files)
        current.notes.append(f"{export.records:,} records, {size / 1e9:.2f} GB; one read of the shards")
    print(f"  graph: {export.nodes:,} nodes, {export.relationships:,} relationships")
    del table
    gc.collect()
    for done_stage in stages[first:]:
        done_stage.records = export.records
    if do_import:
        import_stage(csv_dir, export, papers, export.records, stages)


def import_stage(csv_dir: Path, export, papers: int, records: int, stages: list[Stage]) -> None:
    """neo4j-admin's own import of an export, when the launcher of tests/neo4j builds."""
    admin, why = neo4j_admin_runner()
    if admin is None:
        print(f"  import skipped: {why}")
        return
    home = csv_dir.parent / "neo4j-home"
    shutil.rmtree(home, ignore_errors=True)
    command = import_command(str(csv_dir.resolve()), multiline_fields=export.multiline_fields).split()
    with stage("neo4j-admin import full", stages, papers) as current:
        done = admin(home, *command[1:])
        current.notes.append("JVM start included, -Xmx1g")
    if done.returncode != 0:
        print(f"  import FAILED: {(done.stdout + done.stderr)[-2000:]}")
    shutil.rmtree(home, ignore_errors=True)
    stages[-1].records = records


def real_path(args, root: Path) -> list[Stage]:
    stages: list[Stage] = []
    print(f"(a) {args.papers:,} recombined real-shaped abstracts, Dask engine, {args.workers} local workers")
    inputs = root / "inputs"
    with stage("generate abstracts (JSONL)", stages, args.papers):
        files = write_recombined(args.papers, inputs)
    work = root / "work-real"
    with ExitStack() as cluster:
        with stage("start cluster, load pipelines", stages):
            client = cluster.enter_context(dask_client(None, args.workers))
            client.run(worker_pipeline)  # what each worker's first shard would do
        with stage(f"extract on Dask ({args.workers} workers)", stages, args.papers) as current:
            papers = read_papers(files)
            shards = plan_shards(papers, args.shard_size, pipeline_fingerprint())
            shard_ids, run = run_shards(client, shards, work, progress=False)
            current.notes.append(f"{run.shards} shards of {args.shard_size}")
    if args.compare_local:
        from paperkg.build import build_graph

        with stage(f"local pool (--processes {args.workers})", stages, args.papers):
            build_graph(
                files, NetworkXStore(), n_process=args.workers, progress=False, rejects_path=root / "r.jsonl"
            )
    merge_export_import(work, shard_ids, args.papers, stages, args.do_import)
    return stages


def synthetic_path(args, root: Path) -> list[Stage]:
    stages: list[Stage] = []
    papers = args.synthetic_papers
    print(f"(b) {papers:,} synthetic papers (graph/synthetic.py, {papers:,}-entity pool) from the merge on")
    work = root / "work-synthetic"
    shard_ids = []
    with stage("write shard files (not a path stage)", stages, papers):
        graphs = synthetic_paper_graphs(papers, entities=papers)
        for number, batch in enumerate(batched(graphs, args.shard_size)):
            shard_ids.append(f"synthetic-{number:07d}")
            write_atomically(shard_path(work, shard_ids[-1]), encode_shard(batch, ()))
    if args.streamed:
        streamed_export_import(work, shard_ids, papers, stages, args.do_import)
    else:
        merge_export_import(work, shard_ids, papers, stages, args.do_import)
    return stages


def largest(stages: list[Stage], prefix: str) -> Stage | None:
    """The stage named `prefix…` that handled the largest graph (fixed costs such as the JVM start weigh
    least there), None when no run has it."""
    matching = [s for s in stages if s.name.startswith(prefix) and s.records]
    return max(matching, key=lambda s: s.records, default=None)


SERIAL_STAGES = ("merge", "resolution", "export", "neo4j-admin")


def projection(real: list[Stage], synthetic: list[Stage], workers: int) -> None:
    """Extraction divides by the machines; merge, resolution, export and import run on one machine, at the
    cost per graph record of the largest run that has the stage, times the records per paper of the
    real-shaped run."""
    extract = next(s for s in real if s.name.startswith("extract on Dask"))
    per_paper_extract = extract.seconds / extract.items
    records_per_paper = next(s.records / s.items for s in real if s.records)
    serial, sources = {}, []
    for name in SERIAL_STAGES:
        stage_run = largest(real + synthetic, name)
        serial[name] = stage_run.seconds / stage_run.records * records_per_paper if stage_run else 0.0
        hours = serial[name] * 1e6 / 3600
        sources.append(f"{name} {hours:.2f} h ({stage_run.items:,} papers)" if stage_run else f"no {name}")
    print(
        f"(c) projection: extraction at {1 / per_paper_extract:,.0f} papers/s per machine like this one "
        f"({workers} workers) divides by N machines; the rest runs on one machine, at the per-record cost "
        f"of the largest run of each stage x {records_per_paper:.1f} records per real-shaped paper:"
    )
    print(f"  {', '.join(sources)} per 1M papers")
    print(f"  {'papers':>10} " + " ".join(f"{f'N={n}':>9}" for n in MACHINES) + "   (hours, end to end)")
    for papers in (1_000_000, ARXIV_SNAPSHOT):
        hours = [(papers * per_paper_extract / n + papers * sum(serial.values())) / 3600 for n in MACHINES]
        print(f"  {papers:>10,} " + " ".join(f"{h:9.1f}" for h in hours))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000, help="real-shaped abstracts (0 skips (a))")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--shard-size", type=int, default=500)
    parser.add_argument("--synthetic-papers", type=int, default=1_000_000, help="0 skips (b)")
    parser.add_argument("--no-import", dest="do_import", action="store_false", help="skip neo4j-admin")
    parser.add_argument("--compare-local", action="store_true", help="also the local process pool")
    parser.add_argument(
        "--streamed",
        action="store_true",
        help="(b) without the graph in memory: resolution and export read the shard files "
        "(graph/cypher/neo4j_admin_stream.py) instead of a NetworkX store",
    )
    parser.add_argument("--work", type=Path, default=None, help="folder for inputs, shards and CSVs")
    parser.add_argument(
        "--project-from",
        nargs="+",
        type=Path,
        metavar="DIR",
        help="only print the projection, from the stages.json of earlier runs' --work folders (say, (a) and "
        "(b) run separately)",
    )
    args = parser.parse_args()
    if args.project_from:
        runs = [json.loads((folder / STAGES_FILE).read_text()) for folder in args.project_from]
        real = [Stage(**s) for run in runs for s in run["real"]]
        synthetic = [Stage(**s) for run in runs for s in run["synthetic"]]
        projection(real, synthetic, next(run["workers"] for run in runs if run["real"]))
        return
    root = args.work or Path(tempfile.mkdtemp(prefix="paperkg-million-"))
    print(f"work folder: {root}; {psutil.cpu_count()} CPUs, {psutil.virtual_memory().total / GB:.0f} GB")
    real = real_path(args, root) if args.papers else []
    synthetic = synthetic_path(args, root) if args.synthetic_papers else []
    saved = {"workers": args.workers, "real": [asdict(s) for s in real]}
    saved["synthetic"] = [asdict(s) for s in synthetic]
    (root / STAGES_FILE).write_text(json.dumps(saved, indent=1))
    if real:
        projection(real, synthetic, args.workers)
    if args.work is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
