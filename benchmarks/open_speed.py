"""Open a graph file and answer the first lookup, old way against new, on 10k/50k/100k-paper synthetic graphs;
and the graph's memory per edge (tracemalloc, nodes included), counted two ways: the graph alone (the modules
imported first, by opening a 20-paper graph) and with the imports (about 20 MB whatever the graph's size).

    .venv/bin/python benchmarks/open_speed.py [--papers 10000 50000 100000] [--repeats 3] [--dir /tmp/…]

old: `nx.node_link_graph(json.loads(...))`, then the entity index built from the `entity_catalogue` query (what
`paperkg.open(path).lookup(...)` did before the binary copies). new: `paperkg.open(path).lookup(...)` as it is now,
with the caches beside the file current (written by the build's save, or by the first open of an older file).
Each measurement runs in a fresh interpreter (imports not counted); old and new alternate, so a busy machine
slows both alike: compare them as a ratio.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

QUERY_INDEX = 7  # the entity looked up: synthetic_entity(7)


def make_graph(path: Path, papers: int) -> None:
    """A synthetic graph of `papers` papers over as many entities, saved as node-link JSON (with its caches)."""
    from paperkg.graph.networkx_store import NetworkXStore
    from paperkg.graph.synthetic import synthetic_paper_graphs, synthetic_variant_relations

    store = NetworkXStore()
    store.write(synthetic_paper_graphs(papers, entities=papers))
    store.write_entity_relations(synthetic_variant_relations(papers))
    store.save(path)


def open_old(path: Path):
    import networkx as nx

    from paperkg.graph.networkx_store import NetworkXStore
    from paperkg.queries.api import KnowledgeGraph
    from paperkg.queries.entity_index import EntityIndex
    from paperkg.queries.runners import NetworkXRunner

    graph = nx.node_link_graph(json.loads(path.read_text()), directed=True, multigraph=True, edges="edges")
    kg = KnowledgeGraph(NetworkXRunner(NetworkXStore(graph)))
    return kg, lambda: EntityIndex(kg.query("entity_catalogue"))


def open_new(path: Path):
    import paperkg

    kg = paperkg.open(path)
    return kg, lambda: kg.index


def measure(way: str, path: Path) -> dict:
    """Seconds to open and to answer the first lookup, in this process."""
    import paperkg
    import paperkg.queries.api  # noqa: F401
    from paperkg.graph.synthetic import synthetic_entity

    name = synthetic_entity(QUERY_INDEX).name
    opener = open_old if way == "old" else open_new
    started = time.perf_counter()
    _kg, index = opener(path)
    opened = time.perf_counter()
    answer = index().lookup(name).best
    answered = time.perf_counter()
    assert answer is not None and answer.name == name, answer
    return {"open": opened - started, "lookup": answered - opened, "total": answered - started}


def bytes_per_edge(way: str, path: Path, warm: Path | None = None) -> float:
    """Memory the opened graph holds (tracemalloc), per edge. With `warm` (a small graph opened the same way
    first), the modules are imported before counting starts, so only the graph is counted; without it the
    imports (about 20 MB, whatever the graph's size) count too."""
    opener = open_old if way == "old" else open_new
    if warm is not None:
        opener(warm)
    tracemalloc.start()
    kg, _ = opener(path)
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return held / kg.store.graph.number_of_edges()


def in_fresh_process(*args: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--papers", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "paperkg-open-speed")
    parser.add_argument("--measure", choices=["old", "new"], help=argparse.SUPPRESS)
    parser.add_argument("--memory", choices=["old", "new"], help=argparse.SUPPRESS)
    parser.add_argument("--graph", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--warm", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.graph)))
        return
    if args.memory:
        print(json.dumps({"bytes_per_edge": bytes_per_edge(args.memory, args.graph, args.warm)}))
        return
    args.dir.mkdir(parents=True, exist_ok=True)
    print(
        "papers  edges    way  open s  lookup s  total s  (median of runs)  bytes/edge: graph  with imports"
    )
    warm = args.dir / "synthetic_20.json"
    if not warm.exists():
        make_graph(warm, 20)
    for papers in args.papers:
        path = args.dir / f"synthetic_{papers}.json"
        if not path.exists():
            make_graph(path, papers)
        in_fresh_process("--measure", "new", "--graph", str(path))  # caches current (an older file gets them)
        runs: dict[str, list[dict]] = {"old": [], "new": []}
        for _ in range(args.repeats):
            for way, timings in runs.items():
                timings.append(in_fresh_process("--measure", way, "--graph", str(path)))
        edges = edges_of(path)
        for way, timings in runs.items():
            memory = in_fresh_process("--memory", way, "--graph", str(path))["bytes_per_edge"]
            graph_only = in_fresh_process("--memory", way, "--graph", str(path), "--warm", str(warm))[
                "bytes_per_edge"
            ]
            median = {k: statistics.median(t[k] for t in timings) for k in ("open", "lookup", "total")}
            print(
                f"{papers:6}  {edges:7}  {way:3}  {median['open']:6.2f}  {median['lookup']:8.2f}  "
                f"{median['total']:7.2f}  {'':16}  {graph_only:17.0f}  {memory:12.0f}"
            )
        old, new = (statistics.median(t["total"] for t in runs[w]) for w in ("old", "new"))
        print(
            f"{papers:6}  open-to-first-answer: new takes {new / old:.2f} of the old time ({old / new:.1f}x faster)"
        )


def edges_of(path: Path) -> int:
    """Edges in a node-link file, counted without building the graph."""
    return len(json.loads(path.read_text())["edges"])


if __name__ == "__main__":
    main()
