"""Time extract + build on the seed papers replicated to ≥ 10,000 abstracts; print abstracts/s and peak memory.

.venv/bin/python benchmarks/build_speed.py [--copies 33] [--processes 1 2]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import paperkg
from paperkg.build import build_graph
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.sources import read_papers

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def replicate_seeds(out: Path, copies: int) -> int:
    """Write the distinct seed papers `copies` times as JSONL, each copy with its own ids."""
    papers = list(read_papers([SEEDS]))
    with out.open("w", encoding="utf-8") as sink:
        for copy in range(copies):
            for paper in papers:
                record = {"id": f"{paper.id}-{copy}", "title": paper.title, "abstract": paper.abstract}
                sink.write(json.dumps(record) + "\n")
    return copies * len(papers)


def peak_rss_mib() -> tuple[float, float]:
    """Peak resident memory of this process and of its (waited-for) worker processes, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=33, help="copies of the 312 seed papers (33 → 10,296)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--rules-only", action="store_true", help="the rule components without the trained NER"
    )
    args = parser.parse_args()
    nlp = paperkg.load(ner_model=None) if args.rules_only else paperkg.load()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "seeds_replicated.jsonl"
        total = replicate_seeds(corpus, args.copies)
        print(f"corpus: {total} abstracts ({args.copies} copies of the seeds)")
        for processes in args.processes:
            store = NetworkXStore()
            started = time.perf_counter()
            summary = build_graph([corpus], store, nlp=nlp, n_process=processes, progress=False)
            seconds = time.perf_counter() - started
            own, children = peak_rss_mib()
            print(
                f"n_process={processes}: {summary.built} abstracts in {seconds:.1f} s = "
                f"{summary.built / seconds:.0f} abstracts/s; {summary.mentions} mentions; "
                f"graph {summary.graph.total_nodes} nodes / {summary.graph.total_relationships} edges; "
                f"peak RSS {own:.0f} MiB (workers {children:.0f} MiB)"
            )


if __name__ == "__main__":
    main()
