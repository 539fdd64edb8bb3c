"""What paperkg prints never drives the terminal: control characters in stored names and titles are shown as
escapes (`\\x1b`), not sent as escape sequences that recolour, clear or rewrite the screen."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

# C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), lone surrogates
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_UNSAFE_BUT_CR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, *, keep_carriage_return: bool = False) -> str:
    """`text` with each control character but tab and newline written as its escape.

    >>> printable("GPT-4\\x1b[2J\\x07 ok\\tdone")
    'GPT-4\\\\x1b[2J\\\\x07 ok\\tdone'
    """
    pattern = _UNSAFE_BUT_CR if keep_carriage_return else _UNSAFE
    return pattern.sub(_escape, text) if pattern.search(text) else text


class PrintableStream:
    """A text stream that writes `printable` text to the stream it wraps (everything else is delegated)."""

    def __init__(self, stream: TextIO, *, keep_carriage_return: bool = False) -> None:
        self._stream = stream
        self._keep_cr = keep_carriage_return

    def write(self, text: str) -> int:
        self._stream.write(printable(text, keep_carriage_return=self._keep_cr))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextmanager
def printable_output() -> Iterator[None]:
    """stdout and stderr as `PrintableStream`s for the block (stderr keeps `\\r`, which progress bars use)."""
    saved = sys.stdout, sys.stderr
    sys.stdout = PrintableStream(sys.stdout)  # type: ignore[assignment]
    sys.stderr = PrintableStream(sys.stderr, keep_carriage_return=True)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
