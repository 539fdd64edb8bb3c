"""`paperkg extract`: one JSON line of typed entity spans per input document."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from tqdm import tqdm

from paperkg.sources import ReadStats, read_papers


def write_predictions(
    paths: Iterable[str | Path],
    out: Path,
    *,
    nlp=None,
    strict: bool = False,
    n_process: int = 1,
    progress: bool = True,
) -> ReadStats:
    """Write `{"id", "entities": [{"start","end","label","text","canonical"}]}` per document.

    Offsets index the document's text: the record's `text`, or title + blank line + abstract. The id is
    the record's own id as written in the source, so predictions line up with gold files.
    """
    from paperkg.extract.mentions import entities_of

    if nlp is None:
        import paperkg

        nlp = paperkg.load()
    stats = ReadStats()
    papers = read_papers(paths, strict=strict, stats=stats)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as sink:
        docs = nlp.pipe(((p.text, p) for p in papers), as_tuples=True, batch_size=32, n_process=n_process)
        for doc, paper in tqdm(docs, desc="documents", unit=" docs", disable=not progress):
            record = {"id": paper.source_id or paper.id, "entities": entities_of(doc)}
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
    return stats
