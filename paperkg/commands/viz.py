"""`paperkg viz` (interactive HTML, PNG/SVG, GraphML/GEXF) and `paperkg show PAPER_ID` (highlighted abstract)."""

from __future__ import annotations

import argparse
from pathlib import Path

from paperkg.commands.ask import add_graph_option

FORMATS = ("html", "png", "svg", "graphml", "gexf")


def _format_of(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    suffix = args.out.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "html"


def _graph_store(kg):
    if kg.store is None:
        raise ValueError(
            "viz and show read a graph file (--graph graph.json); export one from the server first"
        )
    return kg.store


def cmd_viz(args: argparse.Namespace) -> int:
    from paperkg.graph.networkx_store import NetworkXStore
    from paperkg.queries.api import open as open_graph
    from paperkg.viz.views import ego_view, top_view

    fmt = _format_of(args)
    with open_graph(args.graph) as kg:
        store = _graph_store(kg)
        if args.entity:
            entity = kg.resolve(args.entity)
            view = ego_view(store, entity.id, hops=args.hops, max_nodes=args.max_nodes)
        elif args.top or fmt in ("html", "png", "svg"):
            view = top_view(store, top=args.top or 100, max_nodes=args.max_nodes)
        else:
            view = None
        if fmt in ("graphml", "gexf"):
            part = (
                store
                if view is None
                else NetworkXStore(store.graph.subgraph(n["id"] for n in view.visible_nodes).copy())
            )
            path = part.export_graphml(args.out) if fmt == "graphml" else part.export_gexf(args.out)
        elif fmt == "html":
            from paperkg.viz.html import write_html

            path = write_html(view, args.out)
        else:
            from paperkg.viz.static import write_static

            path = write_static(view, args.out)
    shown = f"{len(view.visible_nodes)} nodes, {len(view.edges)} edges" if view else "whole graph"
    print(f"wrote {path} ({fmt}, {shown})")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from paperkg.queries.api import open as open_graph
    from paperkg.viz.paper_page import write_paper_page

    with open_graph(args.graph) as kg:
        path = write_paper_page(_graph_store(kg), args.paper_id, args.out)
    print(f"wrote {path}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    viz = sub.add_parser("viz", help="draw the graph: offline interactive HTML, PNG/SVG, or GraphML/GEXF")
    viz.add_argument("--out", type=Path, required=True, help="output file; its suffix picks the format")
    viz.add_argument(
        "--format", choices=FORMATS, help="html, png, svg, graphml or gexf (default: from --out)"
    )
    focus = viz.add_mutually_exclusive_group()
    focus.add_argument("--entity", help="draw this entity's neighbourhood (name, alias or id)")
    focus.add_argument(
        "--top", type=int, help="draw the N entities with the most papers (default view, N=100)"
    )
    viz.add_argument("--hops", type=int, default=2, help="neighbourhood radius with --entity (default 2)")
    viz.add_argument("--max-nodes", type=int, default=2000, help="at most this many visible nodes")
    add_graph_option(viz)
    viz.set_defaults(run=cmd_viz)

    show = sub.add_parser("show", help="one paper's abstract with its entities highlighted (HTML)")
    show.add_argument("paper_id")
    show.add_argument("--out", type=Path, required=True)
    add_graph_option(show)
    show.set_defaults(run=cmd_show)
