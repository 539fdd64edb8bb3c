"""`paperkg build` and `paperkg extract`: the main job and the scoring contract."""

from __future__ import annotations

import argparse
from pathlib import Path

from paperkg.stores import DEFAULT_GRAPH


def add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", type=Path, help="files or folders of papers")
    parser.add_argument("--strict", action="store_true", help="stop at the first malformed record")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="worker processes running the pipeline (default 1; 2 on a 2-core machine)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument("--rejects", type=Path, default=Path("rejects.jsonl"), help="rejects report (JSONL)")


def cmd_build(args: argparse.Namespace) -> int:
    from paperkg.stores import store_from_args

    store = store_from_args(args, graph_file=args.out)  # first: a bad server fails before spaCy loads
    try:
        from paperkg.build import build_graph

        summary = build_graph(
            args.inputs,
            store,
            strict=args.strict,
            n_process=args.processes,
            rejects_path=args.rejects,
            progress=not args.quiet,
        )
        if hasattr(store, "save"):
            print(f"saved {store.save(args.out)}")
    finally:
        store.close()
    for line in summary.lines():
        print(line)
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


def register(sub: argparse._SubParsersAction) -> None:
    from paperkg.stores import add_store_options

    build = sub.add_parser("build", help="build (or extend) the knowledge graph from paper files")
    add_input_options(build)
    build.add_argument("--out", type=Path, default=DEFAULT_GRAPH, help="graph file for the networkx backend")
    add_store_options(build)
    build.set_defaults(run=cmd_build)

    extract = sub.add_parser("extract", help="typed entity spans per document, as JSON lines")
    add_input_options(extract)
    extract.add_argument("--out", type=Path, required=True, help="output JSONL")
    extract.set_defaults(run=cmd_extract)
