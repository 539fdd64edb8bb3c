"""Names typed as their paper presents them: ENTITY_TYPES.md's "BENCHMARK when the paper calls it a benchmark", and
"a model the paper names and releases" is a MODEL, read from the words around each mention.

A name is presented as a benchmark where a list opened by "benchmark(s)" holds it ("three multi-task benchmarks
(PASCALContext, NYUDv2, ...)", "benchmarks like SWE-Bench") or where "benchmark" / "leaderboard" follows it
("the GLUE leaderboard"; not for a name typed method: "SFT datasets" are data for a method);
as a dataset where "dataset(s)" / "corpus" / "corpora" does the same. A name presented
one way only takes that type for every mention of it in the paper, whatever type the recognizer gave it; one
presented both ways, or neither, keeps its types. A name typed model or method is re-typed by an apposition
that says what it is: "Bonito, an open-source model", "a new model - SaT", "CycleQD, a novel framework". The
`paperkg_presented_types` component runs after the entities are chosen. Tried and left out: lists opened by
"methods" / "models" / "tasks" ("approaches such as SysID") gained 0.001 on the seed papers and lost 0.004-0.009 on
GSAP-NER and SciER.
"""

from __future__ import annotations

from collections import defaultdict

from spacy.language import Language
from spacy.tokens import Doc, Span

from paperkg.extract.relations import DATA_LABELS, SYSTEM_LABELS

CUE_WORDS = {
    "benchmark": "BENCHMARK",
    "benchmarks": "BENCHMARK",
    "leaderboard": "BENCHMARK",
    "dataset": "DATASET",
    "datasets": "DATASET",
    "corpus": "DATASET",
    "corpora": "DATASET",
}
LIST_OPENERS = frozenset({"(", ":", "like", "including", "namely", "as"})  # "benchmarks such as X"
LIST_WORDS = frozenset({",", "and", "or", "the", "as", "such", "e.g.", "e.g", "i.e.", "-"})
# a score written beside each listed name: "datasets (StrategyQA 58.9 rightarrow 61.7 acc., ARC-DA 31.6 ...)"
SCORE_WORDS = frozenset({"rightarrow", "->", "→", "%", "acc", ".", "points", "pts", "pp"})
LIST_MATERIAL = LIST_WORDS | SCORE_WORDS
# "Bonito, an open-source model for ...", "a new model - Segment any Text": the apposition's head word
APPOSITION_HEADS = {
    "model": "MODEL",
    "llm": "MODEL",
    "checkpoint": "MODEL",
    "method": "METHOD",
    "framework": "METHOD",
    "approach": "METHOD",
    "technique": "METHOD",
    "algorithm": "METHOD",
    "procedure": "METHOD",
}
MAX_APPOSITION_WORDS = 5
TYPED = DATA_LABELS | SYSTEM_LABELS  # a task or metric is never re-typed
MAX_LIST_TOKENS = 40


def cue_after(ent: Span) -> str | None:
    """ "benchmark" / "dataset" right after the name: "the GLUE leaderboard", "the NYUD-v2 dataset"."""
    doc = ent.doc
    if ent.end < len(doc) and not doc[ent.end].is_sent_start:
        return CUE_WORDS.get(doc[ent.end].lower_)
    return None


def cue_before(ent: Span, listed: set[int]) -> str | None:
    """The type word that opens the list holding `ent`: "benchmarks (A, B, C)", "datasets like A and B".

    Walks back over list material (commas, "and", the other listed names `listed`, scores written beside them)
    to an opener ("(", ":", "like", "including", "such as") right after a cue word; a ")" or a sentence start
    stops it."""
    doc = ent.doc
    i = ent.start - 1
    stop = max(ent.start - MAX_LIST_TOKENS, 0)
    while i >= stop and not doc[i + 1].is_sent_start:
        token = doc[i]
        if token.text == ")":
            return None
        if token.lower_ in LIST_OPENERS and i > 0:
            before = doc[i - 1]
            if before.lower_ == "such" and i > 1:
                before = doc[i - 2]
            return CUE_WORDS.get(before.lower_)
        if token.i not in listed and token.lower_ not in LIST_MATERIAL and not token.like_num:
            return None
        i -= 1
    return None


def apposition(ent: Span) -> str | None:
    """The head of an apposition naming what `ent` is: "X, an open-source model", "X, a novel framework",
    "a new model - X", "a framework called X"."""
    doc = ent.doc
    if ent.end + 2 < len(doc) and doc[ent.end].text == "," and doc[ent.end + 1].lower_ in ("a", "an"):
        for token in doc[ent.end + 2 : min(ent.end + 2 + MAX_APPOSITION_WORDS, len(doc))]:
            if token.lower_ in APPOSITION_HEADS:
                return APPOSITION_HEADS[token.lower_]
            if not (token.is_alpha or token.text == "-") or token.is_sent_start:
                return None
    i = ent.start - 1
    if (
        i >= 1
        and doc[i].lower_ in ("-", ":", "called", "named", "dubbed")
        and not doc[ent.start].is_sent_start
    ):
        return APPOSITION_HEADS.get(doc[i - 1].lower_)
    return None


def presented_types(doc: Doc) -> dict[str, str]:
    """{name (case-folded): type} for each name the paper presents as exactly one type: dataset or benchmark
    (lists and words after the name), model or method (an apposition, for a name typed model or method)."""
    listed = {token.i for ent in doc.ents for token in ent}
    cues: dict[str, set[str]] = defaultdict(set)
    for ent in doc.ents:
        if ent.label_ not in TYPED:
            continue
        # "SFT datasets", "instruction-tuning benchmark": after a method the word names data *for* it; after a
        # name typed model by its shape it says what the name is ("the NYUD-v2 dataset", "the ML50 benchmark")
        after = cue_after(ent) if ent.label_ in DATA_LABELS or ent.label_ == "MODEL" else None
        said = apposition(ent) if ent.label_ in SYSTEM_LABELS else None
        for cue in (after, cue_before(ent, listed), said):
            if cue:
                cues[ent.text.casefold()].add(cue)
    return {name: next(iter(types)) for name, types in cues.items() if len(types) == 1}


class PresentedTypes:
    """Re-types every mention of a name to the type its paper presents it as."""

    def __call__(self, doc: Doc) -> Doc:
        presented = presented_types(doc)
        if presented:
            doc.ents = [
                Span(doc, e.start, e.end, label=presented[key], span_id=e.id_)
                if e.label_ in TYPED
                and (key := e.text.casefold()) in presented
                and presented[key] != e.label_
                else e
                for e in doc.ents
            ]
        return doc


@Language.factory("paperkg_presented_types")
def make_presented_types(nlp: Language, name: str) -> PresentedTypes:
    """Type names as the paper presents them: benchmark or dataset (see `paperkg.extract.presented_types`)."""
    return PresentedTypes()
