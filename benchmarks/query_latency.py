"""Named-query latency on a large synthetic graph: NetworkX, and FalkorDB with --falkordb.

    .venv/bin/python benchmarks/query_latency.py [--entities 100000] [--falkordb]

Entity parameters are drawn at random (most entities have few papers) plus the biggest hub, reported
separately: hubs are where neighbourhood and path queries get expensive.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import time
from pathlib import Path

from large_graph import large_store
from timing import summary, time_each

from paperkg.queries.api import KnowledgeGraph
from paperkg.queries.api import open as open_graph

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the FalkorDB test helper


def cases(kg: KnowledgeGraph, rng: random.Random, runs: int) -> dict[str, list[dict]]:
    catalogue = kg.index.by_id
    linked = [e for e in catalogue.values() if e.paper_count > 0]
    some = rng.sample(linked, runs)
    models = [e for e in linked if e.type.value == "Model"]
    benchmarks = [e for e in linked if e.type.value == "Benchmark"]
    papers = [row.id for row in kg.query("papers_mentioning", entity=some[0].id)] or ["2000.00000"]
    return {
        "entity_by_name": [{"name": e.name.lower()} for e in some],
        "papers_mentioning": [{"entity": e.id} for e in some],
        "top_entities": [{"type": "benchmark", "limit": 20}] * 3,
        "evaluated_on": [{"model": e.id} for e in rng.sample(models, runs)],
        "models_on_benchmark": [{"benchmark": e.id} for e in rng.sample(benchmarks, runs)],
        "paper_proposes": [{"paper": p} for p in papers[:runs]],
        "top_baselines": [{"limit": 20}] * 3,
        "cooccurring": [{"entity": e.id} for e in some],
        "neighborhood": [{"entity": e.id, "hops": 2} for e in some],
        "new_entities": [{"after": "2025-06", "limit": 50}] * 3,
        "variants": [{"family": e.id} for e in rng.sample(models, runs)],
        "shortest_connection": [
            {"source": a.id, "target": b.id} for a, b in zip(some, reversed(some), strict=True)
        ],
    }


def measure(label: str, kg: KnowledgeGraph, plan: dict[str, list[dict]], hub: str) -> None:
    print(f"--- {label}")
    kg.query("papers_mentioning", entity=hub)  # warm-up: FalkorDB fills a new index on first use
    for name, params in plan.items():
        print(summary(name, time_each(lambda p, n=name: kg.query(n, **p), params)))
    for name, params in (
        ("papers_mentioning", {"entity": hub}),
        ("cooccurring", {"entity": hub}),
        ("neighborhood", {"entity": hub, "hops": 1}),
    ):
        print(summary(f"{name} (biggest hub)", time_each(lambda p, n=name: kg.query(n, **p), [params] * 3)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--falkordb", action="store_true", help="also load the graph into a local FalkorDB")
    args = parser.parse_args()
    store = large_store(entities=args.entities, papers=args.entities // 2)
    kg = open_graph(store)
    counts = store.counts()
    print(f"graph: {counts.total_nodes} nodes, {counts.total_relationships} edges")
    plan = cases(kg, random.Random(2), args.runs)
    hub = max(kg.index.by_id.values(), key=lambda e: e.paper_count)
    print(f"biggest hub: {hub.name} ({hub.paper_count} papers)")
    measure("networkx", kg, plan, hub.id)
    if not args.falkordb:
        return
    from falkordb_helper import load_store, start_falkordb

    with contextlib.ExitStack() as stack:
        host, port = stack.enter_context(start_falkordb())
        start = time.perf_counter()
        load_store(host, port, "bench", store)
        print(f"loaded into FalkorDB in {time.perf_counter() - start:.1f} s")
        # shortest_connection runs in breadth-first steps (queries/path_search.py), bounded by the edges it
        # searches: FalkorDB gets the same pairs and hops as NetworkX (allShortestPaths ran for minutes here)
        measure("falkordb", open_graph(f"falkordb://{host}:{port}/bench"), plan, hub.id)


if __name__ == "__main__":
    main()
