"""`paperkg lookup`: an entity by name or alias (spelling-insensitive, then fuzzy) and its papers."""

from __future__ import annotations

import argparse
import sys

from paperkg.commands import add_command, add_graph_option, entity_type, positive_int
from paperkg.english import plural
from paperkg.queries.named import TYPE_NAMES


def cmd_lookup(args: argparse.Namespace) -> int:
    from paperkg.queries.api import open as open_graph

    with open_graph(args.graph) as kg:
        found = kg.lookup(args.name, args.type)
        if not found.found:
            kind = f" {args.type}" if args.type else ""
            print(f"paperkg lookup: no{kind} entity named {args.name!r} in {args.graph}", file=sys.stderr)
            if found.suggestions:
                names = ", ".join(f"{m.entity.name} [{m.entity.type.value}]" for m in found.suggestions)
                print(f"did you mean: {names}?", file=sys.stderr)
            return 1
        for match in found.matches[: args.limit]:
            entity = match.entity
            aliases = f" (aliases: {', '.join(entity.aliases)})" if entity.aliases else ""
            how = f", fuzzy match on {match.spelling!r} ({match.score:.0f})" if match.match == "fuzzy" else ""
            print(
                f"{entity.name} [{entity.type.value}] {entity.id}{aliases} — "
                f"{plural(entity.paper_count, 'paper')}{how}"
            )
            for paper in kg.papers(entity):
                print(f"  {paper.id}  {paper.date or '':10}  {paper.title}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    lookup = add_command(
        sub,
        "lookup",
        "find an entity by name, alias or id, with its papers",
        details="Names match whatever their case, spaces, hyphens or plural (gpt4 = GPT-4, llama 2 = LLaMA-2). "
        "A close spelling is an answer only when it is surely a typo of the same name; another version, size or "
        "name (Orca-3 for Orca, PaLM for PLM) is only offered as 'did you mean'. Exit status 1 when nothing "
        "matches.",
        examples=[
            "paperkg lookup gpt4",
            'paperkg lookup "llama 2" --type model --limit 3',
            "paperkg lookup HumanEvl --graph graph.json",
        ],
    )
    lookup.add_argument("name", help="an entity's name, alias or id, e.g. gpt4, 'Llama 2', model:gpt4")
    lookup.add_argument(
        "--type", type=entity_type, help=f"only entities of this type: {TYPE_NAMES} (default: any type)"
    )
    lookup.add_argument(
        "--limit", type=positive_int, default=5, metavar="N", help="show at most N matching entities"
    )
    add_graph_option(lookup)
    lookup.set_defaults(run=cmd_lookup)
