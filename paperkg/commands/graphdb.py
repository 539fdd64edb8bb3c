"""`paperkg load`, `paperkg delete` and `paperkg export`: graph files ↔ graph database servers."""

from __future__ import annotations

import argparse
from pathlib import Path

from paperkg.stores import DEFAULT_GRAPH

EXPORT_FORMATS = ("neo4j-admin",)


def _describe(counts) -> str:
    nodes = ", ".join(f"{k} {v}" for k, v in counts.nodes.items())
    edges = ", ".join(f"{k} {v}" for k, v in counts.relationships.items())
    return f"{counts.total_nodes} nodes ({nodes}); {counts.total_relationships} relationships ({edges})"


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
    print(f"deleted {removed} papers ({missing} not found); graph: {_describe(counts)}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from paperkg.graph.neo4j_admin import export_neo4j_admin, import_command
    from paperkg.graph.networkx_store import NetworkXStore

    store = NetworkXStore.open(args.graph, create=False)
    summary = export_neo4j_admin(store, args.directory)
    print(
        f"wrote {summary.nodes} nodes and {summary.relationships} relationships to {summary.directory}: "
        f"{', '.join(summary.files)}"
    )
    print("import (Neo4j stopped, files in its import folder):")
    print(f"  {import_command()}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from paperkg.stores import add_store_options

    load = sub.add_parser("load", help="push a built graph file into Neo4j or FalkorDB")
    load.add_argument("graph", type=Path, help="graph file (node-link JSON from `paperkg build`)")
    add_store_options(load)
    load.set_defaults(run=cmd_load)

    delete = sub.add_parser("delete", help="remove papers and the entities left with no paper")
    delete.add_argument("paper_ids", nargs="+", metavar="PAPER_ID")
    delete.add_argument(
        "--graph", type=Path, default=DEFAULT_GRAPH, help="graph file for the networkx backend"
    )
    add_store_options(delete)
    delete.set_defaults(run=cmd_delete)

    export = sub.add_parser("export", help="bulk-import files for neo4j-admin")
    export.add_argument("directory", type=Path, help="output folder")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="neo4j-admin")
    export.add_argument("--graph", type=Path, default=DEFAULT_GRAPH, help="graph file to export")
    export.set_defaults(run=cmd_export)
