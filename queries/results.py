"""Row models of the named queries: every backend returns lists of these, field for field.

List fields are sorted on validation, so answers compare equal whatever order a backend collected them in.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator

from paperkg.graph.schema import EntityType


class Row(BaseModel):
    """Base of every result row: immutable, and list fields come back sorted."""

    model_config = ConfigDict(frozen=True)

    @field_validator("aliases", "relations", mode="before", check_fields=False)
    @classmethod
    def _sorted(cls, value: list[str] | None) -> list[str]:
        return sorted(value or [])


class EntityRef(Row):
    """Just which entity: id, type and name."""

    id: str
    type: EntityType
    name: str


class EntityRow(EntityRef):
    """An entity with its spellings and the number of distinct papers linked to it."""

    aliases: list[str] = []
    paper_count: int = 0


class LinkedEntity(EntityRef):
    """An entity reached through papers, with how many papers support the link."""

    papers: int


class PaperRef(Row):
    """Just which paper: id, title and date (None when the source gave none)."""

    id: str
    title: str = ""
    date: str | None = None


class PaperRow(Row):
    """A paper linked to an entity: the relation types of its edges and its mention count."""

    id: str
    title: str
    date: str | None = None
    url: str | None = None
    relations: list[str] = []
    mentions: int = 0


class PaperEntity(EntityRef):
    """An entity of one paper, with the relation types of its edges and its mention count."""

    relations: list[str] = []
    mentions: int = 0


class NeighborNode(Row):
    """A node within k hops: `label` is Paper or an entity type; `name` is a paper's title."""

    id: str
    label: str
    name: str
    distance: int


class NewEntity(Row):
    """An entity with the date of the earliest paper linked to it."""

    id: str
    type: EntityType
    name: str
    first_seen: str
    paper_count: int


class Variant(Row):
    """A variant of a model family, `depth` VARIANT_OF steps below it."""

    id: str
    type: EntityType
    name: str
    depth: int


class PathStep(Row):
    """One node of a path; `relation` is the type of the edge that reached it (None for the first)."""

    step: int
    id: str
    label: str
    name: str
    relation: str | None = None
