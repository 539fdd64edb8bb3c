"""The name a title opens with is an entity: "4M-21: An Any-to-Any Vision Model for Tens of Tasks".

A title "NAME: subtitle" names the paper's system, data set or benchmark before the colon; on the seed papers'
train split 71 of 78 such names are annotated. The recognizer misses some ("4M-21", "ERNIE 3.0"); the
`paperkg_title_names` component adds the name when no entity covers it, typed by the subtitle's first words ("a
Benchmark for ...", "a Dataset of ...", "a Vision Model ..."), a name with a version number as a model, else a
method (the most common type of such names, 46 of the 71). A name is one word, or two whose second holds a digit
("ERNIE 3.0", "Vega v1"), with a capital letter or a digit: "Learning with Less: ..." names nothing.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from paperkg.extract.sentences import title_end_token

SUBTITLE_HEADS = {  # singular: "... Language Models" in a subtitle is the field, "a ... Model" the paper's own
    "model": "MODEL",
    "llm": "MODEL",
    "benchmark": "BENCHMARK",
    "leaderboard": "BENCHMARK",
    "dataset": "DATASET",
    "corpus": "DATASET",
}
NOT_NAMES = frozenset(
    {"Table", "Figure", "Fig", "Section", "Appendix", "Algorithm", "Chapter", "Part", "Step"}
)
SUBTITLE_TOKENS = 12  # "An Any - to - Any Vision Model" is 8
MAX_NAME_TOKENS = 5  # "ERNIE 3.0", "SAM-CLIP", "Vega-MT"


def title_name(doc: Doc) -> Span | None:
    """The span of the name before a title's colon, typed by its subtitle; None when the title has none."""
    title_end = title_end_token(doc)
    if title_end is None:  # no title: a sentence or a caption ("Table 3: ..."), not a paper
        return None
    colon = next((token.i for token in doc[: min(title_end, MAX_NAME_TOKENS + 1)] if token.text == ":"), None)
    if not colon:
        return None
    name = doc[:colon]
    words = name.text.split()
    if not name.text[0].isalnum() or not re.search(r"[A-Z0-9]", name.text) or words[0] in NOT_NAMES:
        return None
    if len(words) > 2 or (len(words) == 2 and not re.search(r"\d", words[1])):
        return None
    subtitle = [token.lower_ for token in doc[colon + 1 : min(title_end, colon + 1 + SUBTITLE_TOKENS)]]
    label = next((SUBTITLE_HEADS[word] for word in subtitle if word in SUBTITLE_HEADS), None)
    if label is None:
        label = "MODEL" if len(words) == 2 else "METHOD"
    return Span(doc, 0, colon, label=label, span_id=" ".join(words))


class TitleNames:
    """Adds the title's name to `doc.ents` where no entity crosses it; one inside it ("ERNIE" of "ERNIE 3.0")
    gives way, and gives the name its type."""

    def __call__(self, doc: Doc) -> Doc:
        span = title_name(doc)
        if span is None:
            return doc
        touching = [e for e in doc.ents if e.start < span.end and span.start < e.end]
        if any(e.start < span.start or e.end > span.end for e in touching) or (
            touching and (touching[0].start, touching[0].end) == (span.start, span.end)
        ):
            return doc
        if touching:
            span = Span(doc, span.start, span.end, label=touching[0].label_, span_id=span.id_)
        doc.ents = [span, *(e for e in doc.ents if e not in touching)]
        return doc


@Language.factory("paperkg_title_names")
def make_title_names(nlp: Language, name: str) -> TitleNames:
    """The name a title opens with ("NAME: subtitle") as an entity (see `paperkg.extract.title_names`)."""
    return TitleNames()
