"""A small synthetic knowledge graph with known answers, written into a NetworkXStore.

Papers are plain text with the entity spellings in it; mentions (with offsets and sentences) are found by
searching the text, then assembled exactly as the build does (`assemble_paper_graph`).
"""

from __future__ import annotations

import itertools
import re

from paperkg.graph.assemble import assemble_paper_graph
from paperkg.graph.networkx_store import NetworkXStore
from paperkg.graph.schema import (
    EntityType,
    Evidence,
    Mention,
    Paper,
    PaperGraph,
    Relation,
    RelationType,
    entity_id_for,
)

M, ME, D, B, T, X = (
    EntityType.MODEL,
    EntityType.METHOD,
    EntityType.DATASET,
    EntityType.BENCHMARK,
    EntityType.TASK,
    EntityType.METRIC,
)
P, E, C, U = (
    RelationType.PROPOSES,
    RelationType.EVALUATES_ON,
    RelationType.COMPARES_WITH,
    RelationType.USES,
)

# (id, date, title, abstract, [(surface, canonical, type)], [(relation, canonical, type)])
PAPERS = [
    (
        "2303.08774",
        "2023-03-15",
        "GPT-4 Technical Report",
        "We report GPT-4, evaluated on MMLU, HumanEval and GSM8K. GPT4 outperforms GPT-3.5 in accuracy.",
        [
            ("GPT-4", "GPT-4", M),
            ("GPT4", "GPT-4", M),
            ("MMLU", "MMLU", B),
            ("HumanEval", "HumanEval", B),
            ("GSM8K", "GSM8K", B),
            ("GPT-3.5", "GPT-3.5", M),
            ("accuracy", "accuracy", X),
        ],
        [(P, "GPT-4", M), (E, "MMLU", B), (E, "HumanEval", B), (E, "GSM8K", B), (C, "GPT-3.5", M)],
    ),
    (
        "2307.09288",
        "2023-07-18",
        "Llama 2: Open Foundation and Fine-Tuned Chat Models",
        "We release LLaMA-2, trained on C4. On MMLU and GSM8K it is compared with GPT-4 and GPT-3.5.",
        [
            ("Llama 2", "LLaMA-2", M),
            ("LLaMA-2", "LLaMA-2", M),
            ("C4", "C4", D),
            ("MMLU", "MMLU", B),
            ("GSM8K", "GSM8K", B),
            ("GPT-4", "GPT-4", M),
            ("GPT-3.5", "GPT-3.5", M),
        ],
        [
            (P, "LLaMA-2", M),
            (U, "C4", D),
            (E, "MMLU", B),
            (E, "GSM8K", B),
            (C, "GPT-4", M),
            (C, "GPT-3.5", M),
        ],
    ),
    (
        "2309.00001",
        "2023-09-01",
        "Low-rank adaptation of LLaMA-2-7B for math",
        "We apply LoRA to LLaMA-2-7B and evaluate on GSM8K against gpt 4 and GPT-3.5.",
        [
            ("LLaMA-2-7B", "LLaMA-2-7B", M),
            ("LoRA", "LoRA", ME),
            ("GSM8K", "GSM8K", B),
            ("gpt 4", "GPT-4", M),
            ("GPT-3.5", "GPT-3.5", M),
        ],
        [(U, "LoRA", ME), (U, "LLaMA-2-7B", M), (E, "GSM8K", B), (C, "GPT-3.5", M)],
    ),
    (
        "2401.01234",
        "2024-01-10",
        "Chain-of-thought for code generation",
        "We study chain-of-thought prompting for code generation on HumanEval, measured by pass@1. We compare with GPT-4.",
        [
            ("chain-of-thought prompting", "chain-of-thought prompting", ME),
            ("code generation", "code generation", T),
            ("HumanEval", "HumanEval", B),
            ("pass@1", "pass@1", X),
            ("GPT-4", "GPT-4", M),
        ],
        [(U, "chain-of-thought prompting", ME), (E, "HumanEval", B), (C, "GPT-4", M)],
    ),
    (
        "t-bert-revisited",
        None,
        "BERT revisited",
        "BERT pretrained on C4 remains a strong baseline.",
        [("BERT", "BERT", M), ("C4", "C4", D)],
        [(U, "C4", D)],
    ),
    (
        "2205.00002",
        "2022-05-01",
        "Scaling laws, again",
        "We compare GPT-3.5 and BERT on C4.",
        [("GPT-3.5", "GPT-3.5", M), ("BERT", "BERT", M), ("C4", "C4", D)],
        [(E, "C4", D), (C, "BERT", M)],
    ),
    (
        "2402.00003",
        "2024-02-01",
        "LLaMA-2-7B-Chat and LLaMA-2-70B in dialogue",
        "We release LLaMA-2-7B-Chat and compare it with LLaMA-2-70B on MMLU.",
        [("LLaMA-2-7B-Chat", "LLaMA-2-7B-Chat", M), ("LLaMA-2-70B", "LLaMA-2-70B", M), ("MMLU", "MMLU", B)],
        [(P, "LLaMA-2-7B-Chat", M), (C, "LLaMA-2-70B", M), (E, "MMLU", B)],
    ),
    (
        "2101.00004",
        "2021-01-04",
        "Summaries scored by ROUGE-L",
        "ROUGE-L is all we report.",
        [("ROUGE-L", "ROUGE-L", X)],
        [],
    ),
]

VARIANTS = [("LLaMA-2-70B", "LLaMA-2"), ("LLaMA-2-7B", "LLaMA-2"), ("LLaMA-2-7B-Chat", "LLaMA-2-7B")]


def eid(entity_type: EntityType, name: str) -> str:
    return entity_id_for(entity_type, name)


def _sentence_of(text: str, start: int) -> str:
    """The sentence (split at '. ' and blank lines) holding `start`."""
    bounds = [0] + [m.end() for m in re.finditer(r"(?<=\.)\s+|\n\n", text)] + [len(text)]
    for begin, end in itertools.pairwise(bounds):
        if begin <= start < end:
            return text[begin:end].strip()
    return text


def paper_graph(paper_id, date, title, abstract, spellings, typed) -> PaperGraph:
    paper = Paper(
        id=paper_id,
        title=title,
        abstract=abstract,
        source="synthetic",
        date=date,
        url=f"https://arxiv.org/abs/{paper_id}",
    )
    text = paper.text
    mentions = []
    for surface, canonical, entity_type in spellings:
        for match in re.finditer(re.escape(surface), text):
            start, end = match.span()
            mentions.append(
                Mention(
                    paper_id=paper_id,
                    entity_id=eid(entity_type, canonical),
                    type=entity_type,
                    canonical=canonical,
                    text=surface,
                    start=start,
                    end=end,
                    field=paper.field_of(start),
                    sentence=_sentence_of(text, start),
                )
            )
    mentions.sort(key=lambda m: (m.start, -m.end))
    mentions = [
        m for i, m in enumerate(mentions) if not any(o.start <= m.start < o.end for o in mentions[:i])
    ]
    relations = []
    for relation, canonical, entity_type in typed:
        target = eid(entity_type, canonical)
        first = next(m for m in mentions if m.entity_id == target)
        evidence = (Evidence(sentence=first.sentence, start=first.start, end=first.end),)
        relations.append(Relation(source_id=paper_id, target_id=target, type=relation, evidence=evidence))
    return assemble_paper_graph(paper, mentions, relations)


def synthetic_paper_graphs() -> list[PaperGraph]:
    return [paper_graph(*row) for row in PAPERS]


def synthetic_store() -> NetworkXStore:
    """The synthetic graph: 8 papers, 15 entities, typed relations and a VARIANT_OF chain."""
    store = NetworkXStore()
    store.write(synthetic_paper_graphs())
    store.write_entity_relations(
        Relation(source_id=eid(M, variant), target_id=eid(M, family), type=RelationType.VARIANT_OF)
        for variant, family in VARIANTS
    )
    return store
