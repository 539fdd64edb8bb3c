"""The one schema of paperkg: papers, entities, mentions and relations.

Every boundary speaks these pydantic models: readers yield `Paper`, the extractor yields `Mention`,
the builder turns them into `Entity` and `Relation`, and every store writes and reads them back.
Ids are stable: the same input always gives the same ids. Every text field is clean (`clean_text`): no
control character but tab and newline, no lone surrogate, so no store, terminal or server ever receives one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, computed_field

TITLE_ABSTRACT_SEPARATOR = "\n\n"

# C0 controls but tab and newline, DEL, C1 controls; lone surrogates (no character, not UTF-8 encodable)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """`text` with each control character (a NUL, an escape, a carriage return, …: all but tab and newline)
    replaced by a space and each lone surrogate by U+FFFD. One character for one, so offsets into the text
    stay right. A `\\x01` in a paper id crashed the FalkorDB server; a NUL made its batch fail on every load.

    >>> clean_text("a\\x00b\\x1b[31mc\\ud800\\td")
    'a b [31mc\\ufffd\\td'
    """
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return text


def clean_data(value):
    """`value` (JSON-like: str, list, tuple, dict, numbers) with every string in it `clean_text`ed, keys too."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, (list, tuple)):
        return [clean_data(v) for v in value]
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_data(v) for k, v in value.items()}
    return value


CleanText = Annotated[str, AfterValidator(clean_text)]
"""A `str` field that is `clean_text` whatever was given."""


class EntityType(str, Enum):
    """The six entity types; the value is the graph label, the name is the spaCy label."""

    MODEL = "Model"
    METHOD = "Method"
    DATASET = "Dataset"
    BENCHMARK = "Benchmark"
    TASK = "Task"
    METRIC = "Metric"

    @classmethod
    def from_label(cls, label: str) -> EntityType:
        """`EntityType.from_label("MODEL")` or `from_label("Model")` → `EntityType.MODEL`."""
        try:
            return cls[label.upper()]
        except KeyError:
            names = ", ".join(t.name.lower() for t in cls)
            raise ValueError(f"unknown entity type {label!r}; expected one of {names}") from None


class RelationType(str, Enum):
    """Typed edges: paper → entity (all but VARIANT_OF) and entity → entity (VARIANT_OF)."""

    MENTIONS = "MENTIONS"
    PROPOSES = "PROPOSES"
    EVALUATES_ON = "EVALUATES_ON"
    COMPARES_WITH = "COMPARES_WITH"
    USES = "USES"
    VARIANT_OF = "VARIANT_OF"


PAPER_RELATION_TYPES = tuple(t for t in RelationType if t is not RelationType.VARIANT_OF)

_ARXIV_ID = re.compile(
    r"^(?:arxiv:|https?://arxiv\.org/(?:abs|pdf)/)?"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?$",
    re.IGNORECASE,
)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_DOT_BETWEEN_NON_DIGITS = re.compile(r"(?<!\d)\.|\.(?!\d)")
_SPACE_OR_DASH = re.compile(r"[\s\-‐‑‒–—_/]+")
_SEPARATOR_BETWEEN_DIGITS = re.compile(r"(?<=\d)[\s\-‐‑‒–—_/]+(?=\d)")


def normalize_arxiv_id(raw: str) -> str | None:
    """`"arXiv:2303.08774v3"` → `"2303.08774"`; None when `raw` is not an arXiv id."""
    match = _ARXIV_ID.match(raw.strip())
    return match.group("id") if match else None


def normalize_title(title: str) -> str:
    """Case-, accent-, space- and punctuation-insensitive form of a title, used to merge repeats."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def paper_id_for(title: str, arxiv_id: str | None = None) -> str:
    """Stable paper id: the arXiv id where known, else `t-` + a hash of the normalized title (of the title as
    written, NFC, when it has no letters or digits to normalize: emoji-only titles must not all share one id)."""
    if arxiv_id and (normalized := normalize_arxiv_id(arxiv_id)):
        return normalized
    key = normalize_title(title) or unicodedata.normalize("NFC", " ".join(title.split()))
    digest = hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"t-{digest}"


def entity_key(name: str) -> str:
    """Spelling-insensitive key of an entity name: GPT-4, GPT4 and gpt 4 all give `gpt4`.

    Unicode is NFKC-folded and case-folded; spaces, hyphens, underscores and slashes vanish;
    a dot survives only between digits (GPT-3.5 → `gpt3.5`) and a separator between two digits becomes one
    hyphen (LLaMA-2-70B → `llama2-70b`, never `llama270b`); other punctuation is kept.
    """
    text = unicodedata.normalize("NFKC", clean_text(name)).casefold().strip()
    pieces = (_SPACE_OR_DASH.sub("", piece) for piece in _SEPARATOR_BETWEEN_DIGITS.split(text))
    return _DOT_BETWEEN_NON_DIGITS.sub("", "-".join(pieces))


def entity_id_for(entity_type: EntityType, name: str) -> str:
    """Stable entity id from its type and key: `model:gpt4`."""
    return f"{entity_type.value.lower()}:{entity_key(name)}"


class Paper(BaseModel):
    """A paper as read from a source file."""

    model_config = ConfigDict(frozen=True)

    id: CleanText
    title: CleanText = Field(description='empty only for text-only records ("text" column, no title)')
    abstract: CleanText = Field(
        min_length=1, description="the abstract, or the whole text of a text-only record"
    )
    source: CleanText = Field(description="file the paper was read from")
    source_id: CleanText | None = Field(
        default=None, description="the record's own id as written in the source"
    )
    line: int | None = Field(default=None, description="1-based line in `source` where the record starts")
    url: CleanText | None = None
    date: CleanText | None = None
    authors: tuple[CleanText, ...] = ()
    categories: tuple[CleanText, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def text(self) -> str:
        """The text extraction runs on; mention offsets index into it: title + blank line + abstract."""
        return f"{self.title}{TITLE_ABSTRACT_SEPARATOR}{self.abstract}" if self.title else self.abstract

    def field_of(self, offset: int) -> str:
        """`"title"` or `"abstract"`: which field a character offset of `text` falls in."""
        return "title" if self.title and offset < len(self.title) else "abstract"


class Entity(BaseModel):
    """One thing (model, dataset, …), whatever its spellings."""

    id: CleanText
    type: EntityType
    name: CleanText = Field(description="canonical name")
    aliases: tuple[CleanText, ...] = Field(default=(), description="other spellings seen, sorted")

    @classmethod
    def named(cls, entity_type: EntityType, name: str, aliases: tuple[str, ...] = ()) -> Entity:
        """An entity whose id follows from its type and canonical name."""
        others = tuple(sorted({a for a in aliases if a != name}))
        return cls(id=entity_id_for(entity_type, name), type=entity_type, name=name, aliases=others)


class Mention(BaseModel):
    """One occurrence of an entity in a paper's text."""

    paper_id: str
    entity_id: str
    type: EntityType
    canonical: str
    text: str = Field(description="surface text, equal to paper.text[start:end]")
    start: int = Field(ge=0)
    end: int = Field(gt=0)
    field: str = Field(pattern="^(title|abstract)$")
    sentence: str = ""


class Evidence(BaseModel):
    """A sentence that supports a relation, with the supporting span's offsets into the paper text."""

    sentence: CleanText
    start: int
    end: int


class Relation(BaseModel):
    """A typed edge from a paper to an entity, or (VARIANT_OF) from an entity to another."""

    source_id: CleanText
    target_id: CleanText
    type: RelationType
    count: int = Field(default=1, ge=1)
    evidence: tuple[Evidence, ...] = ()


class ResultKind(str, Enum):
    """score: an absolute result; improvement: a difference against a baseline; other: any other quantified
    effect (a speed-up, a cost reduction, a share of parameters)."""

    SCORE = "score"
    IMPROVEMENT = "improvement"
    OTHER = "other"


ENTITY_ROLES = ("system", "benchmark", "metric", "baseline")
"""The entities a result refers to; in the graph, edges `(:Result)-[:SYSTEM|BENCHMARK|METRIC|BASELINE]->`."""


class Result(BaseModel):
    """A number a paper reports as a result, with the entities it refers to.

    `system`, `benchmark`, `metric` and `baseline` are the strings as written ("our method", "GSM8K"), the
    `*_id` fields the graph entities they link to (None when the text names none, or names no entity).
    `start`/`end` are the value's character offsets into the paper text.
    """

    paper_id: CleanText = ""
    value: CleanText = Field(description='as written: "85.2%", "+3.1", "2.3x"')
    number: float = Field(description="the first number of the value")
    unit: str = Field(pattern="^(%|points|x|absolute)$")
    kind: ResultKind
    sentence: CleanText
    start: int = Field(ge=0)
    end: int = Field(gt=0)
    system: CleanText | None = None
    benchmark: CleanText | None = None
    metric: CleanText | None = None
    baseline: CleanText | None = None
    system_id: CleanText | None = None
    benchmark_id: CleanText | None = None
    metric_id: CleanText | None = None
    baseline_id: CleanText | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def id(self) -> str:
        """Stable id: the paper and the value's offsets (`2303.08774#r120-125`)."""
        return f"{self.paper_id}#r{self.start}-{self.end}"

    def annotation(self) -> dict:
        """The result in the annotation format of `seed_results.jsonl` (what `score_results.py` reads)."""
        data = self.model_dump(mode="json")
        return {key: data[key] for key in ("sentence", "value", "kind", *ENTITY_ROLES)}


class PaperGraph(BaseModel):
    """Everything one paper contributes to the graph: itself, its entities, its edges and its results."""

    paper: Paper
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    mentions: tuple[Mention, ...] = ()
    results: tuple[Result, ...] = ()


def results_of_paper(graph: PaperGraph) -> list[Result]:
    """The results of a paper graph, each carrying that paper's id (and so its stable result id)."""
    paper_id = graph.paper.id
    return [
        r if r.paper_id == paper_id else r.model_copy(update={"paper_id": paper_id}) for r in graph.results
    ]


class Reject(BaseModel):
    """A record that could not be read, kept with where it came from and why."""

    source: str
    line: int | None
    reason: str
    record: str = Field(default="", description="the raw record, truncated")

    def message(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"
