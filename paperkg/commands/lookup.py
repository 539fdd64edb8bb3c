"""`paperkg lookup`: an entity by name or alias (spelling-insensitive, then fuzzy) and its papers."""

from __future__ import annotations

import argparse
import sys

from paperkg.commands.ask import add_graph_option


def cmd_lookup(args: argparse.Namespace) -> int:
    from paperkg.queries.api import open as open_graph

    with open_graph(args.graph) as kg:
        found = kg.lookup(args.name, args.type)
        if not found.found:
            print(f"no entity named {args.name!r} in {args.graph}", file=sys.stderr)
            if found.suggestions:
                names = ", ".join(f"{m.entity.name} [{m.entity.type.value}]" for m in found.suggestions)
                print(f"did you mean: {names}", file=sys.stderr)
            return 1
        for match in found.matches[: args.limit]:
            entity = match.entity
            aliases = f" (aliases: {', '.join(entity.aliases)})" if entity.aliases else ""
            how = f", fuzzy match on {match.spelling!r} ({match.score:.0f})" if match.match == "fuzzy" else ""
            print(
                f"{entity.name} [{entity.type.value}] {entity.id}{aliases} — {entity.paper_count} papers{how}"
            )
            for paper in kg.papers(entity):
                print(f"  {paper.id}  {paper.date or '':10}  {paper.title}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    lookup = sub.add_parser("lookup", help="an entity by name or alias, and the papers that mention it")
    lookup.add_argument("name")
    lookup.add_argument(
        "--type", help="only this entity type (model, method, dataset, benchmark, task, metric)"
    )
    lookup.add_argument("--limit", type=int, default=5, help="at most this many matching entities")
    add_graph_option(lookup)
    lookup.set_defaults(run=cmd_lookup)
