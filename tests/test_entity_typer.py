"""MODEL vs METHOD and DATASET vs BENCHMARK (extract/training/entity_typer.py): features, training, the component."""

from __future__ import annotations

import numpy as np
from spacy.tokens import Span

from paperkg.extract.hashed_logistic import HashedLogisticRegression, sigmoid
from paperkg.extract.training.corpus import COARSE_LABEL, make_tokenizer_nlp
from paperkg.extract.training.entity_typer import (
    EntityTyper,
    EntityTyperComponent,
    other_occurrences,
    span_features,
    train_typer,
)

NLP = make_tokenizer_nlp()


def seed(text: str, *spans: tuple[str, str]) -> dict:
    out = []
    for name, label in spans:
        start = text.index(name)
        out.append({"start": start, "end": start + len(name), "label": label, "text": name})
    return {"text": text, "spans": out}


def test_features_see_the_other_mentions_of_the_name_in_the_paper():
    doc = NLP.make_doc("We test on QuBench . Results on the QuBench benchmark are strong .")
    span = doc[3:4]
    assert other_occurrences(span) == [(8, 9)]
    features = span_features(span)
    assert "docR1=benchmark" in features  # the later "QuBench benchmark" types the first mention
    assert "R1=." in features and "flag=bench" in features and "w=qubench" in features


def test_typer_learns_both_splits_from_seed_papers():
    records = [
        seed(
            f"We release Foo{i}-7B and evaluate it on the Bar{i} benchmark and the Baz{i} corpus .",
            (f"Foo{i}-7B", "MODEL"),
            (f"Bar{i}", "BENCHMARK"),
            (f"Baz{i}", "DATASET"),
        )
        for i in range(30)
    ] + [
        seed(f"We apply contrastive step{i} tuning to models .", (f"contrastive step{i} tuning", "METHOD"))
        for i in range(30)
    ]
    typer = train_typer([], records)
    doc = NLP.make_doc("We release Qux-13B and evaluate it on the Zed benchmark and the Wub corpus .")
    assert typer.label(Span(doc, 2, 3, label=COARSE_LABEL)) == "MODEL"
    assert typer.label(Span(doc, 8, 9, label="DATASET")) == "BENCHMARK"
    assert typer.label(Span(doc, 12, 13, label="DATASET")) == "DATASET"
    assert typer.label(Span(doc, 0, 1, label="TASK")) == "TASK"  # other labels pass through


def test_component_relabels_and_round_trips(tmp_path):
    weights = np.zeros(2**18, dtype=np.float32)
    typer = EntityTyper(
        {
            COARSE_LABEL: HashedLogisticRegression(weights + 1.0),
            "DATASET": HashedLogisticRegression(weights - 1.0),
        }
    )
    typer.to_disk(tmp_path / "typer")
    component = EntityTyperComponent().from_disk(tmp_path / "typer")
    doc = NLP.make_doc("Foo beats Bar on Baz .")
    doc.ents = [Span(doc, 0, 1, label=COARSE_LABEL), Span(doc, 4, 5, label="DATASET")]
    doc = component(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Foo", "MODEL"), ("Baz", "DATASET")]
    assert EntityTyper({}).classifiers == {}


def test_sigmoid_is_stable():
    assert sigmoid(0.0) == 0.5 and sigmoid(1e6) == 1.0 and 0.0 <= sigmoid(-1e6) < 1e-20
