"""Paper-level PROPOSES / EVALUATES_ON / COMPARES_WITH learned from the seed papers' train split.

The cue rules of `relations.py` decide per mention from the nearest cue word. What the paper proposes, evaluates on
and compares with is a decision about an *entity in a paper*: a coined name defined in the title and used three
times is proposed even where no "we propose" is near it; a benchmark listed in "on MMLU, GSM8K and BBH" is
evaluated on although only the first is next to the cue. So each (paper, entity) pair gets features from all its
mentions — the cue rules' verdicts, the words around each mention, where it stands (title, first sentence), its
shape, its type, how often it is named — and one logistic regression per relation type scores it
(`PaperRelationClassifier`), trained on the seed papers' paper-level relation labels (`train_classifier`).

`entity_groups` and `pair_features` are pure functions over a processed `Doc`; the spaCy component
`paperkg_paper_relations` stores the decisions on `doc._.paper_relations` (as plain data; `decisions_of` reads them),
which `relations.relations_of` turns into edges with evidence sentences.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from paperkg.extract.doc_cache import doc_lowers, doc_text
from paperkg.extract.hashed_logistic import HashedLogisticRegression, feature_index, load_models, save_models
from paperkg.extract.mentions import entity_id_of
from paperkg.extract.relations import relation_for
from paperkg.extract.sentences import sentence_bounds, sentence_spans
from paperkg.extract.tokenizer import is_ml_name
from paperkg.graph.schema import RelationType

LEARNED = (RelationType.PROPOSES, RelationType.EVALUATES_ON, RelationType.COMPARES_WITH)
GOLD_KEYS = {
    RelationType.PROPOSES: "proposes",
    RelationType.EVALUATES_ON: "evaluates_on",
    RelationType.COMPARES_WITH: "compares_with",
}
WINDOW = 6  # words read on each side of a mention
# AdaGrad's step: 0.05 rather than the regressions' default 0.2, chosen by 5-fold cross-validation on the train
# split (PROPOSES 0.636 -> 0.673, EVALUATES_ON 0.904 -> 0.909, COMPARES_WITH 0.554 -> 0.587; 0.02-0.1 alike)
LEARNING_RATE = 0.05

if not Doc.has_extension("paper_relations"):
    Doc.set_extension("paper_relations", default=None)


def title_end_of(text: str) -> int:
    """Where the title ends in paperkg's paper text (title, blank line, abstract); 0 when there is none."""
    end = text.find("\n\n")
    return end if 0 < end <= 400 else 0


def entity_groups(doc: Doc) -> dict[str, list[Span]]:
    """The entity spans of `doc` grouped by graph entity id, in text order."""
    groups: dict[str, list[Span]] = defaultdict(list)
    for ent in doc.ents:
        groups[entity_id_of(ent)].append(ent)
    return dict(groups)


def _bucket(n: int) -> str:
    return str(n) if n < 3 else "3+"


def pair_features(
    mentions: list[Span], text: str, sentences: list[tuple[int, int]], title_end: int
) -> list[str]:
    """String features of one entity in one paper, from all its `mentions` (spans of the paper's doc)."""
    lowers = doc_lowers(mentions[0].doc)
    first = mentions[0]
    feats = {"bias", f"label={first.label_}", f"n={_bucket(len(mentions))}"}
    name = first.text
    feats.add(f"w={name.lower()}")
    flags = {
        "digit": any(c.isdigit() for c in name),
        "allcaps": any(t.is_upper and len(t) > 1 for t in first),
        "lower": name.islower(),
        "mlname": any(is_ml_name(t.text) for t in first),
        "camel": any(
            any(c.isupper() for c in t.text[1:]) and any(c.islower() for c in t.text) for t in first
        ),
        "long": len(first) >= 3,
        "renamed": first._.canonical != " ".join(name.split()),
    }
    feats.update(f"flag={k}" for k, v in flags.items() if v)
    abstract_sentences = [s for s in sentences if s[0] >= title_end]
    for mention in mentions:
        sentence = sentence_bounds(mention, sentences)
        cue = relation_for(text, mention, sentence, title_end=title_end)
        feats.add(f"cue={cue.value if cue else 'none'}")
        if mention.end_char <= title_end:
            feats.add("in_title")
            feats.add(f"title_cue={cue.value if cue else 'none'}")
        elif abstract_sentences and sentence == abstract_sentences[0]:
            feats.add("first_sentence")
        elif abstract_sentences and sentence == abstract_sentences[-1]:
            feats.add("last_sentence")
        for i in range(max(mention.start - WINDOW, 0), mention.start):
            feats.add(f"before={lowers[i]}")
        for i in range(mention.end, min(mention.end + WINDOW, len(lowers))):
            feats.add(f"after={lowers[i]}")
        if mention.start >= 1:
            feats.add(f"L1={lowers[mention.start - 1]}")
        if mention.end < len(lowers):
            feats.add(f"R1={lowers[mention.end]}")
            feats.add(f"R1label={first.label_}|{lowers[mention.end]}")
        sentence_text = text[sentence[0] : sentence[1]].lower()
        if re.search(r"\b(?:we|our)\b", sentence_text):
            feats.add("sentence_we")
        if re.search(r"\b(?:outperform\w*|surpass\w*|than|compar\w*|baselines?)\b", sentence_text):
            feats.add(f"sentence_compare|{first.label_}")
        if re.search(r"\b(?:benchmarks?|evaluat\w*|experiments?|datasets?)\b", sentence_text):
            feats.add(f"sentence_evaluate|{first.label_}")
    return sorted(feats)


class PaperRelationClassifier:
    """One hashed logistic regression per learned relation type over `pair_features`."""

    def __init__(self, models: dict[RelationType, HashedLogisticRegression] | None = None):
        self.models = models if models is not None else {r: HashedLogisticRegression() for r in LEARNED}

    def probabilities(self, features: list[str]) -> dict[RelationType, float]:
        index = feature_index(features)  # hashed once for every model
        return {relation: model.probability_of_index(index) for relation, model in self.models.items()}

    def relations(self, features: list[str]) -> list[tuple[RelationType, float]]:
        """The relation types whose probability clears that model's threshold."""
        return [
            (relation, p)
            for relation, p in self.probabilities(features).items()
            if p >= self.models[relation].threshold
        ]

    def to_disk(self, path: Path) -> None:
        save_models(path, {relation.value: model for relation, model in self.models.items()})

    @classmethod
    def from_disk(cls, path: Path) -> PaperRelationClassifier:
        return cls({RelationType(name): model for name, model in load_models(path).items()})


@dataclass(frozen=True)
class PaperRelationDecisions:
    """What the classifier decided for one paper: the relation `types` it decides (the others are left to the cue
    rules) and the (entity id, relation, probability) `edges` that cleared their threshold."""

    types: frozenset[RelationType]
    edges: tuple[tuple[str, RelationType, float], ...]

    def as_data(self) -> dict:
        """Plain data for `doc._.paper_relations` (docs cross processes as msgpack in `nlp.pipe(n_process=2)`)."""
        return {
            "types": sorted(t.value for t in self.types),
            "edges": [[entity_id, relation.value, p] for entity_id, relation, p in self.edges],
        }

    @classmethod
    def from_data(cls, data: dict) -> PaperRelationDecisions:
        return cls(
            frozenset(RelationType(t) for t in data["types"]),
            tuple((entity_id, RelationType(relation), p) for entity_id, relation, p in data["edges"]),
        )


def decide(doc: Doc, classifier: PaperRelationClassifier) -> PaperRelationDecisions:
    """The classifier's relations for each entity of `doc`."""
    text = doc_text(doc)
    sentences, title_end = sentence_spans(doc), title_end_of(text)
    edges = []
    for entity_id, mentions in entity_groups(doc).items():
        features = pair_features(mentions, text, sentences, title_end)
        edges.extend((entity_id, relation, p) for relation, p in classifier.relations(features))
    return PaperRelationDecisions(frozenset(classifier.models), tuple(edges))


def decisions_of(doc: Doc) -> PaperRelationDecisions | None:
    """What the `paperkg_paper_relations` component decided for `doc`, or None when it has not run."""
    data = doc._.paper_relations
    return PaperRelationDecisions.from_data(data) if data is not None else None


def gold_key(text: str) -> str:
    """score_relations.py's normalization of a name: NFKC, case-folded, no spaces, hyphens, dots."""
    return re.sub(r"[\s\-_~.]+", "", unicodedata.normalize("NFKC", str(text)).casefold())


def training_pairs(
    docs: Iterable[Doc], records: Iterable[dict]
) -> list[tuple[list[str], dict[RelationType, bool]]]:
    """(features, {relation: is gold}) for every entity of every processed seed paper; an entity is gold for a
    relation when its name or one of its spellings normalizes to one of that relation's gold strings."""
    pairs = []
    for doc, record in zip(docs, records, strict=True):
        text = doc.text
        sentences, title_end = sentence_spans(doc), title_end_of(text)
        gold = {
            r: {gold_key(s) for s in record.get("relations", {}).get(key, [])} for r, key in GOLD_KEYS.items()
        }
        for mentions in entity_groups(doc).values():
            names = {gold_key(m.text) for m in mentions} | {gold_key(mentions[0]._.canonical)}
            labels = {r: bool(names & gold[r]) for r in LEARNED}
            pairs.append((pair_features(mentions, text, sentences, title_end), labels))
    return pairs


def train_classifier(nlp: Language, records: list[dict], *, folds: int = 5) -> PaperRelationClassifier:
    """Fit one model per relation type on seed papers (`{"text", "relations"}`) processed by `nlp` (without this
    component). Each threshold maximizes F1 over `folds`-fold cross-validated probabilities (folds by paper), and
    a relation type is kept only where that cross-validated F1 beats the cue rules' F1 on the same pairs: the
    other types stay with the rules."""
    docs = list(nlp.pipe(r["text"] for r in records))
    pairs_per_paper = [training_pairs([doc], [record]) for doc, record in zip(docs, records, strict=True)]
    pairs = [pair for paper_pairs in pairs_per_paper for pair in paper_pairs]
    paper_of_pair = np.repeat(np.arange(len(docs)), [len(paper_pairs) for paper_pairs in pairs_per_paper])
    models = {}
    for relation in LEARNED:
        examples = [(features, labels[relation]) for features, labels in pairs]
        truth = np.array([y for _, y in examples])
        held_out = np.zeros(len(examples))
        for fold in range(folds):
            test = paper_of_pair % folds == fold
            model = HashedLogisticRegression().fit(
                [e for e, t in zip(examples, test, strict=True) if not t], lr=LEARNING_RATE
            )
            for i in np.flatnonzero(test):
                held_out[i] = model.probability(examples[i][0])
        threshold, learned_f1 = best_threshold(held_out, truth)
        cued = np.array([f"cue={relation.value}" in features for features, _ in examples])
        if learned_f1 > f1_score(cued, truth):
            model = HashedLogisticRegression(threshold=threshold).fit(examples, lr=LEARNING_RATE)
            model.threshold = threshold
            models[relation] = model
    return PaperRelationClassifier(models)


def f1_score(predicted: np.ndarray, truth: np.ndarray) -> float:
    tp = int((predicted & truth).sum())
    return 2 * tp / (int(predicted.sum()) + int(truth.sum())) if tp else 0.0


def best_threshold(probabilities: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """(cut-off, F1): the probability cut-off (0.05 … 0.95) with the best F1 of `probabilities` against boolean
    `truth`."""
    best, best_f1 = 0.5, -1.0
    for threshold in np.arange(0.05, 0.96, 0.05):
        f1 = f1_score(probabilities >= threshold, truth)
        if f1 > best_f1:
            best, best_f1 = float(round(threshold, 2)), f1
    return best, best_f1


class PaperRelations:
    """Pipeline component: `doc._.paper_relations` = `decide(doc, classifier)` as plain data."""

    def __init__(self, name: str = "paperkg_paper_relations"):
        self.name = name
        self.classifier = PaperRelationClassifier()

    def __call__(self, doc: Doc) -> Doc:
        doc._.paper_relations = decide(doc, self.classifier).as_data()
        return doc

    def to_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> None:
        self.classifier.to_disk(path)

    def from_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> PaperRelations:
        self.classifier = PaperRelationClassifier.from_disk(path)
        return self


@Language.factory("paperkg_paper_relations")
def make_paper_relations(nlp: Language, name: str) -> PaperRelations:
    return PaperRelations(name)
