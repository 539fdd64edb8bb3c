"""Real-shaped abstracts for scale benchmarks: seed sentences recombined deterministically into new papers.

Paper `i` takes as many sentences as a seed abstract picked by `i` has, each drawn from the whole pool of seed
sentences, and a title made of one seed title's name part and another's description, so the text reads like
the seeds (same vocabulary, entity density, sentence lengths) while no abstract is a copy of one.

    python benchmarks/recombined_abstracts.py 100000 out_dir/   # JSONL files of 10,000 records each
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from paperkg.sources import read_papers

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
RECORDS_PER_FILE = 10_000
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


@dataclass(frozen=True)
class SeedPool:
    """What recombination draws from: every seed sentence, each seed's sentence count, title halves."""

    sentences: tuple[str, ...]
    lengths: tuple[int, ...]
    heads: tuple[str, ...]
    tails: tuple[str, ...]


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def title_halves(title: str) -> tuple[str, str]:
    """`"RAFT: Rationale adaptor for …"` → (`"RAFT"`, `"Rationale adaptor for …"`); without a colon, the
    first two words and the rest."""
    if ":" in title:
        head, tail = title.split(":", 1)
        return head.strip(), tail.strip()
    words = title.split()
    return " ".join(words[:2]), " ".join(words[2:]) or title


def seed_pool(seeds: Path = SEEDS) -> SeedPool:
    papers = list(read_papers([seeds]))
    per_paper = [split_sentences(p.abstract) for p in papers]
    halves = [title_halves(p.title) for p in papers if p.title]
    return SeedPool(
        sentences=tuple(s for sentences in per_paper for s in sentences),
        lengths=tuple(len(sentences) for sentences in per_paper if sentences),
        heads=tuple(h for h, _ in halves),
        tails=tuple(t for _, t in halves),
    )


def recombined_record(index: int, pool: SeedPool) -> dict:
    """Record `index` (JSONL fields id, title, abstract): the same for the same index and pool."""
    rng = random.Random(f"recombined:{index}")
    count = rng.choice(pool.lengths)
    abstract = " ".join(rng.choice(pool.sentences) for _ in range(count))
    title = f"{rng.choice(pool.heads)}: {rng.choice(pool.tails)}"
    return {"id": f"rc-{index:08d}", "title": title, "abstract": abstract}


def recombined_records(count: int, pool: SeedPool | None = None) -> Iterator[dict]:
    pool = pool or seed_pool()
    for index in range(count):
        yield recombined_record(index, pool)


def write_recombined(count: int, directory: Path, per_file: int = RECORDS_PER_FILE) -> list[Path]:
    """`count` records as JSONL files of `per_file` records in `directory`; returns the files."""
    directory.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    handle = None
    for index, record in enumerate(recombined_records(count)):
        if index % per_file == 0:
            if handle:
                handle.close()
            files.append(directory / f"recombined-{index // per_file:05d}.jsonl")
            handle = files[-1].open("w", encoding="utf-8")
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    if handle:
        handle.close()
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    files = write_recombined(args.count, args.out)
    print(f"{args.count} records in {len(files)} files under {args.out}")


if __name__ == "__main__":
    main()
