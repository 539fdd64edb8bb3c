"""The trained NER: corpus conversion with partial labels, a tiny training run, the shipped model, the scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paperkg.extract.training import SHIPPED_MODEL, evaluate_file, load_trained_ner
from paperkg.extract.training.corpus import (
    COARSE_LABEL,
    NER_LABELS,
    SCHEMES,
    ConversionStats,
    annotate_doc,
    convert_corpora,
    corpus_of,
    gold_spans,
    make_tokenizer_nlp,
    sentence_chunks,
    split_holdout,
)
from tests.conftest_paths import SHARED as SHARED_DIR
from tests.official_scorer import SCORE_PY, run_score_py

SHARED = SHARED_DIR
PROJECT_LABELS = {"MODEL", "METHOD", "DATASET", "BENCHMARK", "TASK", "METRIC"}


def _rec(text: str, spans: list[tuple[str, str]], rid: str = "r1", **extra) -> dict:
    """A record whose spans are given as (surface string, label), located at their first occurrence."""
    out = []
    for surface, label in spans:
        start = text.index(surface)
        out.append({"start": start, "end": start + len(surface), "label": label, "text": surface, **extra})
    return {"id": rid, "text": text, "spans": out}


def _iob(doc) -> list[str]:
    return [t.ent_iob_ + ("-" + t.ent_type_ if t.ent_type_ else "") if t.ent_iob_ else "-" for t in doc]


@pytest.fixture(scope="module")
def nlp():
    return make_tokenizer_nlp()


def test_scheme_maps_labels_and_filters_layers():
    rec = _rec(
        "We use BERT and ResNet on CIFAR-10 .",
        [("BERT", "MLModel"), ("ResNet", "ModelArchitecture"), ("CIFAR-10", "Dataset")],
        layer="flat_base",
    )
    rec["spans"].append({"start": 7, "end": 11, "label": "MLModelGeneric", "layer": "flat_plus"})
    labelled, ignored = gold_spans(rec, SCHEMES["gsap_ner"])
    assert [lab for _, _, lab in labelled] == [COARSE_LABEL, COARSE_LABEL, "DATASET"]
    assert ignored == []


def test_ignored_regions_and_lexicon_matches_become_missing(nlp):
    rec = _rec(
        "Our parser improves BLEU on English data .", [("parser", "Method"), ("English data", "Material")]
    )
    labelled, ignored = gold_spans(rec, SCHEMES["scierc"])
    doc = nlp.make_doc(rec["text"])
    bleu = next(t.i for t in doc if t.text == "BLEU")
    annotate_doc(doc, labelled, ignored, [(bleu, bleu + 1)], corpus="scierc")
    assert _iob(doc) == ["O", "B-" + COARSE_LABEL, "O", "-", "O", "-", "-", "O"]


def test_misaligned_and_overlapping_spans_are_missing_and_counted(nlp):
    text = "We train GPT-2 with beam search ."
    doc = nlp.make_doc(text)  # "GPT-2" is one token: the gold "GPT" can't be aligned
    labelled = [(9, 12, COARSE_LABEL), (20, 31, COARSE_LABEL), (25, 31, COARSE_LABEL)]
    stats = ConversionStats()
    annotate_doc(doc, labelled, [], corpus="x", stats=stats)
    assert stats.misaligned["x"] == 1 and stats.overlapping["x"] == 1 and stats.aligned["x"] == 1
    assert _iob(doc)[2] == "-"  # GPT-2: missing, neither entity nor O
    assert _iob(doc)[4:6] == ["-", "-"]  # the clash removes the kept span too: nothing certain is left


def test_corpora_without_method_label_leave_names_missing(nlp):
    rec = _rec(
        "BERT reaches 90 F1 on SQuAD for question answering .",
        [("F1", "METRIC"), ("SQuAD", "DATASET"), ("question answering", "TASK")],
    )
    docs, _ = convert_corpora(nlp, {"tdmsci": [rec]}, lexicon={})
    assert _iob(docs[0])[:4] == ["-", "O", "O", "B-METRIC"]


def test_sentence_chunks_never_cut_a_span():
    text = "A b. C d. E f."
    assert sentence_chunks(text, [(2, 7)], max_chars=4) == [(0, 9), (10, 14)]


def test_holdout_split_is_fixed_and_disjoint():
    records = [{"id": str(i)} for i in range(100)]
    train, held = split_holdout(records)
    assert len(held) == 20 and not {r["id"] for r in train} & {r["id"] for r in held}
    assert {r["id"] for r in split_holdout(list(reversed(records)))[1]} == {r["id"] for r in held}


def test_corpus_is_read_from_file_names():
    assert [
        corpus_of(p) for p in ("dev/gsap_ner.jsonl", "scier.jsonl", "x/scierc.jsonl", "tdmsci_holdout.jsonl")
    ] == ["gsap_ner", "scier", "scierc", "tdmsci"]


TEMPLATES = [
    ("We fine-tune {m} on {d} for {t} and report {x} .", ["m", "d", "t"]),
    ("{m} improves {t} results on {d} .", ["m", "d", "t"]),
]
FILL = {
    "m": ["BERT", "RoBERTa", "LSTM", "ResNet"],
    "d": ["SQuAD", "ImageNet", "CoNLL"],
    "t": ["question answering", "image classification", "parsing"],
    "x": ["accuracy", "F1"],
}


def _synthetic_data(root: Path) -> Path:
    """A tiny data dir in the shared layout, built from templates so that a two-epoch run learns something."""
    lab = {
        "scier": {"m": "Method", "d": "Dataset", "t": "Task"},
        "gsap_ner": {"m": "MLModel", "d": "Dataset", "t": "Task"},
        "scierc": {"m": "Method", "t": "Task"},
        "tdmsci": {"d": "DATASET", "t": "TASK"},
    }
    for split in ("train", "dev"):
        (root / split).mkdir(parents=True)
        for corpus, names in lab.items():
            if split == "dev" and corpus == "tdmsci":
                continue
            lines = []
            for i in range(24):
                tpl, keys = TEMPLATES[i % 2]
                vals = {k: FILL[k][(i + j) % len(FILL[k])] for j, k in enumerate(FILL)}
                text = tpl.format(**vals)
                spans = [(vals[k], names[k]) for k in keys if k in names]
                extra = {"layer": "flat_base"} if corpus == "gsap_ner" else {}
                lines.append(json.dumps(_rec(text, spans, rid=f"{corpus}-{i}", **extra)))
            (root / split / f"{corpus}.jsonl").write_text("\n".join(lines) + "\n")
    return root


TINY = {
    "components.ner.model.tok2vec.embed.width": 32,
    "components.ner.model.tok2vec.embed.rows": [500, 100, 100, 100],
    "components.ner.model.tok2vec.encode.width": 32,
    "components.ner.model.tok2vec.encode.depth": 1,
    "components.ner.model.hidden_width": 16,
    "training.max_epochs": 12,
    "training.batcher.size.start": 64,
    "training.batcher.size.stop": 64,
    "training.eval_frequency": 50,
    "training.dropout": 0.0,
    "training.optimizer.learn_rate": 0.01,
}


def test_training_smoke(tmp_path):
    import io

    from paperkg.extract.training.train import train_model

    data = _synthetic_data(tmp_path / "data")
    model_dir = train_model(
        tmp_path / "out", data_dir=data, overrides=TINY, max_minutes=2, stdout=io.StringIO()
    )
    trained = load_trained_ner(model_dir)
    assert set(trained.get_pipe("ner").labels) == set(NER_LABELS) - {"METRIC"}  # no METRIC in the slice
    doc = trained("We fine-tune RoBERTa on SQuAD for question answering and report F1 .")
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("SQuAD") == "DATASET"
    assert labels.get("RoBERTa") in {"MODEL", "METHOD"}
    assert set(labels.values()) <= PROJECT_LABELS
    assert json.loads((tmp_path / "out" / "training.json").read_text())["wall_seconds"] > 0


needs_model = pytest.mark.skipif(not (SHIPPED_MODEL / "meta.json").exists(), reason="no shipped model")


@needs_model
def test_shipped_model_loads_offline_and_finds_entities():
    nlp = load_trained_ner()
    doc = nlp("We fine-tune BERT and GPT-2 on the SQuAD dataset for question answering and report F1 scores.")
    found = {e.text: e.label_ for e in doc.ents}
    assert found and set(found.values()) <= PROJECT_LABELS
    assert "GPT-2" in [t.text for t in doc]  # the production tokenizer, rebuilt from the config
    assert any(label in {"MODEL", "METHOD"} for label in found.values())


@needs_model
def test_trained_components_join_another_pipeline():
    nlp = make_tokenizer_nlp()
    nlp.add_pipe("sentencizer")
    load_trained_ner(nlp, after="sentencizer")
    assert nlp.pipe_names == ["sentencizer", "ner", "paperkg_entity_typer", "paperkg_paper_relations"]
    assert nlp("We evaluate BERT on ImageNet .").ents


@needs_model
@pytest.mark.skipif(not SCORE_PY.exists(), reason="no official scorer")
@pytest.mark.parametrize("corpus_file", ["scierc.jsonl", "gsap_ner.jsonl", "seed_papers.jsonl"])
def test_evaluate_file_equals_official_scorer(tmp_path, corpus_file):
    lines = (SHARED / "data" / "dev" / corpus_file).read_text().splitlines()[:25]
    gold = tmp_path / corpus_file
    gold.write_text("\n".join(lines) + "\n")
    pred = tmp_path / "pred.jsonl"
    ours = evaluate_file(gold, load_trained_ner(), pred_path=pred)
    corpus = SCHEMES[corpus_of(gold)].score_name
    _, official = run_score_py(gold, pred, corpus, tmp_path)
    assert ours == official
    assert ours["micro"]["strict"]["gold"] > 0
