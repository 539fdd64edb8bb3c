"""Input shards of a distributed build, and the per-shard result files a merge step reads back.

A shard is up to N consecutive distinct papers of one input file. Its id names the file, the range of its
papers (their 1-based ordinals among the file's distinct papers) and a digest of their content and of the
pipeline version: a re-run over the same input gives the same ids, a changed file or pipeline gives new ones
(never a stale result). A shard's result is one gzipped JSON Lines file in the work dir, one paper graph or
reject a line, written atomically (a temp file renamed into place): it exists only once complete, which is
what lets a re-run skip it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from paperkg.graph.schema import Paper, PaperGraph, Reject

SHARD_SUFFIX = ".jsonl.gz"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Shard:
    """Papers `first`..`last` (ordinals among the distinct papers of `source`) and the id of their result."""

    id: str
    source: str
    first: int
    last: int
    papers: tuple[Paper, ...]


class ShardLine(BaseModel):
    """One line of a shard file: a paper graph (without its mentions, which no store keeps; their count
    instead) or a record rejected during extraction."""

    graph: PaperGraph | None = None
    mentions: int = 0
    reject: Reject | None = None


def pipeline_fingerprint() -> str:
    """The paperkg and model versions: part of every shard id, so a new pipeline never reuses old results."""
    import paperkg
    from paperkg.extract.pipeline import MODEL_DIR

    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    return f"paperkg {paperkg.__version__} / {meta['name']} {meta['version']}"


def shard_id(source: str, first: int, last: int, papers: Iterable[Paper], fingerprint: str) -> str:
    """`<file stem>-<first>-<last>-<digest>`: the digest covers the file's full path, the papers and the
    pipeline `fingerprint`."""
    digest = hashlib.sha1(f"{Path(source).resolve()}\n{fingerprint}\n".encode())
    for paper in papers:
        digest.update(paper.model_dump_json().encode("utf-8", "surrogateescape"))
    stem = _UNSAFE.sub("_", Path(source).name)[:60]
    return f"{stem}-{first:07d}-{last:07d}-{digest.hexdigest()[:12]}"


def plan_shards(papers: Iterable[Paper], size: int, fingerprint: str) -> Iterator[Shard]:
    """Cut a stream of distinct papers (in input order) into shards of up to `size` papers of one file."""
    if size < 1:
        raise ValueError(f"shard size must be at least 1, got {size}")
    batch: list[Paper] = []
    first = ordinal = 0
    source = None

    def shard() -> Shard:
        last = first + len(batch) - 1
        return Shard(shard_id(source, first, last, batch, fingerprint), source, first, last, tuple(batch))

    for paper in papers:
        if paper.source != source:
            if batch:
                yield shard()
            source, ordinal, batch = paper.source, 0, []
        elif len(batch) == size:
            yield shard()
            batch = []
        ordinal += 1
        if not batch:
            first = ordinal
        batch.append(paper)
    if batch:
        yield shard()


def shard_path(work_dir: Path, shard_id: str) -> Path:
    return Path(work_dir) / f"{shard_id}{SHARD_SUFFIX}"


def encode_shard(graphs: Iterable[PaperGraph], rejects: Iterable[Reject]) -> bytes:
    """A shard's result as gzipped JSON Lines: its paper graphs in input order, then its rejects."""
    lines = [
        ShardLine(graph=g.model_copy(update={"mentions": ()}), mentions=len(g.mentions)).model_dump_json(
            exclude_none=True
        )
        for g in graphs
    ]
    lines += [ShardLine(reject=r).model_dump_json(exclude_none=True) for r in rejects]
    text = "".join(line + "\n" for line in lines)
    return gzip.compress(text.encode("utf-8", "surrogateescape"), compresslevel=5, mtime=0)


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temp file beside `path`, flush it to disk, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def read_shard(path: Path) -> Iterator[ShardLine]:
    """The lines of a shard file; a damaged file is a `ValueError` naming it and the line."""
    number = 0
    try:
        with gzip.open(path, "rt", encoding="utf-8", errors="surrogateescape") as handle:
            for number, line in enumerate(handle, start=1):
                yield ShardLine.model_validate_json(line)
    except (OSError, EOFError, ValidationError, UnicodeError) as err:
        where = f"{path}:{number}" if number else str(path)
        raise ValueError(f"{where}: damaged shard result, delete it and run again ({err})") from err
