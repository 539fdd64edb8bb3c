"""CSV export rate for `neo4j-admin database import full`, from a synthetic NetworkX graph.

    python benchmarks/export_neo4j_admin.py [--papers 50000] [--out /tmp/paperkg-neo4j-import]

Prints records/s (nodes + relationships written). Building the graph is not timed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from paperkg.graph.cypher.neo4j_admin import export_neo4j_admin
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.synthetic import synthetic_paper_graphs, synthetic_variant_relations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=50000)
    parser.add_argument("--entities", type=int, default=50000)
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: a temp folder)")
    args = parser.parse_args()

    store = NetworkXStore()
    store.write(synthetic_paper_graphs(args.papers, entities=args.entities))
    store.write_entity_relations(synthetic_variant_relations(args.entities))
    counts = store.counts()
    print(f"graph: {counts.total_nodes} nodes, {counts.total_relationships} relationships")

    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        started = time.perf_counter()
        summary = export_neo4j_admin(store, out)
        seconds = time.perf_counter() - started
        size = sum((out / name).stat().st_size for name in summary.files) / 1e6
    assert summary.nodes == counts.total_nodes and summary.relationships == counts.total_relationships
    print(
        f"export: {summary.records} records ({size:.0f} MB) in {seconds:.2f} s — "
        f"{summary.records / seconds:,.0f} records/s"
    )


if __name__ == "__main__":
    main()
