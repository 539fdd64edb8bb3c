"""The `paperkg` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_GRAPH = Path("graph.json")


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", type=Path, help="files or folders of papers")
    parser.add_argument("--strict", action="store_true", help="stop at the first malformed record")
    parser.add_argument("--processes", type=int, default=1, help="spaCy worker processes (default 1)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def cmd_build(args: argparse.Namespace) -> int:
    from paperkg.build import build_graph
    from paperkg.graph.networkx_store import NetworkXStore

    store = NetworkXStore.open(args.out)
    summary = build_graph(
        args.inputs,
        store,
        strict=args.strict,
        n_process=args.processes,
        rejects_path=args.rejects,
        progress=not args.quiet,
    )
    path = store.save(args.out)
    for line in summary.lines():
        print(line)
    print(f"saved {path}")
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from paperkg.predict import write_predictions
    from paperkg.sources import write_rejects_report

    stats = write_predictions(
        args.inputs, args.out, strict=args.strict, n_process=args.processes, progress=not args.quiet
    )
    print(
        f"read {stats.read} records: {stats.built} documents written to {args.out}, "
        f"{stats.rejected} rejected, {stats.duplicates} duplicates merged"
    )
    if stats.rejects:
        write_rejects_report(stats.rejects, args.rejects)
        print(f"rejects report: {args.rejects}")
    return 0


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paperkg", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="build (or extend) the knowledge graph from paper files")
    _add_input_options(build)
    build.add_argument("--out", type=Path, default=DEFAULT_GRAPH, help="graph file (node-link JSON)")
    build.add_argument("--rejects", type=Path, default=Path("rejects.jsonl"), help="rejects report (JSONL)")
    build.set_defaults(run=cmd_build)

    extract = sub.add_parser("extract", help="typed entity spans per document, as JSON lines")
    _add_input_options(extract)
    extract.add_argument("--out", type=Path, required=True, help="output JSONL")
    extract.add_argument("--rejects", type=Path, default=Path("rejects.jsonl"), help="rejects report (JSONL)")
    extract.set_defaults(run=cmd_extract)

    lookup = sub.add_parser("lookup", help="an entity by name or alias, and the papers that mention it")
    lookup.add_argument("name")
    lookup.add_argument("--graph", type=Path, default=DEFAULT_GRAPH)
    lookup.set_defaults(run=cmd_lookup)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (FileNotFoundError, ValueError) as err:
        print(f"paperkg: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
