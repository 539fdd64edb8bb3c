"""Entity lookups over a NetworkX store: by canonical name or alias, spelling-insensitive."""

from __future__ import annotations

from paperkg.graph.networkx_store import PAPER_LABEL, NetworkXStore, node_to_entity, node_to_paper
from paperkg.graph.schema import Entity, EntityType, Paper, entity_key


def find_entities(store: NetworkXStore, name: str, entity_type: EntityType | None = None) -> list[Entity]:
    """Entities whose name or an alias has the same key as `name` (GPT4 finds GPT-4), most papers first."""
    key = entity_key(name)
    found = []
    for node, data in store.graph.nodes(data=True):
        if data.get("label") == PAPER_LABEL:
            continue
        if entity_type is not None and data["label"] != entity_type.value:
            continue
        if key == entity_key(data["name"]) or any(key == entity_key(a) for a in data["aliases"]):
            found.append(node_to_entity(node, data))
    return sorted(found, key=lambda e: (-store.paper_count(e.id), e.id))


def papers_mentioning(store: NetworkXStore, entity_id: str) -> list[Paper]:
    """Papers with any edge to the entity, by id."""
    graph = store.graph
    return sorted(
        (
            node_to_paper(p, graph.nodes[p])
            for p in set(graph.predecessors(entity_id))
            if graph.nodes[p].get("label") == PAPER_LABEL
        ),
        key=lambda paper: paper.id,
    )
