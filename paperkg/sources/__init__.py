"""Readers: files of papers → `Paper` records (streaming) and rejects.

`read_papers(paths)` reads any mix of Daily Papers dumps, JSON Lines (arXiv snapshot included), CSV/TSV and
arXiv API Atom feeds, gzipped or not, merging repeats and collecting rejects in a `ReadStats`.
"""

from .files import SourceFormatError
from .reader import (
    ReadStats,
    RejectedRecordError,
    detect_format,
    read_file,
    read_papers,
    write_rejects_report,
)

__all__ = [
    "ReadStats",
    "RejectedRecordError",
    "SourceFormatError",
    "detect_format",
    "read_file",
    "read_papers",
    "write_rejects_report",
]
