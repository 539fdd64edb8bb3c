"""Token-pattern rules: name shapes, cue phrases, metric and task patterns → candidate spans.

The patterns are data (`patterns/*.jsonl`, one `Matcher` rule a line: ``{"id", "label", "pattern", "trim"}``).
A rule's `trim` names one of the pure span functions below, which cut a match down to the name only, per the
minimal-span rule of ENTITY_TYPES.md ("the CaseHOLD dataset" → "CaseHOLD"). The `paperkg_rule_matcher`
component runs the `Matcher`, applies the trims and appends the results to `doc.spans[spans_key]`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from paperkg.extract.lexicon import read_jsonl

_WORDS = {row["set"]: frozenset(row["words"]) for row in read_jsonl(["patterns/trim_words.jsonl"])}
DETERMINERS = _WORDS["determiners"]
GENERIC_HEADS = _WORDS["generic_heads"]
COORDINATORS = frozenset({"and", "or", ",", "&", "as", "well"})
# words that start a cue match but are not part of a name ("we propose a NEW ...")
CUE_WORDS = _WORDS["cue_words"]


def strip_determiners(span: Span) -> Span:
    """Drop leading determiners and possessives: "the CaseHOLD" → "CaseHOLD"."""
    start = span.start
    while start < span.end and span.doc[start].lower_ in DETERMINERS:
        start += 1
    return span.doc[start : span.end]


def strip_generic_head(span: Span) -> Span:
    """Drop trailing generic heads that are not part of the name: "GSM8K benchmark" → "GSM8K"."""
    end = span.end
    while end > span.start and span.doc[end - 1].lower_ in GENERIC_HEADS:
        end -= 1
    return span.doc[span.start : end]


def minimal_span(span: Span) -> list[Span]:
    """The name alone: no determiner, no generic head; empty when nothing is left."""
    core = strip_generic_head(strip_determiners(span))
    return [core] if len(core) else []


def split_coordination(span: Span) -> list[Span]:
    """Names joined by "and", "or" or commas, each as its own span, without determiners or generic head:
    "the Kinetics and MultiThumos datasets" → ["Kinetics", "MultiThumos"]. None when the generic head has no
    name of its own: in "A Brief Survey and A Benchmark" the survey is no benchmark."""
    core = strip_generic_head(strip_determiners(span))
    parts, start = [], core.start
    for token in core:
        if token.lower_ in COORDINATORS:
            if token.i > start:
                parts.append(span.doc[start : token.i])
            start = token.i + 1
    if start < core.end:
        parts.append(span.doc[start : core.end])
    named = [strip_determiners(p) for p in parts]
    if core.end < span.end and named and not len(named[-1]):
        return []
    return [p for p in named if len(p)]


def name_after_cue(span: Span) -> list[Span]:
    """The name a cue introduces: "we propose a novel Recurrent Network" → "Recurrent Network"."""
    start = span.start
    while start < span.end and span.doc[start].lower_ in CUE_WORDS:
        start += 1
    core = strip_generic_head(span.doc[start : span.end])
    return [core] if len(core) else []


def whole(span: Span) -> list[Span]:
    """The match as it is."""
    return [span]


TRIMS: dict[str, Callable[[Span], list[Span]]] = {
    "whole": whole,
    "minimal": minimal_span,
    "coordination": split_coordination,
    "after_cue": name_after_cue,
}


class RuleMatcher:
    """Runs the pattern rules and appends trimmed, labelled spans to `doc.spans[spans_key]`."""

    def __init__(self, nlp: Language, rules: Iterable[dict], spans_key: str):
        self.spans_key = spans_key
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.rules: dict[str, dict] = {}
        grouped: dict[str, list] = {}
        for rule in rules:
            if rule["trim"] not in TRIMS:
                raise ValueError(
                    f"rule {rule['id']!r}: unknown trim {rule['trim']!r}; expected one of {list(TRIMS)}"
                )
            self.rules[rule["id"]] = rule
            grouped.setdefault(rule["id"], []).append(rule["pattern"])
        for rule_id, patterns in grouped.items():
            self.matcher.add(rule_id, patterns, greedy=self.rules[rule_id].get("greedy"))

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans[self.spans_key]) if self.spans_key in doc.spans else []
        vocab_strings = doc.vocab.strings
        for match_id, start, end in self.matcher(doc):
            rule = self.rules[vocab_strings[match_id]]
            for span in TRIMS[rule["trim"]](doc[start:end]):
                spans.append(Span(doc, span.start, span.end, label=rule["label"], kb_id=rule["id"]))
        doc.spans[self.spans_key] = spans
        return doc


@Language.factory("paperkg_rule_matcher", default_config={"patterns": [], "spans_key": "paperkg_rules"})
def make_rule_matcher(nlp: Language, name: str, patterns: list[str], spans_key: str) -> RuleMatcher:
    """The `Matcher` rules of the given `patterns/*.jsonl` files."""
    return RuleMatcher(nlp, read_jsonl(patterns), spans_key)
