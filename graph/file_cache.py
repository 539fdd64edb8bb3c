"""Binary copies kept next to a graph file, so opening it and answering the first lookup is quick.

`graph.json` (node-link JSON) stays the graph's interoperable form. Beside it, `graph.json.cache` holds the
same NetworkX graph as a pickle (protocol 5) and `graph.json.<name>.cache` the lookup indexes built from it.
Each cache starts with a JSON header naming what it is, the graph file it was made from (its size,
modification time (ns) and inode) and the code that made it (a digest of the source files of the cached
classes, and the Python version). A cache whose header does not match the graph file and the code as they are
now (the file was rebuilt, edited, copied or replaced; paperkg or NetworkX was upgraded) is ignored and
rewritten, so a stale cache is never read.

A cache is a pickle: it is only read when its header matches the graph file beside it and it belongs to the
user reading it, the way Python's own `__pycache__` is trusted. A copied graph folder gets new inodes, so its
caches are rebuilt from the JSON on first open.
"""

from __future__ import annotations

import gc
import hashlib
import inspect
import json
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

MAGIC = b"paperkg-cache\n"
FORMAT = 1  # raise when what a cache holds changes shape (graph layout, index classes)

T = TypeVar("T")


def cache_path(graph_path: Path, name: str = "") -> Path:
    """`graph.json.cache` for the graph itself, `graph.json.<name>.cache` for what is built from it."""
    suffix = f".{name}.cache" if name else ".cache"
    return graph_path.with_name(graph_path.name + suffix)


def fingerprint(graph_path: Path) -> list[int]:
    """What identifies one version of a graph file: size, modification time (ns), inode."""
    stat = graph_path.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


@cache
def code_version(classes: tuple[type, ...]) -> str:
    """A digest of the source files defining `classes` and of the Python version: what a pickle of them needs
    to read back the same."""
    digest = hashlib.sha256(repr(sys.version_info[:2]).encode())
    for path in sorted({_source_file(cls) for cls in classes}):
        digest.update(path.encode() + b"\0" + (Path(path).read_bytes() if path else b""))
    return digest.hexdigest()[:16]


def _source_file(cls: type) -> str:
    try:
        return inspect.getsourcefile(cls) or ""
    except TypeError:  # a built-in class: the Python version covers it
        return ""


def _header(graph_path: Path, name: str, classes: Iterable[type]) -> bytes:
    fields = {
        "format": FORMAT,
        "name": name,
        "graph": fingerprint(graph_path),
        "code": code_version(tuple(classes)),
    }
    return json.dumps(fields, sort_keys=True).encode() + b"\n"


def write_cache(graph_path: Path, value: Any, name: str = "", classes: Iterable[type] = ()) -> Path | None:
    """Pickle `value` beside the graph file, tagged with the file's current fingerprint (atomically: a temp
    file renamed over the cache). None when it cannot be written (a read-only folder); the graph still opens
    from its JSON. `classes`: those the value is made of (see `code_version`)."""
    target = cache_path(graph_path, name)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as sink:
            sink.write(MAGIC + _header(graph_path, name, classes))
            pickle.dump(value, sink, protocol=5)
        tmp.replace(target)
    except OSError:
        tmp.unlink(missing_ok=True)
        return None
    return target


def read_cache(graph_path: Path, name: str = "", classes: Iterable[type] = ()) -> Any | None:
    """The cached value for the graph file as it is now, or None (no cache, stale, foreign or unreadable)."""
    source = cache_path(graph_path, name)
    try:
        with source.open("rb") as handle:
            if os.fstat(handle.fileno()).st_uid != os.getuid():
                return None
            if handle.readline() != MAGIC or handle.readline() != _header(graph_path, name, classes):
                return None
            return load_without_gc(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        return None


def load_without_gc(handle) -> Any:
    """Unpickle with the cyclic garbage collector paused, then move what was loaded out of its sight
    (`gc.freeze`): a graph is millions of small containers, and the collector's passes over them while they
    are created, and its first full pass after, cost more than the loading itself. The loaded graph holds no
    reference cycles, so reference counting still frees it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        value = pickle.load(handle)
        gc.freeze()
        return value
    finally:
        if enabled:
            gc.enable()


def cached(graph_path: Path | None, name: str, build: Callable[[], T], classes: Iterable[type] = ()) -> T:
    """The value `build()` gives for this graph file, read from its cache when the cache is current, else
    built and cached. With no graph file (`None`) it is simply built."""
    if graph_path is None:
        return build()
    classes = tuple(classes)
    value = read_cache(graph_path, name, classes)
    if value is None:
        value = build()
        write_cache(graph_path, value, name, classes)
    return value
