"""The real parts, started on loopback for the service tests and the service benchmarks.

One place for what tests/service, tests/reliability, bench/load.py and bench/soak.py all need:
free ports, child processes that can be killed with everything they started, waiting until a part
answers, a scratch PostgreSQL database (created, migrated by the caller, dropped), a moto S3 server
with its bucket, and removing a run's Redis keys. PostgreSQL and Redis themselves are started by
`infra/services.sh` where they are not running; nothing here starts or stops a shared server.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
PG_ADMIN_URL = os.environ.get("INVOICE_OCR_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("INVOICE_OCR_TEST_REDIS", "redis://127.0.0.1:6379/0")

T = TypeVar("T")


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


class NotUp(RuntimeError):
    """A part did not answer in time (or its process ended first); the message ends with its log."""


class Proc:
    """A child process in a session of its own, started at once, its output appended to `log`.

    Why a session: `kill` signals the whole process group, so a Celery worker's pool children or
    gunicorn's workers die with it, as they would when the machine loses the process.
    """

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.argv, self.env, self.log = argv, env, log
        self._start()

    def _start(self) -> None:
        self.fh = open(self.log, "ab")  # noqa: SIM115  (closed by stop)
        self.proc = subprocess.Popen(self.argv, env=self.env, cwd=ROOT, stdout=self.fh,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def restart(self) -> None:
        """The same command started again (after a `kill`, say), its output appended to the log."""
        self.stop()
        self._start()

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to the process and everything in its group."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)

    def stop(self) -> None:
        """SIGTERM, up to 10 s for a clean exit, then SIGKILL for whatever is left of the group."""
        if self.proc.poll() is None:
            self.kill(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=10)
        self.kill(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        self.fh.close()

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def says(self, text: str) -> bool:
        """Whether the process has written `text` to its log ("ready." from a Celery worker)."""
        return self.log.exists() and text in self.log.read_text(errors="replace")


def wait_until(check: Callable[[], T], seconds: float, what: str, proc: Proc | None = None) -> T:
    """`check()`'s first true value, tried every 0.1 s; an exception from it counts as "not yet"
    (a connection refused while a server starts). Raises `NotUp` after `seconds`, or as soon as
    `proc` (the process that should answer) has ended, with the end of its log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            value = check()
            if value:
                return value
        if proc is not None and proc.proc.poll() is not None:
            raise NotUp(f"{what} exited with status {proc.proc.returncode}\n{proc.log_tail()}")
        time.sleep(0.1)
    raise NotUp(f"{what} did not come up within {seconds:.0f}s\n{proc.log_tail() if proc else ''}")


@contextlib.contextmanager
def scratch_database(name: str, admin_url: str = PG_ADMIN_URL) -> Iterator[str]:
    """A new, empty database `name` on the server of `admin_url`, dropped (connections and all) on
    the way out; yields its SQLAlchemy URL (psycopg 3 driver)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        server = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_moto(log: Path, bucket: str, credential: str = "test") -> tuple[Proc, dict[str, str]]:
    """A moto S3 server on a free loopback port with `bucket` created in it; returns the process
    and the environment that points our code (and boto3) at it: STORAGE_URL s3://BUCKET/files."""
    import boto3

    port = free_port()
    moto = Proc([str(Path(sys.executable).parent / "moto_server"), "-H", LOOPBACK, "-p", str(port)],
                dict(os.environ), log)
    try:
        wait_until(lambda: socket.create_connection((LOOPBACK, port), 0.5).close() is None, 30,
                   "moto S3 server", moto)
        env = {
            "STORAGE_URL": f"s3://{bucket}/files",
            "S3_ENDPOINT_URL": f"http://{LOOPBACK}:{port}",
            "AWS_ACCESS_KEY_ID": credential,
            "AWS_SECRET_ACCESS_KEY": credential,
            "AWS_DEFAULT_REGION": "us-east-1",
        }
        s3 = boto3.client("s3", endpoint_url=env["S3_ENDPOINT_URL"], region_name="us-east-1",
                          aws_access_key_id=credential, aws_secret_access_key=credential)
        s3.create_bucket(Bucket=bucket)
    except BaseException:
        moto.stop()
        raise
    return moto, env


def service_env(
    database_url: str, broker_url: str, data_dir: Path, s3_env: dict[str, str], broker_prefix: str = "",
    **settings: str,
) -> dict[str, str]:
    """The environment our processes (API, workers, CLI) run with against these parts: the inherited
    one, this checkout on PYTHONPATH, the database, broker and storage, a fresh secret key, and
    `settings` (INVOICE_OCR_* names) for what the caller tunes."""
    env = {
        **os.environ,
        **s3_env,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "BROKER_URL": broker_url,
        "INVOICE_OCR_DATA_DIR": str(data_dir),
        "INVOICE_OCR_SECRET_KEY": secrets.token_hex(16),
    }
    if broker_prefix:
        env["INVOICE_OCR_BROKER_PREFIX"] = broker_prefix
    env.update(settings)
    return env


def drop_redis_keys(prefix: str, url: str = REDIS_URL) -> None:
    """Remove a run's keys (`prefix`*) from a shared Redis; a Redis that is gone is left alone."""
    with contextlib.suppress(Exception):
        import redis

        r: Any = redis.Redis.from_url(url, socket_connect_timeout=3)
        keys = list(r.scan_iter(f"{prefix}*"))
        if keys:
            r.delete(*keys)
