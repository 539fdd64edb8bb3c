"""Reproducible training of the paperkg recognizer, its entity typer and the paper-level relation classifier.

`train_model(output_dir)` converts the shared corpora (`corpus.write_training_data`; the seed papers' train split
included), trains the spaCy NER from `config.cfg` (fixed seed, optional wall-clock limit), trains the entity typer
(MODEL vs METHOD on GSAP-NER and the seed papers, DATASET vs BENCHMARK on the seed papers), then runs the whole
extraction pipeline with that recognizer over the seed papers' train split to train the PROPOSES / EVALUATES_ON /
COMPARES_WITH classifier, and saves one pipeline directory (`ner` + `paperkg_entity_typer` +
`paperkg_paper_relations`) to `output_dir / "model"`.
"""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

import spacy
from spacy.training.initialize import init_nlp
from spacy.training.loop import train as spacy_train
from spacy.util import load_config, registry
from thinc.api import use_ops

import paperkg.extract.tokenizer  # noqa: F401 - registers paperkg.MLNameTokenizer.v1
from paperkg.extract import paper_relations
from paperkg.extract.pipeline import load_pipeline
from paperkg.extract.training import entity_typer
from paperkg.extract.training.corpus import DEFAULT_DATA_DIR, load_splits, write_training_data

DEFAULT_CONFIG = Path(__file__).with_name("config.cfg")
# corpora repeated in the training set: the shipped model's setting (see extract/model/MODEL_CARD.md); the seed
# papers are few but speak the project's own definitions
DEFAULT_REPEAT = {"scierc": 3, "tdmsci": 2, "seed_papers": 4}


class TrainingDeadline(BaseException):
    """Raised by the before-update callback when the wall-clock budget is spent; spaCy saves model-last.

    A BaseException, so spaCy's loop does not report the planned stop as a crash ("Aborting … Encountered
    exception"); its `finally` still saves model-last, and `train_model` says where the best model goes."""


@registry.callbacks("paperkg.training_deadline.v1")
def training_deadline(max_minutes: float):
    """`[training.before_update]` hook that stops training after `max_minutes` of wall-clock time."""
    deadline = time.monotonic() + max_minutes * 60

    def before_update(nlp, info):
        if time.monotonic() > deadline:
            raise TrainingDeadline(f"{max_minutes:g} minutes, step {info['step']}")

    return before_update


@registry.misc("paperkg.drop_token_match.v1")
def drop_token_match():
    """`[training.before_to_disk]` hook: spaCy can't serialize the ML-name tokenizer's `token_match` (a Python
    function, not a regex), so checkpoints are written without it. Training reads pre-tokenized DocBins, so
    nothing changes there; loaders rebuild the tokenizer from the config (`load_trained_pipeline`)."""

    def before_to_disk(nlp):
        nlp.tokenizer.token_match = None
        return nlp

    return before_to_disk


def train_model(
    output_dir: Path,
    *,
    config: Path = DEFAULT_CONFIG,
    max_minutes: float | None = None,
    data_dir: Path = DEFAULT_DATA_DIR,
    limit: int | None = None,
    overrides: dict | None = None,
    repeat: dict[str, int] | None = DEFAULT_REPEAT,
    stdout=sys.stdout,
) -> Path:
    """Train the NER and the MODEL/METHOD splitter; return the saved pipeline directory (`output_dir/model`).

    `max_minutes` bounds the NER's training loop (the best checkpoint so far is kept); `limit` reads only the
    first records of each file (smoke tests); `overrides` are spaCy config overrides ("training.max_epochs");
    `repeat` oversamples small corpora (`{"scierc": 3}`).
    """
    output_dir = Path(output_dir)
    data = output_dir / "data"
    started, cpu_started = time.monotonic(), time.process_time()
    report = write_training_data(data, data_dir, limit=limit, repeat=repeat)
    cfg = load_config(
        config,
        overrides={
            "paths.train": str(data / "train.spacy"),
            "paths.dev": str(data / "dev.spacy"),
            **(overrides or {}),
        },
    )
    if max_minutes is not None:
        cfg["training"]["before_update"] = {
            "@callbacks": "paperkg.training_deadline.v1",
            "max_minutes": max_minutes,
        }
    (output_dir / "ner").mkdir(parents=True, exist_ok=True)
    with use_ops(
        "numpy", use_blis=False
    ):  # numpy's BLAS: ~3x faster products than blis (paperkg.extract.blas)
        nlp = init_nlp(cfg, use_gpu=-1)
        try:
            spacy_train(nlp, output_dir / "ner", use_gpu=-1, stdout=stdout, stderr=stdout or io.StringIO())
        except TrainingDeadline as stop:
            print(
                f"[paperkg] training stopped at its time limit ({stop}); the best model so far goes into "
                f"{output_dir / 'model'}",
                file=stdout,
            )
    best = output_dir / "ner" / "model-best"
    trained = spacy.load(best if best.exists() else output_dir / "ner" / "model-last", exclude=["tokenizer"])
    ner_seconds = time.monotonic() - started

    add_trained_components(trained, load_splits(data_dir, limit))
    model_dir = output_dir / "model"
    trained.to_disk(model_dir, exclude=["tokenizer"])
    timing = {
        "wall_seconds": round(time.monotonic() - started, 1),
        "ner_wall_seconds": round(ner_seconds, 1),
        "cpu_seconds": round(time.process_time() - cpu_started, 1),
        "conversion": report,
    }
    (output_dir / "training.json").write_text(json.dumps(timing, indent=1))
    return model_dir


def add_trained_components(
    trained: spacy.Language, splits: dict[str, dict[str, list[dict]]]
) -> spacy.Language:
    """Give a pipeline with a freshly trained `ner` the components trained on top of it: the entity typer, then
    the paper-level relation classifier (trained on what the whole extraction pipeline finds with this `ner`);
    and the model's meta."""
    seed_train = splits["train"].get("seed_papers", [])
    trained.add_pipe("paperkg_entity_typer", after="ner", config={})
    trained.get_pipe("paperkg_entity_typer").typer = entity_typer.train_typer(
        splits["train"].get("gsap_ner", []), seed_train
    )
    if seed_train:
        # the whole extraction pipeline (rules, lexicons, generic filter) around the fresh ner and typer
        relations = paper_relations.train_classifier(load_pipeline(ner_model=trained), seed_train)
        trained.add_pipe("paperkg_paper_relations", last=True, config={})
        trained.get_pipe("paperkg_paper_relations").classifier = relations
    trained.meta.update(
        name="paperkg_ner",
        version="0.3.0",
        description="paperkg entity recognizer: MODEL, METHOD, DATASET, BENCHMARK, TASK, METRIC in ML paper text, "
        "and paper-level PROPOSES / EVALUATES_ON / COMPARES_WITH",
        license="GPL-3.0 (trained on SciER, GPL-3.0), see MODEL_CARD.md",
        sources=[
            {"name": "SciER", "url": "https://github.com/edzq/SciER", "license": "GPL-3.0"},
            {"name": "GSAP-NER", "url": "https://github.com/ottowg/gsap-ner", "license": "none stated"},
            {"name": "SciERC", "url": "http://nlp.cs.washington.edu/sciIE/", "license": "none stated"},
            {
                "name": "TDMSci",
                "url": "https://github.com/IBM/science-result-extractor",
                "license": "Apache-2.0",
            },
            {
                "name": "paperkg seed papers (train split)",
                "url": "../shared/data/train/seed_papers.jsonl",
                "license": "annotations: same terms as the project; texts: arXiv abstracts",
            },
        ],
    )
    return trained

