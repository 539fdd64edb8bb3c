"""Measure the fuzzy-lookup thresholds: when may a close spelling be the answer rather than a suggestion?

Pairs come from `tests/data/lookup_pairs.jsonl` (a query, the name in the graph, whether the query means that
name: typos vs. near-miss names like PaLM/PLM, Orca-3/Orca) and the pairs of different things in
`tests/data/alias_pairs.jsonl` (both directions; its same-thing pairs are abbreviations and respellings that
the build records as aliases, not typos), each as written and lower-cased (people type "convnext"). Pairs an
exact, alias or folded lookup already settles are left out. For each threshold the script counts pairs accepted by the fuzzy rule (score at least the
threshold and not `other_name`): right answers (the query means the name) and wrong ones. Queries whose capitals
can be compared with the name's (both ALL-CAPS or both CamelCase) are measured apart from the rest.

    .venv/bin/python benchmarks/lookup_threshold.py [--errors]

A threshold is the lowest score at which no pair of different things is accepted.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rapidfuzz import fuzz

from paperkg.graph.schema import EntityType, entity_key
from paperkg.queries.entity_index import (
    FUZZY_MATCH_SCORE,
    FUZZY_MATCH_SCORE_UNCASED,
    EntityIndex,
    capitals_compared,
    other_name,
)
from paperkg.queries.results import EntityRow

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def labelled_pairs() -> list[tuple[str, str, bool]]:
    """(query, name in the graph, the query means it), as written and lower-cased, without duplicates."""
    pairs = []
    for line in (DATA / "lookup_pairs.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        pairs.append((row["query"], row["name"], row["same"]))
    for line in (DATA / "alias_pairs.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if not row["same"]:
            pairs += [(row["a"], row["b"], False), (row["b"], row["a"], False)]
    pairs += [(query.lower(), name, same) for query, name, same in pairs]
    return list(dict.fromkeys(pairs))


def settled_without_fuzz(query: str, name: str) -> bool:
    """Whether an exact, alias or folded (plural, generic head) lookup finds `name` for `query`."""
    index = EntityIndex([EntityRow(id="model:x", type=EntityType.MODEL, name=name)])
    found = index.lookup(query)
    return bool(found.matches) and found.matches[0].match != "fuzzy"


def measured_pairs() -> dict[bool, list[tuple[str, str, bool, float, bool]]]:
    """The pairs fuzzy matching decides, as (query, name, same, score, other_name), split by whether their
    capitals can be compared (`capitals_compared`): the two thresholds are measured apart."""
    groups: dict[bool, list] = {True: [], False: []}
    for query, name, same in labelled_pairs():
        if entity_key(query) == entity_key(name) or settled_without_fuzz(query, name):
            continue
        score = fuzz.ratio(entity_key(query), entity_key(name))
        groups[capitals_compared(query, name)].append((query, name, same, score, other_name(query, name)))
    return groups


def sweep(pairs: list[tuple[str, str, bool, float, bool]]) -> tuple[list[tuple[int, int, int]], int | None]:
    """(threshold, right, wrong) per threshold 60..100, and the lowest threshold with no wrong answer."""
    rows, lowest = [], None
    for threshold in range(60, 101):
        accepted = [same for _, _, same, score, other in pairs if score >= threshold and not other]
        right, wrong = sum(accepted), len(accepted) - sum(accepted)
        rows.append((threshold, right, wrong))
        if wrong == 0 and lowest is None:
            lowest = threshold
    return rows, lowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--errors", action="store_true", help="list the pairs the thresholds in use get wrong or miss"
    )
    args = parser.parse_args()
    groups = measured_pairs()
    for compared, used in ((True, FUZZY_MATCH_SCORE), (False, FUZZY_MATCH_SCORE_UNCASED)):
        pairs = groups[compared]
        positives = sum(p[2] for p in pairs)
        rows, lowest = sweep(pairs)
        title = "capitals compared (ALL-CAPS or CamelCase on both sides)" if compared else "other queries"
        print(f"{title}: {len(pairs)} pairs, {positives} where the query means the name")
        print("  threshold  right  wrong")
        for threshold, right, wrong in rows:
            if threshold % 2 == 0 or threshold in (lowest, used):
                mark = "   <- lowest with none wrong" if threshold == lowest else ""
                print(f"  {threshold:9}  {right:5}  {wrong:5}{mark}")
        right = next(r for t, r, _ in rows if t == used)
        print(f"  in use: {used:g} (right answers {right} of {positives}); measured: {lowest}\n")
        if args.errors:
            for query, name, same, score, other in sorted(pairs, key=lambda p: -p[3]):
                if not same and not other and score >= used - 10:
                    print(f"    near miss  {query!r} -> {name!r} ({score:.1f}): another thing, not accepted")
                elif same and (score < used or other):
                    why = "other_name" if other else "below threshold"
                    print(f"    missed     {query!r} -> {name!r} ({score:.1f}, {why})")


if __name__ == "__main__":
    main()
