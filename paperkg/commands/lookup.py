"""`paperkg lookup`: an entity by name or alias and the papers that mention it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from paperkg.commands.build import DEFAULT_GRAPH


def cmd_lookup(args: argparse.Namespace) -> int:
    from paperkg.graph.networkx_store import NetworkXStore
    from paperkg.queries.lookup import find_entities, papers_mentioning

    store = NetworkXStore.open(args.graph, create=False)
    entities = find_entities(store, args.name)
    if not entities:
        print(f"no entity named {args.name!r} in {args.graph}", file=sys.stderr)
        return 1
    for entity in entities:
        papers = papers_mentioning(store, entity.id)
        aliases = f" (aliases: {', '.join(entity.aliases)})" if entity.aliases else ""
        print(f"{entity.name} [{entity.type.value}] {entity.id}{aliases} — {len(papers)} papers")
        for paper in papers:
            print(f"  {paper.id}  {paper.title}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    lookup = sub.add_parser("lookup", help="an entity by name or alias, and the papers that mention it")
    lookup.add_argument("name")
    lookup.add_argument("--graph", type=Path, default=DEFAULT_GRAPH)
    lookup.set_defaults(run=cmd_lookup)
