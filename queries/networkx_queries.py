"""The named queries over a NetworkX store: same names, parameters, rows and order as `queries/*.cypher`.

Each function takes the store first, then the query's parameters (entity and paper ids, not names), and
returns a list of row models from `paperkg.queries.results`. A missing id gives no rows, as in Cypher.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable

import networkx as nx

from paperkg.graph.networkx_store import PAPER_LABEL, NetworkXStore, paper_count
from paperkg.graph.schema import RelationType
from paperkg.queries.results import (
    EntityRef,
    EntityRow,
    LinkedEntity,
    NeighborNode,
    NewEntity,
    PaperEntity,
    PaperRef,
    PaperRow,
    PathStep,
    Variant,
)

MAX_NEIGHBORHOOD_HOPS = 3
MAX_VARIANT_DEPTH = 5
MAX_PATH_HOPS = 8
_MENTIONS = RelationType.MENTIONS.value
_VARIANT_OF = RelationType.VARIANT_OF.value


# --- small readers over the graph -------------------------------------------------------------------
def _is_paper(graph: nx.MultiDiGraph, node: str) -> bool:
    return graph.nodes[node].get("label") == PAPER_LABEL


def _is_entity(graph: nx.MultiDiGraph, node: str, entity_type: str | None = None) -> bool:
    label = graph.nodes[node].get("label")
    return label != PAPER_LABEL and (entity_type is None or label == entity_type)


def _entities(graph: nx.MultiDiGraph, entity_type: str | None = None) -> Iterable[str]:
    return (node for node in graph if _is_entity(graph, node, entity_type))


def _papers_of(graph: nx.MultiDiGraph, entity: str, relation: str | None = None) -> set[str]:
    """Papers with an edge (of `relation`, or any) to an entity."""
    return {
        paper
        for paper, keys in graph.pred[entity].items()
        if (relation is None or relation in keys) and _is_paper(graph, paper)
    }


def _undirected_distances(
    graph: nx.MultiDiGraph, start: str, cutoff: int, until: str | None = None
) -> dict[str, int]:
    """Breadth-first distances from `start` ignoring edge direction, up to `cutoff` edges (or the layer
    that reaches `until`)."""
    distances, frontier = {start: 0}, [start]
    for distance in range(1, cutoff + 1):
        if until in distances:
            break
        reached = []
        for node in frontier:
            for other in itertools.chain(graph.succ[node], graph.pred[node]):
                if other not in distances:
                    distances[other] = distance
                    reached.append(other)
        frontier = reached
    return distances


def _targets_of(graph: nx.MultiDiGraph, paper: str, relation: str | None = None) -> set[str]:
    """Entities a paper has an edge (of `relation`, or any) to."""
    return {
        target for _, target, key in graph.out_edges(paper, keys=True) if relation is None or key == relation
    }


def _node_name(graph: nx.MultiDiGraph, node: str) -> str:
    data = graph.nodes[node]
    return data.get("name") or data.get("title") or ""


def _entity_row(graph: nx.MultiDiGraph, node: str) -> EntityRow:
    data = graph.nodes[node]
    return EntityRow(
        id=node,
        type=data["label"],
        name=data["name"],
        aliases=data.get("aliases", []),
        paper_count=paper_count(graph, node),
    )


def _ref(graph: nx.MultiDiGraph, node: str) -> dict:
    data = graph.nodes[node]
    return {"id": node, "type": data["label"], "name": data["name"]}


def _linked(graph: nx.MultiDiGraph, papers_by_entity: dict[str, set[str]]) -> list[LinkedEntity]:
    rows = [LinkedEntity(**_ref(graph, e), papers=len(ps)) for e, ps in papers_by_entity.items()]
    return sorted(rows, key=lambda row: (-row.papers, row.id))


def _top_entity_rows(rows: Iterable[EntityRow], limit: int | None = None) -> list[EntityRow]:
    ordered = sorted(rows, key=lambda row: (-row.paper_count, row.id))
    return ordered if limit is None else ordered[:limit]


# --- the named queries ------------------------------------------------------------------------------
def entity_by_name(store: NetworkXStore, name: str, type: str | None = None) -> list[EntityRow]:
    """Entities whose id, name or an alias equals `name`, ignoring case; most papers first."""
    graph, wanted = store.graph, name.lower()
    found = (
        _entity_row(graph, node)
        for node in _entities(graph, type)
        if node == name
        or graph.nodes[node]["name"].lower() == wanted
        or any(alias.lower() == wanted for alias in graph.nodes[node].get("aliases", []))
    )
    return _top_entity_rows(found)


def entity_catalogue(store: NetworkXStore) -> list[EntityRow]:
    """Every entity with its spellings and paper count, by id."""
    graph = store.graph
    return sorted((_entity_row(graph, node) for node in _entities(graph)), key=lambda row: row.id)


def paper_catalogue(store: NetworkXStore) -> list[PaperRef]:
    """Every paper's id, title and date, by id."""
    graph = store.graph
    return [
        PaperRef(id=node, title=graph.nodes[node].get("title") or "", date=graph.nodes[node].get("date"))
        for node in sorted(n for n in graph if _is_paper(graph, n))
    ]


def _relation_types_and_mentions(
    links: Iterable[tuple[str, str, dict]],
) -> tuple[dict[str, set[str]], Counter]:
    """From `(node at the other end, edge key, edge data)` links: each node's relation types and MENTIONS count."""
    relations: dict[str, set[str]] = defaultdict(set)
    mentions: Counter = Counter()
    for other, key, data in links:
        relations[other].add(key)
        if key == _MENTIONS:
            mentions[other] = data.get("count", 1)
    return relations, mentions


def papers_mentioning(store: NetworkXStore, entity: str) -> list[PaperRow]:
    """Papers linked to an entity by any relation; newest first (undated last), then by id."""
    graph = store.graph
    if entity not in graph or not _is_entity(graph, entity):
        return []
    relations, mentions = _relation_types_and_mentions(
        (paper, key, data)
        for paper, _, key, data in graph.in_edges(entity, keys=True, data=True)
        if _is_paper(graph, paper)
    )
    rows = [
        PaperRow(
            id=paper,
            title=graph.nodes[paper].get("title") or "",
            date=graph.nodes[paper].get("date"),
            url=graph.nodes[paper].get("url"),
            relations=sorted(types),
            mentions=mentions[paper],
        )
        for paper, types in relations.items()
    ]
    rows.sort(key=lambda row: row.id)
    rows.sort(key=lambda row: row.date or "", reverse=True)
    return rows


def top_entities(store: NetworkXStore, type: str | None = None, limit: int = 20) -> list[EntityRow]:
    """The entities of a type (or any) linked to the most papers."""
    graph = store.graph
    counts = ((-paper_count(graph, node), node) for node in _entities(graph, type))
    return [_entity_row(graph, node) for _, node in heapq.nsmallest(limit, counts)]


def paper_proposes(store: NetworkXStore, paper: str) -> list[EntityRef]:
    """What a paper proposes, by id."""
    graph = store.graph
    if paper not in graph or not _is_paper(graph, paper):
        return []
    targets = _targets_of(graph, paper, RelationType.PROPOSES.value)
    return [EntityRef(**_ref(graph, target)) for target in sorted(targets)]


def paper_entities(store: NetworkXStore, paper: str) -> list[PaperEntity]:
    """Every entity of a paper with its relation types and mention count, by id."""
    graph = store.graph
    if paper not in graph or not _is_paper(graph, paper):
        return []
    relations, mentions = _relation_types_and_mentions(
        (target, key, data) for _, target, key, data in graph.out_edges(paper, keys=True, data=True)
    )
    return [
        PaperEntity(**_ref(graph, target), relations=sorted(types), mentions=mentions[target])
        for target, types in sorted(relations.items())
    ]


def top_baselines(store: NetworkXStore, type: str | None = None, limit: int = 20) -> list[LinkedEntity]:
    """The most compared-against entities: distinct papers with a COMPARES_WITH edge to them."""
    graph = store.graph
    found: dict[str, set[str]] = defaultdict(set)
    for paper, target, key in graph.edges(keys=True):
        if (
            key == RelationType.COMPARES_WITH.value
            and _is_paper(graph, paper)
            and _is_entity(graph, target, type)
        ):
            found[target].add(paper)
    return _linked(graph, found)[:limit]


def cooccurring(
    store: NetworkXStore, entity: str, type: str | None = None, limit: int = 20
) -> list[LinkedEntity]:
    """Entities linked to the same papers as `entity`, with the number of papers they share."""
    graph = store.graph
    if entity not in graph:
        return []
    found: dict[str, set[str]] = defaultdict(set)
    for paper in _papers_of(graph, entity):
        for other in _targets_of(graph, paper):
            if other != entity and _is_entity(graph, other, type):
                found[other].add(paper)
    return _linked(graph, found)[:limit]


def neighborhood(store: NetworkXStore, entity: str, hops: int = 1) -> list[NeighborNode]:
    """Papers and entities within `hops` (at most 3) edges of an entity, direction ignored."""
    graph = store.graph
    if entity not in graph or not _is_entity(graph, entity):
        return []
    hops = min(hops, MAX_NEIGHBORHOOD_HOPS)
    distances = _undirected_distances(graph, entity, hops)
    rows = [
        NeighborNode(id=node, label=graph.nodes[node]["label"], name=_node_name(graph, node), distance=d)
        for node, d in distances.items()
        if node != entity
    ]
    return sorted(rows, key=lambda row: (row.distance, row.label, row.id))


def new_entities(
    store: NetworkXStore, after: str, type: str | None = None, limit: int = 50
) -> list[NewEntity]:
    """Entities whose earliest dated paper is after `after` (ISO date text), newest first."""
    graph = store.graph
    first_seen: dict[str, str] = {}
    for paper, data in graph.nodes(data=True):
        if data.get("label") == PAPER_LABEL and (date := data.get("date")):
            for entity in graph.succ[paper]:
                if entity not in first_seen or date < first_seen[entity]:
                    first_seen[entity] = date
    rows = [
        NewEntity(**_ref(graph, node), first_seen=date, paper_count=paper_count(graph, node))
        for node, date in first_seen.items()
        if date > after and _is_entity(graph, node, type)
    ]
    rows.sort(key=lambda row: row.id)
    rows.sort(key=lambda row: row.first_seen, reverse=True)
    return rows[:limit]


def variants(store: NetworkXStore, family: str) -> list[Variant]:
    """Entities that are (transitively, up to 5 steps) VARIANT_OF `family`, nearest first."""
    graph = store.graph
    if family not in graph:
        return []
    variant_edges = nx.subgraph_view(graph, filter_edge=lambda s, t, key: key == _VARIANT_OF)
    depths = nx.single_source_shortest_path_length(
        variant_edges.reverse(copy=False), family, MAX_VARIANT_DEPTH
    )
    rows = [Variant(**_ref(graph, node), depth=depth) for node, depth in depths.items() if node != family]
    return sorted(rows, key=lambda row: (row.depth, row.id))


def shortest_connection(store: NetworkXStore, source: str, target: str, max_hops: int = 6) -> list[PathStep]:
    """The shortest path between two entities, direction ignored; ties go to the smallest node ids.

    Walks from `source`, each step taking the smallest-id neighbour one step closer to `target`, which
    gives the lexicographically smallest of all shortest paths without enumerating them.
    """
    graph = store.graph
    if source == target or not all(n in graph and _is_entity(graph, n) for n in (source, target)):
        return []
    to_target = _undirected_distances(graph, target, min(max_hops, MAX_PATH_HOPS), until=source)
    if source not in to_target:
        return []
    path = [source]
    while path[-1] != target:
        here = path[-1]
        around = itertools.chain(graph.succ[here], graph.pred[here])
        path.append(min(n for n in around if to_target.get(n) == to_target[here] - 1))
    return [
        PathStep(
            step=step,
            id=node,
            label=graph.nodes[node]["label"],
            name=_node_name(graph, node),
            relation=None if step == 0 else _relation_between(graph, path[step - 1], node),
        )
        for step, node in enumerate(path)
    ]


def _relation_between(graph: nx.MultiDiGraph, a: str, b: str) -> str:
    """The alphabetically first relation type of the edges between two nodes, either direction."""
    keys = list(graph.get_edge_data(a, b, default={})) + list(graph.get_edge_data(b, a, default={}))
    return min(keys)
