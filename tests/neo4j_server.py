"""A real Neo4j Community for tests and benchmarks: the launcher of `tests/neo4j/` (Maven module, Java 17).

`build_launcher()` compiles it once (Maven's local cache keeps Neo4j's jars, ~240 MB, after the first
download); `running_neo4j()` starts a DBMS with its Bolt connector on a free loopback port, auth on, in a
fresh home folder, and kills it when the block ends (the store is thrown away); `neo4j_admin(home, …)`
runs neo4j-admin's own command classes (e.g. `database import full`) on a home a server can then open.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from paperkg.graph.cypher.falkordb_server import free_port

LAUNCHER_DIR = Path(__file__).parent / "neo4j"
CLASSPATH_FILE = LAUNCHER_DIR / "target" / "classpath.txt"
SOURCES = (LAUNCHER_DIR / "pom.xml", LAUNCHER_DIR / "src/main/java/paperkg/neo4j/Launcher.java")
STARTUP_TIMEOUT_S = 120.0
USER = "neo4j"
PASSWORD = "paperkg-test-pw"
JAVA_OPTIONS = ("-Xms256m", "-Xmx1g", "-XX:+UseParallelGC")


class Neo4jLauncherUnavailable(RuntimeError):
    """Java or Maven is missing, or the launcher does not build."""


@dataclass(frozen=True)
class Neo4jServer:
    host: str
    port: int
    home: Path
    user: str = USER
    password: str = PASSWORD
    pid: int = 0
    """The JVM's process id (a test may kill it to lose the server)."""

    @property
    def uri(self) -> str:
        return f"bolt://{self.host}:{self.port}"


def _require_tools() -> None:
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        raise Neo4jLauncherUnavailable(
            f"the Neo4j tests need Java 17+ and Maven ({' and '.join(missing)} not found): "
            "apt-get install openjdk-17-jdk-headless maven"
        )


def _is_built() -> bool:
    if not CLASSPATH_FILE.exists() or not (LAUNCHER_DIR / "target" / "classes").exists():
        return False
    built = CLASSPATH_FILE.stat().st_mtime
    if any(source.stat().st_mtime > built for source in SOURCES):
        return False
    return all(Path(jar).exists() for jar in CLASSPATH_FILE.read_text().strip().split(os.pathsep))


def build_launcher() -> str:
    """Compile the launcher if needed; its Java class path."""
    _require_tools()
    if not _is_built():
        done = subprocess.run(
            ["mvn", "-B", "-q", "package"], cwd=LAUNCHER_DIR, capture_output=True, text=True, check=False
        )
        if done.returncode != 0 or not CLASSPATH_FILE.exists():
            raise Neo4jLauncherUnavailable(
                f"building {LAUNCHER_DIR} with Maven failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
            )
    jars = CLASSPATH_FILE.read_text().strip()
    return os.pathsep.join((str(LAUNCHER_DIR / "target" / "classes"), jars))


def _java(*args: str) -> list[str]:
    return ["java", *JAVA_OPTIONS, "-cp", build_launcher(), "paperkg.neo4j.Launcher", *args]


def neo4j_admin(home: Path, *args: str) -> subprocess.CompletedProcess:
    """neo4j-admin ARGS on the Neo4j home `home` (the importer writes `home/data/databases/<db>`)."""
    home.mkdir(parents=True, exist_ok=True)  # its working folder: the importer writes import.report there
    command = _java("admin", str(home.resolve()), *args)
    return subprocess.run(command, cwd=home, capture_output=True, text=True, check=False)


def _await_ready(process: subprocess.Popen, timeout: float) -> None:
    """Wait for the launcher's `ready` line; raises with its output if it exits or does not start in time."""
    lines: list[str] = []
    settled = threading.Event()  # the ready line came, or the output ended

    def read() -> None:  # and go on draining, so a chatty server never blocks on a full pipe
        for line in process.stdout:
            if not settled.is_set():
                lines.append(line)
                if line.startswith("paperkg-neo4j ready"):
                    settled.set()
        settled.set()

    threading.Thread(target=read, daemon=True).start()
    if not settled.wait(timeout) or not lines or not lines[-1].startswith("paperkg-neo4j ready"):
        process.kill()
        process.wait()
        output = "".join(lines)[-3000:]
        raise RuntimeError(f"Neo4j did not start within {timeout:g} s (exit {process.returncode}): {output}")


@contextmanager
def running_neo4j(home: Path | None = None, *, password: str = PASSWORD) -> Iterator[Neo4jServer]:
    """A Neo4j on 127.0.0.1 (free port) over `home` (default: a fresh temporary folder, removed after)."""
    command = _java("serve", "HOME", "PORT")
    owned = home is None
    home = Path(tempfile.mkdtemp(prefix="paperkg-neo4j-")) if home is None else home
    port = free_port()
    command[-2:] = [str(home), str(port)]
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,  # the server stops when this closes, also when this process dies
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PAPERKG_NEO4J_PASSWORD": password},
        start_new_session=True,
    )
    try:
        _await_ready(process, STARTUP_TIMEOUT_S)
        yield Neo4jServer("127.0.0.1", port, home, USER, password, process.pid)
    finally:
        if process.poll() is None:  # the store is thrown away: no need to wait for a checkpoint
            process.kill()
            process.wait()
        if owned:
            shutil.rmtree(home, ignore_errors=True)
