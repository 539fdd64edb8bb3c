"""`python -m paperkg.extract.training train OUT_DIR [--max-minutes M] [--limit N]`
`python -m paperkg.extract.training eval GOLD.jsonl [--model DIR] [--corpus NAME] [--pred PRED.jsonl]`
`python -m paperkg.extract.training speed [--model DIR]`"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from paperkg.extract.training import SHIPPED_MODEL, evaluate_file, load_trained_pipeline, print_scores
from paperkg.extract.training.corpus import DEFAULT_DATA_DIR


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m paperkg.extract.training")
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("output_dir", type=Path)
    t.add_argument("--max-minutes", type=float)
    t.add_argument("--limit", type=int)
    t.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    e = sub.add_parser("eval")
    e.add_argument("gold", type=Path, nargs="+")
    e.add_argument("--model", type=Path, default=SHIPPED_MODEL)
    e.add_argument("--corpus")
    e.add_argument("--pred", type=Path)
    e.add_argument("--json", type=Path)
    s = sub.add_parser("speed")
    s.add_argument("--model", type=Path, default=SHIPPED_MODEL)
    s.add_argument("--gold", type=Path, default=DEFAULT_DATA_DIR / "dev" / "scierc.jsonl")
    a = ap.parse_args(argv)
    if a.cmd == "train":
        from paperkg.extract.training.train import train_model

        print(train_model(a.output_dir, max_minutes=a.max_minutes, data_dir=a.data_dir, limit=a.limit))
    elif a.cmd == "eval":
        nlp = load_trained_pipeline(a.model)
        results = []
        for gold in a.gold:
            res = evaluate_file(gold, nlp, a.corpus, pred_path=a.pred)
            print_scores(res)
            results.append(res)
        if a.json:
            a.json.write_text(json.dumps(results, indent=1))
    else:
        nlp = load_trained_pipeline(a.model)
        texts = [json.loads(line)["text"] for line in a.gold.read_text(encoding="utf-8").splitlines()]
        list(nlp.pipe(texts[:5]))
        start, cpu = time.perf_counter(), time.process_time()
        list(nlp.pipe(texts, batch_size=32))
        wall = time.perf_counter() - start
        print(
            f"{len(texts)} texts, {sum(map(len, texts))} chars: {len(texts) / wall:.1f} texts/s wall, "
            f"cpu {time.process_time() - cpu:.1f}s over {wall:.1f}s wall"
        )


if __name__ == "__main__":
    main()
