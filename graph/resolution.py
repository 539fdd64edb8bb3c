"""Resolution as a post-pass over a built graph: merge spellings of one thing, link variants to families.

Runs after any build (batch or streaming) on any store that can merge entities; running it again changes
nothing. The decisions are the pure functions of `paperkg.extract.resolve`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Protocol

from pydantic import BaseModel

from paperkg.extract.resolve import plan_merges, plan_variants
from paperkg.graph.schema import Relation, RelationType
from paperkg.graph.store import GraphStore


class ResolvableStore(GraphStore, Protocol):
    """A store that can fold entities into others (`{merged id: surviving id}`)."""

    def merge_entities(self, plan: Mapping[str, str]) -> int: ...


class ResolutionSummary(BaseModel):
    """What one resolution pass did."""

    merged: int
    variants: int


def paper_counts(relations: Iterable[Relation]) -> dict[str, int]:
    """Distinct papers linked to each entity by a paper relation (VARIANT_OF edges are not papers)."""
    papers: dict[str, set[str]] = defaultdict(set)
    for relation in relations:
        if relation.type is not RelationType.VARIANT_OF:
            papers[relation.target_id].add(relation.source_id)
    return {entity_id: len(sources) for entity_id, sources in papers.items()}


def apply_resolution(store: ResolvableStore) -> ResolutionSummary:
    """Plan and apply merges, then write VARIANT_OF edges from variants to families present in the graph."""
    entities = list(store.entities())
    plan = plan_merges(entities, paper_counts(store.relations()))
    merged = store.merge_entities(plan) if plan else 0
    if merged:
        entities = list(store.entities())
    variants = plan_variants(entities)
    store.write_entity_relations(variants)
    return ResolutionSummary(merged=merged, variants=len(variants))
