"""MODEL vs METHOD for the NER's coarse `MODEL_OR_METHOD` spans: a hashed-feature logistic regression.

SciER and SciERC annotate models as Method, so the NER learns one coarse label from all corpora; only GSAP-NER
separates MLModel (→ MODEL) from Method and ModelArchitecture (→ METHOD). This classifier is trained on those
GSAP spans and looks at what decides the line in practice: the name's shape (digits, sizes and versions, CamelCase,
hyphenated checkpoints), its words and suffixes ("-Net", "learning", "attention"), and the words around it
("the pretrained X model", "X-based", "using X").

`span_features` and `ModelOrMethodClassifier` are plain code, testable without a pipeline; the spaCy component
`paperkg_model_or_method` only relabels `doc.ents`.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from paperkg.extract.tokenizer import is_ml_name
from paperkg.extract.training.corpus import COARSE_LABEL, make_tokenizer_nlp

N_FEATURES = 2**18
MODEL_LABELS = frozenset({"MLModel"})
METHOD_LABELS = frozenset({"Method", "ModelArchitecture"})


def span_features(span: Span) -> list[str]:
    """String features of a mention and its context."""
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
    }
    feats += [f"flag={k}" for k, v in flags.items() if v]
    for offset, name in ((-2, "L2"), (-1, "L1")):
        i = span.start + offset
        feats.append(f"{name}={doc[i].lower_ if i >= 0 else '<s>'}")
    for offset, name in ((0, "R1"), (1, "R2")):
        i = span.end + offset
        feats.append(f"{name}={doc[i].lower_ if i < len(doc) else '</s>'}")
    feats.append("bias")
    return feats


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % N_FEATURES


class ModelOrMethodClassifier:
    """P(MODEL | span) by logistic regression over hashed `span_features`."""

    def __init__(self, weights: np.ndarray | None = None, threshold: float = 0.5):
        self.weights = weights if weights is not None else np.zeros(N_FEATURES, dtype=np.float32)
        self.threshold = threshold

    def prob_model(self, span: Span) -> float:
        idx = np.fromiter((_hash(f) for f in span_features(span)), dtype=np.int64)
        return float(1.0 / (1.0 + np.exp(-self.weights[idx].sum())))

    def label(self, span: Span) -> str:
        return "MODEL" if self.prob_model(span) >= self.threshold else "METHOD"

    def fit(
        self,
        examples: list[tuple[Span, bool]],
        *,
        epochs: int = 8,
        lr: float = 0.2,
        l2: float = 1e-6,
        seed: int = 13,
    ) -> ModelOrMethodClassifier:
        """AdaGrad SGD on (span, is_model) pairs, fixed seed."""
        rows = [
            np.unique(np.fromiter((_hash(f) for f in span_features(s)), dtype=np.int64)) for s, _ in examples
        ]
        ys = np.array([1.0 if y else 0.0 for _, y in examples])
        w = np.zeros(N_FEATURES, dtype=np.float64)
        g2 = np.full(N_FEATURES, 1e-8)
        rng = np.random.default_rng(seed)
        for _ in range(epochs):
            for i in rng.permutation(len(rows)):
                idx = rows[i]
                p = 1.0 / (1.0 + np.exp(-w[idx].sum()))
                grad = (p - ys[i]) + l2 * w[idx]
                g2[idx] += grad**2
                w[idx] -= lr * grad / np.sqrt(g2[idx])
        self.weights = w.astype(np.float32)
        return self

    def to_disk(self, path: Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        np.save(path / "weights.npy", self.weights)
        (path / "cfg.json").write_text(json.dumps({"threshold": self.threshold, "n_features": N_FEATURES}))

    @classmethod
    def from_disk(cls, path: Path) -> ModelOrMethodClassifier:
        path = Path(path)
        cfg = json.loads((path / "cfg.json").read_text())
        return cls(np.load(path / "weights.npy"), threshold=cfg["threshold"])


def gsap_examples(records: Iterable[dict], nlp: Language | None = None) -> list[tuple[Span, bool]]:
    """(span, is_model) for the `flat_base` MLModel / Method / ModelArchitecture spans of GSAP-NER records."""
    nlp = nlp or make_tokenizer_nlp()
    out = []
    for r in records:
        doc = nlp.make_doc(r["text"])
        for s in r["spans"]:
            if s.get("layer", "flat_base") != "flat_base" or s["label"] not in MODEL_LABELS | METHOD_LABELS:
                continue
            span = doc.char_span(s["start"], s["end"], alignment_mode="expand")
            if span is not None and len(span):
                out.append((span, s["label"] in MODEL_LABELS))
    return out


def train_classifier(gsap_records: Iterable[dict]) -> ModelOrMethodClassifier:
    """Fit the splitter on GSAP-NER training records."""
    return ModelOrMethodClassifier().fit(gsap_examples(gsap_records))


class ModelOrMethod:
    """Pipeline component: relabels each `MODEL_OR_METHOD` entity as MODEL or METHOD."""

    def __init__(self, name: str = "paperkg_model_or_method"):
        self.name = name
        self.classifier = ModelOrMethodClassifier()

    def __call__(self, doc: Doc) -> Doc:
        ents = []
        for ent in doc.ents:
            if ent.label_ == COARSE_LABEL:
                ent = Span(doc, ent.start, ent.end, label=self.classifier.label(ent))
            ents.append(ent)
        doc.ents = ents
        return doc

    def to_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> None:
        self.classifier.to_disk(path)

    def from_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> ModelOrMethod:
        self.classifier = ModelOrMethodClassifier.from_disk(path)
        return self


@Language.factory("paperkg_model_or_method")
def make_model_or_method(nlp: Language, name: str) -> ModelOrMethod:
    return ModelOrMethod(name)
