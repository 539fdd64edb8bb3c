"""Typed paper → entity relations from cue words around each entity (pure functions over spaCy spans).

- PROPOSES: the paper's own contribution — "we propose/introduce/present X", "X, a novel …", a title that
  opens with the name ("RAFT: Rationale adaptor for …").
- EVALUATES_ON: a dataset or benchmark the experiments run on — "evaluate … on X", "experiments on X",
  "results on X", "X benchmark".
- COMPARES_WITH: a model or method the paper compares against — "outperforms X", "compared with X",
  "X baselines", "than X".
- USES: a model or method it builds on — "based on X", "using X", "we fine-tune X", "built on X".

Every entity that none of these cues reaches keeps its plain MENTIONS edge. A relation carries the
sentence and the entity's character offsets as evidence.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from paperkg.extract.doc_cache import doc_text
from paperkg.extract.mentions import entity_id_of, mentions_of
from paperkg.extract.sentences import sentence_bounds, sentence_spans
from paperkg.graph.schema import Evidence, Mention, Paper, Relation, RelationType

ARTEFACT_LABELS = frozenset({"MODEL", "METHOD", "DATASET", "BENCHMARK"})
DATA_LABELS = frozenset({"DATASET", "BENCHMARK"})
SYSTEM_LABELS = frozenset({"MODEL", "METHOD"})

# Cue words, read in the clause before the entity; the cue nearest to the entity decides.
CUES_BEFORE: dict[RelationType, re.Pattern[str]] = {
    RelationType.PROPOSES: re.compile(
        r"\b(?:propos(?:e|es|ed|ing)|introduc(?:e|es|ed|ing)|present(?:s|ed)?|develop(?:s|ed)?|releas(?:e|es|ed)|"
        r"devis(?:e|es|ed)|contribut(?:e|es|ed)|curat(?:e|es|ed)|construct(?:s|ed)?|"
        r"call(?:ed)?|nam(?:e|ed)|dub(?:bed)?|term(?:ed)?|coin(?:ed)?)\b"
    ),
    RelationType.EVALUATES_ON: re.compile(
        r"\b(?:evaluat\w*|experiment\w*|results?|test(?:s|ed|ing)?|benchmark\w*|performance|accuracy|"
        r"achiev\w*|sota|state-of-the-art|outperform\w*|surpass\w*|improv\w*|scores?|validat\w*|"
        r"assess\w*|measur\w*|gains?)\b"
    ),
    RelationType.COMPARES_WITH: re.compile(
        r"\b(?:outperform\w*|surpass\w*|beat(?:s|ing)?|than|compar(?:e|es|ed|ing|ison)|against|"
        r"relative to|baselines?|exceed\w*|rival\w*|on par with|competitive with|versus|vs|over)\b"
    ),
    RelationType.USES: re.compile(
        r"\b(?:based on|built (?:up)?on|builds? (?:up)?on|using|uses?|used|utiliz\w*|leverag\w*|employ\w*|"
        r"adopt\w*|apply|applies|applying|applied|fine-?tun\w*|finetun\w*|initiali[sz]ed|on top of|via|"
        r"extends?|extending|plug\w*)\b"
    ),
}
# Cue words right after the entity.
CUES_AFTER: dict[RelationType, re.Pattern[str]] = {
    RelationType.PROPOSES: re.compile(
        r"^\s*(?:\([^)]*\)\s*)?(?:,|:|--|—|–)\s*(?:a|an|our)\s+(?:new|novel|simple|first|large-scale|unified|"
        r"general|framework|method|approach|model|dataset|benchmark)\b"
    ),
    RelationType.EVALUATES_ON: re.compile(r"^\s*(?:benchmarks?|test sets?|leaderboards?)\b"),
    RelationType.COMPARES_WITH: re.compile(r"^\s*(?:baselines?|and other baselines)\b"),
}
ALLOWED_LABELS: dict[RelationType, frozenset[str]] = {
    RelationType.PROPOSES: ARTEFACT_LABELS,
    RelationType.EVALUATES_ON: DATA_LABELS,
    RelationType.COMPARES_WITH: SYSTEM_LABELS,
    RelationType.USES: SYSTEM_LABELS,
}
_CLAUSE_BREAK = re.compile(r"[;:]|\bwhile\b|\bwhereas\b|\bbut\b")


def clause_before(text: str, entity: Span, sentence_start: int) -> str:
    """Lower-cased text (of the doc `text`) from the start of the entity's clause up to the entity."""
    before = text[sentence_start : entity.start_char].lower()
    breaks = list(_CLAUSE_BREAK.finditer(before))
    return before[breaks[-1].end() :] if breaks else before


def is_title_head(text: str, entity: Span, title_end: int) -> bool:
    """The title opens with the entity and a colon or dash follows: "RAFT: Rationale adaptor …"."""
    if entity.start_char != 0 or entity.end_char >= title_end:
        return False
    rest = text[entity.end_char : title_end].lstrip()
    return rest[:1] in {":", "-", "—", "–"}


def nearest_cue(before: str, label: str) -> RelationType | None:
    """The relation whose cue word ends closest to the entity, among those allowed for its label."""
    best, best_end = None, -1
    for relation, pattern in CUES_BEFORE.items():
        if label not in ALLOWED_LABELS[relation]:
            continue
        for match in pattern.finditer(before):
            if match.end() > best_end:
                best, best_end = relation, match.end()
    return best


def relation_for(
    text: str, entity: Span, sentence: tuple[int, int], *, title_end: int = 0
) -> RelationType | None:
    """The typed relation the cues of its `sentence` (character bounds in the doc `text`; `Doc.text` is
    rebuilt from the tokens on every access, so callers pass it once) give one entity span, or None."""
    label = entity.label_
    if label not in ARTEFACT_LABELS:
        return None
    if is_title_head(text, entity, title_end):
        return RelationType.PROPOSES
    sentence_start, sentence_end = sentence
    after = text[entity.end_char : sentence_end].lower()
    for relation, pattern in CUES_AFTER.items():
        if label in ALLOWED_LABELS[relation] and pattern.match(after):
            return relation
    return nearest_cue(clause_before(text, entity, sentence_start), label)


def typed_relations(
    doc: Doc, *, title_end: int = 0, text: str | None = None
) -> list[tuple[Span, RelationType, tuple[int, int]]]:
    """Every entity span of `doc` that a cue gives a typed relation, with that relation and the bounds of
    its sentence, in text order. `text`: the doc's text when the caller has it (saves rebuilding it)."""
    text, sentences = doc_text(doc) if text is None else text, sentence_spans(doc)
    found = []
    for entity in doc.ents:
        sentence = sentence_bounds(entity, sentences)
        relation = relation_for(text, entity, sentence, title_end=title_end)
        if relation is not None:
            found.append((entity, relation, sentence))
    return found


def relations_of(paper: Paper, doc: Doc, mentions: list[Mention] | None = None) -> list[Relation]:
    """Typed relations of one paper (`doc` is its processed `paper.text`), one edge per (entity, type), with
    every supporting sentence. `mentions`: the paper's `mentions_of(paper, doc)` when the caller has them.

    Where the pipeline's `paperkg_paper_relations` component has decided the paper-level relations
    (`doc._.paper_relations`), those decide PROPOSES / EVALUATES_ON / COMPARES_WITH, with the sentences of the
    entity's mentions as evidence (those whose cue agrees first); the cue rules still give USES, and every type
    when there is no such component."""
    from paperkg.extract.paper_relations import decisions_of  # that module builds on this one

    title_end, text = len(paper.title), paper.text
    learned = decisions_of(doc)
    cued: dict[tuple[str, RelationType], list[Evidence]] = {}
    for entity, relation, (start, end) in typed_relations(doc, title_end=title_end, text=text):
        entity_id = entity_id_of(entity)
        evidence = Evidence(sentence=text[start:end].strip(), start=entity.start_char, end=entity.end_char)
        cued.setdefault((entity_id, relation), []).append(evidence)
    if learned is None:
        edges = cued
    else:
        edges = {key: ev for key, ev in cued.items() if key[1] not in learned.types}
        by_entity: dict[str, list[Evidence]] = {}
        for mention in mentions if mentions is not None else mentions_of(paper, doc):
            evidence = Evidence(sentence=mention.sentence, start=mention.start, end=mention.end)
            by_entity.setdefault(mention.entity_id, []).append(evidence)
        for entity_id, relation, _ in learned.edges:
            agreeing = cued.get((entity_id, relation), [])
            rest = [e for e in by_entity.get(entity_id, []) if e not in agreeing]
            edges[(entity_id, relation)] = agreeing + rest
    return [
        Relation(source_id=paper.id, target_id=entity_id, type=relation, count=len(ev), evidence=tuple(ev))
        for (entity_id, relation), ev in edges.items()
    ]
