"""Score the extraction pipeline on the shared dev sets, next to a naive dictionary baseline.

    .venv/bin/python benchmarks/score_dev.py [--data ../shared/data] [--out out/dev] [--n-process 1]

For each dev corpus (the seed papers' dev split, six labels and merged; SciER, GSAP-NER, SciERC, and TDMSci's
fixed-seed 20% held out of train) it writes predictions `{"id", "entities": [...]}`, runs
`../shared/tools/score.py` and prints the strict micro F1, plus abstracts (records) per second.
The baseline is "a naive dictionary of training-set entity strings": every annotated string of the train
split (all corpora, TDMSci less its held-out part) with its most frequent project label, matched exactly (longest first, at word boundaries).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from paperkg.extract.build_lexicons import LABEL_MAP
from paperkg.extract.mentions import entities_of
from paperkg.extract.pipeline import load_pipeline
from paperkg.extract.training.corpus import load_splits

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPORA = {"seed_papers": "seeds", "scier": "scier", "gsap_ner": "gsap", "scierc": "scierc"}


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in open(path) if line.strip()]


def train_dictionary(train: dict[str, list[dict]]) -> dict[str, str]:
    """Every train span string → its most frequent project label (score.py's mapping)."""
    labels: dict[str, Counter] = defaultdict(Counter)
    for corpus, mapping in LABEL_MAP.items():
        for rec in train.get(corpus, []):
            for span in rec["spans"]:
                if span.get("layer", "flat_base") == "flat_base" and span["label"] in mapping:
                    labels[span["text"]][mapping[span["label"]]] += 1
    return {text: c.most_common(1)[0][0] for text, c in labels.items() if text.strip()}


def dictionary_entities(text: str, dictionary: dict[str, str], regex: re.Pattern) -> list[dict]:
    return [
        {"start": m.start(), "end": m.end(), "label": dictionary[m.group(0)]} for m in regex.finditer(text)
    ]


def score(gold: Path, pred: Path, corpus: str, json_out: Path) -> float:
    subprocess.run(
        [
            sys.executable,
            str(SHARED / "tools" / "score.py"),
            "--gold",
            str(gold),
            "--pred",
            str(pred),
            "--corpus",
            corpus,
            "--json",
            str(json_out),
        ],
        check=True,
        capture_output=True,
    )
    return json.load(open(json_out))["micro"]["strict"]["f"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=SHARED / "data", type=Path)
    ap.add_argument("--out", default="out/dev", type=Path)
    ap.add_argument("--n-process", default=1, type=int)
    ap.add_argument("--rules-only", action="store_true", help="the rule components without the trained NER")
    ap.add_argument(
        "--model", type=Path, help="a trained pipeline directory (default: the shipped extract/model)"
    )
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    splits = load_splits(args.data)
    dictionary = train_dictionary(splits["train"])
    gold_sets = [(name, corpus, args.data / "dev" / f"{name}.jsonl") for name, corpus in CORPORA.items()]
    holdout_path = args.out / "tdmsci_holdout.gold.jsonl"
    with open(holdout_path, "w") as f:
        f.writelines(json.dumps(rec) + "\n" for rec in splits["holdout"]["tdmsci"])
    gold_sets.append(("tdmsci", "tdmsci", holdout_path))
    gold_sets.append(("seeds_merged", "seeds_merged", args.data / "dev" / "seed_papers.jsonl"))
    alternatives = "|".join(re.escape(t) for t in sorted(dictionary, key=len, reverse=True))
    regex = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    if args.rules_only:
        nlp = load_pipeline(ner_model=None)
    else:
        nlp = load_pipeline(ner_model=args.model) if args.model else load_pipeline()

    print(f"{'corpus':10s} {'docs':>5s} {'baseline F1':>12s} {'pipeline F1':>12s} {'docs/s':>8s}")
    for name, corpus, gold_path in gold_sets:
        records = read(gold_path)
        base_path = args.out / f"{name}.baseline.jsonl"
        with open(base_path, "w") as f:
            f.writelines(
                json.dumps({"id": rec["id"], "entities": dictionary_entities(rec["text"], dictionary, regex)})
                + "\n"
                for rec in records
            )
        pred_path = args.out / f"{name}.pred.jsonl"
        t0 = time.perf_counter()
        docs = list(nlp.pipe((r["text"] for r in records), n_process=args.n_process, batch_size=32))
        elapsed = time.perf_counter() - t0
        with open(pred_path, "w") as f:
            f.writelines(
                json.dumps({"id": rec["id"], "entities": entities_of(doc)}) + "\n"
                for rec, doc in zip(records, docs)
            )
        base_f = score(gold_path, base_path, corpus, args.out / f"{name}.baseline.score.json")
        pred_f = score(gold_path, pred_path, corpus, args.out / f"{name}.pred.score.json")
        print(f"{name:10s} {len(records):5d} {base_f:12.3f} {pred_f:12.3f} {len(records) / elapsed:8.1f}")


if __name__ == "__main__":
    main()
