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
    Result,
    ResultKind,
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

# Results per paper: (value, number, unit, kind, system, benchmark, metric, baseline), each role a
# (canonical, type) pair of an entity of the graph, a plain string (as written, no entity), or None.
S, I = ResultKind.SCORE, ResultKind.IMPROVEMENT
RESULTS = {
    "2303.08774": [
        ("92.0%", 92.0, "%", S, ("GPT-4", M), ("GSM8K", B), ("accuracy", X), None),
        ("86.4%", 86.4, "%", S, ("GPT-4", M), ("MMLU", B), ("accuracy", X), None),
        ("67.0", 67.0, "absolute", S, ("GPT-4", M), ("HumanEval", B), "pass@1", None),
        ("15%", 15.0, "%", I, ("GPT-4", M), ("GSM8K", B), None, ("GPT-3.5", M)),
    ],
    "2307.09288": [
        ("56.8%", 56.8, "%", S, ("LLaMA-2", M), ("GSM8K", B), "Accuracy", None),
        ("68.9%", 68.9, "%", S, ("LLaMA-2", M), ("MMLU", B), "accuracy", None),
        ("2.5 points", 2.5, "points", S, ("LLaMA-2", M), ("GSM8K", B), "accuracy", None),
    ],
    "2309.00001": [
        ("35.1%", 35.1, "%", S, "our model", ("GSM8K", B), None, None),
        ("+3.1", 3.1, "points", I, ("LLaMA-2-7B", M), ("GSM8K", B), None, ("GPT-3.5", M)),
    ],
    "2402.00003": [
        ("68.9%", 68.9, "%", S, ("LLaMA-2-7B-Chat", M), ("MMLU", B), "accuracy", None),
        ("2.0 points", 2.0, "points", I, ("LLaMA-2-7B-Chat", M), ("MMLU", B), None, ("LLaMA-2-70B", M)),
    ],
    "2205.00002": [
        ("12.5", 12.5, "absolute", S, ("BERT", M), ("C4", D), "perplexity", None),
        ("8.1", 8.1, "absolute", S, ("GPT-3.5", M), ("C4", D), "perplexity", None),
        ("3x", 3.0, "x", ResultKind.OTHER, ("GPT-3.5", M), None, None, ("BERT", M)),
    ],
}

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


def synthetic_results(graph: PaperGraph) -> tuple[Result, ...]:
    """The paper's RESULTS as schema results, each at its own offsets in the first sentence."""
    sentence = _sentence_of(graph.paper.text, len(graph.paper.title) + 2)
    built = []
    for i, (value, number, unit, kind, *roles) in enumerate(RESULTS.get(graph.paper.id, ())):
        fields = {}
        for role, spec in zip(("system", "benchmark", "metric", "baseline"), roles, strict=True):
            linked = isinstance(spec, tuple)
            fields[role] = spec[0] if linked else spec
            fields[f"{role}_id"] = eid(spec[1], spec[0]) if linked else None
        start = 100 + 10 * i
        built.append(
            Result(
                paper_id=graph.paper.id,
                value=value,
                number=number,
                unit=unit,
                kind=kind,
                sentence=sentence,
                start=start,
                end=start + len(value),
                **fields,
            )
        )
    return tuple(built)


def synthetic_paper_graphs() -> list[PaperGraph]:
    graphs = [paper_graph(*row) for row in PAPERS]
    return [g.model_copy(update={"results": synthetic_results(g)}) for g in graphs]


def synthetic_store() -> NetworkXStore:
    """The synthetic graph: 8 papers, 15 entities, typed relations and a VARIANT_OF chain."""
    store = NetworkXStore()
    store.write(synthetic_paper_graphs())
    store.write_entity_relations(
        Relation(source_id=eid(M, variant), target_id=eid(M, family), type=RelationType.VARIANT_OF)
        for variant, family in VARIANTS
    )
    return store
