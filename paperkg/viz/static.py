"""A view as a static picture (PNG or SVG) with matplotlib: same colours as the HTML page."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from paperkg.viz.views import RELATION_COLORS, TYPE_COLORS, GraphView

SPRING_MAX_NODES = 400  # NetworkX's spring layout needs SciPy beyond 500 nodes; rings by type beyond this


def view_graph(view: GraphView) -> nx.DiGraph:
    """The visible part of a view as a DiGraph with the node and edge data as attributes."""
    graph = nx.DiGraph()
    for node in view.visible_nodes:
        graph.add_node(node["id"], **node)
    for edge in view.edges:
        if edge["source"] in graph and edge["target"] in graph:
            graph.add_edge(edge["source"], edge["target"], **edge)
    return graph


def layout(graph: nx.DiGraph) -> dict:
    if len(graph) <= SPRING_MAX_NODES:
        return nx.spring_layout(graph, seed=0)
    shells = [[n for n, d in graph.nodes(data=True) if d["type"] == t] for t in TYPE_COLORS]
    return nx.shell_layout(graph, nlist=[shell for shell in shells if shell])


def write_static(view: GraphView, path: str | Path, labels: int = 40) -> Path:
    """Draw the visible nodes (sized by papers, coloured by type; the `labels` biggest named) to PNG/SVG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    graph = view_graph(view)
    positions = layout(graph)
    figure, axes = plt.subplots(figsize=(12, 9), dpi=100)
    nodes = list(graph.nodes(data=True))
    nx.draw_networkx_edges(
        graph,
        positions,
        ax=axes,
        width=0.6,
        alpha=0.6,
        arrowsize=6,
        edge_color=[RELATION_COLORS.get(d["type"], "#ccc") for _, _, d in graph.edges(data=True)],
    )
    nx.draw_networkx_nodes(
        graph,
        positions,
        ax=axes,
        linewidths=0,
        node_color=[TYPE_COLORS.get(d["type"], "#777") for _, d in nodes],
        node_size=[d["size"] ** 2 / 3 for _, d in nodes],
        node_shape="o",
    )
    named = sorted((d for _, d in nodes if d["type"] != "Paper"), key=lambda d: -d["papers"])[:labels]
    nx.draw_networkx_labels(graph, positions, {d["id"]: d["name"] for d in named}, ax=axes, font_size=7)
    handles = [Line2D([], [], marker="o", linestyle="", color=c, label=t) for t, c in TYPE_COLORS.items()]
    handles += [Line2D([], [], color=c, label=r) for r, c in RELATION_COLORS.items()]
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1, 1), fontsize=7, frameon=False)
    axes.set_title(view.title)
    axes.set_axis_off()
    path = Path(path)
    figure.savefig(path, bbox_inches="tight")
    plt.close(figure)
    return path
