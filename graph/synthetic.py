"""Deterministic synthetic `PaperGraph`s, for store tests and load benchmarks (no extraction needed).

Entity popularity is skewed (a few entities appear in many papers), as in real paper graphs.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from paperkg.graph.schema import (
    PAPER_RELATION_TYPES,
    Entity,
    EntityType,
    Evidence,
    Paper,
    PaperGraph,
    Relation,
    RelationType,
)

_ENTITY_TYPES = tuple(EntityType)
_TYPED_RELATIONS = tuple(t for t in PAPER_RELATION_TYPES if t is not RelationType.MENTIONS)


def synthetic_entity(index: int) -> Entity:
    entity_type = _ENTITY_TYPES[index % len(_ENTITY_TYPES)]
    name = f"{entity_type.value}-{index}"
    return Entity.named(entity_type, name, aliases=(f"{name} v{index % 3}", name.lower()))


def synthetic_paper_graph(
    index: int, *, entities: int = 1000, per_paper: int = 8, seed: int = 0
) -> PaperGraph:
    """Paper `index`: `per_paper` distinct entities, a MENTIONS edge to each and a typed edge to some."""
    rng = random.Random(f"{seed}:{index}")
    picked = sorted({min(int(rng.paretovariate(1.2)) - 1, entities - 1) for _ in range(per_paper * 2)})
    picked = (picked + rng.sample(range(entities), per_paper))[:per_paper]
    paper = Paper(
        id=f"{2000 + index // 100000:04d}.{index % 100000:05d}",
        title=f"Paper {index}: on {{braces}}, 'quotes' and `ticks`",
        abstract=f"Abstract of paper {index}. We MATCH (n) RETURN n; DETACH DELETE nothing.",
        source="synthetic.jsonl",
        line=index + 1,
        authors=(f"Author {index % 97}", f"Author {index % 89}"),
        categories=("cs.CL",) if index % 2 else (),
    )
    ents = tuple(synthetic_entity(i) for i in dict.fromkeys(picked))
    relations = []
    for position, entity in enumerate(ents):
        sentence = f"Sentence {position} about {entity.name}."
        relations.append(
            Relation(
                source_id=paper.id,
                target_id=entity.id,
                type=RelationType.MENTIONS,
                count=1 + position % 3,
                evidence=(Evidence(sentence=sentence, start=position * 10, end=position * 10 + 5),),
            )
        )
        if position % 3 == 0:
            relations.append(
                Relation(
                    source_id=paper.id,
                    target_id=entity.id,
                    type=_TYPED_RELATIONS[(index + position) % len(_TYPED_RELATIONS)],
                )
            )
    return PaperGraph(paper=paper, entities=ents, relations=tuple(relations))


def synthetic_paper_graphs(
    papers: int, *, entities: int = 1000, per_paper: int = 8, seed: int = 0
) -> Iterator[PaperGraph]:
    """`papers` synthetic paper graphs over a pool of `entities` entities."""
    for index in range(papers):
        yield synthetic_paper_graph(index, entities=entities, per_paper=per_paper, seed=seed)


def synthetic_variant_relations(entities: int = 1000, every: int = 50) -> list[Relation]:
    """VARIANT_OF edges between entities of the same type (every `every`-th entity)."""
    step = len(_ENTITY_TYPES)
    return [
        Relation(
            source_id=synthetic_entity(i + step).id,
            target_id=synthetic_entity(i).id,
            type=RelationType.VARIANT_OF,
        )
        for i in range(0, entities - step, every)
    ]
