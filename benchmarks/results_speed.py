"""Cost of the results component: the pipeline on the seed papers with and without it, in one run.

.venv/bin/python benchmarks/results_speed.py [--copies 3] [--rounds 3]

Prints abstracts/s of the pipeline without the component (best of `rounds`), the time the component itself
takes on those docs (best of `rounds`), the ratio (pipeline + component) / pipeline, and how many results were
found. Timing the component on its own keeps the ratio clear of the load drift of a shared machine, which
moves whole-pipeline timings by more than the component costs.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import paperkg
from paperkg.sources import read_papers

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=3, help="copies of the seed papers per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = [paper.text for paper in read_papers([SEEDS])] * args.copies
    nlp = paperkg.load()
    component = nlp.get_pipe("results")
    pipeline_s = component_s = float("inf")
    for _ in range(args.rounds):
        started = time.perf_counter()
        docs = list(nlp.pipe(texts, disable=["results"]))
        pipeline_s = min(pipeline_s, time.perf_counter() - started)
        started = time.perf_counter()
        docs = [component(doc) for doc in docs]
        component_s = min(component_s, time.perf_counter() - started)
    found = sum(len(doc._.results) for doc in docs)  # stored as dicts, one per result
    print(
        f"pipeline without results: {len(texts) / pipeline_s:7.1f} abstracts/s ({pipeline_s:.2f} s, {len(texts)})"
    )
    print(
        f"results component:        {1000 * component_s / len(texts):7.2f} ms per abstract ({component_s:.2f} s)"
    )
    print(
        f"ratio (pipeline + results) / pipeline: {(pipeline_s + component_s) / pipeline_s:.3f}; results: {found}"
    )


if __name__ == "__main__":
    main()
