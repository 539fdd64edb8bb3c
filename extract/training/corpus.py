"""Annotated JSONL corpora → spaCy `DocBin`s for the trained NER, with partial labels kept partial.

The four corpora (see `../shared/data/README.md`) annotate different label sets. Rather than drop data, each
corpus gets a `CorpusScheme` that says which of its labels map to which NER label, which of its regions are
*unknown* (the corpus annotates something there that is not ours: SciERC Material, GSAP ReferenceLink, ...), and
which NER labels it never annotates. Tokens that are unknown become spaCy's missing value (BILUO "-"), not "O",
so the model is neither taught that they are entities nor that they are not:

* regions of the corpus's `ignored` labels;
* gold spans whose edges fall inside a token (the tokenizer can't reproduce them) or that overlap another span;
* spans that *look like* a label the corpus lacks: strings that the other corpora annotate with that label
  (`missing_lexicon`), e.g. "BLEU" in SciER (no Metric label) or "BERT" in TDMSci (no Method label).

MODEL and METHOD share one coarse NER label, `MODEL_OR_METHOD`: SciER and SciERC fold models into Method and only
GSAP-NER tells them apart, so the NER learns the union from all corpora and `model_or_method` splits it afterwards.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, DocBin, Span

from paperkg.extract.generic_terms import normalized, read_generic_terms

COARSE_LABEL = "MODEL_OR_METHOD"
NER_LABELS = (COARSE_LABEL, "DATASET", "TASK", "METRIC")
# The shared annotated data lives in ../shared/data beside the repository; PAPERKG_DATA overrides it.
DEFAULT_DATA_DIR = Path(
    os.environ.get("PAPERKG_DATA", Path(__file__).resolve().parents[3] / "shared" / "data")
)
# learned from the seed papers' train split (`build_lexicons`); its terms are taught as non-entities
GENERIC_TERMS = "lexicons/generic.jsonl"
HOLDOUT_SEED = 13
HOLDOUT_FRACTION = 0.2


@dataclass(frozen=True)
class CorpusScheme:
    """How one corpus's labels map onto the NER labels, and what it cannot have annotated."""

    name: str  # file stem in the data dir
    score_name: str  # corpus name in score.py
    labels: dict[str, str]  # corpus label -> NER label
    ignored: frozenset[str] = frozenset()  # corpus labels whose regions are unknown to us
    lacks: frozenset[str] = frozenset()  # NER labels the corpus never annotates
    layer: str | None = None  # keep only spans of this layer (spans without a layer are kept)


SCHEMES: dict[str, CorpusScheme] = {
    s.name: s
    for s in (
        CorpusScheme(
            "scier",
            "scier",
            {"Method": COARSE_LABEL, "Dataset": "DATASET", "Task": "TASK"},
            lacks=frozenset({"METRIC"}),
        ),
        CorpusScheme(
            "gsap_ner",
            "gsap",
            {
                "MLModel": COARSE_LABEL,
                "Method": COARSE_LABEL,
                "ModelArchitecture": COARSE_LABEL,
                "Dataset": "DATASET",
                "Task": "TASK",
            },
            ignored=frozenset({"Datasource", "URL", "ReferenceLink"}),
            lacks=frozenset({"METRIC"}),
            layer="flat_base",
        ),
        CorpusScheme(
            "scierc",
            "scierc",
            {"Method": COARSE_LABEL, "Task": "TASK", "Metric": "METRIC"},
            ignored=frozenset({"Material", "OtherScientificTerm", "Generic"}),
            lacks=frozenset({"DATASET"}),
        ),
        CorpusScheme(
            "tdmsci",
            "tdmsci",
            {"DATASET": "DATASET", "TASK": "TASK", "METRIC": "METRIC"},
            lacks=frozenset({COARSE_LABEL}),
        ),
        # the seed papers, annotated to ENTITY_TYPES.md itself: every label, and generic terms left as "O"
        CorpusScheme(
            "seed_papers",
            "seeds",
            {
                "MODEL": COARSE_LABEL,
                "METHOD": COARSE_LABEL,
                "DATASET": "DATASET",
                "BENCHMARK": "DATASET",
                "TASK": "TASK",
                "METRIC": "METRIC",
            },
        ),
    )
}


@dataclass
class ConversionStats:
    """Counts per corpus: gold spans kept, lost in alignment, dropped as overlapping, tokens set missing."""

    spans: Counter = field(default_factory=Counter)
    aligned: Counter = field(default_factory=Counter)
    misaligned: Counter = field(default_factory=Counter)
    overlapping: Counter = field(default_factory=Counter)
    missing_tokens: Counter = field(default_factory=Counter)
    lexicon_missing_spans: Counter = field(default_factory=Counter)
    generic: Counter = field(default_factory=Counter)
    tokens: Counter = field(default_factory=Counter)
    docs: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {k: dict(v) for k, v in self.__dict__.items()}


def read_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    """Records of a JSONL file, at most `limit`."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.append(json.loads(line))
                if limit is not None and len(out) >= limit:
                    break
    return out


def corpus_of(path: Path | str) -> str:
    """Scheme name from a file name: `.../gsap_ner.jsonl` → `gsap_ner`, `tdmsci_holdout.jsonl` → `tdmsci`."""
    stem = Path(path).name.split(".")[0].lower()
    for name in sorted(SCHEMES, key=len, reverse=True):
        if stem.startswith((name, SCHEMES[name].score_name)):
            return name
    raise ValueError(
        f"can't tell the corpus of {path}; expected a name starting with one of {sorted(SCHEMES)}"
    )


def split_holdout(
    records: list[dict], fraction: float = HOLDOUT_FRACTION, seed: int = HOLDOUT_SEED
) -> tuple[list[dict], list[dict]]:
    """(train, held-out): a fixed-seed random `fraction` of records held out (TDMSci has no dev split)."""
    order = sorted(range(len(records)), key=lambda i: records[i]["id"])
    random.Random(seed).shuffle(order)
    n_held = round(len(records) * fraction)
    held = set(order[:n_held])
    return [r for i, r in enumerate(records) if i not in held], [
        r for i, r in enumerate(records) if i in held
    ]


def gold_spans(
    record: dict, scheme: CorpusScheme
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """(labelled spans as (start, end, NER label), ignored regions as (start, end)) of one record."""
    labelled, ignored = [], []
    for s in record["spans"]:
        if scheme.layer and s.get("layer", scheme.layer) != scheme.layer:
            continue
        if s["label"] in scheme.labels:
            labelled.append((s["start"], s["end"], scheme.labels[s["label"]]))
        elif s["label"] in scheme.ignored:
            ignored.append((s["start"], s["end"]))
    return sorted(labelled), sorted(ignored)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[\"'])|\n+")


def sentence_chunks(
    text: str, spans: Iterable[tuple[int, int]], max_chars: int = 600
) -> list[tuple[int, int]]:
    """Character ranges that cut `text` at sentence ends (never inside a span), packed up to `max_chars`.

    >>> sentence_chunks("A b. C d. E f.", [], max_chars=6)
    [(0, 4), (5, 9), (10, 14)]
    """
    inside = [(s, e) for s, e in spans]
    cuts = []
    for m in _SENTENCE_END.finditer(text):
        if not any(s < m.start() < e or s < m.end() < e for s, e in inside):
            cuts.append((m.start(), m.end()))
    sentences, pos = [], 0
    for cut_start, cut_end in cuts:
        if cut_start > pos:
            sentences.append((pos, cut_start))
        pos = cut_end
    if pos < len(text):
        sentences.append((pos, len(text)))
    chunks: list[tuple[int, int]] = []
    for start, end in sentences:
        if chunks and end - chunks[-1][0] <= max_chars:
            chunks[-1] = (chunks[-1][0], end)
        else:
            chunks.append((start, end))
    return chunks


def _token_range(doc: Doc, start: int, end: int, mode: str) -> tuple[int, int] | None:
    span = doc.char_span(start, end, alignment_mode=mode)
    return (span.start, span.end) if span is not None and len(span) else None


def _runs(indices: Iterable[int]) -> Iterator[tuple[int, int]]:
    """Contiguous runs of sorted token indices as (start, end)."""
    run: list[int] = []
    for i in sorted(set(indices)):
        if run and i != run[-1] + 1:
            yield run[0], run[-1] + 1
            run = []
        run.append(i)
    if run:
        yield run[0], run[-1] + 1


def annotate_doc(
    doc: Doc,
    labelled: list[tuple[int, int, str]],
    ignored: list[tuple[int, int]],
    missing_candidates: Iterable[tuple[int, int]] = (),
    *,
    corpus: str = "",
    stats: ConversionStats | None = None,
    generic: frozenset[str] = frozenset(),
) -> Doc:
    """Set `doc.ents` from character spans; unknown tokens become missing, all others "O".

    A labelled span whose text is a `generic` term ("language models", "fine-tuning": the public corpora
    annotate such phrases, ENTITY_TYPES.md does not) is taught as "O".
    `labelled` and `ignored` are character offsets into `doc.text`; `missing_candidates` are token ranges that
    look like a label the corpus lacks. A labelled span whose edges don't fall on token boundaries, or that
    overlaps an earlier kept span, is not taught: its tokens are set missing and it is counted in `stats`.
    """
    stats = stats if stats is not None else ConversionStats()
    ents: list[Span] = []
    taken: set[int] = set()
    missing: set[int] = set()
    for start, end, label in labelled:
        stats.spans[corpus] += 1
        if normalized(doc.text[start:end]) in generic:
            stats.generic[corpus] += 1  # taught as "O": not an entity by ENTITY_TYPES.md
            continue
        rng = _token_range(doc, start, end, "strict")
        if rng is None:
            stats.misaligned[corpus] += 1
            wide = _token_range(doc, start, end, "expand")
            if wide:
                missing.update(range(*wide))
            continue
        if taken.intersection(range(*rng)):
            stats.overlapping[corpus] += 1
            missing.update(range(*rng))
            continue
        taken.update(range(*rng))
        ents.append(Span(doc, rng[0], rng[1], label=label))
        stats.aligned[corpus] += 1
    for start, end in ignored:
        wide = _token_range(doc, start, end, "expand")
        if wide:
            missing.update(range(*wide))
    for start, end in missing_candidates:
        if not taken.intersection(range(start, end)):
            stats.lexicon_missing_spans[corpus] += 1
            missing.update(range(start, end))
    # a token missing because an overlapping span was dropped also drops the kept span there
    clash = {i for i in missing if i in taken}
    if clash:
        dropped = [e for e in ents if clash.intersection(range(e.start, e.end))]
        ents = [e for e in ents if e not in dropped]
        missing.update(i for e in dropped for i in range(e.start, e.end))
        taken = {i for e in ents for i in range(e.start, e.end)}
    missing -= taken
    stats.missing_tokens[corpus] += len(missing)
    stats.tokens[corpus] += len(doc)
    doc.set_ents(ents, missing=[Span(doc, s, e) for s, e in _runs(missing)], default="outside")
    return doc


def _chunk_docs(
    nlp: Language, record: dict, scheme: CorpusScheme, max_chars: int
) -> Iterator[tuple[Doc, list, list]]:
    """(doc, labelled, ignored) per sentence chunk of a record, offsets shifted into the chunk."""
    labelled, ignored = gold_spans(record, scheme)
    text = record["text"]
    for c_start, c_end in sentence_chunks(text, [(s, e) for s, e, _ in labelled] + ignored, max_chars):
        chunk = text[c_start:c_end]
        lab = [(s - c_start, e - c_start, lbl) for s, e, lbl in labelled if c_start <= s and e <= c_end]
        ign = [
            (max(s, c_start) - c_start, min(e, c_end) - c_start)
            for s, e in ignored
            if s < c_end and c_start < e
        ]
        yield nlp.make_doc(chunk), lab, ign


def missing_lexicon(
    nlp: Language,
    docs_by_corpus: dict[str, list[tuple[Doc, list, list]]],
    *,
    min_count: int = 2,
    min_ratio: float = 0.5,
) -> dict[str, list[str]]:
    """Per NER label, the (lower-cased) strings the corpora that annotate it mark as that label.

    A string qualifies when annotated at least `min_count` times and in at least `min_ratio` of its occurrences
    in those corpora, so everyday words ("model", "training") that are only sometimes annotated stay out.
    """
    annotated: dict[str, Counter] = defaultdict(Counter)
    for items in docs_by_corpus.values():
        for doc, labelled, _ in items:
            for s, e, label in labelled:
                annotated[label][doc.text[s:e].lower()] += 1
    out: dict[str, list[str]] = {}
    for label, counts in sorted(annotated.items()):
        cands = sorted(t for t, n in counts.items() if n >= min_count and len(t) > 1)
        matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for t in cands:
            matcher.add(t, [nlp.make_doc(t)])
        seen: Counter = Counter()
        for corpus, items in docs_by_corpus.items():
            if label in SCHEMES[corpus].lacks:
                continue
            for doc, _, _ in items:
                for match_id, _, _ in matcher(doc):
                    seen[nlp.vocab.strings[match_id]] += 1
        out[label] = [t for t in cands if counts[t] / max(seen[t], counts[t]) >= min_ratio]
    return out


def make_tokenizer_nlp() -> Language:
    """A blank English pipeline with the production tokenizer (`paperkg.MLNameTokenizer.v1`)."""
    import spacy

    from paperkg.extract.tokenizer import create_ml_tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = create_ml_tokenizer(nlp)
    return nlp


def lexicon_matches(
    doc: Doc, matchers: dict[str, PhraseMatcher], lacks: Iterable[str]
) -> list[tuple[int, int]]:
    """Token ranges in `doc` that match the lexicon of a label the doc's corpus lacks."""
    out = []
    for label in lacks:
        if label in matchers:
            out.extend((s, e) for _, s, e in matchers[label](doc))
    return out


_NAME_LIKE = re.compile(r"^(?:[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*|[A-Za-z]+[0-9][A-Za-z0-9]*)$")


def name_shaped_tokens(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges that look like a coined name (BERT, LSTM, ResNet50, GPT-2): unannotated ones in a corpus
    without a Method label are probably methods or models, so they become missing rather than "O"."""
    from paperkg.extract.tokenizer import is_ml_name

    return [(t.i, t.i + 1) for t in doc if _NAME_LIKE.match(t.text) or is_ml_name(t.text)]


def build_matchers(nlp: Language, lexicon: dict[str, list[str]]) -> dict[str, PhraseMatcher]:
    matchers = {}
    for label, terms in lexicon.items():
        m = PhraseMatcher(nlp.vocab, attr="LOWER")
        m.add(label, [nlp.make_doc(t) for t in terms])
        matchers[label] = m
    return matchers


def convert_corpora(
    nlp: Language,
    records_by_corpus: dict[str, list[dict]],
    *,
    lexicon: dict[str, list[str]] | None = None,
    max_chars: int = 600,
    stats: ConversionStats | None = None,
    generic: frozenset[str] = frozenset(),
) -> tuple[list[Doc], dict[str, list[str]]]:
    """All records → annotated chunk docs. Builds the missing-label lexicon from these records unless given;
    spans that are `generic` terms are taught as "O" (`annotate_doc`)."""
    stats = stats if stats is not None else ConversionStats()
    chunked = {
        corpus: [item for r in records for item in _chunk_docs(nlp, r, SCHEMES[corpus], max_chars)]
        for corpus, records in records_by_corpus.items()
    }
    if lexicon is None:
        lexicon = missing_lexicon(nlp, chunked)
    matchers = build_matchers(nlp, lexicon)
    docs = []
    for corpus, items in chunked.items():
        scheme = SCHEMES[corpus]
        for doc, labelled, ignored in items:
            cands = lexicon_matches(doc, matchers, scheme.lacks)
            if COARSE_LABEL in scheme.lacks:
                cands += name_shaped_tokens(doc)
            docs.append(
                annotate_doc(doc, labelled, ignored, cands, corpus=corpus, stats=stats, generic=generic)
            )
            stats.docs[corpus] += 1
    return docs, lexicon


def load_splits(
    data_dir: Path = DEFAULT_DATA_DIR, limit: int | None = None
) -> dict[str, dict[str, list[dict]]]:
    """{"train": {corpus: records}, "dev": {...}, "holdout": {"tdmsci": ...}}; TDMSci's 20% held out."""
    splits: dict[str, dict[str, list[dict]]] = {"train": {}, "dev": {}, "holdout": {}}
    for name in SCHEMES:
        train_path = Path(data_dir) / "train" / f"{name}.jsonl"
        if train_path.exists():
            splits["train"][name] = read_jsonl(train_path, limit)
        dev_path = Path(data_dir) / "dev" / f"{name}.jsonl"
        if dev_path.exists():
            splits["dev"][name] = read_jsonl(dev_path, limit)
    if "tdmsci" in splits["train"] and "tdmsci" not in splits["dev"]:
        # TDMSci: split before `limit` would change which records are held out
        full = read_jsonl(Path(data_dir) / "train" / "tdmsci.jsonl")
        train, held = split_holdout(full)
        splits["train"]["tdmsci"] = train[:limit] if limit else train
        splits["holdout"]["tdmsci"] = held[:limit] if limit else held
    return splits


def write_training_data(
    out_dir: Path,
    data_dir: Path = DEFAULT_DATA_DIR,
    *,
    limit: int | None = None,
    max_chars: int = 600,
    repeat: dict[str, int] | None = None,
) -> dict:
    """Write `train.spacy`, `dev.spacy`, `tdmsci_holdout.jsonl`, `missing_lexicon.json`, `conversion.json`.

    `repeat` oversamples small corpora in the training set, e.g. `{"scierc": 3}` (default: each once)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp = make_tokenizer_nlp()
    splits = load_splits(data_dir, limit)
    train_stats, dev_stats = ConversionStats(), ConversionStats()
    generic = read_generic_terms(GENERIC_TERMS)
    train_docs, lexicon = convert_corpora(
        nlp, splits["train"], max_chars=max_chars, stats=train_stats, generic=generic
    )
    dev_docs, _ = convert_corpora(nlp, splits["dev"], lexicon=lexicon, max_chars=max_chars, stats=dev_stats)
    order = [c for c, n in train_stats.docs.items() for _ in range(n)]  # docs are grouped by corpus
    train_docs = [d for c, d in zip(order, train_docs, strict=True) for _ in range((repeat or {}).get(c, 1))]
    DocBin(docs=train_docs, store_user_data=False).to_disk(out_dir / "train.spacy")
    DocBin(docs=dev_docs, store_user_data=False).to_disk(out_dir / "dev.spacy")
    with open(out_dir / "tdmsci_holdout.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in splits["holdout"].get("tdmsci", []))
    (out_dir / "missing_lexicon.json").write_text(json.dumps(lexicon, indent=1))
    report = {"train": train_stats.as_dict(), "dev": dev_stats.as_dict()}
    (out_dir / "conversion.json").write_text(json.dumps(report, indent=1))
    return report
