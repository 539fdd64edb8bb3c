"""`paperkg viz` (interactive HTML, PNG/SVG/PDF, GraphML/GEXF) and `paperkg show PAPER` (highlighted abstract)."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from paperkg.commands import add_command, add_graph_option, positive_int
from paperkg.english import plural

FORMATS = ("html", "png", "svg", "pdf", "graphml", "gexf")
SUFFIX_FORMATS = {f".{fmt}": fmt for fmt in FORMATS} | {".htm": "html"}
DEFAULT_TOP = 100


def output_format(out: Path, given: str | None) -> str:
    """The format `--out` and `--format` agree on: the suffix, `--format`, or both the same; ValueError on a
    conflict, an unknown suffix, or neither."""
    suffix = out.suffix.lower()
    from_suffix = SUFFIX_FORMATS.get(suffix)
    known = ", ".join(f".{fmt}" for fmt in FORMATS)
    if suffix and from_suffix is None:
        raise ValueError(f"--out {out}: unknown suffix {out.suffix!r}; use one of {known}")
    if given and from_suffix and given != from_suffix:
        raise ValueError(
            f"--out {out} is a {from_suffix} file name but --format is {given}: "
            f"rename it to {out.with_suffix('.' + given)} or drop --format"
        )
    if not (from_suffix or given):
        raise ValueError(f"--out {out} has no suffix: add one ({known}) or give --format")
    return from_suffix or given


FORMAT_SIGNATURES = {
    "html": (b"<!doctype html", b"<html"),
    "png": (b"\x89png",),
    "pdf": (b"%pdf",),
    "svg": (b"<svg",),
    "graphml": (b"<graphml",),
    "gexf": (b"<gexf",),
}
"""Byte strings (lower-cased) one of which the first 4 KiB of a file of that format hold."""


def is_output_of_format(path: Path, fmt: str) -> bool:
    """True when the file at `path` looks like a `fmt` file (an earlier picture or page, fine to replace)."""
    with path.open("rb") as stream:
        head = stream.read(4096).lower()
    head = head.lstrip()
    if fmt in ("png", "pdf", "html"):
        return head.startswith(FORMAT_SIGNATURES[fmt])
    return any(signature in head for signature in FORMAT_SIGNATURES[fmt])


def check_overwrite(out: Path, fmt: str, graph: str) -> None:
    """A ValueError when writing `out` would destroy something that is no earlier output of this kind: the
    graph file being drawn (under any name), or any existing file that is not a `fmt` file."""
    if not out.exists():
        return
    if Path(graph).exists() and os.path.samefile(out, graph):
        raise ValueError(f"--out {out} is the graph file being read (--graph {graph}): choose another --out")
    if out.is_dir() or not is_output_of_format(out, fmt):
        raise ValueError(
            f"--out {out} exists and is not a {fmt} file: it is left alone (only an earlier {fmt} output is "
            "replaced); choose another --out or remove it"
        )


def picture_size(text: str) -> tuple[int, int]:
    """argparse type: `2000x1400` → (2000, 1400)."""
    match = re.fullmatch(r"\s*(\d+)\s*[x×X]\s*(\d+)\s*", text)
    if not match or not all(100 <= int(v) <= 20000 for v in match.groups()):
        raise argparse.ArgumentTypeError(
            f"expected WIDTHxHEIGHT in pixels, 100 to 20000 each, e.g. 2000x1400; got {text!r}"
        )
    return int(match.group(1)), int(match.group(2))


def _graph_store(kg, command: str):
    if kg.store is None:
        raise ValueError(
            f"{command} reads a graph file (--graph graph.json); a server graph has none: "
            "build one with `paperkg build --out graph.json`"
        )
    return kg.store


def cmd_viz(args: argparse.Namespace) -> int:
    from paperkg.graph.networkx_store import NetworkXStore
    from paperkg.queries.api import open as open_graph
    from paperkg.viz.views import ego_view, top_view

    fmt = output_format(args.out, args.format)
    if args.size and fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"--size sets a picture's size: it needs a .png, .svg or .pdf --out, not {fmt}")
    check_overwrite(args.out, fmt, args.graph)
    with open_graph(args.graph) as kg:
        store = _graph_store(kg, "viz")
        if args.entity:
            entity = kg.resolve(args.entity)
            view = ego_view(store, entity.id, hops=args.hops, max_nodes=args.max_nodes)
        elif args.top or fmt in ("html", "png", "svg", "pdf"):
            view = top_view(store, top=args.top or DEFAULT_TOP, max_nodes=args.max_nodes)
        else:
            view = None
        if fmt in ("graphml", "gexf"):
            part = (
                store
                if view is None
                else NetworkXStore(store.graph.subgraph(n["id"] for n in view.visible_nodes).copy())
            )
            path = part.export_graphml(args.out) if fmt == "graphml" else part.export_gexf(args.out)
            shown = f"{plural(part.graph.number_of_nodes(), 'node')}, {plural(part.graph.number_of_edges(), 'edge')}"
        elif fmt == "html":
            from paperkg.viz.html import write_html

            path = write_html(view, args.out)
            hidden = len(view.nodes) - len(view.visible_nodes)
            shown = (
                f"{plural(len(view.visible_nodes), 'node')} shown and {hidden} more a click away, "
                f"{plural(len(view.edges), 'edge')}"
            )
        else:
            from paperkg.viz.static import DEFAULT_SIZE, DPI, write_static

            drawn = write_static(view, args.out, fmt=fmt, size=args.size or DEFAULT_SIZE)
            path = drawn.path
            width, height = args.size or DEFAULT_SIZE
            size = f"{width}x{height} px" if fmt == "png" else f"{width / DPI:g}x{height / DPI:g} in"
            shown = (
                f"{size}, {plural(drawn.nodes, 'node')}, {plural(drawn.edges, 'edge')}, "
                f"{plural(drawn.labels, 'label')}"
            )
    print(f"wrote {path} ({fmt}: {shown})")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from paperkg.queries.api import open as open_graph
    from paperkg.viz.paper_page import write_paper_page

    if args.out.suffix.lower() not in ("", ".html", ".htm"):
        raise ValueError(
            f"--out {args.out}: show writes an HTML page; name it {args.out.with_suffix('.html')}"
        )
    check_overwrite(args.out, "html", args.graph)
    with open_graph(args.graph) as kg:
        paper = kg.resolve_paper(args.paper)
        path = write_paper_page(_graph_store(kg, "show"), paper.id, args.out)
    print(f"wrote {path} ({paper.id}: {paper.title})")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    viz = add_command(
        sub,
        "viz",
        "draw the graph: HTML page, PNG/SVG/PDF picture, GraphML/GEXF",
        details="The format follows the suffix of --out, or --format when --out has none; a suffix and a "
        "--format that disagree are an error. The view is an entity's neighbourhood (--entity) or the entities "
        f"with the most papers (--top, the default with {DEFAULT_TOP}); GraphML and GEXF without either hold "
        "the whole graph. The HTML page works offline; click a node to expand it.",
        examples=[
            "paperkg viz --entity GPT-4 --hops 2 --out gpt4.html",
            "paperkg viz --entity LoRA --out lora.png --size 2400x1600",
            "paperkg viz --top 150 --out top.svg",
            "paperkg viz --out whole.graphml",
        ],
    )
    viz.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE",
        help=f"output file; its suffix picks the format: {', '.join(SUFFIX_FORMATS)}",
    )
    viz.add_argument(
        "--format", choices=FORMATS, help="the format, for an --out without suffix (default: from --out)"
    )
    focus = viz.add_mutually_exclusive_group()
    focus.add_argument(
        "--entity", metavar="NAME", help="draw this entity's neighbourhood (name, alias or id, as in lookup)"
    )
    focus.add_argument(
        "--top",
        type=positive_int,
        metavar="N",
        help=f"draw the N entities with most papers, linked by the papers they share (default: N={DEFAULT_TOP})",
    )
    viz.add_argument(
        "--hops", type=positive_int, default=2, metavar="K", help="neighbourhood radius with --entity"
    )
    viz.add_argument(
        "--max-nodes", type=positive_int, default=2000, metavar="N", help="at most N visible nodes"
    )
    viz.add_argument(
        "--size",
        type=picture_size,
        metavar="WxH",
        help="size of a PNG/SVG/PDF picture in pixels (default: 2000x1400)",
    )
    add_graph_option(viz)
    viz.set_defaults(run=cmd_viz)

    show = add_command(
        sub,
        "show",
        "one paper's abstract with its entities highlighted (HTML)",
        details="The paper is given by id or title (a whole title, or the part before its colon), as in "
        "`paperkg query paper_entities`. Highlights come from the offsets stored in the graph: no model runs.",
        examples=[
            "paperkg show 2307.09288 --out paper.html",
            'paperkg show "Llama 2" --out llama2.html',
        ],
    )
    show.add_argument("paper", help="the paper's id or title")
    show.add_argument("--out", type=Path, required=True, metavar="FILE", help="output HTML file")
    add_graph_option(show)
    show.set_defaults(run=cmd_show)
