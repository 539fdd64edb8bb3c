"""Counted nouns for what paperkg prints: `plural(1, "paper")` is "1 paper", never "1 papers"."""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`1 paper`, `2 papers`, `0 papers`; `nouns` for irregular plurals (`plural(2, "entity", "entities")`).

    >>> plural(1, "paper"), plural(3, "entity", "entities")
    ('1 paper', '3 entities')
    """
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"
