"""Real ``redis-server`` and PostgreSQL for the tests, on loopback, in temporary data directories.

A pytest plugin: test modules that need the servers say ``pytest_plugins = ["servers"]`` and ask for the
``redis_server`` / ``postgres_server`` fixtures (session-scoped: each server starts once per run, on first use,
and is stopped at the end). Nothing is skipped when a binary is missing: the fixture fails with what to install
(``make services-install``), because a fault test that is skipped is not done.

Binaries are looked up on ``PATH``, then in Debian's ``/usr/lib/postgresql/<version>/bin`` (Debian puts
``initdb`` and ``postgres`` there, not on ``PATH``). PostgreSQL refuses to run as root, so under root the
cluster is created and run as the ``postgres`` system user (created by the Debian package), or ``nobody``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["PostgresServer", "RedisServer", "find_postgres_bin", "postgres_server", "redis_server"]

INSTALL_HINT = ("run `make services-install` (it runs `apt-get install -y redis-server postgresql` when the binaries "
                "are missing)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} at start:\n{_tail(log)}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"server did not listen on 127.0.0.1:{port} within {timeout}s:\n{_tail(log)}")


def _tail(log: Path, n: int = 20) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


def find_postgres_bin() -> Path | None:
    """The folder holding ``initdb`` and ``postgres``, newest Debian version first; ``None`` if absent."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "postgres").exists():
            return folder
    initdb, postgres = shutil.which("initdb"), shutil.which("postgres")
    if initdb and postgres:
        return Path(postgres).resolve().parent
    return None


class RedisServer:
    """One ``redis-server`` on 127.0.0.1 with AOF (``appendfsync always``), restartable on the same data."""

    def __init__(self, root: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError(f"redis-server not found on PATH: {INSTALL_HINT}")
        self.binary = binary
        self.dir = root / "redis"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        self.log = self.dir / "redis.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        # appendfsync always: an XADD acknowledged to the producer survives kill -9 of the server
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
                "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no",
                "--logfile", str(self.log), "--protected-mode", "yes"]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        _wait_for_port(self.port, self.proc, self.log)
        self._wait_loaded()

    def _wait_loaded(self, timeout: float = 30.0) -> None:
        import redis

        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    if client.ping():
                        return
                except redis.BusyLoadingError:
                    pass
                except redis.ConnectionError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"redis did not finish loading its AOF:\n{_tail(self.log)}")
                time.sleep(0.05)
        finally:
            client.close()

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the server; SIGTERM saves nothing extra (AOF is fsynced on every write), SIGKILL is a crash."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def restart(self, sig: int = signal.SIGKILL) -> None:
        self.stop(sig)
        self.start()

    def flush(self) -> None:
        import redis

        with redis.Redis.from_url(self.url) as client:
            client.flushall()


class PostgresServer:
    """One PostgreSQL cluster on 127.0.0.1 (trust auth, no Unix socket), created by ``initdb`` in a temp dir.

    Durability settings are relaxed (``fsync=off``): the tests kill clients and connections, never the
    database server, so a crash-safe WAL would only cost time.
    """

    def __init__(self) -> None:
        folder = find_postgres_bin()
        if folder is None:
            raise RuntimeError(f"PostgreSQL server binaries (initdb, postgres) not found in /usr/lib/postgresql/*/bin "
                               f"or on PATH: {INSTALL_HINT}")
        self.bin = folder
        # not under pytest's tmp_path: that is 0700 root-owned, and the server may run as another user
        self.dir = Path(tempfile.mkdtemp(prefix="vigil-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.port = _free_port()
        self.user = "vigil"
        self.proc: subprocess.Popen[bytes] | None = None
        self._run_as: int | None = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                with contextlib.suppress(KeyError):
                    self._run_as = pwd.getpwnam(name).pw_uid
                    break
            if self._run_as is None:
                raise RuntimeError("running as root and no 'postgres' or 'nobody' user exists to run PostgreSQL")
            os.chown(self.dir, self._run_as, -1)

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/postgres"

    def _popen(self, args: list[str], **kw: object) -> subprocess.Popen[bytes]:
        return subprocess.Popen(args, user=self._run_as, stdin=subprocess.DEVNULL, **kw)  # type: ignore[call-overload, no-any-return]

    def start(self) -> None:
        if not self.data.exists():
            init = self._popen([str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust",
                                "-E", "UTF8", "--no-locale", "--no-sync"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            out, _ = init.communicate(timeout=120)
            if init.returncode != 0:
                raise RuntimeError(f"initdb failed:\n{out.decode(errors='replace')}")
        log = open(self.log, "ab")  # noqa: SIM115 - the server writes to it for its whole life
        if self._run_as is not None:
            os.chown(self.log, self._run_as, -1)
        self.proc = self._popen([str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port),
                                 "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                                 "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                                 "-c", "max_connections=200", "-c", "shared_buffers=128MB"],
                                stdout=log, stderr=log)
        log.close()
        _wait_for_port(self.port, self.proc, self.log)
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30.0) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.url, connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"PostgreSQL did not accept connections:\n{_tail(self.log)}") from None
                time.sleep(0.05)

    def new_schema_url(self) -> str:
        """A URL whose connections see a fresh, empty schema (isolation per test, far cheaper than a database)."""
        import psycopg

        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        return f"{self.url}?options=-csearch_path%3D{schema}"

    def terminate_backends(self, application_name_like: str) -> int:
        """``pg_terminate_backend`` every connection whose application_name matches (a connection drop)."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            rows = conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE application_name LIKE %s AND pid <> pg_backend_pid()",
                                (application_name_like,)).fetchall()
        return sum(1 for (ok,) in rows if ok)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # fast shutdown: disconnect clients, no waiting
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A running redis-server for the whole session (AOF on); tests use their own stream names."""
    try:
        server = RedisServer(tmp_path_factory.mktemp("redis"))
        server.start()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A running PostgreSQL for the whole session; tests take a fresh schema with ``new_schema_url()``."""
    try:
        server = PostgresServer()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        server.start()
    except RuntimeError as exc:
        server.cleanup()
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A PostgreSQL URL with a fresh schema of its own."""
    return postgres_server.new_schema_url()
