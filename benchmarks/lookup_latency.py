"""Lookup latency on a graph of >= 100,000 entities: exact name, alias / respelling, fuzzy fallback.

.venv/bin/python benchmarks/lookup_latency.py [--entities 100000]
"""

from __future__ import annotations

import argparse
import random
import time

from large_graph import large_store
from timing import summary, time_each

from paperkg.queries.api import open as open_graph


def typo(name: str, rng: random.Random) -> str:
    """`name` with one character dropped (something only fuzzy matching finds)."""
    position = rng.randrange(len(name))
    return name[:position] + name[position + 1 :]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(1)
    store = large_store(entities=args.entities, papers=args.entities // 2)
    kg = open_graph(store)
    start = time.perf_counter()
    index = kg.index
    print(
        f"index of {len(index)} entities built in {time.perf_counter() - start:.2f} s (once per KnowledgeGraph)"
    )
    entities = list(index.by_id.values())
    sample = rng.sample(entities, args.samples)
    with_alias = [e for e in entities if e.aliases][: args.samples]
    print(summary("exact name", time_each(kg.lookup, [e.name for e in sample])))
    print(
        summary(
            "lower-cased, hyphens as spaces",
            time_each(kg.lookup, [e.name.lower().replace("-", " ") for e in sample]),
        )
    )
    print(summary("alias", time_each(kg.lookup, [rng.choice(e.aliases) for e in with_alias])))
    print(summary("exact name, type filter", time_each(lambda e: kg.lookup(e.name, e.type), sample)))
    fuzzy = [typo(e.name, rng) for e in sample[:200]]
    print(summary("fuzzy (one char dropped)", time_each(kg.lookup, fuzzy)))
    print(
        summary("fuzzy, type filter", time_each(lambda e: kg.lookup(typo(e.name, rng), e.type), sample[:200]))
    )
    print(summary("no match (suggestions)", time_each(kg.lookup, [f"zq{i}xv" for i in range(200)])))
    hits = sum(kg.lookup(name).best is not None for name in fuzzy)
    print(f"fuzzy queries that found an entity: {hits}/{len(fuzzy)}")


if __name__ == "__main__":
    main()
