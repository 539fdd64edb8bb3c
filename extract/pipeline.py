"""`load_pipeline()`: the paperkg extraction pipeline, assembled from `config.cfg`.

The pipeline is data: `config.cfg` lists the components (all registered factories of this package) and the
lexicon and pattern files they load. The result is a plain `spacy.Language`: use `nlp.pipe(texts,
n_process=2)`, `displacy.render(doc, style="ent")`, `nlp.to_disk(...)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

# Importing these modules registers the tokenizer and the component factories the config names.
from paperkg.extract import (  # noqa: F401
    abbreviation,
    generic_terms,
    lexicon,
    presented_types,
    repeated_names,
    results,
    rules,
    sentences,
    span_overlaps,
    title_names,
    tokenizer,
)

CONFIG_PATH = Path(__file__).parent / "config.cfg"
MODEL_DIR = Path(__file__).parent / "model"
FIRST_RULE_PIPE = "lexicon_cased"


def load_config(**overrides: Any) -> spacy.util.Config:
    """The rule pipeline's config. `overrides` are dotted config keys with `__` for dots, e.g.
    `components__entities__overwrite_ents=True`."""
    config = spacy.util.load_config(CONFIG_PATH, interpolate=False)
    dotted = {key.replace("__", "."): value for key, value in overrides.items()}
    if dotted:
        config = config.merge(spacy.util.dot_to_dict(dotted))
    return config.interpolate()


def load_pipeline(ner_model: Language | str | Path | None = MODEL_DIR, **overrides: Any) -> Language:
    """The extraction pipeline as a `spacy.Language`: the trained recognizer, then the rules.

    `ner_model`: the trained pipeline whose `ner` and entity typer run before the rules (default: the shipped
    `extract/model`; a directory, or a trained pipeline in memory; None gives the rules alone). The `entities`
    component then merges the trained entities with the rule spans. `overrides`: config values by dotted key with `__` for dots, e.g.
    `load_pipeline(components__entities__overwrite_ents=True)`.
    """
    from paperkg.extract.training import load_trained_ner

    nlp = spacy.util.load_model_from_config(load_config(**overrides), auto_fill=True, validate=True)
    if ner_model is not None:
        load_trained_ner(nlp, model=ner_model, before=FIRST_RULE_PIPE)
    return nlp
