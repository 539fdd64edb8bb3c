"""Entity merges for Cypher stores, decided by the reference merge on the affected subgraph (pure, no database).

A chunk of merge steps needs only the entities it names and the edges it can touch: every edge of a merged
entity, and the survivors' edges to the same neighbours. `NetworkXStore.merge_entities` replays the steps on
that subgraph, so both stores fold counts, evidence, aliases and self-loops identically, and
`merge_statements` writes back only the difference: changed edges with their absolute count and evidence
(MERGE … SET, one row per distinct edge, so no two rows of a statement update the same edge), the survivors'
aliases (marking them for the paper_count recount), results' role edges moved to the survivors, the merged
nodes' deletion, then the recount.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from paperkg.graph.cypher.queries import (
    DELETE_ENTITIES,
    MERGE_ENTITY_RELATIONS,
    MERGE_PAPER_RELATIONS,
    SET_SURVIVOR_ALIASES,
    SETTLE_STALE,
    for_relation_type,
)
from paperkg.graph.cypher.results import final_survivors, move_role_statements
from paperkg.graph.cypher.rows import Statement, relation_rows
from paperkg.graph.networkx_store import NetworkXStore, edge_to_relation, relation_edge_data
from paperkg.graph.schema import Entity, Relation, RelationType

EdgeKey = tuple[str, str, str]


def neighbours(relations: Iterable[Relation]) -> set[str]:
    """Every node id at either end of `relations`."""
    return {end for r in relations for end in (r.source_id, r.target_id)}


def subgraph(entities: Iterable[Entity], relations: Iterable[Relation]) -> NetworkXStore:
    """A NetworkX store holding `entities` and `relations` (other ends become bare nodes)."""
    store = NetworkXStore()
    for entity in entities:
        store.graph.add_node(
            entity.id, label=entity.type.value, name=entity.name, aliases=list(entity.aliases)
        )
    for relation in relations:
        store.graph.add_edge(
            relation.source_id, relation.target_id, key=relation.type.value, **relation_edge_data(relation)
        )
    return store


def edge_data(store: NetworkXStore) -> dict[EdgeKey, dict]:
    """`{(source, target, type): {count, evidence}}` of every edge (copies, safe to compare later)."""
    return {
        (s, t, key): {"count": d.get("count", 1), "evidence": list(d.get("evidence", ()))}
        for s, t, key, d in store.graph.edges(keys=True, data=True)
    }


def changed_relations(before: dict[EdgeKey, dict], after: dict[EdgeKey, dict]) -> list[Relation]:
    """Edges of `after` that are new or whose count or evidence differ from `before`."""
    return [
        edge_to_relation(source, target, {"type": key, **data})
        for (source, target, key), data in after.items()
        if before.get((source, target, key)) != data
    ]


def merge_statements(
    entities: Sequence[Entity], relations: Sequence[Relation], steps: Sequence[tuple[str, str]]
) -> list[Statement]:
    """What a Cypher store sends to apply `steps` (`(merged, survivor)` in order; see `merge_steps`).

    `entities` must hold every id in `steps`; `relations` every edge of the merged entities and the survivors'
    edges to their neighbours.
    """
    store = subgraph(entities, relations)
    before = edge_data(store)
    for old, new in steps:
        store.merge_entities({old: new})
    changed = changed_relations(before, edge_data(store))
    statements: list[Statement] = [
        (
            for_relation_type(
                MERGE_ENTITY_RELATIONS if relation_type is RelationType.VARIANT_OF else MERGE_PAPER_RELATIONS,
                relation_type,
            ),
            {"rows": rows},
        )
        for relation_type, rows in sorted(relation_rows(changed).items())
    ]
    survivors = sorted({new for _, new in steps} & set(store.graph))
    aliases = [{"id": s, "aliases": list(store.graph.nodes[s]["aliases"])} for s in survivors]
    statements.append((SET_SURVIVOR_ALIASES, {"rows": aliases}))
    statements.extend(
        move_role_statements(final_survivors(steps))
    )  # results' role edges, before the deletion
    statements.append((DELETE_ENTITIES, {"ids": [old for old, _ in steps]}))
    statements.extend((query, {}) for query in SETTLE_STALE)
    return statements
