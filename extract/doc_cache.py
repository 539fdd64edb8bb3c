"""Values of a processed doc that several components read, computed once per doc instead of once per reader.

spaCy's `doc.text` joins the text from a new `Token` object per token on every call, and reading `doc[i].lower_`
builds a `Token` each time; over a build that was ~10% of the pipeline (`benchmarks/profile_pipeline.py`).
The few most recent docs are remembered by identity (a doc is only ever read here, never changed, after the
tokenizer: no component of the pipeline retokenizes), so a value is never served for another doc.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from spacy.tokens import Doc

T = TypeVar("T")
RECENT_DOCS = 128  # more than a batch of `nlp.pipe`, so a value survives from one component to the next


def once_per_doc(compute: Callable[[Doc], T]) -> Callable[[Doc], T]:
    """`compute(doc)`, remembered for the `RECENT_DOCS` most recent docs (by identity and token count)."""
    recent: OrderedDict[int, tuple[Doc, int, T]] = OrderedDict()

    def cached(doc: Doc) -> T:
        hit = recent.get(id(doc))
        if hit is not None and hit[0] is doc and hit[1] == len(doc):
            return hit[2]
        value = compute(doc)
        recent[id(doc)] = (doc, len(doc), value)
        if len(recent) > RECENT_DOCS:
            recent.popitem(last=False)
        return value

    cached.__doc__ = compute.__doc__
    cached.__name__ = compute.__name__
    return cached


@once_per_doc
def doc_text(doc: Doc) -> str:
    """`doc.text`."""
    return doc.text


@once_per_doc
def doc_lowers(doc: Doc) -> list[str]:
    """`[token.lower_ for token in doc]`."""
    return [token.lower_ for token in doc]
