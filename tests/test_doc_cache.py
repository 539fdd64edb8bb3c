"""Per-doc values computed once: always those of the doc asked about, as it is now."""

from __future__ import annotations

import spacy

from paperkg.extract import doc_cache
from paperkg.extract.doc_cache import doc_lowers, doc_text


def test_each_doc_gets_its_own_text_and_words_even_past_the_remembered_few():
    nlp = spacy.blank("en")
    docs = [nlp(f"We fine-tune GPT-{i} on SQuAD.") for i in range(doc_cache.RECENT_DOCS + 20)]
    for _ in range(2):  # the second pass reads remembered docs and recomputes forgotten ones
        for doc in docs:
            assert doc_text(doc) == doc.text
            assert doc_lowers(doc) == [t.lower_ for t in doc]


def test_a_retokenized_doc_is_read_again():
    doc = spacy.blank("en")("Low Rank Adaptation works.")
    assert doc_lowers(doc) == ["low", "rank", "adaptation", "works", "."]
    with doc.retokenize() as retokenizer:
        retokenizer.merge(doc[0:3])
    assert doc_lowers(doc) == ["low rank adaptation", "works", "."]
