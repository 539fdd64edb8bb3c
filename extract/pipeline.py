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
from paperkg.extract import abbreviation, lexicon, rules, sentences, span_overlaps, tokenizer  # noqa: F401

CONFIG_PATH = Path(__file__).parent / "config.cfg"
MODEL_DIR = Path(__file__).parent / "model"
FIRST_RULE_PIPE = "lexicon_cased"


def load_config(ner_model: str | Path | None = None, **overrides: Any) -> spacy.util.Config:
    """The pipeline config; with `ner_model`, a trained `ner` pipe sourced from that spaCy pipeline directory is
    inserted before the rule components. `overrides` are dotted config keys with `__` for dots, e.g.
    `components__entities__overwrite_ents=True`."""
    config = spacy.util.load_config(CONFIG_PATH, interpolate=False)
    if ner_model is not None:
        pipeline = list(config["nlp"]["pipeline"])
        pipeline.insert(pipeline.index(FIRST_RULE_PIPE), "ner")
        config["nlp"]["pipeline"] = pipeline
        config["components"]["ner"] = {"source": str(ner_model)}
    dotted = {key.replace("__", "."): value for key, value in overrides.items()}
    if dotted:
        config = config.merge(spacy.util.dot_to_dict(dotted))
    return config.interpolate()


def load_pipeline(ner_model: str | Path | None = None, **overrides: Any) -> Language:
    """The extraction pipeline as a `spacy.Language`.

    `ner_model`: path of a trained spaCy pipeline whose `ner` pipe should run before the rules (pass
    `MODEL_DIR` once `extract/model/` ships one); the `entities` component then merges its entities with the rule spans.
    `overrides`: config values by dotted key with `__` for dots, e.g.
    `load_pipeline(components__entities__overwrite_ents=True)`.
    """
    config = load_config(ner_model, **overrides)
    return spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
