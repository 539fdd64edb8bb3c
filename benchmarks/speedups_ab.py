"""The pipeline's speed-ups against the code they replaced, interleaved in one run, with identical outputs.

    .venv/bin/python benchmarks/speedups_ab.py [--copies 1] [--rounds 3] [--processes 1]

"before" puts back what the speed-ups replaced: no per-doc cache of `doc.text` and the lower-cased words (each
reader rebuilds them from Token objects, as before), hashing features with `np.unique` once per model, and
`is_ml_name` not memoized. "after" is the code as it is. The two alternate round by round (ABBA…) on the seed
papers, so a busy machine slows both alike; with one process the figure is CPU time (`time.process_time`), with more the wall time of a whole
build. Every round's paper graphs (JSON) must be the same in both, or the script stops.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np
from build_speed import replicate_seeds
from profile_pipeline import Stopwatch, run_components
from threadpoolctl import threadpool_limits

import paperkg
from paperkg.build import build_graph, paper_graph_of
from paperkg.extract import doc_cache, hashed_logistic, paper_relations, tokenizer
from paperkg.extract.training import entity_typer
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.parallel import map_batch
from paperkg.sources import read_papers

NEW = {
    "feature_index": hashed_logistic.feature_index,
    "recent_docs": doc_cache.RECENT_DOCS,
    "is_ml_name": tokenizer.is_ml_name,
}


def old_feature_index(features: list[str]) -> np.ndarray:
    """feature_index as it was: np.unique over np.fromiter."""
    return np.unique(
        np.fromiter(
            (zlib.crc32(f.encode("utf-8")) % hashed_logistic.N_FEATURES for f in features), dtype=np.int64
        )
    )


def use(variant: str) -> None:
    before = variant == "before"
    doc_cache.RECENT_DOCS = 0 if before else NEW["recent_docs"]  # 0: every read recomputes
    index = old_feature_index if before else NEW["feature_index"]
    hashed_logistic.feature_index = index
    paper_relations.feature_index = index
    name_test = NEW["is_ml_name"].__wrapped__ if before else NEW["is_ml_name"]  # not memoized before
    for module in (tokenizer, paper_relations, entity_typer):
        module.is_ml_name = name_test


def one_process(nlp, papers, batch_size: int) -> tuple[float, list[str]]:
    started = time.process_time()
    graphs = [g.model_dump_json() for g in map_batch(nlp, paper_graph_of, papers, batch_size)]
    return time.process_time() - started, graphs


def by_stage(nlp, papers, batch_size: int, stages: dict[str, list[float]]) -> tuple[float, list[str]]:
    """The pipeline component by component (`profile_pipeline`), each stage's seconds added to `stages`."""
    watch = Stopwatch()
    started = time.process_time()
    docs = run_components(nlp, [p.text for p in papers], batch_size, watch)
    graphs = [watch.time("graph pieces", lambda p=p, d=d: paper_graph_of(p, d)) for p, d in zip(papers, docs)]
    for stage, seconds in watch.seconds.items():
        stages.setdefault(stage, []).append(seconds)
    return time.process_time() - started, [g.model_dump_json() for g in graphs]


def whole_build(nlp, corpus: Path, processes: int, out: Path) -> tuple[float, list[str]]:
    store = NetworkXStore()
    started = time.perf_counter()
    build_graph([corpus], store, nlp=nlp, n_process=processes, progress=False)
    seconds = time.perf_counter() - started
    store.save(out)
    return seconds, [out.read_text(encoding="utf-8")]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--copies", type=int, default=1, help="copies of the 312 seed papers")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument(
        "--stages", action="store_true", help="one process, component by component: the ratio of each stage"
    )
    args = parser.parse_args()
    nlp = paperkg.load()
    seconds: dict[str, list[float]] = {"before": [], "after": []}
    stages: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    with tempfile.TemporaryDirectory() as tmp, threadpool_limits(limits=1):
        corpus = Path(tmp) / "seeds.jsonl"
        count = replicate_seeds(corpus, args.copies)
        papers = list(read_papers([corpus]))
        list(nlp.pipe(p.text for p in papers[:16]))  # warm up
        for round_ in range(args.rounds):
            outputs = {}
            order = ("before", "after") if round_ % 2 == 0 else ("after", "before")
            for variant in order:
                use(variant)
                if args.stages:
                    took, outputs[variant] = by_stage(nlp, papers, args.batch_size, stages[variant])
                elif args.processes > 1:
                    took, outputs[variant] = whole_build(nlp, corpus, args.processes, Path(tmp) / "g.json")
                else:
                    took, outputs[variant] = one_process(nlp, papers, args.batch_size)
                seconds[variant].append(took)
                print(f"round {round_ + 1} {variant:6} {took:7.2f} s", flush=True)
            if outputs["before"] != outputs["after"]:
                raise SystemExit("the outputs differ between before and after")
    use("after")
    if args.stages:
        print(f"{'stage':26} {'before ms':>10} {'after ms':>9} {'after/before':>13}  (medians, per abstract)")
        for stage in stages["before"]:
            old, new = (1000 * statistics.median(stages[v][stage]) / count for v in ("before", "after"))
            print(f"{stage:26} {old:10.3f} {new:9.3f} {new / old if old else 1:13.3f}")
    what = "CPU s (one process)" if args.processes == 1 else f"wall s (build, {args.processes} processes)"
    before, after = (statistics.median(seconds[v]) for v in ("before", "after"))
    print(f"{count} abstracts, {args.rounds} rounds, median {what}: before {before:.2f}, after {after:.2f}")
    print(
        f"after/before = {after / before:.3f} ({before / after:.2f}x as fast); "
        f"{1000 * before / count:.2f} -> {1000 * after / count:.2f} ms/abstract; outputs identical in every round"
    )


if __name__ == "__main__":
    main()
