"""Run `paperkg` as a user does, in its own process, and check what a user mistake looks like."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Ran:
    code: int
    out: str
    err: str


def paperkg(*args: str, cwd: Path | None = None, timeout: float = 120) -> Ran:
    """`paperkg ARGS…` in a subprocess (the installed entry point's module), its exit status and output."""
    done = subprocess.run(  # noqa: PLW1510 - the exit status is what the tests check
        [sys.executable, "-m", "paperkg.cli", *map(str, args)],
        cwd=cwd or REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def assert_user_error(ran: Ran, command: str, *fragments: str) -> str:
    """A user mistake: exit status 2, no traceback, and one last line `paperkg COMMAND: error: …` that holds
    every fragment (the argument it names, the fix it offers). Returns that line."""
    assert "Traceback" not in ran.err, ran.err
    assert ran.code == 2, (ran.code, ran.out, ran.err)
    line = ran.err.rstrip("\n").splitlines()[-1]
    assert line.startswith(f"paperkg {command}: error: "), ran.err
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    return line
