"""Which entity merges a plan makes, in order: the one definition every store follows.

A plan maps merged ids to surviving ids (`{merged: survivor}`). Entries chain (a → b → c folds a into c)
and cycles stop where they close. Merges run one after another in sorted order of the merged id; a merge
whose merged entity or survivor is absent at its turn (never there, or already folded away) is skipped.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping


def plan_target(plan: Mapping[str, str], entity_id: str) -> str:
    """Where `entity_id` ends up when plan entries chain (a → b → c gives c); cycles stop where they close."""
    seen = {entity_id}
    while (target := plan.get(entity_id, entity_id)) not in seen:
        seen.add(target)
        entity_id = target
    return entity_id


def merge_steps(plan: Mapping[str, str], present: Collection[str]) -> list[tuple[str, str]]:
    """The `(merged, survivor)` merges `plan` makes on a graph holding the entity ids `present`, in order.

    >>> merge_steps({"a": "b", "b": "c", "x": "y"}, {"a", "b", "c", "x"})
    [('a', 'c'), ('b', 'c')]
    >>> merge_steps({"a": "b", "b": "a"}, {"a", "b"})  # a cycle: a folds into b, then b's target is gone
    [('a', 'b')]
    """
    alive = set(present)
    steps = []
    for old in sorted(plan):
        new = plan_target(plan, old)
        if new != old and old in alive and new in alive:
            steps.append((old, new))
            alive.discard(old)
    return steps
