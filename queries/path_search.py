"""`shortest_connection` on a Cypher server, in bounded steps that give the NetworkX twin's answer.

A single Cypher query that must break ties by node ids has to enumerate every shortest path
(`allShortestPaths`), and through hub entities those number in the millions: on a 10k-paper graph it held the
server for over 8 minutes. Here the server answers one breadth-first step at a time (`shortest_connection.cypher`:
the nodes next to a set of nodes). Steps go out from both ends, the smaller frontier first, until they meet:
then the length L is known, and which nodes lie on shortest paths (those the target side reached at the right
distance, and, nearer the source, those with a neighbour one step further that does). The path is the NetworkX
twin's: from the source, each time the smallest-id neighbour one step closer to the target (`EDGES_OF` gives one
node's edges). The work is the nodes searched and their edges, never the paths.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from paperkg.queries.networkx_queries import MAX_PATH_HOPS
from paperkg.queries.results import PathStep

Run = Callable[[str, dict[str, Any]], list[dict[str, Any]]]

_NODE = """
OPTIONAL MATCH (e:Entity {id: $id})
OPTIONAL MATCH (p:Paper {id: $id})
WITH coalesce(e, p) AS n
WHERE n IS NOT NULL
"""
_LABEL = "CASE WHEN n:Paper THEN 'Paper' ELSE [l IN labels(n) WHERE l <> 'Entity'][0] END"
NODE_INFO = _NODE + f"RETURN {_LABEL} AS label, coalesce(n.name, n.title, '') AS name"
"""A paper's or entity's label and name (a paper's title)."""
EDGES_OF = (
    _NODE
    + "MATCH (n)-[r:MENTIONS|PROPOSES|EVALUATES_ON|COMPARES_WITH|USES|VARIANT_OF]-(m)\n"
    + "RETURN m.id AS other, type(r) AS relation"
)
"""The paper and entity edges of one node, direction ignored: the node at the other end and the edge's type."""


class _Side:
    """Breadth-first search from one end: distances, the current frontier, the edges of expanded nodes."""

    def __init__(self, start: str) -> None:
        self.distances = {start: 0}
        self.frontier = [start]
        self.radius = 0
        self.edges: dict[str, set[str]] = {}

    def expand(self, run: Run, step: str) -> list[str]:
        """One more layer; the nodes it reached."""
        reached = []
        for row in run(step, {"ids": self.frontier}):
            self.edges.setdefault(row["id"], set()).add(row["other"])
            if row["other"] not in self.distances:
                self.distances[row["other"]] = self.radius + 1
                reached.append(row["other"])
        self.radius += 1
        self.frontier = sorted(set(reached))
        return self.frontier


def _on_shortest_paths(near: _Side, far: _Side, length: int) -> set[str]:
    """Nodes of `near`'s search on a shortest path of `length` edges: at its last radius those `far` reached
    `length - radius` away; nearer in, those with an edge to one a step further out."""
    on_path = {
        n for n, d in near.distances.items() if d == near.radius and far.distances.get(n) == length - d
    }
    for depth in range(near.radius - 1, -1, -1):
        outer = {n for n in on_path if near.distances[n] == depth + 1}
        on_path |= {n for n, d in near.distances.items() if d == depth and near.edges.get(n, set()) & outer}
    return on_path


def shortest_connection(run: Run, step: str, source: str, target: str, max_hops: int = 6) -> list[PathStep]:
    """The rows of `shortest_connection`; `run(text, params)` is one read on the server, `step` the text of
    one breadth-first step (`shortest_connection.cypher`)."""

    def node(node_id: str) -> tuple[str, str] | None:
        rows = run(NODE_INFO, {"id": node_id})
        return (rows[0]["label"], rows[0]["name"]) if rows else None

    ends = [node(source), node(target)]
    if source == target or any(end is None or end[0] == "Paper" for end in ends):
        return []
    near, far = _Side(source), _Side(target)
    cutoff = min(max_hops, MAX_PATH_HOPS)
    while not near.distances.keys() & far.distances.keys():
        if near.radius + far.radius >= cutoff or not near.frontier or not far.frontier:
            return []
        side = near if len(near.frontier) < len(far.frontier) else far
        side.expand(run, step)
    length = near.radius + far.radius  # full layers from both ends: the first to meet are this far apart
    on_path = _on_shortest_paths(near, far, length)
    path, relations = [source], [None]
    while path[-1] != target:
        here, ahead = path[-1], length - len(path)  # the next node is `ahead` steps from the target
        around: dict[str, set[str]] = {}
        for row in run(EDGES_OF, {"id": here}):
            around.setdefault(row["other"], set()).add(row["relation"])
        if ahead <= far.radius:
            closer = min(n for n in around if far.distances.get(n) == ahead)
        else:
            closer = min(n for n in around if n in on_path and near.distances[n] == len(path))
        path.append(closer)
        relations.append(min(around[closer]))
    names = [ends[0], *(node(n) for n in path[1:-1]), ends[1]]
    return [
        PathStep(step=i, id=n, label=info[0], name=info[1], relation=relation)
        for i, (n, info, relation) in enumerate(zip(path, names, relations, strict=True))
    ]
