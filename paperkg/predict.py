"""`paperkg extract`: one JSON line of typed entity spans per input document."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from paperkg.atomic import atomic_output
from paperkg.graph.schema import Paper
from paperkg.parallel import map_papers
from paperkg.sources import ReadStats, read_papers
from paperkg.sources.files import DEFAULT_MAX_RECORD_CHARS

if TYPE_CHECKING:
    from spacy.tokens import Doc


def write_predictions(
    paths: Iterable[str | Path],
    out: Path,
    *,
    nlp=None,
    strict: bool = False,
    n_process: int = 1,
    progress: bool = True,
    max_record_chars: int = DEFAULT_MAX_RECORD_CHARS,
) -> ReadStats:
    """Write `{"id", "entities": [{"start","end","label","text","canonical"}], "results": [...]}` per document;
    results are in the annotation format of `seed_results.jsonl` (`Result.annotation`).

    Offsets index the document's text: the record's `text`, or title + blank line + abstract. The id is
    the record's own id as written in the source, so predictions line up with gold files. `out` is replaced
    only when every document is written (an interrupted run leaves it as it was); records over
    `max_record_chars` characters are rejects.
    """
    if nlp is None:
        import paperkg

        nlp = paperkg.load()
    stats = ReadStats()
    papers = read_papers(paths, strict=strict, stats=stats, max_record_chars=max_record_chars)
    with atomic_output(out) as sink:
        records = map_papers(nlp, papers, prediction_of, batch_size=32, n_process=n_process)
        for record in tqdm(records, desc="documents", unit=" docs", disable=not progress):
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
    return stats


def prediction_of(paper: Paper, doc: Doc) -> dict:
    """The prediction line of one document: its id as written in the source, its entities and its results."""
    from paperkg.extract.mentions import entities_of
    from paperkg.extract.results import doc_results

    results = [result.annotation() for result in doc_results(doc)]
    return {"id": paper.source_id or paper.id, "entities": entities_of(doc), "results": results}
