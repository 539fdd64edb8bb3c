"""Score a pipeline on a gold JSONL file exactly as the official scorer (`shared/tools/score.py`) does.

The scoring logic below is vendored from `score.py` (same label maps, ignored regions, strict and overlap
matching, micro average) so that the package doesn't depend on the shared folder; `tests/test_training.py`
checks that both give the same numbers on the same predictions.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from spacy.language import Language

from paperkg.extract.training.corpus import SCHEMES, corpus_of, read_jsonl

# corpus -> {gold label: set of project labels that count as that gold label}   (as in score.py)
MAPS: dict[str, dict[str, set[str]]] = {
    "scier": {"Method": {"METHOD", "MODEL"}, "Dataset": {"DATASET", "BENCHMARK"}, "Task": {"TASK"}},
    "gsap": {
        "MLModel": {"MODEL"},
        "Method": {"METHOD"},
        "Dataset": {"DATASET", "BENCHMARK"},
        "Task": {"TASK"},
    },
    "gsap_merged": {
        "Method+Model": {"METHOD", "MODEL"},
        "Dataset": {"DATASET", "BENCHMARK"},
        "Task": {"TASK"},
    },
    "scierc": {"Method": {"METHOD", "MODEL"}, "Task": {"TASK"}, "Metric": {"METRIC"}},
    "tdmsci": {"DATASET": {"DATASET", "BENCHMARK"}, "TASK": {"TASK"}, "METRIC": {"METRIC"}},
    "seedgold": {
        "MODEL": {"MODEL"},
        "METHOD": {"METHOD"},
        "DATASET": {"DATASET"},
        "BENCHMARK": {"BENCHMARK"},
        "TASK": {"TASK"},
        "METRIC": {"METRIC"},
    },
    "seedgold_merged": {
        "MODEL+METHOD": {"MODEL", "METHOD"},
        "DATASET+BENCHMARK": {"DATASET", "BENCHMARK"},
        "TASK": {"TASK"},
        "METRIC": {"METRIC"},
    },
}
MAPS["seeds"] = MAPS["seedgold"]  # the annotated seed papers (project labels, one to one)
MAPS["seeds_merged"] = MAPS["seedgold_merged"]
# gold labels renamed before scoring: one project label per gold label, so nothing is counted twice
GOLD_RENAME: dict[str, dict[str, str]] = {
    "gsap": {"ModelArchitecture": "Method"},
    "gsap_merged": {"MLModel": "Method+Model", "Method": "Method+Model", "ModelArchitecture": "Method+Model"},
    "seedgold_merged": {
        "MODEL": "MODEL+METHOD",
        "METHOD": "MODEL+METHOD",
        "DATASET": "DATASET+BENCHMARK",
        "BENCHMARK": "DATASET+BENCHMARK",
    },
}
GOLD_RENAME["seeds_merged"] = GOLD_RENAME["seedgold_merged"]
IGNORE: dict[str, set[str]] = {
    "gsap": {"Datasource", "URL", "ReferenceLink"},
    "gsap_merged": {"Datasource", "URL", "ReferenceLink"},
    "scierc": {"Material", "OtherScientificTerm", "Generic"},
}


def _prf(tp: int, fp: int, tpg: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tpg / (tpg + fn) if tpg + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _strict(a: tuple, b: tuple) -> bool:
    return a == b


def _overlap(a: tuple, b: tuple) -> bool:
    return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]


def score(gold_docs: list[dict], pred_docs: list[dict], corpus: str) -> dict:
    """score.py's `score`: strict and overlap P/R/F1 per gold label and micro-averaged."""
    mp = MAPS[corpus]
    rename = GOLD_RENAME.get(corpus, {})
    ignore = IGNORE.get(corpus, set())
    rev: dict[str, set[str]] = defaultdict(set)
    for g, ps in mp.items():
        for p in ps:
            rev[p].add(g)
    preds = {d["id"]: d.get("entities", []) for d in pred_docs}
    missing = [d["id"] for d in gold_docs if d["id"] not in preds]
    counts = {m: defaultdict(lambda: [0, 0, 0, 0]) for m in ("strict", "overlap")}
    for d in gold_docs:
        gold, ign = [], []
        for s in d["spans"]:
            if "layer" in s and s["layer"] != "flat_base":
                continue
            lab = rename.get(s["label"], s["label"])
            if lab in mp:
                gold.append((s["start"], s["end"], lab))
            elif s["label"] in ignore:
                ign.append((s["start"], s["end"]))
        pred = {(e["start"], e["end"], g) for e in preds.get(d["id"], []) for g in rev.get(e["label"], ())}
        gold_set = set(gold)
        for mode, match in (("strict", _strict), ("overlap", _overlap)):
            c = counts[mode]
            for p in pred:
                if any(match(p, g) for g in gold_set):
                    c[p[2]][0] += 1
                elif any(p[0] < ie and is_ < p[1] for is_, ie in ign):
                    continue
                else:
                    c[p[2]][1] += 1
            for g in gold_set:
                c[g[2]][2 if any(match(p, g) for p in pred) else 3] += 1
    out: dict = {"corpus": corpus, "docs": len(gold_docs), "missing_docs": len(missing), "labels": {}}
    for mode, c in counts.items():
        tot = [0, 0, 0, 0]
        for lab in mp:
            tot = [a + b for a, b in zip(tot, c[lab], strict=True)]
            out["labels"].setdefault(lab, {})[mode] = dict(
                zip("prf", _prf(*c[lab]), strict=True), gold=c[lab][2] + c[lab][3]
            )
        out.setdefault("micro", {})[mode] = dict(zip("prf", _prf(*tot), strict=True), gold=tot[2] + tot[3])
    return out


def predict_records(nlp: Language, records: list[dict], batch_size: int = 32) -> list[dict]:
    """Prediction lines `{"id", "entities": [{"start", "end", "label"}]}` for gold records."""
    out = []
    for record, doc in zip(
        records, nlp.pipe((r["text"] for r in records), batch_size=batch_size), strict=True
    ):
        ents = [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in doc.ents]
        out.append({"id": record["id"], "entities": ents})
    return out


def evaluate_file(
    gold_path: Path, nlp: Language, corpus: str | None = None, *, pred_path: Path | None = None
) -> dict:
    """Run `nlp` on every text of a gold file and score it like score.py; the corpus is read from the file name
    unless given (scier, gsap_ner → gsap, scierc, tdmsci, seed_papers → seeds). `pred_path` also writes the predictions."""
    corpus = corpus or SCHEMES[corpus_of(gold_path)].score_name
    gold = read_jsonl(Path(gold_path))
    preds = predict_records(nlp, gold)
    if pred_path is not None:
        with open(pred_path, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(p) + "\n" for p in preds)
    return score(gold, preds, corpus)


def format_scores(res: dict) -> str:
    """score.py's printout of a `score` result."""
    lines = [f"{res['corpus']}: {res['docs']} docs, {res['missing_docs']} without predictions"]
    for lab, m in list(res["labels"].items()) + [("MICRO", res["micro"])]:
        s, o = m["strict"], m["overlap"]
        lines.append(
            f"  {lab:18s} strict P {s['p']:.3f} R {s['r']:.3f} F1 {s['f']:.3f} | overlap F1 {o['f']:.3f}"
        )
    lines.append(
        f"micro strict F1 {res['micro']['strict']['f']:.3f} overlap F1 {res['micro']['overlap']['f']:.3f}"
    )
    return "\n".join(lines)


def print_scores(res: dict, file=None) -> None:
    print(format_scores(res), file=file or sys.stdout)
