"""`paperkg build` and `paperkg extract`: the main job and the scoring contract."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from paperkg.commands import add_command, positive_int
from paperkg.english import plural
from paperkg.stores import DEFAULT_GRAPH

SOURCES = (
    "Inputs are files or folders (read recursively) of Hugging Face Daily Papers page dumps (.txt), JSONL, CSV/TSV, "
    "arXiv metadata snapshots or arXiv API Atom feeds, any of them gzipped. A malformed record is reported in "
    "--rejects with its file and line and the run goes on (--strict stops instead); a repeated paper id is "
    "read once."
)


def add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", type=Path, help="paper files or folders")
    parser.add_argument(
        "--strict", action="store_true", help="stop at the first malformed record instead of reporting it"
    )
    parser.add_argument(
        "--processes",
        type=positive_int,
        default=1,
        metavar="N",
        help=f"worker processes running the pipeline; up to one per CPU core (this machine has {os.cpu_count()})",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument(
        "--rejects",
        type=Path,
        default=Path("rejects.jsonl"),
        metavar="FILE",
        help="where malformed records are reported, as JSON lines, when there are any",
    )


def cmd_build(args: argparse.Namespace) -> int:
    from paperkg.stores import store_from_args

    store = store_from_args(args, graph_file=args.out)  # first: a bad server fails before spaCy loads
    saved = None
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
            saved = store.save(args.out)
    finally:
        store.close()
    for line in summary.lines():
        print(line)
    print(f"saved graph to {saved}" if saved else f"written to {store.uri}")
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from paperkg.predict import write_predictions
    from paperkg.sources import write_rejects_report

    stats = write_predictions(
        args.inputs, args.out, strict=args.strict, n_process=args.processes, progress=not args.quiet
    )
    parts = [f"{plural(stats.built, 'document')} written to {args.out}"]
    if stats.rejected:
        parts.append(f"{stats.rejected} rejected")
    if stats.duplicates:
        parts.append(f"{plural(stats.duplicates, 'repeated id')} skipped (the first one kept)")
    print(f"read {plural(stats.read, 'record')}: " + ", ".join(parts))
    if stats.rejects:
        write_rejects_report(stats.rejects, args.rejects)
        print(f"rejects report: {args.rejects}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from paperkg.stores import add_store_options

    build = add_command(
        sub,
        "build",
        "build or extend the knowledge graph from paper files",
        details=SOURCES + "\n\nBuilding into an existing graph adds to it without duplicates; the same build "
        "twice gives the same graph. By default the graph is a file (NetworkX); --backend writes to Neo4j or "
        "FalkorDB instead.",
        examples=[
            "paperkg build ../shared/seeds --out graph.json",
            "paperkg build my_papers.jsonl more/ --out graph.json --processes 2",
            "paperkg build papers.jsonl --backend falkordb --uri falkordb://localhost:6379",
        ],
    )
    add_input_options(build)
    build.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_GRAPH,
        metavar="FILE",
        help="graph file to write or extend (networkx backend)",
    )
    add_store_options(build)
    build.set_defaults(run=cmd_build)

    extract = add_command(
        sub,
        "extract",
        "write typed entity spans per document as JSON lines",
        details=SOURCES + "\n\nEach output line is {id, entities: [{start, end, label, text, canonical}]}, "
        "offsets into the record's text (or title, blank line, abstract), as ../shared/tools/score.py reads it.",
        examples=[
            "paperkg extract ../shared/data/dev/scierc.jsonl --out preds.jsonl",
            (
                "python ../shared/tools/score.py --gold ../shared/data/dev/scierc.jsonl --pred preds.jsonl "
                "--corpus scierc"
            ),
        ],
    )
    add_input_options(extract)
    extract.add_argument("--out", type=Path, required=True, metavar="FILE", help="output JSONL file")
    extract.set_defaults(run=cmd_extract)
