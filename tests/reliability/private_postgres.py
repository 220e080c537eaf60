"""A PostgreSQL server of the test's own, in a temporary directory on a free loopback port.

Tests may stop and start it at will; the machine's shared server is never touched. The binaries
come from PG_BIN (default: Debian's PostgreSQL 15); without them the test is skipped, or fails
under CI=true. Run as root, the server runs as the `postgres` user (PostgreSQL refuses root).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivatePostgres:
    """One initialised cluster: start, stop (fast shutdown, as an outage) and the URL of a database."""

    def __init__(self, directory: Path, port: int, user: str | None) -> None:
        self.directory = directory
        self.port = port
        self._user = user

    def _run(self, *command: str, timeout: float = 60) -> None:
        prefix = ["runuser", "-u", self._user, "--"] if self._user else []
        subprocess.run([*prefix, *command], check=True, timeout=timeout, capture_output=True)

    def initdb(self) -> None:
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.directory / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.directory / "data"),
            "-l",
            str(self.directory / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "30",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.directory / "data"), "-m", mode, "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def log(self) -> str:
        path = self.directory / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """Initialise and start a private cluster; stop it and delete its files afterwards."""
    missing = [name for name in ("initdb", "pg_ctl", "postgres") if not (PG_BIN / name).exists()]
    if missing:
        message = f"PostgreSQL binaries {missing} not found in {PG_BIN} (set PG_BIN)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    user = "postgres" if os.geteuid() == 0 else None
    directory = Path(tempfile.mkdtemp(prefix="private-postgres-"))
    if user:
        entry = pwd.getpwnam(user)
        os.chown(directory, entry.pw_uid, entry.pw_gid)
    server = PrivatePostgres(directory, free_port(), user)
    try:
        server.initdb()
        server.start()
        yield server
    finally:
        with contextlib.suppress(subprocess.SubprocessError):  # already stopped, or never started
            server.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)
