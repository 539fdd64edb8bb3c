"""A name found once in a paper is found wherever the paper writes it (extract/repeated_names.py)."""

from __future__ import annotations

from spacy.tokens import Span

import paperkg
from paperkg.extract.repeated_names import RepeatedNames, is_name_like
from paperkg.extract.training.corpus import make_tokenizer_nlp

NLP = make_tokenizer_nlp()


def test_every_further_occurrence_of_a_name_gets_its_label_and_canonical_name():
    doc = NLP.make_doc(
        "We introduce Bonito . Bonito beats Bonito-style tuning and contrastive learning ; Bonito wins ."
    )
    assert [t.text for t in doc][:5] == ["We", "introduce", "Bonito", ".", "Bonito"]
    doc.ents = [Span(doc, 2, 3, label="MODEL", span_id="Bonito"), Span(doc, 11, 13, label="METHOD")]
    assert doc[11:13].text == "contrastive learning"
    doc = RepeatedNames()(doc)
    bonitos = [(e.start, e.label_, e.id_) for e in doc.ents if e.text == "Bonito"]
    assert bonitos == [
        (2, "MODEL", "Bonito"),
        (4, "MODEL", "Bonito"),
        (14, "MODEL", "Bonito"),
    ]  # not Bonito-style


def test_only_names_with_a_capital_or_a_digit_repeat():
    assert is_name_like("Bonito") and is_name_like("t5") and is_name_like("GPT-4")
    assert not is_name_like("contrastive learning") and not is_name_like("a")
    doc = NLP.make_doc("contrastive learning helps ; contrastive learning is a phrase .")
    doc.ents = [Span(doc, 0, 2, label="METHOD")]
    assert len(RepeatedNames()(doc).ents) == 1


def test_the_pipeline_finds_a_papers_model_in_every_sentence():
    nlp = paperkg.load()
    doc = nlp(
        "We introduce Zorblax, an open-source model for task generation. Zorblax improves zero-shot accuracy."
    )
    assert [(e.text, e.label_) for e in doc.ents if e.text == "Zorblax"] == [("Zorblax", "MODEL")] * 2
