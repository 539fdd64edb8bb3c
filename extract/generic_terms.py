"""Generic terms are not entities: "LLMs", "fine-tuning", "pre-training", "language models" (ENTITY_TYPES.md's
"not" column).

The list is learned, not written by hand: `derive_generic_terms` reads the seed papers' *train* split, annotated to
ENTITY_TYPES.md itself, and keeps every phrase that occurs there often but is almost never annotated as an entity
(`lexicons/generic.jsonl`, built by `python -m paperkg.extract.build_lexicons`). The `paperkg_generic_filter`
component runs last: it trims a mention to its name (no leading determiner, no trailing possessive or
"-based") and drops the
mentions whose text is on that list, whichever component proposed them (the trained recognizer, a lexicon, a rule).
It also drops a dataset or benchmark that is only a quantity ("100B", "1M", "4TB": raw numbers, not names);
a model may be named so (the "4M" model), so models keep theirs. And it drops a phrase that names a class of
things, not one: a plural generic head ("pretraining techniques", "similarity-based approaches", "discriminative
tasks"), unless the paper defines it as a name (the long form of an acronym, "Knowledge-intensive language tasks
(KILT)") or it carries a name before a colon ("AlgoPerf: Training Algorithms"); and a lower-case kind of
model ("vision-language models") with the acronym a paper defines for it ("VLMs").
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from paperkg.extract.abbreviation import USER_DATA_KEY as ABBREVIATIONS_KEY
from paperkg.extract.relations import DATA_LABELS

DATA_DIR = Path(__file__).parent
LEADING_WORDS = frozenset({"the", "a", "an", "our", "its", "their", "this", "these", "those"})
TRAILING_WORDS = frozenset({"'s", "’s", "'", "’"})
# a name does not end in a function word: "Reducing Task Discrepancy of [text encoders …]", "rule-based or"
DANGLING_WORDS = frozenset({"of", "for", "and", "or", "with", "to", "in", "on", "by", "from", "as"})
# "100B", "1M", "4TB", "2.5x": a number with at most a scale or unit letter or two
QUANTITY = re.compile(r"[~≈]?\d+(?:[.,]\d+)*\s*(?:[a-zA-Z]{1,2}|%)?")
CLASS_OF_MODELS = re.compile(r"(?:language|foundation|pre-?trained) models$")
PLURAL_ACRONYM = re.compile(r"^[A-Z][A-Za-z\-]*[A-Z]s$")  # "VLMs", "PTMs", "MLLMs"
PROPOSING_WORDS = frozenset({"propose", "proposes", "introduce", "introduces", "present", "presents"})
# a phrase ending in one of these names a class of things ("statistical methods"), ENTITY_TYPES.md's vague phrases
CLASS_HEADS = frozenset(
    {
        "methods", "techniques", "approaches", "strategies", "algorithms", "frameworks", "paradigms", "schemes",
        "procedures", "pipelines", "mechanisms", "architectures", "tasks",
    }
)  # fmt: skip
# in lower case these head no annotated span of the seed train split, though each heads 4-42 phrases there
# ("sentence representations", "prompt vectors"); capitalised they may name something ("Word-Class Embeddings")
LOWER_CASE_CLASS_HEADS = frozenset(
    {
        "representations", "embeddings", "vectors", "objectives", "tools", "concepts", "weights", "scenarios",
        "labels", "evaluations", "encoders", "decoders",
    }
)  # fmt: skip
# "traditional supervised learning", "pretrained transformers": in lower case, not part of a name
LEADING_MODIFIERS = frozenset(
    {
        "traditional", "conventional", "standard", "existing", "classical", "classic", "typical", "popular",
        "recent", "various", "several", "different", "modern", "current", "pretrained", "simple", "strong",
        "original", "proposed",
    }
)  # fmt: skip
# "SBERT-based", "BERT-style": the name is what comes before the hyphen
HYPHEN_SUFFIXES = frozenset({"based", "style", "like", "powered", "driven"})
# LaTeX arrows whose backslash the page dropped: "StrategyQA 58.9 rightarrow 61.7" reports a score, it names nothing
ARROW_WORDS = frozenset({"rightarrow", "leftarrow", "longrightarrow", "->", "→"})
DECIMAL = re.compile(r"\d+\.\d+")
# a version written after a name is part of it ("Natural Instructions V2", "P-tuning v2"; "ERNIE 3.0" for a model
# or method, not a score: "GPT-4 85.2")
VERSION_TAG = re.compile(r"[vV]\d+(?:\.\d+)*")
VERSION_NUMBER = re.compile(r"[1-9]\.\d")
NOT_A_VERSION_AFTER = ARROW_WORDS | frozenset({"%", "points", "point", "pp", "x", "×", "times", "to", "vs"})
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")


def normalized(text: str) -> str:
    """The form generic terms are compared in: lower case, runs of white space as one space, no hyphen inside a
    word ("fine-tuning" and "finetuning" are one term, with one verdict)."""
    return " ".join(_INNER_HYPHEN.sub("", text.lower()).split())


def derive_generic_terms(
    records: Iterable[dict],
    nlp: Language,
    *,
    min_occurrences: int = 3,
    max_annotated_ratio: float = 0.1,
    max_tokens: int = 5,
) -> list[dict]:
    """Phrases of up to `max_tokens` words (a hyphen is no word) that occur at least `min_occurrences` times in
    the annotated `records` (`{"text", "spans"}`) and are an annotated span (any label) in at most
    `max_annotated_ratio` of those occurrences, all spellings of one `normalized` form together; one
    `{"text", "occurrences", "annotated"}` row each, `text` its most common spelling (lower case), most frequent
    first."""
    occurrences: Counter = Counter()
    annotated: Counter = Counter()
    spellings: dict[str, Counter] = defaultdict(Counter)
    for record in records:
        doc = nlp.make_doc(record["text"])
        gold = {(s["start"], s["end"]) for s in record["spans"]}
        for i in range(len(doc)):
            words = 0
            for end in range(i + 1, len(doc) + 1):
                token = doc[end - 1]
                if token.is_space or "\n" in token.text:
                    break
                words += token.text != "-"  # "state-of-the-art" is four words, not seven tokens
                if words > max_tokens:
                    break
                span = doc[i:end]
                key = normalized(span.text)
                occurrences[key] += 1
                spellings[key][" ".join(span.text.lower().split())] += 1
                annotated[key] += (span.start_char, span.end_char) in gold
    rows = [
        {"text": spellings[key].most_common(1)[0][0], "occurrences": n, "annotated": annotated[key]}
        for key, n in occurrences.items()
        if n >= min_occurrences
        and annotated[key] / n <= max_annotated_ratio
        and any(c.isalpha() for c in key)
    ]
    return sorted(rows, key=lambda r: (-r["occurrences"], r["text"]))


def read_generic_terms(path: str | Path) -> frozenset[str]:
    """The `normalized` `text` of each row of a generic-terms JSONL file (relative paths: the `extract/` package
    dir)."""
    full = Path(path) if Path(path).is_absolute() else DATA_DIR / path
    with open(full, encoding="utf-8") as f:
        return frozenset(normalized(json.loads(line)["text"]) for line in f if line.strip())


def name_bounds(span: Span) -> tuple[int, int]:
    """Token bounds of `span`, the minimal span of ENTITY_TYPES.md, without:
    - a leading determiner or possessive pronoun (a word of its own: "A-MTRL" keeps its A), a trailing "'s" or
      lower-case function word ("of", "and");
    - a trailing "-based" / "-style" ("SBERT-based" names SBERT);
    - a leading lower-case modifier ("traditional supervised learning" names supervised learning); capitalised
      mid-sentence, it may be part of a name ("Standard Model"), and is kept;
    - a bracket the span does not close or open ("Many-to-one (N → 1" names Many-to-one);
    - a score that runs on into an arrow ("ARC-DA 31.6 rightarrow" names ARC-DA).
    Trailing generic heads ("the X framework") are kept: dropping them measured +0.003 on the seed papers and
    -0.047 on SciERC, -0.012 on TDMSci, which keep them."""
    doc, start, end = span.doc, span.start, span.end
    while start < end and doc[start].lower_ in LEADING_WORDS and doc[start].whitespace_:
        start += 1  # "A-MTRL" is a name, not "a" and MTRL
    while end > start and (doc[end - 1].lower_ in TRAILING_WORDS or doc[end - 1].text in DANGLING_WORDS):
        end -= 1
    first = doc[start]
    if end - start > 1 and (first.text if not first.is_sent_start else first.lower_) in LEADING_MODIFIERS:
        start += 1
    if end - start > 2 and doc[end - 1].lower_ in HYPHEN_SUFFIXES and doc[end - 2].text == "-":
        end -= 2
    start, end = _balanced(doc, start, end)
    return start, _before_a_score(doc, start, end)


def has_version_after(doc: Doc, start: int, end: int, label: str) -> bool:
    """Token `end` is a version of the name `start:end`, written apart: "V2", "v1.1"; after a capitalised model or
    method name also "3.0" (one digit each side of the dot, not 0.x: "weight decay 0.0" is a setting), unless a
    unit or an arrow makes it a score."""
    if end >= len(doc) or doc[end - 1].whitespace_ == "":
        return False
    token = doc[end].text
    if VERSION_TAG.fullmatch(token):
        return True
    after = doc[end + 1].lower_ if end + 1 < len(doc) else ""
    return (
        label in {"MODEL", "METHOD"}
        and doc[start].text[:1].isupper()
        and bool(VERSION_NUMBER.fullmatch(token))
        and after not in NOT_A_VERSION_AFTER
    )


def _balanced(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Bounds without a bracket token the span does not close or open: "Many-to-one (N → 1" names Many-to-one,
    "Common Crawl-sourced)" names Common Crawl-sourced; brackets inside a token ("P(True)") count too."""
    opened: list[int] = []
    for i in range(start, end):
        for char in doc[i].text:
            if char == "(":
                opened.append(i)
            elif char == ")" and opened:
                opened.pop()
            elif char == ")" and doc[i].text == ")" and i == end - 1:
                return start, end - 1
    if opened and doc[opened[0]].text == "(":
        return (start + 1, end) if opened[0] == start else (start, opened[0])
    return start, end


def _before_a_score(doc: Doc, start: int, end: int) -> int:
    """The end of a name that runs on into "58.9 rightarrow 61.7": before the number that the arrow follows."""
    arrow = next((i for i in range(start + 1, end) if doc[i].lower_ in ARROW_WORDS), None)
    if arrow is None or not DECIMAL.fullmatch(doc[arrow - 1].text):
        return end
    end = arrow - 1
    while end > start + 1 and DECIMAL.fullmatch(doc[end - 1].text):
        end -= 1
    return end


def keep_entity(
    span: Span, generic: frozenset[str], defined: frozenset[tuple[int, int]] = frozenset()
) -> bool:
    """Not a generic term, not a dataset or benchmark that is only a quantity, and not a class of things;
    `defined`: token bounds of the doc's acronym long forms, which are names whatever their head."""
    text = normalized(span.text)
    if text in generic or (span.label_ in DATA_LABELS and QUANTITY.fullmatch(text)):
        return False
    return not names_a_class(span) or (span.start, span.end) in defined


def names_a_class(span: Span) -> bool:
    """A phrase with a plural generic head ("pretraining techniques", in lower case "sentence representations")
    and no name before a colon."""
    head = span[-1].lower_
    if head in LOWER_CASE_CLASS_HEADS:
        return all(t.is_lower for t in span if t.is_alpha)
    return head in CLASS_HEADS and ":" not in span.text


def names_a_class_of_models(span: Span) -> bool:
    """A lower-case phrase for a kind of model, "vision-language models", "large foundation models" (ENTITY_TYPES.md:
    "large language models" is no MODEL); capitalised mid-sentence it is a name ("Tabular Foundation Models")."""
    words = [t for t in span if t.is_alpha and not (t.i == span.start and t.is_sent_start)]
    return bool(CLASS_OF_MODELS.search(normalized(span.text))) and all(t.is_lower for t in words)


def plural_class_of_models(short: Span, long: Span) -> bool:
    """A capitalised kind of model defined with a plural acronym, "Vision-Language Models (VLMs)", "Pre-trained
    Models (PTMs)": in the seed papers' train split no such pair is annotated except one the paper proposes
    ("we propose Tabular Foundation Models (TabFMs)"), so unless the paper proposes it, it is a class."""
    if not (PLURAL_ACRONYM.match(short.text) and CLASS_OF_MODELS.search(normalized(long.text))):
        return False
    before = long.doc[max(long.start - 4, 0) : long.start]
    return not any(t.lower_ in PROPOSING_WORDS for t in before)


class GenericFilter:
    """Trims each entity to its name (with a version written after it) and drops those that are generic terms."""

    def __init__(self, generic: frozenset[str]):
        self.generic = generic

    def __call__(self, doc: Doc) -> Doc:
        pairs = doc.user_data.get(ABBREVIATIONS_KEY, ())
        defined = frozenset((row[2], row[3]) for row in pairs)
        # an acronym means what its definition says: "vision-language models (VLMs)" a kind of model, "reward
        # model (RM)" a generic term; "Vision-Language Models (VLMs)" a class with its long form too
        unnamed = set()
        for row in pairs:
            short, long = doc[row[0] : row[1]], doc[row[2] : row[3]]
            if names_a_class_of_models(long) or normalized(long.text) in self.generic:
                unnamed.add(short.text)
            elif plural_class_of_models(short, long):
                unnamed |= {short.text, long.text}
        ents = []
        starts = {ent.start for ent in doc.ents}
        for ent in doc.ents:
            if ent.text in unnamed or names_a_class_of_models(ent):
                continue
            start, end = name_bounds(ent)
            if start == end:
                continue
            untrimmed_end = end == ent.end
            if (start, end) != (ent.start, ent.end):
                named_by_text = ent.id_ == " ".join(ent.text.split())
                text = " ".join(doc[start:end].text.split())
                ent = Span(doc, start, end, label=ent.label_, span_id=text if named_by_text else ent.id_)
            if untrimmed_end and end not in starts and has_version_after(doc, start, end, ent.label_):
                name = f"{ent.id_ or ent.text} {doc[end].text}"
                ent = Span(doc, start, end + 1, label=ent.label_, span_id=name)
            if keep_entity(ent, self.generic, defined):
                ents.append(ent)
        doc.ents = ents
        return doc


@Language.factory("paperkg_generic_filter", default_config={"terms": "lexicons/generic.jsonl"})
def make_generic_filter(nlp: Language, name: str, terms: str) -> GenericFilter:
    """Drop generic terms (the learned list in `terms`) from `doc.ents`, after trimming each to its name."""
    return GenericFilter(read_generic_terms(terms))
