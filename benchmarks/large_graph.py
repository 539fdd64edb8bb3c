"""A large synthetic graph for benchmarks: N entities with aliases, papers linking them with a skewed
(Zipf-like) popularity, typed relations and VARIANT_OF chains. Deterministic for a seed."""

from __future__ import annotations

import itertools
import random

from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.schema import EntityType, entity_id_for

FAMILIES = [
    "GPT",
    "LLaMA",
    "BERT",
    "T5",
    "Qwen",
    "Mistral",
    "PaLM",
    "OPT",
    "Falcon",
    "Gemma",
    "Phi",
    "ResNet",
]
WORDS = [
    "Deep",
    "Graph",
    "Vision",
    "Code",
    "Math",
    "Medical",
    "Legal",
    "Multi",
    "Sparse",
    "Neural",
    "Fast",
    "Robust",
]
TYPES = list(EntityType)


def entity_names(count: int, rng: random.Random) -> list[tuple[EntityType, str, list[str]]]:
    """Unique (type, canonical name, aliases) triples such as (MODEL, "Qwen-3.5-70B", ["Qwen 3.5 70B"])."""
    out, seen = [], set()
    while len(out) < count:
        entity_type = rng.choice(TYPES)
        if entity_type is EntityType.MODEL:
            name = f"{rng.choice(FAMILIES)}-{rng.randint(1, 9)}.{rng.randint(0, 9)}-{rng.choice([7, 13, 34, 70, 175])}B-{rng.randint(0, 999)}"
        else:
            name = f"{rng.choice(WORDS)}{rng.choice(WORDS)}-{entity_type.name.title()}{rng.randint(0, 99999)}"
        entity_id = entity_id_for(entity_type, name)
        if entity_id in seen:
            continue
        seen.add(entity_id)
        aliases = [name.replace("-", " "), name.upper()] if rng.random() < 0.5 else []
        out.append((entity_type, name, [a for a in aliases if a != name]))
    return out


def large_store(
    entities: int = 100_000, papers: int = 50_000, per_paper: int = 8, seed: int = 0
) -> NetworkXStore:
    rng = random.Random(seed)
    store = NetworkXStore()
    graph = store.graph
    names = entity_names(entities, rng)
    ids = []
    for entity_type, name, aliases in names:
        entity_id = entity_id_for(entity_type, name)
        ids.append(entity_id)
        graph.add_node(entity_id, label=entity_type.value, name=name, aliases=sorted(aliases))
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(entities)))
    for number in range(papers):
        paper_id = f"{2000 + number // 10000}.{number % 10000:05d}"
        date = f"20{18 + number * 7 // papers}-{1 + number % 12:02d}-{1 + number % 28:02d}"
        graph.add_node(
            paper_id,
            label="Paper",
            title=f"Paper {number}",
            abstract="…",
            source="synthetic",
            date=date,
            url=f"https://arxiv.org/abs/{paper_id}",
            authors=[],
            categories=[],
        )
        linked = set(rng.choices(range(entities), cum_weights=cumulative, k=per_paper))
        for index in linked:
            evidence = [{"sentence": f"Sentence about {names[index][1]}.", "start": 0, "end": 5}]
            graph.add_edge(
                paper_id,
                ids[index],
                key="MENTIONS",
                type="MENTIONS",
                count=rng.randint(1, 4),
                evidence=evidence,
            )
            if rng.random() < 0.3:
                relation = rng.choice(["PROPOSES", "EVALUATES_ON", "COMPARES_WITH", "USES"])
                graph.add_edge(paper_id, ids[index], key=relation, type=relation, count=1, evidence=evidence)
    for index in range(0, entities, 50):
        if names[index][0] is EntityType.MODEL and index + 1 < entities:
            graph.add_edge(
                ids[index + 1], ids[index], key="VARIANT_OF", type="VARIANT_OF", count=1, evidence=[]
            )
    return store
