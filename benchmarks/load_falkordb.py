"""Load rate into FalkorDB: synthetic paper graphs → a FalkorDB this script starts itself.

    python benchmarks/load_falkordb.py [--papers 14000] [--batch-size 1000]

Prints nodes/s, relationships/s and records/s (nodes + relationships) for a first load and for a
re-load of the same input (which must change nothing). Generating the input is not timed.
The script asserts that the loaded counts equal the NetworkX store's for the same input.
"""

from __future__ import annotations

import argparse
import gc
import time

from paperkg.graph.cypher.falkordb_server import running_falkordb
from paperkg.graph.cypher.falkordb_session import FalkorDBSession
from paperkg.graph.cypher.store import CypherStore
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.synthetic import synthetic_paper_graphs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=14000)
    parser.add_argument("--entities", type=int, default=20000)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()

    graphs = list(synthetic_paper_graphs(args.papers, entities=args.entities))
    gc.freeze()  # the input is held whole only here (loads stream it): keep the GC from rescanning it
    reference = NetworkXStore()
    reference.write(graphs)
    expected = reference.counts()
    print(f"input: {expected.total_nodes} nodes, {expected.total_relationships} relationships")

    with running_falkordb() as server:
        store = CypherStore(FalkorDBSession(server.uri, "bench"), batch_size=args.batch_size)
        for run in ("first load", "re-load"):
            started = time.perf_counter()
            store.write(graphs)
            seconds = time.perf_counter() - started
            counts = store.counts()
            assert counts == expected, (counts, expected)
            nodes, relationships = counts.total_nodes, counts.total_relationships
            print(
                f"{run}: {seconds:.1f} s, batch {args.batch_size} papers — "
                f"{nodes / seconds:,.0f} nodes/s, {relationships / seconds:,.0f} relationships/s, "
                f"{(nodes + relationships) / seconds:,.0f} records/s"
            )
        store.close()


if __name__ == "__main__":
    main()
