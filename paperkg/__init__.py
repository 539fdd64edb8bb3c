"""paperkg: a knowledge graph of ML papers and the models, methods, datasets, benchmarks, tasks and metrics they mention."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    import spacy

    from paperkg.queries.api import KnowledgeGraph

__version__ = "0.1.0"


def load(**overrides) -> spacy.Language:
    """The paperkg extraction pipeline, a normal `spacy.Language` (see `paperkg.extract.pipeline`)."""
    from paperkg.extract.pipeline import load_pipeline

    return load_pipeline(**overrides)


def open(target: str | Path) -> KnowledgeGraph:
    """A `KnowledgeGraph` over a graph file or a `bolt://`, `neo4j://` or `falkordb://` URI."""
    from paperkg.queries.api import open as open_graph

    return open_graph(target)
