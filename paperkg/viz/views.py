"""Which part of the graph to draw: an entity's neighbourhood or the top entities, as plain node/edge data.

A view holds visible nodes plus a capped "frontier" of hidden neighbours, so a standalone page can expand
a node on click without a server. Parallel paper → entity edges are merged into one edge whose `type` is the
most specific relation (PROPOSES over EVALUATES_ON over COMPARES_WITH over USES over MENTIONS). The overview
(`top_view`) draws entities only: the papers two entities share become one edge between them, weighted by
their number.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from paperkg.graph.networkx_store import PAPER_LABEL, NetworkXStore

RELATION_PRIORITY = ("PROPOSES", "EVALUATES_ON", "COMPARES_WITH", "USES", "VARIANT_OF", "MENTIONS")
SHARED_PAPERS = "SHARED_PAPERS"  # entity–entity edge of the overview: papers collapsed
LINKS_PER_ENTITY = 4
MAX_EVIDENCE = 2
MAX_SENTENCE = 300
MAX_HIDDEN_PER_NODE = 25
LEADERBOARD_ROWS = 5  # shown when a benchmark is hovered
COSE_MAX_NODES = 300  # force-directed layout in the browser up to here, rings by importance beyond

TYPE_COLORS = {
    "Paper": "#9e9e9e",
    "Model": "#4e79a7",
    "Method": "#f28e2b",
    "Dataset": "#59a14f",
    "Benchmark": "#e15759",
    "Task": "#b07aa1",
    "Metric": "#edc948",
}
RELATION_COLORS = {
    "PROPOSES": "#d62728",
    "EVALUATES_ON": "#2ca02c",
    "COMPARES_WITH": "#ff7f0e",
    "USES": "#1f77b4",
    "VARIANT_OF": "#9467bd",
    "MENTIONS": "#c7c7c7",
    "SHARED_PAPERS": "#7f8fa6",
}


@dataclass
class GraphView:
    """Nodes and edges to draw (dicts ready for JSON), how to lay them out, and the node to focus on."""

    title: str
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    layout: str = "cose"
    focus: str | None = None

    @property
    def visible_nodes(self) -> list[dict]:
        return [n for n in self.nodes if not n["hidden"]]


def paper_counts(store: NetworkXStore) -> dict[str, int]:
    """Distinct papers per entity id."""
    graph = store.graph
    return {
        node: sum(1 for p in graph.predecessors(node) if graph.nodes[p].get("label") == PAPER_LABEL)
        for node, data in graph.nodes(data=True)
        if data.get("label") != PAPER_LABEL
    }


def ego_view(store: NetworkXStore, entity_id: str, hops: int = 2, max_nodes: int = 2000) -> GraphView:
    """An entity and everything within `hops` edges (nearest and best-connected first, `max_nodes` at most)."""
    graph = store.graph
    if entity_id not in graph:
        raise ValueError(f"no node {entity_id!r} in the graph")
    counts = paper_counts(store)
    distances = nx.single_source_shortest_path_length(
        graph.to_undirected(as_view=True), entity_id, cutoff=hops
    )
    ranked = sorted(distances, key=lambda n: (distances[n], -counts.get(n, graph.degree(n)), n))
    visible = ranked[:max_nodes]
    name = graph.nodes[entity_id].get("name", entity_id)
    view = _view(store, visible, counts, f"{name}: {hops}-hop neighbourhood", max_hidden=max_nodes // 2)
    view.layout, view.focus = ("cose" if len(visible) <= COSE_MAX_NODES else "concentric"), entity_id
    level = {n: hops - distances[n] for n in visible}
    for node in view.nodes:
        node["level"] = level.get(node["id"], -1)
    return view


def top_view(store: NetworkXStore, top: int = 100, max_nodes: int = 2000) -> GraphView:
    """The `top` entities with the most papers, papers collapsed into weighted entity–entity edges: one
    SHARED_PAPERS edge per pair sharing papers (`weight` = how many), keeping each entity's
    `LINKS_PER_ENTITY` strongest so the page stays readable."""
    graph = store.graph
    counts = paper_counts(store)
    entities = sorted(counts, key=lambda n: (-counts[n], n))[: min(top, max_nodes)]
    nodes = [_node(graph, n, counts, hidden=False) | {"level": counts[n]} for n in entities]
    return GraphView(
        title=f"top {len(entities)} entities",
        nodes=with_leaderboards(store, nodes),
        edges=shared_paper_edges(store, entities),
        layout="cose" if len(entities) <= COSE_MAX_NODES else "concentric",
    )


def shared_paper_edges(
    store: NetworkXStore, entities: list[str], per_entity: int | None = None
) -> list[dict]:
    """Edges between `entities` weighted by the papers each pair shares, each entity's `per_entity` strongest
    (default LINKS_PER_ENTITY), strongest first."""
    per_entity = LINKS_PER_ENTITY if per_entity is None else per_entity
    graph = store.graph
    papers = {
        e: {p for p in graph.predecessors(e) if graph.nodes[p].get("label") == PAPER_LABEL} for e in entities
    }
    pairs = [
        (len(papers[a] & papers[b]), a, b)
        for i, a in enumerate(entities)
        for b in entities[i + 1 :]
        if not papers[a].isdisjoint(papers[b])
    ]
    pairs.sort(key=lambda pair: (-pair[0], pair[1], pair[2]))
    kept: dict[str, int] = defaultdict(int)
    edges = []
    for weight, a, b in pairs:
        if kept[a] < per_entity or kept[b] < per_entity:
            kept[a] += 1
            kept[b] += 1
            edges.append(
                {
                    "id": f"{a}--{b}",
                    "source": a,
                    "target": b,
                    "type": SHARED_PAPERS,
                    "relations": [SHARED_PAPERS],
                    "weight": weight,
                    "evidence": [],
                }
            )
    return edges


def _view(
    store: NetworkXStore, visible: Iterable[str], counts: dict[str, int], title: str, max_hidden: int
) -> GraphView:
    graph = store.graph
    shown = list(dict.fromkeys(visible))
    shown_set = set(shown)
    hidden: list[str] = []
    hidden_set: set[str] = set()
    for node in shown:
        extra = sorted(
            (n for n in nx.all_neighbors(graph, node) if n not in shown_set and n not in hidden_set),
            key=lambda n: (-counts.get(n, 0), n),
        )[:MAX_HIDDEN_PER_NODE]
        room = max_hidden - len(hidden)
        hidden.extend(extra[: max(room, 0)])
        hidden_set.update(extra[: max(room, 0)])
    nodes = [_node(graph, n, counts, hidden=False) for n in shown] + [
        _node(graph, n, counts, hidden=True) for n in hidden
    ]
    return GraphView(
        title=title, nodes=with_leaderboards(store, nodes), edges=_edges(graph, shown_set | hidden_set)
    )


def with_leaderboards(store: NetworkXStore, nodes: list[dict]) -> list[dict]:
    """Benchmark and dataset nodes gain `leaderboard`: the best `LEADERBOARD_ROWS` comparable scores reported
    on them (`paperkg leaderboard`'s rows), the metric and unit, and how many rows were left out or cut."""
    from paperkg.queries.result_queries import leaderboards

    boards = leaderboards(store, [n["id"] for n in nodes if n["type"] in ("Benchmark", "Dataset")])
    for node in nodes:
        if (board := boards.get(node["id"])) is not None:
            node["leaderboard"] = {
                "metric": board.metric,
                "unit": board.unit,
                "rows": [
                    {"system": row.system, "value": row.value, "paper": row.paper_title or row.paper_id}
                    for row in board.rows[:LEADERBOARD_ROWS]
                ],
                "more": max(len(board.rows) - LEADERBOARD_ROWS, 0),
                "left_out": len(board.left_out),
            }
    return nodes


def _node(graph: nx.MultiDiGraph, node: str, counts: dict[str, int], *, hidden: bool) -> dict:
    data = graph.nodes[node]
    if data.get("label") == PAPER_LABEL:
        return {
            "id": node,
            "type": PAPER_LABEL,
            "name": data.get("title") or node,
            "date": data.get("date"),
            "url": web_url(data.get("url")) or _arxiv_url(node),
            "papers": 1,
            "size": 10,
            "hidden": hidden,
        }
    papers = counts.get(node, 0)
    return {
        "id": node,
        "type": data["label"],
        "name": data["name"],
        "aliases": list(data.get("aliases", [])),
        "papers": papers,
        "size": round(14 + 8 * math.sqrt(papers), 1),
        "hidden": hidden,
    }


def web_url(url: str | None) -> str | None:
    """`url` when it is an http(s) address, else None: a stored `javascript:` or `data:` URL never becomes a link.

    >>> web_url("https://arxiv.org/abs/2303.08774"), web_url(" JavaScript:alert(1)"), web_url("file:///etc/passwd")
    ('https://arxiv.org/abs/2303.08774', None, None)
    """
    from urllib.parse import urlsplit

    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _arxiv_url(paper_id: str) -> str | None:
    """The arXiv page of a paper whose id is an arXiv id (others have none)."""
    from paperkg.graph.schema import normalize_arxiv_id

    arxiv_id = normalize_arxiv_id(paper_id)
    return f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None


def _edges(graph: nx.MultiDiGraph, nodes: set[str]) -> list[dict]:
    """One edge per ordered node pair, typed by its most specific relation, with a little evidence."""
    merged: dict[tuple[str, str], dict] = {}
    for source, target, key, data in graph.subgraph(nodes).edges(keys=True, data=True):
        edge = merged.setdefault(
            (source, target),
            {
                "id": f"{source}->{target}",
                "source": source,
                "target": target,
                "relations": [],
                "evidence": [],
            },
        )
        edge["relations"].append(key)
        if key == "MENTIONS":
            edge["mentions"] = data.get("count", 1)
        for item in data.get("evidence", ()):
            sentence = item["sentence"][:MAX_SENTENCE]
            if sentence and sentence not in edge["evidence"] and len(edge["evidence"]) < MAX_EVIDENCE:
                edge["evidence"].append(sentence)
    for edge in merged.values():
        edge["relations"].sort(key=RELATION_PRIORITY.index)
        edge["type"] = edge["relations"][0]
    return sorted(merged.values(), key=lambda e: e["id"])
