"""`shortest_connection` on a Cypher server, in bounded steps that give the NetworkX twin's answer.

A single Cypher query that must break ties by node ids has to enumerate every shortest path
(`allShortestPaths`), and through hub entities those number in the millions: on a 10k-paper graph it held the
server for over 8 minutes. Here the server answers one breadth-first step at a time (`shortest_connection.cypher`:
the edges of a set of nodes), and the search is `networkx_queries.shortest_connection`'s: distances out from
the target until the source is reached or `max_hops` are taken, then from the source the smallest-id
neighbour one step closer each time. The work is the edges of the nodes searched, never the paths.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from paperkg.queries.networkx_queries import MAX_PATH_HOPS
from paperkg.queries.results import PathStep

Run = Callable[[str, dict[str, Any]], list[dict[str, Any]]]


class _Edges:
    """Edges of nodes fetched from the server, each node's once; also each node's label and name."""

    def __init__(self, run: Run, text: str) -> None:
        self.run, self.text = run, text
        self.around: dict[str, dict[str, set[str]]] = {}  # node → {neighbour: relation types}
        self.nodes: dict[str, tuple[str, str]] = {}  # node → (label, name)

    def fetch(self, ids: list[str]) -> None:
        wanted = [i for i in dict.fromkeys(ids) if i not in self.around]
        for node in wanted:
            self.around[node] = {}
        if not wanted:
            return
        for row in self.run(self.text, {"ids": wanted}):
            self.nodes[row["id"]] = (row["label"], row["name"])
            self.nodes[row["other"]] = (row["other_label"], row["other_name"])
            self.around[row["id"]].setdefault(row["other"], set()).add(row["relation"])


def shortest_connection(run: Run, text: str, source: str, target: str, max_hops: int = 6) -> list[PathStep]:
    """The rows of `shortest_connection`: `run(text, params)` answers one step of `text` on the server."""
    edges = _Edges(run, text)
    edges.fetch([source, target])
    if source == target or not all(edges.nodes.get(n, ("Paper",))[0] != "Paper" for n in (source, target)):
        return []
    distances, frontier = {target: 0}, [target]
    for distance in range(1, min(max_hops, MAX_PATH_HOPS) + 1):
        if source in distances:
            break
        edges.fetch(frontier)
        reached = []
        for node in frontier:
            for other in sorted(edges.around[node]):
                if other not in distances:
                    distances[other] = distance
                    reached.append(other)
        frontier = reached
    if source not in distances:
        return []
    path = [source]
    while path[-1] != target:
        here = path[-1]
        edges.fetch([here])
        path.append(min(n for n in edges.around[here] if distances.get(n) == distances[here] - 1))
    return [
        PathStep(
            step=step,
            id=node,
            label=edges.nodes[node][0],
            name=edges.nodes[node][1],
            relation=None if step == 0 else min(edges.around[path[step - 1]][node]),
        )
        for step, node in enumerate(path)
    ]
