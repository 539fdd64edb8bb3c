"""Row models by id, kept as plain tuples and made into models on first use.

An index of 50,000 entities read back from its cache (`paperkg.graph.file_cache`) would spend most of its
loading time re-creating 50,000 pydantic objects (~10 µs each); tuples load ~20x faster, and a lookup makes the
few rows it returns.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Generic, TypeVar

from pydantic import BaseModel

RowT = TypeVar("RowT", bound=BaseModel)


class LazyRows(Mapping[str, RowT], Generic[RowT]):
    """`{row.id: row}` for rows of one model class; a row reads back equal to the one added."""

    def __init__(self, row_class: type[RowT]) -> None:
        self.row_class = row_class
        self._fields = tuple(row_class.model_fields)
        self._plain: dict[str, tuple] = {}
        self._made: dict[str, RowT] = {}

    def add(self, row: RowT) -> None:
        data = row.model_dump(mode="json")
        self._plain[data["id"]] = tuple(data[field] for field in self._fields)
        self._made[data["id"]] = row

    def __getitem__(self, row_id: str) -> RowT:
        row = self._made.get(row_id)
        if row is None:
            row = self.row_class(**dict(zip(self._fields, self._plain[row_id], strict=True)))
            self._made[row_id] = row
        return row

    def __contains__(self, row_id: object) -> bool:
        return row_id in self._plain

    def __iter__(self) -> Iterator[str]:
        return iter(self._plain)

    def __len__(self) -> int:
        return len(self._plain)

    def __getstate__(self) -> dict:
        return {"row_class": self.row_class, "fields": self._fields, "plain": self._plain}

    def __setstate__(self, state: dict) -> None:
        self.row_class, self._fields, self._plain = state["row_class"], state["fields"], state["plain"]
        self._made = {}
