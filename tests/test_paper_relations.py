"""Paper-level relations learned from the seed papers (extract/paper_relations.py): the pure parts on hand-made
docs, the training rule on a small labelled set, and the shipped classifier on hand-written abstracts."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
import srsly

import paperkg
from paperkg.extract import sentences  # noqa: F401  (registers paperkg_sentencizer)
from paperkg.extract.hashed_logistic import HashedLogisticRegression
from paperkg.extract.paper_relations import (
    LEARNED,
    PaperRelationClassifier,
    PaperRelationDecisions,
    best_threshold,
    entity_groups,
    gold_key,
    pair_features,
    title_end_of,
    training_pairs,
)
from paperkg.extract.relations import relations_of
from paperkg.extract.sentences import sentence_spans
from paperkg.graph.schema import Paper, RelationType, entity_key

TITLE = "FooNet: Fast Networks for Code"
TEXT = (
    TITLE + "\n\nWe propose FooNet for code generation. "
    "FooNet outperforms BERT on HumanEval and MBPP. We fine-tune it with LoRA."
)
ENTS = [
    ("FooNet", "MODEL"),
    ("code generation", "TASK"),
    ("BERT", "MODEL"),
    ("HumanEval", "BENCHMARK"),
    ("MBPP", "DATASET"),
    ("LoRA", "METHOD"),
]


@pytest.fixture(scope="module")
def blank():
    nlp = spacy.blank("en")
    nlp.add_pipe("paperkg_sentencizer")
    return nlp


def annotate(nlp, text, ents):
    doc = nlp(text)
    spans = []
    for name, label in ents:
        for start in [i for i in range(len(text)) if text.startswith(name, i)]:
            span = doc.char_span(start, start + len(name), label=label)
            if span is not None and all(span.start >= s.end or span.end <= s.start for s in spans):
                spans.append(span)
    doc.ents = sorted(spans, key=lambda s: s.start)
    return doc


def test_title_end_and_groups(blank):
    doc = annotate(blank, TEXT, ENTS)
    assert title_end_of(TEXT) == len(TITLE)
    assert title_end_of("no title here") == 0
    groups = entity_groups(doc)
    assert [s.text for s in groups["model:foonet"]] == ["FooNet", "FooNet", "FooNet"]
    assert list(groups)[:2] == ["model:foonet", "task:codegeneration"]


def test_pair_features_read_cues_position_and_shape(blank):
    doc = annotate(blank, TEXT, ENTS)
    groups, sents = entity_groups(doc), sentence_spans(doc)
    foonet = pair_features(groups["model:foonet"], TEXT, sents, len(TITLE))
    assert {"label=MODEL", "n=3+", "in_title", "title_cue=PROPOSES", "cue=PROPOSES", "flag=camel"} <= set(
        foonet
    )
    bert = pair_features(groups["model:bert"], TEXT, sents, len(TITLE))
    assert {"cue=COMPARES_WITH", "before=outperforms", "n=1", "sentence_compare|MODEL"} <= set(bert)
    assert "in_title" not in bert
    humaneval = pair_features(groups["benchmark:humaneval"], TEXT, sents, len(TITLE))
    assert "cue=EVALUATES_ON" in humaneval or "L1=on" in humaneval


def test_training_pairs_label_by_normalized_name(blank):
    doc = annotate(blank, TEXT, ENTS)
    record = {
        "relations": {
            "proposes": ["Foo-Net"],
            "evaluates_on": ["HumanEval", "MBPP"],
            "compares_with": ["bert"],
        }
    }
    pairs = training_pairs([doc], [record])
    by_name = {next(f[2:] for f in features if f.startswith("w=")): labels for features, labels in pairs}
    assert by_name["foonet"][RelationType.PROPOSES] and not by_name["foonet"][RelationType.COMPARES_WITH]
    assert by_name["mbpp"][RelationType.EVALUATES_ON] and by_name["humaneval"][RelationType.EVALUATES_ON]
    assert by_name["bert"][RelationType.COMPARES_WITH]
    assert not any(by_name["lora"].values())
    assert gold_key("Foo-Net v1.0") == gold_key("foonet V10")


def test_best_threshold_maximizes_f1():
    probabilities = np.array([0.9, 0.8, 0.3, 0.2, 0.1])
    truth = np.array([True, True, True, False, False])
    threshold, f1 = best_threshold(probabilities, truth)
    assert f1 == pytest.approx(1.0) and 0.2 < threshold <= 0.3


def test_relations_of_uses_the_decided_types_and_cues_for_the_rest(blank):
    doc = annotate(blank, TEXT, ENTS)
    paper = Paper(id="p1", source="test", title=TITLE, abstract=TEXT[len(TITLE) + 2 :])
    assert paper.text == TEXT
    decisions = PaperRelationDecisions(
        types=frozenset({RelationType.PROPOSES, RelationType.EVALUATES_ON}),
        edges=(
            ("model:foonet", RelationType.PROPOSES, 0.9),
            ("dataset:mbpp", RelationType.EVALUATES_ON, 0.7),
        ),
    )
    doc._.paper_relations = decisions.as_data()
    # plain data, so docs cross processes (msgpack) in nlp.pipe(n_process=2)
    assert (
        PaperRelationDecisions.from_data(srsly.msgpack_loads(srsly.msgpack_dumps(decisions.as_data())))
        == decisions
    )
    edges = {(r.target_id, r.type): r for r in relations_of(paper, doc)}
    # decided types come from the classifier only: HumanEval's cue does not add an edge
    assert ("dataset:mbpp", RelationType.EVALUATES_ON) in edges
    assert ("benchmark:humaneval", RelationType.EVALUATES_ON) not in edges
    # the others stay with the cue rules
    assert ("model:bert", RelationType.COMPARES_WITH) in edges
    assert ("method:lora", RelationType.USES) in edges
    proposes = edges[("model:foonet", RelationType.PROPOSES)]
    assert proposes.count == 3  # every mention is evidence, the cued ones first
    # the title head and "we propose" are the cued mentions; "FooNet outperforms …" comes after them
    assert [e.sentence for e in proposes.evidence][:2] == [TITLE, "We propose FooNet for code generation."]
    assert all(TEXT[e.start : e.end] == "FooNet" for e in proposes.evidence)
    doc._.paper_relations = None
    assert ("benchmark:humaneval", RelationType.EVALUATES_ON) in {
        (r.target_id, r.type) for r in relations_of(paper, doc)
    }


def test_classifier_round_trips(tmp_path):
    weights = np.zeros(2**18, dtype=np.float32)
    weights[:10] = 1.0
    classifier = PaperRelationClassifier({RelationType.PROPOSES: HashedLogisticRegression(weights, 0.3)})
    classifier.to_disk(tmp_path / "rel")
    loaded = PaperRelationClassifier.from_disk(tmp_path / "rel")
    assert list(loaded.models) == [RelationType.PROPOSES]
    assert loaded.models[RelationType.PROPOSES].threshold == 0.3
    assert np.array_equal(loaded.models[RelationType.PROPOSES].weights, weights)
    assert PaperRelationClassifier({}).models == {}  # no learned type: the cue rules decide all


@pytest.fixture(scope="module")
def nlp():
    return paperkg.load()


ABSTRACTS = {
    RelationType.PROPOSES: (
        "MathCoder: Teaching Models to Solve Math with Code",
        "We introduce MathCoder, a family of open models that write and run code to solve math problems.",
        "MathCoder",
    ),
    RelationType.EVALUATES_ON: (
        "Reasoning Better with Fewer Tokens",
        "We propose a pruning method for reasoning traces. Experiments on GSM8K and MATH show that it keeps "
        "accuracy while halving the length of the traces.",
        "GSM8K",
    ),
    RelationType.COMPARES_WITH: (
        "Small Models Can Plan",
        "We train a 1B planner with self-play. Our planner outperforms GPT-4 and Llama-2-70B on three planning "
        "benchmarks while being far cheaper.",
        "GPT-4",
    ),
}


@pytest.mark.parametrize("relation", list(ABSTRACTS), ids=lambda r: r.value)
def test_shipped_pipeline_finds_each_relation(nlp, relation):
    title, abstract, name = ABSTRACTS[relation]
    paper = Paper(id="x", source="test", title=title, abstract=abstract)
    doc = nlp(paper.text)
    found = {(r.type, r.target_id.split(":", 1)[1]) for r in relations_of(paper, doc)}
    assert (relation, entity_key(name)) in found, found
    assert relation in LEARNED
