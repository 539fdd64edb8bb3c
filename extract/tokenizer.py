"""A tokenizer that keeps ML names whole: GPT-4, LLaMA-2-70B, Qwen2.5-7B-Instruct, GSM8K, pass@1.

spaCy's English rules split on hyphens between letters and cut unit-like suffixes ("GSM8K" → "GSM8" "K").
Names of models and datasets are mostly one hyphenated or alphanumeric chunk, so a token that *looks like a
name* (see `is_ml_name`) is kept whole; everything else follows spaCy's English rules. Generic compounds stay
split ("state-of-the-art", "Low-Rank", "BERT-based"), so their parts remain separately addressable.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_suffix_regex, registry

# Lower-case tails that turn a name into a modifier ("BERT-based"): the hyphen is split there.
MODIFIER_TAILS = frozenset(
    [
        "based",
        "like",
        "style",
        "specific",
        "level",
        "free",
        "aware",
        "driven",
        "guided",
        "augmented",
        "enhanced",
        "powered",
        "only",
        "centric",
        "oriented",
        "agnostic",
        "conditioned",
        "generated",
        "derived",
        "trained",
        "tuned",
        "sized",
        "scale",
    ]
)
_PART = r"[A-Za-z0-9]+(?:\.[0-9]+)*"
_NAME_SHAPE = re.compile(rf"^{_PART}(?:-{_PART})*$")
_AT_METRIC = re.compile(r"^[A-Za-z]+@[0-9]+$")  # pass@1, Recall@10, Hits@k-style metrics
_UPPER = re.compile(r"[A-Z]")
_DIGIT = re.compile(r"[0-9]")


@lru_cache(maxsize=1 << 16)  # the tokenizer, the typer and the relation features ask about the same words
def is_ml_name(text: str) -> bool:
    """True for a chunk that names a model, dataset or metric and must stay one token.

    >>> [is_ml_name(t) for t in ("GPT-3.5-turbo", "BERT-base", "GSM8K", "BERT-based", "Low-Rank", "2018")]
    [True, True, True, False, False, False]
    """
    if _AT_METRIC.match(text):
        return True
    if not _NAME_SHAPE.match(text) or not _UPPER.search(text):
        return False
    parts = text.split("-")
    if parts[-1] in MODIFIER_TAILS:
        return False
    head = parts[0]
    head_is_name = len(_UPPER.findall(head)) >= 2 or (_DIGIT.search(head) and not head.isdigit())
    tail_has_digit = any(_DIGIT.search(p) for p in parts[1:])
    if len(parts) == 1:
        return bool(_DIGIT.search(head)) and not head.isdigit() and not head.replace(".", "").isdigit()
    return bool(head_is_name or (head[:1].isupper() and tail_has_digit))


def _ml_name_match(text: str) -> re.Match | None:
    """`token_match` hook: a match object when `text` is an ML name, else spaCy's default."""
    return re.match(r".+", text) if is_ml_name(text) else None


def create_ml_tokenizer(nlp: Language) -> Tokenizer:
    """spaCy's English tokenizer with `is_ml_name` chunks kept whole."""
    tokenizer = registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)
    default_match = tokenizer.token_match
    # spaCy splits a final "." only after lower-case letters, digits or two capitals, so "GSM8K.", "PaLI-X." and
    # "Qwen-SFT-MoI." kept it (a capital and a full stop read as an initial)
    suffixes = [*nlp.Defaults.suffixes, r"(?<=[0-9][A-Z])\.", r"(?<=-[A-Z])\.", r"(?<=[a-z][A-Z])\."]
    tokenizer.suffix_search = compile_suffix_regex(suffixes).search

    def token_match(text: str):
        return _ml_name_match(text) or (default_match(text) if default_match else None)

    tokenizer.token_match = token_match
    return tokenizer


@registry.tokenizers("paperkg.MLNameTokenizer.v1")
def ml_name_tokenizer():
    """Config hook: `[nlp.tokenizer] @tokenizers = "paperkg.MLNameTokenizer.v1"`."""
    return create_ml_tokenizer
