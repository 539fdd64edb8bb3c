"""A view as a static picture (PNG, SVG or PDF) with matplotlib: same colours as the HTML page.

The picture is drawn at the size asked for (2000 × 1400 px by default), with the focus entity of a
neighbourhood view fixed at the centre. Labels are placed one by one, most important first (the focus, then
entities by papers, then papers by their short title), each at the first spot around its node that overlaps
no node and no label already placed; a label with no free spot is left out rather than drawn over another.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import networkx as nx

from paperkg.graph.networkx_store import PAPER_LABEL
from paperkg.viz.views import RELATION_COLORS, SHARED_PAPERS, TYPE_COLORS, GraphView

SPRING_MAX_NODES = 400  # NetworkX's spring layout needs SciPy beyond 500 nodes; rings by type beyond this
DEFAULT_SIZE = (2000, 1400)  # pixels; SVG and PDF get the same proportions in points at 100 per inch
DPI = 100
MAX_LABELS = 250  # label attempts: beyond this many nodes a picture cannot show every name legibly anyway
SHORT_TITLE_CHARS = 32
FONT_SIZE = 9
STATIC_FORMATS = ("png", "svg", "pdf")


class Drawn(NamedTuple):
    """What a picture shows: its file, and the nodes, edges and labels drawn in it."""

    path: Path
    nodes: int
    edges: int
    labels: int


def short_title(title: str, limit: int = SHORT_TITLE_CHARS) -> str:
    """A paper's label: its title before a colon, else its first words, at most `limit` characters.

    >>> short_title("Llama 2: Open Foundation and Fine-Tuned Chat Models"), short_title("Scaling laws, again")
    ('Llama 2', 'Scaling laws, again')
    >>> short_title("LLaMA-2-7B-Chat and LLaMA-2-70B in dialogue")
    'LLaMA-2-7B-Chat and LLaMA-2-70B…'
    """
    head, colon, _ = title.partition(":")
    text = head.strip() if colon and head.strip() else title.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:  # a word cut in two: leave it out
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;-") + "…"


def view_graph(view: GraphView) -> nx.DiGraph:
    """The visible part of a view as a DiGraph with the node and edge data as attributes."""
    graph = nx.DiGraph()
    for node in view.visible_nodes:
        graph.add_node(node["id"], **node)
    for edge in view.edges:
        if edge["source"] in graph and edge["target"] in graph:
            graph.add_edge(edge["source"], edge["target"], **edge)
    return graph


def edge_width(edge: dict) -> float:
    """Line width of an edge: thin, or growing with the log of its weight (papers two entities share)."""
    weight = edge.get("weight")
    return 0.7 if not weight else min(0.6 + 0.8 * math.log2(1 + weight), 5.0)


def layout(graph: nx.DiGraph, focus: str | None = None) -> dict[str, tuple[float, float]]:
    """Positions, the focus (if any) at (0, 0): a force-directed layout started from rings by distance to the
    focus, or rings by type for large views."""
    if focus not in graph:
        focus = None
    if len(graph) > SPRING_MAX_NODES:
        rings = [[focus]] if focus else []
        rings += [
            [n for n, d in graph.nodes(data=True) if d["type"] == t and n != focus] for t in TYPE_COLORS
        ]
        return nx.shell_layout(graph, nlist=[ring for ring in rings if ring])
    if focus is None:
        return nx.spring_layout(graph, seed=0)
    distance = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), focus)
    rings = [[focus]] + [
        sorted(n for n in graph if distance.get(n, math.inf) == d)
        for d in range(1, max(distance.values()) + 1)
    ]
    unreached = [n for n in graph if n not in distance]
    rings = [ring for ring in rings + [unreached] if ring]
    start = nx.shell_layout(graph, nlist=rings) if len(rings) > 1 else {focus: (0.0, 0.0)}
    start[focus] = (0.0, 0.0)
    return nx.spring_layout(graph, pos=start, fixed=[focus], seed=0, k=1.2 / math.sqrt(len(graph)))


def label_text(node: dict) -> str:
    return short_title(node["name"]) if node["type"] == PAPER_LABEL else node["name"]


def label_order(graph: nx.DiGraph, focus: str | None) -> list[str]:
    """Nodes in the order their labels claim space: the focus, entities by papers, then papers by degree."""
    entities = sorted(
        (n for n, d in graph.nodes(data=True) if d["type"] != PAPER_LABEL and n != focus),
        key=lambda n: (-graph.nodes[n]["papers"], n),
    )
    papers = sorted(
        (n for n, d in graph.nodes(data=True) if d["type"] == PAPER_LABEL and n != focus),
        key=lambda n: (-graph.degree(n), n),
    )
    return ([focus] if focus in graph else []) + entities + papers


def _offsets(radius: float, height: float) -> Iterator[tuple[float, float, str, str]]:
    """Spots around a node of `radius` (pixels): right, left, above, below, the diagonals, then farther out."""
    for step in (1.0, 2.2, 3.6):
        gap = radius + 3 * step
        yield gap, 0, "left", "center"
        yield -gap, 0, "right", "center"
        yield 0, gap, "center", "bottom"
        yield 0, -gap, "center", "top"
        for dx, dy in ((1, 1), (-1, 1), (1, -1), (-1, -1)):
            ha = "left" if dx > 0 else "right"
            yield dx * gap * 0.8, dy * (gap * 0.8 + height / 2), ha, "center"


def place_labels(axes, graph: nx.DiGraph, positions: dict, radii: dict[str, float], order: list[str]) -> int:
    """Put each label at the first free spot around its node (see the module docstring); how many fit."""
    from matplotlib.transforms import Bbox, offset_copy

    figure = axes.figure
    renderer = figure.canvas.get_renderer()
    frame = axes.get_window_extent(renderer)
    to_pixels = axes.transData.transform
    taken: list[Bbox] = []
    for node in graph:
        x, y = to_pixels(positions[node])
        r = radii[node]
        taken.append(Bbox.from_extents(x - r, y - r, x + r, y + r))
    placed = 0
    for rank, node in enumerate(order[:MAX_LABELS]):
        data = graph.nodes[node]
        focus = rank == 0 and data.get("focus")
        size = FONT_SIZE + (3 if focus else 0)
        for dx, dy, ha, va in _offsets(radii[node], size * DPI / 72):
            where = offset_copy(axes.transData, fig=figure, x=dx, y=dy, units="dots")
            text = axes.text(
                *positions[node],
                label_text(data),
                transform=where,
                ha=ha,
                va=va,
                fontsize=size,
                fontweight="bold" if focus else "normal",
                color="#222" if data["type"] != PAPER_LABEL else "#555",
                zorder=5,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
            )
            box = text.get_window_extent(renderer).expanded(1.04, 1.1)
            clear = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
            if clear and not any(box.overlaps(other) for other in taken):
                taken.append(box)
                placed += 1
                break
            text.remove()
    return placed


DRAWING_AREA = (0.01, 0.01, 0.86, 0.94)  # figure fractions: left, bottom, width, height; the legend is right


def frame(positions: dict, size: tuple[int, int], margin: float = 1.12) -> tuple[dict, tuple, tuple]:
    """Positions stretched to the drawing area's proportions, and x and y limits symmetric about (0, 0), so
    the focus (laid out at the origin) is at the centre of the picture."""
    width, height = size
    aspect = (DRAWING_AREA[2] * width) / (DRAWING_AREA[3] * height)
    stretched = {n: (x * aspect, y) for n, (x, y) in positions.items()}
    reach_x = max((abs(x) for x, _ in stretched.values()), default=1.0) or 1.0
    reach_y = max((abs(y) for _, y in stretched.values()), default=1.0) or 1.0
    return stretched, (-reach_x * margin, reach_x * margin), (-reach_y * margin, reach_y * margin)


def draw_view(view: GraphView, size: tuple[int, int] = DEFAULT_SIZE):
    """The figure of a view (visible nodes sized by papers and coloured by type, the focus at the centre,
    placed labels), with the graph it draws; the caller saves and closes it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    graph = view_graph(view)
    focus = view.focus if view.focus in graph else None
    if focus:
        graph.nodes[focus]["focus"] = True
    width, height = size
    figure = plt.figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    axes = figure.add_axes(DRAWING_AREA)
    positions, xlim, ylim = frame(layout(graph, focus), size)
    axes.set_xlim(*xlim)
    axes.set_ylim(*ylim)
    axes.set_axis_off()
    nodes = list(graph.nodes(data=True))
    areas = [(d["size"] * (1.8 if d.get("focus") else 1.0)) ** 2 / 2 for _, d in nodes]
    directed = any(d["type"] != SHARED_PAPERS for _, _, d in graph.edges(data=True))
    nx.draw_networkx_edges(
        graph,
        positions,
        ax=axes,
        width=[edge_width(d) for _, _, d in graph.edges(data=True)],
        alpha=0.55,
        arrows=directed,
        **({"arrowsize": 7} if directed else {}),
        node_size=areas,
        edge_color=[RELATION_COLORS.get(d["type"], "#ccc") for _, _, d in graph.edges(data=True)],
    )
    nx.draw_networkx_nodes(
        graph,
        positions,
        ax=axes,
        linewidths=[2.0 if d.get("focus") else 0 for _, d in nodes],
        edgecolors="#222",
        node_color=[TYPE_COLORS.get(d["type"], "#777") for _, d in nodes],
        node_size=areas,
        node_shape="o",
    )
    radii = {n: math.sqrt(a) / 2 * DPI / 72 for (n, _), a in zip(nodes, areas, strict=True)}
    place_labels(axes, graph, positions, radii, label_order(graph, focus))
    handles = [Line2D([], [], marker="o", linestyle="", color=c, label=t) for t, c in TYPE_COLORS.items()]
    handles += [Line2D([], [], color=c, label=r) for r, c in RELATION_COLORS.items()]
    figure.legend(handles=handles, loc="upper right", fontsize=10, frameon=False)
    figure.suptitle(view.title, fontsize=14)
    return figure, graph


def write_static(
    view: GraphView,
    path: str | Path,
    *,
    fmt: str | None = None,
    size: tuple[int, int] = DEFAULT_SIZE,
) -> Drawn:
    """`draw_view` saved as a PNG, SVG or PDF of `size` pixels (at 100 dpi); `fmt` (default: from the suffix)
    names the format, so a file name without suffix is written as it is."""
    import matplotlib.pyplot as plt

    path = Path(path)
    fmt = fmt or path.suffix.lower().lstrip(".")
    if fmt not in STATIC_FORMATS:
        raise ValueError(f"{path}: a static picture is {', '.join(STATIC_FORMATS)}, not {fmt or 'no format'}")
    figure, graph = draw_view(view, size)
    labels = len(figure.axes[0].texts)
    try:
        figure.savefig(path, format=fmt, dpi=DPI)
    finally:
        plt.close(figure)
    return Drawn(path, graph.number_of_nodes(), graph.number_of_edges(), labels)
