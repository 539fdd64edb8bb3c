"""Resolution as a post-pass over a built graph: merge spellings of one thing, link variants to families.

Runs after any build (batch or streaming) on any store that can merge entities. It plans and merges until a
plan is empty, so its result is a fixed point: running it again (a build of nothing) changes nothing. Names
then follow from each entity's spellings alone, and survivors within a type from ids alone, so building B
then A gives the ids and names of building A and B at once (where the merges themselves agree). The decisions
are the pure functions of `paperkg.extract.resolve`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol

from pydantic import BaseModel

from paperkg.extract.resolve import plan_merges, plan_names, plan_variants, written_spellings
from paperkg.graph.schema import Entity, Relation, RelationType
from paperkg.graph.store import GraphStore


class ResolvableStore(GraphStore, Protocol):
    """A store that can fold entities into others (`{merged id: surviving id}`)."""

    def merge_entities(self, plan: Mapping[str, str]) -> int: ...

    def rename_entities(self, names: Mapping[str, str]) -> int: ...


class ResolutionSummary(BaseModel):
    """What one resolution pass did."""

    merged: int
    variants: int
    renamed: int = 0


def paper_counts(relations: Iterable[Relation]) -> dict[str, int]:
    """Distinct papers linked to each entity by a paper relation (VARIANT_OF edges are not papers)."""
    papers: dict[str, set[str]] = defaultdict(set)
    for relation in relations:
        if relation.type is not RelationType.VARIANT_OF:
            papers[relation.target_id].add(relation.source_id)
    return {entity_id: len(sources) for entity_id, sources in papers.items()}


MAX_ROUNDS = 20


def apply_resolution(
    store: ResolvableStore,
    *,
    counts: Callable[[], Mapping[str, int]] | None = None,
    spellings: Callable[[list[Entity]], Mapping[str, Counter]] | None = None,
) -> ResolutionSummary:
    """Plan and apply merges until none is left, name each entity by the spelling papers write most, then write
    VARIANT_OF edges from variants to families present in the graph.

    One round can enable another (a merge gives a survivor the spellings that pair it with a third entity),
    which is why it repeats: otherwise the next build, even of an empty file, would merge what this one left.
    `counts` (papers per entity) and `spellings` (`written_spellings` of the entities) default to reading the
    store's relations; a store that keeps no relations (`EntityTable`) passes its own.
    """
    counts = counts or (lambda: paper_counts(store.relations()))
    spellings = spellings or (lambda entities: written_spellings(entities, store.relations()))
    merged = 0
    for _ in range(MAX_ROUNDS):
        plan = plan_merges(store.entities(), counts())
        done = store.merge_entities(plan) if plan else 0
        if not done:
            break
        merged += done
    entities = list(store.entities())
    names = plan_names(entities, spellings(entities))
    renamed = store.rename_entities(names) if names else 0
    if renamed:
        entities = list(store.entities())
    variants = plan_variants(entities)
    store.write_entity_relations(variants)
    return ResolutionSummary(merged=merged, variants=len(variants), renamed=renamed)
