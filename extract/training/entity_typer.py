"""MODEL vs METHOD and DATASET vs BENCHMARK for the recognizer's coarse entities: two hashed-feature logistic
regressions over the mention and the paper around it.

The recognizer learns coarse labels from all corpora (SciER and SciERC fold models into Method, no public corpus
has BENCHMARK); the split follows ENTITY_TYPES.md:
- MODEL vs METHOD, trained on GSAP-NER (MLModel vs Method/ModelArchitecture) and the seed papers' train split;
- DATASET vs BENCHMARK, trained on the seed papers' train split ("X benchmark", "evaluated on X", "-Bench").
Features are the name's shape (digits, sizes and versions, CamelCase, hyphenated checkpoints), its words and
suffixes, the words around it, and — paper-level context — the words around the *other* mentions of the same name
in the paper ("the GSM8K benchmark" later types the "GSM8K" of the first sentence; "we release X" makes X a model).

`span_features` and `EntityTyper` are plain code, testable without a pipeline; the spaCy component
`paperkg_entity_typer` only relabels `doc.ents`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from paperkg.extract.doc_cache import doc_lowers
from paperkg.extract.hashed_logistic import HashedLogisticRegression, load_models, save_models
from paperkg.extract.tokenizer import is_ml_name
from paperkg.extract.training.corpus import COARSE_LABEL, make_tokenizer_nlp

# coarse NER label -> (label when the classifier says yes, label when it says no)
SPLITS = {COARSE_LABEL: ("MODEL", "METHOD"), "DATASET": ("BENCHMARK", "DATASET")}
GSAP_MODEL_LABELS = frozenset({"MLModel"})
GSAP_METHOD_LABELS = frozenset({"Method", "ModelArchitecture"})
SEED_REPEAT = 3  # the seed papers speak the project's definitions: weigh them above GSAP's


def _context_words(doc: Doc, start: int, end: int, prefix: str) -> list[str]:
    lowers = doc_lowers(doc)
    out = []
    for offset, name in ((-2, "L2"), (-1, "L1")):
        i = start + offset
        out.append(f"{prefix}{name}={lowers[i] if i >= 0 else '<s>'}")
    for offset, name in ((0, "R1"), (1, "R2")):
        i = end + offset
        out.append(f"{prefix}{name}={lowers[i] if i < len(lowers) else '</s>'}")
    return out


def other_occurrences(span: Span) -> list[tuple[int, int]]:
    """Token bounds of the other places in the doc where the span's words occur (case-insensitive)."""
    lowers = doc_lowers(span.doc)
    words = lowers[span.start : span.end]
    n = len(words)
    return [
        (i, i + n)
        for i in range(len(lowers) - n + 1)
        if i != span.start and lowers[i] == words[0] and lowers[i : i + n] == words
    ]


def span_features(span: Span) -> list[str]:
    """String features of a mention, its context and the context of its other mentions in the paper."""
    doc = span.doc
    toks = list(span)
    text = span.text.lower()
    feats = [f"w={text}", f"first={toks[0].lower_}", f"last={toks[-1].lower_}", f"n={min(len(toks), 5)}"]
    feats += [f"t={t.lower_}" for t in toks]
    feats += [f"shape={t.shape_}" for t in toks]
    feats.append("spanshape=" + " ".join(t.shape_ for t in toks))
    feats += [f"suf3={toks[-1].lower_[-3:]}", f"suf4={toks[-1].lower_[-4:]}", f"pre3={toks[0].lower_[:3]}"]
    flags = {
        "digit": any(c.isdigit() for c in text),
        "hyphen": "-" in span.text,
        "allcaps": any(t.is_upper and len(t) > 1 for t in toks),
        "lower": span.text.islower(),
        "title": toks[0].is_title,
        "mlname": any(is_ml_name(t.text) for t in toks),
        "camel": any(any(c.isupper() for c in t.text[1:]) and any(c.islower() for c in t.text) for t in toks),
        "bench": "bench" in text,
    }
    feats += [f"flag={k}" for k, v in flags.items() if v]
    feats += _context_words(doc, span.start, span.end, "")
    for start, end in other_occurrences(span)[:8]:
        feats += _context_words(doc, start, end, "doc")
    feats.append("bias")
    return feats


class EntityTyper:
    """One classifier per coarse label in `SPLITS`; `label(span)` gives the fine label."""

    def __init__(self, classifiers: dict[str, HashedLogisticRegression] | None = None):
        self.classifiers = (
            classifiers if classifiers is not None else {c: HashedLogisticRegression() for c in SPLITS}
        )

    def label(self, span: Span) -> str:
        coarse = span.label_
        if coarse not in SPLITS or coarse not in self.classifiers:
            return coarse
        yes, no = SPLITS[coarse]
        return yes if self.classifiers[coarse].predict(span_features(span)) else no

    def to_disk(self, path: Path) -> None:
        save_models(path, self.classifiers)

    @classmethod
    def from_disk(cls, path: Path) -> EntityTyper:
        return cls(load_models(path))


def _char_spans(
    records: Iterable[dict], nlp: Language, wanted: dict[str, bool], layer: str | None = None
) -> list[tuple[Span, bool]]:
    """(span, is positive) for each gold span whose label is a key of `wanted`."""
    out = []
    for record in records:
        doc = nlp.make_doc(record["text"])
        for s in record["spans"]:
            if layer and s.get("layer", layer) != layer or s["label"] not in wanted:
                continue
            span = doc.char_span(s["start"], s["end"], alignment_mode="expand")
            if span is not None and len(span):
                out.append((span, wanted[s["label"]]))
    return out


def training_examples(
    gsap_records: Iterable[dict], seed_records: list[dict], nlp: Language | None = None
) -> dict[str, list[tuple[list[str], bool]]]:
    """(features, is the first label of the split) per coarse label, from GSAP-NER and seed-paper records."""
    nlp = nlp or make_tokenizer_nlp()
    model_or_method = {**dict.fromkeys(GSAP_MODEL_LABELS, True), **dict.fromkeys(GSAP_METHOD_LABELS, False)}
    spans = {
        COARSE_LABEL: _char_spans(gsap_records, nlp, model_or_method, layer="flat_base")
        + SEED_REPEAT * _char_spans(seed_records, nlp, {"MODEL": True, "METHOD": False}),
        "DATASET": SEED_REPEAT * _char_spans(seed_records, nlp, {"BENCHMARK": True, "DATASET": False}),
    }
    return {coarse: [(span_features(s), y) for s, y in pairs] for coarse, pairs in spans.items()}


def train_typer(gsap_records: Iterable[dict], seed_records: list[dict]) -> EntityTyper:
    """Fit both classifiers on the training records."""
    examples = training_examples(gsap_records, seed_records)
    return EntityTyper({c: HashedLogisticRegression().fit(ex) for c, ex in examples.items() if ex})


class EntityTyperComponent:
    """Pipeline component: relabels each coarse entity (`MODEL_OR_METHOD`, `DATASET`) with its fine label."""

    def __init__(self, name: str = "paperkg_entity_typer"):
        self.name = name
        self.typer = EntityTyper()

    def __call__(self, doc: Doc) -> Doc:
        doc.ents = [
            Span(doc, ent.start, ent.end, label=self.typer.label(ent)) if ent.label_ in SPLITS else ent
            for ent in doc.ents
        ]
        return doc

    def to_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> None:
        self.typer.to_disk(path)

    def from_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> EntityTyperComponent:
        self.typer = EntityTyper.from_disk(path)
        return self


@Language.factory("paperkg_entity_typer")
def make_entity_typer(nlp: Language, name: str) -> EntityTyperComponent:
    return EntityTyperComponent(name)
