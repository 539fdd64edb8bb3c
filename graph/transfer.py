"""Push a built NetworkX graph into another store (`paperkg load`), one paper at a time."""

from __future__ import annotations

from collections.abc import Iterator

from paperkg.graph.networkx_store import (
    PAPER_LABEL,
    NetworkXStore,
    edge_to_relation,
    node_to_entity,
    node_to_paper,
)
from paperkg.graph.schema import PaperGraph, Relation, Result
from paperkg.graph.store import GraphCounts, GraphStore


def paper_graphs_of(store: NetworkXStore) -> Iterator[PaperGraph]:
    """Each paper of a NetworkX graph with its edges, the entities they point to and its results (streaming)."""
    graph = store.graph
    results = graph.graph.get("results", {})
    for node, data in graph.nodes(data=True):
        if data.get("label") != PAPER_LABEL:
            continue
        edges = list(graph.out_edges(node, data=True))
        targets = dict.fromkeys(target for _, target, _ in edges)
        yield PaperGraph(
            paper=node_to_paper(node, data),
            entities=tuple(node_to_entity(t, graph.nodes[t]) for t in targets),
            relations=tuple(edge_to_relation(node, target, d) for _, target, d in edges),
            results=tuple(Result(**r) for r in results.get(node, ())),
        )


def entity_relations_of(store: NetworkXStore) -> Iterator[Relation]:
    """Entity → entity edges (VARIANT_OF) of a NetworkX graph."""
    nodes = store.graph.nodes
    for source, target, data in store.graph.edges(data=True):
        if nodes[source].get("label") != PAPER_LABEL:
            yield edge_to_relation(source, target, data)


def copy_store(source: NetworkXStore, target: GraphStore) -> GraphCounts:
    """Write every paper, entity and edge of `source` into `target`; returns `target`'s counts after."""
    target.write(paper_graphs_of(source))
    target.write_entity_relations(entity_relations_of(source))
    return target.counts()
