"""paperkg: a knowledge graph of ML papers and the models, methods, datasets, benchmarks, tasks and metrics they mention."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import spacy

__version__ = "0.1.0"


def load(**overrides) -> spacy.Language:
    """The paperkg extraction pipeline, a normal `spacy.Language` (see `paperkg.extract.pipeline`)."""
    from paperkg.extract.pipeline import load_pipeline

    return load_pipeline(**overrides)
