"""`paperkg load`, `paperkg delete` and `paperkg export`: graph files ↔ graph database servers."""

from __future__ import annotations

import argparse
from pathlib import Path

from paperkg.commands import add_command
from paperkg.english import plural
from paperkg.stores import DEFAULT_GRAPH

EXPORT_FORMATS = ("neo4j-admin",)


def _describe(counts) -> str:
    nodes = ", ".join(f"{k} {v}" for k, v in counts.nodes.items())
    edges = ", ".join(f"{k} {v}" for k, v in counts.relationships.items())
    return (
        f"{plural(counts.total_nodes, 'node')} ({nodes}); "
        f"{plural(counts.total_relationships, 'relationship')} ({edges})"
    )


def cmd_load(args: argparse.Namespace) -> int:
    from paperkg.graph.networkx_store import NetworkXStore
    from paperkg.graph.transfer import copy_store
    from paperkg.stores import store_from_args

    if args.backend == "networkx":
        raise ValueError("load pushes a graph file into a server: choose --backend neo4j or falkordb")
    source = NetworkXStore.open(args.graph, create=False)
    target = store_from_args(args)
    try:
        counts = copy_store(source, target)
    finally:
        target.close()
    print(f"loaded {args.graph} into {target.uri}: {_describe(counts)}")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from paperkg.stores import store_from_args

    store = store_from_args(args, graph_file=args.graph, create=False)
    try:
        removed = store.delete_papers(args.paper_ids)
        if hasattr(store, "save"):
            store.save(args.graph)
        counts = store.counts()
    finally:
        store.close()
    missing = len(set(args.paper_ids)) - removed
    not_found = f" ({missing} not found)" if missing else ""
    print(f"deleted {plural(removed, 'paper')}{not_found}; graph: {_describe(counts)}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from paperkg.graph.cypher.neo4j_admin import export_neo4j_admin, import_command
    from paperkg.graph.networkx_store import NetworkXStore

    store = NetworkXStore.open(args.graph, create=False)
    summary = export_neo4j_admin(store, args.directory)
    print(
        f"wrote {plural(summary.nodes, 'node')} and {plural(summary.relationships, 'relationship')} to "
        f"{summary.directory}: {', '.join(summary.files)}"
    )
    print("import (Neo4j stopped, files in its import folder):")
    print(f"  {import_command(multiline_fields=summary.multiline_fields)}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from paperkg.stores import add_store_options

    load = add_command(
        sub,
        "load",
        "push a built graph file into Neo4j or FalkorDB",
        details="Batched, idempotent and parameterized: loading the same file twice changes nothing. The server "
        "comes from --uri and the other connection flags, or from the environment (NEO4J_URI, NEO4J_PASSWORD, "
        "FALKORDB_URI, …).",
        examples=[
            "paperkg load graph.json --backend falkordb --uri falkordb://localhost:6379",
            "NEO4J_PASSWORD=secret paperkg load graph.json --backend neo4j --uri neo4j://localhost:7687",
        ],
    )
    load.add_argument("graph", type=Path, help="graph file (node-link JSON from `paperkg build`)")
    add_store_options(load)
    load.set_defaults(run=cmd_load)

    delete = add_command(
        sub,
        "delete",
        "remove papers and the entities no other paper mentions",
        details="Papers are named by id, as `paperkg query paper_catalogue` or `paperkg lookup` show them. Works "
        "on a graph file (--graph) or, with --backend, on a server.",
        examples=[
            "paperkg delete 2307.09288 t-529efbd9c78a50c9 --graph graph.json",
            "paperkg delete 2307.09288 --backend falkordb --uri falkordb://localhost:6379",
        ],
    )
    delete.add_argument("paper_ids", nargs="+", metavar="PAPER_ID", help="ids of the papers to remove")
    delete.add_argument(
        "--graph", type=Path, default=DEFAULT_GRAPH, metavar="FILE", help="graph file (networkx backend)"
    )
    add_store_options(delete)
    delete.set_defaults(run=cmd_delete)

    export = add_command(
        sub,
        "export",
        "write a graph file as CSV files for neo4j-admin import",
        details="The fastest way to put a large graph into an empty Neo4j; the command to run is printed.",
        examples=["paperkg export neo4j-import/ --graph graph.json"],
    )
    export.add_argument("directory", type=Path, help="output folder for the CSV files")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="neo4j-admin", help="bulk-import format")
    export.add_argument(
        "--graph", type=Path, default=DEFAULT_GRAPH, metavar="FILE", help="graph file to export"
    )
    export.set_defaults(run=cmd_export)
