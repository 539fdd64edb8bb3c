"""Where a build's time goes: milliseconds per abstract for each stage of the default pipeline, in one process.

    .venv/bin/python benchmarks/profile_pipeline.py [--copies 3] [--batch-size 64] [--rounds 2]

Stages: reading the input file, spaCy's tokenizer, each pipeline component in order (sentences, the trained
recognizer, the entity typer, lexicons, rules, abbreviations, entity choice, generic filter, results, paper
relations) run component by component over the same docs, then the per-paper graph pieces (mentions,
relations, results, assembly), the store write, corpus-wide resolution and saving the graph file. Input: the
seed papers, `--copies` times with their own ids. The machine is shared, so read the shares more than the
absolute numbers; `--rounds` repeats the whole measurement (the table shows the fastest round per stage).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from build_speed import replicate_seeds
from threadpoolctl import threadpool_limits

import paperkg
from paperkg.extract.mentions import mentions_of
from paperkg.extract.relations import relations_of
from paperkg.extract.results import doc_results
from paperkg.graph.assemble import assemble_paper_graph
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.resolution import apply_resolution
from paperkg.parallel import batched
from paperkg.sources import read_papers


class Stopwatch:
    """Seconds spent per stage, in the order stages were first timed."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def time(self, stage: str, work: Callable):
        started = time.perf_counter()
        value = work()
        self.seconds[stage] += time.perf_counter() - started
        return value


def run_components(nlp, texts: list[str], batch_size: int, watch: Stopwatch) -> list:
    """The pipeline over `texts`, one component at a time over every batch, each component's time apart."""
    docs = watch.time("tokenizer", lambda: [nlp.make_doc(text) for text in texts])
    for name, component in nlp.pipeline:
        docs = watch.time(name, lambda c=component, d=docs: run_one(c, d, batch_size))
    return docs


def run_one(component, docs: list, batch_size: int) -> list:
    """One pipeline component over every doc, batched where the component batches."""
    if hasattr(component, "pipe"):
        return [
            doc for batch in batched(docs, batch_size) for doc in component.pipe(batch, batch_size=batch_size)
        ]
    return [component(doc) for doc in docs]


def profile_round(nlp, corpus: Path, batch_size: int, out: Path) -> tuple[Stopwatch, int]:
    watch = Stopwatch()
    papers = watch.time("reading", lambda: list(read_papers([corpus])))
    docs = run_components(nlp, [p.text for p in papers], batch_size, watch)
    pieces = []
    for paper, doc in zip(papers, docs, strict=True):
        mentions = watch.time("mentions", lambda p=paper, d=doc: mentions_of(p, d))
        relations = watch.time("relations", lambda p=paper, d=doc, m=mentions: relations_of(p, d, m))
        results = watch.time("results (read back)", lambda d=doc: doc_results(d))
        pieces.append(
            watch.time(
                "assembly",
                lambda p=paper, m=mentions, r=relations, x=results: assemble_paper_graph(p, m, r, x),
            )
        )
    store = NetworkXStore()
    watch.time("store write", lambda: store.write(pieces))
    watch.time("resolution", lambda: apply_resolution(store))
    watch.time("save graph file", lambda: store.save(out))
    return watch, len(papers)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--copies", type=int, default=3, help="copies of the 312 seed papers (3 → 936)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    nlp = paperkg.load()
    with tempfile.TemporaryDirectory() as tmp, threadpool_limits(limits=1):  # as in a build's worker
        corpus = Path(tmp) / "seeds.jsonl"
        replicate_seeds(corpus, args.copies)
        rounds = [
            profile_round(nlp, corpus, args.batch_size, Path(tmp) / "graph.json") for _ in range(args.rounds)
        ]
    count = rounds[0][1]
    best = {stage: min(w.seconds[stage] for w, _ in rounds) * 1000 / count for stage in rounds[0][0].seconds}
    total = sum(best.values())
    print(
        f"{count} abstracts, batch size {args.batch_size}, one process, one BLAS thread; fastest of {args.rounds}"
    )
    print(f"{'stage':24} {'ms/abstract':>12} {'share':>7}")
    for stage, ms in best.items():
        print(f"{stage:24} {ms:12.3f} {ms / total:7.1%}")
    print(f"{'total':24} {total:12.3f} {'':7}  = {1000 / total:.0f} abstracts/s in one process")
    if args.json:
        args.json.write_text(json.dumps({"abstracts": count, "ms_per_abstract": best}, indent=1))


if __name__ == "__main__":
    main()
