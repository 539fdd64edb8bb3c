"""Writing a file whole or not at all: a temporary file beside the target, renamed over it when complete.

An interrupted run (Ctrl-C, SIGTERM, a full disk) leaves the old file as it was and no temporary file behind.
A target that is a symbolic link is written through (the file it points to is replaced, the link stays), and a
file that exists keeps its permission bits (a 0600 graph stays 0600).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


def real_target(path: Path) -> Path:
    """The file a write to `path` should replace: the end of its symlink chain, else `path` itself."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def new_file_mode() -> int:
    """The permission bits `open(…, "w")` would give a new file under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic_output(path: str | Path, *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text stream whose content replaces `path` when the block ends without an error.

    Any error (or interrupt) inside the block, or while writing, removes the temporary file and leaves `path`
    untouched; an `OSError` (a full disk, say) is raised again naming `path`.
    """
    target = real_target(Path(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = target.stat().st_mode & 0o7777 if target.exists() else new_file_mode()
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "w", encoding=encoding) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except OSError as error:
        temp.unlink(missing_ok=True)
        if error.filename is None:
            raise OSError(error.errno, f"{error.strerror or error}; nothing written", str(target)) from error
        raise
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_atomically(path: str | Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Replace `path` with `text` whole or not at all (see `atomic_output`); returns the path written."""
    with atomic_output(path, encoding=encoding) as stream:
        stream.write(text)
    return Path(path)


def lock_path_of(path: str | Path) -> Path:
    """The lock file guarding writes to `path` (through a symlink: the real file's): `.graph.json.lock`."""
    target = real_target(Path(path))
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def exclusive_output(path: str | Path, *, wait_message: str | None = None) -> Iterator[None]:
    """Hold the lock on `path` for the block, so two runs writing one file take turns instead of one run's
    output silently replacing the other's. When another run holds it, `wait_message` is printed to stderr and
    this one waits (the lock is the kernel's, released even when the holder is killed)."""
    import sys

    from filelock import FileLock, Timeout

    target = real_target(Path(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_path_of(target))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if wait_message:
            print(wait_message, file=sys.stderr, flush=True)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()
