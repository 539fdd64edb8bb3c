"""The trained recognizer's time per abstract with thinc's blis products and with numpy's BLAS, on the seeds.

    .venv/bin/python benchmarks/ner_ops.py [--repeat 2] [--threads 1]

Prints ms per abstract for each and whether both give the same entities.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from thinc.api import NumpyOps
from threadpoolctl import threadpool_limits

from paperkg.extract.blas import set_ops, use_numpy_blas
from paperkg.extract.training import load_trained_pipeline
from paperkg.sources import read_papers

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def time_ner(nlp, texts: list[str]) -> tuple[float, list]:
    """ms per text of the `ner` component alone, and the entities it found."""
    ner = nlp.get_pipe("ner")
    docs = [nlp.make_doc(text) for text in texts]
    started = time.perf_counter()
    docs = list(ner.pipe(docs, batch_size=64))
    seconds = time.perf_counter() - started
    return seconds / len(texts) * 1000, [[(e.start, e.end, e.label_) for e in doc.ents] for doc in docs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=2, help="copies of the 312 seed abstracts")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads")
    args = parser.parse_args()
    texts = [paper.text for paper in read_papers([SEEDS])] * args.repeat
    nlp = load_trained_pipeline()
    ner_model = nlp.get_pipe("ner").model
    with threadpool_limits(args.threads):
        set_ops(ner_model, NumpyOps())  # thinc's default: blis
        time_ner(nlp, texts[:64])
        blis_ms, blis_ents = time_ner(nlp, texts)
        use_numpy_blas(ner_model)
        time_ner(nlp, texts[:64])
        numpy_ms, numpy_ents = time_ner(nlp, texts)
    print(f"{len(texts)} abstracts, {args.threads} BLAS thread(s)")
    print(f"ner with blis products:  {blis_ms:.2f} ms/abstract")
    print(f"ner with numpy's BLAS:   {numpy_ms:.2f} ms/abstract ({blis_ms / numpy_ms:.2f}x faster)")
    different = sum(a != b for a, b in zip(blis_ents, numpy_ents))
    print(f"abstracts whose entities differ: {different} of {len(texts)}")


if __name__ == "__main__":
    main()
