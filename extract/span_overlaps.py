"""From candidate spans to `doc.ents`: one non-overlapping, labelled span per mention, each with a canonical name.

`select_spans` is the pure choice (longest first, then by source priority); `canonical_name` names a span.
The `paperkg_entity_spans` component reads the candidate groups in `doc.spans` (in priority order), combines
them with entities an earlier statistical `ner` pipe already set, writes `doc.ents` and `span._.canonical`.
With `overwrite_ents = false` the ner's entities are kept and rules only fill the gaps; with `true` rule spans
win where they overlap.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

LABELS = ("MODEL", "METHOD", "DATASET", "BENCHMARK", "TASK", "METRIC")

if not Span.has_extension("canonical"):
    Span.set_extension("canonical", getter=lambda span: canonical_name(span))


def canonical_name(span: Span) -> str:
    """The span's `id` (lexicon id, or short form of an abbreviation) when set, else its whitespace-normalized
    text. Entities of `doc.ents` keep their id, so this getter serves them too."""
    return span.id_ or " ".join(span.text.split())


def select_spans(candidates: Sequence[tuple[int, int, int]], n_tokens: int) -> list[int]:
    """Indices of a non-overlapping subset of `(start, end, priority)` token spans: longer spans first, then
    lower priority number, then earlier; kept ones block their tokens. Linear in tokens plus sorting.

    >>> select_spans([(0, 2, 1), (1, 3, 0), (3, 4, 0), (0, 2, 0)], 4)
    [3, 2]
    """
    order = sorted(
        range(len(candidates)),
        key=lambda i: (candidates[i][0] - candidates[i][1], candidates[i][2], candidates[i][0]),
    )
    taken = bytearray(n_tokens)
    kept = []
    for i in order:
        start, end, _ = candidates[i]
        if end <= start or any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        kept.append(i)
    return kept


class EntitySpanChooser:
    """Writes `doc.ents` from ner entities and rule candidates; see `make_entity_spans`."""

    def __init__(
        self,
        spans_keys: list[str],
        overwrite_ents: bool,
        labels: list[str],
        trusted_keys: list[str],
        trusted_rules: list[str] = (),
    ):
        self.spans_keys = spans_keys
        self.trusted = frozenset(spans_keys.index(key) for key in trusted_keys)
        self.trusted_rules = frozenset(trusted_rules)
        self.overwrite_ents = overwrite_ents
        self.labels = frozenset(labels)

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        candidates: list[tuple[int, int, int]] = []
        ner_priority = -1 if not self.overwrite_ents else len(self.spans_keys)
        for ent in doc.ents:  # from a statistical ner earlier in the pipeline
            spans.append(ent)
            candidates.append((ent.start, ent.end, ner_priority))
        trusted_rule_spans = set()
        for priority, key in enumerate(self.spans_keys):
            for span in doc.spans.get(key, ()):
                if span.label_ in self.labels and not _is_blank(span):
                    if span.kb_id_ in self.trusted_rules:
                        trusted_rule_spans.add(len(spans))
                    spans.append(span)
                    candidates.append((span.start, span.end, priority))
        if not self.overwrite_ents and doc.ents:
            # ner entities and trusted spans (abbreviation pairs, lexicon names, trusted rules such as a name
            # with its size) are chosen first, longest first; the other rules may only fill the tokens they leave
            first_tier = [
                i
                for i, c in enumerate(candidates)
                if c[2] == ner_priority or c[2] in self.trusted or i in trusted_rule_spans
            ]
            fixed = [first_tier[j] for j in select_spans([candidates[i] for i in first_tier], len(doc))]
            taken = bytearray(len(doc))
            for i in fixed:
                taken[candidates[i][0] : candidates[i][1]] = b"\x01" * (candidates[i][1] - candidates[i][0])
            in_first_tier = set(first_tier)
            rest = [
                i for i, c in enumerate(candidates) if i not in in_first_tier and not any(taken[c[0] : c[1]])
            ]
            kept = fixed + [rest[j] for j in select_spans([candidates[i] for i in rest], len(doc))]
        else:
            kept = select_spans(candidates, len(doc))
        chosen = sorted((spans[i] for i in kept), key=lambda s: s.start)
        by_tokens = rule_spans_by_tokens(spans, candidates, ner_priority)
        chosen = [by_tokens.get((span.start, span.end), span) for span in chosen]
        doc.set_ents([Span(doc, s.start, s.end, label=s.label_, span_id=canonical_name(s)) for s in chosen])
        return doc


def rule_spans_by_tokens(
    spans: list[Span], candidates: list[tuple[int, int, int]], ner_priority: int
) -> dict[tuple[int, int], Span]:
    """The highest-priority rule candidate for each exact token range. A chosen ner entity with a rule candidate
    on exactly its tokens takes that candidate's label and canonical name (the lexicons know MMLU is a BENCHMARK
    and that "Low-Rank Adaptation" is LoRA)."""
    best: dict[tuple[int, int], tuple[int, Span]] = {}
    for span, (start, end, priority) in zip(spans, candidates, strict=True):
        if priority != ner_priority and ((start, end) not in best or priority < best[(start, end)][0]):
            best[(start, end)] = (priority, span)
    return {key: span for key, (_, span) in best.items()}


def _is_blank(span: Span) -> bool:
    return not span.text.strip() or all(t.is_punct or t.is_space for t in span)


@Language.factory(
    "paperkg_entity_spans",
    default_config={
        "spans_keys": ["paperkg_abbreviations", "paperkg_lexicon", "paperkg_rules"],
        "overwrite_ents": False,
        "labels": list(LABELS),
        "trusted_keys": ["paperkg_abbreviations", "paperkg_lexicon"],
        "trusted_rules": [],
    },
)
def make_entity_spans(
    nlp: Language,
    name: str,
    spans_keys: list[str],
    overwrite_ents: bool,
    labels: list[str],
    trusted_keys: list[str],
    trusted_rules: list[str],
) -> EntitySpanChooser:
    """Choose `doc.ents` among the candidate span groups (earlier keys win ties) and any ner entities;
    `trusted_keys` groups (abbreviation pairs) and the `trusted_rules` rule ids (a name with its size) compete with
    the ner's entities instead of only filling gaps."""
    return EntitySpanChooser(spans_keys, overwrite_ents, labels, trusted_keys, trusted_rules)
