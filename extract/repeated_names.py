"""A name found once in a paper is found wherever the paper writes it again.

The recognizer decides mention by mention, so a paper's own model can be found in one sentence and missed in the
next four ("We introduce Bonito, ..." then "Bonito improves ..."). The `paperkg_repeated_names` component adds
each further occurrence (the same tokens, not inside another entity) of a name the paper already has, with that
mention's label and canonical name. Only names with a capital letter or a digit are repeated: a lower-case
phrase ("contrastive learning") can be a plain phrase elsewhere in the text.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span


def is_name_like(text: str) -> bool:
    """A capital letter or a digit, and two characters or more: "Bonito", "T5", "GPT-4"."""
    return len(text) >= 2 and any(c.isupper() or c.isdigit() for c in text)


def repeated_mentions(doc: Doc) -> list[Span]:
    """Spans for the further occurrences of the doc's name-like entities that no entity covers yet."""
    names: dict[tuple[str, ...], Span] = {}
    for ent in doc.ents:
        if is_name_like(ent.text):
            names.setdefault(tuple(t.text for t in ent), ent)
    if not names:
        return []
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for words in sorted(names, key=len, reverse=True):  # longest first where names share a first word
        by_first.setdefault(words[0], []).append(words)
    covered = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    found: list[Span] = []
    next_free = 0  # tokens before it belong to a mention found here
    for i, token in enumerate(doc):
        if i < next_free:
            continue
        for words in by_first.get(token.text, ()):
            end = i + len(words)
            if (
                tuple(t.text for t in doc[i:end]) == words
                and covered.isdisjoint(range(i, end))
                and _whole_word(doc, i, end)
            ):
                first = names[words]
                found.append(Span(doc, i, end, label=first.label_, span_id=first.id_))
                next_free = end
                break
    return found


def _whole_word(doc: Doc, start: int, end: int) -> bool:
    """Not glued to a neighbouring word by a hyphen ("Bonito-style" is another word)."""
    before = doc[start - 1] if start > 0 else None
    after = doc[end] if end < len(doc) else None
    glued_before = before is not None and not before.whitespace_ and before.text == "-"
    glued_after = after is not None and not doc[end - 1].whitespace_ and after.text == "-"
    return not (glued_before or glued_after)


class RepeatedNames:
    """Adds the further occurrences of the paper's names to `doc.ents`."""

    def __call__(self, doc: Doc) -> Doc:
        if added := repeated_mentions(doc):
            doc.ents = sorted([*doc.ents, *added])
        return doc


@Language.factory("paperkg_repeated_names")
def make_repeated_names(nlp: Language, name: str) -> RepeatedNames:
    """Find a paper's names wherever it writes them (see `paperkg.extract.repeated_names`)."""
    return RepeatedNames()
