"""`paperkg build` and `paperkg extract`: the main job and the scoring contract."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from paperkg.commands import add_command, positive_int
from paperkg.english import plural
from paperkg.stores import DEFAULT_GRAPH

# as paperkg.sources.files.DEFAULT_MAX_RECORD_CHARS, without importing pydantic for --help
DEFAULT_MAX_RECORD_CHARS = 100_000
FILE_GRAPH_PAPERS = 100_000  # past this many papers, the CLI points to Neo4j
SPACY_MAX_CHARS = 1_000_000

ENGINES = ("local", "dask")
DEFAULT_WORK_DIR = Path("paperkg-shards")
DEFAULT_SHARD_SIZE = 500  # as paperkg.engine.DEFAULT_SHARD_SIZE, without importing Dask for --help

SOURCES = (
    "Inputs are files or folders (read recursively) of Hugging Face Daily Papers page dumps (.txt), JSONL, CSV/TSV, "
    "arXiv metadata snapshots or arXiv API Atom feeds, any of them compressed (.gz, .bz2, .xz). A malformed "
    "record, or a file that cannot be read on, is reported in --rejects with its file and line and the run goes "
    "on (--strict stops instead); a repeated paper id is built once, each repeat reported."
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
    parser.add_argument("--quiet", action="store_true", help="no progress output")
    parser.add_argument(
        "--progress",
        action="store_true",
        help="progress on stderr (the papers counted first, an estimate of the time, a bar with the time left) "
        "even when stderr is not a terminal; by default only on a terminal",
    )
    parser.add_argument(
        "--rejects",
        type=Path,
        default=Path("rejects.jsonl"),
        metavar="FILE",
        help="where malformed records and repeated ids are reported, as JSON lines, when there are any "
        "(an earlier run's report there is replaced)",
    )
    parser.add_argument(
        "--max-record-chars",
        type=record_cap,
        default=DEFAULT_MAX_RECORD_CHARS,
        metavar="N",
        help="a record longer than N characters (a JSONL line, a CSV row, an Atom entry's text, a dump "
        "paragraph) is a reject; reading stops at N, so a huge record or a decompression bomb costs no memory "
        f"(at most {SPACY_MAX_CHARS:,}, spaCy's limit)",
    )


def record_cap(text: str) -> int:
    """argparse type of --max-record-chars: 1 to spaCy's 1,000,000-character limit."""
    value = positive_int(text)
    if value > SPACY_MAX_CHARS:
        raise argparse.ArgumentTypeError(
            f"at most {SPACY_MAX_CHARS:,} (spaCy's limit on one text), got {value:,}"
        )
    return value


def same_file(one: Path, other: Path) -> bool:
    """True when two paths name one file: the same inode (a symlink, a hard link) or, for files not there
    yet, the same real path."""
    if one.exists() and other.exists():
        return os.path.samefile(one, other)
    return os.path.realpath(one) == os.path.realpath(other)


def check_outputs_differ(outputs: dict[str, Path]) -> None:
    """A ValueError when two output files (`{"--out": path, "--rejects": path}`) are one file."""
    named = list(outputs.items())
    for index, (option, path) in enumerate(named):
        for other, other_path in named[index + 1 :]:
            if same_file(path, other_path):
                raise ValueError(f"{option} and {other} are the same file {path}: give them different names")


def check_outputs_are_not_inputs(inputs: list[Path], outputs: dict[str, Path]) -> None:
    """A ValueError when an output file (`{"--out": path}`) is one of the input files, under any name (a
    symlink, a hard link): writing it would destroy the input."""
    existing = {option: path for option, path in outputs.items() if path.exists()}
    if not existing:
        return
    from paperkg.sources.files import expand_paths

    for source in expand_paths(inputs):
        for option, path in existing.items():
            if os.path.samefile(source, path):
                raise ValueError(
                    f"{option} {path} is the input file {source}: writing it would destroy the input; "
                    f"choose another {option} file"
                )


def run_build(args: argparse.Namespace) -> int:
    """`cmd_build` holding the graph file's lock (two builds into one file take turns, so neither's papers
    are lost), with SIGTERM stopping it as Ctrl-C does (the graph file is left as it was)."""
    from paperkg.atomic import exclusive_output
    from paperkg.parallel import sigterm_as_interrupt

    check_outputs_differ({"--out": args.out, "--rejects": args.rejects})
    check_outputs_are_not_inputs(args.inputs, {"--rejects": args.rejects})  # the graph is extended, not lost
    if args.backend != "networkx" or args.neo4j_admin is not None:  # no graph file to take turns on
        with sigterm_as_interrupt():
            return cmd_build(args)
    waiting = (
        f"paperkg build: another build is writing {args.out}; waiting for it to finish, then adding to it"
    )
    with exclusive_output(args.out, wait_message=waiting), sigterm_as_interrupt():
        return cmd_build(args)


def cmd_build(args: argparse.Namespace) -> int:
    from paperkg.stores import store_from_args

    check_engine_options(args)
    if args.neo4j_admin is not None:
        return build_neo4j_admin_files(args)
    store = store_from_args(args, graph_file=args.out)  # first: a bad server fails before spaCy loads
    saved = None
    try:
        if args.engine == "dask":
            summary = build_on_dask(args, store)
        else:
            from paperkg.build import build_graph

            summary = build_graph(
                args.inputs,
                store,
                strict=args.strict,
                n_process=args.processes,
                rejects_path=args.rejects,
                progress=show_progress(args),
                max_record_chars=args.max_record_chars,
            )
        if hasattr(store, "save"):
            saved = store.save(args.out)
    finally:
        store.close()
    for line in summary.lines():
        print(line)
    print(f"saved graph to {saved}" if saved else f"written to {store.uri}")
    if saved and summary.graph.nodes.get("Paper", 0) > FILE_GRAPH_PAPERS:
        print(too_large_for_a_file(summary.graph.nodes["Paper"], args.out))
    return 0


def show_progress(args: argparse.Namespace) -> bool:
    """Progress output: not with --quiet, always with --progress, else when stderr is a terminal."""
    from paperkg.progress import progress_wanted

    return progress_wanted(args.quiet, args.progress)


def too_large_for_a_file(papers: int, out: Path) -> str:
    """The advice printed when a graph file outgrows the embedded store."""
    return (
        f"note: {out} holds {papers:,} papers; a graph file is meant for up to about {FILE_GRAPH_PAPERS:,} "
        "(past that it is slow to open and large in memory). Use Neo4j: bulk-import this graph with "
        f"`paperkg export --format neo4j-admin neo4j-import --graph {out}` and `neo4j-admin database import "
        "full` (docs/neo4j.md, 'Bulk import of millions of papers'), then query it with --backend neo4j; "
        "or build into the server directly with `--backend neo4j --uri neo4j://host:7687`; past what memory "
        "holds, `--engine dask --neo4j-admin DIR` writes the import files without a graph file (docs/scale.md)"
    )


def build_neo4j_admin_files(args: argparse.Namespace) -> int:
    """`--neo4j-admin DIR`: the Dask build's merge writes neo4j-admin CSV files, no graph held in memory."""
    from paperkg.graph.cypher.neo4j_admin import import_command

    summary = build_on_dask(args, None)
    for line in summary.lines():
        print(line)
    print(f"wrote neo4j-admin CSV files to {args.neo4j_admin}; with Neo4j stopped, import them with:")
    print(f"  {import_command(str(args.neo4j_admin.resolve()))}")
    return 0


def build_on_dask(args: argparse.Namespace, store):
    """The build with `--engine dask`; prints what happened to the shards."""
    from paperkg.engine import build_with_dask

    summary, run = build_with_dask(
        args.inputs,
        store,
        neo4j_admin=args.neo4j_admin,
        work_dir=args.work_dir or DEFAULT_WORK_DIR,
        scheduler=args.scheduler,
        workers=args.processes,
        shard_size=args.shard_size or DEFAULT_SHARD_SIZE,
        strict=args.strict,
        rejects_path=args.rejects,
        progress=show_progress(args),
        max_record_chars=args.max_record_chars,
    )
    print(run.line())
    return summary


def check_engine_options(args: argparse.Namespace) -> None:
    """--scheduler, --work-dir, --shard-size and --neo4j-admin belong to --engine dask (a ValueError
    otherwise); --neo4j-admin writes no graph, so it takes no --backend."""
    if args.neo4j_admin is not None and args.backend != "networkx":
        raise ValueError("--neo4j-admin writes CSV files for neo4j-admin, not to --backend; drop one of them")
    if args.engine != "dask":
        for option in ("scheduler", "work_dir", "shard_size", "neo4j_admin"):
            if getattr(args, option) is not None:
                raise ValueError(f"--{option.replace('_', '-')} needs --engine dask")


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    engine = parser.add_argument_group("distributed extraction (see docs/scale.md)")
    engine.add_argument(
        "--engine",
        choices=ENGINES,
        default="local",
        help="local: this machine's processes (--processes); dask: tasks over input shards on a Dask cluster",
    )
    engine.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster of --processes workers)",
    )
    engine.add_argument(
        "--work-dir",
        type=Path,
        metavar="DIR",
        help="where each shard's result is kept; a re-run skips the shards done there "
        f"(default: {DEFAULT_WORK_DIR})",
    )
    engine.add_argument(
        "--neo4j-admin",
        type=Path,
        metavar="DIR",
        help="merge into CSV files for `neo4j-admin database import full` in DIR instead of a graph: "
        "resolution holds only the entities, for corpora too large for memory (docs/scale.md)",
    )
    engine.add_argument(
        "--shard-size",
        type=positive_int,
        metavar="N",
        help=f"papers per shard, one task each (default: {DEFAULT_SHARD_SIZE})",
    )


def cmd_extract(args: argparse.Namespace) -> int:
    from paperkg.build import report_rejects
    from paperkg.parallel import sigterm_as_interrupt
    from paperkg.predict import write_predictions

    outputs = {"--out": args.out, "--rejects": args.rejects}
    check_outputs_differ(outputs)
    check_outputs_are_not_inputs(args.inputs, outputs)
    with sigterm_as_interrupt():
        stats = write_predictions(
            args.inputs,
            args.out,
            strict=args.strict,
            n_process=args.processes,
            progress=show_progress(args),
            max_record_chars=args.max_record_chars,
        )
    parts = [f"{plural(stats.built, 'document')} written to {args.out}"]
    if stats.rejected:
        parts.append(f"{stats.rejected} rejected")
    if stats.duplicates:
        parts.append(f"{plural(stats.duplicates, 'repeated id')} skipped (the first one kept)")
    print(f"read {plural(stats.read, 'record')}: " + ", ".join(parts))
    report, note = report_rejects(stats, args.rejects)
    if report:
        print(f"rejects report: {report}{note}")
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
            "paperkg build arxiv.jsonl.gz --engine dask --scheduler tcp://10.0.0.5:8786 --work-dir shards/",
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
    add_engine_options(build)
    build.set_defaults(run=run_build)

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
