"""Sentence boundaries that survive "e.g.", "i.e.", "et al." and "Fig.".

`sentence_starts` is a pure function over token texts; the `paperkg_sentencizer` component only copies its
answer onto `token.is_sent_start`. The abbreviations that never end a sentence come from the config.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from math import inf

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

TERMINALS = frozenset({".", "!", "?"})
CLOSERS = frozenset({")", "]", '"', "'", "”", "’"})
CONTINUERS = frozenset({",", ";", ":"})  # "63.6 -> 72.7 acc., ARC-DA ...": no sentence starts with these


def sentence_starts(
    words: Sequence[str], spaces: Sequence[str], no_break_after: frozenset[str]
) -> list[bool]:
    """For each token, whether it starts a sentence.

    A sentence ends at ".", "!" or "?" (or a token ending in "." that is not a known abbreviation), at a blank
    line, and never right after an abbreviation in `no_break_after` ("al", "e.g", "Fig", compared without the
    final dot) nor before a lower-case word, a digit, closing punctuation or a comma, semicolon or colon.
    `spaces` holds the whitespace tokens' text ("" for others), so "\\n\\n" between title and abstract is a
    boundary.

    >>> words = ["Hare", "et", "al", ".", "show", "it", ".", "Fig", ".", "2", "shows", "e.g.", "CNNs", "."]
    >>> starts = sentence_starts(words, [""] * len(words), frozenset({"al", "Fig", "e.g"}))
    >>> [w for w, s in zip(words, starts) if s]
    ['Hare', 'Fig']
    """
    n = len(words)
    starts = [False] * n
    if n:
        starts[0] = True
    pending = False  # a boundary was seen; the next real token starts a sentence
    for i, word in enumerate(words):
        if pending and spaces[i] == "" and word not in CLOSERS and word not in TERMINALS:
            if word in CONTINUERS:
                pending = False
                continue
            first = word[:1]
            if not (first.islower() or first.isdigit()):
                starts[i] = True
            pending = False
        if spaces[i]:
            if "\n\n" in spaces[i]:
                pending = True
            continue
        if word in TERMINALS:
            prev = words[i - 1] if i else ""
            if prev.rstrip(".") not in no_break_after:
                pending = True
        elif (
            word.endswith(".")
            and len(word) > 1
            and word.rstrip(".") not in no_break_after
            and "." not in word[:-1]  # "end." rather than "e.g." / "U.S."
        ):
            pending = True
    return starts


@Language.factory("paperkg_sentencizer", default_config={"no_break_after": []})
def make_sentencizer(nlp: Language, name: str, no_break_after: list[str]):
    """Set `token.is_sent_start` from `sentence_starts`."""
    abbreviations = frozenset(a.rstrip(".") for a in no_break_after)

    def sentencize(doc: Doc) -> Doc:
        words = [t.text for t in doc]
        spaces = [t.text if t.is_space else "" for t in doc]
        starts = sentence_starts(words, spaces, abbreviations)
        # one array write instead of a `token.is_sent_start` call per token (100x faster); 1 = starts, -1 = not
        values = numpy.array([1 if start else -1 for start in starts], dtype="int64").astype("uint64")
        doc.from_array([SENT_START], values)
        return doc

    return sentencize


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character bounds of each sentence of `doc`, in order (one span for the whole text when it has no
    sentences). Computed once per doc: `Span.sent` rescans the doc on every call."""
    if doc.has_annotation("SENT_START"):
        return [(sentence.start_char, sentence.end_char) for sentence in doc.sents]
    return [(0, len(doc.text))]


def title_end_token(doc: Doc) -> int | None:
    """Index of the first token holding a line break: where a title ends in paperkg's paper text (title, blank
    line, abstract); None for a text without one (a sentence, a caption)."""
    return next((token.i for token in doc if "\n" in token.text), None)


def sentence_bounds(span: Span, sentences: list[tuple[int, int]]) -> tuple[int, int]:
    """The bounds, among `sentences` (from `sentence_spans`), of the sentence the span starts in."""
    index = bisect_right(sentences, (span.start_char, inf)) - 1
    return sentences[max(index, 0)]
