"""A throwaway PostgreSQL cluster for the test run: initdb + pg_ctl on a temp dir and a loopback port.

PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` system user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _find(binary: str) -> str | None:
    found = shutil.which(binary)
    if found:
        return found
    for version in ("17", "16", "15", "14"):
        candidate = Path(f"/usr/lib/postgresql/{version}/bin/{binary}")
        if candidate.exists():
            return str(candidate)
    return None


@dataclass
class Cluster:
    directory: Path
    port: int
    run_as: str | None
    pg_ctl: str
    options: str = ""

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, args: list[str]) -> subprocess.CompletedProcess:
        if self.run_as:
            args = ["runuser", "-u", self.run_as, "--", *args]
        return subprocess.run(args, check=True, capture_output=True, text=True, timeout=120)

    def stop(self) -> None:
        try:
            self._run([self.pg_ctl, "-D", str(self.directory / "data"), "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def start_server(self) -> None:
        # -l sends the server's output to a file: a pipe held open by the server would hang this call.
        self._run(
            [
                self.pg_ctl,
                "-D",
                str(self.directory / "data"),
                "-o",
                self.options,
                "-l",
                str(self.directory / "server.log"),
                "-w",
                "start",
            ]
        )

    def restart(self) -> None:
        """Stop and start the server (for resilience tests): clients see their connections drop."""
        self._run([self.pg_ctl, "-D", str(self.directory / "data"), "-m", "fast", "-w", "stop"])
        self.start_server()


def available() -> bool:
    return _find("initdb") is not None and _find("pg_ctl") is not None


def start() -> Cluster:
    initdb, pg_ctl = _find("initdb"), _find("pg_ctl")
    if not initdb or not pg_ctl:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    run_as = None
    directory = Path(tempfile.mkdtemp(prefix="dashboard-pg-"))
    if os.geteuid() == 0:
        run_as = "postgres"
        user = pwd.getpwnam(run_as)
        os.chown(directory, user.pw_uid, user.pw_gid)
    port = _free_port()
    options = (
        f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off"
    )
    cluster = Cluster(directory, port, run_as, pg_ctl, options)
    cluster._run(
        [initdb, "-D", str(directory / "data"), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C"]
    )
    cluster.start_server()
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", cluster.port), timeout=1):
                return cluster
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("PostgreSQL did not start listening in time")
