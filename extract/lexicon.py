"""Lexicon matching: known names from `lexicons/*.jsonl` → candidate spans, via spaCy's `SpanRuler`.

Each lexicon line is a `SpanRuler` phrase pattern ``{"label", "pattern", "id"}`` whose `id` is the entity's
canonical name ("GPT4" and "GPT-4" both have id "GPT-4"). The pure functions here decide which matcher an entry
goes to (`is_case_sensitive`), which spellings it matches (`pattern_variants`, so "GPT-4" also matches SciER's
pre-tokenized "GPT - 4"), and how curated and training-derived lists combine (`merge_lexicons`).
The component factory `paperkg_lexicon_ruler` only wires these into a `SpanRuler`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.pipeline import SpanRuler

from paperkg.graph.schema import entity_key

DATA_DIR = Path(__file__).parent
_PRETOKEN = re.compile(r"[^\W\d_]+|\d|[^\w\s]|_")


def read_jsonl(paths: Iterable[str | Path]) -> Iterator[dict]:
    """The JSON objects of each file, in order; paths are relative to the `extract/` package directory."""
    for path in paths:
        full = Path(path) if Path(path).is_absolute() else DATA_DIR / path
        with open(full, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)


def is_case_sensitive(pattern: str) -> bool:
    """Names are matched as written, plain lower-case terms in any case.

    >>> [is_case_sensitive(p) for p in ("GPT-4", "Kinetics", "machine translation", "accuracy")]
    [True, True, False, False]
    """
    return pattern != pattern.lower()


def pretokenized_form(text: str) -> str:
    """The spelling of `text` in SciER/SciERC's pre-tokenized style: "ResNet-50" → "ResNet - 5 0"."""
    return " ".join(_PRETOKEN.findall(text))


def pattern_variants(pattern: str) -> list[str]:
    """The spellings a lexicon entry matches: itself and its pre-tokenized form, without repeats."""
    variants = [pattern]
    spaced = pretokenized_form(pattern)
    if spaced != pattern and spaced.replace(" ", "") == pattern.replace(" ", ""):
        variants.append(spaced)
    return variants


def merge_lexicons(curated: Iterable[dict], derived: Iterable[dict]) -> list[dict]:
    """Curated entries first; a derived entry whose `entity_key` a curated entry has takes that entry's label
    and id, and derived entries repeating a curated spelling are dropped."""
    merged: list[dict] = []
    by_key: dict[str, dict] = {}
    seen: set[str] = set()
    for entry in curated:
        by_key.setdefault(entity_key(entry["pattern"]), entry)
        seen.add(entry["pattern"])
        merged.append(entry)
    for entry in derived:
        if entry["pattern"] in seen:
            continue
        seen.add(entry["pattern"])
        known = by_key.get(entity_key(entry["pattern"]))
        if known is not None:
            entry = {**entry, "label": known["label"], "id": known["id"]}
        merged.append(entry)
    return merged


def phrase_patterns(entries: Iterable[dict], case_sensitive: bool) -> list[dict]:
    """`SpanRuler` phrase patterns for the entries of one case mode, each spelling variant a pattern."""
    patterns = []
    for entry in entries:
        if is_case_sensitive(entry["pattern"]) != case_sensitive:
            continue
        for variant in pattern_variants(entry["pattern"]):
            patterns.append({"label": entry["label"], "pattern": variant, "id": entry["id"]})
    return patterns


@Language.factory(
    "paperkg_lexicon_ruler",
    default_config={
        "curated": [],
        "derived": [],
        "case_sensitive": True,
        "spans_key": "paperkg_lexicon",
    },
)
def make_lexicon_ruler(
    nlp: Language, name: str, curated: list[str], derived: list[str], case_sensitive: bool, spans_key: str
) -> SpanRuler:
    """A `SpanRuler` holding the lexicon entries of one case mode (ORTH or LOWER matching)."""
    ruler = SpanRuler(
        nlp,
        name=name,
        spans_key=spans_key,
        phrase_matcher_attr="ORTH" if case_sensitive else "LOWER",
        overwrite=False,
    )
    entries = merge_lexicons(read_jsonl(curated), read_jsonl(derived))
    ruler.add_patterns(phrase_patterns(entries, case_sensitive))
    return ruler
