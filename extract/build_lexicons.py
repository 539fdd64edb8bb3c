"""Build `lexicons/train_*.jsonl` from the *training* split of the shared annotated corpora.

Run: ``python -m paperkg.extract.build_lexicons ../shared/data extract/lexicons``

Only the train split is read (never dev, never the seed papers outside seed_papers' train split), as `training.corpus.load_splits` defines it: TDMSci's
fixed-seed 20% held out for evaluation is left out here too, so the held-out score is clean. An annotated string becomes a lexicon entry when it
is annotated often enough and, where it occurs in the training texts, is annotated most of the time
(`keep_entry`): this keeps "BERT" and "machine translation" and drops strings like "model" or "training"
that annotators marked only now and then. Entries that share an `entity_key` get one canonical id, the most
frequent spelling (so "GPT4" and "GPT-4" map to the same id).

It also writes `lexicons/generic.jsonl`, the phrases the seed papers' train split uses often and (almost) never
annotates (`generic_terms.derive_generic_terms`); a derived entry on that list is not written, so no lexicon turns
a generic word back into an entity.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from paperkg.graph.schema import entity_key

# corpus label -> project label (as in ../shared/tools/score.py; SciER "Method" includes models)
LABEL_MAP: dict[str, dict[str, str]] = {
    "scier": {"Method": "METHOD", "Dataset": "DATASET", "Task": "TASK"},
    "gsap_ner": {
        "MLModel": "MODEL",
        "Method": "METHOD",
        "ModelArchitecture": "METHOD",
        "Dataset": "DATASET",
        "Task": "TASK",
    },
    "scierc": {"Method": "METHOD", "Task": "TASK", "Metric": "METRIC"},
    "tdmsci": {"TASK": "TASK", "DATASET": "DATASET", "METRIC": "METRIC"},
    "seed_papers": {label: label for label in ("MODEL", "METHOD", "DATASET", "BENCHMARK", "TASK", "METRIC")},
}
_TOKEN = re.compile(r"\w+|[^\w\s]")
MAX_TOKENS = 6


def token_key(text: str) -> tuple[str, ...]:
    """Spacing-insensitive token tuple: "GPT - 4" and "GPT-4" give ("GPT", "-", "4")."""
    return tuple(_TOKEN.findall(text))


def surface_form(text: str) -> str:
    """Undo the pre-tokenized spacing of SciER/SciERC: "GPT - 4" → "GPT-4", "pass @ 1" → "pass@1"."""
    text = " ".join(text.split())
    text = re.sub(r"\s*([-/@])\s*", r"\1", text)
    text = re.sub(r"(?<=\d) (?=\d)", "", text)  # "2 0 1 2" → "2012"
    text = re.sub(r"(?<=\d) \. (?=\d)", ".", text)  # "3 . 5" → "3.5"
    text = re.sub(r"\s+([,.;:)\]])", r"\1", text)
    return re.sub(r"([(\[])\s+", r"\1", text)


def canonical_spelling(spellings: Counter) -> str:
    """The spelling with the fewest spaces ("Word2Vec" over "Word 2 Vec"), then the most frequent one."""
    return min(spellings, key=lambda s: (s.count(" "), -spellings[s], s))


def keep_entry(annotated: int, occurrences: int, n_tokens: int) -> bool:
    """Keep a string annotated ≥ 2 times whose occurrences are mostly annotated (long names: ≥ 1 time)."""
    if occurrences == 0:
        return False
    ratio = annotated / occurrences
    if n_tokens >= 3:
        return annotated >= 1 and ratio >= 0.5
    return annotated >= 2 and ratio >= 0.5


def write_generic_terms(seed_records: list[dict], out_dir: str | Path) -> frozenset[str]:
    """`generic.jsonl` from the seed papers' train split; returns the terms."""
    from paperkg.extract.generic_terms import derive_generic_terms, normalized
    from paperkg.extract.training.corpus import make_tokenizer_nlp

    rows = derive_generic_terms(seed_records, make_tokenizer_nlp())
    path = Path(out_dir) / "generic.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(row) + "\n" for row in rows)
    print(path, len(rows))
    return frozenset(normalized(row["text"]) for row in rows)


def main(data_dir: str, out_dir: str) -> None:
    from paperkg.extract.generic_terms import normalized
    from paperkg.extract.training.corpus import load_splits

    train = load_splits(Path(data_dir))["train"]
    generic = write_generic_terms(train.get("seed_papers", []), out_dir)
    annotated: dict[tuple[str, ...], Counter] = defaultdict(Counter)  # key -> label counts
    spellings: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    texts: list[str] = []
    for corpus, mapping in LABEL_MAP.items():
        for rec in train.get(corpus, []):
            texts.append(rec["text"])
            for span in rec["spans"]:
                if span.get("layer", "flat_base") != "flat_base" or span["label"] not in mapping:
                    continue
                key = token_key(span["text"])
                if not key or len(key) > MAX_TOKENS:
                    continue
                annotated[key][mapping[span["label"]]] += 1
                spellings[key][surface_form(span["text"])] += 1
    occurrences: Counter = Counter()
    for text in texts:
        toks = _TOKEN.findall(text)
        for i in range(len(toks)):
            for n in range(1, MAX_TOKENS + 1):
                key = tuple(toks[i : i + n])
                if key in annotated:
                    occurrences[key] += 1
    by_label: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    canonical_of: dict[str, Counter] = defaultdict(Counter)
    kept = []
    for key, labels in annotated.items():
        total = sum(labels.values())
        if not keep_entry(total, occurrences[key], len(key)):
            continue
        label = labels.most_common(1)[0][0]
        spelling = spellings[key].most_common(1)[0][0]
        if len(spelling) < 2 or spelling.isdigit() or normalized(spelling) in generic:
            continue
        kept.append((label, spelling))
        canonical_of[(label, entity_key(spelling))][spelling] += total
    for label, spelling in kept:
        canonical = canonical_spelling(canonical_of[(label, entity_key(spelling))])
        by_label[label].append((spelling, canonical))
    for label, rows in by_label.items():
        path = Path(out_dir) / f"train_{label.lower()}.jsonl"
        with open(path, "w") as f:
            for spelling, canonical in sorted(set(rows)):
                f.write(json.dumps({"label": label, "pattern": spelling, "id": canonical}) + "\n")
        print(path, len(set(rows)))


if __name__ == "__main__":
    main(*sys.argv[1:3])
