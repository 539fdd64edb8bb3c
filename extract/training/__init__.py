"""The trained NER of paperkg: corpus conversion, training, evaluation and loading the shipped model.

    from paperkg.extract.training import load_trained_ner
    nlp = load_trained_ner()                       # the shipped pipeline (extract/model), offline
    nlp = load_trained_ner(rule_nlp, before="x")   # or add its components to another pipeline

Heavy imports (spaCy training) happen only in `train_model`.
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

import paperkg.extract.tokenizer  # noqa: F401 - registers paperkg.MLNameTokenizer.v1 for the model's config
from paperkg.extract import paper_relations  # noqa: F401 - registers paperkg_paper_relations
from paperkg.extract.blas import use_numpy_blas
from paperkg.extract.training import entity_typer  # noqa: F401 - registers paperkg_entity_typer
from paperkg.extract.training.evaluate import evaluate_file, format_scores, print_scores

SHIPPED_MODEL = Path(__file__).resolve().parent.parent / "model"
TRAINED_COMPONENTS = ("ner", "paperkg_entity_typer")
RELATIONS_COMPONENT = "paperkg_paper_relations"  # runs last, on the final entities

__all__ = [
    "SHIPPED_MODEL",
    "evaluate_file",
    "format_scores",
    "load_trained_ner",
    "load_trained_pipeline",
    "print_scores",
    "train_model",
]


def load_trained_pipeline(path: Path | str = SHIPPED_MODEL) -> Language:
    """The trained pipeline (ML-name tokenizer, `ner`, `paperkg_entity_typer`, `paperkg_paper_relations`) from a
    directory.

    The tokenizer is rebuilt from the config rather than read from disk: its `token_match` is Python code that
    spaCy can't serialize, so the directory carries no tokenizer file. The `ner` multiplies through numpy's
    BLAS (`paperkg.extract.blas`).
    """
    nlp = spacy.load(Path(path), exclude=["tokenizer"])
    if "ner" in nlp.pipe_names:
        use_numpy_blas(nlp.get_pipe("ner").model)
    return nlp


def load_trained_ner(
    nlp_or_path: Language | Path | str | None = None,
    *,
    model: Language | Path | str = SHIPPED_MODEL,
    before: str | None = None,
    after: str | None = None,
    first: bool | None = None,
    last: bool | None = None,
) -> Language:
    """Give a pipeline the trained entity recognizer.

    With a `Language`, adds the trained `ner` and the entity typer `paperkg_entity_typer` (in that order, placed
    by `before`/`after`/`first`/`last`) and, where the model has one, the paper-level relation classifier
    `paperkg_paper_relations` at the end; returns the same object. With a path (or nothing), loads that trained
    pipeline (default: the shipped `extract/model`). `model` may also be a trained pipeline in memory (training
    builds the whole extraction pipeline around a fresh `ner` this way).
    """
    if not isinstance(nlp_or_path, Language):
        return load_trained_pipeline(nlp_or_path if nlp_or_path is not None else model)
    nlp = nlp_or_path
    if isinstance(model, Language):
        trained = model
        use_numpy_blas(trained.get_pipe("ner").model)
    else:
        trained = load_trained_pipeline(model)
    nlp.add_pipe("ner", source=trained, before=before, after=after, first=first, last=last)
    nlp.add_pipe("paperkg_entity_typer", source=trained, after="ner")
    if RELATIONS_COMPONENT in trained.pipe_names:
        nlp.add_pipe(RELATIONS_COMPONENT, source=trained, last=True)
    return nlp


def train_model(*args, **kwargs) -> Path:
    """See `paperkg.extract.training.train.train_model` (imported lazily)."""
    from paperkg.extract.training.train import train_model as _train_model

    return _train_model(*args, **kwargs)
