"""Named-query latency on the seeds graph, NetworkX, FalkorDB and Neo4j side by side.

    python benchmarks/seeds_query_latency.py [--graph graph.json] [--runs 20]

Without --graph the seeds (../shared/seeds) are built first (not timed). The graph is loaded into a FalkorDB
and a Neo4j this script starts (Neo4j: the test launcher in tests/neo4j/, Java 17 + Maven); each backend
answers the same parameters, drawn at random from the graph, after one warm-up pass. Prints p50/p95 per query.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

from query_latency import cases
from timing import summary, time_each

from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.transfer import copy_store
from paperkg.queries.api import open as open_graph
from paperkg.stores import open_store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.neo4j_server import running_neo4j  # noqa: E402 - the launcher lives with the tests


def seeds_graph(path: Path) -> NetworkXStore:
    from paperkg.build import build_graph

    store = NetworkXStore()
    seeds = ROOT.parent / "shared" / "seeds"
    build_graph([seeds], store, progress=False, rejects_path=path / "rejects.jsonl")
    return store


def main() -> None:
    from paperkg.graph.cypher.falkordb_server import running_falkordb

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, help="a built graph file (default: build the seeds)")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = NetworkXStore.open(args.graph, create=False) if args.graph else seeds_graph(Path(tmp))
    counts = store.counts()
    print(f"graph: {counts.total_nodes} nodes, {counts.total_relationships} relationships")
    networkx = open_graph(store)
    plan = cases(networkx, random.Random(2), args.runs)
    with running_falkordb() as falkordb, running_neo4j() as neo4j:
        for backend, uri, password in (
            ("falkordb", falkordb.uri, None),
            ("neo4j", neo4j.uri, neo4j.password),
        ):
            target = open_store(backend, uri=uri, password=password)
            copy_store(store, target)
            target.close()
        graphs = {
            "networkx": networkx,
            "falkordb": open_graph(f"{falkordb.uri}/paperkg"),
            "neo4j": open_graph(f"bolt://{neo4j.user}:{neo4j.password}@{neo4j.host}:{neo4j.port}"),
        }
        for name, params in plan.items():
            for backend, kg in graphs.items():
                for p in params:  # warm-up: plan caches, index first use, JIT
                    kg.query(name, **p)
                answers = [[row.model_dump() for row in kg.query(name, **p)] for p in params]
                if backend == "networkx":
                    reference = answers
                assert answers == reference, (name, backend)
                timings = time_each(lambda p, n=name, g=kg: g.query(n, **p), params)
                print(summary(f"{name} [{backend}]", timings))
        for kg in graphs.values():
            kg.close()


if __name__ == "__main__":
    main()
