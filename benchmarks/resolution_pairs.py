"""Resolution benchmark: merge precision/recall/F1 of `same_entity` on the labelled alias pairs, and the time
`plan_merges` takes on synthetic graphs of growing size (it must grow about linearly).

    python benchmarks/resolution_pairs.py [--entities 100000] [--errors]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from paperkg.extract.resolve import clean_name, plan_merges, resolution_key, same_entity
from paperkg.graph.schema import Entity, EntityType, entity_key

PAIRS = Path(__file__).resolve().parent.parent / "tests" / "data" / "alias_pairs.jsonl"


def pair_scores(path: Path = PAIRS, *, show_errors: bool = False) -> dict[str, float]:
    """Precision, recall and F1 of `same_entity` over a JSONL file of labelled pairs."""
    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    tp = fp = fn = 0
    for pair in pairs:
        guess = same_entity(pair["a"], pair["b"])
        tp += guess and pair["same"]
        fp += guess and not pair["same"]
        fn += pair["same"] and not guess
        if show_errors and guess != pair["same"]:
            print(f"  {'FP' if guess else 'FN'}  {pair['a']!r} / {pair['b']!r}: {pair['why']}")
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    return {"pairs": len(pairs), "positives": tp + fn, "precision": precision, "recall": recall, "f1": f1}


def _word(rng: random.Random) -> str:
    syllables = [rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4))]
    return "".join(syllables)


def synthetic_entities(count: int, seed: int = 0) -> tuple[list[Entity], dict[str, int]]:
    """Entities shaped like a real graph: model names with sizes and respellings, method long forms with
    recorded and unrecorded acronyms, datasets with versions; ids unique, paper counts random."""
    rng = random.Random(seed)
    entities: list[Entity] = []

    def add(entity_type: EntityType, name: str, aliases: tuple[str, ...] = ()) -> None:
        entity_id = f"{entity_type.value.lower()}:{entity_key(name)}#{len(entities)}"
        entities.append(Entity(id=entity_id, type=entity_type, name=name, aliases=aliases))

    while len(entities) < count:
        kind = rng.random()
        if kind < 0.4:
            base = f"{_word(rng).capitalize()}-{rng.randint(1, 9)}"
            add(EntityType.MODEL, f"{base}-{rng.choice([7, 13, 70])}B")
            if rng.random() < 0.5:
                add(EntityType.MODEL, base.replace("-", " ").upper())
        elif kind < 0.8:
            words = [_word(rng) for _ in range(rng.randint(2, 4))]
            long_form = " ".join(words)
            acronym = "".join(w[0] for w in words).upper()
            add(EntityType.METHOD, long_form)
            roll = rng.random()
            if roll < 0.3:
                add(EntityType.METHOD, acronym, (long_form.title(),))
            elif roll < 0.5:
                add(EntityType.METHOD, acronym)
        else:
            name = f"{_word(rng).upper()}-{rng.randint(1, 100)}"
            add(rng.choice([EntityType.DATASET, EntityType.BENCHMARK]), name)
            if rng.random() < 0.2:
                add(EntityType.DATASET, name.lower() + " dataset")
    entities = entities[:count]
    rng.shuffle(entities)
    return entities, {e.id: rng.randint(1, 20) for e in entities}


def time_plan_merges(count: int) -> tuple[float, int]:
    entities, counts = synthetic_entities(count)
    clean_name.cache_clear()
    resolution_key.cache_clear()
    started = time.perf_counter()
    plan = plan_merges(entities, counts)
    return time.perf_counter() - started, len(plan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--errors", action="store_true", help="list the misjudged pairs")
    args = parser.parse_args()
    scores = pair_scores(show_errors=args.errors)
    print(
        f"labelled pairs: {scores['pairs']} ({scores['positives']} same) "
        f"precision {scores['precision']:.3f} recall {scores['recall']:.3f} F1 {scores['f1']:.3f}"
    )
    for size in (args.entities // 4, args.entities // 2, args.entities):
        seconds, merged = time_plan_merges(size)
        rate = size / seconds
        print(f"plan_merges on {size:,} entities: {seconds:.2f} s ({merged:,} merges, {rate:,.0f}/s)")


if __name__ == "__main__":
    main()
