"""Plain data out of a processed `Doc`: entity dicts and schema `Mention`s."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from paperkg.extract import span_overlaps  # noqa: F401  (registers span._.canonical)
from paperkg.extract.doc_cache import doc_text
from paperkg.extract.sentences import sentence_bounds, sentence_spans
from paperkg.graph.schema import EntityType, Mention, Paper, entity_id_for


def entities_of(doc: Doc) -> list[dict]:
    """`{"start", "end", "label", "text", "canonical"}` for each entity; offsets are characters of `doc.text`."""
    return [
        {
            "start": e.start_char,
            "end": e.end_char,
            "label": e.label_,
            "text": e.text,
            "canonical": e._.canonical,
        }
        for e in doc.ents
    ]


def entity_id_of(ent: Span) -> str:
    """The graph id of the entity an entity span names: its type and canonical name."""
    return entity_id_for(EntityType.from_label(ent.label_), ent._.canonical)


def mentions_of(paper: Paper, doc: Doc) -> list[Mention]:
    """The schema mentions of `doc`, the processed `paper.text`, with field and sentence of each."""
    text = doc_text(doc)
    if text != paper.text:
        raise ValueError(f"doc text is not the text of paper {paper.id!r}")
    sentences = sentence_spans(doc) if doc.has_annotation("SENT_START") else None
    mentions = []
    for ent in doc.ents:
        if sentences is None:
            sentence = ""
        else:
            start, end = sentence_bounds(ent, sentences)
            sentence = text[start:end].strip()
        mentions.append(
            Mention(
                paper_id=paper.id,
                entity_id=entity_id_of(ent),
                type=EntityType.from_label(ent.label_),
                canonical=ent._.canonical,
                text=ent.text,
                start=ent.start_char,
                end=ent.end_char,
                field=paper.field_of(ent.start_char),
                sentence=sentence,
            )
        )
    return mentions
