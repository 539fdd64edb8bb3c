"""Mentions of one paper → the entities and paper → entity edges it adds to the graph (pure)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from paperkg.graph.schema import Entity, Evidence, Mention, Paper, PaperGraph, Relation, RelationType, Result

MAX_EVIDENCE_PER_EDGE = 3


def entities_from_mentions(mentions: Iterable[Mention]) -> list[Entity]:
    """One entity per entity id; its aliases are the surface spellings seen, sorted."""
    spellings: dict[str, set[str]] = defaultdict(set)
    firsts: dict[str, Mention] = {}
    for mention in mentions:
        firsts.setdefault(mention.entity_id, mention)
        spellings[mention.entity_id].add(" ".join(mention.text.split()))
    return [
        Entity(
            id=entity_id,
            type=first.type,
            name=first.canonical,
            aliases=tuple(sorted(spellings[entity_id] - {first.canonical})),
        )
        for entity_id, first in firsts.items()
    ]


def mention_relations(paper_id: str, mentions: Iterable[Mention]) -> list[Relation]:
    """One MENTIONS edge per entity, counting its mentions, with the first sentences as evidence."""
    by_entity: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_entity[mention.entity_id].append(mention)
    return [
        Relation(
            source_id=paper_id,
            target_id=entity_id,
            type=RelationType.MENTIONS,
            count=len(group),
            evidence=tuple(
                Evidence(sentence=m.sentence, start=m.start, end=m.end) for m in group[:MAX_EVIDENCE_PER_EDGE]
            ),
        )
        for entity_id, group in by_entity.items()
    ]


def assemble_paper_graph(
    paper: Paper,
    mentions: list[Mention],
    typed_relations: Iterable[Relation] = (),
    results: Iterable[Result] = (),
) -> PaperGraph:
    """A paper with its entities, its MENTIONS edges, any typed relations (PROPOSES, …) and the results it
    reports (given the paper's id)."""
    return PaperGraph(
        paper=paper,
        entities=tuple(entities_from_mentions(mentions)),
        relations=tuple(mention_relations(paper.id, mentions)) + tuple(typed_relations),
        mentions=tuple(mentions),
        results=tuple(r.model_copy(update={"paper_id": paper.id}) for r in results),
    )
